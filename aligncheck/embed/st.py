"""Any sentence-transformers model a user has on disk: `st:PATH`, a folder saved with `model.save(PATH)`.

An optional extra: torch and sentence-transformers are imported only when such a model is asked for,
and never reach the network (HF_HUB_OFFLINE, TRANSFORMERS_OFFLINE, local_files_only)."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from aligncheck.embed import normalise_rows
from aligncheck.errors import ModelError

INSTALL_HINT = (
    "install it with `pip install torch==2.13.0 sentence-transformers`, in one command: "
    "without the pin, pip pulls gigabytes of CUDA packages"
)
SAVE_HINT = "give the folder of a model saved with `SentenceTransformer.save(PATH)`, with its modules.json"
BATCH = 32


class StEmbedder:
    """A local sentence-transformers model on the CPU. Loads it on construction, so a bad folder
    or a missing package is reported before any work is done."""

    def __init__(self, path: str | Path) -> None:
        spec = f"st:{path}"
        folder = Path(path).expanduser()
        if not str(path).strip():
            raise ModelError(spec, "no model folder given", SAVE_HINT)
        if not folder.exists():
            raise ModelError(spec, f"no such folder: {folder}", SAVE_HINT)
        if not folder.is_dir() or not (folder / "modules.json").is_file():
            raise ModelError(spec, f"{folder} is not a sentence-transformers model folder", SAVE_HINT)
        self.path = folder.resolve()
        self.model_id = f"st:{self.path}@{fingerprint(self.path)}"
        self._model = _load(spec, self.path)
        self.dim = _dimension(self._model, spec)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Float32 (len(texts), dim), unit rows."""
        texts = list(texts)
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        vectors = self._model.encode(
            texts,
            batch_size=BATCH,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return normalise_rows(np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1))


def fingerprint(folder: Path) -> str:
    """12 hex digits of the SHA-256 of the model's file names and sizes (README and hidden files
    left out): a retrained or replaced model in the same folder gets a new model id."""
    digest = hashlib.sha256()
    for file in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = file.relative_to(folder)
        if relative.name == "README.md" or any(part.startswith(".") for part in relative.parts):
            continue
        digest.update(f"{relative.as_posix()}\t{file.stat().st_size}\n".encode())
    return digest.hexdigest()[:12]


PICKLE_SUFFIXES = frozenset({".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".joblib"})
"""Weight files that torch or joblib would unpickle: refused, only safetensors are read."""


def _load(spec: str, folder: Path) -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    pickled = sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.suffix.lower() in PICKLE_SUFFIXES
    )
    if pickled:
        raise ModelError(
            spec,
            f"holds weights in a pickle format, which can run code when loaded: {', '.join(pickled[:3])}",
            "save the model with safetensors (`model.save(PATH, safe_serialization=True)`) and remove those files",
        )
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ModelError(spec, "the st: backend needs sentence-transformers", INSTALL_HINT) from exc
    try:
        return SentenceTransformer(
            str(folder), device="cpu", local_files_only=True, model_kwargs={"use_safetensors": True}
        )
    except Exception as exc:  # the library raises many kinds; all mean "cannot load this folder"
        raise ModelError(spec, f"cannot load the model in {folder}: {exc}", SAVE_HINT) from exc


def _dimension(model: Any, spec: str) -> int:
    getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
    dim = getter()
    if not dim:  # some modules do not declare it: measure one vector
        dim = int(np.asarray(model.encode(["dimensie"], convert_to_numpy=True)).shape[-1])
    if dim < 1:
        raise ModelError(spec, "the model does not produce sentence vectors", SAVE_HINT)
    return int(dim)
