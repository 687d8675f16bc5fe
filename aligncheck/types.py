"""The data that flows through aligncheck: documents -> passages -> scores -> findings."""

from __future__ import annotations

import hashlib
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
    publisher: str | None = None
    """Who published the file, as its metadata says (Extracted.publisher); agency inference reads it."""


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
    items: tuple[tuple[int, int], ...] = ()
    """Character spans in `text` of the items of the list a paragraph introduces (two or more), in
    order; the text before the first is the introduction. Empty for a passage without a list."""

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
            "items": [list(span) for span in self.items],
        }


class Level(StrEnum):
    """How deeply a document covers a principle."""

    ABSENT = "absent"
    """No passage addresses the principle."""
    MENTIONED = "mentioned"
    """Named in passing: passages address it, but none commits to act on it."""
    COMMITTED = "committed"
    """The plan says it will act on it."""
    OPERATIONALISED = "operationalised"
    """A concrete measure with an owner, a timeline or an indicator."""
    OUT_OF_SCOPE = "out_of_scope"
    """The framework says the principle does not apply to this agency's domain."""

    @property
    def rank(self) -> int:
        return {"out_of_scope": -1, "absent": 0, "mentioned": 1, "committed": 2, "operationalised": 3}[
            self.value
        ]


class FindingKind(StrEnum):
    GAP = "gap"
    CONFLICT = "conflict"
    DIVERGENCE = "divergence"
    DEFINITION = "definition"


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        return {"high": 0, "medium": 1, "low": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Evidence:
    """A passage that carries a claim, with everything a reviewer needs to find it."""

    doc_id: str
    passage_id: str
    page: int | None
    page_end: int | None
    section: tuple[str, ...]
    text: str
    score: float | None = None
    """The scorer's probability for the principle concerned (None for rule-based evidence)."""
    stance: str | None = None
    """supports, conflicts, or None when the evidence is not about a stance."""
    conflict_score: float | None = None
    """The stance model's probability that the passage goes against the principle (None for
    rule-based evidence). Near the threshold the stance is a coin flip."""
    agency: str | None = None
    path: str | None = None
    note: str | None = None
    """What this passage shows for the finding, e.g. "waarschuwing eerst" or "opzet vereist"."""
    note_en: str | None = None
    """The note in English where it comes from data with English words (instruments, definition
    aspects); English reports show it instead of the Dutch note."""

    @classmethod
    def of(
        cls,
        passage: Passage,
        *,
        score: float | None = None,
        stance: str | None = None,
        conflict_score: float | None = None,
        note: str | None = None,
        note_en: str | None = None,
    ) -> Evidence:
        """The evidence a passage gives."""
        return cls(
            doc_id=passage.doc_id,
            passage_id=passage.passage_id,
            page=passage.page,
            page_end=passage.page_end,
            section=passage.section,
            text=passage.text,
            score=score,
            stance=stance,
            conflict_score=conflict_score,
            agency=passage.agency,
            path=passage.path,
            note=note,
            note_en=note_en,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "passage_id": self.passage_id,
            "page": self.page,
            "page_end": self.page_end,
            "section": list(self.section),
            "text": self.text,
            "score": self.score,
            "stance": self.stance,
            "conflict_score": self.conflict_score,
            "agency": self.agency,
            "note": self.note,
            "note_en": self.note_en,
        }


@dataclass(frozen=True)
class Finding:
    """A claim the report makes, backed by evidence passages."""

    kind: FindingKind
    severity: Severity
    summary: str
    """One or two sentences in Dutch."""
    summary_en: str
    principle: str | None = None
    agencies: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    """doc_ids"""
    evidence: tuple[Evidence, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    """Kind-specific facts: the levels compared, the term and the aspects of each definition, ..."""

    @property
    def id(self) -> str:
        """A stable id: the same finding on the same passages has the same id in every run, so a
        reviewer's mark on it (report feedback) still applies after a rerun."""
        key = "|".join(
            [str(self.kind), self.principle or "", ",".join(self.documents)]
            + sorted(f"{e.passage_id}:{e.stance or ''}" for e in self.evidence)
            + [str(self.details.get("term", ""))]
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]

    def sort_key(self) -> tuple[Any, ...]:
        """Deterministic order: severity, kind, principle, agencies, first evidence."""
        first = self.evidence[0].passage_id if self.evidence else ""
        return (
            self.severity.rank,
            list(FindingKind).index(self.kind),
            self.principle or "",
            self.agencies,
            self.documents,
            first,
            self.summary,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": str(self.kind),
            "principle": self.principle,
            "agencies": list(self.agencies),
            "documents": list(self.documents),
            "severity": str(self.severity),
            "summary": self.summary,
            "summary_en": self.summary_en,
            "evidence": [e.to_dict() for e in self.evidence],
            "details": self.details,
        }


STANCE_DOUBT = 0.6
"""A conflict called with a stance probability below this is uncertain: out of fold on the labelled
corpus (7,025 passages, leaving out one agency), conflicts called at 0.5-0.6 were right 69% of the
time (0.6-0.8: 81%, above: 87%); on 8,525 passages 66%, 82%, 88%. A conflict that only the against
model found (the passage below the presence threshold) is uncertain too: on 8,525 passages about 30
of 54 were right (many of the others go against a second principle the gold labels leave out).
Findings that rest only on such passages are reported as uncertain."""


def doubtful_stance(conflict_score: float | None, against_only: bool) -> bool:
    """Whether a `conflicts` label is uncertain: its probability of conflict below STANCE_DOUBT, or
    given by the against model alone. A label without a stance probability (rule-based) is not."""
    return conflict_score is not None and (conflict_score < STANCE_DOUBT or against_only)


AGAINST_ONLY_MIN_PRESENCE = 0.1
"""`check` and `batch` take a conflict that only the against model found only where the presence
model gives the passage at least this probability of addressing the principle. Below it, the against
model answers to the wording of fines and recovery rather than to the principle: out of fold on the
labelled corpus (8,525 passages, leaving out one agency) 2 of 13 such conflicts were right (0 of 6
below 0.05), on the held-out writers 1 of 4; from 0.1 to 0.15, 9 of 13 and 2 of 3, like the rest."""


IN_CONTEXT_NOTE = (
    "houding gelezen met de rest van de paragraaf",
    "stance read with the rest of its section",
)
"""The note on evidence whose doubtful stance was read with its section (Dutch, English)."""


@dataclass(frozen=True)
class ScoredPassageRef:
    """A passage with the scorer's answer, as the analysis stages see it."""

    passage: Passage
    scores: dict[str, float]
    """Probability per principle that the passage addresses it."""
    labels: dict[str, str]
    """principle -> stance, for the principles the scorer is confident about."""
    review: tuple[str, ...] = ()
    claims: bool = True
    """False for passages that carry no claims of their own (footnotes, definition-list entries,
    foreign-language text): they get no labels and are never offered as near misses."""
    conflict_scores: dict[str, float] = field(default_factory=dict)
    """Probability per principle that the passage goes against it, were it addressed (stance model)."""
    against_only: frozenset[str] = frozenset()
    """Principles whose `conflicts` label only the against model gave (ScoredPassage.against_only)."""
    in_context: frozenset[str] = frozenset()
    """Principles on which the passage's doubtful stance was read with its section
    (`context.read_with_sections`): a `supports` label there, or none, where the scorer alone said
    `conflicts`."""

    def doubtful_conflict(self, principle: str) -> bool:
        """Whether the passage goes against `principle` with a stance close to a coin flip (below
        STANCE_DOUBT), or below the presence threshold, found by the against model alone (right
        about half the time out of fold). Conflicts without a stance probability (rule-based) are
        not doubtful."""
        if self.labels.get(principle) != "conflicts":
            return False
        return doubtful_stance(self.conflict_scores.get(principle), principle in self.against_only)

    def evidence(self, principle: str | None = None, note: str | None = None) -> Evidence:
        if principle is None:
            return Evidence.of(self.passage, note=note)
        stance = self.labels.get(principle)
        note_en = None
        if note is None and principle in self.in_context:
            note, note_en = IN_CONTEXT_NOTE
        return Evidence.of(
            self.passage,
            score=self.scores.get(principle),
            stance=stance,
            conflict_score=self.conflict_scores.get(principle) if stance else None,
            note=note,
            note_en=note_en,
        )
