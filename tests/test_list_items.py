"""List passages read item by item: a paragraph that introduces a list keeps its items' spans, and
the scorer reads each item with the introduction beside the whole passage."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from aligncheck.cli import cli
from aligncheck.errors import UsageError
from aligncheck.score.gold import item_spans, load_gold
from aligncheck.score.model import ScoredPassage, ScorerModel, list_item_texts
from aligncheck.segment import segment
from aligncheck.types import Block, BlockKind, Document

INTRO = "Voor de sanctionering gelden de volgende uitgangspunten:"
ITEMS = [
    "Wij horen de klant voordat wij een boete opleggen.",
    "De hoogte van de boete hangt af van de verwijtbaarheid.",
    "Wij passen dezelfde regels toe in alle vestigingen.",
]


def doc(*blocks: tuple[BlockKind, str]) -> Document:
    return Document(
        doc_id="abcdef012345",
        path="x.txt",
        sha256="0" * 64,
        format="text",
        blocks=tuple(Block(kind, text, page=1, page_end=1) for kind, text in blocks),
        agency="UWV",
        title="Plan",
    )


def test_a_list_passage_keeps_the_spans_of_its_items():
    (passage,) = segment(doc((BlockKind.PARAGRAPH, INTRO), *((BlockKind.LIST_ITEM, item) for item in ITEMS)))
    assert [passage.text[a:b] for a, b in passage.items] == ITEMS
    assert passage.text[: passage.items[0][0]].strip() == INTRO
    assert passage.to_dict()["items"] == [list(span) for span in passage.items]
    assert list_item_texts(passage.text, passage.items) == [f"{INTRO} {item}" for item in ITEMS]


def test_no_items_without_a_list_or_with_one_item():
    single = segment(doc((BlockKind.PARAGRAPH, INTRO), (BlockKind.LIST_ITEM, ITEMS[0])))
    plain = segment(doc((BlockKind.PARAGRAPH, "Een gewone alinea zonder opsomming.")))
    assert single[0].items == () and plain[0].items == ()
    assert list_item_texts(plain[0].text, plain[0].items) == []


def test_items_survive_the_document_cache():
    from aligncheck.ingest.cache import from_json, to_json

    document = doc((BlockKind.PARAGRAPH, INTRO), *((BlockKind.LIST_ITEM, item) for item in ITEMS))
    passages = segment(document)
    assert from_json(to_json(document, passages))[1] == passages


def answer(scores: dict[str, float], conflicts: dict[str, float]) -> ScoredPassage:
    return ScoredPassage(scores=scores, conflict_scores=conflicts, labels=[], review=[])


def test_combine_takes_the_strongest_reading_per_principle_with_its_stance(fake_model):
    model = ScorerModel.load(fake_model)
    a, b = model.principle_ids[:2]
    rest = {pid: 0.0 for pid in model.principle_ids[2:]}
    whole = answer({a: 0.05, b: 0.99, **rest}, {a: 0.1, b: 0.1, **rest})
    item_a = answer({a: 0.99, b: 0.2, **rest}, {a: 0.9, b: 0.9, **rest})
    combined = model.combine(whole, [item_a])
    assert combined.scores[a] == 0.99 and combined.scores[b] == 0.99
    labels = {pid: stance for pid, stance, _ in combined.labels}
    assert labels == {a: "conflicts", b: "supports"}  # each principle keeps the stance of its reading
    assert model.combine(whole, []) is whole


def test_the_scorer_reads_a_list_item_by_item(fake_model):
    from aligncheck.embed import load_embedder
    from aligncheck.score import Scorer

    scorer = Scorer(ScorerModel.load(fake_model), load_embedder("fake"))
    text = f"{INTRO} {' '.join(ITEMS)}"
    spans = item_spans(text, ITEMS)
    assert spans is not None
    (with_items,) = scorer.score([text], items=[spans])
    whole, *parts = scorer.score([text, *list_item_texts(text, spans)])
    expected = scorer.model.combine(whole, parts)
    assert with_items.scores == expected.scores and with_items.labels == expected.labels
    assert all(with_items.scores[p] >= whole.scores[p] for p in whole.scores)
    assert scorer.score([text], items=[()])[0].scores == whole.scores


def test_gold_items_as_texts_or_spans_and_bad_ones_rejected(tmp_path):
    text = f"{INTRO} {' '.join(ITEMS)}"
    spans = item_spans(text, ITEMS)
    assert spans is not None and [text[a:b] for a, b in spans] == ITEMS
    assert item_spans(text, [list(s) for s in spans]) == spans
    assert item_spans(text, [ITEMS[0]]) == () and item_spans(text, None) == ()
    assert item_spans(text, list(reversed(ITEMS))) is None  # not in order
    assert item_spans(text, ["staat er niet in", ITEMS[1]]) is None
    assert item_spans(text, [[5, 2], [3, 4]]) is None
    good = {"id": "a", "text": text, "agency": "UWV", "labels": [], "items": ITEMS}
    bad = {"id": "b", "text": text, "agency": "UWV", "labels": [], "items": ["niet in de tekst", ITEMS[0]]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(good) + "\n", "utf-8")
    assert load_gold([path])[0].items == spans
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n", "utf-8")
    with pytest.raises(UsageError, match=r"gold.jsonl:2: \"items\""):
        load_gold([path])


def test_classify_reads_items(fake_model, tmp_path):
    text = f"{INTRO} {' '.join(ITEMS)}"
    lines = [{"id": "list", "text": text, "items": ITEMS}, {"id": "whole", "text": text}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    args = ["classify", str(src), "--model", str(fake_model), "--cache", str(tmp_path / "cache")]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    listed, whole = (json.loads(line) for line in result.output.splitlines())
    assert all(listed["scores"][p] >= whole["scores"][p] for p in whole["scores"])
    src.write_text(json.dumps({"id": "x", "text": text, "items": "geen lijst"}) + "\n", "utf-8")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code != 0 and '"items"' in result.output


def test_gold_item_labels_become_readings_of_their_own(tmp_path):
    from aligncheck.score.gold import item_readings

    line = {
        "id": "l1",
        "text": f"{INTRO} {' '.join(ITEMS)}",
        "agency": "UWV",
        "labels": [{"principle": "rechtsstaat", "stance": "supports"}],
        "items": ITEMS,
        "item_labels": [[{"principle": "rechtsstaat", "stance": "supports"}], [], []],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(line) + "\n", "utf-8")
    (g,) = load_gold([path])
    readings = item_readings([g])
    assert [r.text for r in readings] == [f"{INTRO} {item}" for item in ITEMS]
    assert [r.labels for r in readings] == [(("rechtsstaat", "supports"),), (), ()]
    assert [r.id for r in readings] == ["l1#1", "l1#2", "l1#3"] and {r.agency for r in readings} == {"UWV"}
    path.write_text(json.dumps({**line, "item_labels": [[]]}) + "\n", "utf-8")
    with pytest.raises(UsageError, match="one label list per item"):
        load_gold([path])


def test_cross_validation_never_trains_on_the_items_of_the_held_out_group(gold, monkeypatch):
    from aligncheck.frameworks import load_framework
    from aligncheck.score import cross_validate
    from aligncheck.score import train as train_module
    from aligncheck.score.gold import item_readings
    from aligncheck.score.train import TrainSettings

    sample = [g for g in gold if g.item_labels][:30] + [g for g in gold if not g.items][::6]
    assert {g.agency for g in sample if g.item_labels} >= {"UWV", "SVB"}
    seen: list[set[str]] = []
    real = train_module.train_model

    def spy(training, *args, **kwargs):
        seen.append({g.text for g in training})
        return real(training, *args, **kwargs)

    monkeypatch.setattr(train_module, "train_model", spy)
    groups = sorted({g.agency or "unknown" for g in sample})
    figures, scored = cross_validate(
        sample,
        load_framework("koers-2026-2029"),
        "fake",
        None,
        lambda g: g.agency or "unknown",
        TrainSettings(folds=3),
    )
    assert len(seen) == len(groups) and len(scored) == len(sample)
    for group, texts in zip(groups, seen, strict=True):
        held = [g for g in sample if g.agency == group]
        others = [g for g in sample if g.agency != group]
        assert not {r.text for r in item_readings(held)} & texts
        assert {r.text for r in item_readings(others)} <= texts
