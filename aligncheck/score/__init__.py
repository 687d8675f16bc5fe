"""Scoring passages against a framework's principles: loading the trained model for a framework and
encoder, scoring texts, training, and measuring (with leave-one-group-out cross-validation and
baselines)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import platformdirs

from aligncheck.embed import DEFAULT_MODEL as DEFAULT_ENCODER
from aligncheck.embed import Embedder, embed_texts, load_embedder
from aligncheck.errors import ModelError, UsageError
from aligncheck.frameworks import Framework
from aligncheck.score.evaluate import Figures, Prediction, best_threshold_predictions, measure
from aligncheck.score.features import CueLists
from aligncheck.score.gold import GoldPassage, item_readings
from aligncheck.score.model import SCORER_ID, ScoredPassage, ScorerModel, list_item_texts
from aligncheck.store import Store

if TYPE_CHECKING:  # training needs scikit-learn: imported when a model is trained, not at start-up
    from aligncheck.score.train import FrameworkData, TrainSettings

REPO_MODELS = Path(__file__).resolve().parents[2] / "models"
"""Models shipped with the source tree."""


def user_models() -> Path:
    """Models a user trained (`aligncheck train` with another encoder or framework)."""
    return Path(platformdirs.user_data_dir("aligncheck")) / "models"


def model_name(framework_id: str, encoder_spec: str) -> str:
    """Folder name of the model for a framework and encoder: the framework id for the default
    encoder, else framework@encoder-slug."""
    if encoder_spec in (DEFAULT_ENCODER, "default"):
        return framework_id
    slug = hashlib.sha256(encoder_spec.encode()).hexdigest()[:10]
    kind = encoder_spec.split(":", 1)[0]
    return f"{framework_id}@{kind}-{slug}"


def encoder_spec_of(folder: Path) -> str:
    """The encoder a model folder was trained with, from its model.json (the weights stay unread)."""
    try:
        card = json.loads((folder / "model.json").read_text("utf-8")).get("card", {})
    except (OSError, ValueError) as exc:
        raise ModelError(
            str(folder), f"model files are damaged ({exc})", "run `aligncheck train` to rebuild"
        ) from None
    return str(card.get("encoder_spec", DEFAULT_ENCODER))


def find_model(framework_id: str, spec: str | None) -> tuple[Path, str]:
    """The model folder for `--model SPEC` and the encoder spec it needs. SPEC is a model folder, an
    encoder spec (`use-m3`, `st:PATH`, `fake`) whose trained model is looked up, or None (default)."""
    if spec and Path(spec).is_dir() and (Path(spec) / "model.json").exists():
        folder = Path(spec)
        return folder, encoder_spec_of(folder)
    encoder = spec or DEFAULT_ENCODER
    name = model_name(framework_id, encoder)
    places = [Path(os.environ["ALIGNCHECK_MODELS"])] if os.environ.get("ALIGNCHECK_MODELS") else []
    places += [REPO_MODELS, user_models()]
    for place in places:
        if (place / name / "model.json").exists():
            return place / name, encoder
    raise ModelError(
        encoder,
        f"no trained scorer for framework {framework_id} with this encoder (looked in {', '.join(str(p) for p in places)})",
        f"train one with `aligncheck train --framework {framework_id} --model {encoder}`",
    )


def framework_data(framework: Framework, embedder: Embedder, store: Store | None) -> FrameworkData:
    """What the scorer takes from a framework: its cue lists and embedded example passages."""
    examples: dict[str, dict[str, np.ndarray]] = {}
    for p in framework.principles:
        examples[p.id] = {}
        for stance in ("supports", "conflicts"):
            texts = list(getattr(p.examples, stance))
            if texts:
                examples[p.id][stance] = embed_texts(embedder, texts, store)
    cue_lists = {
        p.id: {"keywords": list(p.keywords), "conflict_cues": list(p.conflict_cues)}
        for p in framework.principles
    }
    from aligncheck.score.train import FrameworkData

    return FrameworkData(framework.id, framework.version, list(framework.principle_ids), cue_lists, examples)


@dataclass
class Scorer:
    """A loaded model with its encoder: texts in, calibrated scores out."""

    model: ScorerModel
    embedder: Embedder
    store: Store | None = None
    fingerprint: str | None = None
    """What the scores depend on besides the text (`model_fingerprint`): with a store, it keys the
    score cache. None (a model not loaded from a folder): scores are not cached."""
    source: str = ""
    """Where the model came from (its folder): a new fingerprint from the same source replaces the
    cached scores of the old one."""

    def score(
        self,
        texts: Sequence[str],
        vectors: np.ndarray | None = None,
        items: Sequence[Sequence[tuple[int, int]]] | None = None,
    ) -> list[ScoredPassage]:
        """The scorer's answer for each text, in order. With a store and a fingerprint, answers cached
        for this exact model are reused; the other texts are embedded (or taken from `vectors`, the
        texts' embeddings in order, when given), scored once each and cached. `items`, per text, the
        spans of the list items it holds (`Passage.items`): a list passage is also read item by
        item (`ScorerModel.combine`)."""
        whole = self._score(list(texts), vectors)
        if not items or not any(len(spans) >= 2 for spans in items):
            return whole
        parts = [list_item_texts(text, spans) for text, spans in zip(texts, items, strict=True)]
        flat = self._score([t for texts_of in parts for t in texts_of], None)
        return self.model.combine_all(whole, [len(texts_of) for texts_of in parts], flat)

    def _score(self, texts: list[str], vectors: np.ndarray | None) -> list[ScoredPassage]:
        out: list[ScoredPassage | None] = [None] * len(texts)
        cache = self.store if self.fingerprint else None
        if cache is not None and self.fingerprint:
            for index, result in cache.get_scores(self.fingerprint, texts).items():
                out[index] = _scored_from_json(result)
        first: dict[str, int] = {}  # each text still to score, at its first index
        for index, text in enumerate(texts):
            if out[index] is None:
                first.setdefault(text, index)
        if first:
            todo = list(first)
            if vectors is None:
                embeddings = embed_texts(self.embedder, todo, self.store)
            else:
                embeddings = np.asarray(vectors)[list(first.values())]
            fresh = dict(zip(todo, self.model.score(todo, embeddings), strict=True))
            for index, text in enumerate(texts):
                if out[index] is None:
                    out[index] = fresh[text]
            if cache is not None and self.fingerprint:
                results = [_scored_to_json(fresh[t]) for t in todo]
                cache.put_scores(self.fingerprint, self.source, todo, results)
        return [s for s in out if s is not None]


def _scored_to_json(scored: ScoredPassage) -> str:
    return json.dumps(asdict(scored), ensure_ascii=False, separators=(",", ":"))


def _scored_from_json(text: str) -> ScoredPassage:
    data = json.loads(text)
    data["labels"] = [tuple(label) for label in data["labels"]]
    return ScoredPassage(**data)


FINGERPRINT_FILES = ("model.json", "weights.npz")
"""The files of a model folder that decide its scores."""


def model_fingerprint(folder: Path) -> str:
    """Hex SHA-256 of everything a passage's scores depend on besides its text and the encoder named
    in model.json: the model's files, the scoring code (feature extraction and model) and the
    versions of the scorer family and of aligncheck. Any change to one gives another fingerprint."""
    from aligncheck import __version__
    from aligncheck.score import features as features_module
    from aligncheck.score import model as model_module

    digest = hashlib.sha256(f"{SCORER_ID}\0{__version__}\0".encode())
    parts = [folder / name for name in FINGERPRINT_FILES]
    parts += [Path(str(features_module.__file__)), Path(str(model_module.__file__))]
    for part in parts:
        try:
            data = part.read_bytes()
        except OSError as exc:
            raise ModelError(
                str(folder), f"cannot read {part.name} ({exc})", "run `aligncheck train` to rebuild"
            ) from None
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def load_scorer(framework: Framework, spec: str | None = None, store: Store | None = None) -> Scorer:
    """The scorer for a framework: checks that the model was trained for it and its encoder."""
    folder, encoder = find_model(framework.id, spec)
    fingerprint = model_fingerprint(folder)
    model = ScorerModel.load(folder)
    if model.framework_id != framework.id:
        raise ModelError(
            str(folder),
            f"was trained for framework {model.framework_id}, not {framework.id}",
            "choose the matching --framework or --model",
        )
    if model.framework_version != framework.version:
        raise ModelError(
            str(folder),
            f"was trained on version {model.framework_version} of {framework.id}, the framework is now {framework.version}",
            f"retrain with `aligncheck train --framework {framework.id}`",
        )
    embedder = load_embedder(encoder)
    if embedder.model_id != model.encoder:
        raise ModelError(
            str(folder),
            f"was trained with encoder {model.encoder}, but {encoder} is {embedder.model_id}",
            f"retrain with `aligncheck train --framework {framework.id} --model {encoder}`",
        )
    return Scorer(model, embedder, store, fingerprint, str(folder.resolve()))


def predictions_of(scored: Sequence[ScoredPassage]) -> list[Prediction]:
    return [{(pid, stance) for pid, stance, _ in s.labels} for s in scored]


def train_scorer(
    gold: Sequence[GoldPassage],
    framework: Framework,
    encoder_spec: str,
    store: Store | None,
    settings: TrainSettings | None = None,
) -> ScorerModel:
    from aligncheck.score.train import train_model

    embedder = load_embedder(encoder_spec)
    data = framework_data(framework, embedder, store)
    readings = item_readings(gold)  # list items, each read with its introduction, learn too
    everything = [*gold, *readings]
    embeddings = embed_texts(embedder, [g.text for g in everything], store)
    model = train_model(
        everything,
        embeddings,
        data,
        embedder.model_id,
        model_name(framework.id, encoder_spec),
        settings,
        card_extra={"encoder_spec": encoder_spec, "passages": len(gold), "item_readings": len(readings)},
    )
    return model


def cross_validate(
    gold: Sequence[GoldPassage],
    framework: Framework,
    encoder_spec: str,
    store: Store | None,
    group_of: Callable[[GoldPassage], str],
    settings: TrainSettings | None = None,
    progress: Callable[[str], None] | None = None,
) -> tuple[Figures, list[ScoredPassage]]:
    """Leave each group out in turn: train on the others, score the group. Returns the figures over
    all held-out predictions."""
    from aligncheck.score.train import train_model

    embedder = load_embedder(encoder_spec)
    data = framework_data(framework, embedder, store)
    embeddings = embed_texts(embedder, [g.text for g in gold], store)
    item_rows = _item_rows(gold, embedder, store)
    groups = np.array([group_of(g) for g in gold])
    # labelled list items train with the folds of their passages: (owner, reading, its embedding)
    readings = [
        (i, reading, vector)
        for i, g in enumerate(gold)
        for reading, (_, vector) in zip(item_readings([g]), item_rows.get(i, []), strict=False)
    ]
    scored: list[ScoredPassage | None] = [None] * len(gold)
    for group in sorted(set(groups)):
        held = np.flatnonzero(groups == group)
        rest = np.flatnonzero(groups != group)
        if progress:
            progress(f"training without {group} ({len(held)} passages held out)")
        taught = [(reading, vector) for owner, reading, vector in readings if groups[owner] != group]
        try:
            model = train_model(
                [gold[int(i)] for i in rest] + [reading for reading, _ in taught],
                np.vstack([embeddings[rest], *([vector for _, vector in taught] or [embeddings[:0]])]),
                data,
                embedder.model_id,
                "cv",
                settings,
            )
        except UsageError as exc:
            raise UsageError(f"cross-validation, leaving out {group}: {exc}") from None
        answers = model.score([gold[int(i)].text for i in held], embeddings[held])
        parts = [item_rows.get(int(i), []) for i in held]
        flat = [row for rows in parts for row in rows]
        item_answers = model.score([t for t, _ in flat], np.array([v for _, v in flat])) if flat else []
        counts = [len(rows) for rows in parts]
        for i, s in zip(held, model.combine_all(answers, counts, item_answers), strict=True):
            scored[i] = s
    final = [s for s in scored if s is not None]
    figures = measure("aligncheck", gold, predictions_of(final), data.principle_ids)
    figures.review_rate = review_rate(final)
    return figures, final


def _item_rows(
    gold: Sequence[GoldPassage], embedder: Embedder, store: Store | None
) -> dict[int, list[tuple[str, np.ndarray]]]:
    """For each gold list passage (by index): its items read with the introduction, and their
    embeddings."""
    parts = {i: list_item_texts(g.text, g.items) for i, g in enumerate(gold) if len(g.items) >= 2}
    flat = [t for texts in parts.values() for t in texts]
    vectors = embed_texts(embedder, flat, store) if flat else np.zeros((0, 0))
    out: dict[int, list[tuple[str, np.ndarray]]] = {}
    k = 0
    for i, texts in parts.items():
        out[i] = [(t, vectors[k + j]) for j, t in enumerate(texts)]
        k += len(texts)
    return out


def review_rate(scored: Sequence[ScoredPassage]) -> float:
    pairs = sum(len(s.scores) for s in scored)
    return sum(len(s.review) for s in scored) / pairs if pairs else 0.0


def baselines(
    gold: Sequence[GoldPassage], framework: Framework, embedder: Embedder, store: Store | None
) -> list[Figures]:
    """Cosine similarity to each principle's description (threshold tuned on this gold set) and
    keyword matching (any keyword of the principle; `conflicts` when a conflict cue matches too)."""
    pids = list(framework.principle_ids)
    texts = [g.text for g in gold]
    emb = embed_texts(embedder, texts, store)
    descriptions = embed_texts(embedder, [p.description.nl for p in framework.principles], store)
    cosine = measure("cosine", gold, best_threshold_predictions(emb @ descriptions.T, gold, pids), pids)
    cosine.notes.append("threshold per principle tuned on this gold set: an upper bound for this baseline")
    cues = CueLists.build(
        {
            p.id: {"keywords": list(p.keywords), "conflict_cues": list(p.conflict_cues)}
            for p in framework.principles
        }
    )
    counts = cues.counts(texts)
    index = {name: k for k, name in enumerate(cues.names)}
    keyword_preds: list[Prediction] = []
    for row in counts:
        pred: Prediction = set()
        for pid in pids:
            if row[index[f"{pid}.keywords"]] > 0:
                stance = "conflicts" if row[index[f"{pid}.conflict_cues"]] > 0 else "supports"
                pred.add((pid, stance))
        keyword_preds.append(pred)
    keywords = measure("keywords", gold, keyword_preds, pids)
    return [cosine, keywords]
