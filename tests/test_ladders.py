"""Sanction ladders: rows of a table that grades the fine by culpability lose their `conflicts`
label for proportional enforcement; other tables and running text keep theirs."""

from __future__ import annotations

from aligncheck.ladders import ladder_rows, proportional_rows, tables
from aligncheck.types import Passage, PassageKind


def _passages(rows: list[tuple[str, PassageKind, tuple[str, ...]]]) -> list[Passage]:
    return [
        Passage("d", i, "plan.pdf", text, section, 0, len(text), 1, 1, kind)
        for i, (text, kind, section) in enumerate(rows)
    ]


T, X = PassageKind.TABLE, PassageKind.TEXT
LADDER = [
    ("Mate van verwijtbaarheid | Boete", T, ("6 Boetes",)),
    ("Geen verwijtbaarheid | geen boete", T, ("6 Boetes",)),
    ("Verminderde verwijtbaarheid | 25%", T, ("6 Boetes",)),
    ("Grove schuld | 75%", T, ("6 Boetes",)),
    ("Opzet | 100% van het benadelingsbedrag", T, ("6 Boetes",)),
]
FLAT = [
    ("Situatie | Eerste keer | Herhaling", T, ("7 Tarieven",)),
    ("Schending zonder benadeling | 150 euro | 300 euro", T, ("7 Tarieven",)),
    ("Schending met benadeling | 100% | 150%", T, ("7 Tarieven",)),
]


def test_tables_are_runs_of_rows_in_one_section():
    passages = _passages([*LADDER, ("Wij beboeten iedere schending.", X, ("6 Boetes",)), *FLAT])
    assert tables(passages) == [[0, 1, 2, 3, 4], [6, 7, 8]]
    # the same rows split by a section boundary are two tables
    split = _passages([LADDER[0], LADDER[1], ("Opzet | 100%", T, ("7 Anders",))])
    assert tables(split) == [[0, 1], [2]]


def test_a_graded_ladder_is_found_and_a_flat_table_is_not():
    passages = _passages([*LADDER, *FLAT])
    assert ladder_rows(passages) == {0, 1, 2, 3, 4}


def test_a_ladder_needs_a_lenient_degree_and_three_degrees():
    harsh_only = _passages(
        [
            ("Grove schuld | 100%", T, ("s",)),
            ("Opzet | 150%", T, ("s",)),
            ("Normale verwijtbaarheid | 100%", T, ("s",)),
        ]
    )
    assert ladder_rows(harsh_only) == set()
    two = _passages([("Geen verwijtbaarheid | 0%", T, ("s",)), ("Opzet | 100%", T, ("s",))])
    assert ladder_rows(two) == set()


def test_ladder_rows_lose_only_the_conflict_with_proportional_enforcement():
    passages = _passages([*LADDER, *FLAT, ("Opzet leidt altijd tot de hoogste boete.", X, ("6 Boetes",))])
    labels = [{} for _ in passages]
    labels[4] = {"passend_handhaven": "conflicts", "vertrouwen": "conflicts"}
    labels[2] = {"passend_handhaven": "supports"}
    labels[7] = {"passend_handhaven": "conflicts"}  # flat table: kept
    labels[8] = {"passend_handhaven": "conflicts"}  # running text: kept
    out = proportional_rows(passages, labels)
    assert out[4] == {"vertrouwen": "conflicts"}
    assert out[2] == {"passend_handhaven": "supports"}
    assert out[7] == {"passend_handhaven": "conflicts"}
    assert out[8] == {"passend_handhaven": "conflicts"}
    assert [lab for i, lab in enumerate(out) if i not in (2, 4)] == [
        lab for i, lab in enumerate(labels) if i not in (2, 4)
    ]
