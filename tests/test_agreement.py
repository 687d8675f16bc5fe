"""The second readers (corpora/agreement/): their passages are the gold corpora's, and the README's
figures for them are what the labels measure (no model involved: fast)."""

from __future__ import annotations

import re
from pathlib import Path

from aligncheck.frameworks import load_framework
from aligncheck.score.evaluate import Figures, measure
from aligncheck.score.gold import load_gold, load_predictions

REPO = Path(__file__).resolve().parent.parent
AGREEMENT = REPO / "corpora" / "agreement"
README = (REPO / "README.md").read_text(encoding="utf-8")
PIDS = load_framework("koers-2026-2029").principle_ids
READERS = [AGREEMENT / "reader-1.jsonl", AGREEMENT / "reader-2.jsonl"]


def _measured(gold_paths: list[Path], reader: Path) -> Figures:
    gold = load_gold(gold_paths, PIDS)
    given = load_predictions(reader, PIDS)
    shared = [g for g in gold if g.id in given]
    assert len(shared) == len(given)  # every id a reader labels is in the gold data
    return measure(reader.name, shared, [set(given[g.id]) for g in shared], PIDS)


def _readme_text() -> str:
    start = README.index("- second readers (`corpora/agreement/`)")
    return " ".join(README[start : README.index("\n- ", start + 1)].split())


def test_readers_labelled_the_gold_passages_half_from_each_corpus():
    labelled = {g.id: g.text for g in load_gold([REPO / "corpora" / "labelled"], PIDS)}
    heldout = {g.id: g.text for g in load_gold([REPO / "corpora" / "heldout"], PIDS)}
    first, second = (load_gold([path], PIDS) for path in READERS)
    assert [g.id for g in first] == [g.id for g in second]
    assert len(first) == 360
    assert sum(g.id in labelled for g in first) == sum(g.id in heldout for g in first) == 180
    assert all({**labelled, **heldout}[g.id] == g.text for g in first + second)
    assert all(len(g.labels) <= 2 for g in first + second)


def test_readme_reader_figures_are_what_the_labels_measure():
    text = _readme_text()
    macro = [float(x) for x in re.search(r"macro-F1 ([\d.]+) and ([\d.]+),", text).groups()]
    micro = re.search(
        r"micro P/R/F1 ([\d.]+) / ([\d.]+) / ([\d.]+) and ([\d.]+) / ([\d.]+) / ([\d.]+)", text
    ).groups()
    neutral = re.search(r"neutral wrongly labelled (\d+) of (\d+) for each", text).groups()
    gold_paths = [REPO / "corpora" / "labelled", REPO / "corpora" / "heldout"]
    for k, reader in enumerate(READERS):
        figures = _measured(gold_paths, reader)
        assert round(figures.macro_f1, 2) == macro[k]
        assert [round(x, 2) for x in figures.micro] == [float(x) for x in micro[3 * k : 3 * k + 3]]
        assert (figures.neutral_labelled, figures.neutral_total) == (int(neutral[0]), int(neutral[1]))
        assert all(
            p.stance_right == p.tp for p in figures.principles
        )  # "every shared label with the same stance"
    between = _measured([READERS[0]], READERS[1])
    stated = float(re.search(r"each other more than two people would \(macro-F1 ([\d.]+)\)", text).group(1))
    assert round(between.macro_f1, 2) == stated
