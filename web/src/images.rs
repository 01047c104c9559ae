//! Small images (components, atoms, digits) drawn as grids of SVG squares, or in a large grid
//! as bitmaps with square pixels: sharp at any size, on a phone as on a projector, and
//! readable by tests (`[data-images]`, `[data-image]`).

use std::fmt::Write;

use leptos::prelude::*;
use occam_demos::protocol::Images;

/// The colour of one pixel: ink on paper for pixels in [0, 1]; blue (negative) through white
/// to red (positive) for signed values scaled by `scale`.
fn colour(value: f32, is_signed: bool, scale: f32) -> (u8, u8, u8) {
    let mix = |from: (f32, f32, f32), t: f32| {
        let t = t.clamp(0.0, 1.0);
        let channel = |c: f32| (255.0 + (c - 255.0) * t).round() as u8;
        (channel(from.0), channel(from.1), channel(from.2))
    };
    if is_signed {
        let t = value / scale.max(1e-12);
        if t >= 0.0 {
            mix((178.0, 24.0, 43.0), t)
        } else {
            mix((33.0, 102.0, 172.0), -t)
        }
    } else {
        mix((20.0, 20.0, 30.0), value)
    }
}

/// Grids of more pixels than this, all images together, draw each image as one bitmap: 96
/// sparse-coding atoms as 6,144 `rect`s took the page 45 ms to parse and 50 more to lay out at
/// every report, and a 64 × 64 Gram image as 4,096 `rect`s over 100 ms (measured in Chromium).
const LARGE_GRID: usize = 1024;

/// The pixel in `pixels` scaled as its image is: signed values by their largest magnitude.
fn scale_of(pixels: &[f32]) -> f32 {
    pixels.iter().fold(0.0f32, |m, v| m.max(v.abs()))
}

/// One image as an SVG of `width × height` unit squares, a `rect` each.
fn tile_svg(pixels: &[f32], width: usize, height: usize, is_signed: bool) -> String {
    let scale = scale_of(pixels);
    let mut svg = format!(
        r#"<svg viewBox="0 0 {width} {height}" shape-rendering="crispEdges" aria-hidden="true">"#
    );
    for (index, &value) in pixels.iter().enumerate() {
        let (r, g, b) = colour(value, is_signed, scale);
        let _ = write!(
            svg,
            r#"<rect x="{}" y="{}" width="1.02" height="1.02" fill="rgb({r},{g},{b})"/>"#,
            index % width,
            index / width
        );
    }
    svg.push_str("</svg>");
    svg
}

/// One image as a BMP file: 32 bits a pixel (blue, green, red, unused), rows from the top
/// (a negative height), no compression. The simplest format every browser decodes.
fn bitmap(pixels: &[f32], width: usize, height: usize, is_signed: bool) -> Vec<u8> {
    const HEADERS: u32 = 14 + 40;
    let scale = scale_of(pixels);
    let size = HEADERS + 4 * (width * height) as u32;
    let mut file = Vec::with_capacity(size as usize);
    // The file header: "BM", the file's size, two reserved words, where the pixels start.
    file.extend_from_slice(b"BM");
    file.extend_from_slice(&size.to_le_bytes());
    file.extend_from_slice(&0u32.to_le_bytes());
    file.extend_from_slice(&HEADERS.to_le_bytes());
    // BITMAPINFOHEADER: its size, width, height (negative: top row first), one plane, 32 bits
    // a pixel, no compression (BI_RGB), the pixels' size, 2,835 pixels a metre (72 dpi) both
    // ways, no palette.
    file.extend_from_slice(&40u32.to_le_bytes());
    file.extend_from_slice(&(width as i32).to_le_bytes());
    file.extend_from_slice(&(-(height as i32)).to_le_bytes());
    file.extend_from_slice(&1u16.to_le_bytes());
    file.extend_from_slice(&32u16.to_le_bytes());
    file.extend_from_slice(&0u32.to_le_bytes());
    file.extend_from_slice(&(size - HEADERS).to_le_bytes());
    file.extend_from_slice(&2835i32.to_le_bytes());
    file.extend_from_slice(&2835i32.to_le_bytes());
    file.extend_from_slice(&[0; 8]);
    for &value in pixels {
        let (r, g, b) = colour(value, is_signed, scale);
        file.extend_from_slice(&[b, g, r, 255]);
    }
    file
}

/// One image as an SVG holding it as a bitmap (a `data:` URL, which a strict
/// Content-Security-Policy allows for images), its pixels kept square and sharp by CSS.
fn bitmap_svg(pixels: &[f32], width: usize, height: usize, is_signed: bool) -> String {
    use base64::Engine;
    let encoded =
        base64::engine::general_purpose::STANDARD.encode(bitmap(pixels, width, height, is_signed));
    format!(
        r#"<svg viewBox="0 0 {width} {height}" aria-hidden="true"><image width="{width}" height="{height}" preserveAspectRatio="none" href="data:image/bmp;base64,{encoded}"/></svg>"#
    )
}

/// A grid of the images in `images`, each with its caption, under a caption for the whole.
#[component]
pub fn ImageGrid(
    /// The images to show (nothing is drawn while `None`).
    images: Signal<Option<Images>>,
    /// What the grid shows, for people and screen readers.
    caption: Signal<String>,
) -> impl IntoView {
    move || {
        images.get().map(|images| {
            let is_large = images.pixels.len() > LARGE_GRID;
            let tiles: String = (0..images.count())
                .map(|index| {
                    let pixels = images.image(index);
                    let (width, height) = (images.width, images.height);
                    let label = images.captions.get(index).cloned().unwrap_or_default();
                    format!(
                        r#"<figure class="tile" data-image="{index}">{}<figcaption>{}</figcaption></figure>"#,
                        if is_large {
                            bitmap_svg(pixels, width, height, images.is_signed)
                        } else {
                            tile_svg(pixels, width, height, images.is_signed)
                        },
                        escape(&label)
                    )
                })
                .collect();
            let name = images.name.clone();
            view! {
                <figure class="image-grid" data-images=name>
                    <div class="tiles" role="img" aria-label=move || caption.get() inner_html=tiles></div>
                    <figcaption>{move || caption.get()}</figcaption>
                </figure>
            }
        })
    }
}

/// Text made safe for HTML.
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_run_from_paper_to_ink_and_blue_to_red() {
        assert_eq!(colour(0.0, false, 1.0), (255, 255, 255));
        assert_eq!(colour(1.0, false, 1.0), (20, 20, 30));
        assert_eq!(colour(2.0, false, 1.0), (20, 20, 30), "clamped");
        assert_eq!(colour(0.0, true, 3.0), (255, 255, 255));
        assert_eq!(colour(3.0, true, 3.0), (178, 24, 43));
        assert_eq!(colour(-3.0, true, 3.0), (33, 102, 172));
        // Halfway to red: 255 + (178 − 255) / 2 = 216.5, rounded.
        assert_eq!(colour(1.5, true, 3.0).0, 217);
    }

    #[test]
    fn a_tile_has_one_square_per_pixel() {
        let svg = tile_svg(&[0.0, 1.0, 0.5, 0.25, 0.0, 1.0], 3, 2, false);
        assert!(svg.starts_with(r#"<svg viewBox="0 0 3 2""#));
        assert_eq!(svg.matches("<rect").count(), 6);
        assert!(svg.contains(r#"<rect x="0" y="1" width="1.02" height="1.02""#));
        assert!(svg.ends_with("</svg>"));
    }

    #[test]
    fn a_bitmap_is_a_top_down_32_bit_bmp_of_the_tile_colours() {
        // 2 × 2 pixels: paper, ink; ink halfway, paper. BMP's layout: a 14-byte file header
        // and a 40-byte information header, then blue, green, red and a spare byte a pixel.
        let file = bitmap(&[0.0, 1.0, 0.5, 0.0], 2, 2, false);
        let word = |at: usize| u32::from_le_bytes(file[at..at + 4].try_into().unwrap());
        assert_eq!(&file[..2], b"BM");
        assert_eq!(word(2) as usize, file.len());
        assert_eq!(file.len(), 54 + 4 * 4);
        assert_eq!(word(10), 54, "where the pixels start");
        assert_eq!(word(14), 40);
        assert_eq!(word(18), 2, "width");
        assert_eq!(word(22) as i32, -2, "height, negative: top row first");
        assert_eq!(u16::from_le_bytes([file[28], file[29]]), 32, "bits a pixel");
        assert_eq!(word(30), 0, "no compression");
        // Paper is white; ink is rgb(20, 20, 30); halfway is 255 + (20 − 255)/2 = 137.5 → 138
        // and 255 + (30 − 255)/2 = 142.5 → 143.
        assert_eq!(
            &file[54..],
            &[
                255, 255, 255, 255, 30, 20, 20, 255, //
                143, 138, 138, 255, 255, 255, 255, 255
            ]
        );
    }

    #[test]
    fn a_bitmap_tile_holds_its_file_as_a_data_url() {
        use base64::Engine;
        let svg = bitmap_svg(&[-2.0, 2.0, 0.0], 3, 1, true);
        assert!(svg.starts_with(r#"<svg viewBox="0 0 3 1""#));
        let url = svg
            .split(r#"href="data:image/bmp;base64,"#)
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap();
        let file = base64::engine::general_purpose::STANDARD
            .decode(url)
            .unwrap();
        // Signed, scaled by the largest magnitude: blue, red, white.
        assert_eq!(
            &file[54..],
            &[172, 102, 33, 255, 43, 24, 178, 255, 255, 255, 255, 255]
        );
    }

    #[test]
    fn captions_are_escaped() {
        assert_eq!(escape("<b> & \"x\""), "&lt;b&gt; &amp; &quot;x&quot;");
    }
}
