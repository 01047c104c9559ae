//! Demo parameters: their specifications, their URL form, and the notices bad values earn.
//!
//! A URL query such as `p=0.9&n=100000&seed=1` becomes [`Values`] through [`parse`]. A value is
//! never fatal: one that does not parse (`p=banana`, `n=-5` for a count) falls back to the
//! default, one out of range is clamped, and each such repair yields a [`Notice`] to show.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What a parameter holds and which values it accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamKind {
    /// A real number in [min, max]; `step` is the control's granularity.
    Float {
        min: f64,
        max: f64,
        default: f64,
        step: f64,
    },
    /// A whole number in [min, max].
    Int { min: u64, max: u64, default: u64 },
    /// One of a few named options.
    Choice {
        options: &'static [&'static str],
        default: &'static str,
    },
    /// A text of 1 to `max_chars` characters, taken as typed (never trimmed). Only texts of at
    /// most `url_max_chars` characters, other than the default, go into a URL.
    Text {
        max_chars: usize,
        url_max_chars: usize,
        default: &'static str,
    },
}

/// One parameter of a demo: its URL name (also its `data-param`), label and help text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParamSpec {
    pub name: &'static str,
    pub label: &'static str,
    pub help: &'static str,
    pub kind: ParamKind,
}

/// The seed every demo takes: it fixes every random draw.
pub const SEED: ParamSpec = ParamSpec {
    name: "seed",
    label: "seed",
    help: "fixes every random draw: the same seed and parameters give the same numbers",
    kind: ParamKind::Int {
        min: 0,
        max: u64::MAX,
        default: 1,
    },
};

/// A parameter's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ParamValue {
    Float(f64),
    Int(u64),
    Choice(String),
    Text(String),
}

impl ParamValue {
    /// The value as it appears in a URL (shortest form that reads back the same).
    pub fn to_url_string(&self) -> String {
        match self {
            Self::Float(value) => value.to_string(),
            Self::Int(value) => value.to_string(),
            Self::Choice(value) | Self::Text(value) => value.clone(),
        }
    }
}

impl ParamSpec {
    /// The default value.
    pub fn default_value(&self) -> ParamValue {
        match self.kind {
            ParamKind::Float { default, .. } => ParamValue::Float(default),
            ParamKind::Int { default, .. } => ParamValue::Int(default),
            ParamKind::Choice { default, .. } => ParamValue::Choice(default.to_owned()),
            ParamKind::Text { default, .. } => ParamValue::Text(default.to_owned()),
        }
    }

    /// Whether `value` belongs in a URL: everything but long or default texts.
    pub fn fits_in_url(&self, value: &ParamValue) -> bool {
        match (self.kind, value) {
            (
                ParamKind::Text {
                    url_max_chars,
                    default,
                    ..
                },
                ParamValue::Text(text),
            ) => text != default && text.chars().nth(url_max_chars).is_none(),
            _ => true,
        }
    }

    /// Reads `raw` (from a URL or a control) into a valid value, with a notice if it had to be
    /// repaired: defaults for what does not parse, clamping for what is out of range.
    pub fn read(&self, raw: &str) -> (ParamValue, Option<Notice>) {
        let raw_trimmed = raw.trim();
        if let ParamKind::Text {
            max_chars, default, ..
        } = self.kind
        {
            return read_text(self.name, raw, max_chars, default);
        }
        let notice = |message: String| {
            Some(Notice {
                param: self.name.to_owned(),
                message,
            })
        };
        match self.kind {
            // A decimal comma ("0,5", as phones in many locales type it) reads as a point.
            ParamKind::Float {
                min, max, default, ..
            } => match raw_trimmed.replacen(',', ".", 1).parse::<f64>() {
                Ok(value) if value.is_finite() => {
                    let clamped = value.clamp(min, max);
                    (
                        ParamValue::Float(clamped),
                        (clamped != value)
                            .then(|| self.clamped_notice(raw_trimmed, value < min, clamped)),
                    )
                }
                _ => (
                    ParamValue::Float(default),
                    notice(format!(
                        "{} = “{}” is not a number from {min} to {max}; using the default {default}.",
                        self.name,
                        as_typed(raw)
                    )),
                ),
            },
            ParamKind::Int { min, max, default } => match raw_trimmed.parse::<u64>() {
                Ok(value) => {
                    let clamped = value.clamp(min, max);
                    (
                        ParamValue::Int(clamped),
                        (clamped != value)
                            .then(|| self.clamped_notice(raw_trimmed, value < min, clamped)),
                    )
                }
                Err(_) => (
                    ParamValue::Int(default),
                    notice(format!(
                        "{} = “{}” is not a whole number from {min} to {max}; using the default {default}.",
                        self.name,
                        as_typed(raw)
                    )),
                ),
            },
            ParamKind::Choice { options, default } => {
                match options.iter().find(|option| **option == raw_trimmed) {
                    Some(option) => (ParamValue::Choice((*option).to_owned()), None),
                    None => (
                        ParamValue::Choice(default.to_owned()),
                        notice(format!(
                            "{} = “{}” is not one of {}; using the default {default}.",
                            self.name,
                            as_typed(raw),
                            options.join(", ")
                        )),
                    ),
                }
            }
            ParamKind::Text { default, .. } => (ParamValue::Text(default.to_owned()), None),
        }
    }
}

impl ParamSpec {
    /// `value` moved by `by` steps (a whole number's step is 1), within the range, as typed
    /// into the control; `None` for kinds without steps.
    pub fn stepped(&self, value: &ParamValue, by: f64) -> Option<String> {
        match (self.kind, value) {
            (ParamKind::Float { min, max, step, .. }, ParamValue::Float(value)) => {
                let next = ((value + by * step) / step).round() * step;
                // Rounded to the step's decimals, so 0.1 + 0.2 reads 0.3.
                let decimals = step.log10().min(0.0).abs().ceil() as usize;
                Some(format!("{:.decimals$}", next.clamp(min, max)))
            }
            (ParamKind::Int { min, max, .. }, ParamValue::Int(value)) => {
                let next = if by < 0.0 {
                    value.saturating_sub(1)
                } else {
                    value.saturating_add(1)
                };
                Some(next.clamp(min, max).to_string())
            }
            _ => None,
        }
    }

    /// The accepted range, for people ("0.01 to 0.99", "1 to 1,000,000"); empty for choices
    /// and texts.
    pub fn range_text(&self) -> String {
        match self.kind {
            ParamKind::Float { min, max, .. } => format!("{min} to {max}"),
            ParamKind::Int {
                max: u64::MAX, min, ..
            } => format!("a whole number from {min}"),
            ParamKind::Int { min, max, .. } => format!(
                "{} to {}",
                group_thousands(min as usize),
                group_thousands(max as usize)
            ),
            ParamKind::Choice { .. } | ParamKind::Text { .. } => String::new(),
        }
    }
}

impl ParamSpec {
    /// The notice for a value `raw` outside the range, replaced by `clamped`.
    fn clamped_notice(&self, raw: &str, is_below: bool, clamped: impl std::fmt::Display) -> Notice {
        let side = if is_below {
            "below the minimum"
        } else {
            "above the maximum"
        };
        Notice {
            param: self.name.to_owned(),
            message: format!(
                "{} = {} is {side} {clamped}; using {clamped}.",
                self.name,
                as_typed(raw)
            ),
        }
    }
}

/// The characters of a typed value a notice quotes; a longer value is cut, with "…".
const QUOTED_CHARS: usize = 40;

/// A value as a notice quotes it: at most [`QUOTED_CHARS`] characters, and every control or
/// bidirectional formatting character (which could hide text or turn the rest of the notice
/// around) written as its code, `\u{202e}`.
pub fn as_typed(raw: &str) -> String {
    let is_hidden = |c: char| {
        c.is_control()
            || matches!(c, '\u{061c}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}'
                | '\u{2060}'..='\u{2069}' | '\u{feff}')
    };
    let mut quoted = String::new();
    for (count, c) in raw.chars().enumerate() {
        if count == QUOTED_CHARS {
            quoted.push('…');
            break;
        }
        if is_hidden(c) {
            quoted.push_str(&c.escape_unicode().to_string());
        } else {
            quoted.push(c);
        }
    }
    quoted
}

/// A text parameter: an empty one falls back to the default, a long one is cut to `max_chars`
/// characters (the rest is ignored, and the person told so).
fn read_text(
    name: &str,
    raw: &str,
    max_chars: usize,
    default: &str,
) -> (ParamValue, Option<Notice>) {
    let notice = |message: String| {
        Some(Notice {
            param: name.to_owned(),
            message,
        })
    };
    if raw.is_empty() {
        return (
            ParamValue::Text(default.to_owned()),
            notice(format!("{name} is empty; using the default text.")),
        );
    }
    match raw.char_indices().nth(max_chars) {
        None => (ParamValue::Text(raw.to_owned()), None),
        Some((cut, _)) => {
            let length = raw.chars().count();
            (
                ParamValue::Text(raw[..cut].to_owned()),
                notice(format!(
                    "The {name} has {} characters; this demo takes at most {}, so only the first {} are used.",
                    group_thousands(length),
                    group_thousands(max_chars),
                    group_thousands(max_chars)
                )),
            )
        }
    }
}

/// 1234567 → "1,234,567".
pub fn group_thousands(value: usize) -> String {
    let digits = value.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// A repair made to a parameter, to be shown to the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notice {
    pub param: String,
    pub message: String,
}

/// A demo's parameter values, by name.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Values(pub BTreeMap<String, ParamValue>);

impl Values {
    /// Every parameter at its default.
    pub fn defaults(specs: &[ParamSpec]) -> Self {
        Self(
            specs
                .iter()
                .map(|spec| (spec.name.to_owned(), spec.default_value()))
                .collect(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&ParamValue> {
        self.0.get(name)
    }

    pub fn set(&mut self, name: &str, value: ParamValue) {
        self.0.insert(name.to_owned(), value);
    }

    /// A real-valued parameter (an integer one is widened).
    pub fn float(&self, name: &str) -> Result<f64, MissingParam> {
        match self.get(name) {
            Some(ParamValue::Float(value)) => Ok(*value),
            Some(ParamValue::Int(value)) => Ok(*value as f64),
            _ => Err(MissingParam(name.to_owned())),
        }
    }

    /// A whole-number parameter.
    pub fn int(&self, name: &str) -> Result<u64, MissingParam> {
        match self.get(name) {
            Some(ParamValue::Int(value)) => Ok(*value),
            _ => Err(MissingParam(name.to_owned())),
        }
    }

    /// A choice parameter.
    pub fn choice(&self, name: &str) -> Result<&str, MissingParam> {
        match self.get(name) {
            Some(ParamValue::Choice(value)) => Ok(value),
            _ => Err(MissingParam(name.to_owned())),
        }
    }

    /// The seed (every demo has one).
    pub fn seed(&self) -> Result<u64, MissingParam> {
        self.int(SEED.name)
    }

    /// A text parameter.
    pub fn text(&self, name: &str) -> Result<&str, MissingParam> {
        match self.get(name) {
            Some(ParamValue::Text(value)) => Ok(value),
            _ => Err(MissingParam(name.to_owned())),
        }
    }

    /// `name=value` pairs in the order of `specs`, for a URL (without what does not fit in one:
    /// see [`ParamSpec::fits_in_url`]).
    pub fn to_pairs(&self, specs: &[ParamSpec]) -> Vec<(String, String)> {
        specs
            .iter()
            .filter_map(|spec| {
                self.get(spec.name)
                    .filter(|value| spec.fits_in_url(value))
                    .map(|value| (spec.name.to_owned(), value.to_url_string()))
            })
            .collect()
    }
}

/// A parameter a demo needed was not in its [`Values`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("parameter `{0}` is missing or of the wrong kind")]
pub struct MissingParam(pub String);

/// Values read from a URL's pairs, and the notices for what was repaired.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Parsed {
    pub values: Values,
    pub notices: Vec<Notice>,
}

/// Reads the parameters of `specs` from URL `pairs`; names not in `specs` are left alone (the
/// page may know them). The last occurrence of a repeated name wins.
pub fn parse<'a>(
    specs: &[ParamSpec],
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> Parsed {
    let mut raw: BTreeMap<&str, &str> = BTreeMap::new();
    for (name, value) in pairs {
        raw.insert(name, value);
    }
    let mut parsed = Parsed {
        values: Values::defaults(specs),
        notices: Vec::new(),
    };
    for spec in specs {
        if let Some(raw_value) = raw.get(spec.name) {
            let (value, notice) = spec.read(raw_value);
            parsed.values.set(spec.name, value);
            parsed.notices.extend(notice);
        }
    }
    parsed
}

/// Where a demo keeps its values in its page's URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlScope {
    /// The demo is alone on its page (the embed view): plain `name=value`.
    Alone,
    /// The demo shares its page with others (a chapter): `<demo>.name=value`, so that two demos
    /// with a parameter of the same name (`seed`, `p`) keep their own values.
    Shared,
}

/// `<demo>.<name>`: a parameter's name for one demo of a page.
pub fn scoped_name(demo: &str, name: &str) -> String {
    format!("{demo}.{name}")
}

/// Reads demo `demo`'s parameters from URL `pairs`: `<demo>.name` wins over a plain `name`
/// (the form of links made before demos had their own names, still read on every page).
pub fn parse_for<'a>(
    demo: &str,
    specs: &[ParamSpec],
    pairs: impl IntoIterator<Item = (&'a str, &'a str)> + Clone,
) -> Parsed {
    let prefix = scoped_name(demo, "");
    let plain = pairs
        .clone()
        .into_iter()
        .filter(|(name, _)| !name.contains('.'));
    let scoped = pairs
        .into_iter()
        .filter_map(|(name, value)| Some((name.strip_prefix(prefix.as_str())?, value)));
    parse(specs, plain.chain(scoped))
}

/// The query after demo `demo` writes `values`: its earlier pairs (both forms) give way to its
/// current ones, in the place of the first of them (at the end if none); every other pair stays
/// where it is. In [`UrlScope::Shared`] the plain names go too: each demo of the page has read
/// them when the page opened, and now keeps its own.
pub fn write_query(
    query: &[(String, String)],
    demo: &str,
    specs: &[ParamSpec],
    values: &Values,
    scope: UrlScope,
) -> Vec<(String, String)> {
    let prefix = scoped_name(demo, "");
    let is_ours = |name: &str| {
        let bare = name.strip_prefix(prefix.as_str()).unwrap_or(name);
        specs.iter().any(|spec| spec.name == bare)
    };
    let ours = values
        .to_pairs(specs)
        .into_iter()
        .map(|(name, value)| match scope {
            UrlScope::Alone => (name, value),
            UrlScope::Shared => (scoped_name(demo, &name), value),
        });
    let at = query.iter().position(|(name, _)| is_ours(name));
    let mut kept: Vec<(String, String)> = query
        .iter()
        .filter(|(name, _)| !is_ours(name))
        .cloned()
        .collect();
    let at = at.map_or(kept.len(), |at| {
        query[..at]
            .iter()
            .filter(|(name, _)| !is_ours(name))
            .count()
    });
    kept.splice(at..at, ours);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: ParamSpec = ParamSpec {
        name: "p",
        label: "p",
        help: "",
        kind: ParamKind::Float {
            min: 0.0,
            max: 1.0,
            default: 0.9,
            step: 0.01,
        },
    };
    const N: ParamSpec = ParamSpec {
        name: "n",
        label: "n",
        help: "",
        kind: ParamKind::Int {
            min: 1,
            max: 1_000_000,
            default: 10_000,
        },
    };
    const MODE: ParamSpec = ParamSpec {
        name: "mode",
        label: "mode",
        help: "",
        kind: ParamKind::Choice {
            options: &["a", "b"],
            default: "a",
        },
    };
    const SPECS: [ParamSpec; 4] = [P, N, MODE, SEED];

    const TEXT: ParamSpec = ParamSpec {
        name: "text",
        label: "text",
        help: "",
        kind: ParamKind::Text {
            max_chars: 10,
            url_max_chars: 4,
            default: "default",
        },
    };

    #[test]
    fn texts_are_kept_as_typed_cut_when_long_and_short_ones_go_in_urls() {
        assert_eq!(
            TEXT.read(" <b>x</b> ").0,
            ParamValue::Text(" <b>x</b> ".into())
        );
        let (value, notice) = TEXT.read("ünïcödé 日本語 and more");
        assert_eq!(value, ParamValue::Text("ünïcödé 日本".into()));
        assert!(notice.unwrap().message.contains("has 20 characters"));
        let (value, notice) = TEXT.read("");
        assert_eq!(value, ParamValue::Text("default".into()));
        assert!(notice.is_some());
        assert!(TEXT.fits_in_url(&ParamValue::Text("abcd".into())));
        assert!(!TEXT.fits_in_url(&ParamValue::Text("abcde".into())));
        assert!(!TEXT.fits_in_url(&ParamValue::Text("default".into())));
        let values = parse(&[TEXT, SEED], [("text", "abc")]).values;
        assert_eq!(values.text("text").unwrap(), "abc");
        assert_eq!(
            values.to_pairs(&[TEXT, SEED]),
            vec![("text".into(), "abc".into()), ("seed".into(), "1".into())]
        );
        assert_eq!(group_thousands(1_048_576), "1,048,576");
        assert_eq!(group_thousands(999), "999");
    }

    #[test]
    fn good_values_are_read_without_notices() {
        let parsed = parse(
            &SPECS,
            [
                ("p", "0.25"),
                ("n", "100000"),
                ("mode", "b"),
                ("seed", "18446744073709551615"),
            ],
        );
        assert!(parsed.notices.is_empty());
        assert_eq!(parsed.values.float("p"), Ok(0.25));
        assert_eq!(parsed.values.int("n"), Ok(100_000));
        assert_eq!(parsed.values.choice("mode"), Ok("b"));
        assert_eq!(parsed.values.seed(), Ok(u64::MAX));
    }

    #[test]
    fn nonsense_falls_back_to_defaults_with_notices() {
        let parsed = parse(
            &SPECS,
            [
                ("p", "banana"),
                ("n", "-5"),
                ("mode", "<script>"),
                ("p", "NaN"),
            ],
        );
        assert_eq!(parsed.values, Values::defaults(&SPECS));
        let names: Vec<&str> = parsed
            .notices
            .iter()
            .map(|notice| notice.param.as_str())
            .collect();
        assert_eq!(names, ["p", "n", "mode"]);
        assert!(parsed.notices[1].message.contains("default 10000"));
    }

    #[test]
    fn out_of_range_is_clamped_with_a_notice() {
        let parsed = parse(&SPECS, [("p", "1.5"), ("n", "0"), ("q", "3")]);
        assert_eq!(parsed.values.float("p"), Ok(1.0));
        assert_eq!(parsed.values.int("n"), Ok(1));
        assert_eq!(parsed.notices.len(), 2);
        assert_eq!(
            parsed.values.0.len(),
            SPECS.len(),
            "unknown names are not taken"
        );
    }

    #[test]
    fn url_form_reads_back_the_same() {
        let mut values = Values::defaults(&SPECS);
        values.set("p", ParamValue::Float(0.1 + 0.2));
        let pairs = values.to_pairs(&SPECS);
        let back = parse(
            &SPECS,
            pairs
                .iter()
                .map(|(name, value)| (name.as_str(), value.as_str())),
        );
        assert_eq!(back.values, values);
        assert!(back.notices.is_empty());
    }

    fn pairs(query: &[(&str, &str)]) -> Vec<(String, String)> {
        query
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn a_demo_reads_its_own_names_first_and_plain_ones_from_old_links() {
        let query = [("p", "0.7"), ("a.p", "0.2"), ("b.n", "5"), ("seed", "3")];
        let a = parse_for("a", &SPECS, query.iter().copied()).values;
        assert_eq!(a.float("p"), Ok(0.2));
        assert_eq!(a.int("n"), Ok(10_000), "b's n is not a's");
        assert_eq!(a.seed(), Ok(3));
        let b = parse_for("b", &SPECS, query.iter().copied()).values;
        assert_eq!(b.float("p"), Ok(0.7));
        assert_eq!(b.int("n"), Ok(5));
        // A name that only starts like a demo's ("ab.p") is not that demo's.
        let ab = parse_for("a", &SPECS, [("ab.p", "0.1")]).values;
        assert_eq!(ab.float("p"), Ok(0.9));
    }

    #[test]
    fn writing_a_demo_keeps_the_other_demos_and_the_page_names_in_place() {
        let mut values = Values::defaults(&[P, SEED]);
        values.set("p", ParamValue::Float(0.5));
        let query = pairs(&[
            ("backend", "cpu"),
            ("p", "0.7"),
            ("b.p", "0.1"),
            ("a.seed", "9"),
            ("x", "1"),
        ]);
        assert_eq!(
            write_query(&query, "a", &[P, SEED], &values, UrlScope::Shared),
            pairs(&[
                ("backend", "cpu"),
                ("a.p", "0.5"),
                ("a.seed", "1"),
                ("b.p", "0.1"),
                ("x", "1"),
            ])
        );
        assert_eq!(
            write_query(&query, "a", &[P, SEED], &values, UrlScope::Alone),
            pairs(&[
                ("backend", "cpu"),
                ("p", "0.5"),
                ("seed", "1"),
                ("b.p", "0.1"),
                ("x", "1"),
            ])
        );
        assert_eq!(
            write_query(
                &pairs(&[("demo", "a")]),
                "a",
                &[P],
                &values,
                UrlScope::Alone
            ),
            pairs(&[("demo", "a"), ("p", "0.5")])
        );
    }

    #[test]
    fn a_text_too_long_for_the_url_leaves_it() {
        let mut values = Values::defaults(&[TEXT]);
        values.set("text", ParamValue::Text("long text".into()));
        let query = pairs(&[("a.text", "abc"), ("seed", "2")]);
        assert_eq!(
            write_query(&query, "a", &[TEXT], &values, UrlScope::Shared),
            pairs(&[("seed", "2")])
        );
    }

    #[test]
    fn a_notice_quotes_a_value_short_and_visible() {
        let long = "7".repeat(5_000);
        let (_, notice) = N.read(&format!("x{long}"));
        let message = notice.expect("repaired").message;
        assert!(message.chars().count() < 200, "{message}");
        assert!(
            message.contains(&format!("x{}…", "7".repeat(39))),
            "{message}"
        );
        // A right-to-left override would turn the rest of the notice around: it is shown as
        // its code, and so are controls (a NUL from `%00`).
        let (_, notice) = MODE.read("a\u{202e}b\0c");
        let message = notice.expect("repaired").message;
        assert!(message.contains("a\\u{202e}b\\u{0}c"), "{message}");
        assert!(
            !message.contains('\u{202e}') && !message.contains('\0'),
            "{message}"
        );
        // A plain value is quoted as it was typed.
        assert_eq!(as_typed("0,5x"), "0,5x");
        assert_eq!(as_typed("٣"), "٣");
    }

    #[test]
    fn arrow_keys_step_within_the_range() {
        assert_eq!(
            P.stepped(&ParamValue::Float(0.9), 1.0).as_deref(),
            Some("0.91")
        );
        assert_eq!(
            P.stepped(&ParamValue::Float(1.0), 1.0).as_deref(),
            Some("1.00")
        );
        assert_eq!(
            P.stepped(&ParamValue::Float(0.1), -1.0).as_deref(),
            Some("0.09")
        );
        assert_eq!(N.stepped(&ParamValue::Int(1), -1.0).as_deref(), Some("1"));
        assert_eq!(
            SEED.stepped(&ParamValue::Int(u64::MAX), 1.0).as_deref(),
            Some("18446744073709551615")
        );
        assert_eq!(MODE.stepped(&ParamValue::Choice("a".into()), 1.0), None);
        assert_eq!(N.range_text(), "1 to 1,000,000");
        assert_eq!(SEED.range_text(), "a whole number from 0");
    }

    #[test]
    fn a_decimal_comma_reads_as_a_point() {
        assert_eq!(P.read("0,25"), (ParamValue::Float(0.25), None));
        assert!(P.read("0,2,5").1.is_some(), "one comma at most");
    }

    #[test]
    fn a_notice_quotes_what_was_typed() {
        let (value, notice) = N.read("abc");
        assert_eq!(value, ParamValue::Int(10_000));
        assert!(
            notice
                .unwrap()
                .message
                .starts_with("n = “abc” is not a whole number")
        );
    }
}
