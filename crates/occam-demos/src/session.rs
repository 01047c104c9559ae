//! Running any demo: a [`Registry`] starts the demo an id names as a [`Session`], which
//! advances it by async steps, each ending in a report. [`ALL`] is generated from the
//! registry of demos ([`crate::with_demos`]); the worker's CPU builds carry parts of it
//! ([`crate::builds`]).
//!
//! The worker owns one session per run and awaits [`Session::step`] in a loop, yielding to its
//! event loop in between so that pause and stop messages are heard.

use std::future::Future;
use std::pin::Pin;

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

/// A demo's run, whatever its type: what the worker holds for each run.
pub trait Running: std::fmt::Debug {
    /// The next piece of work ([`DemoRun::advance`]).
    fn step(&mut self) -> Pin<Box<dyn Future<Output = Result<Step, DemoError>> + '_>>;
}

impl<R: DemoRun + std::fmt::Debug> Running for R {
    fn step(&mut self) -> Pin<Box<dyn Future<Output = Result<Step, DemoError>> + '_>> {
        Box::pin(self.advance())
    }
}

/// Starts a run of one demo.
pub type Start = fn(&Values, &Device) -> Result<Session, DemoError>;

/// A run of demo `R`, as a [`Session`]: a [`Registry`]'s entry for it.
pub fn start<R: DemoRun + std::fmt::Debug + 'static>(
    params: &Values,
    device: &Device,
) -> Result<Session, DemoError> {
    Ok(Session(Box::new(R::start(params, device)?)))
}

/// The demos a worker can start, by id. A worker build links exactly the demos its registry
/// names ([`crate::builds`]).
#[derive(Clone, Copy)]
pub struct Registry(pub &'static [(&'static str, Start)]);

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.ids()).finish()
    }
}

impl Registry {
    /// A session of demo `id`; `device` is where its tensors live (demos without tensors
    /// ignore it).
    pub fn start(&self, id: &str, params: &Values, device: &Device) -> Result<Session, DemoError> {
        let (_, start) = self
            .0
            .iter()
            .find(|(known, _)| *known == id)
            .ok_or_else(|| DemoError::UnknownDemo(id.to_owned()))?;
        start(params, device)
    }

    /// The ids it can start, in order.
    pub fn ids(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.0.iter().map(|(id, _)| *id)
    }
}

macro_rules! every {
    ($($module:ident: $run:ident),* $(,)?) => {
        /// Every demo, in the registry's order.
        pub const ALL: Registry = Registry(&[
            $((crate::$module::SPEC.id, start::<crate::$module::$run>),)*
        ]);
    };
}

crate::with_demos!(every);

/// A run of any demo.
#[derive(Debug)]
pub struct Session(Box<dyn Running>);

impl Session {
    /// A session of demo `id`, whichever it is ([`ALL`]).
    pub fn new(id: &str, params: &Values, device: &Device) -> Result<Self, DemoError> {
        ALL.start(id, params, device)
    }

    /// The next piece of work.
    pub async fn step(&mut self) -> Result<Step, DemoError> {
        self.0.step().await
    }
}

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
