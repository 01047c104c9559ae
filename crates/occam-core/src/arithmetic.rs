//! Arithmetic coding: a message costs −log₂ q(message) bits, plus at most 2.
//!
//! A model q assigns each symbol xᵢ a slice [Fᵢ, Fᵢ + fᵢ) of [0, T) given the symbols before it.
//! The coder narrows an interval [low, high] to the slice of each symbol in turn, so after the
//! message its width is W = Πᵢ fᵢ/T = q(message). Any binary fraction inside that interval
//! identifies the message, and one exists with ⌈−log₂ W⌉ + 1 bits (Rissanen 1976; Witten, Neal
//! and Cleary 1987). Here the interval has 62 bits of precision, so the integer rounding costs
//! under 10⁻¹² bits per symbol, and the whole message codes to at most −log₂ q(message) + 2 bits.
//!
//! ```
//! use occam_core::arithmetic::{decode_all, encode_all, StaticBinary};
//! let flips = [true, true, false, true];
//! let coded = encode_all(StaticBinary::new(0.75), flips).unwrap();
//! // −log₂ q = −3 log₂ 0.75 − log₂ 0.25 ≈ 3.25 bits, so at most 5.25.
//! assert!(coded.bits <= 5);
//! assert_eq!(decode_all(StaticBinary::new(0.75), &coded, 4).unwrap(), flips);
//! ```

use std::borrow::Borrow;

use thiserror::Error;

/// Bits of precision of the coder's interval.
const PRECISION: u32 = 62;
const FULL: u64 = 1 << PRECISION;
const HALF: u64 = FULL / 2;
const QUARTER: u64 = FULL / 4;
const THREE_QUARTERS: u64 = 3 * QUARTER;

/// The largest total frequency a model may use: every slice then keeps a nonzero width.
pub const MAX_TOTAL: u64 = QUARTER;

/// What can go wrong while coding. Each is a bug in a model, reported instead of a panic.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum CodingError {
    /// The model returned an empty or out-of-range slice.
    #[error("model gave an invalid slice [{low}, {high}) of total {total}")]
    InvalidInterval { low: u64, high: u64, total: u64 },
    /// The decoder's value fell outside every slice of the model.
    #[error("the coded bits do not match the model (corrupt or truncated input)")]
    Desynchronized,
}

/// A symbol's slice [low, high) of the model's frequency line [0, total).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Interval {
    pub low: u64,
    pub high: u64,
    pub total: u64,
}

impl Interval {
    fn check(self) -> Result<Self, CodingError> {
        if self.low < self.high && self.high <= self.total && self.total <= MAX_TOTAL {
            Ok(self)
        } else {
            Err(CodingError::InvalidInterval {
                low: self.low,
                high: self.high,
                total: self.total,
            })
        }
    }

    /// The probability this slice stands for, high − low over total.
    pub fn probability(self) -> f64 {
        (self.high - self.low) as f64 / self.total as f64
    }
}

/// A probability model the coder asks, symbol by symbol. The encoder and the decoder each hold
/// their own copy and update it with the same symbols, so they agree at every step.
pub trait Model {
    type Symbol: Copy + PartialEq;
    /// The slice of `symbol` given everything seen so far.
    fn interval(&self, symbol: Self::Symbol) -> Interval;
    /// The symbol whose slice holds `target` (in [0, total)), and that slice.
    fn symbol_at(&self, target: u64) -> (Self::Symbol, Interval);
    /// The current total frequency.
    fn total(&self) -> u64;
    /// Learn from a coded symbol (static models do nothing).
    fn update(&mut self, _symbol: Self::Symbol) {}
}

/// A coded message: `bits` bits, packed most significant first into `bytes`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Encoded {
    pub bytes: Vec<u8>,
    pub bits: u64,
}

impl Encoded {
    fn push(&mut self, bit: bool) {
        let offset = (self.bits % 8) as u32;
        if offset == 0 {
            self.bytes.push(0);
        }
        if bit && let Some(last) = self.bytes.last_mut() {
            *last |= 0x80 >> offset;
        }
        self.bits += 1;
    }

    /// Bit `index`, or 0 past the end (the decoder reads zeros there).
    fn bit(&self, index: u64) -> bool {
        index < self.bits && self.bytes[(index / 8) as usize] & (0x80 >> (index % 8)) != 0
    }
}

/// Narrows [low, high] to the slice `interval` of it.
fn narrow(low: u64, high: u64, interval: Interval) -> (u64, u64) {
    let range = u128::from(high - low) + 1;
    let scale =
        |cumulative: u64| (range * u128::from(cumulative) / u128::from(interval.total)) as u64;
    (low + scale(interval.low), low + scale(interval.high) - 1)
}

/// Codes symbols one at a time; [`Encoder::finish`] gives the bits.
#[derive(Debug)]
pub struct Encoder {
    low: u64,
    high: u64,
    pending: u64,
    out: Encoded,
}

impl Default for Encoder {
    fn default() -> Self {
        Self {
            low: 0,
            high: FULL - 1,
            pending: 0,
            out: Encoded::default(),
        }
    }
}

impl Encoder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Bits decided so far: those emitted plus those pending (whose values wait on later
    /// symbols but whose count is fixed). [`Encoder::finish`] adds at most 2 more.
    pub fn bits_committed(&self) -> u64 {
        self.out.bits + self.pending
    }

    fn emit(&mut self, bit: bool) {
        self.out.push(bit);
        for _ in 0..self.pending {
            self.out.push(!bit);
        }
        self.pending = 0;
    }

    /// Codes one symbol given its slice.
    pub fn encode(&mut self, interval: Interval) -> Result<(), CodingError> {
        let (low, high) = narrow(self.low, self.high, interval.check()?);
        self.low = low;
        self.high = high;
        loop {
            if self.high < HALF {
                self.emit(false);
            } else if self.low >= HALF {
                self.emit(true);
                self.low -= HALF;
                self.high -= HALF;
            } else if self.low >= QUARTER && self.high < THREE_QUARTERS {
                self.pending += 1;
                self.low -= QUARTER;
                self.high -= QUARTER;
            } else {
                return Ok(());
            }
            self.low *= 2;
            self.high = self.high * 2 + 1;
        }
    }

    /// Codes `symbol` with `model`, then lets the model learn it.
    pub fn encode_symbol<M: Model>(
        &mut self,
        model: &mut M,
        symbol: M::Symbol,
    ) -> Result<(), CodingError> {
        self.encode(model.interval(symbol))?;
        model.update(symbol);
        Ok(())
    }

    /// Ends the message with the two bits that pick a point inside the final interval.
    pub fn finish(mut self) -> Encoded {
        self.pending += 1;
        let bit = self.low >= QUARTER;
        self.emit(bit);
        self.out
    }
}

/// Reads symbols back from an [`Encoded`] message, given the same model. It borrows the
/// message (`Decoder::new(&coded)`) or owns it, so that a long decode can pause between symbols.
#[derive(Debug)]
pub struct Decoder<I: Borrow<Encoded>> {
    low: u64,
    high: u64,
    value: u64,
    next_bit: u64,
    input: I,
}

impl<I: Borrow<Encoded>> Decoder<I> {
    pub fn new(input: I) -> Self {
        let mut decoder = Self {
            low: 0,
            high: FULL - 1,
            value: 0,
            next_bit: 0,
            input,
        };
        for _ in 0..PRECISION {
            decoder.value = decoder.value * 2 + u64::from(decoder.read_bit());
        }
        decoder
    }

    fn read_bit(&mut self) -> bool {
        let bit = self.input.borrow().bit(self.next_bit);
        self.next_bit += 1;
        bit
    }

    /// Decodes one symbol with `model`, then lets the model learn it.
    pub fn decode_symbol<M: Model>(&mut self, model: &mut M) -> Result<M::Symbol, CodingError> {
        let total = model.total();
        let range = u128::from(self.high - self.low) + 1;
        let offset = u128::from(self.value - self.low);
        let target = ((offset + 1) * u128::from(total) - 1) / range;
        let target = u64::try_from(target).map_err(|_| CodingError::Desynchronized)?;
        if target >= total {
            return Err(CodingError::Desynchronized);
        }
        let (symbol, interval) = model.symbol_at(target);
        let (low, high) = narrow(self.low, self.high, interval.check()?);
        if self.value < low || self.value > high {
            return Err(CodingError::Desynchronized);
        }
        self.low = low;
        self.high = high;
        loop {
            if self.high < HALF {
            } else if self.low >= HALF {
                self.low -= HALF;
                self.high -= HALF;
                self.value -= HALF;
            } else if self.low >= QUARTER && self.high < THREE_QUARTERS {
                self.low -= QUARTER;
                self.high -= QUARTER;
                self.value -= QUARTER;
            } else {
                break;
            }
            self.low *= 2;
            self.high = self.high * 2 + 1;
            self.value = self.value * 2 + u64::from(self.read_bit());
        }
        model.update(symbol);
        Ok(symbol)
    }
}

/// Codes a whole message with `model`.
pub fn encode_all<M: Model>(
    mut model: M,
    symbols: impl IntoIterator<Item = M::Symbol>,
) -> Result<Encoded, CodingError> {
    let mut encoder = Encoder::new();
    for symbol in symbols {
        encoder.encode_symbol(&mut model, symbol)?;
    }
    Ok(encoder.finish())
}

/// Decodes `count` symbols with `model` (the count travels beside the bits).
pub fn decode_all<M: Model>(
    mut model: M,
    input: &Encoded,
    count: usize,
) -> Result<Vec<M::Symbol>, CodingError> {
    let mut decoder = Decoder::new(input);
    (0..count)
        .map(|_| decoder.decode_symbol(&mut model))
        .collect()
}

/// A coin with a fixed P(heads) = p, quantized to 32 bits: heads is `true`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StaticBinary {
    /// Frequency of heads out of 2³², kept within [1, 2³² − 1] so both sides stay codable.
    heads: u64,
}

impl StaticBinary {
    const TOTAL: u64 = 1 << 32;

    /// The model for P(heads) = p; p is clamped to [0, 1].
    pub fn new(p: f64) -> Self {
        let heads = (p.clamp(0.0, 1.0) * Self::TOTAL as f64).round() as u64;
        Self {
            heads: heads.clamp(1, Self::TOTAL - 1),
        }
    }

    /// The probability of heads the coder actually uses.
    pub fn p_heads(self) -> f64 {
        self.heads as f64 / Self::TOTAL as f64
    }
}

/// Tails take [0, t), heads [t, T): the layout both binary models share.
fn binary_interval(tails: u64, total: u64, heads: bool) -> Interval {
    if heads {
        Interval {
            low: tails,
            high: total,
            total,
        }
    } else {
        Interval {
            low: 0,
            high: tails,
            total,
        }
    }
}

impl Model for StaticBinary {
    type Symbol = bool;
    fn interval(&self, heads: bool) -> Interval {
        binary_interval(Self::TOTAL - self.heads, Self::TOTAL, heads)
    }
    fn symbol_at(&self, target: u64) -> (bool, Interval) {
        let heads = target >= Self::TOTAL - self.heads;
        (heads, self.interval(heads))
    }
    fn total(&self) -> u64 {
        Self::TOTAL
    }
}

/// The Krichevsky–Trofimov estimator: after h heads in t flips, P(heads) = (h + ½)/(t + 1).
///
/// It needs no prior knowledge of p, and its code length exceeds that of the best static code
/// chosen after the fact by at most ½ log₂ t + 1 bits: the price of learning one parameter.
/// Frequencies are kept doubled, (2h + 1)/(2t + 2), so the estimator is exact in integers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KrichevskyTrofimov {
    heads: u64,
    tails: u64,
}

impl KrichevskyTrofimov {
    pub fn new() -> Self {
        Self::default()
    }

    /// The current estimate of P(heads).
    pub fn p_heads(&self) -> f64 {
        (self.heads as f64 + 0.5) / ((self.heads + self.tails) as f64 + 1.0)
    }
}

impl Model for KrichevskyTrofimov {
    type Symbol = bool;
    fn interval(&self, heads: bool) -> Interval {
        binary_interval(2 * self.tails + 1, self.total(), heads)
    }
    fn symbol_at(&self, target: u64) -> (bool, Interval) {
        let heads = target > 2 * self.tails;
        (heads, self.interval(heads))
    }
    fn total(&self) -> u64 {
        2 * (self.heads + self.tails) + 2
    }
    fn update(&mut self, heads: bool) {
        if heads {
            self.heads += 1;
        } else {
            self.tails += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entropy::empirical_entropy;
    use proptest::prelude::*;

    /// −log₂ of the static model's probability of `flips`, summed symbol by symbol.
    fn static_ideal_bits(p_heads: f64, flips: &[bool]) -> f64 {
        flips
            .iter()
            .map(|&heads| -(if heads { p_heads } else { 1.0 - p_heads }).log2())
            .sum()
    }

    /// −log₂ of the KT probability of any sequence with these counts, from its closed form
    /// Γ(h + ½) Γ(t + ½) / (π n!), written as products (Γ(½)² = π cancels):
    /// log₂ q = Σ_{j<h} log₂(j + ½) + Σ_{j<t} log₂(j + ½) − Σ_{j=1..n} log₂ j.
    fn kt_ideal_bits(heads: u64, tails: u64) -> f64 {
        let half_steps = |count: u64| (0..count).map(|j| (j as f64 + 0.5).log2()).sum::<f64>();
        let log2_factorial: f64 = (1..=heads + tails).map(|j| (j as f64).log2()).sum();
        log2_factorial - half_steps(heads) - half_steps(tails)
    }

    fn counts(flips: &[bool]) -> (u64, u64) {
        let heads = flips.iter().filter(|&&heads| heads).count() as u64;
        (heads, flips.len() as u64 - heads)
    }

    /// Flips with P(heads) = p from a small deterministic generator (xorshift), independent of
    /// the crate's own sampling.
    fn flips(p: f64, n: usize, seed: u64) -> Vec<bool> {
        let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        (0..n)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                ((state >> 11) as f64 / (1u64 << 53) as f64) < p
            })
            .collect()
    }

    fn p_strategy() -> impl Strategy<Value = f64> {
        prop_oneof![
            0.0..=1.0f64,
            0.0..1e-6f64,
            (1.0 - 1e-6)..=1.0f64,
            Just(0.0),
            Just(1.0)
        ]
    }

    proptest! {
        #[test]
        fn static_round_trip_and_length(p in p_strategy(), data in prop::collection::vec(any::<bool>(), 0..3000)) {
            let model = StaticBinary::new(p);
            let coded = encode_all(model, data.iter().copied()).unwrap();
            prop_assert_eq!(&decode_all(model, &coded, data.len()).unwrap(), &data);
            let ideal = static_ideal_bits(model.p_heads(), &data);
            prop_assert!(coded.bits as f64 <= ideal + 2.0 + 1e-6, "{} bits, ideal {}", coded.bits, ideal);
            prop_assert!(coded.bits as f64 >= ideal - 1e-6, "{} bits, ideal {}", coded.bits, ideal);
        }

        #[test]
        fn kt_round_trip_and_length(data in prop::collection::vec(any::<bool>(), 0..3000)) {
            let coded = encode_all(KrichevskyTrofimov::new(), data.iter().copied()).unwrap();
            prop_assert_eq!(&decode_all(KrichevskyTrofimov::new(), &coded, data.len()).unwrap(), &data);
            let (heads, tails) = counts(&data);
            let ideal = kt_ideal_bits(heads, tails);
            prop_assert!(coded.bits as f64 <= ideal + 2.0 + 1e-6 && coded.bits as f64 >= ideal - 1e-6);
        }

        #[test]
        fn skewed_coins_round_trip(p in p_strategy(), n in 0usize..2000, seed in any::<u64>()) {
            let data = flips(p, n, seed);
            let coded = encode_all(StaticBinary::new(p), data.iter().copied()).unwrap();
            prop_assert_eq!(decode_all(StaticBinary::new(p), &coded, n).unwrap(), data.clone());
            let coded = encode_all(KrichevskyTrofimov::new(), data.iter().copied()).unwrap();
            prop_assert_eq!(decode_all(KrichevskyTrofimov::new(), &coded, n).unwrap(), data);
        }
    }

    #[test]
    fn empty_and_single_messages() {
        let empty = encode_all(StaticBinary::new(0.9), []).unwrap();
        assert!(empty.bits <= 2);
        assert!(
            decode_all(StaticBinary::new(0.9), &empty, 0)
                .unwrap()
                .is_empty()
        );
        for heads in [false, true] {
            let coded = encode_all(KrichevskyTrofimov::new(), [heads]).unwrap();
            // KT gives the first flip probability ½: one bit, plus at most two.
            assert!((1..=3).contains(&coded.bits));
            assert_eq!(
                decode_all(KrichevskyTrofimov::new(), &coded, 1).unwrap(),
                [heads]
            );
        }
    }

    #[test]
    fn long_skewed_message_reaches_the_entropy() {
        let data = flips(0.9, 200_000, 7);
        let model = StaticBinary::new(0.9);
        let coded = encode_all(model, data.iter().copied()).unwrap();
        let ideal = static_ideal_bits(model.p_heads(), &data);
        assert!(coded.bits as f64 <= ideal + 2.0 + 1e-6 && coded.bits as f64 >= ideal - 1e-6);
        assert_eq!(decode_all(model, &coded, data.len()).unwrap(), data);
    }

    #[test]
    fn kt_regret_is_at_most_half_log_n_plus_one() {
        for (p, n, seed) in [
            (0.5, 1, 1),
            (0.9, 10, 2),
            (0.99, 1000, 3),
            (0.5, 4096, 4),
            (0.001, 100_000, 5),
            (1.0, 5000, 6),
        ] {
            let data = flips(p, n, seed);
            let (heads, tails) = counts(&data);
            let coded = encode_all(KrichevskyTrofimov::new(), data.iter().copied()).unwrap();
            let best_static_bits = n as f64 * empirical_entropy(&[heads, tails]);
            let bound = 0.5 * (n as f64).log2() + 1.0;
            let ideal_regret = kt_ideal_bits(heads, tails) - best_static_bits;
            assert!(
                ideal_regret <= bound,
                "p={p} n={n}: regret {ideal_regret} > {bound}"
            );
            assert!(coded.bits as f64 - best_static_bits <= bound + 2.0);
        }
    }

    #[test]
    fn corrupt_input_is_an_error_or_a_wrong_message_never_a_panic() {
        let data = flips(0.7, 500, 9);
        let mut coded = encode_all(KrichevskyTrofimov::new(), data.iter().copied()).unwrap();
        coded.bytes[3] ^= 0xFF;
        if let Ok(decoded) = decode_all(KrichevskyTrofimov::new(), &coded, data.len()) {
            assert_ne!(decoded, data);
        }
    }

    #[test]
    fn invalid_intervals_are_reported() {
        let mut encoder = Encoder::new();
        let empty = Interval {
            low: 3,
            high: 3,
            total: 8,
        };
        assert_eq!(
            encoder.encode(empty),
            Err(CodingError::InvalidInterval {
                low: 3,
                high: 3,
                total: 8
            })
        );
        let too_fine = Interval {
            low: 0,
            high: 1,
            total: MAX_TOTAL + 1,
        };
        assert!(encoder.encode(too_fine).is_err());
    }
}
