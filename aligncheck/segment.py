"""Document -> passages: Dutch sentences grouped into paragraph-sized passages with stable ids, page
and section, never crossing a section boundary. A list stays with the sentence that introduces it."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from aligncheck.ingest.lang import detect_language
from aligncheck.types import BlockKind, Document, Passage, PassageKind

MAX_WORDS = 120
"""A paragraph longer than this is split at sentence boundaries."""


@dataclass(slots=True)
class _Piece:
    """A span of the document text that will become (part of) a passage."""

    text: str
    start: int
    end: int
    page: int | None
    page_end: int | None
    item: bool = False
    """A list item (not the paragraph that introduces the list)."""


def document_text(doc: Document) -> tuple[str, list[int]]:
    """The document's extracted text (blocks joined by blank lines) and each block's start offset."""
    starts: list[int] = []
    pos = 0
    for block in doc.blocks:
        starts.append(pos)
        pos += len(block.text) + 2
    return "\n\n".join(b.text for b in doc.blocks), starts


def segment(doc: Document, max_words: int = MAX_WORDS) -> list[Passage]:
    """Split a document into passages in reading order."""
    _, starts = document_text(doc)
    passages: list[Passage] = []
    section: list[tuple[int, str]] = []
    pending: list[_Piece] = []  # an open text passage (paragraph, then the list it introduces)
    pending_section: tuple[str, ...] = ()

    def emit(pieces: list[_Piece], sect: tuple[str, ...], kind: PassageKind) -> None:
        for group in _pack(pieces, max_words):
            text = " ".join(p.text for p in group)
            pages = [p.page for p in group if p.page is not None]
            ends = [p.page_end for p in group if p.page_end is not None]
            passages.append(
                Passage(
                    doc_id=doc.doc_id,
                    index=len(passages),
                    path=doc.path,
                    text=text,
                    section=sect,
                    char_start=group[0].start,
                    char_end=group[-1].end,
                    page=min(pages) if pages else None,
                    page_end=max(ends) if ends else None,
                    kind=kind,
                    agency=doc.agency,
                    title=doc.title,
                    lang=_passage_language(text, doc.language),
                    items=_item_spans(group),
                )
            )

    def close() -> None:
        nonlocal pending
        if pending:
            emit(pending, pending_section, PassageKind.TEXT)
            pending = []

    for block, start in zip(doc.blocks, starts, strict=False):
        piece = _Piece(
            block.text,
            start,
            start + len(block.text),
            block.page,
            block.page_end or block.page,
            block.kind is BlockKind.LIST_ITEM,
        )
        if block.kind is BlockKind.HEADING:
            close()
            level = max(1, block.level)
            section = [(lvl, title) for lvl, title in section if lvl < level]
            section.append((level, block.text))
            continue
        current = tuple(title for _, title in section)
        if block.kind is BlockKind.LIST_ITEM:
            if not pending:
                pending_section = current
            pending.append(piece)
            continue
        close()
        if block.kind is BlockKind.PARAGRAPH:
            pending = _sentences(piece) if _words(block.text) > max_words else [piece]
            pending_section = current
            if not block.text.rstrip().endswith(":"):
                close()
        elif block.kind is BlockKind.TABLE_ROW:
            emit([piece], current, PassageKind.TABLE)
        elif block.kind is BlockKind.FOOTNOTE:
            emit([piece], current, PassageKind.FOOTNOTE)
    close()
    return passages


def _item_spans(group: list[_Piece]) -> tuple[tuple[int, int], ...]:
    """Where the list items of a passage (its pieces joined by spaces) stand in its text, when it
    holds two or more."""
    spans = []
    pos = 0
    for piece in group:
        if piece.item:
            spans.append((pos, pos + len(piece.text)))
        pos += len(piece.text) + 1
    return tuple(spans) if len(spans) >= 2 else ()


def _pack(pieces: list[_Piece], max_words: int) -> Iterator[list[_Piece]]:
    """Group consecutive pieces into passages of at most about max_words words, balanced in size."""
    total = sum(_words(p.text) for p in pieces)
    if total <= max_words:
        yield pieces
        return
    parts = -(-total // max_words)
    target = total / parts
    group: list[_Piece] = []
    count = 0
    for piece in pieces:
        n = _words(piece.text)
        if group and count + n > max_words or (group and count >= target):
            yield group
            group, count = [], 0
        group.append(piece)
        count += n
    if group:
        yield group


def _words(text: str) -> int:
    return len(text.split())


def _passage_language(text: str, default: str) -> str:
    return detect_language(text, min_words=25) or default


def _sentences(piece: _Piece) -> list[_Piece]:
    """Split a long paragraph into sentence pieces, keeping offsets into the document text."""
    out: list[_Piece] = []
    for start, end in split_sentences(piece.text):
        out.append(
            _Piece(piece.text[start:end], piece.start + start, piece.start + end, piece.page, piece.page_end)
        )
    return out or [piece]


@lru_cache(maxsize=20_000)
def passage_sentences(text: str) -> tuple[tuple[int, int], ...]:
    """`split_sentences` of a passage, remembered: the instrument and definition finders both split
    every passage they look at."""
    return tuple(split_sentences(text))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans of the Dutch sentences in `text` (spaCy's sentencizer, with Dutch
    abbreviations such as "o.a.", "art." and "z.g.a.n." never ending a sentence)."""
    nlp = _nlp()
    spans = []
    offset = 0
    while offset < len(text):  # in windows: spaCy refuses texts over a million characters
        end = _window_end(text, offset)
        for sent in nlp(text[offset:end]).sents:
            span = sent.text.strip()
            if span:
                start = offset + sent.start_char + (len(sent.text) - len(sent.text.lstrip()))
                spans.append((start, start + len(span)))
        offset = end
    return spans


_WINDOW = 100_000
"""Characters given to spaCy at once; a longer paragraph (a broken export) is cut between sentences."""


def _window_end(text: str, offset: int) -> int:
    if len(text) - offset <= _WINDOW:
        return len(text)
    limit = offset + _WINDOW
    for mark in (". ", " "):
        cut = text.rfind(mark, offset + _WINDOW // 2, limit)
        if cut != -1:
            return cut + len(mark)
    return limit


@lru_cache(maxsize=1)
def abbreviations() -> frozenset[str]:
    raw = resources.files("aligncheck.data").joinpath("abbreviations.txt").read_text("utf-8")
    words = {line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset(words | {w[:1].upper() + w[1:] for w in words})


def _import_spacy() -> Any:
    """spaCy, without letting thinc import torch: with the st extra installed, thinc imports torch on
    start-up, which costs seconds in every process (each batch worker too) and is never used by the
    blank Dutch pipeline here. torch stays importable afterwards for the st: backend."""
    if "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]  # `import torch` fails while spaCy loads
    try:
        import spacy
    finally:
        del sys.modules["torch"]
    return spacy


@lru_cache(maxsize=1)
def _nlp() -> Any:
    spacy = _import_spacy()
    from spacy.language import Language
    from spacy.symbols import ORTH

    nlp = spacy.blank("nl")
    for abbr in abbreviations():
        nlp.tokenizer.add_special_case(abbr, [{ORTH: abbr}])
    abbrevs = abbreviations()

    @Language.component("aligncheck_nl_sentences")
    def fix_boundaries(doc: Any) -> Any:
        for i, token in enumerate(doc[1:], start=1):
            prev = doc[i - 1]
            if prev.text in abbrevs:
                token.is_sent_start = False
            elif re.fullmatch(r"[A-Z]{2,}\.|[a-z]{2,}\.", prev.text) and (token.is_upper or token.is_title):
                # "bij de WW. Zie ...": a word glued to its full stop still ends the sentence
                token.is_sent_start = True
        return doc

    nlp.add_pipe("sentencizer")
    nlp.add_pipe("aligncheck_nl_sentences")
    return nlp
