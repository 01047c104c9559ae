//! The figures of chapter `pca-sparse`: data lives near low-dimensional subspaces; finding them compresses it.

use leptos::prelude::*;
use occam_demos::{bases, pca, sparse_coding};

use crate::demo::DemoState;
use crate::images::ImageGrid;
use crate::plot::{Curve, Figure, Level, LinePlot};

/// A line with a point per value, for a series plotted as a staircase (histograms).
fn steps(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    points
        .iter()
        .flat_map(|&(x, y)| [(x - 0.5, y), (x + 0.5, y)])
        .collect()
}

/// A caption that never changes.
fn fixed(text: &'static str) -> Signal<String> {
    Signal::derive(move || text.to_owned())
}

/// The report's image grids `(name, caption)`, one under another.
fn pictures(state: DemoState, grids: Vec<(&'static str, Signal<String>)>) -> impl IntoView {
    let grids = grids
        .into_iter()
        .map(|(name, caption)| view! { <ImageGrid images=Signal::derive(move || state.images(name)) caption=caption/> })
        .collect_view();
    view! { <div class="full pictures">{grids}</div> }
}

pub fn pca(state: DemoState) -> AnyView {
    let k = move || {
        state
            .values
            .with(|values| values.int(pca::K.name).unwrap_or(10)) as f64
    };
    let residual = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "residual (log₁₀)".into(),
            class: "one",
            points: state
                .series(pca::RESIDUAL_CURVE)
                .into_iter()
                .map(|(x, y)| (x, y.max(1e-12).log10()))
                .collect(),
        }],
        levels: vec![Level {
            label: "stop: 10⁻⁴".into(),
            y: -4.0,
        }],
        y_range: Some((-7.0, 0.0)),
        ..Figure::default()
    });
    let spectrum = Signal::derive(move || {
        let explained = state.series(pca::EXPLAINED_CURVE);
        let marker = explained
            .iter()
            .find(|(x, _)| *x == k())
            .map(|&(x, y)| (x, y, format!("k = {x}: {:.1}%", 100.0 * y)));
        let variances = state.series(pca::SPECTRUM);
        let largest = variances.iter().map(|p| p.1).fold(0.0f64, f64::max);
        Figure {
            curves: vec![
                Curve {
                    label: "explained variance EV(k)".into(),
                    class: "one",
                    points: explained,
                },
                Curve {
                    label: "λ_k / λ₁ (the spectrum)".into(),
                    class: "two",
                    points: variances
                        .into_iter()
                        .map(|(x, y)| (x, if largest > 0.0 { y / largest } else { 0.0 }))
                        .collect(),
                },
            ],
            markers: marker.into_iter().collect(),
            x_range: Some((0.0, 64.0)),
            y_range: Some((0.0, 1.05)),
            ..Figure::default()
        }
    });
    let bits = move || {
        let coded = state.metric(pca::metric::BITS_PER_IMAGE)?;
        let raw = state.metric(pca::metric::RAW_BITS_PER_IMAGE)?;
        let coefficients = state
            .metric(pca::metric::COEFFICIENT_BITS_PER_IMAGE)
            .unwrap_or(0.0);
        let model = state
            .metric(pca::metric::MODEL_BITS_PER_IMAGE)
            .unwrap_or(0.0);
        // Set through the element's style object, which a strict Content-Security-Policy allows
        // where a `style` attribute is refused.
        let width = |bits: f64| {
            (
                "width",
                format!("{:.1}%", 100.0 * (bits / raw.max(coded)).min(1.0)),
            )
        };
        Some(view! {
            <div class="bit-bars full" data-bits>
                <div class="bar-row"><span class="bar-label">"raw 8-bit pixels"</span><span class="bar raw" style=width(raw)></span><span class="num">{format!("{raw:.0} bits")}</span></div>
                <div class="bar-row"><span class="bar-label">{format!("{} coefficients, coded", k())}</span><span class="bar coded" style=width(coded) title=format!("coefficients {coefficients:.1} + model {model:.1}")></span><span class="num">{format!("{coded:.1} bits")}</span></div>
                <p class="note">{format!("Per image: {coefficients:.1} bits of coefficients plus {model:.1} bits for its share of the basis and mean; {:.1}× fewer than raw.", raw / coded.max(1e-9))}</p>
            </div>
        })
    };
    view! {
        <div class="figures">
            <LinePlot figure=residual x_label="subspace iterations" y_label="log₁₀ residual" description="How far the subspace iteration's columns are from eigenvectors, falling as it iterates."/>
            <LinePlot figure=spectrum x_label="components k" y_label="fraction" description="The explained variance for each k, and the eigenvalues relative to the largest."/>
            {bits}
            {pictures(state, vec![
                (pca::COMPONENTS, fixed("The first principal components (red positive, blue negative, each scaled to its largest value).")),
                (pca::ORIGINALS, fixed("Originals, as PCA saw them.")),
                (pca::RECONSTRUCTIONS, Signal::derive(move || format!("The same images decoded from {} coded coefficients each.", k()))),
            ])}
        </div>
    }
    .into_any()
}

pub fn sparse_coding(state: DemoState) -> AnyView {
    let objective = Signal::derive(move || {
        let steps = state
            .values
            .with(|values| values.int(sparse_coding::STEPS.name).unwrap_or(1))
            as f64;
        Figure {
            curves: vec![Curve {
                label: "lasso objective per digit".into(),
                class: "one",
                points: state.series(sparse_coding::OBJECTIVE_CURVE),
            }],
            x_range: Some((0.0, steps.max(1.0))),
            ..Figure::default()
        }
    });
    let histogram = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "digits".into(),
            class: "two",
            points: steps(&state.series(sparse_coding::NONZEROS_HISTOGRAM)),
        }],
        ..Figure::default()
    });
    view! {
        <div class="figures">
            <LinePlot figure=objective x_label="epoch" y_label="objective" description="The dictionary-learning objective after each epoch; it never rises."/>
            <LinePlot figure=histogram x_label="nonzero coefficients in a digit's code" y_label="digits" description="How many digits use each number of atoms."/>
            {pictures(state, vec![
                (sparse_coding::ATOM_IMAGES, fixed("The learned atoms (red positive, blue negative).")),
                (sparse_coding::ORIGINALS, fixed("Digits.")),
                (sparse_coding::RECONSTRUCTIONS, fixed("The same digits rebuilt from their sparse codes.")),
            ])}
        </div>
    }
    .into_any()
}

pub fn bases(state: DemoState) -> AnyView {
    let m = move || {
        state
            .values
            .with(|values| values.int(bases::M.name).unwrap_or(6)) as f64
    };
    let figure = Signal::derive(move || {
        let curves: Vec<Curve> = [
            (bases::DCT_CURVE, "DCT (fixed, as in JPEG)", "three"),
            (bases::PCA_CURVE, "PCA basis (learned)", "two"),
            (bases::SPARSE_CURVE, "sparse dictionary (learned)", "one"),
        ]
        .into_iter()
        .map(|(name, label, class)| Curve {
            label: label.into(),
            class,
            points: state.series(name),
        })
        .collect();
        let markers = curves
            .iter()
            .filter_map(|curve| curve.points.iter().find(|p| p.0 == m()).copied())
            .map(|(x, y)| (x, y, format!("{y:.4}")))
            .collect();
        Figure {
            curves,
            markers,
            x_range: Some((1.0, bases::MAX_TERMS as f64)),
            ..Figure::default()
        }
    });
    view! {
        <div class="figures">
            <div class="full">
                <LinePlot figure=figure x_label="coefficients kept per digit, m" y_label="squared error per pixel" description="Reconstruction error of unseen digits against the number of coefficients kept, for the DCT, PCA and the sparse dictionary."/>
            </div>
        </div>
    }
    .into_any()
}
