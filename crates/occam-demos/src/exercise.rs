//! Exercises: what a reader is asked, how an answer is checked, and the receipt a student
//! hands in.
//!
//! An [`Exercise`] is written in its chapter's text file and compiled into the page at build
//! time (`occam-chapters`). A reader's [`Answer`] is checked by [`check`], from the answer alone:
//! the page, and a teacher's page reading a [`Receipt`], compute the same [`Verdict`] from the
//! same answer, so a receipt's verdicts are never taken on trust.
//!
//! Four kinds:
//! - `number`: a number within a tolerance of the answer;
//! - `choice`: one right option (radio buttons) or several (check boxes: all right ones ticked,
//!   no wrong one), each with its own feedback;
//! - `show`: a finished run of a demo whose parameters and metrics meet a goal, written as
//!   conditions (`bits-per-image < raw-bits-per-image`, `k <= 16`: see [`Condition`]);
//! - `predict`: a guess of a metric, then a finished run that meets the goal's settings; the
//!   guess and the measured value are shown side by side.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::params::ParamKind;
use crate::{DemoSpec, demo};

/// An exercise as its chapter's text defines it (HTML parts compiled at build time).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exercise {
    /// Stable and unique in the notebook: saved progress, assignments and receipts name it.
    pub id: &'static str,
    /// The slug of the chapter whose text holds it.
    pub chapter: &'static str,
    pub kind: Kind,
    /// The question, as HTML.
    pub prompt: &'static str,
    /// Shown on request, as HTML.
    pub hint: &'static str,
    /// Shown once solved or given up, as HTML.
    pub explain: &'static str,
}

/// What an exercise asks for, and what counts as right.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Number {
        answer: f64,
        /// Absolute: |typed − answer| ≤ tolerance is right.
        tolerance: f64,
        /// Shown beside the box ("bits per flip"); may be empty.
        unit: &'static str,
    },
    Choice {
        options: &'static [Choice],
    },
    Show {
        demo: &'static str,
        /// One [`Condition`] a line.
        goal: &'static [&'static str],
        /// `name=value` pairs that meet the goal (run by the tests).
        solution: &'static str,
    },
    Predict {
        demo: &'static str,
        /// The metric the reader guesses.
        metric: &'static str,
        /// How close a guess must be to count as close (the exercise is solved either way).
        tolerance: f64,
        goal: &'static [&'static str],
        solution: &'static str,
    },
}

impl Kind {
    /// `data-kind`: `number`, `choice`, `show` or `predict`.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::Number { .. } => "number",
            Self::Choice { .. } => "choice",
            Self::Show { .. } => "show",
            Self::Predict { .. } => "predict",
        }
    }

    /// The demo a `show` or `predict` exercise runs.
    pub fn demo(&self) -> Option<&'static str> {
        match self {
            Self::Show { demo, .. } | Self::Predict { demo, .. } => Some(demo),
            Self::Number { .. } | Self::Choice { .. } => None,
        }
    }

    /// The goal of a `show` or `predict` exercise (empty for the others).
    pub fn goal(&self) -> &'static [&'static str] {
        match self {
            Self::Show { goal, .. } | Self::Predict { goal, .. } => goal,
            Self::Number { .. } | Self::Choice { .. } => &[],
        }
    }

    /// The solution of a `show` or `predict` exercise as URL pairs (empty for the others).
    pub fn solution_pairs(&self) -> Vec<(String, String)> {
        let line = match self {
            Self::Show { solution, .. } | Self::Predict { solution, .. } => *solution,
            Self::Number { .. } | Self::Choice { .. } => "",
        };
        line.split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .map(|(name, value)| (name.to_owned(), value.to_owned()))
            .collect()
    }
}

/// One option of a `choice` exercise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// The option, as HTML.
    pub text: &'static str,
    pub is_correct: bool,
    /// Shown when the option is picked, as HTML.
    pub feedback: &'static str,
}

impl Exercise {
    /// What counts as right, hashed: saved progress and receipts carry it, so an answer saved
    /// for an earlier version of the exercise (another answer, other options, another goal) is
    /// recognised as such, while a reworded question keeps its answers. FNV-1a, 64 bits, hex.
    pub fn fingerprint(&self) -> String {
        let rule = match self.kind {
            Kind::Number {
                answer, tolerance, ..
            } => format!("number {answer} {tolerance}"),
            Kind::Choice { options } => {
                let pattern: String = options
                    .iter()
                    .map(|option| if option.is_correct { '1' } else { '0' })
                    .collect();
                format!("choice {pattern}")
            }
            Kind::Show { demo, goal, .. } => format!("show {demo} {}", goal.join(";")),
            Kind::Predict {
                demo, metric, goal, ..
            } => format!("predict {demo} {metric} {}", goal.join(";")),
        };
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in format!("{} {rule}", self.id).bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        format!("{hash:016x}")
    }

    /// Whether the options of a `choice` exercise are check boxes (several right).
    pub fn has_several_right(&self) -> bool {
        match self.kind {
            Kind::Choice { options } => {
                options.iter().filter(|option| option.is_correct).count() > 1
            }
            _ => false,
        }
    }
}

/// A comparison in a goal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Equal,
}

impl Op {
    /// The longest first: `<=` before `<`.
    const SYMBOLS: [(&'static str, Op); 5] = [
        ("<=", Op::LessOrEqual),
        (">=", Op::GreaterOrEqual),
        ("<", Op::Less),
        (">", Op::Greater),
        ("=", Op::Equal),
    ];

    pub fn symbol(self) -> &'static str {
        match self {
            Self::Less => "<",
            Self::LessOrEqual => "≤",
            Self::Greater => ">",
            Self::GreaterOrEqual => "≥",
            Self::Equal => "=",
        }
    }

    fn holds(self, left: f64, right: f64) -> bool {
        match self {
            Self::Less => left < right,
            Self::LessOrEqual => left <= right,
            Self::Greater => left > right,
            Self::GreaterOrEqual => left >= right,
            // Metrics travel as decimal text and back: equal to a relative 1e-9.
            Self::Equal => (left - right).abs() <= 1e-9 * left.abs().max(right.abs()).max(1.0),
        }
    }
}

/// One side of a condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    Number(f64),
    /// `factor * name`, the name a metric or a parameter of the demo (a factor of 1 unless
    /// written).
    Name {
        factor: f64,
        name: String,
    },
    /// An option of a choice parameter (`dataset = digits`).
    Word(String),
}

/// `left op right`, one line of a goal: `bits-per-image < raw-bits-per-image`, `k <= 16`,
/// `pca-mse <= 0.5 * dct-mse`, `dataset = digits`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub left: Term,
    pub op: Op,
    pub right: Term,
}

/// A value a term stands for in one run.
#[derive(Debug, Clone, PartialEq)]
enum Quantity {
    Number(f64),
    Word(String),
}

impl Condition {
    /// Reads one line of a goal against demo `spec`: every name must be one of its scalar
    /// metrics or parameters, and a word must be an option of the choice parameter it is
    /// compared with, by `=`.
    pub fn parse(line: &str, spec: &DemoSpec) -> Result<Self, String> {
        let (at, symbol, op) = Op::SYMBOLS
            .iter()
            .filter_map(|(symbol, op)| line.find(symbol).map(|at| (at, *symbol, *op)))
            .min_by_key(|(at, symbol, _)| (*at, std::cmp::Reverse(symbol.len())))
            .ok_or_else(|| format!("`{line}` has no comparison (<, <=, >, >=, =)"))?;
        let left = term(&line[..at], spec)?;
        let right = term(&line[at + symbol.len()..], spec)?;
        let condition = Self { left, op, right };
        match (&condition.left, &condition.right) {
            (Term::Word(_), Term::Word(_)) => {
                return Err(format!("`{line}` compares two words"));
            }
            (Term::Word(word), Term::Number(_)) | (Term::Number(_), Term::Word(word)) => {
                return Err(format!(
                    "`{word}` is not a metric or parameter of `{}`",
                    spec.id
                ));
            }
            (Term::Name { factor, name }, Term::Word(word))
            | (Term::Word(word), Term::Name { factor, name }) => {
                let options = match spec.param(name).map(|param| param.kind) {
                    Some(ParamKind::Choice { options, .. }) => options,
                    _ => {
                        return Err(format!(
                            "`{word}` is not a number, nor a metric or parameter of `{}`",
                            spec.id
                        ));
                    }
                };
                if op != Op::Equal || *factor != 1.0 || !options.contains(&word.as_str()) {
                    return Err(format!(
                        "`{line}`: `{name}` is one of {} and can only be compared with `=`",
                        options.join(", ")
                    ));
                }
            }
            _ => {
                for side in [&condition.left, &condition.right] {
                    if let Term::Name { name, .. } = side
                        && matches!(
                            spec.param(name).map(|param| param.kind),
                            Some(ParamKind::Choice { .. } | ParamKind::Text { .. })
                        )
                    {
                        return Err(format!(
                            "`{line}`: `{name}` is not a number (compare it with `=` and one of its options)"
                        ));
                    }
                }
            }
        }
        Ok(condition)
    }

    /// Whether `run` meets this condition; `Err` names what the run lacks.
    fn holds(&self, run: &RunValues) -> Result<bool, String> {
        let left = run.quantity(&self.left)?;
        let right = run.quantity(&self.right)?;
        Ok(match (left, right) {
            (Quantity::Number(left), Quantity::Number(right)) => self.op.holds(left, right),
            (Quantity::Word(left), Quantity::Word(right)) => left == right,
            _ => false,
        })
    }

    /// The condition for people, with the page's labels: "bits per image, coded < bits per
    /// image, raw 8-bit pixels".
    pub fn describe(&self, spec: &DemoSpec) -> String {
        let side = |term: &Term| match term {
            Term::Number(value) => format!("{value}"),
            Term::Word(word) => word.clone(),
            Term::Name { factor, name } => {
                let label = label_of(spec, name);
                if *factor == 1.0 {
                    label
                } else {
                    format!("{factor} × {label}")
                }
            }
        };
        format!(
            "{} {} {}",
            side(&self.left),
            self.op.symbol(),
            side(&self.right)
        )
    }
}

/// The label the page shows for a metric or parameter `name` of `spec`, quoted.
pub fn label_of(spec: &DemoSpec, name: &str) -> String {
    spec.metrics
        .iter()
        .find(|metric| metric.name == name)
        .map(|metric| metric.label)
        .or_else(|| spec.param(name).map(|param| param.label))
        .map_or_else(|| name.to_owned(), |label| format!("“{label}”"))
}

fn term(text: &str, spec: &DemoSpec) -> Result<Term, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("a condition needs a term on each side of its comparison".to_owned());
    }
    let (factor, name) = match text.split_once('*') {
        Some((factor, name)) => {
            let factor = factor
                .trim()
                .parse::<f64>()
                .map_err(|_| format!("`{text}`: the factor must be a number (`0.5 * name`)"))?;
            (factor, name.trim())
        }
        None => {
            if let Ok(value) = text.parse::<f64>() {
                return Ok(Term::Number(value));
            }
            (1.0, text)
        }
    };
    let is_metric = spec
        .metrics
        .iter()
        .any(|metric| metric.name == name && !metric.is_list);
    if spec
        .metrics
        .iter()
        .any(|metric| metric.name == name && metric.is_list)
    {
        return Err(format!(
            "`{name}` is a list metric of `{}`; a goal compares single numbers",
            spec.id
        ));
    }
    if is_metric || spec.param(name).is_some() {
        return Ok(Term::Name {
            factor,
            name: name.to_owned(),
        });
    }
    if factor == 1.0 && !name.contains(char::is_whitespace) {
        // Checked against the parameter it is compared with, by the caller.
        return Ok(Term::Word(name.to_owned()));
    }
    Err(format!(
        "`{name}` is not a metric or parameter of `{}`",
        spec.id
    ))
}

/// Reads every line of a goal; the first mistake, with its line.
pub fn parse_goal(goal: &[&str], spec: &DemoSpec) -> Result<Vec<Condition>, String> {
    goal.iter()
        .map(|line| Condition::parse(line, spec))
        .collect()
}

/// A finished run of a demo, as a receipt records it: enough to run it again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    pub demo: String,
    /// Every parameter, as in the demo's URL (the seed among them).
    pub params: BTreeMap<String, String>,
    /// `cpu` or `webgpu`.
    pub backend: String,
    /// Every metric of the run's last report.
    pub metrics: BTreeMap<String, f64>,
    /// The build of occam that made the run (see [`BUILD`]).
    pub build: String,
}

/// A run's values by name, for goals.
struct RunValues<'a> {
    spec: &'a DemoSpec,
    record: &'a RunRecord,
}

impl RunValues<'_> {
    fn quantity(&self, term: &Term) -> Result<Quantity, String> {
        match term {
            Term::Number(value) => Ok(Quantity::Number(*value)),
            Term::Word(word) => Ok(Quantity::Word(word.clone())),
            Term::Name { factor, name } => {
                if let Some(param) = self.spec.param(name) {
                    let raw = self.record.params.get(name).map(String::as_str);
                    let value = match raw {
                        Some(raw) => param.read(raw).0,
                        None => param.default_value(),
                    };
                    return Ok(match value {
                        crate::params::ParamValue::Float(value) => Quantity::Number(factor * value),
                        crate::params::ParamValue::Int(value) => {
                            Quantity::Number(factor * value as f64)
                        }
                        crate::params::ParamValue::Choice(word)
                        | crate::params::ParamValue::Text(word) => Quantity::Word(word),
                    });
                }
                self.record
                    .metrics
                    .get(name)
                    .map(|value| Quantity::Number(factor * value))
                    .ok_or_else(|| format!("the run did not report {}", label_of(self.spec, name)))
            }
        }
    }
}

/// A reader's answer to one exercise, as typed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Answer {
    Number {
        typed: String,
    },
    Choice {
        /// The options ticked, by position (0-based).
        picked: Vec<usize>,
    },
    Show {
        /// The run that met the goal (the latest finished run when none has).
        run: Option<RunRecord>,
    },
    Predict {
        guess: String,
        /// The first finished run after the guess that meets the goal.
        run: Option<RunRecord>,
    },
}

impl Answer {
    /// Nothing answered yet, for `kind`.
    pub fn empty(kind: &Kind) -> Self {
        match kind {
            Kind::Number { .. } => Self::Number {
                typed: String::new(),
            },
            Kind::Choice { .. } => Self::Choice { picked: Vec::new() },
            Kind::Show { .. } => Self::Show { run: None },
            Kind::Predict { .. } => Self::Predict {
                guess: String::new(),
                run: None,
            },
        }
    }
}

/// `data-state` of an exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Open,
    Wrong,
    Solved,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Wrong => "wrong",
            Self::Solved => "solved",
        }
    }
}

/// The verdict on an answer: its state, and what to tell the reader (plain text; a choice's
/// per-option feedback is the options' own).
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    pub state: State,
    pub message: String,
}

impl Verdict {
    fn new(state: State, message: impl Into<String>) -> Self {
        Self {
            state,
            message: message.into(),
        }
    }
}

/// A number as a person types it: a decimal point or comma, a leading − or -, a fraction
/// `a/b`, a percent sign, and the exercise's unit after it are all accepted. `1,234` reads as
/// a thousand and more; [`readings`] also offers the decimal-comma reading.
pub fn read_number(typed: &str, unit: &str) -> Option<f64> {
    readings(typed, unit).first().copied()
}

/// Every reasonable reading of what a person typed, the likeliest first: `1,234` is 1234 or
/// 1.234 (a decimal comma), `0,5` is only 0.5.
pub fn readings(typed: &str, unit: &str) -> Vec<f64> {
    let mut text = typed.trim().replace('−', "-");
    if !unit.is_empty()
        && let Some(before) = text.strip_suffix(unit)
    {
        text = before.trim_end().to_owned();
    }
    // Any other words after the number ("6.4 nats"), as a unit the exercise did not name.
    let text = text
        .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
        .to_owned();
    let (text, scale) = match text.strip_suffix('%') {
        Some(before) => (before.trim_end().to_owned(), 100.0),
        None => (text, 1.0),
    };
    let decimals = |part: &str| -> Vec<f64> {
        let part = part.trim();
        let mut forms = Vec::new();
        if part.contains('.') {
            forms.push(part.replace(',', ""));
        } else if is_grouped(part) {
            forms.push(part.replace(',', ""));
            if part.matches(',').count() == 1 {
                forms.push(part.replace(',', "."));
            }
        } else if part.matches(',').count() == 1 {
            forms.push(part.replace(',', "."));
        } else {
            forms.push(part.to_owned());
        }
        forms
            .iter()
            .filter_map(|form| form.parse::<f64>().ok())
            .filter(|value| value.is_finite())
            .collect()
    };
    let values: Vec<f64> = match text.split_once('/') {
        Some((top, bottom)) => {
            let bottoms = decimals(bottom);
            decimals(top)
                .into_iter()
                .flat_map(|top| {
                    bottoms
                        .iter()
                        .filter(|bottom| **bottom != 0.0)
                        .map(move |bottom| top / bottom)
                        .collect::<Vec<_>>()
                })
                .collect()
        }
        None => decimals(&text),
    };
    values.into_iter().map(|value| value / scale).collect()
}

/// `1,234` or `12,345,678`: digits in groups of three after a first group of one to three
/// that does not start with 0.
fn is_grouped(text: &str) -> bool {
    let digits = text.trim_start_matches('-');
    let mut groups = digits.split(',');
    let first_is_short = groups.next().is_some_and(|first| {
        (1..=3).contains(&first.len())
            && !first.starts_with('0')
            && first.chars().all(|c| c.is_ascii_digit())
    });
    first_is_short
        && digits.contains(',')
        && groups.all(|group| group.len() == 3 && group.chars().all(|c| c.is_ascii_digit()))
}

/// The verdict on `answer`, from the answer alone.
pub fn check(exercise: &Exercise, answer: &Answer) -> Verdict {
    match (&exercise.kind, answer) {
        (
            Kind::Number {
                answer: right,
                tolerance,
                unit,
            },
            Answer::Number { typed },
        ) => {
            if typed.trim().is_empty() {
                return Verdict::new(State::Open, "Type a number.");
            }
            let values = readings(typed, unit);
            match values.first() {
                None => Verdict::new(
                    State::Wrong,
                    format!("“{}” is not a number I can read.", typed.trim()),
                ),
                Some(_)
                    if values
                        .iter()
                        .any(|value| (value - right).abs() <= *tolerance) =>
                {
                    Verdict::new(State::Solved, "Right.")
                }
                Some(value) if value > right => Verdict::new(State::Wrong, "Not quite: too high."),
                Some(_) => Verdict::new(State::Wrong, "Not quite: too low."),
            }
        }
        (Kind::Choice { options }, Answer::Choice { picked }) => {
            if picked.is_empty() {
                return Verdict::new(State::Open, "Pick an answer.");
            }
            if picked.iter().any(|&at| at >= options.len()) {
                return Verdict::new(State::Wrong, "That option does not exist.");
            }
            let right: Vec<usize> = (0..options.len())
                .filter(|&at| options[at].is_correct)
                .collect();
            let mut ticked = picked.clone();
            ticked.sort_unstable();
            ticked.dedup();
            if ticked == right {
                Verdict::new(State::Solved, "Right.")
            } else if ticked.iter().all(|&at| options[at].is_correct) {
                Verdict::new(
                    State::Wrong,
                    "Right so far, but another option is right too.",
                )
            } else {
                Verdict::new(State::Wrong, "Not quite.")
            }
        }
        (Kind::Show { demo, goal, .. }, Answer::Show { run }) => match run {
            None => Verdict::new(State::Open, "Run the demo: its finished run is checked."),
            Some(run) => match unmet(demo, goal, run) {
                Ok(()) => Verdict::new(State::Solved, "The run meets the goal."),
                Err(message) => Verdict::new(State::Wrong, message),
            },
        },
        (
            Kind::Predict {
                demo,
                metric,
                tolerance,
                goal,
                ..
            },
            Answer::Predict { guess, run },
        ) => {
            let Some(spec) = crate::demo(demo) else {
                return Verdict::new(State::Wrong, format!("no demo {demo}"));
            };
            let label = label_of(spec, metric);
            let Some(guessed) = read_number(guess, "") else {
                return if guess.trim().is_empty() {
                    Verdict::new(State::Open, format!("First guess {label}."))
                } else {
                    Verdict::new(
                        State::Open,
                        format!("“{}” is not a number I can read.", guess.trim()),
                    )
                };
            };
            let Some(run) = run else {
                return Verdict::new(
                    State::Open,
                    format!("You guessed {guessed}. Now run the demo with the settings asked for."),
                );
            };
            if let Err(message) = unmet(demo, goal, run) {
                return Verdict::new(State::Wrong, message);
            }
            let measured = run.metrics.get(*metric).copied();
            match measured {
                None => Verdict::new(State::Wrong, format!("The run did not report {label}.")),
                Some(measured) => {
                    let closeness = if (guessed - measured).abs() <= *tolerance {
                        "close"
                    } else {
                        "off"
                    };
                    Verdict::new(
                        State::Solved,
                        format!(
                            "You guessed {guessed}; the run measured {}: {closeness} (within {tolerance} counts as close).",
                            round_for_people(measured)
                        ),
                    )
                }
            }
        }
        _ => Verdict::new(State::Wrong, "This answer is for another kind of exercise."),
    }
}

/// Six significant digits.
fn round_for_people(value: f64) -> String {
    if value == 0.0 || !value.is_finite() {
        return value.to_string();
    }
    let digits = (5 - value.abs().log10().floor() as i32).max(0) as usize;
    let text = format!("{value:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// `Ok` when `run` is a run of `demo` whose values meet every line of `goal`; else what is not
/// met, for people.
pub fn unmet(demo_id: &str, goal: &[&str], run: &RunRecord) -> Result<(), String> {
    let spec = demo(demo_id).ok_or_else(|| format!("there is no demo {demo_id}"))?;
    if run.demo != demo_id {
        return Err(format!("That run is of another demo ({}).", run.demo));
    }
    // A value the demo would have repaired was not what ran.
    for (name, raw) in &run.params {
        if let Some(param) = spec.param(name)
            && let Some(notice) = param.read(raw).1
        {
            return Err(format!("The run's {}", notice.message));
        }
    }
    let values = RunValues { spec, record: run };
    let conditions = parse_goal(goal, spec)?;
    let mut missing = Vec::new();
    for condition in &conditions {
        if !condition.holds(&values)? {
            missing.push(condition.describe(spec));
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "Not yet: the goal needs {}.",
            missing.join(", and ")
        ))
    }
}

/// This build of occam, as receipts record it: the version, and the commit where known.
pub const BUILD: &str = concat!("occam ", env!("CARGO_PKG_VERSION"));

/// The receipt a student downloads: the assignment, a name, and each answer as typed. Its
/// JSON form is documented in `docs/contract.md`; `version` grows when it changes, and a
/// reader of receipts accepts every version up to its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Receipt {
    /// Always [`Receipt::FORMAT`].
    pub format: String,
    pub version: u32,
    /// The build of occam that wrote it.
    pub build: String,
    /// ISO 8601, the student's clock.
    pub created: String,
    /// As the student typed it; may be empty.
    pub name: String,
    pub assignment: AssignmentRef,
    pub answers: Vec<ReceiptAnswer>,
}

/// Which exercises a receipt answers: a chapter's, or an assignment's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AssignmentRef {
    pub title: String,
    /// The page the student worked on (its address).
    pub link: String,
    /// The exercises' ids, in order.
    pub exercises: Vec<String>,
}

/// One answer in a receipt.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReceiptAnswer {
    pub exercise: String,
    /// [`Exercise::fingerprint`] of the version answered.
    pub fingerprint: String,
    pub answer: Answer,
}

/// Why a file is not a receipt this build can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    #[error("not a receipt: {0}")]
    NotJson(String),
    #[error("not an occam receipt{}", if .0.is_empty() { String::new() } else { format!(" (its format is “{}”)", .0) })]
    OtherFormat(String),
    #[error("made by a newer occam (receipt version {0}; this page reads up to {max})", max = Receipt::VERSION)]
    Newer(u32),
}

impl Receipt {
    pub const FORMAT: &'static str = "occam-receipt";
    pub const VERSION: u32 = 1;

    /// A receipt of this build.
    pub fn new(
        created: String,
        name: String,
        assignment: AssignmentRef,
        answers: Vec<ReceiptAnswer>,
    ) -> Self {
        Self {
            format: Self::FORMAT.to_owned(),
            version: Self::VERSION,
            build: BUILD.to_owned(),
            created,
            name,
            assignment,
            answers,
        }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a receipt, refusing other files and newer versions with a reason.
    pub fn from_json(text: &str) -> Result<Self, ReceiptError> {
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
            version: Option<u32>,
        }
        let head: Head =
            serde_json::from_str(text).map_err(|error| ReceiptError::NotJson(error.to_string()))?;
        let format = head.format.unwrap_or_default();
        if format != Self::FORMAT {
            return Err(ReceiptError::OtherFormat(format));
        }
        match head.version {
            Some(version) if version > Self::VERSION => return Err(ReceiptError::Newer(version)),
            _ => {}
        }
        serde_json::from_str(text).map_err(|error| ReceiptError::NotJson(error.to_string()))
    }

    /// The answer to exercise `id`.
    pub fn answer(&self, id: &str) -> Option<&ReceiptAnswer> {
        self.answers.iter().find(|answer| answer.exercise == id)
    }
}

/// The verdict on a receipt's answer to `exercise`, recomputed: an answer to another version
/// of the exercise is open (the text changed since), whatever the file claims.
pub fn verdict_for(exercise: &Exercise, answer: Option<&ReceiptAnswer>) -> Verdict {
    match answer {
        None => Verdict::new(State::Open, "Not answered."),
        Some(answer) if answer.fingerprint != exercise.fingerprint() => Verdict::new(
            State::Open,
            "Answered for an earlier version of this exercise.",
        ),
        Some(answer) => check(exercise, &answer.answer),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUMBER: Exercise = Exercise {
        id: "entropy-fair-coin",
        chapter: "entropy",
        kind: Kind::Number {
            answer: 1.0,
            tolerance: 0.005,
            unit: "bits",
        },
        prompt: "",
        hint: "",
        explain: "",
    };

    const OPTIONS: [Choice; 3] = [
        Choice {
            text: "a",
            is_correct: true,
            feedback: "",
        },
        Choice {
            text: "b",
            is_correct: false,
            feedback: "",
        },
        Choice {
            text: "c",
            is_correct: true,
            feedback: "",
        },
    ];

    const CHOICE: Exercise = Exercise {
        id: "x-choice",
        chapter: "entropy",
        kind: Kind::Choice { options: &OPTIONS },
        prompt: "",
        hint: "",
        explain: "",
    };

    const SHOW: Exercise = Exercise {
        id: "pca-sparse-beat-raw",
        chapter: "pca-sparse",
        kind: Kind::Show {
            demo: "pca",
            goal: &["bits-per-image < raw-bits-per-image", "k <= 16"],
            solution: "k=12",
        },
        prompt: "",
        hint: "",
        explain: "",
    };

    const PREDICT: Exercise = Exercise {
        id: "entropy-predict",
        chapter: "entropy",
        kind: Kind::Predict {
            demo: "coin-flips",
            metric: "static-bits-per-flip",
            tolerance: 0.02,
            goal: &["p = 0.9"],
            solution: "p=0.9",
        },
        prompt: "",
        hint: "",
        explain: "",
    };

    fn number(typed: &str) -> State {
        check(
            &NUMBER,
            &Answer::Number {
                typed: typed.to_owned(),
            },
        )
        .state
    }

    fn pairs(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    fn pca_run(k: &str, bits: f64, raw: f64) -> RunRecord {
        RunRecord {
            demo: "pca".to_owned(),
            params: pairs(&[("k", k), ("seed", "1")]),
            backend: "cpu".to_owned(),
            metrics: [
                ("bits-per-image".to_owned(), bits),
                ("raw-bits-per-image".to_owned(), raw),
            ]
            .into(),
            build: BUILD.to_owned(),
        }
    }

    #[test]
    fn numbers_are_read_as_people_type_them() {
        assert_eq!(read_number("0,5", ""), Some(0.5));
        assert_eq!(read_number(" 1/4 ", ""), Some(0.25));
        assert_eq!(read_number("−2", ""), Some(-2.0));
        assert_eq!(read_number("12,345", ""), Some(12345.0));
        assert_eq!(readings("1,234", ""), vec![1234.0, 1.234]);
        assert_eq!(readings("0,999", ""), vec![0.999]);
        assert_eq!(read_number("1,234.5", ""), Some(1234.5));
        assert_eq!(read_number("47%", ""), Some(0.47));
        assert_eq!(read_number("0.469 bits", "bits"), Some(0.469));
        assert_eq!(read_number("6.4 nats", "nats a point"), Some(6.4));
        assert_eq!(read_number("1/0", ""), None);
        assert_eq!(read_number("abc", ""), None);
        assert_eq!(read_number("inf", ""), None);
    }

    #[test]
    fn a_number_is_right_within_its_tolerance_and_no_further() {
        assert_eq!(number("1"), State::Solved);
        assert_eq!(number("0.996"), State::Solved);
        assert_eq!(number("1.004 bits"), State::Solved);
        assert_eq!(number("0.99"), State::Wrong);
        assert_eq!(number("2"), State::Wrong);
        assert_eq!(number("two"), State::Wrong);
        assert_eq!(number("  "), State::Open);
        assert!(
            check(&NUMBER, &Answer::Number { typed: "3".into() })
                .message
                .contains("too high")
        );
    }

    #[test]
    fn several_right_options_must_all_be_ticked_and_no_wrong_one() {
        let verdict = |picked: Vec<usize>| check(&CHOICE, &Answer::Choice { picked }).state;
        assert!(CHOICE.has_several_right());
        assert_eq!(verdict(vec![2, 0]), State::Solved);
        assert_eq!(verdict(vec![0]), State::Wrong);
        assert_eq!(verdict(vec![0, 1, 2]), State::Wrong);
        assert_eq!(verdict(vec![1]), State::Wrong);
        assert_eq!(verdict(vec![7]), State::Wrong);
        assert_eq!(verdict(vec![]), State::Open);
    }

    #[test]
    fn goals_read_names_numbers_factors_and_choice_words() {
        let pca = demo("pca").unwrap();
        let condition = Condition::parse("reconstruction-mse <= 0.5 * coded-mse", pca).unwrap();
        assert_eq!(condition.op, Op::LessOrEqual);
        assert_eq!(
            condition.right,
            Term::Name {
                factor: 0.5,
                name: "coded-mse".to_owned()
            }
        );
        assert!(Condition::parse("dataset = digits", pca).is_ok());
        assert!(Condition::parse("dataset = banana", pca).is_err());
        assert!(Condition::parse("dataset < digits", pca).is_err());
        assert!(Condition::parse("dataset < 3", pca).is_err());
        assert!(Condition::parse("k 16", pca).is_err());
        assert!(Condition::parse("nope < 3", pca).is_err());
        let layers = demo("crate-layers").unwrap();
        assert!(Condition::parse("class-rate-per-layer < 3", layers).is_err());
        assert!(Condition::parse("class-rate-last < class-rate-first", layers).is_ok());
    }

    #[test]
    fn a_show_exercise_is_solved_by_a_run_that_meets_every_condition() {
        let state = |run: Option<RunRecord>| check(&SHOW, &Answer::Show { run }).state;
        assert_eq!(state(None), State::Open);
        assert_eq!(state(Some(pca_run("12", 300.0, 512.0))), State::Solved);
        // Too many components, or more bits than raw: not met.
        assert_eq!(state(Some(pca_run("20", 300.0, 512.0))), State::Wrong);
        assert_eq!(state(Some(pca_run("12", 600.0, 512.0))), State::Wrong);
        // A value the demo would have repaired did not run as written.
        assert_eq!(state(Some(pca_run("999", 300.0, 512.0))), State::Wrong);
        let mut other = pca_run("12", 300.0, 512.0);
        other.demo = "bases".to_owned();
        assert_eq!(state(Some(other)), State::Wrong);
        let message = check(
            &SHOW,
            &Answer::Show {
                run: Some(pca_run("20", 300.0, 512.0)),
            },
        )
        .message;
        assert!(message.contains("“components kept k” ≤ 16"), "{message}");
    }

    #[test]
    fn a_prediction_is_solved_by_a_run_of_the_asked_settings_after_a_guess() {
        let run = |p: &str, bits: f64| RunRecord {
            demo: "coin-flips".to_owned(),
            params: pairs(&[("p", p)]),
            backend: "cpu".to_owned(),
            metrics: [("static-bits-per-flip".to_owned(), bits)].into(),
            build: BUILD.to_owned(),
        };
        let verdict = |guess: &str, run: Option<RunRecord>| {
            check(
                &PREDICT,
                &Answer::Predict {
                    guess: guess.to_owned(),
                    run,
                },
            )
        };
        assert_eq!(verdict("", Some(run("0.9", 0.47))).state, State::Open);
        assert_eq!(verdict("0.5", None).state, State::Open);
        assert_eq!(verdict("0.5", Some(run("0.8", 0.72))).state, State::Wrong);
        let close = verdict("0.46", Some(run("0.9", 0.469)));
        assert_eq!(close.state, State::Solved);
        assert!(close.message.contains("close"), "{}", close.message);
        let far = verdict("0.9", Some(run("0.9", 0.469)));
        assert_eq!(far.state, State::Solved);
        assert!(far.message.contains("off"), "{}", far.message);
    }

    #[test]
    fn a_receipt_round_trips_and_its_verdicts_come_from_the_answers() {
        let receipt = Receipt::new(
            "2026-12-02T10:00:00Z".to_owned(),
            "Ada".to_owned(),
            AssignmentRef {
                title: "Week 1".to_owned(),
                link: "https://x/entropy.html".to_owned(),
                exercises: vec![NUMBER.id.to_owned(), SHOW.id.to_owned()],
            },
            vec![
                ReceiptAnswer {
                    exercise: NUMBER.id.to_owned(),
                    fingerprint: NUMBER.fingerprint(),
                    answer: Answer::Number {
                        typed: "0,999".to_owned(),
                    },
                },
                ReceiptAnswer {
                    exercise: SHOW.id.to_owned(),
                    fingerprint: SHOW.fingerprint(),
                    answer: Answer::Show {
                        run: Some(pca_run("12", 300.0, 512.0)),
                    },
                },
            ],
        );
        let json = receipt.to_json();
        let read = Receipt::from_json(&json).unwrap();
        assert_eq!(read, receipt);
        assert_eq!(
            verdict_for(&NUMBER, read.answer(NUMBER.id)).state,
            State::Solved
        );
        assert_eq!(
            verdict_for(&SHOW, read.answer(SHOW.id)).state,
            State::Solved
        );
        assert_eq!(
            verdict_for(&CHOICE, read.answer(CHOICE.id)).state,
            State::Open
        );
        // An edited metric changes the verdict: nothing in the file is a verdict.
        let edited = json.replace("300.0", "900.0");
        let edited = Receipt::from_json(&edited).unwrap();
        assert_eq!(
            verdict_for(&SHOW, edited.answer(SHOW.id)).state,
            State::Wrong
        );
        // An answer to another version of the exercise is not taken for this one.
        let mut stale = read.clone();
        stale.answers[0].fingerprint = "0".repeat(16);
        assert_eq!(
            verdict_for(&NUMBER, stale.answer(NUMBER.id)).state,
            State::Open
        );
    }

    #[test]
    fn other_files_and_newer_receipts_are_refused_with_a_reason() {
        assert!(matches!(
            Receipt::from_json("not json"),
            Err(ReceiptError::NotJson(_))
        ));
        assert_eq!(
            Receipt::from_json(r#"{"format":"x","version":1}"#),
            Err(ReceiptError::OtherFormat("x".to_owned()))
        );
        assert_eq!(
            Receipt::from_json(r#"{"hello":1}"#)
                .map_err(|error| error.to_string())
                .unwrap_err(),
            "not an occam receipt"
        );
        assert_eq!(
            Receipt::from_json(r#"{"format":"occam-receipt","version":2}"#),
            Err(ReceiptError::Newer(2))
        );
    }

    #[test]
    fn the_fingerprint_follows_what_counts_as_right_not_the_wording() {
        let mut reworded = NUMBER;
        reworded.prompt = "Another wording";
        assert_eq!(reworded.fingerprint(), NUMBER.fingerprint());
        let mut changed = NUMBER;
        changed.kind = Kind::Number {
            answer: 2.0,
            tolerance: 0.005,
            unit: "bits",
        };
        assert_ne!(changed.fingerprint(), NUMBER.fingerprint());
        assert_eq!(NUMBER.fingerprint().len(), 16);
    }
}
