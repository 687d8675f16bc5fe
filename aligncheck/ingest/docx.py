"""Read Word (.docx) files: body paragraphs and tables in document order, then footnotes."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from lxml import etree

from aligncheck.errors import CorruptDocument, LimitExceeded
from aligncheck.ingest.base import Extracted, normalise_space, size_phrase, strip_footnote_markers
from aligncheck.types import Block, BlockKind

_RESAVE = "save it again as .docx from Word"
_HEADING_NAME = re.compile(r"^(?:heading|kop)\s*([1-9])$", re.IGNORECASE)
_TITLE_NAMES = {"title", "titel"}
_LIST_WORDS = ("list", "lijst", "opsomming")
_TOC_NAME = re.compile(r"^(?:toc|inhopg)\s*\d$", re.IGNORECASE)

_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_TXBX = qn("w:txbxContent")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_SKIP_IN_TEXT = {_TXBX, _FALLBACK, qn("w:del"), qn("w:moveFrom"), _TBL}
_CHARS = {
    qn("w:tab"): " ",
    qn("w:ptab"): " ",
    qn("w:br"): " ",
    qn("w:cr"): " ",
    qn("w:noBreakHyphen"): "\u2011",
}

# What a paragraph style makes of a paragraph: ("heading", level), ("list", 0), ("toc", 0) or None.
StyleRole = tuple[str, int] | None


def extract(path: str, data: bytes, max_unpacked: int = 200 * 1024 * 1024) -> Extracted:
    """Read a .docx file's body (paragraphs and table rows in order), then its foot- and endnotes.
    A zip whose members unpack to more than `max_unpacked` bytes is refused unread (a zip bomb)."""
    document = _open(path, _unpack(path, data, max_unpacked))
    try:
        roles = _style_roles(document.styles.element)
        blocks = list(_body_blocks(document.element.body, roles))
        blocks.extend(_note_blocks(document))
        title = normalise_space(document.core_properties.title or "") or None
    except _MALFORMED as exc:  # parts that parse as XML but are not what Word writes
        raise CorruptDocument(path, f"is not a valid DOCX ({_describe(exc)})", _RESAVE) from None
    return Extracted(blocks=blocks, title=title, pages=None)


_MALFORMED = (AttributeError, TypeError, IndexError, KeyError, ValueError, etree.LxmlError)
"""What python-docx raises on a package whose parts have unexpected elements or attributes."""


def _describe(exc: Exception) -> str:
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


_CHUNK = 1024 * 1024


def _unpack(path: str, data: bytes, max_unpacked: int) -> bytes:
    """The zip's members unpacked in bounded steps and packed again uncompressed, for python-docx.

    Zip bombs are refused before anything is unpacked when the sizes the zip declares add up to more
    than `max_unpacked`. A zip that lies about its sizes cannot get round that: `zipfile` stops each
    member at its declared size (and then fails its CRC check), but only when read in steps;
    python-docx reads members whole, which would unpack a lying member's entire stream first. So it
    only ever sees members that were unpacked here, stored without compression."""
    try:
        members = _members(path, data, max_unpacked)
    except (
        zipfile.BadZipFile,
        ValueError,
        RuntimeError,
        NotImplementedError,
        EOFError,
        OSError,
        zlib.error,
    ):
        # a damaged directory or header, encrypted members, unknown compression, streams cut short
        raise CorruptDocument(path, "is not a valid DOCX (broken zip)", _RESAVE) from None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as repacked:
        for name, content in members.items():
            repacked.writestr(name, content)
    return out.getvalue()


def _members(path: str, data: bytes, max_unpacked: int) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [info for info in archive.infolist() if not info.is_dir()]
        total = sum(info.file_size for info in infos)
        if total > max_unpacked:
            raise LimitExceeded(
                path,
                f"unpacks to {size_phrase(total)}, more than the limit of {size_phrase(max_unpacked)} "
                "(a real plan is far smaller; this may be a zip bomb)",
                "--max-unpacked",
            )
        if not any(info.filename == "word/document.xml" for info in infos):
            raise CorruptDocument(path, "is not a DOCX file (no word/document.xml)", _RESAVE)
        members: dict[str, bytes] = {}
        for info in infos:
            with archive.open(info) as member:
                chunks = []
                while chunk := member.read(_CHUNK):
                    chunks.append(chunk)
            members[info.filename] = b"".join(chunks)
    return members


def _open(path: str, data: bytes) -> DocxDocument:
    try:
        return docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, etree.XMLSyntaxError) as exc:
        raise CorruptDocument(path, f"is not a valid DOCX ({exc})", _RESAVE) from None
    except _MALFORMED as exc:
        raise CorruptDocument(path, f"is not a valid DOCX ({_describe(exc)})", _RESAVE) from None


def _style_roles(styles: etree._Element) -> dict[str, StyleRole]:
    """Map each paragraph style id to its role, following `basedOn` links."""
    own: dict[str, StyleRole] = {}
    parent: dict[str, str] = {}
    for style in styles.iterchildren(qn("w:style")):
        if style.get(qn("w:type")) != "paragraph":
            continue
        style_id = style.get(qn("w:styleId")) or ""
        own[style_id] = _own_role(style)
        based_on = style.find(qn("w:basedOn"))
        if based_on is not None:
            parent[style_id] = based_on.get(qn("w:val")) or ""
    roles: dict[str, StyleRole] = {}
    for style_id in own:
        current, seen = style_id, set()
        while own.get(current) is None and current in parent and current not in seen:
            seen.add(current)
            current = parent[current]
        roles[style_id] = own.get(current)
    default = styles.find(f"{qn('w:style')}[@{qn('w:type')}='paragraph'][@{qn('w:default')}='1']")
    if default is not None:
        roles[""] = roles.get(default.get(qn("w:styleId")) or "")
    return roles


def _own_role(style: etree._Element) -> StyleRole:
    name_el = style.find(qn("w:name"))
    name = (name_el.get(qn("w:val")) or "").strip() if name_el is not None else ""
    match = _HEADING_NAME.match(name)
    if match:
        return ("heading", int(match.group(1)))
    if name.lower() in _TITLE_NAMES:
        return ("heading", 1)
    if _TOC_NAME.match(name):
        return ("toc", 0)
    ppr = style.find(qn("w:pPr"))
    outline = _outline_level(ppr)
    if outline:
        return ("heading", outline)
    if any(word in name.lower() for word in _LIST_WORDS) or _has_numbering(ppr):
        return ("list", 0)
    return None


def _outline_level(ppr: etree._Element | None) -> int:
    """Heading level 1-9 from w:outlineLvl (0-8), or 0 for body text."""
    if ppr is None:
        return 0
    outline = ppr.find(qn("w:outlineLvl"))
    value = outline.get(qn("w:val")) if outline is not None else None
    return int(value) + 1 if value is not None and value.isdigit() and int(value) < 9 else 0


def _has_numbering(ppr: etree._Element | None) -> bool:
    """Whether a pPr links to a list: a numId other than 0 (Word's Subtitle style carries a numPr
    with only an ilvl, which is not a list)."""
    num_id = ppr.find(f"{qn('w:numPr')}/{qn('w:numId')}") if ppr is not None else None
    return num_id is not None and num_id.get(qn("w:val")) not in (None, "0")


def _body_blocks(body: etree._Element, roles: dict[str, StyleRole]) -> Iterator[Block]:
    """Paragraphs and tables in document order, descending into content controls and text boxes."""
    stack: list[etree._Element] = list(reversed(body))
    while stack:
        element = stack.pop()
        if element.tag == _P:
            block = _paragraph_block(element, roles)
            if block is not None:
                yield block
            stack.extend(reversed(_text_box_children(element)))
        elif element.tag == _TBL:
            yield from _table_blocks(element)
        elif element.tag == _SDT and not _is_toc(element):
            content = element.find(_SDT_CONTENT)
            if content is not None:
                stack.extend(reversed(content))
        elif element.tag == _CUSTOM_XML:
            stack.extend(reversed(element))


def _is_toc(sdt: etree._Element) -> bool:
    gallery = sdt.find(f"{qn('w:sdtPr')}/{qn('w:docPartObj')}/{qn('w:docPartGallery')}")
    return gallery is not None and "contents" in (gallery.get(qn("w:val")) or "").lower()


def _text_box_children(p: etree._Element) -> list[etree._Element]:
    """Block elements inside the paragraph's text boxes (the preferred rendering only)."""
    children: list[etree._Element] = []
    for box in p.iter(_TXBX):
        between = []
        for ancestor in box.iterancestors():
            if ancestor is p:
                break
            between.append(ancestor.tag)
        if _TXBX not in between and _FALLBACK not in between:
            children.extend(box)
    return children


def _paragraph_block(p: etree._Element, roles: dict[str, StyleRole]) -> Block | None:
    text = _clean(_text(p))
    if not text:
        return None
    role = _paragraph_role(p, roles)
    if role is None:
        return Block(BlockKind.PARAGRAPH, text)
    kind, level = role
    if kind == "heading":
        return Block(BlockKind.HEADING, text, level=level)
    if kind == "toc":
        return None
    return Block(BlockKind.LIST_ITEM, text)


def _paragraph_role(p: etree._Element, roles: dict[str, StyleRole]) -> StyleRole:
    ppr = p.find(qn("w:pPr"))
    style = ppr.find(qn("w:pStyle")) if ppr is not None else None
    style_id = (style.get(qn("w:val")) or "") if style is not None else ""
    role = roles.get(style_id, roles.get(""))
    if role is not None and role[0] in ("heading", "toc"):
        return role
    outline = _outline_level(ppr)
    if outline:
        return ("heading", outline)
    if _has_numbering(ppr):
        return ("list", 0)
    return role


def _text(root: etree._Element) -> str:
    """The visible text under `root`, skipping text boxes, deleted text and nested tables;
    paragraphs inside `root` (in a cell or a note) are separated by a space."""
    parts: list[str] = []
    stack: list[etree._Element] = list(reversed(root))
    while stack:
        element = stack.pop()
        tag = element.tag
        if tag == qn("w:t"):
            parts.append(element.text or "")
        elif tag == _P:
            parts.append(" ")
            stack.extend(reversed(element))
        elif tag in _CHARS:
            parts.append(_CHARS[tag])
        elif tag not in _SKIP_IN_TEXT:
            stack.extend(reversed(element))
    return "".join(parts)


def _clean(text: str) -> str:
    return normalise_space(strip_footnote_markers(text))


def _table_blocks(tbl: etree._Element) -> Iterator[Block]:
    """One TABLE_ROW per row; a vertically merged cell repeats its text on each row it spans, a
    horizontally merged cell appears once. Nested tables follow the row they sit in."""
    above: dict[int, str] = {}
    for tr in tbl.iterchildren(_TR):
        cells, nested, above = _row_cells(tr, above)
        texts = [text for text in cells if text]
        if texts:
            yield Block(BlockKind.TABLE_ROW, " | ".join(texts))
        for inner in nested:
            yield from _table_blocks(inner)


def _row_cells(
    tr: etree._Element, above: dict[int, str]
) -> tuple[list[str], list[etree._Element], dict[int, str]]:
    """The row's cell texts, its nested tables, and the text at each grid column for the next row."""
    column = _int_attr(tr.find(f"{qn('w:trPr')}/{qn('w:gridBefore')}"), 0)
    cells: list[str] = []
    nested: list[etree._Element] = []
    here: dict[int, str] = {}
    for tc in _row_tcs(tr):
        tc_pr = tc.find(qn("w:tcPr"))
        span = max(1, _int_attr(tc_pr.find(qn("w:gridSpan")) if tc_pr is not None else None, 1))
        v_merge = tc_pr.find(qn("w:vMerge")) if tc_pr is not None else None
        if v_merge is not None and v_merge.get(qn("w:val")) in (None, "continue"):
            text = above.get(column, "")
        else:
            text = _cell_text(tc)
            nested.extend(tc.iterchildren(_TBL))
        cells.append(text)
        here[column] = text
        column += span
    return cells, nested, here


def _row_tcs(tr: etree._Element) -> Iterator[etree._Element]:
    """The row's cells, including those wrapped in content controls."""
    stack = list(reversed(tr))
    while stack:
        element = stack.pop()
        if element.tag == _TC:
            yield element
        elif element.tag in (_SDT, _SDT_CONTENT, _CUSTOM_XML):
            stack.extend(reversed(element))


def _cell_text(tc: etree._Element) -> str:
    return _clean(_text(tc))


def _int_attr(element: etree._Element | None, default: int) -> int:
    value = element.get(qn("w:val")) if element is not None else None
    return int(value) if value is not None and value.isdigit() else default


def _note_blocks(document: DocxDocument) -> Iterator[Block]:
    """Footnotes, then endnotes, as FOOTNOTE blocks; separators (id -1 and 0) are skipped."""
    for reltype, tag in ((RT.FOOTNOTES, "w:footnote"), (RT.ENDNOTES, "w:endnote")):
        for rel in document.part.rels.values():
            if rel.is_external or rel.reltype != reltype:
                continue
            root = parse_xml(rel.target_part.blob)
            for note in root.iterchildren(qn(tag)):
                if note.get(qn("w:type")) not in (None, "normal") or note.get(qn("w:id")) in ("-1", "0"):
                    continue
                text = _clean(_text(note))
                if text:
                    yield Block(BlockKind.FOOTNOTE, text)
