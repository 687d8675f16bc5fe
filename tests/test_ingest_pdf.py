"""PDF ingestion: reading order, headers and footers, hyphens, columns, headings, tables, lists,
footnotes and the contents page."""

from __future__ import annotations

from pathlib import Path

import pytest

from aligncheck.ingest import read_document
from aligncheck.segment import document_text, segment
from aligncheck.types import BlockKind


@pytest.fixture(scope="module")
def doc(plan_pdf: Path):
    return read_document(str(plan_pdf))


def texts(doc, kind=None):
    return [b.text for b in doc.blocks if kind is None or b.kind is kind]


def test_identity_and_title(doc, plan_pdf):
    import hashlib

    sha = hashlib.sha256(plan_pdf.read_bytes()).hexdigest()
    assert doc.doc_id == sha[:12] and doc.sha256 == sha
    assert doc.title == "Handhavingsplan Testdorp"  # from the PDF metadata
    assert doc.pages == 6
    assert doc.format == "pdf"


def test_running_headers_and_page_numbers_removed(doc):
    everything = " ".join(texts(doc))
    assert "Pagina" not in everything
    assert "Handhavingsplan 2026-2029" not in everything.replace("Testdorp 2026-2029", "")


def test_contents_page_gives_no_blocks(doc):
    assert not any(b.page == 2 for b in doc.blocks)
    assert not any("....." in t for t in texts(doc))


def test_headings_numbered_with_levels(doc):
    headings = [(b.text, b.level) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert ("1 Inleiding", 1) in headings
    assert ("1.1 Aanleiding", 2) in headings
    assert ("3 Sanctionering", 1) in headings


def test_hyphenation_joined_real_hyphens_kept(doc):
    visie = next(t for t in texts(doc, BlockKind.PARAGRAPH) if "klantmanagers" in t)
    assert "handhavingsvraagstukken" in visie
    assert "vastgelegd" in visie
    assert "ICT-systemen" in visie
    assert "wet- en regelgeving" in visie


def test_footnote_marker_stripped_and_footnote_is_a_block(doc):
    para = next(t for t in texts(doc) if t.startswith("Het kabinet heeft"))
    assert "vastgesteld. Daarin" in para
    assert "artikel 17 Participatiewet" in para and "sinds 2015." in para
    footnotes = texts(doc, BlockKind.FOOTNOTE)
    assert footnotes == ["1 Kamerstukken II 2025/26, 17050, nr. 640."]


def test_list_items_follow_their_introduction(doc):
    blocks = list(doc.blocks)
    intro = next(i for i, b in enumerate(blocks) if b.text == "Wij doen daarom het volgende:")
    assert blocks[intro + 1].kind is BlockKind.LIST_ITEM
    assert blocks[intro + 1].text.startswith("wij informeren inwoners actief")
    assert blocks[intro + 1].text.endswith("van een uitkering;")
    assert blocks[intro + 2].text == "wij bellen bij twijfel eerst op voordat wij een onderzoek starten."


def test_table_rows_keep_their_cells(doc):
    rows = texts(doc, BlockKind.TABLE_ROW)
    assert rows == [
        "Overtreding | Eerste keer | Herhaling",
        "Inlichtingenplicht zonder benadeling | Waarschuwing | Boete van 25 procent van het benadelingsbedrag",
        "Inlichtingenplicht met benadeling | Boete van 50 procent | Boete van 100 procent",
    ]


def test_two_columns_read_column_by_column(doc):
    page5 = " ".join(b.text for b in doc.blocks if b.page == 5 and b.kind is not BlockKind.HEADING)
    last_left = page5.index("Links 13:")
    first_right = page5.index("Rechts 0:")
    assert last_left < first_right
    assert page5.index("Links 0:") < page5.index("Links 7:") < last_left


def test_pages_of_blocks(doc):
    assert next(b for b in doc.blocks if b.text == "3 Sanctionering").page == 4
    assert next(b for b in doc.blocks if b.text.startswith("Wij evalueren")).page == 6


def test_passages_have_sections_pages_and_offsets(doc):
    passages = segment(doc)
    full, _ = document_text(doc)
    for p in passages:
        assert " ".join(full[p.char_start : p.char_end].split()) == p.text
        assert p.passage_id == f"{doc.doc_id}:{p.index}"
    intro = next(p for p in passages if p.text.startswith("Wij doen daarom"))
    assert intro.section == ("1 Inleiding", "1.1 Aanleiding")
    assert "wij bellen bij twijfel" in intro.text  # the list stays with its introduction
    table = [p for p in passages if p.kind.value == "table"]
    assert len(table) == 3 and all(p.section == ("3 Sanctionering",) and p.page == 4 for p in table)
    note = next(p for p in passages if p.kind.value == "footnote")
    assert note.page == 3


def test_english_page_is_reported(tmp_path):
    from pdfkit import PlanPdf

    p = PlanPdf()
    p.page()
    p.heading("1 Inleiding")
    p.para("Wij gaan uit van vertrouwen in de inwoner en de meeste mensen willen de regels naleven. " * 3)
    p.page()
    p.heading("2 Summary in English")
    p.para(
        "The municipality trusts its residents and most people want to comply with the rules that apply to them. "
        * 3
    )
    doc = read_document(str(p.save(tmp_path / "tweetalig.pdf")))
    assert doc.language == "nl"
    assert any("page 2 is not Dutch (detected: en)" in w for w in doc.warnings)
    english = [ps for ps in segment(doc) if ps.page == 2 and ps.lang == "en"]
    assert english
