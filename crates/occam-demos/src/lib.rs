//! occam-demos: every demo's parameters, metrics and training session, and the worker's messages.
//!
//! Without the `session` feature this crate is plain data (specs, [`params`], [`protocol`]) and
//! links no burn: the page's wasm uses it that way. With `session`, [`session::Session`] runs a
//! demo step by step on a burn `Device`, as the worker does.

pub mod auto;
pub mod builds;
#[cfg(feature = "session")]
pub mod data;
pub mod exercise;
pub mod params;
pub mod protocol;
#[cfg(feature = "session")]
pub mod run;
#[cfg(feature = "session")]
pub mod session;

/// The registry: every demo, one line each, as `module: RunType`. The module holds the demo's
/// `SPEC` and (with `session`) its run type, which implements [`run::DemoRun`].
///
/// `with_demos!(callback)` calls `callback! { module: RunType, … }`; the demo modules,
/// [`DEMOS`], the worker's [`session::ALL`] and the page's figures are all generated from
/// this one list, so a demo missing from any of them does not compile.
#[macro_export]
macro_rules! with_demos {
    ($callback:ident) => {
        $callback! {
            coin_flips: CoinFlips,
            block_codes: BlockCodes,
            text_model: TextModel,
            pca: Pca,
            sparse_coding: SparseCoding,
            bases: Bases,
            denoiser: Denoiser,
            diffusion: Diffusion,
            rate_geometry: RateGeometry,
            redunet: Redunet,
            mcr2: Mcr2,
            crate_layers: CrateLayers,
            crate_digits: CrateDigits,
            information_plane: InformationPlane,
            layer_rates: LayerRates,
            mdl_selection: MdlSelection,
            compression_regularizer: CompressionRegularizer,
            scaling: Scaling,
            program_search: ProgramSearch,
            compression_distance: CompressionDistance,
            mdl_curve: MdlCurve,
            backend_check: BackendCheck,
        }
    };
}

macro_rules! demo_modules {
    ($($module:ident: $run:ident),* $(,)?) => {
        $(pub mod $module;)*

        /// Every demo, in the registry's order.
        pub const DEMOS: [&DemoSpec; [$(stringify!($module)),*].len()] = [$(&$module::SPEC),*];
    };
}

with_demos!(demo_modules);

use params::ParamSpec;

/// A number a demo reports, shown in `[data-metric="<name>"]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MetricSpec {
    /// Lowercase words joined by `-`, with the unit where there is one.
    pub name: &'static str,
    pub label: &'static str,
    /// Digits after the decimal point in the text shown to people.
    pub digits: usize,
    /// A list of numbers (one per layer, say) rather than one: the report's series of the same
    /// name holds them, and `data-value` shows them comma-separated.
    pub is_list: bool,
}

impl MetricSpec {
    pub const fn new(name: &'static str, label: &'static str, digits: usize) -> Self {
        Self {
            name,
            label,
            digits,
            is_list: false,
        }
    }

    /// A metric that is a list of numbers, read from the report's series `name` (its y values).
    pub const fn list(name: &'static str, label: &'static str, digits: usize) -> Self {
        Self {
            name,
            label,
            digits,
            is_list: true,
        }
    }
}

/// How a demo the page computes itself turns its values into its one report (or a message).
pub type OnPage = fn(&params::Values) -> Result<protocol::Report, String>;

/// A demo: its stable id, its parameters and its metrics.
#[derive(Debug, Clone, Copy)]
pub struct DemoSpec {
    pub id: &'static str,
    pub title: &'static str,
    pub params: &'static [ParamSpec],
    pub metrics: &'static [MetricSpec],
    /// Whether it computes with burn tensors (else the backend does not matter and it runs on
    /// the CPU).
    pub uses_tensors: bool,
    /// For a demo the page computes itself, at once, whenever a value changes (no worker, no
    /// training): the computation.
    pub on_page: Option<OnPage>,
    /// The parameters that set the size of the work, which `auto`'s cached choice is keyed by.
    pub workload_params: &'static [&'static str],
}

/// Two specs are the same demo when their ids are (ids are unique; a test checks it).
impl PartialEq for DemoSpec {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl DemoSpec {
    /// Whether the page computes it itself ([`DemoSpec::on_page`]).
    pub fn runs_on_page(&self) -> bool {
        self.on_page.is_some()
    }

    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|spec| spec.name == name)
    }
}

/// A chapter of the notebook.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chapter {
    /// Stable: the page is `<slug>.html`.
    pub slug: &'static str,
    pub title: &'static str,
    /// The idea, in one line, for the home page.
    pub idea: &'static str,
    /// Whether its page exists yet; chapters still to come are listed without a link.
    pub is_built: bool,
    pub demos: &'static [&'static str],
}

/// The notebook's chapters, in reading order.
pub const CHAPTERS: [Chapter; 7] = [
    Chapter {
        slug: "entropy",
        title: "Entropy of coins",
        idea: "Entropy is the shortest average code; arithmetic coding reaches it, and a model that predicts better compresses better.",
        is_built: true,
        demos: &["coin-flips", "block-codes", "text-model"],
    },
    Chapter {
        slug: "pca-sparse",
        title: "PCA and sparse coding",
        idea: "Data lives near low-dimensional subspaces; finding them compresses it.",
        is_built: true,
        demos: &["pca", "sparse-coding", "bases"],
    },
    Chapter {
        slug: "diffusion",
        title: "Denoising and diffusion",
        idea: "A denoiser pulls noisy samples back to the low-dimensional data.",
        is_built: true,
        demos: &["denoiser", "diffusion"],
    },
    Chapter {
        slug: "coding-rate",
        title: "Contrastive coding rate (MCR²)",
        idea: "Expand the whole, compress each class.",
        is_built: true,
        demos: &["rate-geometry", "redunet", "mcr2"],
    },
    Chapter {
        slug: "crate",
        title: "CRATE",
        idea: "Unrolled rate reduction gives a white-box transformer: attention compresses, ISTA sparsifies.",
        is_built: true,
        demos: &["crate-layers", "crate-digits"],
    },
    Chapter {
        slug: "claims",
        title: "Claims",
        idea: "Does training compress? The popular claims, run at toy scale, and what holds.",
        is_built: true,
        demos: &[
            "scaling",
            "information-plane",
            "layer-rates",
            "mdl-selection",
            "compression-regularizer",
        ],
    },
    // After the claims: the oldest form of the thesis closes the notebook, and its demos need
    // nothing the earlier chapters built (no tensors, no training).
    Chapter {
        slug: "prediction",
        title: "Prediction",
        idea: "The shortest explanation predicts best: Kolmogorov, Solomonoff, and minimum description length.",
        is_built: true,
        demos: &["program-search", "compression-distance", "mdl-curve"],
    },
];

/// The demo with this id.
pub fn demo(id: &str) -> Option<&'static DemoSpec> {
    DEMOS.iter().copied().find(|spec| spec.id == id)
}

/// The chapter with this slug.
pub fn chapter(slug: &str) -> Option<&'static Chapter> {
    CHAPTERS.iter().find(|chapter| chapter.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Demos on one chapter page share its URL, which holds one value per name: a name two of
    /// them use must mean the same default in both, or the page's demos would depend on which
    /// one wrote the URL first.
    #[test]
    fn demos_on_one_page_agree_on_shared_defaults() {
        for chapter in CHAPTERS {
            let specs: Vec<&DemoSpec> = chapter.demos.iter().filter_map(|id| demo(id)).collect();
            for (index, spec) in specs.iter().enumerate() {
                let defaults = params::Values::defaults(spec.params);
                for other in &specs[index + 1..] {
                    let other_defaults = params::Values::defaults(other.params);
                    for param in spec.params {
                        if other.param(param.name).is_some() {
                            assert_eq!(
                                defaults.get(param.name),
                                other_defaults.get(param.name),
                                "{} and {} share `{}`",
                                spec.id,
                                other.id,
                                param.name
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn ids_are_unique_and_names_follow_the_contract() {
        let is_kebab = |name: &str| {
            !name.is_empty()
                && name.split('-').all(|word| {
                    !word.is_empty()
                        && word
                            .chars()
                            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                })
        };
        for (index, spec) in DEMOS.iter().enumerate() {
            assert!(is_kebab(spec.id), "{}", spec.id);
            assert!(
                DEMOS[index + 1..].iter().all(|other| other.id != spec.id),
                "duplicate id {}",
                spec.id
            );
            assert!(spec.param("seed").is_some(), "{} has no seed", spec.id);
            for metric in spec.metrics {
                assert!(is_kebab(metric.name), "{}", metric.name);
            }
            for name in spec.workload_params {
                assert!(
                    spec.param(name).is_some(),
                    "{}: unknown workload param {name}",
                    spec.id
                );
            }
        }
        for chapter in CHAPTERS {
            for id in chapter.demos {
                assert!(
                    demo(id).is_some(),
                    "chapter {} lists unknown demo {id}",
                    chapter.slug
                );
            }
        }
    }
}
