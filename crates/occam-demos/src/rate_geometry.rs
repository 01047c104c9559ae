//! Demo `rate-geometry`: points of 2 or 3 classes on the circle or the sphere, and their coding
//! rates R, R_c and ΔR at precision ε, computed by the page itself whenever a value changes
//! (nothing to train; [`crate::DemoSpec::on_page`]).
//!
//! What the rate counts, drawn by the figure: with λᵢ the eigenvalues of Z Zᵀ,
//!
//! R = ½ Σᵢ ln(1 + d λᵢ/(m ε²)) = ln( Πᵢ rᵢ / ε^d ),  rᵢ = √(ε² + d λᵢ/m),
//!
//! the logarithm of how many ε-balls fit (by volume) in the ellipsoid with semi-axes rᵢ along
//! Z Zᵀ's eigenvectors: the ellipsoid whose shape matrix is ε² I + (d/m) Z Zᵀ ([`ellipsoid`]).

use nalgebra::DMatrix;
use occam_core::rate::{gaussian_classes_on_sphere, rates};
use occam_core::rng::seeded;

use crate::params::{ParamKind, ParamSpec, SEED, Values};
use crate::protocol::{Cloud, Report};
use crate::{DemoSpec, MetricSpec};

pub const CLASSES: ParamSpec = ParamSpec {
    name: "classes",
    label: "classes",
    help: "how many classes of points",
    kind: ParamKind::Int {
        min: 2,
        max: 3,
        default: 2,
    },
};

pub const DIMENSION: ParamSpec = ParamSpec {
    name: "dimension",
    label: "dimension",
    help: "2: points on the circle; 3: points on the sphere",
    kind: ParamKind::Int {
        min: 2,
        max: 3,
        default: 2,
    },
};

pub const POINTS: ParamSpec = ParamSpec {
    name: "points",
    label: "points per class",
    help: "how many points each class has",
    kind: ParamKind::Int {
        min: 2,
        max: 400,
        default: 40,
    },
};

pub const SPREAD: ParamSpec = ParamSpec {
    name: "spread",
    label: "spread",
    help: "how far each class strays from its own direction (the standard deviation of the Gaussian noise added before projecting to the sphere)",
    kind: ParamKind::Float {
        min: 0.0,
        max: 3.0,
        default: 0.4,
        step: 0.05,
    },
};

pub const EPS: ParamSpec = ParamSpec {
    name: "eps",
    label: "precision ε",
    help: "the precision ε the features are coded to (a squared error of ε² per point)",
    kind: ParamKind::Float {
        min: 0.01,
        max: 4.0,
        default: 0.5,
        step: 0.05,
    },
};

// `classes`, `dimension`, `points`, `spread`, `eps` and `seed` are shared with `redunet` on the
// chapter page: the same defaults in both.
/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const RATE: &str = "rate";
    pub const CLASS_RATE: &str = "class-rate";
    pub const DELTA_RATE: &str = "delta-rate";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "rate-geometry",
    title: "What the coding rate counts",
    params: &[CLASSES, DIMENSION, POINTS, SPREAD, EPS, SEED],
    metrics: &[
        MetricSpec::new(metric::RATE, "R: the whole set (nats a point)", 3),
        MetricSpec::new(metric::CLASS_RATE, "R_c: class by class (nats a point)", 3),
        MetricSpec::new(metric::DELTA_RATE, "ΔR = R − R_c (nats a point)", 3),
    ],
    uses_tensors: false,
    on_page: Some(compute),
    workload_params: &[],
};

/// The points, with their classes.
pub const POINTS_CLOUD: &str = "points";

/// The points `values` describe: d × m, labels in class order.
pub fn points(values: &Values) -> Result<(DMatrix<f64>, Vec<usize>), String> {
    let read = |name: &str| values.int(name).map_err(|error| error.to_string());
    let classes = read(CLASSES.name)? as usize;
    let dimension = read(DIMENSION.name)? as usize;
    let per_class = read(POINTS.name)? as usize;
    let spread = values
        .float(SPREAD.name)
        .map_err(|error| error.to_string())?;
    let seed = values.seed().map_err(|error| error.to_string())?;
    Ok(gaussian_classes_on_sphere(
        classes,
        dimension,
        per_class,
        spread,
        &mut seeded(seed),
    ))
}

/// The rates of the points `values` describe, and the points as a labelled cloud.
pub fn compute(values: &Values) -> Result<Report, String> {
    let (z, labels) = points(values)?;
    let classes = values
        .int(CLASSES.name)
        .map_err(|error| error.to_string())? as usize;
    let eps = values.float(EPS.name).map_err(|error| error.to_string())?;
    let measured = rates(&z, &labels, classes, eps);
    let metrics = vec![
        ("rate".to_owned(), measured.rate),
        ("class-rate".to_owned(), measured.class_rate),
        ("delta-rate".to_owned(), measured.delta_rate),
    ];
    if metrics.iter().any(|(_, value)| !value.is_finite()) {
        return Err("the rates could not be computed for these values".to_owned());
    }
    let coords = z.iter().map(|&value| value as f32).collect();
    Ok(Report {
        progress: 1,
        total: 1,
        metrics,
        series: Vec::new(),
        images: Vec::new(),
        clouds: vec![
            Cloud::new(POINTS_CLOUD, z.nrows(), coords)
                .with_labels(labels.iter().map(|&label| label as u32).collect()),
        ],
        tables: Vec::new(),
    })
}

/// The ellipsoid whose volume in ε-balls the rate counts: shape matrix S = ε² I + (d/m) Z Zᵀ
/// (d × d, row-major) of the m points `points` (d numbers each, one after the other), the set
/// {S^½ u : ‖u‖ ≤ 1}; so R = ln √(det S / ε^{2d}). For a class, pass its points alone:
/// ½ ln det(S_j/ε²) is the rate of coding that class by itself.
pub fn ellipsoid(points: &[f32], dimension: usize, eps: f64) -> Vec<f64> {
    let d = dimension.max(1);
    let m = points.len() / d;
    let scale = d as f64 / m.max(1) as f64;
    let mut shape = vec![0.0; d * d];
    for point in points.chunks_exact(d) {
        for i in 0..d {
            for j in 0..d {
                shape[i * d + j] += scale * f64::from(point[i]) * f64::from(point[j]);
            }
        }
    }
    for i in 0..d {
        shape[i * d + i] += eps * eps;
    }
    shape
}

/// The points of `cloud`-like data (`points`, d numbers each) whose label is `class`.
pub fn class_points(points: &[f32], labels: &[u32], dimension: usize, class: u32) -> Vec<f32> {
    points
        .chunks_exact(dimension.max(1))
        .zip(labels)
        .filter(|(_, label)| **label == class)
        .flat_map(|(point, _)| point.iter().copied())
        .collect()
}

#[cfg(feature = "session")]
crate::run::computed_run!(RateGeometry, compute);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::parse;

    fn values(pairs: &[(&str, &str)]) -> Values {
        parse(SPEC.params, pairs.iter().copied()).values
    }

    #[test]
    fn the_rate_is_the_log_volume_of_the_ellipsoid_in_eps_balls() {
        let values = values(&[("classes", "3"), ("dimension", "3"), ("seed", "4")]);
        let report = compute(&values).expect("computed");
        let cloud = report.cloud(POINTS_CLOUD).unwrap();
        let eps = 0.5;
        // ln of (volume of the ellipsoid) / (volume of an ε-ball) = ½ ln det S − d ln ε, with
        // the determinant by nalgebra's LU (the rates use a Cholesky factor).
        let log_volume = |shape: Vec<f64>| {
            0.5 * DMatrix::from_row_slice(3, 3, &shape).determinant().ln() - 3.0 * f64::ln(eps)
        };
        let rate = log_volume(ellipsoid(&cloud.coords, 3, eps));
        assert!((report.metric("rate").unwrap() - rate).abs() < 1e-6);
        let class_rate: f64 = (0..3)
            .map(|class| {
                let points = class_points(&cloud.coords, &cloud.labels, 3, class);
                (points.len() / 3) as f64 / cloud.count() as f64
                    * log_volume(ellipsoid(&points, 3, eps))
            })
            .sum();
        assert!((report.metric("class-rate").unwrap() - class_rate).abs() < 1e-6);
        let delta = report.metric("delta-rate").unwrap();
        assert!((delta - (rate - class_rate)).abs() < 1e-9 && delta > 0.0);
        assert_eq!(
            (cloud.dimension, cloud.count(), cloud.labels.len()),
            (3, 120, 120)
        );
    }

    #[test]
    fn tighter_classes_code_in_fewer_nats() {
        let class_rate = |spread: &str| {
            compute(&values(&[("spread", spread)]))
                .expect("computed")
                .metric("class-rate")
                .unwrap()
        };
        // Each class bunched on its direction is nearly one line: R_c falls towards that of
        // a single direction, ½ ln(1 + 2/ε²) = ½ ln 9 ≈ 1.10 at ε = ½, and rises with spread.
        let (tight, loose) = (class_rate("0.05"), class_rate("1.5"));
        assert!(tight < loose, "{tight} vs {loose}");
        assert!((tight - 0.5 * 9f64.ln()).abs() < 0.05, "{tight}");
    }
}
