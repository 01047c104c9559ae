//! The figures of chapter `crate`: unroll the optimization of the sparse rate reduction and you get a transformer
//! whose attention compresses the tokens against subspaces and whose second step, one ISTA step,
//! makes them sparse (CRATE).

use leptos::prelude::*;
use occam_demos::{crate_digits, crate_layers};

use crate::demo::DemoState;
use crate::images::ImageGrid;
use crate::plot::{Curve, Figure, LinePlot};

/// The class rate and the share of zero entries, input then layer by layer, and the tokens.
pub fn crate_layers(state: DemoState) -> AnyView {
    let rates = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "class rate Rc of the tokens".into(),
            class: "one",
            points: state.series(crate_layers::metric::CLASS_RATE_PER_LAYER),
        }],
        ..Figure::default()
    });
    let sparsity = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "share of zero entries".into(),
            class: "two",
            points: state.series(crate_layers::metric::SPARSITY_PER_LAYER),
        }],
        y_range: Some((0.0, 1.0)),
        ..Figure::default()
    });
    view! {
        <div class="figures">
            <LinePlot figure=rates x_label="layer (0: the input)" y_label="nats a token" description="The class rate of the tokens against their subspaces, falling layer by layer."/>
            <LinePlot figure=sparsity x_label="layer (0: the input)" y_label="share" description="The share of zero entries in the tokens, rising layer by layer."/>
            <div class="full tokens">
                <ImageGrid images=Signal::derive(move || state.images(crate_layers::TOKENS))
                    caption=Signal::derive(|| "The tokens (one row each, sorted by subspace; coordinates across) at the input and after each layer: red positive, blue negative, white zero. The noise fades and each token keeps only its own block.".to_owned())/>
            </div>
        </div>
    }
    .into_any()
}

/// Training curves, per-layer class rate and sparsity, and the heads' attention on a digit.
pub fn crate_digits(state: DemoState) -> AnyView {
    let training = Signal::derive(move || Figure {
        curves: vec![
            Curve {
                label: "training loss".into(),
                class: "one",
                points: state.series(crate_digits::LOSS_CURVE),
            },
            Curve {
                label: "test accuracy".into(),
                class: "two",
                points: state.series(crate_digits::ACCURACY_CURVE),
            },
        ],
        ..Figure::default()
    });
    let layers = Signal::derive(move || {
        // Both on one scale: the class rate divided by the embedding's.
        let rates = state.series(crate_digits::metric::CLASS_RATE_PER_LAYER);
        let first = rates.first().map_or(1.0, |point| point.1.max(1e-12));
        Figure {
            curves: vec![
                Curve {
                    label: "class rate Rc, over the embedding's".into(),
                    class: "one",
                    points: rates
                        .iter()
                        .map(|&(layer, rate)| (layer, rate / first))
                        .collect(),
                },
                Curve {
                    label: "share of zero entries".into(),
                    class: "two",
                    points: state.series(crate_digits::metric::SPARSITY_PER_LAYER),
                },
            ],
            y_range: Some((0.0, 1.2)),
            ..Figure::default()
        }
    });
    view! {
        <div class="figures">
            <LinePlot figure=training x_label="training step" y_label="loss, accuracy" description="The training loss and the test accuracy by step."/>
            <LinePlot figure=layers x_label="layer (0: the embedding)" y_label="ratio, share" description="Per layer: the class rate of the tokens relative to the embedding's, and the share of zero entries."/>
            <div class="full attention-maps">
                <ImageGrid images=Signal::derive(move || state.images(crate_digits::DIGIT))
                    caption=Signal::derive(|| "The test digit.".to_owned())/>
                <ImageGrid images=Signal::derive(move || state.images(crate_digits::ATTENTION))
                    caption=Signal::derive(|| "Each head's attention from the class token over the 16 patches of that digit, layer by layer: the darkest patch is the one the head attends to most.".to_owned())/>
            </div>
        </div>
    }
    .into_any()
}
