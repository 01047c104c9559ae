//! Demo `mdl-curve`: noisy points from a curve, polynomials of every degree fitted by least
//! squares, and the degree that minimum description length picks (the shortest two-part code,
//! [`occam_core::mdl`]) beside the one that does best on fresh points and the one 5-fold
//! cross-validation picks. Computed by the page itself whenever a value changes
//! ([`crate::DemoSpec::on_page`]): a few hundred small least-squares fits.

use occam_core::mdl::{
    Curve, argmin, cross_validation, evaluate, fit, mean_squared_error, two_part,
};
use occam_core::rng::{normal, seeded, uniform};

use crate::params::{ParamKind, ParamSpec, SEED, Values};
use crate::protocol::{Report, Series};
use crate::{DemoSpec, MetricSpec};

pub const CURVE: ParamSpec = ParamSpec {
    name: "curve",
    label: "curve",
    help: "the curve the points come from: sine (sin 3x), cubic (2x³ − x), step (−½, then ½ from x = 0), line (0.8x)",
    kind: ParamKind::Choice {
        options: &["sine", "cubic", "step", "line"],
        default: "sine",
    },
};

pub const POINTS: ParamSpec = ParamSpec {
    name: "points",
    label: "points",
    help: "how many noisy points the polynomials are fitted to",
    kind: ParamKind::Int {
        min: 5,
        max: 200,
        default: 20,
    },
};

pub const NOISE: ParamSpec = ParamSpec {
    name: "noise",
    label: "noise σ",
    help: "the standard deviation of the Gaussian noise added to each point (the residuals are coded at this level)",
    kind: ParamKind::Float {
        min: 0.01,
        max: 1.0,
        default: 0.2,
        step: 0.01,
    },
};

pub const MAX_DEGREE: ParamSpec = ParamSpec {
    name: "max-degree",
    label: "highest degree",
    help: "polynomials of degree 0 up to this one are fitted",
    kind: ParamKind::Int {
        min: 1,
        max: 15,
        default: 12,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const MDL_DEGREE: &str = "mdl-degree";
    pub const BEST_TEST_DEGREE: &str = "best-test-degree";
    pub const CV_DEGREE: &str = "cv-degree";
    pub const TOTAL_BITS: &str = "total-bits";
    pub const MODEL_BITS: &str = "model-bits";
    pub const DATA_BITS: &str = "data-bits";
    pub const TRAIN_ERROR: &str = "train-error";
    pub const TEST_ERROR: &str = "test-error";
    pub const CV_ERROR: &str = "cv-error";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "mdl-curve",
    title: "The degree the shortest code picks",
    params: &[CURVE, POINTS, NOISE, MAX_DEGREE, SEED],
    metrics: &[
        MetricSpec::new(
            metric::MDL_DEGREE,
            "degree with the shortest two-part code",
            0,
        ),
        MetricSpec::new(metric::BEST_TEST_DEGREE, "degree best on fresh points", 0),
        MetricSpec::new(metric::CV_DEGREE, "degree 5-fold cross-validation picks", 0),
        MetricSpec::list(metric::TOTAL_BITS, "two-part code by degree (bits)", 1),
        MetricSpec::list(metric::MODEL_BITS, "model part by degree (bits)", 1),
        MetricSpec::list(metric::DATA_BITS, "data part by degree (bits)", 1),
        MetricSpec::list(
            metric::TRAIN_ERROR,
            "training error by degree (mean square)",
            4,
        ),
        MetricSpec::list(
            metric::TEST_ERROR,
            "error on fresh points by degree (mean square)",
            4,
        ),
        MetricSpec::list(
            metric::CV_ERROR,
            "cross-validation error by degree (mean square)",
            4,
        ),
    ],
    uses_tensors: false,
    on_page: Some(compute),
    workload_params: &[],
};

/// The training points, as a curve of (x, y) sorted by x.
pub const POINTS_SERIES: &str = "points";
/// MDL's polynomial, sampled across [−1, 1].
pub const MDL_FIT: &str = "mdl-fit";
/// The highest degree's polynomial.
pub const HIGHEST_FIT: &str = "highest-fit";
/// The curve the points come from.
pub const TRUE_CURVE: &str = "true-curve";

/// Fresh points the test error is measured on.
pub const FRESH_POINTS: usize = 1000;

/// Folds of the cross-validation.
pub const FOLDS: usize = 5;

fn curve(name: &str) -> Curve {
    match name {
        "cubic" => Curve::Cubic,
        "step" => Curve::Step,
        "line" => Curve::Line,
        _ => Curve::Sine,
    }
}

/// `n` points of `curve` with noise `sigma`: x uniform in [−1, 1].
fn draw(
    curve: Curve,
    n: usize,
    sigma: f64,
    rng: &mut occam_core::rng::SeededRng,
) -> (Vec<f64>, Vec<f64>) {
    let xs: Vec<f64> = uniform(-1.0, 1.0, n, rng)
        .into_iter()
        .map(f64::from)
        .collect();
    let ys = xs
        .iter()
        .zip(normal(n, rng))
        .map(|(&x, e)| curve.value(x) + sigma * f64::from(e))
        .collect();
    (xs, ys)
}

/// Samples of a polynomial (or the curve) across [−1, 1], for drawing.
fn sampled(f: impl Fn(f64) -> f64) -> Vec<(f64, f64)> {
    (0..=200)
        .map(|i| {
            let x = -1.0 + i as f64 / 100.0;
            (x, f(x))
        })
        .collect()
}

/// Every degree's fit and code, and the three picks.
pub fn compute(values: &Values) -> Result<Report, String> {
    let read = |name: &str| values.int(name).map_err(|error| error.to_string());
    let n = read(POINTS.name)? as usize;
    let max_degree = read(MAX_DEGREE.name)? as usize;
    let sigma = values
        .float(NOISE.name)
        .map_err(|error| error.to_string())?;
    let chosen = curve(
        values
            .choice(CURVE.name)
            .map_err(|error| error.to_string())?,
    );
    let mut rng = seeded(values.seed().map_err(|error| error.to_string())?);
    let (xs, ys) = draw(chosen, n, sigma, &mut rng);
    let (fresh_xs, fresh_ys) = draw(chosen, FRESH_POINTS, sigma, &mut rng);
    let degrees: Vec<usize> = (0..=max_degree).collect();
    let fits: Vec<Vec<f64>> = degrees.iter().map(|&d| fit(&xs, &ys, d)).collect();
    let codes: Vec<_> = fits.iter().map(|c| two_part(c, &xs, &ys, sigma)).collect();
    let totals: Vec<f64> = codes.iter().map(|code| code.total_bits()).collect();
    let train: Vec<f64> = fits
        .iter()
        .map(|c| mean_squared_error(c, &xs, &ys))
        .collect();
    let test: Vec<f64> = fits
        .iter()
        .map(|c| mean_squared_error(c, &fresh_xs, &fresh_ys))
        .collect();
    let cv: Vec<f64> = degrees
        .iter()
        .map(|&d| cross_validation(&xs, &ys, d, FOLDS))
        .collect();
    let mdl = argmin(&totals);
    let by_degree = |name: &str, values: Vec<f64>| Series {
        name: name.to_owned(),
        points: degrees.iter().map(|&d| d as f64).zip(values).collect(),
    };
    let all_finite = totals
        .iter()
        .chain(&train)
        .chain(&test)
        .chain(&cv)
        .all(|value| value.is_finite());
    if !all_finite {
        return Err("the fits could not be computed for these values".to_owned());
    }
    let mut points: Vec<(f64, f64)> = xs.iter().copied().zip(ys.iter().copied()).collect();
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mdl_fit = codes[mdl].coefficients.clone();
    let highest = fits[max_degree].clone();
    Ok(Report {
        progress: 1,
        total: 1,
        metrics: vec![
            (metric::MDL_DEGREE.to_owned(), mdl as f64),
            (metric::BEST_TEST_DEGREE.to_owned(), argmin(&test) as f64),
            (metric::CV_DEGREE.to_owned(), argmin(&cv) as f64),
        ],
        series: vec![
            by_degree(metric::TOTAL_BITS, totals),
            by_degree(
                metric::MODEL_BITS,
                codes.iter().map(|code| code.model_bits).collect(),
            ),
            by_degree(
                metric::DATA_BITS,
                codes.iter().map(|code| code.data_bits).collect(),
            ),
            by_degree(metric::TRAIN_ERROR, train),
            by_degree(metric::TEST_ERROR, test),
            by_degree(metric::CV_ERROR, cv),
            Series {
                name: POINTS_SERIES.to_owned(),
                points,
            },
            Series {
                name: MDL_FIT.to_owned(),
                points: sampled(|x| evaluate(&mdl_fit, x)),
            },
            Series {
                name: HIGHEST_FIT.to_owned(),
                points: sampled(|x| evaluate(&highest, x)),
            },
            Series {
                name: TRUE_CURVE.to_owned(),
                points: sampled(|x| chosen.value(x)),
            },
        ],
        ..Report::default()
    })
}

#[cfg(feature = "session")]
crate::run::computed_run!(MdlCurve, compute);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::parse;

    fn run(pairs: &[(&str, &str)]) -> Report {
        compute(&parse(SPEC.params, pairs.iter().copied()).values).unwrap()
    }

    #[test]
    fn the_same_seed_gives_the_same_picks_and_lists_cover_every_degree() {
        let first = run(&[("seed", "4")]);
        assert_eq!(first, run(&[("seed", "4")]));
        assert_ne!(first, run(&[("seed", "5")]));
        for name in [metric::TOTAL_BITS, metric::TRAIN_ERROR, metric::TEST_ERROR] {
            let degrees: Vec<f64> = first
                .series(name)
                .unwrap()
                .points
                .iter()
                .map(|p| p.0)
                .collect();
            assert_eq!(
                degrees,
                (0..=12).map(f64::from).collect::<Vec<_>>(),
                "{name}"
            );
        }
    }

    #[test]
    fn mdl_avoids_the_highest_degree_that_fits_best() {
        // Over several seeds, the default sine: the training error always falls to degree 12,
        // but the shortest code stops far below it, and within two degrees of what is best on
        // fresh points.
        for seed in 1..=5 {
            let report = run(&[("seed", &seed.to_string())]);
            let train = &report.series(metric::TRAIN_ERROR).unwrap().points;
            assert!(train[12].1 < train[3].1, "seed {seed}");
            let mdl = report.metric(metric::MDL_DEGREE).unwrap();
            let best = report.metric(metric::BEST_TEST_DEGREE).unwrap();
            assert!(mdl <= 8.0, "seed {seed}: {mdl}");
            assert!(
                (mdl - best).abs() <= 3.0,
                "seed {seed}: {mdl} against {best}"
            );
        }
    }

    #[test]
    fn a_line_is_picked_as_a_line() {
        // With little noise, a straight line costs two coefficients; every higher one rounds
        // to zero and only adds its bit.
        let report = run(&[("curve", "line"), ("noise", "0.05"), ("points", "50")]);
        assert_eq!(report.metric(metric::MDL_DEGREE), Some(1.0));
        assert_eq!(
            report.metric(metric::BEST_TEST_DEGREE).map(|d| d <= 3.0),
            Some(true)
        );
    }
}
