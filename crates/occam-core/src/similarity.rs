//! Compression as a measure of similarity: the normalized compression distance (Cilibrasi and
//! Vitányi 2005),
//!
//! NCD(x, y) = (C(xy) − min(C(x), C(y))) / max(C(x), C(y)),
//!
//! where C is a real compressor's output size in bits, standing in for Kolmogorov complexity:
//! if y shares x's structure, coding y after x costs little more than x alone. The texts it is
//! tried on ship with the notebook ([`excerpts`]): public-domain prose in five languages.

use crate::baselines::{brotli, gzip};
use crate::context::encode_text;

/// The compressors the distance can be measured with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compressor {
    /// DEFLATE at level 9 (32 KB window), with its gzip header.
    Gzip,
    /// brotli at quality 11 (with its built-in dictionary of common words in several languages).
    Brotli,
    /// Chapter 1's adaptive order-2 context model ([`CONTEXT_ORDER`]) and arithmetic coder,
    /// with the text's alphabet.
    Context,
}

impl Compressor {
    pub const ALL: [Compressor; 3] = [Compressor::Gzip, Compressor::Brotli, Compressor::Context];

    pub fn name(self) -> &'static str {
        match self {
            Self::Gzip => "gzip",
            Self::Brotli => "brotli",
            Self::Context => "context",
        }
    }
}

/// The context model's order: two characters of context.
pub const CONTEXT_ORDER: usize = 2;

/// Bits of `text` as `compressor` codes it.
pub fn compressed_bits(compressor: Compressor, text: &str) -> f64 {
    match compressor {
        // Writing into a Vec cannot fail.
        Compressor::Gzip => gzip(text.as_bytes()).map_or(f64::NAN, |out| 8.0 * out.len() as f64),
        Compressor::Brotli => {
            brotli(text.as_bytes()).map_or(f64::NAN, |out| 8.0 * out.len() as f64)
        }
        Compressor::Context => context_bits(text),
    }
}

/// The adaptive context model's compressed size of `text`: its alphabet first (a byte for how
/// many characters, then each as UTF-32, 21 bits), then the text arithmetic-coded by chapter 1's
/// coder ([`encode_text`]), a real decodable code.
pub fn context_bits(text: &str) -> f64 {
    match encode_text(text, CONTEXT_ORDER) {
        Ok(coded) => 8.0 + 21.0 * coded.alphabet.len() as f64 + coded.bits.bits as f64,
        Err(_) => f64::NAN,
    }
}

/// NCD from the three sizes.
pub fn ncd(x: f64, y: f64, xy: f64) -> f64 {
    (xy - x.min(y)) / x.max(y)
}

/// The distances between every two of `texts` (and of each with itself), with `compressor`:
/// row i, column j is NCD(texts[i], texts[j]), from C(texts[i] texts[j]).
pub fn distance_matrix(compressor: Compressor, texts: &[&str]) -> Vec<Vec<f64>> {
    let alone: Vec<f64> = texts
        .iter()
        .map(|text| compressed_bits(compressor, text))
        .collect();
    texts
        .iter()
        .enumerate()
        .map(|(i, x)| {
            texts
                .iter()
                .enumerate()
                .map(|(j, y)| {
                    let joined = format!("{x}\n{y}");
                    ncd(alone[i], alone[j], compressed_bits(compressor, &joined))
                })
                .collect()
        })
        .collect()
}

/// One row of the distance matrix: `text` against each of `texts`, and its NCD with itself.
pub fn distances_from(compressor: Compressor, text: &str, texts: &[&str]) -> (Vec<f64>, f64) {
    let own = compressed_bits(compressor, text);
    let row = texts
        .iter()
        .map(|other| {
            let joined = format!("{text}\n{other}");
            ncd(
                own,
                compressed_bits(compressor, other),
                compressed_bits(compressor, &joined),
            )
        })
        .collect();
    let itself = ncd(
        own,
        own,
        compressed_bits(compressor, &format!("{text}\n{text}")),
    );
    (row, itself)
}

/// The labels of the `k` nearest of `distances` (ties broken by index), skipping `skip`.
pub fn nearest(distances: &[f64], k: usize, skip: Option<usize>) -> Vec<usize> {
    let mut order: Vec<usize> = (0..distances.len()).filter(|&i| Some(i) != skip).collect();
    order.sort_by(|&a, &b| distances[a].total_cmp(&distances[b]).then(a.cmp(&b)));
    order.truncate(k);
    order
}

/// The label the `neighbours` (nearest first) vote for: the most votes; among equal votes, the
/// label of the nearest neighbour that has one of them.
pub fn vote(neighbours: &[usize], labels: &[usize]) -> Option<usize> {
    let count = |label: usize| neighbours.iter().filter(|&&n| labels[n] == label).count();
    let most = neighbours.iter().map(|&n| count(labels[n])).max()?;
    neighbours
        .iter()
        .map(|&n| labels[n])
        .find(|&label| count(label) == most)
}

/// Leave-one-out accuracy of the k-nearest-neighbour vote under `distances` (symmetrized:
/// the mean of both orders).
pub fn knn_accuracy(distances: &[Vec<f64>], labels: &[usize], k: usize) -> f64 {
    let n = labels.len();
    let right = (0..n)
        .filter(|&i| {
            let row: Vec<f64> = (0..n)
                .map(|j| (distances[i][j] + distances[j][i]) / 2.0)
                .collect();
            vote(&nearest(&row, k, Some(i)), labels) == Some(labels[i])
        })
        .count();
    right as f64 / n.max(1) as f64
}

/// A shipped excerpt and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Excerpt {
    /// ISO 639-1: `en`, `fr`, `de`, `es`, `it`.
    pub language: String,
    pub author: String,
    pub title: String,
    pub year: String,
    pub source: String,
    pub text: String,
}

/// The excerpts' file: a block per excerpt, `@ lang | author | title | year | source` then its
/// paragraphs, one a line; `#` lines at the top are comments.
pub const EXCERPTS_FILE: &str = include_str!("../data/excerpts.txt");

/// Reads the excerpts' file format.
pub fn parse_excerpts(file: &str) -> Result<Vec<Excerpt>, String> {
    let mut excerpts: Vec<Excerpt> = Vec::new();
    for (number, line) in file.lines().enumerate() {
        if let Some(header) = line.strip_prefix("@ ") {
            let fields: Vec<&str> = header.split(" | ").map(str::trim).collect();
            let [language, author, title, year, source] = fields[..] else {
                return Err(format!("line {}: a header has five fields", number + 1));
            };
            excerpts.push(Excerpt {
                language: language.to_owned(),
                author: author.to_owned(),
                title: title.to_owned(),
                year: year.to_owned(),
                source: source.to_owned(),
                text: String::new(),
            });
        } else if line.starts_with('#') && excerpts.is_empty() || line.trim().is_empty() {
            continue;
        } else if let Some(excerpt) = excerpts.last_mut() {
            if !excerpt.text.is_empty() {
                excerpt.text.push('\n');
            }
            excerpt.text.push_str(line);
        } else {
            return Err(format!("line {}: text before the first header", number + 1));
        }
    }
    Ok(excerpts)
}

/// The shipped excerpts.
pub fn excerpts() -> Vec<Excerpt> {
    parse_excerpts(EXCERPTS_FILE).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_excerpts_are_four_per_language_and_about_a_kilobyte() {
        let excerpts = parse_excerpts(EXCERPTS_FILE).unwrap();
        assert_eq!(excerpts.len(), 20);
        for language in ["en", "fr", "de", "es", "it"] {
            let of: Vec<&Excerpt> = excerpts.iter().filter(|e| e.language == language).collect();
            assert_eq!(of.len(), 4, "{language}");
        }
        for excerpt in &excerpts {
            let chars = excerpt.text.chars().count();
            assert!((800..=1400).contains(&chars), "{}: {chars}", excerpt.title);
            assert!(!excerpt.text.contains("Gutenberg"), "{}", excerpt.title);
            assert!(excerpt.source.starts_with("Project Gutenberg eBook #"));
        }
    }

    #[test]
    fn a_text_is_near_itself_and_distances_stay_in_range() {
        let excerpts = excerpts();
        let texts: Vec<&str> = excerpts.iter().take(6).map(|e| e.text.as_str()).collect();
        for compressor in Compressor::ALL {
            let matrix = distance_matrix(compressor, &texts);
            for (i, row) in matrix.iter().enumerate() {
                // With itself: gzip and brotli code the second copy as one long match, so
                // C(xx) is little more than C(x). The context model remembers only which
                // character follows which two: the second copy is better predicted, never free.
                let (low, high) = match compressor {
                    Compressor::Context => (0.3, 0.8),
                    _ => (0.0, 0.1),
                };
                assert!(
                    (low..high).contains(&row[i]),
                    "{}: {}",
                    compressor.name(),
                    row[i]
                );
                for &distance in row {
                    assert!(
                        (0.0..=1.1).contains(&distance),
                        "{}: {distance}",
                        compressor.name()
                    );
                }
            }
        }
        let (row, itself) = distances_from(Compressor::Gzip, texts[0], &texts);
        assert_eq!(itself, distance_matrix(Compressor::Gzip, &texts)[0][0]);
        assert_eq!(row.len(), texts.len());
    }

    #[test]
    fn ncd_is_the_formula_on_given_sizes() {
        // C(x) = 1000, C(y) = 800, C(xy) = 1300: (1300 − 800) / 1000.
        assert!((ncd(1000.0, 800.0, 1300.0) - 0.5).abs() < 1e-15);
        assert_eq!(ncd(800.0, 1000.0, 1300.0), ncd(1000.0, 800.0, 1300.0));
    }

    #[test]
    fn votes_take_the_majority_then_the_nearest() {
        let labels = [0, 1, 1, 0];
        assert_eq!(vote(&[0, 1, 2], &labels), Some(1));
        assert_eq!(vote(&[3, 1], &labels), Some(0));
        assert_eq!(vote(&[], &labels), None);
        assert_eq!(nearest(&[0.5, 0.1, 0.1, 0.9], 2, Some(1)), vec![2, 0]);
    }

    #[test]
    fn compression_tells_the_languages_apart() {
        let excerpts = excerpts();
        let languages = ["en", "fr", "de", "es", "it"];
        let labels: Vec<usize> = excerpts
            .iter()
            .map(|e| languages.iter().position(|l| *l == e.language).unwrap())
            .collect();
        let texts: Vec<&str> = excerpts.iter().map(|e| e.text.as_str()).collect();
        for compressor in Compressor::ALL {
            let matrix = distance_matrix(compressor, &texts);
            let accuracy = knn_accuracy(&matrix, &labels, 1);
            // Chance is 1 in 5.
            assert!(accuracy >= 0.8, "{}: {accuracy}", compressor.name());
        }
    }
}
