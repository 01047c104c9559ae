//! Demo `coin-flips`: n flips of a p-coin, arithmetic-coded with the true p and with the
//! Krichevsky–Trofimov estimator, both decoded and checked.
//!
//! The static code spends −log₂ p(x) bits per flip, on average h(p); the adaptive one learns p
//! as it reads, and its ideal length −log₂ q(x) is at most ½ log₂ n + 1 bits more than the best
//! static code in hindsight (the coder adds at most 2 bits to any ideal length). A third coder
//! is told a wrong probability q and pays h(p) + D(p‖q) bits per flip on average: the
//! Kullback–Leibler divergence is the price of a wrong model.

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const P: ParamSpec = ParamSpec {
    name: "p",
    label: "P(heads)",
    help: "the probability that a flip comes up heads",
    kind: ParamKind::Float {
        min: 0.0,
        max: 1.0,
        default: 0.9,
        step: 0.01,
    },
};

pub const N: ParamSpec = ParamSpec {
    name: "n",
    label: "flips",
    help: "how many flips to draw and code",
    kind: ParamKind::Int {
        min: 1,
        max: 1_000_000,
        default: 10_000,
    },
};

pub const Q: ParamSpec = ParamSpec {
    name: "q",
    label: "P(heads) the third coder assumes",
    help: "a wrong guess at p, given to a third static coder: it pays D(p‖q) bits per flip more",
    kind: ParamKind::Float {
        min: 0.01,
        max: 0.99,
        default: 0.5,
        step: 0.01,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const ENTROPY_BITS: &str = "entropy-bits";
    pub const EMPIRICAL_ENTROPY_BITS: &str = "empirical-entropy-bits";
    pub const STATIC_BITS_PER_FLIP: &str = "static-bits-per-flip";
    pub const ADAPTIVE_BITS_PER_FLIP: &str = "adaptive-bits-per-flip";
    pub const ADAPTIVE_REGRET_BITS: &str = "adaptive-regret-bits";
    pub const MISMATCHED_BITS_PER_FLIP: &str = "mismatched-bits-per-flip";
    pub const KL_BITS: &str = "kl-bits";
    pub const MISMATCH_EXCESS_BITS: &str = "mismatch-excess-bits";
    pub const ROUNDTRIP: &str = "roundtrip";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "coin-flips",
    title: "Coding coin flips",
    params: &[P, N, Q, SEED],
    metrics: &[
        MetricSpec::new(metric::ENTROPY_BITS, "entropy h(p)", 5),
        MetricSpec::new(
            metric::EMPIRICAL_ENTROPY_BITS,
            "entropy of the observed frequency",
            5,
        ),
        MetricSpec::new(
            metric::STATIC_BITS_PER_FLIP,
            "static code (knows p), bits per flip",
            5,
        ),
        MetricSpec::new(
            metric::ADAPTIVE_BITS_PER_FLIP,
            "adaptive code (learns p), bits per flip",
            5,
        ),
        MetricSpec::new(
            metric::ADAPTIVE_REGRET_BITS,
            "adaptive regret, bits in total",
            2,
        ),
        MetricSpec::new(
            metric::MISMATCHED_BITS_PER_FLIP,
            "static code told q, bits per flip",
            5,
        ),
        MetricSpec::new(metric::KL_BITS, "D(p‖q), bits per flip", 5),
        MetricSpec::new(
            metric::MISMATCH_EXCESS_BITS,
            "told q minus told p, measured, bits per flip",
            5,
        ),
        MetricSpec::new(metric::ROUNDTRIP, "every decoding equals the flips", 0),
    ],
    uses_tensors: false,
    on_page: None,
    workload_params: &["n"],
};

/// Names of the curves a report carries: running bits per flip after each prefix of flips.
pub const STATIC_CURVE: &str = "static-bits-per-flip";
pub const ADAPTIVE_CURVE: &str = "adaptive-bits-per-flip";
pub const MISMATCHED_CURVE: &str = "mismatched-bits-per-flip";

#[cfg(feature = "session")]
pub use run::CoinFlips;

#[cfg(feature = "session")]
mod run {
    use super::metric;
    use occam_core::arithmetic::{Encoded, Encoder, KrichevskyTrofimov, StaticBinary, decode_all};
    use occam_core::entropy::{binary_entropy, binary_kl_divergence, empirical_entropy};
    use occam_core::rng::{coin_flips, seeded};

    use super::{ADAPTIVE_CURVE, MISMATCHED_CURVE, N, P, Q, STATIC_CURVE};
    use crate::params::Values;
    use crate::protocol::{Point, Report, Series};
    use crate::run::{DemoError, DemoRun, Step};
    use occam_core::burn::prelude::Device;

    /// Flips coded or decoded per step: a few milliseconds of work, so reports stream.
    const CHUNK: usize = 20_000;
    /// Points on each running curve, spaced evenly in log n.
    const CURVE_POINTS: usize = 160;

    enum Phase {
        Encoding {
            static_coder: Encoder,
            adaptive_coder: Encoder,
            adaptive_model: KrichevskyTrofimov,
            mismatched_coder: Encoder,
        },
        Decoding {
            static_code: Encoded,
            adaptive_code: Encoded,
            mismatched_code: Encoded,
        },
        Finished {
            roundtrip: bool,
        },
    }

    /// A run of the demo, advanced by [`CoinFlips::step`]: encoding in chunks, then decoding.
    pub struct CoinFlips {
        p: f64,
        q: f64,
        static_model: StaticBinary,
        /// The static model told q instead of p.
        mismatched_model: StaticBinary,
        flips: Vec<bool>,
        heads: u64,
        phase: Phase,
        /// Flips encoded so far.
        position: usize,
        checkpoints: Vec<usize>,
        next_checkpoint: usize,
        static_curve: Vec<Point>,
        adaptive_curve: Vec<Point>,
        mismatched_curve: Vec<Point>,
        static_bits: u64,
        adaptive_bits: u64,
        mismatched_bits: u64,
    }

    impl std::fmt::Debug for CoinFlips {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("CoinFlips")
                .field("p", &self.p)
                .field("n", &self.flips.len())
                .finish_non_exhaustive()
        }
    }

    /// Prefix lengths in 1 ..= n spaced evenly in log n, without repeats.
    fn checkpoints(n: usize) -> Vec<usize> {
        let mut points: Vec<usize> = (0..CURVE_POINTS)
            .map(|i| {
                (n as f64)
                    .powf(i as f64 / (CURVE_POINTS - 1) as f64)
                    .round() as usize
            })
            .filter(|&point| point >= 1)
            .collect();
        points.dedup();
        points
    }

    impl DemoRun for CoinFlips {
        fn start(params: &Values, _device: &Device) -> Result<Self, DemoError> {
            let p = params.float(P.name)?;
            let n = usize::try_from(params.int(N.name)?)
                .map_err(|_| DemoError::Invalid("n is too large".into()))?;
            let q = params.float(Q.name)?;
            let flips = coin_flips(p, n, &mut seeded(params.seed()?));
            Ok(Self {
                p,
                q,
                static_model: StaticBinary::new(p),
                mismatched_model: StaticBinary::new(q),
                heads: flips.iter().filter(|&&heads| heads).count() as u64,
                checkpoints: checkpoints(n),
                flips,
                phase: Phase::Encoding {
                    static_coder: Encoder::new(),
                    adaptive_coder: Encoder::new(),
                    adaptive_model: KrichevskyTrofimov::new(),
                    mismatched_coder: Encoder::new(),
                },
                position: 0,
                next_checkpoint: 0,
                static_curve: Vec::new(),
                adaptive_curve: Vec::new(),
                mismatched_curve: Vec::new(),
                static_bits: 0,
                adaptive_bits: 0,
                mismatched_bits: 0,
            })
        }

        /// Encodes the next chunk of flips; once all are coded, decodes both codes and checks them.
        async fn advance(&mut self) -> Result<Step, DemoError> {
            let n = self.flips.len();
            match &mut self.phase {
                Phase::Encoding {
                    static_coder,
                    adaptive_coder,
                    adaptive_model,
                    mismatched_coder,
                } => {
                    let end = (self.position + CHUNK).min(n);
                    let mut static_model = self.static_model;
                    let mut mismatched_model = self.mismatched_model;
                    while self.position < end {
                        let heads = self.flips[self.position];
                        static_coder.encode_symbol(&mut static_model, heads)?;
                        adaptive_coder.encode_symbol(adaptive_model, heads)?;
                        mismatched_coder.encode_symbol(&mut mismatched_model, heads)?;
                        self.position += 1;
                        if self.checkpoints.get(self.next_checkpoint) == Some(&self.position) {
                            let flips = self.position as f64;
                            self.static_curve
                                .push((flips, static_coder.bits_committed() as f64 / flips));
                            self.adaptive_curve
                                .push((flips, adaptive_coder.bits_committed() as f64 / flips));
                            self.mismatched_curve
                                .push((flips, mismatched_coder.bits_committed() as f64 / flips));
                            self.next_checkpoint += 1;
                        }
                    }
                    self.static_bits = static_coder.bits_committed();
                    self.adaptive_bits = adaptive_coder.bits_committed();
                    self.mismatched_bits = mismatched_coder.bits_committed();
                    if self.position == n {
                        let finished = std::mem::replace(
                            &mut self.phase,
                            Phase::Finished { roundtrip: false },
                        );
                        if let Phase::Encoding {
                            static_coder,
                            adaptive_coder,
                            mismatched_coder,
                            ..
                        } = finished
                        {
                            let (static_code, adaptive_code, mismatched_code) = (
                                static_coder.finish(),
                                adaptive_coder.finish(),
                                mismatched_coder.finish(),
                            );
                            self.static_bits = static_code.bits;
                            self.adaptive_bits = adaptive_code.bits;
                            self.mismatched_bits = mismatched_code.bits;
                            self.phase = Phase::Decoding {
                                static_code,
                                adaptive_code,
                                mismatched_code,
                            };
                        }
                    }
                    Ok(Step::Running(self.report()))
                }
                Phase::Decoding {
                    static_code,
                    adaptive_code,
                    mismatched_code,
                } => {
                    let static_ok = decode_all(self.static_model, static_code, n)? == self.flips;
                    let adaptive_ok =
                        decode_all(KrichevskyTrofimov::new(), adaptive_code, n)? == self.flips;
                    let mismatched_ok =
                        decode_all(self.mismatched_model, mismatched_code, n)? == self.flips;
                    self.phase = Phase::Finished {
                        roundtrip: static_ok && adaptive_ok && mismatched_ok,
                    };
                    Ok(Step::Done(self.report()))
                }
                Phase::Finished { .. } => Ok(Step::Done(self.report())),
            }
        }
    }

    impl CoinFlips {
        fn report(&self) -> Report {
            let n = self.flips.len();
            let coded = self.position.max(1) as f64;
            let empirical = empirical_entropy(&[self.heads, n as u64 - self.heads]);
            let mut metrics = vec![
                (metric::ENTROPY_BITS.to_owned(), binary_entropy(self.p)),
                (
                    metric::STATIC_BITS_PER_FLIP.to_owned(),
                    self.static_bits as f64 / coded,
                ),
                (
                    metric::ADAPTIVE_BITS_PER_FLIP.to_owned(),
                    self.adaptive_bits as f64 / coded,
                ),
                (
                    metric::MISMATCHED_BITS_PER_FLIP.to_owned(),
                    self.mismatched_bits as f64 / coded,
                ),
                (
                    metric::KL_BITS.to_owned(),
                    binary_kl_divergence(self.p, self.q),
                ),
                (
                    metric::MISMATCH_EXCESS_BITS.to_owned(),
                    (self.mismatched_bits as f64 - self.static_bits as f64) / coded,
                ),
            ];
            let decoded = match self.phase {
                Phase::Finished { roundtrip } => {
                    metrics.push((metric::EMPIRICAL_ENTROPY_BITS.to_owned(), empirical));
                    metrics.push((
                        metric::ADAPTIVE_REGRET_BITS.to_owned(),
                        self.adaptive_bits as f64 - n as f64 * empirical,
                    ));
                    metrics.push((
                        metric::ROUNDTRIP.to_owned(),
                        if roundtrip { 1.0 } else { 0.0 },
                    ));
                    n
                }
                _ => 0,
            };
            Report {
                images: Vec::new(),
                clouds: Vec::new(),
                progress: (self.position + decoded) as u64,
                total: 2 * n as u64,
                metrics,
                series: vec![
                    Series {
                        name: STATIC_CURVE.to_owned(),
                        points: self.static_curve.clone(),
                    },
                    Series {
                        name: ADAPTIVE_CURVE.to_owned(),
                        points: self.adaptive_curve.clone(),
                    },
                    Series {
                        name: MISMATCHED_CURVE.to_owned(),
                        points: self.mismatched_curve.clone(),
                    },
                ],
                tables: Vec::new(),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::params::parse;

        fn run(query: &[(&str, &str)]) -> Report {
            let params = parse(crate::coin_flips::SPEC.params, query.iter().copied());
            assert!(params.notices.is_empty());
            let mut session = CoinFlips::start(&params.values, &Device::flex()).unwrap();
            loop {
                if let Step::Done(report) = pollster::block_on(session.advance()).unwrap() {
                    return report;
                }
            }
        }

        /// A coder told the wrong probability q pays the Kullback–Leibler divergence D(p‖q)
        /// per flip over the one told p (Cover and Thomas, theorem 5.4.3), measured on real codes.
        #[test]
        fn a_wrong_p_costs_the_kl_divergence() {
            let report = run(&[("p", "0.9"), ("q", "0.8"), ("n", "100000"), ("seed", "7")]);
            let metric = |name: &str| report.metric(name).expect(name);
            // D(0.9 ‖ 0.8) in bits, by hand: 0.9 log₂(9/8) + 0.1 log₂(1/2).
            let kl = 0.9 * (9.0f64 / 8.0).log2() - 0.1;
            assert!((kl - 0.053_0).abs() < 1e-3, "{kl}");
            assert!((metric("kl-bits") - kl).abs() < 1e-12);
            assert!(
                (metric("mismatch-excess-bits") - kl).abs() < 0.005,
                "excess {} against D(p‖q) = {kl}",
                metric("mismatch-excess-bits")
            );
            // Told p = q, the third coder is the static one, bit for bit.
            let same = run(&[("p", "0.7"), ("q", "0.7"), ("n", "20000"), ("seed", "3")]);
            assert_eq!(same.metric("mismatch-excess-bits"), Some(0.0));
            assert_eq!(same.metric("roundtrip"), Some(1.0));
        }

        #[test]
        fn the_browser_tests_case_codes_near_the_entropy() {
            let report = run(&[("p", "0.9"), ("n", "100000"), ("seed", "1")]);
            let entropy = report.metric("entropy-bits").unwrap();
            assert!((entropy - 0.468_995_593_589_281_1).abs() < 1e-12);
            assert!((report.metric("static-bits-per-flip").unwrap() - entropy).abs() < 0.005);
            assert_eq!(report.metric("roundtrip"), Some(1.0));
            let regret = report.metric("adaptive-regret-bits").unwrap();
            // KT's bound, ½ log₂ n + 1, plus the coder's 2 bits.
            assert!(regret <= 0.5 * 100_000f64.log2() + 3.0, "{regret}");
            assert_eq!(report.progress, report.total);
            let curve = &report
                .series(crate::coin_flips::ADAPTIVE_CURVE)
                .unwrap()
                .points;
            assert_eq!(curve.last().unwrap().0, 100_000.0);
            assert!(curve.windows(2).all(|pair| pair[0].0 < pair[1].0));
        }

        #[test]
        fn a_single_flip_and_certain_coins_round_trip() {
            for query in [
                [("p", "0.5"), ("n", "1")],
                [("p", "1"), ("n", "5000")],
                [("p", "0"), ("n", "3")],
            ] {
                let report = run(&query);
                assert_eq!(report.metric("roundtrip"), Some(1.0), "{query:?}");
                assert!(report.metrics.iter().all(|(_, value)| value.is_finite()));
            }
        }
    }
}
