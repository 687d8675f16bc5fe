"""The analysis cache: coverage, findings, shared text and definitions of a set of scored documents,
kept in the store under a key of all their inputs. A rerun on the same inputs takes them from it; a
change to any input analyses again; `cache clear` removes them; what comes back is what was kept."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligncheck import pipeline
from aligncheck.cli import cli
from aligncheck.compare import Coverage, DocumentScores
from aligncheck.findings import decode_analysis, encode_analysis
from aligncheck.frameworks import load_framework
from aligncheck.pipeline import analyse, analysis_key, ingest_all, score_documents
from aligncheck.report.json import render_json
from aligncheck.score import Scorer, load_scorer
from aligncheck.store import MAX_ANALYSES, Store
from aligncheck.types import Evidence, Finding, FindingKind, Level, Severity

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "corpora" / "demo"
FW = load_framework("koers-2026-2029")


@pytest.fixture(scope="module")
def scored(fake_model: Path, tmp_path_factory: pytest.TempPathFactory) -> list[DocumentScores]:
    paths = [str(DEMO / name) for name in ("svb.pdf", "uwv.pdf", "gemeente-zuiderveen.pdf")]
    result = ingest_all(paths)
    with Store.open(tmp_path_factory.mktemp("scores")) as store:
        return score_documents(result.documents, load_scorer(FW, str(fake_model), store))


@pytest.fixture()
def store(tmp_path: Path):
    with Store.open(tmp_path / "cache") as opened:
        yield opened


@pytest.fixture()
def scorer(fake_model: Path, store: Store) -> Scorer:
    return load_scorer(FW, str(fake_model), store)


def _json(report: pipeline.Report) -> str:
    return re.sub(r'"generated_at": "[^"]*"', "", render_json(report))


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the analyses made (not taken from the cache)."""
    calls: list[int] = []
    real = pipeline._analyse

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_analyse", counted)
    return calls


def test_a_rerun_takes_the_analysis_from_the_store(scored, scorer, store, monkeypatch) -> None:
    calls = _counting(monkeypatch)
    first = analyse(scored, [], FW, scorer, kind="batch")
    second = analyse(scored, [], FW, scorer, kind="batch")
    assert calls == [1]
    assert store.info()["analyses"] == 1
    assert _json(second) == _json(first)
    assert (second.coverage, second.findings, second.shared, second.definitions) == (
        first.coverage,
        first.findings,
        first.shared,
        first.definitions,
    )
    assert first.findings and first.coverage and first.definitions


def test_without_a_store_nothing_is_cached(scored, fake_model, monkeypatch) -> None:
    calls = _counting(monkeypatch)
    scorer = load_scorer(FW, str(fake_model), None)
    analyse(scored, [], FW, scorer)
    analyse(scored, [], FW, scorer)
    assert calls == [1, 1]


def _agency(docs: list[DocumentScores]) -> list[DocumentScores]:
    first = docs[0]
    document = replace(first.document, agency="Andere Dienst")
    refs = tuple(replace(r, passage=replace(r.passage, agency="Andere Dienst")) for r in first.passages)
    return [DocumentScores(document, refs), *docs[1:]]


def _text(docs: list[DocumentScores]) -> list[DocumentScores]:
    first = docs[0]
    ref = first.passages[5]
    changed = replace(ref, passage=replace(ref.passage, text=ref.passage.text + " Extra."))
    return [DocumentScores(first.document, (*first.passages[:5], changed, *first.passages[6:])), *docs[1:]]


def _score(docs: list[DocumentScores]) -> list[DocumentScores]:
    first = docs[0]
    ref = first.passages[3]
    pid = next(iter(ref.scores))
    changed = replace(ref, scores={**ref.scores, pid: ref.scores[pid] + 1e-9})
    return [DocumentScores(first.document, (*first.passages[:3], changed, *first.passages[4:])), *docs[1:]]


def _label(docs: list[DocumentScores]) -> list[DocumentScores]:
    first = docs[0]
    ref = first.passages[3]
    changed = replace(ref, labels={**ref.labels, FW.principle_ids[0]: "conflicts"})
    return [DocumentScores(first.document, (*first.passages[:3], changed, *first.passages[4:])), *docs[1:]]


def _title(docs: list[DocumentScores]) -> list[DocumentScores]:
    return [DocumentScores(replace(docs[0].document, title="Een andere titel"), docs[0].passages), *docs[1:]]


def _order(docs: list[DocumentScores]) -> list[DocumentScores]:
    return list(reversed(docs))


@pytest.mark.parametrize("change", [_agency, _text, _score, _label, _title, _order])
def test_a_change_to_the_documents_analyses_again(scored, scorer, store, monkeypatch, change) -> None:
    calls = _counting(monkeypatch)
    analyse(scored, [], FW, scorer, kind="batch")
    changed = change(list(scored))
    assert analysis_key(changed, FW, {}, "batch") != analysis_key(scored, FW, {}, "batch")
    fresh = analyse(changed, [], FW, scorer, kind="batch")
    assert calls == [1, 1]
    expected = pipeline._analyse(changed, FW, {p.principle: p.threshold for p in scorer.model.principles})
    assert (fresh.coverage, fresh.findings, fresh.shared, fresh.definitions) == (
        expected.coverage,
        expected.findings,
        expected.shared,
        expected.definitions,
    )


def test_a_change_to_framework_thresholds_kind_or_code_analyses_again(
    scored, scorer, store, monkeypatch
) -> None:
    calls = _counting(monkeypatch)
    analyse(scored, [], FW, scorer, kind="batch")
    analyse(scored, [], FW, scorer, kind="check")  # the kind
    assert len(calls) == 2
    principle = FW.principles[0]
    other = FW.model_copy(
        update={
            "principles": (
                principle.model_copy(update={"title": principle.title.model_copy(update={"nl": "Anders"})}),
                *FW.principles[1:],
            )
        }
    )
    assert other.model_dump_json() != FW.model_dump_json()
    analyse(scored, [], other, scorer, kind="batch")  # the framework's content
    assert len(calls) == 3
    model = scorer.model
    first = replace(model.principles[0], threshold=model.principles[0].threshold + 0.01)
    stricter = Scorer(replace(model, principles=[first, *model.principles[1:]]), scorer.embedder, store)
    analyse(scored, [], FW, stricter, kind="batch")  # the thresholds
    assert len(calls) == 4
    monkeypatch.setattr(pipeline, "analysis_fingerprint", lambda: "other code")
    analyse(scored, [], FW, scorer, kind="batch")  # the code, its data, the libraries
    assert len(calls) == 5
    analyse(scored, [], FW, scorer, kind="batch")
    assert len(calls) == 5


def test_a_damaged_entry_is_analysed_again(scored, scorer, store, monkeypatch) -> None:
    calls = _counting(monkeypatch)
    first = analyse(scored, [], FW, scorer, kind="batch")
    key = analysis_key(scored, FW, {p.principle: p.threshold for p in scorer.model.principles}, "batch")
    store.put_analysis(key, b"not an analysis")
    again = analyse(scored, [], FW, scorer, kind="batch")
    assert calls == [1, 1]
    assert _json(again) == _json(first)
    assert decode_analysis(store.get_analysis(key) or b"") == (
        first.coverage,
        first.findings,
        first.shared,
        first.definitions,
    )


def test_only_the_latest_analyses_are_kept(store) -> None:
    for n in range(MAX_ANALYSES + 3):
        store.put_analysis(f"key{n}", encode_analysis(n))
    assert store.info()["analyses"] == MAX_ANALYSES
    assert store.get_analysis("key0") is None
    assert decode_analysis(store.get_analysis(f"key{MAX_ANALYSES + 2}") or b"") == MAX_ANALYSES + 2


def test_the_codec_gives_back_the_same_values_and_types() -> None:
    evidence = Evidence(
        "d", "d:1", 1, None, ("1 Visie", "1.2"), "tekst", 0.1 + 0.2, "supports", None, "p", "x"
    )
    value = (
        [Coverage("d", None, "p", Level.COMMITTED, 1 / 3, 2, 0, (evidence,), (), (0.25,), (), "waarom")],
        [
            Finding(
                FindingKind.GAP,
                Severity.HIGH,
                "s",
                "e",
                details={"levels": {"A": "absent"}, "n": 3, "pair": ("a", 1), "list": [1.5, None, True]},
            )
        ],
        {1: "int key", "1": "str key", (1, 2): [(), []]},
        -0.0,
    )
    back = decode_analysis(encode_analysis(value))
    assert back == value
    assert repr(back) == repr(value)  # tuples stay tuples, keys keep their types and order
    with pytest.raises(TypeError):
        encode_analysis({"a": {1, 2}})
    with pytest.raises(ValueError):
        decode_analysis(b"\x00\x01")


def test_a_result_the_codec_cannot_keep_is_not_cached(scored, scorer, store, monkeypatch) -> None:
    real = pipeline._analyse

    def odd(*args, **kwargs):  # type: ignore[no-untyped-def]
        result = real(*args, **kwargs)
        return replace(result, definitions={"term": [{"values": {1, 2}}]})

    monkeypatch.setattr(pipeline, "_analyse", odd)
    analyse(scored, [], FW, scorer, kind="batch")
    assert store.info()["analyses"] == 0


def _outputs(folder: Path) -> dict[str, str]:
    return {
        f.name: re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", "", f.read_text("utf-8"))
        for f in sorted(folder.iterdir())
    }


def test_batch_rerun_gives_the_same_reports_and_cache_clear_removes_the_analyses(
    fake_model, tmp_path
) -> None:
    runner = CliRunner()
    cache = ["--cache", str(tmp_path / "cache")]
    args = ["-q", "batch", str(DEMO / "manifest.toml"), "--model", str(fake_model), "--workers", "1", *cache]
    for out in ("cold", "warm"):
        result = runner.invoke(cli, [*args, "-o", str(tmp_path / out)])
        assert result.exit_code in (0, 4), result.output
    assert _outputs(tmp_path / "cold") == _outputs(tmp_path / "warm")
    report = json.loads((tmp_path / "warm" / "report.json").read_text("utf-8"))
    assert report["findings"] and report["coverage"]
    info = runner.invoke(cli, ["cache", "info", *cache])
    assert "1 analyses (coverage and findings)" in info.output.splitlines()
    cleared = runner.invoke(cli, ["cache", "clear", *cache])
    assert cleared.output.endswith(" documents read and 1 analyses\n"), cleared.output
    info = runner.invoke(cli, ["cache", "info", *cache])
    assert "analyses" not in info.output
    with Store.open(tmp_path / "cache") as store:
        assert store.info()["analyses"] == 0
