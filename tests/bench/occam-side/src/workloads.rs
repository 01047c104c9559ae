//! The benchmark's workloads: an MLP trained with Adam, and matrix products.
//!
//! Both frameworks on the page run these with the same shapes and step counts, and read a
//! result back at the end of every timed run, so that no work is left queued on a GPU.

// Natively only the tests use them; the page's exports are built for the browser alone.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

use burn::module::Module;
use burn::nn::{Linear, LinearConfig, Relu};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use burn::tensor::Distribution;
use occam_core::white_box::{Architecture, WhiteBoxConfig, WhiteBoxTrainer};

/// Linear layers with ReLU between them: sizes `[n₀, n₁, …, n_L]` give L layers.
#[derive(Module, Debug)]
pub struct Stack {
    layers: Vec<Linear>,
    activation: Relu,
}

impl Stack {
    pub fn new(sizes: &[usize], device: &Device) -> Self {
        Self {
            layers: sizes
                .windows(2)
                .map(|pair| LinearConfig::new(pair[0], pair[1]).init(device))
                .collect(),
            activation: Relu::new(),
        }
    }

    /// `[batch, n₀]` to `[batch, n_L]`.
    pub fn forward(&self, mut x: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len().saturating_sub(1);
        for (index, layer) in self.layers.iter().enumerate() {
            x = layer.forward(x);
            if index < last {
                x = self.activation.forward(x);
            }
        }
        x
    }
}

/// An MLP regressing fixed random targets from fixed random inputs (both standard normal), one
/// Adam step (learning rate 10⁻³, TensorFlow.js's default) per step on the mean squared error.
pub struct MlpWorkload {
    model: Stack,
    optimizer: ModuleOptimizer,
    inputs: Tensor<2>,
    targets: Tensor<2>,
}

impl std::fmt::Debug for MlpWorkload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MlpWorkload")
            .field("model", &self.model)
            .finish_non_exhaustive()
    }
}

impl MlpWorkload {
    /// `sizes` as [`Stack::new`]'s (at least two), `batch` rows a step, fixed by `seed`.
    pub fn new(device: &Device, sizes: &[usize], batch: usize, seed: u64) -> Self {
        let device = device.clone().autodiff();
        device.seed(seed);
        let input = sizes.first().copied().unwrap_or(1);
        let output = sizes.last().copied().unwrap_or(1);
        let normal = Distribution::Normal(0.0, 1.0);
        Self {
            model: Stack::new(sizes, &device),
            optimizer: AdamConfig::new().init(),
            inputs: Tensor::random([batch, input], normal, &device),
            targets: Tensor::random([batch, output], normal, &device),
        }
    }

    fn step(&mut self) -> Tensor<1> {
        let prediction = self.model.forward(self.inputs.clone());
        let loss = (prediction - self.targets.clone()).powi_scalar(2).mean();
        let gradients = GradientsParams::from_grads(loss.backward(), &self.model);
        self.model = self.optimizer.step(1e-3, self.model.clone(), gradients);
        loss.detach()
    }

    /// `steps` Adam steps; the loss of the last, read back (which waits for all of them).
    pub async fn train(&mut self, steps: usize) -> Result<f32, String> {
        let mut loss = None;
        for _ in 0..steps {
            loss = Some(self.step());
        }
        match loss {
            Some(loss) => Ok(occam_core::read_back(loss)
                .await
                .map_err(|error| error.to_string())?
                .first()
                .copied()
                .unwrap_or(f32::NAN)),
            None => Ok(f32::NAN),
        }
    }
}

/// A white-box transformer (CRATE) or a standard one on 8×8 images cut into 2×2 patches,
/// trained with Adam on a fixed batch of random images and labels (the shapes are what is
/// measured).
pub struct WhiteBoxWorkload {
    trainer: WhiteBoxTrainer,
    images: Vec<f32>,
    labels: Vec<usize>,
}

impl std::fmt::Debug for WhiteBoxWorkload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WhiteBoxWorkload")
            .field("trainer", &self.trainer)
            .finish_non_exhaustive()
    }
}

impl WhiteBoxWorkload {
    pub fn new(
        device: &Device,
        architecture: Architecture,
        width: usize,
        layers: usize,
        heads: usize,
        batch: usize,
        seed: u64,
    ) -> Result<Self, String> {
        let config = WhiteBoxConfig::new(architecture, 2, width, layers, heads, 10);
        let trainer =
            WhiteBoxTrainer::new(config, device, seed).map_err(|error| error.to_string())?;
        let mut rng = occam_core::rng::seeded(seed);
        Ok(Self {
            trainer,
            images: occam_core::rng::uniform(0.0, 1.0, batch * 64, &mut rng),
            labels: (0..batch).map(|index| index % 10).collect(),
        })
    }

    /// `steps` Adam steps (learning rate 10⁻³); the last loss, read back.
    pub async fn train(&mut self, steps: usize) -> Result<f32, String> {
        let mut loss = None;
        for _ in 0..steps {
            loss = Some(self.trainer.step(self.images.clone(), &self.labels, 1e-3));
        }
        match loss {
            Some(loss) => Ok(occam_core::read_back(loss)
                .await
                .map_err(|error| error.to_string())?
                .first()
                .copied()
                .unwrap_or(f32::NAN)),
            None => Ok(f32::NAN),
        }
    }
}

/// Products of two fixed random n × n matrices.
#[derive(Debug)]
pub struct MatmulWorkload {
    a: Tensor<2>,
    b: Tensor<2>,
}

impl MatmulWorkload {
    pub fn new(device: &Device, n: usize, seed: u64) -> Self {
        device.seed(seed);
        let normal = Distribution::Normal(0.0, 1.0);
        Self {
            a: Tensor::random([n, n], normal, device),
            b: Tensor::random([n, n], normal, device),
        }
    }

    /// `repeats` products A·B; the sum of the last one's entries, read back (which waits for
    /// all of them).
    pub async fn run(&self, repeats: usize) -> Result<f32, String> {
        let mut product = None;
        for _ in 0..repeats {
            product = Some(self.a.clone().matmul(self.b.clone()));
        }
        match product {
            Some(product) => Ok(occam_core::read_back(product.sum())
                .await
                .map_err(|error| error.to_string())?
                .first()
                .copied()
                .unwrap_or(f32::NAN)),
            None => Ok(f32::NAN),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mlp_fits_its_batch() {
        let device = Device::flex();
        let mut workload = MlpWorkload::new(&device, &[8, 32, 32, 4], 64, 3);
        let first = pollster::block_on(workload.train(1)).expect("read back");
        let later = pollster::block_on(workload.train(300)).expect("read back");
        // Targets are standard normal and independent of the inputs, so an untrained network's
        // error is near their variance, 1 (plus its own output's); 64 points and 1,476
        // parameters leave room to fit them closely.
        assert!(first > 0.5, "first loss {first}");
        assert!(later < 0.5 * first, "loss went from {first} to {later}");
    }

    #[test]
    fn the_white_box_models_fit_a_fixed_batch() {
        for architecture in [Architecture::Crate, Architecture::Transformer] {
            let mut workload =
                WhiteBoxWorkload::new(&Device::flex(), architecture, 16, 1, 2, 20, 4)
                    .expect("sizes fit");
            let first = pollster::block_on(workload.train(1)).expect("read back");
            let later = pollster::block_on(workload.train(150)).expect("read back");
            // Ten classes: about ln 10 = 2.30 at first; 20 labelled images can be memorised.
            assert!(
                (first - 10f32.ln()).abs() < 0.7,
                "{architecture:?}: first loss {first}"
            );
            assert!(later < 0.5 * first, "{architecture:?}: {first} to {later}");
        }
    }

    #[test]
    fn products_sum_as_computed_on_the_host() {
        let device = Device::flex();
        let workload = MatmulWorkload::new(&device, 16, 7);
        let a = workload
            .a
            .clone()
            .into_data()
            .try_to_vec::<f32>()
            .expect("a");
        let b = workload
            .b
            .clone()
            .into_data()
            .try_to_vec::<f32>()
            .expect("b");
        // Σ_ij (AB)_ij = Σ_k (Σ_i a_ik)(Σ_j b_kj), in f64 on the host.
        let expected: f64 = (0..16)
            .map(|k| {
                let column: f64 = (0..16).map(|i| f64::from(a[i * 16 + k])).sum();
                let row: f64 = (0..16).map(|j| f64::from(b[k * 16 + j])).sum();
                column * row
            })
            .sum();
        let sum = pollster::block_on(workload.run(3)).expect("read back");
        assert!(
            (f64::from(sum) - expected).abs() < 1e-3 * expected.abs().max(1.0),
            "{sum} vs {expected}"
        );
    }
}
