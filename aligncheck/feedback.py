"""Reviewer feedback: the marks ("juist" / "onjuist") a reviewer sets in an HTML report, exported as
JSON, imported into the store, and turned into labelled passages the scorer can learn from.

What a mark on an evidence passage says about the passage and its principle P:

| passage shown as            | marked correct         | marked wrong                                 |
|-----------------------------|------------------------|----------------------------------------------|
| supporting P                | addresses P, supports  | does not address P                           |
| conflicting with P          | addresses P, conflicts | not a conflict: taken as supporting P when it |
|                             |                        | addresses P (used for stance, not presence)  |
| near miss for P (fell short)| does not address P     | addresses P, supports                        |

Marks on whole findings are stored and counted (how often reviewers agree with each kind of finding)
but give no passage labels: a wrong gap or divergence does not say which passage was misread."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aligncheck.errors import UsageError
from aligncheck.score.gold import GoldPassage

FORMAT = "aligncheck-feedback"
VERSION = 1


class Mark(BaseModel):
    """One mark as the report's script exports it."""

    model_config = ConfigDict(extra="ignore")

    key: str = Field(min_length=1, max_length=500)
    target: Literal["finding", "evidence"]
    verdict: Literal["correct", "wrong"]
    marked_at: str = Field(min_length=10, max_length=40)
    finding: str | None = None
    kind: str | None = None
    principle: str | None = None
    doc: str | None = None
    passage: str | None = None
    stance: Literal["supports", "conflicts"] | None = None
    agency: str | None = None
    sha256: str | None = None
    text: str | None = Field(default=None, max_length=100_000)
    summary: str | None = None
    near_miss: bool = False


class FeedbackFile(BaseModel):
    model_config = ConfigDict(extra="ignore")

    format: Literal["aligncheck-feedback"]
    version: int
    report_key: str = Field(min_length=1, max_length=100)
    report: dict[str, Any] = Field(default_factory=dict)
    marks: list[Mark]


def read_feedback(path: str | Path) -> FeedbackFile:
    """An exported feedback file, validated; every problem in one message with its field path."""
    source = str(path)
    try:
        raw = Path(path).read_text("utf-8")
    except FileNotFoundError:
        raise UsageError(f"{source}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{source}: cannot be read as UTF-8 text ({exc})") from None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{source}: not JSON ({exc.msg}, line {exc.lineno}); export the marks again from the report"
        ) from None
    if isinstance(data, dict) and data.get("format") == FORMAT and data.get("version", VERSION) > VERSION:
        raise UsageError(
            f"{source}: feedback format version {data['version']} is newer than this aligncheck reads ({VERSION}); upgrade aligncheck"
        )
    try:
        return FeedbackFile.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(p) for p in err['loc']) or '(top)'}: {err['msg']}" for err in exc.errors()[:20]
        ]
        raise UsageError(
            f"{source}: not an aligncheck feedback file (export it with the report's button):\n  "
            + "\n  ".join(problems)
        ) from None


@dataclass(frozen=True)
class PassageLabel:
    """What reviewers said about one passage and one principle."""

    text: str
    agency: str | None
    principle: str
    presence: bool | None
    """Whether the passage addresses the principle; None when the marks do not say."""
    stance: str | None
    """supports or conflicts when the passage addresses the principle (or would)."""


def label_of(mark: Mapping[str, Any]) -> PassageLabel | None:
    """The label an evidence mark gives (see the table in the module's docstring), or None."""
    if mark.get("target") != "evidence" or not mark.get("principle") or not (mark.get("text") or "").strip():
        return None
    correct = mark["verdict"] == "correct"
    stance = mark.get("stance")
    text, agency, principle = mark["text"], mark.get("agency"), mark["principle"]
    if mark.get("near_miss"):
        return PassageLabel(text, agency, principle, not correct, None if correct else "supports")
    if stance == "supports":
        return PassageLabel(text, agency, principle, correct, "supports" if correct else None)
    if stance == "conflicts":
        return PassageLabel(
            text, agency, principle, True if correct else None, "conflicts" if correct else "supports"
        )
    return None


def passage_labels(marks: Iterable[Mapping[str, Any]]) -> list[PassageLabel]:
    """One label per (text, principle); where reviewers marked the same passage more than once, the
    latest mark counts."""
    latest: dict[tuple[str, str], tuple[str, PassageLabel]] = {}
    for mark in marks:
        label = label_of(mark)
        if label is None:
            continue
        key = (label.text.strip(), label.principle)
        when = str(mark.get("marked_at", ""))
        if key not in latest or when >= latest[key][0]:
            latest[key] = (when, label)
    return [label for _, label in sorted(latest.values(), key=lambda item: (item[1].text, item[1].principle))]


def agreement(marks: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, int]]:
    """Per finding kind (and "evidence"), how many marks said correct and wrong."""
    out: dict[str, dict[str, int]] = {}
    for mark in marks:
        group = str(mark.get("kind") or "finding") if mark.get("target") == "finding" else "evidence"
        counts = out.setdefault(group, {"correct": 0, "wrong": 0})
        counts[str(mark["verdict"])] += 1
    return dict(sorted(out.items()))


def feedback_gold(labels: Sequence[PassageLabel]) -> list[GoldPassage]:
    """Reviewers' labels as gold passages: one per passage text, knowing only the principles the
    marks settle (a mark on one principle says nothing about the others)."""
    by_text: dict[str, list[PassageLabel]] = {}
    for label in labels:
        by_text.setdefault(label.text.strip(), []).append(label)
    out = []
    for text, items in sorted(by_text.items()):
        pairs = tuple(
            sorted((lab.principle, lab.stance) for lab in items if lab.stance and lab.presence is not False)
        )
        known = frozenset(lab.principle for lab in items if lab.presence is not None)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
        agency = next((lab.agency for lab in items if lab.agency), None)
        out.append(GoldPassage(f"feedback:{digest}", text, agency, pairs, known, source="feedback"))
    return out
