//! Figures in CSS pixels: a figure's rendered width, followed as it changes, so that plot text
//! stays readable (at least 11 px) at every width instead of shrinking with a viewBox.

use leptos::prelude::*;
use leptos::tachys::html::element::ElementType;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;

type Observer = (web_sys::ResizeObserver, Closure<dyn FnMut(js_sys::Array)>);

/// The rendered width of `element` in CSS pixels (`fallback` until it is first laid out).
pub fn rendered_width<E>(element: NodeRef<E>, fallback: f64) -> ReadSignal<f64>
where
    E: ElementType + 'static,
    E::Output: JsCast + Clone + 'static,
{
    let (width, set_width) = signal(fallback);
    let observer: StoredValue<Option<Observer>, LocalStorage> = StoredValue::new_local(None);
    Effect::new(move |_| {
        let Some(element) = element.get() else {
            return;
        };
        if observer.with_value(Option::is_some) {
            return;
        }
        let on_resize = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let measured = entries
                .get(0)
                .dyn_into::<web_sys::ResizeObserverEntry>()
                .map(|entry| entry.content_rect().width());
            if let Ok(measured) = measured
                && measured > 0.0
            {
                set_width.try_set(measured);
            }
        });
        if let Ok(resize) = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
            resize.observe(element.unchecked_ref());
            observer.set_value(Some((resize, on_resize)));
        }
    });
    on_cleanup(move || {
        observer.try_with_value(|observer| {
            if let Some((resize, _)) = observer {
                resize.disconnect();
            }
        });
    });
    width
}

/// The font size, in the units of a viewBox `units` wide drawn `width` CSS pixels wide, that
/// shows `px` pixels, and never less than `px` units (a wide figure keeps its design size).
pub fn font_units(px: f64, units: f64, width: f64) -> f64 {
    (px * units / width.max(1.0)).max(px)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_keeps_its_pixels_when_the_figure_shrinks() {
        // A 420-unit square drawn 315 px wide: 16 units show 12 px.
        assert!((font_units(12.0, 420.0, 315.0) - 16.0).abs() < 1e-12);
        // Drawn wider than its units: the design size.
        assert_eq!(font_units(12.0, 420.0, 600.0), 12.0);
    }
}
