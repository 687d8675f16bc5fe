"""Reviewer feedback: the exported file, what a mark teaches, import into the store, and its use by
evaluate and train (partial labels: a mark settles only the principle it speaks about)."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligncheck.cli import cli
from aligncheck.errors import UsageError
from aligncheck.feedback import label_of, passage_labels, read_feedback


def mark(**kw):
    base = {"key": "k", "target": "evidence", "verdict": "correct", "marked_at": "2026-11-29T10:00:00Z"}
    return {**base, **kw}


def test_what_a_mark_says() -> None:
    t = {"text": "Wij gaan uit van vertrouwen.", "principle": "vertrouwen"}
    cases = [
        (mark(stance="supports", **t), (True, "supports")),
        (mark(stance="supports", verdict="wrong", **t), (False, None)),
        (mark(stance="conflicts", **t), (True, "conflicts")),
        (mark(stance="conflicts", verdict="wrong", **t), (None, "supports")),
        (mark(near_miss=True, **t), (False, None)),
        (mark(near_miss=True, verdict="wrong", **t), (True, "supports")),
    ]
    for m, (presence, stance) in cases:
        label = label_of(m)
        assert label is not None and (label.presence, label.stance) == (presence, stance), m
    assert label_of(mark(target="finding", kind="gap", principle="vertrouwen")) is None
    assert label_of(mark(stance="supports", principle="vertrouwen", text=" ")) is None


def test_latest_mark_on_a_passage_wins() -> None:
    t = {"text": "Wij gaan uit van vertrouwen.", "principle": "vertrouwen", "stance": "supports"}
    labels = passage_labels(
        [mark(key="a", marked_at="2026-11-29T11:00:00Z", verdict="wrong", **t), mark(key="b", **t)]
    )
    assert [(lab.presence, lab.stance) for lab in labels] == [(False, None)]


def test_feedback_file_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        '{"format": "aligncheck-feedback", "version": 1, "report_key": "x", "marks": [{"key": "a"}]}'
    )
    with pytest.raises(UsageError) as err:
        read_feedback(bad)
    assert "marks.0.target: Field required" in str(err.value) and "marks.0.verdict" in str(err.value)
    bad.write_text("{not json")
    with pytest.raises(UsageError, match="not JSON"):
        read_feedback(bad)
    bad.write_text('{"format": "aligncheck-feedback", "version": 9, "report_key": "x", "marks": []}')
    with pytest.raises(UsageError, match="newer than this aligncheck reads"):
        read_feedback(bad)


def test_feedback_import_and_info(tmp_path: Path) -> None:
    data = {
        "format": "aligncheck-feedback",
        "version": 1,
        "report_key": "0123456789abcdef",
        "report": {},
        "marks": [
            mark(
                key="finding|f1",
                target="finding",
                kind="conflict",
                finding="f1",
                principle="passend_handhaven",
            ),
            mark(
                key="finding|f2",
                target="finding",
                kind="gap",
                verdict="wrong",
                finding="f2",
                principle="preventie",
            ),
            mark(
                key="finding|f1|p:3",
                stance="conflicts",
                principle="passend_handhaven",
                text="Altijd een boete.",
            ),
        ],
    }
    file = tmp_path / "marks.json"
    file.write_text(json.dumps(data))
    runner = CliRunner()
    cache = str(tmp_path / "cache")
    first = runner.invoke(cli, ["feedback", "import", str(file), "--cache", cache])
    assert first.exit_code == 0, first.output
    assert first.stdout == f"{file}: 3 new, 0 updated, 0 already stored\n"
    again = runner.invoke(cli, ["feedback", "import", str(file), "--cache", cache])
    assert again.stdout == f"{file}: 0 new, 0 updated, 3 already stored\n"
    data["marks"][2] = {**data["marks"][2], "verdict": "wrong", "marked_at": "2026-11-29T12:00:00Z"}
    file.write_text(json.dumps(data))
    changed = runner.invoke(cli, ["feedback", "import", str(file), "--cache", cache])
    assert changed.stdout == f"{file}: 0 new, 1 updated, 2 already stored\n"
    info = runner.invoke(cli, ["feedback", "info", "--cache", cache])
    assert info.stdout == (
        "3 marks from 1 report(s)\n"
        "  conflict: 1 correct, 0 wrong (100% correct)\n"
        "  evidence: 0 correct, 1 wrong (0% correct)\n"
        "  gap: 0 correct, 1 wrong (0% correct)\n"
        "1 labelled passage-principle pairs for evaluate/train --with-feedback\n"
    )
    broken = runner.invoke(cli, ["feedback", "import", str(tmp_path / "missing.json"), "--cache", cache])
    assert broken.exit_code == 2 and "no such file" in broken.stderr


def test_evaluate_with_feedback_counts_only_what_marks_settle(fake_model: Path, tmp_path: Path) -> None:
    trust = "Wij gaan ervan uit dat klanten de regels willen naleven en behandelen niemand als verdachte."
    fine = "Bij iedere schending van de inlichtingenplicht legt de gemeente direct de hoogste boete op."
    data = {
        "format": "aligncheck-feedback",
        "version": 1,
        "report_key": "0123456789abcdef",
        "marks": [
            mark(key="a", stance="supports", principle="vertrouwen", text=trust, agency="SVB"),
            mark(key="b", stance="conflicts", principle="passend_handhaven", text=fine, agency="Gemeente"),
            mark(
                key="c",
                stance="supports",
                verdict="wrong",
                principle="preventie",
                text=fine,
                agency="Gemeente",
            ),
        ],
    }
    file = tmp_path / "marks.json"
    file.write_text(json.dumps(data))
    runner = CliRunner()
    cache = str(tmp_path / "cache")
    assert runner.invoke(cli, ["feedback", "import", str(file), "--cache", cache]).exit_code == 0
    result = runner.invoke(
        cli, ["evaluate", "--with-feedback", "--model", str(fake_model), "--cache", cache, "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)["model"]
    per = figures["principles"]
    assert per["vertrouwen"]["support"] == 1 and per["passend_handhaven"]["support"] == 1
    assert per["preventie"]["support"] == 0
    assert figures["conflicts"]["gold"] == 1 and figures["neutral_passages"] == 0
    # nothing to evaluate on
    empty = runner.invoke(cli, ["evaluate", "--with-feedback", "--cache", str(tmp_path / "other")])
    assert empty.exit_code == 2 and "no reviewer marks on passages" in empty.stderr
    neither = runner.invoke(cli, ["evaluate"])
    assert neither.exit_code == 2 and "--with-feedback" in neither.stderr


def test_measure_ignores_principles_feedback_does_not_settle() -> None:
    from aligncheck.feedback import feedback_gold
    from aligncheck.score.evaluate import measure

    t = {"text": "Bij iedere schending volgt direct een boete.", "agency": "Gemeente"}
    gold = feedback_gold(
        passage_labels(
            [
                mark(key="a", stance="conflicts", principle="passend_handhaven", **t),
                mark(key="b", stance="supports", verdict="wrong", principle="preventie", **t),
                mark(key="c", stance="conflicts", verdict="wrong", principle="vertrouwen", **t),
            ]
        )
    )
    assert len(gold) == 1 and gold[0].known == frozenset({"passend_handhaven", "preventie"})
    assert gold[0].labels == (("passend_handhaven", "conflicts"), ("vertrouwen", "supports"))
    pids = ["passend_handhaven", "preventie", "vertrouwen", "maatwerk"]
    # the scorer says: conflicts with everything
    figures = measure("m", gold, [{(p, "conflicts") for p in pids}], pids)
    per = {f.principle: f for f in figures.principles}
    assert (per["passend_handhaven"].tp, per["passend_handhaven"].fp) == (1, 0)
    assert (per["preventie"].tp, per["preventie"].fp) == (0, 1)  # reviewers said: not about preventie
    assert (per["vertrouwen"].tp, per["vertrouwen"].fp, per["vertrouwen"].fn) == (
        0,
        0,
        0,
    )  # presence unsettled
    assert (per["maatwerk"].tp, per["maatwerk"].fp) == (0, 0)  # no mark on it
    # conflicts: right on passend_handhaven; wrong on vertrouwen (reviewers said: not a conflict)
    # and on preventie (not about it); maatwerk is not settled
    assert (figures.conflict_tp, figures.conflict_fp, figures.conflict_fn) == (1, 2, 0)
    assert figures.neutral_total == 0


def test_training_with_feedback_leaves_unsettled_principles_out(gold, monkeypatch) -> None:
    from aligncheck.feedback import feedback_gold
    from aligncheck.frameworks import load_framework
    from aligncheck.score import train_scorer
    from aligncheck.score.gold import item_readings
    from aligncheck.score.train import TrainSettings

    train_module = importlib.import_module("aligncheck.score.train")

    text = "Bij iedere schending van de inlichtingenplicht legt de gemeente direct de hoogste boete op."
    extra = feedback_gold(
        passage_labels([mark(key="b", stance="conflicts", principle="passend_handhaven", text=text)])
    )
    items = [*gold[::2], *extra]
    seen: dict[str, int] = {}
    original = train_module._fit_principle

    def spy(pid, x, y, *args):
        seen[pid] = len(y)
        assert x.lexical.shape[0] == len(y)
        return original(pid, x, y, *args)

    monkeypatch.setattr(train_module, "_fit_principle", spy)
    model = train_scorer(items, load_framework("koers-2026-2029"), "fake", None, TrainSettings(folds=2))
    rows = len(items) + len(item_readings(items))  # labelled list items train as passages too
    assert seen["passend_handhaven"] == rows
    assert all(n == rows - 1 for pid, n in seen.items() if pid != "passend_handhaven")
    assert model.card["passages"] == len(items) and model.card["item_readings"] == rows - len(items)
