//! occam-core: the mathematics behind occam's demos.
//!
//! Plain-Rust modules (always built, also for the page's wasm): [`entropy`] and
//! [`arithmetic`] coding. With the `tensor` feature, burn models that train on any
//! [`burn::tensor::Device`]: [`mlp`], and the
//! next-character network [`charnet`], principal components [`pca`], sparse coding
//! [`sparse`], and for denoising and diffusion the toy data, exact mixture denoiser, schedule
//! and samplers ([`diffusion`]) and the networks that learn them ([`denoising`]). The white-box
//! transformer CRATE and a standard transformer beside it, for the digits ([`white_box`]); a
//! classifier whose hidden layers are in view ([`classifier`]). Plain Rust too: the [`dct`]
//! basis, adaptive coding of [`integers`], and the mutual-information estimators, Occam bound
//! and prequential code of chapter 6 ([`information`]).
//! With the `linalg` feature (nalgebra, f64; implied by `tensor`): the coding rates of
//! maximal coding rate reduction and the ReduNet layer built from them ([`rate`]).

pub mod arithmetic;
#[cfg(feature = "compressors")]
pub mod baselines;
pub mod context;
pub mod dct;
#[cfg(feature = "compressors")]
pub mod digits;
pub mod entropy;
pub mod huffman;
pub mod information;
pub mod integers;
#[cfg(feature = "linalg")]
pub mod mdl;
pub mod programs;
pub mod rng;
pub mod schedule;
#[cfg(feature = "compressors")]
pub mod similarity;

#[cfg(feature = "tensor")]
pub mod charnet;
#[cfg(feature = "tensor")]
pub mod classifier;
#[cfg(feature = "tensor")]
pub mod denoising;
#[cfg(feature = "tensor")]
pub mod diffusion;
#[cfg(feature = "tensor")]
pub mod mcr2;
#[cfg(feature = "tensor")]
pub mod mlp;
#[cfg(feature = "tensor")]
pub mod pca;
#[cfg(feature = "linalg")]
pub mod rate;
#[cfg(feature = "tensor")]
pub mod sparse;
#[cfg(feature = "tensor")]
pub mod white_box;

#[cfg(feature = "tensor")]
pub use burn;

/// Why work on the device failed.
#[cfg(feature = "tensor")]
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DeviceError {
    /// A read-back from the device failed (the device was lost, or the data had another type).
    #[error("reading a tensor back from the device failed: {0}")]
    ReadBack(String),
    /// A training loss that is not a finite number.
    #[error("the loss became {0}")]
    Diverged(f64),
    /// A model without a part the code relies on.
    #[error("the model has no {0}")]
    Missing(&'static str),
}

/// Reads a tensor back to the host: asynchronously, the only read-back WebGPU allows in a
/// browser (it works the same on every backend).
#[cfg(feature = "tensor")]
pub async fn read_back<const D: usize>(
    tensor: burn::tensor::Tensor<D>,
) -> Result<Vec<f32>, DeviceError> {
    tensor
        .into_data_async()
        .await
        .map_err(|error| DeviceError::ReadBack(one_line(&format!("{error:?}"))))?
        .try_to_vec::<f32>()
        .map_err(|error| DeviceError::ReadBack(one_line(&format!("{error:?}"))))
}

/// An error's `Debug` text on one line, for a person: its chain of causes joined by ": ",
/// each said once, without the backtrace (burn's and cubecl's errors print "Caused by:" and
/// "Backtrace:" sections).
pub fn one_line(debug: &str) -> String {
    let mut causes: Vec<&str> = Vec::new();
    for line in debug.lines().map(str::trim) {
        match line {
            "Backtrace:" => break,
            "" | "Caused by:" => {}
            cause if causes.last() == Some(&cause) => {}
            cause => causes.push(cause),
        }
    }
    causes.join(": ")
}

#[cfg(test)]
mod tests {
    use super::one_line;

    #[test]
    fn an_error_chain_reads_on_one_line_without_its_backtrace() {
        // As cubecl printed it when Chromium destroyed the device mid-run.
        let printed = "An error happened during execution\nCaused by:\n  An error happened during \
            execution\nCaused by:\n  the staging buffer could not be mapped\nBacktrace:\nNo \
            backtrace available";
        assert_eq!(
            one_line(printed),
            "An error happened during execution: the staging buffer could not be mapped"
        );
        assert_eq!(one_line("plain"), "plain");
        assert_eq!(one_line(""), "");
    }
}
