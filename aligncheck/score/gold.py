"""Labelled passages (gold sets): one JSON object a line,
{"id", "text", "agency", "labels": [{"principle", "stance"}]}; `labels: []` is a neutral passage.
A list passage may give its `items`: the item texts in order as they stand in `text` (or their
[start, end] character spans), so that the scorer also reads them one by one, as it does a list in
a document; and `item_labels`, one label list per item, so that training also learns from each item
read with the introduction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from aligncheck.errors import UsageError
from aligncheck.score.model import list_item_texts

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
    items: tuple[tuple[int, int], ...] = ()
    """Character spans of the list items in `text` (see `Passage.items`)."""
    item_labels: tuple[tuple[tuple[str, str], ...], ...] = ()
    """Per item, its own (principle, stance) labels; empty when the gold line gives none."""
    source: str = ""
    """The name of the gold file the passage was read from (`feedback` for reviewers' marks): in this
    corpus one file is one writer's batch, so leaving a source out tests wording the model never saw."""

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
        for number, where, obj in _json_lines(path, "gold file", problems):
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str) or not obj["text"].strip():
                problems.append(f'{where}: needs a non-empty "text"')
                continue
            if not isinstance(obj.get("labels"), list):
                # a line without labels is not a neutral passage: that is "labels": []
                problems.append(f'{where}: needs a "labels" list ([] for a neutral passage)')
                continue
            pid = str(obj.get("id", obj.get("passage_id", f"{path.stem}:{number}")))  # as classify reads
            if pid in seen:
                problems.append(f"{where}: duplicate id {pid!r}")
            seen.add(pid)
            labels = _labels(obj.get("labels"), known, where, problems)
            spans = item_spans(obj["text"], obj.get("items"))
            if spans is None:
                problems.append(f'{where}: "items" must be the list items as they stand in "text", in order')
                continue
            per_item = obj.get("item_labels") or []
            if per_item and (not isinstance(per_item, list) or len(per_item) != len(spans)):
                problems.append(f'{where}: "item_labels" needs one label list per item of "items"')
                continue
            item_labels = tuple(_labels(each, known, where, problems) for each in per_item)
            items.append(
                GoldPassage(
                    pid,
                    obj["text"],
                    obj.get("agency"),
                    labels,
                    items=spans,
                    item_labels=item_labels,
                    source=path.name,
                )
            )
    _raise_problems("gold data", problems)
    if not items:
        raise UsageError("no labelled passages found in " + ", ".join(str(f) for f in files))
    return items


def load_predictions(
    path: str | Path, principle_ids: Iterable[str]
) -> dict[str, tuple[tuple[str, str], ...]]:
    """The labels a file gives each passage id: JSONL objects with `id` and `labels` (principle and
    stance; other fields, such as classify's `score`, are ignored), as `classify` writes them or as a
    second reader labels a gold set. Problems are gathered and reported together with file and line."""
    path = Path(path)
    known = set(principle_ids)
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    problems: list[str] = []
    for _, where, obj in _json_lines(path, "predictions file", problems):
        if not isinstance(obj, dict) or "id" not in obj or not isinstance(obj.get("labels"), list):
            problems.append(f'{where}: needs an "id" and a "labels" list')
            continue
        pid = str(obj["id"])
        if pid in out:
            problems.append(f"{where}: duplicate id {pid!r}")
        out[pid] = _labels(obj["labels"], known, where, problems)
    _raise_problems("the predictions file", problems)
    if not out:
        raise UsageError(f"{path}: no predictions found")
    return out


def _json_lines(path: Path, what: str, problems: list[str]) -> Iterator[tuple[int, str, object]]:
    """(line number, "file:line", parsed object) for each non-blank line of a JSONL file; a line that
    is not JSON is added to `problems`."""
    try:
        lines = path.read_text("utf-8").splitlines()
    except (FileNotFoundError, IsADirectoryError):
        raise UsageError(f"{path}: no such {what}") from None
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append(f"{where}: not valid JSON ({exc.msg})")
            continue
        yield number, where, obj


def _raise_problems(what: str, problems: list[str]) -> None:
    """One error that lists the first 20 problems (and how many more there are), if there are any."""
    if problems:
        shown = problems[:20] + ([f"... and {len(problems) - 20} more"] if len(problems) > 20 else [])
        raise UsageError(f"{what} has problems:\n  " + "\n  ".join(shown))


def _labels(
    given: object, known: set[str] | None, where: str, problems: list[str]
) -> tuple[tuple[str, str], ...]:
    """(principle, stance) pairs of a label list; problems are added to `problems`."""
    labels: list[tuple[str, str]] = []
    for label in given if isinstance(given, list) else []:
        if not isinstance(label, dict):
            problems.append(f"{where}: a label must be an object with principle and stance")
            continue
        principle, stance = label.get("principle"), label.get("stance", "supports")
        if not isinstance(principle, str):
            problems.append(f"{where}: a label needs a principle id")
        elif known is not None and principle not in known:
            problems.append(f"{where}: unknown principle {principle!r}")
        elif stance not in STANCES:
            problems.append(f"{where}: stance must be supports or conflicts, not {stance!r}")
        else:
            labels.append((principle, str(stance)))
    return tuple(labels)


def item_readings(gold: Iterable[GoldPassage]) -> list[GoldPassage]:
    """Each labelled item of a gold list passage as a passage of its own: the item read with the
    introduction (as the scorer reads it), with the item's labels."""
    out = []
    for g in gold:
        if not g.item_labels:
            continue
        for k, (text, labels) in enumerate(zip(list_item_texts(g.text, g.items), g.item_labels, strict=True)):
            out.append(GoldPassage(f"{g.id}#{k + 1}", text, g.agency, labels, g.known, source=g.source))
    return out


def item_spans(text: str, given: object) -> tuple[tuple[int, int], ...] | None:
    """The spans of a passage's list items given as their texts (found in `text` in order) or as
    [start, end] pairs; () for none or a single item; None when they do not fit the text."""
    if not given:
        return ()
    if not isinstance(given, list):
        return None
    spans: list[tuple[int, int]] = []
    pos = 0
    for item in given:
        if isinstance(item, str) and item.strip():
            start = text.find(item.strip(), pos)
            if start < 0:
                return None
            spans.append((start, start + len(item.strip())))
        elif (
            isinstance(item, list)
            and len(item) == 2
            and all(isinstance(v, int) and not isinstance(v, bool) for v in item)
            and pos <= item[0] < item[1] <= len(text)
        ):
            spans.append((item[0], item[1]))
        else:
            return None
        pos = spans[-1][1]
    return tuple(spans) if len(spans) >= 2 else ()
