"""The command line: exact output, exit codes, formats, manifest, partial failures."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from aligncheck import __version__
from aligncheck.cli import cli

TEXT = "# Handhavingsplan Sociale Verzekeringsbank\n\nDe SVB gaat uit van vertrouwen.\n\n## 1 Preventie\n\nWij informeren klanten op tijd.\n"


def run(*args: str, **kwargs):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False, **kwargs)


def write(tmp_path: Path, name: str, text: str = TEXT) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_version():
    result = run("--version")
    assert result.exit_code == 0
    assert result.output == f"aligncheck, version {__version__}\n"


def test_help_lists_commands():
    result = run("--help")
    assert result.exit_code == 0
    assert "ingest" in result.output


def test_ingest_jsonl_fields(tmp_path):
    plan = write(tmp_path, "svb.md")
    result = run("ingest", str(plan))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["text"] for r in rows] == ["De SVB gaat uit van vertrouwen.", "Wij informeren klanten op tijd."]
    first = rows[0]
    assert first["passage_id"] == first["doc_id"] + ":0" and len(first["doc_id"]) == 12
    assert first["path"] == str(plan)
    assert first["agency"] == "SVB"
    assert first["title"] == "Handhavingsplan Sociale Verzekeringsbank"
    assert first["page"] is None and first["page_end"] is None
    assert rows[1]["section"] == ["Handhavingsplan Sociale Verzekeringsbank", "1 Preventie"]


def test_agency_option_overrides_inference(tmp_path):
    plan = write(tmp_path, "svb.md")
    rows = [json.loads(x) for x in run("ingest", "--agency", "UWV", str(plan)).stdout.splitlines()]
    assert {r["agency"] for r in rows} == {"UWV"}


def test_manifest_supplies_metadata(tmp_path):
    write(tmp_path, "plan.md")
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '[[document]]\npath = "plan.md"\nagency = "Gemeente Zuiderveen"\ntitle = "Concept v2"\nperiod = "2026-2029"\n'
    )
    result = run("ingest", "--manifest", str(manifest))
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert result.exit_code == 0
    assert {(r["agency"], r["title"]) for r in rows} == {("Gemeente Zuiderveen", "Concept v2")}


def test_bad_manifest_is_one_clear_error(tmp_path):
    manifest = tmp_path / "m.toml"
    manifest.write_text('[[document]]\nagency = "SVB"\ncolour = "red"\n')
    result = CliRunner().invoke(cli, ["ingest", "--manifest", str(manifest)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {manifest}: document[0]: unknown field(s) colour (allowed: agency, date, notes, path, period, source, title, version); "
        "document[0].path: required, a file path\n"
    )


def test_folder_is_read_recursively_and_bad_files_do_not_stop_the_batch(tmp_path):
    write(tmp_path, "a.md")
    sub = tmp_path / "sub"
    sub.mkdir()
    write(sub, "b.txt", "Een tweede plan van het UWV.\n")
    (sub / "leeg.pdf").write_bytes(b"")
    (sub / "notes.xyz").write_text("ignored: unsupported suffix in a folder")
    result = run("ingest", "--format", "summary", str(tmp_path))
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{tmp_path / 'a.md'}\tSVB\t")
    assert lines[1].startswith(f"{sub / 'b.txt'}\tUWV\t")
    assert lines[-1] == "2 document(s) read, 1 failed"
    assert (
        f"error: {sub / 'leeg.pdf'}: is empty (check that the export or download finished)" in result.stderr
    )


def test_missing_path_exit_code_and_message(tmp_path):
    result = run("ingest", str(tmp_path / "weg.pdf"))
    assert result.exit_code == 3
    assert result.stderr.startswith(
        f"error: {tmp_path / 'weg.pdf'}: no such file or folder (check the path)\n"
    )


def test_no_documents_found(tmp_path):
    result = run("ingest", str(tmp_path))
    assert result.exit_code == 3
    assert "error: no documents found" in result.stderr


def test_usage_error_without_paths():
    result = CliRunner().invoke(cli, ["ingest"])
    assert result.exit_code == 2
    assert "give one or more PATHS, or --manifest" in result.stderr


def test_output_file_written(tmp_path):
    plan = write(tmp_path, "svb.md")
    out = tmp_path / "out" / "passages.jsonl"
    result = run("-q", "ingest", str(plan), "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert len(out.read_text().splitlines()) == 2
    assert [p.name for p in out.parent.iterdir()] == ["passages.jsonl"]  # no temp file left behind


def test_table_format(tmp_path):
    plan = write(tmp_path, "svb.md")
    out = run("ingest", "--format", "table", str(plan)).stdout.splitlines()
    assert out[0] == f"# {plan}  (SVB: Handhavingsplan Sociale Verzekeringsbank)"
    assert out[2].endswith("1 Preventie                   Wij informeren klanten op tijd.")


def test_quiet_hides_warnings_but_not_errors(tmp_path):
    write(
        tmp_path,
        "en.txt",
        "The inspectorate supervises compliance with the working conditions act and it publishes an annual plan with the programmes that it will carry out.\n",
    )
    loud = run("ingest", str(tmp_path / "en.txt"))
    assert "warning:" in loud.stderr and "not Dutch (detected: en)" in loud.stderr
    assert run("-q", "ingest", str(tmp_path / "en.txt")).stderr == ""


def test_python_dash_m_runs(tmp_path):
    plan = write(tmp_path, "svb.md")
    proc = subprocess.run(
        [sys.executable, "-m", "aligncheck", "ingest", "--format", "summary", str(plan)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0
    assert proc.stdout.endswith("1 document(s) read\n")


def test_ignore_file_skips_listed_files_and_folders(tmp_path):
    write(tmp_path, "plan.md")
    write(tmp_path, "NOTES.md", "Notities.\n")
    (tmp_path / "src").mkdir()
    write(tmp_path / "src", "bron.md")
    (tmp_path / ".aligncheckignore").write_text("# not plans\nNOTES.md\nsrc/\n")
    out = run("ingest", "--format", "summary", str(tmp_path)).stdout.splitlines()
    assert [line.split("\t")[0] for line in out[:-1]] == [str(tmp_path / "plan.md")]
