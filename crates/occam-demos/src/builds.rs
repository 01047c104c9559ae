//! The CPU builds of the training worker, and which demos each one carries.
//!
//! A worker build holds the code of the demos it can run, and nothing else: wasm-ld keeps only
//! what its `main` can reach, so a build whose [`Registry`] names the demos without tensors
//! links no burn, and one without `text-model` links no brotli encoder (its tables alone are
//! some 200 KB of gzip) and no novel. The page sends a run on the CPU to the build that carries
//! its demo ([`cpu_build`]); the WebGPU build carries every demo ([`registries::ALL`]).
//!
//! Each build is a `[[bin]]` of `web/worker` and a `<link data-trunk rel="rust">` of
//! `index.html`; `cargo xtask dist` and its tests read this table for their names.

/// One CPU build: its binary's name (the worker's files are `<bin>.js`, `<bin>_bg.wasm` and
/// `<bin>_loader.js`) and the demos it carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CpuBuild {
    pub bin: &'static str,
    pub demos: &'static [&'static str],
}

/// The WebGPU build's binary: every demo, on WebGPU or on the CPU beside it.
pub const WEBGPU_BIN: &str = "occam-worker";

macro_rules! cpu_builds {
    ($($name:ident ($bin:literal): [$($module:ident: $run:ident),* $(,)?]),* $(,)?) => {
        /// Every CPU build, smallest first; every demo is in exactly one (a test checks it).
        pub const CPU_BUILDS: &[CpuBuild] = &[
            $(CpuBuild { bin: $bin, demos: &[$(crate::$module::SPEC.id),*] },)*
        ];

        /// What each worker binary can start.
        #[cfg(feature = "session")]
        pub mod registries {
            use crate::session::{Registry, start};

            $(
                #[doc = concat!("The demos of `", $bin, "`.")]
                pub const $name: Registry = Registry(&[
                    $((crate::$module::SPEC.id, start::<crate::$module::$run>),)*
                ]);
            )*

            /// Every demo: the WebGPU build's, and the native tests'.
            pub use crate::session::ALL;

            /// The demos of the worker binary `bin`: a CPU build's, or every demo for the
            /// WebGPU build. Each binary evaluates it at compile time on its own name
            /// (`env!("CARGO_BIN_NAME")`), so that it reaches only those demos; a name the
            /// table lacks fails that binary's build.
            pub const fn for_bin(bin: &str) -> Registry {
                $(
                    if same(bin, $bin) {
                        return $name;
                    }
                )*
                if same(bin, super::WEBGPU_BIN) {
                    return ALL;
                }
                panic!("a worker binary that occam_demos::builds does not list");
            }

            /// `a == b`, at compile time.
            const fn same(a: &str, b: &str) -> bool {
                let (a, b) = (a.as_bytes(), b.as_bytes());
                if a.len() != b.len() {
                    return false;
                }
                let mut index = 0;
                while index < a.len() {
                    if a[index] != b[index] {
                        return false;
                    }
                    index += 1;
                }
                true
            }
        }
    };
}

// Grouped by what the demos link: nothing of burn; burn for subspaces and small denoisers;
// burn with the classifiers and transformers; the character model with gzip, brotli and their
// texts. `scaling` trains the character model on a novel without the compressors: it is chapter
// 6's first demo, and beside the text demos (or the classifiers) its build would pass the
// budget of 1.5 MB of gzip before a first result. Sizes: ARCHITECTURE.md.
cpu_builds! {
    PLAIN ("occam-worker-plain"): [
        coin_flips: CoinFlips,
        block_codes: BlockCodes,
        rate_geometry: RateGeometry,
        redunet: Redunet,
        program_search: ProgramSearch,
        mdl_curve: MdlCurve,
    ],
    SUBSPACES ("occam-worker-subspaces"): [
        pca: Pca,
        sparse_coding: SparseCoding,
        bases: Bases,
        denoiser: Denoiser,
        diffusion: Diffusion,
        backend_check: BackendCheck,
    ],
    NETWORKS ("occam-worker-cpu"): [
        mcr2: Mcr2,
        crate_layers: CrateLayers,
        crate_digits: CrateDigits,
        information_plane: InformationPlane,
        layer_rates: LayerRates,
        mdl_selection: MdlSelection,
        compression_regularizer: CompressionRegularizer,
    ],
    TEXT ("occam-worker-text"): [
        text_model: TextModel,
        compression_distance: CompressionDistance,
    ],
    SCALING ("occam-worker-scaling"): [
        scaling: Scaling,
    ],
}

/// The CPU build that carries demo `id`, if any does.
pub fn cpu_build(id: &str) -> Option<&'static str> {
    CPU_BUILDS
        .iter()
        .find(|build| build.demos.contains(&id))
        .map(|build| build.bin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_is_in_exactly_one_cpu_build() {
        for spec in crate::DEMOS {
            let holding: Vec<&str> = CPU_BUILDS
                .iter()
                .filter(|build| build.demos.contains(&spec.id))
                .map(|build| build.bin)
                .collect();
            assert_eq!(holding.len(), 1, "{}: {holding:?}", spec.id);
            assert_eq!(cpu_build(spec.id), Some(holding[0]));
        }
        let listed: usize = CPU_BUILDS.iter().map(|build| build.demos.len()).sum();
        assert_eq!(listed, crate::DEMOS.len());
        assert_eq!(cpu_build("no-such-demo"), None);
    }

    #[test]
    fn bins_are_distinct_worker_names() {
        let mut bins: Vec<&str> = CPU_BUILDS.iter().map(|build| build.bin).collect();
        bins.push(WEBGPU_BIN);
        for bin in &bins {
            assert!(bin.starts_with("occam-worker"), "{bin}");
        }
        bins.sort_unstable();
        bins.dedup();
        assert_eq!(bins.len(), CPU_BUILDS.len() + 1);
    }

    #[cfg(feature = "session")]
    #[test]
    fn each_binary_starts_exactly_its_builds_demos() {
        use registries::for_bin;
        for build in CPU_BUILDS {
            assert_eq!(for_bin(build.bin).ids().collect::<Vec<_>>(), build.demos);
        }
        let every: Vec<&str> = crate::DEMOS.iter().map(|spec| spec.id).collect();
        assert_eq!(for_bin(WEBGPU_BIN).ids().collect::<Vec<_>>(), every);
        // The bins' own names, as web/worker/Cargo.toml gives them (checked against the
        // manifest by xtask's tests).
        assert_eq!(
            for_bin("occam-worker-plain").ids().next(),
            Some("coin-flips")
        );
        assert_eq!(
            for_bin("occam-worker-scaling").ids().collect::<Vec<_>>(),
            ["scaling"]
        );
    }
}
