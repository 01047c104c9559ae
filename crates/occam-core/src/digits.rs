//! The 8×8 handwritten digits: 1,797 images of 64 pixels, each 0 ..= 16, labelled 0 ..= 9.
//!
//! They are the test set of the UCI "Optical Recognition of Handwritten Digits" data (E. Alpaydin
//! and C. Kaynak, 1998; CC BY 4.0), as scikit-learn ships them, converted once by
//! `scripts/digits.py` into `web/data/digits.u8.gz`: gzip of
//! `b"OCCAMDG1"`, u16 count (little-endian), u8 width, u8 height, the labels, then the pixels
//! (row-major, one byte each). The file is compiled into the worker; [`Digits::shipped`] reads it.

use std::io::Read;

use thiserror::Error;

/// The shipped file.
pub const SHIPPED: &[u8] = include_bytes!("../../../web/data/digits.u8.gz");

const MAGIC: &[u8; 8] = b"OCCAMDG1";
/// The largest pixel value (a count of on-pixels in a 4×4 block).
pub const MAX_PIXEL: u8 = 16;

/// Why a digits file could not be read.
#[derive(Debug, Error)]
pub enum DigitsError {
    #[error("the digits file is not gzip data: {0}")]
    Gzip(#[from] std::io::Error),
    #[error("the digits file does not start with {MAGIC:?}")]
    Magic,
    #[error("the digits file is {got} bytes long, {expected} expected")]
    Length { got: usize, expected: usize },
    #[error("image {image} has a pixel of {value}, above {MAX_PIXEL}")]
    Pixel { image: usize, value: u8 },
    #[error("image {image} has label {label}, not a digit")]
    Label { image: usize, label: u8 },
}

/// Images and their labels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digits {
    pub width: usize,
    pub height: usize,
    pub labels: Vec<u8>,
    /// `len() × width × height` pixels, image after image, row-major.
    pub pixels: Vec<u8>,
}

impl Digits {
    /// Reads a file in the format above, checking every value.
    pub fn parse(compressed: &[u8]) -> Result<Self, DigitsError> {
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(compressed).read_to_end(&mut raw)?;
        let header = MAGIC.len() + 4;
        if raw.len() < header {
            return Err(DigitsError::Length {
                got: raw.len(),
                expected: header,
            });
        }
        if &raw[..MAGIC.len()] != MAGIC {
            return Err(DigitsError::Magic);
        }
        let count = usize::from(u16::from_le_bytes([raw[8], raw[9]]));
        let (width, height) = (usize::from(raw[10]), usize::from(raw[11]));
        let expected = header + count * (1 + width * height);
        if raw.len() != expected {
            return Err(DigitsError::Length {
                got: raw.len(),
                expected,
            });
        }
        let labels = raw[header..header + count].to_vec();
        let pixels = raw[header + count..].to_vec();
        if let Some((image, &label)) = labels.iter().enumerate().find(|(_, label)| **label > 9) {
            return Err(DigitsError::Label { image, label });
        }
        if let Some((index, &value)) = pixels.iter().enumerate().find(|(_, v)| **v > MAX_PIXEL) {
            return Err(DigitsError::Pixel {
                image: index / (width * height).max(1),
                value,
            });
        }
        Ok(Self {
            width,
            height,
            labels,
            pixels,
        })
    }

    /// The digits compiled into occam.
    pub fn shipped() -> Result<Self, DigitsError> {
        Self::parse(SHIPPED)
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Pixels per image.
    pub fn dimension(&self) -> usize {
        self.width * self.height
    }

    /// Image `index`'s pixels, row-major.
    pub fn image(&self, index: usize) -> &[u8] {
        &self.pixels[index * self.dimension()..(index + 1) * self.dimension()]
    }

    /// The images as rows of pixels in [0, 1], with their labels.
    pub fn labelled(&self) -> Labelled {
        let scale = f32::from(MAX_PIXEL);
        Labelled {
            rows: self
                .pixels
                .iter()
                .map(|&pixel| f32::from(pixel) / scale)
                .collect(),
            labels: self
                .labels
                .iter()
                .map(|&label| usize::from(label))
                .collect(),
            dimension: self.dimension(),
        }
    }
}

/// Whether example `index` is held out for testing: every third one (2, 5, 8, …), so that
/// both parts keep the data's order and mix of classes.
pub fn is_held_out(index: usize) -> bool {
    index % 3 == 2
}

/// Labelled examples: `labels.len()` rows of `dimension` numbers, row after row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Labelled {
    pub rows: Vec<f32>,
    pub labels: Vec<usize>,
    pub dimension: usize,
}

impl Labelled {
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// The examples at `indices`, in that order (a batch, or one part of a split).
    pub fn gather(&self, indices: &[usize]) -> Self {
        Self {
            rows: indices
                .iter()
                .flat_map(|&index| &self.rows[index * self.dimension..(index + 1) * self.dimension])
                .copied()
                .collect(),
            labels: indices.iter().map(|&index| self.labels[index]).collect(),
            dimension: self.dimension,
        }
    }

    /// (to train on, to test on): the examples [`is_held_out`] leaves in, and the others.
    pub fn split_for_testing(&self) -> (Self, Self) {
        let (test, train): (Vec<usize>, Vec<usize>) =
            (0..self.len()).partition(|&index| is_held_out(index));
        (self.gather(&train), self.gather(&test))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn every_third_example_is_held_out_and_batches_keep_their_rows() {
        let all = Labelled {
            rows: (0..14).map(|value| value as f32).collect(),
            labels: vec![0, 1, 2, 3, 4, 5, 6],
            dimension: 2,
        };
        let (train, test) = all.split_for_testing();
        assert_eq!(test.labels, vec![2, 5]);
        assert_eq!(test.rows, vec![4.0, 5.0, 10.0, 11.0]);
        assert_eq!(train.labels, vec![0, 1, 3, 4, 6]);
        assert_eq!(train.len() + test.len(), all.len());
        let batch = all.gather(&[6, 0]);
        assert_eq!(
            (batch.rows, batch.labels),
            (vec![12.0, 13.0, 0.0, 1.0], vec![6, 0])
        );
        let digits = Digits::shipped().expect("the shipped digits").labelled();
        assert_eq!((digits.len(), digits.dimension), (1_797, 64));
        assert!(
            digits
                .rows
                .iter()
                .all(|&pixel| (0.0..=1.0).contains(&pixel))
        );
    }

    fn gzip(raw: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(raw).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn the_shipped_file_holds_the_1797_digits() {
        let digits = Digits::shipped().unwrap();
        assert_eq!((digits.len(), digits.width, digits.height), (1797, 8, 8));
        assert_eq!(digits.pixels.len(), 1797 * 64);
        assert!(digits.pixels.iter().all(|&pixel| pixel <= 16));
        // Images per digit 0 ..= 9, as the data set's documentation (UCI, scikit-learn) lists.
        let mut counts = [0usize; 10];
        for &label in &digits.labels {
            counts[usize::from(label)] += 1;
        }
        assert_eq!(counts, [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]);
        // The first image is a 0: its middle column is dark, its sides bright.
        assert_eq!(digits.labels[0], 0);
        let first = digits.image(0);
        assert_eq!(&first[..8], &[0, 0, 5, 13, 9, 1, 0, 0]);
    }

    #[test]
    fn bad_files_are_reported_not_panicked_on() {
        assert!(matches!(
            Digits::parse(b"not gzip"),
            Err(DigitsError::Gzip(_))
        ));
        assert!(matches!(
            Digits::parse(&gzip(b"OCCAMDGX\x01\x00\x01\x01\x00\x00")),
            Err(DigitsError::Magic)
        ));
        assert!(matches!(
            Digits::parse(&gzip(b"OCCAMDG1\x02\x00\x01\x01\x00\x00")),
            Err(DigitsError::Length { .. })
        ));
        assert!(matches!(
            Digits::parse(&gzip(b"OCCAMDG1\x01\x00\x01\x01\x03\x11")),
            Err(DigitsError::Pixel {
                image: 0,
                value: 17
            })
        ));
        assert!(matches!(
            Digits::parse(&gzip(b"OCCAMDG1\x01\x00\x01\x01\x0a\x01")),
            Err(DigitsError::Label {
                image: 0,
                label: 10
            })
        ));
        let one = Digits::parse(&gzip(b"OCCAMDG1\x01\x00\x01\x02\x07\x10\x00")).unwrap();
        assert_eq!((one.len(), one.image(0)), (1, &[16u8, 0][..]));
    }
}
