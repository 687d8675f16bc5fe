"""The model card: what a model was trained on, how, and how well it did under cross-validation.
Kept in model.json (`card`) for tools and rendered as MODEL_CARD.md for people."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aligncheck import __version__
from aligncheck.score.evaluate import Figures
from aligncheck.score.gold import GoldPassage
from aligncheck.score.model import BARE_MAX_WORDS, SCORER_ID, ScorerModel


def describe_training(
    model: ScorerModel,
    gold: Sequence[GoldPassage],
    figures: Figures | None,
    baselines: Sequence[Figures] | None,
) -> None:
    """Record the training data and the cross-validated figures in the model's card."""
    labels = Counter(f"{pid}:{stance}" for g in gold for pid, stance in g.labels)
    model.card.update(
        {
            "aligncheck_version": __version__,
            "agencies": dict(sorted(Counter(g.agency or "unknown" for g in gold).items())),
            "neutral_passages": sum(1 for g in gold if not g.labels),
            "labels": dict(sorted(labels.items())),
            "cross_validation": figures.to_dict() if figures else None,
            "baselines": [b.to_dict() for b in baselines] if baselines else None,
        }
    )


def write_card(folder: Path, model: ScorerModel) -> Path:
    """Render MODEL_CARD.md next to the weights."""
    card = model.card
    lines = [
        f"# Model card: {model.name}",
        "",
        f"- scorer: `{SCORER_ID}`; framework: `{model.framework_id}` {model.framework_version}; "
        f"encoder: `{model.encoder}`",
        f"- trained: {card.get('trained')} with aligncheck {card.get('aligncheck_version')}, "
        f"by `aligncheck train` (deterministic: same data, framework and encoder give the same weights)",
        "- files: `model.json` (thresholds, calibration, cue lists, this card), `weights.npz` "
        "(float32 arrays; loaded with allow_pickle=False)",
        "",
        "## Data",
        "",
        f"{card.get('passages')} Dutch passages written by the team in the voice of enforcement plans, "
        "ordinances, letters to parliament, agency web pages and year plans (corpora/labelled/); "
        f"{card.get('neutral_passages')} are neutral. Agencies: "
        + ", ".join(f"{k} {v}" for k, v in (card.get("agencies") or {}).items())
        + "."
        + (
            f" The list passages also train item by item: {card['item_readings']} list items, each read "
            "with the sentence that introduces its list and labelled on its own."
            if card.get("item_readings")
            else ""
        ),
        "",
        "| principle | supports | conflicts |",
        "|---|---:|---:|",
    ]
    labels = card.get("labels") or {}
    for pid in model.principle_ids:
        lines.append(f"| {pid} | {labels.get(pid + ':supports', 0)} | {labels.get(pid + ':conflicts', 0)} |")
    lines += [
        "",
        "## Features and model",
        "",
        "Per passage: hashed character 3-5-grams and word 1-2-grams (sublinear tf-idf), the sentence "
        "embedding of the encoder, the highest similarity to the framework's example passages per "
        "principle and stance, and counts of cue phrases (the framework's keywords and conflict cues; "
        "strictness, leniency, negation, safeguards, commitment, deterrence and public-trust cues), and "
        "negation-scope counts (sanction, strictness and leniency words with and without a negation just "
        'before them; leniency and sanction words that a negation later in their clause takes back ("een '
        'waarschuwing ... past niet"); safeguard words negated before or after ("geen dpia", "een toets op '
        'vooringenomenheid voeren wij niet uit"); "zonder" before a ground or safeguard), counted per sentence. Per '
        "principle, presence is the weighted mean (lexical "
        f"{card.get('settings', {}).get('lexical_weight')}) of two logistic regressions, one on the lexical "
        "features and one on the dense ones; stance (conflicts versus supports, given that the passage "
        "addresses the principle) is shared by all principles and trained on the labels of all of them: "
        + _stance_sentence(card.get("settings", {}))
        + " Each is calibrated with Platt scaling on 5-fold out-of-fold decision values. The threshold per principle is the "
        "out-of-fold F1 optimum among thresholds with precision of at least "
        f"{card.get('settings', {}).get('min_precision')}; scores up to "
        f"{card.get('settings', {}).get('review_width')} below it are flagged for review. A list passage "
        "(a paragraph with the list it introduces) is read as a whole and item by item, each item with "
        "the introduction; per principle the strongest reading counts, with its stance.",
        "",
        "Conflicting passages speak of the contrary practice, often in words the presence model (trained "
        "mostly on supporting passages) does not take as addressing the principle. So each principle also "
        "has an against model: the same two regressions, trained on the passages that go against the "
        "principle versus all others. A passage below the presence threshold goes against the principle "
        "when its against probability reaches the against threshold (the lowest with out-of-fold precision "
        f"of at least {card.get('settings', {}).get('against_precision')}; none where no threshold does) "
        "and its stance agrees; the principle's score is then the against probability. A principle's stance "
        "mixes the shared stance model (weight "
        f"{card.get('settings', {}).get('stance_shared_weight')}) with the principle's own reading of it, "
        "its against probability over its presence probability (at most 1): one shared stance would give a "
        "passage the same stance on every principle it touches. A bare passage, at most "
        f"{BARE_MAX_WORDS} words with no figure and no negation, strictness, deterrence or conflict cue (a "
        "heading, a named practice), can address a principle but not go against one.",
        "",
        "| principle | threshold | review from | against from |",
        "|---|---:|---:|---:|",
    ]
    for p in model.principles:
        against = f"{p.against_threshold:.2f}" if p.against_threshold <= 1 else "none"
        lines.append(f"| {p.principle} | {p.threshold:.2f} | {p.review_low:.2f} | {against} |")
    cv = card.get("cross_validation")
    if cv:
        lines += [
            "",
            "## Cross-validated figures (leave one agency out)",
            "",
            "Each agency's passages are scored by a model trained without them. These figures are on the "
            "team's own written passages; real published plans are harder (see the README).",
            "",
            "| principle | n | precision | recall | F1 | stance accuracy |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for pid, f in cv["principles"].items():
            lines.append(
                f"| {pid} | {f['support']} | {f['precision']:.2f} | {f['recall']:.2f} | {f['f1']:.2f} | {f['stance_accuracy']:.2f} |"
            )
        lines += [
            "",
            f"- macro-F1 {cv['macro_f1']:.3f}, macro precision {cv['macro_precision']:.3f}; micro P/R/F1 "
            f"{cv['micro_precision']:.3f}/{cv['micro_recall']:.3f}/{cv['micro_f1']:.3f}",
            f"- neutral passages wrongly labelled: {cv['neutral_wrongly_labelled']:.1%} of {cv['neutral_passages']}",
            f"- conflicts: precision {cv['conflicts']['precision']:.2f}, recall {cv['conflicts']['recall']:.2f} "
            f"({cv['conflicts']['gold']} conflicting labels)",
            f"- review band: {cv['review_rate']:.1%} of passage-principle pairs"
            if cv.get("review_rate") is not None
            else "",
        ]
        for b in card.get("baselines") or []:
            lines.append(
                f"- baseline {b['name']}: macro-F1 {b['macro_f1']:.3f}, neutral wrongly labelled "
                f"{b['neutral_wrongly_labelled']:.1%}"
                + (f" ({'; '.join(b['notes'])})" if b.get("notes") else "")
            )
        lines += ["", "Reproduce: `aligncheck evaluate corpora/labelled --cross-validate --group-by agency`."]
    path = folder / "MODEL_CARD.md"
    path.write_text("\n".join(line for line in lines if line is not None) + "\n", "utf-8")
    return path


def _stance_sentence(settings: dict[str, Any]) -> str:
    w = settings.get("stance_lexical_weight", 1.0)
    if w is None or w >= 1.0:
        return "one logistic regression on the lexical features."
    dense = (
        "the dense ones"
        if settings.get("stance_dense_embedding", True)
        else (
            "the example similarities, cue and negation-scope counts (not the embedding, which carries topic "
            "more than stance)"
        )
    )
    return f"the weighted mean (lexical {w}) of a logistic regression on the lexical features and one on {dense}."


def accuracy_summary(card: dict[str, Any]) -> str:
    """The README's accuracy table and figures, from a model card's cross-validation and baselines
    (tests/test_docs.py checks that the README shows exactly this, so the two cannot drift)."""
    cv = card["cross_validation"]
    base = {b["name"]: b for b in card.get("baselines") or []}
    cos, kw = base.get("cosine", {}), base.get("keywords", {})
    lines = [
        "| principle | n | precision | recall | F1 | stance accuracy | cosine F1 | keywords F1 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for pid, f in cv["principles"].items():
        c = (cos.get("principles") or {}).get(pid, {})
        k = (kw.get("principles") or {}).get(pid, {})
        lines.append(
            f"| {pid} | {f['support']} | {f['precision']:.2f} | {f['recall']:.2f} | {f['f1']:.2f} | "
            f"{f['stance_accuracy']:.2f} | {c.get('f1', 0):.2f} | {k.get('f1', 0):.2f} |"
        )
    lines.append(
        f"| **macro** | | **{cv['macro_precision']:.2f}** | | **{cv['macro_f1']:.2f}** | | "
        f"{cos.get('macro_f1', 0):.2f} | {kw.get('macro_f1', 0):.2f} |"
    )
    conflicts = cv["conflicts"]
    lines += [
        "",
        f"- micro precision/recall/F1: {cv['micro_precision']:.2f} / {cv['micro_recall']:.2f} / {cv['micro_f1']:.2f}",
        f"- neutral passages wrongly labelled: {cv['neutral_wrongly_labelled']:.1%} (cosine baseline "
        f"{cos.get('neutral_wrongly_labelled', 0):.1%}, keywords {kw.get('neutral_wrongly_labelled', 0):.1%})",
        f"- conflicting passages: precision {conflicts['precision']:.2f}, recall {conflicts['recall']:.2f} "
        f"({conflicts['gold']} conflict labels)",
    ]
    if cv.get("review_rate") is not None:
        lines.append(
            f"- review band: {cv['review_rate']:.1%} of passage-principle pairs fall just below a threshold and are flagged"
        )
    return "\n".join(lines) + "\n"
