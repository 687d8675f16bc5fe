"""The HTML report: one self-contained file (inline CSS and JS, no request to any network) that a
reviewer can open from a file share. All document text is escaped; a Content-Security-Policy allows
only the report's own style and script (by hash), so even text that slipped through could not run.

Reading order: summary, the principle x document matrix, findings (filterable), coverage per
principle with evidence and near misses, definitions, shared text, changes (diff) and the audit block.
Reviewers can mark findings and passages as correct or wrong; the marks stay in the browser
(localStorage) and export as JSON for `aligncheck feedback import`."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import cache
from html import escape
from importlib import resources

from aligncheck import __version__
from aligncheck.compare import Coverage
from aligncheck.frameworks import Framework
from aligncheck.pipeline import Report
from aligncheck.report.text import LEVELS, WORDS, column_label, note_text, real_text_lines
from aligncheck.types import Evidence, Finding, FindingKind, Level, Severity

FEEDBACK_FORMAT = "aligncheck-feedback"
FEEDBACK_VERSION = 1


@cache
def _asset(name: str) -> str:
    return (resources.files("aligncheck.report") / "assets" / name).read_text("utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _attr_list(values: Iterable[str]) -> str:
    """A list for a data attribute, split by the script on "|" (agency names hold no "|")."""
    return _e("|".join(v.replace("|", "/") for v in values))


def report_key(report: Report) -> str:
    """What identifies a report's content (framework, model, input files), not the time it ran, so
    marks made on one run apply to the next run over the same files."""
    parts = [report.framework.id, report.framework.version, report.scorer.model.name, report.kind]
    parts += sorted(d.sha256 for d in report.documents)
    return hashlib.sha256("|".join(parts).encode("utf-8")).hexdigest()[:16]


# --- highlighting -----------------------------------------------------------------------------------


@cache
def _pattern(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """Phrases as whole words; a phrase's last word may inflect ("controle" -> "controles")."""
    alternatives = sorted({p.strip().lower() for p in phrases if len(p.strip()) >= 4}, key=len, reverse=True)
    if not alternatives:
        return None
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in alternatives)
    return re.compile(rf"(?<!\w)(?:{body})\w{{0,3}}(?!\w)", re.IGNORECASE)


def highlight(text: str, phrases: Sequence[str]) -> str:
    """`text` escaped for HTML, with the principle's keywords (or conflict cues) marked."""
    pattern = _pattern(tuple(phrases))
    if pattern is None:
        return _e(text)
    out: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        out.append(_e(text[last : match.start()]))
        out.append(f"<mark>{_e(match.group(0))}</mark>")
        last = match.end()
    out.append(_e(text[last:]))
    return "".join(out)


# --- the page ---------------------------------------------------------------------------------------


class _Page:
    """Builds the report page; one instance per render."""

    def __init__(self, report: Report, lang: str) -> None:
        self.r = report
        self.lang = lang
        self.w = WORDS[lang]
        self.fw: Framework = report.framework
        self.docs = {d.doc_id: d for d in report.documents}
        self.cov = {(c.doc_id, c.principle): c for c in report.coverage}
        self.out: list[str] = []

    # small pieces

    def title(self, principle: str | None) -> str:
        if principle is None:
            return ""
        try:
            return self.fw.principle(principle).title.get(self.lang)
        except LookupError:
            return principle

    def doc_label(self, doc_id: str) -> str:
        d = self.docs.get(doc_id)
        return column_label(d.agency, d.title, doc_id) if d else doc_id

    def phrases(self, principle: str | None, stance: str | None) -> tuple[str, ...]:
        if principle is None:
            return ()
        try:
            p = self.fw.principle(principle)
        except LookupError:
            return ()
        return tuple(p.conflict_cues) + tuple(p.keywords) if stance == "conflicts" else tuple(p.keywords)

    def where(self, ev: Evidence) -> str:
        w = self.w
        d = self.docs.get(ev.doc_id)
        parts = [ev.agency or self.doc_label(ev.doc_id), (d.path if d else ev.path) or ev.doc_id]
        if ev.page:
            pages = f"{ev.page}" if not ev.page_end or ev.page_end == ev.page else f"{ev.page}-{ev.page_end}"
            parts.append(f"{w['page']} {pages}")
        if ev.section:
            parts.append(f"{w['section']} {' > '.join(ev.section)}")
        return ", ".join(parts)

    def marks(self, key: str, target: str, attrs: dict[str, str | None]) -> str:
        """The "juist"/"onjuist" buttons for one finding or passage; what the export needs about it
        travels in data attributes."""
        data = " ".join(f'data-{k}="{_e(v)}"' for k, v in attrs.items() if v is not None)
        w = self.w
        return (
            f'<span class="marks" data-key="{_e(key)}" data-target="{target}" {data}>'
            f'<button type="button" class="mark" data-verdict="correct" aria-pressed="false">{_e(w["mark_correct"])}</button>'
            f'<button type="button" class="mark" data-verdict="wrong" aria-pressed="false">{_e(w["mark_wrong"])}</button>'
            "</span>"
        )

    def note(self, note: str, note_en: str | None = None) -> str:
        return note_text(note, self.lang, note_en)

    def evidence(
        self, ev: Evidence, principle: str | None, key_prefix: str, *, extra: str = "", near: bool = False
    ) -> str:
        w = self.w
        facts = []
        if ev.score is not None:
            facts.append(f'<span class="score">{_e(w["score"])} {ev.score:.2f}</span>')
        if ev.stance:
            facts.append(
                f'<span class="stance st-{_e(ev.stance)}">{_e(w["stance"].get(ev.stance, ev.stance))}</span>'
            )
        if ev.stance == "conflicts" and ev.conflict_score is not None:
            facts.append(
                f'<span class="score">{_e(w["conflict_probability"])} {ev.conflict_score:.2f}</span>'
            )
        if ev.note:
            facts.append(f'<span class="note">{_e(self.note(ev.note, ev.note_en))}</span>')
        if extra:
            facts.append(f'<span class="note">{_e(extra)}</span>')
        d = self.docs.get(ev.doc_id)
        marks = self.marks(
            f"{key_prefix}|{ev.passage_id}",
            "evidence",
            {
                "doc": ev.doc_id,
                "passage": ev.passage_id,
                "principle": principle,
                "stance": ev.stance,
                "agency": ev.agency,
                "sha256": d.sha256 if d else None,
                "near_miss": "1" if near else None,
            },
        )
        return (
            f'<figure class="ev{" near" if near else ""}" data-agency="{_e(ev.agency or "")}">'
            f'<blockquote lang="nl">{highlight(ev.text, self.phrases(principle, ev.stance))}</blockquote>'
            f'<figcaption><span class="where">{_e(self.where(ev))}</span>'
            f'<span class="facts">{" · ".join(facts)}{marks}</span></figcaption></figure>'
        )

    def aspect(self, term: str, aspect: str, value: object = None) -> str:
        """An aspect of a term's definition in words ("opzet vereist"), from the framework file."""
        for t in self.fw.terms:
            if t.term == term and aspect in t.aspects:
                a = t.aspects[aspect]
                text = a.label or a.description or aspect
                return f"{text} ({value})" if value not in (None, "") else text
        return aspect

    # sections

    def head(self) -> None:
        r, w = self.r, self.w
        title = w["title_diff"] if r.kind == "diff" else w["title"]
        css, js = _asset("report.css"), _asset("report.js")
        csp = (
            f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
        config = {
            "reportKey": report_key(r),
            "format": FEEDBACK_FORMAT,
            "version": FEEDBACK_VERSION,
            "report": {
                "generated_at": r.generated_at,
                "kind": r.kind,
                "framework": {"id": self.fw.id, "version": self.fw.version},
                "model": r.scorer.model.name,
                "tool": __version__,
            },
            "words": {k: w[k] for k in ("visible", "marks_count", "clear_confirm")},
        }
        self.out += [
            "<!DOCTYPE html>",
            f'<html lang="{_e(self.lang)}"><head><meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{_e(csp)}">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="referrer" content="no-referrer">',
            f"<title>{_e(title)}</title><style>{css}</style></head><body>",
            # JSON in a data block: "<" escaped so no text can close the element
            '<script type="application/json" id="config">'
            + json.dumps(config, ensure_ascii=False).replace("<", "\\u003c")
            + "</script>",
            f'<header id="top"><h1>{_e(title)}</h1>',
            f'<p class="meta">{_e(self.fw.id)} {_e(self.fw.version)} · {_e(w["model"])} {_e(r.scorer.model.name)} · {_e(r.generated_at)}</p>',
            "<nav><ul>",
        ]
        links = [("summary", w["summary"]), ("matrix", w["matrix"])]
        if r.changes is not None:
            links.append(("changes", w["changes"]))
        links += [("findings", w["findings"]), ("principles", w["per_principle"])]
        if r.definitions:
            links.append(("definitions", w["definitions"]))
        if r.shared:
            links.append(("shared", w["shared"]))
        links.append(("audit", w["audit"]))
        self.out += [f'<li><a href="#{k}">{_e(v)}</a></li>' for k, v in links]
        self.out.append("</ul></nav></header><main>")

    def toolbar(self) -> None:
        w = self.w
        agencies = sorted({d.agency or d.doc_id for d in self.r.documents})
        kinds = sorted(
            {str(f.kind) for f in self.r.findings}, key=lambda k: list(FindingKind).index(FindingKind(k))
        )
        self.out.append(f'<form id="filters" class="toolbar" role="search" aria-label="{_e(w["filters"])}">')
        self.out.append(
            f'<label>{_e(w["filter_agency"])} <select id="f-agency"><option value="">{_e(w["all"])}</option>'
        )
        self.out += [f'<option value="{_e(a)}">{_e(a)}</option>' for a in agencies]
        self.out.append("</select></label>")
        self.out.append(
            f'<label>{_e(w["filter_principle"])} <select id="f-principle"><option value="">{_e(w["all"])}</option>'
        )
        self.out += [
            f'<option value="{_e(p.id)}">{_e(p.title.get(self.lang))}</option>' for p in self.fw.principles
        ]
        self.out.append("</select></label>")
        self.out.append(f"<fieldset><legend>{_e(w['filter_kind'])}</legend>")
        self.out += [
            f'<label><input type="checkbox" class="f-kind" value="{k}" checked> {_e(w["kind"][k])}</label>'
            for k in kinds
        ]
        self.out.append("</fieldset>")
        self.out.append(
            f'<label>{_e(w["search"])} <input type="search" id="f-search" placeholder="{_e(w["search_placeholder"])}"></label>'
            f'<button type="button" id="f-reset">{_e(w["reset"])}</button>'
            '<output id="f-count" aria-live="polite"></output></form>'
        )

    def summary(self) -> None:
        r, w = self.r, self.w
        self.out.append(f'<section id="summary"><h2>{_e(w["summary"])}</h2>')
        self.out.append(
            f'<table class="docs"><thead><tr><th>{_e(w["agency"])}</th><th>{_e(w["title_col"])}</th>'
            f"<th>{_e(w['document'])}</th><th>{_e(w['pages'])}</th><th>{_e(w['format'])}</th></tr></thead><tbody>"
        )
        for d in r.documents:
            self.out.append(
                f"<tr><td>{_e(d.agency or '-')}</td><td>{_e(d.title or '-')}</td><td><code>{_e(d.path)}</code></td>"
                f"<td>{_e(d.pages or '-')}</td><td>{_e(d.format)}</td></tr>"
            )
        self.out.append("</tbody></table>")
        if r.failures:
            self.out.append(f'<div class="failures"><h3>{_e(w["failures"])}</h3><ul>')
            self.out += [f"<li>{_e(str(f))}</li>" for f in r.failures]
            self.out.append("</ul></div>")
        if r.warnings:
            self.out.append(
                f'<details class="warnings"><summary>{_e(w["warnings"])} ({len(r.warnings)})</summary><ul>'
            )
            self.out += [f"<li>{_e(x)}</li>" for x in r.warnings]
            self.out.append("</ul></details>")
        # counts by kind and severity
        counts = Counter((str(f.kind), str(f.severity)) for f in r.findings)
        severities = [str(s) for s in Severity]
        self.out.append(f'<h3>{_e(w["by_kind_severity"])}</h3><table class="counts"><thead><tr><th></th>')
        self.out += [f'<th class="sev-{s}">{_e(w["severity"][s])}</th>' for s in severities]
        self.out.append(f"<th>{_e(w['total'])}</th></tr></thead><tbody>")
        for kind in FindingKind:
            k = str(kind)
            row = [counts.get((k, s), 0) for s in severities]
            cells = "".join(f"<td>{n or ''}</td>" for n in row)
            self.out.append(
                f'<tr><th><a href="#kind-{k}">{_e(w["kind_plural"][k])}</a></th>{cells}<td>{sum(row)}</td></tr>'
            )
        self.out.append("</tbody></table>")
        top = [f for f in r.findings if f.severity is Severity.HIGH][:6] or r.findings[:3]
        if top:
            self.out.append(f'<h3>{_e(w["headline"])}</h3><ol class="headline">')
            for f in top:
                self.out.append(
                    f'<li><a href="#f-{f.id}"><span class="badge k-{f.kind}">{_e(w["kind"][str(f.kind)])}</span> '
                    f"{_e(f.summary if self.lang == 'nl' else f.summary_en)}</a></li>"
                )
            self.out.append("</ol>")
        else:
            self.out.append(f"<p>{_e(w['no_findings'])}</p>")
        self.out.append("</section>")

    def matrix(self) -> None:
        r, w = self.r, self.w
        docs = r.documents
        self.out.append(f'<section id="matrix"><h2>{_e(w["matrix"])}</h2>')
        self.out.append('<div class="scroll"><table class="matrix"><thead><tr>')
        self.out.append(f'<th scope="col">{_e(w["principle"])}</th>')
        self.out += [
            f'<th scope="col" data-agency="{_e(d.agency or d.doc_id)}">{_e(column_label(d.agency, d.title, d.doc_id))}</th>'
            for d in docs
        ]
        self.out.append("</tr></thead><tbody>")
        for p in self.fw.principles:
            self.out.append(
                f'<tr data-principle="{_e(p.id)}"><th scope="row"><a href="#p-{_e(p.id)}">{_e(p.title.get(self.lang))}</a></th>'
            )
            for d in docs:
                c = self.cov.get((d.doc_id, p.id))
                if c is None:
                    self.out.append(f'<td data-agency="{_e(d.agency or d.doc_id)}"></td>')
                    continue
                warn = ""
                sure = c.conflicting - c.conflicting_uncertain
                if sure:
                    label = w["conflicting_passages"].format(n=sure)
                    warn = f' <span class="warn" title="{_e(label)}">⚠ {sure}<span class="sr"> {_e(label)}</span></span>'
                if c.conflicting_uncertain:
                    label = w["uncertain_conflicting_passages"].format(n=c.conflicting_uncertain)
                    warn += f' <span class="warn doubt" title="{_e(label)}">? {c.conflicting_uncertain}<span class="sr"> {_e(label)}</span></span>'
                self.out.append(
                    f'<td class="lvl lvl-{c.level}" data-agency="{_e(d.agency or d.doc_id)}">'
                    f'<a href="#cov-{_e(d.doc_id)}-{_e(p.id)}" title="{_e(w["evidence_for"])} {_e(p.title.get(self.lang))}">'
                    f'<span class="lvl-text">{_e(LEVELS[self.lang][c.level])}</span> '
                    f'<span class="score">{c.score:.2f}</span>{warn}</a></td>'
                )
            self.out.append("</tr>")
        self.out.append("</tbody></table></div>")
        self.out.append(f'<dl class="legend" aria-label="{_e(w["legend"])}">')
        for level in Level:
            self.out.append(
                f'<div><dt class="lvl lvl-{level}">{_e(LEVELS[self.lang][level])}</dt><dd>{_e(w["level_help"][str(level)])}</dd></div>'
            )
        self.out.append(f'<div><dt class="warn">⚠ n</dt><dd>{_e(w["legend_conflicting"])}</dd></div>')
        self.out.append(f'<div><dt class="warn doubt">? n</dt><dd>{_e(w["legend_uncertain"])}</dd></div>')
        self.out.append("</dl></section>")

    def changes(self) -> None:
        r, w = self.r, self.w
        if r.changes is None:
            return
        self.out.append(f'<section id="changes"><h2>{_e(w["changes"])}</h2>')
        self.out.append(
            f'<table class="changes"><thead><tr><th>{_e(w["principle"])}</th><th>{_e(w["old"])}</th>'
            f"<th>{_e(w['new'])}</th><th></th></tr></thead><tbody>"
        )
        for ch in r.changes:
            self.out.append(
                f'<tr data-principle="{_e(ch.principle)}"><th>{_e(self.title(ch.principle))}</th>'
                f'<td class="lvl lvl-{ch.old.level}">{_e(LEVELS[self.lang][ch.old.level])} <span class="score">{ch.old.score:.2f}</span></td>'
                f'<td class="lvl lvl-{ch.new.level}">{_e(LEVELS[self.lang][ch.new.level])} <span class="score">{ch.new.score:.2f}</span></td>'
                f'<td class="change ch-{_e(ch.change)}">{_e(w["change"][ch.change])}</td></tr>'
            )
        self.out.append("</tbody></table>")
        for ch in r.changes:
            if ch.change == "unchanged" and not (ch.new_conflicts or ch.resolved_conflicts):
                continue
            self.out.append(
                f'<article class="change-detail" data-principle="{_e(ch.principle)}">'
                f'<h3>{_e(self.title(ch.principle))}: {_e(w["change"][ch.change])}</h3><div class="sides">'
            )
            for label, items in (
                (w["went"], ch.went + ch.resolved_conflicts),
                (w["appeared"], ch.appeared + ch.new_conflicts),
            ):
                self.out.append(f'<div class="side"><h4>{_e(label)}</h4>')
                self.out += [self.evidence(ev, ch.principle, f"diff|{ch.principle}") for ev in items] or [
                    "<p>-</p>"
                ]
                self.out.append("</div>")
            self.out.append("</div></article>")
        self.out.append("</section>")

    def finding(self, f: Finding) -> str:
        w = self.w
        agencies = list(f.agencies) or [self.doc_label(d) for d in f.documents]
        summary = f.summary if self.lang == "nl" else f.summary_en
        head = (
            f'<header><span class="badge k-{f.kind}">{_e(w["kind"][str(f.kind)])}</span> '
            f'<span class="badge sev-{f.severity}">{_e(w["severity"][str(f.severity)])}</span> '
            + (
                f'<a class="principle" href="#p-{_e(f.principle)}">{_e(self.title(f.principle))}</a> '
                if f.principle
                else ""
            )
            + f'<span class="agencies">{_e(", ".join(agencies))}</span> '
            + self.marks(
                f"finding|{f.id}", "finding", {"finding": f.id, "kind": str(f.kind), "principle": f.principle}
            )
            + "</header>"
        )
        body = [f'<p class="summary">{_e(summary)}</p>']
        prefix = f"finding|{f.id}"
        if (
            f.kind in (FindingKind.DIVERGENCE, FindingKind.DEFINITION)
            and len({e.agency for e in f.evidence}) > 1
        ):
            # passages side by side, one column per agency
            columns: dict[str, list[Evidence]] = {}
            for ev in f.evidence:
                columns.setdefault(ev.agency or self.doc_label(ev.doc_id), []).append(ev)
            levels = f.details.get("levels") or {}
            body.append(f'<div class="sides" aria-label="{_e(w["side_by_side"])}">')
            for agency, items in columns.items():
                level = levels.get(agency)
                tag = (
                    f' <span class="lvl lvl-{_e(level)} lvl-text">{_e(LEVELS[self.lang][Level(level)])}</span>'
                    if level in {str(x) for x in Level}
                    else ""
                )
                body.append(f'<div class="side"><h4>{_e(agency)}{tag}</h4>')
                body += [self.evidence(ev, f.principle, prefix) for ev in items]
                body.append("</div>")
            body.append("</div>")
            if f.kind is FindingKind.DEFINITION and f.details.get("differs_on"):
                term = str(f.details.get("term", ""))
                differs = ", ".join(
                    str(a.get("label") or a.get("aspect"))
                    if isinstance(a, dict)
                    else self.aspect(term, str(a))
                    for a in f.details["differs_on"]
                )
                body.append(f'<p class="meta">{_e(w["differs_on"])}: {_e(differs)}</p>')
        else:
            # a gap's evidence is the passages that came closest: marks on them judge "fell short"
            near = f.kind is FindingKind.GAP
            if near and any(ev.stance is None for ev in f.evidence):
                body.append(f'<p class="meta">{_e(w["nearest_lead"])}</p>')
            body += [
                self.evidence(ev, f.principle, prefix, near=near and ev.stance is None) for ev in f.evidence
            ]
        return (
            f'<article class="finding sev-{f.severity}" id="f-{f.id}" data-kind="{f.kind}" '
            f'data-principle="{_e(f.principle or "")}" data-agencies="{_attr_list(agencies)}">'
            + head
            + "".join(body)
            + "</article>"
        )

    def findings(self) -> None:
        r, w = self.r, self.w
        self.out.append(f'<section id="findings"><h2>{_e(w["findings"])}</h2>')
        if not r.findings:
            self.out.append(f"<p>{_e(w['no_findings'])}</p>")
        for kind in FindingKind:
            items = [f for f in r.findings if f.kind is kind]
            if not items:
                continue
            self.out.append(
                f'<section class="kind" id="kind-{kind}" data-kind="{kind}"><h3>{_e(w["kind_plural"][str(kind)])} ({len(items)})</h3>'
            )
            self.out += [self.finding(f) for f in items]
            self.out.append("</section>")
        self.out.append("</section>")

    def coverage_block(self, c: Coverage) -> str:
        w = self.w
        d = self.docs.get(c.doc_id)
        agency = (d.agency if d else None) or c.doc_id
        out = [
            f'<div class="cov" id="cov-{_e(c.doc_id)}-{_e(c.principle)}" data-agency="{_e(agency)}" data-principle="{_e(c.principle)}">',
            f'<h4><span class="lvl lvl-{c.level} lvl-text">{_e(LEVELS[self.lang][c.level])}</span> '
            f'{_e(self.doc_label(c.doc_id))} <span class="score">{_e(w["score"])} {c.score:.2f}</span></h4>',
        ]
        if c.reason:
            out.append(f'<p class="meta">{_e(self.note(c.reason))}</p>')
        if c.level is Level.OUT_OF_SCOPE:
            out.append(f'<p class="meta">{_e(w["out_of_scope"])}</p></div>')
            return "".join(out)
        prefix = f"coverage|{c.doc_id}|{c.principle}"
        out += [self.evidence(ev, c.principle, prefix) for ev in c.evidence]
        if not c.evidence and not c.near_misses:
            out.append(f'<p class="meta">{_e(w["no_evidence"])}</p>')
        if c.conflicts:
            out.append(f"<h5>{_e(w['conflicts_with'])}</h5>")
            out += [self.evidence(ev, c.principle, prefix) for ev in c.conflicts]
        if c.near_misses:
            out.append(
                f'<details class="near"><summary>{_e(w["near_misses"])} ({len(c.near_misses)})</summary>'
            )
            out += [
                self.evidence(
                    ev, c.principle, prefix + "|near", extra=w["shortfall"].format(d=f"{s:.2f}"), near=True
                )
                for ev, s in zip(c.near_misses, c.shortfalls, strict=True)
            ]
            out.append("</details>")
        out.append("</div>")
        return "".join(out)

    def principles(self) -> None:
        w = self.w
        self.out.append(f'<section id="principles"><h2>{_e(w["per_principle"])}</h2>')
        for p in self.fw.principles:
            self.out.append(
                f'<article class="principle-block" id="p-{_e(p.id)}" data-principle="{_e(p.id)}">'
                f"<h3>{_e(p.title.get(self.lang))} <code>{_e(p.id)}</code></h3>"
                f'<p class="description">{_e(p.description.get(self.lang))}</p>'
            )
            self.out += [self.coverage_block(c) for c in self.r.coverage if c.principle == p.id]
            self.out.append(f'<p class="up"><a href="#top">{_e(w["to_top"])}</a></p></article>')
        self.out.append("</section>")

    def definitions(self) -> None:
        r, w = self.r, self.w
        if not r.definitions:
            return
        self.out.append(
            f'<section id="definitions"><h2>{_e(w["definitions"])}</h2><p>{_e(w["definitions_intro"])}</p>'
        )
        for term, items in sorted(r.definitions.items()):
            self.out.append(
                f'<table class="definitions" data-agencies="{_attr_list(sorted({str(i.get("agency") or "") for i in items}))}">'
                f"<caption>{_e(w['term'])}: <strong>{_e(term)}</strong></caption>"
                f"<thead><tr><th>{_e(w['agency'])}</th><th>{_e(w['definition'])}</th><th>{_e(w['aspects'])}</th>"
                f"<th>{_e(w['document'])}</th></tr></thead><tbody>"
            )
            for item in items:
                text = str(item.get("sentence") or "")
                if item.get("continuation"):
                    text += " " + str(item["continuation"])
                doc = self.docs.get(str(item.get("doc_id")))
                where = [(doc.path if doc else str(item.get("doc_id")))]
                if item.get("page"):
                    where.append(f"{w['page']} {item['page']}")
                section = item.get("section")
                if isinstance(section, list) and section:
                    where.append(f"{w['section']} {' > '.join(map(str, section))}")
                values = item.get("values") or {}
                listed = item.get("aspects")
                aspects = (
                    ", ".join(
                        self.aspect(term, str(a), values.get(a) if isinstance(values, dict) else None)
                        for a in (listed if isinstance(listed, list) else [])
                    )
                    or "-"
                )
                self.out.append(
                    f'<tr data-agency="{_e(item.get("agency") or "")}"><td>{_e(item.get("agency") or "-")}</td>'
                    f"<td><blockquote>{_e(text)}</blockquote></td><td>{_e(aspects)}</td><td>{_e(', '.join(where))}</td></tr>"
                )
            self.out.append("</tbody></table>")
        self.out.append("</section>")

    def shared(self) -> None:
        r, w = self.r, self.w
        if not r.shared:
            return
        self.out.append(f'<section id="shared"><h2>{_e(w["shared"])}</h2><p>{_e(w["shared_intro"])}</p>')
        for n, s in enumerate(r.shared, start=1):
            self.out.append(
                f'<article class="shared-group"><h3>{n}. ({s.similarity:.2f})</h3><div class="sides">'
            )
            for ev in s.passages:
                self.out.append(
                    f'<div class="side"><h4>{_e(ev.agency or self.doc_label(ev.doc_id))}</h4>'
                    f'<figure class="ev" data-agency="{_e(ev.agency or "")}"><blockquote>{_e(ev.text)}</blockquote>'
                    f"<figcaption>{_e(self.where(ev))}</figcaption></figure></div>"
                )
            self.out.append("</div></article>")
        self.out.append("</section>")

    def audit(self) -> None:
        r, w = self.r, self.w
        model = r.scorer.model
        card = model.card or {}
        cv = card.get("cross_validation") or {}
        self.out.append(f'<section id="audit"><h2>{_e(w["audit"])}</h2><dl class="audit">')
        rows = [
            (w["tool"], f"aligncheck {__version__}"),
            (w["framework"], f"{self.fw.id} {self.fw.version}"),
            (
                w["model"],
                f"{model.name} ({card.get('scorer_id', 'aligncheck.scorer.v1')}, {card.get('trained', '-')})",
            ),
            (w["encoder"], model.encoder),
            (w["generated"], r.generated_at),
        ]
        self.out += [f"<div><dt>{_e(k)}</dt><dd>{_e(v)}</dd></div>" for k, v in rows]
        self.out.append("</dl>")
        if cv:
            conflicts = cv.get("conflicts") or {}
            self.out.append(f"<h3>{_e(w['accuracy'].format(f1=cv.get('macro_f1', '-')))}</h3>")
            self.out.append(f"<p>{_e(w['accuracy_setup'])}</p><ul>")
            self.out.append(
                f"<li>{_e(w['macro'].format(f1=cv.get('macro_f1', '-'), p=cv.get('macro_precision', '-')))}</li>"
            )
            if conflicts:
                self.out.append(
                    f"<li>{_e(w['conflicts_pr'].format(p=conflicts.get('precision', '-'), r=conflicts.get('recall', '-')))}</li>"
                )
            if cv.get("neutral_wrongly_labelled") is not None:
                share = f"{float(cv['neutral_wrongly_labelled']):.1%}"
                self.out.append(f"<li>{_e(w['neutral_wrong'].format(v=share))}</li>")
            self.out.append("</ul>")
        real = real_text_lines(model.real_text, self.lang)
        if real:
            self.out.append(f"<h3>{_e(real[0])}</h3><p>{_e(real[1])}</p>")
        per = (cv.get("principles") or {}) if cv else {}
        self.out.append(
            f'<table class="thresholds"><caption>{_e(w["thresholds"])}</caption><thead><tr><th>{_e(w["principle"])}</th>'
            f"<th>{_e(w['threshold'])}</th><th>{_e(w['review_from'])}</th><th>{_e(w['precision'])}</th>"
            f"<th>{_e(w['recall'])}</th><th>{_e(w['f1'])}</th></tr></thead><tbody>"
        )
        for pm in model.principles:
            fig = per.get(pm.principle) or {}
            self.out.append(
                f"<tr><th>{_e(self.title(pm.principle))}</th><td>{pm.threshold:.2f}</td><td>{pm.review_low:.2f}</td>"
                f"<td>{_e(fig.get('precision', '-'))}</td><td>{_e(fig.get('recall', '-'))}</td><td>{_e(fig.get('f1', '-'))}</td></tr>"
            )
        self.out.append("</tbody></table>")
        self.out.append(f'<h3>{_e(w["inputs"])}</h3><table class="inputs"><tbody>')
        self.out += [
            f"<tr><td><code>{_e(d.path)}</code></td><td><code>{_e(d.sha256)}</code></td></tr>"
            for d in r.documents
        ]
        self.out.append("</tbody></table></section>")

    def feedback_bar(self) -> None:
        w = self.w
        self.out.append(
            f'</main><footer id="feedback"><p>{_e(w["mark_help"])}</p>'
            f'<output id="marks-count"></output> '
            f'<button type="button" id="export-marks">{_e(w["export"])}</button> '
            f'<button type="button" id="clear-marks">{_e(w["clear_marks"])}</button>'
            f'<p class="up"><a href="#top">{_e(w["to_top"])}</a></p></footer>'
        )

    def render(self) -> str:
        self.head()
        self.toolbar()
        self.summary()
        self.matrix()
        self.changes()
        self.findings()
        self.principles()
        self.definitions()
        self.shared()
        self.audit()
        self.feedback_bar()
        self.out.append(f"<script>{_asset('report.js')}</script></body></html>")
        return "\n".join(self.out) + "\n"


def render_html(report: Report, lang: str = "nl") -> str:
    return _Page(report, lang).render()
