"""Measuring a scorer on labelled passages: precision, recall and F1 of presence per principle,
stance accuracy, conflict detection, neutral passages wrongly labelled; and the same figures for two
baselines in the same run (cosine similarity to the principle's description, keyword matching)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from aligncheck.score.gold import GoldPassage

Prediction = set[tuple[str, str]]
"""The (principle, stance) pairs a scorer gives one passage."""


@dataclass
class PrincipleFigures:
    principle: str
    support: int  # gold passages that address the principle
    tp: int = 0
    fp: int = 0
    fn: int = 0
    stance_right: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def stance_accuracy(self) -> float:
        return self.stance_right / self.tp if self.tp else 0.0


@dataclass
class Figures:
    """All figures of one scorer on one gold set."""

    name: str
    principles: list[PrincipleFigures]
    neutral_total: int = 0
    neutral_labelled: int = 0
    conflict_tp: int = 0
    conflict_fp: int = 0
    conflict_fn: int = 0
    review_rate: float | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def macro_f1(self) -> float:
        scored = [p for p in self.principles if p.support]
        return float(np.mean([p.f1 for p in scored])) if scored else 0.0

    @property
    def macro_precision(self) -> float:
        scored = [p for p in self.principles if p.support]
        return float(np.mean([p.precision for p in scored])) if scored else 0.0

    @property
    def micro(self) -> tuple[float, float, float]:
        tp = sum(p.tp for p in self.principles)
        fp = sum(p.fp for p in self.principles)
        fn = sum(p.fn for p in self.principles)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    @property
    def neutral_error_rate(self) -> float:
        return self.neutral_labelled / self.neutral_total if self.neutral_total else 0.0

    @property
    def conflict_precision(self) -> float:
        return (
            self.conflict_tp / (self.conflict_tp + self.conflict_fp)
            if self.conflict_tp + self.conflict_fp
            else 0.0
        )

    @property
    def conflict_recall(self) -> float:
        return (
            self.conflict_tp / (self.conflict_tp + self.conflict_fn)
            if self.conflict_tp + self.conflict_fn
            else 0.0
        )

    def to_dict(self) -> dict[str, Any]:
        micro_p, micro_r, micro_f1 = self.micro
        return {
            "name": self.name,
            "principles": {
                p.principle: {
                    "support": p.support,
                    "precision": round(p.precision, 3),
                    "recall": round(p.recall, 3),
                    "f1": round(p.f1, 3),
                    "stance_accuracy": round(p.stance_accuracy, 3),
                }
                for p in self.principles
            },
            "macro_f1": round(self.macro_f1, 3),
            "macro_precision": round(self.macro_precision, 3),
            "micro_precision": round(micro_p, 3),
            "micro_recall": round(micro_r, 3),
            "micro_f1": round(micro_f1, 3),
            "neutral_passages": self.neutral_total,
            "neutral_wrongly_labelled": round(self.neutral_error_rate, 3),
            "conflicts": {
                "gold": self.conflict_tp + self.conflict_fn,
                "precision": round(self.conflict_precision, 3),
                "recall": round(self.conflict_recall, 3),
            },
            "review_rate": None if self.review_rate is None else round(self.review_rate, 3),
            "notes": self.notes,
        }


def measure(
    name: str, gold: Sequence[GoldPassage], predictions: Sequence[Prediction], principle_ids: Sequence[str]
) -> Figures:
    """Compare predictions with gold labels, passage by passage."""
    figures = {
        pid: PrincipleFigures(pid, sum(1 for g in gold if g.knows(pid) and g.stance_for(pid)))
        for pid in principle_ids
    }
    result = Figures(name, list(figures.values()))
    for g, pred in zip(gold, predictions, strict=True):
        predicted = {pid: stance for pid, stance in pred}
        for pid, fig in figures.items():
            if not g.knows(pid):  # feedback on other principles of this passage: not settled
                continue
            truth = g.stance_for(pid)
            guess = predicted.get(pid)
            if truth and guess:
                fig.tp += 1
                fig.stance_right += int(truth == guess)
            elif guess:
                fig.fp += 1
            elif truth:
                fig.fn += 1
        if not g.labels and g.known is None:
            result.neutral_total += 1
            result.neutral_labelled += int(bool(pred))
        gold_conflicts = {pid for pid, stance in g.labels if stance == "conflicts"}
        settled = {pid for pid, _ in g.labels} | (set(principle_ids) if g.known is None else set(g.known))
        pred_conflicts = {pid for pid, stance in pred if stance == "conflicts" and pid in settled}
        result.conflict_tp += len(gold_conflicts & pred_conflicts)
        result.conflict_fp += len(pred_conflicts - gold_conflicts)
        result.conflict_fn += len(gold_conflicts - pred_conflicts)
    return result


def best_threshold_predictions(
    scores: np.ndarray, gold: Sequence[GoldPassage], principle_ids: Sequence[str]
) -> list[Prediction]:
    """A baseline's labels with, per principle, the threshold that maximises F1 on this very gold
    set: an upper bound for the baseline (it is tuned on the data it is measured on)."""
    predictions: list[Prediction] = [set() for _ in gold]
    for j, pid in enumerate(principle_ids):
        # passages whose feedback does not settle this principle take no part
        rows = np.array([i for i, g in enumerate(gold) if g.knows(pid)], dtype=int)
        order = rows[np.argsort(-scores[rows, j], kind="stable")]
        y = np.array([gold[i].stance_for(pid) is not None for i in order], dtype=bool)
        if not y.any():
            continue
        tp = np.cumsum(y)
        k = np.arange(1, len(y) + 1)
        precision = tp / k
        recall = tp / y.sum()
        f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
        best = int(np.argmax(f1))
        for i in order[: best + 1]:
            predictions[i].add((pid, "supports"))
    return predictions


def format_text(model: Figures, baselines: Sequence[Figures], header: str = "") -> str:
    """A plain-text table for people."""
    lines = [header] if header else []
    names = [model, *baselines]
    lines.append(
        f"{'principle':<18} {'n':>4}   {'P':>5} {'R':>5} {'F1':>5} {'stance':>6}"
        + "".join(f"   {b.name[:14]:>14} F1" for b in baselines)
    )
    for k, p in enumerate(model.principles):
        row = f"{p.principle:<18} {p.support:>4}   {p.precision:5.2f} {p.recall:5.2f} {p.f1:5.2f} {p.stance_accuracy:6.2f}"
        row += "".join(f"   {b.principles[k].f1:17.2f}" for b in baselines)
        lines.append(row)
    lines.append("")
    for f in names:
        micro_p, micro_r, micro_f1 = f.micro
        lines.append(
            f"{f.name}: macro-F1 {f.macro_f1:.3f} (macro precision {f.macro_precision:.3f}), "
            f"micro P/R/F1 {micro_p:.3f}/{micro_r:.3f}/{micro_f1:.3f}, "
            f"neutral wrongly labelled {f.neutral_error_rate:.1%} of {f.neutral_total}, "
            f"conflicts P/R {f.conflict_precision:.2f}/{f.conflict_recall:.2f} "
            f"(gold {f.conflict_tp + f.conflict_fn})"
            + (
                ""
                if f.review_rate is None
                else f", review band {f.review_rate:.1%} of passage-principle pairs"
            )
        )
        lines.extend(f"  note: {n}" for n in f.notes)
    return "\n".join(lines) + "\n"
