"""The reading rules `check` and `batch` apply to the scorer's answers: a doubtful stance read with
its section (a coin-flip conflict in a section whose other passages clearly support the principle is
read as they are; clear conflicts, mixed sections and passages in other sections keep their labels),
and a conflict the against model alone found on a passage that hardly addresses the principle."""

from __future__ import annotations

from aligncheck.context import read_with_sections
from aligncheck.pipeline import read_answers
from aligncheck.score.model import ScoredPassage
from aligncheck.types import AGAINST_ONLY_MIN_PRESENCE, IN_CONTEXT_NOTE, Passage, ScoredPassageRef

Row = tuple[str, tuple[str, ...], dict[str, str], dict[str, float], frozenset[str]]


def _read(rows: list[Row]) -> tuple[list[dict[str, str]], list[frozenset[str]]]:
    passages = [
        Passage("d", i, "plan.pdf", text, section, 0, len(text), 1, 1)
        for i, (text, section, *_) in enumerate(rows)
    ]
    return read_with_sections(passages, [r[2] for r in rows], [r[3] for r in rows], [r[4] for r in rows])


NONE: frozenset[str] = frozenset()
MODEL = ("4 Risicogericht werken", "4.3 Het selectiemodel")
DOUBTFUL: Row = (
    "Het model berekent een risicoscore.",
    MODEL,
    {"ai_data": "conflicts"},
    {"ai_data": 0.55},
    NONE,
)
SAFEGUARDS = (
    "Een analist beoordeelt elke selectie.",
    MODEL,
    {"ai_data": "supports"},
    {"ai_data": 0.05},
    NONE,
)


def test_a_doubtful_conflict_in_a_supporting_section_is_read_as_support():
    labels, read = _read(
        [
            ("Het model berekent een risicoscore.", MODEL, {"ai_data": "conflicts"}, {"ai_data": 0.55}, NONE),
            SAFEGUARDS,
        ]
    )
    assert labels == [{"ai_data": "supports"}, {"ai_data": "supports"}]
    assert read == [frozenset({"ai_data"}), NONE]


def test_a_conflict_only_the_against_model_found_is_dropped_there():
    labels, read = _read(
        [
            (
                "Het model berekent een risicoscore.",
                MODEL,
                {"ai_data": "conflicts"},
                {"ai_data": 0.9},
                frozenset({"ai_data"}),
            ),
            SAFEGUARDS,
        ]
    )
    assert labels == [{}, {"ai_data": "supports"}]
    assert read == [frozenset({"ai_data"}), NONE]


def test_a_clear_conflict_is_never_overruled():
    rows: list[Row] = [
        ("Het model selecteert zonder tussenkomst.", MODEL, {"ai_data": "conflicts"}, {"ai_data": 0.8}, NONE),
        SAFEGUARDS,
    ]
    assert _read(rows) == ([{"ai_data": "conflicts"}, {"ai_data": "supports"}], [NONE, NONE])


def test_a_section_with_a_clear_conflict_keeps_its_doubtful_ones():
    rows: list[Row] = [
        ("Het model berekent een risicoscore.", MODEL, {"ai_data": "conflicts"}, {"ai_data": 0.55}, NONE),
        ("Een bias-toets doen wij niet.", MODEL, {"ai_data": "conflicts"}, {"ai_data": 0.9}, NONE),
        SAFEGUARDS,
    ]
    labels, read = _read(rows)
    assert [lab["ai_data"] for lab in labels] == ["conflicts", "conflicts", "supports"]
    assert read == [NONE, NONE, NONE]


def test_support_must_be_clear_and_in_the_same_section():
    doubtful = DOUBTFUL
    unclear = ("Een analist kijkt soms mee.", MODEL, {"ai_data": "supports"}, {"ai_data": 0.45}, NONE)
    elsewhere = (SAFEGUARDS[0], ("5 Andere paragraaf",), *SAFEGUARDS[2:])
    no_section = (doubtful[0], (), *doubtful[2:])
    for rows in (
        [doubtful, unclear],
        [doubtful, elsewhere],
        [no_section, (SAFEGUARDS[0], (), *SAFEGUARDS[2:])],
    ):
        labels, read = _read(rows)
        assert labels[0] == {"ai_data": "conflicts"} and read[0] == NONE


def test_the_clear_support_must_stand_near_the_passage():
    # a web page with one heading is one long section: support far off does not count
    doubtful = DOUBTFUL
    filler = ("Over de organisatie.", MODEL, {}, {}, NONE)
    near = [doubtful, filler, filler, SAFEGUARDS]
    far = [doubtful, filler, filler, filler, SAFEGUARDS]
    assert _read(near)[0][0] == {"ai_data": "supports"}
    assert _read(far)[0][0] == {"ai_data": "conflicts"}


def test_other_principles_of_the_passage_are_left_alone():
    labels, _ = _read(
        [
            (
                "Het model berekent een risicoscore.",
                MODEL,
                {"ai_data": "conflicts", "vertrouwen": "conflicts"},
                {"ai_data": 0.55, "vertrouwen": 0.55},
                NONE,
            ),
            SAFEGUARDS,
        ]
    )
    assert labels[0] == {"ai_data": "supports", "vertrouwen": "conflicts"}


def test_evidence_read_in_context_says_so():
    text = "Het model berekent een risicoscore."
    ref = ScoredPassageRef(
        Passage("d", 0, "plan.pdf", text, MODEL, 0, len(text), 7, 7),
        {"ai_data": 0.9},
        {"ai_data": "supports"},
        conflict_scores={"ai_data": 0.55},
        in_context=frozenset({"ai_data"}),
    )
    evidence = ref.evidence("ai_data")
    assert (evidence.note, evidence.note_en) == IN_CONTEXT_NOTE
    assert evidence.stance == "supports" and evidence.conflict_score == 0.55
    assert ref.evidence("ai_data", note="eigen notitie").note == "eigen notitie"


def _answer(labels: list[tuple[str, str, float]], **fields: object) -> ScoredPassage:
    scores = {pid: score for pid, _, score in labels}
    return ScoredPassage(scores, {pid: 0.9 for pid in scores}, labels, [], **fields)  # type: ignore[arg-type]


def test_a_conflict_the_against_model_alone_found_needs_some_presence():
    # against model alone at 0.37, the presence model at 0.02 (dropped) and at 0.14 (kept)
    texts = ["Naast de boete wordt het bedrag teruggevorderd.", "Wie te laat meldt, krijgt een boete."]
    passages = [Passage("d", i, "plan.pdf", t, ("6 Boetes",), 0, len(t), 10, 10) for i, t in enumerate(texts)]
    weak = _answer(
        [("preventie", "conflicts", 0.37)],
        against_only=["preventie"],
        against_only_presence={"preventie": 0.02},
    )
    kept = _answer(
        [("passend_handhaven", "conflicts", 0.38)],
        against_only=["passend_handhaven"],
        against_only_presence={"passend_handhaven": 0.14},
    )
    first, second = read_answers(passages, [weak, kept])
    assert first.labels == {} and first.scores["preventie"] == 0.02 and not first.against_only
    assert second.labels == {"passend_handhaven": "conflicts"}
    assert second.against_only == {"passend_handhaven"} and second.doubtful_conflict("passend_handhaven")
    assert AGAINST_ONLY_MIN_PRESENCE == 0.1
