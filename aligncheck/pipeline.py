"""The one place that wires the stages: documents -> passages (-> scores -> findings -> reports)."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from aligncheck.compare import (
    Coverage,
    DocumentScores,
    PrincipleChange,
    SharedText,
    coverage,
    diff,
    shared_text,
)
from aligncheck.context import read_with_sections
from aligncheck.embed import embed_texts
from aligncheck.errors import InputError, LimitExceeded, UsageError, quiet_on_interrupt
from aligncheck.findings import (
    analysis_fingerprint,
    conflicts,
    coverage_divergences,
    decode_analysis,
    encode_analysis,
    gaps,
    rank,
)
from aligncheck.frameworks import Framework
from aligncheck.ingest import IngestOptions, discover, read_file, with_meta
from aligncheck.ingest import cache as ingest_cache
from aligncheck.ladders import proportional_rows
from aligncheck.manifest import Manifest
from aligncheck.segment import segment
from aligncheck.types import (
    AGAINST_ONLY_MIN_PRESENCE,
    Document,
    DocumentMeta,
    Finding,
    FindingKind,
    Passage,
    PassageKind,
    ScoredPassageRef,
    Severity,
)

if TYPE_CHECKING:
    from aligncheck.score import Scorer
    from aligncheck.score.model import ScoredPassage
    from aligncheck.store import Store


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
    workers: int = 1,
    store: Store | None = None,
) -> Iterator[Ingested | InputError]:
    """Read and segment every file under `paths` (or the manifest's documents when no paths are
    given). Yields each document, or the InputError that stopped it, in the order of the files;
    never raises for a bad file, so a batch goes on. With `workers` > 1 and several files, the files
    are read in that many worker processes; the results are the same as reading them one by one.
    With a store, a file read before (same bytes, path, reader and limits) is taken from it, and the
    files read are kept there (see aligncheck.ingest.cache)."""
    if not paths and manifest is not None:
        paths = [entry.path for entry in manifest.entries]
    options = options or IngestOptions()
    metas = _manifest_metas(manifest) if manifest else None
    jobs: list[tuple[str, DocumentMeta] | InputError] = []
    for item in discover(paths):
        if isinstance(item, InputError):
            jobs.append(item)
            continue
        meta = (metas.get(Path(item).resolve()) if metas is not None else None) or DocumentMeta()
        if agency:
            meta = replace(meta, agency=agency)
        jobs.append((item, meta))

    # 1. What the store holds: documents read before, as they are now
    keys: dict[int, str] = {}
    cached: dict[int, Ingested] = {}
    if store is not None:
        for index, job in enumerate(jobs):
            if not isinstance(job, InputError) and (key := ingest_cache.cache_key(job[0], options)):
                keys[index] = key
        found = store.get_documents(list(keys.values())) if keys else {}
        for index, key in keys.items():
            if key in found:
                try:
                    cached[index] = Ingested(*ingest_cache.from_json(found[key]))
                except (ValueError, KeyError, TypeError):  # not an entry of this version: read again
                    pass

    # 2. Read the others, in worker processes when there are several
    todo = [i for i, job in enumerate(jobs) if not isinstance(job, InputError) and i not in cached]
    results: Iterator[Ingested | InputError]
    if workers <= 1 or len(todo) <= 1:
        results = (_read_and_segment(jobs[i][0], options) for i in todo)  # type: ignore[index]
        yield from _in_order(jobs, cached, results, keys, store, on_document)
        return
    with ProcessPoolExecutor(
        max_workers=min(workers, len(todo)), mp_context=_process_context(), initializer=quiet_on_interrupt
    ) as pool:
        futures = [pool.submit(_read_portable, jobs[i][0], options) for i in todo]  # type: ignore[index]
        results = (_restore(future.result()) for future in futures)
        yield from _in_order(jobs, cached, results, keys, store, on_document)


def _manifest_metas(manifest: Manifest) -> dict[Path, DocumentMeta]:
    """`Manifest.meta_for` of every file at once: each resolved path's first entry (asking it per
    file resolves every entry's path again, for each of them)."""
    metas: dict[Path, DocumentMeta] = {}
    for entry in manifest.entries:
        metas.setdefault(Path(entry.path).resolve(), entry.meta)
    return metas


def _in_order(
    jobs: Sequence[tuple[str, DocumentMeta] | InputError],
    cached: dict[int, Ingested],
    results: Iterator[Ingested | InputError],
    keys: dict[int, str],
    store: Store | None,
    on_document: Callable[[str], None] | None,
) -> Iterator[Ingested | InputError]:
    """Every job's outcome in order, from the cache or from `results` (one for each job not cached, in
    order), with the job's metadata applied; what was read is stored."""
    for index, job in enumerate(jobs):
        if isinstance(job, InputError):
            yield job
            continue
        if on_document:
            on_document(job[0])
        item = cached.get(index)
        if item is None:
            result = next(results)
            if isinstance(result, InputError):
                yield result
                continue
            item = result
            if store is not None and index in keys:
                store.put_document(keys[index], job[0], ingest_cache.to_json(item.document, item.passages))
        yield _with_meta(item, job[1])


def ingest_one(path: str, meta: DocumentMeta, options: IngestOptions | None = None) -> Ingested | InputError:
    """Read and segment one file; the InputError that stopped it is returned, not raised."""
    result = _read_and_segment(path, options or IngestOptions())
    return result if isinstance(result, InputError) else _with_meta(result, meta)


def _read_and_segment(path: str, options: IngestOptions) -> Ingested | InputError:
    """One file on its own, without metadata (see `_with_meta`)."""
    try:
        doc = read_file(path, options)
    except InputError as exc:
        return exc
    passages = segment(doc)
    if len(passages) > options.max_passages:
        problem = f"has {len(passages)} passages, more than the limit of {options.max_passages}"
        return LimitExceeded(path, problem, "--max-passages")
    return Ingested(doc, passages)


def _with_meta(item: Ingested, meta: DocumentMeta) -> Ingested:
    """A document read on its own, with the manifest's or command line's metadata: the document's
    title and agency change, and its passages' with them."""
    doc = with_meta(item.document, meta)
    passages = item.passages
    if (doc.agency, doc.title) != (item.document.agency, item.document.title):
        passages = [replace(p, agency=doc.agency, title=doc.title) for p in passages]
    return Ingested(doc, passages)


START_METHOD: str | None = None
"""multiprocessing start method of the ingestion workers (None: the platform's default). Workers
receive only picklable arguments and a module-level function, so every method works."""


def _process_context() -> BaseContext:
    return multiprocessing.get_context(START_METHOD)


_Portable = tuple[str, Any]


def _read_portable(path: str, options: IngestOptions) -> _Portable:
    """_read_and_segment in a worker process. Our errors take their parts as arguments, which pickle
    does not replay, so an InputError travels as its class, args and attributes."""
    result = _read_and_segment(path, options)
    if isinstance(result, InputError):
        return "error", (type(result), result.args, dict(vars(result)))
    return "ok", result


def _restore(portable: _Portable) -> Ingested | InputError:
    kind, value = portable
    if kind == "ok":
        return value
    cls, args, state = value
    error: InputError = cls.__new__(cls, *args)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


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


# --- analysis: scores -> coverage -> findings -------------------------------------------------------


@dataclass
class Report:
    """The result of `check`, `batch` or `diff`: what the renderers turn into JSON, Markdown, CSV, HTML."""

    framework: Framework
    scorer: Scorer
    documents: list[Document]
    coverage: list[Coverage]
    findings: list[Finding]
    shared: list[SharedText]
    failures: list[InputError]
    warnings: list[str]
    generated_at: str
    definitions: dict[str, list[dict[str, object]]] = field(default_factory=dict)
    changes: list[PrincipleChange] | None = None
    """For diff: per principle, how the new version differs from the old."""
    kind: str = "check"


def embed_passages(ingested: Sequence[Ingested], scorer: Scorer, workers: int = 1) -> np.ndarray:
    """Vectors of every passage of every document, in order: from the cache where it has them. The
    items of list passages, read with their introduction (`list_item_texts`), are embedded in the
    same run, so that with a store scoring finds them there. `workers`: see `embed_texts`."""
    from aligncheck.score.model import list_item_texts

    passages = [p for item in ingested for p in item.passages]
    texts = [p.text for p in passages]
    items = [t for p in passages for t in list_item_texts(p.text, p.items)] if scorer.store else []
    return embed_texts(scorer.embedder, texts + items, scorer.store, workers)[: len(texts)]


def score_documents(
    ingested: Sequence[Ingested], scorer: Scorer, vectors: np.ndarray | None = None
) -> list[DocumentScores]:
    """Score every passage of every document in one batch. The score cache makes reruns cheap: only
    passages this model has not scored are embedded (from the embedding cache where it can) and
    scored. `vectors` are the passages' embeddings when `embed_passages` has already made them."""
    passages = [p for item in ingested for p in item.passages]
    texts = [p.text for p in passages]
    first: dict[str, int] = {}  # each text at its first index: a text that recurs is scored once
    for index, text in enumerate(texts):
        first.setdefault(text, index)
    distinct = list(first)
    rows = None if vectors is None else np.asarray(vectors)[list(first.values())]
    spans = [passages[index].items for index in first.values()]
    answers = dict(zip(distinct, scorer.score(distinct, rows, spans) if distinct else [], strict=True))
    scored = [answers[text] for text in texts]
    out: list[DocumentScores] = []
    k = 0
    for item in ingested:
        answers_here = scored[k : k + len(item.passages)]
        k += len(item.passages)
        out.append(DocumentScores(item.document, read_answers(item.passages, answers_here)))
    return out


def read_answers(
    passages: Sequence[Passage], answers: Sequence[ScoredPassage]
) -> tuple[ScoredPassageRef, ...]:
    """One document's passages with the scorer's answers, as the analysis reads them: passages
    that carry no claims lose their labels, and the reading rules below adjust the rest."""
    # foreign-language text, footnotes (citations), entries of a definition list
    # ("recidive: een nieuwe schending ..."), table header rows and the bare lines of a cover
    # page carry no claims of their own
    claims = [
        not (
            passage.lang != "nl"
            or passage.kind is PassageKind.FOOTNOTE
            or is_definition_line(passage.text)
            or is_table_header(passage, previous)
            or is_cover_line(passage)
        )
        for passage, previous in zip(passages, [None, *passages][: len(passages)], strict=True)
    ]
    # a conflict that only the against model found, on a passage the presence model all but
    # rules out for the principle, is not taken, and the principle's score is the presence again
    weak = [
        {pid: p for pid, p in s.against_only_presence.items() if p < AGAINST_ONLY_MIN_PRESENCE}
        for s in answers
    ]
    scores = [{**s.scores, **w} for s, w in zip(answers, weak, strict=True)]
    labels = [
        {pid: stance for pid, stance, _ in s.labels if pid not in w} if claim else {}
        for s, w, claim in zip(answers, weak, claims, strict=True)
    ]
    conflict_scores = [s.conflict_scores if claim else {} for s, claim in zip(answers, claims, strict=True)]
    against_only = [
        frozenset(s.against_only).difference(w) if claim else frozenset()
        for s, w, claim in zip(answers, weak, claims, strict=True)
    ]
    # a row of a sanction ladder graded by culpability does not go against proportionality
    labels = proportional_rows(passages, labels)
    # a coin-flip stance is read with the rest of its section
    labels, in_context = read_with_sections(passages, labels, conflict_scores, against_only)
    return tuple(
        ScoredPassageRef(passage, score, lab, tuple(s.review), claim, conflicts, against, read)
        for passage, s, score, lab, claim, conflicts, against, read in zip(
            passages,
            answers,
            scores,
            labels,
            claims,
            conflict_scores,
            against_only,
            in_context,
            strict=True,
        )
    )


def analyse(
    docs: Sequence[DocumentScores],
    failures: Sequence[InputError],
    framework: Framework,
    scorer: Scorer,
    kind: str = "check",
) -> Report:
    """Coverage, findings and shared text for a set of scored documents. With the scorer's store,
    an analysis of exactly these inputs made before is taken from it (see `analysis_key`), and a new
    one is kept there."""
    thresholds = {p.principle: p.threshold for p in scorer.model.principles}
    store = scorer.store
    key = analysis_key(docs, framework, thresholds, kind) if store is not None else None
    result: _Analysis | None = None
    if store is not None and key is not None:
        cached = store.get_analysis(key)
        if cached is not None:
            try:
                result = _Analysis(*decode_analysis(cached))
            except (ValueError, TypeError):  # damaged, or not of this version: analyse again
                result = None
    if result is None:
        result = _analyse(docs, framework, thresholds)
        if store is not None and key is not None:
            _keep(store, key, result)
    warnings = [w for doc in docs for w in doc.document.warnings]
    return Report(
        framework=framework,
        scorer=scorer,
        documents=[doc.document for doc in docs],
        coverage=result.coverage,
        findings=result.findings,
        shared=result.shared,
        failures=list(failures),
        warnings=warnings,
        generated_at=_now(),
        definitions=result.definitions,
        kind=kind,
    )


@dataclass(frozen=True)
class _Analysis:
    """What `analyse` computes from the scored documents (the rest of a Report is its inputs)."""

    coverage: list[Coverage]
    findings: list[Finding]
    shared: list[SharedText]
    definitions: dict[str, list[dict[str, object]]]


def _analyse(docs: Sequence[DocumentScores], framework: Framework, thresholds: dict[str, float]) -> _Analysis:
    from aligncheck.definitions import compare_definitions, definition_table, find_definitions
    from aligncheck.instruments import compare_instruments, find_instruments

    shared = shared_text(docs)
    shared_ids = {e.passage_id for s in shared for e in s.passages}
    cover = [c for doc in docs for c in coverage(doc, framework, thresholds, shared_ids)]
    titles = {doc.document.doc_id: doc.document.title for doc in docs}
    passages = [ref.passage for doc in docs for ref in doc.passages]
    definitions = find_definitions(passages, framework)
    found = gaps(cover, framework, titles) + conflicts(docs, framework)
    if len({d.document.agency for d in docs if d.document.agency}) > 1:
        found += coverage_divergences(cover, docs, framework)
        found += compare_definitions(definitions, framework)
        found += compare_instruments(find_instruments(passages))
    return _Analysis(cover, rank(found), shared, definition_table(definitions, framework))


def _keep(store: Store, key: str, result: _Analysis) -> None:
    """Store an analysis, if it comes back from the store exactly as it is (else it is not kept)."""
    value = (result.coverage, result.findings, result.shared, result.definitions)
    try:
        content = encode_analysis(value)
    except TypeError:
        return
    if decode_analysis(content) == value:
        store.put_analysis(key, content)


def analysis_key(
    docs: Sequence[DocumentScores], framework: Framework, thresholds: dict[str, float], kind: str
) -> str:
    """Hex SHA-256 of everything an analysis depends on: every document's identity, agency and
    title, and every passage with all its fields, scores, labels, stances and review flags, in
    order; the framework's full content; the scorer's thresholds; the kind of run; and the analysis
    code, its data and the libraries' versions (`analysis_fingerprint`). Any change to one is another
    key."""
    digest = hashlib.sha256()
    head = [analysis_fingerprint(), kind, framework.model_dump_json(), sorted(thresholds.items())]
    digest.update(json.dumps(head, ensure_ascii=False).encode("utf-8"))
    for doc in docs:
        d = doc.document
        rows: list[Any] = [[d.doc_id, d.path, d.sha256, d.format, d.title, d.agency, d.pages, d.language]]
        for ref in doc.passages:
            p = ref.passage
            rows.append(
                [
                    p.doc_id,
                    p.index,
                    p.path,
                    p.text,
                    p.section,
                    p.char_start,
                    p.char_end,
                    p.page,
                    p.page_end,
                    str(p.kind),
                    p.agency,
                    p.title,
                    p.lang,
                    [[k, float(v)] for k, v in ref.scores.items()],
                    list(ref.labels.items()),
                    ref.review,
                    ref.claims,
                    [[k, float(v)] for k, v in ref.conflict_scores.items()],
                    sorted(ref.against_only),
                    sorted(ref.in_context),
                ]
            )
        digest.update(b"\0" + json.dumps(rows, ensure_ascii=False).encode("utf-8"))
    return digest.hexdigest()


def run_check(
    paths: Sequence[str],
    framework: Framework,
    scorer: Scorer,
    *,
    agency: str | None = None,
    manifest: Manifest | None = None,
    options: IngestOptions | None = None,
    kind: str = "check",
    on_document: Callable[[str], None] | None = None,
    workers: int = 1,
) -> Report:
    """Read, score and analyse documents: the work of `check` and `batch`. `workers` processes read
    the files (see `ingest_paths`) and embed the passages (`embed_texts`); the scorer's store, if
    any, keeps what was read, embedded and scored for the next run."""
    result = ingest_all(
        paths,
        agency=agency,
        manifest=manifest,
        options=options,
        on_document=on_document,
        workers=workers,
        store=scorer.store,
    )
    # passages and list items embedded in one call, so that worker processes share all of it and
    # this process need not load the encoder as well (the vectors cache makes a rerun cheap)
    vectors = embed_passages(result.documents, scorer, workers) if workers > 1 else None
    scores = score_documents(result.documents, scorer, vectors)
    return analyse(scores, result.failures, framework, scorer, kind)


def run_diff(
    old: str,
    new: str,
    framework: Framework,
    scorer: Scorer,
    *,
    agency: str | None = None,
    options: IngestOptions | None = None,
) -> Report:
    """Two versions of one plan: per principle, coverage gained, lost or weakened."""
    result = ingest_all([old, new], agency=agency, options=options, store=scorer.store)
    if result.failures:
        raise result.failures[0]
    if len(result.documents) != 2:
        raise UsageError("diff needs exactly two readable documents: OLD and NEW")
    docs = score_documents(result.documents, scorer)
    report = analyse(docs, [], framework, scorer, kind="diff")
    thresholds = {p.principle: p.threshold for p in scorer.model.principles}
    report.changes = diff(docs[0], docs[1], framework, thresholds)
    # in a diff, findings are about the new version only, plus what it lost
    new_id = docs[1].document.doc_id
    report.findings = rank(
        f
        for f in report.findings
        if f.documents == (new_id,) or new_id in f.documents and f.kind is not FindingKind.DIVERGENCE
    )
    report.findings = rank(report.findings + _diff_findings(report.changes, framework, docs))
    return report


def _diff_findings(
    changes: Sequence[PrincipleChange], framework: Framework, docs: Sequence[DocumentScores]
) -> list[Finding]:
    out: list[Finding] = []
    old_doc, new_doc = docs[0].document, docs[1].document
    for ch in changes:
        title_nl = framework.principle(ch.principle).title.get("nl")
        title_en = framework.principle(ch.principle).title.get("en")
        if ch.change in ("lost", "weakened"):
            severity = Severity.HIGH if ch.change == "lost" else Severity.MEDIUM
            out.append(
                Finding(
                    FindingKind.DIVERGENCE,
                    severity,
                    f"De nieuwe versie is {'niet meer' if ch.change == 'lost' else 'minder'} gericht op '{title_nl}' "
                    f"({ch.old.level} -> {ch.new.level}).",
                    f"The new version {'no longer addresses' if ch.change == 'lost' else 'is weaker on'} '{title_en}' "
                    f"({ch.old.level} -> {ch.new.level}).",
                    ch.principle,
                    agencies=tuple(a for a in {old_doc.agency, new_doc.agency} if a),
                    documents=(old_doc.doc_id, new_doc.doc_id),
                    evidence=ch.went[:3] + ch.new_conflicts[:3],
                    details={
                        "type": "version",
                        "change": ch.change,
                        "old_level": str(ch.old.level),
                        "new_level": str(ch.new.level),
                    },
                )
            )
    return out


_DEFINITION_LINE = re.compile(r"^[a-zà-ÿ][\w\u2011 -]{1,40}(?:\s\([^)]{1,30}\))?:\s+\S")


def is_table_header(passage: Passage, previous: Passage | None) -> bool:
    """The first row of a table whose cells are short labels without figures: column headings."""
    if passage.kind is not PassageKind.TABLE:
        return False
    if previous is not None and previous.kind is PassageKind.TABLE and previous.section == passage.section:
        return False
    cells = passage.text.split(" | ")
    return not any(ch.isdigit() for ch in passage.text) and all(len(c.split()) <= 8 for c in cells)


COVER_LINE_WORDS = 8


def is_cover_line(passage: Passage) -> bool:
    """A bare line of the cover (the organisation, the plan's title, a date): text on the first page or
    before the first heading, of fewer than COVER_LINE_WORDS words, that is no sentence (no closing
    punctuation)."""
    text = passage.text.strip()
    return (
        passage.kind is PassageKind.TEXT
        and (not passage.section or passage.page == 1)
        and len(text.split()) < COVER_LINE_WORDS
        and not text.endswith((".", "!", "?", ":", ";"))
    )


def is_definition_line(text: str) -> bool:
    """An entry of a definition list: a lower-case term, a colon, its definition."""
    return bool(_DEFINITION_LINE.match(text)) and len(text.split(":", 1)[0].split()) <= 5


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
