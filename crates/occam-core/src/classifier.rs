//! A multilayer perceptron that classifies, with every hidden layer's activations in view: the
//! network whose layers chapter 6 measures (the information plane, the layers' coding rates,
//! the code length of its parameters).
//!
//! x ↦ h₁ = a(x W₁ + b₁), …, h_L = a(h_{L−1} W_L + b_L), logits = h_L W + b, with a = tanh or
//! relu, trained with Adam on the mean cross-entropy, or on chapter 4's rate reduction ΔR of the
//! last hidden layer's normalised features (MCR², [`ClassifierTrainer::rate_reduction_step`]). Parameters are drawn on the host from a
//! seed ([`crate::white_box::init_linear`]), so a seed gives the same network on every backend.

use burn::module::{Module, Param};
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

impl Classifier {
    /// The linear maps in order, the head last.
    fn linears(&self) -> impl Iterator<Item = &Linear> {
        self.layers.iter().chain(std::iter::once(&self.head))
    }

    /// Every weight matrix, layer by layer, the head's last, as host numbers (row-major
    /// `[fan-in, fan-out]`), and every bias likewise: what is quantized or pruned.
    pub async fn parameter_values(&self) -> Result<Parameters, crate::DeviceError> {
        let mut parameters = Parameters::default();
        for linear in self.linears() {
            parameters
                .weights
                .push(crate::read_back(linear.weight.val()).await?);
            let bias = match &linear.bias {
                Some(bias) => crate::read_back(bias.val()).await?,
                None => Vec::new(),
            };
            parameters.biases.push(bias);
        }
        Ok(parameters)
    }

    /// The same network with `parameters` (shaped as [`Classifier::parameter_values`] gives
    /// them) on `device`.
    pub fn with_parameter_values(&self, parameters: &Parameters, device: &Device) -> Self {
        let rebuilt = |linear: &Linear, weights: &[f32], bias: &[f32]| {
            let shape = linear.weight.val().dims();
            Linear {
                weight: Param::from_data(TensorData::new(weights.to_vec(), shape), device),
                bias: linear.bias.as_ref().map(|_| {
                    Param::from_data(TensorData::new(bias.to_vec(), [bias.len()]), device)
                }),
            }
        };
        let mut linears: Vec<Linear> = self
            .linears()
            .zip(parameters.weights.iter().zip(&parameters.biases))
            .map(|(linear, (weights, bias))| rebuilt(linear, weights, bias))
            .collect();
        let head = linears.pop().expect("a head");
        Self {
            layers: linears,
            head,
            is_tanh: self.is_tanh,
        }
    }

    /// The logits of `inputs` (`[rows, input]`, row-major), read back.
    pub async fn logits(
        &self,
        inputs: Vec<f32>,
        input: usize,
        device: &Device,
    ) -> Result<Vec<f32>, crate::DeviceError> {
        let rows = inputs.len() / input.max(1);
        let x = Tensor::from_data(TensorData::new(inputs, [rows, input]), device);
        crate::read_back(self.forward(x)).await
    }
}

/// A classifier's numbers on the host: per linear map (the head last), its weights and its
/// bias.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parameters {
    pub weights: Vec<Vec<f32>>,
    pub biases: Vec<Vec<f32>>,
}

impl Parameters {
    /// How many numbers in all.
    pub fn count(&self) -> usize {
        self.weights.iter().chain(&self.biases).map(Vec::len).sum()
    }

    /// Every tensor rounded to `bits` bits a number: 2^(bits−1) − 1 evenly spaced levels each
    /// side of 0 up to the tensor's largest magnitude (so 0 stays exact and the sign is one
    /// of the bits).
    ///
    /// # Panics
    /// If `bits` < 2.
    pub fn quantized(&self, bits: u32) -> Self {
        assert!(bits >= 2, "a sign and at least one level");
        let levels = f64::from((1u32 << (bits - 1)) - 1);
        let round = |values: &Vec<f32>| -> Vec<f32> {
            let scale = values.iter().fold(0.0f32, |top, v| top.max(v.abs()));
            if scale == 0.0 {
                return values.clone();
            }
            let step = f64::from(scale) / levels;
            values
                .iter()
                .map(|&v| ((f64::from(v) / step).round() * step) as f32)
                .collect()
        };
        Self {
            weights: self.weights.iter().map(round).collect(),
            biases: self.biases.iter().map(round).collect(),
        }
    }

    /// The weights with the smallest `fraction` of them (by magnitude, over all weight
    /// matrices together) set to 0; biases kept.
    pub fn pruned(&self, fraction: f64) -> Self {
        let mut magnitudes: Vec<f32> = self.weights.iter().flatten().map(|v| v.abs()).collect();
        magnitudes.sort_by(f32::total_cmp);
        let removed = ((fraction.clamp(0.0, 1.0) * magnitudes.len() as f64).round() as usize)
            .min(magnitudes.len());
        if removed == 0 {
            return self.clone();
        }
        let threshold = magnitudes[removed - 1];
        let mut left = removed;
        let weights = self
            .weights
            .iter()
            .map(|matrix| {
                matrix
                    .iter()
                    .map(|&v| {
                        // Exactly `removed` zeros, ties broken in order.
                        if v.abs() < threshold || (v.abs() == threshold && left > 0) {
                            if v.abs() == threshold {
                                left -= 1;
                            }
                            0.0
                        } else {
                            v
                        }
                    })
                    .collect()
            })
            .collect();
        Self {
            weights,
            biases: self.biases.clone(),
        }
    }
}

/// −log₂ of the probability the `logits` (rows of `classes` scores) give each row's label, in
/// bits: the code length of the labels given the model.
pub fn label_bits(logits: &[f32], classes: usize, labels: &[usize]) -> Vec<f64> {
    logits
        .chunks(classes.max(1))
        .zip(labels)
        .map(|(row, &label)| {
            let top = row.iter().fold(f32::NEG_INFINITY, |a, &b| a.max(b));
            let log_sum = f64::from(top)
                + row
                    .iter()
                    .map(|&v| f64::from(v - top).exp())
                    .sum::<f64>()
                    .ln();
            (log_sum - f64::from(row[label])) / std::f64::consts::LN_2
        })
        .collect()
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

    /// The network as trained so far, for inference (no gradients), and the device it is on.
    pub fn model(&self) -> (Classifier, &Device) {
        (self.model.valid(), &self.inference)
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

    /// The last hidden layer's features on `inputs`, each scaled to unit length, with
    /// gradients (`[rows, width]`), the same read back as the width × rows matrix of columns
    /// the rates take, and the logits.
    async fn last_features(
        &self,
        inputs: Vec<f32>,
    ) -> Result<(Tensor<2>, nalgebra::DMatrix<f64>, Tensor<2>), crate::DeviceError> {
        let inputs = self.inputs(inputs, &self.device);
        let (mut layers, logits) = self.model.forward_layers(inputs);
        let last = layers
            .pop()
            .ok_or(crate::DeviceError::Missing("hidden layer"))?;
        let [_, width] = last.dims();
        let z = crate::mcr2::normalize_rows(last);
        let values = crate::read_back(z.clone().detach()).await?;
        Ok((z, crate::mcr2::as_columns(&values, width), logits))
    }

    /// A host gradient of the rates (width × rows, column-major) as a `[rows, width]` tensor
    /// where gradients are taken: the same memory order, the layout of the features.
    fn on_device(&self, gradient: &nalgebra::DMatrix<f64>) -> Tensor<2> {
        let (width, rows) = gradient.shape();
        let values: Vec<f32> = gradient.iter().map(|&value| value as f32).collect();
        Tensor::from_data(TensorData::new(values, [rows, width]), &self.device)
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
        let classes = self.config.classes;
        let (z, columns, _) = self.last_features(inputs).await?;
        let measured = crate::rate::rates(&columns, labels, classes, eps);
        if !measured.delta_rate.is_finite() {
            return Err(crate::DeviceError::Diverged(measured.delta_rate));
        }
        let gradient = self.on_device(&crate::rate::delta_rate_gradient(
            &columns, labels, classes, eps,
        ));
        let surrogate = -(z * gradient).sum();
        let gradients = GradientsParams::from_grads(surrogate.backward(), &self.model);
        self.model = self
            .optimizer
            .step(learning_rate, self.model.clone(), gradients);
        Ok(-measured.delta_rate)
    }

    /// One Adam step on the cross-entropy plus `weight` times the class rate R_c (at
    /// precision `eps`) of the last hidden layer's unit-length features: a compression term
    /// on the representation. Resolves to the cross-entropy and R_c before the step. R_c's
    /// gradient is computed on the host from the features read back, and the device
    /// backpropagates `weight` · Σ Z ⊙ ∂R_c/∂Z beside the cross-entropy.
    pub async fn regularized_step(
        &mut self,
        inputs: Vec<f32>,
        labels: &[usize],
        weight: f64,
        eps: f64,
        learning_rate: f64,
    ) -> Result<(f64, f64), crate::DeviceError> {
        let classes = self.config.classes;
        let (z, columns, logits) = self.last_features(inputs).await?;
        let class_rate = crate::rate::class_rate(&columns, labels, classes, eps);
        let gradient = self.on_device(&crate::rate::class_rate_gradient(
            &columns, labels, classes, eps,
        ));
        let cross_entropy = cross_entropy(logits, labels, &self.device);
        let objective = cross_entropy.clone() + (z * gradient).sum().mul_scalar(weight);
        let gradients = GradientsParams::from_grads(objective.backward(), &self.model);
        self.model = self
            .optimizer
            .step(learning_rate, self.model.clone(), gradients);
        let cross_entropy = crate::read_back(cross_entropy.detach()).await?;
        let cross_entropy = cross_entropy.first().copied().map_or(f64::NAN, f64::from);
        if !cross_entropy.is_finite() || !class_rate.is_finite() {
            return Err(crate::DeviceError::Diverged(cross_entropy + class_rate));
        }
        Ok((cross_entropy, class_rate))
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
    fn quantizing_pruning_and_label_bits_by_hand() {
        let parameters = Parameters {
            weights: vec![vec![0.9, -0.3, 0.1, 0.0]],
            biases: vec![vec![0.5, -1.0]],
        };
        assert_eq!(parameters.count(), 6);
        // 3 bits: 3 levels each side of 0, steps of 0.3 for the weights (largest 0.9) and of
        // 1/3 for the bias.
        let q = parameters.quantized(3);
        let expected = [0.9, -0.3, 0.0, 0.0];
        assert!(
            q.weights[0]
                .iter()
                .zip(expected)
                .all(|(a, b)| (a - b).abs() < 1e-6)
        );
        assert!((q.biases[0][0] - 2.0 / 3.0).abs() < 1e-6 && q.biases[0][1] == -1.0);
        // 2 bits: one level each side: the sign times the largest, or 0 below half of it.
        assert_eq!(
            parameters.quantized(2).weights[0],
            vec![0.9, -0.0, 0.0, 0.0]
        );
        // Half the weights pruned: the two smallest (0.0 and 0.1).
        assert_eq!(parameters.pruned(0.5).weights[0], vec![0.9, -0.3, 0.0, 0.0]);
        assert_eq!(parameters.pruned(0.5).biases, parameters.biases);
        assert_eq!(parameters.pruned(0.0), parameters);
        // Uniform scores: log₂ 4 = 2 bits; a score ln 3 higher on the label of 3 classes:
        // p = 3/5, −log₂ 0.6 bits.
        let bits = label_bits(&[0.0, 0.0, 0.0, 0.0, 3f32.ln(), 0.0, 0.0], 4, &[2]);
        assert!((bits[0] - 2.0).abs() < 1e-9);
        let bits = label_bits(&[3f32.ln(), 0.0, 0.0], 3, &[0]);
        assert!((bits[0] + 0.6f64.log2()).abs() < 1e-6);
    }

    #[test]
    fn parameters_go_to_the_host_and_back_unchanged() {
        let config = ClassifierConfig {
            input: 4,
            widths: vec![3],
            classes: 2,
            activation: Activation::Relu,
        };
        let model = config.init(&Device::flex(), 9);
        let parameters = pollster::block_on(model.parameter_values()).expect("read back");
        assert_eq!(parameters.count(), config.parameter_count());
        let inputs: Vec<f32> = crate::rng::normal(8, &mut seeded(1));
        let logits = |model: &Classifier| {
            pollster::block_on(model.logits(inputs.clone(), 4, &Device::flex())).expect("logits")
        };
        let copy = model.with_parameter_values(&parameters, &Device::flex());
        assert_eq!(logits(&copy), logits(&model));
        // All weights pruned: every row's logits are the head's bias.
        let pruned = model.with_parameter_values(&parameters.pruned(1.0), &Device::flex());
        let head_bias = &parameters.biases[1];
        for row in logits(&pruned).chunks(2) {
            assert!(row.iter().zip(head_bias).all(|(a, b)| (a - b).abs() < 1e-6));
        }
    }

    #[cfg(feature = "compressors")]
    #[test]
    fn a_compression_term_lowers_the_class_rate_and_weight_zero_is_plain_cross_entropy() {
        let data = crate::digits::Digits::shipped()
            .expect("the digits")
            .labelled();
        let (inputs, labels) = (data.rows[..128 * 64].to_vec(), data.labels[..128].to_vec());
        let config = ClassifierConfig {
            input: 64,
            widths: vec![16],
            classes: 10,
            activation: Activation::Tanh,
        };
        let train = |weight: f64| {
            let mut trainer = ClassifierTrainer::new(config.clone(), &Device::flex(), 3);
            let mut last = (0.0, 0.0);
            for _ in 0..80 {
                last = pollster::block_on(trainer.regularized_step(
                    inputs.clone(),
                    &labels,
                    weight,
                    0.5,
                    1e-2,
                ))
                .expect("a step");
            }
            (trainer, last)
        };
        // Weight 0: the same network as plain cross-entropy steps, step for step.
        let (plain_trainer, _) = train(0.0);
        let mut reference = ClassifierTrainer::new(config.clone(), &Device::flex(), 3);
        for _ in 0..80 {
            let _ = reference.step(inputs.clone(), &labels, 1e-2);
        }
        let (_, plain_logits) = plain_trainer.layers(inputs.clone());
        let (_, reference_logits) = reference.layers(inputs.clone());
        assert_eq!(values(plain_logits), values(reference_logits));
        // A heavy weight: the class rate ends lower than without the term.
        let (_, (_, plain_rate)) = train(0.0);
        let (_, (_, compressed_rate)) = train(1.0);
        assert!(
            compressed_rate < plain_rate - 0.5,
            "{compressed_rate} against {plain_rate}"
        );
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
