"""The SQLite store: cache hits and misses, model separation, damage, concurrency and `cache` commands."""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from aligncheck.commands.cache import cache, human_size
from aligncheck.embed import embed_texts
from aligncheck.embed.fake import FakeEmbedder
from aligncheck.errors import CacheError
from aligncheck.store import MIGRATIONS, Store, default_path, file_size, resolve_path, text_hash

TEXTS = ["Wij vertrouwen de burger.", "De boete bedraagt 50 procent.", "Wij bellen eerst op."]


class Counting(FakeEmbedder):
    """A fake embedder that records what it was asked to embed."""

    def __init__(self, dim: int = 32) -> None:
        super().__init__(dim)
        self.calls: list[list[str]] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.calls.append(list(texts))
        return super().embed(texts)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with Store.open(tmp_path) as opened:
        yield opened


def test_put_and_get(store: Store) -> None:
    vectors = FakeEmbedder(8).embed(TEXTS)
    store.put_vectors("m", 8, TEXTS, vectors)
    found, missing = store.get_vectors("m", 8, [TEXTS[1], "new", TEXTS[0], TEXTS[1]])
    assert missing == [1]
    assert sorted(found) == [0, 2, 3]
    np.testing.assert_array_equal(found[0], vectors[1])
    np.testing.assert_array_equal(found[2], vectors[0])
    assert found[3].dtype == np.float32
    assert store.get_vectors("other", 8, TEXTS) == ({}, [0, 1, 2])


def test_embed_texts_embeds_only_new_passages(store: Store) -> None:
    embedder = Counting()
    first = embed_texts(embedder, TEXTS + [TEXTS[0]], store)
    assert embedder.calls == [TEXTS]
    second = embed_texts(embedder, ["Nieuw.", TEXTS[2], "Nieuw.", TEXTS[0]], store)
    assert embedder.calls[1:] == [["Nieuw."]]
    np.testing.assert_array_equal(second[[1, 3]], first[[2, 0]])
    np.testing.assert_array_equal(second, FakeEmbedder(32).embed(["Nieuw.", TEXTS[2], "Nieuw.", TEXTS[0]]))
    embed_texts(embedder, TEXTS, store)
    assert len(embedder.calls) == 2  # all cached: nothing embedded


def test_cache_survives_reopening(tmp_path: Path) -> None:
    with Store.open(tmp_path) as first:
        embed_texts(Counting(), TEXTS, first)
    embedder = Counting()
    with Store.open(tmp_path) as second:
        embed_texts(embedder, TEXTS, second)
        assert second.warnings == []
    assert embedder.calls == []


def test_same_model_id_with_another_dimension_is_refused(store: Store) -> None:
    store.put_vectors("fake-hash-v1:8", 8, TEXTS, FakeEmbedder(8).embed(TEXTS))
    message = (
        f"cache at {store.path} holds vectors of dimension 8 for model fake-hash-v1:8, not 16: "
        "run `aligncheck cache clear --model fake-hash-v1:8`"
    )
    with pytest.raises(CacheError) as raised:
        store.get_vectors("fake-hash-v1:8", 16, TEXTS)
    assert str(raised.value) == message
    with pytest.raises(CacheError):
        store.put_vectors("fake-hash-v1:8", 16, TEXTS, FakeEmbedder(16).embed(TEXTS))
    assert store.info()["models"] == [{"model_id": "fake-hash-v1:8", "dim": 8, "count": 3}]


def test_two_models_side_by_side_do_not_mix(store: Store) -> None:
    small, large = Counting(8), Counting(16)
    a = embed_texts(small, TEXTS, store)
    b = embed_texts(large, TEXTS, store)
    assert large.calls == [TEXTS]  # the small model's vectors were not offered to the large one
    np.testing.assert_array_equal(embed_texts(small, TEXTS, store), a)
    np.testing.assert_array_equal(embed_texts(large, TEXTS, store), b)
    assert store.info()["models"] == [
        {"model_id": "fake-hash-v1:16", "dim": 16, "count": 3},
        {"model_id": "fake-hash-v1:8", "dim": 8, "count": 3},
    ]
    assert store.clear("fake-hash-v1:8") == 3
    assert store.get_vectors("fake-hash-v1:8", 8, TEXTS) == ({}, [0, 1, 2])
    assert len(store.get_vectors("fake-hash-v1:16", 16, TEXTS)[0]) == 3
    assert store.clear() == 3
    assert store.info()["models"] == []


def test_vectors_are_float32_bytes_keyed_by_sha256(store: Store) -> None:
    vectors = FakeEmbedder(4).embed(TEXTS[:1])
    store.put_vectors("m", 4, TEXTS[:1], vectors)
    db = sqlite3.connect(store.path)
    ((digest, blob),) = db.execute("SELECT text_hash, vector FROM embeddings").fetchall()
    db.close()
    assert digest == text_hash(TEXTS[0])
    assert len(digest) == 64 and blob == vectors[0].astype("<f4").tobytes()


def test_damaged_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite"
    garbage = b"this is not a database, just some bytes " * 200
    path.write_bytes(garbage)
    with Store.open(tmp_path) as store:
        (aside,) = tmp_path.glob("store.sqlite.corrupt-*")
        assert aside.read_bytes() == garbage
        assert store.warnings == [
            f"the cache at {path} was not a readable SQLite database (file is not a database); "
            f"it was moved to {aside} and a fresh cache was started"
        ]
        vectors = embed_texts(Counting(), TEXTS, store)
        np.testing.assert_array_equal(embed_texts(Counting(), TEXTS, store), vectors)


def test_schema_is_migrated_once_and_a_newer_schema_is_refused(tmp_path: Path) -> None:
    Store.open(tmp_path).close()
    Store.open(tmp_path).close()
    db = sqlite3.connect(tmp_path / "store.sqlite")
    versions = [v for (v,) in db.execute("SELECT version FROM schema_version ORDER BY version")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    db.execute("INSERT INTO schema_version VALUES (?)", (len(MIGRATIONS) + 1,))
    db.commit()
    db.close()
    with pytest.raises(CacheError, match="written by a newer aligncheck"):
        Store.open(tmp_path)


def test_two_stores_write_concurrently(tmp_path: Path) -> None:
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def write(store: Store, model: str) -> None:
        try:
            barrier.wait()
            for batch in range(40):
                texts = [f"{model} passage {batch}.{i}" for i in range(25)]
                store.put_vectors(model, 8, texts, FakeEmbedder(8).embed(texts))
                store.get_vectors(model, 8, texts)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    stores = [Store.open(tmp_path), Store.open(tmp_path)]
    threads = [threading.Thread(target=write, args=(s, f"m{i}")) for i, s in enumerate(stores)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    counts = {m["model_id"]: m["count"] for m in stores[0].info()["models"]}
    assert counts == {"m0": 1000, "m1": 1000}
    for s in stores:
        s.close()


def test_resolve_path(tmp_path: Path) -> None:
    assert resolve_path(tmp_path) == tmp_path / "store.sqlite"
    assert resolve_path(tmp_path / "new") == tmp_path / "new" / "store.sqlite"
    assert resolve_path(tmp_path / "mine.db") == tmp_path / "mine.db"
    with Store.open(tmp_path / "new") as store:
        assert store.path == tmp_path / "new" / "store.sqlite"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG cache location")
def test_default_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_path() == tmp_path / "aligncheck" / "store.sqlite"
    assert resolve_path(None) == default_path()


# ---- aligncheck cache info|clear ----


def test_cli_info_and_clear(tmp_path: Path) -> None:
    with Store.open(tmp_path) as store:
        embed_texts(FakeEmbedder(8), TEXTS, store)
        embed_texts(FakeEmbedder(16), TEXTS[:2], store)
    path = tmp_path / "store.sqlite"
    runner = CliRunner()

    result = runner.invoke(cache, ["info", "--cache", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"store: {path} ({human_size(file_size(path))})\n"
        "fake-hash-v1:16  dim 16  2 vectors\n"
        "fake-hash-v1:8  dim 8  3 vectors\n"
        "no scores\n"
        "no documents read\n"
    )

    result = runner.invoke(cache, ["clear", "--model", "fake-hash-v1:8", "--cache", str(tmp_path)])
    assert (result.exit_code, result.output) == (0, "removed 3 vectors\n")
    result = runner.invoke(cache, ["clear", "--model", "fake-hash-v1:8", "--cache", str(tmp_path)])
    assert (result.exit_code, result.output) == (0, "removed 0 vectors\n")
    result = runner.invoke(cache, ["clear", "--cache", str(tmp_path)])
    assert (result.exit_code, result.output) == (0, "removed 2 vectors, 0 scores and 0 documents read\n")

    result = runner.invoke(cache, ["info", "--cache", str(tmp_path)])
    assert (
        result.output
        == f"store: {path} ({human_size(file_size(path))})\nno vectors\nno scores\nno documents read\n"
    )


def test_cli_on_a_folder_without_a_cache(tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cache, ["info", "--cache", str(tmp_path)])
    assert (result.exit_code, result.output) == (0, f"store: {tmp_path / 'store.sqlite'} (not created yet)\n")
    result = runner.invoke(cache, ["clear", "--cache", str(tmp_path)])
    assert (result.exit_code, result.output) == (0, "removed 0 vectors, 0 scores and 0 documents read\n")
    assert not (tmp_path / "store.sqlite").exists()


def test_cli_warns_about_a_damaged_cache(tmp_path: Path) -> None:
    (tmp_path / "store.sqlite").write_bytes(b"x" * 5000)
    result = CliRunner().invoke(cache, ["clear", "--cache", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout == "removed 0 vectors, 0 scores and 0 documents read\n"
    assert result.stderr.startswith(f"warning: the cache at {tmp_path / 'store.sqlite'} was not a readable")


def test_human_size() -> None:
    assert [human_size(n) for n in (0, 999, 1000, 1_234_567, 5 * 10**9)] == [
        "0 B",
        "999 B",
        "1.0 kB",
        "1.2 MB",
        "5.0 GB",
    ]
