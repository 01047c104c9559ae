//! An encoder that learns structured features by maximising the rate reduction (MCR², Yu, Chan
//! et al. 2020), or, for comparison, the same encoder trained as a classifier with
//! cross-entropy; on any burn [`Device`].
//!
//! The encoder is the perceptron of [`crate::denoising`] (SiLU), its outputs normalised to the
//! unit sphere: zᵢ = f(xᵢ)/‖f(xᵢ)‖. The rate reduction ΔR(Z, Π) and its gradient G = ∂ΔR/∂Z
//! are computed on the host ([`crate::rate`], f64: the d × d matrices are small) from the
//! features read back once a step; the device then backpropagates the surrogate −Σ Z ⊙ G,
//! whose gradient with respect to the weights is −Jᵀ G, the chain rule through the encoder
//! (G is a constant there). Maximising ΔR is minimising −ΔR, so the loss reported is −ΔR.
//! With cross-entropy, a linear head maps f(x) to class scores and the loss is
//! −(1/m) Σᵢ log softmax(W f(xᵢ) + b)_{yᵢ}.

use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use burn::tensor::TensorData;
use nalgebra::DMatrix;

use crate::denoising::{Net, NetConfig};
use crate::rate::{delta_rate_gradient, rates};

/// What the encoder is trained on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Objective {
    /// Maximise ΔR of the normalised features.
    RateReduction,
    /// Minimise cross-entropy through a linear head.
    CrossEntropy,
}

/// The encoder and the linear head (used only by cross-entropy).
#[derive(Module, Debug)]
pub struct Model {
    encoder: Net,
    head: Linear,
}

/// Rows of `features` (`[rows, d]`) scaled to unit length.
pub(crate) fn normalize_rows(features: Tensor<2>) -> Tensor<2> {
    let norms = features
        .clone()
        .powi_scalar(2)
        .sum_dim(1)
        .sqrt()
        .add_scalar(1e-8); // [rows, 1]
    features / norms
}

/// `[rows, d]` row-major numbers as the d × rows matrix of columns zᵢ (the same memory order).
pub fn as_columns(rows_major: &[f32], d: usize) -> DMatrix<f64> {
    let columns = rows_major.len() / d.max(1);
    DMatrix::from_iterator(d, columns, rows_major.iter().map(|&value| f64::from(value)))
}

/// Trains a [`Model`] with Adam on batches made on the host.
pub struct Mcr2Trainer {
    model: Model,
    optimizer: ModuleOptimizer,
    device: Device,
    inference: Device,
    input: usize,
    feature_dim: usize,
    classes: usize,
    eps: f64,
    objective: Objective,
}

impl std::fmt::Debug for Mcr2Trainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mcr2Trainer")
            .field("objective", &self.objective)
            .field("feature_dim", &self.feature_dim)
            .finish_non_exhaustive()
    }
}

impl Mcr2Trainer {
    /// An encoder `input` → `hidden` → `hidden` → `feature_dim` (and a head to `classes`), its
    /// weights fixed by `seed`; ΔR measured at precision `eps`.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        device: &Device,
        input: usize,
        hidden: usize,
        feature_dim: usize,
        classes: usize,
        eps: f64,
        objective: Objective,
        seed: u64,
    ) -> Self {
        let training = device.clone().autodiff();
        training.seed(seed);
        Self {
            model: Model {
                encoder: NetConfig::new(input, hidden, 2, feature_dim).init(&training),
                head: LinearConfig::new(feature_dim, classes).init(&training),
            },
            optimizer: AdamConfig::new().init(),
            device: training,
            inference: device.clone(),
            input,
            feature_dim,
            classes,
            eps,
            objective,
        }
    }

    /// One Adam step on `inputs` (`[rows, input]`, row-major) with their `labels`; resolves to
    /// the loss before the step (−ΔR, or the cross-entropy). Reads the features back once (for
    /// ΔR's gradient) or the loss (for cross-entropy).
    pub async fn step(
        &mut self,
        inputs: Vec<f32>,
        labels: &[usize],
        learning_rate: f64,
    ) -> Result<f64, crate::DeviceError> {
        let rows = labels.len();
        let x = Tensor::from_data(TensorData::new(inputs, [rows, self.input]), &self.device);
        let features = self.model.encoder.forward(x); // [rows, d]
        let (objective, loss) = match self.objective {
            Objective::RateReduction => {
                let z = normalize_rows(features); // [rows, d]
                let values = crate::read_back(z.clone().detach()).await?;
                let columns = as_columns(&values, self.feature_dim);
                let measured = rates(&columns, labels, self.classes, self.eps);
                let gradient = delta_rate_gradient(&columns, labels, self.classes, self.eps);
                // Column-major d × rows is row-major [rows, d]: the layout of z.
                let gradient: Vec<f32> = gradient.iter().map(|&value| value as f32).collect();
                let gradient = Tensor::<2>::from_data(
                    TensorData::new(gradient, [rows, self.feature_dim]),
                    &self.device,
                );
                (-(z * gradient).sum(), -measured.delta_rate)
            }
            Objective::CrossEntropy => {
                let logits = self.model.head.forward(features); // [rows, classes]
                let targets: Vec<i32> = labels.iter().map(|&label| label as i32).collect();
                let targets =
                    Tensor::<1, Int>::from_data(TensorData::new(targets, [rows]), &self.device);
                let loss = CrossEntropyLossConfig::new()
                    .init(&self.device)
                    .forward(logits, targets); // [1]
                let value = crate::read_back(loss.clone().detach()).await?;
                (loss, value.first().copied().map_or(f64::NAN, f64::from))
            }
        };
        if !loss.is_finite() {
            return Err(crate::DeviceError::Diverged(loss));
        }
        let gradients = GradientsParams::from_grads(objective.backward(), &self.model);
        self.model = self
            .optimizer
            .step(learning_rate, self.model.clone(), gradients);
        Ok(loss)
    }

    /// The normalised features of `inputs` (`[rows, input]`): `[rows, feature_dim]`, on the
    /// device, without gradients.
    pub fn features(&self, inputs: Vec<f32>) -> Tensor<2> {
        let rows = inputs.len() / self.input.max(1);
        let x = Tensor::from_data(TensorData::new(inputs, [rows, self.input]), &self.inference);
        normalize_rows(self.model.valid().encoder.forward(x))
    }

    pub fn feature_dim(&self) -> usize {
        self.feature_dim
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rate::{
        class_basis, class_singular_values, effective_rank, nearest_subspace, subspace_mixture,
    };
    use crate::rng::seeded;

    /// Nearest-subspace accuracy of `test` features given bases from `train` features.
    fn accuracy(
        train: &DMatrix<f64>,
        train_labels: &[usize],
        test: &DMatrix<f64>,
        test_labels: &[usize],
        classes: usize,
    ) -> f64 {
        let bases: Vec<DMatrix<f64>> = (0..classes)
            .map(|class| {
                let rank = effective_rank(&class_singular_values(train, train_labels, class), 0.9);
                class_basis(train, train_labels, class, rank)
            })
            .collect();
        let correct = test
            .column_iter()
            .zip(test_labels)
            .filter(|(z, label)| nearest_subspace(&z.clone_owned(), &bases) == **label)
            .count();
        correct as f64 / test_labels.len() as f64
    }

    /// Samples of a mixture as `[rows, ambient]` row-major f32.
    fn rows(points: &DMatrix<f64>) -> Vec<f32> {
        points.iter().map(|&value| value as f32).collect()
    }

    #[test]
    fn training_on_the_rate_reduction_raises_it_and_the_nearest_subspace_accuracy() {
        let (classes, ambient, eps) = (4, 32, 0.5);
        // One draw, split: two thirds to train on, a third to test.
        let (all, labels) = subspace_mixture(classes, ambient, 3, 0.7, 0.1, 150, &mut seeded(11));
        let split = |is_test: bool| {
            let keep: Vec<usize> = (0..labels.len())
                .filter(|&index| crate::digits::is_held_out(index) == is_test)
                .collect();
            (
                all.select_columns(&keep),
                keep.iter().map(|&index| labels[index]).collect::<Vec<_>>(),
            )
        };
        let ((train, train_labels), (test, test_labels)) = (split(false), split(true));
        let device = Device::flex();
        let mut trainer = Mcr2Trainer::new(
            &device,
            ambient,
            64,
            12,
            classes,
            eps,
            Objective::RateReduction,
            3,
        );
        let measure = |trainer: &Mcr2Trainer| {
            let read = |points: &DMatrix<f64>| {
                let values = pollster::block_on(crate::read_back(trainer.features(rows(points))))
                    .expect("features");
                as_columns(&values, 12)
            };
            let (train_features, test_features) = (read(&train), read(&test));
            let delta = rates(&train_features, &train_labels, classes, eps).delta_rate;
            (
                delta,
                accuracy(
                    &train_features,
                    &train_labels,
                    &test_features,
                    &test_labels,
                    classes,
                ),
            )
        };
        let (delta_before, accuracy_before) = measure(&trainer);
        for _ in 0..150 {
            pollster::block_on(trainer.step(rows(&train), &train_labels, 1e-3)).expect("a step");
        }
        let (delta_after, accuracy_after) = measure(&trainer);
        println!(
            "ΔR {delta_before:.3} → {delta_after:.3}; accuracy {accuracy_before:.3} → {accuracy_after:.3}"
        );
        assert!(
            delta_after > delta_before + 0.5,
            "ΔR {delta_before} → {delta_after}"
        );
        assert!(
            accuracy_after > accuracy_before,
            "accuracy {accuracy_before} → {accuracy_after}"
        );
        assert!(accuracy_after > 0.9, "accuracy {accuracy_after}");
    }

    #[test]
    fn the_surrogate_gives_the_gradient_of_the_rate_reduction() {
        // One plain gradient step (SGD through the surrogate) on a linear encoder's features must
        // change ΔR by about η‖∂ΔR/∂θ‖², positive: checks signs and layouts end to end.
        let (classes, ambient, eps) = (3, 8, 0.5);
        let (points, labels) = subspace_mixture(classes, ambient, 2, 0.5, 0.05, 30, &mut seeded(4));
        let device = Device::flex();
        let mut trainer = Mcr2Trainer::new(
            &device,
            ambient,
            16,
            6,
            classes,
            eps,
            Objective::RateReduction,
            9,
        );
        let delta = |trainer: &Mcr2Trainer| {
            let values = pollster::block_on(crate::read_back(trainer.features(rows(&points))))
                .expect("features");
            rates(&as_columns(&values, 6), &labels, classes, eps).delta_rate
        };
        let before = delta(&trainer);
        let loss = pollster::block_on(trainer.step(rows(&points), &labels, 1e-3)).expect("a step");
        assert!(
            (loss + before).abs() < 1e-4,
            "loss {loss} is −ΔR = {}",
            -before
        );
        let after = delta(&trainer);
        assert!(after > before, "ΔR {before} → {after}");
    }

    #[test]
    fn cross_entropy_learns_to_classify() {
        let (classes, ambient) = (3, 8);
        let (points, labels) = subspace_mixture(classes, ambient, 2, 0.3, 0.05, 40, &mut seeded(6));
        let device = Device::flex();
        let mut trainer = Mcr2Trainer::new(
            &device,
            ambient,
            32,
            6,
            classes,
            0.5,
            Objective::CrossEntropy,
            2,
        );
        let first = pollster::block_on(trainer.step(rows(&points), &labels, 1e-2)).expect("a step");
        // Three classes, small random logits: about ln 3 at first.
        assert!((first - 3f64.ln()).abs() < 0.3, "{first}");
        let mut last = first;
        for _ in 0..200 {
            last = pollster::block_on(trainer.step(rows(&points), &labels, 1e-2)).expect("a step");
        }
        assert!(last < 0.3 * first, "{first} → {last}");
    }
}
