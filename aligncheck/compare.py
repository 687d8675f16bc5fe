"""Scores across documents and agencies: coverage level per document and principle, near misses,
shared boilerplate text, and the diff between two versions of a plan."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from aligncheck.frameworks import Framework
from aligncheck.score.features import count_phrase, matchable_words, normalise_for_matching, tokens_of
from aligncheck.types import Document, Evidence, Level, ScoredPassageRef

MAX_EVIDENCE = 3
MAX_NEAR_MISSES = 3
NEAR_MISS_SHARE = 0.5
"""Beyond the closest passage, a near miss is shown only when its score is at least this share of the
threshold: passages far below it have nothing to say about the principle and only hide the answer
"no passage comes close"."""


@dataclass(frozen=True)
class DocumentScores:
    """One document with its scored passages."""

    document: Document
    passages: tuple[ScoredPassageRef, ...]


@dataclass(frozen=True)
class Coverage:
    """How a document covers one principle, with the passages that show it."""

    doc_id: str
    agency: str | None
    principle: str
    level: Level
    score: float
    """The highest probability of any passage in the document for this principle."""
    supporting: int
    """Passages that address the principle in support of it."""
    conflicting: int
    evidence: tuple[Evidence, ...]
    near_misses: tuple[Evidence, ...] = ()
    """For absent or mentioned: the passages that came closest, with how far they fell short."""
    shortfalls: tuple[float, ...] = ()
    conflicts: tuple[Evidence, ...] = ()
    """The strongest passages that go against the principle."""
    reason: str | None = None
    """Why the level is what it is (the cue found, or the domain rule for out_of_scope)."""
    conflicting_uncertain: int = 0
    """Of the conflicting passages, those whose stance is close to a coin flip (see STANCE_DOUBT)."""
    named: str | None = None
    """For absent: a word that names the principle (the framework's `names`) as it stands in a
    passage that does not address it; that passage is among the near misses (`named_at`)."""

    @property
    def named_at(self) -> Evidence | None:
        """The near miss that uses the naming word (`named`), if any."""
        if self.named is None:
            return None
        return next((e for e in self.near_misses if e.note == naming_note(self.named)), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "agency": self.agency,
            "principle": self.principle,
            "level": str(self.level),
            "score": round(self.score, 4),
            "supporting": self.supporting,
            "conflicting": self.conflicting,
            "conflicting_uncertain": self.conflicting_uncertain,
            "reason": self.reason,
            "evidence": [e.to_dict() for e in self.evidence],
            "conflicts": [e.to_dict() for e in self.conflicts],
            "near_misses": [
                {**e.to_dict(), "shortfall": round(s, 4)}
                for e, s in zip(self.near_misses, self.shortfalls, strict=True)
            ],
            "named": self.named,
        }


def naming_note(word: str) -> str:
    """The note of a near miss that uses a word naming the principle (reports: "noemt: WORD")."""
    return f"names: {word}"


@dataclass(frozen=True)
class _LevelCues:
    committed: tuple[tuple[tuple[str, ...], ...], tuple[re.Pattern[str], ...]]
    operational: dict[str, tuple[tuple[tuple[str, ...], ...], tuple[re.Pattern[str], ...]]]


@lru_cache(maxsize=1)
def _level_cues() -> _LevelCues:
    raw = yaml.safe_load(resources.files("aligncheck.data").joinpath("levels.yaml").read_text("utf-8"))

    def compile_block(
        block: dict[str, Any],
    ) -> tuple[tuple[tuple[str, ...], ...], tuple[re.Pattern[str], ...]]:
        cues = tuple(tuple(tokens_of(c)) for c in block.get("cues", []))
        patterns = tuple(re.compile(p, re.IGNORECASE) for p in block.get("patterns", []))
        return cues, patterns

    return _LevelCues(
        compile_block(raw["committed"]),
        {name: compile_block(block) for name, block in raw["operationalised"].items()},
    )


def _matches(
    text: str,
    tokens: list[str],
    words: frozenset[str],
    block: tuple[tuple[tuple[str, ...], ...], tuple[re.Pattern[str], ...]],
) -> str | None:
    """The first cue or pattern of a block found in the text (as written there), or None. `tokens`
    are the text's tokens, `words` what their words can match (`matchable_words`): a cue with a word
    outside it cannot occur, so only the others are looked for."""
    cues, patterns = block
    for cue in cues:
        if all(w in words for w in cue) and count_phrase(tokens, cue):
            return " ".join(cue)
    for pattern in patterns:
        found = pattern.search(text)
        if found:
            return found.group(0)
    return None


@lru_cache(maxsize=20_000)
def depth_of(text: str) -> tuple[Level, str | None]:
    """The depth a supporting passage shows on its own: operationalised (an owner, a timeline or an
    indicator), committed (the plan says it will act) or mentioned. Remembered per text: a passage
    that supports several principles, or recurs in several plans, is looked at once."""
    cues = _level_cues()
    tokens = tokens_of(text)
    words = matchable_words(tokens)
    for kind, block in cues.operational.items():
        found = _matches(text, tokens, words, block)
        if found:
            return Level.OPERATIONALISED, f"{kind}: {found}"
    found = _matches(text, tokens, words, cues.committed)
    if found:
        return Level.COMMITTED, f"commitment: {found}"
    return Level.MENTIONED, None


def coverage(
    doc: DocumentScores,
    framework: Framework,
    thresholds: dict[str, float],
    shared: set[str] | None = None,
) -> list[Coverage]:
    """Coverage of every principle in one document. Passages in `shared` (boilerplate found in other
    documents too) still count, but are shown after the document's own evidence."""
    shared = shared or set()
    domain = framework.domain_for_agency(doc.document.agency)
    out: list[Coverage] = []
    for pid in framework.principle_ids:
        scores = [(ref.scores.get(pid, 0.0), ref) for ref in doc.passages]
        best = max((s for s, ref in scores if ref.claims), default=0.0)
        if not framework.applies(pid, domain):
            out.append(
                Coverage(
                    doc.document.doc_id,
                    doc.document.agency,
                    pid,
                    Level.OUT_OF_SCOPE,
                    best,
                    0,
                    0,
                    (),
                    reason=framework.out_of_scope_reason(pid, domain),
                )
            )
            continue
        supporting = [(s, ref) for s, ref in scores if ref.labels.get(pid) == "supports"]
        conflicting = [(s, ref) for s, ref in scores if ref.labels.get(pid) == "conflicts"]
        level, reason = Level.ABSENT, None
        depths: list[tuple[int, float, ScoredPassageRef, str | None]] = []
        for s, ref in supporting:
            d, why = depth_of(ref.passage.text)
            depths.append((d.rank, s, ref, why))
            if d.rank > level.rank:
                level, reason = d, why
        if supporting and level is Level.ABSENT:
            level = Level.MENTIONED
        # strongest evidence: deepest first, then highest score; own text before shared boilerplate
        depths.sort(key=lambda t: (t[2].passage.passage_id in shared, -t[0], -t[1], t[2].passage.index))
        evidence = tuple(ref.evidence(pid, note=why) for _, _, ref, why in depths[:MAX_EVIDENCE])
        near: tuple[Evidence, ...] = ()
        shortfalls: tuple[float, ...] = ()
        named: str | None = None
        if level.rank <= Level.MENTIONED.rank:
            threshold = thresholds.get(pid, 0.5)
            labelled = {id(ref) for _, ref in supporting + conflicting}
            candidates = sorted(
                ((s, ref) for s, ref in scores if id(ref) not in labelled and ref.claims),
                key=lambda t: (-t[0], t[1].passage.index),
            ) or sorted(  # a document of footnotes and definitions only: show what there is
                ((s, ref) for s, ref in scores if id(ref) not in labelled),
                key=lambda t: (-t[0], t[1].passage.index),
            )
            picked = candidates[:1] + [
                (s, ref) for s, ref in candidates[1:MAX_NEAR_MISSES] if s >= NEAR_MISS_SHARE * threshold
            ]
            near = tuple(ref.evidence(pid, note="bijna") for _, ref in picked)
            shortfalls = tuple(max(0.0, threshold - s) for s, _ in picked)
            if level is Level.ABSENT:
                naming = _naming_passage(doc.passages, framework.principle(pid).names, labelled, shared)
                if naming is not None:
                    named, ref = naming
                    shown = [e.passage_id for e in near]
                    if ref.passage.passage_id in shown:  # already a near miss: say that it names it
                        k = shown.index(ref.passage.passage_id)
                        near = (*near[:k], ref.evidence(pid, note=naming_note(named)), *near[k + 1 :])
                    else:
                        near += (ref.evidence(pid, note=naming_note(named)),)
                        shortfalls += (max(0.0, threshold - ref.scores.get(pid, 0.0)),)
        out.append(
            Coverage(
                doc.document.doc_id,
                doc.document.agency,
                pid,
                level,
                best,
                len(supporting),
                len(conflicting),
                evidence,
                near,
                shortfalls,
                tuple(
                    ref.evidence(pid)
                    for _, ref in sorted(conflicting, key=lambda t: (-t[0], t[1].passage.index))[
                        :MAX_EVIDENCE
                    ]
                ),
                reason,
                sum(ref.doubtful_conflict(pid) for _, ref in conflicting),
                named,
            )
        )
    return out


def _naming_passage(
    passages: Sequence[ScoredPassageRef], names: Sequence[str], labelled: set[int], shared: set[str]
) -> tuple[str, ScoredPassageRef] | None:
    """The first passage (own text before shared boilerplate, then in document order) that uses one of
    a principle's names without being labelled for the principle, with the name as it stands there."""
    phrases = [tuple(tokens_of(name)) for name in names]
    for ref in sorted(passages, key=lambda r: (r.passage.passage_id in shared, r.passage.index)):
        if id(ref) in labelled:
            continue
        # a name word matches a token it starts, so it stands in the text as it is: tokenise on a hit only
        text = normalise_for_matching(ref.passage.text)
        for phrase in phrases:
            if phrase and all(w in text for w in phrase):
                tokens = tokens_of(ref.passage.text)
                at = _phrase_at(tokens, phrase)
                if at is not None:
                    return " ".join(tokens[at : at + len(phrase)]), ref
    return None


def _phrase_at(tokens: list[str], phrase: tuple[str, ...]) -> int | None:
    """Where a phrase first occurs in the tokens (as `count_phrase` matches it), or None."""
    for i in range(len(tokens) - len(phrase) + 1):
        if count_phrase(tokens[i : i + len(phrase)], phrase):
            return i
    return None


# --- boilerplate ---------------------------------------------------------------------------------

SHINGLE = 5
SHARED_SIMILARITY = 0.8


@dataclass(frozen=True)
class SharedText:
    """Near-identical passages found in documents of different agencies (reused templates)."""

    passages: tuple[Evidence, ...]
    similarity: float

    def to_dict(self) -> dict[str, Any]:
        return {"similarity": round(self.similarity, 3), "passages": [e.to_dict() for e in self.passages]}


def _shingles(text: str) -> frozenset[int]:
    words = tokens_of(text)
    if len(words) < SHINGLE:
        return frozenset([hash(" ".join(words))]) if words else frozenset()
    return frozenset(hash(" ".join(words[i : i + SHINGLE])) for i in range(len(words) - SHINGLE + 1))


def shared_text(docs: Sequence[DocumentScores], min_words: int = 12) -> list[SharedText]:
    """Groups of near-duplicate passages (Jaccard similarity of word 5-grams of at least 0.8) that
    occur in more than one document. Short passages (headings, table cells) are ignored.

    Two passages are linked when they are in different documents and similar enough; a group is a
    set of passages linked directly or through others, and its similarity the lowest of its links.
    Passages with the same 5-grams are compared once, as one "class": inside a class every two
    passages of different documents are linked (similarity 1), and two similar classes link all their
    passages as soon as they hold passages of two documents. Similar classes are found by prefix
    filtering (every pair at or above the threshold shares a 5-gram among the rarest few of each),
    then measured exactly."""
    items: list[tuple[ScoredPassageRef, frozenset[int]]] = []
    shingles: dict[str, frozenset[int]] = {}  # a text repeated in many plans is cut up once
    for doc in docs:
        for ref in doc.passages:
            text = ref.passage.text
            sh = shingles.get(text)
            if sh is None and len(text.split()) >= min_words:
                sh = shingles[text] = _shingles(text)
            if sh is not None:
                items.append((ref, sh))
    class_of: dict[frozenset[int], int] = {}
    members: list[list[int]] = []
    for k, (_, sh) in enumerate(items):
        c = class_of.setdefault(sh, len(members))
        if c == len(members):
            members.append([])
        members[c].append(k)
    sets = list(class_of)
    docs_of = [{items[k][0].passage.doc_id for k in ks} for ks in members]

    parent = list(range(len(sets)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    linked = [
        bool(s) and len(d) > 1 for s, d in zip(sets, docs_of, strict=True)
    ]  # a class with passages of two documents links them all
    links: list[tuple[int, float]] = []  # (a class of the link, similarity)
    for a, b in _similar_classes(sets):
        if len(docs_of[a] | docs_of[b]) < 2:  # all in one document: never linked
            continue
        sa, sb = sets[a], sets[b]
        common = len(sa & sb)
        jaccard = common / (len(sa) + len(sb) - common)
        if jaccard >= SHARED_SIMILARITY:
            parent[find(a)] = find(b)
            linked[a] = linked[b] = True
            links.append((a, jaccard))
    similarities: dict[int, float] = {}
    for a, jaccard in links:
        root = find(a)
        similarities[root] = min(similarities.get(root, jaccard), jaccard)
    groups: dict[int, list[int]] = {}
    for c, ks in enumerate(members):
        if linked[c]:
            groups.setdefault(find(c), []).extend(ks)
    out: list[SharedText] = []
    for root, ks in groups.items():
        refs = sorted((items[k][0] for k in ks), key=lambda r: (r.passage.doc_id, r.passage.index))
        out.append(SharedText(tuple(r.evidence() for r in refs), similarities.get(root, 1.0)))
    out.sort(key=lambda s: (s.passages[0].doc_id, s.passages[0].passage_id))
    return out


def _similar_classes(sets: Sequence[frozenset[int]]) -> Iterator[tuple[int, int]]:
    """Pairs of sets (by index, each pair once) that may have a Jaccard similarity of at least
    SHARED_SIMILARITY; every pair that has it is among them. Prefix filtering: with the 5-grams in one
    global order (rarest first), two sets with at least `o` 5-grams in common share one among the
    first len - o + 1 of each; a similarity of t needs o >= t * len of either set (taken one lower
    here, against rounding)."""
    frequency: dict[int, int] = {}
    for s in sets:
        for h in s:
            frequency[h] = frequency.get(h, 0) + 1
    index: dict[int, list[int]] = {}
    for i, s in enumerate(sets):
        n = len(s)
        prefix = sorted(s, key=lambda h: (frequency[h], h))[
            : n - max(1, math.ceil(SHARED_SIMILARITY * n) - 1) + 1
        ]
        seen: set[int] = set()
        for h in prefix:
            for j in index.get(h, ()):
                if j not in seen:
                    seen.add(j)
                    yield j, i
            index.setdefault(h, []).append(i)


# --- diff ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PrincipleChange:
    """How one principle's coverage changed from the old version of a plan to the new one."""

    principle: str
    old: Coverage
    new: Coverage
    change: str
    """gained, lost, weakened, strengthened or unchanged."""
    appeared: tuple[Evidence, ...] = ()
    went: tuple[Evidence, ...] = ()
    new_conflicts: tuple[Evidence, ...] = ()
    resolved_conflicts: tuple[Evidence, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "principle": self.principle,
            "change": self.change,
            "old_level": str(self.old.level),
            "new_level": str(self.new.level),
            "old_score": round(self.old.score, 4),
            "new_score": round(self.new.score, 4),
            "appeared": [e.to_dict() for e in self.appeared],
            "went": [e.to_dict() for e in self.went],
            "new_conflicts": [e.to_dict() for e in self.new_conflicts],
            "resolved_conflicts": [e.to_dict() for e in self.resolved_conflicts],
        }


def _key(text: str) -> str:
    return " ".join(tokens_of(text))


def diff(
    old: DocumentScores, new: DocumentScores, framework: Framework, thresholds: dict[str, float]
) -> list[PrincipleChange]:
    """Per principle: coverage gained, lost, weakened or strengthened, with the supporting passages
    that appeared or went (matched on normalised text, so moved passages are not counted)."""
    old_cov = {c.principle: c for c in coverage(old, framework, thresholds)}
    new_cov = {c.principle: c for c in coverage(new, framework, thresholds)}
    changes: list[PrincipleChange] = []
    for pid in framework.principle_ids:
        o, n = old_cov[pid], new_cov[pid]

        def labelled(doc: DocumentScores, stance: str, pid: str = pid) -> dict[str, ScoredPassageRef]:
            return {_key(r.passage.text): r for r in doc.passages if r.labels.get(pid) == stance}

        old_sup, new_sup = labelled(old, "supports"), labelled(new, "supports")
        old_con, new_con = labelled(old, "conflicts"), labelled(new, "conflicts")
        appeared = tuple(
            new_sup[k].evidence(pid)
            for k in sorted(set(new_sup) - set(old_sup), key=lambda k: new_sup[k].passage.index)
        )
        went = tuple(
            old_sup[k].evidence(pid)
            for k in sorted(set(old_sup) - set(new_sup), key=lambda k: old_sup[k].passage.index)
        )
        added_conflicts = tuple(
            new_con[k].evidence(pid)
            for k in sorted(set(new_con) - set(old_con), key=lambda k: new_con[k].passage.index)
        )
        resolved = tuple(
            old_con[k].evidence(pid)
            for k in sorted(set(old_con) - set(new_con), key=lambda k: old_con[k].passage.index)
        )
        if o.level.rank <= Level.ABSENT.rank < n.level.rank:
            change = "gained"
        elif n.level.rank <= Level.ABSENT.rank < o.level.rank:
            change = "lost"
        elif n.level.rank < o.level.rank or (added_conflicts and not resolved):
            change = "weakened"
        elif n.level.rank > o.level.rank or (resolved and not added_conflicts):
            change = "strengthened"
        else:
            change = "unchanged"
        changes.append(PrincipleChange(pid, o, n, change, appeared, went, added_conflicts, resolved))
    return changes


def compare_runs(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    """Two recorded JSON reports (e.g. last month's batch and today's): coverage levels that moved
    per document (matched on path, then agency) and principle, and findings that appeared or went."""

    def doc_keys(report: dict[str, Any]) -> dict[str, str]:
        return {d["doc_id"]: d["path"] or d["agency"] or d["doc_id"] for d in report["documents"]}

    old_keys, new_keys = doc_keys(old), doc_keys(new)
    old_cov = {(old_keys[c["doc_id"]], c["principle"]): c for c in old["coverage"]}
    new_cov = {(new_keys[c["doc_id"]], c["principle"]): c for c in new["coverage"]}
    moved = []
    for key in sorted(set(old_cov) | set(new_cov)):
        o, n = old_cov.get(key), new_cov.get(key)
        before = o["level"] if o else None
        after = n["level"] if n else None
        if before != after:
            moved.append({"document": key[0], "principle": key[1], "old_level": before, "new_level": after})

    def finding_key(f: dict[str, Any]) -> tuple[Any, ...]:
        return (
            f["kind"],
            f["principle"],
            tuple(f["agencies"]),
            tuple(e["text"][:80] for e in f["evidence"][:2]),
        )

    old_f = {finding_key(f): f for f in old["findings"]}
    new_f = {finding_key(f): f for f in new["findings"]}
    return {
        "old": {"generated_at": old.get("generated_at"), "documents": len(old["documents"])},
        "new": {"generated_at": new.get("generated_at"), "documents": len(new["documents"])},
        "coverage_changes": moved,
        "findings_appeared": [new_f[k] for k in sorted(set(new_f) - set(old_f), key=str)],
        "findings_resolved": [old_f[k] for k in sorted(set(old_f) - set(new_f), key=str)],
    }
