"""Bad input: each gets one specific error naming the file and what to do, never a traceback."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from fpdf import FPDF
from PIL import Image

from aligncheck.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    InputError,
    NoTextLayer,
    UnsupportedFormat,
)
from aligncheck.ingest import IngestOptions, read_document


def _image_pdf(path: Path, pages: int, text_pages: tuple[int, ...] = ()) -> Path:
    buf = io.BytesIO()
    Image.new("RGB", (120, 60), "white").save(buf, "PNG")
    pdf = FPDF()
    for number in range(1, pages + 1):
        pdf.add_page()
        if number in text_pages:
            pdf.set_font("helvetica", "", 12)
            pdf.multi_cell(
                0, 6, f"Pagina {number}: de gemeente voert de Participatiewet uit en helpt inwoners. " * 3
            )
        else:
            buf.seek(0)
            pdf.image(buf, x=10, y=10, w=150)
    pdf.output(str(path))
    return path


def test_corrupt_pdf(tmp_path):
    bad = tmp_path / "kapot.pdf"
    bad.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 20)
    with pytest.raises(CorruptDocument) as err:
        read_document(str(bad))
    assert (
        str(err.value)
        == f"{bad}: is damaged or not a complete PDF (open it in a PDF reader and save or export it again)"
    )


def test_truncated_pdf(tmp_path, plan_pdf):
    cut = tmp_path / "afgebroken.pdf"
    data = plan_pdf.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptDocument, match="afgebroken.pdf: is damaged or not a complete PDF"):
        read_document(str(cut))


def test_encrypted_pdf_needs_password(tmp_path):
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "", 12)
    pdf.cell(text="Vertrouwelijk concept van het handhavingsplan")
    pdf.set_encryption(owner_password="eigenaar", user_password="geheim")
    path = tmp_path / "beveiligd.pdf"
    pdf.output(str(path))
    with pytest.raises(EncryptedDocument) as err:
        read_document(str(path))
    assert (
        str(err.value)
        == f"{path}: is encrypted with a password (give it with --password, or save an unprotected copy)"
    )
    with pytest.raises(EncryptedDocument, match="the password is wrong"):
        read_document(str(path), options=IngestOptions(password="fout"))
    doc = read_document(str(path), options=IngestOptions(password="geheim"))
    assert [b.text for b in doc.blocks] == ["Vertrouwelijk concept van het handhavingsplan"]


def test_scanned_pdf_names_pages_and_ocr(tmp_path):
    path = _image_pdf(tmp_path / "scan.pdf", 3)
    with pytest.raises(NoTextLayer) as err:
        read_document(str(path))
    assert err.value.pages == [1, 2, 3]
    assert "no text layer on all pages of 3" in str(err.value)
    assert "OCR" in str(err.value)


def test_partly_scanned_pdf_warns_with_pages(tmp_path):
    path = _image_pdf(tmp_path / "deels.pdf", 4, text_pages=(1, 2))
    doc = read_document(str(path))
    assert any("pages 3-4 have no text layer" in w and "OCR" in w for w in doc.warnings)


@pytest.mark.parametrize("name", ["leeg.pdf", "leeg.txt", "leeg.docx", "leeg.html"])
def test_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(EmptyDocument, match=f"{name}: is empty"):
        read_document(str(path))


def test_whitespace_only_text_is_empty(tmp_path):
    path = tmp_path / "spaties.txt"
    path.write_text("   \n\n  \t\n")
    with pytest.raises(EmptyDocument):
        read_document(str(path))


def test_unsupported_type(tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(UnsupportedFormat) as err:
        read_document(str(path))
    assert str(err.value).startswith(f"{path}: unsupported file type '.xlsx' (supported: ")


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_document(str(tmp_path / "weg.pdf"))


def test_pdf_that_is_something_else(tmp_path):
    path = tmp_path / "plan.pdf"
    path.write_text("<html><body>Dit is een webpagina</body></html>")
    with pytest.raises(CorruptDocument) as err:
        read_document(str(path))
    assert (
        str(err.value)
        == f"{path}: is not a PDF (it starts with markup, perhaps HTML) (check that it is the right file)"
    )
