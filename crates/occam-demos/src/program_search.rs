//! Demo `program-search`: every program of a tiny language up to a length, the ones that
//! reproduce a sequence, and the next term they predict, each weighted by 2^(−length): a
//! computable Solomonoff-style predictor, restricted to [`occam_core::programs`]' language.
//!
//! One step builds one more expression length, so the prediction is shown for a growing budget
//! until the whole budget is searched.

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

/// At most this many terms.
pub const MAX_TERMS: usize = 12;

pub const SEQUENCE: ParamSpec = ParamSpec {
    name: "sequence",
    label: "sequence",
    help: "1 to 12 whole numbers, separated by commas or spaces, each within ±1,000,000,000",
    kind: ParamKind::Text {
        max_chars: 200,
        url_max_chars: 200,
        default: "2, 4, 6, 8",
    },
};

pub const MAX_BITS: ParamSpec = ParamSpec {
    name: "max-bits",
    label: "length budget (bits)",
    help: "every program of at most this many bits is tried; each bit more roughly doubles the count (30 bits: 16 million programs)",
    kind: ParamKind::Int {
        min: 10,
        max: 30,
        default: 24,
    },
};

pub const COMPARE: ParamSpec = ParamSpec {
    name: "compare",
    label: "rival next term",
    help: "another possible next term, whose probability is shown beside the prediction's",
    kind: ParamKind::Int {
        min: 0,
        max: 1_000_000_000,
        default: 123,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const PROGRAMS_TRIED: &str = "programs-tried";
    pub const PROGRAMS_CONSISTENT: &str = "programs-consistent";
    pub const SHORTEST_BITS: &str = "shortest-bits";
    pub const NEXT_TERM: &str = "next-term";
    pub const NEXT_TERM_PROBABILITY: &str = "next-term-probability";
    pub const COMPARE_BITS: &str = "compare-bits";
    pub const COMPARE_PROBABILITY: &str = "compare-probability";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "program-search",
    title: "Every short program, and what they predict",
    params: &[SEQUENCE, MAX_BITS, COMPARE, SEED],
    metrics: &[
        MetricSpec::new(metric::PROGRAMS_TRIED, "programs tried", 0),
        MetricSpec::new(
            metric::PROGRAMS_CONSISTENT,
            "programs that reproduce the sequence",
            0,
        ),
        MetricSpec::new(metric::SHORTEST_BITS, "shortest of them (bits)", 0),
        MetricSpec::new(metric::NEXT_TERM, "predicted next term", 0),
        MetricSpec::new(metric::NEXT_TERM_PROBABILITY, "its probability", 6),
        MetricSpec::new(
            metric::COMPARE_BITS,
            "shortest program continuing with the rival (bits)",
            0,
        ),
        MetricSpec::new(metric::COMPARE_PROBABILITY, "the rival's probability", 6),
    ],
    uses_tensors: false,
    on_page: None,
    workload_params: &["max-bits"],
};

/// The shortest consistent programs: program, bits, next term, programs alike.
pub const SHORTEST_TABLE: &str = "shortest";
/// The next terms with the most weight: term, probability, shortest program's bits.
pub const MIXTURE_TABLE: &str = "mixture";
/// Programs tried, by length (x: bits).
pub const TRIED_CURVE: &str = "tried";
/// Programs consistent, by length (x: bits).
pub const CONSISTENT_CURVE: &str = "consistent";

#[cfg(feature = "session")]
pub use run::ProgramSearch;

#[cfg(feature = "session")]
mod run {
    use occam_core::burn::prelude::Device;
    use occam_core::programs::{Prediction, Search, listing_program, parse_sequence};

    use super::{COMPARE, MAX_BITS, MAX_TERMS, SEQUENCE, metric};
    use crate::params::Values;
    use crate::protocol::{Report, Series, Table};
    use crate::run::{DemoError, DemoRun, Step};

    /// Shortest programs listed.
    const SHOWN: usize = 8;

    /// Next terms listed.
    const TERMS_SHOWN: usize = 6;

    /// A run: one expression length a step.
    #[derive(Debug)]
    pub struct ProgramSearch {
        observed: Vec<i64>,
        compare: i64,
        search: Search,
    }

    impl DemoRun for ProgramSearch {
        fn start(params: &Values, _device: &Device) -> Result<Self, DemoError> {
            let text = params.text(SEQUENCE.name)?;
            let observed = parse_sequence(text, MAX_TERMS)
                .map_err(|error| DemoError::Invalid(format!("the sequence: {error}")))?;
            let budget = u32::try_from(params.int(MAX_BITS.name)?).unwrap_or(u32::MAX);
            let compare = i64::try_from(params.int(COMPARE.name)?).unwrap_or(i64::MAX);
            Ok(Self {
                search: Search::new(&observed, budget),
                observed,
                compare,
            })
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            // The short lengths take no time: build them together, then one a step.
            loop {
                self.search.grow();
                if self.search.is_done() || self.search.built() >= 14 {
                    break;
                }
            }
            let prediction = self.search.prediction(SHOWN);
            Ok(Step::new(self.report(&prediction), self.search.is_done()))
        }
    }

    impl ProgramSearch {
        fn report(&self, prediction: &Prediction) -> Report {
            let total = prediction.total_weight();
            let mut metrics = vec![
                (metric::PROGRAMS_TRIED.to_owned(), prediction.tried as f64),
                (
                    metric::PROGRAMS_CONSISTENT.to_owned(),
                    prediction.consistent as f64,
                ),
            ];
            if let Some(first) = prediction.shortest.first() {
                metrics.push((metric::SHORTEST_BITS.to_owned(), f64::from(first.bits)));
            }
            // The rival: the shortest program found for it, else the one that lists the
            // terms and then the rival (always there, and counted when longer than the budget).
            let listing = listing_program(&self.observed, self.compare).bits();
            let found_bits = prediction
                .shortest_for(self.compare)
                .filter(|&bits| bits <= listing);
            let (compare_bits, compare_weight, all) = match found_bits {
                Some(bits) => (bits, prediction.weight(self.compare), total),
                None => {
                    let weight = 0.5f64.powi(listing as i32);
                    (listing, weight, total + weight)
                }
            };
            if let Some(&(term, weight)) = prediction.weights.first() {
                metrics.push((metric::NEXT_TERM.to_owned(), term as f64));
                metrics.push((metric::NEXT_TERM_PROBABILITY.to_owned(), weight / all));
            }
            metrics.push((metric::COMPARE_BITS.to_owned(), f64::from(compare_bits)));
            // With no program within the budget that reproduces the sequence there is no
            // mixture to give the rival a share of.
            if total > 0.0 {
                metrics.push((metric::COMPARE_PROBABILITY.to_owned(), compare_weight / all));
            }
            let shortest = Table {
                name: super::SHORTEST_TABLE.to_owned(),
                columns: ["program", "bits", "next term", "alike"]
                    .map(str::to_owned)
                    .to_vec(),
                rows: prediction
                    .shortest
                    .iter()
                    .map(|found| {
                        vec![
                            found.program.to_string(),
                            found.bits.to_string(),
                            found
                                .next
                                .map_or_else(|| "fails".to_owned(), |next| next.to_string()),
                            found.count.to_string(),
                        ]
                    })
                    .collect(),
            };
            let mixture = Table {
                name: super::MIXTURE_TABLE.to_owned(),
                columns: ["next term", "probability", "shortest program (bits)"]
                    .map(str::to_owned)
                    .to_vec(),
                rows: prediction
                    .weights
                    .iter()
                    .take(TERMS_SHOWN)
                    .map(|&(term, weight)| {
                        vec![
                            term.to_string(),
                            format!("{:.6}", weight / all),
                            prediction
                                .shortest_for(term)
                                .map_or_else(String::new, |bits| bits.to_string()),
                        ]
                    })
                    .collect(),
            };
            let curve = |name: &str, pick: fn(&(u32, u64, u64)) -> u64| Series {
                name: name.to_owned(),
                points: prediction
                    .by_length
                    .iter()
                    .map(|entry| (f64::from(entry.0), pick(entry) as f64))
                    .collect(),
            };
            Report {
                progress: u64::from(self.search.built()),
                total: u64::from(self.search.total()),
                metrics,
                series: vec![
                    curve(super::TRIED_CURVE, |entry| entry.1),
                    curve(super::CONSISTENT_CURVE, |entry| entry.2),
                ],
                images: Vec::new(),
                clouds: Vec::new(),
                tables: vec![shortest, mixture],
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use occam_core::burn::prelude::Device;

        use crate::run::DemoRun;
        use crate::session::run_to_done;

        #[test]
        fn two_four_six_eight_continues_with_ten() {
            let report = run_to_done("program-search", &[]);
            assert_eq!(report.metric("next-term"), Some(10.0));
            assert_eq!(report.metric("shortest-bits"), Some(10.0));
            assert!(report.metric("next-term-probability").unwrap() > 0.99);
            // 123 only by listing: 5 header bits, 5 + 7 + 7 + 9 for 2, 4, 6, 8, then 3 bits
            // and 15 for the constant 123 (z = 246, 247 has 8 binary digits).
            assert_eq!(report.metric("compare-bits"), Some(51.0));
            let rival = report.metric("compare-probability").unwrap();
            assert!(rival > 0.0 && rival < 2f64.powi(-40), "{rival}");
            let table = report.table(super::super::SHORTEST_TABLE).unwrap();
            assert_eq!(table.rows[0][0], "a(n) = n + n");
            assert_eq!(report.progress, report.total);
        }

        #[test]
        fn the_search_is_deterministic_and_its_seed_changes_nothing() {
            // Nothing in the search is random: the seed is there because every demo has one.
            let pairs = [("sequence", "1, 4, 9"), ("max-bits", "18")];
            let first = run_to_done("program-search", &pairs);
            assert_eq!(first, run_to_done("program-search", &pairs));
            let reseeded = [pairs[0], pairs[1], ("seed", "9")];
            assert_eq!(first, run_to_done("program-search", &reseeded));
        }

        #[test]
        fn with_nothing_in_the_budget_there_is_no_mixture_to_share() {
            // 1000 needs 25 bits by a rule (1 + 3 + 21) and 26 by listing: over 24.
            let report = run_to_done("program-search", &[("sequence", "1000")]);
            assert_eq!(report.metric("programs-consistent"), Some(0.0));
            for name in [
                "shortest-bits",
                "next-term",
                "next-term-probability",
                "compare-probability",
            ] {
                assert_eq!(report.metric(name), None, "{name}");
            }
            // The listing program for the rival 123: 2 + 21 header bits, 3 + 15 for 123.
            assert_eq!(report.metric("compare-bits"), Some(41.0));
        }

        #[test]
        fn a_sequence_that_is_not_numbers_is_refused_with_its_word() {
            let spec = crate::demo("program-search").unwrap();
            let params = crate::params::parse(spec.params, [("sequence", "1, 2, three")]).values;
            let error =
                <super::ProgramSearch as DemoRun>::start(&params, &Device::flex()).unwrap_err();
            assert!(
                error.to_string().contains("“three” is not a whole number"),
                "{error}"
            );
        }
    }
}
