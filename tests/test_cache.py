"""The caches of the store. Scores: a rerun scores only passages this exact model has not scored, a
changed model scores again, and cached answers are the answers the model gives. Documents read: an
unchanged file is not read again and gives the document and passages a fresh read gives; a changed
file, another reader or other limits read it again."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from aligncheck import pipeline
from aligncheck.commands.cache import cache
from aligncheck.frameworks import load_framework
from aligncheck.ingest import IngestOptions
from aligncheck.ingest import cache as ingest_cache
from aligncheck.manifest import load_manifest
from aligncheck.score import Scorer, load_scorer, model_fingerprint
from aligncheck.store import Store

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "corpora" / "demo"
TEXTS = [
    "Wij gaan uit van vertrouwen in de inwoner en bellen eerst op.",
    "Bij een overtreding volgt altijd een boete van 100 procent, ook bij een vergissing.",
    "Wij gaan uit van vertrouwen in de inwoner en bellen eerst op.",
    "De gemeente werkt samen met de kredietbank om schulden te voorkomen.",
]


@pytest.fixture()
def model_copy(fake_model: Path, tmp_path: Path) -> Path:
    """A model folder of this test's own, free to change."""
    folder = tmp_path / "model"
    shutil.copytree(fake_model, folder)
    return folder


def _counting(scorer: Scorer) -> list[list[str]]:
    """Record the texts the model itself is asked to score."""
    calls: list[list[str]] = []
    real = scorer.model.score

    def score(texts, embeddings):  # type: ignore[no-untyped-def]
        calls.append(list(texts))
        return real(texts, embeddings)

    scorer.model.score = score  # type: ignore[method-assign]
    return calls


def test_store_keeps_scores_per_fingerprint(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        store.put_scores("fp1", "/models/a", TEXTS[:2], ['{"a": 1}', '{"b": 2}'])
        store.put_scores("fp9", "/models/b", TEXTS[:1], ['{"z": 9}'])
        assert store.get_scores("fp1", [TEXTS[1], "nieuw", TEXTS[0]]) == {0: '{"b": 2}', 2: '{"a": 1}'}
        assert store.get_scores("fp2", TEXTS) == {}
        # a new fingerprint from the same source replaces the old one's scores; other sources stay
        store.put_scores("fp2", "/models/a", TEXTS[:1], ['{"c": 3}'])
        assert store.get_scores("fp1", TEXTS) == {}
        assert [(s["fingerprint"], s["count"]) for s in store.info()["scorers"]] == [("fp2", 1), ("fp9", 1)]
        assert store.clear_scores() == 2
        assert store.info()["scorers"] == []


def test_rerun_scores_nothing_and_gives_the_same_answers(model_copy: Path, tmp_path: Path) -> None:
    framework = load_framework("koers-2026-2029")
    fresh = load_scorer(framework, str(model_copy)).score(TEXTS)  # no store: nothing cached
    with Store.open(tmp_path / "cache") as store:
        first = load_scorer(framework, str(model_copy), store)
        calls = _counting(first)
        assert first.score(TEXTS) == fresh
        assert calls == [[TEXTS[0], TEXTS[1], TEXTS[3]]]  # each distinct text once
        again = load_scorer(framework, str(model_copy), store)
        calls = _counting(again)
        assert again.score(TEXTS) == fresh
        assert again.score(list(reversed(TEXTS))) == list(reversed(fresh))
        assert calls == []
        # a new text among cached ones: only it is scored
        assert again.score([TEXTS[1], "Wij sturen eerst een brief."])[0] == fresh[1]
        assert calls == [["Wij sturen eerst een brief."]]


def test_vectors_given_are_used_for_the_texts_not_cached(model_copy: Path, tmp_path: Path) -> None:
    framework = load_framework("koers-2026-2029")
    with Store.open(tmp_path / "cache") as store:
        scorer = load_scorer(framework, str(model_copy), store)
        ingested = pipeline.ingest_all([str(DEMO / "svb.pdf")]).documents
        texts = [p.text for p in ingested[0].passages]
        vectors = pipeline.embed_passages(ingested, scorer)
        scorer.score(texts[::3])  # some cached, the rest not: rows of `vectors` still match their texts
        assert scorer.score(texts, vectors) == load_scorer(framework, str(model_copy)).score(texts)


def test_a_changed_model_scores_again(model_copy: Path, tmp_path: Path) -> None:
    framework = load_framework("koers-2026-2029")
    before = model_fingerprint(model_copy)
    with Store.open(tmp_path / "cache") as store:
        old = load_scorer(framework, str(model_copy), store).score(TEXTS)
        # retrain in place: here, every principle's thresholds raised past 1 (nothing is addressed)
        meta = json.loads((model_copy / "model.json").read_text("utf-8"))
        for entry in meta["principles"]:
            entry["threshold"] = 1.0
            entry["against"]["threshold"] = 1.01
        (model_copy / "model.json").write_text(json.dumps(meta), "utf-8")
        assert model_fingerprint(model_copy) != before
        changed = load_scorer(framework, str(model_copy), store)
        calls = _counting(changed)
        new = changed.score(TEXTS)
        assert calls == [[TEXTS[0], TEXTS[1], TEXTS[3]]]
        assert new == load_scorer(framework, str(model_copy)).score(TEXTS)
        assert any(s.labels for s in old) and not any(s.labels for s in new)
        assert store.get_scores(before, TEXTS) == {}  # the old model's scores are gone
        # the weights count too
        (model_copy / "weights.npz").write_bytes((model_copy / "weights.npz").read_bytes() + b"\0")
        assert model_fingerprint(model_copy) != changed.fingerprint


def test_a_scorer_without_fingerprint_caches_nothing(model_copy: Path, tmp_path: Path) -> None:
    framework = load_framework("koers-2026-2029")
    loaded = load_scorer(framework, str(model_copy))
    with Store.open(tmp_path / "cache") as store:
        Scorer(loaded.model, loaded.embedder, store).score(TEXTS)
        assert store.info()["scorers"] == []


def test_cache_cli_reports_and_clears_scores(model_copy: Path, tmp_path: Path) -> None:
    framework = load_framework("koers-2026-2029")
    with Store.open(tmp_path) as store:
        scorer = load_scorer(framework, str(model_copy), store)
        scorer.score(TEXTS)
    runner = CliRunner()
    result = runner.invoke(cache, ["info", "--cache", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2] == (
        f"{model_copy.resolve()}  scorer {scorer.fingerprint[:12]}  3 scores"  # type: ignore[index]
    )
    result = runner.invoke(cache, ["clear", "--cache", str(tmp_path)])
    assert (result.exit_code, result.output) == (0, "removed 3 vectors, 3 scores and 0 documents read\n")
    result = runner.invoke(cache, ["info", "--cache", str(tmp_path)])
    assert result.output.splitlines()[-3:] == ["no vectors", "no scores", "no documents read"]


# --- documents read ---------------------------------------------------------------------------


@pytest.fixture()
def plans(tmp_path: Path) -> Path:
    """Demo plans of every format, with the demo manifest (agency and title per file)."""
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in ("svb.pdf", "vng.docx", "manifest.toml"):
        shutil.copy(DEMO / name, folder / name)
    (folder / "uwv.md").write_text((DEMO / "src" / "uwv.md").read_text("utf-8"), "utf-8")
    (folder / "nla.html").write_text(
        "<html><body><h1>Handhavingsplan NLA</h1><p>Wij gaan uit van vertrouwen en bellen eerst op. "
        "Bij opzet volgt een boete.</p></body></html>",
        "utf-8",
    )
    return folder


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files actually read (parsed), in this process."""
    seen: list[str] = []
    real = pipeline.read_file

    def read_file(path, options=None):  # type: ignore[no-untyped-def]
        seen.append(Path(path).name)
        return real(path, options)

    monkeypatch.setattr(pipeline, "read_file", read_file)
    return seen


def _read(folder: Path, store: Store | None, **kwargs: object) -> list[tuple[object, object]]:
    result = pipeline.ingest_all([str(folder)], store=store, **kwargs)  # type: ignore[arg-type]
    assert not result.failures
    return [(item.document, item.passages) for item in result.documents]


def test_an_unchanged_file_is_not_read_again_and_reads_the_same(plans: Path, tmp_path: Path, reads) -> None:
    manifest = load_manifest(str(plans / "manifest.toml"))
    fresh = _read(plans, None, manifest=manifest)
    assert len(fresh) == 4 and sorted(reads) == ["nla.html", "svb.pdf", "uwv.md", "vng.docx"]
    with Store.open(tmp_path / "cache") as store:
        assert _read(plans, store, manifest=manifest) == fresh
        assert len(reads) == 8 and store.info()["documents"] == 4
        assert _read(plans, store, manifest=manifest) == fresh  # from the store: identical
        assert len(reads) == 8
        # metadata is not cached with the file: another agency, or none (inferred), as a fresh read
        assert _read(plans, store, agency="Inspectie X") == _read(plans, None, agency="Inspectie X")
        assert _read(plans, store) == _read(plans, None)
        assert len(reads) == 8 + 4 + 4
        agencies = {doc.agency for doc, _ in _read(plans, store, agency="Inspectie X")}  # type: ignore[attr-defined]
        assert agencies == {"Inspectie X"}


def test_workers_read_from_and_into_the_store(plans: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(pipeline, "START_METHOD", "spawn")
    fresh = _read(plans, None)
    with Store.open(tmp_path / "cache") as store:
        assert _read(plans, store, workers=2) == fresh
        (plans / "uwv.md").write_text("# Plan UWV\n\nWij bellen eerst op.\n", "utf-8")
        changed = _read(plans, store, workers=2)
        assert changed == _read(plans, None)
        assert changed[:2] == fresh[:2] and changed[2] != fresh[2]


def test_a_changed_file_is_read_again(plans: Path, tmp_path: Path, reads) -> None:
    target = plans / "uwv.md"
    with Store.open(tmp_path / "cache") as store:
        _read(plans, store)
        reads.clear()
        target.write_text(target.read_text("utf-8").replace("UWV", "Het UWV-kantoor Noord"), "utf-8")
        assert _read(plans, store) == _read(plans, None)
        assert reads == ["uwv.md", "nla.html", "svb.pdf", "uwv.md", "vng.docx"]
        assert store.info()["documents"] == 4  # the old version's entry was replaced
        # the same bytes under another path are read again (the path is in the document)
        shutil.copy(target, plans / "kopie.md")
        reads.clear()
        copy = _read(plans, store)
        assert reads == ["kopie.md"] and copy == _read(plans, None)


def test_another_reader_or_other_limits_read_again(plans: Path, tmp_path: Path, reads, monkeypatch) -> None:
    with Store.open(tmp_path / "cache") as store:
        _read(plans, store)
        reads.clear()
        _read(plans, store, options=IngestOptions(max_pages=500))
        assert len(reads) == 4
        _read(plans, store, options=IngestOptions(password="geheim"))  # never cached
        _read(plans, store, options=IngestOptions(password="geheim"))
        assert len(reads) == 12
        # a new version of aligncheck gives another reader fingerprint
        before = ingest_cache.reader_fingerprint()
        ingest_cache.reader_fingerprint.cache_clear()
        monkeypatch.setattr("aligncheck.__version__", "99.0")
        try:
            assert ingest_cache.reader_fingerprint() != before
            _read(plans, store)
            assert len(reads) == 16
        finally:
            ingest_cache.reader_fingerprint.cache_clear()


def test_a_damaged_entry_is_read_again(plans: Path, tmp_path: Path, reads) -> None:
    with Store.open(tmp_path / "cache") as store:
        fresh = _read(plans, store)
        key = ingest_cache.cache_key(str(plans / "svb.pdf"), IngestOptions())
        assert key is not None
        store.put_document(key, str(plans / "svb.pdf"), '{"document": {}}')
        reads.clear()
        assert _read(plans, store) == fresh
        assert reads == ["svb.pdf"]


def test_every_command_takes_cache_as_a_folder(tmp_path) -> None:
    """--cache is a folder for every command, even when its name ends like a database file: `cache
    info` looks where `classify` wrote (before, classify took a new "x.db" for the store file itself,
    which --cache then refused as not a folder)."""
    from click.testing import CliRunner

    from aligncheck.cli import cli

    folder = tmp_path / "cache.db"
    result = CliRunner().invoke(
        cli,
        ["classify", "--model", "fake", "--cache", str(folder)],
        input='{"id": 1, "text": "Wij gaan uit van vertrouwen."}\n',
    )
    assert folder.is_dir() and (folder / "store.sqlite").is_file(), result.output
    info = CliRunner().invoke(cli, ["cache", "info", "--cache", str(folder)])
    assert info.exit_code == 0 and f"store: {folder / 'store.sqlite'}" in info.output
