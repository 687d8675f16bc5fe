"""Markdown: summary, coverage matrix and findings, for pasting into a memo or an issue tracker."""

from __future__ import annotations

from collections import Counter

from aligncheck.pipeline import Report
from aligncheck.report.text import LEVELS, WORDS, column_label, note_text, real_text_lines
from aligncheck.types import Evidence


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _evidence_line(e: Evidence, lang: str, paths: dict[str, str]) -> str:
    w = WORDS[lang]
    where = (
        f"{paths.get(e.doc_id, e.doc_id)}, {w['page']} {e.page}" if e.page else paths.get(e.doc_id, e.doc_id)
    )
    section = " > ".join(e.section)
    score = f", {w['score']} {e.score:.2f}" if e.score is not None else ""
    if e.stance == "conflicts" and e.conflict_score is not None:
        score += f", {w['conflict_probability']} {e.conflict_score:.2f}"
    note = f" ({note_text(e.note, lang, e.note_en)})" if e.note else ""
    quote = e.text if len(e.text) <= 400 else e.text[:399] + "…"
    return f"  - {e.agency or ''} — {where}, §{section}{score}{note}: “{_cell(quote)}”"


def render_markdown(report: Report, lang: str = "nl") -> str:
    w = WORDS[lang]
    paths = {d.doc_id: d.path for d in report.documents}
    by_kind = Counter(str(f.kind) for f in report.findings)
    lines = [f"# {w['title_diff'] if report.kind == 'diff' else w['title']}", ""]
    lines.append(
        w["counts"].format(
            n=len(report.documents),
            f=len(report.findings),
            by_kind=", ".join(f"{w['kind'][k]} {v}" for k, v in sorted(by_kind.items())) or "-",
        )
    )
    if report.findings:
        severities = ("high", "medium", "low")
        counts = Counter((str(f.kind), str(f.severity)) for f in report.findings)
        lines += ["", "| | " + " | ".join(w["severity"][s] for s in severities) + f" | {w['total']} |"]
        lines.append("|---|" + "---|" * (len(severities) + 1))
        for kind in ("gap", "conflict", "divergence", "definition"):
            per_severity = [counts.get((kind, s), 0) for s in severities]
            if sum(per_severity):
                lines.append(
                    f"| {w['kind_plural'][kind]} | "
                    + " | ".join(str(n or "") for n in per_severity)
                    + f" | {sum(per_severity)} |"
                )
    lines += ["", f"## {w['documents']}", ""]
    for d in report.documents:
        lines.append(f"- `{d.doc_id}` {d.agency or '-'}: {d.title or d.path} ({d.path}, {d.pages or '-'} p.)")
    for failure in report.failures:
        lines.append(f"- {w['failures']}: {failure}")
    # matrix
    docs = report.documents
    header: list[str] = [w["principle"]] + [column_label(d.agency, d.title, d.doc_id) for d in docs]
    lines += [
        "",
        f"## {w['matrix']}",
        "",
        "| " + " | ".join(_cell(h) for h in header) + " |",
        "|" + "---|" * len(header),
    ]
    cov = {(c.doc_id, c.principle): c for c in report.coverage}
    for p in report.framework.principles:
        row: list[str] = [p.title.get(lang)]
        for d in docs:
            c = cov.get((d.doc_id, p.id))
            row.append(f"{LEVELS[lang][c.level]} ({c.score:.2f})" if c else "")
        lines.append("| " + " | ".join(_cell(x) for x in row) + " |")
    if report.changes is not None:
        lines += [
            "",
            f"## {w['changes']}",
            "",
            "| " + w["principle"] + " | old | new | |",
            "|---|---|---|---|",
        ]
        for ch in report.changes:
            title = report.framework.principle(ch.principle).title.get(lang)
            lines.append(
                f"| {title} | {LEVELS[lang][ch.old.level]} | {LEVELS[lang][ch.new.level]} | {w['change'][ch.change]} |"
            )
    lines += ["", f"## {w['findings']}", ""]
    if not report.findings:
        lines.append(w["no_findings"])
    for n, f in enumerate(report.findings, start=1):
        summary = f.summary if lang == "nl" else f.summary_en
        lines.append(f"{n}. **{w['kind'][str(f.kind)]}, {w['severity'][str(f.severity)]}**: {summary}")
        lines.extend(_evidence_line(e, lang, paths) for e in f.evidence)
    if report.shared:
        lines += ["", f"## {w['shared']}", ""]
        for s in report.shared:
            lines.append(f"- {len(s.passages)} × ({s.similarity:.2f}): “{_cell(s.passages[0].text[:200])}”")
            lines.extend(_evidence_line(e, lang, paths) for e in s.passages)
    model = report.scorer.model
    cv = (model.card or {}).get("cross_validation") or {}
    lines += [
        "",
        f"## {w['audit']}",
        "",
        f"- aligncheck, framework {report.framework.id} {report.framework.version}, {w['model']} {model.name} ({model.encoder})",
        f"- {w['accuracy'].format(f1=cv.get('macro_f1', '-'))}",
    ]
    real = real_text_lines(model.real_text, lang)
    if real:
        lines.append(f"- {real[0]}. {real[1]}")
    lines.append(f"- {report.generated_at}")
    lines.extend(f"- `{d.sha256}` {d.path}" for d in report.documents)
    return "\n".join(lines) + "\n"
