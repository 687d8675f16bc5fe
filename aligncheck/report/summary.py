"""A short plain-text summary for the terminal: counts, the coverage matrix, the top findings."""

from __future__ import annotations

from collections import Counter

from aligncheck.pipeline import Report
from aligncheck.report.text import LEVELS, WORDS, column_label

TOP = 8


def render_summary(report: Report, lang: str = "nl") -> str:
    w = WORDS[lang]
    by_kind = Counter(str(f.kind) for f in report.findings)
    lines = [
        w["counts"].format(
            n=len(report.documents),
            f=len(report.findings),
            by_kind=", ".join(f"{w['kind'][k]} {v}" for k, v in sorted(by_kind.items())) or "-",
        ),
        "",
    ]
    docs = report.documents
    names = [column_label(d.agency, d.title, d.doc_id)[:19] for d in docs]
    width = max(len(p.id) for p in report.framework.principles)
    lines.append(" " * width + "  " + "  ".join(f"{n:<19}" for n in names))
    cov = {(c.doc_id, c.principle): c for c in report.coverage}
    for p in report.framework.principles:
        cells = []
        for d in docs:
            c = cov.get((d.doc_id, p.id))
            cells.append(f"{LEVELS[lang][c.level]:<19}" if c else " " * 19)
        lines.append(f"{p.id:<{width}}  " + "  ".join(cells))
    lines.append("")
    for f in report.findings[:TOP]:
        summary = f.summary if lang == "nl" else f.summary_en
        lines.append(f"[{w['severity'][str(f.severity)]}] {w['kind'][str(f.kind)]}: {summary}")
    if len(report.findings) > TOP:
        lines.append(f"... (+{len(report.findings) - TOP})")
    return "\n".join(lines) + "\n"
