"""CSV in long format: one row per document x principle (coverage) and one per finding. Cells a
spreadsheet would run as a formula (starting with = + - @, tab or carriage return) are neutralised."""

from __future__ import annotations

import csv as _csv
import io
from collections.abc import Iterable, Sequence

from aligncheck.pipeline import Report

_FORMULA = ("=", "+", "-", "@", "\t", "\r")

COLUMNS = [
    "row_type",
    "kind",
    "severity",
    "principle",
    "agency",
    "doc_id",
    "path",
    "level",
    "score",
    "summary",
    "pages",
    "sections",
    "passage_ids",
    "evidence",
    "finding_id",
]


def safe_cell(value: object) -> str:
    """A cell's text, with a leading apostrophe where a spreadsheet would read a formula."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA):
        return "'" + text
    return text


def _rows_coverage(report: Report) -> Iterable[list[object]]:
    docs = {d.doc_id: d for d in report.documents}
    for c in report.coverage:
        ev = c.evidence
        yield [
            "coverage",
            "",
            "",
            c.principle,
            c.agency,
            c.doc_id,
            docs[c.doc_id].path,
            str(c.level),
            f"{c.score:.4f}",
            c.reason or "",
            _join(e.page for e in ev),
            _join(" > ".join(e.section) for e in ev),
            _join(e.passage_id for e in ev),
            _join(e.text for e in ev),
            "",
        ]


def _rows_findings(report: Report) -> Iterable[list[object]]:
    docs = {d.doc_id: d for d in report.documents}
    for f in report.findings:
        ev = f.evidence
        yield [
            "finding",
            str(f.kind),
            str(f.severity),
            f.principle or "",
            "; ".join(f.agencies),
            "; ".join(f.documents),
            "; ".join(docs[d].path for d in f.documents if d in docs),
            "",
            "",
            f.summary,
            _join(e.page for e in ev),
            _join(" > ".join(e.section) for e in ev),
            _join(e.passage_id for e in ev),
            _join(e.text for e in ev),
            f.id,
        ]


def _join(values: Iterable[object]) -> str:
    return " | ".join("" if v is None else str(v) for v in values)


def _write(rows: Iterable[Sequence[object]]) -> str:
    buf = io.StringIO()
    writer = _csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return buf.getvalue()


def render_csv(report: Report, lang: str = "nl") -> str:
    """Coverage rows, then finding rows."""
    return _write([*_rows_coverage(report), *_rows_findings(report)])


def render_findings_csv(report: Report) -> str:
    """Finding rows only (batch's findings.csv)."""
    return _write(_rows_findings(report))


def render_coverage_csv(report: Report) -> str:
    return _write(_rows_coverage(report))
