//! Huffman codes: the best prefix code with whole-bit codewords.
//!
//! Given probabilities pᵢ, Huffman's algorithm (1952) repeatedly merges the two least likely
//! symbols; the code lengths ℓᵢ it finds minimise the expected length L̄ = Σ pᵢ ℓᵢ among prefix
//! codes, and H ≤ L̄ < H + 1. Coding blocks of k flips at once spreads that last bit over k
//! flips: per flip, h(p) ≤ L̄ₖ / k < h(p) + 1/k. Codes here are canonical (codewords of each
//! length are consecutive numbers), so the lengths alone describe the code.
//!
//! ```
//! use occam_core::huffman::HuffmanCode;
//! let code = HuffmanCode::new(&[0.5, 0.25, 0.25]).unwrap();
//! assert_eq!(code.lengths(), &[1, 2, 2]);
//! assert_eq!(code.expected_length(&[0.5, 0.25, 0.25]), 1.5);
//! ```

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use thiserror::Error;

/// Why a code could not be built or a message decoded.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum HuffmanError {
    #[error("a Huffman code needs at least one symbol")]
    NoSymbols,
    #[error("probabilities must be finite and not negative")]
    InvalidProbability,
    #[error("symbol {0} is not in the code")]
    UnknownSymbol(usize),
    #[error("the bits end inside a codeword")]
    Truncated,
}

/// A canonical prefix code: symbol i has codeword `codewords[i]` (bits, first bit first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HuffmanCode {
    lengths: Vec<usize>,
    codewords: Vec<Vec<bool>>,
    /// The decoding tree: node n has children `tree[n]` = (after 0, after 1); a child that is
    /// a leaf is stored as `LEAF | symbol`.
    tree: Vec<[usize; 2]>,
}

const LEAF: usize = 1 << (usize::BITS - 1);

/// Totally ordered probability for the heap (probabilities are checked finite).
#[derive(Debug, Clone, Copy)]
struct Weight(f64);
impl PartialEq for Weight {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}
impl Eq for Weight {}
impl PartialOrd for Weight {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Weight {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

/// Huffman's code lengths for `probabilities` (ties broken by the order of merging).
fn code_lengths(probabilities: &[f64]) -> Vec<usize> {
    let n = probabilities.len();
    if n == 1 {
        return vec![1];
    }
    // Nodes 0..n are the symbols; merged nodes follow. parent[node] is filled as they merge.
    let mut parent = vec![usize::MAX; 2 * n - 1];
    let mut heap: BinaryHeap<Reverse<(Weight, usize)>> = probabilities
        .iter()
        .enumerate()
        .map(|(symbol, &p)| Reverse((Weight(p), symbol)))
        .collect();
    let mut next = n;
    while let (Some(Reverse((a, first))), Some(Reverse((b, second)))) = (heap.pop(), heap.pop()) {
        parent[first] = next;
        parent[second] = next;
        heap.push(Reverse((Weight(a.0 + b.0), next)));
        next += 1;
    }
    // Depth of each leaf: walk up to the root (the last node, which has no parent).
    let mut depth = vec![0usize; 2 * n - 1];
    for node in (0..2 * n - 2).rev() {
        depth[node] = depth[parent[node]] + 1;
    }
    depth.truncate(n);
    depth
}

impl HuffmanCode {
    /// The Huffman code for symbols 0..len with these probabilities (which need not sum to 1).
    pub fn new(probabilities: &[f64]) -> Result<Self, HuffmanError> {
        if probabilities.is_empty() {
            return Err(HuffmanError::NoSymbols);
        }
        if probabilities.iter().any(|p| !p.is_finite() || *p < 0.0) {
            return Err(HuffmanError::InvalidProbability);
        }
        Ok(Self::from_lengths(code_lengths(probabilities)))
    }

    /// The canonical code with these lengths (which must satisfy Kraft's inequality).
    fn from_lengths(lengths: Vec<usize>) -> Self {
        let mut order: Vec<usize> = (0..lengths.len()).collect();
        order.sort_by_key(|&symbol| (lengths[symbol], symbol));
        let mut codewords = vec![Vec::new(); lengths.len()];
        let mut code: Vec<bool> = Vec::new();
        for (rank, &symbol) in order.iter().enumerate() {
            if rank > 0 {
                // The next codeword: add one to the previous one...
                for bit in code.iter_mut().rev() {
                    *bit = !*bit;
                    if *bit {
                        break;
                    }
                }
            }
            // ...then extend it with zeros to this symbol's length.
            code.resize(lengths[symbol], false);
            codewords[symbol] = code.clone();
        }
        let mut tree = vec![[usize::MAX; 2]];
        for (symbol, codeword) in codewords.iter().enumerate() {
            let mut node = 0;
            for (index, &bit) in codeword.iter().enumerate() {
                let slot = tree[node][usize::from(bit)];
                if index + 1 == codeword.len() {
                    tree[node][usize::from(bit)] = LEAF | symbol;
                } else if slot == usize::MAX {
                    let child = tree.len();
                    tree[node][usize::from(bit)] = child;
                    tree.push([usize::MAX; 2]);
                    node = child;
                } else {
                    node = slot;
                }
            }
        }
        Self {
            lengths,
            codewords,
            tree,
        }
    }

    /// Each symbol's codeword length in bits.
    pub fn lengths(&self) -> &[usize] {
        &self.lengths
    }

    /// Symbol `symbol`'s codeword.
    pub fn codeword(&self, symbol: usize) -> Option<&[bool]> {
        self.codewords.get(symbol).map(Vec::as_slice)
    }

    /// Σ pᵢ ℓᵢ: the expected codeword length under `probabilities`.
    pub fn expected_length(&self, probabilities: &[f64]) -> f64 {
        probabilities
            .iter()
            .zip(&self.lengths)
            .map(|(p, &length)| p * length as f64)
            .sum()
    }

    /// The codewords of `symbols`, concatenated.
    pub fn encode(&self, symbols: &[usize]) -> Result<Vec<bool>, HuffmanError> {
        let mut bits = Vec::new();
        for &symbol in symbols {
            bits.extend_from_slice(
                self.codeword(symbol)
                    .ok_or(HuffmanError::UnknownSymbol(symbol))?,
            );
        }
        Ok(bits)
    }

    /// Reads codewords back into symbols, walking the code's tree.
    pub fn decode(&self, bits: &[bool]) -> Result<Vec<usize>, HuffmanError> {
        let mut symbols = Vec::new();
        let mut node = 0;
        for &bit in bits {
            match self.tree[node][usize::from(bit)] {
                usize::MAX => return Err(HuffmanError::Truncated),
                child if child & LEAF != 0 => {
                    symbols.push(child & !LEAF);
                    node = 0;
                }
                child => node = child,
            }
        }
        if node == 0 {
            Ok(symbols)
        } else {
            Err(HuffmanError::Truncated)
        }
    }
}

/// Probabilities of the 2ᵏ blocks of k flips: block b (bit j of b is flip j, 1 = heads) has
/// probability p^(heads) (1 − p)^(k − heads).
pub fn block_probabilities(p: f64, k: u32) -> Vec<f64> {
    (0..1usize << k)
        .map(|block| {
            let heads = block.count_ones() as i32;
            p.powi(heads) * (1.0 - p).powi(k as i32 - heads)
        })
        .collect()
}

/// Groups flips into blocks of k (flip j of a block is bit j); a short last block is padded
/// with tails.
pub fn blocks(flips: &[bool], k: u32) -> Vec<usize> {
    flips
        .chunks(k as usize)
        .map(|chunk| {
            chunk
                .iter()
                .enumerate()
                .filter(|(_, heads)| **heads)
                .map(|(j, _)| 1usize << j)
                .sum()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entropy::{binary_entropy, entropy};
    use crate::rng::{coin_flips, seeded};
    use proptest::prelude::*;

    fn is_prefix_free(code: &HuffmanCode) -> bool {
        let words: Vec<&[bool]> = (0..code.lengths().len())
            .filter_map(|s| code.codeword(s))
            .collect();
        words.iter().enumerate().all(|(i, a)| {
            words
                .iter()
                .enumerate()
                .all(|(j, b)| i == j || !b.starts_with(a))
        })
    }

    #[test]
    fn per_flip_length_is_within_one_over_k_of_the_entropy() {
        for p in [0.5, 0.9, 0.97, 0.3, 0.01] {
            let h = binary_entropy(p);
            for k in 1..=12 {
                let probabilities = block_probabilities(p, k);
                let code = HuffmanCode::new(&probabilities).unwrap();
                let per_flip = code.expected_length(&probabilities) / f64::from(k);
                // Entropy of the block distribution is k h(p) (flips are independent).
                assert!((entropy(&probabilities) - f64::from(k) * h).abs() < 1e-9);
                assert!(
                    per_flip >= h - 1e-12 && per_flip < h + 1.0 / f64::from(k),
                    "p={p} k={k}: {per_flip} vs {h}"
                );
            }
        }
    }

    #[test]
    fn a_known_code() {
        // Probabilities ½, ¼, ⅛, ⅛: lengths 1, 2, 3, 3, canonical codewords 0, 10, 110, 111.
        let code = HuffmanCode::new(&[0.125, 0.5, 0.125, 0.25]).unwrap();
        assert_eq!(code.lengths(), &[3, 1, 3, 2]);
        assert_eq!(code.codeword(1).unwrap(), &[false]);
        assert_eq!(code.codeword(3).unwrap(), &[true, false]);
        assert_eq!(code.codeword(0).unwrap(), &[true, true, false]);
        assert_eq!(code.codeword(2).unwrap(), &[true, true, true]);
        assert_eq!(HuffmanCode::new(&[1.0]).unwrap().lengths(), &[1]);
        assert_eq!(HuffmanCode::new(&[]), Err(HuffmanError::NoSymbols));
        assert_eq!(
            HuffmanCode::new(&[0.5, f64::NAN]),
            Err(HuffmanError::InvalidProbability)
        );
    }

    #[test]
    fn measured_length_matches_the_expected_length_on_a_long_sample() {
        let (p, k) = (0.9, 4);
        let probabilities = block_probabilities(p, k);
        let code = HuffmanCode::new(&probabilities).unwrap();
        let flips = coin_flips(p, 400_000, &mut seeded(11));
        let symbols = blocks(&flips, k);
        let bits = code.encode(&symbols).unwrap();
        let measured = bits.len() as f64 / symbols.len() as f64;
        let expected = code.expected_length(&probabilities);
        // Codeword lengths here are at most 2⁴ bits, so their standard deviation is under 4 and
        // the mean of 100,000 blocks is within 6σ/√n ≈ 0.08 of its expectation.
        assert!(
            (measured - expected).abs() < 0.08,
            "{measured} vs {expected}"
        );
        assert_eq!(code.decode(&bits).unwrap(), symbols);
    }

    proptest! {
        #[test]
        fn codes_are_prefix_free_satisfy_kraft_and_round_trip(
            weights in prop::collection::vec(0.0..1.0f64, 1..200),
            message in prop::collection::vec(any::<prop::sample::Index>(), 0..300),
        ) {
            let code = HuffmanCode::new(&weights).unwrap();
            prop_assert!(is_prefix_free(&code));
            let kraft: f64 = code.lengths().iter().map(|&l| 0.5f64.powi(l as i32)).sum();
            prop_assert!((kraft - 1.0).abs() < 1e-9 || weights.len() == 1, "Kraft sum {}", kraft);
            let symbols: Vec<usize> = message.iter().map(|index| index.index(weights.len())).collect();
            let bits = code.encode(&symbols).unwrap();
            prop_assert_eq!(code.decode(&bits).unwrap(), symbols);
        }
    }
}
