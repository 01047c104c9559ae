//! A tiny language for integer sequences, its prefix-free code, and a search of every program up
//! to a length: Solomonoff's predictor, restricted to a language small enough to enumerate.
//!
//! A program gives the terms a(1), a(2), …: it lists its first j terms, then one expression f
//! gives every later one, a(n) = f(n, a(n−1), a(n−2)); terms before the first count as 0.
//!
//! Its code, bit by bit:
//! - j in unary: j ones, then a zero (j + 1 bits);
//! - the j starting terms, each in the integer code ([`integer_bits`]): zigzag (0, −1, 1, −2, 2,
//!   … ↦ 0, 1, 2, 3, 4, …), then Elias's gamma code of that number plus one;
//! - the expression, node by node in prefix order, each node a 3-bit opcode ([`Expr`]); a
//!   constant's opcode is followed by the constant in the integer code.
//!
//! Each part is prefix-free and the parts follow one another, so the whole code is prefix-free:
//! by Kraft's inequality, 2^(−length) sums to at most 1 over all programs (to exactly 1 in the
//! limit, as the tests check), a prior over programs.
//!
//! The search ([`Search`]) never builds programs one by one. A program can only reproduce the
//! observed terms if the previous terms it reads are the observed ones, so each expression is
//! judged by the vector of values it takes at positions 1 … k + 1 given the observed terms.
//! Expressions with the same vector are counted together, which makes every program up to a
//! budget of two dozen bits countable in a moment.

use std::collections::{BTreeMap, HashMap};
use std::fmt;

/// Values past ±2⁶² make a program fail (as does a division by zero).
pub const LIMIT: i64 = 1 << 62;

/// A failed evaluation, in a vector of values.
const FAILED: i64 = i64::MIN;

/// Bits of a node's opcode.
pub const OPCODE_BITS: u32 = 3;

/// The integer code's intermediate number: 0, −1, 1, −2, 2, … ↦ 0, 1, 2, 3, 4, …
pub fn zigzag(value: i64) -> u64 {
    if value >= 0 {
        2 * value.unsigned_abs()
    } else {
        2 * value.unsigned_abs() - 1
    }
}

/// Bits of `value` in the integer code: Elias's gamma code of zigzag(value) + 1, which is
/// 2⌊log₂(z + 1)⌋ + 1 bits.
pub fn integer_bits(value: i64) -> u32 {
    let z = zigzag(value) + 1;
    2 * (63 - z.leading_zeros()) + 1
}

/// The integer code of `value`: ⌊log₂(z + 1)⌋ zeros, then the binary digits of z + 1.
pub fn encode_integer(value: i64, bits: &mut Vec<bool>) {
    let z = zigzag(value) + 1;
    let width = 64 - z.leading_zeros();
    bits.extend(std::iter::repeat_n(false, width as usize - 1));
    bits.extend((0..width).rev().map(|bit| z >> bit & 1 == 1));
}

/// Reads one integer of the integer code from `bits` at `*at`.
pub fn decode_integer(bits: &[bool], at: &mut usize) -> Option<i64> {
    let zeros = bits[*at..].iter().take_while(|bit| !**bit).count();
    if zeros > 62 || *at + 2 * zeros + 1 > bits.len() {
        return None;
    }
    let z = bits[*at + zeros..*at + 2 * zeros + 1]
        .iter()
        .fold(0u64, |z, &bit| z << 1 | u64::from(bit))
        - 1;
    *at += 2 * zeros + 1;
    let magnitude = i64::try_from(z.div_ceil(2)).ok()?;
    Some(if z % 2 == 1 { -magnitude } else { magnitude })
}

/// The four operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Op {
    Add,
    Sub,
    Mul,
    /// Division rounded down; by zero it fails.
    Div,
}

impl Op {
    pub const ALL: [Op; 4] = [Op::Add, Op::Sub, Op::Mul, Op::Div];

    /// `a op b`, or `None` where the program fails.
    pub fn apply(self, a: i64, b: i64) -> Option<i64> {
        let value = match self {
            Self::Add => a.checked_add(b),
            Self::Sub => a.checked_sub(b),
            Self::Mul => a.checked_mul(b),
            Self::Div => a.checked_div(b).map(|quotient| {
                if a % b != 0 && (a < 0) != (b < 0) {
                    quotient - 1
                } else {
                    quotient
                }
            }),
        }?;
        (value.unsigned_abs() < LIMIT.unsigned_abs()).then_some(value)
    }

    fn symbol(self) -> &'static str {
        match self {
            Self::Add => "+",
            Self::Sub => "−",
            Self::Mul => "×",
            Self::Div => "÷",
        }
    }

    fn precedence(self) -> u8 {
        match self {
            Self::Add | Self::Sub => 1,
            Self::Mul | Self::Div => 2,
        }
    }

    fn opcode(self) -> u8 {
        match self {
            Self::Add => 4,
            Self::Sub => 5,
            Self::Mul => 6,
            Self::Div => 7,
        }
    }
}

/// An expression for a(n): the opcodes are `n` 0, `prev` 1 (a(n−1)), `prev2` 2 (a(n−2)),
/// a constant 3, then + 4, − 5, × 6, ÷ 7.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Expr {
    N,
    Prev,
    Prev2,
    Const(i64),
    Apply(Op, Box<Expr>, Box<Expr>),
}

impl Expr {
    pub fn apply(op: Op, left: Expr, right: Expr) -> Self {
        Self::Apply(op, Box::new(left), Box::new(right))
    }

    /// Its length in bits.
    pub fn bits(&self) -> u32 {
        OPCODE_BITS
            + match self {
                Self::N | Self::Prev | Self::Prev2 => 0,
                Self::Const(value) => integer_bits(*value),
                Self::Apply(_, left, right) => left.bits() + right.bits(),
            }
    }

    /// Its value at index `n` after the terms `prev` = a(n−1) and `prev2` = a(n−2).
    pub fn eval(&self, n: i64, prev: i64, prev2: i64) -> Option<i64> {
        match self {
            Self::N => Some(n),
            Self::Prev => Some(prev),
            Self::Prev2 => Some(prev2),
            Self::Const(value) => Some(*value),
            Self::Apply(op, left, right) => {
                op.apply(left.eval(n, prev, prev2)?, right.eval(n, prev, prev2)?)
            }
        }
    }

    fn encode(&self, bits: &mut Vec<bool>) {
        let opcode = match self {
            Self::N => 0,
            Self::Prev => 1,
            Self::Prev2 => 2,
            Self::Const(_) => 3,
            Self::Apply(op, ..) => op.opcode(),
        };
        bits.extend((0..OPCODE_BITS).rev().map(|bit| opcode >> bit & 1 == 1));
        match self {
            Self::Const(value) => encode_integer(*value, bits),
            Self::Apply(_, left, right) => {
                left.encode(bits);
                right.encode(bits);
            }
            _ => {}
        }
    }

    fn decode(bits: &[bool], at: &mut usize) -> Option<Self> {
        let code = bits.get(*at..*at + OPCODE_BITS as usize)?;
        *at += OPCODE_BITS as usize;
        let opcode = code
            .iter()
            .fold(0u8, |code, &bit| code << 1 | u8::from(bit));
        Some(match opcode {
            0 => Self::N,
            1 => Self::Prev,
            2 => Self::Prev2,
            3 => Self::Const(decode_integer(bits, at)?),
            _ => {
                let op = Op::ALL[usize::from(opcode - 4)];
                let left = Self::decode(bits, at)?;
                let right = Self::decode(bits, at)?;
                Self::apply(op, left, right)
            }
        })
    }

    fn write(
        &self,
        out: &mut fmt::Formatter<'_>,
        parent_op: Option<Op>,
        is_right: bool,
    ) -> fmt::Result {
        let parent = parent_op.map_or(0, Op::precedence);
        match self {
            Self::N => write!(out, "n"),
            Self::Prev => write!(out, "a(n−1)"),
            Self::Prev2 => write!(out, "a(n−2)"),
            Self::Const(value) if *value < 0 && parent > 0 => {
                write!(out, "(−{})", value.unsigned_abs())
            }
            Self::Const(value) if *value < 0 => write!(out, "−{}", value.unsigned_abs()),
            Self::Const(value) => write!(out, "{value}"),
            Self::Apply(op, left, right) => {
                let level = op.precedence();
                // x + (y ± z) is x + y ± z; every other right operand of its own level keeps its
                // parentheses (x − (y − z), and x × (y ÷ z) with division rounded down).
                let parenthesized =
                    level < parent || (level == parent && is_right && parent_op != Some(Op::Add));
                if parenthesized {
                    write!(out, "(")?;
                }
                left.write(out, Some(*op), false)?;
                write!(out, " {} ", op.symbol())?;
                right.write(out, Some(*op), true)?;
                if parenthesized {
                    write!(out, ")")?;
                }
                Ok(())
            }
        }
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write(out, None, false)
    }
}

/// A program: its starting terms, then the rule for every later term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    pub start: Vec<i64>,
    pub rule: Expr,
}

/// Bits of the part before the rule: j in unary and the j starting terms.
pub fn header_bits(start: &[i64]) -> u32 {
    start.len() as u32 + 1 + start.iter().map(|&term| integer_bits(term)).sum::<u32>()
}

impl Program {
    /// Its length in bits.
    pub fn bits(&self) -> u32 {
        header_bits(&self.start) + self.rule.bits()
    }

    /// Its code.
    pub fn encode(&self) -> Vec<bool> {
        let mut bits = vec![true; self.start.len()];
        bits.push(false);
        for &term in &self.start {
            encode_integer(term, &mut bits);
        }
        self.rule.encode(&mut bits);
        bits
    }

    /// The program whose code begins `bits`, and how many bits it took; `None` when `bits`
    /// ends before a whole program.
    pub fn decode(bits: &[bool]) -> Option<(Self, usize)> {
        let count = bits.iter().take_while(|bit| **bit).count();
        let mut at = count + 1;
        if at > bits.len() {
            return None;
        }
        let start = (0..count)
            .map(|_| decode_integer(bits, &mut at))
            .collect::<Option<Vec<_>>>()?;
        let rule = Expr::decode(bits, &mut at)?;
        Some((Self { start, rule }, at))
    }

    /// Its first `count` terms, or `None` if it fails before.
    pub fn terms(&self, count: usize) -> Option<Vec<i64>> {
        let mut terms: Vec<i64> = Vec::with_capacity(count);
        for index in 0..count {
            let term = match self.start.get(index) {
                Some(&term) => term,
                None => {
                    let back = |by: usize| index.checked_sub(by).map_or(0, |at| terms[at]);
                    self.rule.eval(index as i64 + 1, back(1), back(2))?
                }
            };
            terms.push(term);
        }
        Some(terms)
    }
}

impl fmt::Display for Program {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.start.len() {
            0 => {}
            1 => write!(out, "a(1) = {}; ", self.start[0])?,
            count => {
                let terms: Vec<String> = self.start.iter().map(ToString::to_string).collect();
                write!(out, "a(1…{count}) = {}; ", terms.join(", "))?;
            }
        }
        write!(out, "a(n) = {}", self.rule)
    }
}

/// Where an entry of the search's tables came from, to write one of its programs out.
#[derive(Debug, Clone, Copy)]
enum Origin {
    N,
    Prev,
    Prev2,
    Const(i64),
    /// The operation on an entry of table `left.0` (index `left.1`) and one of `right`.
    Apply(Op, (u32, u32), (u32, u32)),
}

/// All the expressions of one length that take the same values at positions 1 … k + 1.
#[derive(Debug, Clone)]
struct Class {
    values: Box<[i64]>,
    count: u64,
    origin: Origin,
}

/// A consistent program found, with how many programs of its length compute the same terms.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    pub program: Program,
    pub bits: u32,
    /// Programs of this length (this one included) with the same starting terms and the same
    /// values as this rule at every position.
    pub count: u64,
    /// Its next term, or `None` where it fails there.
    pub next: Option<i64>,
}

/// What the programs up to a length say about the next term.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    /// The budget searched so far: every program of at most this many bits.
    pub bits: u32,
    /// Programs of at most `bits` bits: all of the language's.
    pub tried: u64,
    /// Those that reproduce the sequence.
    pub consistent: u64,
    /// The shortest consistent programs, shortest first (one per class of programs that
    /// compute the same terms).
    pub shortest: Vec<Found>,
    /// Each predicted next term with its total weight Σ 2^(−bits), heaviest first.
    pub weights: Vec<(i64, f64)>,
    /// Programs tried and consistent of each length 1 … `bits`.
    pub by_length: Vec<(u32, u64, u64)>,
    /// The length of the shortest consistent program that predicts each term.
    pub shortest_by_term: BTreeMap<i64, u32>,
}

impl Prediction {
    /// The total weight of the consistent programs that predict a next term.
    pub fn total_weight(&self) -> f64 {
        self.weights.iter().map(|(_, weight)| weight).sum()
    }

    /// The length of the shortest consistent program found that continues with `term`.
    pub fn shortest_for(&self, term: i64) -> Option<u32> {
        self.shortest_by_term.get(&term).copied()
    }

    /// The weight of `term`.
    pub fn weight(&self, term: i64) -> f64 {
        self.weights
            .iter()
            .find(|(value, _)| *value == term)
            .map_or(0.0, |(_, weight)| *weight)
    }
}

/// Why a sequence cannot be searched.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SequenceError {
    #[error("type at least one whole number")]
    Empty,
    #[error("“{0}” is not a whole number")]
    NotANumber(String),
    #[error("{0} is too large: the terms must lie within ±1,000,000,000")]
    TooLarge(String),
    #[error("{0} terms is too many: at most {1}")]
    TooLong(usize, usize),
}

/// The largest term a sequence may have.
pub const MAX_TERM: i64 = 1_000_000_000;

/// Reads a sequence as people type it: whole numbers separated by commas, spaces or both
/// (`2, 4, 6, 8`, `2 4 6 8`, `1;−2;3`; a Unicode minus sign reads as one).
pub fn parse_sequence(text: &str, max_terms: usize) -> Result<Vec<i64>, SequenceError> {
    let terms = text
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|word| !word.is_empty())
        .map(|word| {
            let ascii = word.replace(['−', '–'], "-");
            let digits = ascii.trim_start_matches(['-', '+']);
            if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit()) {
                return Err(SequenceError::NotANumber(word.to_owned()));
            }
            match ascii.parse::<i64>() {
                Ok(value) if value.abs() <= MAX_TERM => Ok(value),
                _ => Err(SequenceError::TooLarge(word.to_owned())),
            }
        })
        .collect::<Result<Vec<_>, _>>()?;
    if terms.is_empty() {
        Err(SequenceError::Empty)
    } else if terms.len() > max_terms {
        Err(SequenceError::TooLong(terms.len(), max_terms))
    } else {
        Ok(terms)
    }
}

/// The search, one expression length at a time ([`Search::grow`]).
#[derive(Debug, Clone)]
pub struct Search {
    observed: Vec<i64>,
    budget: u32,
    /// `tables[s]`: the classes of expressions of exactly `s` bits.
    tables: Vec<Vec<Class>>,
    /// Expressions of each length (every one, failing or not).
    expressions: Vec<u64>,
}

impl Search {
    /// A search of every program of at most `budget` bits for `observed`.
    pub fn new(observed: &[i64], budget: u32) -> Self {
        Self {
            observed: observed.to_vec(),
            budget,
            tables: vec![Vec::new()],
            expressions: vec![0],
        }
    }

    /// The longest expression any program within the budget has: after the one header bit of
    /// a program with no starting terms.
    fn longest_expression(&self) -> u32 {
        self.budget.saturating_sub(1)
    }

    /// Whether every table within the budget is built.
    pub fn is_done(&self) -> bool {
        self.tables.len() as u32 > self.longest_expression()
    }

    /// Expression lengths built so far.
    pub fn built(&self) -> u32 {
        self.tables.len() as u32 - 1
    }

    /// Expression lengths to build in all.
    pub fn total(&self) -> u32 {
        self.longest_expression()
    }

    /// Classes held in all (the search's memory, in vectors of k + 1 values).
    pub fn classes(&self) -> usize {
        self.tables.iter().map(Vec::len).sum()
    }

    /// Builds the table of the next expression length.
    pub fn grow(&mut self) {
        let size = self.tables.len() as u32;
        let k = self.observed.len();
        // The previous terms at positions 1 … k + 1, as a program that reproduces the
        // sequence sees them.
        let back = |position: usize, by: usize| -> i64 {
            position
                .checked_sub(by + 1)
                .map_or(0, |at| self.observed[at])
        };
        let mut classes: Vec<Class> = Vec::new();
        let mut index: HashMap<Box<[i64]>, usize> = HashMap::new();
        let mut count = 0u64;
        let mut add = |values: Box<[i64]>, times: u64, origin: Origin| {
            count += times;
            match index.get(&values) {
                Some(&at) => classes[at].count += times,
                None => {
                    index.insert(values.clone(), classes.len());
                    classes.push(Class {
                        values,
                        count: times,
                        origin,
                    });
                }
            }
        };
        if size == OPCODE_BITS {
            let leaves = [
                (Origin::N, Expr::N),
                (Origin::Prev, Expr::Prev),
                (Origin::Prev2, Expr::Prev2),
            ];
            for (origin, expr) in leaves {
                let values = (0..=k)
                    .map(|position| {
                        expr.eval(position as i64 + 1, back(position, 0), back(position, 1))
                            .unwrap_or(FAILED)
                    })
                    .collect();
                add(values, 1, origin);
            }
        }
        // Constants whose code is size − 3 bits: gamma codes of 2m + 1 bits hold 2^m numbers.
        if size > OPCODE_BITS && (size - OPCODE_BITS) % 2 == 1 {
            let m = (size - OPCODE_BITS - 1) / 2;
            if m < 62 {
                for z in (1u64 << m) - 1..(1u64 << (m + 1)) - 1 {
                    let magnitude = i64::try_from(z.div_ceil(2)).unwrap_or(LIMIT);
                    let value = if z % 2 == 1 { -magnitude } else { magnitude };
                    add(vec![value; k + 1].into(), 1, Origin::Const(value));
                }
            }
        }
        // Operations: 3 bits, then a left operand of `left` bits and a right one of the rest.
        for left in OPCODE_BITS..size.saturating_sub(2 * OPCODE_BITS - 1) {
            let right = size - OPCODE_BITS - left;
            if right < OPCODE_BITS {
                continue;
            }
            for op in Op::ALL {
                for (i, a) in self.tables[left as usize].iter().enumerate() {
                    for (j, b) in self.tables[right as usize].iter().enumerate() {
                        let values = a
                            .values
                            .iter()
                            .zip(b.values.iter())
                            .map(|(&x, &y)| {
                                if x == FAILED || y == FAILED {
                                    FAILED
                                } else {
                                    op.apply(x, y).unwrap_or(FAILED)
                                }
                            })
                            .collect();
                        add(
                            values,
                            a.count * b.count,
                            Origin::Apply(op, (left, i as u32), (right, j as u32)),
                        );
                    }
                }
            }
        }
        self.tables.push(classes);
        self.expressions.push(count);
    }

    /// The expression behind an entry, written out.
    fn expr(&self, size: u32, index: u32) -> Expr {
        match self.tables[size as usize][index as usize].origin {
            Origin::N => Expr::N,
            Origin::Prev => Expr::Prev,
            Origin::Prev2 => Expr::Prev2,
            Origin::Const(value) => Expr::Const(value),
            Origin::Apply(op, left, right) => {
                Expr::apply(op, self.expr(left.0, left.1), self.expr(right.0, right.1))
            }
        }
    }

    /// What the programs within the budget built so far say: every program whose header and
    /// rule fit in `min(budget, built + 1)` bits. `show` is how many of the shortest to write.
    pub fn prediction(&self, show: usize) -> Prediction {
        let k = self.observed.len();
        let bits = self.budget.min(self.built() + 1);
        // Starting-term tuples by total code length: tuples[j][t] of j integers in t bits. An
        // integer of 2m + 1 bits is one of 2^m.
        let limit = bits as usize;
        let mut tuples = vec![vec![0u64; limit + 1]];
        tuples[0][0] = 1;
        for j in 1..=limit {
            let mut next = vec![0u64; limit + 1];
            for (t, &ways) in tuples[j - 1].iter().enumerate() {
                if ways == 0 {
                    continue;
                }
                let mut length = 1;
                while t + length <= limit {
                    next[t + length] += ways << ((length - 1) / 2);
                    length += 2;
                }
            }
            tuples.push(next);
        }
        let mut tried_by_length = vec![0u64; limit + 1];
        for (j, by_total) in tuples.iter().enumerate() {
            for (t, &ways) in by_total.iter().enumerate() {
                for (size, &expressions) in self.expressions.iter().enumerate() {
                    let length = j + 1 + t + size;
                    if ways > 0 && expressions > 0 && length <= limit {
                        tried_by_length[length] += ways * expressions;
                    }
                }
            }
        }
        let mut consistent_by_length = vec![0u64; limit + 1];
        let mut found: Vec<(u32, usize, u32, u32)> = Vec::new();
        let mut weights: HashMap<i64, f64> = HashMap::new();
        let mut shortest_by_term: BTreeMap<i64, u32> = BTreeMap::new();
        for j in 0..=k {
            let header = header_bits(&self.observed[..j]);
            for (size, table) in self.tables.iter().enumerate() {
                let length = header + size as u32;
                if length > bits {
                    continue;
                }
                for (index, class) in table.iter().enumerate() {
                    if class.values[j..k] != self.observed[j..k] {
                        continue;
                    }
                    consistent_by_length[length as usize] += class.count;
                    found.push((length, j, size as u32, index as u32));
                    let next = class.values[k];
                    if next != FAILED {
                        *weights.entry(next).or_default() +=
                            class.count as f64 * 0.5f64.powi(length as i32);
                        let shortest = shortest_by_term.entry(next).or_insert(length);
                        *shortest = (*shortest).min(length);
                    }
                }
            }
        }
        // Programs that list the observed terms and more: the first extra term is their
        // prediction; the other extra terms and the rule never matter for it.
        let listed = k as u32
            + 1
            + self
                .observed
                .iter()
                .map(|&term| integer_bits(term))
                .sum::<u32>();
        for extra in 0.. {
            let base = listed + 1 + extra;
            if base + 1 + OPCODE_BITS > bits {
                break;
            }
            let mut next_bits = 1;
            while base + next_bits + OPCODE_BITS <= bits {
                let m = (next_bits - 1) / 2;
                for (t, &tuple_ways) in tuples[extra as usize].iter().enumerate() {
                    for (size, &expressions) in self.expressions.iter().enumerate() {
                        let length = base + next_bits + t as u32 + size as u32;
                        let ways = tuple_ways * expressions;
                        if ways == 0 || length > bits {
                            continue;
                        }
                        consistent_by_length[length as usize] += ways << m;
                        for z in (1u64 << m) - 1..(1u64 << (m + 1)) - 1 {
                            let magnitude = i64::try_from(z.div_ceil(2)).unwrap_or(LIMIT);
                            let next = if z % 2 == 1 { -magnitude } else { magnitude };
                            *weights.entry(next).or_default() +=
                                ways as f64 * 0.5f64.powi(length as i32);
                            let shortest = shortest_by_term.entry(next).or_insert(length);
                            *shortest = (*shortest).min(length);
                        }
                    }
                }
                next_bits += 2;
            }
        }
        found.sort_by_key(|&(length, j, size, index)| (length, j, size, index));
        let shortest = found
            .iter()
            .take(show)
            .map(|&(length, j, size, index)| {
                let class = &self.tables[size as usize][index as usize];
                Found {
                    program: Program {
                        start: self.observed[..j].to_vec(),
                        rule: self.expr(size, index),
                    },
                    bits: length,
                    count: class.count,
                    next: (class.values[k] != FAILED).then_some(class.values[k]),
                }
            })
            .collect();
        let mut weights: Vec<(i64, f64)> = weights.into_iter().collect();
        weights.sort_by(|a, b| {
            b.1.total_cmp(&a.1)
                .then(a.0.abs().cmp(&b.0.abs()))
                .then(a.0.cmp(&b.0))
        });
        Prediction {
            bits,
            tried: tried_by_length.iter().sum(),
            consistent: consistent_by_length.iter().sum(),
            shortest,
            weights,
            by_length: (1..=bits)
                .map(|length| {
                    (
                        length,
                        tried_by_length[length as usize],
                        consistent_by_length[length as usize],
                    )
                })
                .collect(),
            shortest_by_term,
        }
    }
}

/// The program that lists `observed` and then gives `next` by a constant: always consistent,
/// and a bound on the length of the shortest program that continues with `next`.
pub fn listing_program(observed: &[i64], next: i64) -> Program {
    Program {
        start: observed.to_vec(),
        rule: Expr::Const(next),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(observed: &[i64], budget: u32) -> Prediction {
        let mut search = Search::new(observed, budget);
        while !search.is_done() {
            search.grow();
        }
        search.prediction(5)
    }

    #[test]
    fn integer_code_lengths_follow_elias_gamma() {
        // Worked by hand: z = 0, 1, 2, 3, 4 for 0, −1, 1, −2, 2; gamma(z + 1) has
        // 2⌊log₂(z + 1)⌋ + 1 bits.
        let expected = [
            (0, 1),
            (-1, 3),
            (1, 3),
            (-2, 5),
            (2, 5),
            (3, 5),
            (-4, 7),
            (4, 7),
            (-8, 9),
            (7, 7),
        ];
        for (value, bits) in expected {
            assert_eq!(integer_bits(value), bits, "{value}");
            let mut code = Vec::new();
            encode_integer(value, &mut code);
            assert_eq!(code.len() as u32, bits);
            assert_eq!(decode_integer(&code, &mut 0), Some(value));
        }
        // 2 is z = 4, z + 1 = 5 = 101₂: two zeros, then 101.
        let mut code = Vec::new();
        encode_integer(2, &mut code);
        assert_eq!(code, [false, false, true, false, true]);
    }

    /// Every program up to `max` bits, by brute force over bit strings: those strings that
    /// decode to a program using all their bits.
    fn programs_by_brute_force(max: usize) -> Vec<Vec<Program>> {
        (0..=max)
            .map(|length| {
                (0u32..1 << length)
                    .filter_map(|word| {
                        let bits: Vec<bool> =
                            (0..length).rev().map(|bit| word >> bit & 1 == 1).collect();
                        Program::decode(&bits).filter(|(_, used)| length > 0 && *used == length)
                    })
                    .map(|(program, _)| program)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_code_is_prefix_free_and_its_kraft_sum_approaches_one() {
        let by_length = programs_by_brute_force(16);
        let mut kraft = 0.0;
        for (length, programs) in by_length.iter().enumerate() {
            for program in programs {
                assert_eq!(program.bits() as usize, length, "{program}");
                assert_eq!(program.encode().len(), length);
                // No shorter prefix of its code is a whole program.
                let code = program.encode();
                for cut in 1..length {
                    let decoded = Program::decode(&code[..cut]);
                    assert!(
                        decoded.is_none_or(|(_, used)| used > cut),
                        "{program} at {cut}"
                    );
                }
                kraft += 0.5f64.powi(length as i32);
            }
        }
        assert!(kraft <= 1.0, "{kraft}");
        assert!((kraft - program_kraft(16)).abs() < 1e-12, "{kraft}");
        // The expressions' Kraft sum K solves K = 3/8 + 1/8 + K²/2 (three leaves, constants
        // whose own code is complete, four operations on two expressions), so K = 1: the code
        // wastes nothing, and what is missing at 16 bits is carried by longer programs.
        assert!(program_kraft(400) > 0.9 && program_kraft(400) < 1.0);
    }

    /// Expressions of each length up to `max` bits, counted by their grammar alone: three
    /// leaves of 3 bits, 2^m constants of 3 + 2m + 1 bits, and four operations of 3 bits on two
    /// shorter expressions.
    fn expression_counts(max: usize) -> Vec<f64> {
        let mut counts = vec![0.0; max + 1];
        for size in 3..=max {
            let mut count = if size == 3 { 3.0 } else { 0.0 };
            if size > 3 && (size - 3) % 2 == 1 {
                count += 2f64.powi(((size - 4) / 2) as i32);
            }
            for left in 3..size.saturating_sub(5) {
                count += 4.0 * counts[left] * counts[size - 3 - left];
            }
            counts[size] = count;
        }
        counts
    }

    /// Σ 2^(−bits) over the programs of at most `max` bits: j + 1 header bits, starting terms
    /// whose integer code is complete, and an expression.
    fn program_kraft(max: usize) -> f64 {
        let expressions: Vec<f64> = expression_counts(max)
            .iter()
            .enumerate()
            .map(|(size, count)| count * 0.5f64.powi(size as i32))
            .collect();
        // integers[t]: the mass of one integer of t bits (2^m integers of 2m + 1 bits).
        let integers: Vec<f64> = (0..=max)
            .map(|t| {
                if t % 2 == 1 {
                    0.5f64.powi(t as i32 / 2 + 1)
                } else {
                    0.0
                }
            })
            .collect();
        let mut tuples = vec![0.0; max + 1];
        tuples[0] = 1.0;
        let mut total = 0.0;
        for j in 0..max {
            for (t, tuple) in tuples.iter().enumerate() {
                for (size, expression) in expressions.iter().enumerate() {
                    if j + 1 + t + size <= max {
                        total += 0.5f64.powi(j as i32 + 1) * tuple * expression;
                    }
                }
            }
            let mut next = vec![0.0; max + 1];
            for (t, tuple) in tuples.iter().enumerate() {
                for (b, integer) in integers.iter().enumerate() {
                    if t + b <= max {
                        next[t + b] += tuple * integer;
                    }
                }
            }
            tuples = next;
        }
        total
    }

    #[test]
    fn the_search_counts_every_program_the_brute_force_finds() {
        let by_length = programs_by_brute_force(15);
        let observed = [2, 4, 6, 8];
        let prediction = search(&observed, 15);
        for (length, tried, consistent) in &prediction.by_length {
            let programs = &by_length[*length as usize];
            assert_eq!(*tried as usize, programs.len(), "tried at {length}");
            let reproducing = programs
                .iter()
                .filter(|program| program.terms(4).as_deref() == Some(&observed[..]))
                .count();
            assert_eq!(*consistent as usize, reproducing, "consistent at {length}");
        }
        assert_eq!(
            prediction.tried as usize,
            by_length.iter().map(Vec::len).sum::<usize>()
        );
    }

    #[test]
    fn the_interpreter_is_exact() {
        let fibonacci = Program {
            start: vec![1, 1],
            rule: Expr::apply(Op::Add, Expr::Prev, Expr::Prev2),
        };
        assert_eq!(fibonacci.terms(8), Some(vec![1, 1, 2, 3, 5, 8, 13, 21]));
        // Division rounds down, also below zero; by zero it fails.
        assert_eq!(Op::Div.apply(-7, 2), Some(-4));
        assert_eq!(Op::Div.apply(7, -2), Some(-4));
        assert_eq!(Op::Div.apply(7, 2), Some(3));
        assert_eq!(Op::Div.apply(-8, 2), Some(-4));
        assert_eq!(Op::Div.apply(1, 0), None);
        assert_eq!(Op::Mul.apply(LIMIT / 2, 2), None);
        let doubling = Program {
            start: vec![1],
            rule: Expr::apply(Op::Add, Expr::Prev, Expr::Prev),
        };
        assert_eq!(doubling.terms(64), None, "2^63 is past the limit");
        assert_eq!(doubling.terms(62).map(|terms| terms[61]), Some(1 << 61));
    }

    #[test]
    fn the_shortest_programs_are_the_ones_worked_out_by_hand() {
        // (sequence, shortest length, its next term), worked out in the module's code.
        let cases: [(&[i64], u32, i64); 5] = [
            (&[2, 4, 6, 8], 10, 10),  // n + n: 1 + 3 + 3 + 3
            (&[1, 4, 9, 16], 10, 25), // n × n
            (&[1, 3, 6, 10], 10, 15), // a(n−1) + n
            (&[2, 4, 8, 16], 16, 32), // a(1) = 2 (2 + 5 bits), a(n−1) + a(n−1) (9)
            // a(1) = 1 (2 + 3 bits), then a(n−1) + a(n−2) (9): a(2) = a(1) + a(0) = 1 + 0.
            (&[1, 1, 2, 3, 5, 8], 14, 13),
        ];
        for (observed, bits, next) in cases {
            let prediction = search(observed, bits + 2);
            let first = &prediction.shortest[0];
            assert_eq!(first.bits, bits, "{observed:?}: {}", first.program);
            assert_eq!(first.program.bits(), bits);
            assert_eq!(first.next, Some(next), "{observed:?}");
            let terms = first.program.terms(observed.len() + 1).unwrap();
            assert_eq!(&terms[..observed.len()], observed);
            assert_eq!(terms[observed.len()], next);
            assert_eq!(prediction.weights[0].0, next, "{observed:?}");
        }
    }

    #[test]
    fn two_four_six_eight_predicts_ten_and_names_its_shortest_program() {
        let prediction = search(&[2, 4, 6, 8], 16);
        assert_eq!(prediction.shortest[0].program.to_string(), "a(n) = n + n");
        // 2 × n and a(n−1) + 2 are 15 bits; both continue with 10.
        // At 15 bits, 2 × n, n × 2, a(n−1) + 2 and 2 + a(n−1) take the same values given the
        // observed terms: one class of (at least) four programs.
        let fifteen: Vec<&Found> = prediction
            .shortest
            .iter()
            .filter(|found| found.bits == 15)
            .collect();
        assert_eq!(fifteen.len(), 1);
        assert!(fifteen[0].count >= 4, "{}", fifteen[0].count);
        assert_eq!(fifteen[0].next, Some(10));
        let share = prediction.weight(10) / prediction.total_weight();
        assert!(share > 0.9, "{share}");
    }

    #[test]
    fn expressions_read_as_arithmetic() {
        let n = || Box::new(Expr::N);
        let minus_one = || Box::new(Expr::Const(-1));
        let cases = [
            (
                Expr::Apply(
                    Op::Add,
                    n(),
                    Box::new(Expr::Apply(Op::Add, Box::new(Expr::Prev), minus_one())),
                ),
                "n + a(n−1) + (−1)",
            ),
            (
                Expr::Apply(
                    Op::Sub,
                    n(),
                    Box::new(Expr::Apply(Op::Sub, n(), minus_one())),
                ),
                "n − (n − (−1))",
            ),
            (
                Expr::Apply(Op::Mul, Box::new(Expr::Apply(Op::Add, n(), n())), n()),
                "(n + n) × n",
            ),
            (
                Expr::Apply(Op::Mul, n(), Box::new(Expr::Apply(Op::Div, n(), n()))),
                "n × (n ÷ n)",
            ),
            (Expr::Const(-3), "−3"),
        ];
        for (expr, text) in cases {
            assert_eq!(expr.to_string(), text);
        }
    }

    #[test]
    fn the_listing_program_always_reproduces_the_sequence() {
        let observed = [3, -1, 4, 1, 5];
        let program = listing_program(&observed, 123);
        assert_eq!(program.terms(6), Some(vec![3, -1, 4, 1, 5, 123]));
        // 6 header bits, 5 + 3 + 7 + 3 + 7 for the terms, 3 + 15 for the constant 123.
        assert_eq!(program.bits(), 6 + 25 + 18);
    }

    #[test]
    fn sequences_read_as_people_type_them() {
        assert_eq!(parse_sequence("2, 4, 6, 8", 12), Ok(vec![2, 4, 6, 8]));
        assert_eq!(parse_sequence(" 1 −2;3,,4 ", 12), Ok(vec![1, -2, 3, 4]));
        assert_eq!(parse_sequence("", 12), Err(SequenceError::Empty));
        assert_eq!(
            parse_sequence("1, x", 12),
            Err(SequenceError::NotANumber("x".into()))
        );
        assert_eq!(
            parse_sequence("1.5", 12),
            Err(SequenceError::NotANumber("1.5".into()))
        );
        assert!(matches!(
            parse_sequence("99999999999", 12),
            Err(SequenceError::TooLarge(_))
        ));
        assert!(matches!(
            parse_sequence("1 2 3", 2),
            Err(SequenceError::TooLong(3, 2))
        ));
        assert_eq!(
            parse_sequence("-", 12),
            Err(SequenceError::NotANumber("-".into()))
        );
    }

    #[test]
    fn a_wider_search_never_loses_what_a_narrower_one_found() {
        let narrow = search(&[1, 2, 4, 7], 14);
        let wide = search(&[1, 2, 4, 7], 18);
        assert!(wide.tried > narrow.tried && wide.consistent >= narrow.consistent);
        for (term, weight) in &narrow.weights {
            assert!(wide.weight(*term) >= *weight);
        }
    }
}
