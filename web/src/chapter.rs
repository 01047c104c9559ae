//! The chapter page: kicker, title, then the segments compiled from the chapter's text file
//! (`chapters/<NN>-<slug>.md`, by `build.rs` with `occam-chapters`): prose and MathML as HTML,
//! demos between them, and links to the previous and next chapters.

use leptos::prelude::*;
use occam_demos::{CHAPTERS, Chapter};

use crate::{classroom, demo, figures};
use occam_demos::params::UrlScope;

/// A piece of a chapter, as compiled at build time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segment {
    /// Prose, equations, references: the chapter's `n`-th piece of prose, which its page carries
    /// as `<template data-prose="n">` (HTML written by the build from the chapter's text).
    Html(usize),
    /// A demo, by id.
    Demo(&'static str),
    /// An exercise, by id (in [`EXERCISES`]).
    Exercise(&'static str),
}

/// A chapter's compiled text.
#[derive(Debug)]
pub struct ChapterText {
    pub slug: &'static str,
    pub segments: &'static [Segment],
}

include!(concat!(env!("OUT_DIR"), "/chapters.rs"));

/// The exercise with this id.
pub fn exercise(id: &str) -> Option<&'static occam_demos::exercise::Exercise> {
    EXERCISES.iter().find(|exercise| exercise.id == id)
}

/// Every exercise of the notebook, in reading order.
pub fn exercises() -> &'static [occam_demos::exercise::Exercise] {
    &EXERCISES
}

/// The compiled text of the chapter `slug`.
pub fn text(slug: &str) -> Option<&'static ChapterText> {
    CHAPTER_TEXTS.iter().find(|text| text.slug == slug)
}

/// `<title>` of a chapter's page (what a tab and a link preview show).
pub fn page_title(chapter: &Chapter) -> String {
    format!("{} · occam", chapter.title)
}

/// A built chapter and its place in `CHAPTERS`.
type Placed = (usize, &'static Chapter);

/// The built chapters before and after `slug`, for the links at the page's end.
fn neighbours(slug: &str) -> (Option<Placed>, Option<Placed>) {
    let built: Vec<Placed> = CHAPTERS
        .iter()
        .enumerate()
        .filter(|(_, chapter)| chapter.is_built)
        .collect();
    match built.iter().position(|(_, chapter)| chapter.slug == slug) {
        Some(at) => (
            at.checked_sub(1).map(|before| built[before]),
            built.get(at + 1).copied(),
        ),
        None => (None, None),
    }
}

/// The page of a built chapter.
#[component]
pub fn ChapterPage(
    /// Its place in `CHAPTERS` (0-based).
    index: usize,
) -> impl IntoView {
    let chapter = &CHAPTERS[index];
    document().set_title(&page_title(chapter));
    let segments = text(chapter.slug)
        .map(|text| text.segments)
        .unwrap_or_default();
    let body = segments
        .iter()
        .map(|segment| match *segment {
            Segment::Html(index) => {
                view! { <div class="prose" inner_html=prose(index)></div> }.into_any()
            }
            Segment::Demo(id) => match occam_demos::demo(id) {
                Some(spec) => demo::view_for(spec, figures::for_demo(spec), UrlScope::Shared),
                None => ().into_any(),
            },
            Segment::Exercise(id) => match exercise(id) {
                Some(exercise) => view! { <classroom::ExerciseView exercise=exercise/> }.into_any(),
                None => ().into_any(),
            },
        })
        .collect_view();
    let has_exercises = segments
        .iter()
        .any(|segment| matches!(segment, Segment::Exercise(_)));
    let (before, after) = neighbours(chapter.slug);
    // Once the text is in the page, and again whenever the window's width changes.
    Effect::new(move |_| let_wide_equations_take_focus());
    let on_resize =
        window_event_listener_untyped("resize", move |_| let_wide_equations_take_focus());
    on_cleanup(move || on_resize.remove());
    let link =
        |(at, chapter): (usize, &'static Chapter), rel: &'static str, words: &'static str| {
            view! {
                <a rel=rel href=format!("{}.html", chapter.slug)>
                    <span class="kicker">{format!("{words} · Chapter {}", at + 1)}</span>
                    <span class="title">{chapter.title}</span>
                </a>
            }
        };
    view! {
        <article class="chapter-page">
            <p class="kicker">{format!("Chapter {}", index + 1)}</p>
            <h1>{chapter.title}</h1>
            {has_exercises.then(|| view! { <classroom::StorageNotice/> })}
            {body}
            {has_exercises.then(|| view! {
                <classroom::ExercisesPanel chapter=Some(chapter.slug) title=format!("Chapter {}: {}", index + 1, chapter.title)/>
            })}
            <nav class="chapter-nav" aria-label="chapters">
                {before.map(|before| link(before, "prev", "Previous"))}
                {after.map(|after| link(after, "next", "Next"))}
            </nav>
        </article>
    }
}

/// The page's `index`-th piece of prose (its `<template data-prose>`, written by `cargo xtask
/// dist`), or a line saying that the page was built without it.
fn prose(index: usize) -> String {
    use wasm_bindgen::JsCast;
    document()
        .query_selector(&format!("template[data-prose=\"{index}\"]"))
        .ok()
        .flatten()
        .and_then(|template| template.dyn_into::<web_sys::HtmlTemplateElement>().ok())
        .map(|template| template.inner_html())
        .unwrap_or_else(|| {
            "<p class=\"missing-prose\">This part of the chapter's text is missing from the page: \
             build the site with <code>cargo xtask dist</code>.</p>"
                .to_owned()
        })
}

/// A display equation wider than the column scrolls inside its box: such a box, and only such,
/// takes the keyboard focus (`tabindex="0"`), so that arrow keys scroll it too.
fn let_wide_equations_take_focus() {
    use wasm_bindgen::JsCast;
    let Ok(equations) = document().query_selector_all(".prose .equation") else {
        return;
    };
    for index in 0..equations.length() {
        let Some(equation) = equations
            .item(index)
            .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
        else {
            continue;
        };
        if equation.scroll_width() > equation.client_width() + 1 {
            let _ = equation.set_attribute("tabindex", "0");
        } else {
            let _ = equation.remove_attribute("tabindex");
        }
    }
}
