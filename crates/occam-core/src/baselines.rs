//! General-purpose compressors as yardsticks: what a model of the text must beat.
//!
//! gzip (DEFLATE: LZ77 matches plus Huffman codes, RFC 1951/1952) and brotli (LZ77 with context
//! modelling and a built-in dictionary, RFC 7932), both in pure Rust, at their strongest
//! settings. Sizes include their headers, as a file on disk would.

use std::io::{Read, Write};

/// Bytes of `data` gzipped at level 9.
pub fn gzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(data)?;
    encoder.finish()
}

/// Bytes of `data` compressed by brotli at quality 11, window 2²².
pub fn brotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(data)?;
        writer.flush()?;
    }
    Ok(out)
}

/// Undoes [`gzip`] (used to check that the sizes belong to real, decodable files).
pub fn gunzip(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(data).read_to_end(&mut out)?;
    Ok(out)
}

/// Undoes [`brotli`].
pub fn unbrotli(data: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    brotli::Decompressor::new(data, 4096).read_to_end(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::{seeded, uniform};

    #[test]
    fn both_round_trip_and_find_repetition() {
        let text = "compression is intelligence. ".repeat(400);
        for (compress, decompress) in [
            (gzip as fn(&[u8]) -> _, gunzip as fn(&[u8]) -> _),
            (brotli, unbrotli),
        ] {
            let packed = compress(text.as_bytes()).unwrap();
            assert_eq!(decompress(&packed).unwrap(), text.as_bytes());
            // 11,600 bytes of one 29-byte phrase: a few dozen bytes of matches suffice.
            assert!(packed.len() < 200, "{}", packed.len());
        }
        assert_eq!(gunzip(&gzip(b"").unwrap()).unwrap(), b"");
    }

    #[test]
    fn random_bytes_do_not_shrink() {
        let bytes: Vec<u8> = uniform(0.0, 256.0, 4096, &mut seeded(5))
            .into_iter()
            .map(|x| x as u8)
            .collect();
        // Incompressible data costs at least its own length (a counting argument): no code
        // maps all 2^(8n) inputs to shorter outputs.
        assert!(gzip(&bytes).unwrap().len() >= bytes.len());
        assert!(brotli(&bytes).unwrap().len() >= bytes.len());
    }
}
