"""Sanction ladders: tables that grade a sanction by degree of culpability (`data/sanction-ladders.yaml`).

A row of such a table read on its own ("Opzet | 100%") sounds harsh, yet the table as a whole is how
a plan makes its sanctions proportional; its rows carry no `conflicts` label for the principles the
data file names. Tables are runs of consecutive table rows in one section."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import yaml

from aligncheck.types import Passage, PassageKind


@dataclass(frozen=True)
class LadderRules:
    principles: frozenset[str]
    degrees: dict[str, re.Pattern[str]]
    lenient: frozenset[str]
    min_degrees: int


@lru_cache(maxsize=1)
def ladder_rules() -> LadderRules:
    raw = yaml.safe_load(
        resources.files("aligncheck.data").joinpath("sanction-ladders.yaml").read_text("utf-8")
    )
    return LadderRules(
        frozenset(raw["principles"]),
        {name: re.compile(pattern, re.IGNORECASE) for name, pattern in raw["degrees"].items()},
        frozenset(raw["lenient"]),
        int(raw["min_degrees"]),
    )


def tables(passages: Sequence[Passage]) -> list[list[int]]:
    """Positions (in `passages`) of each table: consecutive table rows of one section."""
    out: list[list[int]] = []
    for i, passage in enumerate(passages):
        if passage.kind is not PassageKind.TABLE:
            continue
        before = passages[i - 1] if i else None
        if (
            out
            and before is not None
            and before.kind is PassageKind.TABLE
            and before.section == passage.section
        ):
            out[-1].append(i)
        else:
            out.append([i])
    return out


def ladder_rows(passages: Sequence[Passage], rules: LadderRules | None = None) -> set[int]:
    """Positions of the rows of every table that is a sanction ladder: its rows name at least
    `min_degrees` degrees of culpability, one of them lenient (no or diminished culpability)."""
    rules = rules or ladder_rules()
    rows: set[int] = set()
    for table in tables(passages):
        named = {
            name for i in table for name, pattern in rules.degrees.items() if pattern.search(passages[i].text)
        }
        if len(named) >= rules.min_degrees and named & rules.lenient:
            rows.update(table)
    return rows


def proportional_rows(passages: Sequence[Passage], labels: Sequence[dict[str, str]]) -> list[dict[str, str]]:
    """The passages' labels with `conflicts` taken off the ladder principles for rows of a sanction
    ladder (each passage's labels in order; the others are returned as they are)."""
    rules = ladder_rules()
    rows = ladder_rows(passages, rules)
    if not rows:
        return list(labels)
    return [
        {
            pid: stance
            for pid, stance in lab.items()
            if not (stance == "conflicts" and pid in rules.principles)
        }
        if i in rows
        else lab
        for i, lab in enumerate(labels)
    ]
