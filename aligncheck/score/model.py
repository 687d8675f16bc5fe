"""The trained scorer: per principle a calibrated presence model, and one calibrated stance model over
the passage features, stored as JSON (metadata, thresholds, calibration) and npz (weights)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from aligncheck.errors import ModelError
from aligncheck.score.features import (
    SCOPE_NAMES,
    CueLists,
    Features,
    apply_idf,
    assemble,
    example_similarities,
    lexical_counts,
    scope_counts,
)

SCORER_ID = "aligncheck.scorer.v3"
"""Versioned name of the feature set and model family; a model file names the one it needs."""

BARE_MAX_WORDS = 3
"""A passage of at most this many words, with no figure and no word that can carry a stance (a cue of
negation, strictness or deterrence, or a principle's conflict cue), is bare: a heading, a table header
or a named practice ("Voorlichting", "Persoonlijke omstandigheden"). It can address a principle but
cannot go against one. The lexical models give the few words of a short text their full weight, so
such a text took the stance its words had in the training data: 23 of the framework's 305 keywords,
standing alone, were read as conflicts. None of the 63 bare passages in the labelled corpus conflicts."""
STANCE_CUES = ("cue.negation", "cue.strict", "cue.deterrence")
_WORD = re.compile(r"[^\W\d_]+")


def sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(x, -40, 40)))


def list_item_texts(text: str, items: Sequence[tuple[int, int]]) -> list[str]:
    """Each item of a list passage (`Passage.items`: two or more spans in `text`) with the sentence
    that introduces the list, as the scorer reads it on its own; none for a passage without a list."""
    if len(items) < 2:
        return []
    intro = text[: items[0][0]].strip()
    return [f"{intro} {text[start:end].strip()}".strip() for start, end in items]


REAL_TEXT_FILE = "real-text.json"
"""In a model folder: a spot check on real published text, {"weights_sha256": ..., "measured": date,
"passages": n, "documents": n, "neutral": n, "micro_precision", "micro_recall", "micro_f1",
"macro_f1", "macro_precision", "neutral_wrongly_labelled", "conflicts": {"gold", "found",
"precision", "recall"}, "baselines": {...}, "second_reader_macro_f1", "second_reader_passages",
"sets": [the same figures per round of collection], "how": text}. Written by hand after such a
check; read only while `weights_sha256` is that of the folder's weights.npz, so a retrained model
drops it."""


def _real_text(folder: Path) -> dict[str, Any] | None:
    """The real-text figures of a model folder, if they were measured with its weights."""
    path = folder / REAL_TEXT_FILE
    try:
        record = json.loads(path.read_text("utf-8"))
        weights = hashlib.sha256((folder / "weights.npz").read_bytes()).hexdigest()
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        raise ModelError(
            str(folder), f"{REAL_TEXT_FILE} cannot be read ({exc})", f"fix or remove {path}"
        ) from None
    if not isinstance(record, dict) or record.get("weights_sha256") != weights:
        return None  # measured with other weights: it says nothing about this model
    return record


AGAINST_OFF = 1.01
"""A threshold no probability reaches."""


@dataclass
class Calibrated:
    """A linear model whose decision value d becomes a probability sigmoid(a * d + b) (Platt)."""

    coef: np.ndarray
    intercept: float
    a: float
    b: float

    def decision(self, x: Any) -> np.ndarray:
        return np.asarray(x @ self.coef).ravel() + self.intercept

    def proba(self, x: Any) -> np.ndarray:
        return sigmoid(self.a * self.decision(x) + self.b)


@dataclass
class PrincipleModel:
    """Presence and stance for one principle, with the thresholds chosen by cross-validation.
    Presence is a weighted mean of two calibrated models: one on the lexical block, one on the dense
    block (embedding, example similarities, cues)."""

    principle: str
    presence: Calibrated
    """On the lexical features."""
    presence_dense: Calibrated
    """On the dense features."""
    lexical_weight: float
    threshold: float
    """A passage addresses the principle when its calibrated probability reaches this."""
    review_low: float
    """Probabilities in [review_low, threshold) are flagged for review: the tool abstains."""
    conflict_threshold: float = 0.5
    """P(conflicts | addressed) at or above this makes the stance `conflicts`."""
    against: Calibrated | None = None
    """P(the passage goes against the principle), trained directly on that principle's conflicting
    passages against all others (lexical features; `against_dense` on the dense ones, mixed with
    `lexical_weight`). Conflicting passages speak of the contrary practice, often in words that the
    presence model, trained mostly on supporting passages, does not take as addressing the principle."""
    against_dense: Calibrated | None = None
    against_threshold: float = AGAINST_OFF
    """A passage below the presence threshold still goes against the principle when this model
    reaches this threshold and its stance (ScorerModel.stance_of) agrees (AGAINST_OFF: never)."""

    def presence_proba(self, x: Features) -> np.ndarray:
        return self._mixed(self.presence, self.presence_dense, x)

    def against_proba(self, x: Features) -> np.ndarray:
        if self.against is None or self.against_dense is None:
            return np.zeros(x.lexical.shape[0])
        return self._mixed(self.against, self.against_dense, x)

    def _mixed(self, lexical: Calibrated, dense: Calibrated, x: Features) -> np.ndarray:
        w = self.lexical_weight
        return w * lexical.proba(x.lexical) + (1 - w) * dense.proba(x.dense)


@dataclass
class ScoredPassage:
    """The scorer's answer for one passage."""

    scores: dict[str, float]
    conflict_scores: dict[str, float]
    labels: list[tuple[str, str, float]]  # (principle, stance, score), confident ones only
    review: list[str]
    against_scores: dict[str, float] = field(default_factory=dict)
    """Probability per principle that the passage goes against it (PrincipleModel.against)."""
    against_only: list[str] = field(default_factory=list)
    """The principles labelled `conflicts` by the against model alone, the passage scoring below the
    presence threshold: out of fold such conflicts are right about half the time."""
    against_only_presence: dict[str, float] = field(default_factory=dict)
    """For each of `against_only`, the presence probability before the against model raised the
    score to its own."""


@dataclass
class ScorerModel:
    name: str
    framework_id: str
    framework_version: str
    encoder: str
    """The embedder's model id the weights were trained with."""
    principles: list[PrincipleModel]
    idf: np.ndarray
    cues: CueLists
    examples: dict[str, dict[str, np.ndarray]]
    """Embeddings of the framework's example passages, per principle and stance."""
    stance: Calibrated | None = None
    """P(conflicts | the passage addresses a principle), on the lexical features: one model for all
    principles (the language of contrary stances is largely shared, and pooling the labels of all
    principles measured better than a model per principle)."""
    stance_dense: Calibrated | None = None
    """The same on the dense features (embedding, similarities, cue and negation-scope counts)."""
    stance_lexical_weight: float = 1.0
    """Weight of the lexical stance model; the dense one has the rest."""
    stance_shared_weight: float = 1.0
    """A principle's P(conflicts | addressed) is this weight times the shared stance model's
    probability plus the rest times the principle's own reading of it: its against probability over
    its presence probability (at most 1). 1.0: the shared stance alone (models without against
    models)."""
    card: dict[str, Any] = field(default_factory=dict)
    """Training data, settings and cross-validated figures, as in the model card."""
    training_hashes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint64))
    """64-bit hashes of the training texts: tells when an evaluation reuses training data."""
    real_text: dict[str, Any] | None = None
    """Figures measured on real published text (REAL_TEXT_FILE in the model folder), when they were
    measured with exactly these weights; None otherwise. The passages stay outside the repository
    (a copy of published text would void the measurement), so the file records the figures only."""

    def set_training_texts(self, texts: Sequence[str]) -> None:
        self.training_hashes = np.unique(np.array([_text_key(t) for t in texts], dtype=np.uint64))

    def overlap(self, texts: Sequence[str]) -> int:
        """How many of these texts the model was trained on."""
        if len(self.training_hashes) == 0:
            return 0
        keys = np.array([_text_key(t) for t in texts], dtype=np.uint64)
        return int(np.isin(keys, self.training_hashes).sum())

    @property
    def encoder_spec(self) -> str:
        """The `--model` spec of the encoder the model was trained with (use-m3, st:PATH, ...)."""
        return str(self.card.get("encoder_spec", "use-m3"))

    @property
    def principle_ids(self) -> list[str]:
        return [p.principle for p in self.principles]

    # --- scoring

    def features(
        self, texts: Sequence[str], embeddings: np.ndarray, cue_counts: np.ndarray | None = None
    ) -> Features:
        """The passages' features; `cue_counts` is `self.cues.counts(texts)` when the caller has it."""
        if cue_counts is None:
            cue_counts = self.cues.counts(texts)
        lexical = apply_idf(lexical_counts(texts), self.idf)
        sims = example_similarities(embeddings, self.examples)
        return assemble(lexical, embeddings, sims, np.hstack([cue_counts, scope_counts(texts)]))

    def conflict_proba(self, x: Features) -> np.ndarray:
        """P(conflicts | the passage addresses a principle), shared by all principles."""
        if self.stance is None:
            return np.zeros(x.lexical.shape[0])
        w = self.stance_lexical_weight
        p = self.stance.proba(x.lexical)
        if self.stance_dense is not None and w < 1.0:
            p = w * p + (1 - w) * self.stance_dense.proba(x.dense)
        return p

    def score(self, texts: Sequence[str], embeddings: np.ndarray) -> list[ScoredPassage]:
        if len(texts) == 0:
            return []
        cue_counts = self.cues.counts(texts)
        x = self.features(texts, embeddings, cue_counts)
        presence = {p.principle: p.presence_proba(x) for p in self.principles}
        against = {p.principle: p.against_proba(x) for p in self.principles}
        shared = self.conflict_proba(x)
        bare = self.bare(texts, cue_counts)
        conflict = {
            p.principle: np.where(
                bare, 0.0, self.stance_of(shared, presence[p.principle], against[p.principle], p)
            )
            for p in self.principles
        }
        return [
            self._answer(
                {p: float(v[i]) for p, v in presence.items()},
                {p: float(v[i]) for p, v in conflict.items()},
                {p: float(v[i]) for p, v in against.items()},
            )
            for i in range(len(texts))
        ]

    def bare(self, texts: Sequence[str], cue_counts: np.ndarray | None = None) -> np.ndarray:
        """Per text, whether it is too bare to carry a stance (BARE_MAX_WORDS): its P(conflicts) is 0.
        `cue_counts` is `self.cues.counts(texts)` when the caller has it."""
        if cue_counts is None:
            cue_counts = self.cues.counts(texts)
        columns = [
            j
            for j, name in enumerate(self.cues.names)
            if name in STANCE_CUES or name.endswith(".conflict_cues")
        ]
        short = np.array(
            [len(_WORD.findall(t)) <= BARE_MAX_WORDS and not any(c.isdigit() for c in t) for t in texts],
            dtype=bool,
        )
        return short & (cue_counts[:, columns].sum(axis=1) == 0)

    def stance_of(
        self, shared: np.ndarray, presence: np.ndarray, against: np.ndarray, principle: PrincipleModel
    ) -> np.ndarray:
        """P(conflicts | the passage addresses `principle`): the shared stance model mixed with the
        principle's own reading, P(goes against it) / P(addresses it). One shared stance gives a passage
        one stance for every principle it touches; the against model knows which principle a passage
        goes against. Out of fold (7,025 passages, leaving out one agency), the equal mix raised conflict
        precision from 0.73 to 0.82 at about the same recall (0.50 to 0.49)."""
        w = self.stance_shared_weight
        if principle.against is None or w >= 1.0:
            return shared
        own = np.minimum(1.0, against / np.maximum(presence, 1e-6))
        return w * shared + (1 - w) * own

    def _answer(
        self, presence: dict[str, float], conflict: dict[str, float], against: dict[str, float]
    ) -> ScoredPassage:
        """Labels and review band from each principle's presence, stance and against probability.
        A conflict that only the against model finds raises the principle's score to that model's
        probability (a passage that goes against a principle addresses it)."""
        labels: list[tuple[str, str, float]] = []
        review: list[str] = []
        against_only: list[str] = []
        against_only_presence: dict[str, float] = {}
        scores = dict(presence)
        for p in self.principles:
            pid = p.principle
            prob = presence[pid]
            if prob >= p.threshold:
                stance = "conflicts" if conflict[pid] >= p.conflict_threshold else "supports"
                labels.append((pid, stance, round(prob, 4)))
            elif against.get(pid, 0.0) >= p.against_threshold and conflict[pid] >= p.conflict_threshold:
                scores[pid] = max(prob, against[pid])
                labels.append((pid, "conflicts", round(scores[pid], 4)))
                against_only.append(pid)
                against_only_presence[pid] = round(prob, 4)
            elif prob >= p.review_low:
                review.append(pid)
        labels.sort(key=lambda label: -label[2])
        return ScoredPassage(
            scores={p: round(v, 4) for p, v in scores.items()},
            conflict_scores={p: round(v, 4) for p, v in conflict.items()},
            labels=labels,
            review=review,
            against_scores={p: round(v, 4) for p, v in against.items()},
            against_only=against_only,
            against_only_presence=against_only_presence,
        )

    def combine(self, whole: ScoredPassage, items: Sequence[ScoredPassage]) -> ScoredPassage:
        """A list passage's answer from the answers for the whole passage and for each of its items
        read with the introduction (`list_item_texts`): per principle, the reading that addresses it
        most strongly, with that reading's stance. A list packs claims on several principles into
        one passage, and read as a whole each claim is diluted by the others."""
        if not items:
            return whole
        presence: dict[str, float] = {}
        conflict: dict[str, float] = {}
        against: dict[str, float] = {}
        models = {p.principle: p for p in self.principles}
        for pid in whole.scores:
            best = max([whole, *items], key=lambda s: s.scores.get(pid, 0.0))  # the whole on a tie
            # a reading found only by the against model speaks with its own stance
            contrary = max([whole, *items], key=lambda s: s.against_scores.get(pid, 0.0))
            pm = models[pid]
            presence[pid] = best.scores.get(pid, 0.0)
            against[pid] = contrary.against_scores.get(pid, 0.0)
            found_against = presence[pid] < pm.threshold and against[pid] >= pm.against_threshold
            conflict[pid] = (contrary if found_against else best).conflict_scores.get(pid, 0.0)
        return self._answer(presence, conflict, against)

    def combine_all(
        self, wholes: Sequence[ScoredPassage], counts: Sequence[int], readings: Sequence[ScoredPassage]
    ) -> list[ScoredPassage]:
        """`combine` for many passages at once: `readings` holds the answers for the items of all of
        them in order, `counts` how many of those belong to each passage."""
        out, k = [], 0
        for whole, n in zip(wholes, counts, strict=True):
            out.append(self.combine(whole, readings[k : k + n]))
            k += n
        return out

    # --- files

    def save(self, folder: Path) -> None:
        """Write model.json and weights.npz into `folder` (float32 weights, no pickle)."""
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, np.ndarray] = {
            "idf": self.idf.astype(np.float32),
            "training_hashes": self.training_hashes,
        }
        meta_principles = []
        for p in self.principles:
            arrays[f"{p.principle}.presence"] = p.presence.coef.astype(np.float32)
            arrays[f"{p.principle}.presence_dense"] = p.presence_dense.coef.astype(np.float32)
            entry: dict[str, Any] = {
                "id": p.principle,
                "threshold": round(p.threshold, 4),
                "review_low": round(p.review_low, 4),
                "lexical_weight": p.lexical_weight,
                "presence": {"intercept": p.presence.intercept, "a": p.presence.a, "b": p.presence.b},
                "presence_dense": {
                    "intercept": p.presence_dense.intercept,
                    "a": p.presence_dense.a,
                    "b": p.presence_dense.b,
                },
                "conflict_threshold": round(p.conflict_threshold, 4),
            }
            if p.against is not None and p.against_dense is not None:
                arrays[f"{p.principle}.against"] = p.against.coef.astype(np.float32)
                arrays[f"{p.principle}.against_dense"] = p.against_dense.coef.astype(np.float32)
                entry["against"] = {
                    "threshold": round(p.against_threshold, 4),
                    "lexical": {"intercept": p.against.intercept, "a": p.against.a, "b": p.against.b},
                    "dense": {
                        "intercept": p.against_dense.intercept,
                        "a": p.against_dense.a,
                        "b": p.against_dense.b,
                    },
                }
            meta_principles.append(entry)
        for pid, stances in self.examples.items():
            for stance, emb in stances.items():
                arrays[f"examples.{pid}.{stance}"] = emb.astype(np.float32)
        stance_meta: dict[str, Any] | None = None
        if self.stance is not None:
            arrays["stance"] = self.stance.coef.astype(np.float32)
            stance_meta = {
                "intercept": self.stance.intercept,
                "a": self.stance.a,
                "b": self.stance.b,
                "lexical_weight": self.stance_lexical_weight,
                "shared_weight": self.stance_shared_weight,
            }
            if self.stance_dense is not None:
                arrays["stance_dense"] = self.stance_dense.coef.astype(np.float32)
                d = self.stance_dense
                stance_meta["dense"] = {"intercept": d.intercept, "a": d.a, "b": d.b}
        meta = {
            "scorer": SCORER_ID,
            "stance": stance_meta,
            "name": self.name,
            "framework": {"id": self.framework_id, "version": self.framework_version},
            "encoder": self.encoder,
            "principles": meta_principles,
            "cues": {
                "names": list(self.cues.names),
                "phrases": [[list(p) for p in plist] for plist in self.cues.phrases],
            },
            "examples_order": list(self.examples),
            "card": self.card,
        }
        np.savez_compressed(folder / "weights.npz", **arrays)  # type: ignore[arg-type]  # numpy's stub reads ** as allow_pickle
        (folder / "model.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", "utf-8")

    @staticmethod
    def load(folder: Path) -> ScorerModel:
        """Read a model folder, checking that the files agree with each other."""
        try:
            meta = json.loads((folder / "model.json").read_text("utf-8"))
            npz = np.load(folder / "weights.npz", allow_pickle=False)
            arrays = {k: npz[k] for k in npz.files}
        except FileNotFoundError as exc:
            raise ModelError(
                str(folder), f"not a scorer model folder (missing {Path(exc.filename).name})"
            ) from None
        except (ValueError, OSError, json.JSONDecodeError) as exc:
            raise ModelError(
                str(folder), f"model files are damaged ({exc})", "run `aligncheck train` to rebuild"
            ) from None
        if meta.get("scorer") != SCORER_ID:
            raise ModelError(
                str(folder),
                f"model made for scorer {meta.get('scorer')!r}, this version needs {SCORER_ID!r}",
                "run `aligncheck train` to rebuild it",
            )
        idf = arrays["idf"]
        principles = []
        for entry in meta["principles"]:
            pid = entry["id"]
            coef = arrays[f"{pid}.presence"]
            dense_coef = arrays[f"{pid}.presence_dense"]
            if coef.shape[0] != idf.shape[0] or dense_coef.shape[0] != _dense_width(meta):
                raise ModelError(
                    str(folder), f"weights for {pid} have the wrong size", "run `aligncheck train` to rebuild"
                )
            pres = Calibrated(
                coef, entry["presence"]["intercept"], entry["presence"]["a"], entry["presence"]["b"]
            )
            d = entry["presence_dense"]
            pres_dense = Calibrated(dense_coef, d["intercept"], d["a"], d["b"])
            against = against_dense = None
            against_threshold = AGAINST_OFF
            if "against" in entry:  # models trained before the against models have none
                lex, den = arrays[f"{pid}.against"], arrays[f"{pid}.against_dense"]
                if lex.shape[0] != idf.shape[0] or den.shape[0] != _dense_width(meta):
                    raise ModelError(
                        str(folder),
                        f"against weights for {pid} have the wrong size",
                        "run `aligncheck train` to rebuild",
                    )
                e = entry["against"]
                against = Calibrated(lex, e["lexical"]["intercept"], e["lexical"]["a"], e["lexical"]["b"])
                against_dense = Calibrated(den, e["dense"]["intercept"], e["dense"]["a"], e["dense"]["b"])
                against_threshold = float(e["threshold"])
            principles.append(
                PrincipleModel(
                    pid,
                    pres,
                    pres_dense,
                    entry["lexical_weight"],
                    entry["threshold"],
                    entry["review_low"],
                    entry["conflict_threshold"],
                    against,
                    against_dense,
                    against_threshold,
                )
            )
        cues = CueLists(
            tuple(meta["cues"]["names"]),
            tuple(tuple(tuple(p) for p in plist) for plist in meta["cues"]["phrases"]),
        )
        examples: dict[str, dict[str, np.ndarray]] = {}
        for pid in meta["examples_order"]:
            examples[pid] = {
                stance: arrays[f"examples.{pid}.{stance}"]
                for stance in ("supports", "conflicts")
                if f"examples.{pid}.{stance}" in arrays
            }
        stance = stance_dense = None
        stance_weight = shared_weight = 1.0
        if meta.get("stance"):
            st = meta["stance"]
            stance = Calibrated(arrays["stance"], st["intercept"], st["a"], st["b"])
            stance_weight = float(st.get("lexical_weight", 1.0))
            shared_weight = float(st.get("shared_weight", 1.0))
            if st.get("dense") and "stance_dense" in arrays:
                d = st["dense"]
                if arrays["stance_dense"].shape[0] != _dense_width(meta):
                    raise ModelError(
                        str(folder), "stance weights have the wrong size", "run `aligncheck train` to rebuild"
                    )
                stance_dense = Calibrated(arrays["stance_dense"], d["intercept"], d["a"], d["b"])
        return ScorerModel(
            name=meta["name"],
            framework_id=meta["framework"]["id"],
            framework_version=meta["framework"]["version"],
            encoder=meta["encoder"],
            principles=principles,
            idf=idf,
            cues=cues,
            examples=examples,
            card=meta.get("card", {}),
            stance=stance,
            stance_dense=stance_dense,
            stance_lexical_weight=stance_weight,
            stance_shared_weight=shared_weight,
            training_hashes=arrays.get("training_hashes", np.zeros(0, dtype=np.uint64)),
            real_text=_real_text(folder),
        )


def _text_key(text: str) -> int:
    return int.from_bytes(hashlib.sha256(" ".join(text.split()).encode("utf-8")).digest()[:8], "little")


def _dense_width(meta: dict[str, Any]) -> int:
    """Width of the dense block: embedding + two similarities per principle + cues + negation scope."""
    dim = int(meta["card"].get("embedding_dim", 0))
    return dim + 2 * len(meta["examples_order"]) + len(meta["cues"]["names"]) + len(SCOPE_NAMES)
