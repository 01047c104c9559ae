//! Exercise blocks in a chapter's text (`docs/exercises.md` is the authors' guide):
//!
//! ```text
//! :::exercise{id=entropy-fair-coin kind=number answer=1 tolerance=0.005 unit="bits"}
//! The question, in Markdown.
//! :::hint
//! …
//! :::explain
//! …
//! :::
//! ```
//!
//! [`extract`] lifts the blocks out of the file and leaves a placeholder line where each was
//! (and blank lines for the rest, so every later line keeps its number); [`parse`] checks a
//! block against its kind and its demo (`occam_demos::exercise`) and compiles its parts.

use occam_demos::exercise::{Condition, parse_goal};
use occam_demos::params::ParamKind;

use crate::{Error, Segment, compile_parts, error_at};

/// Where the generated Rust finds the exercise types.
const PATH: &str = "occam_demos::exercise::";

/// The directive [`extract`] leaves where an exercise block was.
pub(crate) const PLACEHOLDER: &str = "exercise-block";

/// A block as written: its opening line, its attributes and its parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub line: usize,
    pub attributes: Vec<(String, String)>,
    pub parts: Vec<Part>,
}

/// A part of a block: `prompt` (the text after the opening line), `hint`, `explain`, `option`,
/// `feedback`, `goal`, `solution`; `flags` are the words in its braces (`{correct}`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub name: String,
    pub flags: Vec<String>,
    /// The line of the part's first line of text.
    pub line: usize,
    pub text: String,
}

/// An exercise, checked and compiled.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub id: String,
    pub line: usize,
    pub kind: ParsedKind,
    /// HTML.
    pub prompt: String,
    pub hint: String,
    pub explain: String,
}

/// [`occam_demos::exercise::Kind`], owned.
#[derive(Debug, Clone, PartialEq)]
pub enum ParsedKind {
    Number {
        answer: f64,
        tolerance: f64,
        unit: String,
    },
    Choice {
        /// (HTML, right, feedback HTML).
        options: Vec<(String, bool, String)>,
    },
    Show {
        demo: String,
        goal: Vec<String>,
        solution: String,
    },
    Predict {
        demo: String,
        metric: String,
        tolerance: f64,
        goal: Vec<String>,
        solution: String,
    },
}

impl ParsedKind {
    /// The demo a `show` or `predict` exercise runs.
    pub fn demo(&self) -> Option<&str> {
        match self {
            Self::Show { demo, .. } | Self::Predict { demo, .. } => Some(demo),
            Self::Number { .. } | Self::Choice { .. } => None,
        }
    }

    /// `number`, `choice`, `show` or `predict`.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Number { .. } => "number",
            Self::Choice { .. } => "choice",
            Self::Show { .. } => "show",
            Self::Predict { .. } => "predict",
        }
    }

    /// The goal's lines and the solution's pairs of a `show` or `predict` exercise.
    pub fn goal_and_solution(&self) -> Option<(&[String], &str)> {
        match self {
            Self::Show { goal, solution, .. } | Self::Predict { goal, solution, .. } => {
                Some((goal, solution))
            }
            Self::Number { .. } | Self::Choice { .. } => None,
        }
    }
}

impl Parsed {
    /// The exercise as a Rust expression of `occam_demos::exercise::Exercise`, with a comma.
    pub fn rust_source(&self, chapter: &str) -> String {
        let strings = |items: &[String]| {
            let quoted: Vec<String> = items.iter().map(|item| format!("{item:?}")).collect();
            format!("&[{}]", quoted.join(", "))
        };
        let kind = match &self.kind {
            ParsedKind::Number {
                answer,
                tolerance,
                unit,
            } => format!(
                "{PATH}Kind::Number {{ answer: {answer:?}, tolerance: {tolerance:?}, unit: {unit:?} }}"
            ),
            ParsedKind::Choice { options } => {
                let options: Vec<String> = options
                    .iter()
                    .map(|(text, is_correct, feedback)| {
                        format!(
                            "{PATH}Choice {{ text: {text:?}, is_correct: {is_correct}, feedback: {feedback:?} }}"
                        )
                    })
                    .collect();
                format!(
                    "{PATH}Kind::Choice {{ options: &[{}] }}",
                    options.join(", ")
                )
            }
            ParsedKind::Show {
                demo,
                goal,
                solution,
            } => format!(
                "{PATH}Kind::Show {{ demo: {demo:?}, goal: {}, solution: {solution:?} }}",
                strings(goal)
            ),
            ParsedKind::Predict {
                demo,
                metric,
                tolerance,
                goal,
                solution,
            } => format!(
                "{PATH}Kind::Predict {{ demo: {demo:?}, metric: {metric:?}, tolerance: {tolerance:?}, goal: {}, solution: {solution:?} }}",
                strings(goal)
            ),
        };
        format!(
            "    {PATH}Exercise {{ id: {:?}, chapter: {chapter:?}, kind: {kind}, prompt: {:?}, hint: {:?}, explain: {:?} }},\n",
            self.id, self.prompt, self.hint, self.explain
        )
    }
}

/// The file with each exercise block replaced by a placeholder line (and blank lines), and the
/// blocks.
pub fn extract(file: &str, source: &str) -> Result<(String, Vec<Block>), Vec<Error>> {
    let mut masked = Vec::new();
    let mut blocks = Vec::new();
    let mut errors = Vec::new();
    let mut open: Option<Block> = None;
    for (index, text) in source.lines().enumerate() {
        let line = index + 1;
        let trimmed = text.trim();
        if let Some(block) = open.as_mut() {
            masked.push(String::new());
            if trimmed == ":::" {
                blocks.extend(open.take());
                continue;
            }
            if let Some(rest) = trimmed.strip_prefix(":::") {
                if rest.starts_with("exercise") {
                    errors.push(error_at(
                        file,
                        line,
                        "an exercise starts inside another: close the first with a line `:::`"
                            .to_owned(),
                    ));
                }
                let (name, arguments) = match rest.split_once('{') {
                    Some((name, arguments)) => (name, arguments.trim_end_matches('}')),
                    None => (rest, ""),
                };
                block.parts.push(Part {
                    name: name.trim().to_owned(),
                    flags: arguments.split_whitespace().map(str::to_owned).collect(),
                    line: line + 1,
                    text: String::new(),
                });
            } else if let Some(part) = block.parts.last_mut() {
                part.text.push_str(text);
                part.text.push('\n');
            }
            continue;
        }
        if let Some(rest) = trimmed.strip_prefix(":::exercise") {
            let arguments = rest
                .trim()
                .strip_prefix('{')
                .and_then(|rest| rest.strip_suffix('}'));
            let attributes = match arguments.map(attributes) {
                Some(Ok(attributes)) => attributes,
                Some(Err(message)) => {
                    errors.push(error_at(file, line, message));
                    Vec::new()
                }
                None => {
                    errors.push(error_at(
                        file,
                        line,
                        "an exercise opens with `:::exercise{id=… kind=…}`".to_owned(),
                    ));
                    Vec::new()
                }
            };
            if index > 0
                && !masked
                    .last()
                    .is_none_or(|previous: &String| previous.trim().is_empty())
            {
                errors.push(error_at(
                    file,
                    line,
                    "leave a blank line before an exercise".to_owned(),
                ));
            }
            let id = attributes
                .iter()
                .find(|(name, _)| name == "id")
                .map_or("", |(_, value)| value.as_str());
            masked.push(format!("::{PLACEHOLDER}{{id={id}}}"));
            open = Some(Block {
                line,
                attributes,
                parts: vec![Part {
                    name: "prompt".to_owned(),
                    flags: Vec::new(),
                    line: line + 1,
                    text: String::new(),
                }],
            });
            continue;
        }
        if trimmed.starts_with(":::") {
            errors.push(error_at(
                file,
                line,
                format!(
                    "`{trimmed}` outside an exercise (an exercise opens with `:::exercise{{…}}`)"
                ),
            ));
        }
        masked.push(text.to_owned());
    }
    if let Some(block) = open {
        errors.push(error_at(
            file,
            block.line,
            "this exercise is never closed: end it with a line `:::`".to_owned(),
        ));
    }
    if errors.is_empty() {
        Ok((masked.join("\n") + "\n", blocks))
    } else {
        Err(errors)
    }
}

/// `id=x kind=number unit="bits per flip"` as pairs.
fn attributes(text: &str) -> Result<Vec<(String, String)>, String> {
    let mut pairs = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let (name, after) = rest
            .split_once('=')
            .ok_or_else(|| format!("`{rest}`: attributes are `name=value`"))?;
        let name = name.trim();
        let after = after.trim_start();
        let (value, next) = if let Some(quoted) = after.strip_prefix('"') {
            let end = quoted
                .find('"')
                .ok_or_else(|| format!("`{name}`: a quoted value needs its closing quote"))?;
            (&quoted[..end], &quoted[end + 1..])
        } else {
            let end = after.find(char::is_whitespace).unwrap_or(after.len());
            (&after[..end], &after[end..])
        };
        if name.is_empty() || name.contains(char::is_whitespace) {
            return Err(format!("`{name}` is not an attribute name"));
        }
        pairs.push((name.to_owned(), value.to_owned()));
        rest = next.trim_start();
    }
    Ok(pairs)
}

/// The Markdown of a part as HTML, with its errors on the file's own lines.
fn html(file: &str, part: &Part, links: &mut Vec<(String, usize)>) -> Result<String, Vec<Error>> {
    let source = format!("{}{}", "\n".repeat(part.line.saturating_sub(1)), part.text);
    let compiled = compile_parts(file, &source)?;
    links.extend(compiled.links);
    let mut out = String::new();
    for segment in compiled.segments {
        match segment {
            Segment::Html(html) => out.push_str(&html),
            Segment::Demo { line, .. } | Segment::Exercise { line, .. } => {
                return Err(vec![error_at(
                    file,
                    line,
                    "an exercise cannot hold a demo or another exercise".to_owned(),
                )]);
            }
        }
    }
    Ok(out)
}

/// A block checked against its kind and compiled; the demo links in it are added to `links`.
pub fn parse(
    file: &str,
    block: &Block,
    links: &mut Vec<(String, usize)>,
) -> Result<Parsed, Vec<Error>> {
    let at = |message: String| vec![error_at(file, block.line, message)];
    let attribute = |name: &str| {
        block
            .attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    let id = attribute("id").ok_or_else(|| at("an exercise needs an `id`".to_owned()))?;
    let is_kebab = !id.is_empty()
        && id.split('-').all(|word| {
            !word.is_empty()
                && word
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        });
    if !is_kebab {
        return Err(at(format!(
            "exercise id `{id}`: lowercase words and digits joined by `-`"
        )));
    }
    let kind_name =
        attribute("kind").ok_or_else(|| at(format!("exercise `{id}` needs a `kind`")))?;
    let allowed: &[&str] = match kind_name {
        "number" => &["id", "kind", "answer", "tolerance", "unit"],
        "choice" => &["id", "kind"],
        "show" => &["id", "kind", "demo"],
        "predict" => &["id", "kind", "demo", "metric", "tolerance"],
        other => {
            return Err(at(format!(
                "exercise `{id}`: kind `{other}` is not one of number, choice, show, predict"
            )));
        }
    };
    for (name, _) in &block.attributes {
        if !allowed.contains(&name.as_str()) {
            return Err(at(format!(
                "exercise `{id}`: a {kind_name} exercise takes {}, not `{name}`",
                allowed.join(", ")
            )));
        }
    }
    let number = |name: &str| -> Result<f64, Vec<Error>> {
        let text = attribute(name)
            .ok_or_else(|| at(format!("exercise `{id}` needs `{name}=<number>`")))?;
        text.parse::<f64>()
            .ok()
            .filter(|value| value.is_finite())
            .ok_or_else(|| at(format!("exercise `{id}`: `{name}={text}` is not a number")))
    };

    // The parts: which may appear, how often, in which order.
    let allowed_parts: &[&str] = match kind_name {
        "choice" => &["prompt", "option", "feedback", "hint", "explain"],
        "show" | "predict" => &["prompt", "goal", "solution", "hint", "explain"],
        _ => &["prompt", "hint", "explain"],
    };
    let mut errors = Vec::new();
    for part in &block.parts {
        if !allowed_parts.contains(&part.name.as_str()) {
            errors.push(error_at(
                file,
                part.line - 1,
                format!(
                    "exercise `{id}`: a {kind_name} exercise has the parts {}, not `:::{}`",
                    allowed_parts[1..].join(", "),
                    part.name
                ),
            ));
        }
        let flags_allowed = part.name == "option";
        if let Some(flag) = part
            .flags
            .iter()
            .find(|flag| !(flags_allowed && flag.as_str() == "correct"))
        {
            errors.push(error_at(
                file,
                part.line - 1,
                format!("exercise `{id}`: `:::{}` takes no `{flag}`", part.name),
            ));
        }
    }
    for name in ["hint", "explain", "goal", "solution"] {
        let count = block.parts.iter().filter(|part| part.name == name).count();
        let is_needed = matches!(name, "hint" | "explain")
            || (matches!(name, "goal" | "solution") && matches!(kind_name, "show" | "predict"));
        if count > 1 || (is_needed && count == 0) {
            errors.push(error_at(
                file,
                block.line,
                format!("exercise `{id}` needs exactly one `:::{name}`"),
            ));
        }
    }
    if block.parts[0].text.trim().is_empty() {
        errors.push(error_at(
            file,
            block.line,
            format!("exercise `{id}` asks nothing: write the question after its first line"),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let part_html = |name: &str, links: &mut Vec<(String, usize)>| -> Result<String, Vec<Error>> {
        match block.parts.iter().find(|part| part.name == name) {
            Some(part) => html(file, part, links),
            None => Ok(String::new()),
        }
    };
    let prompt = html(file, &block.parts[0], links)?;
    let hint = part_html("hint", links)?;
    let explain = part_html("explain", links)?;
    let plain = |name: &str| -> Vec<(usize, String)> {
        block
            .parts
            .iter()
            .filter(|part| part.name == name)
            .flat_map(|part| {
                part.text
                    .lines()
                    .enumerate()
                    .map(move |(offset, text)| (part.line + offset, text.trim().to_owned()))
            })
            .filter(|(_, text)| !text.is_empty())
            .collect()
    };

    let kind = match kind_name {
        "number" => ParsedKind::Number {
            answer: number("answer")?,
            tolerance: number("tolerance")?,
            unit: attribute("unit").unwrap_or("").to_owned(),
        },
        "choice" => {
            let mut options: Vec<(String, bool, String)> = Vec::new();
            let mut awaiting_feedback = false;
            for part in &block.parts[1..] {
                match part.name.as_str() {
                    "option" => {
                        if awaiting_feedback {
                            return Err(vec![error_at(
                                file,
                                part.line - 1,
                                format!(
                                    "exercise `{id}`: every `:::option` is followed by its `:::feedback`"
                                ),
                            )]);
                        }
                        let is_correct = part.flags.iter().any(|flag| flag == "correct");
                        options.push((html(file, part, links)?, is_correct, String::new()));
                        awaiting_feedback = true;
                    }
                    "feedback" => {
                        let Some(option) = options.last_mut().filter(|_| awaiting_feedback) else {
                            return Err(vec![error_at(
                                file,
                                part.line - 1,
                                format!("exercise `{id}`: a `:::feedback` follows its `:::option`"),
                            )]);
                        };
                        option.2 = html(file, part, links)?;
                        awaiting_feedback = false;
                    }
                    _ => {}
                }
            }
            if awaiting_feedback {
                return Err(at(format!(
                    "exercise `{id}`: every `:::option` is followed by its `:::feedback`"
                )));
            }
            if options.len() < 2 || !options.iter().any(|option| option.1) {
                return Err(at(format!(
                    "exercise `{id}`: a choice needs two options or more, at least one `:::option{{correct}}`"
                )));
            }
            ParsedKind::Choice { options }
        }
        _ => {
            let demo_id = attribute("demo")
                .ok_or_else(|| at(format!("exercise `{id}` needs `demo=<id>`")))?;
            let spec = occam_demos::demo(demo_id).ok_or_else(|| {
                at(format!(
                    "exercise `{id}`: there is no demo called `{demo_id}`"
                ))
            })?;
            let goal = plain("goal");
            if goal.is_empty() {
                return Err(at(format!("exercise `{id}`: its `:::goal` is empty")));
            }
            for (line, text) in &goal {
                if let Err(message) = Condition::parse(text, spec) {
                    return Err(vec![error_at(
                        file,
                        *line,
                        format!("exercise `{id}`: {message}"),
                    )]);
                }
            }
            let solution = plain("solution");
            let [(solution_line, solution)] = solution.as_slice() else {
                return Err(at(format!(
                    "exercise `{id}`: its `:::solution` is one line of `name=value` pairs"
                )));
            };
            for pair in solution.split_whitespace() {
                let problem = match pair.split_once('=') {
                    None => Some(format!("`{pair}` is not `name=value`")),
                    Some((name, value)) => match spec.param(name) {
                        None => Some(format!("`{demo_id}` has no parameter `{name}`")),
                        Some(param) => param.read(value).1.map(|notice| notice.message),
                    },
                };
                if let Some(problem) = problem {
                    return Err(vec![error_at(
                        file,
                        *solution_line,
                        format!("exercise `{id}`'s solution: {problem}"),
                    )]);
                }
            }
            let goal: Vec<String> = goal.into_iter().map(|(_, text)| text).collect();
            let goal_refs: Vec<&str> = goal.iter().map(String::as_str).collect();
            debug_assert!(parse_goal(&goal_refs, spec).is_ok());
            if kind_name == "show" {
                ParsedKind::Show {
                    demo: demo_id.to_owned(),
                    goal,
                    solution: solution.clone(),
                }
            } else {
                let metric = attribute("metric")
                    .ok_or_else(|| at(format!("exercise `{id}` needs `metric=<name>`")))?;
                if !spec
                    .metrics
                    .iter()
                    .any(|known| known.name == metric && !known.is_list)
                {
                    return Err(at(format!(
                        "exercise `{id}`: `{metric}` is not a single-number metric of `{demo_id}`"
                    )));
                }
                if matches!(
                    spec.param(metric).map(|param| param.kind),
                    Some(ParamKind::Text { .. })
                ) {
                    return Err(at(format!("exercise `{id}`: `{metric}` is a text")));
                }
                ParsedKind::Predict {
                    demo: demo_id.to_owned(),
                    metric: metric.to_owned(),
                    tolerance: number("tolerance")?,
                    goal,
                    solution: solution.clone(),
                }
            }
        }
    };
    Ok(Parsed {
        id: id.to_owned(),
        line: block.line,
        kind,
        prompt,
        hint,
        explain,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compile_parts;

    const NUMBER: &str = "Before.\n\n:::exercise{id=entropy-fair kind=number answer=1 tolerance=0.005 unit=\"bits per flip\"}\nWhat is $h(0.5)$?\n:::hint\nHalf and half.\n:::explain\nOne bit.\n:::\n\nAfter.\n";

    #[test]
    fn a_block_becomes_an_exercise_between_the_prose() {
        let compiled = compile_parts("t.md", NUMBER).expect("compiles");
        assert_eq!(
            compiled.segments[1],
            Segment::Exercise {
                id: "entropy-fair".into(),
                line: 3
            }
        );
        assert_eq!(compiled.segments[2], Segment::Html("<p>After.</p>".into()));
        let exercise = &compiled.exercises[0];
        assert_eq!(
            exercise.kind,
            ParsedKind::Number {
                answer: 1.0,
                tolerance: 0.005,
                unit: "bits per flip".into()
            }
        );
        assert!(
            exercise.prompt.starts_with("<p>What is <math>"),
            "{}",
            exercise.prompt
        );
        assert_eq!(exercise.hint, "<p>Half and half.</p>");
        assert_eq!(exercise.explain, "<p>One bit.</p>");
    }

    #[test]
    fn choices_keep_their_options_rightness_and_feedback() {
        let source = ":::exercise{id=entropy-c kind=choice}\nWhich?\n:::option{correct}\nThis *one*.\n:::feedback\nYes.\n:::option\nThat one.\n:::feedback\nNo.\n:::hint\nh\n:::explain\ne\n:::\n";
        let compiled = compile_parts("t.md", source).expect("compiles");
        let ParsedKind::Choice { options } = &compiled.exercises[0].kind else {
            panic!("a choice")
        };
        assert_eq!(
            options,
            &vec![
                (
                    "<p>This <em>one</em>.</p>".to_owned(),
                    true,
                    "<p>Yes.</p>".to_owned()
                ),
                (
                    "<p>That one.</p>".to_owned(),
                    false,
                    "<p>No.</p>".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn demo_links_set_a_demo_and_scroll_to_it() {
        let compiled = compile_parts("t.md", "Try [a bent coin](demo:coin-flips?p=0.9&n=1000).\n")
            .expect("compiles");
        let Segment::Html(html) = &compiled.segments[0] else {
            panic!("html")
        };
        assert!(
            html.contains("<a href=\"#coin-flips\" class=\"demo-link\" data-set-demo=\"coin-flips\" data-set-params=\"p=0.9&amp;n=1000\">a bent coin</a>"),
            "{html}"
        );
        assert_eq!(compiled.links, vec![("coin-flips".to_owned(), 1)]);
        for (source, words) in [
            ("[x](demo:nope?p=1)\n", "no demo called `nope`"),
            ("[x](demo:coin-flips?zz=1)\n", "no parameter `zz`"),
            ("[x](demo:coin-flips?p=7)\n", "above the maximum"),
            ("[x](demo:coin-flips)\n", "sets nothing"),
        ] {
            let errors = compile_parts("t.md", source).expect_err(source);
            assert!(errors[0].message.contains(words), "{source}: {}", errors[0]);
        }
    }

    #[test]
    fn show_and_predict_goals_and_solutions_are_checked_against_the_demo() {
        let show = ":::exercise{id=pca-sparse-x kind=show demo=pca}\nFind it.\n:::goal\nbits-per-image < raw-bits-per-image\nk <= 16\n:::solution\nk=12\n:::hint\nh\n:::explain\ne\n:::\n";
        let compiled = compile_parts("t.md", show).expect("compiles");
        assert_eq!(
            compiled.exercises[0].kind,
            ParsedKind::Show {
                demo: "pca".into(),
                goal: vec![
                    "bits-per-image < raw-bits-per-image".into(),
                    "k <= 16".into()
                ],
                solution: "k=12".into()
            }
        );
        let cases = [
            (
                show.replace("k <= 16", "kk <= 16"),
                5,
                "not a metric or parameter",
            ),
            (show.replace("k=12", "k=900"), 7, "above the maximum"),
            (show.replace("k=12", "zz=1"), 7, "no parameter `zz`"),
            (
                show.replace("demo=pca", "demo=nope"),
                1,
                "no demo called `nope`",
            ),
            (
                show.replace(":::solution\nk=12\n", ""),
                1,
                "exactly one `:::solution`",
            ),
            (
                show.replace(
                    "kind=show demo=pca",
                    "kind=predict demo=pca metric=iterations-x tolerance=1",
                ),
                1,
                "not a single-number metric",
            ),
        ];
        for (source, line, words) in cases {
            let errors = compile_parts("t.md", &source).expect_err(&source);
            assert_eq!(errors[0].line, line, "{source}: {errors:?}");
            assert!(errors[0].message.contains(words), "{source}: {}", errors[0]);
        }
    }

    #[test]
    fn malformed_blocks_name_their_line() {
        let cases = [
            (
                NUMBER.replace("\n:::\n\nAfter", "\n\nAfter"),
                3,
                "never closed",
            ),
            (
                NUMBER.replace("Before.\n\n", "Before.\n"),
                2,
                "blank line before",
            ),
            (
                NUMBER.replace("kind=number", "kind=essay"),
                3,
                "not one of number",
            ),
            (
                NUMBER.replace(" answer=1", ""),
                3,
                "needs `answer=<number>`",
            ),
            (NUMBER.replace("answer=1", "answer=one"), 3, "not a number"),
            (
                NUMBER.replace(":::hint\nHalf and half.\n", ""),
                3,
                "exactly one `:::hint`",
            ),
            (NUMBER.replace(":::hint", ":::option"), 5, "not `:::option`"),
            (
                NUMBER.replace("id=entropy-fair", "id=Entropy_Fair"),
                3,
                "lowercase words",
            ),
            ("x\n\n:::hint\n".to_owned(), 3, "outside an exercise"),
            (
                NUMBER.replace("What is $h(0.5)$?", "What is $\\frac{1}$?"),
                4,
                "bad TeX",
            ),
            (
                NUMBER.replace("One bit.", "::demo{id=pca}"),
                8,
                "cannot hold a demo",
            ),
        ];
        for (source, line, words) in cases {
            let errors = compile_parts("chapters/t.md", &source).expect_err(&source);
            assert_eq!(errors[0].line, line, "{source}: {errors:?}");
            assert!(errors[0].message.contains(words), "{source}: {}", errors[0]);
        }
    }

    #[test]
    fn the_rust_source_builds_the_exercise() {
        let compiled = compile_parts("t.md", NUMBER).expect("compiles");
        let source = compiled.exercises[0].rust_source("entropy");
        assert!(source.starts_with("    occam_demos::exercise::Exercise { id: \"entropy-fair\", chapter: \"entropy\", kind: occam_demos::exercise::Kind::Number { answer: 1.0, tolerance: 0.005, unit: \"bits per flip\" }"), "{source}");
    }
}
