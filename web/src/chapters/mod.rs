//! Chapter pages, and each demo's figures.

mod coding_rate;
mod crate_chapter;
mod diffusion;
mod entropy;
mod pca_sparse;

use leptos::prelude::*;

use crate::demo::DemoState;

/// The page of a built chapter.
pub fn page(slug: &str) -> AnyView {
    match slug {
        "entropy" => view! { <entropy::Entropy/> }.into_any(),
        "pca-sparse" => view! { <pca_sparse::PcaSparse/> }.into_any(),
        "diffusion" => view! { <diffusion::Diffusion/> }.into_any(),
        "coding-rate" => view! { <coding_rate::CodingRate/> }.into_any(),
        "crate" => view! { <crate_chapter::CrateChapter/> }.into_any(),
        _ => view! { <p>"This chapter is coming."</p> }.into_any(),
    }
}

/// The figures a demo draws beside its metrics.
pub fn figures(demo: &str) -> Option<fn(DemoState) -> AnyView> {
    match demo {
        "coin-flips" => Some(entropy::coin_flips_figures),
        "block-codes" => Some(entropy::block_codes_figures),
        "text-model" => Some(entropy::text_model_figures),
        "pca" => Some(pca_sparse::pca_figures),
        "sparse-coding" => Some(pca_sparse::sparse_coding_figures),
        "bases" => Some(pca_sparse::bases_figures),
        "denoiser" => Some(diffusion::denoiser_figures),
        "diffusion" => Some(diffusion::diffusion_figures),
        "rate-geometry" => Some(coding_rate::rate_geometry_figures),
        "redunet" => Some(coding_rate::redunet_figures),
        "mcr2" => Some(coding_rate::mcr2_figures),
        "crate-layers" => Some(crate_chapter::crate_layers_figures),
        "crate-digits" => Some(crate_chapter::crate_digits_figures),
        "backend-check" => Some(backend_check_figures),
        _ => None,
    }
}

fn backend_check_figures(state: DemoState) -> AnyView {
    use crate::plot::{Curve, Figure, LinePlot};
    let figure = Signal::derive(move || Figure {
        curves: vec![Curve {
            label: "mean squared error".into(),
            class: "one",
            points: state.series(occam_demos::backend_check::LOSS_CURVE),
        }],
        ..Figure::default()
    });
    view! { <LinePlot figure=figure x_label="training step" y_label="loss" description="The training loss of the small network, falling as it learns."/> }.into_any()
}

/// A display equation, written in MathML (rendered natively by the browser).
#[component]
pub fn Equation(mathml: &'static str) -> impl IntoView {
    view! { <div class="equation" inner_html=format!(r#"<math display="block">{mathml}</math>"#)></div> }
}

/// Inline math in MathML.
#[component]
pub fn M(mathml: &'static str) -> impl IntoView {
    view! { <span inner_html=format!("<math>{mathml}</math>")></span> }
}
