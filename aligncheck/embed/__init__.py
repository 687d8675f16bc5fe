"""Texts -> vectors: one `Embedder` protocol, one module per backend, and a cached `embed_texts`.

Backends (see `load_embedder`):
  use-m3    Universal Sentence Encoder Multilingual v3, pure numpy, offline (the default)
  st:PATH   a sentence-transformers model folder on disk (optional extra: torch, sentence-transformers)
  fake      a deterministic hashed bag of words for tests (fake:DIM for another dimension)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from aligncheck.errors import ModelError, UsageError, quiet_on_interrupt

if TYPE_CHECKING:
    from aligncheck.store import Store

DEFAULT_MODEL = "use-m3"

SPECS_HELP = (
    "'use-m3' (the default; alias 'default'), 'st:PATH' (a sentence-transformers model folder) "
    "or 'fake[:DIM]' (a hashed bag of words, for tests)"
)


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into float32 vectors of shape (n, dim) with L2-normalised rows."""

    @property
    def model_id(self) -> str:
        """Stable name of the exact model: backend, model and version. Keys the cache."""
        ...

    @property
    def dim(self) -> int:
        """Length of each vector."""
        ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed `texts` in order: float32 array of shape (len(texts), dim), unit rows."""
        ...


def load_embedder(spec: str = DEFAULT_MODEL) -> Embedder:
    """The embedder named by `spec`: 'use-m3' (alias 'default'), 'st:PATH', 'fake' or 'fake:DIM'.

    Raises UsageError for an unknown spec and ModelError for a model that cannot be loaded."""
    name = spec.strip()
    if name in ("use-m3", "default", ""):
        from aligncheck.embed.use import UseEmbedder

        return UseEmbedder()
    if name.startswith("st:"):
        from aligncheck.embed.st import StEmbedder

        return StEmbedder(name[len("st:") :])
    if name == "fake" or name.startswith("fake:"):
        from aligncheck.embed.fake import DEFAULT_DIM, FakeEmbedder

        if name == "fake":
            return FakeEmbedder(DEFAULT_DIM)
        value = name[len("fake:") :]
        if not value.isdigit() or int(value) < 1:
            raise UsageError(f"embedding model {spec!r}: DIM in 'fake:DIM' must be a positive whole number")
        return FakeEmbedder(int(value))
    raise UsageError(f"unknown embedding model {spec!r}: use {SPECS_HELP}")


MAX_ENCODING_WORKERS = 4
"""At most this many encoding processes, whatever `workers` says: each loads its own copy of the
encoder (use-m3 is a 164 MB package), and past a few the model loads outweigh the chunks they share.
On the 2-CPU benchmark machine, two processes kept the peak memory of a 2,006-page batch at 475 MB."""

STORE_CHUNK = 512
"""Texts embedded and stored at a time (small enough to lose little to an interrupt, large enough for
the encoder's batching)."""


def embed_texts(
    embedder: Embedder, texts: Sequence[str], store: Store | None = None, workers: int = 1
) -> np.ndarray:
    """Vectors for `texts` in order, float32 (n, dim).

    With a store, cached vectors are reused and only the texts it lacks are embedded (each distinct
    text once) and stored chunk by chunk; without one, every distinct text is embedded. With
    `workers` above 1 and at least two chunks to embed, the chunks are embedded in that many worker
    processes when the embedder names a `worker_spec` (a `load_embedder` spec that loads the same
    model with the same settings): the same chunks as in this process, so the same vectors."""
    texts = list(texts)
    model_id, dim = embedder.model_id, embedder.dim
    out = np.empty((len(texts), dim), dtype=np.float32)

    # 1. Look up what the cache already holds.
    if store is None:
        missing = list(range(len(texts)))
    else:
        found, missing = store.get_vectors(model_id, dim, texts)
        for index, vector in found.items():
            out[index] = vector
    if not missing:
        return out

    # 2. Embed each missing text once, in chunks kept as they finish: an interrupted run loses at
    #    most one chunk, and the rerun picks up from the cache.
    unique = list(dict.fromkeys(texts[i] for i in missing))
    row = {text: i for i, text in enumerate(unique)}
    vectors = np.empty((len(unique), dim), dtype=np.float32)
    starts = range(0, len(unique), STORE_CHUNK)
    chunks = [unique[start : start + STORE_CHUNK] for start in starts]
    for start, chunk, part in zip(starts, chunks, _embedded(embedder, chunks, workers), strict=True):
        if part.shape != (len(chunk), dim):
            raise ModelError(
                model_id,
                f"returned vectors of shape {part.shape} for {len(chunk)} texts, not ({len(chunk)}, {dim})",
                "the model folder may be damaged or not an embedding model",
            )
        vectors[start : start + len(chunk)] = part
        if store is not None:
            store.put_vectors(model_id, dim, chunk, part)
    for index in missing:
        out[index] = vectors[row[texts[index]]]
    return out


def _embedded(embedder: Embedder, chunks: list[list[str]], workers: int) -> Iterator[np.ndarray]:
    """Each chunk's vectors, in order: in this process, or in worker processes (see `embed_texts`)
    when there are several chunks and the embedder can be loaded in one."""
    spec = getattr(embedder, "worker_spec", None)
    processes = min(workers, len(chunks), MAX_ENCODING_WORKERS)
    if spec is None or processes < 2:
        for chunk in chunks:
            yield np.asarray(embedder.embed(chunk), dtype=np.float32)
        return
    with ProcessPoolExecutor(processes, initializer=_load_worker, initargs=(spec,)) as pool:
        yield from pool.map(_embed_in_worker, chunks)


_WORKER: Embedder | None = None
"""In an encoding worker process: its embedder (`_load_worker`)."""


def _load_worker(spec: str) -> None:
    global _WORKER
    quiet_on_interrupt()
    _WORKER = load_embedder(spec)


def _embed_in_worker(chunk: list[str]) -> np.ndarray:
    assert _WORKER is not None, "an encoding worker embeds after _load_worker"
    return np.asarray(_WORKER.embed(chunk), dtype=np.float32)


def normalise_rows(vectors: np.ndarray) -> np.ndarray:
    """Float32 copy of a 2-D array with unit-length rows; all-zero rows stay zero."""
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    out: np.ndarray = np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)
    return out


__all__ = ["DEFAULT_MODEL", "Embedder", "embed_texts", "load_embedder", "normalise_rows"]
