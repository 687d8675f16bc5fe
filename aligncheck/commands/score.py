"""`aligncheck classify`, `evaluate` and `train`: score passages, measure the scorer, rebuild it."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, TextIO

import click

from aligncheck.commands import console, open_output, output_option
from aligncheck.commands.cache import cache_option, open_store
from aligncheck.errors import UsageError
from aligncheck.feedback import feedback_gold, passage_labels
from aligncheck.frameworks import load_framework
from aligncheck.score import (
    REPO_MODELS,
    baselines,
    cross_validate,
    find_model,
    load_scorer,
    model_name,
    predictions_of,
    review_rate,
    train_scorer,
)
from aligncheck.score.card import describe_training, write_card
from aligncheck.score.evaluate import Figures, format_text, measure
from aligncheck.score.gold import GoldPassage, item_spans, load_gold, load_predictions
from aligncheck.store import Store

DEFAULT_FRAMEWORK = "koers-2026-2029"
DEFAULT_GOLD = Path(__file__).resolve().parents[2] / "corpora" / "labelled"
GROUPS: dict[str, Callable[[GoldPassage], str]] = {
    "agency": lambda g: g.agency or "unknown",
    "source": lambda g: g.source or "unknown",
}
"""The folds of `evaluate --cross-validate --group-by`: what a passage is grouped by."""


def framework_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--framework",
        default=DEFAULT_FRAMEWORK,
        show_default=True,
        help="Framework name (see `aligncheck frameworks list`) or path to a framework YAML file.",
    )(f)


def model_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--model",
        "model_spec",
        default=None,
        metavar="SPEC",
        help="Scorer model: a model folder, or an encoder (use-m3, st:PATH) whose trained model is used "
        "[default: the bundled model, encoder use-m3].",
    )(f)


@click.command()
@click.argument("source", default="-", type=click.Path(allow_dash=True, dir_okay=False))
@framework_option
@model_option
@cache_option
@output_option
def classify(
    source: str, framework: str, model_spec: str | None, cache_dir: Path | None, output: str | None
) -> None:
    """Score passages read as JSONL (objects with "id" and "text"; other fields ignored) from SOURCE
    or stdin. Writes one JSON object per input: its labels (principle, stance, score), the scores of
    all principles, and the principles in the review band. A list passage's "items" (as `ingest`
    writes them, or the item texts) are also read one by one, as in `check` and `batch`."""
    fw = load_framework(framework)
    items = list(_read_jsonl(source))
    with open_store(cache_dir) as store:
        scorer = load_scorer(fw, model_spec, store)
        scored = (
            scorer.score([text for _, text, _ in items], items=[spans for _, _, spans in items])
            if items
            else []
        )
    with open_output(output) as out:
        for (item_id, _, _), s in zip(items, scored, strict=True):
            record = {
                "id": item_id,
                "labels": [{"principle": p, "stance": st, "score": sc} for p, st, sc in s.labels],
                "scores": s.scores,
                "review": s.review,
                "conflict_scores": s.conflict_scores,
                "against_scores": s.against_scores,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _read_jsonl(source: str) -> Iterator[tuple[Any, str, tuple[tuple[int, int], ...]]]:
    handle: TextIO = sys.stdin if source == "-" else open(source, encoding="utf-8")  # noqa: SIM115
    name = "stdin" if source == "-" else source
    try:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise UsageError(f"{name}:{number}: not valid JSON ({exc.msg})") from None
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise UsageError(
                    f'{name}:{number}: each line needs an object with a "text" string (and an "id")'
                )
            spans = item_spans(obj["text"], obj.get("items"))
            if spans is None:
                raise UsageError(
                    f'{name}:{number}: "items" must be the list items as they stand in "text", in order '
                    "(their texts or [start, end] spans)"
                )
            yield obj.get("id", obj.get("passage_id", number)), obj["text"], spans
    finally:
        if handle is not sys.stdin:
            handle.close()


def with_feedback_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--with-feedback",
        is_flag=True,
        help="Add reviewers' marks imported with `aligncheck feedback import` as labelled passages.",
    )(f)


def _with_feedback(items: list[GoldPassage], store: Store, principle_ids: Sequence[str]) -> list[GoldPassage]:
    """`items` plus the passages reviewers labelled (only the principles their marks settle)."""
    extra = [
        g
        for g in feedback_gold(passage_labels(store.feedback()))
        if all(p in principle_ids for p, _ in g.labels)
    ]
    if not extra:
        raise UsageError(
            "--with-feedback: no reviewer marks on passages in the store "
            f"({store.path}); import them with `aligncheck feedback import FILE`"
        )
    console().info(f"with {len(extra)} passages labelled by reviewers")
    return [*items, *extra]


@click.command()
@click.argument("gold", nargs=-1, type=click.Path(exists=True))
@framework_option
@model_option
@cache_option
@with_feedback_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--cross-validate",
    "cross",
    is_flag=True,
    help="Train and test in folds instead of using the trained model.",
)
@click.option(
    "--group-by",
    type=click.Choice(["agency", "source"]),
    default="agency",
    show_default=True,
    help="Folds for --cross-validate: leave each group out in turn. source: each gold file (one "
    "writer's batch), which tests wording the model never saw.",
)
@click.option(
    "--predictions",
    "predictions_file",
    type=click.Path(exists=True, dir_okay=False),
    help="Measure the labels in this JSONL file (id and labels, as classify writes them, or a second "
    "reader's labels) instead of the scorer's, on the gold passages it labels.",
)
@output_option
def evaluate(
    gold: tuple[str, ...],
    framework: str,
    model_spec: str | None,
    cache_dir: Path | None,
    with_feedback: bool,
    fmt: str,
    cross: bool,
    group_by: str,
    predictions_file: str | None,
    output: str | None,
) -> None:
    """Measure the scorer on labelled passages (GOLD: JSONL files or folders): precision, recall and
    F1 per principle, stance accuracy, macro- and micro-F1, neutral passages wrongly labelled, and the
    same figures for two baselines (cosine similarity, keywords) in the same run. With
    --with-feedback, reviewers' marks count as labelled passages too (GOLD may then be left out).
    With --predictions, the labels in that file are measured instead of the scorer's: a stored
    classify run, another tool's output, or a second reader's labels of the same passages."""
    fw = load_framework(framework)
    if not gold and not with_feedback:
        raise UsageError("give gold files or folders to evaluate on (GOLD...), or --with-feedback")
    if predictions_file and cross:
        raise UsageError("--predictions measures given labels; it cannot be combined with --cross-validate")
    items = load_gold(gold, fw.principle_ids) if gold else []
    with open_store(cache_dir) as store:
        if with_feedback:
            items = _with_feedback(items, store, fw.principle_ids)
        if predictions_file or cross:  # no trained model runs: the encoder --model names
            embedder_spec = find_model(fw.id, model_spec)[1] if model_spec else "use-m3"
        if predictions_file:
            figures, items, header = _measure_given(items, predictions_file, fw.principle_ids)
        elif cross:
            figures, _ = cross_validate(
                items, fw, embedder_spec, store, GROUPS[group_by], progress=console().info
            )
            header = f"leave-one-{group_by}-out cross-validation on {len(items)} passages"
        else:
            scorer = load_scorer(fw, model_spec, store)
            scored = scorer.score([g.text for g in items], items=[g.items for g in items])
            figures = measure("aligncheck", items, predictions_of(scored), fw.principle_ids)
            figures.review_rate = review_rate(scored)
            overlap = scorer.model.overlap([g.text for g in items])
            if overlap:
                figures.notes.append(
                    f"{overlap} of {len(items)} passages were used to train this model: "
                    "these figures are optimistic; use --cross-validate"
                )
            header = f"model {scorer.model.name} on {len(items)} passages"
            embedder_spec = scorer.model.encoder_spec
        from aligncheck.embed import load_embedder

        base = baselines(items, fw, load_embedder(embedder_spec), store)
    with open_output(output) as out:
        if fmt == "json":
            out.write(
                json.dumps(
                    {"setup": header, "model": figures.to_dict(), "baselines": [b.to_dict() for b in base]},
                    ensure_ascii=False,
                    indent=1,
                )
                + "\n"
            )
        else:
            out.write(format_text(figures, base, header))


def _measure_given(
    items: list[GoldPassage], predictions_file: str, principle_ids: Sequence[str]
) -> tuple[Figures, list[GoldPassage], str]:
    """The figures of the labels in `predictions_file`, on the gold passages it labels (which are
    returned, for the baselines), and a header that says how many of the gold passages those are."""
    given = load_predictions(predictions_file, principle_ids)
    measured = [g for g in items if g.id in given]
    if not measured:
        raise UsageError(f"{predictions_file}: none of its ids is in the gold data")
    figures = measure(
        Path(predictions_file).name, measured, [set(given[g.id]) for g in measured], principle_ids
    )
    header = f"labels in {predictions_file} on {len(measured)} passages"
    if len(measured) < len(items):
        figures.notes.append(
            f"measured on the {len(measured)} of {len(items)} gold passages that {predictions_file} labels"
        )
    stray = len(given) - len(measured)
    if stray:
        figures.notes.append(f"{stray} ids in {predictions_file} are not in the gold data and were left out")
    return figures, measured, header


@click.command(name="train")
@click.option(
    "--gold",
    "gold_paths",
    multiple=True,
    type=click.Path(exists=True),
    help=f"Labelled passages (JSONL files or folders) [default: {DEFAULT_GOLD}].",
)
@framework_option
@click.option(
    "--model",
    "encoder",
    default="use-m3",
    show_default=True,
    metavar="ENCODER",
    help="Encoder to train for: use-m3 or st:PATH.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the model to [default: models/NAME in the source tree].",
)
@click.option(
    "--no-cv", is_flag=True, help="Skip the leave-one-agency-out figures for the model card (faster)."
)
@cache_option
@with_feedback_option
def train_command(
    gold_paths: tuple[str, ...],
    framework: str,
    encoder: str,
    out_dir: Path | None,
    no_cv: bool,
    cache_dir: Path | None,
    with_feedback: bool,
) -> None:
    """Train the scorer on labelled passages and write it (weights, thresholds, model card).
    Deterministic: the same data, framework and encoder give the same model."""
    fw = load_framework(framework)
    items = load_gold(gold_paths or [DEFAULT_GOLD], fw.principle_ids)
    folder = out_dir or (REPO_MODELS / model_name(fw.id, encoder))
    with open_store(cache_dir) as store:
        if with_feedback:
            items = _with_feedback(items, store, fw.principle_ids)
        console().info(f"training on {len(items)} passages for {fw.id} {fw.version} with encoder {encoder}")
        model = train_scorer(items, fw, encoder, store)
        figures = base = None
        if not no_cv:
            figures, _ = cross_validate(items, fw, encoder, store, GROUPS["agency"], progress=console().info)
            from aligncheck.embed import load_embedder

            base = baselines(items, fw, load_embedder(encoder), store)
    model.set_training_texts([g.text for g in items])
    describe_training(model, items, figures, base)
    model.save(folder)
    write_card(folder, model)
    console().info(f"model written to {folder}")
