//! Assignments by link. `assign.html` is the teacher's: pick exercises from every chapter, give
//! a title, fix values where the exercise needs them, and get a link (and a QR code for a
//! projector). The link opens `assignment.html`, with just those exercises in order, each
//! followed by the demo it needs, its fixed values shown as fixed.
//!
//! The link: `assignment.html?title=<title>&ex=<id>,<id>,…&fix.<demo>.<name>=<value>…`
//! (documented in `docs/contract.md`; only ever extended).

use leptos::prelude::*;
use occam_demos::DemoSpec;
use occam_demos::exercise::{Exercise, Kind};
use occam_demos::params::UrlScope;

use crate::{chapter, classroom, demo, figures, url};

/// The prefix of a fixed value's name in an assignment's link.
const FIXED: &str = "fix.";

/// What an assignment's link says.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Assignment {
    pub title: String,
    pub exercises: Vec<String>,
    /// `(demo, name, value)`.
    pub fixed: Vec<(String, String, String)>,
}

impl Assignment {
    /// Reads a link's pairs.
    pub fn from_pairs(pairs: &[(String, String)]) -> Self {
        let mut assignment = Self::default();
        for (name, value) in pairs {
            match name.as_str() {
                "title" => assignment.title = value.trim().to_owned(),
                "ex" => {
                    assignment.exercises.clear();
                    for id in value.split(',').map(str::trim) {
                        // Each exercise once, where it first appears.
                        if !id.is_empty() && !assignment.exercises.iter().any(|known| known == id) {
                            assignment.exercises.push(id.to_owned());
                        }
                    }
                }
                _ => {
                    if let Some((demo, param)) = name
                        .strip_prefix(FIXED)
                        .and_then(|rest| rest.split_once('.'))
                    {
                        assignment
                            .fixed
                            .push((demo.to_owned(), param.to_owned(), value.clone()));
                    }
                }
            }
        }
        assignment
    }

    /// The link's pairs, in the order `from_pairs` reads.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("title".to_owned(), self.title.clone()),
            ("ex".to_owned(), self.exercises.join(",")),
        ];
        pairs.extend(
            self.fixed
                .iter()
                .map(|(demo, name, value)| (format!("{FIXED}{demo}.{name}"), value.clone())),
        );
        pairs
    }
}

/// The demos an exercise needs on the page, in order: the one it runs, then those its links
/// set.
pub fn demos_of(exercise: &Exercise) -> Vec<&'static str> {
    let mut html = String::from(exercise.prompt);
    html.push_str(exercise.hint);
    html.push_str(exercise.explain);
    if let Kind::Choice { options } = exercise.kind {
        for option in options {
            html.push_str(option.text);
            html.push_str(option.feedback);
        }
    }
    let mut demos: Vec<&'static str> = exercise.kind.demo().into_iter().collect();
    let mark = "data-set-demo=\"";
    for (at, _) in html.match_indices(mark) {
        let rest = &html[at + mark.len()..];
        let id = rest.split('"').next().unwrap_or_default();
        if let Some(spec) = occam_demos::demo(id)
            && !demos.contains(&spec.id)
        {
            demos.push(spec.id);
        }
    }
    demos
}

/// `assignment.html`: the exercises of a link, each with its demos.
#[component]
pub fn AssignmentPage() -> impl IntoView {
    let assignment = Assignment::from_pairs(&url::opened_with());
    let title = if assignment.title.is_empty() {
        "Exercises".to_owned()
    } else {
        assignment.title.clone()
    };
    document().set_title(&format!("{title} · occam"));
    // Fixed values of one demo arrive as separate pairs: gather them.
    let mut by_demo: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for (demo, name, value) in &assignment.fixed {
        match by_demo.iter_mut().find(|(id, _)| id == demo) {
            Some((_, pairs)) => pairs.push((name.clone(), value.clone())),
            None => by_demo.push((demo.clone(), vec![(name.clone(), value.clone())])),
        }
    }
    for (demo, pairs) in by_demo {
        classroom::fix_values(&demo, pairs);
    }
    let unknown: Vec<String> = assignment
        .exercises
        .iter()
        .filter(|id| chapter::exercise(id).is_none())
        .cloned()
        .collect();
    let mut placed: Vec<&'static str> = Vec::new();
    let mut body = Vec::new();
    for (number, exercise) in assignment
        .exercises
        .iter()
        .filter_map(|id| chapter::exercise(id))
        .enumerate()
    {
        let source = occam_demos::chapter(exercise.chapter).map(|chapter| {
            view! {
                <p class="kicker">{format!("{} · from ", number + 1)}
                    <a href=format!("{}.html#exercise-{}", chapter.slug, exercise.id)>{chapter.title}</a>
                </p>
            }
        });
        body.push(view! { {source} <classroom::ExerciseView exercise=exercise/> }.into_any());
        for id in demos_of(exercise) {
            if placed.contains(&id) {
                continue;
            }
            placed.push(id);
            if let Some(spec) = occam_demos::demo(id) {
                body.push(demo::view_for(
                    spec,
                    figures::for_demo(spec),
                    UrlScope::Shared,
                ));
            }
        }
    }
    let is_empty = body.is_empty();
    view! {
        <article class="assignment">
            <p class="kicker">"Assignment"</p>
            <h1>{title.clone()}</h1>
            <classroom::StorageNotice/>
            {(!unknown.is_empty()).then(|| view! {
                <div class="notice" data-notice role="status">
                    <p>{format!("This version of occam has no exercise called {}; the others are here.", unknown.join(", "))}</p>
                </div>
            })}
            {is_empty.then(|| view! {
                <p>"This link names no exercises. "<a href="assign.html">"Make an assignment."</a></p>
            })}
            {body}
            {(!is_empty).then(|| view! { <classroom::ExercisesPanel chapter=None title=title/> })}
        </article>
    }
}

/// A plain-text glimpse of an exercise's question, for the picker: its words, without markup.
fn glimpse(html: &str) -> String {
    let mut text = String::new();
    let mut is_in_tag = false;
    for character in html.chars() {
        match character {
            '<' => is_in_tag = true,
            '>' => {
                is_in_tag = false;
                text.push(' ');
            }
            _ if !is_in_tag => text.push(character),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out = words.join(" ").replace(" ,", ",").replace(" .", ".");
    if out.chars().count() > 220 {
        out = out.chars().take(220).collect::<String>() + "…";
    }
    out
}

/// `assign.html`: the teacher builds an assignment's link.
#[component]
pub fn AssignPage() -> impl IntoView {
    document().set_title("Make an assignment · occam");
    let title = RwSignal::new(String::new());
    let picked: RwSignal<Vec<&'static str>> = RwSignal::new(Vec::new());
    // Fixed values typed, by (demo, name).
    let fixed: RwSignal<Vec<((&'static str, &'static str), String)>> = RwSignal::new(Vec::new());
    let link = move || {
        let exercises: Vec<String> = chapter::exercises()
            .iter()
            .filter(|exercise| picked.get().contains(&exercise.id))
            .map(|exercise| exercise.id.to_owned())
            .collect();
        let demos = demos_needed(&picked.get());
        let fixed = fixed
            .get()
            .into_iter()
            // Only what the demo takes as it is: a value it would repair is not fixed.
            .filter(|((demo, name), value)| {
                let value = value.trim();
                !value.is_empty()
                    && demos.iter().any(|spec| {
                        spec.id == *demo
                            && spec
                                .param(name)
                                .is_some_and(|param| param.read(value).1.is_none())
                    })
            })
            .map(|((demo, name), value)| {
                (demo.to_owned(), name.to_owned(), value.trim().to_owned())
            })
            .collect();
        let assignment = Assignment {
            title: title.get().trim().to_owned(),
            exercises,
            fixed,
        };
        url::sibling_address("assignment.html", &assignment.to_pairs())
    };
    let chapters = occam_demos::CHAPTERS
        .iter()
        .filter(|chapter| chapter.is_built)
        .map(|chapter| {
            let items = chapter::exercises()
                .iter()
                .filter(|exercise| exercise.chapter == chapter.slug)
                .map(|exercise| {
                    let id = exercise.id;
                    view! {
                        <li>
                            <label class="pick">
                                <input type="checkbox" data-pick=id prop:checked=move || picked.get().contains(&id)
                                    on:change=move |event| {
                                        let is_on = event_target_checked(&event);
                                        picked.update(|picked| {
                                            picked.retain(|other| *other != id);
                                            if is_on { picked.push(id); }
                                        });
                                    }/>
                                <span><span class="pick-kind">{exercise.kind.as_str()}</span>" "<code>{id}</code><br/>{glimpse(exercise.prompt)}</span>
                            </label>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="pick-chapter">
                    <h2>{chapter.title}</h2>
                    <ul class="picks">{items}</ul>
                </section>
            }
        })
        .collect_view();
    let fixes = move || {
        demos_needed(&picked.get())
            .into_iter()
            .map(|spec| {
                let controls = spec
                    .params
                    .iter()
                    .map(|param| {
                        let key = (spec.id, param.name);
                        let typed = move || fixed.get().into_iter().find(|(at, _)| *at == key).map(|(_, value)| value).unwrap_or_default();
                        let notice = move || {
                            let value = typed();
                            (!value.trim().is_empty()).then(|| param.read(value.trim()).1.map(|notice| notice.message)).flatten()
                        };
                        view! {
                            <label class="control">
                                <span class="label">{param.label}</span>
                                <input type="text" data-fix=format!("{}.{}", spec.id, param.name) placeholder="student's choice" prop:value=typed
                                    on:input=move |event| {
                                        let value = event_target_value(&event);
                                        fixed.update(|fixed| {
                                            fixed.retain(|(at, _)| *at != key);
                                            fixed.push((key, value));
                                        });
                                    }/>
                                {move || notice().map(|message| view! { <span class="range">{message}</span> })}
                            </label>
                        }
                    })
                    .collect_view();
                view! {
                    <fieldset class="fix-demo">
                        <legend>{spec.title}</legend>
                        <div class="controls">{controls}</div>
                    </fieldset>
                }
            })
            .collect_view()
    };
    let qr = move || qr_svg(&link());
    view! {
        <article class="assign">
            <h1>"Make an assignment"</h1>
            <p class="lede">"Pick exercises from any chapter, give the assignment a title, and fix any values the students should not change. The link opens a page with just those exercises, in the order of the chapters, each with the demo it needs; students check their answers there and download a receipt for "<a href="teacher.html">"your receipts page"</a>"."</p>
            <label class="control wide">"Title "
                <input type="text" data-assignment-title prop:value=move || title.get() on:input=move |event| title.set(event_target_value(&event))/>
            </label>
            {chapters}
            <section class="fixes">
                <h2>"Fixed values"</h2>
                <p class="note">"Left empty, a value is the student's to choose (the demo's default at first). A value that a demo would not accept as it is is not fixed; it says why."</p>
                {fixes}
            </section>
            <section class="share">
                <h2>"The link"</h2>
                <p data-exercise-picked>{move || format!("{} exercises picked.", picked.get().len())}</p>
                <textarea readonly rows="3" data-assignment-link aria-label="the assignment's link" prop:value=link></textarea>
                <p><a data-action="open-assignment" href=link target="_blank" rel="noopener">"Open it"</a></p>
                <figure class="qr" data-qr inner_html=qr></figure>
            </section>
        </article>
    }
}

/// The demos the picked exercises need, in the notebook's order.
fn demos_needed(picked: &[&str]) -> Vec<&'static DemoSpec> {
    let mut demos: Vec<&'static DemoSpec> = Vec::new();
    for exercise in chapter::exercises()
        .iter()
        .filter(|exercise| picked.contains(&exercise.id))
    {
        for id in demos_of(exercise) {
            if let Some(spec) = occam_demos::demo(id)
                && !demos.contains(&spec)
            {
                demos.push(spec);
            }
        }
    }
    demos
}

/// The link as a QR code, in SVG (dark modules on white, whatever the theme, as scanners
/// expect), with a quiet zone.
fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(240, 240)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
        Err(_) => {
            "<p class=\"note\">This link is too long for a QR code; share the link itself.</p>"
                .to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn a_link_reads_back_what_it_was_made_of() {
        let assignment = Assignment {
            title: "Week 3".to_owned(),
            exercises: vec!["entropy-a".to_owned(), "pca-sparse-b".to_owned()],
            fixed: vec![("pca".to_owned(), "k".to_owned(), "12".to_owned())],
        };
        assert_eq!(
            assignment.to_pairs(),
            pairs(&[
                ("title", "Week 3"),
                ("ex", "entropy-a,pca-sparse-b"),
                ("fix.pca.k", "12")
            ])
        );
        assert_eq!(Assignment::from_pairs(&assignment.to_pairs()), assignment);
    }

    #[test]
    fn a_link_tolerates_spaces_empty_ids_and_names_it_does_not_know() {
        let read = Assignment::from_pairs(&pairs(&[
            ("ex", " entropy-a, ,pca-sparse-b,entropy-a"),
            ("pca.k", "5"),
            ("fix.pca", "1"),
            ("backend", "cpu"),
        ]));
        assert_eq!(read.exercises, vec!["entropy-a", "pca-sparse-b"]);
        assert!(read.fixed.is_empty());
        assert_eq!(read.title, "");
    }

    #[test]
    fn a_glimpse_is_the_words_without_markup() {
        assert_eq!(
            glimpse("<p>What is <em>h</em>(0.5)?</p><p>Two.</p>"),
            "What is h (0.5)? Two."
        );
        assert_eq!(glimpse(&"word ".repeat(100)).chars().count(), 221);
    }
}
