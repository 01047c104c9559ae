//! The embed view's side of a host page: its height, told to the parent so that the host's
//! `embed.js` can size the iframe, and its theme (`theme=light|dark|auto`).
//!
//! The messages are `{occam: "height", height}` (CSS pixels of the demo's content), posted to
//! the parent whenever that height changes and whenever the parent asks with
//! `{occam: "measure"}`. They carry no data from the demo but its height, so any parent may hear
//! them.

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

use crate::url;

/// The themes an embed may ask for; `auto` follows the system.
pub const THEMES: [&str; 3] = ["auto", "light", "dark"];

/// Applies `theme=` from the address to `<html data-theme>`; an unknown value is ignored with a
/// console warning (the page is still readable in the system's theme).
pub fn apply_theme() {
    let Some(theme) = url::query_value("theme") else {
        return;
    };
    let Some(root) = document().document_element() else {
        return;
    };
    match theme.trim() {
        "light" | "dark" => {
            let _ = root.set_attribute("data-theme", theme.trim());
        }
        "auto" | "" => {}
        other => web_sys::console::warn_1(
            &format!("occam: theme “{other}” is not one of auto, light, dark").into(),
        ),
    }
}

fn post_height(main: &web_sys::Element) {
    let Ok(Some(parent)) = window().parent() else {
        return;
    };
    // Alone in a tab, the parent is the window itself: nobody to tell.
    if parent == window() {
        return;
    }
    let height = main.get_bounding_client_rect().height().ceil();
    let message = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&message, &"occam".into(), &"height".into());
    let _ = js_sys::Reflect::set(&message, &"height".into(), &height.into());
    let _ = parent.post_message(&message, "*");
}

/// Tells the parent the height of `main.embed` now, on every change, and when asked.
pub fn report_height() {
    let Some(main) = document().query_selector("main.embed").ok().flatten() else {
        return;
    };
    let observed = main.clone();
    let on_resize = Closure::<dyn FnMut()>::new(move || post_height(&observed));
    if let Ok(observer) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        observer.observe(&main);
    }
    on_resize.forget();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |event: web_sys::MessageEvent| {
            let asks = js_sys::Reflect::get(&event.data(), &"occam".into())
                .ok()
                .and_then(|value| value.as_string())
                .is_some_and(|value| value == "measure");
            if asks {
                post_height(&main);
            }
        });
    let _ =
        window().add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    on_message.forget();
}
