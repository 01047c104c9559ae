#!/usr/bin/env python3
"""Compares two MathML fragments token by token, to check a TeX conversion of hand-written MathML.

Both fragments are reduced to the sequence of their leaf tokens, (tag, text) for mi, mo, mn and
mtext with entities decoded, plus an open marker for each structural element (msub, msup,
msubsup, mfrac, msqrt, mroot, munder, mover, munderover). mrow and the other grouping elements
(math, mstyle, mpadded, semantics) are transparent; attributes and whitespace are ignored;
<annotation> is dropped; mspace is dropped unless --spaces is given.

Obvious equivalences are normalised away before comparing:
  * U+2212 MINUS SIGN and "-"; U+00B7 and U+22C5 (\\cdot); "'" and U+2032 PRIME; U+2225 and
    U+2016 (\\|); the variants of the accents ^ (hat), ¯ (bar), ~ (tilde);
  * variation selectors (math-core marks \\mathcal with U+FE00) and no-break spaces;
  * identifiers and operator names: a run of mi tokens and multi-letter mo/mi names is one
    identifier, so <mi>log det</mi>, <mi>log</mi><mi>det</mi> and <mo>log</mo><mo>det</mo> agree,
    and so do <mi>ij</mi> and <mi>i</mi><mi>j</mi>;
  * mo vs mi for the symbols TeX treats as ordinary (∇ ∂ ∞ ⊤ ℓ ′);
  * mn vs mi for a character that is neither a letter nor a digit (math-core reads ½ as mi);
  * an ellipsis as one <mo>…</mo> (<mo>⋯</mo>) or as three <mo>.</mo> (<mo>·</mo>), which is how
    math-core writes \\ldots (and \\cdots without Unicode substitution);
  * the limits of a large operator (∑ ∏ ∫ min max argmin lim ...) as munder/munderover or as
    msub/msubsup (display vs inline placement);
  * an mi with a mathvariant compared as the Unicode mathematical letter it stands for.

usage:
    scripts/compare_mathml.py OLD NEW
        compare two MathML strings (exit status 1 if they differ)
    scripts/compare_mathml.py --index INDEX.json --chapter 01-entropy.md --rendered RENDER.txt
        compare every math span of a chapter: INDEX is what `chapters_from_rust.py
        --mathml-index` writes, RENDER the output of
        `cargo run -p occam-chapters --example render -- --mathml chapters/01-entropy.md`
        (lines "LINE<TAB>MATHML" in document order)
"""
import argparse
import difflib
import html
import json
import re
import sys
import unicodedata
from html.parser import HTMLParser

STRUCTURE = {"msub", "msup", "msubsup", "mfrac", "msqrt", "mroot", "munder", "mover", "munderover"}
LEAVES = {"mi", "mo", "mn", "mtext", "ms"}
TRANSPARENT = {"math", "mrow", "mstyle", "mpadded", "semantics", "mphantom", "menclose"}

CHAR_EQUIV = {
    "\u2212": "-", "\u00b7": "\u22c5", "'": "\u2032", "\u2225": "\u2016",
    # accents
    "\u02c6": "^", "\u0302": "^", "\u00af": "\u00af", "\u203e": "\u00af", "\u0304": "\u00af",
    "\u02c9": "\u00af", "\u2015": "\u00af", "\u02dc": "~", "\u0303": "~",
    "\u00a0": " ",
}
LARGE_OPERATORS = {"∑", "∏", "∫", "∮", "⋃", "⋂", "⨁", "⨂", "min", "max", "argmin", "argmax", "arg min",
                   "arg max", "lim", "sup", "inf", "limsup", "liminf"}

# Symbols TeX treats as ordinary (\\nabla, \\partial, ...): math-core writes them as <mi>
# where hand-written MathML often has <mo>.
ORDINARY_SYMBOLS = {"∇", "∂", "∞", "⊤", "ℓ", "′"}

VARIANT_NAMES = {
    "bold": "BOLD", "italic": "ITALIC", "double-struck": "DOUBLE-STRUCK", "script": "SCRIPT",
    "fraktur": "FRAKTUR", "sans-serif": "SANS-SERIF", "monospace": "MONOSPACE",
    "bold-italic": "BOLD ITALIC",
}
LETTERLIKE = {("DOUBLE-STRUCK", "R"): "ℝ", ("DOUBLE-STRUCK", "N"): "ℕ", ("DOUBLE-STRUCK", "Z"): "ℤ",
              ("DOUBLE-STRUCK", "Q"): "ℚ", ("DOUBLE-STRUCK", "C"): "ℂ", ("SCRIPT", "E"): "ℰ",
              ("SCRIPT", "L"): "ℒ", ("SCRIPT", "H"): "ℋ", ("SCRIPT", "F"): "ℱ", ("SCRIPT", "B"): "ℬ",
              ("SCRIPT", "M"): "ℳ", ("SCRIPT", "R"): "ℛ", ("SCRIPT", "I"): "ℐ"}


def styled(ch, variant):
    """The Unicode mathematical letter for ch in a mathvariant (ch itself when there is none)."""
    style = VARIANT_NAMES.get(variant)
    if not style or not ch.isascii() or not ch.isalpha():
        return ch
    if (style, ch) in LETTERLIKE:
        return LETTERLIKE[(style, ch)]
    case = "CAPITAL" if ch.isupper() else "SMALL"
    try:
        return unicodedata.lookup(f"MATHEMATICAL {style} {case} {ch.upper()}")
    except KeyError:
        return ch


class Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)
        self.children = []  # Elements and strings

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class TreeBuilder(HTMLParser):
    """A forgiving MathML reader (entities decoded, <x/> and <x></x> alike)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", [])
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        el = Element(tag, attrs)
        self.stack[-1].children.append(el)
        self.stack.append(el)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, attrs))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return
        raise ValueError(f"</{tag}> without <{tag}>")

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(mathml):
    b = TreeBuilder()
    b.feed(mathml)
    b.close()
    return b.root


def norm_text(text):
    text = html.unescape(text)
    text = "".join(ch for ch in text if not 0xFE00 <= ord(ch) <= 0xFE0F)
    for a, b in CHAR_EQUIV.items():
        text = text.replace(a, b)
    text = re.sub(r"\s+", " ", text).strip()
    return text


def raw_tokens(el, spaces, out):
    for c in el.children:
        if isinstance(c, str):
            continue
        tag = c.tag
        if tag == "annotation" or tag == "annotation-xml":
            continue
        if tag in TRANSPARENT or tag == "#root":
            raw_tokens(c, spaces, out)
        elif tag in STRUCTURE:
            out.append([tag, None, c])
            raw_tokens(c, spaces, out)
        elif tag in LEAVES:
            text = norm_text(c.text())
            variant = c.attrs.get("mathvariant")
            if tag == "mi" and variant and variant != "normal" and len(text) == 1:
                text = styled(text, variant)
            out.append([tag, text, c])
        elif tag == "mspace":
            # math-core puts a widthless <mspace/> before some identifiers: nothing to compare
            if spaces and c.attrs.get("width"):
                out.append(["mspace", c.attrs.get("width", "?"), c])
        else:
            out.append(["unknown:" + tag, None, c])
    return out


def first_leaf_text(el):
    """The text of the first leaf of a structural element's first child (its base)."""
    kids = [c for c in el.children if not isinstance(c, str)]
    if not kids:
        return None
    base = kids[0]
    while base.tag in TRANSPARENT:
        inner = [c for c in base.children if not isinstance(c, str)]
        if len(inner) != 1:
            return None
        base = inner[0]
    if base.tag in LEAVES:
        return norm_text(base.text())
    return None


def tokens(mathml, spaces=False):
    """The normalised token sequence of a MathML fragment, as (kind, text) tuples."""
    raw = raw_tokens(parse(mathml), spaces, [])
    out = []
    for tag, text, el in raw:
        if tag in ("munder", "munderover", "msub", "msubsup"):
            base = first_leaf_text(el)
            if base in LARGE_OPERATORS or (base and base.replace(" ", "") in LARGE_OPERATORS):
                tag = {"munder": "limits-under", "msub": "limits-under",
                       "munderover": "limits-both", "msubsup": "limits-both"}[tag]
        if tag in STRUCTURE or tag.startswith("limits-"):
            out.append((tag, ""))
            continue
        if tag == "mn" and text and not any(ch.isalnum() for ch in text if ch not in ".,"):
            tag = "mi"
        if tag == "mn" and text and all(unicodedata.category(ch) == "No" for ch in text):
            tag = "mi"  # vulgar fractions such as ½
        if tag == "mo" and text in ORDINARY_SYMBOLS:
            tag = "mi"
        is_name = tag in ("mi", "mo") and len(text.replace(" ", "")) > 1 and text.replace(" ", "").isalpha()
        if tag == "mi" or is_name:
            word = text.replace(" ", "")
            if out and out[-1][0] == "ident":
                out[-1] = ("ident", out[-1][1] + word)
            else:
                out.append(("ident", word))
            continue
        out.append((tag, text))
    # math-core writes \ldots as three <mo>.</mo> (and \cdots as three U+00B7 without Unicode
    # substitution): the same ellipsis as one <mo>…</mo> / <mo>⋯</mo>
    merged = []
    for tok in out:
        merged.append(tok)
        for dot, ellipsis in ((".", "…"), ("⋅", "⋯")):
            if merged[-3:] == [("mo", dot)] * 3:
                merged[-3:] = [("mo", ellipsis)]
    return merged


def show(toks):
    return " ".join(f"{k}:{t}" if t else f"<{k}>" for k, t in toks)


def compare(old, new, spaces=False):
    """A list of difference descriptions (empty when the two agree)."""
    a, b = tokens(old, spaces), tokens(new, spaces)
    if a == b:
        return []
    diffs = []
    sm = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        ctx = show(a[max(0, i1 - 3):i1])
        diffs.append(f"{op}: old [{show(a[i1:i2])}] new [{show(b[j1:j2])}] (after: {ctx})")
    return diffs


def read_rendered(path):
    spans = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            continue
        m = re.match(r"(\d+)\t(.*)$", line)
        if not m:
            raise ValueError(f"{path}: unexpected line {line[:80]!r}")
        spans.append((int(m.group(1)), m.group(2)))
    return spans


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old", nargs="?")
    ap.add_argument("new", nargs="?")
    ap.add_argument("--index")
    ap.add_argument("--chapter")
    ap.add_argument("--rendered")
    ap.add_argument("--spaces", action="store_true", help="compare mspace widths too")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()

    if args.index:
        index = json.load(open(args.index, encoding="utf-8"))[args.chapter]
        rendered = read_rendered(args.rendered)
        if len(rendered) != len(index):
            print(f"{len(index)} math spans converted but {len(rendered)} rendered")
        bad = 0
        for k, (span, (line, new)) in enumerate(zip(index, rendered)):
            where = f"{args.chapter}:{line}"
            if span.get("md_line") not in (None, line):
                print(f"{where}: span {k} was expected on line {span['md_line']}")
            if new.startswith("ERROR"):
                print(f"{where}: {new}")
                bad += 1
                continue
            diffs = compare(span["mathml"], new, args.spaces)
            if diffs:
                bad += 1
                print(f"{where}: ${span['tex']}$")
                for d in diffs:
                    print("    " + d)
            elif args.verbose:
                print(f"{where}: same")
        print(f"{len(index) - bad} of {len(index)} math spans agree")
        return 1 if bad or len(rendered) != len(index) else 0

    if args.old is None or args.new is None:
        ap.error("give OLD and NEW, or --index, --chapter and --rendered")
    diffs = compare(args.old, args.new, args.spaces)
    for d in diffs:
        print(d)
    if not diffs:
        print("same")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
