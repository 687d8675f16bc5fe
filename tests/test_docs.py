"""Docs that cannot rot: every command is in the README and has help; the README's two commands and
the CI script agree."""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from aligncheck.cli import cli

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text(encoding="utf-8")


def commands(group: click.Group, prefix: str = "") -> list[str]:
    out = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix}{name}"
        out.append(full)
        if isinstance(command, click.Group):
            out.extend(commands(command, full + " "))
    return out


@pytest.mark.parametrize("command", commands(cli))
def test_command_documented_and_has_help(command):
    assert f"aligncheck {command}" in README
    result = CliRunner().invoke(cli, [*command.split(), "--help"])
    assert result.exit_code == 0 and "Usage:" in result.output


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    assert "pip install -q -e '.[dev,st]'" in ci and "pip install -q -e '.[dev,st]'" in README
    assert ".venv/bin/python -m pytest" in ci and ".venv/bin/python -m pytest" in README


def test_readme_accuracy_is_the_model_cards():
    import json

    from aligncheck.score.card import accuracy_summary

    card = json.loads((REPO / "models" / "koers-2026-2029" / "model.json").read_text("utf-8"))["card"]
    assert accuracy_summary(card) in README
    assert f"{card['passages']} Dutch passages" in README


def test_readme_spot_check_is_the_real_text_record():
    """The README's figures on published text are those the bundled model's real-text.json records
    (the passages stay outside the repository, so the record is what can be checked)."""
    import json
    import re

    from aligncheck.score.model import ScorerModel

    folder = REPO / "models" / "koers-2026-2029"
    record = json.loads((folder / "real-text.json").read_text("utf-8"))
    assert ScorerModel.load(folder).real_text == record, "measured with other weights"
    start = README.index("- real published text, a spot check")
    text = " ".join(README[start : README.index("\n- ", start + 1)].split())
    assert f"{record['passages']} passages" in text and f"{record['documents']} published documents" in text
    micro = re.search(r"micro P/R/F1 ([\d.]+) / ([\d.]+) / ([\d.]+)", text).groups()
    assert [float(x) for x in micro] == [
        round(record[k], 2) for k in ("micro_precision", "micro_recall", "micro_f1")
    ]
    assert f"macro-F1 {record['macro_f1']:.2f} at macro precision {record['macro_precision']:.2f}" in text
    assert f"{record['neutral_wrongly_labelled']:.1%} of {record['neutral']}" in text
    conflicts = record["conflicts"]
    assert f"conflicts found {conflicts['found']} of {conflicts['gold']}" in text
    assert f"labelled {record['second_reader_passages']}" in text
    assert f"macro-F1 {record['second_reader_macro_f1']:.2f}" in text
    for part in record["sets"]:
        assert f"{part['passages']} passages" in text
