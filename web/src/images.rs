//! Small images (components, atoms, digits) drawn as grids of SVG squares: sharp at any size,
//! on a phone as on a projector, and readable by tests (`[data-images]`, `[data-image]`).

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

/// Images of more pixels than this draw their squares as one path per shade: a 64 × 64 Gram
/// image as 4,096 `rect`s took the page 100 ms and more to parse and lay out at every report.
const LARGE_IMAGE: usize = 1024;

/// Shades a large image's values are rounded to, on each side of zero: a step of 1/128 of the
/// range, finer than the eye tells apart.
const SHADES: f32 = 128.0;

/// One image as an SVG of `width × height` unit squares: a `rect` each, or for a large image
/// one `path` per shade whose subpaths are the squares.
fn tile_svg(pixels: &[f32], width: usize, height: usize, is_signed: bool) -> String {
    let scale = pixels.iter().fold(0.0f32, |m, v| m.max(v.abs()));
    let mut svg = format!(
        r#"<svg viewBox="0 0 {width} {height}" shape-rendering="crispEdges" aria-hidden="true">"#
    );
    if pixels.len() > LARGE_IMAGE {
        let unit = if is_signed { scale.max(1e-12) } else { 1.0 };
        let mut shades: std::collections::BTreeMap<i32, String> = Default::default();
        for (index, &value) in pixels.iter().enumerate() {
            let shade = (value / unit * SHADES).round().clamp(-SHADES, SHADES) as i32;
            let _ = write!(
                shades.entry(shade).or_default(),
                "M{} {}h1.02v1.02h-1.02z",
                index % width,
                index / width
            );
        }
        for (shade, squares) in shades {
            let (r, g, b) = colour(shade as f32 / SHADES * unit, is_signed, scale);
            let _ = write!(svg, r#"<path fill="rgb({r},{g},{b})" d="{squares}"/>"#);
        }
        svg.push_str("</svg>");
        return svg;
    }
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
            let tiles: String = (0..images.count())
                .map(|index| {
                    let label = images.captions.get(index).cloned().unwrap_or_default();
                    format!(
                        r#"<figure class="tile" data-image="{index}">{}<figcaption>{}</figcaption></figure>"#,
                        tile_svg(images.image(index), images.width, images.height, images.is_signed),
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
    fn a_large_image_draws_its_squares_as_one_path_per_shade() {
        // 40 × 40 pixels in two values: two paths of 800 unit squares each.
        let pixels: Vec<f32> = (0..1600)
            .map(|i| if i % 2 == 0 { 0.0 } else { 1.0 })
            .collect();
        let svg = tile_svg(&pixels, 40, 40, false);
        assert_eq!(svg.matches("<rect").count(), 0);
        assert_eq!(svg.matches("<path").count(), 2);
        assert_eq!(svg.matches('M').count(), 1600);
        assert!(svg.contains(r#"<path fill="rgb(255,255,255)" d="M0 0h1.02v1.02h-1.02zM2 0h"#));
        assert!(svg.contains(r#"<path fill="rgb(20,20,30)" d="M1 0h"#));
        // Signed values keep their sign and their scale.
        let signed: Vec<f32> = (0..1600)
            .map(|i| if i < 800 { -2.0 } else { 2.0 })
            .collect();
        let svg = tile_svg(&signed, 40, 40, true);
        assert!(svg.contains("rgb(33,102,172)") && svg.contains("rgb(178,24,43)"));
    }

    #[test]
    fn captions_are_escaped() {
        assert_eq!(escape("<b> & \"x\""), "&lt;b&gt; &amp; &quot;x&quot;");
    }
}
