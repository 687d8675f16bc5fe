"""The shortcuts of a rerun give what the plain way gave: the manifest's metadata looked up for every
file at once, and a text that recurs in a batch scored once."""

from __future__ import annotations

from pathlib import Path

from aligncheck import pipeline
from aligncheck.frameworks import load_framework
from aligncheck.manifest import load_manifest
from aligncheck.score import load_scorer
from aligncheck.store import Store
from aligncheck.types import DocumentMeta

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "corpora" / "demo"


def test_manifest_metadata_for_all_files_is_what_meta_for_gives(tmp_path, monkeypatch) -> None:
    (tmp_path / "a.pdf").write_bytes(b"")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.pdf").write_bytes(b"")
    (tmp_path / "m.toml").write_text(
        '[[document]]\npath = "a.pdf"\nagency = "A"\n\n'
        '[[document]]\npath = "sub/../a.pdf"\nagency = "twice: the first counts"\n\n'
        '[[document]]\npath = "sub/b.pdf"\ntitle = "B"\n',
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    manifest = load_manifest("m.toml")
    metas = pipeline._manifest_metas(manifest)
    for path in ("a.pdf", str(tmp_path / "a.pdf"), "sub/b.pdf", "sub/../sub/b.pdf", "c.pdf"):
        assert metas.get(Path(path).resolve()) == manifest.meta_for(path)
    assert metas[(tmp_path / "a.pdf").resolve()] == DocumentMeta(agency="A")


def test_a_recurring_text_is_scored_once_with_the_same_answer(fake_model, tmp_path) -> None:
    framework = load_framework("koers-2026-2029")
    result = pipeline.ingest_all([str(DEMO / "svb.pdf"), str(DEMO / "svb.pdf")])
    texts = [p.text for item in result.documents for p in item.passages]
    with Store.open(tmp_path) as store:
        scorer = load_scorer(framework, str(fake_model), store)
        asked: list[int] = []
        real = scorer.score

        def score(batch, vectors=None, items=None):  # type: ignore[no-untyped-def]
            asked.append(len(batch))
            return real(batch, vectors, items)

        scorer.score = score  # type: ignore[method-assign]
        docs = pipeline.score_documents(result.documents, scorer)
        assert asked == [len(set(texts))] and len(texts) == 2 * len(set(texts))
        spans = [p.items for item in result.documents for p in item.passages]
        plain = load_scorer(framework, str(fake_model), None).score(texts, items=spans)
    refs = [ref for doc in docs for ref in doc.passages]
    assert [r.scores for r in refs] == [s.scores for s in plain]
    assert [r.review for r in refs] == [tuple(s.review) for s in plain]
