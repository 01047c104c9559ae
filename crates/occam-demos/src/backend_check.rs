//! Demo `backend-check`: a small MLP learns a regression on this machine's backend.
//!
//! It shows that burn trains here, on WebGPU or on the CPU, and how fast; `auto` times its
//! first steps on both to choose. The model is [`occam_core::mlp`]'s.

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

pub const HIDDEN: ParamSpec = ParamSpec {
    name: "hidden",
    label: "hidden units",
    help: "width of the network's hidden layer",
    kind: ParamKind::Int {
        min: 4,
        max: 1024,
        default: 64,
    },
};

pub const STEPS: ParamSpec = ParamSpec {
    name: "steps",
    label: "training steps",
    help: "optimizer steps on a batch of 256 points",
    kind: ParamKind::Int {
        min: 1,
        max: 5000,
        default: 200,
    },
};

pub const OPTIMIZER: ParamSpec = ParamSpec {
    name: "optimizer",
    label: "optimizer",
    help: "adam divides each parameter's step by its gradient's recent size, so steps stay near the step size; gd (plain gradient descent) steps by the step size times the gradient",
    kind: ParamKind::Choice {
        options: &["adam", "gd"],
        default: "adam",
    },
};

pub const LR: ParamSpec = ParamSpec {
    name: "lr",
    label: "step size",
    help: "the optimizer's step size (learning rate); with gd, above 1 the loss cannot settle (along the output bias it is a parabola of curvature 2), and well above it, at 3 say, it overflows within a few dozen steps",
    kind: ParamKind::Float {
        min: 0.0001,
        max: 10.0,
        default: 0.01,
        step: 0.0001,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const LOSS_FIRST: &str = "loss-first";
    pub const LOSS: &str = "loss";
    pub const STEPS_PER_SECOND: &str = "steps-per-second";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "backend-check",
    title: "Does burn train on this machine?",
    params: &[HIDDEN, STEPS, OPTIMIZER, LR, SEED],
    metrics: &[
        MetricSpec::new(metric::LOSS_FIRST, "loss at the first step", 5),
        MetricSpec::new(metric::LOSS, "loss now", 5),
        MetricSpec::new(metric::STEPS_PER_SECOND, "training steps per second", 1),
    ],
    uses_tensors: true,
    on_page: None,
    workload_params: &["hidden"],
};

/// The name of the loss curve.
pub const LOSS_CURVE: &str = "loss";
/// Points in a batch.
pub const BATCH: usize = 256;

#[cfg(feature = "session")]
pub use run::BackendCheck;

#[cfg(feature = "session")]
mod run {
    use occam_core::burn::prelude::Device;
    use occam_core::mlp::{RegressionTrainer, Stepper};
    use web_time::Instant;

    use super::{BATCH, HIDDEN, LOSS_CURVE, LR, OPTIMIZER, STEPS};
    use crate::params::Values;
    use crate::protocol::{Point, Report, Series};
    use crate::run::{DemoError, DemoRun, Step, read_loss, steps_in_group};

    /// Training steps between read-backs of the loss.
    const STEPS_PER_REPORT: u64 = 10;

    /// A run: training steps in groups, the loss read back after each group.
    pub struct BackendCheck {
        trainer: RegressionTrainer,
        steps: u64,
        done: u64,
        loss_curve: Vec<Point>,
        started: Option<Instant>,
        steps_per_second: f64,
        /// Plain gradient descent with a step size above 1, which cannot settle: said when the
        /// loss overflows.
        is_past_the_limit: bool,
    }

    impl std::fmt::Debug for BackendCheck {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("BackendCheck")
                .field("steps", &self.steps)
                .field("done", &self.done)
                .finish_non_exhaustive()
        }
    }

    impl DemoRun for BackendCheck {
        fn start(params: &Values, device: &Device) -> Result<Self, DemoError> {
            let hidden = params.int(HIDDEN.name)? as usize;
            let stepper = match params.choice(OPTIMIZER.name)? {
                "gd" => Stepper::GradientDescent,
                _ => Stepper::Adam,
            };
            let learning_rate = params.float(LR.name)?;
            let trainer = RegressionTrainer::with_stepper(
                device,
                hidden,
                BATCH,
                params.seed()?,
                stepper,
                learning_rate,
            );
            Ok(Self {
                trainer,
                steps: params.int(STEPS.name)?,
                done: 0,
                loss_curve: Vec::new(),
                started: None,
                steps_per_second: 0.0,
                is_past_the_limit: stepper == Stepper::GradientDescent && learning_rate > 1.0,
            })
        }

        /// Runs up to [`STEPS_PER_REPORT`] steps, then reads the loss back (asynchronously: the
        /// only kind of read-back WebGPU allows in a browser).
        async fn advance(&mut self) -> Result<Step, DemoError> {
            let started = *self.started.get_or_insert_with(Instant::now);
            let group = steps_in_group(self.done, self.steps, STEPS_PER_REPORT);
            let mut loss = None;
            for _ in 0..group {
                loss = Some(self.trainer.step());
            }
            self.done += group;
            if let Some(loss) = loss {
                let value = read_loss(loss, self.done)
                    .await
                    .map_err(|error| match error {
                        DemoError::Diverged(what) if self.is_past_the_limit => DemoError::Diverged(
                            format!("{what}: gradient descent settles here only with a step size below 1, so try a smaller one"),
                        ),
                        other => other,
                    })?;
                self.loss_curve.push((self.done as f64, value));
            }
            let seconds = started.elapsed().as_secs_f64();
            if seconds > 0.0 {
                self.steps_per_second = self.done as f64 / seconds;
            }
            Ok(Step::new(self.report(), self.done >= self.steps))
        }
    }

    impl BackendCheck {
        fn report(&self) -> Report {
            let first = self.loss_curve.first().map_or(f64::NAN, |point| point.1);
            let last = self.loss_curve.last().map_or(f64::NAN, |point| point.1);
            let metrics = [
                ("loss-first", first),
                ("loss", last),
                ("steps-per-second", self.steps_per_second),
            ]
            .into_iter()
            .filter(|(_, value)| value.is_finite())
            .map(|(name, value)| (name.to_owned(), value))
            .collect();
            Report {
                images: Vec::new(),
                clouds: Vec::new(),
                progress: self.done,
                total: self.steps,
                metrics,
                series: vec![Series {
                    name: LOSS_CURVE.to_owned(),
                    points: self.loss_curve.clone(),
                }],
                tables: Vec::new(),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::params::parse;

        #[test]
        fn loss_falls_on_the_cpu() {
            let params = parse(
                crate::backend_check::SPEC.params,
                [("steps", "120"), ("seed", "3")],
            )
            .values;
            let mut session = BackendCheck::start(&params, &Device::flex()).unwrap();
            let report = loop {
                if let Step::Done(report) = pollster::block_on(session.advance()).unwrap() {
                    break report;
                }
            };
            assert_eq!(report.progress, 120);
            let first = report.metric("loss-first").unwrap();
            assert!(report.metric("loss").unwrap() < 0.5 * first);
            assert_eq!(report.series(LOSS_CURVE).unwrap().points.len(), 1 + 12);
        }

        /// Runs to the end or to an error.
        fn run(pairs: &[(&str, &str)]) -> Result<Report, DemoError> {
            let params = parse(crate::backend_check::SPEC.params, pairs.iter().copied()).values;
            let mut session = BackendCheck::start(&params, &Device::flex())?;
            loop {
                if let Step::Done(report) = pollster::block_on(session.advance())? {
                    return Ok(report);
                }
            }
        }

        #[test]
        fn gradient_descent_past_its_limit_ends_in_a_divergence_error() {
            // Step size 3: the output bias's error is multiplied by |1 − 3·2| = 5 a step.
            let error = run(&[("optimizer", "gd"), ("lr", "3"), ("steps", "200")]).unwrap_err();
            let message = error.to_string();
            assert!(matches!(error, DemoError::Diverged(_)), "{message}");
            assert!(
                message.starts_with("training diverged: the loss became "),
                "{message}"
            );
            assert!(message.contains("step size below 1"), "{message}");
            assert!(message.contains("another seed"), "{message}");
            // Below the limit it settles.
            let report = run(&[("optimizer", "gd"), ("lr", "0.2"), ("steps", "200")]).unwrap();
            assert!(report.metric("loss").unwrap() < 0.25 * report.metric("loss-first").unwrap());
        }
    }
}
