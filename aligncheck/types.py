"""The data that flows through aligncheck: documents -> passages -> scores -> findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class BlockKind(StrEnum):
    """What an extracted block of text is, as the ingesters see it."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    TABLE_ROW = "table_row"
    FOOTNOTE = "footnote"


class PassageKind(StrEnum):
    """What a passage is: running text (with any list it introduces), a table row, a footnote."""

    TEXT = "text"
    TABLE = "table"
    FOOTNOTE = "footnote"


@dataclass(frozen=True, slots=True)
class Block:
    """One unit of extracted text in reading order: a heading, a paragraph, a list item, a table row
    (cells joined by " | ") or a footnote. Text is whitespace-normalised."""

    kind: BlockKind
    text: str
    page: int | None = None
    """1-based page where the block starts; None for formats without pages."""
    page_end: int | None = None
    level: int = 0
    """Heading level (1 = chapter); 0 for other blocks."""


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What a manifest or the command line says about a document."""

    agency: str | None = None
    title: str | None = None
    period: str | None = None
    version: str | None = None
    date: str | None = None


@dataclass(frozen=True)
class Document:
    """A read document: its blocks in reading order and where they came from."""

    doc_id: str
    """First 12 hex digits of the SHA-256 of the file's bytes."""
    path: str
    """The path as the user gave it."""
    sha256: str
    format: str
    """pdf, docx, html, text or markdown."""
    blocks: tuple[Block, ...]
    title: str | None = None
    agency: str | None = None
    pages: int | None = None
    language: str = "nl"
    meta: DocumentMeta = field(default_factory=DocumentMeta)
    warnings: tuple[str, ...] = ()
    """Things the reader should know: pages skipped, non-Dutch pages, ..."""


@dataclass(frozen=True, slots=True)
class Passage:
    """A unit of scoring and evidence: a paragraph (with the list it introduces), a table row or a
    footnote, never crossing a section boundary."""

    doc_id: str
    index: int
    path: str
    text: str
    section: tuple[str, ...]
    char_start: int
    char_end: int
    page: int | None
    page_end: int | None
    kind: PassageKind = PassageKind.TEXT
    agency: str | None = None
    title: str | None = None
    lang: str = "nl"

    @property
    def passage_id(self) -> str:
        return f"{self.doc_id}:{self.index}"

    def to_dict(self) -> dict[str, Any]:
        """The JSONL contract of `aligncheck ingest`."""
        return {
            "doc_id": self.doc_id,
            "passage_id": self.passage_id,
            "path": self.path,
            "agency": self.agency,
            "title": self.title,
            "page": self.page,
            "page_end": self.page_end,
            "section": list(self.section),
            "text": self.text,
            "char_start": self.char_start,
            "char_end": self.char_end,
            "kind": str(self.kind),
            "lang": self.lang,
        }
