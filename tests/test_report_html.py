"""The HTML report without a browser: escaping of hostile text, the Content-Security-Policy, the
structure readers rely on, English, highlighting; and the feedback file format and import."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner
from hostile import HOSTILE, PLAN_SVB, write_hostile_plans

from aligncheck.cli import cli
from aligncheck.report.html import highlight


class Elements(HTMLParser):
    """Every start tag with its attributes, and the text of each script and style element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.raw: dict[str, list[str]] = {"script": [], "style": []}
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.raw[self._in][-1] += data


def parse(html: str) -> Elements:
    p = Elements()
    p.feed(html)
    return p


def csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_hostile_text_is_inert(hostile_batch: Path) -> None:
    html = (hostile_batch / "report.html").read_text("utf-8")
    page = parse(html)
    # the only scripts: the JSON config block and the report's own script
    scripts = [attrs for tag, attrs in page.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "config"}, {}]
    assert [
        tag for tag, _ in page.tags if tag in ("img", "svg", "iframe", "object", "embed", "link", "base")
    ] == []
    for tag, attrs in page.tags:
        assert not any(name.startswith("on") for name in attrs), (tag, attrs)
        assert "style" not in attrs, (tag, attrs)  # the CSP allows no inline style attributes
        href = attrs.get("href")
        assert href is None or href.startswith("#"), (tag, href)
        assert "src" not in attrs
    assert len(page.raw["style"]) == 1
    # the hostile strings are in the page as text, escaped
    for text in HOSTILE:
        assert text not in html
    assert "&lt;script&gt;window.xss = 1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;window.xss = 2&quot;&gt;" in html
    # JSON config cannot be closed by document text
    assert "</script><script>window" not in page.raw["script"][0]


def test_csp_allows_only_the_reports_own_style_and_script(hostile_batch: Path) -> None:
    html = (hostile_batch / "report.html").read_text("utf-8")
    page = parse(html)
    csp = next(
        a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if d.strip())
    assert directives["default-src"] == "'none'"
    assert directives["style-src"] == csp_hash(page.raw["style"][0])
    assert directives["script-src"] == csp_hash(page.raw["script"][1])
    assert "connect-src" not in directives and "unsafe-inline" not in csp


def test_report_structure(hostile_batch: Path) -> None:
    html = (hostile_batch / "report.html").read_text("utf-8")
    report = json.loads((hostile_batch / "report.json").read_text("utf-8"))
    assert '<html lang="nl">' in html and "Dekking per principe" in html
    # the matrix: ten principle rows, a cell per document linking to its evidence
    rows = re.findall(r'<tr data-principle="([a-z_]+)"><th scope="row">', html)
    assert len(rows) == 10
    for c in report["coverage"]:
        assert f'href="#cov-{c["doc_id"]}-{c["principle"]}"' in html
        assert f'id="cov-{c["doc_id"]}-{c["principle"]}"' in html
    # every finding is an article with its stable id, and the headline links resolve
    for f in report["findings"]:
        assert f'id="f-{f["id"]}"' in html
    for target in re.findall(r'href="#([^"]+)"', html):
        assert f'id="{target}"' in html, target
    # the audit block: input files with their SHA-256, thresholds
    for d in report["documents"]:
        assert d["sha256"] in html
    assert "Drempels per principe" in html


def test_english_report(fake_model: Path, tmp_path: Path) -> None:
    plans = write_hostile_plans(tmp_path / "plans")
    result = CliRunner().invoke(
        cli,
        [
            "check",
            str(plans / "svb.md"),
            "--format",
            "html",
            "--lang",
            "en",
            "--model",
            str(fake_model),
            "--cache",
            str(tmp_path / "c"),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0
    assert '<html lang="en">' in result.stdout and "Coverage per principle" in result.stdout
    assert "Dekking per principe" not in result.stdout


def test_diff_report_shows_changes_side_by_side(fake_model: Path, tmp_path: Path) -> None:
    old = tmp_path / "v1.md"
    new = tmp_path / "v2.md"
    old.write_text(PLAN_SVB.format(**{f"h{k}": "" for k in range(3)}), encoding="utf-8")
    new.write_text(
        "# Handhavingsplan Sociale Verzekeringsbank\n\n## 3 Sanctionering\n\n"
        "Bij iedere schending van de inlichtingenplicht legt de SVB direct een boete op.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        cli,
        [
            "diff",
            str(old),
            str(new),
            "--format",
            "html",
            "--model",
            str(fake_model),
            "--cache",
            str(tmp_path / "c"),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    html = result.stdout
    assert "Vergelijking van twee versies" in html and "Wijzigingen per principe" in html
    assert len(re.findall(r'<table class="changes">', html)) == 1
    rows = re.findall(r'<td class="change ch-([a-z]+)">', html)
    assert len(rows) == 10 and set(rows) <= {"gained", "lost", "weakened", "strengthened", "unchanged"}
    changed = [r for r in rows if r != "unchanged"]
    # every changed principle gets a block with what went and what appeared, side by side
    assert len(re.findall(r'<article class="change-detail"', html)) >= len(changed) > 0
    assert "Verdwenen" in html and "Erbij gekomen" in html


def test_highlight_marks_keywords_and_escapes() -> None:
    out = highlight(
        "Wij gaan uit van Vertrouwen & <goede trouw>; vertrouwensbeginsel.", ["vertrouwen", "goede trouw"]
    )
    assert out == (
        "Wij gaan uit van <mark>Vertrouwen</mark> &amp; &lt;<mark>goede trouw</mark>&gt;; vertrouwensbeginsel."
    )
    assert highlight("<b>", []) == "&lt;b&gt;"
    assert (
        highlight("controles en controle", ["controle"]) == "<mark>controles</mark> en <mark>controle</mark>"
    )


def test_markdown_report(hostile_batch: Path) -> None:
    md = (hostile_batch / "report.md").read_text("utf-8")
    report = json.loads((hostile_batch / "report.json").read_text("utf-8"))
    assert md.startswith("# Toets op de handhavingskoers\n")
    matrix = [
        line for line in md.splitlines() if line.startswith("| ") and ("(0." in line or "(1.00)" in line)
    ]
    assert len(matrix) == 10 and all(line.count(" | ") == 2 for line in matrix)  # principle + two plans
    for f in report["findings"]:
        assert f["summary"].replace("|", "\\|") in md
    total = len(report["findings"])
    rows = [
        line
        for line in md.splitlines()
        if line.startswith("| ") and line.endswith(" |") and line.split("|")[-2].strip().isdigit()
    ]
    assert sum(int(line.split("|")[-2]) for line in rows) == total
    assert "owner:" not in md and "timeline:" not in md  # evidence notes in Dutch


def test_conflict_evidence_shows_the_stance_probability(hostile_batch: Path) -> None:
    report = json.loads((hostile_batch / "report.json").read_text("utf-8"))
    scores = [
        e["conflict_score"]
        for f in report["findings"]
        if f["kind"] == "conflict"
        for e in f["evidence"]
        if e["stance"] == "conflicts"
    ]
    assert scores and all(0.5 <= s <= 1 for s in scores)
    md = (hostile_batch / "report.md").read_text("utf-8")
    html = (hostile_batch / "report.html").read_text("utf-8")
    for s in scores:
        assert f"kans op strijdigheid {s:.2f}" in md and f"kans op strijdigheid {s:.2f}" in html


def _matrix_marks(out: Path) -> tuple[list[int], list[int]]:
    """The counts after ⚠ (clear conflicts) and ? (uncertain ones) in the matrix, each checked against
    report.json's coverage; returns the coverage's counts."""
    report = json.loads((out / "report.json").read_text("utf-8"))
    html = (out / "report.html").read_text("utf-8")
    matrix = html[html.index('<table class="matrix">') : html.index('<dl class="legend"')]
    sure = [c["conflicting"] - c["conflicting_uncertain"] for c in report["coverage"]]
    unsure = [c["conflicting_uncertain"] for c in report["coverage"]]
    assert sorted(int(n) for n in re.findall(r'<span class="warn" [^>]*>⚠ (\d+)', matrix)) == sorted(
        n for n in sure if n
    )
    assert sorted(int(n) for n in re.findall(r'<span class="warn doubt" [^>]*>\? (\d+)', matrix)) == sorted(
        n for n in unsure if n
    )
    return sure, unsure


def test_matrix_counts_clear_and_uncertain_conflicts_apart(
    hostile_batch: Path, fake_model: Path, tmp_path: Path, monkeypatch
) -> None:
    """The matrix marks clear conflicting passages with ⚠ and those with an uncertain stance with ?,
    with the counts of report.json's coverage."""
    sure, unsure = _matrix_marks(hostile_batch)
    assert sum(sure) > 0  # (unsure: the conflicts found by the against model alone)
    # the same plans with every stance probability counted as uncertain
    monkeypatch.setattr("aligncheck.types.STANCE_DOUBT", 1.01)
    plans = write_hostile_plans(tmp_path / "plans")
    args = ["batch", str(plans), "-o", str(tmp_path / "out"), "--model", str(fake_model)]
    result = CliRunner().invoke(cli, [*args, "--cache", str(tmp_path / "cache")], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    sure_now, unsure_now = _matrix_marks(tmp_path / "out")
    assert sum(sure_now) == 0 and sum(unsure_now) == sum(sure) + sum(unsure)


def _model_with_real_text(fake_model: Path, folder: Path, weights_sha256: str | None = None) -> Path:
    """A copy of the fake model with a real-text record, measured with its weights (or with others)."""
    import shutil

    shutil.copytree(fake_model, folder)
    weights = hashlib.sha256((folder / "weights.npz").read_bytes()).hexdigest()
    record = {
        "weights_sha256": weights_sha256 or weights,
        "measured": "2026-11-29",
        "passages": 360,
        "documents": 112,
        "micro_precision": 0.615,
        "micro_recall": 0.388,
        "micro_f1": 0.476,
        "conflicts": {"gold": 28, "found": 2, "precision": 0.167, "recall": 0.071},
        "second_reader_macro_f1": 0.8,
    }
    (folder / "real-text.json").write_text(json.dumps(record))
    return folder


def test_reports_print_the_real_text_figures_of_these_weights_only(fake_model: Path, tmp_path: Path) -> None:
    """A model's figures on real published text are printed in every report's audit part, but only
    while they were measured with exactly its weights: a retrained model drops them."""
    from aligncheck.score.model import ScorerModel

    plans = write_hostile_plans(tmp_path / "plans")
    measured = _model_with_real_text(fake_model, tmp_path / "measured")
    other = _model_with_real_text(fake_model, tmp_path / "other", weights_sha256="0" * 64)
    assert ScorerModel.load(measured).real_text["micro_f1"] == 0.476
    assert ScorerModel.load(other).real_text is None

    def report(model: Path, fmt: str, lang: str = "nl") -> str:
        args = ["check", str(plans / "svb.md"), "--format", fmt, "--lang", lang, "--model", str(model)]
        result = CliRunner().invoke(cli, [*args, "--cache", str(tmp_path / "c")], catch_exceptions=False)
        assert result.exit_code == 0
        return result.stdout

    nl = (
        "Gemeten op gepubliceerde tekst (steekproef van 360 passages uit 112 documenten, 2026-11-29): "
        "precisie 0.61, recall 0.39, F1 0.48; 2 van 28 strijdige passages gevonden"
    )
    assert f"- {nl}. Echte plannen" in report(measured, "md")
    assert "macro-F1 0.80)" in report(measured, "md")
    assert f"<h3>{nl}</h3>" in report(measured, "html")
    assert "Measured on published text (a spot check of 360 passages" in report(measured, "md", "en")
    assert json.loads(report(measured, "json"))["model"]["real_text"]["conflicts"]["found"] == 2
    assert "gepubliceerde tekst" not in report(other, "md") + report(other, "html")
    assert json.loads(report(other, "json"))["model"]["real_text"] is None
    (measured / "real-text.json").write_text("{not json")
    result = CliRunner().invoke(cli, ["check", str(plans / "svb.md"), "--model", str(measured)])
    assert result.exit_code != 0 and "real-text.json cannot be read" in result.stderr


def test_english_notes_come_from_the_data_english_words() -> None:
    """An evidence note with English words (instruments, definition aspects) is shown in English in
    an English report and in Dutch in a Dutch one; other notes keep their prefix translation."""
    from aligncheck.report.text import note_text

    assert (
        note_text("eerst een waarschuwing, geen boete", "en", "a warning first, no fine")
        == "a warning first, no fine"
    )
    assert note_text("eerst een waarschuwing, geen boete", "nl", "a warning first, no fine") == (
        "eerst een waarschuwing, geen boete"
    )
    assert (
        note_text("owner: team", "en") == "owner: team" and note_text("owner: team", "nl") == "eigenaar: team"
    )
