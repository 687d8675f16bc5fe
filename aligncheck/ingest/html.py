"""Read HTML pages: the main content's headings, paragraphs, list items, table rows and definitions,
without navigation, banners, cookie bars and other page furniture."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PageElement, PreformattedString

from aligncheck.ingest.base import Extracted, normalise_space, strip_footnote_markers
from aligncheck.ingest.text import decode_legacy
from aligncheck.types import Block, BlockKind

_DROP_TAGS = frozenset(
    "script style noscript template svg nav header footer aside form button iframe".split()
)
_DROP_ROLES = frozenset({"navigation", "banner", "contentinfo"})
_NOISE_NAMES = re.compile(r"breadcrumb|kruimelpad|cookie|menu|skip|share|footer|nav")
_FOOTNOTE_NAMES = re.compile(r"footnote|endnote|voetnoot")
_FOOTNOTE_ROLES = frozenset({"doc-footnote", "doc-endnotes", "doc-endnote"})
_BLOCK_TAGS = frozenset(
    """address article aside blockquote body caption center dd details dialog dir div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav ol
    p pre section summary table tbody td tfoot th thead tr ul""".split()
)
_PARAGRAPH_TAGS = frozenset({"p", "pre", "figcaption", "caption", "summary", "legend", "address"})
_HEADING = re.compile(r"^h([1-6])$")
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_WINDOWS_1252_ALIASES = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "us-ascii", "ascii", "cp819"}
_TITLE_SEPARATORS = (" | ", " - ", " \u2013 ", " \u2014 ")
_PUBLISHER_META = frozenset(
    {"dcterms.creator", "dc.creator", "dcterms.publisher", "dc.publisher", "og:site_name", "author"}
)


def extract(path: str, data: bytes) -> Extracted:
    """Read an HTML page into blocks; only <main> or <article> when the page has one."""
    soup = BeautifulSoup(decode(data), "lxml")
    walker = _Walker()
    for root in _content_roots(soup):
        walker.walk(root)
    return Extracted(
        blocks=walker.blocks, title=_title(soup, walker.blocks), pages=None, publisher=_publisher(soup)
    )


def decode(data: bytes) -> str:
    """Decode by BOM, then <meta charset>, then UTF-8, then Windows-1252 or a guess."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    declared = _declared_encoding(data)
    for encoding in [declared, "utf-8"] if declared else ["utf-8"]:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return decode_legacy(data)


def _declared_encoding(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    if name in _WINDOWS_1252_ALIASES:
        return "cp1252"  # what browsers do
    if name.startswith("utf-16"):
        return "utf-8"  # a BOM-less page cannot really be UTF-16 if its meta tag reads as ASCII
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _content_roots(soup: BeautifulSoup) -> list[Tag]:
    """The outermost <main> elements, else the outermost <article> elements, else <body>."""
    for name in ("main", "article"):
        found = [tag for tag in soup.find_all(name) if tag.find_parent(name) is None]
        if found:
            return found
    body = soup.body
    if body is not None:
        return [body]
    return [soup] if isinstance(soup, Tag) else []


def _title(soup: BeautifulSoup, blocks: list[Block]) -> str | None:
    """The <title> without a site suffix, else the first level-1 heading."""
    if soup.title is not None:
        title = normalise_space(soup.title.get_text())
        for separator in _TITLE_SEPARATORS:
            first, found, _ = f" {title}".partition(separator)
            if found and first.strip():
                title = first.strip()
        title = title.lstrip("|-\u2013\u2014 ")
        if title:
            return title
    return next((b.text for b in blocks if b.kind is BlockKind.HEADING and b.level == 1), None)


def _publisher(soup: BeautifulSoup) -> str | None:
    """The site or organisation a page names as its own: the creator and site-name meta tags
    (DCTERMS.creator, DC.creator, og:site_name, author), and the site suffix of the <title> ("... |
    Gemeente Noordwaarde"), which `_title` leaves out. None when the page names none."""
    found: list[str] = []
    for tag in soup.find_all("meta"):
        key = str(tag.get("name") or tag.get("property") or "").lower()
        if key in _PUBLISHER_META:
            found.append(normalise_space(str(tag.get("content") or "")))
    if soup.title is not None:
        title = f" {normalise_space(soup.title.get_text())}"
        for separator in _TITLE_SEPARATORS:
            _, sep, suffix = title.rpartition(separator)
            if sep and suffix.strip():
                found.append(suffix.strip())
                break
    unique = [text for i, text in enumerate(found) if text and text not in found[:i]]
    return " | ".join(unique) or None


def _is_noise(tag: Tag, inside_content: bool) -> bool:
    """Page furniture: navigation, banners, cookie bars, share buttons, hidden elements."""
    attrs = tag.attrs or {}
    role = str(attrs.get("role", "")).lower()
    if _is_footnotes(tag):
        return False
    if tag.name in _DROP_TAGS and not (tag.name == "header" and inside_content):
        return True
    if role in _DROP_ROLES or "hidden" in attrs or str(attrs.get("aria-hidden", "")).lower() == "true":
        return True
    if re.search(r"display\s*:\s*none", str(attrs.get("style", "")), re.IGNORECASE):
        return True
    if _NOISE_NAMES.search(_names(tag)):
        # a wrapper that happens to carry such a class but holds the content is kept
        return (
            tag.name not in ("html", "body", "main", "article")
            and tag.find(["main", "article", "h1"]) is None
        )
    return _is_note_reference(tag)


def _names(tag: Tag) -> str:
    value = tag.get("class")
    classes = [value] if isinstance(value, str) else [str(c) for c in value or ()]
    return " ".join([*classes, str(tag.get("id") or "")]).lower()


def _is_footnotes(tag: Tag) -> bool:
    role = str(tag.get("role") or "").lower()
    if role in _FOOTNOTE_ROLES:
        return True
    return tag.name not in ("a", "sup", "span") and bool(_FOOTNOTE_NAMES.search(_names(tag)))


def _is_note_reference(tag: Tag) -> bool:
    """A footnote call (<sup><a href="#fn1">1</a></sup>) or a footnote's back link."""
    role = str(tag.get("role") or "").lower()
    if role in ("doc-noteref", "doc-backlink"):
        return True
    if tag.name == "a" and "backref" in _names(tag):
        return True
    if tag.name == "sup":
        link = tag.find("a", href=True)
        return link is not None and str(link["href"]).startswith("#")
    return False


@dataclass
class _Frame:
    """An open block: `kind` is container, capture, li, tr, cell, dl, dt or dd."""

    kind: str
    block: BlockKind = BlockKind.PARAGRAPH
    level: int = 0
    parts: list[str] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)
    groups: list[tuple[list[str], list[str]]] = field(default_factory=list)
    footnote: bool = False


_CAPTURING = frozenset({"capture", "li", "cell", "dt", "dd"})


class _Walker:
    """Turns an element tree into blocks with an explicit stack (no recursion, any depth)."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.frames: list[_Frame] = [_Frame("container")]

    def walk(self, root: Tag) -> None:
        # entries are (node, entering, pushed): an exit entry pops the frame its entry pushed, if any
        stack: list[tuple[PageElement, bool, bool]] = [(root, True, False)]
        inside_content = root.name in ("main", "article")
        while stack:
            node, entering, pushed = stack.pop()
            if isinstance(node, NavigableString):
                if not isinstance(node, PreformattedString):
                    self.frames[-1].parts.append(str(node))
                continue
            if not isinstance(node, Tag):
                continue
            if not entering:
                self._close(node, pushed)
                continue
            if node is not root and _is_noise(node, inside_content):
                continue
            opened = self._open(node)
            stack.append((node, False, opened))
            stack.extend((child, True, False) for child in reversed(node.contents))
        self._flush(self.frames[0], BlockKind.PARAGRAPH)

    def _open(self, tag: Tag) -> bool:
        """Start a block for `tag` if it starts one; return whether a frame was pushed."""
        name = tag.name
        top = self.frames[-1]
        if name == "br":
            top.parts.append(" ")
            return False
        if name not in _BLOCK_TAGS:
            return False
        footnote = top.footnote or _is_footnotes(tag)
        if top.kind in _CAPTURING:
            if name in ("ul", "ol") and top.kind == "li":
                self._flush(top, top.block)  # the item's own text comes before its sub-items
                self.frames.append(_Frame("container", footnote=footnote))
                return True
            top.parts.append(" ")
            return False
        if top.kind == "container":
            self._flush(top, BlockKind.FOOTNOTE if top.footnote else BlockKind.PARAGRAPH)
        self.frames.append(_frame_for(tag, footnote))
        return True

    def _close(self, tag: Tag, pushed: bool) -> None:
        if not pushed:
            if tag.name in _BLOCK_TAGS and self.frames[-1].kind in _CAPTURING:
                self.frames[-1].parts.append(" ")
            return
        frame = self.frames.pop()
        if frame.kind == "cell":
            cell = _clean("".join(frame.parts))
            row = self._nearest("tr")
            if row is not None:
                row.cells.append(cell)
            else:
                self._emit(BlockKind.PARAGRAPH, cell)
        elif frame.kind in ("dt", "dd"):
            self._add_definition(self._nearest("dl"), frame)
        elif frame.kind == "tr":
            self._emit(BlockKind.TABLE_ROW, " | ".join(c for c in frame.cells if c))
        elif frame.kind == "dl":
            kind = BlockKind.FOOTNOTE if frame.footnote else BlockKind.PARAGRAPH
            for terms, definitions in frame.groups:
                self._emit(kind, _definition(terms, definitions))
            self._flush(frame, BlockKind.PARAGRAPH)
        elif frame.kind == "container":
            self._flush(frame, BlockKind.FOOTNOTE if frame.footnote else BlockKind.PARAGRAPH)
        else:
            self._flush(frame, frame.block)

    def _nearest(self, kind: str) -> _Frame | None:
        """The innermost open frame of `kind`, looking through plain containers (a <div> in a <dl>)."""
        for frame in reversed(self.frames):
            if frame.kind == kind:
                return frame
            if frame.kind != "container":
                return None
        return None

    def _add_definition(self, parent: _Frame | None, frame: _Frame) -> None:
        text = _clean("".join(frame.parts))
        if parent is None:
            self._emit(BlockKind.PARAGRAPH, text)
            return
        if not text:
            return
        if frame.kind == "dt":
            if not parent.groups or parent.groups[-1][1]:
                parent.groups.append(([], []))
            parent.groups[-1][0].append(text)
        else:
            if not parent.groups:
                parent.groups.append(([], []))
            parent.groups[-1][1].append(text)

    def _flush(self, frame: _Frame, kind: BlockKind) -> None:
        text = _clean("".join(frame.parts))
        frame.parts.clear()
        self._emit(kind, text, frame.level if kind is BlockKind.HEADING else 0)

    def _emit(self, kind: BlockKind, text: str, level: int = 0) -> None:
        if text:
            self.blocks.append(Block(kind, text, level=level))


def _frame_for(tag: Tag, footnote: bool) -> _Frame:
    name = tag.name
    heading = _HEADING.match(name)
    if heading:
        return _Frame("capture", BlockKind.HEADING, int(heading.group(1)), footnote=footnote)
    if name in _PARAGRAPH_TAGS:
        return _Frame("capture", BlockKind.FOOTNOTE if footnote else BlockKind.PARAGRAPH, footnote=footnote)
    if name == "li":
        return _Frame("li", BlockKind.FOOTNOTE if footnote else BlockKind.LIST_ITEM, footnote=footnote)
    if name in ("td", "th"):
        return _Frame("cell", footnote=footnote)
    if name in ("tr", "dl", "dt", "dd"):
        return _Frame(name, footnote=footnote)
    return _Frame("container", footnote=footnote)


def _definition(terms: list[str], definitions: list[str]) -> str:
    if terms and definitions:
        return f"{', '.join(terms)}: {' '.join(definitions)}"
    return " ".join(terms or definitions)


def _clean(text: str) -> str:
    return normalise_space(strip_footnote_markers(normalise_space(text)))
