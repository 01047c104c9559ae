//! A multilayer perceptron that classifies, with every hidden layer's activations in view: the
//! network whose layers chapter 6 measures (the information plane, the layers' coding rates,
//! the code length of its parameters).
//!
//! x ↦ h₁ = a(x W₁ + b₁), …, h_L = a(h_{L−1} W_L + b_L), logits = h_L W + b, with a = tanh or
//! relu, trained with Adam on the mean cross-entropy, or on chapter 4's rate reduction ΔR of the
//! last hidden layer's normalised features (MCR², [`ClassifierTrainer::rate_reduction_step`]). Parameters are drawn on the host from a
//! seed ([`crate::white_box::init_linear`]), so a seed gives the same network on every backend.

use burn::module::Module;
use burn::nn::Linear;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;

use crate::rng::seeded;
use crate::white_box::{cross_entropy, init_linear};

/// The hidden layers' nonlinearity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Activation {
    /// Saturates at ±1: the activation of Shwartz-Ziv and Tishby's experiments.
    Tanh,
    /// max(0, x): unbounded, the case Saxe et al. (2018) contrasted.
    Relu,
}

/// A classifier's sizes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassifierConfig {
    pub input: usize,
    /// Hidden layers' widths, from the input on.
    pub widths: Vec<usize>,
    pub classes: usize,
    pub activation: Activation,
}

impl ClassifierConfig {
    /// Trainable numbers: Σ (fan-in + 1) · fan-out over the hidden layers and the head.
    pub fn parameter_count(&self) -> usize {
        self.sizes()
            .windows(2)
            .map(|pair| (pair[0] + 1) * pair[1])
            .sum()
    }

    /// input, widths…, classes.
    fn sizes(&self) -> Vec<usize> {
        std::iter::once(self.input)
            .chain(self.widths.iter().copied())
            .chain(std::iter::once(self.classes))
            .collect()
    }

    /// Parameters on `device`, drawn on the host from `seed` (each `Linear` uniform in
    /// ±1/√fan-in, weights before biases, layer by layer).
    pub fn init(&self, device: &Device, seed: u64) -> Classifier {
        let rng = &mut seeded(seed);
        let sizes = self.sizes();
        let mut linears: Vec<Linear> = sizes
            .windows(2)
            .map(|pair| init_linear(pair[0], pair[1], true, rng, device))
            .collect();
        let head = linears.pop().expect("sizes has input and classes");
        Classifier {
            layers: linears,
            head,
            is_tanh: self.activation == Activation::Tanh,
        }
    }
}

/// The network. `forward` gives the logits; `forward_layers` every hidden layer's activations
/// too.
///
/// # Shapes
/// - input: `[batch, input]`
/// - logits: `[batch, classes]`; each hidden layer `[batch, width]`
#[derive(Module, Debug)]
pub struct Classifier {
    layers: Vec<Linear>,
    head: Linear,
    is_tanh: bool,
}

impl Classifier {
    fn activate(&self, x: Tensor<2>) -> Tensor<2> {
        if self.is_tanh {
            x.tanh()
        } else {
            burn::tensor::activation::relu(x)
        }
    }

    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let hidden = self
            .layers
            .iter()
            .fold(x, |h, layer| self.activate(layer.forward(h)));
        self.head.forward(hidden)
    }

    /// The hidden layers' activations, in order, and the logits.
    pub fn forward_layers(&self, x: Tensor<2>) -> (Vec<Tensor<2>>, Tensor<2>) {
        let mut layers = Vec::with_capacity(self.layers.len());
        let mut h = x;
        for layer in &self.layers {
            h = self.activate(layer.forward(h));
            layers.push(h.clone());
        }
        let logits = self.head.forward(h);
        (layers, logits)
    }
}

/// Adam on a [`Classifier`] with cross-entropy, one host-made batch at a time.
pub struct ClassifierTrainer {
    model: Classifier,
    optimizer: ModuleOptimizer,
    /// Where gradients are taken (`device.autodiff()`).
    device: Device,
    /// Where activations are computed for measuring, without gradients.
    inference: Device,
    config: ClassifierConfig,
}

impl std::fmt::Debug for ClassifierTrainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClassifierTrainer")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl ClassifierTrainer {
    /// A network of `config`'s sizes on `device`, its parameters fixed by `seed`.
    pub fn new(config: ClassifierConfig, device: &Device, seed: u64) -> Self {
        let training = device.clone().autodiff();
        Self {
            model: config.init(&training, seed),
            optimizer: AdamConfig::new().init(),
            device: training,
            inference: device.clone(),
            config,
        }
    }

    pub fn config(&self) -> &ClassifierConfig {
        &self.config
    }

    /// One Adam step of size `learning_rate` on `inputs` (`[labels.len(), input]`, row-major)
    /// and their `labels`; returns the cross-entropy before the step, still on the device.
    pub fn step(&mut self, inputs: Vec<f32>, labels: &[usize], learning_rate: f64) -> Tensor<1> {
        let inputs = self.inputs(inputs, &self.device);
        let logits = self.model.forward(inputs);
        let loss = cross_entropy(logits, labels, &self.device);
        let gradients = GradientsParams::from_grads(loss.backward(), &self.model);
        self.model = self
            .optimizer
            .step(learning_rate, self.model.clone(), gradients);
        loss.detach()
    }

    /// One Adam step of size `learning_rate` that raises the rate reduction ΔR (at precision
    /// `eps`) of the last hidden layer's features, each scaled to unit length, on `inputs` and
    /// their `labels` (of `classes` classes); resolves to −ΔR before the step, in nats. The
    /// head is not trained. As in [`crate::mcr2`]: the features are read back once, ΔR's
    /// gradient G is computed on the host, and the device backpropagates −Σ Z ⊙ G.
    pub async fn rate_reduction_step(
        &mut self,
        inputs: Vec<f32>,
        labels: &[usize],
        eps: f64,
        learning_rate: f64,
    ) -> Result<f64, crate::DeviceError> {
        let rows = labels.len();
        let classes = self.config.classes;
        let inputs = self.inputs(inputs, &self.device);
        let (mut layers, _) = self.model.forward_layers(inputs);
        let last = layers
            .pop()
            .ok_or(crate::DeviceError::Missing("hidden layer"))?;
        let [_, width] = last.dims();
        let z = crate::mcr2::normalize_rows(last); // [rows, width]
        let values = crate::read_back(z.clone().detach()).await?;
        let columns = crate::mcr2::as_columns(&values, width);
        let measured = crate::rate::rates(&columns, labels, classes, eps);
        if !measured.delta_rate.is_finite() {
            return Err(crate::DeviceError::Diverged(measured.delta_rate));
        }
        let gradient = crate::rate::delta_rate_gradient(&columns, labels, classes, eps);
        // Column-major width × rows is row-major [rows, width]: the layout of z.
        let gradient: Vec<f32> = gradient.iter().map(|&value| value as f32).collect();
        let gradient =
            Tensor::<2>::from_data(TensorData::new(gradient, [rows, width]), &self.device);
        let surrogate = -(z * gradient).sum();
        let gradients = GradientsParams::from_grads(surrogate.backward(), &self.model);
        self.model = self
            .optimizer
            .step(learning_rate, self.model.clone(), gradients);
        Ok(-measured.delta_rate)
    }

    /// Every hidden layer's activations on `inputs` (`[rows, input]`) and the logits, without
    /// gradients.
    pub fn layers(&self, inputs: Vec<f32>) -> (Vec<Tensor<2>>, Tensor<2>) {
        self.model
            .valid()
            .forward_layers(self.inputs(inputs, &self.inference))
    }

    fn inputs(&self, inputs: Vec<f32>, device: &Device) -> Tensor<2> {
        let rows = inputs.len() / self.config.input.max(1);
        Tensor::from_data(TensorData::new(inputs, [rows, self.config.input]), device)
    }
}

/// The fraction of rows of `logits` (`classes` numbers each) whose highest score is at the
/// row's label.
pub fn accuracy(logits: &[f32], classes: usize, labels: &[usize]) -> f64 {
    let correct = logits
        .chunks(classes.max(1))
        .zip(labels)
        .filter(|(row, label)| {
            row.iter()
                .enumerate()
                .max_by(|a, b| a.1.total_cmp(b.1))
                .map(|(index, _)| index)
                == Some(**label)
        })
        .count();
    correct as f64 / labels.len().max(1) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
        pollster::block_on(crate::read_back(tensor)).expect("a read-back")
    }

    #[test]
    fn sizes_and_parameters() {
        let config = ClassifierConfig {
            input: 64,
            widths: vec![12, 10, 7],
            classes: 10,
            activation: Activation::Tanh,
        };
        // 65·12 + 13·10 + 11·7 + 8·10, counted by hand.
        assert_eq!(config.parameter_count(), 780 + 130 + 77 + 80);
        let model = config.init(&Device::flex(), 3);
        let inputs = Tensor::<2>::from_data(
            TensorData::new(crate::rng::normal(5 * 64, &mut seeded(4)), [5, 64]),
            &Device::flex(),
        );
        let (layers, logits) = model.forward_layers(inputs.clone());
        let widths: Vec<[usize; 2]> = layers.iter().map(Tensor::dims).collect();
        assert_eq!(widths, vec![[5, 12], [5, 10], [5, 7]]);
        assert_eq!(logits.dims(), [5, 10]);
        assert!(
            values(layers[2].clone()).iter().all(|v| v.abs() <= 1.0),
            "tanh's range"
        );
        assert_eq!(values(logits), values(model.forward(inputs)));
        let relu = ClassifierConfig {
            activation: Activation::Relu,
            ..config
        };
        let model = relu.init(&Device::flex(), 3);
        let inputs = Tensor::<2>::from_data(
            TensorData::new(crate::rng::normal(5 * 64, &mut seeded(4)), [5, 64]),
            &Device::flex(),
        );
        let (layers, _) = model.forward_layers(inputs);
        assert!(
            values(layers[0].clone()).iter().all(|v| *v >= 0.0),
            "relu's range"
        );
    }

    #[test]
    fn a_rate_reduction_step_raises_the_rate_reduction_it_reports() {
        // Two classes in 8 dimensions, 40 points each, around opposite corners.
        let config = ClassifierConfig {
            input: 8,
            widths: vec![16, 6],
            classes: 2,
            activation: Activation::Tanh,
        };
        let mut rng = seeded(7);
        let noise = crate::rng::normal(80 * 8, &mut rng);
        let labels: Vec<usize> = (0..80).map(|i| i % 2).collect();
        let inputs: Vec<f32> = noise
            .chunks(8)
            .zip(&labels)
            .flat_map(|(row, &label)| {
                let sign = if label == 0 { 1.0 } else { -1.0 };
                row.iter()
                    .map(move |x| sign + 0.3 * x)
                    .collect::<Vec<f32>>()
            })
            .collect();
        let mut trainer = ClassifierTrainer::new(config, &Device::flex(), 2);
        let mut losses = Vec::new();
        for _ in 0..60 {
            let loss =
                pollster::block_on(trainer.rate_reduction_step(inputs.clone(), &labels, 0.5, 1e-2))
                    .expect("a step");
            losses.push(loss);
        }
        // The loss is −ΔR of the reported features, recomputed here from the layer itself.
        let (layers, _) = trainer.layers(inputs.clone());
        let mut columns = crate::mcr2::as_columns(&values(layers[1].clone()), 6);
        crate::rate::normalize_columns(&mut columns);
        let now = crate::rate::rates(&columns, &labels, 2, 0.5).delta_rate;
        let next = pollster::block_on(trainer.rate_reduction_step(inputs, &labels, 0.5, 0.0))
            .expect("a step");
        assert!((next + now).abs() < 1e-4, "{next} against −{now}");
        assert!(losses[59] < losses[0] - 0.1, "ΔR rose: {losses:?}");
    }

    #[test]
    fn accuracy_counts_the_top_score() {
        let logits = [0.1, 0.9, 0.0, 2.0, 1.0, 0.5];
        assert_eq!(accuracy(&logits, 3, &[1, 0]), 1.0);
        assert_eq!(accuracy(&logits, 3, &[1, 1]), 0.5);
    }

    #[cfg(feature = "compressors")]
    #[test]
    fn it_learns_the_digits_the_same_way_for_a_seed() {
        use crate::digits::{Digits, is_held_out};
        let data = Digits::shipped().expect("the digits").labelled();
        let (mut train_x, mut train_y, mut test_x, mut test_y) = (vec![], vec![], vec![], vec![]);
        for (index, label) in data.labels.iter().enumerate() {
            let row = &data.rows[index * 64..(index + 1) * 64];
            if is_held_out(index) {
                test_x.extend_from_slice(row);
                test_y.push(*label);
            } else {
                train_x.extend_from_slice(row);
                train_y.push(*label);
            }
        }
        let run = |activation| {
            let config = ClassifierConfig {
                input: 64,
                widths: vec![32, 16],
                classes: 10,
                activation,
            };
            let mut trainer = ClassifierTrainer::new(config, &Device::flex(), 1);
            let mut losses = Vec::new();
            for step in 0..150 {
                let rows: Vec<usize> = (0..64)
                    .map(|i| (step * 64 + i * 7) % train_y.len())
                    .collect();
                let inputs: Vec<f32> = rows
                    .iter()
                    .flat_map(|&row| train_x[row * 64..(row + 1) * 64].iter().copied())
                    .collect();
                let labels: Vec<usize> = rows.iter().map(|&row| train_y[row]).collect();
                losses.push(values(trainer.step(inputs, &labels, 1e-2))[0]);
            }
            let (_, logits) = trainer.layers(test_x.clone());
            (losses, accuracy(&values(logits), 10, &test_y))
        };
        for activation in [Activation::Tanh, Activation::Relu] {
            let (losses, accuracy) = run(activation);
            assert!(accuracy > 0.85, "{activation:?}: test accuracy {accuracy}");
            assert!(losses[149] < 0.3 * losses[0], "{activation:?}: {losses:?}");
            assert_eq!(run(activation).0, losses, "{activation:?}: a seed, one run");
        }
    }
}
