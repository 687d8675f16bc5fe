"""The static checks run with the tests: lint and format (ruff) and types (mypy, configured in
pyproject.toml), so that main cannot drift from them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    "args",
    [
        ["ruff", "check", "aligncheck", "bench", "tests"],
        ["ruff", "format", "--check", "aligncheck", "bench", "tests"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_static_check_passes(args: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout[-4000:]}{done.stderr[-2000:]}"
