//! The figures of chapter `diffusion`: a denoiser pulls noisy points back to the low-dimensional data, and a
//! chain of denoising steps turns noise into new data.

use leptos::prelude::*;
use occam_demos::{denoiser, diffusion};

use crate::demo::{DemoState, Status};
use crate::plot::{Curve, Figure, Level, LinePlot};
use crate::scatter::{Layer, Scatter, TrajectoryPlayer, half_width};

/// The report's cloud `name` as a layer, when the report has it.
fn layer(state: DemoState, name: &str, label: &str, class: &'static str) -> Option<Layer> {
    state.cloud(name).map(|cloud| Layer {
        label: label.to_owned(),
        class,
        cloud,
    })
}

pub fn denoiser(state: DemoState) -> AnyView {
    let curves = Signal::derive(move || Figure {
        curves: vec![
            Curve {
                label: "training loss".into(),
                class: "one",
                points: state.series(denoiser::LOSS_CURVE),
            },
            Curve {
                label: "test error".into(),
                class: "two",
                points: state.series(denoiser::TEST_CURVE),
            },
        ],
        levels: state
            .metric(denoiser::metric::OPTIMAL_MSE)
            .map(|optimal| Level {
                label: format!("optimal (posterior mean): {optimal:.3}"),
                y: optimal,
            })
            .into_iter()
            .collect(),
        y_range: state
            .metric(denoiser::metric::NOISE_MSE)
            .map(|noise| (0.0, 1.5 * noise)),
        ..Figure::default()
    });
    // Both panels share one window, set by the noisy points.
    let half = Signal::derive(move || {
        let clouds: Vec<_> = [denoiser::NOISY, denoiser::CLEAN]
            .into_iter()
            .filter_map(|name| state.cloud(name))
            .collect();
        half_width(&clouds.iter().collect::<Vec<_>>())
    });
    let noise = Signal::derive(move || {
        [
            layer(state, denoiser::NOISY, "noisy y = x + σε", "noisy"),
            layer(state, denoiser::CLEAN, "clean x", "clean"),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let denoised = Signal::derive(move || {
        [
            layer(state, denoiser::CLEAN, "clean x", "clean faint"),
            layer(state, denoiser::DENOISED, "learned denoiser", "denoised"),
            layer(
                state,
                denoiser::OPTIMAL,
                "posterior mean 𝔼[x ∣ y]",
                "optimal",
            ),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let note = move || {
        let learned = state.metric(denoiser::metric::DENOISER_MSE)?;
        let nothing = state.metric(denoiser::metric::NOISE_MSE)?;
        let text = match state.metric(denoiser::metric::OPTIMAL_MSE) {
            Some(optimal) => {
                let ratio = state
                    .metric(denoiser::metric::MSE_RATIO)
                    .unwrap_or(learned / optimal.max(1e-12));
                format!(
                    "The learned denoiser's error is {ratio:.2}× the optimum's ({learned:.3} against {optimal:.3} per point); doing nothing costs {nothing:.3}, {:.1}× the optimum.",
                    nothing / optimal.max(1e-12)
                )
            }
            None => format!(
                "The learned denoiser's error is {learned:.3} per point; doing nothing costs {nothing:.3}, so it removes {:.0}% of the noise's error. (There is no closed-form optimum for this data set.)",
                100.0 * (1.0 - learned / nothing.max(1e-12))
            ),
        };
        Some(view! { <p class="note full">{text}</p> })
    };
    view! {
        <div class="figures">
            <div class="full">
                <LinePlot figure=curves x_label="training step" y_label="squared error" description="The training loss and the test error of the learned denoiser by step, with the error of the optimal denoiser as a line."/>
            </div>
            {note}
            <Scatter layers=noise half=half caption="Test points before and after the noise." description="Clean test points and the same points with noise added."/>
            <Scatter layers=denoised half=half caption="The noisy points after denoising, over the clean ones." description="The noisy test points after the learned denoiser and after the posterior mean, over the clean points."/>
        </div>
    }
    .into_any()
}

pub fn diffusion(state: DemoState) -> AnyView {
    let is_exact = move || {
        state
            .values
            .with(|values| values.choice(diffusion::DENOISER.name).ok() == Some("exact"))
    };
    let loss = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "noise-prediction loss".into(),
            class: "one",
            points: state.series(diffusion::LOSS_CURVE),
        }],
        ..Figure::default()
    });
    let loss_plot = move || {
        if is_exact() {
            view! { <p class="note explain">"The exact denoiser needs no training: sampling starts at once."</p> }.into_any()
        } else {
            view! { <LinePlot figure=loss x_label="training step" y_label="loss" description="The diffusion network's noise-prediction loss by training step."/> }.into_any()
        }
    };
    let samples = Signal::derive(move || {
        [
            layer(state, diffusion::DATA, "data", "data"),
            layer(state, diffusion::SAMPLES, "samples", "samples"),
        ]
        .into_iter()
        .flatten()
        .collect()
    });
    let note = move || {
        let samples = state.metric(diffusion::metric::SAMPLE_DISTANCE)?;
        let data = state.metric(diffusion::metric::DATA_DISTANCE)?;
        let ratio = state
            .metric(diffusion::metric::DISTANCE_RATIO)
            .unwrap_or(samples / data.max(1e-12));
        Some(view! {
            <p class="note full">
                {format!("Samples lie on average {samples:.3} from the nearest reference data point; fresh data points lie {data:.3} from it: {ratio:.2}× the floor.")}
            </p>
        })
    };
    view! {
        <div class="figures">
            {loss_plot}
            <Scatter layers=samples caption="The final samples over data points." description="The diffusion model's samples drawn over points from the data distribution."/>
            {note}
            <div class="full">
                <TrajectoryPlayer
                    trajectories=Signal::derive(move || state.cloud(diffusion::TRAJECTORIES))
                    data=Signal::derive(move || state.cloud(diffusion::DATA))
                    is_done=Signal::derive(move || state.status.get() == Status::Done)
                    caption="80 samples on their way from pure noise (step 0) to the end of the sampler, each with a trail of its last dozen steps, over the data."
                    description="The paths of 80 samples through the sampler's steps, from noise to data, drawn over the data points."/>
            </div>
        </div>
    }
    .into_any()
}
