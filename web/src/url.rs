//! The address bar as state: reading query pairs and writing them back with `replaceState`.

use leptos::prelude::window;
use occam_demos::params::{ParamSpec, UrlScope, Values, write_query};

/// A URL component decoded (`+` as a space); the text itself when it is not valid encoding.
pub fn decode(text: &str) -> String {
    js_sys::decode_uri_component(&text.replace('+', " "))
        .map(String::from)
        .unwrap_or_else(|_| text.to_owned())
}

thread_local! {
    /// The query as the page opened: every demo reads its values from it, whatever the demos
    /// mounted before it have written since.
    static OPENED_WITH: Vec<(String, String)> = query_pairs();
}

/// The query's pairs as the page opened.
pub fn opened_with() -> Vec<(String, String)> {
    OPENED_WITH.with(Clone::clone)
}

/// The query's `name=value` pairs, decoded, in order.
pub fn query_pairs() -> Vec<(String, String)> {
    let search = window().location().search().unwrap_or_default();
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(name), decode(value))
        })
        .collect()
}

/// The last value of `name` in the query.
pub fn query_value(name: &str) -> Option<String> {
    query_pairs()
        .into_iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value)
}

/// Encodes pairs as a query string (without the `?`).
pub fn encode(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| {
            format!(
                "{}={}",
                js_sys::encode_uri_component(name),
                js_sys::encode_uri_component(value)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Sets `updates` in the address bar's query, keeping the other pairs and their order.
pub fn set_query(updates: &[(String, String)]) {
    let mut pairs = query_pairs();
    for (name, value) in updates {
        match pairs.iter_mut().find(|(key, _)| key == name) {
            Some(pair) => pair.1 = value.clone(),
            None => pairs.push((name.clone(), value.clone())),
        }
    }
    pairs.dedup_by(|later, earlier| later.0 == earlier.0);
    replace_query(&pairs);
}

/// Writes a demo's current values into the address bar (see [`write_query`]).
pub fn set_demo_query(demo: &str, specs: &[ParamSpec], values: &Values, scope: UrlScope) {
    replace_query(&write_query(&query_pairs(), demo, specs, values, scope));
}

/// Replaces the address bar's query, keeping its path and fragment, without a history entry.
fn replace_query(pairs: &[(String, String)]) {
    let location = window().location();
    let path = location.pathname().unwrap_or_default();
    let hash = location.hash().unwrap_or_default();
    let address = format!("{path}?{}{hash}", encode(pairs));
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&address));
    }
}

/// The address of a sibling page (`embed.html`, say) with a query, absolute, for snippets.
pub fn sibling_address(file: &str, pairs: &[(String, String)]) -> String {
    let href = window().location().href().unwrap_or_default();
    let without_query = href.split(['?', '#']).next().unwrap_or_default();
    let directory = &without_query[..without_query.rfind('/').map_or(0, |slash| slash + 1)];
    if pairs.is_empty() {
        format!("{directory}{file}")
    } else {
        format!("{directory}{file}?{}", encode(pairs))
    }
}
