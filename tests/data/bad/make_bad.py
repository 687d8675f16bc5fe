"""Build the bad-input corpus: files that are broken, hostile or odd, each with one documented outcome
(see README.md next to this script).

Deterministic: the same bytes on every run. Small files are committed next to this script
(`python tests/data/bad/make_bad.py` rewrites them; a test checks they are up to date). Large or
special files (thousands of pages, zip bombs, a sparse 300 MB file, an unreadable file, a symlink
loop) are made by `make_large(folder)` from a test fixture into a temporary folder.

All text here is written for the tests."""

from __future__ import annotations

import io
import os
import random
import re
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
MB = 1024 * 1024
DATE = datetime(2026, 1, 1, tzinfo=UTC)
ZIP_DATE = (2026, 1, 1, 0, 0, 0)

TEXT = (
    "Wij gaan uit van vertrouwen in de burger. De meeste mensen willen de regels naleven en doen dat "
    "ook. Bij een vergissing nemen wij eerst contact op en leggen wij uit wat er moet gebeuren."
)
ACCENTED = "De cliënt krijgt één brief – “eerst uitleg” – en daarna pas een terugvordering van € 50."


# --- PDF ---------------------------------------------------------------------------------------------


def _pdf(pages: int = 1, page_format: str | tuple[float, float] = "A4", text: str = TEXT, **encryption: str):
    from fpdf import FPDF

    pdf = FPDF(format=page_format)
    pdf.set_creation_date(DATE)
    pdf.set_font("helvetica", "", 12)
    for number in range(1, pages + 1):
        pdf.add_page()
        pdf.multi_cell(0, 6, text if pages == 1 else f"Pagina {number}. {text}")
    if encryption:
        pdf.set_encryption(**encryption)
    return bytes(pdf.output())


def truncated_pdf() -> bytes:
    """A whole PDF cut off halfway, as an interrupted download leaves it."""
    data = _pdf(pages=3)
    return data[: len(data) // 2]


def corrupt_pdf() -> bytes:
    """A PDF header followed by noise."""
    noise = random.Random(7)
    return b"%PDF-1.4\n" + bytes(noise.randrange(256) for _ in range(4000))


def no_trailer_pdf() -> bytes:
    """Objects intact, but the cross-reference table and trailer (which names the root) cut away."""
    data = _pdf()
    return data[: data.rindex(b"\nxref\n") + 1] + b"startxref\n0\n%%EOF\n"


def broken_xref_pdf() -> bytes:
    """Every offset in the cross-reference table wrong: pdfium rebuilds the table by scanning."""
    data = _pdf()
    start = data.rindex(b"\nxref\n")
    return data[:start] + re.sub(rb"\d{10} 00000 n", b"0000099999 00000 n", data[start:])


def bad_stream_pdf() -> bytes:
    """The page's compressed content stream scrambled: nothing on the page can be decoded."""
    data = _pdf()
    begin = data.index(b"stream\n") + len(b"stream\n")
    end = data.index(b"endstream", begin)
    return data[:begin] + bytes(b ^ 0x5A for b in data[begin:end]) + data[end:]


def encrypted_user_pdf() -> bytes:
    """Needs the user password 'geheim' to open."""
    return _pdf(owner_password="eigenaar", user_password="geheim")


def encrypted_owner_pdf() -> bytes:
    """Only an owner password (permissions): it opens without a password."""
    return _pdf(owner_password="eigenaar")


def scanned_pdf() -> bytes:
    """Two pages that are only images: a scan without OCR."""
    from fpdf import FPDF
    from PIL import Image

    image = io.BytesIO()
    Image.new("L", (200, 100), 255).save(image, "PNG")
    pdf = FPDF()
    pdf.set_creation_date(DATE)
    for _ in range(2):
        pdf.add_page()
        image.seek(0)
        pdf.image(image, x=10, y=10, w=180)
    return bytes(pdf.output())


def huge_page_pdf() -> bytes:
    """One page of 5 x 5 metres (about the largest a PDF reader allows)."""
    return _pdf(page_format=(5000.0, 5000.0))


def png_as_pdf() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 20), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def html_as_pdf() -> bytes:
    return f"<html><body><p>{TEXT}</p></body></html>".encode()


# --- DOCX --------------------------------------------------------------------------------------------


def _docx_members() -> dict[str, bytes]:
    """The members of a small, valid .docx (python-docx's template with one paragraph)."""
    import docx

    document = docx.Document()
    document.add_paragraph(TEXT)
    document.core_properties.created = DATE.replace(tzinfo=None)
    document.core_properties.modified = DATE.replace(tzinfo=None)
    out = io.BytesIO()
    document.save(out)
    with zipfile.ZipFile(out) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def _zip(members: dict[str, bytes], first: tuple[str, int] | None = None) -> bytes:
    """A zip of `members`; `first` = (name, size) puts a member of `size` zero bytes first."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        if first:
            name, size = first
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            with archive.open(info, "w") as handle:
                chunk = bytes(MB)
                for _ in range(size // MB):
                    handle.write(chunk)
        for name, data in members.items():
            if first and name == first[0]:
                continue
            info = zipfile.ZipInfo(name, ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return out.getvalue()


def bomb_docx(size: int = 250 * MB) -> bytes:
    """A real Word package whose document.xml unpacks to `size` zero bytes (about 250 KB on disk)."""
    return _zip(_docx_members(), first=("word/document.xml", size))


def understated_bomb_docx(bomb: bytes, declared: int = 4096) -> bytes:
    """A `bomb_docx` that lies: it declares document.xml to be `declared` zero bytes, with the CRC of
    those, so a reader that checks the declared sizes and CRCs passes it, while its compressed stream
    still unpacks to the full size for a reader that unpacks a member whole."""
    data = bytearray(bomb)
    crc = zlib.crc32(bytes(declared))
    # the first member's local header: CRC at byte 14, uncompressed size at byte 22
    struct.pack_into("<I", data, 14, crc)
    struct.pack_into("<I", data, 22, declared)
    name = b"word/document.xml"
    central = data.index(b"PK\x01\x02")
    while data[central + 46 : central + 46 + len(name)] != name:
        central = data.index(b"PK\x01\x02", central + 4)
    struct.pack_into("<I", data, central + 16, crc)
    struct.pack_into("<I", data, central + 24, declared)
    return bytes(data)


def not_a_zip_docx() -> bytes:
    return (TEXT + "\n").encode()


def old_word_docx() -> bytes:
    """An old binary Word file (OLE compound document header) saved under a .docx name."""
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)


# --- HTML and text ------------------------------------------------------------------------------------


def nested_html(depth: int = 20_000) -> bytes:
    """A paragraph inside `depth` nested <div> elements."""
    return (
        b"<html><body>" + b"<div>" * depth + f"<p>{TEXT}</p>".encode() + b"</div>" * depth + b"</body></html>"
    )


def unclosed_html(depth: int = 10_000) -> bytes:
    """Inline elements opened `depth` times and never closed."""
    return f"<p>{TEXT} ".encode() + b"<b><i>" * depth + b"en dat blijft zo"


def make_enormous_html(path: Path, size: int = 300 * MB) -> Path:
    """A sparse file of `size` bytes named .html: takes no disk, refused before it is read."""
    with open(path, "wb") as handle:
        handle.write(f"<html><body><p>{TEXT}</p>".encode())
        handle.truncate(size)
    return path


def text_utf16(bom: bool, byteorder: str = "little") -> bytes:
    body = (TEXT + "\n\n" + ACCENTED + "\n").encode("utf-16-le" if byteorder == "little" else "utf-16-be")
    if not bom:
        return body
    return (b"\xff\xfe" if byteorder == "little" else b"\xfe\xff") + body


def text_cp1252() -> bytes:
    return (TEXT + "\n\n" + ACCENTED + "\n").encode("cp1252")


def text_latin1() -> bytes:
    return (TEXT + "\n\nDe cliënt krijgt één brief en daarna pas een terugvordering.\n").encode("latin-1")


def text_nul_bytes() -> bytes:
    """Ordinary UTF-8 text with three stray NUL bytes (an export glitch)."""
    return (TEXT[:40] + "\x00" + TEXT[40:80] + "\x00\x00" + TEXT[80:] + "\n").encode()


def text_binary() -> bytes:
    """Binary data (many NUL bytes) under a .txt name."""
    noise = random.Random(11)
    return bytes(noise.choice((0, 0, 0, 1, 7, 65, 200)) for _ in range(3000))


SMALL: dict[str, Callable[[], bytes]] = {
    "truncated.pdf": truncated_pdf,
    "corrupt.pdf": corrupt_pdf,
    "no-trailer.pdf": no_trailer_pdf,
    "broken-xref.pdf": broken_xref_pdf,
    "bad-stream.pdf": bad_stream_pdf,
    "encrypted-user.pdf": encrypted_user_pdf,
    "encrypted-owner.pdf": encrypted_owner_pdf,
    "scanned.pdf": scanned_pdf,
    "huge-page.pdf": huge_page_pdf,
    "png.pdf": png_as_pdf,
    "html.pdf": html_as_pdf,
    "not-a-zip.docx": not_a_zip_docx,
    "old-word.docx": old_word_docx,
    "utf16le-bom.txt": lambda: text_utf16(bom=True),
    "utf16le.txt": lambda: text_utf16(bom=False),
    "utf16be.txt": lambda: text_utf16(bom=False, byteorder="big"),
    "cp1252.txt": text_cp1252,
    "latin1.txt": text_latin1,
    "nul-bytes.txt": text_nul_bytes,
    "binary.txt": text_binary,
    "empty.pdf": lambda: b"",
    "empty.docx": lambda: b"",
    "empty.html": lambda: b"",
    "empty.txt": lambda: b"",
}
"""Committed next to this script: name -> builder."""

MADE_WITH_LIBRARIES = frozenset(
    {
        "truncated.pdf",
        "no-trailer.pdf",
        "broken-xref.pdf",
        "bad-stream.pdf",
        "encrypted-user.pdf",
        "encrypted-owner.pdf",
        "scanned.pdf",
        "huge-page.pdf",
        "png.pdf",
    }
)
"""Small files built with fpdf2 or Pillow: the same bytes on every run, but another version of those
libraries may write other (equally valid) bytes."""


def make_small(folder: Path = HERE) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, build in SMALL.items():
        (folder / name).write_bytes(build())
        written.append(folder / name)
    return written


def make_large(folder: Path) -> dict[str, Path]:
    """The large and special files, made into `folder` (a temporary folder in the tests)."""
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        (folder / name).write_bytes(data)
        out[name] = folder / name

    put("many-pages.pdf", _pdf(pages=2500, text="Een korte regel."))
    bomb = bomb_docx()
    put("bomb.docx", bomb)
    put("understated-bomb.docx", understated_bomb_docx(bomb))
    put("nested.html", nested_html())
    put("unclosed.html", unclosed_html())
    out["enormous.html"] = make_enormous_html(folder / "enormous.html")
    put("unreadable.txt", (TEXT + "\n").encode())
    os.chmod(folder / "unreadable.txt", 0)
    loop = folder / "loop"
    (loop / "sub").mkdir(parents=True)
    (loop / "plan.txt").write_text(TEXT + "\n", encoding="utf-8")
    (loop / "sub" / "deelplan.txt").write_text(TEXT + "\n", encoding="utf-8")
    (loop / "sub" / "terug").symlink_to("..", target_is_directory=True)  # loop/sub/terug -> loop
    (loop / "zelf").symlink_to(".", target_is_directory=True)  # loop/zelf -> loop
    out["loop"] = loop
    return out


if __name__ == "__main__":
    for path in make_small(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE):
        print(path)
