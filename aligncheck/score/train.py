"""Training the scorer: logistic regression per principle (presence) and for stance, calibrated
with Platt scaling on out-of-fold decision values; thresholds chosen on those out-of-fold
probabilities. Deterministic for a given seed."""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from aligncheck.errors import UsageError
from aligncheck.score.features import (
    CueLists,
    Features,
    apply_idf,
    assemble,
    example_similarities,
    fit_idf,
    lexical_counts,
    scope_counts,
)
from aligncheck.score.gold import GoldPassage
from aligncheck.score.model import (
    AGAINST_OFF,
    SCORER_ID,
    Calibrated,
    PrincipleModel,
    ScorerModel,
    sigmoid,
)


@dataclass(frozen=True)
class TrainSettings:
    c_presence: float = 8.0
    """Regularisation of the lexical presence model (larger: weaker)."""
    c_dense: float = 1.0
    """Regularisation of the dense presence model."""
    lexical_weight: float = 0.7
    """Weight of the lexical model in the presence probability (the dense model has the rest)."""
    c_stance: float = 8.0
    """Regularisation of the shared stance model (lexical features, all principles' labels)."""
    c_stance_dense: float = 1.0
    """Regularisation of the dense stance model (embedding, similarities, cue and negation-scope counts)."""
    stance_lexical_weight: float = 0.8
    """Weight of the lexical stance model in P(conflicts); the dense one has the rest (1.0: lexical only)."""
    stance_dense_embedding: bool = True
    """Whether the dense stance model sees the sentence embedding too (besides the example
    similarities, cue and negation-scope counts). On 5,952 passages, leaving out one agency or one
    batch of writers, with c_stance 8 and lexical weight 0.8 it ranked stances best (average precision
    0.882 and 0.844, against 0.871 and 0.821 with c_stance 2, weight 0.6, no embedding); off, it kept
    a fine-first rule worded around "waarschuwing" from reading as support on the smaller corpus."""
    conflict_precision: float = 0.8
    """The stance threshold is chosen for this out-of-fold precision of `conflicts`."""
    stance_shared_weight: float = 0.5
    """Weight of the shared stance model in each principle's P(conflicts | addressed); the principle's
    against probability over its presence probability has the rest (ScorerModel.stance_of). Out of fold
    on 7,025 passages, leaving out one agency: 0.5 gave conflicts 0.82/0.49 (precision/recall), 1.0
    (the shared model alone) 0.73/0.50, 0.3 0.82/0.46, 0.7 0.78/0.49."""
    against_precision: float = 0.75
    """The threshold of each principle's against model (a conflict below the presence threshold) is
    the lowest whose out-of-fold precision reaches this; a principle whose model never does gets none.
    On 5,952 passages, leaving out one agency, against models raised conflict recall from 0.46 to
    about 0.52 at the same precision (0.74)."""
    folds: int = 5
    seed: int = 0
    review_width: float = 0.15
    """Width of the review band below each threshold, in probability."""
    min_precision: float = 0.85
    """Thresholds are chosen for the best F1 among those reaching this out-of-fold precision."""


@dataclass(frozen=True)
class FrameworkData:
    """What training needs from a framework: ids, version, cue phrase lists, example embeddings."""

    framework_id: str
    framework_version: str
    principle_ids: list[str]
    cue_lists: dict[str, dict[str, list[str]]]
    example_embeddings: dict[str, dict[str, np.ndarray]]


def train_model(
    gold: Sequence[GoldPassage],
    embeddings: np.ndarray,
    framework: FrameworkData,
    encoder: str,
    name: str,
    settings: TrainSettings | None = None,
    card_extra: dict[str, Any] | None = None,
) -> ScorerModel:
    """Fit a scorer on labelled passages whose embeddings are given in the same order."""
    settings = settings or TrainSettings()
    check_trainable(gold, framework.principle_ids)
    texts = [g.text for g in gold]
    counts = lexical_counts(texts)
    idf = fit_idf(counts)
    cues = CueLists.build(framework.cue_lists)
    x = assemble(
        apply_idf(counts, idf),
        embeddings,
        example_similarities(embeddings, framework.example_embeddings),
        np.hstack([cues.counts(texts), scope_counts(texts)]),
    )
    stance, stance_dense, conflict_threshold = _fit_stance(
        x,
        gold,
        framework.principle_ids,
        settings,
        skip=0 if settings.stance_dense_embedding else embeddings.shape[1],
    )
    principles = []
    for pid in framework.principle_ids:
        # reviewer feedback settles only some principles of a passage: the others sit out
        rows = [i for i, g in enumerate(gold) if g.knows(pid)]
        y = np.array([gold[i].stance_for(pid) is not None for i in rows], dtype=int)
        xp = x if len(rows) == len(gold) else x.rows(np.array(rows, dtype=int))
        against_y = np.array([gold[i].stance_for(pid) == "conflicts" for i in rows], dtype=int)
        principles.append(_fit_principle(pid, xp, y, against_y, settings, conflict_threshold))
    card = {
        "scorer_id": SCORER_ID,
        "trained": dt.date.today().isoformat(),
        "passages": len(gold),
        "embedding_dim": int(embeddings.shape[1]),
        "settings": asdict(settings),
        **(card_extra or {}),
    }
    return ScorerModel(
        name=name,
        framework_id=framework.framework_id,
        framework_version=framework.framework_version,
        encoder=encoder,
        principles=principles,
        idf=idf,
        cues=cues,
        examples=framework.example_embeddings,
        card=card,
        stance=stance,
        stance_dense=stance_dense,
        stance_lexical_weight=settings.stance_lexical_weight if stance_dense is not None else 1.0,
        stance_shared_weight=settings.stance_shared_weight,
    )


MIN_EXAMPLES = 2
"""Fewest passages per class (addressing a principle, and not) that training accepts: the
out-of-fold calibration needs two folds with both classes. Far more are needed for a useful model."""


def check_trainable(gold: Sequence[GoldPassage], principle_ids: Sequence[str]) -> None:
    """Raise a UsageError naming every principle whose labelled passages are too few to train on."""
    short = []
    for pid in principle_ids:
        known = [g for g in gold if g.knows(pid)]
        positives = sum(g.stance_for(pid) is not None for g in known)
        negatives = len(known) - positives
        if positives < MIN_EXAMPLES:
            short.append(f"{pid} ({_passages(positives)} {'addresses' if positives == 1 else 'address'} it)")
        elif negatives < MIN_EXAMPLES:
            short.append(
                f"{pid} ({_passages(negatives)} {'does' if negatives == 1 else 'do'} not address it)"
            )
    if short:
        raise UsageError(
            f"too few labelled passages to train on for {', '.join(short)}: every principle needs at "
            f"least {MIN_EXAMPLES} passages that address it and {MIN_EXAMPLES} that do not (a useful "
            "model needs dozens of each); add labelled passages to the gold data"
        )


def _passages(n: int) -> str:
    return f"{n} passage" if n == 1 else f"{n} passages"


def _fit_principle(
    pid: str,
    x: Features,
    y: np.ndarray,
    against_y: np.ndarray,
    settings: TrainSettings,
    conflict_threshold: float,
) -> PrincipleModel:
    """Presence (y: addresses the principle) and the against model (against_y: goes against it)."""
    lexical, lexical_oof = _calibrated_fit(x.lexical, y, settings.c_presence, settings)
    dense, dense_oof = _calibrated_fit(x.dense, y, settings.c_dense, settings)
    w = settings.lexical_weight
    presence_oof = w * lexical_oof + (1 - w) * dense_oof
    threshold = choose_threshold(y, presence_oof, settings.min_precision)
    review_low = max(0.02, threshold - settings.review_width)
    against = against_dense = None
    against_threshold = AGAINST_OFF
    if min(int(against_y.sum()), int(len(against_y) - against_y.sum())) >= MIN_EXAMPLES:
        against, against_oof = _calibrated_fit(x.lexical, against_y, settings.c_presence, settings)
        against_dense, against_dense_oof = _calibrated_fit(x.dense, against_y, settings.c_dense, settings)
        against_threshold = lowest_threshold(
            against_y, w * against_oof + (1 - w) * against_dense_oof, settings.against_precision
        )
    return PrincipleModel(
        pid,
        lexical,
        dense,
        w,
        threshold,
        review_low,
        conflict_threshold,
        against,
        against_dense,
        against_threshold,
    )


def _fit_stance(
    x: Features, gold: Sequence[GoldPassage], pids: list[str], settings: TrainSettings, skip: int = 0
) -> tuple[Calibrated | None, Calibrated | None, float]:
    """One stance model over every (passage, principle) label: conflicts versus supports; and the
    probability from which a stance is called `conflicts`, chosen on out-of-fold predictions for
    a precision of at least `conflict_precision` (a wrongly reported conflict costs a reviewer more
    than a missed one, which the gap and divergence findings often still show)."""
    rows, labels = [], []
    for i, g in enumerate(gold):
        for pid, stance in g.labels:
            if pid in pids:
                rows.append(i)
                labels.append(int(stance == "conflicts"))
    y = np.array(labels, dtype=int)
    if y.sum() < 2 or (len(y) - y.sum()) < 2:
        return None, None, 0.5
    model, oof = _calibrated_fit(x.lexical[rows], y, settings.c_stance, settings)
    dense = None
    w = settings.stance_lexical_weight
    if w < 1.0:
        dense, dense_oof = _calibrated_fit(x.dense[rows][:, skip:], y, settings.c_stance_dense, settings)
        # the first `skip` dense columns (the embedding) are left out: zero weights keep one layout
        dense.coef = np.concatenate([np.zeros(skip, dtype=np.float32), dense.coef])
        oof = w * oof + (1 - w) * dense_oof
    return model, dense, max(0.5, choose_threshold(y, oof, settings.conflict_precision))


def _classifier(c: float, seed: int) -> LogisticRegression:
    return LogisticRegression(
        C=c, class_weight="balanced", solver="liblinear", max_iter=2000, random_state=seed
    )


def _oof_decision(x: Any, y: np.ndarray, c: float, settings: TrainSettings) -> np.ndarray:
    """Out-of-fold decision values (stratified k-fold)."""
    folds = max(2, min(settings.folds, int(y.sum()), int(len(y) - y.sum())))
    out = np.zeros(len(y))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=settings.seed)
    for train, test in splitter.split(np.zeros(len(y)), y):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            model = _classifier(c, settings.seed).fit(x[train], y[train])
        out[test] = model.decision_function(x[test])
    return out


def _platt(decision: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    lr = LogisticRegression(C=1e4, solver="lbfgs").fit(decision.reshape(-1, 1), y)
    return float(lr.coef_[0, 0]), float(lr.intercept_[0])


def _calibrated_fit(
    x: Any, y: np.ndarray, c: float, settings: TrainSettings
) -> tuple[Calibrated, np.ndarray]:
    """Fit on all rows; calibrate on out-of-fold decision values. Returns the model and the
    calibrated out-of-fold probabilities (for choosing thresholds)."""
    decision = _oof_decision(x, y, c, settings)
    a, b = _platt(decision, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        model = _classifier(c, settings.seed).fit(x, y)
    calibrated = Calibrated(model.coef_.ravel().astype(np.float32), float(model.intercept_[0]), a, b)
    return calibrated, sigmoid(a * decision + b)


def choose_threshold(y: np.ndarray, proba: np.ndarray, min_precision: float) -> float:
    """The probability threshold with the best F1, among those whose precision reaches
    `min_precision` while keeping at least half the best recall; else simply the best F1."""
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    stats = []
    positives = max(1, int(y.sum()))
    for t in grid:
        pred = proba >= t
        tp = int((pred & (y == 1)).sum())
        fp = int((pred & (y == 0)).sum())
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / positives
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        stats.append((float(t), precision, recall, f1))
    best_recall = max(s[2] for s in stats)
    eligible = [s for s in stats if s[1] >= min_precision and s[2] >= best_recall * 0.5]
    pool = eligible or stats
    return max(pool, key=lambda s: (round(s[3], 4), s[0]))[0]


MIN_PREDICTED = 5
"""`lowest_threshold` trusts a precision measured on at least this many predicted passages."""


def lowest_threshold(y: np.ndarray, proba: np.ndarray, min_precision: float) -> float:
    """The lowest probability threshold whose precision reaches `min_precision` on at least
    MIN_PREDICTED predicted positives; AGAINST_OFF when none does."""
    for t in np.round(np.arange(0.05, 0.96, 0.01), 2):
        pred = proba >= t
        if pred.sum() >= MIN_PREDICTED and y[pred].mean() >= min_precision:
            return float(t)
    return AGAINST_OFF
