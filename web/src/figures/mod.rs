//! Each demo's figures, by chapter. [`for_demo`] is generated from the demo registry
//! (`occam_demos::with_demos!`): every demo needs a function here named after its module, or the
//! page does not compile.

mod claims;
mod coding_rate;
mod crate_chapter;
mod diffusion;
mod entropy;
mod pca_sparse;
mod prediction;

use leptos::prelude::*;
use occam_demos::DemoSpec;

use crate::demo::DemoState;
use crate::plot::{Curve, Figure, LinePlot};
use claims::{compression_regularizer, information_plane, layer_rates, mdl_selection, scaling};
use coding_rate::{mcr2, rate_geometry, redunet};
use crate_chapter::{crate_digits, crate_layers};
use diffusion::{denoiser, diffusion};
use entropy::{block_codes, coin_flips, text_model};
use pca_sparse::{bases, pca, sparse_coding};
use prediction::{compression_distance, mdl_curve, program_search};

/// What a demo draws beside its metrics.
pub type Figures = fn(DemoState) -> AnyView;

macro_rules! figures_by_demo {
    ($($module:ident: $run:ident),* $(,)?) => {
        /// The figures of `spec`'s demo.
        pub fn for_demo(spec: &DemoSpec) -> Figures {
            $(
                if spec.id == occam_demos::$module::SPEC.id {
                    return $module;
                }
            )*
            none
        }
    };
}

occam_demos::with_demos!(figures_by_demo);

/// For a spec that is not in the registry (none is: the specs come from it).
fn none(_: DemoState) -> AnyView {
    ().into_any()
}

/// The home page's check of this machine: the loss of a small network as it trains.
fn backend_check(state: DemoState) -> AnyView {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_has_its_own_figures() {
        for spec in occam_demos::DEMOS {
            assert!(
                !std::ptr::fn_addr_eq(for_demo(spec), none as Figures),
                "{} has no figures",
                spec.id
            );
        }
    }

    /// Figures name the metrics, curves and parameters they read by the demos' own constants:
    /// a name written out here would silently read nothing once the demo renamed it.
    #[test]
    fn figures_read_names_from_the_demos_constants() {
        let files = [
            ("entropy.rs", include_str!("entropy.rs")),
            ("pca_sparse.rs", include_str!("pca_sparse.rs")),
            ("diffusion.rs", include_str!("diffusion.rs")),
            ("coding_rate.rs", include_str!("coding_rate.rs")),
            ("crate_chapter.rs", include_str!("crate_chapter.rs")),
            ("prediction.rs", include_str!("prediction.rs")),
            ("claims.rs", include_str!("claims.rs")),
        ];
        let reads = [
            "metric(\"",
            "series(\"",
            "images(\"",
            "cloud(\"",
            ".int(\"",
            ".float(\"",
            ".choice(\"",
            ".text(\"",
            ".seed(\"",
        ];
        for (file, text) in files {
            for read in reads {
                assert!(
                    !text.contains(read),
                    "{file} reads a name written out: `{read}…`; use the demo's constant"
                );
            }
        }
    }
}
