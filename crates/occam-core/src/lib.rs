//! occam-core: the mathematics behind occam's demos.
//!
//! Plain-Rust modules (always built, also for the page's wasm): [`entropy`] and
//! [`arithmetic`] coding. With the `tensor` feature, burn models that train on any
//! [`burn::tensor::Device`]: [`mlp`], and the
//! next-character network [`charnet`], principal components [`pca`], sparse coding
//! [`sparse`]. Plain Rust too: the [`dct`] basis and adaptive coding of [`integers`].

pub mod arithmetic;
#[cfg(feature = "compressors")]
pub mod baselines;
pub mod context;
pub mod dct;
#[cfg(feature = "compressors")]
pub mod digits;
pub mod entropy;
pub mod huffman;
pub mod integers;
pub mod rng;

#[cfg(feature = "tensor")]
pub mod charnet;
#[cfg(feature = "tensor")]
pub mod mlp;
#[cfg(feature = "tensor")]
pub mod pca;
#[cfg(feature = "tensor")]
pub mod sparse;

#[cfg(feature = "tensor")]
pub use burn;
