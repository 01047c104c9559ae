//! The figures of chapter `claims`: the popular "training compresses" claims, run at toy scale.

use leptos::prelude::*;
use occam_demos::information_plane::{
    self, ACCURACY_CURVE, ESTIMATE_STEPS, FELL_BITS, binned_plane, metric, noisy_plane,
};

use crate::demo::DemoState;
use crate::plot::{Curve, Figure, Level, LinePlot};

/// One edge of a band of one standard deviation about a mean, point by point: `sign` 1 for the
/// upper edge, −1 for the lower.
fn band_edge(means: &[(f64, f64)], spreads: &[(f64, f64)], sign: f64) -> Vec<(f64, f64)> {
    means
        .iter()
        .zip(spreads)
        .map(|(&(x, mean), &(_, spread))| (x, mean + sign * spread))
        .collect()
}

/// A band of one standard deviation about a mean: a labelled upper edge and an unlabelled
/// lower one (one legend entry for both).
fn band(
    label: &str,
    means: &[(f64, f64)],
    spreads: &[(f64, f64)],
    class: &'static str,
) -> [Curve; 2] {
    [
        Curve {
            label: label.into(),
            class,
            points: band_edge(means, spreads, 1.0),
        },
        Curve {
            label: String::new(),
            class,
            points: band_edge(means, spreads, -1.0),
        },
    ]
}

/// A y range from 0 to `factor` times the highest point of `curves` (at least 1): room above
/// them for the legend.
fn room_above(curves: &[Curve], factor: f64) -> (f64, f64) {
    let top = curves
        .iter()
        .flat_map(|curve| curve.points.iter().map(|point| point.1))
        .fold(1.0, f64::max);
    (0.0, factor * top)
}

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

/// In words, for every reader: each layer's fall of binned I(X;T) from its peak over the seeds,
/// and where the run drawn peaked and how far it fell.
fn what_fell(state: DemoState) -> Option<String> {
    let falls = state.series(metric::BINNED_FALL);
    let spreads = state.series(metric::BINNED_FALL_SPREAD);
    let counts = state.series(metric::COMPRESSED_RUNS);
    let steps = state.series(ESTIMATE_STEPS);
    let runs = state.metric(metric::RUNS)?;
    let drawn = state.metric(metric::DRAWN_SEED)?;
    if falls.is_empty() || steps.len() < 2 {
        return None;
    }
    let per_layer: Vec<String> = falls
        .iter()
        .zip(&spreads)
        .zip(&counts)
        .map(|((&(layer, fall), &(_, spread)), &(_, count))| {
            let reached = if count > 0.0 {
                format!(", half a bit or more in {count:.0} of {:.0}", runs.max(1.0))
            } else {
                String::new()
            };
            format!("layer {layer:.0} {fall:.2} ± {spread:.2} bits{reached}")
        })
        .collect();
    // The run drawn, from its own path: where each layer that fell peaked.
    let drawn_falls: Vec<String> = (1..=falls.len())
        .filter_map(|layer| {
            let path = state.series(&binned_plane(layer));
            let inputs: Vec<f64> = path.iter().map(|point| point.0).collect();
            let fall = information_plane::fall_from_peak(&inputs);
            let peak = inputs
                .iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map_or(0, |(index, _)| index);
            let at = steps.get(peak).map_or(0.0, |point| point.1);
            (fall >= FELL_BITS).then(|| {
                format!("layer {layer} peaked at step {at:.0} and then fell {fall:.2} bits")
            })
        })
        .collect();
    let over = if runs < 1.0 {
        "the first seed's run so far".to_owned()
    } else if runs == 1.0 {
        "1 seed".to_owned()
    } else {
        format!("{runs:.0} seeds")
    };
    let in_drawn = if drawn_falls.is_empty() {
        format!("In the run drawn (seed {drawn:.0}) no layer dropped that far.")
    } else {
        format!(
            "In the run drawn (seed {drawn:.0}), {}.",
            drawn_falls.join("; ")
        )
    };
    Some(format!(
        "Binned I(X;T), its drop from its peak by the end, mean ± standard deviation over {over}: {}. A drop of {FELL_BITS} bits or more counts as compression here. {in_drawn}",
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
            <LinePlot figure=binned x_label="I(X;T), bits (binned)" y_label="I(T;Y), bits" description="Each hidden layer's path on the information plane in the latest seed's run, estimated by binning its activations: faint dots early in training, solid late, the largest dot last."/>
            <LinePlot figure=noisy x_label="I(X;T+Z), bits (noise σ = 0.1)" y_label="I(T+Z;Y), bits" description="The same paths estimated through Gaussian noise added to each layer, an estimator that does not depend on a bin size."/>
            <LinePlot figure=accuracy x_label="training step" y_label="accuracy" description="The test accuracy by training step."/>
            {move || what_fell(state).map(|text| view! { <p class="note full" data-caption="information-plane">{text}</p> })}
            <p class="note explain">{move || format!("One dot per estimate: {} of them over {} steps, each on the same 600 training digits. The planes and the accuracy draw the latest seed's run; the readouts above are means over the seeds finished.", information_plane::ESTIMATES + 1, steps())}</p>
        </div>
    }
    .into_any()
}

/// The end of training layer by layer (R_c and R, both objectives), R_c by step for each
/// objective, and the spread over seeds in words.
pub fn layer_rates(state: DemoState) -> AnyView {
    use occam_demos::layer_rates::{OBJECTIVES, class_rate_by_step, metric};
    let by_layer = Signal::derive(move || {
        let curves = vec![
            Curve {
                label: "Rc, cross-entropy".into(),
                class: "one",
                points: state.series(metric::CLASS_RATE_CE),
            },
            Curve {
                label: "Rc, MCR²".into(),
                class: "two",
                points: state.series(metric::CLASS_RATE_MCR2),
            },
            Curve {
                label: "R, cross-entropy".into(),
                class: "three",
                points: state.series(metric::RATE_CE),
            },
            Curve {
                label: "R, MCR²".into(),
                class: "four",
                points: state.series(metric::RATE_MCR2),
            },
        ];
        Figure {
            y_range: Some(room_above(&curves, 1.35)),
            curves,
            ..Figure::default()
        }
    });
    let by_step = move |objective: &'static str| {
        Signal::derive(move || {
            let layers = state.series(metric::CLASS_RATE_CE).len().max(
                state
                    .values
                    .with(|values| {
                        values
                            .choice(occam_demos::layer_rates::WIDTHS.name)
                            .ok()
                            .and_then(information_plane::widths)
                    })
                    .map_or(0, |widths| widths.len()),
            );
            Figure {
                curves: (1..=layers)
                    .map(|layer| Curve {
                        label: format!("layer {layer}"),
                        class: layer_class(layer),
                        points: state.series(&class_rate_by_step(objective, layer)),
                    })
                    .collect(),
                ..Figure::default()
            }
        })
    };
    let summary = move || {
        let last = |name: &str| state.series(name).last().map(|point| point.1);
        let (ce, ce_spread, mcr2, mcr2_spread) = (
            last(metric::CLASS_RATE_CE)?,
            last(metric::CLASS_RATE_CE_SPREAD)?,
            last(metric::CLASS_RATE_MCR2)?,
            last(metric::CLASS_RATE_MCR2_SPREAD)?,
        );
        let seeds = state.values.with(|values| {
            values
                .int(occam_demos::layer_rates::SEEDS.name)
                .unwrap_or(1)
        });
        let (ce_lower, mcr2_lower) = (
            state.metric(metric::DEEPER_LOWER_CE)?,
            state.metric(metric::DEEPER_LOWER_MCR2)?,
        );
        let (ce_collapse, mcr2_collapse) = (
            state.metric(metric::COLLAPSE_CE)?,
            state.metric(metric::COLLAPSE_MCR2)?,
        );
        Some(format!(
            "Over {seeds} seeds, the last layer's Rc ended at {ce:.2} ± {ce_spread:.2} nats with cross-entropy and {mcr2:.2} ± {mcr2_spread:.2} with MCR² (mean ± standard deviation). Rc fell from each layer to the next in {ce_lower:.0} of {seeds} cross-entropy runs and {mcr2_lower:.0} of {seeds} MCR² runs. Within- over between-class scatter of the last layer: {ce_collapse:.2} with cross-entropy, {mcr2_collapse:.2} with MCR² (0 would be every class collapsed to a point)."
        ))
    };
    let [ce, mcr2] = OBJECTIVES;
    view! {
        <div class="figures">
            <LinePlot figure=by_layer x_label="hidden layer" y_label="nats (unit-length features)" description="At the end of training, mean over seeds: the class rate Rc and the rate R of each hidden layer's features on the held-out digits, for each objective."/>
            <LinePlot figure=by_step(ce) x_label="training step" y_label="Rc, nats (cross-entropy)" description="Cross-entropy: each hidden layer's class rate Rc by training step, mean over seeds. Step 0 is the untrained network, the same for both objectives."/>
            <LinePlot figure=by_step(mcr2) x_label="training step" y_label="Rc, nats (MCR²)" description="MCR² on the last layer: each hidden layer's class rate Rc by training step, mean over seeds. Step 0 is the untrained network, the same for both objectives."/>
            {move || summary().map(|text| view! { <p class="note full" data-caption="layer-rates">{text}</p> })}
        </div>
    }
    .into_any()
}

/// Code lengths and test error by width, and the widest network rounded and pruned.
pub fn mdl_selection(state: DemoState) -> AnyView {
    use occam_demos::mdl_selection::{PRUNED_CURVE, QUANTIZED_CURVE, metric};
    let codes = Signal::derive(move || Figure {
        curves: vec![
            Curve {
                label: "two-part code".into(),
                class: "one",
                points: state.series(metric::TWO_PART),
            },
            Curve {
                label: "prequential code".into(),
                class: "two",
                points: state.series(metric::PREQUENTIAL),
            },
        ],
        levels: state
            .metric(metric::UNIFORM_BITS)
            .map(|bits| Level {
                label: format!("no model: {bits:.0} bits"),
                y: bits,
            })
            .into_iter()
            .collect(),
        log_x: true,
        ..Figure::default()
    });
    let errors = Signal::derive(move || {
        let errors = state.series(metric::TEST_ERROR);
        let mut curves = vec![
            Curve {
                label: "test error, mean".into(),
                class: "one",
                points: errors.clone(),
            },
            Curve {
                label: "Occam's bound (δ = 0.05), mean".into(),
                class: "two",
                points: state.series(metric::OCCAM_BOUND),
            },
        ];
        // The error's spread is the accuracy's.
        curves.extend(band(
            "test error ± one standard deviation",
            &errors,
            &state.series(metric::TEST_ACCURACY_SPREAD),
            "three",
        ));
        Figure {
            y_range: Some(room_above(&curves, 1.5)),
            curves,
            levels: vec![Level {
                label: "1: a bound that says nothing".into(),
                y: 1.0,
            }],
            log_x: true,
            ..Figure::default()
        }
    });
    let quantized = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "widest network, test accuracy".into(),
            class: "one",
            points: state.series(QUANTIZED_CURVE),
        }],
        // Room above an accuracy near 1 for the legend.
        y_range: Some((0.0, 1.25)),
        ..Figure::default()
    });
    let pruned = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "widest network, test accuracy".into(),
            class: "two",
            points: state.series(PRUNED_CURVE),
        }],
        y_range: Some((0.0, 1.25)),
        ..Figure::default()
    });
    let summary = move || {
        let (two_part, test) = (
            state.metric(metric::TWO_PART_PICK)?,
            state.metric(metric::TEST_PICK)?,
        );
        let prequential = state.metric(metric::PREQUENTIAL_PICK)?;
        let runs = state.metric(metric::RUNS)?;
        let seeds = state.values.with(|values| {
            values
                .int(occam_demos::mdl_selection::SEEDS.name)
                .unwrap_or(1)
        });
        let over = if runs < seeds as f64 {
            "Averaged over the runs so far".to_owned()
        } else if runs == 1.0 {
            "With 1 seed".to_owned()
        } else {
            format!("Averaged over {runs:.0} seeds")
        };
        Some(format!(
            "{over}, the two-part code is shortest at width {two_part:.0}, the prequential code at width {prequential:.0}; the best test accuracy is at width {test:.0}."
        ))
    };
    view! {
        <div class="figures">
            <LinePlot figure=codes x_label="hidden width" y_label="bits for the training labels" description="By hidden width, mean over seeds: the two-part code (parameters, then labels given them) and the prequential code of the training labels, against the labels sent with no model."/>
            <LinePlot figure=errors x_label="hidden width" y_label="error rate" description="By hidden width, mean over seeds: the measured test error with a band of one standard deviation, and Occam's bound on it from the two-part code's first part."/>
            <LinePlot figure=quantized x_label="bits per number" y_label="test accuracy" description="The widest network's test accuracy with every number rounded to fewer bits, mean over seeds."/>
            <LinePlot figure=pruned x_label="fraction of weights removed (smallest first)" y_label="test accuracy" description="The widest network's test accuracy with its smallest weights set to zero, mean over seeds."/>
            {move || summary().map(|text| view! { <p class="note full" data-caption="mdl-selection">{text}</p> })}
        </div>
    }
    .into_any()
}

/// Test accuracy by λ with its spread, and the last layer's rates by λ.
pub fn compression_regularizer(state: DemoState) -> AnyView {
    use occam_demos::compression_regularizer::metric;
    let accuracy = Signal::derive(move || {
        let means = state.series(metric::TEST_ACCURACY);
        let spreads = state.series(metric::TEST_ACCURACY_SPREAD);
        let mut curves = vec![Curve {
            label: "test accuracy, mean".into(),
            class: "one",
            points: means.clone(),
        }];
        curves.extend(band(
            "mean ± one standard deviation",
            &means,
            &spreads,
            "three",
        ));
        Figure {
            curves,
            // Room above the highest accuracy for the legend.
            y_range: Some((0.0, 1.25)),
            ..Figure::default()
        }
    });
    let rates = Signal::derive(move || {
        let curves = vec![
            Curve {
                label: "Rc, last hidden layer".into(),
                class: "one",
                points: state.series(metric::CLASS_RATE),
            },
            Curve {
                label: "R, last hidden layer".into(),
                class: "two",
                points: state.series(metric::RATE),
            },
        ];
        Figure {
            y_range: Some(room_above(&curves, 1.35)),
            curves,
            ..Figure::default()
        }
    });
    let summary = move || {
        let (best, gain, spread) = (
            state.metric(metric::BEST_WEIGHT)?,
            state.metric(metric::ACCURACY_GAIN)?,
            state.metric(metric::BASELINE_SPREAD)?,
        );
        let verdict = if best == 0.0 {
            "no weight of the compression term beat cross-entropy alone".to_owned()
        } else if gain <= spread {
            format!(
                "the best, λ = {best}, beat cross-entropy alone by {gain:.3}, within the spread over seeds ({spread:.3}): no difference this experiment can show"
            )
        } else {
            format!(
                "the best, λ = {best}, beat cross-entropy alone by {gain:.3}, more than the spread over seeds ({spread:.3})"
            )
        };
        Some(format!("Test accuracy: {verdict}."))
    };
    view! {
        <div class="figures">
            <LinePlot figure=accuracy x_label="λ, the compression term's weight" y_label="test accuracy" description="Test accuracy by the weight of the compression term (0: cross-entropy alone), mean over seeds with one standard deviation either side."/>
            <LinePlot figure=rates x_label="λ, the compression term's weight" y_label="nats" description="The class rate Rc and the rate R of the last hidden layer's features on the held-out digits, by the weight of the compression term."/>
            {move || summary().map(|text| view! { <p class="note full" data-caption="compression-regularizer">{text}</p> })}
        </div>
    }
    .into_any()
}

/// The smallest and largest y of `points` ((∞, 0) for none: no range to set).
fn y_extent<'a>(points: impl Iterator<Item = &'a (f64, f64)>) -> (f64, f64) {
    points.fold((f64::INFINITY, 0.0_f64), |(low, high), p| {
        (low.min(p.1), high.max(p.1))
    })
}

/// Held-out bits per character against parameters (log-log), and the two-part total with its
/// parts.
pub fn scaling(state: DemoState) -> AnyView {
    use occam_demos::scaling::{CORPUS_CREDIT, metric};
    let bits = Signal::derive(move || {
        let (held_out, training) = (
            state.series(metric::HELD_OUT),
            state.series(metric::TRAINING),
        );
        let (low, high) = y_extent(held_out.iter().chain(&training));
        Figure {
            curves: vec![
                Curve {
                    label: "held-out text, mean over seeds".into(),
                    class: "one",
                    points: held_out,
                },
                Curve {
                    label: "training text".into(),
                    class: "two",
                    points: training,
                },
            ],
            log_x: true,
            log_y: true,
            // Room above the first (highest) points for the legend.
            y_range: (high > 0.0).then_some((low / 1.03, high * 1.2)),
            ..Figure::default()
        }
    });
    let totals = Signal::derive(move || {
        let parts = [metric::TWO_PART, metric::DATA_BITS, metric::MODEL_BITS]
            .map(|name| state.series(name));
        let (low, high) = y_extent(parts.iter().flatten());
        let [two_part, data, model] = parts;
        Figure {
            curves: vec![
                Curve {
                    label: "two-part total".into(),
                    class: "one",
                    points: two_part,
                },
                Curve {
                    label: "training text given the model".into(),
                    class: "two",
                    points: data,
                },
                Curve {
                    label: "parameters at 16 bits".into(),
                    class: "four",
                    points: model,
                },
            ],
            log_x: true,
            log_y: true,
            // Room below the parameters' line, bottom right, for the legend.
            y_range: (high > 0.0).then_some((low / 6.0, 1.3 * high)),
            legend_below: true,
            ..Figure::default()
        }
    });
    let summary = move || {
        let (two_part, held_out, gain) = (
            state.metric(metric::TWO_PART_PICK)?,
            state.metric(metric::HELD_OUT_PICK)?,
            state.metric(metric::LAST_DOUBLING_GAIN)?,
        );
        let spread = state
            .series(metric::HELD_OUT_SPREAD)
            .iter()
            .fold(0.0_f64, |top, p| top.max(p.1));
        let last = if gain > 0.0 {
            format!("the last doubling of the width still saved {gain:.3} bits per character")
        } else {
            format!(
                "the last doubling of the width cost {:.3} bits per character",
                -gain
            )
        };
        Some(format!(
            "On the held-out text {last} (the spread over seeds was at most {spread:.3}); the fewest held-out bits are at width {held_out:.0}, the shortest two-part total at width {two_part:.0}. Text: {CORPUS_CREDIT}."
        ))
    };
    view! {
        <div class="figures">
            <LinePlot figure=bits x_label="parameters" y_label="bits per character" description="Bits per character on the held-out text (mean over seeds) and on the training text, against the model's parameters, both axes logarithmic."/>
            <LinePlot figure=totals x_label="parameters" y_label="bits" description="The two-part total against the model's parameters: the parameters at 16 bits each plus the training text coded with the model, both axes logarithmic."/>
            {move || summary().map(|text| view! { <p class="note full" data-caption="scaling">{text}</p> })}
        </div>
    }
    .into_any()
}
