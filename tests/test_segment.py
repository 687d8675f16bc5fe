"""Segmentation: Dutch sentences, passage size, sections, lists, tables, footnotes, offsets."""

from __future__ import annotations

from aligncheck.segment import document_text, segment, split_sentences
from aligncheck.types import Block, BlockKind, Document

H, P, L, T, F = (
    BlockKind.HEADING,
    BlockKind.PARAGRAPH,
    BlockKind.LIST_ITEM,
    BlockKind.TABLE_ROW,
    BlockKind.FOOTNOTE,
)


def make(*blocks: tuple) -> Document:
    built = []
    for spec in blocks:
        kind, text, *rest = spec
        level = rest[0] if rest else (1 if kind is H else 0)
        built.append(Block(kind, text, page=1, page_end=1, level=level))
    return Document(
        doc_id="abcdef012345",
        path="x.txt",
        sha256="0" * 64,
        format="text",
        blocks=tuple(built),
        agency="UWV",
        title="Plan",
    )


def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_abbreviations_never_end_a_sentence():
    text = (
        "Wij werken o.a. samen met de SVB, bijv. bij de AOW. Zie art. 17 lid 2 en nr. 640 e.d. voor de regels. "
        "De auto is z.g.a.n. verkocht. Dit geldt m.b.t. de bijstand. Het kabinet besloot."
    )
    assert sentences(text) == [
        "Wij werken o.a. samen met de SVB, bijv. bij de AOW.",
        "Zie art. 17 lid 2 en nr. 640 e.d. voor de regels.",
        "De auto is z.g.a.n. verkocht.",
        "Dit geldt m.b.t. de bijstand.",
        "Het kabinet besloot.",
    ]


def test_word_glued_to_full_stop_ends_sentence():
    assert sentences("Wij betalen de WW. Daarna volgt de controle.") == [
        "Wij betalen de WW.",
        "Daarna volgt de controle.",
    ]


def test_sections_follow_heading_levels():
    doc = make(
        (H, "1 Inleiding", 1),
        (P, "Eerste alinea."),
        (H, "1.1 Aanleiding", 2),
        (P, "Tweede alinea."),
        (H, "2 Visie", 1),
        (P, "Derde alinea."),
    )
    assert [p.section for p in segment(doc)] == [
        ("1 Inleiding",),
        ("1 Inleiding", "1.1 Aanleiding"),
        ("2 Visie",),
    ]


def test_list_attached_to_its_introduction_and_ends_at_heading():
    doc = make(
        (H, "3 Preventie"),
        (P, "Wij doen het volgende:"),
        (L, "informeren;"),
        (L, "bellen."),
        (H, "4 Toezicht"),
        (L, "losse opsomming"),
    )
    passages = segment(doc)
    assert [p.text for p in passages] == ["Wij doen het volgende: informeren; bellen.", "losse opsomming"]
    assert passages[1].section == ("4 Toezicht",)


def test_paragraph_not_ending_in_colon_does_not_take_the_list():
    doc = make((P, "Dit is een afgeronde zin."), (L, "een punt"), (L, "nog een punt"))
    assert [p.text for p in segment(doc)] == ["Dit is een afgeronde zin.", "een punt nog een punt"]


def test_long_paragraph_split_at_sentences_within_limit():
    sentence = "Wij gaan in gesprek met de inwoner over zijn situatie en de regels die gelden."  # 15 words
    doc = make((H, "2 Visie"), (P, " ".join([sentence] * 20)))
    passages = segment(doc)
    assert len(passages) == 3
    assert all(len(p.text.split()) <= 120 for p in passages)
    assert all(p.text.startswith("Wij gaan") and p.text.endswith("gelden.") for p in passages)
    assert all(p.section == ("2 Visie",) for p in passages)


def test_table_rows_and_footnotes_are_their_own_passages():
    doc = make(
        (H, "5 Sanctie"),
        (T, "Overtreding | Boete"),
        (T, "Eerste keer | Waarschuwing"),
        (F, "1 Kamerstukken II."),
    )
    kinds = [(p.kind.value, p.text) for p in segment(doc)]
    assert kinds == [
        ("table", "Overtreding | Boete"),
        ("table", "Eerste keer | Waarschuwing"),
        ("footnote", "1 Kamerstukken II."),
    ]


def test_offsets_ids_and_fields():
    doc = make((H, "1 Inleiding"), (P, "Een alinea."), (P, "Wij doen:"), (L, "dit."))
    full, _ = document_text(doc)
    passages = segment(doc)
    for i, p in enumerate(passages):
        assert p.index == i and p.passage_id == f"abcdef012345:{i}"
        assert " ".join(full[p.char_start : p.char_end].split()) == p.text
        assert p.agency == "UWV" and p.title == "Plan"
    d = passages[0].to_dict()
    assert set(d) >= {
        "doc_id",
        "passage_id",
        "path",
        "agency",
        "title",
        "page",
        "page_end",
        "section",
        "text",
        "char_start",
        "char_end",
    }


def test_english_passage_is_marked():
    doc = make(
        (
            P,
            "The inspectorate supervises compliance with the working conditions act and it publishes an annual plan with the programmes that it will carry out in the coming years, as well as the results of the previous year.",
        )
    )
    assert segment(doc)[0].lang == "en"
