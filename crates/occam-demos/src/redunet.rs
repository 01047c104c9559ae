//! Demo `redunet`: the network that rate reduction builds without backpropagation. Each layer
//! is one projected gradient-ascent step on ΔR whose operators E and C_j are computed from the
//! points entering it ([`occam_core::rate::ReduLayer`]); layer by layer the classes move onto
//! their own directions.

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::rate_geometry::{CLASSES, DIMENSION, EPS, POINTS, SPREAD};
use crate::{DemoSpec, MetricSpec};

pub const LAYERS: ParamSpec = ParamSpec {
    name: "layers",
    label: "layers",
    help: "how many layers (gradient steps) the network has",
    kind: ParamKind::Int {
        min: 1,
        max: 500,
        default: 20,
    },
};

pub const ETA: ParamSpec = ParamSpec {
    name: "eta",
    label: "step η",
    help: "each layer's step size along the gradient of m·ΔR (above about ε²(1 + ε²)/d ÷ 2 the classes stop settling)",
    kind: ParamKind::Float {
        min: 0.001,
        max: 2.0,
        default: 0.1,
        step: 0.01,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const DELTA_RATE: &str = "delta-rate";
    pub const DELTA_RATE_FIRST: &str = "delta-rate-first";
    pub const RATE: &str = "rate";
    pub const CLASS_RATE: &str = "class-rate";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "redunet",
    title: "ReduNet: layers that climb the rate reduction",
    params: &[CLASSES, DIMENSION, POINTS, SPREAD, LAYERS, ETA, EPS, SEED],
    metrics: &[
        MetricSpec::new(
            metric::DELTA_RATE,
            "ΔR after the last layer (nats a point)",
            3,
        ),
        MetricSpec::new(
            metric::DELTA_RATE_FIRST,
            "ΔR of the input (nats a point)",
            3,
        ),
        MetricSpec::new(metric::RATE, "R after the last layer", 3),
        MetricSpec::new(metric::CLASS_RATE, "R_c after the last layer", 3),
    ],
    uses_tensors: false,
    on_page: None,
    workload_params: &[],
};

/// The points through the layers: frame ℓ is the output of layer ℓ (frame 0 the input).
pub const LAYERS_CLOUD: &str = "layers";
/// ΔR, R and R_c by layer.
pub const DELTA_CURVE: &str = "delta-rate";
pub const RATE_CURVE: &str = "rate";
pub const CLASS_RATE_CURVE: &str = "class-rate";

#[cfg(feature = "session")]
pub use run::Redunet;

#[cfg(feature = "session")]
mod run {
    use super::metric;
    use nalgebra::DMatrix;
    use occam_core::rate::{Rates, ReduLayer, rates};

    use super::{CLASS_RATE_CURVE, DELTA_CURVE, ETA, LAYERS, LAYERS_CLOUD, RATE_CURVE};
    use crate::params::Values;
    use crate::protocol::{Cloud, Point, Report, Series};
    use crate::rate_geometry::{CLASSES, EPS, points};
    use crate::run::{DemoError, DemoRun, Step};
    use occam_core::burn::prelude::Device;

    /// Layers built per report: about 25 reports a run.
    fn layers_per_report(layers: u64) -> u64 {
        layers.div_ceil(25).max(1)
    }

    /// A run: the points, pushed through one layer after another.
    #[derive(Debug)]
    pub struct Redunet {
        z: DMatrix<f64>,
        labels: Vec<usize>,
        classes: usize,
        eps: f64,
        eta: f64,
        layers: u64,
        done: u64,
        /// Every layer's points, frame after frame.
        frames: Vec<f32>,
        measured: Vec<Rates>,
    }

    impl DemoRun for Redunet {
        fn start(params: &Values, _device: &Device) -> Result<Self, DemoError> {
            let (z, labels) = points(params).map_err(DemoError::Invalid)?;
            let classes = params.int(CLASSES.name)? as usize;
            let eps = params.float(EPS.name)?;
            let first = rates(&z, &labels, classes, eps);
            Ok(Self {
                frames: z.iter().map(|&value| value as f32).collect(),
                z,
                labels,
                classes,
                eps,
                eta: params.float(ETA.name)?,
                layers: params.int(LAYERS.name)?,
                done: 0,
                measured: vec![first],
            })
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            let group = layers_per_report(self.layers).min(self.layers - self.done);
            for _ in 0..group {
                let layer = ReduLayer::from_features(&self.z, &self.labels, self.classes, self.eps);
                self.z = layer.apply(&self.z, &self.labels, self.eta);
                let measured = rates(&self.z, &self.labels, self.classes, self.eps);
                if !measured.delta_rate.is_finite() {
                    return Err(DemoError::Diverged(format!(
                        "ΔR became {} at layer {}",
                        measured.delta_rate,
                        self.done + 1
                    )));
                }
                self.measured.push(measured);
                self.frames.extend(self.z.iter().map(|&value| value as f32));
                self.done += 1;
            }
            Ok(Step::new(self.report(), self.done >= self.layers))
        }
    }

    impl Redunet {
        fn report(&self) -> Report {
            let (first, last) = (self.measured[0], self.measured[self.measured.len() - 1]);
            let curve = |name: &str, read: fn(&Rates) -> f64| Series {
                name: name.into(),
                points: self
                    .measured
                    .iter()
                    .enumerate()
                    .map(|(layer, measured)| (layer as f64, read(measured)))
                    .collect::<Vec<Point>>(),
            };
            Report {
                progress: self.done,
                total: self.layers,
                metrics: vec![
                    (metric::DELTA_RATE.into(), last.delta_rate),
                    (metric::DELTA_RATE_FIRST.into(), first.delta_rate),
                    (metric::RATE.into(), last.rate),
                    (metric::CLASS_RATE.into(), last.class_rate),
                ],
                series: vec![
                    curve(DELTA_CURVE, |measured| measured.delta_rate),
                    curve(RATE_CURVE, |measured| measured.rate),
                    curve(CLASS_RATE_CURVE, |measured| measured.class_rate),
                ],
                images: Vec::new(),
                clouds: vec![Cloud {
                    name: LAYERS_CLOUD.into(),
                    dimension: self.z.nrows(),
                    frames: self.measured.len(),
                    coords: self.frames.clone(),
                    labels: self.labels.iter().map(|&label| label as u32).collect(),
                }],
                tables: Vec::new(),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn the_default_network_puts_two_classes_on_orthogonal_lines() {
            let report = crate::session::run_to_done("redunet", &[("seed", "3")]);
            assert_eq!(report.progress, 20);
            // Two equal classes on orthogonal lines of the plane: R = ½ ln det(I + (2/(m ε²))
            // (m/2) I) = ln(1 + 1/ε²) = ln 5 and R_c = ½ ln(1 + 2/ε²) = ln 3, so ΔR* = ln(5/3).
            let optimum = (5.0f64 / 3.0).ln();
            let first = report.metric("delta-rate-first").unwrap();
            let last = report.metric("delta-rate").unwrap();
            assert!(first < optimum - 0.1, "{first}");
            assert!((last - optimum).abs() < 0.01, "{last} vs {optimum}");
            let curve = &report.series(DELTA_CURVE).unwrap().points;
            assert_eq!(curve.len(), 21);
            assert!(
                curve.windows(2).all(|pair| pair[1].1 >= pair[0].1 - 1e-9),
                "{curve:?}"
            );
            let cloud = report.cloud(LAYERS_CLOUD).unwrap();
            assert_eq!(
                (cloud.frames, cloud.count(), cloud.labels.len()),
                (21, 80, 80)
            );
        }

        #[test]
        fn three_classes_in_space_rise_too() {
            let report = crate::session::run_to_done(
                "redunet",
                &[
                    ("classes", "3"),
                    ("dimension", "3"),
                    ("layers", "40"),
                    ("seed", "2"),
                ],
            );
            // Three orthogonal lines of R³ (the optimum when they fit): R = ln(1 + 1/ε²)·3/2
            // = 1.5 ln 5, R_c = ½ ln(1 + 3/ε²) = ½ ln 13.
            let optimum = 1.5 * 5f64.ln() - 0.5 * 13f64.ln();
            let last = report.metric("delta-rate").unwrap();
            assert!(last > report.metric("delta-rate-first").unwrap() + 0.3);
            assert!((last - optimum).abs() < 0.05, "{last} vs {optimum}");
        }
    }
}
