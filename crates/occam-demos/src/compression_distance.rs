//! Demo `compression-distance`: the normalized compression distance between twenty shipped
//! public-domain excerpts in five languages and a text the reader pastes, with gzip, brotli and
//! chapter 1's context model ([`occam_core::similarity`]); a nearest-neighbour guess of each
//! excerpt's language from the others, and a map of the texts drawn from the distances alone.
//!
//! One step computes one row of one compressor's distances (the chosen compressor first, so
//! that its figures come soonest).

use crate::params::{ParamKind, ParamSpec, SEED};
use crate::{DemoSpec, MetricSpec};

/// The languages of the excerpts, in the order of their labels: (code, name).
pub const LANGUAGES: [(&str, &str); 5] = [
    ("en", "English"),
    ("fr", "French"),
    ("de", "German"),
    ("es", "Spanish"),
    ("it", "Italian"),
];

pub const COMPRESSOR: ParamSpec = ParamSpec {
    name: "compressor",
    label: "compressor",
    help: "whose distances the figures show: gzip (DEFLATE), brotli, or chapter 1's order-2 context model",
    kind: ParamKind::Choice {
        options: &["gzip", "brotli", "context"],
        default: "gzip",
    },
};

pub const NEIGHBOURS: ParamSpec = ParamSpec {
    name: "neighbours",
    label: "neighbours k",
    help: "how many nearest texts vote on a text's language",
    kind: ParamKind::Int {
        min: 1,
        max: 5,
        default: 1,
    },
};

/// The default pasted text: a paragraph written for this notebook.
pub const DEFAULT_TEXT: &str = "A rule that fits every example we have seen is not yet worth believing. It becomes worth believing when it is much shorter than the examples it explains, because a short description that fits by accident is rare, while long descriptions can be made to fit anything.";

pub const TEXT: ParamSpec = ParamSpec {
    name: "text",
    label: "your text",
    help: "a text to place among the excerpts (up to 3,000 characters): its nearest excerpts vote on its language",
    kind: ParamKind::Text {
        max_chars: 3000,
        url_max_chars: 500,
        default: DEFAULT_TEXT,
    },
};

/// The names of the metrics the demo reports (`[data-metric]`), for its figures and tests.
pub mod metric {
    pub const KNN_ACCURACY_GZIP: &str = "knn-accuracy-gzip";
    pub const KNN_ACCURACY_BROTLI: &str = "knn-accuracy-brotli";
    pub const KNN_ACCURACY_CONTEXT: &str = "knn-accuracy-context";
    pub const NCD_SELF: &str = "ncd-self";
    pub const NCD_WITHIN: &str = "ncd-within";
    pub const NCD_BETWEEN: &str = "ncd-between";
}

pub const SPEC: DemoSpec = DemoSpec {
    id: "compression-distance",
    title: "Similarity by compression",
    params: &[COMPRESSOR, NEIGHBOURS, TEXT, SEED],
    metrics: &[
        MetricSpec::new(
            metric::KNN_ACCURACY_GZIP,
            "languages guessed right, gzip",
            3,
        ),
        MetricSpec::new(
            metric::KNN_ACCURACY_BROTLI,
            "languages guessed right, brotli",
            3,
        ),
        MetricSpec::new(
            metric::KNN_ACCURACY_CONTEXT,
            "languages guessed right, context model",
            3,
        ),
        MetricSpec::new(metric::NCD_SELF, "distance of a text to itself", 3),
        MetricSpec::new(metric::NCD_WITHIN, "mean distance within a language", 3),
        MetricSpec::new(metric::NCD_BETWEEN, "mean distance between languages", 3),
    ],
    uses_tensors: false,
    on_page: None,
    workload_params: &[],
};

/// The chosen compressor's distances, 21 × 21 (the excerpts, then the pasted text).
pub const DISTANCE_IMAGE: &str = "distances";
/// The texts placed in the plane by classical multidimensional scaling of the distances.
pub const MAP_CLOUD: &str = "map";
/// The pasted text's nearest excerpts.
pub const NEAREST_TABLE: &str = "nearest";
/// The excerpts, numbered as in the matrix, with their sources.
pub const TEXTS_TABLE: &str = "texts";

#[cfg(feature = "session")]
pub use run::CompressionDistance;

#[cfg(feature = "session")]
mod run {
    use nalgebra::{DMatrix, SymmetricEigen};
    use occam_core::burn::prelude::Device;
    use occam_core::similarity::{
        Compressor, Excerpt, compressed_bits, excerpts, knn_accuracy, ncd, nearest, vote,
    };

    use super::{COMPRESSOR, LANGUAGES, NEIGHBOURS, TEXT, metric};
    use crate::params::Values;
    use crate::protocol::{Cloud, Images, Report, Table};
    use crate::run::{DemoError, DemoRun, Step};

    /// A run: the rows of every compressor's matrix, one a step.
    #[derive(Debug)]
    pub struct CompressionDistance {
        excerpts: Vec<Excerpt>,
        /// The excerpts' texts, then the pasted one.
        texts: Vec<String>,
        labels: Vec<usize>,
        neighbours: usize,
        /// The chosen compressor first.
        order: [Compressor; 3],
        /// For each compressor of `order`: C of each text alone, and the rows done so far.
        alone: Vec<Vec<f64>>,
        matrices: Vec<Vec<Vec<f64>>>,
    }

    fn compressor(name: &str) -> Compressor {
        match name {
            "brotli" => Compressor::Brotli,
            "context" => Compressor::Context,
            _ => Compressor::Gzip,
        }
    }

    impl DemoRun for CompressionDistance {
        fn start(params: &Values, _device: &Device) -> Result<Self, DemoError> {
            let chosen = compressor(params.choice(COMPRESSOR.name)?);
            let neighbours = usize::try_from(params.int(NEIGHBOURS.name)?).unwrap_or(1);
            let excerpts = excerpts();
            let labels = excerpts
                .iter()
                .map(|excerpt| {
                    LANGUAGES
                        .iter()
                        .position(|(code, _)| *code == excerpt.language)
                        .unwrap_or(0)
                })
                .collect();
            let mut texts: Vec<String> = excerpts.iter().map(|e| e.text.clone()).collect();
            texts.push(params.text(TEXT.name)?.to_owned());
            let mut order = [chosen; 3];
            let others = Compressor::ALL.into_iter().filter(|c| *c != chosen);
            for (slot, other) in order[1..].iter_mut().zip(others) {
                *slot = other;
            }
            Ok(Self {
                excerpts,
                texts,
                labels,
                neighbours,
                order,
                alone: Vec::new(),
                matrices: Vec::new(),
            })
        }

        async fn advance(&mut self) -> Result<Step, DemoError> {
            let n = self.texts.len();
            if self.matrices.last().is_none_or(|rows| rows.len() == n) {
                let compressor = self.order[self.matrices.len()];
                self.alone.push(
                    self.texts
                        .iter()
                        .map(|text| compressed_bits(compressor, text))
                        .collect(),
                );
                self.matrices.push(Vec::new());
            }
            let index = self.matrices.len() - 1;
            let compressor = self.order[index];
            let i = self.matrices[index].len();
            // Row i: C(xᵢ xⱼ) for j ≥ i; the lower half mirrors rows done before.
            let row: Vec<f64> = (0..n)
                .map(|j| {
                    if j < i {
                        self.matrices[index][j][i]
                    } else {
                        let joined = format!("{}\n{}", self.texts[i], self.texts[j]);
                        let alone = &self.alone[index];
                        ncd(alone[i], alone[j], compressed_bits(compressor, &joined))
                    }
                })
                .collect();
            if row.iter().any(|d| !d.is_finite()) {
                return Err(DemoError::Invalid(format!(
                    "{} could not compress the texts",
                    compressor.name()
                )));
            }
            self.matrices[index].push(row);
            let is_done = self.matrices.len() == 3 && self.matrices[2].len() == n;
            Ok(Step::new(self.report(), is_done))
        }
    }

    impl CompressionDistance {
        fn rows_done(&self) -> usize {
            self.matrices.iter().map(Vec::len).sum()
        }

        /// The excerpts' part of a finished matrix.
        fn excerpt_block(&self, matrix: &[Vec<f64>]) -> Vec<Vec<f64>> {
            let m = self.excerpts.len();
            matrix[..m].iter().map(|row| row[..m].to_vec()).collect()
        }

        fn report(&self) -> Report {
            let n = self.texts.len();
            let m = self.excerpts.len();
            let mut metrics = Vec::new();
            for (compressor, matrix) in self.order.iter().zip(&self.matrices) {
                if matrix.len() < n {
                    continue;
                }
                let name = match compressor {
                    Compressor::Gzip => metric::KNN_ACCURACY_GZIP,
                    Compressor::Brotli => metric::KNN_ACCURACY_BROTLI,
                    Compressor::Context => metric::KNN_ACCURACY_CONTEXT,
                };
                let accuracy =
                    knn_accuracy(&self.excerpt_block(matrix), &self.labels, self.neighbours);
                metrics.push((name.to_owned(), accuracy));
            }
            let mut report = Report {
                progress: self.rows_done() as u64,
                total: 3 * n as u64,
                metrics,
                series: Vec::new(),
                images: Vec::new(),
                clouds: Vec::new(),
                tables: vec![self.texts_table()],
            };
            let Some(matrix) = self.matrices.first().filter(|rows| rows.len() == n) else {
                return report;
            };
            let mean = |pairs: &mut dyn Iterator<Item = f64>| {
                let (sum, count) = pairs.fold((0.0, 0), |(s, c), d| (s + d, c + 1));
                sum / f64::from(count.max(1))
            };
            let pairs = || (0..m).flat_map(|i| (0..m).map(move |j| (i, j)));
            let within = mean(
                &mut pairs()
                    .filter(|&(i, j)| i != j && self.labels[i] == self.labels[j])
                    .map(|(i, j)| matrix[i][j]),
            );
            let between = mean(
                &mut pairs()
                    .filter(|&(i, j)| self.labels[i] != self.labels[j])
                    .map(|(i, j)| matrix[i][j]),
            );
            let itself = mean(&mut (0..m).map(|i| matrix[i][i]));
            report.metrics.extend([
                (metric::NCD_SELF.to_owned(), itself),
                (metric::NCD_WITHIN.to_owned(), within),
                (metric::NCD_BETWEEN.to_owned(), between),
            ]);
            report.images.push(self.image(matrix));
            report.clouds.push(self.map(matrix));
            report.tables.push(self.nearest_table(matrix));
            report
        }

        /// Darker is nearer: each distance off the diagonal scaled between the smallest and
        /// the largest.
        fn image(&self, matrix: &[Vec<f64>]) -> Images {
            let n = matrix.len();
            let off = || {
                (0..n)
                    .flat_map(move |i| (0..n).map(move |j| (i, j)))
                    .filter(|(i, j)| i != j)
                    .map(|(i, j)| matrix[i][j])
            };
            let low = off().fold(f64::INFINITY, f64::min);
            let high = off().fold(f64::NEG_INFINITY, f64::max);
            let span = (high - low).max(1e-9);
            Images {
                name: super::DISTANCE_IMAGE.to_owned(),
                width: n,
                height: n,
                is_signed: false,
                captions: vec![String::new()],
                pixels: matrix
                    .iter()
                    .flatten()
                    .map(|&d| (1.0 - (d - low) / span).clamp(0.0, 1.0) as f32)
                    .collect(),
            }
        }

        /// Classical multidimensional scaling: the plane's two directions of the doubly
        /// centred squared distances, −½ J D² J, scaled by the square roots of their
        /// eigenvalues.
        fn map(&self, matrix: &[Vec<f64>]) -> Cloud {
            let n = matrix.len();
            let squared = DMatrix::from_fn(n, n, |i, j| {
                let d = (matrix[i][j] + matrix[j][i]) / 2.0;
                if i == j { 0.0 } else { d * d }
            });
            let centring = DMatrix::identity(n, n) - DMatrix::from_element(n, n, 1.0 / n as f64);
            let gram = -0.5 * &centring * squared * &centring;
            let eigen = SymmetricEigen::new(gram);
            let mut order: Vec<usize> = (0..n).collect();
            order.sort_by(|&a, &b| eigen.eigenvalues[b].total_cmp(&eigen.eigenvalues[a]));
            let mut coords = vec![0f32; 2 * n];
            for (axis, &k) in order.iter().take(2).enumerate() {
                let scale = eigen.eigenvalues[k].max(0.0).sqrt();
                let column = eigen.eigenvectors.column(k);
                // An eigenvector's sign is arbitrary: the first text always lands on the left
                // (and below), so that the same texts give the same map.
                let sign = if column[0] > 0.0 { -1.0 } else { 1.0 };
                for i in 0..n {
                    coords[2 * i + axis] = (sign * scale * column[i]) as f32;
                }
            }
            let mut labels: Vec<u32> = self.labels.iter().map(|&l| l as u32).collect();
            labels.push(LANGUAGES.len() as u32);
            Cloud::new(super::MAP_CLOUD, 2, coords).with_labels(labels)
        }

        fn texts_table(&self) -> Table {
            Table {
                name: super::TEXTS_TABLE.to_owned(),
                columns: ["", "language", "author", "title", "year", "source"]
                    .map(str::to_owned)
                    .to_vec(),
                rows: self
                    .excerpts
                    .iter()
                    .zip(&self.labels)
                    .enumerate()
                    .map(|(index, (excerpt, &label))| {
                        vec![
                            (index + 1).to_string(),
                            LANGUAGES[label].1.to_owned(),
                            excerpt.author.clone(),
                            excerpt.title.clone(),
                            excerpt.year.clone(),
                            excerpt.source.clone(),
                        ]
                    })
                    .collect(),
            }
        }

        /// The pasted text's nearest excerpts, and the language they vote for.
        fn nearest_table(&self, matrix: &[Vec<f64>]) -> Table {
            let m = self.excerpts.len();
            let row: Vec<f64> = (0..m).map(|j| matrix[m][j]).collect();
            let near = nearest(&row, self.neighbours.max(5), None);
            let guess = vote(&near[..self.neighbours.min(near.len())], &self.labels);
            let mut rows: Vec<Vec<String>> = near
                .iter()
                .map(|&j| {
                    vec![
                        (j + 1).to_string(),
                        LANGUAGES[self.labels[j]].1.to_owned(),
                        format!("{}, {}", self.excerpts[j].author, self.excerpts[j].title),
                        format!("{:.3}", row[j]),
                    ]
                })
                .collect();
            if let Some(label) = guess {
                rows.push(vec![
                    String::new(),
                    LANGUAGES[label].1.to_owned(),
                    format!(
                        "the vote of the {} nearest",
                        if self.neighbours == 1 {
                            "one".to_owned()
                        } else {
                            self.neighbours.to_string()
                        }
                    ),
                    String::new(),
                ]);
            }
            Table {
                name: super::NEAREST_TABLE.to_owned(),
                columns: ["excerpt", "language", "book", "distance"]
                    .map(str::to_owned)
                    .to_vec(),
                rows,
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use crate::session::run_to_done;

        #[test]
        fn every_compressor_tells_the_languages_apart_and_places_the_text() {
            let report = run_to_done("compression-distance", &[]);
            for name in [
                "knn-accuracy-gzip",
                "knn-accuracy-brotli",
                "knn-accuracy-context",
            ] {
                assert!(report.metric(name).unwrap() >= 0.8, "{name}");
            }
            let within = report.metric("ncd-within").unwrap();
            let between = report.metric("ncd-between").unwrap();
            assert!(within < between, "{within} {between}");
            assert!(report.metric("ncd-self").unwrap() < 0.1);
            let nearest = report.table(super::super::NEAREST_TABLE).unwrap();
            // The default text is English: so is the vote (the last row).
            assert_eq!(nearest.rows.last().unwrap()[1], "English");
            let image = report.images(super::super::DISTANCE_IMAGE).unwrap();
            assert_eq!((image.width, image.count()), (21, 1));
            assert_eq!(report.cloud(super::super::MAP_CLOUD).unwrap().count(), 21);
        }

        #[test]
        fn a_french_text_is_placed_among_the_french() {
            let text = "Il était une fois, dans un petit village au bord de la mer, une vieille femme qui vivait seule avec son chat. Chaque matin, elle descendait au port pour regarder les bateaux rentrer de la pêche.";
            let report = run_to_done(
                "compression-distance",
                &[("text", text), ("compressor", "context")],
            );
            let nearest = report.table(super::super::NEAREST_TABLE).unwrap();
            assert_eq!(nearest.rows.last().unwrap()[1], "French");
        }
    }
}
