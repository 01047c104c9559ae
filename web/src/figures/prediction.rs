//! The figures of chapter `prediction`: the shortest explanation predicts best. Every program of
//! a tiny language and the mixture they predict by; distances between texts measured by
//! compressors; and the polynomial degree the shortest two-part code picks.

use leptos::prelude::*;
use occam_demos::compression_distance::{
    DISTANCE_IMAGE, LANGUAGES, MAP_CLOUD, NEAREST_TABLE, TEXTS_TABLE,
};
use occam_demos::mdl_curve::{HIGHEST_FIT, MAX_DEGREE, MDL_FIT, POINTS_SERIES, TRUE_CURVE};
use occam_demos::program_search::{
    COMPARE, CONSISTENT_CURVE, MIXTURE_TABLE, SHORTEST_TABLE, TRIED_CURVE,
};
use occam_demos::protocol::Cloud;
use occam_demos::{mdl_curve, program_search};

use crate::demo::DemoState;
use crate::images::ImageGrid;
use crate::plot::{Curve, Figure, LinePlot};
use crate::scatter::{Layer, Scatter};
use crate::table::TextTable;

/// The shortest programs, the mixture's next terms, and how many programs each length holds.
pub fn program_search(state: DemoState) -> AnyView {
    let shortest = Signal::derive(move || state.table(SHORTEST_TABLE));
    let mixture = Signal::derive(move || state.table(MIXTURE_TABLE));
    let counts = Signal::derive(move || {
        // Counts double with every bit or so: their base-2 logarithm keeps every length in view.
        let log = |name: &str| {
            state
                .series(name)
                .into_iter()
                .filter(|point| point.1 > 0.0)
                .map(|(bits, count)| (bits, count.log2()))
                .collect()
        };
        Figure {
            curves: vec![
                Curve {
                    label: "programs tried".into(),
                    class: "one",
                    points: log(TRIED_CURVE),
                },
                Curve {
                    label: "that reproduce the sequence".into(),
                    class: "two",
                    points: log(CONSISTENT_CURVE),
                },
            ],
            ..Figure::default()
        }
    });
    let note = move || {
        let shortest = state.metric(program_search::metric::SHORTEST_BITS)?;
        let rival = state.metric(program_search::metric::COMPARE_BITS)?;
        let compare = state.values.with(|values| values.int(COMPARE.name).ok())?;
        let gap = rival - shortest;
        let comparison = if gap > 0.0 {
            format!(
                "Under the prior 2^(−length) that one is 2^{gap:.0} times less likely, before the many programs of each side are counted."
            )
        } else {
            format!("{compare} is the continuation of a shortest program itself.")
        };
        Some(view! {
            <p class="note full">
                {format!(
                    "The shortest program that reproduces the sequence has {shortest:.0} bits; the shortest that continues it with {compare} has {rival:.0}. {comparison}"
                )}
            </p>
        })
    };
    view! {
        <div class="figures">
            <TextTable table=shortest caption="The shortest programs that reproduce the sequence. Programs of one length that compute the same terms are one row; “alike” counts them."/>
            <TextTable table=mixture caption="The next terms with the most weight: each consistent program votes with 2^(−its length)."/>
            <LinePlot figure=counts x_label="program length (bits)" y_label="log₂ of how many" description="How many programs of each length were tried, and how many of them reproduce the sequence, on a logarithmic scale."/>
            {note}
        </div>
    }
    .into_any()
}

/// The distance matrix as an image, the map of the texts, the pasted text's neighbours and the
/// excerpts' sources.
pub fn compression_distance(state: DemoState) -> AnyView {
    let image = Signal::derive(move || state.images(DISTANCE_IMAGE));
    let caption = Signal::derive(|| {
        "Distances between the twenty excerpts (1–4 English, 5–8 French, 9–12 German, 13–16 Spanish, 17–20 Italian) and your text (21, last row and column). Darker is nearer.".to_owned()
    });
    let layers = Signal::derive(move || {
        let Some(cloud) = state.cloud(MAP_CLOUD) else {
            return Vec::new();
        };
        let names = LANGUAGES
            .iter()
            .map(|(_, name)| *name)
            .chain(std::iter::once("your text"));
        names
            .enumerate()
            .map(|(label, name)| Layer {
                label: name.to_owned(),
                // Your text in the darkest colour, apart from the languages' five.
                class: ["k0", "k1", "k2", "k3", "k4", "k9"][label],
                cloud: points_labelled(&cloud, label as u32),
            })
            .collect()
    });
    let nearest = Signal::derive(move || state.table(NEAREST_TABLE));
    let texts = Signal::derive(move || state.table(TEXTS_TABLE));
    view! {
        <div class="figures">
            <ImageGrid images=image caption=caption/>
            <Scatter layers=layers
                caption="The texts placed in the plane so that their distances match the compressor's as well as two dimensions allow (classical multidimensional scaling). Nothing but the distances was used."
                description="A map of the twenty excerpts and your text, coloured by language, from the compression distances alone."/>
            <TextTable table=nearest full=true caption="Your text's nearest excerpts, and the language the nearest vote for."/>
            <details class="full">
                <summary>"The twenty excerpts"</summary>
                <TextTable table=texts caption="Public-domain books, from Project Gutenberg; the numbers are the matrix's rows."/>
            </details>
        </div>
    }
    .into_any()
}

/// The points of `cloud` with class `label`, as a cloud of their own.
fn points_labelled(cloud: &Cloud, label: u32) -> Cloud {
    let coords = cloud
        .frame(0)
        .chunks_exact(cloud.dimension)
        .zip(&cloud.labels)
        .filter(|(_, class)| **class == label)
        .flat_map(|(point, _)| point.iter().copied())
        .collect();
    Cloud::new(&cloud.name, cloud.dimension, coords)
}

/// The points with MDL's polynomial and the highest degree's; code lengths and errors by degree.
pub fn mdl_curve(state: DemoState) -> AnyView {
    let highest = move || {
        state
            .values
            .with(|values| values.int(MAX_DEGREE.name).unwrap_or(12))
    };
    let fits = Signal::derive(move || {
        let mdl = state.metric(mdl_curve::metric::MDL_DEGREE).unwrap_or(0.0);
        Figure {
            curves: vec![
                Curve {
                    label: "the curve".into(),
                    class: "three",
                    points: state.series(TRUE_CURVE),
                },
                Curve {
                    label: format!("shortest code: degree {mdl:.0}"),
                    class: "one",
                    points: state.series(MDL_FIT),
                },
                Curve {
                    label: format!("degree {}", highest()),
                    class: "two",
                    points: state.series(HIGHEST_FIT),
                },
            ],
            markers: state
                .series(POINTS_SERIES)
                .into_iter()
                .map(|(x, y)| (x, y, String::new()))
                .collect(),
            x_range: Some((-1.0, 1.0)),
            y_range: Some((-2.0, 2.0)),
            ..Figure::default()
        }
    });
    let codes = Signal::derive(move || Figure {
        curves: vec![
            Curve {
                label: "total".into(),
                class: "one",
                points: state.series(mdl_curve::metric::TOTAL_BITS),
            },
            Curve {
                label: "model: coefficients".into(),
                class: "two",
                points: state.series(mdl_curve::metric::MODEL_BITS),
            },
            Curve {
                label: "data: residuals".into(),
                class: "three",
                points: state.series(mdl_curve::metric::DATA_BITS),
            },
        ],
        ..Figure::default()
    });
    let errors = Signal::derive(move || {
        // Cross-validation's high degrees extrapolate wildly on a fold's few points: the
        // window stops at one and a half times the worst error of a constant.
        let constant = [mdl_curve::metric::TEST_ERROR, mdl_curve::metric::CV_ERROR]
            .iter()
            .filter_map(|name| state.series(name).first().map(|point| point.1))
            .fold(0.0, f64::max);
        Figure {
            y_range: (constant > 0.0).then_some((0.0, 1.5 * constant)),
            curves: vec![
                Curve {
                    label: "training points".into(),
                    class: "one",
                    points: state.series(mdl_curve::metric::TRAIN_ERROR),
                },
                Curve {
                    label: "fresh points".into(),
                    class: "two",
                    points: state.series(mdl_curve::metric::TEST_ERROR),
                },
                Curve {
                    label: "cross-validation".into(),
                    class: "three",
                    points: state.series(mdl_curve::metric::CV_ERROR),
                },
            ],
            ..Figure::default()
        }
    });
    let note = move || {
        let mdl = state.metric(mdl_curve::metric::MDL_DEGREE)?;
        let best = state.metric(mdl_curve::metric::BEST_TEST_DEGREE)?;
        let cv = state.metric(mdl_curve::metric::CV_DEGREE)?;
        Some(view! {
            <p class="note full">
                {format!(
                    "The shortest two-part code picks degree {mdl:.0}; degree {best:.0} does best on fresh points, and cross-validation picks {cv:.0}. The training error alone would always pick degree {}.",
                    highest()
                )}
            </p>
        })
    };
    view! {
        <div class="figures">
            <LinePlot figure=fits x_label="x" y_label="y" description="The noisy points, the curve they come from, the polynomial with the shortest two-part code, and the polynomial of the highest degree."/>
            <LinePlot figure=codes x_label="degree" y_label="bits" description="The two-part code length by degree: the coefficients' bits, the residuals' bits, and their total."/>
            <LinePlot figure=errors x_label="degree" y_label="mean squared error" description="Mean squared error by degree on the training points, on fresh points, and in cross-validation."/>
            {note}
        </div>
    }
    .into_any()
}
