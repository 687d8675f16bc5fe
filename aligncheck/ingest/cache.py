"""Documents read and segmented, as JSON for the store, so an unchanged file is not read again.

An entry holds what `read_file` and segmentation made of one file on its own (no manifest or command
line metadata: that is applied after loading). Its key names everything the result depends on: the
file's bytes (SHA-256), the path as given (it is in the document, its passages and its warnings), the
reader (`reader_fingerprint`: aligncheck's version, the source of the readers and the segmenter, their
data files and the versions of the libraries aligncheck depends on) and the options that can change
the outcome (the limits). Files read with a password are not cached: a later run without it must fail
as a fresh read would."""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import astuple
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from aligncheck.ingest import IngestOptions
from aligncheck.types import Block, BlockKind, Document, Passage, PassageKind

PACKAGE = Path(__file__).resolve().parents[1]
READER_SOURCES = ("ingest/*.py", "segment.py", "types.py", "data/*")
"""Files of the package, relative to it, whose content decides what a file reads as."""


@lru_cache(maxsize=1)
def reader_fingerprint() -> str:
    """Hex SHA-256 of what reading and segmenting depend on besides the file (see the module doc)."""
    from aligncheck import __version__

    digest = hashlib.sha256(f"aligncheck {__version__}\0".encode())
    files = sorted({f for pattern in READER_SOURCES for f in PACKAGE.glob(pattern) if f.is_file()})
    for file in files:
        data = file.read_bytes()
        digest.update(f"{file.relative_to(PACKAGE).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    for requirement in sorted(metadata.requires("aligncheck") or []):
        if "extra ==" in requirement:
            continue
        name = re.split(r"[<>=!~ ;\[]", requirement, maxsplit=1)[0]
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{name}=={version}\0".encode())
    return digest.hexdigest()


def cache_key(path: str, options: IngestOptions) -> str | None:
    """The key of `path` as it is now, or None when it is not to be cached (a password, a file too
    large to read, one that cannot be read: reading it reports why)."""
    if options.password is not None:
        return None
    try:
        if os.stat(path).st_size > options.max_file_size:
            return None
        with open(path, "rb") as handle:
            content = hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None
    limits = [options.max_file_size, options.max_pages, options.max_unpacked, options.max_passages]
    parts = json.dumps([content, path, reader_fingerprint(), limits])
    return hashlib.sha256(parts.encode("utf-8")).hexdigest()


def to_json(document: Document, passages: list[Passage]) -> str:
    """A document read by `read_file` and its passages. A passage's document fields (id, path,
    agency, title) are the document's and are not repeated."""
    doc = {
        "doc_id": document.doc_id,
        "path": document.path,
        "sha256": document.sha256,
        "format": document.format,
        "blocks": [astuple(b) for b in document.blocks],
        "title": document.title,
        "agency": document.agency,
        "pages": document.pages,
        "language": document.language,
        "warnings": list(document.warnings),
        "publisher": document.publisher,
    }
    rows = [
        [p.index, p.text, p.section, p.char_start, p.char_end, p.page, p.page_end, p.kind, p.lang, p.items]
        for p in passages
    ]
    return json.dumps({"document": doc, "passages": rows}, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str) -> tuple[Document, list[Passage]]:
    """The inverse of `to_json`. Raises ValueError (or KeyError, TypeError) for an entry that is not
    one: the caller reads the file again."""
    data: dict[str, Any] = json.loads(text)
    d = data["document"]
    document = Document(
        doc_id=d["doc_id"],
        path=d["path"],
        sha256=d["sha256"],
        format=d["format"],
        blocks=tuple(Block(BlockKind(k), t, p, pe, lv) for k, t, p, pe, lv in d["blocks"]),
        title=d["title"],
        agency=d["agency"],
        pages=d["pages"],
        language=d["language"],
        warnings=tuple(d["warnings"]),
        publisher=d["publisher"],
    )
    passages = [
        Passage(
            doc_id=document.doc_id,
            index=index,
            path=document.path,
            text=text,
            section=tuple(section),
            char_start=start,
            char_end=end,
            page=page,
            page_end=page_end,
            kind=PassageKind(kind),
            agency=document.agency,
            title=document.title,
            lang=lang,
            items=tuple((int(a), int(b)) for a, b in items),
        )
        for index, text, section, start, end, page, page_end, kind, lang, items in data["passages"]
    ]
    return document, passages
