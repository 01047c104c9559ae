//! What every demo's run shares: its errors, its steps, the loss read-back, and [`DemoRun`],
//! the two calls the worker makes of any demo. Imports no demo (the registry in
//! [`crate::session`] does).

use occam_core::arithmetic::CodingError;
use occam_core::burn::prelude::{Device, Tensor};
use thiserror::Error;

use crate::params::{MissingParam, Values};
use crate::protocol::Report;

/// Why a run failed; shown to the person in the demo's `[data-error]`.
#[derive(Debug, Error)]
pub enum DemoError {
    #[error("there is no demo called “{0}”")]
    UnknownDemo(String),
    #[error(transparent)]
    Param(#[from] MissingParam),
    #[error("invalid parameters: {0}")]
    Invalid(String),
    #[error("the arithmetic coder failed: {0}")]
    Coding(#[from] CodingError),
    #[error("the device failed: {0}")]
    Device(String),
    /// The loss stopped being a finite number; the message says where and what to try.
    #[error(
        "training diverged: {0}. Try another seed, or values nearer the defaults (fewer steps, \
         a smaller network or less noise), and train again"
    )]
    Diverged(String),
}

/// Training steps to run before the next read-back: one at first (so that a curve starts at
/// once), then `per_report`, never past `total`.
pub fn steps_in_group(done: u64, total: u64, per_report: u64) -> u64 {
    (total - done.min(total)).min(if done == 0 { 1 } else { per_report })
}

/// Reads a loss back from the device (asynchronously: the only read-back WebGPU allows in a
/// browser); a loss that is not finite ends the run with a message.
pub async fn read_loss(loss: Tensor<1>, step: u64) -> Result<f64, DemoError> {
    let value: f32 = loss
        .into_scalar_async()
        .await
        .map_err(|error| DemoError::Device(occam_core::one_line(&format!("{error:?}"))))?;
    if value.is_finite() {
        Ok(f64::from(value))
    } else {
        Err(DemoError::Diverged(format!(
            "the loss became {value} at step {step}"
        )))
    }
}

/// A read-back or device failure, as a [`DemoError`].
pub fn device_error(error: occam_core::DeviceError) -> DemoError {
    error.into()
}

impl From<occam_core::DeviceError> for DemoError {
    fn from(error: occam_core::DeviceError) -> Self {
        match error {
            occam_core::DeviceError::Diverged(_) => Self::Diverged(error.to_string()),
            _ => Self::Device(error.to_string()),
        }
    }
}

/// What a step produced.
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Running(Report),
    Done(Report),
}

impl Step {
    /// `Done` when `is_done`, else `Running`.
    pub fn new(report: Report, is_done: bool) -> Self {
        if is_done {
            Self::Done(report)
        } else {
            Self::Running(report)
        }
    }
}

/// A demo's run: started from its values on a device, then advanced step by step until a
/// [`Step::Done`]. Each demo's run type implements it; the registry
/// ([`crate::with_demos`]) turns the list of them into [`crate::session::ALL`].
// The futures are never sent across threads (the worker is single-threaded), so the trait's
// `async fn` need promise no `Send`.
#[allow(async_fn_in_trait)]
pub trait DemoRun: Sized {
    /// A run with `params`; `device` is where its tensors live (demos without tensors ignore it).
    fn start(params: &Values, device: &Device) -> Result<Self, DemoError>;

    /// The next piece of work.
    async fn advance(&mut self) -> Result<Step, DemoError>;
}

/// The run of a demo the page computes itself ([`crate::DemoSpec::on_page`]), when the worker
/// runs it (a teacher's re-run, the solutions' tests): its one report, computed at the start.
#[derive(Debug)]
pub struct Computed(Option<Report>);

impl Computed {
    pub fn start(compute: crate::OnPage, params: &Values) -> Result<Self, DemoError> {
        compute(params)
            .map(|report| Self(Some(report)))
            .map_err(DemoError::Invalid)
    }

    pub fn advance(&mut self) -> Step {
        Step::Done(self.0.take().unwrap_or_default())
    }
}

/// `computed_run!(RunType, compute)`: the run type of a demo the page computes itself with
/// `compute`, a [`Computed`] that the worker can run like any demo's.
macro_rules! computed_run {
    ($run:ident, $compute:path) => {
        /// The page's computation run in the worker (as embeds and tests may): one report.
        #[derive(Debug)]
        pub struct $run($crate::run::Computed);

        impl $crate::run::DemoRun for $run {
            fn start(
                params: &$crate::params::Values,
                _device: &occam_core::burn::prelude::Device,
            ) -> Result<Self, $crate::run::DemoError> {
                $crate::run::Computed::start($compute, params).map(Self)
            }

            async fn advance(&mut self) -> Result<$crate::run::Step, $crate::run::DemoError> {
                Ok(self.0.advance())
            }
        }
    };
}

pub(crate) use computed_run;

#[cfg(test)]
mod tests {
    use super::*;
    use occam_core::burn::prelude::TensorData;

    #[test]
    fn a_loss_that_is_not_finite_ends_the_run_with_a_hint() {
        let device = Device::flex();
        for value in [f32::NAN, f32::INFINITY, f32::NEG_INFINITY] {
            let loss = Tensor::<1>::from_data(TensorData::new(vec![value], [1]), &device);
            let message = match pollster::block_on(read_loss(loss, 17)) {
                Err(error @ DemoError::Diverged(_)) => error.to_string(),
                other => panic!("{value}: {other:?}"),
            };
            assert!(
                message.contains(&format!("the loss became {value} at step 17")),
                "{message}"
            );
            assert!(message.contains("another seed"), "{message}");
        }
        let finite = Tensor::<1>::from_data(TensorData::new(vec![0.25_f32], [1]), &device);
        assert_eq!(pollster::block_on(read_loss(finite, 1)).ok(), Some(0.25));
    }
}
