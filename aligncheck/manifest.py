"""Manifests: a TOML file that lists documents with their agency, title, period and version.

```toml
[[document]]
path = "svb.pdf"            # relative to the manifest's folder (required)
agency = "SVB"
title = "Meerjarenplan Handhaving 2026-2029"
period = "2026-2029"
version = "1.0"
date = "2026-03-15"
source = "src/svb.md"       # optional, for people: what the file was made from
notes = "..."               # optional, for people
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from aligncheck.errors import ManifestError
from aligncheck.types import DocumentMeta

_FIELDS = {"path", "agency", "title", "period", "version", "date", "source", "notes"}
"""`source` (the file a document was generated from) and `notes` are for people; aligncheck keeps
them out of its results."""


@dataclass(frozen=True)
class ManifestEntry:
    path: str
    """The document's path: relative to the current folder when the manifest's was, else absolute."""
    meta: DocumentMeta


@dataclass(frozen=True)
class Manifest:
    source: str
    entries: tuple[ManifestEntry, ...]

    def meta_for(self, path: str) -> DocumentMeta | None:
        """The manifest's metadata for a file, matched on its resolved path."""
        target = Path(path).resolve()
        for entry in self.entries:
            if Path(entry.path).resolve() == target:
                return entry.meta
        return None


def load_manifest(source: str) -> Manifest:
    """Read and validate a manifest; all problems are reported together."""
    try:
        raw = tomllib.loads(Path(source).read_text("utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{source}: no such manifest file") from None
    except tomllib.TOMLDecodeError as exc:
        raise ManifestError(f"{source}: not valid TOML: {exc}") from None
    except UnicodeDecodeError:
        raise ManifestError(f"{source}: not UTF-8 text; save the manifest as UTF-8") from None
    docs = raw.get("document")
    problems: list[str] = []
    unknown_top = sorted(set(raw) - {"document"})
    if unknown_top:
        problems.append(f"unknown top-level key(s) {', '.join(unknown_top)}; use [[document]] tables")
    if not isinstance(docs, list) or not docs:
        problems.append("no [[document]] entries")
        docs = []
    base = Path(source).parent
    entries: list[ManifestEntry] = []
    for i, doc in enumerate(docs):
        where = f"document[{i}]"
        if not isinstance(doc, dict):
            problems.append(f"{where}: must be a table")
            continue
        extra = sorted(set(doc) - _FIELDS)
        if extra:
            problems.append(
                f"{where}: unknown field(s) {', '.join(extra)} (allowed: {', '.join(sorted(_FIELDS))})"
            )
        if not isinstance(doc.get("path"), str) or not doc.get("path"):
            problems.append(f"{where}.path: required, a file path")
            continue
        values = {}
        for key in ("agency", "title", "period", "version", "date"):
            value = doc.get(key)
            if value is not None and not isinstance(value, str | int | float):
                value = str(value)
            values[key] = None if value is None else str(value)
        path = doc["path"]
        full = path if Path(path).is_absolute() else str(base / path)
        entries.append(ManifestEntry(full, DocumentMeta(**values)))
    if problems:
        raise ManifestError(f"{source}: " + "; ".join(problems))
    return Manifest(source, tuple(entries))
