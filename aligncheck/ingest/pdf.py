"""PDF -> blocks in reading order, with pypdfium2 (fast) and our own layout analysis.

pdfium gives text runs ("rects") with their boxes. From those we rebuild lines, drop running headers,
footers and superscript footnote markers, put two-column pages in column order, keep table rows
together, and group lines into headings, paragraphs, list items and footnotes."""

from __future__ import annotations

import ctypes
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from aligncheck.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    LimitExceeded,
    NoTextLayer,
    page_phrase,
)
from aligncheck.ingest.base import Extracted, join_lines, normalise_space, strip_footnote_markers
from aligncheck.types import Block, BlockKind

BAND = 0.085
"""Share of the page height at the top and at the bottom where running headers and footers live."""

_PAGE_NUMBER = re.compile(
    r"^(?:(?:pagina|page|blz\.?|p\.|seite)\s*)?[-–—]?\s*\d{1,4}\s*[-–—]?(?:\s*(?:van|of|/|von)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_TOC_LEADER = re.compile(r"(?:\.\s?){4,}\s*\d{1,4}$|…+\s*\d{1,4}$|\s{3,}\d{1,4}$")
_TOC_TITLE = re.compile(
    r"^(?:inhoud(?:sopgave|stafel)?|inhoud en leeswijzer|contents|table of contents)$", re.I
)
_NUMBERED_HEADING = re.compile(
    r"^(?:(?:hoofdstuk|bijlage|deel|paragraaf|chapter|annex)\s+)?(?P<num>\d{1,2}(?:\.\d{1,2}){0,4}|[IVX]{1,5}|[A-H](?=\.?\s))\.?\s+\S",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^(?:[•●▪■◦‣∙·○►▶✓✔\u2022\u2023\u2043\u25aa\u25cf\uf0b7\uf0a7]|[-–—*](?=\s))\s*")
_ENUM = re.compile(r"^(?:\d{1,2}[.)]|[a-z][.)]|\(?[a-z0-9]{1,2}\))\s+")
_FOOTNOTE_START = re.compile(r"^(?P<num>\d{1,3}|[*†])[.)]?\s+\S")
_SENTENCE_END = re.compile(r"[.!?:;]['\"”’)]*$")


@dataclass(slots=True)
class Seg:
    """A run of text on one line: a pdfium rect, or several adjacent ones merged."""

    text: str
    x0: float
    x1: float
    top: float  # distance from the top of the page
    bottom: float
    size: float
    bold: bool

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(slots=True)
class Line:
    """A line of the page in reading order. A table row keeps its cells in `cells`."""

    segs: list[Seg]
    page: int
    column: int = 0  # 0 full width / single column, 1 left, 2 right
    cells: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)

    @property
    def x0(self) -> float:
        return min(s.x0 for s in self.segs)

    @property
    def x1(self) -> float:
        return max(s.x1 for s in self.segs)

    @property
    def top(self) -> float:
        return min(s.top for s in self.segs)

    @property
    def bottom(self) -> float:
        return max(s.bottom for s in self.segs)

    @property
    def size(self) -> float:
        return max(s.size for s in self.segs)

    @property
    def bold(self) -> bool:
        return all(s.bold for s in self.segs)


@dataclass(slots=True)
class Page:
    number: int
    width: float
    height: float
    segs: list[Seg]
    has_images: bool = False
    drawn: bool = True
    """Whether the page has any object (text, image, path): false for a blank or undecodable page."""


def extract(path: str, data: bytes, password: str | None = None, max_pages: int | None = None) -> Extracted:
    """Read a PDF's text in reading order. Raises InputError subclasses for encrypted, damaged or
    scanned files, and for more than `max_pages` pages."""
    doc = _open(path, data, password)
    try:
        if max_pages is not None and len(doc) > max_pages:
            raise LimitExceeded(
                path, f"has {len(doc)} pages, more than the limit of {max_pages}", "--max-pages"
            )
        title = _metadata_title(doc)
        pages, warnings = _read_pages(path, doc)
    finally:
        doc.close()
    total = len(pages)
    empty = [p.number for p in pages if not p.segs]
    if total and len(empty) == total:
        if not any(p.drawn for p in pages):  # not a scan: blank pages, or content pdfium cannot decode
            raise EmptyDocument(
                path,
                f"has no text and nothing drawn on any of its {total} page(s)",
                "if a PDF reader shows text, the page content is damaged: export or print it to PDF again",
            )
        raise NoTextLayer(path, empty, total)
    if empty:
        scanned = [p.number for p in pages if not p.segs and p.has_images]
        if scanned:
            warnings.append(
                f"{path}: {page_phrase(scanned)} {'has' if len(scanned) == 1 else 'have'} no text layer (scanned?) and "
                f"{'was' if len(scanned) == 1 else 'were'} skipped; "
                "run OCR on the file to include them"
            )
    layout = _Layout.measure(pages)
    _remove_running_lines(pages)
    lines: list[Line] = []
    columns = False  # a two-column page makes the next page's few paired lines columns too
    for page in pages:
        page_lines, columns = _page_lines(page, layout, columns)
        lines.extend(page_lines)
    blocks = _Blocks(layout).build(lines)
    return Extracted(blocks=blocks, title=title, pages=total, warnings=warnings)


# --- opening ---------------------------------------------------------------------------------


def _open(path: str, data: bytes, password: str | None) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium_c.FPDF_ERR_PASSWORD:
            if password:
                raise EncryptedDocument(path, "the password is wrong", "check the --password value") from None
            raise EncryptedDocument(
                path, "is encrypted with a password", "give it with --password, or save an unprotected copy"
            ) from None
        if code == pdfium_c.FPDF_ERR_SECURITY:
            raise EncryptedDocument(
                path, "uses an unsupported security handler", "save an unprotected copy from a PDF reader"
            ) from None
        raise CorruptDocument(
            path, "is damaged or not a complete PDF", "open it in a PDF reader and save or export it again"
        ) from None


def _metadata_title(doc: pdfium.PdfDocument) -> str | None:
    try:
        title = normalise_space(doc.get_metadata_value("Title") or "")
    except (pdfium.PdfiumError, KeyError, UnicodeDecodeError):
        return None
    # Word processors leave titles such as "Microsoft Word - plan_v3.docx": not a title.
    if not title or re.search(r"\.(docx?|pdf|odt)$|^microsoft word|^untitled|^naamloos", title, re.I):
        return None
    return title


def _read_pages(path: str, doc: pdfium.PdfDocument) -> tuple[list[Page], list[str]]:
    pages: list[Page] = []
    warnings: list[str] = []
    failed: list[int] = []
    for index in range(len(doc)):
        try:
            page = doc[index]
        except pdfium.PdfiumError:
            failed.append(index + 1)
            pages.append(Page(index + 1, 595.0, 842.0, [], drawn=False))
            continue
        try:
            pages.append(_read_page(page, index + 1))
        except pdfium.PdfiumError:
            failed.append(index + 1)
            pages.append(Page(index + 1, 595.0, 842.0, [], drawn=False))
        finally:
            page.close()
    if failed:
        warnings.append(
            f"{path}: {page_phrase(failed)} could not be read and {'was' if len(failed) == 1 else 'were'} skipped"
        )
    return pages, warnings


def _read_page(page: pdfium.PdfPage, number: int) -> Page:
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        segs = [
            Seg(
                text,
                left,
                right,
                height - top,
                height - bottom,
                *_font_at(textpage.raw, index, left, bottom, right, top),
            )
            for text, index, (left, bottom, right, top) in _runs(textpage)
        ]
        has_images = False
        drawn = True
        if not segs:
            has_images = any(
                True for _ in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)
            )
            drawn = pdfium_c.FPDFPage_CountObjects(page.raw) > 0
        return Page(number, width, height, segs, has_images, drawn)
    finally:
        textpage.close()


_LINE = re.compile(r"[^\r\n]+")
Box = tuple[float, float, float, float]


def _runs(textpage: pdfium.PdfTextPage) -> list[tuple[str, int, Box]]:
    """The page's text runs: text, index of the first character, box. pdfium's text comes line by
    line; a line of several boxes (a table row, two columns, a bold word) is cut where each box's
    first character lies (`_box_starts`). Only when that fails is a box's text read on its own (the
    slow call)."""
    raw = textpage.raw
    count = textpage.count_chars()
    full = textpage.get_text_range(0, count) if count > 0 else ""
    runs: list[tuple[str, int, Box]] = []
    if len(full) != count:  # characters that do not map one to one: read every box on its own
        for k in range(textpage.count_rects()):
            box = textpage.get_rect(k)
            text = _clean_run(textpage.get_text_bounded(*box))
            if text:
                runs.append((text, _char_at(raw, box), box))
        return runs
    for m in _LINE.finditer(full):
        start, end = m.start(), m.end()
        n = textpage.count_rects(start, end - start)
        boxes = [textpage.get_rect(k) for k in range(n)]
        if n == 1:
            firsts = [start]
        else:
            firsts = _box_starts(raw, start, end, n)
            if not (
                firsts[0] >= start
                and all(a < b for a, b in zip(firsts, firsts[1:], strict=False))
                and firsts[-1] < end
            ):
                firsts = []
        if firsts:
            bounds = [*firsts[1:], end]
            for box, a, b in zip(boxes, firsts, bounds, strict=False):
                text = _clean_run(full[a:b])
                if text:
                    runs.append((text, a, box))
        else:
            for box in boxes:
                text = _clean_run(textpage.get_text_bounded(*box))
                if text:
                    runs.append((text, _char_at(raw, box), box))
    return runs


def _box_starts(raw: object, start: int, end: int, n: int) -> list[int]:
    """Index of the first character of each of the `n` boxes pdfium makes of the characters
    start..end. pdfium starts a box wherever the text object changes, walking the characters in
    order, so the number of boxes of a prefix grows with its length: box k starts at the shortest
    prefix that has k + 1 boxes, found by bisection (a few cheap calls instead of a hit test of the
    whole page per box)."""
    firsts = [start]
    low = 1
    for k in range(1, n):
        lo, hi = low, end - start
        while lo < hi:
            mid = (lo + hi) // 2
            if pdfium_c.FPDFText_CountRects(raw, start, mid) > k:
                hi = mid
            else:
                lo = mid + 1
        firsts.append(start + lo - 1)
        low = lo
    return firsts


def _char_at(raw: object, box: Box) -> int:
    """Index of the first character in a box (-1 if none is found)."""
    left, bottom, right, top = box
    return int(
        pdfium_c.FPDFText_GetCharIndexAtPos(
            raw, left + min(0.5, (right - left) / 2), (bottom + top) / 2, 1.0, (top - bottom) / 2
        )
    )


def _clean_run(text: str) -> str:
    return text.replace("\x02", "-").replace("\ufffe", "-").replace("\r", " ").replace("\n", " ").strip()


_WEIGHT_BOLD = 600
_name_buffer = ctypes.create_string_buffer(128)


def _font_at(
    raw: object, index: int, left: float, bottom: float, right: float, top: float
) -> tuple[float, bool]:
    """Font size and boldness of the character at `index` (the first of a run)."""
    if index < 0:
        return max(1.0, (top - bottom) / 0.75), False
    size = float(pdfium_c.FPDFText_GetFontSize(raw, index)) or (top - bottom) / 0.75
    weight = pdfium_c.FPDFText_GetFontWeight(raw, index)
    if weight > 0:
        return size, weight >= _WEIGHT_BOLD
    flags = ctypes.c_int(0)
    n = pdfium_c.FPDFText_GetFontInfo(raw, index, _name_buffer, len(_name_buffer), ctypes.byref(flags))
    name = _name_buffer.raw[: max(0, n - 1)].decode("latin-1", "replace").lower()
    return size, ("bold" in name or "black" in name or "heavy" in name)


# --- page layout -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Layout:
    """Measures of the whole document that the page analysis compares against."""

    body_size: float
    gap_ratio: float  # usual vertical gap between two lines of one paragraph, in font sizes

    def max_gap(self, size: float) -> float:
        """The largest gap under a line of this font size that still continues its paragraph."""
        return (self.gap_ratio + 0.45) * size

    @staticmethod
    def measure(pages: list[Page]) -> _Layout:
        sizes: Counter[float] = Counter()
        for page in pages:
            for seg in page.segs:
                sizes[round(seg.size * 2) / 2] += len(seg.text)
        body = sizes.most_common(1)[0][0] if sizes else 11.0
        ratios: list[float] = []
        for page in pages:
            ordered = sorted(page.segs, key=lambda s: (s.top, s.x0))
            for a, b in zip(ordered, ordered[1:], strict=False):
                gap = b.top - a.bottom
                if abs(a.size - b.size) < 0.3 and 0 <= gap < a.size * 1.5 and abs(a.x0 - b.x0) < a.size * 3:
                    ratios.append(gap / a.size)
        gap_ratio = statistics.median(ratios) if ratios else 0.4
        return _Layout(body, gap_ratio)


def _remove_running_lines(pages: list[Page]) -> None:
    """Drop running headers, footers and page numbers: text in the top or bottom band of the page
    that repeats (digits aside) on many pages, or that is only a page number."""

    def key(seg: Seg) -> str:
        return re.sub(r"\d+", "#", seg.text.lower()).strip()

    def in_band(seg: Seg, page: Page) -> bool:
        return len(seg.text) < 120 and (seg.bottom < page.height * BAND or seg.top > page.height * (1 - BAND))

    with_text = [p for p in pages if p.segs]
    counts: Counter[str] = Counter()
    for page in with_text:
        counts.update({key(s) for s in page.segs if in_band(s, page)})
    needed = max(2, int(len(with_text) * 0.3))
    for page in with_text:
        page.segs = [
            s
            for s in page.segs
            if not (in_band(s, page) and (counts[key(s)] >= needed or _PAGE_NUMBER.match(s.text.strip())))
        ]


def _page_lines(page: Page, layout: _Layout, after_columns: bool) -> tuple[list[Line], bool]:
    """The page's lines in reading order, and whether it was set in two columns."""
    segs = _drop_superscripts(page.segs)
    rows = _rows(_merge_runs(segs, layout))
    mid = page.width / 2
    if _is_two_column(rows, mid, needed=1 if after_columns else 5):
        return _column_order(rows, page.number, mid), True
    return _table_aware(rows, page.number, layout), False


def _drop_superscripts(segs: list[Seg]) -> list[Seg]:
    """Remove footnote markers set as small raised digits right after a word; the word's run is
    widened over the marker so the gap after it stays a word gap."""
    if not segs:
        return segs
    typical = statistics.median(s.height for s in segs)
    dropped: set[int] = set()
    for k, seg in enumerate(segs):
        if re.fullmatch(r"\d{1,3}[,)]?|[*\u2020]", seg.text) and seg.height < typical * 0.75:
            for host in segs:
                if host is not seg and host.top - 1 <= seg.top <= host.bottom and -1 <= seg.x0 - host.x1 < 4:
                    host.x1 = max(host.x1, seg.x1)
                    dropped.add(k)
                    break
    return [s for k, s in enumerate(segs) if k not in dropped]


def _merge_runs(segs: list[Seg], layout: _Layout) -> list[Seg]:
    """Join runs that sit next to each other on one line (a bold word inside a sentence, the text
    after a footnote marker)."""
    merged: list[Seg] = []
    for row in _rows(segs, share=0.5):
        current = row[0]
        for seg in row[1:]:
            gap = seg.x0 - current.x1
            if -1 <= gap < layout.body_size * 1.1:
                # runs of one word (a bold syllable) touch; anything else is separated by a space
                word_split = current.text[-1:].isalnum() and seg.text[:1].isalnum()
                glue = "" if gap < layout.body_size * 0.12 and word_split else " "
                current = Seg(
                    (current.text + glue + seg.text).strip(),
                    current.x0,
                    seg.x1,
                    min(current.top, seg.top),
                    max(current.bottom, seg.bottom),
                    max(current.size, seg.size) if len(seg.text) > 2 else current.size,
                    current.bold and seg.bold,
                )
            else:
                merged.append(current)
                current = seg
        merged.append(current)
    return merged


def _rows(segs: list[Seg], share: float = 0.3) -> list[list[Seg]]:
    """Group segments into rows (top to bottom, each left to right). A segment joins the row when it
    overlaps the row's band of text by more than `share` of the smaller height; small glyphs (a
    bullet, a marker) join when their centre lies in the band and do not widen it."""
    rows: list[list[Seg]] = []
    band = (0.0, 0.0)
    for seg in sorted(segs, key=lambda s: (s.top, s.x0)):
        if rows:
            top, bottom = band
            height = bottom - top
            small = seg.height < height * 0.6
            if small:
                joins = top <= (seg.top + seg.bottom) / 2 <= bottom
            else:
                overlap = min(bottom, seg.bottom) - max(top, seg.top)
                joins = overlap > min(seg.height, height) * share
            if joins:
                rows[-1].append(seg)
                if not small:
                    band = (
                        (min(top, seg.top), max(bottom, seg.bottom)) if seg.height <= height * 1.6 else band
                    )
                continue
        rows.append([seg])
        band = (seg.top, seg.bottom)
    for row in rows:
        row.sort(key=lambda s: s.x0)
    return rows


def _is_two_column(rows: list[list[Seg]], mid: float, needed: int) -> bool:
    """Rows of two wide segments, one each side of the middle, make a two-column page: at least
    `needed` of them, and most of the rows that have several segments."""
    xs = [s.x0 for r in rows for s in r]
    xe = [s.x1 for r in rows for s in r]
    if not xs:
        return False
    text_width = max(xe) - min(xs)
    paired = 0
    for row in rows:
        if len(row) == 2:
            left, right = row
            if (
                left.x1 < mid + 6
                and right.x0 > mid - 6
                and left.x1 - left.x0 > text_width * 0.28
                and right.x1 - right.x0 > text_width * 0.28
            ):
                paired += 1
    multi = sum(1 for r in rows if len(r) >= 2)
    return paired >= needed and paired >= multi * 0.6


def _column_order(rows: list[list[Seg]], number: int, mid: float) -> list[Line]:
    """Full-width lines in place; between them, the left column top to bottom, then the right."""
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []

    def flush() -> None:
        out.extend(left)
        out.extend(right)
        left.clear()
        right.clear()

    for row in rows:
        full = [seg for seg in row if seg.x0 < mid - 12 and seg.x1 > mid + 12]
        if full:
            flush()
            out.append(Line(row, number, 0))
            continue
        lefts = [seg for seg in row if (seg.x0 + seg.x1) / 2 < mid]
        rights = [seg for seg in row if (seg.x0 + seg.x1) / 2 >= mid]
        if lefts:
            left.append(Line(lefts, number, 1))
        if rights:
            right.append(Line(rights, number, 2))
    flush()
    return out


def _table_aware(rows: list[list[Seg]], number: int, layout: _Layout) -> list[Line]:
    """Single-column page. Segments that overlap vertically (directly or through a neighbour, as with
    vertically centred table cells) and stand in separate columns form a table row; a lone segment
    close below a row, under one of its cells, continues that cell."""
    out: list[Line] = []
    anchors: list[float] = []
    for cluster in _overlap_clusters([s for row in rows for s in row]):
        columns = _x_columns(cluster)
        if len(columns) == 2 and _is_footnote_label(columns[0], layout):
            out.append(Line(sorted(cluster, key=lambda s: s.x0), number, 0))
            continue
        if len(columns) >= 2:
            above = _line_above_cell(out, columns, layout)
            cells = [join_lines([s.text for s in sorted(col, key=lambda s: s.top)]) for col in columns]
            if above is not None:
                col, seg = above
                out.pop()
                cells[col] = join_lines([seg.text, cells[col]])
                cluster.append(seg)
            out.append(Line(sorted(cluster, key=lambda s: (s.top, s.x0)), number, 0, cells=cells))
            anchors = [min(s.x0 for s in col) for col in columns]
            continue
        for seg in sorted(cluster, key=lambda s: s.top):
            prev = out[-1] if out else None
            if (
                prev is not None
                and prev.cells
                and seg.top - prev.bottom < layout.max_gap(seg.size)
                and any(abs(seg.x0 - a) < 4 for a in anchors)
            ):
                col = min(range(len(anchors)), key=lambda k: abs(anchors[k] - seg.x0))
                prev.cells[col] = join_lines([prev.cells[col], seg.text])
                prev.segs.append(seg)
                continue
            anchors = []
            out.append(Line([seg], number, 0))
    return out


def _is_footnote_label(column: list[Seg], layout: _Layout) -> bool:
    """A footnote's number set apart from its text, in small print."""
    return (
        len(column) == 1
        and re.fullmatch(r"\d{1,3}[.)]?|[*\u2020]", column[0].text) is not None
        and column[0].size <= layout.body_size * 0.92
    )


def _line_above_cell(out: list[Line], columns: list[list[Seg]], layout: _Layout) -> tuple[int, Seg] | None:
    """A short lone line right above a table row, inside one of its columns, is the first line of
    that cell (cells whose text is aligned to the top while their neighbours are centred)."""
    if not out or out[-1].cells or len(out[-1].segs) != 1:
        return None
    seg = out[-1].segs[0]
    top = min(s.top for col in columns for s in col)
    if not 0 <= top - seg.bottom < layout.max_gap(seg.size) or len(seg.text) > 40:
        return None
    for k, col in enumerate(columns):
        x0, x1 = min(s.x0 for s in col), max(s.x1 for s in col)
        if x0 - 3 <= seg.x0 and seg.x1 <= x1 + 3 and k > 0:
            return k, seg
    return None


def _overlap_clusters(segs: list[Seg]) -> list[list[Seg]]:
    """Segments chained by vertical overlap, top to bottom."""
    clusters: list[list[Seg]] = []
    bottom = -1e9
    for seg in sorted(segs, key=lambda s: (s.top, s.x0)):
        if clusters and seg.top < bottom - 0.5:
            clusters[-1].append(seg)
            bottom = max(bottom, seg.bottom)
        else:
            clusters.append([seg])
            bottom = seg.bottom
    return clusters


def _x_columns(segs: list[Seg]) -> list[list[Seg]]:
    """Split segments into columns that do not overlap horizontally, left to right."""
    columns: list[tuple[float, float, list[Seg]]] = []
    for seg in sorted(segs, key=lambda s: s.x0):
        if columns and seg.x0 < columns[-1][1] - 1:
            x0, x1, members = columns[-1]
            members.append(seg)
            columns[-1] = (x0, max(x1, seg.x1), members)
        else:
            columns.append((seg.x0, seg.x1, [seg]))
    return [members for _, _, members in columns]


# --- blocks ----------------------------------------------------------------------------------


class _Blocks:
    """Turn lines in reading order into headings, paragraphs, list items, table rows, footnotes."""

    def __init__(self, layout: _Layout) -> None:
        self.layout = layout
        self.blocks: list[Block] = []
        self.lines: list[str] = []
        self.kind: BlockKind | None = None
        self.page: int | None = None
        self.page_end: int | None = None
        self.level = 0
        self.last: Line | None = None
        self.footnotes: list[tuple[int, list[str]]] = []
        """Footnotes read but not yet emitted: they follow the block that is open when they appear."""

    def build(self, lines: list[Line]) -> list[Block]:
        toc_pages = self._toc_pages(lines)
        heading_sizes = self._heading_sizes(lines)
        footnote_from = self._footnote_zones(lines)
        for line in lines:
            text = line.text.strip()
            if not text or line.page in toc_pages or _TOC_LEADER.search(text):
                continue
            if line.cells:
                self._flush()
                cells = [strip_footnote_markers(normalise_space(c)) for c in line.cells if c.strip()]
                self.blocks.append(Block(BlockKind.TABLE_ROW, " | ".join(cells), line.page, line.page))
                self.last = line
                continue
            zone = footnote_from.get(line.page)
            if zone is not None and line.top >= zone - 0.5:
                self._footnote_line(line, text)
                continue
            level = self._heading_level(line, text, heading_sizes)
            if level:
                if self.kind is BlockKind.HEADING and self.last is not None and self._continues_heading(line):
                    self.lines.append(text)
                    self.last = line
                    continue
                self._start(BlockKind.HEADING, line, text, level)
                continue
            if _BULLET.match(text) or (_ENUM.match(text) and not line.bold):
                self._start(BlockKind.LIST_ITEM, line, _BULLET.sub("", text) if _BULLET.match(text) else text)
                continue
            if self.kind in (BlockKind.PARAGRAPH, BlockKind.LIST_ITEM) and self._continues(line, text):
                self.lines.append(text)
                self.page_end = line.page
                self.last = line
                continue
            self._start(BlockKind.PARAGRAPH, line, text)
        self._flush()
        return self.blocks

    # -- classification

    def _toc_pages(self, lines: list[Line]) -> set[int]:
        by_page: dict[int, list[Line]] = {}
        for line in lines:
            by_page.setdefault(line.page, []).append(line)
        toc: set[int] = set()
        for page, page_lines in by_page.items():
            titled = any(_TOC_TITLE.match(ln.text.strip()) for ln in page_lines[:4])
            numbered = sum(1 for ln in page_lines if re.search(r"\d{1,3}$", ln.text.strip()))
            if titled and numbered >= max(3, len(page_lines) * 0.4):
                toc.add(page)
            elif titled and sum(1 for ln in page_lines if _TOC_LEADER.search(ln.text)) >= 3:
                toc.add(page)
        return toc

    def _heading_sizes(self, lines: list[Line]) -> list[float]:
        """Font sizes used by headings, largest first: their rank gives the level of unnumbered ones."""
        body = self.layout.body_size
        sizes = {round(ln.size * 2) / 2 for ln in lines if ln.size >= body * 1.12 and len(ln.text) < 160}
        return sorted(sizes, reverse=True)

    def _footnote_zones(self, lines: list[Line]) -> dict[int, float]:
        """Per page, the top of the footnote area: small-print lines at the bottom of the page that
        start with a number."""
        body = self.layout.body_size
        zones: dict[int, float] = {}
        by_page: dict[int, list[Line]] = {}
        for line in lines:
            if not line.cells:
                by_page.setdefault(line.page, []).append(line)
        for page, page_lines in by_page.items():
            ordered = sorted(page_lines, key=lambda ln: ln.top)
            zone_top = None
            for line in reversed(ordered):
                if line.size <= body * 0.9:
                    if _FOOTNOTE_START.match(line.text.strip()):
                        zone_top = line.top
                    continue
                break
            if zone_top is not None:
                zones[page] = zone_top
        return zones

    def _heading_level(self, line: Line, text: str, heading_sizes: list[float]) -> int:
        body = self.layout.body_size
        if len(text) > 160 or line.size < body * 0.95:
            return 0
        numbered = _NUMBERED_HEADING.match(text)
        larger = line.size >= body * 1.12
        if not larger and not line.bold:
            return 0
        if not larger and _SENTENCE_END.search(text) and not text.endswith(":") and len(text) > 60:
            return 0
        if not larger and not numbered and (len(text) > 90 or text.endswith((",", ";"))):
            return 0
        if numbered:
            num = numbered.group("num")
            if re.fullmatch(r"\d{1,2}(?:\.\d{1,2})*", num):
                return min(6, num.count(".") + 1)
            if re.match(r"(?i)hoofdstuk|bijlage|deel|chapter|annex", text):
                return 1
        if larger:
            size = round(line.size * 2) / 2
            return min(6, heading_sizes.index(size) + 1) if size in heading_sizes else 1
        return min(6, len(heading_sizes) + 1)

    def _continues_heading(self, line: Line) -> bool:
        last = self.last
        assert last is not None
        return (
            abs(line.size - last.size) < 0.6
            and line.bold == last.bold
            and line.page == last.page
            and 0 <= line.top - last.bottom < self.layout.body_size * 0.8
            and not _NUMBERED_HEADING.match(line.text.strip())
        )

    def _continues(self, line: Line, text: str) -> bool:
        """Does this line continue the paragraph or list item being built?"""
        last = self.last
        if last is None or last.cells:
            return False
        prev_text = self.lines[-1] if self.lines else ""
        if abs(line.size - last.size) > 0.6:
            return False
        if line.page != last.page or line.column != last.column:
            # across a page or column break: only when the sentence clearly runs on
            return not _SENTENCE_END.search(prev_text) and (text[:1].islower() or prev_text.endswith("-"))
        gap = line.top - last.bottom
        if gap < -2 or gap > self.layout.max_gap(line.size):
            return False
        if self.kind is BlockKind.LIST_ITEM:
            return line.x0 > self._item_x0 + 1 or not _SENTENCE_END.search(prev_text)
        return True

    # -- building

    _item_x0 = 0.0

    def _start(self, kind: BlockKind, line: Line, text: str, level: int = 0) -> None:
        self._flush()
        self.kind = kind
        self.lines = [text]
        self.page = self.page_end = line.page
        self.level = level
        self.last = line
        self._item_x0 = line.x0

    def _footnote_line(self, line: Line, text: str) -> None:
        if self.footnotes and not _FOOTNOTE_START.match(text) and self.footnotes[-1][0] == line.page:
            self.footnotes[-1][1].append(text)
        else:
            self.footnotes.append((line.page, [text]))

    def _flush(self) -> None:
        if self.kind is not None and self.lines:
            text = join_lines(self.lines)
            if self.kind is not BlockKind.HEADING:
                text = strip_footnote_markers(text)
            if text:
                self.blocks.append(Block(self.kind, text, self.page, self.page_end, self.level))
        self.kind = None
        self.lines = []
        for page, lines in self.footnotes:
            self.blocks.append(Block(BlockKind.FOOTNOTE, join_lines(lines), page, page))
        self.footnotes = []
