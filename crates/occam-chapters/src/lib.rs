//! occam-chapters: a chapter's text file becomes the page's segments, at build time.
//!
//! A chapter is one CommonMark file, `chapters/<NN>-<slug>.md`, with
//! - TeX math: `$…$` inline, `$$…$$` display (a paragraph of its own), turned into MathML Core
//!   by math-core, so the reader's browser draws it with no math engine and nothing to download;
//! - directives on lines of their own: `::demo{id=coin-flips}` places a demo; a paragraph that
//!   starts with `::credit{id=digits}` credits a data set the notebook ships
//!   (`<p class="credit" data-credit="digits">`);
//! - footnotes (`[^1]`), tables, `<cite>` and a few other inline tags;
//! - its references as the numbered list under a `## References` heading (`ol.references`),
//!   and its exercises as the numbered list under `## Exercises` (`ol.exercises`).
//!
//! [`compile`] turns one file into [`Segment`]s (HTML, and the demos between it);
//! [`compile_notebook`] compiles every built chapter of [`occam_demos::CHAPTERS`] and checks that
//! each demo of the notebook is placed exactly once, in its own chapter. Every mistake is an
//! [`Error`] naming the file and the line. [`rust_source`] writes the result as Rust for the
//! page's crate (its build script calls it).

use std::collections::HashMap;
use std::fmt;
use std::path::Path;

use math_core::{LatexToMathML, MathCoreConfig, MathDisplay};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

pub mod exercises;

/// One piece of a chapter page, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// Prose, equations and references, as HTML.
    Html(String),
    /// A demo, placed by `::demo{id=…}` on this line of the file.
    Demo { id: String, line: usize },
    /// An exercise, written as a `:::exercise{…}` block opening on this line.
    Exercise { id: String, line: usize },
}

/// A mistake in a chapter file, at a line (1-based).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct Error {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// A built chapter: its slug, its file, its segments and its exercises.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledChapter {
    pub slug: &'static str,
    pub file: String,
    pub segments: Vec<Segment>,
    pub exercises: Vec<exercises::Parsed>,
}

/// One file compiled: its segments, its exercises (in order) and the demos its demo links set,
/// with their lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Compiled {
    pub segments: Vec<Segment>,
    pub exercises: Vec<exercises::Parsed>,
    pub links: Vec<(String, usize)>,
}

/// Inline HTML a chapter may use; anything else is taken for a typo.
const INLINE_TAGS: [&str; 7] = ["cite", "sub", "sup", "kbd", "abbr", "br", "wbr"];

/// The data sets the notebook ships, which a `::credit{id=…}` paragraph may name.
const CREDITS: [&str; 3] = ["digits", "excerpts", "pride-and-prejudice"];

/// Numbered lists right after these headings get a class.
const LIST_CLASSES: [(&str, &str); 2] = [("References", "references"), ("Exercises", "exercises")];

/// Where a demo's markup goes in the rendered HTML, before the HTML is cut into segments.
const DEMO_MARK: &str = "<!--occam-demo:";

/// Where an exercise goes, likewise.
const EXERCISE_MARK: &str = "<!--occam-exercise:";

/// The file of chapter `index` (0-based) with `slug`: `01-entropy.md`.
pub fn file_name(index: usize, slug: &str) -> String {
    format!("{:02}-{slug}.md", index + 1)
}

/// The page's segments for one chapter file. `file` names it in errors.
pub fn compile(file: &str, source: &str) -> Result<Vec<Segment>, Vec<Error>> {
    compile_parts(file, source).map(|compiled| compiled.segments)
}

/// One chapter file: its segments, its exercises and its demo links. `file` names it in errors.
pub fn compile_parts(file: &str, source: &str) -> Result<Compiled, Vec<Error>> {
    let (masked, blocks) = exercises::extract(file, source)?;
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    let mut links = Vec::new();
    for block in &blocks {
        match exercises::parse(file, block, &mut links) {
            Ok(exercise) => parsed.push(exercise),
            Err(found) => errors.extend(found),
        }
    }
    match compile_text(file, &masked, &mut links) {
        Ok(segments) if errors.is_empty() => Ok(Compiled {
            segments,
            exercises: parsed,
            links,
        }),
        Ok(_) => Err(errors),
        Err(found) => {
            errors.extend(found);
            Err(errors)
        }
    }
}

/// Markdown with math, directives and demo links (no exercise blocks) into segments; the demo
/// links found are added to `links`.
fn compile_text(
    file: &str,
    source: &str,
    links: &mut Vec<(String, usize)>,
) -> Result<Vec<Segment>, Vec<Error>> {
    let converter = match LatexToMathML::new(MathCoreConfig::default()) {
        Ok(converter) => converter,
        Err(error) => return Err(vec![error_at(file, 1, format!("math-core: {error:?}"))]),
    };
    let lines = LineIndex::new(source);
    let mut errors = Vec::new();
    let mut demos = Vec::new();
    let options = Options::ENABLE_MATH
        | Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH;
    let events: Vec<(Event, std::ops::Range<usize>)> = Parser::new_ext(source, options)
        .into_offset_iter()
        .collect();
    let mut out: Vec<Event> = Vec::with_capacity(events.len());
    let mut heading_text: Option<String> = None;
    let mut list_class_next: Option<&str> = None;
    let mut classed_lists: Vec<usize> = Vec::new();
    let mut is_credit_open = false;
    let mut is_demo_link_open = false;
    let mut exercise_ids = Vec::new();
    let mut list_depth = 0usize;
    let mut index = 0;
    while index < events.len() {
        let (event, range) = &events[index];
        let line = lines.line(range.start);
        // A paragraph that is one display equation or one directive stands on its own.
        if matches!(event, Event::Start(Tag::Paragraph)) {
            let end = (index..events.len())
                .find(|&at| matches!(events[at].0, Event::End(TagEnd::Paragraph)))
                .unwrap_or(events.len());
            let inner = &events[index + 1..end];
            let text: String = inner
                .iter()
                .map(|(event, _)| match event {
                    Event::Text(text) => text.as_ref(),
                    Event::SoftBreak => "\n",
                    _ => "\u{0}",
                })
                .collect();
            if let Some(rest) = text.trim_start().strip_prefix("::credit{") {
                let (arguments, _) = rest.split_once('}').unwrap_or((rest, ""));
                match arguments.strip_prefix("id=") {
                    Some(id) if CREDITS.contains(&id) => {
                        out.push(Event::Html(CowStr::from(format!(
                            "<p class=\"credit\" data-credit=\"{id}\">"
                        ))));
                        is_credit_open = true;
                        // The paragraph's own text follows, without the directive.
                        let mut is_first = true;
                        for (event, _) in inner {
                            match event {
                                Event::Text(text) if is_first => {
                                    is_first = false;
                                    let after = text.split_once('}').map_or("", |(_, after)| after);
                                    out.push(Event::Text(CowStr::from(after.trim_start().to_owned())));
                                }
                                Event::InlineMath(tex) => match converter
                                    .convert_with_local_state(tex, MathDisplay::Inline)
                                {
                                    Ok(result) => out.push(Event::InlineHtml(CowStr::from(result.mathml))),
                                    Err(error) => errors.push(tex_error(file, line, tex, &error)),
                                },
                                other => out.push(other.clone()),
                            }
                        }
                    }
                    _ => errors.push(error_at(
                        file,
                        line,
                        format!(
                            "`::credit` names one of the shipped data sets ({}): `::credit{{id=digits}} text`",
                            CREDITS.join(", ")
                        ),
                    )),
                }
                index = end;
                continue;
            }
            if text.trim_start().starts_with("::") {
                match directive(text.trim()) {
                    Ok(Directive::Demo(id)) => {
                        out.push(Event::Html(CowStr::from(format!("{DEMO_MARK}{id}-->"))));
                        demos.push((id, line));
                    }
                    Ok(Directive::Exercise(id)) => {
                        out.push(Event::Html(CowStr::from(format!("{EXERCISE_MARK}{id}-->"))));
                        exercise_ids.push((id, line));
                    }
                    Err(message) => errors.push(error_at(file, line, message)),
                }
                index = end + 1;
                continue;
            }
            if let [(Event::DisplayMath(tex), math_range)] = inner {
                let line = lines.line(math_range.start);
                match converter.convert_with_local_state(tex, MathDisplay::Block) {
                    Ok(result) => out.push(Event::Html(CowStr::from(format!(
                        "<div class=\"equation\">{}</div>\n",
                        result.mathml
                    )))),
                    Err(error) => errors.push(tex_error(file, line, tex, &error)),
                }
                index = end + 1;
                continue;
            }
        }
        match event {
            Event::InlineMath(tex) => {
                match converter.convert_with_local_state(tex, MathDisplay::Inline) {
                    Ok(result) => out.push(Event::InlineHtml(CowStr::from(result.mathml))),
                    Err(error) => errors.push(tex_error(file, line, tex, &error)),
                }
            }
            Event::DisplayMath(_) => errors.push(error_at(
                file,
                line,
                "a display equation ($$…$$) must be a paragraph of its own, with blank lines around it"
                    .to_owned(),
            )),
            Event::InlineHtml(html) => match inline_tag(html) {
                Some(name) if INLINE_TAGS.contains(&name.as_str()) => out.push(event.clone()),
                _ => errors.push(error_at(
                    file,
                    line,
                    format!(
                        "inline HTML `{html}` is not allowed here (only {}); write `\\<` for a literal <",
                        INLINE_TAGS.join(", ")
                    ),
                )),
            },
            Event::Html(html) => errors.push(error_at(
                file,
                line,
                format!("an HTML block (`{}`) is not allowed in a chapter", html.trim()),
            )),
            Event::Start(Tag::Heading { level, .. }) => {
                heading_text = Some(String::new());
                out.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::Text(text) => {
                if let Some(heading) = heading_text.as_mut() {
                    heading.push_str(text);
                }
                out.push(event.clone());
            }
            Event::End(TagEnd::Heading(level)) => {
                let text = heading_text.take().unwrap_or_default();
                list_class_next = LIST_CLASSES
                    .iter()
                    .find(|(heading, _)| *level == HeadingLevel::H2 && text.trim() == *heading)
                    .map(|(_, class)| *class);
                // The heading's id, for links to a section: its words, lowercase, joined by -.
                if let Some(Event::Start(Tag::Heading { id, .. })) = out
                    .iter_mut()
                    .rev()
                    .find(|event| matches!(event, Event::Start(Tag::Heading { .. })))
                {
                    *id = Some(CowStr::from(anchor(&text)));
                }
                out.push(event.clone());
            }
            Event::Start(Tag::List(first)) => {
                list_depth += 1;
                match (list_class_next.take(), first) {
                    (Some(class), Some(_)) => {
                        classed_lists.push(list_depth);
                        out.push(Event::Html(CowStr::from(format!("<ol class=\"{class}\">\n"))));
                    }
                    _ => out.push(event.clone()),
                }
            }
            Event::End(TagEnd::List(_)) => {
                if classed_lists.last() == Some(&list_depth) {
                    classed_lists.pop();
                    out.push(Event::Html(CowStr::from("</ol>\n")));
                } else {
                    out.push(event.clone());
                }
                list_depth = list_depth.saturating_sub(1);
            }
            Event::Start(Tag::Paragraph) => {
                list_class_next = None;
                out.push(event.clone());
            }
            Event::Start(Tag::Link { dest_url, .. }) if dest_url.starts_with("demo:") => {
                match demo_link(dest_url) {
                    Ok((id, query)) => {
                        out.push(Event::InlineHtml(CowStr::from(format!(
                            "<a href=\"#{id}\" class=\"demo-link\" data-set-demo=\"{id}\" data-set-params=\"{}\">",
                            escape_attribute(&query)
                        ))));
                        links.push((id, line));
                        is_demo_link_open = true;
                    }
                    Err(message) => errors.push(error_at(file, line, message)),
                }
            }
            Event::End(TagEnd::Link) if is_demo_link_open => {
                is_demo_link_open = false;
                out.push(Event::InlineHtml(CowStr::from("</a>")));
            }
            Event::End(TagEnd::Paragraph) if is_credit_open => {
                is_credit_open = false;
                out.push(Event::Html(CowStr::from("</p>\n")));
            }
            _ => out.push(event.clone()),
        }
        index += 1;
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, out.into_iter());
    let mut marks: Vec<(String, Segment)> = demos
        .into_iter()
        .map(|(id, line)| (format!("{DEMO_MARK}{id}-->"), Segment::Demo { id, line }))
        .chain(exercise_ids.into_iter().map(|(id, line)| {
            (
                format!("{EXERCISE_MARK}{id}-->"),
                Segment::Exercise { id, line },
            )
        }))
        .collect();
    marks.sort_by_key(|(_, segment)| match segment {
        Segment::Demo { line, .. } | Segment::Exercise { line, .. } => *line,
        Segment::Html(_) => 0,
    });
    Ok(segments(&html, marks))
}

/// Cuts the rendered HTML at the demos' and exercises' marks (in the order of their lines).
fn segments(html: &str, marks: Vec<(String, Segment)>) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut rest = html;
    for (mark, segment) in marks {
        let Some(at) = rest.find(&mark) else {
            continue;
        };
        let before = rest[..at].trim();
        if !before.is_empty() {
            segments.push(Segment::Html(before.to_owned()));
        }
        segments.push(segment);
        rest = &rest[at + mark.len()..];
    }
    let tail = rest.trim();
    if !tail.is_empty() {
        segments.push(Segment::Html(tail.to_owned()));
    }
    segments
}

/// A one-line directive.
enum Directive {
    /// `::demo{id=…}`.
    Demo(String),
    /// What [`exercises::extract`] leaves where an exercise block was.
    Exercise(String),
}

/// A `::demo{id=…}` directive, or the placeholder of an exercise block.
fn directive(text: &str) -> Result<Directive, String> {
    let usage = "a directive is `::demo{id=<demo id>}` on a line of its own";
    let body = text.strip_prefix("::").ok_or(usage)?;
    let (name, rest) = body.split_once('{').ok_or(usage)?;
    let arguments = rest.strip_suffix('}').ok_or(usage)?;
    if name != "demo" && name != exercises::PLACEHOLDER {
        return Err(format!("unknown directive `::{name}` ({usage})"));
    }
    let mut id = None;
    for argument in arguments.split_whitespace() {
        match argument.split_once('=') {
            Some(("id", value)) if !value.is_empty() => id = Some(value.trim_matches('"')),
            _ => return Err(format!("`::{name}` takes only `id=…`, not `{argument}`")),
        }
    }
    let id = id
        .map(str::to_owned)
        .ok_or_else(|| format!("`::{name}` needs an id ({usage})"))?;
    Ok(if name == "demo" {
        Directive::Demo(id)
    } else {
        Directive::Exercise(id)
    })
}

/// A link `demo:<id>?<name>=<value>&…`: the demo and its query, each value one the demo takes
/// as it is.
fn demo_link(address: &str) -> Result<(String, String), String> {
    let usage = "a demo link is `[words](demo:<id>?<name>=<value>&…)`";
    let rest = address.strip_prefix("demo:").ok_or(usage)?;
    let (id, query) = rest.split_once('?').unwrap_or((rest, ""));
    let spec =
        occam_demos::demo(id).ok_or_else(|| format!("there is no demo called `{id}` ({usage})"))?;
    if query.is_empty() {
        return Err(format!("the link to `{id}` sets nothing ({usage})"));
    }
    for pair in query.split('&') {
        let (name, value) = pair
            .split_once('=')
            .ok_or_else(|| format!("`{pair}` is not `name=value` ({usage})"))?;
        let param = spec
            .param(name)
            .ok_or_else(|| format!("`{id}` has no parameter `{name}`"))?;
        if let Some(notice) = param.read(value).1 {
            return Err(format!("in a link to `{id}`: {}", notice.message));
        }
        if value.contains(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c))) {
            return Err(format!(
                "in a link to `{id}`: write `{name}`'s value with letters, digits, `-`, `_` and `.` only"
            ));
        }
    }
    Ok((id.to_owned(), query.to_owned()))
}

/// Text for an HTML attribute in double quotes.
pub(crate) fn escape_attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The tag name of an inline HTML fragment such as `<cite>` or `</cite>`.
fn inline_tag(html: &str) -> Option<String> {
    let inner = html.trim().strip_prefix('<')?.strip_suffix('>')?;
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let name: String = inner
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect();
    let rest = inner[name.len()..].trim().trim_end_matches('/');
    // Attributes only on `abbr` (its `title`), none elsewhere.
    (rest.is_empty() || (name == "abbr" && rest.starts_with("title=\""))).then_some(name)
}

/// A heading's id: its letters and digits, lowercase, words joined by `-`.
fn anchor(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join("-")
}

fn error_at(file: &str, line: usize, message: String) -> Error {
    Error {
        file: file.to_owned(),
        line,
        message,
    }
}

fn tex_error(file: &str, line: usize, tex: &str, error: &math_core::LatexError) -> Error {
    let mut message = String::new();
    error.to_message(&mut message, tex);
    error_at(
        file,
        line,
        format!("bad TeX `{tex}`: at character {message}"),
    )
}

/// Byte offsets to 1-based line numbers.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(source: &str) -> Self {
        let starts = std::iter::once(0)
            .chain(source.match_indices('\n').map(|(at, _)| at + 1))
            .collect();
        Self { starts }
    }

    fn line(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start <= offset)
    }
}

/// The demos that live on the home page, not in a chapter.
pub const HOME_DEMOS: [&str; 1] = [occam_demos::backend_check::SPEC.id];

/// Every built chapter of [`occam_demos::CHAPTERS`], compiled from `dir`, with the demos checked:
/// each demo of [`occam_demos::DEMOS`] is placed exactly once, in the chapter that lists it
/// (those of [`HOME_DEMOS`] in none). `read` gives a file's text (the build script reads the
/// disk; tests pass their own files).
pub fn compile_notebook(
    dir: &Path,
    read: impl Fn(&Path) -> std::io::Result<String>,
) -> Result<Vec<CompiledChapter>, Vec<Error>> {
    let mut errors = Vec::new();
    let mut chapters = Vec::new();
    let mut placed: HashMap<String, (String, usize)> = HashMap::new();
    let mut exercise_ids: HashMap<String, (String, usize)> = HashMap::new();
    for (index, chapter) in occam_demos::CHAPTERS.iter().enumerate() {
        if !chapter.is_built {
            continue;
        }
        let name = file_name(index, chapter.slug);
        let path = dir.join(&name);
        let file = format!("chapters/{name}");
        let source = match read(&path) {
            Ok(source) => source,
            Err(error) => {
                errors.push(error_at(
                    &file,
                    1,
                    format!("cannot read the chapter: {error}"),
                ));
                continue;
            }
        };
        let Compiled {
            segments,
            exercises,
            links,
        } = match compile_parts(&file, &source) {
            Ok(compiled) => compiled,
            Err(found) => {
                errors.extend(found);
                continue;
            }
        };
        for (id, line) in &links {
            if !chapter.demos.contains(&id.as_str()) {
                errors.push(error_at(
                    &file,
                    *line,
                    format!("a demo link sets `{id}`, which is not on this chapter's page"),
                ));
            }
        }
        for exercise in &exercises {
            if !exercise.id.starts_with(&format!("{}-", chapter.slug)) {
                errors.push(error_at(
                    &file,
                    exercise.line,
                    format!(
                        "exercise `{}`: an exercise's id starts with its chapter's slug (`{}-…`)",
                        exercise.id, chapter.slug
                    ),
                ));
            }
            if let Some(demo) = exercise.kind.demo()
                && !chapter.demos.contains(&demo)
            {
                errors.push(error_at(
                    &file,
                    exercise.line,
                    format!(
                        "exercise `{}` runs `{demo}`, which is not on this chapter's page",
                        exercise.id
                    ),
                ));
            }
            if let Some((first_file, first_line)) = exercise_ids.get(&exercise.id) {
                errors.push(error_at(
                    &file,
                    exercise.line,
                    format!(
                        "exercise id `{}` is used twice (first at {first_file}:{first_line})",
                        exercise.id
                    ),
                ));
            } else {
                exercise_ids.insert(exercise.id.clone(), (file.clone(), exercise.line));
            }
        }
        for segment in &segments {
            let Segment::Demo { id, line } = segment else {
                continue;
            };
            if occam_demos::demo(id).is_none() || HOME_DEMOS.contains(&id.as_str()) {
                errors.push(error_at(
                    &file,
                    *line,
                    format!("there is no demo called `{id}`"),
                ));
            } else if !chapter.demos.contains(&id.as_str()) {
                errors.push(error_at(
                    &file,
                    *line,
                    format!("demo `{id}` belongs to another chapter (see occam_demos::CHAPTERS)"),
                ));
            } else if let Some((first_file, first_line)) = placed.get(id) {
                errors.push(error_at(
                    &file,
                    *line,
                    format!("demo `{id}` is placed twice (first at {first_file}:{first_line})"),
                ));
            } else {
                placed.insert(id.clone(), (file.clone(), *line));
            }
        }
        for id in chapter.demos {
            if !placed.contains_key(*id) && occam_demos::demo(id).is_some() {
                errors.push(error_at(
                    &file,
                    1,
                    format!("demo `{id}` is never placed: add `::demo{{id={id}}}` where the text needs it"),
                ));
            }
        }
        chapters.push(CompiledChapter {
            slug: chapter.slug,
            file,
            segments,
            exercises,
        });
    }
    for spec in occam_demos::DEMOS {
        let is_listed = HOME_DEMOS.contains(&spec.id)
            || occam_demos::CHAPTERS
                .iter()
                .any(|chapter| chapter.demos.contains(&spec.id));
        if !is_listed {
            errors.push(error_at(
                "crates/occam-demos/src/lib.rs",
                1,
                format!("demo `{}` is in no chapter of CHAPTERS", spec.id),
            ));
        }
    }
    if errors.is_empty() {
        Ok(chapters)
    } else {
        Err(errors)
    }
}

/// The compiled chapters as Rust: `pub static CHAPTER_TEXTS: [ChapterText; N]`, for a module
/// that defines `ChapterText { slug, segments }` and `Segment::{Html(usize), Demo(&'static str),
/// Exercise(&'static str)}`, and `pub static EXERCISES: [occam_demos::exercise::Exercise; M]`,
/// every exercise of the notebook in reading order.
///
/// The prose is not in it: `Segment::Html(n)` is the chapter's `n`-th piece of prose, which the
/// chapter's own page carries (see [`prose_templates`]), so that the page's wasm holds none of
/// the chapters' prose (the exercises' texts stay in `EXERCISES`) and each page only its own.
pub fn rust_source(chapters: &[CompiledChapter]) -> String {
    let mut out = String::from("// Generated by occam-chapters from chapters/*.md: edit those.\n");
    out.push_str(&format!(
        "pub static CHAPTER_TEXTS: [ChapterText; {}] = [\n",
        chapters.len()
    ));
    for chapter in chapters {
        out.push_str(&format!(
            "    ChapterText {{ slug: {:?}, segments: &[\n",
            chapter.slug
        ));
        let mut prose_pieces = 0;
        for segment in &chapter.segments {
            match segment {
                Segment::Html(_) => {
                    out.push_str(&format!("        Segment::Html({prose_pieces}),\n"));
                    prose_pieces += 1;
                }
                Segment::Demo { id, .. } => {
                    out.push_str(&format!("        Segment::Demo({id:?}),\n"));
                }
                Segment::Exercise { id, .. } => {
                    out.push_str(&format!("        Segment::Exercise({id:?}),\n"));
                }
            }
        }
        out.push_str("    ] },\n");
    }
    out.push_str("];\n");
    let all: Vec<(&str, &exercises::Parsed)> = chapters
        .iter()
        .flat_map(|chapter| {
            chapter
                .exercises
                .iter()
                .map(move |exercise| (chapter.slug, exercise))
        })
        .collect();
    out.push_str(&format!(
        "pub static EXERCISES: [occam_demos::exercise::Exercise; {}] = [\n",
        all.len()
    ));
    for (slug, exercise) in all {
        out.push_str(&exercise.rust_source(slug));
    }
    out.push_str("];\n");
    out
}

/// Markup that would carry a piece of prose out of its template, or the pieces after it into
/// it: a template's end or another template, an open comment, an element whose content is raw
/// text up to its own end tag, or a CDATA section. Chapters have no use for any of them.
const ESCAPES: [&str; 14] = [
    "</template",
    "<template",
    "<!--",
    "<script",
    "<style",
    "<textarea",
    "<title",
    "<xmp",
    "<iframe",
    "<noembed",
    "<noframes",
    "<noscript",
    "<plaintext",
    "<![cdata[",
];

/// A chapter's prose for its page, in reading order: one `<template data-prose="n">` per piece,
/// numbered as [`rust_source`]'s `Segment::Html(n)`. A template is inert (nothing in it shows,
/// loads or runs) until the page copies it into place; prose holding markup that could carry it
/// out of its template ([`ESCAPES`]) is an error.
pub fn prose_templates(chapter: &CompiledChapter) -> Result<String, Error> {
    let mut out = String::new();
    let pieces = chapter.segments.iter().filter_map(|segment| match segment {
        Segment::Html(html) => Some(html),
        Segment::Demo { .. } | Segment::Exercise { .. } => None,
    });
    for (index, html) in pieces.enumerate() {
        let lower = html.to_ascii_lowercase();
        if let Some(escape) = ESCAPES.iter().find(|escape| lower.contains(*escape)) {
            return Err(error_at(
                &chapter.file,
                1,
                format!(
                    "piece {index} of the prose holds `{escape}`, which could carry it out of its page template"
                ),
            ));
        }
        out.push_str(&format!(
            "<template data-prose=\"{index}\">{html}</template>\n"
        ));
    }
    Ok(out)
}

impl fmt::Display for CompiledChapter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({} segments)", self.file, self.segments.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(segments: &[Segment]) -> String {
        segments
            .iter()
            .map(|segment| match segment {
                Segment::Html(html) => html.clone(),
                Segment::Demo { id, .. } => format!("[demo {id}]"),
                Segment::Exercise { id, .. } => format!("[exercise {id}]"),
            })
            .collect()
    }

    #[test]
    fn prose_math_and_demos_become_segments() {
        let source = "Entropy $h(p)$ is *short*.\n\n$$\nH = -\\sum_x p\n$$\n\n::demo{id=coin-flips}\n\nAfter.\n";
        let segments = compile("t.md", source).expect("compiles");
        assert_eq!(segments.len(), 3);
        let Segment::Html(first) = &segments[0] else {
            panic!("html first")
        };
        assert!(first.starts_with("<p>Entropy <math>"), "{first}");
        assert!(first.contains("<em>short</em>"));
        assert!(first.contains("<div class=\"equation\"><math display=\"block\">"));
        assert!(!first.contains("$"), "no TeX on screen: {first}");
        assert_eq!(
            segments[1],
            Segment::Demo {
                id: "coin-flips".into(),
                line: 7
            }
        );
        assert_eq!(segments[2], Segment::Html("<p>After.</p>".into()));
    }

    #[test]
    fn tex_becomes_mathml_core() {
        let segments = compile("t.md", "$\\frac{1}{2}\\log_2 n$").expect("compiles");
        let text = html(&segments);
        assert!(
            text.contains("<mfrac><mn>1</mn><mn>2</mn></mfrac>"),
            "{text}"
        );
        assert!(text.contains(">log</mo>"), "{text}");
    }

    #[test]
    fn references_get_their_class_and_headings_an_id() {
        let source = "## Try this\n\n1. a question\n\n## References\n\n1. C. E. Shannon. <cite>A paper</cite>.\n2. Another.\n";
        let text = html(&compile("t.md", source).expect("compiles"));
        assert!(
            text.contains("<h2 id=\"references\">References</h2>"),
            "{text}"
        );
        assert!(text.contains("<ol class=\"references\">"), "{text}");
        assert_eq!(text.matches("<ol class=\"references\">").count(), 1);
        assert!(text.contains("<cite>A paper</cite>"));
        assert!(text.contains("<h2 id=\"try-this\">"));
    }

    #[test]
    fn credits_and_exercises_get_their_hooks() {
        let source = "## Exercises\n\n1. One $x$.\n2. Two.\n\n::credit{id=digits} Data: the *digits*, $8\\times 8$.\n";
        let text = html(&compile("t.md", source).expect("compiles"));
        assert!(text.contains("<ol class=\"exercises\">"), "{text}");
        assert!(
            text.contains(
                "<p class=\"credit\" data-credit=\"digits\">Data: the <em>digits</em>, <math>"
            ),
            "{text}"
        );
        assert!(text.trim_end().ends_with("</math>.</p>"), "{text}");
        assert!(!text.contains("::credit"));
        let errors =
            compile("t.md", "x\n\n::credit{id=mnist} Data.\n").expect_err("unknown data set");
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("shipped data sets"));
    }

    #[test]
    fn mistakes_name_the_file_and_line() {
        let cases = [
            ("one\n\n$\\frac{1}$\n", 3, "bad TeX"),
            ("one\n\ntwo $$x$$ three\n", 3, "paragraph of its own"),
            ("\n::figure{id=x}\n", 2, "unknown directive"),
            ("\n\n::demo{}\n", 3, "needs an id"),
            ("a <span>b</span>\n", 1, "inline HTML"),
            ("<div>\nblock\n</div>\n", 1, "HTML block"),
        ];
        for (source, line, words) in cases {
            let errors = compile("chapters/x.md", source).expect_err(source);
            assert_eq!(errors[0].line, line, "{source}: {:?}", errors);
            let text = errors[0].to_string();
            assert!(
                text.starts_with(&format!("chapters/x.md:{line}: ")),
                "{text}"
            );
            assert!(text.contains(words), "{text}");
        }
    }

    #[test]
    fn escaped_markup_is_text() {
        let text = html(&compile("t.md", "a \\< b and \\$5 and \\*not\\*").expect("compiles"));
        assert!(text.contains("a &lt; b and $5 and *not*"), "{text}");
    }

    /// A notebook of test files: each built chapter's file places exactly its demos.
    fn files(mut edit: impl FnMut(&str, &mut String)) -> HashMap<String, String> {
        let mut files = HashMap::new();
        for (index, chapter) in occam_demos::CHAPTERS.iter().enumerate() {
            let mut text: String = chapter
                .demos
                .iter()
                .map(|id| format!("Text.\n\n::demo{{id={id}}}\n\n"))
                .collect();
            edit(chapter.slug, &mut text);
            files.insert(file_name(index, chapter.slug), text);
        }
        files
    }

    fn notebook(files: &HashMap<String, String>) -> Result<Vec<CompiledChapter>, Vec<Error>> {
        compile_notebook(Path::new("chapters"), |path| {
            let name = path
                .file_name()
                .and_then(|name| name.to_str())
                .unwrap_or("");
            files
                .get(name)
                .cloned()
                .ok_or_else(|| std::io::Error::other("missing"))
        })
    }

    #[test]
    fn every_demo_is_placed_exactly_once_in_its_chapter() {
        let chapters = notebook(&files(|_, _| {})).expect("a well-formed notebook");
        let built = occam_demos::CHAPTERS.iter().filter(|c| c.is_built).count();
        assert_eq!(chapters.len(), built);

        let unknown = notebook(&files(|slug, text| {
            if slug == "entropy" {
                text.push_str("::demo{id=no-such-demo}\n");
            }
        }))
        .expect_err("an unknown id");
        assert!(
            unknown[0]
                .to_string()
                .contains("no demo called `no-such-demo`")
        );
        assert!(unknown[0].file.ends_with("01-entropy.md"));

        let twice = notebook(&files(|slug, text| {
            if slug == "entropy" {
                text.push_str("\n::demo{id=coin-flips}\n");
            }
        }))
        .expect_err("placed twice");
        assert!(
            twice[0]
                .message
                .contains("placed twice (first at chapters/01-entropy.md:3)")
        );

        let never = notebook(&files(|slug, text| {
            if slug == "entropy" {
                *text = text.replace("::demo{id=coin-flips}", "");
            }
        }))
        .expect_err("never placed");
        assert!(never[0].message.contains("`coin-flips` is never placed"));

        let elsewhere = notebook(&files(|slug, text| {
            if slug == "pca-sparse" {
                *text = text.replace("::demo{id=pca}", "::demo{id=pca}\n\n::demo{id=coin-flips}");
            }
        }))
        .expect_err("in another chapter");
        assert!(
            elsewhere
                .iter()
                .any(|e| e.message.contains("belongs to another chapter"))
        );
    }

    /// Prose numbered in reading order around the demos; prose that would end its template
    /// early is refused.
    #[test]
    fn prose_becomes_numbered_templates() {
        let chapter = |first: &str| CompiledChapter {
            slug: "entropy",
            file: "chapters/01-entropy.md".to_owned(),
            segments: vec![
                Segment::Html(first.to_owned()),
                Segment::Demo {
                    id: "coin-flips".to_owned(),
                    line: 3,
                },
                Segment::Html("<p>b</p>".to_owned()),
            ],
            exercises: Vec::new(),
        };
        assert_eq!(
            prose_templates(&chapter("<p>a</p>")).expect("plain prose"),
            "<template data-prose=\"0\"><p>a</p></template>\n<template data-prose=\"1\"><p>b</p></template>\n"
        );
        let source = rust_source(&[chapter("<p>a</p>")]);
        assert!(source.contains(
            "Segment::Html(0),\n        Segment::Demo(\"coin-flips\"),\n        Segment::Html(1),"
        ));
        let early = prose_templates(&chapter("<p>a</TEMPLATE>b</p>")).expect_err("ends early");
        assert!(
            early
                .message
                .contains("piece 0 of the prose holds `</template`"),
            "{early}"
        );
        for escape in [
            "<!-- a",
            "<Script>x",
            "<textarea>",
            "<math><![CDATA[",
            "<template>",
        ] {
            let error = prose_templates(&chapter(escape)).expect_err(escape);
            assert!(
                error.message.contains("could carry it out"),
                "{escape}: {error}"
            );
        }
    }

    /// The real chapter files build: every chapter from its file (`chapters/` at the root).
    #[test]
    fn the_notebook_builds_from_its_files() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../chapters");
        match compile_notebook(&dir, |path| std::fs::read_to_string(path)) {
            Ok(chapters) => {
                for chapter in &chapters {
                    let text = html(&chapter.segments);
                    assert!(!text.contains("$$"), "{}: TeX left on screen", chapter.file);
                    assert!(text.contains("<math"), "{}: no math", chapter.file);
                    assert!(
                        text.contains("<ol class=\"references\">"),
                        "{}",
                        chapter.file
                    );
                }
                let source = rust_source(&chapters);
                assert!(source.contains("Segment::Demo(\"coin-flips\")"));
                // The prose goes to the pages, numbered in reading order, and not into the Rust.
                for chapter in &chapters {
                    let pieces: Vec<&String> = chapter
                        .segments
                        .iter()
                        .filter_map(|segment| match segment {
                            Segment::Html(html) => Some(html),
                            _ => None,
                        })
                        .collect();
                    let templates = prose_templates(chapter).expect("no template in the prose");
                    for (index, html) in pieces.iter().enumerate() {
                        let template =
                            format!("<template data-prose=\"{index}\">{html}</template>");
                        assert!(
                            templates.contains(&template),
                            "{}: piece {index}",
                            chapter.file
                        );
                        assert!(
                            !source.contains(html.as_str()),
                            "{}: prose in the Rust",
                            chapter.file
                        );
                    }
                    assert_eq!(templates.matches("<template ").count(), pieces.len());
                }
                // Every chapter teaches with at least four exercises, of every kind.
                for chapter in &chapters {
                    assert!(
                        chapter.exercises.len() >= 4,
                        "{}: {} exercises",
                        chapter.file,
                        chapter.exercises.len()
                    );
                    for kind in ["number", "choice", "show", "predict"] {
                        assert!(
                            chapter
                                .exercises
                                .iter()
                                .any(|exercise| exercise.kind.name() == kind),
                            "{}: no {kind} exercise",
                            chapter.file
                        );
                    }
                }
            }
            Err(errors) => panic!(
                "{}",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        }
    }
}
