//! The figures of chapter `coding-rate`: the coding rate counts the bits of a cloud of features up to ε;
//! maximal coding rate reduction (MCR²) expands the whole set and compresses each class.

use leptos::prelude::*;
use occam_demos::{mcr2, rate_geometry, redunet};

use crate::demo::{DemoState, Status};
use crate::images::ImageGrid;
use crate::plot::{Curve, Figure, Level, LinePlot};
use crate::scatter::{Layer, Outline, PlayerWords, Scatter, TrajectoryPlayer};

/// Curve classes of the plot style, one per class of points.
const CLASS_CURVES: [&str; 10] = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"];

/// The points on the circle or sphere, the ellipse whose volume in ε-balls the whole set's rate
/// counts, each class's ellipse, and an ε-ball for scale.
pub fn rate_geometry(state: DemoState) -> AnyView {
    let eps = move || {
        state
            .values
            .with(|values| values.float(rate_geometry::EPS.name).unwrap_or(0.5))
    };
    let points = Signal::derive(move || {
        state
            .cloud(rate_geometry::POINTS_CLOUD)
            .map(|cloud| Layer {
                label: "points (colour: class)".into(),
                class: "classes",
                cloud,
            })
            .into_iter()
            .collect::<Vec<_>>()
    });
    let outlines = Signal::derive(move || {
        let Some(cloud) = state.cloud(rate_geometry::POINTS_CLOUD) else {
            return Vec::new();
        };
        let (d, eps) = (cloud.dimension, eps());
        let sphere: Vec<f64> = (0..d * d)
            .map(|index| if index % (d + 1) == 0 { 1.0 } else { 0.0 })
            .collect();
        let mut outlines = vec![
            Outline::of_ellipsoid("sphere", &sphere, d),
            Outline::of_ellipsoid("whole", &rate_geometry::ellipsoid(&cloud.coords, d, eps), d),
        ];
        let classes = cloud
            .labels
            .iter()
            .copied()
            .max()
            .map_or(0, |last| last + 1);
        for class in 0..classes {
            let points = rate_geometry::class_points(&cloud.coords, &cloud.labels, d, class);
            outlines.push(Outline::of_ellipsoid(
                CLASS_CURVES[class.min(9) as usize],
                &rate_geometry::ellipsoid(&points, d, eps),
                d,
            ));
        }
        // An ε-ball in the top left corner, for scale.
        let mut ball = Outline::of_ellipsoid("eps-ball", &[eps * eps, 0.0, 0.0, eps * eps], 2);
        ball.center = (-1.95 + eps, 1.95 - eps);
        outlines.push(ball);
        outlines
    });
    let note = move || {
        let rate = state.metric(rate_geometry::metric::RATE)?;
        let class_rate = state.metric(rate_geometry::metric::CLASS_RATE)?;
        let delta = state.metric(rate_geometry::metric::DELTA_RATE)?;
        Some(view! {
            <p class="note full">
                {format!(
                    "About e^R = {:.0} ε-balls fit in the dashed grey ellipse (R = {rate:.3} nats, {:.2} bits a point). Class by class, the coloured ellipses hold e^Rc = {:.1} on average (Rc = {class_rate:.3}): knowing the classes saves ΔR = {delta:.3} nats ({:.2} bits) a point.",
                    rate.exp(),
                    rate / std::f64::consts::LN_2,
                    class_rate.exp(),
                    delta / std::f64::consts::LN_2,
                )}
            </p>
        })
    };
    view! {
        <div class="figures">
            <Scatter layers=points outlines=outlines half=2.0
                caption="The dashed grey ellipse has the shape matrix ε²I + (d/m)ZZᵀ: the rate R is the log of how many ε-balls (the small circle) fit in it. Each coloured ellipse is the same for one class alone."
                description="Points of each class on the unit circle or sphere, with the ellipse of the whole set, one ellipse per class, and a small circle of radius epsilon."/>
            {note}
        </div>
    }
    .into_any()
}

/// The points moving layer by layer, and ΔR, R and R_c by layer.
pub fn redunet(state: DemoState) -> AnyView {
    let curves = Signal::derive(move || {
        let (classes, eps) = state.values.with(|values| {
            (
                values.int(rate_geometry::CLASSES.name).unwrap_or(2) as f64,
                values.float(rate_geometry::EPS.name).unwrap_or(0.5),
            )
        });
        let dimension = state
            .values
            .with(|values| values.int(rate_geometry::DIMENSION.name).unwrap_or(2) as f64);
        // Equal classes on mutually orthogonal lines (when the dimension leaves room): R =
        // (k/2) ln(1 + d/(k ε²)) and R_c = ½ ln(1 + d/ε²).
        let levels = (classes <= dimension)
            .then(|| {
                let optimum = classes / 2.0 * (1.0 + dimension / (classes * eps * eps)).ln()
                    - 0.5 * (1.0 + dimension / (eps * eps)).ln();
                Level {
                    label: format!("classes on orthogonal lines: ΔR = {optimum:.3}"),
                    y: optimum,
                }
            })
            .into_iter()
            .collect();
        Figure {
            curves: vec![
                Curve {
                    label: "ΔR".into(),
                    class: "one",
                    points: state.series(redunet::DELTA_CURVE),
                },
                Curve {
                    label: "R (whole set)".into(),
                    class: "two",
                    points: state.series(redunet::RATE_CURVE),
                },
                Curve {
                    label: "Rc (class by class)".into(),
                    class: "three",
                    points: state.series(redunet::CLASS_RATE_CURVE),
                },
            ],
            levels,
            ..Figure::default()
        }
    });
    view! {
        <div class="figures">
            <div class="full">
                <TrajectoryPlayer
                    trajectories=Signal::derive(move || state.cloud(redunet::LAYERS_CLOUD))
                    data=Signal::derive(|| None)
                    is_done=Signal::derive(move || state.status.get() == Status::Done)
                    words=PlayerWords::LAYERS
                    caption="Each point through the layers (colour: class), with a trail of its last dozen layers."
                    description="The points of each class moving layer by layer on the circle or sphere."/>
            </div>
            <div class="full">
                <LinePlot figure=curves x_label="layer" y_label="nats a point" description="The rate reduction, the whole set's rate and the class rate after each layer."/>
            </div>
        </div>
    }
    .into_any()
}

/// Training curves, the Gram matrix of test features, each class's singular values and the
/// principal angles between classes.
pub fn mcr2(state: DemoState) -> AnyView {
    let training = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "ΔR of the training features".into(),
            class: "one",
            points: state.series(mcr2::DELTA_CURVE),
        }],
        ..Figure::default()
    });
    let accuracy = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "nearest-subspace accuracy (test)".into(),
            class: "two",
            points: state.series(mcr2::ACCURACY_CURVE),
        }],
        y_range: Some((0.0, 1.0)),
        ..Figure::default()
    });
    let spectra = Signal::derive(move || Figure {
        curves: (0..10)
            .filter_map(|class| {
                let points = state.series(&format!("{}{class}", mcr2::SINGULAR_VALUES));
                (!points.is_empty()).then(|| Curve {
                    label: format!("class {class}"),
                    class: CLASS_CURVES[class],
                    points,
                })
            })
            .collect(),
        ..Figure::default()
    });
    let angles = move || {
        let images = state.images(mcr2::ANGLES)?;
        let classes = images.width;
        let header = (0..classes)
            .map(|class| view! { <th scope="col">{class}</th> })
            .collect_view();
        let rows = (0..classes)
            .map(|a| {
                let cells = (0..classes)
                    .map(|b| {
                        let degrees = 90.0 * f64::from(images.pixels[a * classes + b]);
                        view! { <td>{if a == b { "—".to_owned() } else { format!("{degrees:.0}°") }}</td> }
                    })
                    .collect_view();
                view! { <tr><th scope="row">{a}</th>{cells}</tr> }
            })
            .collect_view();
        Some(view! {
            <figure class="angles full" data-angles>
                <table>
                    <thead><tr><th></th>{header}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
                <figcaption>"Mean principal angle between each two classes' subspaces (90°: orthogonal)."</figcaption>
            </figure>
        })
    };
    view! {
        <div class="figures">
            <LinePlot figure=training x_label="training step" y_label="ΔR (nats a point)" description="The rate reduction of the training features by step."/>
            <LinePlot figure=accuracy x_label="training step" y_label="accuracy" description="The share of test points classified correctly by the nearest class subspace, by step."/>
            <div class="gram">
                <ImageGrid images=Signal::derive(move || state.images(mcr2::GRAM))
                    caption=Signal::derive(|| "|zᵢᵀzⱼ| for test points sorted by class: white 0 (orthogonal), black 1 (the same direction). Blocks on the diagonal and white elsewhere: each class in its own subspace.".to_owned())/>
            </div>
            <LinePlot figure=spectra x_label="k" y_label="σₖ / √mⱼ" description="The singular values of each class's features: a few large ones mean the class fills a low-dimensional subspace."/>
            {angles}
        </div>
    }
    .into_any()
}
