"""`aligncheck check`, `batch` and `diff`: read, score and compare plans; write the reports."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from aligncheck.commands import Group, console, ingest_options, open_output, output_option
from aligncheck.commands.cache import cache_option, open_store
from aligncheck.commands.score import framework_option, model_option
from aligncheck.errors import UsageError
from aligncheck.frameworks import load_framework
from aligncheck.ingest import IngestOptions
from aligncheck.manifest import load_manifest
from aligncheck.outputs import write_files
from aligncheck.pipeline import Report, run_check, run_diff
from aligncheck.report import RENDERERS, render_findings_csv
from aligncheck.report.csv import render_coverage_csv
from aligncheck.report.summary import render_summary
from aligncheck.score import load_scorer
from aligncheck.store import Store
from aligncheck.types import FindingKind, Severity

EXIT_FINDINGS = 4
"""--fail-on matched: findings of the listed kinds are present (the report is still written)."""
EXIT_INPUT_FAILED = 3


def fail_on_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--fail-on",
        default="",
        metavar="KINDS",
        help="Exit with code 4 when findings of these kinds are present: comma-separated, from "
        "gap, conflict, divergence, definition, each optionally with the least severity that counts "
        "(conflict:medium: conflicts of medium or high severity; default low: all). The report is "
        "written first.",
    )(f)


def workers_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--workers",
        type=click.IntRange(min=1),
        default=os.cpu_count() or 1,
        show_default="the number of CPUs",
        metavar="N",
        help="Read the documents, and encode their passages when there are many, in N worker processes "
        "(1: in this process). The output is the same.",
    )(f)


def lang_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--lang",
        type=click.Choice(["nl", "en"]),
        default="nl",
        show_default=True,
        help="Language of the report.",
    )(f)


FailOn = dict[FindingKind, Severity]
"""--fail-on: per finding kind, the least severity that fails the run."""


def _kinds(value: str) -> FailOn:
    """Parse --fail-on: KIND[:SEVERITY], comma-separated; a kind without a severity counts at any."""
    kinds: FailOn = {}
    for part in (p.strip() for p in value.split(",") if p.strip()):
        name, _, level = (x.strip() for x in part.partition(":"))
        try:
            kind = FindingKind(name)
        except ValueError:
            valid = ", ".join(k.value for k in FindingKind)
            raise UsageError(f"--fail-on: unknown finding kind '{name}' (valid: {valid})") from None
        try:
            least = Severity(level) if level else Severity.LOW
        except ValueError:
            valid = ", ".join(s.value for s in Severity)
            raise UsageError(f"--fail-on: unknown severity '{level}' in '{part}' (valid: {valid})") from None
        kinds[kind] = max(kinds.get(kind, least), least, key=lambda s: s.rank)  # the widest asked
    return kinds


def _fails(fail_on: FailOn, kind: str, severity: str) -> bool:
    least = fail_on.get(FindingKind(kind))
    return least is not None and Severity(severity).rank <= least.rank


def _finish(report: Report, fail_on: FailOn) -> None:
    c = console()
    for warning in report.warnings:
        c.warn(warning)
    for failure in report.failures:
        c.error(str(failure))
    hits = [f for f in report.findings if _fails(fail_on, f.kind, f.severity)]
    if hits:
        c.info(
            f"{len(hits)} finding(s) of kind {', '.join(sorted({str(f.kind) for f in hits}))}: failing as --fail-on asks"
        )
        sys.exit(EXIT_FINDINGS)
    if report.failures:
        sys.exit(EXIT_INPUT_FAILED)


def _record(store: Store, report: Report) -> str:
    """Keep the run in the store so `runs list` and `diff --run A --run B` can find it. Returns the
    JSON report it recorded (the same as RENDERERS["json"] gives, for a report.json to reuse)."""
    from aligncheck.report.json import render_json

    report_json = render_json(report)
    run_id = store.add_run(
        report.kind,
        report.framework.id,
        report.framework.version,
        report.scorer.model.name,
        [{"path": d.path, "sha256": d.sha256, "agency": d.agency} for d in report.documents],
        len(report.findings),
        report_json,
    )
    console().detail(f"recorded as run {run_id}")
    return report_json


def _record_or_exit(store: Store, report: Report) -> str:
    """Record a run that read documents (returns its JSON report); with none read, list why and exit
    with code 3."""
    if report.documents:
        return _record(store, report)
    for failure in report.failures:
        console().error(str(failure))
    sys.exit(EXIT_INPUT_FAILED)


def _scorer(framework: str, model_spec: str | None, cache_dir: Path | None):
    fw = load_framework(framework)
    store = open_store(cache_dir)
    return fw, store, load_scorer(fw, model_spec, store)


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@framework_option
@model_option
@click.option("--agency", help="Agency of every document read (overrides inference).")
@click.option(
    "--format", "fmt", type=click.Choice(["html", "md", "json", "csv"]), default="md", show_default=True
)
@lang_option
@ingest_options
@fail_on_option
@workers_option
@cache_option
@output_option
def check(
    paths: tuple[str, ...],
    framework: str,
    model_spec: str | None,
    agency: str | None,
    fmt: str,
    lang: str,
    options: IngestOptions,
    fail_on: str,
    workers: int,
    cache_dir: Path | None,
    output: str | None,
) -> None:
    """Check one or a few documents (a draft's self-assessment): coverage per principle, gaps,
    conflicts, and divergences between them, each with its evidence."""
    kinds = _kinds(fail_on)
    fw, store, scorer = _scorer(framework, model_spec, cache_dir)
    with store:
        report = run_check(
            list(paths),
            fw,
            scorer,
            agency=agency,
            options=options,
            on_document=lambda p: console().detail(f"reading {p}"),
            workers=workers,
        )
        recorded = _record_or_exit(store, report)
    with open_output(output) as out:
        out.write(recorded if fmt == "json" else RENDERERS[fmt](report, lang))
    _finish(report, kinds)


@click.command()
@click.argument("source", type=click.Path(exists=True))
@click.option(
    "-o",
    "--output",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for report.html, report.md, report.json, findings.csv and coverage.csv.",
)
@framework_option
@model_option
@lang_option
@ingest_options
@fail_on_option
@workers_option
@cache_option
def batch(
    source: str,
    out_dir: Path,
    framework: str,
    model_spec: str | None,
    lang: str,
    options: IngestOptions,
    fail_on: str,
    workers: int,
    cache_dir: Path | None,
) -> None:
    """Check all agencies' plans at once. SOURCE is a manifest (.toml) or a folder. Writes
    report.html, report.md, report.json, findings.csv and coverage.csv into the output folder; each
    file appears whole or not at all."""
    kinds = _kinds(fail_on)
    manifest = load_manifest(source) if Path(source).is_file() else None
    paths = [] if manifest else [source]
    fw, store, scorer = _scorer(framework, model_spec, cache_dir)
    with store:
        report = run_check(
            paths,
            fw,
            scorer,
            manifest=manifest,
            options=options,
            kind="batch",
            on_document=lambda p: console().info(f"reading {p}"),
            workers=workers,
        )
        report_json = _record_or_exit(store, report)
    outputs = {
        "report.json": report_json,
        "report.md": RENDERERS["md"](report, lang),
        "report.html": RENDERERS["html"](report, lang),
        "findings.csv": render_findings_csv(report),
        "coverage.csv": render_coverage_csv(report),
    }
    write_files(out_dir, outputs)
    click.echo(render_summary(report, lang), nl=False)
    console().info(f"reports written to {out_dir}: {', '.join(outputs)}")
    _finish(report, kinds)


@click.command(name="diff")
@click.argument("old", type=click.Path(), required=False)
@click.argument("new", type=click.Path(), required=False)
@click.option(
    "--run",
    "runs",
    multiple=True,
    type=int,
    metavar="ID",
    help="Compare two recorded runs instead (give --run twice: old, then new; see `aligncheck runs list`).",
)
@framework_option
@model_option
@click.option("--agency", help="Agency of both versions (overrides inference).")
@click.option(
    "--format", "fmt", type=click.Choice(["html", "md", "json", "csv"]), default="md", show_default=True
)
@lang_option
@ingest_options
@fail_on_option
@cache_option
@output_option
def diff_command(
    old: str | None,
    new: str | None,
    runs: tuple[int, ...],
    framework: str,
    model_spec: str | None,
    agency: str | None,
    fmt: str,
    lang: str,
    options: IngestOptions,
    fail_on: str,
    cache_dir: Path | None,
    output: str | None,
) -> None:
    """Compare two versions of one plan (draft v1 and v2, or 2022-2025 and 2026-2029): per principle,
    coverage gained, lost or weakened, with the evidence that appeared or went. With --run A --run B,
    compare two recorded runs (a batch with the previous one)."""
    kinds = _kinds(fail_on)
    if runs:
        if len(runs) != 2 or old or new:
            raise UsageError("give either OLD and NEW documents, or --run twice (old run, new run)")
        _diff_runs(runs, fmt, cache_dir, output, kinds)
        return
    if not old or not new:
        raise UsageError("give OLD and NEW documents, or --run A --run B")
    fw, store, scorer = _scorer(framework, model_spec, cache_dir)
    with store:
        report = run_diff(old, new, fw, scorer, agency=agency, options=options)
        _record(store, report)
    with open_output(output) as out:
        out.write(RENDERERS[fmt](report, lang))
    _finish(report, kinds)


def _diff_runs(
    runs: tuple[int, ...], fmt: str, cache_dir: Path | None, output: str | None, kinds: FailOn
) -> None:
    import json

    from aligncheck.compare import compare_runs

    with open_store(cache_dir) as store:
        result = compare_runs(store.run_report(runs[0]), store.run_report(runs[1]))
    with open_output(output) as out:
        if fmt == "json":
            out.write(json.dumps(result, ensure_ascii=False, indent=1) + "\n")
        else:
            out.write(f"# Run {runs[0]} -> run {runs[1]}\n\n## Coverage changes\n\n")
            for m in result["coverage_changes"]:
                out.write(f"- {m['document']}: {m['principle']} {m['old_level']} -> {m['new_level']}\n")
            for title, key in (
                ("Findings that appeared", "findings_appeared"),
                ("Findings resolved", "findings_resolved"),
            ):
                out.write(f"\n## {title}\n\n")
                for f in result[key]:
                    out.write(f"- [{f['kind']}, {f['severity']}] {f['summary']}\n")
    if any(_fails(kinds, f["kind"], f["severity"]) for f in result["findings_appeared"]):
        sys.exit(EXIT_FINDINGS)


@click.group(name="runs", cls=Group)
def runs_group() -> None:
    """Recorded runs of check, batch and diff."""


@runs_group.command(name="list")
@cache_option
def runs_list(cache_dir: Path | None) -> None:
    """List recorded runs, newest first."""
    with open_store(cache_dir) as store:
        rows = store.runs()
    if not rows:
        click.echo("no runs recorded")
    for r in rows:
        names = ", ".join(i.get("agency") or i["path"] for i in r["inputs"])
        click.echo(
            f"{r['run_id']:>4}  {r['started']}  {r['kind']:<5}  {r['framework']} {r['framework_version']}  {r['findings']} findings  {names}"
        )
