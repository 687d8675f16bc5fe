"""Read documents of any supported format into a `Document` of blocks in reading order.

One module per format; each exposes `extract(path, data, options) -> Extracted`. This module finds the
files, checks them, dispatches on the format and fills in identity (doc_id, sha256), title, agency and
language."""

from __future__ import annotations

import fnmatch
import hashlib
import os
import stat
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from aligncheck.errors import (
    CorruptDocument,
    EmptyDocument,
    InputError,
    LimitExceeded,
    UnsupportedFormat,
)
from aligncheck.ingest.agency import infer_agency
from aligncheck.ingest.base import Extracted, size_phrase
from aligncheck.ingest.lang import detect_language
from aligncheck.types import Block, BlockKind, Document, DocumentMeta

SUFFIXES: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".txt": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}
"""File suffixes read when a folder is given, and the format each one means."""


MB = 1024 * 1024


@dataclass(frozen=True)
class IngestOptions:
    """Settings that change how files are read, and the limits that keep a hostile or broken file
    from exhausting memory or time. Each limit has a command-line option that raises it."""

    password: str | None = None
    """Password for encrypted PDFs (`--password`)."""
    max_file_size: int = 200 * MB
    """Largest file read, in bytes (`--max-file-size`, in MB). Checked before the file is read."""
    max_pages: int = 2000
    """Most pages of a PDF (`--max-pages`). Checked before any page is read."""
    max_unpacked: int = 200 * MB
    """Largest total unpacked size of a DOCX's zip members, in bytes (`--max-unpacked`, in MB):
    guards against zip bombs."""
    max_passages: int = 20000
    """Most passages of one document (`--max-passages`): guards the scoring step."""


def discover(paths: Iterable[str]) -> Iterator[str | InputError]:
    """Yield the files to read, in a stable order: files as given, folders recursively (supported
    suffixes only, sorted). A path that does not exist, or a file of an unsupported type named
    directly, yields an InputError instead, so a batch goes on."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield given
        else:
            yield InputError(given, "no such file or folder", "check the path")


IGNORE_FILE = ".aligncheckignore"
"""A file in a folder listing names or glob patterns (one a line, relative to that folder, `#` for
comments, a trailing `/` for folders) that folder reading skips: sources, notes, drafts."""


def _walk(root: Path) -> Iterator[str | InputError]:
    seen: set[tuple[int, int]] = set()
    ignores: list[tuple[Path, list[str]]] = []
    for folder, dirs, files in os.walk(root, followlinks=True):
        stat = os.stat(folder)
        key = (stat.st_dev, stat.st_ino)
        if key in seen:  # a symlink loop: do not go round again
            dirs[:] = []
            continue
        seen.add(key)
        here = Path(folder)
        if IGNORE_FILE in files:
            ignores.append((here, _read_ignore(here / IGNORE_FILE)))
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not _ignored(here / d, ignores, True))
        for name in sorted(files):
            if name.startswith((".", "~$")) or _ignored(here / name, ignores, False):
                continue
            if Path(name).suffix.lower() in SUFFIXES:
                yield str(here / name)


def _read_ignore(path: Path) -> list[str]:
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def _ignored(path: Path, ignores: list[tuple[Path, list[str]]], is_dir: bool) -> bool:
    for base, patterns in ignores:
        try:
            rel = path.relative_to(base).as_posix()
        except ValueError:
            continue
        for pattern in patterns:
            if pattern.endswith("/"):
                if is_dir and (
                    fnmatch.fnmatch(rel, pattern[:-1]) or fnmatch.fnmatch(path.name, pattern[:-1])
                ):
                    return True
            elif fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(path.name, pattern):
                return True
    return False


def sniff_format(path: str, data: bytes) -> str:
    """The format of a file from its suffix, checked against its first bytes."""
    suffix = Path(path).suffix.lower()
    fmt = SUFFIXES.get(suffix)
    if fmt is None:
        known = ", ".join(sorted(set(SUFFIXES)))
        raise UnsupportedFormat(path, f"unsupported file type '{suffix or '(none)'}'", f"supported: {known}")
    head = data[:1024].lstrip()
    if fmt == "pdf" and not data[:1024].lstrip(b"\x00\r\n\t ").startswith(b"%PDF"):
        raise CorruptDocument(
            path, f"is not a PDF (it starts with {_describe(head)})", "check that it is the right file"
        )
    if fmt == "docx":
        if not data.startswith(b"PK"):
            raise CorruptDocument(
                path,
                f"is not a DOCX file (it starts with {_describe(head)})",
                "save it again as .docx from Word",
            )
    return fmt


def _describe(head: bytes) -> str:
    if head.startswith(b"PK"):
        return "a zip header"
    if head[:1] in (b"<",):
        return "markup, perhaps HTML"
    if head.startswith(b"%PDF"):
        return "a PDF header"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old Office header; save it as .docx"
    if head.startswith(b"\x89PNG"):
        return "a PNG image header"
    if head.startswith(b"\xff\xd8\xff"):
        return "a JPEG image header"
    text = head[:16].decode("latin-1").encode("unicode_escape").decode("ascii")
    return f"'{text}'"


def read_document(
    path: str, meta: DocumentMeta | None = None, options: IngestOptions | None = None
) -> Document:
    """Read one file. Raises an InputError subclass with a message that says what to do."""
    return with_meta(read_file(path, options), meta or DocumentMeta())


def with_meta(doc: Document, meta: DocumentMeta) -> Document:
    """A document read by `read_file`, with what a manifest or the command line says about it: their
    title and agency win; without an agency, it is inferred again if the title changed."""
    title = meta.title or doc.title
    if meta.agency:
        agency: str | None = meta.agency
    elif title == doc.title:
        agency = doc.agency
    else:
        agency = infer_agency(title, _opening(doc.blocks), doc.publisher)
    return replace(doc, title=title, agency=agency, meta=meta)


def read_file(path: str, options: IngestOptions | None = None) -> Document:
    """Read one file on its own, without a manifest's or the command line's metadata (see
    `with_meta`): the title is the document's own, the agency inferred from its text."""
    options = options or IngestOptions()
    try:
        data = _read_limited(path, options.max_file_size)
    except FileNotFoundError:
        raise InputError(path, "no such file", "check the path") from None
    except IsADirectoryError:
        raise InputError(path, "is a folder, not a file") from None
    except PermissionError:
        raise InputError(path, "cannot be read: permission denied", "check the file's permissions") from None
    except OSError as exc:
        raise InputError(path, f"cannot be read: {exc.strerror or exc}") from None
    if not data.strip():
        raise EmptyDocument(path, "is empty", "check that the export or download finished")
    fmt = sniff_format(path, data)
    extracted = _extract(fmt, path, data, options)
    if not any(b.text for b in extracted.blocks):
        raise EmptyDocument(path, "contains no text", "check that the file is the finished document")
    sha = hashlib.sha256(data).hexdigest()
    title = extracted.title or _first_heading(extracted)
    agency = infer_agency(title, _opening(extracted.blocks), extracted.publisher)
    language, warnings = _languages(path, extracted)
    return Document(
        doc_id=sha[:12],
        path=path,
        sha256=sha,
        format=fmt,
        blocks=tuple(extracted.blocks),
        title=title,
        agency=agency,
        pages=extracted.pages,
        language=language,
        warnings=tuple(extracted.warnings + warnings),
        publisher=extracted.publisher,
    )


def _opening(blocks: Sequence[Block]) -> str:
    """The text agency inference reads besides the title: the first blocks (cover, introduction)."""
    return " ".join(b.text for b in blocks[:60])


def _read_limited(path: str, limit: int) -> bytes:
    """The file's bytes, refused before reading when it is larger than `limit`."""
    with open(path, "rb") as handle:
        info = os.fstat(handle.fileno())
        size = info.st_size
        if not stat.S_ISREG(info.st_mode):  # a pipe or device: its size is unknown until read
            data = handle.read(limit + 1)
        else:  # one byte more than the size says, to notice a file that grew; never the whole limit
            data = handle.read(size + 1) if size <= limit else b""
    if size > limit or len(data) > limit:
        raise LimitExceeded(
            path,
            f"is {size_phrase(max(size, len(data)))}, more than the limit of {size_phrase(limit)}",
            "--max-file-size",
        )
    return data


def _extract(fmt: str, path: str, data: bytes, options: IngestOptions) -> Extracted:
    if fmt == "pdf":
        from aligncheck.ingest import pdf

        return pdf.extract(path, data, password=options.password, max_pages=options.max_pages)
    if fmt == "docx":
        from aligncheck.ingest import docx

        try:
            return docx.extract(path, data, max_unpacked=options.max_unpacked)
        except zipfile.BadZipFile:
            raise CorruptDocument(
                path, "is not a valid DOCX (broken zip)", "save it again as .docx from Word"
            ) from None
    if fmt == "html":
        from aligncheck.ingest import html

        return html.extract(path, data)
    from aligncheck.ingest import text

    return text.extract(path, data, markdown=(fmt == "markdown"))


def _first_heading(extracted: Extracted) -> str | None:
    for block in extracted.blocks:
        if block.kind is BlockKind.HEADING and block.text:
            return block.text
    return None


def _languages(path: str, extracted: Extracted) -> tuple[str, list[str]]:
    """The document's main language, and a warning for non-Dutch pages or documents."""
    by_page: dict[int | None, list[str]] = {}
    for block in extracted.blocks:
        if block.kind is not BlockKind.TABLE_ROW:
            by_page.setdefault(block.page, []).append(block.text)
    whole = detect_language(" ".join(" ".join(texts) for texts in by_page.values())[:20000]) or "nl"
    warnings: list[str] = []
    if whole != "nl":
        warnings.append(
            f"{path}: the document is not Dutch (detected: {whole}); scores are only meaningful for Dutch text"
        )
        return whole, warnings
    foreign = {}
    for page, texts in by_page.items():
        if page is None:
            continue
        lang = detect_language(" ".join(texts), min_words=30)
        if lang and lang != "nl":
            foreign[page] = lang
    if foreign:
        from aligncheck.errors import page_phrase

        langs = ", ".join(sorted(set(foreign.values())))
        verb = "is" if len(foreign) == 1 else "are"
        warnings.append(f"{path}: {page_phrase(sorted(foreign))} {verb} not Dutch (detected: {langs})")
    return whole, warnings
