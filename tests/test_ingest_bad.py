"""Bad input: each gets one specific error naming the file and what to do, never a traceback.

Most files come from the bad-input corpus, tests/data/bad/ (its README.md lists every file, what the
tool does with it and the test here that checks it); the large ones are made into a temporary folder
once per session."""

from __future__ import annotations

import importlib.util
import io
import os
import time
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner
from fpdf import FPDF
from PIL import Image

from aligncheck.cli import cli
from aligncheck.errors import (
    CorruptDocument,
    EmptyDocument,
    EncryptedDocument,
    InputError,
    LimitExceeded,
    NoTextLayer,
    UnsupportedFormat,
)
from aligncheck.ingest import MB, IngestOptions, discover, read_document

BAD = Path(__file__).parent / "data" / "bad"
_spec = importlib.util.spec_from_file_location("make_bad", BAD / "make_bad.py")
make_bad = importlib.util.module_from_spec(_spec)  # type: ignore[arg-type]
_spec.loader.exec_module(make_bad)  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def large(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The large and special files of the corpus (thousands of pages, zip bombs, ...)."""
    folder = tmp_path_factory.mktemp("bad")
    made = make_bad.make_large(folder)
    yield made
    os.chmod(made["unreadable.txt"], 0o644)  # let pytest clean up


def bad(name: str) -> str:
    return str(BAD / name)


def ingest_cli(*args: str):
    return CliRunner().invoke(cli, ["ingest", "--format", "summary", *args])


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


def test_committed_corpus_is_what_the_script_makes(tmp_path):
    made = make_bad.make_small(tmp_path)
    assert sorted(p.name for p in made) == sorted(make_bad.SMALL)
    assert make_bad.MADE_WITH_LIBRARIES < set(make_bad.SMALL)
    for path in made:
        if path.name not in make_bad.MADE_WITH_LIBRARIES:  # those may differ with fpdf2's version
            assert path.read_bytes() == (BAD / path.name).read_bytes(), f"rerun {BAD / 'make_bad.py'}"
        assert (BAD / path.name).exists()


def test_corrupt_pdf():
    with pytest.raises(CorruptDocument) as err:
        read_document(bad("corrupt.pdf"))
    assert (
        str(err.value)
        == f"{bad('corrupt.pdf')}: is damaged or not a complete PDF (open it in a PDF reader and save or export it again)"
    )


def test_truncated_pdf():
    with pytest.raises(CorruptDocument, match="truncated.pdf: is damaged or not a complete PDF"):
        read_document(bad("truncated.pdf"))


def test_truncated_plan_pdf(tmp_path, plan_pdf):
    cut = tmp_path / "afgebroken.pdf"
    data = plan_pdf.read_bytes()
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(CorruptDocument, match="afgebroken.pdf: is damaged or not a complete PDF"):
        read_document(str(cut))


def test_pdf_without_trailer_is_corrupt():
    with pytest.raises(CorruptDocument, match="no-trailer.pdf: is damaged or not a complete PDF"):
        read_document(bad("no-trailer.pdf"))


def test_pdf_with_broken_xref_is_repaired_and_read():
    doc = read_document(bad("broken-xref.pdf"))
    assert doc.blocks[0].text.startswith("Wij gaan uit van vertrouwen in de burger.")


def test_pdf_with_undecodable_content_stream_is_not_called_scanned():
    with pytest.raises(EmptyDocument) as err:
        read_document(bad("bad-stream.pdf"))
    assert str(err.value) == (
        f"{bad('bad-stream.pdf')}: has no text and nothing drawn on any of its 1 page(s) "
        "(if a PDF reader shows text, the page content is damaged: export or print it to PDF again)"
    )


def test_encrypted_pdf_needs_password():
    path = bad("encrypted-user.pdf")
    with pytest.raises(EncryptedDocument) as err:
        read_document(path)
    assert (
        str(err.value)
        == f"{path}: is encrypted with a password (give it with --password, or save an unprotected copy)"
    )
    with pytest.raises(EncryptedDocument, match="the password is wrong"):
        read_document(path, options=IngestOptions(password="fout"))
    doc = read_document(path, options=IngestOptions(password="geheim"))
    assert doc.blocks[0].text.startswith("Wij gaan uit van vertrouwen in de burger.")


def test_password_option_on_the_command_line():
    assert ingest_cli(bad("encrypted-user.pdf")).exit_code == 3
    wrong = ingest_cli("--password", "fout", bad("encrypted-user.pdf"))
    assert wrong.exit_code == 3
    assert (
        f"error: {bad('encrypted-user.pdf')}: the password is wrong (check the --password value)"
        in wrong.stderr
    )
    right = ingest_cli("--password", "geheim", bad("encrypted-user.pdf"))
    assert right.exit_code == 0 and right.stdout.startswith(bad("encrypted-user.pdf") + "\t")


def test_pdf_with_only_an_owner_password_opens_without_one():
    doc = read_document(bad("encrypted-owner.pdf"))
    assert doc.blocks[0].text.startswith("Wij gaan uit van vertrouwen in de burger.")


def test_scanned_pdf_names_pages_and_ocr():
    with pytest.raises(NoTextLayer) as err:
        read_document(bad("scanned.pdf"))
    assert err.value.pages == [1, 2]
    assert str(err.value) == (
        f"{bad('scanned.pdf')}: no text layer on all pages of 2: it looks scanned "
        "(run OCR first, for example `ocrmypdf -l nld in.pdf out.pdf`, and check the result)"
    )


def test_partly_scanned_pdf_warns_with_pages(tmp_path):
    path = _image_pdf(tmp_path / "deels.pdf", 4, text_pages=(1, 2))
    doc = read_document(str(path))
    assert any("pages 3-4 have no text layer" in w and "OCR" in w for w in doc.warnings)


@pytest.mark.parametrize("name", ["empty.pdf", "empty.txt", "empty.docx", "empty.html"])
def test_empty_file(name):
    with pytest.raises(EmptyDocument) as err:
        read_document(bad(name))
    assert str(err.value) == f"{bad(name)}: is empty (check that the export or download finished)"


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


@pytest.mark.parametrize(
    ("name", "start"), [("html.pdf", "markup, perhaps HTML"), ("png.pdf", "a PNG image header")]
)
def test_pdf_that_is_something_else(name, start):
    with pytest.raises(CorruptDocument) as err:
        read_document(bad(name))
    assert (
        str(err.value)
        == f"{bad(name)}: is not a PDF (it starts with {start}) (check that it is the right file)"
    )


def test_pdf_with_thousands_of_pages_is_refused_before_reading(large):
    path = str(large["many-pages.pdf"])
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as err:
        read_document(path)
    assert time.monotonic() - started < 5
    assert str(err.value) == (
        f"{path}: has 2500 pages, more than the limit of 2000 "
        "(raise the limit with --max-pages if the file is right)"
    )
    assert err.value.option == "--max-pages"


def test_max_pages_option_raises_and_lowers_the_limit(plan_pdf):
    with pytest.raises(LimitExceeded, match="has 6 pages, more than the limit of 5"):
        read_document(str(plan_pdf), options=IngestOptions(max_pages=5))
    assert read_document(str(plan_pdf), options=IngestOptions(max_pages=6)).pages == 6
    result = ingest_cli("--max-pages", "5", str(plan_pdf))
    assert result.exit_code == 3
    assert "(raise the limit with --max-pages if the file is right)" in result.stderr


def test_huge_page_is_read():
    doc = read_document(bad("huge-page.pdf"))
    assert doc.pages == 1 and doc.blocks[0].text.startswith("Wij gaan uit van vertrouwen in de burger.")


def test_docx_zip_bomb_is_refused_unpacked(large):
    path = str(large["bomb.docx"])
    assert os.path.getsize(path) < MB
    with pytest.raises(LimitExceeded) as err:
        read_document(path)
    assert str(err.value) == (
        f"{path}: unpacks to 251 MB, more than the limit of 200 MB (a real plan is far smaller; this may "
        "be a zip bomb) (raise the limit with --max-unpacked if the file is right)"
    )


def test_docx_bomb_that_understates_its_size_is_never_unpacked(large):
    # declared sizes and CRC say 4 KB; the stream holds 250 MB. Unpacking it whole would take 250 MB.
    tracemalloc.start()
    try:
        with pytest.raises(CorruptDocument, match="understated-bomb.docx: is not a valid DOCX"):
            read_document(str(large["understated-bomb.docx"]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 20 * MB


def test_max_unpacked_option(tmp_path):
    path = tmp_path / "plan.docx"
    path.write_bytes(make_bad.bomb_docx(size=3 * MB))
    with pytest.raises(LimitExceeded, match=r"unpacks to 3\.8 MB, more than the limit of 2\.0 MB"):
        read_document(str(path), options=IngestOptions(max_unpacked=2 * MB))
    # allowed, it is unpacked and then found not to be a Word document (its document.xml is zeros)
    with pytest.raises(CorruptDocument, match="is not a valid DOCX"):
        read_document(str(path), options=IngestOptions(max_unpacked=4 * MB))
    assert "--max-unpacked" in ingest_cli("--max-unpacked", "2", str(path)).stderr


@pytest.mark.parametrize(
    ("name", "start"),
    [("not-a-zip.docx", "'Wij gaan uit van'"), ("old-word.docx", "an old Office header; save it as .docx")],
)
def test_docx_that_is_not_a_zip(name, start):
    with pytest.raises(CorruptDocument) as err:
        read_document(bad(name))
    assert (
        str(err.value)
        == f"{bad(name)}: is not a DOCX file (it starts with {start}) (save it again as .docx from Word)"
    )


@pytest.mark.parametrize("name", ["nested.html", "unclosed.html"])
def test_deeply_nested_html_is_read_without_recursion(large, name):
    started = time.monotonic()
    doc = read_document(str(large[name]))
    assert time.monotonic() - started < 60
    assert doc.blocks[0].text.startswith("Wij gaan uit van vertrouwen in de burger.")


def test_enormous_html_is_refused_before_reading(large):
    path = str(large["enormous.html"])
    tracemalloc.start()
    try:
        with pytest.raises(LimitExceeded) as err:
            read_document(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < MB
    assert str(err.value) == (
        f"{path}: is 300 MB, more than the limit of 200 MB (raise the limit with --max-file-size if the file is right)"
    )


def test_max_file_size_option(tmp_path):
    path = tmp_path / "groot.html"
    path.write_text("<p>" + "Wij gaan uit van vertrouwen. " * 80_000 + "</p>", encoding="utf-8")
    result = ingest_cli("--max-file-size", "1", str(path))
    assert result.exit_code == 3
    assert result.stderr.startswith(
        f"error: {path}: is 2.2 MB, more than the limit of 1.0 MB (raise the limit with --max-file-size if the file is right)\n"
    )
    assert ingest_cli("--max-file-size", "3", str(path)).exit_code == 0


def test_max_passages_option(tmp_path):
    path = tmp_path / "lang.md"
    path.write_text("\n\n".join(f"## {i}\n\nWij gaan uit van vertrouwen, deel {i}." for i in range(30)))
    result = ingest_cli("--max-passages", "20", str(path))
    assert result.exit_code == 3
    assert (
        f"error: {path}: has 30 passages, more than the limit of 20 (raise the limit with --max-passages"
        in result.stderr
    )
    assert ingest_cli("--max-passages", "30", str(path)).exit_code == 0


@pytest.mark.parametrize("name", ["utf16le-bom.txt", "utf16le.txt", "utf16be.txt", "cp1252.txt"])
def test_text_in_other_encodings_is_decoded(name):
    doc = read_document(bad(name))
    assert [b.text for b in doc.blocks] == [make_bad.TEXT, make_bad.ACCENTED]
    assert doc.warnings == ()


def test_latin1_text_is_decoded():
    doc = read_document(bad("latin1.txt"))
    assert doc.blocks[1].text == "De cliënt krijgt één brief en daarna pas een terugvordering."


def test_stray_nul_bytes_are_dropped_with_a_warning():
    doc = read_document(bad("nul-bytes.txt"))
    assert [b.text for b in doc.blocks] == [make_bad.TEXT]
    assert doc.warnings == (f"{bad('nul-bytes.txt')}: 3 NUL byte(s) were removed from the text",)


def test_binary_file_named_txt():
    with pytest.raises(CorruptDocument) as err:
        read_document(bad("binary.txt"))
    assert str(err.value) == (
        f"{bad('binary.txt')}: contains NUL bytes: it looks like a binary file, not text "
        "(export it as plain text (UTF-8))"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their permissions")
def test_unreadable_file(large):
    path = str(large["unreadable.txt"])
    with pytest.raises(InputError) as err:
        read_document(path)
    assert str(err.value) == f"{path}: cannot be read: permission denied (check the file's permissions)"


def test_unreadable_file_as_the_os_reports_it(large, monkeypatch):
    # the same path, for a run as root (where chmod 000 does not stop reading): the OS refuses
    path = str(large["unreadable.txt"])
    real_open = open

    def refusing_open(file, *args, **kwargs):
        if str(file) == path:
            raise PermissionError(13, "Permission denied", path)
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", refusing_open)
    with pytest.raises(InputError) as err:
        read_document(path)
    assert str(err.value) == f"{path}: cannot be read: permission denied (check the file's permissions)"


def test_folder_with_a_symlink_loop(large):
    loop = large["loop"]
    assert list(discover([str(loop)])) == [str(loop / "plan.txt"), str(loop / "sub" / "deelplan.txt")]
    result = ingest_cli(str(loop))
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-1] == "2 document(s) read"
