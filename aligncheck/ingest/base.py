"""What every ingester returns, and the text clean-up they share."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from aligncheck.types import Block

_SPACE = re.compile(r"[ \t\r\n\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass
class Extracted:
    """An ingester's result: blocks in reading order, and what it learned about the file."""

    blocks: list[Block]
    title: str | None = None
    pages: int | None = None
    warnings: list[str] = field(default_factory=list)
    publisher: str | None = None
    """Who published the file, as the file's metadata says (an HTML page's site name or creator):
    agency inference reads it as it reads the title."""


def size_phrase(size: int) -> str:
    """A byte count for people: '512 bytes', '1.5 MB', '200 MB'."""
    if size < 10 * 1024:
        return f"{size} bytes"
    mb = size / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 10 else f"{mb:.1f} MB"


def normalise_space(text: str) -> str:
    """Collapse all whitespace runs into one space and drop invisible characters (soft hyphens,
    zero-width spaces, control characters). Keeps U+2011 (non-breaking hyphen) for quoting."""
    return _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


# A footnote marker glued after sentence punctuation or a closing quote: "onderzoek.2", "werk,12",
# "”3". Never after an abbreviation that takes a number ("nr.12", "art.3") and never inside a number.
_NUMBER_ABBREVIATIONS = (
    "nr|nrs|art|artt|lid|blz|pag|p|pp|no|jo|sub|hfd|hst|par|bijl|afd|stb|stcrt|kamerstukken|ii|i|vol"
)
_MARKER_AFTER_PUNCT = re.compile(
    r"(?P<pre>[^\W\d_]{2,}|[)\]])(?P<punct>[.,;:!?]|[\u201d\"\u2019'](?:[.,;:])?)(?P<num>\d{1,3})(?=\s|$|[)\]])"
)
_ABBREV_BEFORE = re.compile(rf"(?:^|\W)(?:{_NUMBER_ABBREVIATIONS})$", re.IGNORECASE)
_DIGIT_AFTER_PUNCT = re.compile(r"[.,;:!?\u201d\"\u2019']\d")
"""A quick test that a text may hold such a marker: most texts do not, and the full pattern is slow."""


def strip_footnote_markers(text: str) -> str:
    """Remove footnote numbers glued to punctuation: 'onderzoek.2 Daarna' -> 'onderzoek. Daarna'.

    Digits of years, article numbers and amounts are kept: a marker must follow a word of two or more
    letters plus punctuation, and the word must not be an abbreviation that takes a number (nr., art.)."""

    def repl(match: re.Match[str]) -> str:
        if _ABBREV_BEFORE.search(match.group("pre")):
            return match.group(0)
        return match.group("pre") + match.group("punct")

    if not _DIGIT_AFTER_PUNCT.search(text):
        return text
    return _MARKER_AFTER_PUNCT.sub(repl, text)


_JOIN_KEEP_HYPHEN_NEXT = {"en", "of", "tot", "en/of", "als", "noch"}


def join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph, undoing line-break hyphenation.

    'handha-' + 'ving' -> 'handhaving'; 'wet-' + 'en regelgeving' keeps 'wet- en'; 'ICT-' +
    'systemen' keeps 'ICT-systemen' (an upper-case or digit stem takes a real hyphen); a hyphen
    before an upper-case word ('Noord-' + 'Holland') stays."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if not out:
            out = line
            continue
        if out.endswith(("-", "\u2010")) and len(out) >= 2:
            stem_char = out[-2]
            next_word = line.split(" ", 1)[0]
            next_clean = next_word.rstrip(".,;:!?)")
            if next_clean.lower() in _JOIN_KEEP_HYPHEN_NEXT:
                out = out + " " + line
            elif stem_char.islower() and line[:1].islower():
                out = out[:-1] + line
            else:
                out = out + line
        elif out.endswith("\u2011"):
            out = out + line
        else:
            out = out + " " + line
    return normalise_space(out)
