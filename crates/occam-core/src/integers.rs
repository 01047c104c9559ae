//! Adaptive arithmetic coding of signed integers, such as quantized transform coefficients.
//!
//! Each integer q is written as yes/no questions, each with its own adaptive
//! Krichevsky–Trofimov coin (so the code learns how often each answer comes), as in the
//! binarization of CABAC (H.264's entropy coder):
//!
//! - is q = 0?
//! - if not: is q < 0? then m = |q| ≥ 1 in Exp-Golomb form, m = 2ᵉ + r with 0 ≤ r < 2ᵉ:
//!   e in unary (e ones, then a zero; coin i asks "is e > i?"), then the e bits of r, most
//!   significant first (coin (e, i) for bit i).
//!
//! Coefficients of different components have different spreads, so every component (stream)
//! gets its own coins. The cost of a value is −log₂ of the coins' probabilities of its answers:
//! near log₂(spread / step) bits for a smooth distribution, whatever the range of the values.

use crate::arithmetic::{CodingError, Decoder, Encoded, Encoder, KrichevskyTrofimov};

/// Exponents up to this many bits are coded (|q| < 2³²).
const MAX_EXPONENT: usize = 32;

/// The coins of one stream.
#[derive(Debug, Clone)]
struct Coins {
    zero: KrichevskyTrofimov,
    negative: KrichevskyTrofimov,
    /// "is e > i?"
    unary: Vec<KrichevskyTrofimov>,
    /// bit i of r when the exponent is e: index e · MAX_EXPONENT + i.
    remainder: Vec<KrichevskyTrofimov>,
}

impl Coins {
    fn new() -> Self {
        Self {
            zero: KrichevskyTrofimov::new(),
            negative: KrichevskyTrofimov::new(),
            unary: vec![KrichevskyTrofimov::new(); MAX_EXPONENT],
            remainder: vec![KrichevskyTrofimov::new(); MAX_EXPONENT * MAX_EXPONENT],
        }
    }
}

/// Codes `values`, read as rows of `streams` integers (value i belongs to stream i mod
/// `streams`).
pub fn encode_integers(values: &[i32], streams: usize) -> Result<Encoded, CodingError> {
    let streams = streams.max(1);
    let mut coins = vec![Coins::new(); streams];
    let mut encoder = Encoder::new();
    for (index, &value) in values.iter().enumerate() {
        let coins = &mut coins[index % streams];
        encoder.encode_symbol(&mut coins.zero, value == 0)?;
        if value == 0 {
            continue;
        }
        encoder.encode_symbol(&mut coins.negative, value < 0)?;
        let magnitude = value.unsigned_abs();
        let exponent = (31 - magnitude.leading_zeros()) as usize;
        for i in 0..exponent {
            encoder.encode_symbol(&mut coins.unary[i], true)?;
        }
        if exponent + 1 < MAX_EXPONENT {
            encoder.encode_symbol(&mut coins.unary[exponent], false)?;
        }
        for i in (0..exponent).rev() {
            let bit = magnitude >> i & 1 == 1;
            encoder.encode_symbol(&mut coins.remainder[exponent * MAX_EXPONENT + i], bit)?;
        }
    }
    Ok(encoder.finish())
}

/// Decodes `count` values coded by [`encode_integers`] with the same `streams`.
pub fn decode_integers(
    encoded: &Encoded,
    count: usize,
    streams: usize,
) -> Result<Vec<i32>, CodingError> {
    let streams = streams.max(1);
    let mut coins = vec![Coins::new(); streams];
    let mut decoder = Decoder::new(encoded);
    let mut values = Vec::with_capacity(count);
    for index in 0..count {
        let coins = &mut coins[index % streams];
        if decoder.decode_symbol(&mut coins.zero)? {
            values.push(0);
            continue;
        }
        let is_negative = decoder.decode_symbol(&mut coins.negative)?;
        let mut exponent = 0;
        while exponent + 1 < MAX_EXPONENT && decoder.decode_symbol(&mut coins.unary[exponent])? {
            exponent += 1;
        }
        let mut magnitude: u32 = 1;
        for i in (0..exponent).rev() {
            let bit = decoder.decode_symbol(&mut coins.remainder[exponent * MAX_EXPONENT + i])?;
            magnitude = magnitude << 1 | u32::from(bit);
        }
        let magnitude = i64::from(magnitude);
        let value = if is_negative { -magnitude } else { magnitude };
        values.push(i32::try_from(value).map_err(|_| CodingError::Desynchronized)?);
    }
    Ok(values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{normal, seeded};
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_integers_round_trip(
            values in prop::collection::vec(-(1i32 << 30)..(1 << 30), 0..300),
            streams in 1usize..5,
        ) {
            let encoded = encode_integers(&values, streams).unwrap();
            prop_assert_eq!(decode_integers(&encoded, values.len(), streams).unwrap(), values);
        }
    }

    #[test]
    fn extremes_round_trip() {
        let values = [0, 1, -1, i32::MAX, i32::MIN + 1, 2, -2, 1 << 20];
        let encoded = encode_integers(&values, 1).unwrap();
        assert_eq!(decode_integers(&encoded, values.len(), 1).unwrap(), values);
    }

    #[test]
    fn rounded_gaussians_cost_close_to_their_entropy() {
        // Values round(σ g) for g ~ N(0, 1) and σ = 20 have entropy close to the differential
        // entropy ½ log₂(2πe σ²) = 6.37 bits (the step is 1). The adaptive code should come
        // within a few tenths of a bit of it per value, and far below the 16 bits of a fixed
        // width that covers ±6σ.
        let sigma = 20.0f32;
        let n = 20_000;
        let values: Vec<i32> = normal(n, &mut seeded(9))
            .into_iter()
            .map(|g| (sigma * g).round() as i32)
            .collect();
        let bits = encode_integers(&values, 1).unwrap().bits as f64 / n as f64;
        let entropy = 0.5 * (std::f64::consts::TAU * std::f64::consts::E * 400.0).log2();
        assert!(bits > entropy - 0.05, "{bits} < entropy {entropy}");
        assert!(bits < entropy + 0.3, "{bits} vs entropy {entropy}");
    }

    #[test]
    fn all_zeros_cost_almost_nothing() {
        let values = vec![0; 10_000];
        // The KT coin pays about ½ log₂ n + 1 bits for an all-zero sequence.
        let bits = encode_integers(&values, 1).unwrap().bits;
        assert!(bits < 16, "{bits}");
    }
}
