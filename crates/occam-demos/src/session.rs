//! Running any demo: [`Session`], generated from the registry ([`crate::with_demos`]), starts
//! the demo an id names and advances it by async steps, each ending in a report.
//!
//! The worker owns one session per run and awaits [`Session::step`] in a loop, yielding to its
//! event loop in between so that pause and stop messages are heard.

use occam_core::burn::prelude::Device;

use crate::params::Values;
pub use crate::run::{DemoError, DemoRun, Step, device_error, read_loss, steps_in_group};

/// Runs demo `id` with the URL `pairs` to its end on `Device::flex()`: the demos' tests.
#[cfg(test)]
pub(crate) fn run_to_done(id: &str, pairs: &[(&str, &str)]) -> crate::protocol::Report {
    let spec = crate::demo(id).expect("a listed demo");
    let params = crate::params::parse(spec.params, pairs.iter().copied()).values;
    let mut session = Session::new(id, &params, &Device::flex()).expect("the session starts");
    loop {
        if let Step::Done(report) = pollster::block_on(session.step()).expect("a step") {
            return report;
        }
    }
}

/// The numbers of the report's list (series) `name`, in order: the demos' tests of their list
/// metrics.
#[cfg(test)]
pub(crate) fn list(report: &crate::protocol::Report, name: &str) -> Vec<f64> {
    report
        .series(name)
        .expect(name)
        .points
        .iter()
        .map(|point| point.1)
        .collect()
}

/// The report's per-layer lists `names` have one finite number for each of layers 1 ..= `layers`:
/// the demos' tests of their list metrics.
#[cfg(test)]
pub(crate) fn assert_one_finite_entry_per_layer(
    report: &crate::protocol::Report,
    names: &[&str],
    layers: usize,
) {
    let expected: Vec<f64> = (1..=layers).map(|layer| layer as f64).collect();
    for name in names {
        let points = &report.series(name).expect(name).points;
        let at: Vec<f64> = points.iter().map(|point| point.0).collect();
        assert_eq!(at, expected, "{name}");
        assert!(
            points.iter().all(|point| point.1.is_finite()),
            "{name}: {points:?}"
        );
    }
}

macro_rules! sessions {
    ($($module:ident: $run:ident),* $(,)?) => {
        /// A run of any demo: one variant per entry of the registry.
        #[derive(Debug)]
        pub enum Session {
            $($run(Box<crate::$module::$run>),)*
        }

        impl Session {
            /// A session of demo `id`; `device` is where its tensors live (demos without
            /// tensors ignore it).
            pub fn new(id: &str, params: &Values, device: &Device) -> Result<Self, DemoError> {
                $(
                    if id == crate::$module::SPEC.id {
                        let run = <crate::$module::$run as DemoRun>::start(params, device)?;
                        return Ok(Self::$run(Box::new(run)));
                    }
                )*
                Err(DemoError::UnknownDemo(id.to_owned()))
            }

            /// The next piece of work.
            pub async fn step(&mut self) -> Result<Step, DemoError> {
                match self {
                    $(Self::$run(run) => run.advance().await,)*
                }
            }
        }
    };
}

crate::with_demos!(sessions);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_start_with_one_step_and_never_pass_the_total() {
        assert_eq!(steps_in_group(0, 100, 10), 1);
        assert_eq!(steps_in_group(1, 100, 10), 10);
        assert_eq!(steps_in_group(95, 100, 10), 5);
        assert_eq!(steps_in_group(100, 100, 10), 0);
        assert_eq!(steps_in_group(0, 0, 10), 0);
    }

    #[test]
    fn every_listed_demo_has_a_session() {
        for spec in crate::DEMOS {
            let values = Values::defaults(spec.params);
            assert!(
                Session::new(spec.id, &values, &Device::flex()).is_ok(),
                "{}",
                spec.id
            );
        }
        assert!(matches!(
            Session::new("nope", &Values::default(), &Device::flex()),
            Err(DemoError::UnknownDemo(_))
        ));
    }
}
