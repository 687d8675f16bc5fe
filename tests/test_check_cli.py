"""check, batch, diff and runs: outputs, JSON schema, CSV safety, --fail-on exit codes. Plumbing
tests with the fake-embedder model; test_demo.py checks the findings with the real model."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from aligncheck.cli import cli

REPO = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((REPO / "schemas" / "report.schema.json").read_text())

PLAN_A = """# Handhavingsplan Sociale Verzekeringsbank

## 2 Visie

Wij gaan uit van vertrouwen in onze klanten. De meeste mensen willen de regels naleven.

## 3 Sanctionering

Bij een eerste schending van de inlichtingenplicht zonder benadeling geven wij een waarschuwing en geen boete.

Onder fraude verstaan wij het opzettelijk verstrekken van onjuiste informatie om een uitkering te krijgen.
"""
PLAN_B = """# Handhavingsplan Gemeente Zuiderveen

## 2 Visie

=HYPERLINK("http://x") Het college legt bij iedere schending van de inlichtingenplicht een boete op, ook wanneer er geen benadeling is.

Van fraude is sprake als de belanghebbende te veel bijstand heeft ontvangen. Opzet is daarvoor niet vereist.
"""


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "plans"
    folder.mkdir()
    (folder / "svb.md").write_text(PLAN_A, encoding="utf-8")
    (folder / "gemeente.md").write_text(PLAN_B, encoding="utf-8")
    return folder


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_check_json_validates_against_schema(plans, fake_model, tmp_path):
    result = invoke(
        "check",
        str(plans / "svb.md"),
        "--model",
        str(fake_model),
        "--format",
        "json",
        "--cache",
        str(tmp_path / "c"),
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["kind"] == "check" and report["framework"] == {"id": "koers-2026-2029", "version": "1.0.0"}
    assert len(report["coverage"]) == 10
    assert report["documents"][0]["agency"] == "SVB"
    for c in report["coverage"]:
        for e in c["evidence"] + c["near_misses"]:
            assert e["passage_id"].startswith(report["documents"][0]["doc_id"] + ":")


def test_batch_writes_all_reports_and_csv_is_safe(plans, fake_model, tmp_path):
    out = tmp_path / "out"
    result = invoke(
        "batch", str(plans), "-o", str(out), "--model", str(fake_model), "--cache", str(tmp_path / "c")
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == [
        "coverage.csv",
        "findings.csv",
        "report.html",
        "report.json",
        "report.md",
    ]
    report = json.loads((out / "report.json").read_text())
    jsonschema.validate(report, SCHEMA)
    assert report["kind"] == "batch" and {d["agency"] for d in report["documents"]} == {
        "SVB",
        "Gemeente Zuiderveen",
    }
    rows = list(csv.reader(io.StringIO((out / "coverage.csv").read_text())))
    assert rows[0][0] == "row_type"
    for row in rows[1:]:
        assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row)
    assert (
        any("'=HYPERLINK" in cell for row in rows for cell in row)
        or "HYPERLINK" not in (out / "coverage.csv").read_text()
    )
    html = (out / "report.html").read_text()
    assert "Content-Security-Policy" in html and "<script>window" not in html


def test_fail_on_exit_code(plans, fake_model, tmp_path):
    result = invoke(
        "check",
        str(plans / "gemeente.md"),
        "--model",
        str(fake_model),
        "--fail-on",
        "gap",
        "--cache",
        str(tmp_path / "c"),
    )
    assert result.exit_code == 4  # a one-paragraph plan has gaps
    assert "failing as --fail-on asks" in result.stderr


def test_diff_two_versions_and_runs(plans, fake_model, tmp_path):
    v2 = plans / "svb-v2.md"
    v2.write_text(PLAN_A.replace("Wij gaan uit van vertrouwen in onze klanten. ", ""), encoding="utf-8")
    cache = str(tmp_path / "c")
    result = invoke(
        "diff",
        str(plans / "svb.md"),
        str(v2),
        "--model",
        str(fake_model),
        "--format",
        "json",
        "--cache",
        cache,
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    jsonschema.validate(report, SCHEMA)
    assert report["kind"] == "diff" and len(report["changes"]) == 10
    assert {c["change"] for c in report["changes"]} <= {
        "gained",
        "lost",
        "weakened",
        "strengthened",
        "unchanged",
    }
    listing = invoke("runs", "list", "--cache", cache).stdout.splitlines()
    assert len(listing) == 1 and " diff " in listing[0]
    invoke("check", str(plans / "svb.md"), "--model", str(fake_model), "--cache", cache)
    runs = invoke("diff", "--run", "1", "--run", "2", "--format", "json", "--cache", cache)
    assert runs.exit_code == 0
    assert set(json.loads(runs.stdout)) == {
        "old",
        "new",
        "coverage_changes",
        "findings_appeared",
        "findings_resolved",
    }


def test_unreadable_input_in_batch_is_listed_and_others_processed(plans, fake_model, tmp_path):
    (plans / "kapot.pdf").write_bytes(b"%PDF-1.4 garbage")
    out = tmp_path / "out"
    result = invoke(
        "batch", str(plans), "-o", str(out), "--model", str(fake_model), "--cache", str(tmp_path / "c")
    )
    assert result.exit_code == 3
    assert "kapot.pdf: is damaged" in result.stderr
    report = json.loads((out / "report.json").read_text())
    assert [f["path"] for f in report["failures"]] == [str(plans / "kapot.pdf")]
    assert len(report["documents"]) == 2


def test_fail_on_with_least_severity(plans, fake_model, tmp_path):
    cache = ("--cache", str(tmp_path / "c"))
    paths = [str(plans / "gemeente.md"), str(plans / "svb.md")]
    report = json.loads(
        invoke("check", *paths, "--model", str(fake_model), "--format", "json", *cache).stdout
    )
    present = {(f["kind"], f["severity"]) for f in report["findings"]}
    ranks = {"high": 0, "medium": 1, "low": 2}
    differed = []
    for kind in ("gap", "conflict", "divergence", "definition"):
        outcomes = set()
        for least in ranks:
            expected = 4 if any(k == kind and ranks[s] <= ranks[least] for k, s in present) else 0
            result = invoke(
                "check", *paths, "--model", str(fake_model), "--fail-on", f"{kind}:{least}", *cache
            )
            assert result.exit_code == expected, (kind, least, present)
            outcomes.add(expected)
        if outcomes == {0, 4}:
            differed.append(kind)
    assert differed, present  # for some kind the least severity made the difference
    # of two asks for one kind, the wider counts
    lowest = max((s for k, s in present), key=ranks.get)
    kind = next(k for k, s in present if s == lowest)
    wider = invoke(
        "check", *paths, "--model", str(fake_model), "--fail-on", f"{kind}:high, {kind}:{lowest}", *cache
    )
    assert wider.exit_code == 4


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("gaps", "unknown finding kind 'gaps' (valid: gap, conflict, divergence, definition)"),
        ("conflict:severe", "unknown severity 'severe' in 'conflict:severe' (valid: high, medium, low)"),
    ],
)
def test_fail_on_bad_value(plans, fake_model, value, message):
    bad = CliRunner().invoke(
        cli, ["check", str(plans / "svb.md"), "--model", str(fake_model), "--fail-on", value]
    )
    assert bad.exit_code == 2
    assert bad.stderr == f"error: --fail-on: {message}\n"
