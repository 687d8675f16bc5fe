"""The scorer: training, calibration and the review band, saving and loading, classify and
evaluate I/O. Fast: the fake embedder and a slice of the labelled corpus."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from aligncheck.cli import cli
from aligncheck.embed.fake import FakeEmbedder
from aligncheck.errors import ModelError, UsageError
from aligncheck.frameworks import load_framework
from aligncheck.score import load_scorer
from aligncheck.score.evaluate import measure
from aligncheck.score.gold import GoldPassage, load_gold
from aligncheck.score.model import ScorerModel
from aligncheck.score.train import choose_threshold

REPO = Path(__file__).resolve().parent.parent
PIDS = load_framework("koers-2026-2029").principle_ids


@pytest.fixture(scope="module")
def model_dir(fake_model) -> Path:
    return fake_model


def write_gold(path: Path, items: list[GoldPassage]) -> Path:
    """Gold passages as a gold file (id, text, agency, labels)."""
    lines = (
        {
            "id": g.id,
            "text": g.text,
            "agency": g.agency,
            "labels": [{"principle": p, "stance": s} for p, s in g.labels],
        }
        for g in items
    )
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_model_roundtrip_and_safe_files(model_dir, gold):
    model = ScorerModel.load(model_dir)
    assert model.principle_ids == list(PIDS)
    assert model.encoder == "fake-hash-v1:256"
    assert model.overlap([gold[0].text, "een tekst die nergens in staat"]) == 1
    with np.load(model_dir / "weights.npz", allow_pickle=False) as npz:  # no object arrays
        assert all(npz[k].dtype != object for k in npz.files)


def test_thresholds_and_review_band_are_ordered(model_dir):
    model = ScorerModel.load(model_dir)
    for p in model.principles:
        assert 0.02 <= p.review_low < p.threshold <= 0.95


def test_scores_are_probabilities_and_labels_follow_thresholds(model_dir):
    model = ScorerModel.load(model_dir)
    from aligncheck.embed import load_embedder

    texts = ["Wij gaan uit van vertrouwen in de burger.", "De boete wordt opgelegd bij beschikking."]
    scored = model.score(texts, load_embedder("fake").embed(texts))
    thresholds = {p.principle: (p.review_low, p.threshold) for p in model.principles}
    for s in scored:
        assert set(s.scores) == set(PIDS)
        assert all(0.0 <= v <= 1.0 for v in s.scores.values())
        labelled = {p for p, _, _ in s.labels}
        by_against = {p for p, stance, v in s.labels if v < thresholds[p][1]}
        for pid, value in s.scores.items():
            low, high = thresholds[pid]
            assert (pid in labelled) == (value >= high or pid in by_against)
            assert (pid in s.review) == (low <= value < high and pid not in by_against)


def test_calibration_on_held_out_is_reasonable(model_dir):
    """Calibrated probabilities: passages scored around 0.8 should carry the principle far more
    often than those scored around 0.2 (held-out slice of the corpus)."""
    model = ScorerModel.load(model_dir)
    held = load_gold([REPO / "corpora" / "labelled"], PIDS)[1::3][:400]
    from aligncheck.embed import load_embedder

    scored = model.score([g.text for g in held], load_embedder("fake").embed([g.text for g in held]))
    high = [
        g.stance_for(p) is not None
        for g, s in zip(held, scored, strict=False)
        for p, v in s.scores.items()
        if v >= 0.7
    ]
    low = [
        g.stance_for(p) is not None
        for g, s in zip(held, scored, strict=False)
        for p, v in s.scores.items()
        if v <= 0.3
    ]
    assert np.mean(high) > 0.5 > 0.1 > np.mean(low)


def test_choose_threshold_prefers_precision():
    y = np.array([1, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    p = np.array([0.9, 0.85, 0.8, 0.4, 0.45, 0.3, 0.2, 0.1, 0.1, 0.05])
    t = choose_threshold(y, p, min_precision=0.85)
    assert 0.45 < t <= 0.8  # all three confident positives, none of the negatives


def test_measure_counts_presence_stance_neutral_and_conflicts():
    gold = [
        GoldPassage("1", "a", "SVB", (("vertrouwen", "supports"),)),
        GoldPassage("2", "b", "SVB", (("vertrouwen", "conflicts"),)),
        GoldPassage("3", "c", "UWV", ()),
    ]
    preds = [{("vertrouwen", "supports")}, {("vertrouwen", "supports")}, {("preventie", "supports")}]
    f = measure("t", gold, preds, ["vertrouwen", "preventie"])
    v = f.principles[0]
    assert (v.tp, v.fp, v.fn, v.stance_right) == (2, 0, 0, 1)
    assert f.neutral_error_rate == 1.0
    assert (f.conflict_tp, f.conflict_fn) == (0, 1)


def test_classify_cli_output_contract(model_dir):
    lines = '{"id": "p1", "text": "Wij gaan uit van vertrouwen in de burger.", "other": 1}\n{"id": 7, "text": "De begroting."}\n'
    result = CliRunner().invoke(cli, ["classify", "--model", str(model_dir)], input=lines)
    assert result.exit_code == 0, result.output
    rows = [json.loads(x) for x in result.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["p1", 7]
    for r in rows:
        assert set(r) >= {"id", "labels", "scores", "review", "conflict_scores", "against_scores"}
        assert set(r["scores"]) == set(PIDS) == set(r["against_scores"])
        assert all(0 <= v <= 1 for v in r["against_scores"].values())
        for label in r["labels"]:
            assert set(label) == {"principle", "stance", "score"} and label["stance"] in (
                "supports",
                "conflicts",
            )


def test_classify_rejects_bad_jsonl(model_dir):
    result = CliRunner().invoke(cli, ["classify", "--model", str(model_dir)], input='{"id": 1}\n')
    assert result.exit_code == 2
    assert result.stderr == 'error: stdin:1: each line needs an object with a "text" string (and an "id")\n'


def test_evaluate_cli_reports_model_and_baselines(model_dir, tmp_path, gold):
    gold_file = write_gold(tmp_path / "gold.jsonl", gold[:120])
    result = CliRunner().invoke(
        cli, ["evaluate", str(gold_file), "--model", str(model_dir), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert set(report["model"]["principles"]) == set(PIDS)
    assert [b["name"] for b in report["baselines"]] == ["cosine", "keywords"]
    assert any("used to train this model" in n for n in report["model"]["notes"])
    text = CliRunner().invoke(cli, ["evaluate", str(gold_file), "--model", str(model_dir)]).stdout
    assert "aligncheck: macro-F1" in text and "keywords: macro-F1" in text and "cosine: macro-F1" in text


def test_gold_errors_are_gathered(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "x", "text": "t", "labels": [{"principle": "geluk"}]}\nnot json\n'
        '{"id": "y", "text": "t", "labels": [{"stance": "supports"}]}\n'
        '{"id": "z", "text": "een passage uit ingest, nog zonder labels"}\n'
        '{"id": "w", "text": "t", "label": [{"principle": "vertrouwen"}]}\n'
    )
    with pytest.raises(UsageError) as err:
        load_gold([bad], PIDS)
    assert f"{bad}:1: unknown principle 'geluk'" in str(err.value)
    assert f"{bad}:2: not valid JSON" in str(err.value)
    assert f"{bad}:3: a label needs a principle id" in str(err.value)
    assert f'{bad}:4: needs a "labels" list ([] for a neutral passage)' in str(err.value)
    assert f'{bad}:5: needs a "labels" list ([] for a neutral passage)' in str(err.value)


def test_gold_from_ingest_output_keeps_the_passage_ids(tmp_path):
    """`ingest --format jsonl` lines with labels added are gold lines: their passage_id is the id, as
    classify reads it, so `evaluate --predictions` can match a classify run of the same file."""
    labelled = tmp_path / "eigen.jsonl"
    labelled.write_text(
        '{"passage_id": "0a1b2c3d4e5f:7", "text": "Wij gaan uit van vertrouwen.", "agency": "SVB", '
        '"labels": [{"principle": "vertrouwen", "stance": "supports"}]}\n'
        '{"text": "Het college vergadert op dinsdag.", "labels": []}\n'
    )
    items = load_gold([labelled], PIDS)
    assert [g.id for g in items] == ["0a1b2c3d4e5f:7", "eigen:2"]
    assert items[0].agency == "SVB" and items[1].labels == ()


def test_missing_model_names_the_fix(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIGNCHECK_MODELS", str(tmp_path))
    monkeypatch.setattr("aligncheck.score.REPO_MODELS", tmp_path)
    monkeypatch.setattr("aligncheck.score.user_models", lambda: tmp_path)
    with pytest.raises(ModelError, match="aligncheck train --framework koers-2026-2029 --model st:/x"):
        load_scorer(load_framework("koers-2026-2029"), "st:/x")


def test_model_for_other_framework_version_is_refused(model_dir, tmp_path):
    meta = json.loads((model_dir / "model.json").read_text())
    meta["framework"]["version"] = "0.9.0"
    other = tmp_path / "old"
    other.mkdir()
    (other / "model.json").write_text(json.dumps(meta))
    (other / "weights.npz").write_bytes((model_dir / "weights.npz").read_bytes())
    with pytest.raises(ModelError, match="was trained on version 0.9.0"):
        load_scorer(load_framework("koers-2026-2029"), str(other))


def test_cue_counts_are_those_of_every_phrase_counted(gold):
    """CueLists.counts skips phrases whose words a text cannot match: the counts stay those of
    counting every phrase in every text."""
    from aligncheck.score import framework_data
    from aligncheck.score.features import CueLists, count_phrase, tokens_of

    cues = CueLists.build(framework_data(load_framework("koers-2026-2029"), FakeEmbedder(8), None).cue_lists)
    texts = [g.text for g in gold]
    expected = np.zeros((len(texts), len(cues.names)), dtype=np.float32)
    for i, text in enumerate(texts):
        tokens = tokens_of(text)
        for j, plist in enumerate(cues.phrases):
            hits = sum(count_phrase(tokens, phrase) for phrase in plist)
            if hits:
                expected[i, j] = np.log1p(hits)
    got = cues.counts(texts)
    assert (got > 0).sum() > len(texts)  # many lists match: the comparison means something
    np.testing.assert_array_equal(got, expected)


def test_training_on_too_few_labels_names_each_short_principle(gold):
    """A principle with one labelled passage cannot be trained: the error names it and the others
    short of data instead of failing inside scikit-learn."""
    from aligncheck.score import train_scorer

    framework = load_framework("koers-2026-2029")
    one_ai = [g for g in gold if g.stance_for("ai_data")][:1]
    tiny = [g for g in gold if g.stance_for("ai_data") is None][:300] + one_ai
    with pytest.raises(UsageError) as caught:
        train_scorer(tiny, framework, "fake", None)
    message = str(caught.value)
    assert "ai_data (1 passage addresses it)" in message
    assert "add labelled passages" in message
    counts = {pid: sum(g.stance_for(pid) is not None for g in tiny) for pid in framework.principle_ids}
    for pid, n in counts.items():
        assert (f"{pid} (" in message) == (n < 2)


def test_evaluate_cross_validates_by_source_file(model_dir, tmp_path, gold, monkeypatch):
    """`--group-by source` leaves out one gold file (one writer's batch) at a time."""
    import aligncheck.commands.score as score_command
    from aligncheck.score import cross_validate
    from aligncheck.score import train as train_module
    from aligncheck.score.train import TrainSettings

    files = {name: tmp_path / name for name in ("writer-a.jsonl", "writer-b.jsonl")}
    sample = gold[::3]
    for k, path in enumerate(files.values()):
        write_gold(path, sample[k::2])
    trained: list[set[str]] = []
    real_train = train_module.train_model

    def spy_train(training, *args, **kwargs):
        trained.append({g.text for g in training})
        return real_train(training, *args, **kwargs)

    def quick(items, fw, encoder, store, group_of, settings=None, progress=None):
        return cross_validate(items, fw, encoder, store, group_of, TrainSettings(folds=3), progress)

    monkeypatch.setattr(train_module, "train_model", spy_train)
    monkeypatch.setattr(score_command, "cross_validate", quick)
    args = ["evaluate", *map(str, files.values()), "--model", str(model_dir), "--cross-validate"]
    result = CliRunner().invoke(cli, [*args, "--group-by", "source"])
    assert result.exit_code == 0, result.output
    assert f"leave-one-source-out cross-validation on {len(sample)} passages" in result.stdout
    held_out = [{g.text for g in sample[1::2]}, {g.text for g in sample[0::2]}]  # writer-a, then writer-b
    assert trained == held_out


def test_the_against_model_finds_a_conflict_below_the_presence_threshold(model_dir):
    """A passage that goes against a principle in words the presence model does not know: below the
    presence threshold, the against model and the shared stance model together label it `conflicts`,
    and the principle's score becomes the against probability."""
    from dataclasses import replace

    model = ScorerModel.load(model_dir)
    pid = model.principle_ids[0]
    model.principles = [
        replace(p, threshold=0.6, review_low=0.45, against_threshold=0.7, conflict_threshold=0.5)
        for p in model.principles
    ]
    zero = {p: 0.0 for p in model.principle_ids}

    def answer(presence: float, stance: float, against: float):
        return model._answer({**zero, pid: presence}, {**zero, pid: stance}, {**zero, pid: against})

    found = answer(0.5, 0.9, 0.8)
    assert found.labels == [(pid, "conflicts", 0.8)] and found.scores[pid] == 0.8
    assert found.against_only == [pid] and answer(0.65, 0.9, 0.8).against_only == []
    assert found.review == [] and found.against_scores[pid] == 0.8
    assert answer(0.5, 0.4, 0.8).labels == []  # the stance model does not agree: in review
    assert answer(0.5, 0.4, 0.8).review == [pid]
    assert answer(0.5, 0.9, 0.69).labels == []  # below the against threshold
    assert answer(0.65, 0.2, 0.9).labels == [(pid, "supports", 0.65)]  # presence decides first
    # a list item that only the against model finds brings its own stance into the whole
    whole = answer(0.5, 0.1, 0.1)
    item = answer(0.3, 0.95, 0.85)
    combined = model.combine(whole, [item])
    assert combined.labels == [(pid, "conflicts", 0.85)]
    assert combined.conflict_scores[pid] == 0.95


def test_against_models_are_trained_saved_and_optional(model_dir, tmp_path):
    from aligncheck.score.model import AGAINST_OFF

    model = ScorerModel.load(model_dir)
    meta = json.loads((model_dir / "model.json").read_text("utf-8"))
    assert all("against" in entry for entry in meta["principles"])
    for p in model.principles:
        assert p.against is not None and p.against_dense is not None
        assert 0.05 <= p.against_threshold <= 0.95 or p.against_threshold == AGAINST_OFF
    # a model from before the against models loads without them and never uses that path
    for entry in meta["principles"]:
        del entry["against"]
    old = tmp_path / "old"
    old.mkdir()
    (old / "model.json").write_text(json.dumps(meta), "utf-8")
    (old / "weights.npz").write_bytes((model_dir / "weights.npz").read_bytes())
    loaded = ScorerModel.load(old)
    assert all(p.against is None and p.against_threshold == AGAINST_OFF for p in loaded.principles)
    texts = ["Iedere afwijking wordt als fraude behandeld en direct beboet."]
    from aligncheck.embed import load_embedder

    (scored,) = loaded.score(texts, load_embedder("fake").embed(texts))
    assert set(scored.against_scores.values()) == {0.0}


def test_lowest_threshold_reaching_a_precision():
    from aligncheck.score.model import AGAINST_OFF
    from aligncheck.score.train import lowest_threshold

    y = np.array([0] * 10 + [1] * 10)
    proba = np.array([0.1] * 10 + [0.3] * 5 + [0.6] * 5)
    assert lowest_threshold(y, proba, 0.5) == 0.05  # half the passages are right from the start
    assert lowest_threshold(y, proba, 0.6) == 0.11  # the first threshold past the negatives
    y_mixed = np.array([0, 1] * 10)
    assert lowest_threshold(y_mixed, np.linspace(0.06, 0.9, 20), 0.9) == AGAINST_OFF


def test_a_bare_phrase_cannot_go_against_a_principle(model_dir):
    """A few words with no figure and no word that can carry a stance (a heading, a named practice)
    get P(conflicts) 0 for every principle; a negation, a conflict cue or a figure keeps the stance
    model's answer, and so does a fourth word."""
    model = ScorerModel.load(model_dir)
    texts = [
        "Voorlichting",
        "Persoonlijke omstandigheden",
        "Telefonisch contact vooraf",
        "Voorlichting: geen",
        "Selectie zonder menselijke toets",
        "Budget voorlichting: € 0",
        "Uitleg van het besluit",
    ]
    assert model.bare(texts).tolist() == [True, True, True, False, False, False, False]
    embeddings = FakeEmbedder().embed(texts)
    answers = model.score(texts, embeddings)
    for answer in answers[:3]:
        assert set(answer.conflict_scores.values()) == {0.0}
        assert all(stance == "supports" for _, stance, _ in answer.labels)
    assert any(v > 0 for v in answers[3].conflict_scores.values())


def test_evaluate_measures_given_predictions_on_the_passages_they_label(model_dir, tmp_path, gold):
    """`--predictions` measures stored labels (here classify's own output for 30 of 40 passages): the
    figures are those of the model on those 30, and the notes say what was left out."""
    gold_file = write_gold(tmp_path / "gold.jsonl", gold[:40])
    part = write_gold(tmp_path / "part.jsonl", gold[:30])
    classified = CliRunner().invoke(cli, ["classify", str(part), "--model", str(model_dir)])
    assert classified.exit_code == 0, classified.output
    stray = json.dumps({"id": "not-in-gold", "labels": [{"principle": "preventie", "stance": "supports"}]})
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(classified.stdout + stray + "\n")

    def run(*args: str) -> dict:
        result = CliRunner().invoke(cli, ["evaluate", *args, "--model", str(model_dir), "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    given = run(str(gold_file), "--predictions", str(predictions))
    direct = run(str(part))
    assert given["setup"] == f"labels in {predictions} on 30 passages"
    assert given["model"]["name"] == "predictions.jsonl"
    for key in ("principles", "macro_f1", "micro_f1", "neutral_wrongly_labelled", "conflicts"):
        assert given["model"][key] == direct["model"][key]
    assert given["model"]["notes"] == [
        f"measured on the 30 of 40 gold passages that {predictions} labels",
        f"1 ids in {predictions} are not in the gold data and were left out",
    ]
    assert [b["macro_f1"] for b in given["baselines"]] == [b["macro_f1"] for b in direct["baselines"]]


def test_evaluate_predictions_counts_each_label(model_dir, tmp_path):
    """A hand-made case: one label right, one with the wrong stance, one missed, one too many."""
    gold_file = tmp_path / "gold.jsonl"
    lines = [
        ("a", [("vertrouwen", "supports")]),
        ("b", [("preventie", "conflicts")]),
        ("c", [("maatwerk", "supports")]),
        ("d", []),
    ]
    gold_file.write_text(
        "".join(
            json.dumps(
                {
                    "id": pid,
                    "text": f"passage {pid}",
                    "agency": "SVB",
                    "labels": [{"principle": p, "stance": s} for p, s in labels],
                }
            )
            + "\n"
            for pid, labels in lines
        )
    )
    predictions = tmp_path / "reader.jsonl"
    given = {
        "a": [("vertrouwen", "supports")],
        "b": [("preventie", "supports")],
        "c": [],
        "d": [("ai_data", "conflicts")],
    }
    predictions.write_text(
        "".join(
            json.dumps(
                {"id": pid, "labels": [{"principle": p, "stance": s, "score": 0.9} for p, s in labels]}
            )
            + "\n"
            for pid, labels in given.items()
        )
    )
    result = CliRunner().invoke(
        cli,
        [
            "evaluate",
            str(gold_file),
            "--predictions",
            str(predictions),
            "--model",
            str(model_dir),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    model = json.loads(result.stdout)["model"]
    assert model["principles"]["vertrouwen"] == {
        "support": 1,
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "stance_accuracy": 1.0,
    }
    assert model["principles"]["preventie"]["stance_accuracy"] == 0.0
    assert model["principles"]["maatwerk"]["recall"] == 0.0
    assert model["neutral_passages"] == 1 and model["neutral_wrongly_labelled"] == 1.0
    assert model["conflicts"] == {"gold": 1, "precision": 0.0, "recall": 0.0}
    assert model["notes"] == []


def test_evaluate_predictions_errors(model_dir, tmp_path, gold):
    gold_file = write_gold(tmp_path / "gold.jsonl", gold[:5])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "labels": [{"principle": "geluk"}]}\nnot json\n{"id": "y"}\n')
    none = tmp_path / "none.jsonl"
    none.write_text('{"id": "elsewhere", "labels": []}\n')

    def run(*args: str):
        return CliRunner().invoke(cli, ["evaluate", str(gold_file), "--model", str(model_dir), *args])

    result = run("--predictions", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:1: unknown principle 'geluk'" in result.stderr
    assert f"{bad}:2: not valid JSON" in result.stderr
    assert f'{bad}:3: needs an "id" and a "labels" list' in result.stderr
    result = run("--predictions", str(none))
    assert result.exit_code == 2 and f"{none}: none of its ids is in the gold data" in result.stderr
    result = run("--predictions", str(none), "--cross-validate")
    assert result.exit_code == 2 and "cannot be combined with --cross-validate" in result.stderr


OWN = [
    (
        "eigen-1",
        "Wij gaan ervan uit dat inwoners de regels willen naleven en zien hen niet als fraudeur.",
        "vertrouwen",
        "supports",
    ),
    (
        "eigen-2",
        "Iedere te late melding behandelen wij als fraude, ook als de inwoner het gewoon vergat.",
        "passend_handhaven",
        "conflicts",
    ),
    (
        "eigen-3",
        "De consulent bespreekt bij de intake de plichten en helpt bij het eerste wijzigingsformulier.",
        "preventie",
        "supports",
    ),
    (
        "eigen-4",
        "Het college vergadert op dinsdag; de agenda staat een week vooraf op de website.",
        None,
        None,
    ),
]


def test_train_cli_on_own_labels_beside_the_corpus(gold, tmp_path):
    """An agency trains a model on the team's corpus and its own labelled passages, outside the source
    tree, and uses it with --model: the route to published text the team may not copy (README)."""
    corpus = write_gold(tmp_path / "corpus.jsonl", gold[::2])
    own = tmp_path / "eigen.jsonl"
    own.write_text(
        "".join(
            json.dumps(
                {
                    "id": i,
                    "text": t,
                    "agency": "gemeente",
                    "labels": [{"principle": p, "stance": s}] if p else [],
                }
            )
            + "\n"
            for i, t, p, s in OWN
        )
    )
    out, cache = tmp_path / "models" / "eigen", ("--cache", str(tmp_path / "c"))
    args = [
        "-q",
        "train",
        "--gold",
        str(corpus),
        "--gold",
        str(own),
        "--model",
        "fake",
        "--out",
        str(out),
        "--no-cv",
    ]
    result = CliRunner().invoke(cli, [*args, *cache], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["MODEL_CARD.md", "model.json", "weights.npz"]
    model = ScorerModel.load(out)
    assert model.card["passages"] == len(gold[::2]) + len(OWN)
    assert model.overlap([t for _, t, _, _ in OWN]) == len(OWN) and model.real_text is None
    texts = "".join(json.dumps({"id": i, "text": t}) + "\n" for i, t, _, _ in OWN)
    classified = CliRunner().invoke(cli, ["classify", "--model", str(out), *cache], input=texts)
    assert classified.exit_code == 0, classified.output
    assert [json.loads(line)["id"] for line in classified.stdout.splitlines()] == [i for i, _, _, _ in OWN]
    measured = CliRunner().invoke(
        cli, ["evaluate", str(own), "--model", str(out), "--format", "json", *cache]
    )
    assert any("used to train this model" in n for n in json.loads(measured.stdout)["model"]["notes"])
