//! A small neural next-character model, trained with burn and then used as an arithmetic
//! coder's model: learning to predict the text is learning to compress it.
//!
//! Each of the last W characters c₁ … c_W is looked up in an embedding table E (one row per
//! character of the alphabet A, plus one for "before the start"); the W rows are concatenated
//! and a two-layer perceptron turns them into a distribution over the next character:
//!
//! q(x | c₁ … c_W) = softmax(W₂ relu(W₁ [E c₁; …; E c_W] + b₁) + b₂)ₓ.
//!
//! Training minimizes the cross-entropy −(1/B) Σ ln q(xᵢ | windowᵢ) over random batches of the
//! text's positions with Adam, on whatever [`Device`] the worker chose. For coding, the trained
//! parameters are read back and rounded to 16-bit floats ([`Weights`]): those rounded numbers are
//! what a decoder would be sent (16 bits per parameter, the model's description length), and
//! both the encoder and the decoder compute q from them with the same plain-Rust forward pass,
//! so they agree bit for bit whatever device trained the model.
//!
//! q is quantized for the coder as fₓ = ⌊qₓ T⌋ + 1 with T = [`FREQUENCY_SCALE`] = 2⁴⁰. Then
//! fₓ ≥ qₓ T and Σ f ≤ T + |A|, so each character costs at most −log₂ qₓ + log₂(1 + |A|/T)
//! bits: [`quantization_bound`], under 10⁻⁷ bits for any alphabet up to a hundred thousand
//! characters.

use burn::module::{Module, Param};
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Embedding, Linear, Relu};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use burn::tensor::TensorData;
use rand::RngExt;

use crate::arithmetic::{CodingError, Decoder, Encoded, Encoder, Interval, Model};
use crate::context::Alphabet;
use crate::rng::{SeededRng, seeded};
use crate::white_box::init_linear;

/// Characters of context the model sees.
pub const WINDOW: usize = 8;
/// Width of each character's embedding.
pub const EMBEDDING: usize = 16;
/// Bits sent per parameter: the parameters are rounded to IEEE half precision.
pub const BITS_PER_PARAMETER: u32 = 16;
/// Adam's step size.
pub const LEARNING_RATE: f64 = 1e-2;
/// The coder's frequency scale T.
pub const FREQUENCY_SCALE: u64 = 1 << 40;

/// The most a character can cost beyond −log₂ q because q was quantized, for an alphabet of
/// `alphabet` characters: log₂(1 + |A|/T).
pub fn quantization_bound(alphabet: usize) -> f64 {
    (alphabet as f64 / FREQUENCY_SCALE as f64).ln_1p() / std::f64::consts::LN_2
}

/// The model's sizes.
#[derive(Config, Debug, PartialEq)]
pub struct CharNetConfig {
    /// |A|, the number of distinct characters.
    pub alphabet: usize,
    pub hidden: usize,
    #[config(default = "WINDOW")]
    pub window: usize,
    #[config(default = "EMBEDDING")]
    pub embedding: usize,
}

impl CharNetConfig {
    /// Parameters on `device`, drawn on the host from `seed` as burn's defaults draw them:
    /// the embedding standard normal, each `Linear` uniform in ±1/√fan-in. (The host's own
    /// generator, not the backend's global one, so that runs side by side cannot disturb
    /// each other's draws.)
    pub fn init(&self, device: &Device, seed: u64) -> CharNet {
        let rng = &mut seeded(seed);
        let table = crate::rng::normal((self.alphabet + 1) * self.embedding, rng);
        CharNet {
            embedding: Embedding {
                weight: Param::from_data(
                    TensorData::new(table, [self.alphabet + 1, self.embedding]),
                    device,
                ),
            },
            hidden: init_linear(self.window * self.embedding, self.hidden, true, rng, device),
            activation: Relu::new(),
            output: init_linear(self.hidden, self.alphabet, true, rng, device),
        }
    }

    /// (|A| + 1) e + (W e + 1) h + (h + 1) |A|.
    pub fn parameter_count(&self) -> usize {
        (self.alphabet + 1) * self.embedding
            + (self.window * self.embedding + 1) * self.hidden
            + (self.hidden + 1) * self.alphabet
    }

    /// The symbol that fills a window before the text's start.
    pub fn start_symbol(&self) -> u32 {
        self.alphabet as u32
    }
}

/// The network; see the module's documentation.
///
/// # Shapes
/// - input: `[batch, window]` symbols (`alphabet` marks "before the start")
/// - output: `[batch, alphabet]` logits
#[derive(Module, Debug)]
pub struct CharNet {
    embedding: Embedding,
    hidden: Linear,
    activation: Relu,
    output: Linear,
}

impl CharNet {
    pub fn forward(&self, windows: Tensor<2, Int>) -> Tensor<2> {
        let [batch, window] = windows.dims();
        let embedded = self.embedding.forward(windows); // [batch, window, embedding]
        let [_, _, width] = embedded.dims();
        let concatenated = embedded.reshape([batch, window * width]); // [batch, window·embedding]
        let hidden = self.activation.forward(self.hidden.forward(concatenated)); // [batch, hidden]
        self.output.forward(hidden) // [batch, alphabet]
    }
}

/// The window before each position of `symbols`, oldest first, padded with `start`:
/// `windows(&[a, b, c], 2, s)` is `[[s, s], [s, a], [a, b]]`, flattened.
pub fn windows(symbols: &[u32], window: usize, start: u32) -> Vec<u32> {
    let mut out = Vec::with_capacity(symbols.len() * window);
    for position in 0..symbols.len() {
        for back in (1..=window).rev() {
            out.push(
                position
                    .checked_sub(back)
                    .map_or(start, |index| symbols[index]),
            );
        }
    }
    out
}

/// Trains a [`CharNet`] on one text, a random batch of positions per Adam step.
pub struct CharNetTrainer {
    config: CharNetConfig,
    model: CharNet,
    optimizer: ModuleOptimizer,
    /// Where gradients are taken (`device.autodiff()`).
    device: Device,
    /// Where held-out text is scored, without gradients.
    inference: Device,
    windows: Vec<u32>,
    targets: Vec<u32>,
    /// Batches are drawn from the positions before this one; the rest are held out.
    training_end: usize,
    batch: usize,
    rng: SeededRng,
    learning_rate: f64,
}

impl std::fmt::Debug for CharNetTrainer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CharNetTrainer")
            .field("config", &self.config)
            .field("positions", &self.targets.len())
            .field("batch", &self.batch)
            .finish_non_exhaustive()
    }
}

impl CharNetTrainer {
    /// A model of `hidden` units for the text `symbols` (indices into an alphabet of
    /// `alphabet`), with `batch` positions per step (or all of them, if fewer), fixed by `seed`.
    /// Gradients are taken on `device.autodiff()`.
    pub fn new(
        device: &Device,
        symbols: &[u32],
        alphabet: usize,
        hidden: usize,
        batch: usize,
        seed: u64,
    ) -> Self {
        let inference = device.clone();
        let device = device.clone().autodiff();
        let config = CharNetConfig::new(alphabet.max(1), hidden);
        let model = config.init(&device, seed);
        Self {
            windows: windows(symbols, config.window, config.start_symbol()),
            targets: symbols.to_vec(),
            training_end: symbols.len(),
            batch: batch.min(symbols.len()).max(1),
            model,
            optimizer: AdamConfig::new().init(),
            device,
            inference,
            rng: seeded(seed ^ 0x5eed_c4a2),
            learning_rate: LEARNING_RATE,
            config,
        }
    }

    /// Trains only on the positions before `end`, holding out the text's rest (its windows
    /// still see the training text before them, as a coder's would).
    pub fn training_before(mut self, end: usize) -> Self {
        self.training_end = end.min(self.targets.len());
        self
    }

    /// One Adam step on a random batch; returns its loss (nats per character, before the step),
    /// still on the device. An empty text has nothing to learn: the loss is then zero.
    pub fn step(&mut self) -> Tensor<1> {
        let positions = self.training_end;
        if positions == 0 {
            return Tensor::zeros([1], &self.device);
        }
        let window = self.config.window;
        let mut batch_windows = Vec::with_capacity(self.batch * window);
        let mut batch_targets = Vec::with_capacity(self.batch);
        for _ in 0..self.batch {
            let position = self.rng.random_range(0..positions);
            batch_windows.extend(
                self.windows[position * window..(position + 1) * window]
                    .iter()
                    .map(|&symbol| symbol as i32),
            );
            batch_targets.push(self.targets[position] as i32);
        }
        let inputs = Tensor::<2, Int>::from_data(
            TensorData::new(batch_windows, [self.batch, window]),
            &self.device,
        );
        let targets =
            Tensor::<1, Int>::from_data(TensorData::new(batch_targets, [self.batch]), &self.device);
        let logits = self.model.forward(inputs); // [batch, alphabet]
        let loss = CrossEntropyLossConfig::new()
            .init(&self.device)
            .forward(logits, targets); // [1]
        let gradients = GradientsParams::from_grads(loss.backward(), &self.model);
        self.model = self
            .optimizer
            .step(self.learning_rate, self.model.clone(), gradients);
        loss.detach()
    }

    /// Σ −ln q(xᵢ | windowᵢ) over `positions` of the text (nats, not averaged), under the
    /// current parameters with no gradients, still on the device; scored `chunk` positions
    /// at a time so a long list never needs one huge tensor.
    pub fn nats_at(&self, positions: &[usize], chunk: usize) -> Tensor<1> {
        let model = self.model.valid();
        let window = self.config.window;
        let mut total = Tensor::<1>::zeros([1], &self.inference);
        for part in positions.chunks(chunk.max(1)) {
            let inputs: Vec<i32> = part
                .iter()
                .flat_map(|&position| &self.windows[position * window..(position + 1) * window])
                .map(|&symbol| symbol as i32)
                .collect();
            let targets: Vec<i32> = part
                .iter()
                .map(|&position| self.targets[position] as i32)
                .collect();
            let inputs = Tensor::<2, Int>::from_data(
                TensorData::new(inputs, [part.len(), window]),
                &self.inference,
            );
            let targets = Tensor::<1, Int>::from_data(
                TensorData::new(targets, [part.len()]),
                &self.inference,
            );
            let mean = CrossEntropyLossConfig::new()
                .init(&self.inference)
                .forward(model.forward(inputs), targets); // [1]
            total = total + mean.mul_scalar(part.len() as f64);
        }
        total
    }

    /// The current parameters, read back from the device (asynchronously: the only read-back
    /// WebGPU allows in a browser).
    pub async fn weights(&self) -> Result<Weights, crate::DeviceError> {
        use crate::read_back as read;
        let model = &self.model;
        let bias = |linear: &Linear| {
            linear
                .bias
                .as_ref()
                .map(|bias| bias.val().unsqueeze_dim::<2>(0))
        };
        let (Some(b1), Some(b2)) = (bias(&model.hidden), bias(&model.output)) else {
            return Err(crate::DeviceError::Missing("bias in its layers"));
        };
        Ok(Weights {
            config: self.config.clone(),
            embedding: read(model.embedding.weight.val()).await?,
            w1: read(model.hidden.weight.val()).await?,
            b1: read(b1).await?,
            w2: read(model.output.weight.val()).await?,
            b2: read(b2).await?,
        })
    }
}

/// A trained [`CharNet`]'s parameters on the CPU, row-major as burn holds them
/// (a linear layer's weight is `[inputs, outputs]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Weights {
    pub config: CharNetConfig,
    pub embedding: Vec<f32>,
    pub w1: Vec<f32>,
    pub b1: Vec<f32>,
    pub w2: Vec<f32>,
    pub b2: Vec<f32>,
}

impl Weights {
    /// Every parameter rounded to the nearest IEEE half-precision number: what is sent.
    pub fn rounded_to_half(mut self) -> Self {
        for values in [
            &mut self.embedding,
            &mut self.w1,
            &mut self.b1,
            &mut self.w2,
            &mut self.b2,
        ] {
            for value in values.iter_mut() {
                *value = half::f16::from_f32(*value).to_f32();
            }
        }
        self
    }

    /// The model's description length: parameters × [`BITS_PER_PARAMETER`].
    pub fn description_bits(&self) -> u64 {
        self.config.parameter_count() as u64 * u64::from(BITS_PER_PARAMETER)
    }

    /// The logits after `window` (its last `config.window` symbols, oldest first).
    pub fn logits(&self, window: &[u32]) -> Vec<f32> {
        let CharNetConfig {
            alphabet,
            hidden,
            embedding,
            ..
        } = self.config;
        let mut h = self.b1.clone();
        for (slot, &symbol) in window.iter().enumerate() {
            let row = &self.embedding[symbol as usize * embedding..][..embedding];
            for (offset, &x) in row.iter().enumerate() {
                let weights = &self.w1[(slot * embedding + offset) * hidden..][..hidden];
                for (h, &w) in h.iter_mut().zip(weights) {
                    *h += x * w;
                }
            }
        }
        let mut logits = self.b2.clone();
        for (k, &h) in h.iter().enumerate() {
            let h = h.max(0.0);
            if h == 0.0 {
                continue;
            }
            for (logit, &w) in logits.iter_mut().zip(&self.w2[k * alphabet..][..alphabet]) {
                *logit += h * w;
            }
        }
        logits
    }

    /// q(· | window), computed in f64 from the logits.
    pub fn probabilities(&self, window: &[u32]) -> Vec<f64> {
        let logits = self.logits(window);
        let max = logits.iter().copied().fold(f32::NEG_INFINITY, f32::max);
        let exps: Vec<f64> = logits
            .iter()
            .map(|&logit| f64::from(logit - max).exp())
            .collect();
        let sum: f64 = exps.iter().sum();
        exps.into_iter().map(|e| e / sum).collect()
    }
}

/// [`Weights`] as the coder's model: q for the next symbol given the ones coded so far.
#[derive(Debug, Clone)]
pub struct NeuralModel {
    weights: Weights,
    window: Vec<u32>,
    probabilities: Vec<f64>,
    cumulative: Vec<u64>,
}

impl NeuralModel {
    pub fn new(weights: Weights) -> Self {
        let window = vec![weights.config.start_symbol(); weights.config.window];
        let mut model = Self {
            weights,
            window,
            probabilities: Vec::new(),
            cumulative: Vec::new(),
        };
        model.predict();
        model
    }

    fn predict(&mut self) {
        self.probabilities = self.weights.probabilities(&self.window);
        self.cumulative.clear();
        self.cumulative.push(0);
        let mut total = 0;
        for &q in &self.probabilities {
            // q ≤ 1, so the floor is at most T: no overflow, and every frequency is ≥ 1.
            total += (q * FREQUENCY_SCALE as f64).floor() as u64 + 1;
            self.cumulative.push(total);
        }
    }

    /// q(symbol) for the next symbol, before quantization.
    pub fn probability(&self, symbol: usize) -> f64 {
        self.probabilities[symbol]
    }
}

impl Model for NeuralModel {
    type Symbol = usize;

    fn interval(&self, symbol: usize) -> Interval {
        Interval {
            low: self.cumulative[symbol],
            high: self.cumulative[symbol + 1],
            total: self.total(),
        }
    }

    fn symbol_at(&self, target: u64) -> (usize, Interval) {
        // The first symbol whose slice ends after the target.
        let symbol = self.cumulative[1..]
            .partition_point(|&high| high <= target)
            .min(self.probabilities.len() - 1);
        (symbol, self.interval(symbol))
    }

    fn total(&self) -> u64 {
        self.cumulative.last().copied().unwrap_or(0)
    }

    fn update(&mut self, symbol: usize) {
        self.window.remove(0);
        self.window.push(symbol as u32);
        self.predict();
    }
}

/// Codes a text piece by piece with a [`NeuralModel`], tallying its ideal length Σ −log₂ q.
#[derive(Debug)]
pub struct NeuralEncoder {
    model: NeuralModel,
    encoder: Encoder,
    ideal_bits: f64,
    coded: usize,
}

impl NeuralEncoder {
    pub fn new(weights: Weights) -> Self {
        Self {
            model: NeuralModel::new(weights),
            encoder: Encoder::new(),
            ideal_bits: 0.0,
            coded: 0,
        }
    }

    /// Codes the next symbols; returns what each cost the model, −log₂ q(xᵢ) bits.
    pub fn encode(&mut self, symbols: &[u32]) -> Result<Vec<f64>, CodingError> {
        let mut surprises = Vec::with_capacity(symbols.len());
        for &symbol in symbols {
            let symbol = symbol as usize;
            let surprise = -self.model.probability(symbol).log2();
            self.ideal_bits += surprise;
            surprises.push(surprise);
            self.encoder.encode_symbol(&mut self.model, symbol)?;
            self.coded += 1;
        }
        Ok(surprises)
    }

    /// Σ −log₂ q(xᵢ) over the symbols coded so far: the cross-entropy, in bits.
    pub fn ideal_bits(&self) -> f64 {
        self.ideal_bits
    }

    pub fn coded(&self) -> usize {
        self.coded
    }

    pub fn finish(self) -> Encoded {
        self.encoder.finish()
    }
}

/// Decodes, piece by piece, what a [`NeuralEncoder`] coded with the same weights.
#[derive(Debug)]
pub struct NeuralDecoder {
    model: NeuralModel,
    decoder: Decoder<Encoded>,
}

impl NeuralDecoder {
    pub fn new(weights: Weights, coded: Encoded) -> Self {
        Self {
            model: NeuralModel::new(weights),
            decoder: Decoder::new(coded),
        }
    }

    /// The next `count` symbols.
    pub fn decode(&mut self, count: usize) -> Result<Vec<u32>, CodingError> {
        (0..count)
            .map(|_| {
                self.decoder
                    .decode_symbol(&mut self.model)
                    .map(|symbol| symbol as u32)
            })
            .collect()
    }
}

/// A text as symbols of its own alphabet.
pub fn symbols(text: &str, alphabet: &Alphabet) -> Vec<u32> {
    text.chars()
        .filter_map(|c| alphabet.index(c).map(|index| index as u32))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::context::encode_text;
    use proptest::prelude::*;

    const TEXT: &str = "the cat sat on the mat. the rat sat on the cat. the cat ran; the rat sat. ";

    fn trained(text: &str, hidden: usize, steps: usize, seed: u64) -> (Weights, Vec<u32>) {
        let alphabet = Alphabet::of(text);
        let symbols = symbols(text, &alphabet);
        let mut trainer =
            CharNetTrainer::new(&Device::flex(), &symbols, alphabet.len(), hidden, 64, seed);
        for _ in 0..steps {
            trainer.step();
        }
        let weights = pollster::block_on(trainer.weights()).unwrap();
        (weights, symbols)
    }

    fn round_trip(weights: &Weights, symbols: &[u32]) -> (Vec<u32>, f64, u64) {
        let mut encoder = NeuralEncoder::new(weights.clone());
        encoder.encode(symbols).unwrap();
        let ideal = encoder.ideal_bits();
        let coded = encoder.finish();
        let bits = coded.bits;
        let mut decoder = NeuralDecoder::new(weights.clone(), coded);
        (decoder.decode(symbols.len()).unwrap(), ideal, bits)
    }

    #[test]
    fn windows_pad_the_start() {
        assert_eq!(windows(&[0, 1, 2], 2, 9), vec![9, 9, 9, 0, 0, 1]);
        assert!(windows(&[], 3, 9).is_empty());
    }

    #[test]
    fn parameter_count_matches_burn() {
        let config = CharNetConfig::new(30, 24);
        let model = config.init(&Device::flex(), 1);
        assert_eq!(model.num_params(), config.parameter_count());
        // (30 + 1)·16 + (8·16 + 1)·24 + (24 + 1)·30
        assert_eq!(config.parameter_count(), 496 + 3096 + 750);
    }

    #[test]
    fn plain_forward_equals_burns() {
        let alphabet = Alphabet::of(TEXT);
        let symbols = symbols(TEXT, &alphabet);
        let mut trainer = CharNetTrainer::new(&Device::flex(), &symbols, alphabet.len(), 12, 64, 2);
        for _ in 0..5 {
            trainer.step();
        }
        let weights = pollster::block_on(trainer.weights()).unwrap();
        let window = weights.config.window;
        let all = windows(&symbols, window, weights.config.start_symbol());
        let inputs = Tensor::<2, Int>::from_data(
            TensorData::new(
                all.iter().map(|&s| s as i32).collect(),
                [symbols.len(), window],
            ),
            &trainer.device,
        );
        let burn_logits: Vec<f32> = trainer
            .model
            .forward(inputs)
            .into_data()
            .try_to_vec()
            .unwrap();
        for (position, row) in all.chunks_exact(window).enumerate() {
            let ours = weights.logits(row);
            let theirs = &burn_logits[position * alphabet.len()..][..alphabet.len()];
            for (a, b) in ours.iter().zip(theirs) {
                assert!((a - b).abs() < 1e-4, "position {position}: {a} vs {b}");
            }
        }
    }

    #[test]
    fn scored_positions_cost_what_the_plain_forward_pass_says() {
        let alphabet = Alphabet::of(TEXT);
        let symbols = symbols(TEXT, &alphabet);
        let mut trainer = CharNetTrainer::new(&Device::flex(), &symbols, alphabet.len(), 12, 32, 5)
            .training_before(40);
        for _ in 0..20 {
            trainer.step();
        }
        let weights = pollster::block_on(trainer.weights()).unwrap();
        let window = weights.config.window;
        let all = windows(&symbols, window, weights.config.start_symbol());
        // Held-out positions, scored two at a time: Σ −ln q from the host's forward pass.
        let held_out: Vec<usize> = (40..symbols.len()).collect();
        let expected: f64 = held_out
            .iter()
            .map(|&position| {
                let q = weights.probabilities(&all[position * window..(position + 1) * window]);
                -q[symbols[position] as usize].ln()
            })
            .sum();
        let nats: f32 = trainer.nats_at(&held_out, 2).into_scalar();
        assert!(
            (f64::from(nats) - expected).abs() < 1e-3 * expected,
            "{nats} vs {expected}"
        );
        let none: f32 = trainer.nats_at(&[], 4).into_scalar();
        assert_eq!(none, 0.0);
    }

    #[test]
    fn coded_length_is_the_cross_entropy_plus_at_most_two_bits_and_the_stated_bound() {
        let (weights, symbols) = trained(TEXT, 16, 30, 4);
        let weights = weights.rounded_to_half();
        let (decoded, ideal, bits) = round_trip(&weights, &symbols);
        assert_eq!(decoded, symbols);
        // The cross-entropy again, straight from the plain forward pass.
        let start = weights.config.start_symbol();
        let independent: f64 = windows(&symbols, weights.config.window, start)
            .chunks_exact(weights.config.window)
            .zip(&symbols)
            .map(|(window, &symbol)| -weights.probabilities(window)[symbol as usize].log2())
            .sum();
        assert!((ideal - independent).abs() < 1e-9);
        let n = symbols.len() as f64;
        let bound = quantization_bound(weights.config.alphabet);
        // The chapter promises under 0.01 bits per character; the bound is far below that.
        assert!(bound < 1e-9, "{bound}");
        let bits = bits as f64;
        assert!(
            bits <= ideal + 2.0 + n * bound,
            "{bits} coded vs {ideal} ideal"
        );
        // fₓ/F ≤ qₓ + 1/T, so the coder can be only negligibly shorter than Σ −log₂ q.
        assert!(bits >= ideal - n * 1e-6, "{bits} coded vs {ideal} ideal");
    }

    #[test]
    fn rounding_to_half_keeps_values_close_and_representable() {
        let (weights, _) = trained(TEXT, 8, 3, 1);
        let rounded = weights.clone().rounded_to_half();
        for (a, b) in weights.w1.iter().zip(&rounded.w1) {
            assert!((a - b).abs() <= a.abs() * 1e-3 + 1e-7);
            assert_eq!(half::f16::from_f32(*b).to_f32(), *b);
        }
        assert_eq!(
            rounded.description_bits(),
            16 * rounded.config.parameter_count() as u64
        );
    }

    #[test]
    fn learning_beats_order_zero_on_a_short_text() {
        let text = TEXT.repeat(4);
        let (weights, symbols) = trained(&text, 32, 200, 7);
        let (_, ideal, _) = round_trip(&weights.rounded_to_half(), &symbols);
        let order0 = encode_text(&text, 0).unwrap().bits.bits as f64;
        assert!(ideal < 0.6 * order0, "neural {ideal} vs order-0 {order0}");
    }

    #[test]
    fn empty_and_single_character_texts() {
        for text in ["", "x", "🦀🦀🦀"] {
            let (weights, symbols) = trained(text, 4, 2, 3);
            assert_eq!(round_trip(&weights, &symbols).0, symbols);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn any_unicode_text_round_trips(text in "\\PC{0,120}", seed in 0u64..1000) {
            let (weights, symbols) = trained(&text, 6, 2, seed);
            let weights = weights.rounded_to_half();
            prop_assert_eq!(round_trip(&weights, &symbols).0, symbols);
        }
    }
}
