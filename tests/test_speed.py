"""Speed and scale without timings: parallel ingestion gives the sequential result, a rerun embeds
only what changed, and the benchmark runs on a tiny corpus and reports every stage and floor."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from aligncheck import pipeline
from aligncheck.cli import cli
from aligncheck.embed.fake import FakeEmbedder
from aligncheck.errors import InputError
from aligncheck.frameworks import load_framework
from aligncheck.score import Scorer
from aligncheck.score.model import ScorerModel, list_item_texts
from aligncheck.store import Store

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "corpora" / "demo"


@pytest.fixture()
def mixed(tmp_path: Path) -> list[str]:
    """Demo plans of three formats, an empty file and a missing one, in a fixed order."""
    (tmp_path / "leeg.pdf").write_bytes(b"")
    return [
        str(DEMO / "svb.pdf"),
        str(tmp_path / "leeg.pdf"),
        str(DEMO / "vng.docx"),
        str(tmp_path / "bestaat-niet.pdf"),
        str(DEMO / "nla.pdf"),
    ]


def _summary(result: pipeline.IngestResult) -> tuple[object, ...]:
    return (
        [(item.document, item.passages) for item in result.documents],
        [(type(f), str(f), f.path) for f in result.failures],
        result.warnings,
    )


def test_workers_give_the_sequential_result_in_order(mixed, monkeypatch):
    monkeypatch.setattr(pipeline, "START_METHOD", "spawn")  # what macOS and Windows use
    seen: list[str] = []
    sequential = pipeline.ingest_all(mixed, workers=1)
    parallel = pipeline.ingest_all(mixed, workers=2, on_document=seen.append)
    assert [item.document.path for item in parallel.documents] == [mixed[0], mixed[2], mixed[4]]
    assert _summary(parallel) == _summary(sequential)
    assert seen == [mixed[0], mixed[1], mixed[2], mixed[4]]  # the files read, in order
    empty = parallel.failures[0]
    assert isinstance(empty, InputError) and type(empty).__name__ == "EmptyDocument"
    assert empty.hint and empty.problem == "is empty"


def test_batch_output_same_with_one_or_two_workers(fake_model, tmp_path):
    outputs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        result = CliRunner().invoke(
            cli,
            ["-q", "batch", str(DEMO / "manifest.toml"), "-o", str(out), "--model", str(fake_model)]
            + ["--cache", str(tmp_path / f"cache{workers}"), "--workers", workers],
            catch_exceptions=False,
        )
        assert result.exit_code == 0, result.output
        report = json.loads((out / "report.json").read_text())
        report.pop("generated_at", None)
        outputs[workers] = (report, (out / "findings.csv").read_text(), (out / "coverage.csv").read_text())
    assert outputs["1"] == outputs["2"]
    assert len(outputs["1"][0]["documents"]) == 5


class CountingEmbedder(FakeEmbedder):
    """The fake embedder, counting the texts it is asked to embed."""

    def __init__(self, dim: int) -> None:
        super().__init__(dim)
        self.embedded: list[str] = []

    def embed(self, texts):  # type: ignore[no-untyped-def]
        self.embedded.extend(texts)
        return super().embed(texts)


def test_rerun_embeds_only_the_changed_document(fake_model, tmp_path):
    model = ScorerModel.load(fake_model)
    framework = load_framework("koers-2026-2029")
    folder = tmp_path / "plans"
    folder.mkdir()
    for name in ("svb", "uwv", "nla"):
        shutil.copy(DEMO / f"{name}.pdf", folder / f"{name}.pdf")
    probe = FakeEmbedder(int(model.encoder.rsplit(":", 1)[1]))
    assert probe.model_id == model.encoder
    with Store.open(tmp_path / "cache") as store:

        def run() -> tuple[CountingEmbedder, pipeline.Report]:
            embedder = CountingEmbedder(probe.dim)
            report = pipeline.run_check([str(folder)], framework, Scorer(model, embedder, store), workers=1)
            return embedder, report

        first, report = run()
        assert len(first.embedded) == len(set(first.embedded)) > 100  # each distinct text once
        again, rerun = run()
        assert again.embedded == []
        assert [f.summary for f in rerun.findings] == [f.summary for f in report.findings]

        # change one document: only its new passages are embedded
        changed = folder / "uwv.pdf"
        text = (DEMO / "src" / "uwv.md").read_text("utf-8")
        changed.unlink()
        (folder / "uwv.md").write_text(text.replace("UWV", "Het UWV-kantoor Noord"), "utf-8")
        third, _ = run()
        uwv = pipeline.ingest_all([str(folder / "uwv.md")]).documents[0]
        assert third.embedded and set(third.embedded) <= texts_read(uwv.passages)
        others = pipeline.ingest_all([str(folder / "svb.pdf"), str(folder / "nla.pdf")]).documents
        assert not set(third.embedded) & texts_read([p for item in others for p in item.passages])


def texts_read(passages) -> set[str]:
    """What the scorer reads of these passages: each passage, and each list item with its introduction."""
    return {p.text for p in passages} | {t for p in passages for t in list_item_texts(p.text, p.items)}


def test_vectors_given_to_score_documents_are_used(fake_model, tmp_path):
    model = ScorerModel.load(fake_model)
    embedder = CountingEmbedder(int(model.encoder.rsplit(":", 1)[1]))
    scorer = Scorer(model, embedder, None)
    ingested = pipeline.ingest_all([str(DEMO / "svb.pdf")]).documents
    vectors = pipeline.embed_passages(ingested, scorer)
    count = len(embedder.embedded)
    given = pipeline.score_documents(ingested, scorer, vectors)
    # no passage embedded again; without a store, list items are embedded when they are scored
    items = {t for p in ingested[0].passages for t in list_item_texts(p.text, p.items)}
    assert items and set(embedder.embedded[count:]) == items
    own = pipeline.score_documents(ingested, scorer)
    assert [r.scores for d in given for r in d.passages] == [r.scores for d in own for r in d.passages]
    assert isinstance(vectors, np.ndarray) and vectors.shape[0] == len(ingested[0].passages)


def test_benchmark_reports_every_stage_and_floor(fake_model, tmp_path):
    from bench import corpus, run

    try:
        corpus.build_module().find_fonts()
    except SystemExit:
        pytest.skip("the DejaVu fonts that corpora/demo/build.py needs are not installed")
    out = tmp_path / "results"
    args = ["--pages", "5", "--model", str(fake_model), "--corpus-root", str(tmp_path / "corpus")]
    assert run.main([*args, "--out", str(out), "--plumber-pages", "2", "--workers", "2", "--quiet"]) == 0
    results = json.loads((out / "results.json").read_text())
    (size,) = results["runs"]
    assert size["plans"] == 1 and size["pages"] >= 5
    for phase in ("cold", "warm"):
        stages = size["stages"][phase]
        for stage in ("load", "ingest", "segment", "embed", "score", "findings", "report"):
            assert stages[stage] >= 0
        assert stages["total"] > 0 and stages["ingest_segment_workers"] > 0
    assert size["stages"]["passages"] > 50 and size["stages"]["findings"] > 0
    floors = size["floors"]
    assert floors["pdfium"]["pages"] == size["pages"] and floors["pdfium"]["seconds"] > 0
    assert floors["pdfplumber"]["pages_measured"] == 2 and floors["pdfplumber"]["scaled"] is True
    assert floors["encoder"]["texts"] == size["stages"]["distinct_passages"]
    for phase in ("cold", "warm"):
        e2e = size["end_to_end"][phase]
        assert e2e["exit_code"] == 0 and e2e["wall_s"] > 0 and e2e["peak_tree_rss_mb"] > 0
    assert size["end_to_end"]["warm_output_identical"] is True
    assert set(size["targets"]) == set(run.TARGETS)
    table = (out / "results.md").read_text()
    assert "floor: pdfplumber extract_text" in table and "(from 2 pages)" in table
    assert "end to end warm" in table and "Machine:" in table


def test_corpus_plans_differ_and_are_deterministic():
    from bench import corpus

    build = corpus.build_module()
    plan = build.parse_plan(corpus.sources()[0])
    a, b, a2 = (corpus.vary(plan, k, build) for k in (0, 1, 0))
    texts = [list(build.iter_texts(p.blocks)) for p in (a, b, a2)]
    assert texts[0] == texts[2]
    paragraphs = [t for t in zip(texts[0], texts[1], strict=True) if len(t[0]) > 200]
    assert sum(x != y for x, y in paragraphs) > len(paragraphs) * 0.8
