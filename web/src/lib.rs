//! The occam notebook's page: routing by file name, the shell, chapter pages and the embed view.
//!
//! Every page is the same `index.html` under another name (`entropy.html`, `embed.html`), so
//! the site works from any static server under any sub-path with no rewrite rules.

mod assignment;
mod backend;
mod chapter;
mod classroom;
mod demo;
mod embed;
mod export;
mod figures;
mod images;
mod plot;
mod scatter;
mod sizing;
mod table;
mod teacher;
mod url;
mod worker_host;

use leptos::prelude::*;
use occam_demos::CHAPTERS;
use occam_demos::params::UrlScope;

/// Which page the address names.
#[derive(Debug, Clone, PartialEq)]
enum Route {
    Home,
    /// A built chapter, by its place in `CHAPTERS`.
    Chapter(usize),
    Embed(Option<&'static occam_demos::DemoSpec>, String),
    /// The teacher's view of receipts.
    Teacher,
    /// The teacher's page that makes an assignment's link.
    Assign,
    /// The exercises an assignment's link names.
    Assignment,
    NotFound(String),
}

fn route() -> Route {
    let path = window().location().pathname().unwrap_or_default();
    let file = path.rsplit('/').next().unwrap_or_default();
    match file.strip_suffix(".html").unwrap_or(file) {
        "" | "index" => Route::Home,
        "teacher" => Route::Teacher,
        "assign" => Route::Assign,
        "assignment" => Route::Assignment,
        "embed" => {
            let id = url::query_value("demo").unwrap_or_default();
            Route::Embed(occam_demos::demo(&id), id)
        }
        slug => match CHAPTERS.iter().position(|chapter| chapter.slug == slug) {
            Some(index) if CHAPTERS[index].is_built => Route::Chapter(index),
            _ => Route::NotFound(slug.to_owned()),
        },
    }
}

/// Mounts the page for the current address.
pub fn mount() {
    // The backend first: it may write `backend=` into the address before any demo does.
    let _ = backend::state();
    embed::apply_theme();
    let is_embed = matches!(route(), Route::Embed(Some(_), _));
    leptos::mount::mount_to_body(|| match route() {
        Route::Home => view! { <Shell><Home/></Shell> }.into_any(),
        Route::Chapter(index) => {
            view! { <Shell><chapter::ChapterPage index=index/></Shell> }.into_any()
        }
        Route::Embed(Some(spec), _) => {
            // A chapter not built yet has no page: its demos credit the notebook.
            let chapter = CHAPTERS
                .iter()
                .find(|chapter| chapter.is_built && chapter.demos.contains(&spec.id));
            let (href, text) =
                chapter.map_or(("index.html".to_owned(), "occam".to_owned()), |chapter| {
                    (
                        format!("{}.html#{}", chapter.slug, spec.id),
                        format!("occam · {}", chapter.title),
                    )
                });
            // `prose=0`: the demo's controls, numbers and figures, without the explanations.
            let without_prose = url::query_value("prose").is_some_and(|value| value.trim() == "0");
            view! {
                <main class="embed" class:without-prose=without_prose>
                    {demo::view_for(spec, figures::for_demo(spec), UrlScope::Alone)}
                    <p class="embed-credit"><a href=href target="_blank" rel="noopener">{text}</a>" · compression demos that train in your browser"</p>
                </main>
            }
            .into_any()
        }
        Route::Teacher => view! { <Shell><teacher::TeacherPage/></Shell> }.into_any(),
        Route::Assign => view! { <Shell><assignment::AssignPage/></Shell> }.into_any(),
        Route::Assignment => view! { <Shell><assignment::AssignmentPage/></Shell> }.into_any(),
        Route::Embed(None, id) => {
            view! { <Shell><NotFound what=format!("demo “{id}”")/></Shell> }.into_any()
        }
        Route::NotFound(slug) => {
            view! { <Shell><NotFound what=format!("page “{slug}”")/></Shell> }.into_any()
        }
    });
    if is_embed {
        embed::report_height();
    }
    classroom::handle_demo_links();
    // The page is drawn after the browser looked for the address's `#fragment`: look again.
    let fragment = window().location().hash().unwrap_or_default();
    if let Some(target) = fragment
        .strip_prefix('#')
        .filter(|id| !id.is_empty())
        .and_then(|id| document().get_element_by_id(&url::decode(id)))
    {
        target.scroll_into_view();
    }
}

/// The notebook's chrome: title bar with the backend badge, then the page.
#[component]
fn Shell(children: Children) -> impl IntoView {
    view! {
        <header class="top">
            <a class="brand" href="index.html">"occam"</a>
            <backend::BackendBadge/>
        </header>
        <main>{children()}</main>
        <footer class="bottom">
            <p>"occam runs entirely in your browser: every model on these pages trains on your machine, and nothing is sent anywhere."</p>
        </footer>
    }
}

#[component]
fn Home() -> impl IntoView {
    let chapters = CHAPTERS
        .iter()
        .enumerate()
        .map(|(index, chapter)| {
            let number = index + 1;
            if chapter.is_built {
                view! {
                    <li class="chapter">
                        <a data-chapter=chapter.slug href=format!("{}.html", chapter.slug)>
                            <span class="number">{number}</span>
                            <span class="title">{chapter.title}</span>
                        </a>
                        <p>{chapter.idea}</p>
                    </li>
                }
                .into_any()
            } else {
                view! {
                    <li class="chapter coming">
                        <a data-chapter=chapter.slug aria-disabled="true">
                            <span class="number">{number}</span>
                            <span class="title">{chapter.title}</span>
                            <span class="tag">"coming"</span>
                        </a>
                        <p>{chapter.idea}</p>
                    </li>
                }
                .into_any()
            }
        })
        .collect_view();
    view! {
        <article class="home">
            <h1>"Compression is intelligence"</h1>
            <p class="lede">
                "occam is a notebook of small experiments on one idea: a model that finds the structure in data can describe that data in fewer bits, and the same structure is what lets it generalize. "
                "Each chapter explains a piece of the idea and lets you train the models behind it, live, in this page, and watch the bits go down."
            </p>
            <ol class="chapters">{chapters}</ol>
            <section class="teaching">
                <h2>"Teaching with occam"</h2>
                <p>"Every chapter has exercises that check themselves, with hints and explanations. "
                    <a href="assign.html" data-teacher-link="assign">"Make an assignment"</a>" from any of them and share it as one link or a QR code; students download a receipt, and "
                    <a href="teacher.html" data-teacher-link="receipts">"the receipts page"</a>" checks every answer and runs every claimed run again. No accounts, no server."</p>
            </section>
            <section class="machine">
                <h2>"This machine"</h2>
                <p>"The demos train with burn, on WebGPU when your browser has it and on the CPU otherwise. This check trains a small network on the backend chosen above and reports how fast it goes."</p>
                {demo::view_for(&occam_demos::backend_check::SPEC, figures::for_demo(&occam_demos::backend_check::SPEC), UrlScope::Shared)}
            </section>
        </article>
    }
}

#[component]
fn NotFound(what: String) -> impl IntoView {
    view! {
        <article>
            <h1>"Not here"</h1>
            <p>"There is no " {what} " in occam (yet). "<a href="index.html">"Back to the chapters."</a></p>
        </article>
    }
}
