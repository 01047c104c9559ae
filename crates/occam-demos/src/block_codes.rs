//! Demo `block-codes`: Huffman codes for blocks of k flips, approaching h(p) from above as k grows.
//!
//! A Huffman code spends a whole number of bits per symbol, so coding single flips costs at
//! least 1 bit each. Coding blocks of k flips as one symbol spreads that rounding over k flips:
//! h(p) ≤ L̄ₖ / k < h(p) + 1/k.

use crate::coin_flips::{N, P};
use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const K: ParamSpec = ParamSpec {
    name: "k",
    label: "flips per block",
    help: "how many flips each codeword stands for",
    kind: ParamKind::Int {
        min: 1,
        max: 12,
        default: 3,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const ENTROPY_BITS: &str = "entropy-bits";
    pub const HUFFMAN_BITS_PER_FLIP: &str = "huffman-bits-per-flip";
    pub const MEASURED_BITS_PER_FLIP: &str = "measured-bits-per-flip";
    pub const ROUNDTRIP: &str = "roundtrip";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "block-codes",
    title: "Huffman codes for blocks of flips",
    params: &[P, K, N, SEED],
    metrics: &[
        MetricSpec::new(metric::ENTROPY_BITS, "entropy h(p)", 5),
        MetricSpec::new(
            metric::HUFFMAN_BITS_PER_FLIP,
            "Huffman code, expected bits per flip",
            5,
        ),
        MetricSpec::new(
            metric::MEASURED_BITS_PER_FLIP,
            "bits per flip on the sample",
            5,
        ),
        MetricSpec::new(metric::ROUNDTRIP, "decoding equals the flips", 0),
    ],
    uses_tensors: false,
    on_page: None,
    workload_params: &["k", "n"],
};

/// Expected bits per flip of the Huffman code for each block size 1..=12.
pub const LENGTH_CURVE: &str = "huffman-bits-per-flip";

#[cfg(feature = "session")]
pub use run::BlockCodes;

#[cfg(feature = "session")]
mod run {
    use super::metric;
    use occam_core::entropy::binary_entropy;
    use occam_core::huffman::{HuffmanCode, HuffmanError, block_probabilities, blocks};
    use occam_core::rng::{coin_flips, seeded};

    use super::{K, LENGTH_CURVE};
    use crate::coin_flips::{N, P};
    use crate::params::Values;
    use crate::protocol::{Report, Series};
    use crate::run::{DemoError, DemoRun, Step};
    use occam_core::burn::prelude::Device;

    impl From<HuffmanError> for DemoError {
        fn from(error: HuffmanError) -> Self {
            Self::Invalid(error.to_string())
        }
    }

    /// A run: one step codes the sample and decodes it.
    #[derive(Debug)]
    pub struct BlockCodes {
        p: f64,
        k: u32,
        flips: Vec<bool>,
    }

    impl DemoRun for BlockCodes {
        fn start(params: &Values, _device: &Device) -> Result<Self, DemoError> {
            let p = params.float(P.name)?;
            let k = u32::try_from(params.int(K.name)?)
                .map_err(|_| DemoError::Invalid("k is too large".into()))?;
            let n = usize::try_from(params.int(N.name)?)
                .map_err(|_| DemoError::Invalid("n is too large".into()))?;
            Ok(Self {
                p,
                k,
                flips: coin_flips(p, n, &mut seeded(params.seed()?)),
            })
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            let curve = (1..=12)
                .map(|k| {
                    let probabilities = block_probabilities(self.p, k);
                    Ok((
                        f64::from(k),
                        HuffmanCode::new(&probabilities)?.expected_length(&probabilities)
                            / f64::from(k),
                    ))
                })
                .collect::<Result<Vec<_>, HuffmanError>>()?;
            let probabilities = block_probabilities(self.p, self.k);
            let code = HuffmanCode::new(&probabilities)?;
            let symbols = blocks(&self.flips, self.k);
            let bits = code.encode(&symbols)?;
            let decoded = code.decode(&bits)?;
            let decoded_flips: Vec<bool> = decoded
                .iter()
                .flat_map(|&block| (0..self.k).map(move |j| block & (1 << j) != 0))
                .take(self.flips.len())
                .collect();
            let n = self.flips.len() as f64;
            Ok(Step::Done(Report {
                images: Vec::new(),
                clouds: Vec::new(),
                progress: 1,
                total: 1,
                metrics: vec![
                    (metric::ENTROPY_BITS.into(), binary_entropy(self.p)),
                    (
                        metric::HUFFMAN_BITS_PER_FLIP.into(),
                        code.expected_length(&probabilities) / f64::from(self.k),
                    ),
                    (metric::MEASURED_BITS_PER_FLIP.into(), bits.len() as f64 / n),
                    (
                        metric::ROUNDTRIP.into(),
                        if decoded_flips == self.flips {
                            1.0
                        } else {
                            0.0
                        },
                    ),
                ],
                series: vec![Series {
                    name: LENGTH_CURVE.into(),
                    points: curve,
                }],
                tables: Vec::new(),
            }))
        }
    }

    impl BlockCodes {}

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::params::parse;

        #[test]
        fn measured_length_is_near_the_expected_one_and_decodes() {
            let params = parse(
                crate::block_codes::SPEC.params,
                [("p", "0.9"), ("k", "4"), ("n", "100000"), ("seed", "1")],
            )
            .values;
            let Step::Done(report) = pollster::block_on(
                BlockCodes::start(&params, &Device::flex())
                    .unwrap()
                    .advance(),
            )
            .unwrap() else {
                panic!("one step")
            };
            let expected = report.metric("huffman-bits-per-flip").unwrap();
            let h = report.metric("entropy-bits").unwrap();
            assert!(expected >= h && expected < h + 0.25);
            // 25,000 blocks, codeword lengths of standard deviation under 4: 6σ/√n/k ≈ 0.04.
            assert!((report.metric("measured-bits-per-flip").unwrap() - expected).abs() < 0.04);
            assert_eq!(report.metric("roundtrip"), Some(1.0));
            assert_eq!(report.series(super::LENGTH_CURVE).unwrap().points.len(), 12);
        }
    }
}
