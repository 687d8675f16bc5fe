"""The SQLite store: an embedding cache keyed by (model id, SHA-256 of the text), a score cache
keyed by (scorer fingerprint, SHA-256 of the text), a cache of documents read and segmented, and a
cache of analyses (coverage and findings) keyed by all their inputs.

It records each model's dimension and refuses vectors of another dimension under the same model id,
so vectors of two models never mix. Its schema grows by numbered migrations (`MIGRATIONS`, applied
in order and counted in `schema_version`), ready for runs and reviewer feedback.

One file per user by default (`default_path()`); WAL mode and a 10 s busy timeout let several
processes and threads use it at once. A file that is not a readable SQLite database is moved aside
and replaced by a fresh one, with a note in `Store.warnings`."""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import platformdirs

from aligncheck.errors import CacheError

FILENAME = "store.sqlite"
BUSY_TIMEOUT_S = 10.0
LOOKUP_CHUNK = 500
"""Hashes per SELECT ... IN (...): well under SQLite's limit on bound parameters."""
FILE_SUFFIXES = (".sqlite", ".sqlite3", ".db")
MAX_ANALYSES = 10
"""Cached analyses kept (the most recently stored): one per batch or check run over other inputs."""

MIGRATIONS: list[tuple[str, ...]] = [
    # 1: the embedding cache
    (
        """CREATE TABLE models (
            model_id TEXT PRIMARY KEY,
            dim INTEGER NOT NULL,
            created TEXT NOT NULL
        )""",
        """CREATE TABLE embeddings (
            model_id TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            vector BLOB NOT NULL,
            PRIMARY KEY (model_id, text_hash)
        ) WITHOUT ROWID""",
    ),
    # 2: runs of check, batch and diff, so a batch can be compared with the previous one
    (
        """CREATE TABLE runs (
            run_id INTEGER PRIMARY KEY AUTOINCREMENT,
            started TEXT NOT NULL,
            kind TEXT NOT NULL,
            framework TEXT NOT NULL,
            framework_version TEXT NOT NULL,
            model TEXT NOT NULL,
            inputs TEXT NOT NULL,
            findings INTEGER NOT NULL,
            report TEXT NOT NULL
        )""",
    ),
    # 3: reviewers' marks on findings and passages, imported from HTML reports
    (
        """CREATE TABLE feedback (
            report_key TEXT NOT NULL,
            mark_key TEXT NOT NULL,
            target TEXT NOT NULL,
            verdict TEXT NOT NULL,
            finding_id TEXT,
            kind TEXT,
            principle TEXT,
            doc_sha256 TEXT,
            passage_id TEXT,
            stance TEXT,
            agency TEXT,
            text TEXT,
            near_miss INTEGER NOT NULL DEFAULT 0,
            marked_at TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            PRIMARY KEY (report_key, mark_key)
        )""",
    ),
    # 4: the score cache: a scorer's output per passage text, keyed by the scorer's fingerprint
    (
        """CREATE TABLE scorers (
            fingerprint TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            created TEXT NOT NULL
        )""",
        "CREATE INDEX scorers_source ON scorers (source)",
        """CREATE TABLE scores (
            fingerprint TEXT NOT NULL,
            text_hash TEXT NOT NULL,
            result TEXT NOT NULL,
            PRIMARY KEY (fingerprint, text_hash)
        ) WITHOUT ROWID""",
    ),
    # 5: the document cache: a file read and segmented, keyed by its content, path, reader and limits
    (
        """CREATE TABLE documents (
            key TEXT PRIMARY KEY,
            path TEXT NOT NULL,
            stored TEXT NOT NULL,
            content TEXT NOT NULL
        )""",
        "CREATE INDEX documents_path ON documents (path)",
    ),
    # 6: the analysis cache: coverage, findings, shared text and definitions of a set of scored
    # documents, keyed by all of its inputs (see aligncheck.pipeline.analysis_key)
    (
        """CREATE TABLE analyses (
            key TEXT PRIMARY KEY,
            stored TEXT NOT NULL,
            content BLOB NOT NULL
        )""",
    ),
]
"""Schema changes, each a tuple of SQL statements run in one transaction. Append; never edit one
that has shipped: version N of the schema is the first N of these."""


def default_path() -> Path:
    """The per-user store: `<user cache dir>/aligncheck/store.sqlite`."""
    return Path(platformdirs.user_cache_dir("aligncheck")) / FILENAME


def resolve_path(path: Path | None) -> Path:
    """Where the store lives: None -> `default_path()`; a folder -> FOLDER/store.sqlite; a file, or a
    path not there yet that ends in .sqlite, .sqlite3 or .db -> that file; another new path -> a
    folder to create."""
    if path is None:
        return default_path()
    path = Path(path).expanduser()
    if path.is_dir():
        return path / FILENAME
    if path.is_file() or path.suffix in FILE_SUFFIXES:
        return path
    return path / FILENAME


def text_hash(text: str) -> str:
    """Hex SHA-256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Store:
    """An open store. Use `Store.open(path)`; close it with `close()` or a `with` block."""

    def __init__(self, path: Path, connection: sqlite3.Connection, warnings: list[str]) -> None:
        self.path = path
        self.warnings = warnings
        """Things the user should know, e.g. that a damaged file was moved aside."""
        self._db = connection
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: Path | None = None) -> Store:
        """Open (creating if needed) the store at `resolve_path(path)` and bring its schema up to date."""
        file = resolve_path(path)
        try:
            file.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CacheError(
                f"cannot create the cache folder {file.parent}: {exc.strerror or exc} "
                "(give another with --cache DIR)"
            ) from exc
        warnings: list[str] = []
        try:
            connection = _connect(file)
        except sqlite3.DatabaseError as exc:
            if not _is_damaged(exc):
                raise _cache_error(file, exc) from exc
            aside = _move_aside(file)
            warnings.append(
                f"the cache at {file} was not a readable SQLite database ({exc}); it was moved to "
                f"{aside} and a fresh cache was started"
            )
            try:
                connection = _connect(file)
            except sqlite3.DatabaseError as again:
                raise _cache_error(file, again) from again
        return cls(file, connection, warnings)

    # ---- embeddings ----

    def get_vectors(
        self, model_id: str, dim: int, texts: Sequence[str]
    ) -> tuple[dict[int, np.ndarray], list[int]]:
        """Cached vectors of `texts` for this model: ({index: vector}, [indices not cached]).

        Raises CacheError if the cache holds this model id with another dimension."""
        hashes = [text_hash(t) for t in texts]
        found: dict[int, np.ndarray] = {}
        with self._guard():
            if self._model_dim(model_id, dim) is None:
                return found, list(range(len(texts)))
            vectors: dict[str, np.ndarray] = {}
            rows = self._select_in(
                "SELECT text_hash, vector FROM embeddings WHERE model_id = ? AND text_hash IN ({})",
                [model_id],
                hashes,
            )
            for digest, blob in rows:
                vector = np.frombuffer(blob, dtype="<f4")
                if vector.shape == (dim,):  # a row of another length is damage: embed again
                    vectors[digest] = vector.astype(np.float32)
        missing: list[int] = []
        for index, digest in enumerate(hashes):
            if digest in vectors:
                found[index] = vectors[digest]
            else:
                missing.append(index)
        return found, missing

    def put_vectors(self, model_id: str, dim: int, texts: Sequence[str], vectors: np.ndarray) -> None:
        """Store one vector per text (float32), replacing any cached for the same text and model.

        Raises CacheError if the cache holds this model id with another dimension."""
        array = np.asarray(vectors, dtype="<f4")
        if array.shape != (len(texts), dim):
            raise ValueError(f"expected vectors of shape ({len(texts)}, {dim}), got {array.shape}")
        rows = [(model_id, text_hash(t), array[i].tobytes()) for i, t in enumerate(texts)]
        with self._guard(), self._transaction():
            if self._model_dim(model_id, dim) is None:
                self._db.execute(
                    "INSERT INTO models (model_id, dim, created) VALUES (?, ?, ?)",
                    (model_id, dim, datetime.now(UTC).isoformat(timespec="seconds")),
                )
            self._db.executemany(
                "INSERT OR REPLACE INTO embeddings (model_id, text_hash, vector) VALUES (?, ?, ?)", rows
            )

    # ---- scores ----

    def get_scores(self, fingerprint: str, texts: Sequence[str]) -> dict[int, str]:
        """Cached scorer output (JSON text) of `texts` for the scorer with this fingerprint:
        {index: result} for the texts it holds."""
        hashes = [text_hash(t) for t in texts]
        with self._guard():
            results = dict(
                self._select_in(
                    "SELECT text_hash, result FROM scores WHERE fingerprint = ? AND text_hash IN ({})",
                    [fingerprint],
                    hashes,
                )
            )
        return {index: results[digest] for index, digest in enumerate(hashes) if digest in results}

    def put_scores(self, fingerprint: str, source: str, texts: Sequence[str], results: Sequence[str]) -> None:
        """Store one result per text for the scorer with this fingerprint. `source` names where the
        scorer came from (its model folder): the first results of a new fingerprint from the same
        source remove those of the old ones, so a retrained model does not leave its scores behind."""
        if len(texts) != len(results):
            raise ValueError(f"expected {len(texts)} results, got {len(results)}")
        rows = [(fingerprint, text_hash(t), r) for t, r in zip(texts, results, strict=True)]
        with self._guard(), self._transaction():
            known = self._db.execute("SELECT 1 FROM scorers WHERE fingerprint = ?", (fingerprint,)).fetchone()
            if known is None:
                stale = [
                    row[0]
                    for row in self._db.execute(
                        "SELECT fingerprint FROM scorers WHERE source = ?", (source,)
                    ).fetchall()
                ]
                for old in stale:
                    self._db.execute("DELETE FROM scores WHERE fingerprint = ?", (old,))
                    self._db.execute("DELETE FROM scorers WHERE fingerprint = ?", (old,))
                self._db.execute(
                    "INSERT INTO scorers (fingerprint, source, created) VALUES (?, ?, ?)",
                    (fingerprint, source, datetime.now(UTC).isoformat(timespec="seconds")),
                )
            self._db.executemany(
                "INSERT OR REPLACE INTO scores (fingerprint, text_hash, result) VALUES (?, ?, ?)", rows
            )

    # ---- documents read ----

    def get_documents(self, keys: Sequence[str]) -> dict[str, str]:
        """Cached documents (JSON text, see aligncheck.ingest.cache) by key, for the keys it holds."""
        with self._guard():
            return dict(self._select_in("SELECT key, content FROM documents WHERE key IN ({})", [], keys))

    def _select_in(self, sql: str, params: list[Any], keys: Sequence[str]) -> Iterator[tuple[Any, ...]]:
        """Rows of `sql` (its `IN ({})` filled with placeholders) for the distinct `keys`, asked
        `LOOKUP_CHUNK` at a time (SQLite limits the number of parameters)."""
        distinct = list(dict.fromkeys(keys))
        for start in range(0, len(distinct), LOOKUP_CHUNK):
            chunk = distinct[start : start + LOOKUP_CHUNK]
            yield from self._db.execute(sql.format(", ".join("?" * len(chunk))), [*params, *chunk])

    def put_document(self, key: str, path: str, content: str) -> None:
        """Store a document read from `path`, replacing any other entry for the same path (an older
        version of the file, or one read by another version of aligncheck): one entry per path."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._guard(), self._transaction():
            self._db.execute("DELETE FROM documents WHERE path = ? AND key != ?", (path, key))
            self._db.execute(
                "INSERT OR REPLACE INTO documents (key, path, stored, content) VALUES (?, ?, ?, ?)",
                (key, path, now, content),
            )

    def clear_documents(self) -> int:
        """Remove every cached document; returns the number removed."""
        return self._empty("documents")

    # ---- analyses (coverage and findings) ----

    def get_analysis(self, key: str) -> bytes | None:
        """The cached analysis (see aligncheck.findings.encode_analysis) with this key, or None."""
        with self._guard():
            row = self._db.execute("SELECT content FROM analyses WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def put_analysis(self, key: str, content: bytes) -> None:
        """Store an analysis; only the MAX_ANALYSES most recently stored are kept."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._guard(), self._transaction():
            self._db.execute(
                "INSERT OR REPLACE INTO analyses (key, stored, content) VALUES (?, ?, ?)", (key, now, content)
            )
            self._db.execute(
                "DELETE FROM analyses WHERE rowid NOT IN "
                "(SELECT rowid FROM analyses ORDER BY rowid DESC LIMIT ?)",
                (MAX_ANALYSES,),
            )

    def clear_analyses(self) -> int:
        """Remove every cached analysis; returns the number removed."""
        return self._empty("analyses")

    # ---- housekeeping ----

    def info(self) -> dict[str, Any]:
        """{"path", "size" (bytes, with the write-ahead log), "models": [{"model_id", "dim", "count"}]}."""
        with self._guard():
            rows = self._db.execute(
                "SELECT m.model_id, m.dim, COUNT(e.text_hash) FROM models m "
                "LEFT JOIN embeddings e ON e.model_id = m.model_id "
                "GROUP BY m.model_id, m.dim ORDER BY m.model_id"
            ).fetchall()
            scorers = self._db.execute(
                "SELECT s.source, s.fingerprint, COUNT(r.text_hash) FROM scorers s "
                "LEFT JOIN scores r ON r.fingerprint = s.fingerprint "
                "GROUP BY s.fingerprint ORDER BY s.source, s.created"
            ).fetchall()
            documents = self._db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            analyses = self._db.execute("SELECT COUNT(*) FROM analyses").fetchone()[0]
        return {
            "path": str(self.path),
            "size": file_size(self.path),
            "models": [{"model_id": m, "dim": d, "count": c} for m, d, c in rows],
            "scorers": [{"source": s, "fingerprint": f, "count": c} for s, f, c in scorers],
            "documents": int(documents),
            "analyses": int(analyses),
        }

    def clear(self, model_id: str | None = None) -> int:
        """Remove the vectors of one model, or of all models; returns the number removed."""
        where, args = ("WHERE model_id = ?", (model_id,)) if model_id is not None else ("", ())
        with self._guard():
            with self._transaction():
                removed = self._db.execute(f"DELETE FROM embeddings {where}", args).rowcount
                self._db.execute(f"DELETE FROM models {where}", args)
            if removed:
                self._shrink()
        return int(removed)

    def clear_scores(self) -> int:
        """Remove every cached score; returns the number removed."""
        return self._empty("scores", "scorers")

    def _empty(self, table: str, *others: str) -> int:
        """Remove every row of `table` (and of `others`); returns the number removed from `table`."""
        with self._guard():
            with self._transaction():
                removed = self._db.execute(f"DELETE FROM {table}").rowcount
                for other in others:
                    self._db.execute(f"DELETE FROM {other}")
            if removed:
                self._shrink()
        return int(removed)

    # ---- runs ----

    def add_run(
        self,
        kind: str,
        framework: str,
        framework_version: str,
        model: str,
        inputs: list[dict[str, Any]],
        findings: int,
        report_json: str,
    ) -> int:
        """Record a run with its inputs (path, sha256) and its JSON report; returns the run id."""
        import json

        with self._guard():
            with self._transaction():
                cursor = self._db.execute(
                    "INSERT INTO runs (started, kind, framework, framework_version, model, inputs, findings, report) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        datetime.now(UTC).isoformat(timespec="seconds"),
                        kind,
                        framework,
                        framework_version,
                        model,
                        json.dumps(inputs, ensure_ascii=False),
                        findings,
                        report_json,
                    ),
                )
        return int(cursor.lastrowid or 0)

    def runs(self) -> list[dict[str, Any]]:
        """All recorded runs, newest first (without their reports)."""
        import json

        with self._guard():
            rows = self._db.execute(
                "SELECT run_id, started, kind, framework, framework_version, model, inputs, findings FROM runs ORDER BY run_id DESC"
            ).fetchall()
        return [
            {
                "run_id": r[0],
                "started": r[1],
                "kind": r[2],
                "framework": r[3],
                "framework_version": r[4],
                "model": r[5],
                "inputs": json.loads(r[6]),
                "findings": r[7],
            }
            for r in rows
        ]

    def run_report(self, run_id: int) -> dict[str, Any]:
        """The JSON report of a recorded run."""
        import json

        with self._guard():
            row = self._db.execute("SELECT report FROM runs WHERE run_id = ?", (run_id,)).fetchone()
        if row is None:
            raise CacheError(f"no run {run_id} in {self.path}: see `aligncheck runs list`")
        return dict(json.loads(row[0]))

    # ---- reviewer feedback ----

    def add_feedback(self, report_key: str, marks: Sequence[Mapping[str, Any]]) -> tuple[int, int]:
        """Store marks of one report; a mark already stored for the same report and key is replaced
        when this one is newer (a reviewer changed their mind). Returns (new, updated)."""
        new = updated = 0
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._guard():
            with self._transaction():
                for m in marks:
                    row = self._db.execute(
                        "SELECT marked_at FROM feedback WHERE report_key = ? AND mark_key = ?",
                        (report_key, m["key"]),
                    ).fetchone()
                    if row is not None and row[0] >= m["marked_at"]:
                        continue
                    self._db.execute(
                        "INSERT OR REPLACE INTO feedback (report_key, mark_key, target, verdict, finding_id, kind, "
                        "principle, doc_sha256, passage_id, stance, agency, text, near_miss, marked_at, imported_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            report_key,
                            m["key"],
                            m["target"],
                            m["verdict"],
                            m.get("finding"),
                            m.get("kind"),
                            m.get("principle"),
                            m.get("sha256"),
                            m.get("passage"),
                            m.get("stance"),
                            m.get("agency"),
                            m.get("text"),
                            1 if m.get("near_miss") else 0,
                            m["marked_at"],
                            now,
                        ),
                    )
                    if row is None:
                        new += 1
                    else:
                        updated += 1
        return new, updated

    def feedback(self) -> list[dict[str, Any]]:
        """All stored marks, oldest first."""
        columns = (
            "report_key, mark_key, target, verdict, finding_id, kind, principle, doc_sha256, passage_id, "
            "stance, agency, text, near_miss, marked_at, imported_at"
        )
        with self._guard():
            rows = self._db.execute(
                f"SELECT {columns} FROM feedback ORDER BY marked_at, report_key, mark_key"
            ).fetchall()
        names = [c.strip() for c in columns.split(",")]
        return [dict(zip(names, row, strict=True)) for row in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- internals ----

    def _model_dim(self, model_id: str, dim: int) -> int | None:
        """The recorded dimension of `model_id` (None if not recorded); CacheError if it is not `dim`."""
        row = self._db.execute("SELECT dim FROM models WHERE model_id = ?", (model_id,)).fetchone()
        if row is not None and row[0] != dim:
            raise CacheError(
                f"cache at {self.path} holds vectors of dimension {row[0]} for model {model_id}, "
                f"not {dim}: run `aligncheck cache clear --model {model_id}`"
            )
        return None if row is None else int(row[0])

    @contextmanager
    def _guard(self) -> Iterator[None]:
        """One thread at a time on this connection; SQLite errors become CacheErrors that say what to do."""
        with self._lock:
            try:
                yield
            except sqlite3.DatabaseError as exc:
                raise _cache_error(self.path, exc) from exc

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        """A write transaction that takes the write lock up front (waiting up to the busy timeout)."""
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self._db.in_transaction:
                self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    def _shrink(self) -> None:
        """Give the space of removed vectors back to the file system, if no one else is using the file."""
        try:
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._db.execute("VACUUM")
        except sqlite3.OperationalError:  # busy: the space is reused by later inserts instead
            pass


def file_size(path: Path) -> int:
    """Bytes on disk of the database and its write-ahead log."""
    total = 0
    for file in (path, path.with_name(path.name + "-wal")):
        try:
            total += file.stat().st_size
        except FileNotFoundError:
            pass
    return total


def _connect(file: Path) -> sqlite3.Connection:
    """Open `file` in WAL mode and apply the migrations it lacks."""
    db = sqlite3.connect(file, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        _migrate(db)
    except BaseException:
        db.close()
        raise
    return db


def _migrate(db: sqlite3.Connection) -> None:
    """Apply MIGRATIONS the file lacks, each in its own transaction (concurrent openers wait)."""
    db.execute("BEGIN IMMEDIATE")
    try:
        db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
        row = db.execute("SELECT MAX(version) FROM schema_version").fetchone()
        current = row[0] or 0
        if current > len(MIGRATIONS):
            raise CacheError(
                f"the cache was written by a newer aligncheck (schema {current}, this one knows "
                f"{len(MIGRATIONS)}): upgrade aligncheck, or use another cache with --cache DIR"
            )
        for version in range(current + 1, len(MIGRATIONS) + 1):
            for statement in MIGRATIONS[version - 1]:
                db.execute(statement)
            db.execute("INSERT INTO schema_version (version) VALUES (?)", (version,))
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _is_damaged(exc: sqlite3.DatabaseError) -> bool:
    """Whether SQLite says the file is not a database or is corrupt (not merely busy or locked)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB)
    return type(exc) is sqlite3.DatabaseError


def _move_aside(file: Path) -> Path:
    """Rename a damaged store (and its write-ahead log) to store.sqlite.corrupt-<timestamp>."""
    stamp = time.strftime("%Y%m%dT%H%M%S")
    aside = file.with_name(f"{file.name}.corrupt-{stamp}")
    n = 1
    while aside.exists():
        n += 1
        aside = file.with_name(f"{file.name}.corrupt-{stamp}-{n}")
    try:
        file.rename(aside)
    except FileNotFoundError:  # another process moved it first
        return aside
    wal = file.with_name(file.name + "-wal")
    if wal.exists():
        wal.rename(aside.with_name(aside.name + "-wal"))
    file.with_name(file.name + "-shm").unlink(missing_ok=True)
    return aside


def _cache_error(file: Path, exc: sqlite3.DatabaseError) -> CacheError:
    if _is_damaged(exc):
        return CacheError(
            f"the cache at {file} is damaged ({exc}): delete the file; it is rebuilt on the next run"
        )
    if "locked" in str(exc) or "busy" in str(exc):
        return CacheError(
            f"the cache at {file} stayed locked by another process for {BUSY_TIMEOUT_S:.0f} s: "
            "try again, or use another cache with --cache DIR"
        )
    return CacheError(f"cannot use the cache at {file}: {exc} (use another with --cache DIR)")
