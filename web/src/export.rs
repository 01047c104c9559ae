//! Keeping a figure: its SVG, a PNG of it, and its data as CSV, each carrying the address that
//! reproduces it (the page's URL holds every value on screen).
//!
//! The SVG is the figure as drawn, with the page's styles written onto each element as SVG
//! presentation attributes (so it looks the same outside the page, in the theme it was saved
//! in; and attributes, unlike `style`, are allowed under a strict Content-Security-Policy);
//! the PNG is that SVG drawn at
//! twice its size with the address under it; the CSV is the numbers behind the figure.

use leptos::prelude::*;
use leptos::tachys::html::element::ElementType;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

/// The style properties copied from the page onto each saved element: each is also an SVG
/// presentation attribute of the same name.
const STYLED: [&str; 13] = [
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-opacity",
    "opacity",
    "font-family",
    "font-size",
    "font-weight",
    "display",
    "visibility",
    "paint-order",
];

/// One CSV field, quoted when it must be (RFC 4180).
pub fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// A CSV file: `#` lines saying what it is and how to reproduce it, a header, then rows.
pub fn csv(what: &str, address: &str, header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!("# occam: {what}\n# reproduce: {address}\n");
    let line = |fields: Vec<String>| fields.join(",") + "\n";
    out += &line(header.iter().map(|field| csv_field(field)).collect());
    for row in rows {
        out += &line(row.iter().map(|field| csv_field(field)).collect());
    }
    out
}

/// `words like these` → `words-like-these`, for file names.
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .take(6)
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word.to_lowercase());
    }
    if out.is_empty() {
        "figure".to_owned()
    } else {
        out
    }
}

/// `<demo>-<what>` for the figure inside `element`'s demo.
fn file_stem(element: &web_sys::Element, what: &str) -> String {
    let demo = element
        .closest("[data-demo]")
        .ok()
        .flatten()
        .and_then(|demo| demo.get_attribute("data-demo"));
    match demo {
        Some(demo) => format!("{demo}-{}", slug(what)),
        None => slug(what),
    }
}

fn address() -> String {
    window().location().href().unwrap_or_default()
}

/// Offers `blob` to the person as a file called `name`.
pub(crate) fn download_blob(blob: &web_sys::Blob, name: &str) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    if let Ok(link) = document().create_element("a") {
        let _ = link.set_attribute("href", &url);
        let _ = link.set_attribute("download", name);
        if let Some(link) = link.dyn_ref::<web_sys::HtmlElement>() {
            link.click();
        }
    }
    // Revoked a moment later: the download has started by then.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
}

pub(crate) fn text_blob(text: &str, mime: &str) -> Option<web_sys::Blob> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).ok()
}

/// The figure's `<svg>` as a file: styles written on, the background painted, its size in
/// pixels, and the address in its `<desc>`. Returns the markup and the size.
fn standalone_svg(svg: &web_sys::Element, title: &str) -> Option<(String, f64, f64)> {
    let rect = svg.get_bounding_client_rect();
    let (width, height) = (rect.width().max(1.0), rect.height().max(1.0));
    let copy: web_sys::Element = svg.clone_node_with_deep(true).ok()?.dyn_into().ok()?;
    let originals = svg.query_selector_all("*").ok()?;
    let copies = copy.query_selector_all("*").ok()?;
    let window = window();
    let write_style = |from: &web_sys::Element, to: &web_sys::Element| {
        let Ok(Some(computed)) = window.get_computed_style(from) else {
            return;
        };
        for property in STYLED {
            if let Ok(value) = computed.get_property_value(property)
                && !value.is_empty()
            {
                let _ = to.set_attribute(property, &value);
            }
        }
    };
    for index in 0..originals.length() {
        let (Some(original), Some(copied)) = (originals.item(index), copies.item(index)) else {
            continue;
        };
        let (Ok(original), Ok(copied)) = (
            original.dyn_into::<web_sys::Element>(),
            copied.dyn_into::<web_sys::Element>(),
        ) else {
            continue;
        };
        write_style(&original, &copied);
    }
    write_style(svg, &copy);
    let _ = copy.set_attribute("xmlns", "http://www.w3.org/2000/svg");
    let _ = copy.set_attribute("width", &format!("{width:.0}"));
    let _ = copy.set_attribute("height", &format!("{height:.0}"));
    // The page's background, under everything, so the file reads in any viewer.
    let background = svg
        .closest(".demo")
        .ok()
        .flatten()
        .and_then(|demo| window.get_computed_style(&demo).ok().flatten())
        .and_then(|style| style.get_property_value("background-color").ok())
        .unwrap_or_else(|| "white".to_owned());
    let namespace = Some("http://www.w3.org/2000/svg");
    let document = document();
    if let Ok(paint) = document.create_element_ns(namespace, "rect") {
        for (name, value) in [("width", "100%"), ("height", "100%")] {
            let _ = paint.set_attribute(name, value);
        }
        let _ = paint.set_attribute("fill", &background);
        let _ = copy.prepend_with_node_1(&paint);
    }
    for (tag, text) in [
        ("title", title.to_owned()),
        ("desc", format!("occam. Reproduce: {}", address())),
    ] {
        if let Ok(element) = document.create_element_ns(namespace, tag) {
            element.set_text_content(Some(&text));
            let _ = copy.prepend_with_node_1(&element);
        }
    }
    // XML, not HTML serialisation: the file must parse as SVG on its own.
    let markup = web_sys::XmlSerializer::new()
        .ok()?
        .serialize_to_string(&copy)
        .ok()?;
    Some((markup, width, height))
}

fn save_svg(svg: &web_sys::Element, title: &str) {
    if let Some((markup, _, _)) = standalone_svg(svg, title)
        && let Some(blob) = text_blob(&markup, "image/svg+xml")
    {
        download_blob(&blob, &format!("{}.svg", file_stem(svg, title)));
    }
}

/// Twice the figure's size, for sharp prints and slides, with the address in a line beneath.
fn save_png(svg: &web_sys::Element, title: &str) {
    let Some((markup, width, height)) = standalone_svg(svg, title) else {
        return;
    };
    // A `data:` address, which a strict Content-Security-Policy (`img-src 'self' data:`)
    // allows where a `blob:` one is refused.
    let source = format!(
        "data:image/svg+xml;charset=utf-8,{}",
        js_sys::encode_uri_component(&markup)
    );
    let Ok(image) = web_sys::HtmlImageElement::new() else {
        return;
    };
    let name = format!("{}.png", file_stem(svg, title));
    let drawn = image.clone();
    let on_load = Closure::once_into_js(move || {
        let scale = 2.0;
        let Ok(canvas) = document().create_element("canvas") else {
            return;
        };
        let Ok(canvas) = canvas.dyn_into::<web_sys::HtmlCanvasElement>() else {
            return;
        };
        let context =
            || {
                canvas.get_context("2d").ok().flatten().and_then(|context| {
                    context.dyn_into::<web_sys::CanvasRenderingContext2d>().ok()
                })
            };
        let font = format!("{}px system-ui, sans-serif", 11.0 * scale);
        // The address, broken into as many lines as it needs under the figure.
        let Some(measuring) = context() else {
            return;
        };
        measuring.set_font(&font);
        let lines = wrap(
            &format!("occam · {}", address()),
            (width - 12.0) * scale,
            |text| {
                measuring
                    .measure_text(text)
                    .map_or(0.0, |metrics| metrics.width())
            },
        );
        let line_height = 15.0;
        let footer = 8.0 + line_height * lines.len() as f64;
        canvas.set_width((width * scale) as u32);
        canvas.set_height(((height + footer) * scale) as u32);
        let Some(context) = context() else {
            return;
        };
        context.set_fill_style_str("white");
        context.fill_rect(0.0, 0.0, width * scale, (height + footer) * scale);
        let _ = context.draw_image_with_html_image_element_and_dw_and_dh(
            &drawn,
            0.0,
            0.0,
            width * scale,
            height * scale,
        );
        context.set_fill_style_str("#5b5b63");
        context.set_font(&font);
        for (index, line) in lines.iter().enumerate() {
            let baseline = height + line_height * (index + 1) as f64;
            let _ = context.fill_text(line, 6.0 * scale, baseline * scale);
        }
        let on_blob = Closure::once_into_js(move |blob: Option<web_sys::Blob>| {
            if let Some(blob) = blob {
                download_blob(&blob, &name);
            }
        });
        let _ = canvas.to_blob(on_blob.unchecked_ref());
    });
    image.set_onload(Some(on_load.unchecked_ref()));
    image.set_src(&source);
}

/// `text` in lines no wider than `room` as `width` measures them, broken anywhere (an address
/// has no spaces to break at).
fn wrap(text: &str, room: f64, width: impl Fn(&str) -> f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for character in text.chars() {
        let line = lines.last_mut().expect("one line at least");
        line.push(character);
        if width(line) > room && line.chars().count() > 1 {
            line.pop();
            lines.push(character.to_string());
        }
    }
    lines
}

fn save_csv(element: &web_sys::Element, title: &str, text: &str) {
    if let Some(blob) = text_blob(text, "text/csv") {
        download_blob(&blob, &format!("{}.csv", file_stem(element, title)));
    }
}

/// The figure's buttons: save as SVG, as PNG, and its data as CSV (`data(address)` writes it).
#[component]
pub fn FigureTools<E>(
    /// The figure's `<svg>`.
    svg: NodeRef<E>,
    /// What the figure shows, for its file names and its SVG's title.
    title: &'static str,
    /// The figure's numbers as CSV, given the address that reproduces them.
    data: Callback<String, String>,
) -> impl IntoView
where
    E: ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
{
    let element = move || {
        svg.get_untracked()
            .map(|svg| svg.unchecked_into::<web_sys::Element>())
    };
    view! {
        <div class="figure-tools" role="group" aria-label=format!("save “{title}”")>
            <span class="label">"Save"</span>
            <button type="button" data-action="save-svg" on:click=move |_| { if let Some(svg) = element() { save_svg(&svg, title); } }>"SVG"</button>
            <button type="button" data-action="save-png" on:click=move |_| { if let Some(svg) = element() { save_png(&svg, title); } }>"PNG"</button>
            <button type="button" data-action="save-csv" on:click=move |_| { if let Some(svg) = element() { save_csv(&svg, title, &data.run(address())); } }>"CSV"</button>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_only_what_it_must() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("static (told q = 0.5)"), "static (told q = 0.5)");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        let text = csv(
            "bits per flip",
            "https://x/entropy.html?coin-flips.p=0.9",
            &["series", "label", "x", "y"],
            &[vec![
                "curve".into(),
                "h(p)".into(),
                "0.5".into(),
                "1".into(),
            ]],
        );
        assert_eq!(
            text,
            "# occam: bits per flip\n# reproduce: https://x/entropy.html?coin-flips.p=0.9\nseries,label,x,y\ncurve,h(p),0.5,1\n"
        );
    }

    #[test]
    fn a_long_address_wraps_where_it_must() {
        // Ten units a character, 35 of room: three characters a line.
        let lines = wrap("abcdefgh", 35.0, |text| 10.0 * text.chars().count() as f64);
        assert_eq!(lines, ["abc", "def", "gh"]);
        assert_eq!(wrap("ab", 35.0, |text| 10.0 * text.len() as f64), ["ab"]);
    }

    #[test]
    fn file_names_are_a_few_plain_words() {
        assert_eq!(
            slug("Bits per flip, against p = P(heads)."),
            "bits-per-flip-against-p-p"
        );
        assert_eq!(slug("R³, seen"), "r³-seen");
        assert_eq!(slug("—"), "figure");
    }
}
