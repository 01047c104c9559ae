#!/usr/bin/env python3
"""Converts the chapter pages written as Leptos `view!` macros into Markdown with TeX math.

Kept as the record of a one-time conversion: it made chapters/*.md from web/src/chapters/*.rs as
they were at commit 89f1f70 (check that tree out to run it again). Every math span of the five
chapters then matched the old MathML by scripts/compare_mathml.py (34/34, 23/23, 101/101,
131/131, 106/106); chapter 1's spans before the conversion are in
scripts/mathml-before-entropy.json. The chapters have been edited since, in Markdown.

Each chapter component in web/src/chapters/*.rs is a `view!` of <p>, <h2>, <ul>/<ol>, inline
<em>/<strong>/<code>/<cite>, math as MathML (`<Equation mathml=CONST/>` for display math,
`<M mathml="..."/>` inline) and demo placements `{view_for(&module::SPEC)}`. This script reads
that macro mechanically and writes the same words, in the same order, as CommonMark:

  * one paragraph a line; `<em>` -> *x*, `<strong>` -> **x**, `<code>` -> `x`, `<cite>` kept as
    inline HTML; `<h2>` -> `## `, `<h3>` -> `### `; lists as `- ` and `1. `, `2. `, ...;
  * inline math as $TEX$, display math as its own paragraph between `$$` lines;
  * demos as `::demo{id=...}`, the id read from the demo's `SPEC` in crates/occam-demos/src;
  * the kicker (`<p class="kicker">`) and the `<h1>` are dropped (the page supplies them).

Whatever it cannot express (any other element, attribute or Rust expression) is left out and
reported on stderr with its file and line; the exit status is then 1.

The MathML is converted to TeX by `mathml_to_tex`, which knows exactly the MathML subset the
chapters use (math, mi, mo, mn, mtext, mspace, mrow, msub, msup, msubsup, mfrac, msqrt, munder,
mover, munderover) and fails loudly on anything else.

usage: scripts/chapters_from_rust.py [--out DIR] [--mathml-index FILE.json]
    --out DIR             where to write the Markdown files (default: chapters/)
    --mathml-index FILE   also write, per chapter, every math span in document order with its
                          Markdown line, its TeX and the original MathML (for compare_mathml.py)
"""
import argparse
import json
import pathlib
import re
import sys
import unicodedata
import xml.etree.ElementTree as ET

ROOT = pathlib.Path(__file__).resolve().parent.parent
CHAPTERS = ROOT / "web" / "src" / "chapters"
DEMOS = ROOT / "crates" / "occam-demos" / "src"

# (source file, component, output file)
JOBS = [
    ("entropy.rs", "Entropy", "01-entropy.md"),
    ("pca_sparse.rs", "PcaSparse", "02-pca-sparse.md"),
    ("diffusion.rs", "Diffusion", "03-diffusion.md"),
    ("coding_rate.rs", "CodingRate", "04-coding-rate.md"),
    ("crate_chapter.rs", "CrateChapter", "05-crate.md"),
]


class Unsupported(Exception):
    """Something in the view that this converter cannot express."""


# --------------------------------------------------------------------------------------------
# Rust source: string literals, consts, the view! macro
# --------------------------------------------------------------------------------------------

RUST_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", "\\": "\\", '"': '"', "'": "'"}


def decode_rust_string(body):
    """The value of a (non-raw) Rust string literal, given the text between its quotes."""
    out = []
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        e = body[i + 1]
        if e in RUST_ESCAPES:
            out.append(RUST_ESCAPES[e])
            i += 2
        elif e == "x":
            out.append(chr(int(body[i + 2 : i + 4], 16)))
            i += 4
        elif e == "u":
            close = body.index("}", i)
            out.append(chr(int(body[i + 3 : close], 16)))
            i = close + 1
        elif e == "\n":
            # line continuation: skip the newline and the next line's leading whitespace
            i += 2
            while i < len(body) and body[i] in " \t\n\r":
                i += 1
        else:
            raise Unsupported(f"unknown Rust escape \\{e}")
    return "".join(out)


def scan_string(src, i):
    """Given src[i] == '"' (or an r/r#... raw string start), return (value, end index)."""
    if src[i] == "r":
        j = i + 1
        hashes = 0
        while src[j] == "#":
            hashes += 1
            j += 1
        assert src[j] == '"'
        end = src.index('"' + "#" * hashes, j + 1)
        return src[j + 1 : end], end + 1 + hashes
    assert src[i] == '"'
    j = i + 1
    while True:
        c = src[j]
        if c == "\\":
            j += 2
        elif c == '"':
            return decode_rust_string(src[i + 1 : j]), j + 1
        else:
            j += 1


def line_of(src, index):
    return src.count("\n", 0, index) + 1


def rust_consts(src):
    """Every `const NAME: &str = "...";` of the file, by name."""
    consts = {}
    for m in re.finditer(r'const\s+([A-Z_][A-Z0-9_]*)\s*:\s*&(?:\'static\s+)?str\s*=\s*(r#*"|")', src):
        value, _ = scan_string(src, m.start(2))
        consts[m.group(1)] = value
    return consts


def matching_brace(src, open_index):
    """Index of the brace closing the one at open_index, skipping string and char literals."""
    depth = 0
    i = open_index
    while i < len(src):
        c = src[i]
        if c == '"' or (c == "r" and re.match(r'r#*"', src[i:]) and not src[i - 1].isalnum()):
            _, i = scan_string(src, i)
            continue
        if c == "/" and src.startswith("//", i):
            i = src.index("\n", i)
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise Unsupported("unbalanced braces")


def view_body(src, component):
    """(start, end) of the inside of the component's `view! { ... }`."""
    m = re.search(r"pub fn %s\(\)\s*->\s*impl IntoView\s*\{" % re.escape(component), src)
    if not m:
        raise Unsupported(f"component {component} not found")
    v = src.index("view!", m.end())
    brace = src.index("{", v)
    return brace + 1, matching_brace(src, brace)


# --------------------------------------------------------------------------------------------
# The view! macro: a small tokenizer and tree builder
# --------------------------------------------------------------------------------------------


class Node:
    def __init__(self, kind, name=None, attrs=None, text=None, line=0):
        self.kind = kind  # "element", "text", "expr"
        self.name = name
        self.attrs = attrs or {}
        self.text = text
        self.line = line
        self.children = []

    def __repr__(self):
        return f"Node({self.kind}, {self.name or self.text!r}, line {self.line})"


def parse_view(src, start, end):
    """The view! macro between start and end as a root Node."""
    root = Node("element", "#root")
    stack = [root]
    i = start
    while i < end:
        c = src[i]
        if c.isspace():
            i += 1
        elif c == '"' or (c == "r" and re.match(r'r#*"', src[i:])):
            value, j = scan_string(src, i)
            stack[-1].children.append(Node("text", text=value, line=line_of(src, i)))
            i = j
        elif c == "{":
            close = matching_brace(src, i)
            stack[-1].children.append(Node("expr", text=src[i + 1 : close].strip(), line=line_of(src, i)))
            i = close + 1
        elif src.startswith("</", i):
            m = re.compile(r"</\s*([A-Za-z][A-Za-z0-9_:-]*)\s*>").match(src, i)
            if not m:
                raise Unsupported(f"line {line_of(src, i)}: bad closing tag")
            name = m.group(1)
            if stack[-1].name != name:
                raise Unsupported(f"line {line_of(src, i)}: </{name}> closes <{stack[-1].name}>")
            stack.pop()
            i = m.end()
        elif c == "<":
            line = line_of(src, i)
            m = re.compile(r"<\s*([A-Za-z][A-Za-z0-9_:-]*)").match(src, i)
            if not m:
                raise Unsupported(f"line {line}: bad tag")
            name = m.group(1)
            i = m.end()
            attrs = {}
            self_closing = False
            while True:
                while src[i].isspace():
                    i += 1
                if src.startswith("/>", i):
                    self_closing = True
                    i += 2
                    break
                if src[i] == ">":
                    i += 1
                    break
                am = re.compile(r"([A-Za-z_][A-Za-z0-9_:-]*)").match(src, i)
                if not am:
                    raise Unsupported(f"line {line}: bad attribute in <{name}>")
                key = am.group(1)
                i = am.end()
                while src[i].isspace():
                    i += 1
                if src[i] != "=":
                    attrs[key] = True
                    continue
                i += 1
                while src[i].isspace():
                    i += 1
                if src[i] == '"' or (src[i] == "r" and re.match(r'r#*"', src[i:])):
                    value, i = scan_string(src, i)
                    attrs[key] = ("str", value)
                elif src[i] == "{":
                    close = matching_brace(src, i)
                    attrs[key] = ("expr", src[i + 1 : close].strip())
                    i = close + 1
                else:
                    vm = re.compile(r"[A-Za-z_][A-Za-z0-9_:]*").match(src, i)
                    if not vm:
                        raise Unsupported(f"line {line}: bad attribute value in <{name}>")
                    attrs[key] = ("ident", vm.group(0))
                    i = vm.end()
            node = Node("element", name, attrs, line=line)
            stack[-1].children.append(node)
            if not self_closing:
                stack.append(node)
        else:
            raise Unsupported(f"line {line_of(src, i)}: unexpected {src[i:i + 20]!r}")
    if len(stack) != 1:
        raise Unsupported(f"<{stack[-1].name}> (line {stack[-1].line}) is never closed")
    return root


# --------------------------------------------------------------------------------------------
# MathML -> TeX
# --------------------------------------------------------------------------------------------

GREEK = {
    "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "ϵ": r"\epsilon", "ζ": r"\zeta", "η": r"\eta", "θ": r"\theta", "ϑ": r"\vartheta",
    "ι": r"\iota", "κ": r"\kappa", "λ": r"\lambda", "μ": r"\mu", "ν": r"\nu", "ξ": r"\xi",
    "π": r"\pi", "ϖ": r"\varpi", "ρ": r"\rho", "ϱ": r"\varrho", "σ": r"\sigma", "ς": r"\varsigma",
    "τ": r"\tau", "υ": r"\upsilon", "φ": r"\varphi", "ϕ": r"\phi", "χ": r"\chi", "ψ": r"\psi",
    "ω": r"\omega",
    "Γ": r"\Gamma", "Δ": r"\Delta", "Θ": r"\Theta", "Λ": r"\Lambda", "Ξ": r"\Xi", "Π": r"\Pi",
    "Σ": r"\Sigma", "Υ": r"\Upsilon", "Φ": r"\Phi", "Ψ": r"\Psi", "Ω": r"\Omega",
}

# Identifiers and operators that are single non-ASCII characters.
SYMBOLS = {
    **GREEK,
    "ℓ": r"\ell", "∞": r"\infty", "⊤": r"\top", "∂": r"\partial", "∇": r"\nabla",
    "−": "-", "∑": r"\sum", "∏": r"\prod", "∫": r"\int", "×": r"\times", "·": r"\cdot",
    "⋅": r"\cdot", "≤": r"\le", "≥": r"\ge", "≈": r"\approx", "∣": r"\mid", "‖": r"\|",
    "→": r"\to", "…": r"\ldots", "⋯": r"\cdots", "∈": r"\in", "⌊": r"\lfloor", "⌋": r"\rfloor",
    "⌈": r"\lceil", "⌉": r"\rceil", "⟨": r"\langle", "⟩": r"\rangle", "∝": r"\propto",
    "≠": r"\ne", "±": r"\pm", "∼": r"\sim", "⊙": r"\odot", "⊗": r"\otimes", "∘": r"\circ",
    "≪": r"\ll", "≫": r"\gg", "⇝": r"\leadsto", "′": r"\prime", "≡": r"\equiv", "⇒": r"\Rightarrow",
    "↦": r"\mapsto", "∀": r"\forall", "∃": r"\exists", "∪": r"\cup", "∩": r"\cap",
    "⊂": r"\subset", "⊆": r"\subseteq", "∅": r"\emptyset", "†": r"\dagger",
    "{": r"\{", "}": r"\}", "#": r"\#", "%": r"\%", "&": r"\&", "$": r"\$", "_": r"\_",
}

# Letters in Unicode's mathematical alphanumeric forms, as \mathbb, \mathcal, ...
LETTERLIKE = {
    "ℝ": r"\mathbb{R}", "ℕ": r"\mathbb{N}", "ℤ": r"\mathbb{Z}", "ℚ": r"\mathbb{Q}",
    "ℂ": r"\mathbb{C}", "ℙ": r"\mathbb{P}", "ℰ": r"\mathcal{E}", "ℱ": r"\mathcal{F}",
    "ℒ": r"\mathcal{L}", "ℋ": r"\mathcal{H}", "ℐ": r"\mathcal{I}", "ℳ": r"\mathcal{M}",
    "ℛ": r"\mathcal{R}", "ℬ": r"\mathcal{B}",
}

# Multi-letter identifiers/operators LaTeX (and math-core) know as commands.
NAMED_FUNCTIONS = {
    "log", "ln", "exp", "det", "max", "min", "arg", "sin", "cos", "tan", "lim", "sup", "inf",
    "sinh", "cosh", "tanh", "dim", "ker", "deg", "gcd", "Pr", "lg",
}
# Multi-letter identifiers that are products of single-letter indices, not names.
INDEX_PRODUCTS = {"ij"}

MATHVARIANT = {
    "normal": r"\mathrm", "bold": r"\mathbf", "italic": r"\mathit", "double-struck": r"\mathbb",
    "script": r"\mathcal", "fraktur": r"\mathfrak", "sans-serif": r"\mathsf",
    "monospace": r"\mathtt", "bold-italic": r"\boldsymbol",
}

# (width in em, command)
# The widths the chapters' MathML uses for TeX's own spaces.
EXACT_SPACES = {0.1: r"\,", 0.17: r"\,", 0.1667: r"\,", 0.2: r"\:", 0.22: r"\:", 0.2222: r"\:",
                0.27: r"\;", 0.28: r"\;", 0.2778: r"\;", 1.0: r"\quad", 2.0: r"\qquad"}
SPACES = [(0.1667, r"\,"), (0.2222, r"\:"), (0.2778, r"\;"), (1.0, r"\quad"), (2.0, r"\qquad")]

LARGE_OPERATORS = {"∑", "∏", "∫", "⋃", "⋂"}
LIMIT_NAMES = {"min", "max", "lim", "sup", "inf"}

ACCENTS_OVER = {"^": r"\hat", "ˆ": r"\hat", "¯": r"\bar", "‾": r"\overline", "~": r"\tilde",
                "˜": r"\tilde", "→": r"\vec", "˙": r"\dot", "¨": r"\ddot", "⏞": r"\overbrace"}
UNDERBRACE = "⏟"


def math_alnum_to_tex(ch):
    """\\mathbb{E} for 𝔼 and so on, from the Unicode character name."""
    if ch in LETTERLIKE:
        return LETTERLIKE[ch]
    try:
        name = unicodedata.name(ch)
    except ValueError:
        return None
    m = re.match(r"MATHEMATICAL (.+) (CAPITAL|SMALL) ([A-Z])$", name)
    if not m:
        return None
    style = {
        "DOUBLE-STRUCK": r"\mathbb", "SCRIPT": r"\mathcal", "BOLD SCRIPT": r"\mathbcal",
        "FRAKTUR": r"\mathfrak", "BOLD": r"\mathbf", "SANS-SERIF": r"\mathsf",
        "MONOSPACE": r"\mathtt", "BOLD ITALIC": r"\boldsymbol", "ITALIC": "",
    }.get(m.group(1))
    if style is None:
        return None
    letter = m.group(3) if m.group(2) == "CAPITAL" else m.group(3).lower()
    return f"{style}{{{letter}}}" if style else letter


class Tex:
    """Converts one MathML fragment; `unsure` collects constructs worth a second look."""

    def __init__(self):
        self.unsure = []

    # --- leaves ---------------------------------------------------------------------------

    def char(self, ch, where):
        if ch.isascii():
            if ch in "{}#%&$_":
                return SYMBOLS[ch]
            if ch == "\\":
                return r"\backslash"
            if ch == "~":
                return r"\sim"
            if ch == "^":
                return r"\hat{}"
            return ch
        if ch in SYMBOLS:
            return SYMBOLS[ch]
        alnum = math_alnum_to_tex(ch)
        if alnum:
            return alnum
        self.unsure.append(f"kept the character {ch!r} (U+{ord(ch):04X}) in <{where}> as it is")
        return ch

    def name(self, text, where):
        """A multi-letter mi or mo."""
        words = text.split()
        if len(words) > 1:
            return "".join(self.name(w, where) for w in words)
        if text in NAMED_FUNCTIONS:
            return "\\" + text
        if text in INDEX_PRODUCTS:
            self.unsure.append(f"<{where}>{text}</{where}> written as the letters {text}")
            return text
        if text == "argmin" or text == "argmax":
            return r"\operatorname*{%s}" % text
        if re.fullmatch(r"[A-Za-z]+", text):
            return r"\operatorname{%s}" % text
        raise Unsupported(f"multi-character <{where}>{text}</{where}>")

    def mi(self, node):
        text = (node.text or "").strip()
        variant = node.get("mathvariant")
        if len(text) == 1:
            tex = self.char(text, "mi")
            if variant and variant != "italic":
                if variant not in MATHVARIANT:
                    raise Unsupported(f"mathvariant={variant}")
                return r"%s{%s}" % (MATHVARIANT[variant], tex)
            return tex
        if variant and variant != "normal":
            raise Unsupported(f"mathvariant={variant} on multi-letter <mi>{text}</mi>")
        return self.name(text, "mi")

    def mo(self, node):
        text = (node.text or "").strip()
        if node.get("stretchy") == "true" and text in "()[]|‖{}⟨⟩":
            self.unsure.append(f"stretchy fence <mo>{text}</mo>")
        if len(text) == 1:
            return self.char(text, "mo")
        return self.name(text, "mo")

    def mn(self, node):
        text = (node.text or "").strip()
        out = []
        for ch in text:
            if ch.isascii():
                out.append(ch)
            else:
                self.unsure.append(f"kept {ch!r} (U+{ord(ch):04X}) of <mn>{text}</mn> as it is")
                out.append(ch)
        return "".join(out)

    def mtext(self, node):
        text = node.text or ""
        esc = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "%": r"\%",
               "&": r"\&", "#": r"\#", "_": r"\_", "^": r"\^{}", "~": r"\~{}"}
        return r"\text{%s}" % "".join(esc.get(c, c) for c in text)

    def mspace(self, node):
        width = node.get("width", "")
        m = re.fullmatch(r"\s*(-?[0-9.]+)\s*em\s*", width)
        if not m:
            named = {"thinmathspace": r"\,", "mediummathspace": r"\:", "thickmathspace": r"\;"}
            if width in named:
                return named[width]
            raise Unsupported(f"mspace width={width!r}")
        em = float(m.group(1))
        if em < 0:
            return r"\!"
        if em in EXACT_SPACES:
            return EXACT_SPACES[em]
        best = min(SPACES, key=lambda s: abs(s[0] - em))
        self.unsure.append(f"<mspace width=\"{width}\"/> written as the nearest, {best[1]} ({best[0]}em)")
        return best[1]

    # --- structure ------------------------------------------------------------------------

    def seq(self, nodes):
        """Convert siblings and join them, with a space only where TeX needs one."""
        pieces = [self.node(n) for n in nodes]
        return join(pieces)

    def group(self, node):
        """The content of a script/fraction argument (without the braces)."""
        if node.tag == "mrow":
            return self.seq(list(node))
        return self.node(node)

    def base(self, node):
        """A script base: braces unless it is one atom."""
        tex = self.node(node)
        if node.tag in ("mi", "mo", "mn", "mtext", "msqrt"):
            return tex
        if node.tag == "mover" and self.is_accent(node):
            return tex
        return "{" + tex + "}"

    def is_accent(self, node):
        over = node[1]
        return over.tag == "mo" and (over.text or "").strip() in ACCENTS_OVER

    def node(self, node):
        tag = node.tag
        kids = list(node)
        if tag in ("math", "mrow"):
            return self.seq(kids)
        if tag == "mi":
            return self.mi(node)
        if tag == "mo":
            return self.mo(node)
        if tag == "mn":
            return self.mn(node)
        if tag == "mtext":
            return self.mtext(node)
        if tag == "mspace":
            return self.mspace(node)
        if tag == "msub":
            self.arity(node, 2)
            return f"{self.base(kids[0])}_{{{self.group(kids[1])}}}"
        if tag == "msup":
            self.arity(node, 2)
            if kids[1].tag == "mo" and (kids[1].text or "").strip() == "′":
                return f"{self.base(kids[0])}'"
            return f"{self.base(kids[0])}^{{{self.group(kids[1])}}}"
        if tag == "msubsup":
            self.arity(node, 3)
            return f"{self.base(kids[0])}_{{{self.group(kids[1])}}}^{{{self.group(kids[2])}}}"
        if tag == "mfrac":
            self.arity(node, 2)
            if node.get("linethickness") not in (None, ""):
                raise Unsupported("mfrac linethickness")
            return r"\frac{%s}{%s}" % (self.group(kids[0]), self.group(kids[1]))
        if tag == "msqrt":
            return r"\sqrt{%s}" % self.seq(kids)
        if tag == "munder":
            self.arity(node, 2)
            base, under = kids
            if self.is_brace(under, UNDERBRACE):
                return r"\underbrace{%s}" % self.group(base)
            if base.tag == "munder" and self.is_brace(base[1], UNDERBRACE):
                return r"\underbrace{%s}_{%s}" % (self.group(base[0]), self.group(under))
            if self.is_limit_operator(base):
                return f"{self.node(base)}_{{{self.group(under)}}}"
            self.unsure.append("munder written as \\underset")
            return r"\underset{%s}{%s}" % (self.group(under), self.group(base))
        if tag == "mover":
            self.arity(node, 2)
            base, over = kids
            accent = (over.text or "").strip() if over.tag == "mo" else None
            if accent == "⏞":
                return r"\overbrace{%s}" % self.group(base)
            if base.tag == "mover" and self.is_brace(base[1], "⏞"):
                return r"\overbrace{%s}^{%s}" % (self.group(base[0]), self.group(over))
            if accent in ACCENTS_OVER:
                cmd = ACCENTS_OVER[accent]
                wide = base.tag not in ("mi", "mn", "mo") or len((base.text or "").strip()) > 1
                if cmd == r"\bar" and wide:
                    cmd = r"\overline"
                elif wide:
                    self.unsure.append(f"{cmd} over a wide base")
                return r"%s{%s}" % (cmd, self.group(base))
            if self.is_limit_operator(base):
                return f"{self.node(base)}^{{{self.group(over)}}}"
            self.unsure.append("mover written as \\overset")
            return r"\overset{%s}{%s}" % (self.group(over), self.group(base))
        if tag == "munderover":
            self.arity(node, 3)
            base, under, over = kids
            if not self.is_limit_operator(base):
                raise Unsupported("munderover on a base that is not a large operator")
            return f"{self.node(base)}_{{{self.group(under)}}}^{{{self.group(over)}}}"
        raise Unsupported(f"<{tag}>")

    def is_brace(self, node, ch):
        return node.tag == "mo" and (node.text or "").strip() == ch

    def is_limit_operator(self, node):
        text = (node.text or "").strip()
        return node.tag in ("mo", "mi") and (text in LARGE_OPERATORS or text in LIMIT_NAMES
                                             or text in ("argmin", "argmax"))

    def arity(self, node, n):
        if len(node) != n:
            raise Unsupported(f"<{node.tag}> with {len(node)} children")


def join(pieces):
    out = ""
    for p in pieces:
        if not p:
            continue
        if out and (
            (re.search(r"\\[A-Za-z]+$", out) and re.match(r"[A-Za-z0-9]", p))
            or (out[-1].isdigit() and p[0].isdigit())
            or (out[-1] == "<" and p[0].isalpha())
        ):
            out += " "
        out += p
    return out


def mathml_to_tex(mathml):
    """(TeX, unsure notes) for a MathML fragment (the content of a <math> element)."""
    try:
        root = ET.fromstring("<math>" + mathml + "</math>")
    except ET.ParseError as err:
        raise Unsupported(f"MathML does not parse: {err}") from err
    t = Tex()
    tex = t.node(root).strip()
    return tex, t.unsure


# --------------------------------------------------------------------------------------------
# Markdown
# --------------------------------------------------------------------------------------------

# Sentinels for emphasis delimiters until whitespace is settled and flanking is checked.
EM_OPEN, EM_CLOSE, STRONG_OPEN, STRONG_CLOSE = "\x01", "\x02", "\x03", "\x04"
# Protects text (math, code) from whitespace collapsing and escaping.
VERBATIM_OPEN, VERBATIM_CLOSE = "\x05", "\x06"


def escape_text(text):
    out = []
    for i, c in enumerate(text):
        if c in "\\*_`[<$~":
            out.append("\\" + c)
        elif c == "&" and re.match(r"&(#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);", text[i:]):
            out.append("\\&")
        else:
            out.append(c)
    return "".join(out)


def escape_line_start(line):
    if re.match(r"[#+\->]", line):
        return "\\" + line
    m = re.match(r"(\d{1,9})([.)])(\s|$)", line)
    if m:
        return m.group(1) + "\\" + line[len(m.group(1)) :]
    return line


def is_punct(c):
    return unicodedata.category(c)[0] in "PS"


class Chapter:
    def __init__(self, path, component):
        self.path = path
        self.rel = path.relative_to(ROOT)
        self.src = path.read_text(encoding="utf-8")
        self.consts = rust_consts(self.src)
        self.component = component
        self.problems = []  # things left out: "file:line: what"
        self.notes = []  # things converted with a note: "file:line: what"
        self.math = []  # (kind, tex, mathml, source line)

    def where(self, node):
        return f"{self.rel}:{node.line}"

    def problem(self, node, what):
        self.problems.append(f"{self.where(node)}: {what}")

    # --- math -----------------------------------------------------------------------------

    def mathml_of(self, node):
        value = node.attrs.get("mathml")
        if value is None:
            raise Unsupported("no mathml attribute")
        kind, v = value
        if kind == "str":
            return v
        if kind == "ident" and v in self.consts:
            return self.consts[v]
        raise Unsupported(f"mathml={v} is not a string or a const of this file")

    def tex(self, node, display):
        mathml = self.mathml_of(node)
        tex, unsure = mathml_to_tex(mathml)
        value = node.attrs.get("mathml")
        label = f" ({value[1]})" if value[0] == "ident" else ""
        for u in unsure:
            self.notes.append(f"{self.where(node)}{label}: {u}")
        self.math.append({"display": display, "tex": tex, "mathml": mathml, "source_line": node.line})
        return tex

    # --- inline ---------------------------------------------------------------------------

    def inline(self, nodes):
        """Markdown (with sentinels) of inline content."""
        out = []
        for n in nodes:
            if n.kind == "text":
                out.append(escape_text(n.text))
            elif n.kind == "expr":
                self.problem(n, f"Rust expression {{{n.text}}} inside inline content")
            elif n.name == "em":
                self.no_attrs(n)
                out.append(EM_OPEN + self.inline(n.children) + EM_CLOSE)
            elif n.name == "strong":
                self.no_attrs(n)
                out.append(STRONG_OPEN + self.inline(n.children) + STRONG_CLOSE)
            elif n.name == "code":
                self.no_attrs(n)
                if any(c.kind != "text" for c in n.children):
                    self.problem(n, "<code> with markup inside")
                    continue
                text = re.sub(r"\s+", " ", "".join(c.text for c in n.children))
                ticks = "`"
                while ticks in text:
                    ticks += "`"
                pad = " " if text.startswith("`") or text.endswith("`") else ""
                out.append(VERBATIM_OPEN + ticks + pad + text + pad + ticks + VERBATIM_CLOSE)
            elif n.name == "cite":
                self.no_attrs(n)
                out.append("<cite>" + self.inline(n.children) + "</cite>")
            elif n.name == "M":
                tex = self.tex(n, display=False)
                out.append(VERBATIM_OPEN + "$" + tex + "$" + VERBATIM_CLOSE)
            else:
                self.problem(n, f"<{n.name}> inside inline content")
        return "".join(out)

    def no_attrs(self, n):
        if n.attrs:
            self.problem(n, f"attributes {sorted(n.attrs)} of <{n.name}> dropped")

    def finish_inline(self, md, node):
        """Collapse whitespace, settle emphasis delimiters, check them, drop sentinels."""
        # collapse whitespace outside verbatim parts
        parts = re.split("(%s[^%s]*%s)" % (VERBATIM_OPEN, VERBATIM_CLOSE, VERBATIM_CLOSE), md)
        parts = [p if p.startswith(VERBATIM_OPEN) else re.sub(r"\s+", " ", p) for p in parts]
        md = "".join(parts)
        # whitespace just inside a delimiter goes outside it
        for _ in range(3):
            md = re.sub("([%s%s]) " % (EM_OPEN, STRONG_OPEN), r" \1", md)
            md = re.sub(" ([%s%s])" % (EM_CLOSE, STRONG_CLOSE), r"\1 ", md)
            md = re.sub(r"\s+", " ", md)
        md = md.strip(" ")
        # flanking checks (CommonMark 0.31 rules for `*`)
        plain = md.replace(VERBATIM_OPEN, "").replace(VERBATIM_CLOSE, "")
        for i, c in enumerate(plain):
            if c not in (EM_OPEN, EM_CLOSE, STRONG_OPEN, STRONG_CLOSE):
                continue
            before = plain[i - 1] if i > 0 else " "
            after = plain[i + 1] if i + 1 < len(plain) else " "
            before = " " if before in (EM_OPEN, EM_CLOSE, STRONG_OPEN, STRONG_CLOSE) else before
            after = " " if after in (EM_OPEN, EM_CLOSE, STRONG_OPEN, STRONG_CLOSE) else after
            if c in (EM_OPEN, STRONG_OPEN):
                ok = not after.isspace() and (not is_punct(after) or before.isspace() or is_punct(before))
            else:
                ok = not before.isspace() and (not is_punct(before) or after.isspace() or is_punct(after))
            if not ok:
                self.problem(node, f"emphasis delimiter would not be recognised near {plain[max(0, i - 15):i + 15]!r}")
        # two inline maths touching would read as $$
        if re.search(r"\$%s%s\$" % (VERBATIM_CLOSE, VERBATIM_OPEN), md):
            self.problem(node, "two inline math spans touch")
        md = (md.replace(EM_OPEN, "*").replace(EM_CLOSE, "*")
              .replace(STRONG_OPEN, "**").replace(STRONG_CLOSE, "**")
              .replace(VERBATIM_OPEN, "").replace(VERBATIM_CLOSE, ""))
        return escape_line_start(md)

    # --- blocks ---------------------------------------------------------------------------

    def blocks(self, root):
        blocks = []
        article = [n for n in root.children if not (n.kind == "text" and not n.text.strip())]
        if len(article) != 1 or article[0].name != "article":
            raise Unsupported("the view is not one <article>")
        nodes = article[0].children
        previous_heading = None
        for n in nodes:
            if n.kind == "text":
                if n.text.strip():
                    self.problem(n, "text directly inside <article>")
                continue
            if n.kind == "expr":
                blocks.append(self.demo(n))
                previous_heading = None
                continue
            name = n.name
            cls = n.attrs.get("class", ("str", None))[1]
            if name == "p" and cls == "kicker" or name == "h1":
                continue
            if name == "p":
                if n.attrs:
                    self.problem(n, f"<p {attr_text(n.attrs)}> has no Markdown form; left out: {flatten(n)!r}")
                    continue
                blocks.append(self.finish_inline(self.inline(n.children), n))
            elif name in ("h2", "h3"):
                self.no_attrs(n)
                text = self.finish_inline(self.inline(n.children), n)
                blocks.append(("## " if name == "h2" else "### ") + text)
                previous_heading = text
                continue
            elif name in ("ul", "ol"):
                if cls == "references":
                    if previous_heading != "References":
                        self.problem(n, '<ol class="references"> not right after "## References"')
                elif cls is not None:
                    self.notes.append(f"{self.where(n)}: <{name} class=\"{cls}\"> written as a plain list (the class is dropped; it follows \"## {previous_heading}\")")
                extra = {k: v for k, v in n.attrs.items() if k != "class"}
                if extra:
                    self.problem(n, f"attributes {sorted(extra)} of <{name}> dropped")
                blocks.append(self.list(n))
            elif name == "Equation":
                tex = self.tex(n, display=True)
                blocks.append("$$\n" + self.display_line(tex, n) + "\n$$")
            else:
                self.problem(n, f"<{name}> has no Markdown form; left out")
            previous_heading = None
        return blocks

    def display_line(self, tex, node):
        # A line inside a paragraph must not start a list, heading, quote or setext underline.
        if re.match(r"([-+*]|\d{1,9}[.)])(\s|$)|[#>=]", tex):
            self.problem(node, f"display math line starts with a block marker: {tex[:20]!r}")
        return tex

    def list(self, n):
        lines = []
        number = 0
        for item in n.children:
            if item.kind == "text" and not item.text.strip():
                continue
            if item.kind != "element" or item.name != "li":
                self.problem(item, f"<{n.name}> holds {item!r}")
                continue
            self.no_attrs(item)
            text = self.finish_inline(self.inline(item.children), item)
            if n.name == "ul":
                lines.append("- " + text)
            else:
                number += 1
                lines.append(f"{number}. " + text)
        return "\n".join(lines)

    def demo(self, n):
        m = re.fullmatch(r"view_for\(\s*&\s*((?:[a-z_][a-z0-9_]*::)*)([a-z_][a-z0-9_]*)::SPEC\s*\)", n.text)
        if not m:
            self.problem(n, f"Rust expression {{{n.text}}} has no Markdown form; left out")
            return ""
        module = m.group(2)
        path = DEMOS / f"{module}.rs"
        if not path.exists():
            path = DEMOS / module / "mod.rs"
        spec = path.read_text(encoding="utf-8")
        sm = re.search(r"pub const SPEC: DemoSpec = DemoSpec \{\s*id:\s*\"([^\"]+)\"", spec)
        if not sm:
            raise Unsupported(f"no `pub const SPEC: DemoSpec = DemoSpec {{ id: ...` in {path}")
        return "::demo{id=%s}" % sm.group(1)

    def markdown(self):
        start, end = view_body(self.src, self.component)
        root = parse_view(self.src, start, end)
        blocks = [b for b in self.blocks(root) if b]
        text = "\n\n".join(blocks) + "\n"
        # the Markdown line of every math span, in order
        lines = text.split("\n")
        k = 0
        for ln, line in enumerate(lines, 1):
            if line == "$$" and k < len(self.math) and self.math[k]["display"]:
                # opening $$ only: the TeX is on the next line
                if ln < len(lines) and lines[ln] == self.math[k]["tex"]:
                    self.math[k]["md_line"] = ln  # where the span starts, as pulldown-cmark has it
                    k += 1
                continue
            pos = 0
            while k < len(self.math) and not self.math[k]["display"]:
                needle = "$" + self.math[k]["tex"] + "$"
                found = line.find(needle, pos)
                if found < 0:
                    break
                self.math[k]["md_line"] = ln
                pos = found + len(needle)
                k += 1
        if k != len(self.math):
            raise Unsupported(f"could not place math span {k} in the Markdown")
        return text


def attr_text(attrs):
    return " ".join(f'{k}="{v[1]}"' if isinstance(v, tuple) else k for k, v in attrs.items())


def flatten(n):
    if n.kind == "text":
        return n.text
    if n.kind == "expr":
        return "{" + n.text + "}"
    return "".join(flatten(c) for c in n.children)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default=str(ROOT / "chapters"))
    ap.add_argument("--mathml-index", default=None)
    args = ap.parse_args()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    index = {}
    failed = False
    for source, component, target in JOBS:
        ch = Chapter(CHAPTERS / source, component)
        try:
            md = ch.markdown()
        except Unsupported as err:
            print(f"{ch.rel}: {err}", file=sys.stderr)
            failed = True
            continue
        (out / target).write_text(md, encoding="utf-8")
        index[target] = ch.math
        print(f"wrote {out / target} ({len(ch.math)} math spans)", file=sys.stderr)
        for note in ch.notes:
            print(f"  note: {note}", file=sys.stderr)
        for p in ch.problems:
            print(f"  LEFT OUT: {p}", file=sys.stderr)
            failed = True
    if args.mathml_index:
        pathlib.Path(args.mathml_index).write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
