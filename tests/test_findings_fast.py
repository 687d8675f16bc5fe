"""The faster findings give what the straightforward versions gave: shared text against comparing
every pair of passages, instrument patterns asked together against one by one, and texts that recur
read once but reported for every passage."""

from __future__ import annotations

import random
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from aligncheck.compare import SHARED_SIMILARITY, DocumentScores, SharedText, _shingles, shared_text
from aligncheck.definitions import find_definitions
from aligncheck.frameworks import load_framework
from aligncheck.instruments import _AnyOf, find_instruments
from aligncheck.types import Document, Passage, ScoredPassageRef

FW = load_framework("koers-2026-2029")

BASES = [
    "Het college hanteert bij de handhaving van de Participatiewet de uitgangspunten van de landelijke "
    "handhavingskoers en werkt samen met alle ketenpartners in de regio en met de inwoners zelf",
    "Bij een vermoeden van fraude voert de afdeling eerst een gesprek met de inwoner en legt zij de "
    "uitkomst schriftelijk vast voordat een besluit tot terugvordering of een boete wordt genomen",
    "Wij informeren inwoners actief over hun rechten en plichten zodat zij weten wat er van hen wordt "
    "verwacht en fouten kunnen voorkomen",
]
WORDS = "en of de het een niet ook altijd eerst daarna wij zij regio gemeente".split()


def _documents(texts: list[tuple[int, str]]) -> list[DocumentScores]:
    by_doc: dict[int, list[str]] = {}
    for d, text in texts:
        by_doc.setdefault(d, []).append(text)
    out = []
    for d, items in sorted(by_doc.items()):
        doc_id = f"{d:012d}"
        document = Document(doc_id, f"{doc_id}.pdf", "0" * 64, "pdf", (), agency=f"Gemeente {d}")
        refs = tuple(
            ScoredPassageRef(
                Passage(doc_id, i, document.path, t, ("1",), 0, len(t), 1, 1, agency=document.agency),
                {},
                {},
            )
            for i, t in enumerate(items)
        )
        out.append(DocumentScores(document, refs))
    return out


def _pairwise(docs: list[DocumentScores], min_words: int = 12) -> list[SharedText]:
    """Shared text as it was computed before: every pair of passages that share a 5-gram."""
    items = [
        (ref, _shingles(ref.passage.text))
        for doc in docs
        for ref in doc.passages
        if len(ref.passage.text.split()) >= min_words
    ]
    parent = list(range(len(items)))

    def find(a: int) -> int:
        while parent[a] != a:
            a = parent[a]
        return a

    best: dict[tuple[int, int], float] = {}
    for k, (ref, sh) in enumerate(items):
        for other in range(k + 1, len(items)):
            oref, osh = items[other]
            if oref.passage.doc_id == ref.passage.doc_id or not sh & osh:
                continue
            jaccard = len(sh & osh) / len(sh | osh)
            if jaccard >= SHARED_SIMILARITY:
                parent[find(k)] = find(other)
                best[(k, other)] = jaccard
    groups: dict[int, list[int]] = {}
    for k in range(len(items)):
        groups.setdefault(find(k), []).append(k)
    out = []
    for root, members in groups.items():
        if len(members) < 2:
            continue
        sims = [v for (a, _), v in best.items() if find(a) == root]
        refs = sorted((items[m][0] for m in members), key=lambda r: (r.passage.doc_id, r.passage.index))
        out.append(SharedText(tuple(r.evidence() for r in refs), min(sims) if sims else 1.0))
    out.sort(key=lambda s: (s.passages[0].doc_id, s.passages[0].passage_id))
    return out


def _variant(rng: random.Random, base: str, edits: int) -> str:
    words = base.split()
    for _ in range(edits):
        at = rng.randrange(len(words))
        if rng.random() < 0.5:
            words[at] = rng.choice(WORDS)
        else:
            words.insert(at, rng.choice(WORDS))
    return " ".join(words)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=2, max_value=30))
def test_shared_text_is_what_comparing_every_pair_gives(seed: int, passages: int) -> None:
    rng = random.Random(seed)
    docs = rng.randint(1, 5)
    texts = [
        (rng.randrange(docs), _variant(rng, rng.choice(BASES), rng.choice([0, 0, 1, 2, 4, 8])))
        for _ in range(passages)
    ]
    texts.append((0, "Te kort om mee te tellen."))
    built = _documents(texts)
    assert shared_text(built) == _pairwise(built)


def test_identical_passages_in_one_document_only_are_not_shared() -> None:
    built = _documents([(1, BASES[0]), (1, BASES[0]), (2, BASES[1])])
    assert shared_text(built) == [] == _pairwise(built)
    built = _documents([(1, BASES[0]), (1, BASES[0]), (2, BASES[0])])
    (group,) = shared_text(built)
    assert len(group.passages) == 3 and group.similarity == 1.0
    assert [group] == _pairwise(built)


def test_patterns_asked_together_answer_as_asked_one_by_one() -> None:
    patterns = (r"\bboete\b", r"^(?=.*\bwaarschuwing)", r"(\w+) \1")  # the last refers back: one by one
    together = _AnyOf(patterns[:2])
    assert together.combined is not None
    assert _AnyOf(patterns).combined is None
    for text in ["een boete", "eerst een waarschuwing", "de de", "niets", "boetes", "Waarschuwing!"]:
        expected = any(re.search(p, text, re.IGNORECASE) for p in patterns[:2])
        assert together.search(text) is expected
        assert _AnyOf(patterns).search(text) is (expected or bool(re.search(patterns[2], text, re.I)))


def _passage(doc_id: str, index: int, text: str, agency: str) -> Passage:
    return Passage(doc_id, index, f"{doc_id}.pdf", text, ("Begrippen",), 0, len(text), 1, 1, agency=agency)


def test_a_text_in_two_plans_is_reported_for_each() -> None:
    text = "Onder fraude verstaan wij het opzettelijk niet nakomen van de inlichtingenplicht."
    defs = find_definitions([_passage("a" * 12, 0, text, "UWV"), _passage("b" * 12, 3, text, "SVB")], FW)
    assert [(d.agency, d.evidence.passage_id) for d in defs] == [
        ("SVB", f"{'b' * 12}:3"),
        ("UWV", f"{'a' * 12}:0"),
    ]
    assert defs[0].values == defs[1].values and defs[0].values is not defs[1].values
    rule = "Bij een eerste schending zonder benadeling geven wij eerst een waarschuwing."
    found = find_instruments([_passage("a" * 12, 0, rule, "UWV"), _passage("b" * 12, 3, rule, "SVB")])
    assert [(i.agency, i.evidence.passage_id, i.value) for i in found] == [
        ("UWV", f"{'a' * 12}:0", "warning_first"),
        ("SVB", f"{'b' * 12}:3", "warning_first"),
    ]
