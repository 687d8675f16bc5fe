"""A deterministic fake embedder for fast tests: no model, no weights, same vectors on every machine.

Each text becomes a hashed bag of its lower-cased words and character 4-grams: every feature adds
+1 or -1 to one of DIM buckets, both chosen by a BLAKE2b hash of the feature (never Python's
`hash()`, which changes per process). Texts that share words and spellings share buckets, so
similar texts get similar vectors."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator, Sequence

import numpy as np

from aligncheck.embed import normalise_rows

DEFAULT_DIM = 256
NGRAM = 4
WORD = re.compile(r"\w+")
EMPTY = "\x00empty"
"""The one feature of a text without any: keeps every row a unit vector."""


class FakeEmbedder:
    """Hashed bag of words and character 4-grams into `dim` signed buckets, L2-normalised."""

    def __init__(self, dim: int = DEFAULT_DIM) -> None:
        if dim < 1:
            raise ValueError(f"dim must be positive, not {dim}")
        self.dim = dim
        self.model_id = f"fake-hash-v1:{dim}"
        self.worker_spec = f"fake:{dim}"
        """The spec a worker process loads the same embedder from (`embed_texts`)."""

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Float32 (len(texts), dim), unit rows."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            for feature in features(text):
                bucket, sign = self._slot(feature)
                out[row, bucket] += sign
        return normalise_rows(out)

    def _slot(self, feature: str) -> tuple[int, float]:
        digest = hashlib.blake2b(feature.encode("utf-8"), digest_size=8).digest()
        value = int.from_bytes(digest, "big")
        return value % self.dim, 1.0 if value >> 63 else -1.0


def features(text: str) -> Iterator[str]:
    """The words ("w:" prefix) and character 4-grams ("c:" prefix) of the lower-cased text."""
    lowered = " ".join(text.lower().split())
    found = False
    for word in WORD.findall(lowered):
        found = True
        yield "w:" + word
    padded = f" {lowered} "
    for i in range(len(padded) - NGRAM + 1):
        found = True
        yield "c:" + padded[i : i + NGRAM]
    if not found:
        yield EMPTY
