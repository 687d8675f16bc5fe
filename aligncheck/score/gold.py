"""Labelled passages (gold sets): one JSON object a line,
{"id", "text", "agency", "labels": [{"principle", "stance"}]}; `labels: []` is a neutral passage."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from aligncheck.errors import UsageError

STANCES = ("supports", "conflicts")


@dataclass(frozen=True)
class GoldPassage:
    id: str
    text: str
    agency: str | None
    labels: tuple[tuple[str, str], ...]
    """(principle, stance) pairs."""
    known: frozenset[str] | None = None
    """The principles whose presence the labels settle; None (a labelled corpus line): all of them.
    Reviewer feedback speaks about one principle of a passage at a time, so its passages know only
    those; a label outside `known` gives the stance a passage would have, not its presence."""

    def knows(self, principle: str) -> bool:
        """Whether the labels say if the passage addresses `principle`."""
        return self.known is None or principle in self.known

    def stance_for(self, principle: str) -> str | None:
        for pid, stance in self.labels:
            if pid == principle:
                return stance
        return None


def load_gold(paths: Iterable[str | Path], principle_ids: Iterable[str] | None = None) -> list[GoldPassage]:
    """Read gold files (a folder means all its *.jsonl files, sorted). Problems are gathered and
    reported together with file and line."""
    known = set(principle_ids) if principle_ids is not None else None
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        files.extend(sorted(path.glob("*.jsonl")) if path.is_dir() else [path])
    items: list[GoldPassage] = []
    problems: list[str] = []
    seen: set[str] = set()
    for path in files:
        try:
            lines = path.read_text("utf-8").splitlines()
        except FileNotFoundError:
            raise UsageError(f"{path}: no such gold file") from None
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not valid JSON ({exc.msg})")
                continue
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
                problems.append(f'{where}: needs a non-empty "text"')
                continue
            pid = str(obj.get("id", f"{path.stem}:{number}"))
            if pid in seen:
                problems.append(f"{where}: duplicate id {pid!r}")
            seen.add(pid)
            labels = []
            for label in obj.get("labels") or []:
                principle, stance = label.get("principle"), label.get("stance", "supports")
                if known is not None and principle not in known:
                    problems.append(f"{where}: unknown principle {principle!r}")
                elif stance not in STANCES:
                    problems.append(f"{where}: stance must be supports or conflicts, not {stance!r}")
                else:
                    labels.append((principle, stance))
            items.append(GoldPassage(pid, obj["text"], obj.get("agency"), tuple(labels)))
    if problems:
        shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise UsageError("gold data has problems:\n  " + "\n  ".join(shown))
    if not items:
        raise UsageError("no labelled passages found in " + ", ".join(str(f) for f in files))
    return items
