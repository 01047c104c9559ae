//! Running a demo: a [`Session`] advances by async steps, each ending in a [`Report`].
//!
//! The worker owns one session per run and awaits [`Session::step`] in a loop, yielding to its
//! event loop in between so that pause and stop messages are heard.

use occam_core::arithmetic::CodingError;
use occam_core::burn::prelude::{Device, Tensor};
use thiserror::Error;

use crate::backend_check::BackendCheck;
use crate::bases::Bases;
use crate::block_codes::BlockCodes;
use crate::coin_flips::CoinFlips;
use crate::crate_digits::CrateDigits;
use crate::crate_layers::CrateLayers;
use crate::denoiser::Denoiser;
use crate::diffusion::Diffusion;
use crate::mcr2::Mcr2;
use crate::params::{MissingParam, Values};
use crate::pca::Pca;
use crate::protocol::Report;
use crate::redunet::Redunet;
use crate::sparse_coding::SparseCoding;
use crate::text_model::TextModel;

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
    #[error("training diverged: {0}")]
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
        .map_err(|error| DemoError::Device(format!("{error:?}")))?;
    if value.is_finite() {
        Ok(f64::from(value))
    } else {
        Err(DemoError::Diverged(format!(
            "the loss became {value} at step {step}"
        )))
    }
}

/// A read-back or device failure, as a [`DemoError`].
pub fn device_error(message: String) -> DemoError {
    DemoError::Device(message)
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

/// Runs demo `id` with the URL `pairs` to its end on `Device::flex()`: the demos' tests.
#[cfg(test)]
pub(crate) fn run_to_done(id: &str, pairs: &[(&str, &str)]) -> Report {
    let spec = crate::demo(id).expect("a listed demo");
    let params = crate::params::parse(spec.params, pairs.iter().copied()).values;
    let mut session = Session::new(id, &params, &Device::flex()).expect("the session starts");
    loop {
        if let Step::Done(report) = pollster::block_on(session.step()).expect("a step") {
            return report;
        }
    }
}

/// A run of any demo.
#[derive(Debug)]
pub enum Session {
    CoinFlips(Box<CoinFlips>),
    BackendCheck(Box<BackendCheck>),
    BlockCodes(Box<BlockCodes>),
    TextModel(Box<TextModel>),
    Pca(Box<Pca>),
    SparseCoding(Box<SparseCoding>),
    Bases(Box<Bases>),
    Denoiser(Box<Denoiser>),
    Diffusion(Box<Diffusion>),
    /// A demo the page computes itself, run to its one report (as embeds and tests may).
    OnPage(Option<Report>),
    Redunet(Box<Redunet>),
    Mcr2(Box<Mcr2>),
    CrateLayers(Box<CrateLayers>),
    CrateDigits(Box<CrateDigits>),
}

impl Session {
    /// A session of demo `id`; `device` is where its tensors live (demos without tensors
    /// ignore it).
    pub fn new(id: &str, params: &Values, device: &Device) -> Result<Self, DemoError> {
        match id {
            "coin-flips" => Ok(Self::CoinFlips(Box::new(CoinFlips::new(params)?))),
            "block-codes" => Ok(Self::BlockCodes(Box::new(BlockCodes::new(params)?))),
            "text-model" => Ok(Self::TextModel(Box::new(TextModel::new(params, device)?))),
            "pca" => Ok(Self::Pca(Box::new(Pca::new(params, device)?))),
            "bases" => Ok(Self::Bases(Box::new(Bases::new(params, device)?))),
            "denoiser" => Ok(Self::Denoiser(Box::new(Denoiser::new(params, device)?))),
            "diffusion" => Ok(Self::Diffusion(Box::new(Diffusion::new(params, device)?))),
            "redunet" => Ok(Self::Redunet(Box::new(Redunet::new(params)?))),
            "mcr2" => Ok(Self::Mcr2(Box::new(Mcr2::new(params, device)?))),
            "crate-layers" => Ok(Self::CrateLayers(Box::new(CrateLayers::new(
                params, device,
            )?))),
            "crate-digits" => Ok(Self::CrateDigits(Box::new(CrateDigits::new(
                params, device,
            )?))),
            "rate-geometry" => match crate::compute_on_page(id, params) {
                Some(Ok(report)) => Ok(Self::OnPage(Some(report))),
                Some(Err(message)) => Err(DemoError::Invalid(message)),
                None => Err(DemoError::UnknownDemo(id.to_owned())),
            },
            "sparse-coding" => Ok(Self::SparseCoding(Box::new(SparseCoding::new(
                params, device,
            )?))),
            "backend-check" => Ok(Self::BackendCheck(Box::new(BackendCheck::new(
                params, device,
            )?))),
            other => Err(DemoError::UnknownDemo(other.to_owned())),
        }
    }

    /// The next piece of work.
    pub async fn step(&mut self) -> Result<Step, DemoError> {
        match self {
            Self::CoinFlips(session) => session.step(),
            Self::BackendCheck(session) => session.step().await,
            Self::BlockCodes(session) => session.step(),
            Self::TextModel(session) => session.step().await,
            Self::Pca(session) => session.step().await,
            Self::SparseCoding(session) => session.step().await,
            Self::Bases(session) => session.step().await,
            Self::Denoiser(session) => session.step().await,
            Self::Diffusion(session) => session.step().await,
            Self::Redunet(session) => session.step(),
            Self::Mcr2(session) => session.step().await,
            Self::CrateLayers(session) => session.step().await,
            Self::CrateDigits(session) => session.step().await,
            Self::OnPage(report) => Ok(Step::Done(report.take().unwrap_or_default())),
        }
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
