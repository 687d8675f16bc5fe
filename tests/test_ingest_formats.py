"""The DOCX, HTML, Markdown and text readers: blocks, encodings, and files that must be refused."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from aligncheck.errors import CorruptDocument
from aligncheck.ingest import docx as docx_reader
from aligncheck.ingest import html as html_reader
from aligncheck.ingest import read_document, with_meta
from aligncheck.ingest import text as text_reader
from aligncheck.types import Block, BlockKind, DocumentMeta

H, P, LI, ROW, NOTE = (
    BlockKind.HEADING,
    BlockKind.PARAGRAPH,
    BlockKind.LIST_ITEM,
    BlockKind.TABLE_ROW,
    BlockKind.FOOTNOTE,
)


def pairs(blocks: list[Block]) -> list[tuple[BlockKind, int, str]]:
    return [(b.kind, b.level, b.text) for b in blocks]


def docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- DOCX


def sample_docx() -> docx.document.Document:
    document = docx.Document()
    document.core_properties.title = "Handhavingsbeleid SVB 2025"
    document.add_heading("Handhavingsbeleid", 0)
    document.add_heading("1 Inleiding", 1)
    document.add_paragraph(
        "De SVB wil dat burgers hun plichten kennen uit onderzoek.2 Daarna volgt de controle."
    )
    document.add_paragraph("")
    document.add_paragraph("vroeg informeren", style="List Bullet")
    document.add_paragraph("controle op maat", style="List Number")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"r{r}c{c}"
    table.cell(0, 0).merge(table.cell(0, 1))  # horizontal: one cell
    table.cell(1, 2).merge(table.cell(2, 2))  # vertical: repeated on both rows
    table.cell(2, 0).text = ""
    document.add_heading("1.1 Sanctioneren", 2)
    document.add_paragraph("Na de tabel.")
    return document


def test_docx_blocks_in_document_order() -> None:
    extracted = docx_reader.extract("plan.docx", docx_bytes(sample_docx()))
    assert extracted.title == "Handhavingsbeleid SVB 2025"
    assert extracted.pages is None
    assert all(b.page is None for b in extracted.blocks)
    assert pairs(extracted.blocks) == [
        (H, 1, "Handhavingsbeleid"),
        (H, 1, "1 Inleiding"),
        (P, 0, "De SVB wil dat burgers hun plichten kennen uit onderzoek. Daarna volgt de controle."),
        (LI, 0, "vroeg informeren"),
        (LI, 0, "controle op maat"),
        (ROW, 0, "r0c0 r0c1 | r0c2"),
        (ROW, 0, "r1c0 | r1c1 | r1c2 r2c2"),
        (ROW, 0, "r2c1 | r1c2 r2c2"),
        (H, 2, "1.1 Sanctioneren"),
        (P, 0, "Na de tabel."),
    ]


def test_docx_dutch_styles_numbering_and_content_controls() -> None:
    document = docx.Document()
    document.styles.add_style("Kop 2", WD_STYLE_TYPE.PARAGRAPH)
    document.styles.add_style("Lijstalinea eigen", WD_STYLE_TYPE.PARAGRAPH)
    document.styles.add_style("toc 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Inhoud 3", style="toc 1")
    document.add_paragraph("Sociale Verzekeringsbank", style="Subtitle")
    document.add_paragraph("Preventie", style="Kop 2")
    document.add_paragraph("eerste punt", style="Lijstalinea eigen")
    numbered = document.add_paragraph("genummerd punt")
    numbered._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    )
    document.element.body.insert(
        len(document.element.body) - 1,
        parse_xml(
            f"<w:sdt {nsdecls('w')}><w:sdtContent><w:p><w:r><w:t>In een inhoudsbesturingselement</w:t></w:r>"
            "<w:r><w:noBreakHyphen/><w:t>tekst</w:t></w:r></w:p></w:sdtContent></w:sdt>"
        ),
    )
    extracted = docx_reader.extract("plan.docx", docx_bytes(document))
    assert extracted.title is None
    assert pairs(extracted.blocks) == [
        (P, 0, "Sociale Verzekeringsbank"),
        (H, 2, "Preventie"),
        (LI, 0, "eerste punt"),
        (LI, 0, "genummerd punt"),
        (P, 0, "In een inhoudsbesturingselement\u2011tekst"),
    ]


FOOTNOTES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:footnotes {nsdecls("w")}>
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r>
<w:r><w:t xml:space="preserve"> Kamerstukken II 2020/21, 35510, nr. 1.</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="2"><w:p><w:r><w:t>Zie het regeerakkoord.</w:t></w:r></w:p></w:footnote>
</w:footnotes>"""


def with_footnotes(data: bytes) -> bytes:
    """Add word/footnotes.xml (python-docx cannot write footnotes) with its relationship and type."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "word/_rels/document.xml.rels":
                content = content.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/footnotes" Target="footnotes.xml"/></Relationships>',
                )
            elif info.filename == "[Content_Types].xml":
                content = content.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
                    b'officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            target.writestr(info, content)
        target.writestr("word/footnotes.xml", FOOTNOTES_XML.encode("utf-8"))
    return out.getvalue()


def test_docx_footnotes_come_last_without_separators() -> None:
    document = docx.Document()
    document.add_paragraph("Tekst met een voetnoot.")
    extracted = docx_reader.extract("plan.docx", with_footnotes(docx_bytes(document)))
    assert pairs(extracted.blocks) == [
        (P, 0, "Tekst met een voetnoot."),
        (NOTE, 0, "Kamerstukken II 2020/21, 35510, nr. 1."),
        (NOTE, 0, "Zie het regeerakkoord."),
    ]


def test_docx_that_is_not_a_zip_is_refused_by_name(tmp_path: Path) -> None:
    path = tmp_path / "handhavingsplan.docx"
    path.write_bytes(b"Dit is platte tekst met een verkeerde extensie.")
    with pytest.raises(CorruptDocument) as info:
        read_document(str(path))
    assert "handhavingsplan.docx" in str(info.value)
    assert "is not a DOCX file" in str(info.value)


def test_docx_broken_zip_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kapot.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    with pytest.raises(CorruptDocument, match=r"kapot\.docx: is not a valid DOCX \(broken zip\)"):
        read_document(str(path))


def test_docx_zip_without_document_xml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archief.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notities.txt", "geen Word-document")
    path.write_bytes(buffer.getvalue())
    with pytest.raises(CorruptDocument) as info:
        read_document(str(path))
    assert str(info.value) == (
        f"{path}: is not a DOCX file (no word/document.xml) (save it again as .docx from Word)"
    )


# ---------------------------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><title>Handhaving bij de AOW | SVB</title>
<style>p { color: red }</style><script>var tracking = "Sociale Verzekeringsbank";</script></head>
<body>
<div class="cookie-banner">Wij gebruiken cookies.</div>
<header><a href="/">Home</a> Zoeken</header>
<nav><ul><li>Menu-item</li></ul></nav>
<div class="breadcrumb">Home &gt; Handhaving</div>
<main>
  <h1>Handhaving bij de AOW</h1>
  <p>De SVB controleert<br>of u recht heeft op een WW\u2011uitkering.<sup><a href="#fn1">1</a></sup></p>
  <div>Losse tekst in een div <em>met nadruk</em>.<p>Een alinea daarbinnen.</p>Na de alinea.</div>
  <h3>Wat wij doen</h3>
  <ul>
    <li>We informeren u vooraf
      <ul><li>per brief</li><li>via <a href="/mijn">Mijn SVB</a></li></ul>
    </li>
    <li><p>We controleren op maat.</p></li>
  </ul>
  <table>
    <thead><tr><th>Overtreding</th><th>Sanctie</th></tr></thead>
    <tbody><tr><td>Eerste keer</td><td></td><td>Waarschuwing</td></tr></tbody>
  </table>
  <dl>
    <dt>Opzet</dt><dd>U wist dat u iets moest melden.</dd>
    <div><dt>Grove schuld</dt><dd>Ernstige nalatigheid.</dd></div>
  </dl>
  <aside>Lees ook: nieuwsbrief</aside>
  <button>Deel deze pagina</button>
  <div class="share-buttons">Delen op sociale media</div>
  <noscript>Zet JavaScript aan.</noscript>
  <section class="footnotes" role="doc-endnotes"><ol>
    <li id="fn1">Artikel 17 AOW. <a href="#r1" role="doc-backlink">\u21a9</a></li>
  </ol></section>
</main>
<footer>Contact | Privacy</footer>
</body></html>"""


def test_html_main_content_without_page_furniture() -> None:
    extracted = html_reader.extract("aow.html", PAGE.encode("utf-8"))
    assert extracted.title == "Handhaving bij de AOW"
    assert pairs(extracted.blocks) == [
        (H, 1, "Handhaving bij de AOW"),
        (P, 0, "De SVB controleert of u recht heeft op een WW\u2011uitkering."),
        (P, 0, "Losse tekst in een div met nadruk."),
        (P, 0, "Een alinea daarbinnen."),
        (P, 0, "Na de alinea."),
        (H, 3, "Wat wij doen"),
        (LI, 0, "We informeren u vooraf"),
        (LI, 0, "per brief"),
        (LI, 0, "via Mijn SVB"),
        (LI, 0, "We controleren op maat."),
        (ROW, 0, "Overtreding | Sanctie"),
        (ROW, 0, "Eerste keer | Waarschuwing"),
        (P, 0, "Opzet: U wist dat u iets moest melden."),
        (P, 0, "Grove schuld: Ernstige nalatigheid."),
        (NOTE, 0, "Artikel 17 AOW."),
    ]


def test_html_without_main_reads_body_and_falls_back_to_h1_for_title() -> None:
    page = """<html><body>
    <div id="hoofdmenu"><a href="/">Start</a></div>
    <div role="navigation">Ga naar</div>
    <div class="content has-nav-wrapper"><h1>Handhavingsplan 2025</h1><h2>1 Visie</h2><p>Vertrouwen voorop.</p></div>
    <div role="contentinfo">Colofon</div>
    </body></html>"""
    extracted = html_reader.extract("plan.html", page.encode("utf-8"))
    assert extracted.title == "Handhavingsplan 2025"
    assert pairs(extracted.blocks) == [
        (H, 1, "Handhavingsplan 2025"),
        (H, 2, "1 Visie"),
        (P, 0, "Vertrouwen voorop."),
    ]


def test_html_article_only_and_title_suffix() -> None:
    page = """<html><head><title>Handhavingsstrategie 2025 - Toezicht | Gemeente Utrecht</title></head><body>
    <p>Buiten het artikel.</p><article><header><h1>Handhavingsstrategie</h1></header><p>Binnen het artikel.</p>
    <footer>Geplaatst op 1 maart</footer></article></body></html>"""
    extracted = html_reader.extract("plan.html", page.encode("utf-8"))
    assert extracted.title == "Handhavingsstrategie 2025"
    assert pairs(extracted.blocks) == [(H, 1, "Handhavingsstrategie"), (P, 0, "Binnen het artikel.")]
    only_site = "<html><head><title>| Gemeente Utrecht</title></head><body><p>Tekst.</p></body></html>"
    assert html_reader.extract("plan.html", only_site.encode("utf-8")).title == "Gemeente Utrecht"


def test_html_publisher_names_the_agency_the_page_text_does_not(tmp_path: Path) -> None:
    """A residents' page names its municipality in the site suffix of its <title> or in its meta
    tags, while the header and footer that also name it are page furniture."""
    body = (
        "<body><header>Gemeente Noordwaarde</header><main><h1>Wijzigingen doorgeven</h1>"
        "<p>Krijgt u een bijstandsuitkering? Geef veranderingen in uw situatie dan binnen een week aan ons"
        " door, zodat u niet te veel ontvangt en later niets hoeft terug te betalen.</p></main>"
        "<footer>Gemeente Noordwaarde, Postbus 100</footer></body></html>"
    )
    pages = {
        "suffix.html": "<html><head><title>Wijzigingen doorgeven | Gemeente Noordwaarde</title></head>",
        "meta.html": '<html><head><title>Wijzigingen doorgeven</title><meta name="DCTERMS.creator" '
        'content="Gemeente Noordwaarde"><meta property="og:site_name" content="Gemeente Noordwaarde"></head>',
        "none.html": "<html><head><title>Wijzigingen doorgeven</title></head>",
    }
    read = {}
    for name, head in pages.items():
        (tmp_path / name).write_text(head + body, encoding="utf-8")
        read[name] = read_document(str(tmp_path / name))
    assert html_reader.extract("suffix.html", (pages["suffix.html"] + body).encode()).publisher == (
        "Gemeente Noordwaarde"
    )
    assert read["meta.html"].publisher == "Gemeente Noordwaarde"  # named twice, kept once
    assert read["suffix.html"].agency == read["meta.html"].agency == "Gemeente Noordwaarde"
    assert read["none.html"].publisher is None and read["none.html"].agency is None
    assert read["suffix.html"].title == "Wijzigingen doorgeven"
    # a manifest's title makes the agency be inferred again, still from the publisher
    retitled = with_meta(read["suffix.html"], DocumentMeta(title="Bijstand: wijzigingen"))
    assert retitled.agency == "Gemeente Noordwaarde"


def test_html_meta_charset_windows_1252() -> None:
    page = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head>'
    page += "<body><p>Een boete van \u20ac 150 voor het caf\u00e9.</p></body></html>"
    extracted = html_reader.extract("plan.html", page.encode("cp1252"))
    assert pairs(extracted.blocks) == [(P, 0, "Een boete van \u20ac 150 voor het caf\u00e9.")]


def test_html_bom_wins_over_meta_and_undeclared_falls_back() -> None:
    page = '<html><head><meta charset="windows-1252"></head><body><p>Caf\u00e9 \u20ac</p></body></html>'
    assert (
        html_reader.extract("a.html", b"\xef\xbb\xbf" + page.encode("utf-8")).blocks[0].text
        == "Caf\u00e9 \u20ac"
    )
    bare = "<html><body><p>Beschikking over de re\u00efntegratie van de werknemer en de werkgever</p></body></html>"
    assert html_reader.extract("b.html", bare.encode("cp1252")).blocks[0].text == (
        "Beschikking over de re\u00efntegratie van de werknemer en de werkgever"
    )


def test_html_deep_nesting_does_not_recurse() -> None:
    depth = 5000
    page = (
        "<html><body>"
        + "<div>" * depth
        + "<p>Diep verstopt.</p>"
        + "</div>" * depth
        + "<p>Erna.</p></body></html>"
    )
    extracted = html_reader.extract("diep.html", page.encode("utf-8"))
    assert pairs(extracted.blocks) == [(P, 0, "Diep verstopt."), (P, 0, "Erna.")]


# ------------------------------------------------------------------------------------ Markdown, text

MARKDOWN = """# Handhavingsplan 2025

Inleiding
---------

De **handha-
ving** volgt de wet-
en regelgeving[^1]. Zie [de website](https://example.nl) en `artikel 3`.

- vroeg *informeren*
  en helpen
- controle op maat
  1. huisbezoek alleen bij een redelijke grond

## Sancties

| Overtreding | Sanctie |
|-------------|---------|
| Eerste keer | Waarschuwing |

a) eerste lid;
b) tweede lid.

[^1]: Kamerstukken II 2020/21, 35510, nr. 1.
"""


def test_markdown_blocks() -> None:
    extracted = text_reader.extract("plan.md", MARKDOWN.encode("utf-8"), markdown=True)
    assert extracted.title == "Handhavingsplan 2025"
    assert pairs(extracted.blocks) == [
        (H, 1, "Handhavingsplan 2025"),
        (H, 2, "Inleiding"),
        (P, 0, "De handhaving volgt de wet- en regelgeving. Zie de website en artikel 3."),
        (LI, 0, "vroeg informeren en helpen"),
        (LI, 0, "controle op maat"),
        (LI, 0, "huisbezoek alleen bij een redelijke grond"),
        (H, 2, "Sancties"),
        (ROW, 0, "Overtreding | Sanctie"),
        (ROW, 0, "Eerste keer | Waarschuwing"),
        (LI, 0, "eerste lid;"),
        (LI, 0, "tweede lid."),
        (NOTE, 0, "Kamerstukken II 2020/21, 35510, nr. 1."),
    ]


def test_markdown_front_matter_gives_the_title_and_is_not_text() -> None:
    source = "---\ntitle: Meerjarenplan Handhaving\nagency: SVB\n---\n\n# 1 Inleiding\n\nTekst.\n"
    extracted = text_reader.extract("plan.md", source.encode("utf-8"), markdown=True)
    assert extracted.title == "Meerjarenplan Handhaving"
    assert pairs(extracted.blocks) == [(H, 1, "1 Inleiding"), (P, 0, "Tekst.")]
    rule_first = text_reader.extract("plan.md", b"---\n\nTekst zonder kop.\n", markdown=True)
    assert rule_first.title is None
    assert pairs(rule_first.blocks) == [(P, 0, "Tekst zonder kop.")]


def test_markdown_setext_title_and_rule() -> None:
    source = "Handhavingsbeleid\n=================\n\nTekst.\n\n***\n\nMeer tekst.\n"
    extracted = text_reader.extract("plan.md", source.encode("utf-8"), markdown=True)
    assert extracted.title == "Handhavingsbeleid"
    assert pairs(extracted.blocks) == [(H, 1, "Handhavingsbeleid"), (P, 0, "Tekst."), (P, 0, "Meer tekst.")]


def test_text_numbered_headings_and_paragraphs() -> None:
    source = (
        "Handhavingsplan gemeente Zwolle\n\n"
        "3 Preventie\n\n"
        "De gemeente informeert inwoners vooraf over hun plichten en\n"
        "helpt bij het invullen van formulieren.\n\n"
        "3.2 Informeren\n\n"
        "12 maanden\n\n"
        "3.3 Dit is een gewone zin die eindigt met een punt.\n\n"
        "- een opsomming\n"
        "- nog een\n"
    )
    extracted = text_reader.extract("plan.txt", source.encode("utf-8"), markdown=False)
    assert extracted.title is None
    assert pairs(extracted.blocks) == [
        (P, 0, "Handhavingsplan gemeente Zwolle"),
        (H, 1, "3 Preventie"),
        (
            P,
            0,
            "De gemeente informeert inwoners vooraf over hun plichten en helpt bij het invullen van formulieren.",
        ),
        (H, 2, "3.2 Informeren"),
        (P, 0, "12 maanden"),
        (P, 0, "3.3 Dit is een gewone zin die eindigt met een punt."),
        (LI, 0, "een opsomming"),
        (LI, 0, "nog een"),
    ]


def test_numbered_lines_are_headings_in_text_only() -> None:
    source = "3 Preventie\n\nTekst.\n"
    markdown = text_reader.extract("plan.md", source.encode("utf-8"), markdown=True)
    assert pairs(markdown.blocks) == [(P, 0, "3 Preventie"), (P, 0, "Tekst.")]


def test_hyphenation_is_undone_but_compound_hyphens_stay() -> None:
    source = "De handha-\nving van wet-\nen regelgeving door ICT-\nsystemen.\n"
    extracted = text_reader.extract("plan.md", source.encode("utf-8"), markdown=True)
    assert pairs(extracted.blocks) == [(P, 0, "De handhaving van wet- en regelgeving door ICT-systemen.")]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xef\xbb\xbfCaf\xc3\xa9 \xe2\x82\xac 5", "Caf\u00e9 \u20ac 5"),
        ("Caf\u00e9 \u20ac 5".encode("cp1252"), "Caf\u00e9 \u20ac 5"),
        ("Caf\u00e9 \u20ac 5".encode("utf-16"), "Caf\u00e9 \u20ac 5"),
        (b"\xfe\xff" + "Caf\u00e9 \u20ac 5".encode("utf-16-be"), "Caf\u00e9 \u20ac 5"),
        ("Caf\u00e9 \u20ac 5".encode("utf-8"), "Caf\u00e9 \u20ac 5"),
        (b"Caf\xe9 \x81\x80 5", "Caf\u00e9 \u20ac 5"),
    ],
    ids=["utf8-bom", "cp1252", "utf16-le-bom", "utf16-be-bom", "utf8", "cp1252-undefined-byte"],
)
def test_text_encodings(data: bytes, expected: str) -> None:
    extracted = text_reader.extract("tekst.txt", data, markdown=False)
    assert pairs(extracted.blocks) == [(P, 0, expected)]


def test_utf8_bom_does_not_reach_the_title() -> None:
    extracted = text_reader.extract("plan.md", b"\xef\xbb\xbf# Titel\n\nTekst.\n", markdown=True)
    assert extracted.title == "Titel"


def test_nul_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "binair.txt"
    path.write_bytes(b"Tekst\x00\x01\x02 met nullen")
    with pytest.raises(CorruptDocument) as info:
        read_document(str(path))
    assert str(info.value) == (
        f"{path}: contains NUL bytes: it looks like a binary file, not text (export it as plain text (UTF-8))"
    )
    # UTF-16 without a BOM is recognised by its NUL bytes and read (tests/data/bad/utf16le.txt)
    extracted = text_reader.extract("zonder-bom.txt", "Tekst".encode("utf-16-le"), markdown=False)
    assert [b.text for b in extracted.blocks] == ["Tekst"]


# ------------------------------------------------------------------------------------ end to end

DUTCH = (
    "De Sociale Verzekeringsbank voert de AOW en de kinderbijslag uit. Wij gaan ervan uit dat "
    "burgers het goed willen doen en helpen hen om hun plichten na te komen. Als er toch iets "
    "misgaat, kijken wij eerst naar de oorzaak en naar de persoonlijke omstandigheden."
)


def write_formats(folder: Path) -> dict[str, Path]:
    document = docx.Document()
    document.add_heading("Handhavingsbeleid SVB", 1)
    document.add_paragraph(DUTCH)
    files = {
        "docx": folder / "beleid.docx",
        "html": folder / "beleid.html",
        "markdown": folder / "beleid.md",
        "text": folder / "beleid.txt",
    }
    files["docx"].write_bytes(docx_bytes(document))
    files["html"].write_text(
        f"<html><head><title>Handhavingsbeleid SVB | svb.nl</title></head><body><main><h1>Handhaving</h1>"
        f"<p>{DUTCH}</p></main></body></html>",
        encoding="utf-8",
    )
    files["markdown"].write_text(f"# Handhavingsbeleid SVB\n\n{DUTCH}\n", encoding="utf-8")
    files["text"].write_bytes(f"Handhavingsbeleid SVB\n=====================\n\n{DUTCH}\n".encode("cp1252"))
    return files


@pytest.mark.parametrize("fmt", ["docx", "html", "markdown", "text"])
def test_read_document_end_to_end(tmp_path: Path, fmt: str) -> None:
    path = write_formats(tmp_path)[fmt]
    document = read_document(str(path))
    assert re.fullmatch(r"[0-9a-f]{12}", document.doc_id)
    assert document.doc_id == hashlib.sha256(path.read_bytes()).hexdigest()[:12]
    assert document.format == fmt
    assert document.title == "Handhavingsbeleid SVB"
    assert document.agency == "SVB"
    assert document.language == "nl"
    assert document.pages is None
    assert document.blocks[-1] == Block(BlockKind.PARAGRAPH, DUTCH)
