"""Read plain text and Markdown: paragraphs split on blank lines, with Markdown headings, list
items, pipe tables and footnotes recognised in both (plain-text exports often use them too)."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

import yaml
from charset_normalizer import from_bytes

from aligncheck.errors import CorruptDocument
from aligncheck.ingest.base import Extracted, join_lines, normalise_space, strip_footnote_markers
from aligncheck.types import Block, BlockKind

_ATX = re.compile(r"^\s{0,3}(#{1,6})(?:\s+(.*?))?(?:\s+#+)?\s*$")
_SETEXT = re.compile(r"^\s{0,3}(=+|-{2,})\s*$")
_RULE = re.compile(r"^\s{0,3}([-*_])(?:\s*\1){2,}\s*$")
_FENCE = re.compile(r"^\s{0,3}(```|~~~)")
_ITEM = re.compile(r"^\s*(?:[-*+\u2022]|\d{1,3}[.)]|[a-z][.)])\s+(?=\S)")
_FOOTNOTE_DEF = re.compile(r"^\s{0,3}\[\^([^\]]+)\]:\s*(.*)$")
_LINK_DEF = re.compile(r"^\s{0,3}\[[^\]^][^\]]*\]:\s*\S+")
_QUOTE = re.compile(r"^\s{0,3}>\s?")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2})+\.?|\d{1,2})\s+[A-ZÀ-Ý]")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")

_INLINE = (
    (re.compile(r"\[\^[^\]]+\]"), ""),  # footnote references
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # images: keep the alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # <https://...>
    (re.compile(r"\*\*|__|`"), ""),
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
)
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Windows-1252 read leniently: latin-1 with 0x80-0x9f remapped; its five undefined bytes count as
# control characters and are then dropped, instead of failing the whole file.
_UNDEFINED_BYTES = (0x81, 0x8D, 0x8F, 0x90, 0x9D)
_CP1252_C1 = {
    byte: bytes([byte]).decode("cp1252") for byte in range(0x80, 0xA0) if byte not in _UNDEFINED_BYTES
}
_CP1252_UNDEFINED: dict[int, None] = dict.fromkeys(_UNDEFINED_BYTES)


def extract(path: str, data: bytes, markdown: bool) -> Extracted:
    """Read a .txt or .md file into blocks. The title is a Markdown file's front matter title, else the
    first level-1 heading (#, or underlined with ===)."""
    text, warnings = decode(path, data)
    lines = text.splitlines()
    front_title = None
    if markdown:
        lines, front_title = _front_matter(lines)
    parser = _Parser(markdown)
    parser.feed(lines)
    return Extracted(blocks=parser.blocks, title=front_title or parser.title, pages=None, warnings=warnings)


def _front_matter(lines: list[str]) -> tuple[list[str], str | None]:
    """Split off a YAML front matter block ('---' ... '---') and return its title, if any."""
    if not lines or lines[0].strip() != "---":
        return lines, None
    end = next((i for i, line in enumerate(lines[1:200], 1) if line.strip() in ("---", "...")), None)
    if end is None:
        return lines, None
    try:
        meta = yaml.safe_load("\n".join(lines[1:end]))
    except yaml.YAMLError:
        return lines, None
    if not isinstance(meta, dict):
        return lines, None
    title = normalise_space(str(meta.get("title") or ""))
    return lines[end + 1 :], title or None


def decode(path: str, data: bytes) -> tuple[str, list[str]]:
    """UTF-8 or UTF-16/32 with a BOM, UTF-16 without one, UTF-8, else Windows-1252 (or a guess when
    that looks wrong). A few stray NUL bytes are dropped with a warning; many make it a binary file."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), []
    utf16 = _utf16_without_bom(data)
    if utf16:
        try:
            return data.decode(utf16), []
        except UnicodeDecodeError:
            pass
    warnings = []
    nuls = data.count(b"\x00")
    if nuls:
        if nuls > max(8, len(data) // 200) or _BINARY_CONTROL.search(data):
            raise CorruptDocument(
                path,
                "contains NUL bytes: it looks like a binary file, not text",
                "export it as plain text (UTF-8)",
            )
        data = data.replace(b"\x00", b"")
        warnings.append(f"{path}: {nuls} NUL byte(s) were removed from the text")
    try:
        return data.decode("utf-8"), warnings
    except UnicodeDecodeError:
        return decode_legacy(data), warnings


_BINARY_CONTROL = re.compile(rb"[\x01-\x08\x0e-\x1a\x1c-\x1f]")
"""Control bytes that text files do not hold (ESC, 0x1b, aside: some exports keep ANSI colours)."""


def _utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the text looks like UTF-16 without a BOM: a NUL in every
    other byte of most characters (Latin text), at odd positions (LE) or even ones (BE)."""
    head = data[:4096]
    if len(head) < 4 or len(head) % 2:
        return None
    pairs = len(head) // 2
    even = head[0::2].count(0)
    odd = head[1::2].count(0)
    if odd >= 0.6 * pairs and even <= 0.05 * pairs:
        return "utf-16-le"
    if even >= 0.6 * pairs and odd <= 0.05 * pairs:
        return "utf-16-be"
    return None


def decode_legacy(data: bytes) -> str:
    """Bytes that are not UTF-8: Windows-1252, what Dutch files without a declared encoding nearly
    always are; charset-normalizer only when that yields control characters (it guesses poorly on
    short Dutch texts, e.g. cp775 for a lone 'ï')."""
    text = data.decode("latin-1")
    if len(_CONTROL.findall(text.translate(_CP1252_C1))) <= max(3, len(text) // 100):
        return text.translate(_CP1252_C1).translate(_CP1252_UNDEFINED)
    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("latin-1")


@dataclass
class _Pending:
    """The lines of a paragraph, list item or footnote still being read."""

    kind: BlockKind
    lines: list[str] = field(default_factory=list)


class _Parser:
    """A line-by-line reader; blocks come out in order."""

    def __init__(self, markdown: bool) -> None:
        self.markdown = markdown
        self.blocks: list[Block] = []
        self.title: str | None = None
        self.pending: _Pending | None = None
        self.in_table = False

    def feed(self, lines: list[str]) -> None:
        for index, raw in enumerate(lines):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            self._line(_QUOTE.sub("", raw, count=1), following)
        self._flush(by_blank=True)

    def _line(self, line: str, following: str) -> None:
        if not line.strip() or _FENCE.match(line):
            self.in_table = False
            self._flush(by_blank=True)
            return
        if self._table_line(line, following):
            return
        if self._setext(line) or self._heading(line):
            return
        if _RULE.match(line) or (self.markdown and _LINK_DEF.match(line)):
            self._flush()
            return
        footnote = _FOOTNOTE_DEF.match(line)
        if footnote:
            self._start(BlockKind.FOOTNOTE, footnote.group(2))
            return
        item = _ITEM.match(line)
        if item:
            self._start(BlockKind.LIST_ITEM, line[item.end() :])
            return
        if self.pending is None:
            self.pending = _Pending(BlockKind.PARAGRAPH)
        self.pending.lines.append(line)  # a paragraph line, or an item's continuation

    def _table_line(self, line: str, following: str) -> bool:
        """Pipe-table rows: lines starting with '|', or any '|' line above a |---| separator."""
        stripped = line.strip()
        starts_table = "|" in stripped and _TABLE_SEPARATOR.match(following) is not None and "-" in following
        if not (stripped.startswith("|") or starts_table or (self.in_table and "|" in stripped)):
            return False
        self._flush()
        self.in_table = True
        if "-" in stripped and _TABLE_SEPARATOR.match(stripped):
            return True
        cells = [self._inline(cell) for cell in _CELL_SPLIT.split(stripped.strip("|"))]
        self._emit(BlockKind.TABLE_ROW, " | ".join(cell for cell in cells if cell))
        return True

    def _setext(self, line: str) -> bool:
        """'Title' over '=====' (level 1) or '-----' (level 2), for a one-line paragraph."""
        match = _SETEXT.match(line)
        pending = self.pending
        if not match or pending is None or pending.kind is not BlockKind.PARAGRAPH or len(pending.lines) != 1:
            return False
        self.pending = None
        self._heading_block(pending.lines[0], 1 if match.group(1).startswith("=") else 2)
        return True

    def _heading(self, line: str) -> bool:
        match = _ATX.match(line)
        if not match:
            return False
        self._flush()
        self._heading_block(match.group(2) or "", len(match.group(1)))
        return True

    def _heading_block(self, raw: str, level: int, numbered: bool = False) -> None:
        text = self._inline(raw)
        if text and level == 1 and not numbered and self.title is None:
            self.title = text
        self._emit(BlockKind.HEADING, text, level)

    def _start(self, kind: BlockKind, first: str) -> None:
        self._flush()
        self.pending = _Pending(kind, [first])

    def _flush(self, by_blank: bool = False) -> None:
        """Emit the pending block; a lone numbered line before a blank line in .txt is a heading."""
        pending, self.pending = self.pending, None
        if pending is None:
            return
        if pending.kind is BlockKind.PARAGRAPH and by_blank and not self.markdown and len(pending.lines) == 1:
            level = _numbered_heading_level(pending.lines[0])
            if level:
                self._heading_block(pending.lines[0], level, numbered=True)
                return
        self._emit(pending.kind, self._inline(join_lines(pending.lines)))

    def _inline(self, text: str) -> str:
        """Markdown inline markup removed: emphasis, code ticks, links, footnote references."""
        for pattern, replacement in _INLINE:
            text = pattern.sub(replacement, text)
        if self.markdown:
            text = _ESCAPE.sub(r"\1", text)
        return normalise_space(strip_footnote_markers(normalise_space(text)))

    def _emit(self, kind: BlockKind, text: str, level: int = 0) -> None:
        if text:
            self.blocks.append(Block(kind, text, level=level))


def _numbered_heading_level(line: str) -> int:
    """3 for '3.2.1 Informeren', 1 for '3 Preventie'; 0 when the line is not such a heading."""
    text = line.strip()
    match = _NUMBERED_HEADING.match(text)
    if not match or len(text) >= 80 or text.endswith("."):
        return 0
    return match.group(1).rstrip(".").count(".") + 1
