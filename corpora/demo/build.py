#!/usr/bin/env python3
"""Render the demo enforcement plans of aligncheck.

Every ``corpora/demo/src/<name>.md`` (except FORMAT.md) is rendered into
``corpora/demo/<name>.pdf`` with fpdf2, or into ``corpora/demo/<name>.docx`` with
python-docx when its front matter says ``format: docx``. The source format is
described in ``src/FORMAT.md``.

Usage (from the repository root)::

    .venv/bin/python corpora/demo/build.py            # all plans
    .venv/bin/python corpora/demo/build.py svb nla    # only these

The output is deterministic: the creation date comes from the front matter and
the DOCX archive gets fixed time stamps, so a rebuild gives identical bytes.
Only the standard library, fpdf2 and python-docx are used.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"

MONTHS_NL = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
]


# --------------------------------------------------------------------------- #
# Parsing the source format
# --------------------------------------------------------------------------- #


class SourceError(Exception):
    """The source file does not follow FORMAT.md."""


@dataclass
class Block:
    kind: str  # heading | para | bullets | numbers | table | columns | pagebreak
    level: int = 0
    text: str = ""
    items: list[str] = field(default_factory=list)
    start: int = 1  # first number of a numbered list
    rows: list[list[str]] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Plan:
    name: str
    meta: dict[str, str]
    blocks: list[Block]
    notes: dict[str, str]  # footnote label -> text
    note_numbers: dict[str, int] = field(default_factory=dict)


RE_HEADING = re.compile(r"^(#{1,3})\s+(.+?)\s*#*\s*$")
RE_BULLET = re.compile(r"^[-*\u2022]\s+(.*)$")
RE_NUMBER = re.compile(r"^(\d+)[.)]\s+(.*)$")
RE_NOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:\s*(.*)$")
RE_NOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
RE_TABLE_SEP = re.compile(r"^:?-{2,}:?$")
COLUMNS_OPEN = "<!-- columns -->"
COLUMNS_CLOSE = "<!-- /columns -->"
PAGEBREAK = "<!-- pagebreak -->"


def parse_front_matter(text: str, name: str) -> tuple[dict[str, str], str]:
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        raise SourceError(f"{name}: the file must start with a '---' front matter block")
    meta: dict[str, str] = {}
    for i, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return meta, "\n".join(lines[i + 1 :])
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if ":" not in line:
            raise SourceError(f"{name}: front matter line {i + 1} is not 'key: value'")
        key, value = line.split(":", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        meta[key.strip()] = value
    raise SourceError(f"{name}: the front matter block is not closed with '---'")


def _starts_block(s: str) -> bool:
    return bool(
        RE_HEADING.match(s)
        or RE_BULLET.match(s)
        or RE_NUMBER.match(s)
        or s.startswith("|")
        or s.startswith("<!--")
    )


def _split_row(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|"):
        s = s[:-1]
    return [c.strip() for c in s.split("|")]


def parse_blocks(lines: list[str], name: str) -> list[Block]:
    blocks: list[Block] = []
    i, n = 0, len(lines)
    while i < n:
        s = lines[i].strip()
        if not s:
            i += 1
            continue
        if s == PAGEBREAK:
            blocks.append(Block("pagebreak"))
            i += 1
            continue
        if s == COLUMNS_OPEN:
            j = i + 1
            while j < n and lines[j].strip() != COLUMNS_CLOSE:
                if lines[j].strip() == COLUMNS_OPEN:
                    raise SourceError(f"{name}: nested columns block")
                j += 1
            if j >= n:
                raise SourceError(f"{name}: '{COLUMNS_OPEN}' without '{COLUMNS_CLOSE}'")
            blocks.append(Block("columns", blocks=parse_blocks(lines[i + 1 : j], name)))
            i = j + 1
            continue
        if s.startswith("<!--"):  # any other comment is ignored
            while i < n and "-->" not in lines[i]:
                i += 1
            i += 1
            continue
        m = RE_HEADING.match(s)
        if m:
            blocks.append(Block("heading", level=len(m.group(1)), text=m.group(2)))
            i += 1
            continue
        if s.startswith("|"):
            rows = []
            while i < n and lines[i].strip().startswith("|"):
                cells = _split_row(lines[i])
                if not all(RE_TABLE_SEP.match(c.replace(" ", "")) for c in cells):
                    rows.append(cells)
                i += 1
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            blocks.append(Block("table", rows=rows))
            continue
        if RE_BULLET.match(s) or RE_NUMBER.match(s):
            kind = "bullets" if RE_BULLET.match(s) else "numbers"
            rx = RE_BULLET if kind == "bullets" else RE_NUMBER
            block = Block(kind)
            m0 = RE_NUMBER.match(s)
            if kind == "numbers" and m0:
                block.start = int(m0.group(1))
            while i < n and lines[i].strip():
                t = lines[i].strip()
                m = rx.match(t)
                if m:
                    block.items.append(m.group(m.lastindex))
                elif _starts_block(t):
                    break
                else:  # continuation line of the previous item
                    block.items[-1] += " " + t
                i += 1
            blocks.append(block)
            continue
        # a paragraph: lines up to a blank line or the start of another block
        parts = []
        while i < n and lines[i].strip() and (not parts or not _starts_block(lines[i].strip())):
            parts.append(lines[i].strip())
            i += 1
        blocks.append(Block("para", text=" ".join(parts)))
    return blocks


def parse_plan(path: Path) -> Plan:
    name = path.stem
    meta, body = parse_front_matter(path.read_text(encoding="utf-8"), path.name)
    notes: dict[str, str] = {}
    kept: list[str] = []
    lines = body.splitlines()
    i = 0
    while i < len(lines):
        m = RE_NOTE_DEF.match(lines[i].strip())
        if m:
            text = [m.group(2).strip()]
            i += 1
            while i < len(lines) and lines[i].startswith(("    ", "\t")) and lines[i].strip():
                text.append(lines[i].strip())
                i += 1
            if m.group(1) in notes:
                raise SourceError(f"{path.name}: footnote [^{m.group(1)}] defined twice")
            notes[m.group(1)] = " ".join(text)
            continue
        kept.append(lines[i])
        i += 1
    plan = Plan(name, meta, parse_blocks(kept, path.name), notes)
    # Footnotes are numbered in order of first reference, as a word processor does.
    for text in iter_texts(plan.blocks):
        for label in RE_NOTE_REF.findall(text):
            if label not in notes:
                raise SourceError(f"{path.name}: footnote [^{label}] is used but not defined")
            plan.note_numbers.setdefault(label, len(plan.note_numbers) + 1)
    unused = set(notes) - set(plan.note_numbers)
    if unused:
        raise SourceError(f"{path.name}: footnotes defined but never used: {sorted(unused)}")
    for key in ("title",):
        if key not in meta:
            raise SourceError(f"{path.name}: front matter lacks '{key}'")
    return plan


def iter_texts(blocks: list[Block]):
    for b in blocks:
        if b.kind in ("heading", "para"):
            yield b.text
        elif b.kind in ("bullets", "numbers"):
            yield from b.items
        elif b.kind == "table":
            for row in b.rows:
                yield from row
        elif b.kind == "columns":
            yield from iter_texts(b.blocks)


def runs_of(text: str) -> list[tuple[str, str]]:
    """Split inline text into runs: ("text", s), ("bold", s) and ("note", label)."""
    runs: list[tuple[str, str]] = []
    for k, chunk in enumerate(re.split(r"\*\*(.+?)\*\*", text)):
        kind = "bold" if k % 2 else "text"
        pos = 0
        for m in RE_NOTE_REF.finditer(chunk):
            if m.start() > pos:
                runs.append((kind, chunk[pos : m.start()]))
            runs.append(("note", m.group(1)))
            pos = m.end()
        if pos < len(chunk):
            runs.append((kind, chunk[pos:]))
    return runs


def plain(text: str) -> str:
    """Text without footnote markers and bold markup (headings, table of contents)."""
    return RE_NOTE_REF.sub("", text).replace("**", "").strip()


def date_of(meta: dict[str, str]) -> dt.date:
    raw = meta.get("date", "2026-01-01")
    try:
        return dt.date.fromisoformat(raw)
    except ValueError as exc:
        raise SourceError(f"front matter date '{raw}' is not YYYY-MM-DD") from exc


def date_nl(d: dt.date) -> str:
    return f"{d.day} {MONTHS_NL[d.month - 1]} {d.year}"


# --------------------------------------------------------------------------- #
# Dutch hyphenation (small rule set, good enough for justified text)
# --------------------------------------------------------------------------- #

SHY = "\u00ad"
VOWELS = set("aeiouyáéíóúàèìòùäëïöüâêîôû")
ONSETS = {
    "bl",
    "br",
    "cl",
    "cr",
    "dr",
    "fl",
    "fr",
    "gl",
    "gr",
    "kl",
    "kn",
    "kr",
    "pl",
    "pr",
    "tr",
    "vl",
    "vr",
}
MIN_WORD, MIN_LEFT, MIN_RIGHT = 10, 4, 4
# Words the rules get wrong: explicit break points, written with "-".
HYPHEN_EXCEPTIONS = {
    "inlichtingenplicht": "in-lich-tin-gen-plicht",
    "inlichtingenplichten": "in-lich-tin-gen-plich-ten",
    "uitvoeringsorganisatie": "uit-voe-rings-or-ga-ni-sa-tie",
    "uitvoeringsorganisaties": "uit-voe-rings-or-ga-ni-sa-ties",
    "handhavingsbeleid": "hand-ha-vings-be-leid",
    "verwijtbaarheid": "ver-wijt-baar-heid",
    "belanghebbende": "be-lang-heb-ben-de",
    "belanghebbenden": "be-lang-heb-ben-den",
    "bestandskoppelingen": "be-stands-kop-pe-lin-gen",
    "rechtsstatelijke": "rechts-sta-te-lij-ke",
    "rechtsbescherming": "rechts-be-scher-ming",
    "terugvordering": "te-rug-vor-de-ring",
    "terugvorderingen": "te-rug-vor-de-rin-gen",
    "informatieuitwisseling": "in-for-ma-tie-uit-wis-se-ling",
    "bijstandsgerechtigde": "bij-stands-ge-rech-tig-de",
    "bijstandsgerechtigden": "bij-stands-ge-rech-tig-den",
    "bijstandsuitkering": "bij-stands-uit-ke-ring",
    "bijstandsuitkeringen": "bij-stands-uit-ke-rin-gen",
    "nabestaanden": "na-be-staan-den",
    "nabestaandenuitkering": "na-be-staan-den-uit-ke-ring",
    "boeteoplegging": "boe-te-op-leg-ging",
}


COMPOUND_HEADS = (
    "gegevens",
    "persoons",
    "inkomens",
    "verzekerings",
    "bijstands",
    "uitkerings",
    "handhavings",
    "onderzoeks",
    "controle",
    "informatie",
    "organisatie",
    "grens",
)


def _is_vowel(low: str, k: int) -> bool:
    c = low[k]
    if c in VOWELS:
        return True
    return c == "j" and k > 0 and low[k - 1] == "i"  # the "ij" diphthong


def _break_points(word: str) -> list[int]:
    low = word.lower()
    if low in HYPHEN_EXCEPTIONS:
        pts, pos = [], 0
        for part in HYPHEN_EXCEPTIONS[low].split("-")[:-1]:
            pos += len(part)
            pts.append(pos)
        return [p for p in pts if p >= MIN_LEFT and len(low) - p >= MIN_RIGHT]
    n = len(low)
    vowel = [_is_vowel(low, k) for k in range(n)]
    points: list[int] = []
    k = 0
    while k < n:
        # find a consonant run low[q:r] between two vowels
        if vowel[k]:
            k += 1
            continue
        q = k
        while k < n and not vowel[k]:
            k += 1
        r = k
        if q == 0 or r >= n:
            continue
        run = low[q:r]
        if len(run) == 1:
            p = q
        elif run.endswith(("sch", "schr")):
            p = r - 3 if run.endswith("sch") else r - 4  # "gemeen-schap", "over-schrij-dend"
        elif run.endswith(("ch", "th", "ph")):
            p = r - 2
        elif len(run) >= 3 and run.endswith(("st", "sp", "str", "spr")):
            p = r - len(run.rsplit("s", 1)[1]) - 1  # "ver-strek-king", "eer-ste", "in-spec-tie"
        elif len(run) >= 2 and run.endswith(("ngs", "ds", "ts", "ks")):
            p = r  # linking s of a compound: "uitvoerings-organisatie", "arbeids-inspectie"
        elif run[-2:] in ONSETS and len(run) >= 3:
            # "belang-rijk", not "belan-grijk"
            p = r - 1 if run[-3:-1] == "ng" else r - 2
        else:
            p = r - 1
        if run in ("st", "sp", "str", "spr") and (low[max(0, q - 2) : q] in ("ge", "be") or low[:q] == "bij"):
            p = q  # "ge-spoord", "be-staan", "bij-stellen"
        points.append(p)
    # Known first parts of compounds: break right after them, not one letter off.
    for head in COMPOUND_HEADS:
        start = low.find(head)
        while start >= 0:
            end = start + len(head)
            if end < n:
                points = [p for p in points if abs(p - end) > 2 or p == end] + [end]
                if start > 0:
                    points = [p for p in points if abs(p - start) > 2 or p == start] + [start]
            start = low.find(head, start + 1)
    return sorted({p for p in points if p >= MIN_LEFT and n - p >= MIN_RIGHT})


def hyphenate_word(word: str) -> str:
    if len(word) < MIN_WORD or word.isupper() or any(c.isupper() for c in word[1:]):
        return word
    pts = _break_points(word)
    out, last = [], 0
    for p in pts:
        out.append(word[last:p])
        last = p
    out.append(word[last:])
    return SHY.join(out)


RE_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ]+")


def hyphenate(text: str) -> str:
    """Insert soft hyphens (U+00AD) into long words; real hyphens are kept."""
    return RE_WORD.sub(lambda m: hyphenate_word(m.group(0)), text)


# --------------------------------------------------------------------------- #
# PDF
# --------------------------------------------------------------------------- #

FONT = "DejaVu"
FONT_FILES = {
    "": "DejaVuSans.ttf",
    "B": "DejaVuSans-Bold.ttf",
    "I": "DejaVuSans-Oblique.ttf",
    "BI": "DejaVuSans-BoldOblique.ttf",
}
FONT_DIRS = [
    os.environ.get("ALIGNCHECK_FONT_DIR", ""),
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/share/fonts/TTF",
    "/usr/share/fonts/dejavu-sans-fonts",
    "/usr/share/fonts/truetype",
    "/usr/local/share/fonts",
    "/usr/local/share/fonts/dejavu",
    "/opt/homebrew/share/fonts",
    "/Library/Fonts",
    str(Path.home() / "Library/Fonts"),
    str(Path.home() / ".fonts"),
    str(Path.home() / ".local/share/fonts"),
    "C:/Windows/Fonts",
]


def find_fonts() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for style, fname in FONT_FILES.items():
        for d in FONT_DIRS:
            if d and (Path(d) / fname).is_file():
                found[style] = Path(d) / fname
                break
    if "" not in found or "B" not in found:
        raise SystemExit(
            "build.py: the DejaVu Sans fonts (DejaVuSans.ttf, DejaVuSans-Bold.ttf) were not found in "
            + ", ".join(d for d in FONT_DIRS if d)
            + ".\nInstall them (Debian/Ubuntu: apt-get install fonts-dejavu-core) or set "
            "ALIGNCHECK_FONT_DIR to the folder that holds them."
        )
    return found


# page geometry (mm) and type sizes (pt)
LM, RM, TM, BM = 25.0, 22.0, 27.0, 24.0
BODY_PT, BODY_LH = 9.5, 1.45
FN_PT, FN_LH, FN_INDENT = 7.3, 3.4, 5.0
PARA_GAP = 2.6
ACCENT = (22, 60, 110)
GREY = (95, 95, 95)


def _patch_fpdf() -> None:
    """Work around an fpdf2 2.8 quirk: a justified line of an indented paragraph (a list
    item) is stretched over the full region width, ignoring the indent, so it runs past
    the right margin. Narrow each line of an indented paragraph by its indent."""
    from fpdf import text_region

    if getattr(text_region.Paragraph, "_aligncheck_patched", False):
        return
    original = text_region.Paragraph.build_lines

    def build_lines(self, print_sh):
        lines = original(self, print_sh)
        if not self.indent:
            return lines
        return [
            lw._replace(line=lw.line._replace(max_width=lw.line.max_width - self.indent))
            if lw.line.max_width
            else lw
            for lw in lines
        ]

    text_region.Paragraph.build_lines = build_lines
    text_region.Paragraph._aligncheck_patched = True


def make_pdf_class():
    from fpdf import FPDF

    _patch_fpdf()

    class PlanPDF(FPDF):
        def __init__(self, plan: Plan, fonts: dict[str, Path]):
            super().__init__(orientation="P", unit="mm", format="A4")
            self.plan = plan
            self.page_notes: dict[int, list[tuple[int, str]]] = {}
            for style, path in fonts.items():
                self.add_font(FONT, style, str(path))
            self.set_margins(LM, TM, RM)
            self.set_auto_page_break(True, BM)
            self.tw = self.w - LM - RM
            # footnote markers: a smaller raised digit, lifted little enough that text
            # extractors keep it on the line of the word it follows ("onderzoek.2")
            self.sup_lift = 0.25

        # running header and footer ------------------------------------------
        def header(self):
            self.set_auto_page_break(True, BM)  # drop the footnote reservation of the last page
            if self.page == 1:
                return
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*GREY)
            self.set_xy(LM, 11)
            self.cell(self.tw, 4, self.plan.meta.get("header", self.plan.meta["title"]), align="L")
            self.set_draw_color(*ACCENT)
            self.set_line_width(0.3)
            self.line(LM, 16.5, self.w - RM, 16.5)
            self.set_text_color(0, 0, 0)
            self.set_xy(LM, TM)

        def footer(self):
            notes = self.page_notes.get(self.page)
            if notes:
                self._draw_notes(notes)
            if self.page == 1:
                return
            y = self.h - 15
            self.set_draw_color(*ACCENT)
            self.set_line_width(0.3)
            self.line(LM, y, self.w - RM, y)
            self.set_font(FONT, "", 7.5)
            self.set_text_color(*GREY)
            self.set_xy(LM, y + 1.5)
            left = self.plan.meta.get("agency", "")
            if self.plan.meta.get("version"):
                left += f" \u2013 versie {self.plan.meta['version']}"
            self.cell(self.tw / 2, 4, left, align="L")
            self.cell(self.tw / 2, 4, f"Pagina {self.page_no()} van {{nb}}", align="R")
            self.set_text_color(0, 0, 0)

        # footnotes -------------------------------------------------------------
        def notes_height(self, notes: list[tuple[int, str]]) -> float:
            if not notes:
                return 0.0
            self.set_font(FONT, "", FN_PT)
            h = 5.0
            for _, text in notes:
                lines = self.multi_cell(self.tw - FN_INDENT, FN_LH, text, dry_run=True, output="LINES")
                h += len(lines) * FN_LH + 0.8
            self.set_font(FONT, "", BODY_PT)
            return h

        def _draw_notes(self, notes: list[tuple[int, str]]) -> None:
            area = self.notes_height(notes)
            y = self.h - BM - area + 2.5
            self.set_draw_color(0, 0, 0)
            self.set_line_width(0.2)
            self.line(LM, y, LM + 45, y)
            y += 2.0
            self.set_font(FONT, "", FN_PT)
            self.set_text_color(0, 0, 0)
            for num, text in notes:
                self.set_xy(LM, y)
                self.cell(FN_INDENT, FN_LH, str(num))
                self.multi_cell(self.tw - FN_INDENT, FN_LH, text, align="L", new_x="LMARGIN", new_y="NEXT")
                y = self.y + 0.8

        # text ---------------------------------------------------------------
        def _fill(self, par, text: str, size: float = BODY_PT, bold: bool = False) -> None:
            base = "B" if bold else ""
            for kind, val in runs_of(text):
                if kind == "note":
                    self.set_font(FONT, base, size)
                    self.char_vpos = "SUP"
                    par.write(str(self.plan.note_numbers[val]))
                    self.char_vpos = "LINE"
                else:
                    self.set_font(FONT, "B" if (bold or kind == "bold") else "", size)
                    par.write(hyphenate(val))
            self.set_font(FONT, "", BODY_PT)

        def _region(self, **kw):
            self.x = LM
            return self.text_columns(text_align="J", line_height=BODY_LH, l_margin=LM, r_margin=RM, **kw)

        def _measure(self, text: str, **pkw) -> float:
            self.set_font(FONT, "", BODY_PT)
            region = self._region()
            par = region.paragraph(**pkw)
            self._fill(par, text)
            return sum(line.line.height for line in par.build_lines(False))

        def text_block(self, text: str, gap: float = PARA_GAP, **pkw) -> None:
            """One paragraph or list item; keeps items with footnotes on one page."""
            labels = RE_NOTE_REF.findall(text)
            if labels:
                new = [(self.plan.note_numbers[lb], self.plan.notes[lb]) for lb in labels]
                height = self._measure(text, **pkw)
                have = self.page_notes.get(self.page, [])
                reserve = self.notes_height(have + new)
                if self.y + height > self.h - BM - reserve:
                    self.add_page()
                    have = []
                    reserve = self.notes_height(new)
                self.page_notes[self.page] = have + new
                self.set_auto_page_break(True, BM + reserve)
            self.set_font(FONT, "", BODY_PT)
            with self._region() as region:
                with region.paragraph(**pkw) as par:
                    self._fill(par, text)
            self.set_font(FONT, "", BODY_PT)
            self.y += gap

        def ensure_space(self, need: float) -> None:
            if self.y + need > self.page_break_trigger:
                self.add_page()

        def heading(self, level: int, text: str) -> None:
            title = plain(text)
            if level == 1:
                if self.y > TM + 1:
                    self.add_page()
                self.start_section(title, 0)
                self.set_font(FONT, "B", 17)
                self.set_text_color(*ACCENT)
                self.multi_cell(self.tw, 8, title, align="L", new_x="LMARGIN", new_y="NEXT")
                self.set_draw_color(*ACCENT)
                self.set_line_width(0.5)
                self.line(LM, self.y + 1.5, LM + 30, self.y + 1.5)
                self.y += 6
            else:
                size = 12.5 if level == 2 else 10.5
                self.ensure_space(22 if level == 2 else 16)
                if self.y > TM + 1:
                    self.y += 3.0 if level == 2 else 1.5
                self.start_section(title, level - 1, strict=False)
                self.set_font(FONT, "B", size)
                self.set_text_color(*ACCENT if level == 2 else (0, 0, 0))
                self.multi_cell(self.tw, size * 0.52, title, align="L", new_x="LMARGIN", new_y="NEXT")
                self.y += 2.0 if level == 2 else 1.2
            self.set_text_color(0, 0, 0)
            self.set_font(FONT, "", BODY_PT)

        def list_block(self, block: Block) -> None:
            for k, item in enumerate(block.items):
                mark = "\u2022" if block.kind == "bullets" else f"{block.start + k}."
                last = k == len(block.items) - 1
                self.text_block(
                    item,
                    gap=PARA_GAP if last else 1.0,
                    indent=7,
                    bullet_string=mark,
                    bullet_r_margin=2.2,
                )

        def table_block(self, block: Block) -> None:
            from fpdf.fonts import FontFace

            rows = block.rows
            ncols = len(rows[0])
            weights = []
            for c in range(ncols):
                cells = [plain(r[c]) for r in rows]
                longest_word = max((len(w) for t in cells for w in t.split()), default=4)
                mean = sum(len(t) for t in cells) / len(cells)
                weights.append(max(longest_word + 2, min(60.0, mean)))
            self.ensure_space(30)
            self.set_font(FONT, "", 8.3)
            self.set_draw_color(70, 70, 70)
            self.set_fill_color(255, 255, 255)
            self.set_line_width(0.2)
            notes_here = []
            with self.table(
                width=self.tw,
                align="LEFT",
                col_widths=weights,
                text_align="LEFT",
                line_height=3.9,
                padding=1.4,
                cell_fill_mode="NONE",
                borders_layout="ALL",
                first_row_as_headings=True,
                headings_style=FontFace(emphasis="BOLD", fill_color=(221, 230, 241), color=(0, 0, 0)),
            ) as table:
                for r in rows:
                    row = table.row()
                    for cell in r:
                        for lb in RE_NOTE_REF.findall(cell):
                            notes_here.append((self.plan.note_numbers[lb], self.plan.notes[lb]))
                        text = RE_NOTE_REF.sub(lambda m: str(self.plan.note_numbers[m.group(1)]), cell)
                        row.cell(hyphenate(text.replace("**", "")))
            if notes_here:  # rare: notes in a table land on the page where the table ends
                self.page_notes.setdefault(self.page, []).extend(notes_here)
            self.set_font(FONT, "", BODY_PT)
            self.y += 4

        def columns_block(self, block: Block) -> None:
            self.ensure_space(40)
            self.x = LM
            with self.text_columns(
                ncols=2, gutter=8, balance=True, text_align="J", line_height=BODY_LH, l_margin=LM, r_margin=RM
            ) as cols:
                for b in block.blocks:
                    if b.kind == "heading":
                        with cols.paragraph(text_align="L", top_margin=2.0, bottom_margin=1.5) as par:
                            self._fill(par, plain(b.text), size=10.5 if b.level <= 2 else 9.8, bold=True)
                    elif b.kind == "para":
                        if RE_NOTE_REF.search(b.text):
                            raise SourceError(f"{self.plan.name}: footnotes are not supported inside columns")
                        with cols.paragraph(bottom_margin=PARA_GAP) as par:
                            self._fill(par, b.text)
                    elif b.kind in ("bullets", "numbers"):
                        for k, item in enumerate(b.items):
                            mark = "\u2022" if b.kind == "bullets" else f"{b.start + k}."
                            last = k == len(b.items) - 1
                            with cols.paragraph(
                                indent=6,
                                bullet_string=mark,
                                bullet_r_margin=2.0,
                                bottom_margin=PARA_GAP if last else 0.8,
                            ) as par:
                                self._fill(par, item)
                    elif b.kind == "pagebreak":
                        cols.new_column()
                    else:
                        raise SourceError(f"{self.plan.name}: a {b.kind} is not supported inside columns")
            self.set_font(FONT, "", BODY_PT)
            self.y += PARA_GAP

        # cover and contents ----------------------------------------------------
        def cover(self) -> None:
            meta = self.plan.meta
            self.add_page()
            self.set_fill_color(*ACCENT)
            self.rect(0, 0, self.w, 88, style="F")
            self.set_text_color(255, 255, 255)
            self.set_font(FONT, "B", 13)
            self.set_xy(LM, 30)
            self.cell(self.tw, 7, meta.get("subtitle", meta.get("agency", "")), align="L")
            self.set_font(FONT, "", 9)
            self.set_xy(LM, 39)
            if meta.get("agency") and meta.get("agency") != meta.get("subtitle"):
                self.cell(self.tw, 5, meta["agency"], align="L")
            self.set_text_color(*ACCENT)
            self.set_xy(LM, 112)
            self.set_font(FONT, "B", 24)
            self.multi_cell(self.tw, 11, meta["title"], align="L", new_x="LMARGIN", new_y="NEXT")
            self.y += 4
            self.set_draw_color(*ACCENT)
            self.set_line_width(0.8)
            self.line(LM, self.y, LM + 40, self.y)
            self.y += 8
            self.set_text_color(0, 0, 0)
            self.set_font(FONT, "", 11.5)
            lines = []
            if meta.get("period"):
                lines.append(f"Planperiode {meta['period']}")
            if meta.get("version"):
                lines.append(f"Versie {meta['version']}")
            if meta.get("date"):
                lines.append(date_nl(date_of(meta)))
            if meta.get("status"):
                lines.append(meta["status"])
            for line in lines:
                self.multi_cell(self.tw, 7, line, align="L", new_x="LMARGIN", new_y="NEXT")
            self.set_text_color(0, 0, 0)
            self.set_fill_color(255, 255, 255)

        def contents(self) -> None:
            self.add_page()

            def render_toc(pdf, outline):
                entries = [s for s in outline if s.level <= 1]
                step = min(6.6, 215 / max(1, len(entries) + 4))
                pdf.set_xy(LM, TM + 2)
                pdf.set_font(FONT, "B", 17)
                pdf.set_text_color(*ACCENT)
                pdf.cell(pdf.tw, 9, "Inhoud", new_x="LMARGIN", new_y="NEXT")
                pdf.set_text_color(0, 0, 0)
                pdf.y += 5
                for sec in entries:
                    chapter = sec.level == 0
                    if chapter:
                        pdf.y += step * 0.35
                    indent = 0 if chapter else 8
                    pdf.set_font(FONT, "B" if chapter else "", 10 if chapter else 9.3)
                    num = str(sec.page_number)
                    name_w = pdf.get_string_width(sec.name)
                    num_w = pdf.get_string_width(num)
                    pdf.set_font(FONT, "", 9.3)
                    dot_w = pdf.get_string_width(".")
                    avail = pdf.tw - indent
                    ndots = max(3, int((avail - name_w - num_w - 5) / dot_w))
                    link = pdf.add_link(page=sec.page_number)
                    pdf.set_font(FONT, "B" if chapter else "", 10 if chapter else 9.3)
                    pdf.set_xy(LM + indent, pdf.y)
                    pdf.cell(name_w + 1.5, step, sec.name, link=link)
                    pdf.set_font(FONT, "", 9.3)
                    pdf.cell(avail - name_w - 1.5 - num_w - 1.5, step, "." * ndots, align="R")
                    pdf.set_font(FONT, "B" if chapter else "", 10 if chapter else 9.3)
                    pdf.cell(num_w + 1.5, step, num, align="R", link=link, new_x="LMARGIN", new_y="NEXT")
                pdf.set_font(FONT, "", BODY_PT)

            self.insert_toc_placeholder(render_toc, pages=1)

    return PlanPDF


def render_pdf(plan: Plan, out: Path, fonts: dict[str, Path]) -> int:
    PlanPDF = make_pdf_class()
    pdf = PlanPDF(plan, fonts)
    meta = plan.meta
    d = date_of(meta)
    pdf.set_creation_date(dt.datetime(d.year, d.month, d.day, 9, 0, 0, tzinfo=dt.UTC))
    pdf.set_title(meta["title"] + (f" \u2013 {meta['subtitle']}" if meta.get("subtitle") else ""))
    pdf.set_author(meta.get("author", meta.get("agency", "")))
    period = meta.get("period", "")
    pdf.set_subject(meta["title"] if period in meta["title"] else f"{meta['title']} {period}".strip())
    pdf.set_creator("aligncheck corpora/demo/build.py")
    pdf.set_keywords("handhaving; meerjarenplan; " + meta.get("agency", ""))
    pdf.set_lang("nl-NL")
    pdf.set_display_mode("fullpage", "continuous")
    pdf.cover()
    pdf.contents()
    for k, b in enumerate(plan.blocks):
        pdf.set_font(FONT, "", BODY_PT)
        if b.kind == "heading":
            nxt = plan.blocks[k + 1] if k + 1 < len(plan.blocks) else None
            if b.level > 1 and nxt is not None and nxt.kind == "para" and RE_NOTE_REF.search(nxt.text):
                # keep the heading with a paragraph that must stay whole (it carries footnotes)
                labels = RE_NOTE_REF.findall(nxt.text)
                notes = [(plan.note_numbers[lb], plan.notes[lb]) for lb in labels]
                have = pdf.page_notes.get(pdf.page, [])
                need = 14 + pdf._measure(nxt.text) + pdf.notes_height(have + notes) - pdf.notes_height(have)
                pdf.ensure_space(need)
            pdf.heading(b.level, b.text)
        elif b.kind == "para":
            pdf.text_block(b.text)
        elif b.kind in ("bullets", "numbers"):
            pdf.list_block(b)
        elif b.kind == "table":
            pdf.table_block(b)
        elif b.kind == "columns":
            pdf.columns_block(b)
        elif b.kind == "pagebreak":
            pdf.add_page()
    pdf.output(str(out))
    return pdf.pages_count


# --------------------------------------------------------------------------- #
# DOCX
# --------------------------------------------------------------------------- #

ZIP_TIME = (2026, 1, 1, 0, 0, 0)


def _docx_field(paragraph, instr: str, shown: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = shown
    run.append(t)
    fld.append(run)
    paragraph._p.append(fld)


def _docx_columns(section, num: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    sect_pr = section._sectPr
    cols = sect_pr.find(qn("w:cols"))
    if cols is None:
        cols = OxmlElement("w:cols")
        sect_pr.append(cols)
    cols.set(qn("w:num"), str(num))
    cols.set(qn("w:space"), "454")


def render_docx(plan: Plan, out: Path) -> int:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    meta = plan.meta
    d = date_of(meta)
    stamp = dt.datetime(d.year, d.month, d.day, 9, 0, 0)
    doc = Document()
    cp = doc.core_properties
    cp.title = meta["title"]
    cp.subject = meta.get("subtitle", "")
    cp.author = meta.get("author", meta.get("agency", ""))
    cp.last_modified_by = meta.get("agency", "")
    cp.keywords = "handhaving; " + meta.get("agency", "")
    cp.language = "nl-NL"
    cp.revision = 1
    cp.created = stamp
    cp.modified = stamp
    cp.last_printed = stamp
    cp.comments = "aligncheck demo corpus"

    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"
    normal.font.size = Pt(10.5)
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2.2)
    section.different_first_page_header_footer = True
    hp = section.header.paragraphs[0]
    hp.text = meta.get("header", meta["title"])
    hp.runs[0].font.size = Pt(8)
    fp = section.footer.paragraphs[0]
    fp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    fp.add_run("Pagina ")
    _docx_field(fp, "PAGE", "1")
    fp.add_run(" van ")
    _docx_field(fp, "NUMPAGES", "1")

    # cover
    doc.add_paragraph(meta.get("subtitle", meta.get("agency", "")), style="Subtitle")
    doc.add_paragraph(meta["title"], style="Title")
    for line in (
        f"Planperiode {meta['period']}" if meta.get("period") else "",
        f"Versie {meta['version']}" if meta.get("version") else "",
        date_nl(d) if meta.get("date") else "",
        meta.get("status", ""),
    ):
        if line:
            doc.add_paragraph(line)

    pending: list[tuple[int, str]] = []

    def flush_notes():
        if not pending:
            return
        p = doc.add_paragraph()
        r = p.add_run("Voetnoten")
        r.bold = True
        r.font.size = Pt(8.5)
        for num, text in pending:
            p = doc.add_paragraph()
            p.paragraph_format.space_after = Pt(1)
            r = p.add_run(f"{num}  {text}")
            r.font.size = Pt(8)
        pending.clear()

    def add_runs(p, text: str):
        for kind, val in runs_of(text):
            if kind == "note":
                r = p.add_run(str(plan.note_numbers[val]))
                r.font.superscript = True
                pending.append((plan.note_numbers[val], plan.notes[val]))
            else:
                r = p.add_run(val)
                r.bold = kind == "bold" or None

    def emit(blocks: list[Block]):
        for b in blocks:
            if b.kind == "heading":
                if b.level == 1:
                    flush_notes()
                h = doc.add_heading(plain(b.text), level=b.level)
                if b.level == 1:
                    h.paragraph_format.page_break_before = True
                for r in h.runs:
                    r.font.color.rgb = RGBColor(*ACCENT)
            elif b.kind == "para":
                p = doc.add_paragraph()
                p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                add_runs(p, b.text)
            elif b.kind == "bullets":
                for item in b.items:
                    add_runs(doc.add_paragraph(style="List Bullet"), item)
            elif b.kind == "numbers":
                for k, item in enumerate(b.items):
                    p = doc.add_paragraph(style="List Paragraph")
                    p.paragraph_format.left_indent = Cm(0.9)
                    p.paragraph_format.first_line_indent = Cm(-0.6)
                    p.add_run(f"{b.start + k}.\t")
                    add_runs(p, item)
            elif b.kind == "table":
                t = doc.add_table(rows=len(b.rows), cols=len(b.rows[0]))
                t.style = "Table Grid"
                for i, row in enumerate(b.rows):
                    for j, cell in enumerate(row):
                        p = t.cell(i, j).paragraphs[0]
                        add_runs(p, cell)
                        for r in p.runs:
                            r.font.size = Pt(9)
                            if i == 0:
                                r.bold = True
                doc.add_paragraph()
            elif b.kind == "columns":
                _docx_columns(doc.add_section(WD_SECTION.CONTINUOUS), 2)
                emit(b.blocks)
                _docx_columns(doc.add_section(WD_SECTION.CONTINUOUS), 1)
            elif b.kind == "pagebreak":
                doc.add_page_break()

    emit(plan.blocks)
    flush_notes()

    buf = io.BytesIO()
    doc.save(buf)
    # Rewrite the archive with fixed time stamps so that a rebuild is byte-identical.
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return 0


# --------------------------------------------------------------------------- #


def check_manifest(plans: dict[str, Plan]) -> list[str]:
    """Compare manifest.toml with the front matter of the sources; return warnings."""
    import tomllib

    path = HERE / "manifest.toml"
    if not path.is_file():
        return ["manifest.toml is missing"]
    rows = tomllib.loads(path.read_text(encoding="utf-8")).get("document", [])
    by_stem = {Path(r.get("path", "")).stem: r for r in rows}
    warnings = []
    for name, plan in plans.items():
        row = by_stem.get(name)
        ext = "docx" if plan.meta.get("format", "pdf").lower() == "docx" else "pdf"
        if row is None:
            warnings.append(f"manifest.toml has no [[document]] for {name}.{ext}")
            continue
        if row.get("path") != f"{name}.{ext}":
            warnings.append(f"manifest.toml: path {row.get('path')!r} should be '{name}.{ext}'")
        for key in ("agency", "title", "period", "version", "date"):
            if key in plan.meta and str(row.get(key, "")) != plan.meta[key]:
                warnings.append(
                    f"manifest.toml: {name} {key} is {row.get(key)!r}, the source says {plan.meta[key]!r}"
                )
    return warnings


def main(argv: list[str]) -> int:
    wanted = {Path(a).stem for a in argv}
    sources = sorted(p for p in SRC.glob("*.md") if p.name != "FORMAT.md")
    if wanted:
        sources = [p for p in sources if p.stem in wanted]
        missing = wanted - {p.stem for p in sources}
        if missing:
            print(f"build.py: no source for {', '.join(sorted(missing))}", file=sys.stderr)
            return 2
    fonts: dict[str, Path] | None = None
    failed = 0
    plans: dict[str, Plan] = {}
    for path in sources:
        try:
            plan = parse_plan(path)
            plans[plan.name] = plan
            fmt = plan.meta.get("format", "pdf").lower()
            if fmt == "docx":
                out = HERE / f"{plan.name}.docx"
                render_docx(plan, out)
                print(f"{out.relative_to(HERE.parent.parent)}")
            elif fmt == "pdf":
                if fonts is None:
                    fonts = find_fonts()
                out = HERE / f"{plan.name}.pdf"
                pages = render_pdf(plan, out, fonts)
                print(f"{out.relative_to(HERE.parent.parent)}  ({pages} pages)")
            else:
                raise SourceError(f"{path.name}: unknown format '{fmt}' (pdf or docx)")
        except SourceError as exc:
            failed += 1
            print(f"build.py: {exc}", file=sys.stderr)
    for warning in check_manifest(plans):
        print(f"build.py: warning: {warning}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
