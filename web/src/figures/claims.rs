//! The figures of chapter `claims`: the popular "training compresses" claims, run at toy scale.

use leptos::prelude::*;
use occam_demos::information_plane::{
    self, ACCURACY_CURVE, ESTIMATE_STEPS, FELL_BITS, binned_plane, metric, noisy_plane,
};

use crate::demo::DemoState;
use crate::plot::{Curve, Figure, LinePlot};

/// The colour class of hidden layer `layer` (1, 2, …).
fn layer_class(layer: usize) -> &'static str {
    ["one", "two", "three", "four"][(layer - 1) % 4]
}

/// Each hidden layer's path on one estimator's information plane, on the plane's whole extent:
/// I(X;T) from 0 to log₂ of the digits measured, I(T;Y) from 0 to log₂ of the classes (the
/// bottom right stays empty, as I(T;Y) ≤ I(X;T): the legend goes there).
fn plane(state: DemoState, name: fn(usize) -> String) -> Figure {
    let layers = state.series(metric::BINNED_INPUT).len();
    Figure {
        // A little room past the bounds, so that the dots on them show whole.
        x_range: Some((0.0, (information_plane::MEASURED as f64).log2() + 0.3)),
        y_range: Some((0.0, 10f64.log2() + 0.15)),
        legend_below: true,
        trails: (1..=layers)
            .map(|layer| Curve {
                label: format!("layer {layer}"),
                class: layer_class(layer),
                points: state.series(&name(layer)),
            })
            .collect(),
        ..Figure::default()
    }
}

/// In words, for every reader: which layers' binned I(X;T) fell after its peak, and by how much.
fn what_fell(state: DemoState) -> Option<String> {
    let falls = state.series(metric::BINNED_FALL);
    let steps = state.series(ESTIMATE_STEPS);
    if falls.is_empty() || steps.len() < 2 {
        return None;
    }
    let per_layer: Vec<String> = falls
        .iter()
        .map(|&(layer, fall)| {
            let path = state.series(&binned_plane(layer as usize));
            let peak = path
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.0.total_cmp(&b.1.0))
                .map_or(0, |(index, _)| index);
            let at = steps.get(peak).map_or(0.0, |point| point.1);
            if fall >= FELL_BITS {
                format!("layer {layer} peaked at step {at:.0} and then fell {fall:.2} bits")
            } else {
                format!("layer {layer} stayed within {fall:.2} bits of its peak")
            }
        })
        .collect();
    Some(format!(
        "Binned I(X;T): {}. A fall of {FELL_BITS} bits or more counts as compression here.",
        per_layer.join("; ")
    ))
}

/// The binned and the noisy information planes, and the test accuracy by step.
pub fn information_plane(state: DemoState) -> AnyView {
    let binned = Signal::derive(move || plane(state, binned_plane));
    let noisy = Signal::derive(move || plane(state, noisy_plane));
    let accuracy = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "test accuracy".into(),
            class: "one",
            points: state.series(ACCURACY_CURVE),
        }],
        y_range: Some((0.0, 1.0)),
        ..Figure::default()
    });
    let steps = move || {
        state
            .values
            .with(|values| values.int(information_plane::STEPS.name).unwrap_or(0))
    };
    view! {
        <div class="figures">
            <LinePlot figure=binned x_label="I(X;T), bits (binned)" y_label="I(T;Y), bits" description="Each hidden layer's path on the information plane, estimated by binning its activations: faint dots early in training, solid late, the largest dot last."/>
            <LinePlot figure=noisy x_label="I(X;T+Z), bits (noise σ = 0.1)" y_label="I(T+Z;Y), bits" description="The same paths estimated through Gaussian noise added to each layer, an estimator that does not depend on a bin size."/>
            <LinePlot figure=accuracy x_label="training step" y_label="accuracy" description="The test accuracy by training step."/>
            {move || what_fell(state).map(|text| view! { <p class="note full" data-caption="information-plane">{text}</p> })}
            <p class="note explain">{move || format!("One dot per estimate: {} of them over {} steps, each on the same 600 training digits.", information_plane::ESTIMATES + 1, steps())}</p>
        </div>
    }
    .into_any()
}
