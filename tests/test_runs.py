"""Runs: a batch with bad files, the exit codes, Ctrl-C during a batch, two runs at once on one store,
and outputs that stay in the folder asked for. Subprocess tests run the real `aligncheck` command on
the demo manifest with the fake-embedder model."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligncheck.cli import cli
from aligncheck.outputs import write_files

REPO = Path(__file__).resolve().parent.parent
BAD = Path(__file__).parent / "data" / "bad"
MANIFEST = REPO / "corpora" / "demo" / "manifest.toml"
REPORTS = ["coverage.csv", "findings.csv", "report.html", "report.json", "report.md"]
PLAN = "# Handhavingsplan Sociale Verzekeringsbank\n\nWij gaan uit van vertrouwen in onze klanten. De meeste mensen willen de regels naleven.\n"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def aligncheck(*args: str) -> list[str]:
    return [sys.executable, "-m", "aligncheck", *args]


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture()
def mixed(tmp_path: Path) -> Path:
    """Two good plans and five bad files from the corpus."""
    folder = tmp_path / "plannen"
    folder.mkdir()
    (folder / "svb.md").write_text(PLAN, encoding="utf-8")
    (folder / "uwv.txt").write_text(PLAN.replace("Sociale Verzekeringsbank", "UWV"), encoding="utf-8")
    for name in ["encrypted-user.pdf", "scanned.pdf", "not-a-zip.docx", "binary.txt", "empty.html"]:
        shutil.copy(BAD / name, folder / name)
    return folder


def test_batch_reads_the_good_files_and_lists_the_bad_ones(mixed, fake_model, tmp_path):
    out = tmp_path / "out"
    result = invoke(
        "batch", str(mixed), "-o", str(out), "--model", str(fake_model), "--cache", str(tmp_path / "c")
    )
    assert result.exit_code == 3, result.output
    bad = ["binary.txt", "empty.html", "encrypted-user.pdf", "not-a-zip.docx", "scanned.pdf"]
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert [line.split(": ", 2)[1] for line in errors] == [str(mixed / name) for name in bad]
    assert f"error: {mixed / 'encrypted-user.pdf'}: is encrypted with a password" in result.stderr
    report = json.loads((out / "report.json").read_text())
    assert [f["path"] for f in report["failures"]] == [str(mixed / name) for name in bad]
    assert "looks scanned" in report["failures"][4]["error"]
    assert [f["reason"] for f in report["failures"]] == [
        "corrupt",
        "empty",
        "encrypted",
        "corrupt",
        "no_text_layer",
    ]
    assert sorted(Path(d["path"]).name for d in report["documents"]) == ["svb.md", "uwv.txt"]
    markdown = (out / "report.md").read_text()
    assert all(str(mixed / name) in markdown for name in bad)
    assert sorted(p.name for p in out.iterdir()) == REPORTS
    # the password opens the encrypted plan; the others stay listed
    again = invoke(
        "batch", str(mixed), "-o", str(out), "--model", str(fake_model), "--cache", str(tmp_path / "c"),
        "--password", "geheim",
    )  # fmt: skip
    assert again.exit_code == 3
    report = json.loads((out / "report.json").read_text())
    assert len(report["failures"]) == 4 and len(report["documents"]) == 3


def test_exit_codes(mixed, fake_model, tmp_path, monkeypatch):
    cache = ["--model", str(fake_model), "--cache", str(tmp_path / "c")]
    good = str(mixed / "svb.md")
    assert invoke("check", good, *cache).exit_code == 0
    assert invoke("check", good, "--framework", "geen-kader", *cache).exit_code == 2  # usage
    assert invoke("check", good, "--max-pages", "0", *cache).exit_code == 2  # a bad option value
    assert invoke("check", good, str(mixed / "scanned.pdf"), *cache).exit_code == 3  # an input failed
    assert invoke("check", str(mixed / "scanned.pdf"), *cache).exit_code == 3  # none could be read
    assert invoke("check", good, "--fail-on", "gap", *cache).exit_code == 4
    # --fail-on wins over a failed input: the findings asked about are there
    assert invoke("check", good, str(mixed / "scanned.pdf"), "--fail-on", "gap", *cache).exit_code == 4

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("aligncheck.commands.check.run_check", broken)
    assert invoke("check", good, *cache).exit_code == 1  # an internal error


def test_interrupted_batch_leaves_the_previous_report_and_no_temp_files(fake_model, tmp_path):
    out, cache = tmp_path / "out", tmp_path / "cache"
    command = aligncheck(
        "batch", str(MANIFEST), "-o", str(out), "--model", str(fake_model), "--cache", str(cache)
    )
    first = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert first.returncode == 0, first.stderr
    previous = snapshot(out)
    assert sorted(previous) == REPORTS

    # Ctrl-C at two moments: while the first plan is read (to the command), and after the last one was
    # read (to its whole process group, workers too, as a terminal sends it). Each on an empty cache:
    # from the first run's cache, a rerun has next to nothing left to do once it has read the plans
    for moment, whole_group in (("svb.pdf", False), ("vng.docx", True)):
        empty = [*command[:-1], str(tmp_path / f"cache-{moment}")]
        process = subprocess.Popen(
            empty, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True, start_new_session=True
        )
        assert process.stderr is not None
        lines = []
        for line in process.stderr:
            lines.append(line)
            if line.startswith("reading") and line.rstrip().endswith(moment):
                break
        time.sleep(0.2)
        if whole_group:
            os.killpg(process.pid, signal.SIGINT)
        else:
            process.send_signal(signal.SIGINT)
        rest = process.stderr.read()
        assert process.wait(timeout=120) == 130, "".join(lines) + rest
        assert "interrupted: output files from before are left as they were" in rest
        assert "Traceback" not in rest
        assert snapshot(out) == previous  # byte for byte, and no temporary files beside them

    rerun = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert sorted(snapshot(out)) == REPORTS
    assert len(json.loads((out / "report.json").read_text())["documents"]) == 5


def test_two_batches_at_once_share_one_store(fake_model, tmp_path):
    cache = tmp_path / "cache"
    runs = [
        subprocess.Popen(
            aligncheck("batch", str(MANIFEST), "-o", str(tmp_path / f"out{i}"), "--model", str(fake_model), "--cache", str(cache)),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(2)
    ]  # fmt: skip
    results = [(run.wait(timeout=600), run.stderr.read()) for run in runs]  # type: ignore[union-attr]
    for code, stderr in results:
        assert code == 0, stderr
        assert "warning" not in stderr
    listing = invoke("runs", "list", "--cache", str(cache)).stdout.splitlines()
    assert len(listing) == 2 and all(" batch " in line for line in listing)
    first, second = (json.loads((tmp_path / f"out{i}" / "report.json").read_text()) for i in range(2))
    assert first["findings"] == second["findings"]


def test_output_stays_in_the_chosen_folder_whatever_the_documents_are_called(fake_model, tmp_path):
    source = tmp_path / "in"
    source.mkdir()
    # (names starting with "." are hidden files, which folder reading skips)
    names = ["a..%2f..%2fevil.md", "$(touch pwned).md", "a\nb.md", "-o.md", "x..md", " .md", "nul\x7f.md"]
    for name in names:
        title = "../../../tmp/evil" if ".." in name else "report.html"
        (source / name).write_text(f"---\ntitle: {title!r}\n---\n\n{PLAN}", encoding="utf-8")
    out = tmp_path / "out"
    before = set(tmp_path.rglob("*"))
    result = invoke(
        "batch", str(source), "-o", str(out), "--model", str(fake_model), "--cache", str(tmp_path / "c")
    )
    assert result.exit_code == 0, result.output
    written = set(tmp_path.rglob("*")) - before
    assert {p for p in written if not p.is_relative_to(tmp_path / "c")} == {out} | {out / n for n in REPORTS}
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()
    assert len(json.loads((out / "report.json").read_text())["documents"]) == len(names)


def test_write_files_holds_ctrl_c_until_the_set_is_in_place(tmp_path, monkeypatch):
    write_files(tmp_path, {name: "oud" for name in REPORTS})
    real_replace = os.replace

    def replace_and_interrupt(src, dst):
        real_replace(src, dst)
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C after the first file is moved into place

    monkeypatch.setattr(os, "replace", replace_and_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_files(tmp_path, {name: "nieuw" for name in REPORTS})
    assert {name: data.decode() for name, data in snapshot(tmp_path).items()} == dict.fromkeys(
        REPORTS, "nieuw"
    )


def test_write_files_leaves_the_previous_set_when_writing_fails(tmp_path):
    write_files(tmp_path, {name: "oud" for name in REPORTS})

    with pytest.raises(TypeError):
        write_files(tmp_path, {"report.json": "nieuw", "report.md": 42})  # type: ignore[dict-item]
    assert {name: data.decode() for name, data in snapshot(tmp_path).items()} == dict.fromkeys(REPORTS, "oud")


def test_a_closed_stderr_does_not_stop_a_batch(fake_model, tmp_path):
    # `aligncheck batch ... 2>&1 | head -1`: the reader of the progress lines goes away early; the
    # reports are still written and the command succeeds
    out = tmp_path / "out"
    command = aligncheck(
        "batch", str(MANIFEST), "-o", str(out), "--model", str(fake_model), "--cache", str(tmp_path / "c")
    )
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    process.stderr.close()
    assert process.wait(timeout=600) == 0
    assert sorted(snapshot(out)) == REPORTS
