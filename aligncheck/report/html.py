"""A plain, self-contained HTML report (inline CSS, no scripts, no network). All document text is
escaped. The report issue will give it filters, search and reviewer feedback."""

from __future__ import annotations

from html import escape

from aligncheck.pipeline import Report
from aligncheck.report.text import LEVELS, WORDS, column_label

CSS = """
body{font-family:system-ui,sans-serif;margin:2rem;max-width:75rem;color:#1a1a1a}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
.absent{background:#f8d7da}.mentioned{background:#fff3cd}.committed{background:#d1ecf1}.operationalised{background:#d4edda}.out_of_scope{background:#eee}
blockquote{margin:.3rem 0 .6rem 1rem;padding-left:.6rem;border-left:3px solid #999}.meta{color:#555;font-size:.9em}
@media print{body{margin:0}a{color:inherit;text-decoration:none}}
"""


def render_html(report: Report, lang: str = "nl") -> str:
    w = WORDS[lang]
    e = escape
    paths = {d.doc_id: d.path for d in report.documents}
    title = w["title_diff"] if report.kind == "diff" else w["title"]
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        f"<h2>{e(w['documents'])}</h2><ul>",
    ]
    for d in report.documents:
        out.append(
            f"<li><code>{e(d.doc_id)}</code> {e(d.agency or '-')}: {e(d.title or d.path)} <span class=meta>({e(d.path)})</span></li>"
        )
    out.extend(f"<li>{e(w['failures'])}: {e(str(f))}</li>" for f in report.failures)
    out.append("</ul>")
    cov = {(c.doc_id, c.principle): c for c in report.coverage}
    out.append(f"<h2>{e(w['matrix'])}</h2><table><tr><th>{e(w['principle'])}</th>")
    out.extend(f"<th>{e(column_label(d.agency, d.title, d.doc_id))}</th>" for d in report.documents)
    out.append("</tr>")
    for p in report.framework.principles:
        out.append(f"<tr><th>{e(p.title.get(lang))}</th>")
        for d in report.documents:
            c = cov.get((d.doc_id, p.id))
            if c:
                out.append(f'<td class="{e(str(c.level))}">{e(LEVELS[lang][c.level])} ({c.score:.2f})</td>')
            else:
                out.append("<td></td>")
        out.append("</tr>")
    out.append("</table>")
    out.append(f"<h2>{e(w['findings'])}</h2>")
    if not report.findings:
        out.append(f"<p>{e(w['no_findings'])}</p>")
    out.append("<ol>")
    for f in report.findings:
        summary = f.summary if lang == "nl" else f.summary_en
        out.append(
            f"<li><strong>{e(w['kind'][str(f.kind)])}, {e(w['severity'][str(f.severity)])}</strong>: {e(summary)}"
        )
        for ev in f.evidence:
            where = (
                f"{paths.get(ev.doc_id, ev.doc_id)}, {w['page']} {ev.page}"
                if ev.page
                else paths.get(ev.doc_id, ev.doc_id)
            )
            meta = f"{ev.agency or ''} — {where}, § {' > '.join(ev.section)}"
            if ev.score is not None:
                meta += f", {w['score']} {ev.score:.2f}"
            if ev.note:
                meta += f" ({ev.note})"
            out.append(f"<div class=meta>{e(meta)}</div><blockquote>{e(ev.text)}</blockquote>")
        out.append("</li>")
    out.append("</ol>")
    model = report.scorer.model
    cv = (model.card or {}).get("cross_validation") or {}
    out.append(f"<h2>{e(w['audit'])}</h2><ul>")
    out.append(
        f"<li>framework {e(report.framework.id)} {e(report.framework.version)}; {e(w['model'])} {e(model.name)} ({e(model.encoder)})</li>"
    )
    out.append(
        f"<li>{e(w['accuracy'].format(f1=cv.get('macro_f1', '-')))}</li><li>{e(report.generated_at)}</li>"
    )
    out.extend(f"<li><code>{e(d.sha256)}</code> {e(d.path)}</li>" for d in report.documents)
    out.append("</ul></body></html>")
    return "\n".join(out) + "\n"
