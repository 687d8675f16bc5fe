"""The one place that wires the stages: documents -> passages (-> scores -> findings -> reports)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace

from aligncheck.errors import InputError
from aligncheck.ingest import IngestOptions, discover, read_document
from aligncheck.manifest import Manifest
from aligncheck.segment import segment
from aligncheck.types import Document, DocumentMeta, Passage


@dataclass(frozen=True)
class Ingested:
    """One document read and segmented."""

    document: Document
    passages: list[Passage]


@dataclass
class IngestResult:
    """What a run over many inputs gave: the documents read, and the inputs that failed."""

    documents: list[Ingested] = field(default_factory=list)
    failures: list[InputError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def ingest_paths(
    paths: Iterable[str],
    *,
    agency: str | None = None,
    manifest: Manifest | None = None,
    options: IngestOptions | None = None,
    on_document: Callable[[str], None] | None = None,
) -> Iterator[Ingested | InputError]:
    """Read and segment every file under `paths` (or the manifest's documents when no paths are
    given). Yields each document as it is read, or the InputError that stopped it; never raises for
    a bad file, so a batch goes on."""
    if not paths and manifest is not None:
        paths = [entry.path for entry in manifest.entries]
    for item in discover(paths):
        if isinstance(item, InputError):
            yield item
            continue
        if on_document:
            on_document(item)
        meta = (manifest.meta_for(item) if manifest else None) or DocumentMeta()
        if agency:
            meta = replace(meta, agency=agency)
        try:
            doc = read_document(item, meta, options)
        except InputError as exc:
            yield exc
            continue
        yield Ingested(doc, segment(doc))


def ingest_all(paths: Iterable[str], **kwargs: object) -> IngestResult:
    """ingest_paths, collected."""
    result = IngestResult()
    for item in ingest_paths(paths, **kwargs):  # type: ignore[arg-type]
        if isinstance(item, InputError):
            result.failures.append(item)
        else:
            result.documents.append(item)
            result.warnings.extend(item.document.warnings)
    return result
