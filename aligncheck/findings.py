"""Coverage and scored passages -> findings (gap, conflict, divergence), each with its evidence.
Definition findings come from aligncheck.definitions, instrument divergences from
aligncheck.instruments; this module merges and ranks them all."""

from __future__ import annotations

import hashlib
import json
import sys
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import fields, is_dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from aligncheck.compare import Coverage, DocumentScores
from aligncheck.frameworks import Framework
from aligncheck.types import (
    Evidence,
    Finding,
    FindingKind,
    Level,
    PassageKind,
    ScoredPassageRef,
    Severity,
)

LEVEL_NL = {
    Level.ABSENT: "afwezig",
    Level.MENTIONED: "genoemd",
    Level.COMMITTED: "toegezegd",
    Level.OPERATIONALISED: "geoperationaliseerd",
    Level.OUT_OF_SCOPE: "niet van toepassing",
}
CONFLICT_HIGH = 0.8
NEAR = 0.1
"""A gap whose nearest passage falls short by less than this is reported as medium: perhaps the plan
says it in words the model does not know."""
MAX_CONFLICT_EVIDENCE = 5


def _title(framework: Framework, pid: str, lang: str = "nl") -> str:
    return framework.principle(pid).title.get(lang)


def _name(agency: str | None, doc_title: str | None = None) -> str:
    return agency or doc_title or "onbekende organisatie"


def gaps(coverage: Sequence[Coverage], framework: Framework, titles: dict[str, str | None]) -> list[Finding]:
    """A principle absent or only mentioned in a plan (principles out of the agency's domain are not
    gaps: coverage reports them as out_of_scope)."""
    out: list[Finding] = []
    for c in coverage:
        if c.level not in (Level.ABSENT, Level.MENTIONED):
            continue
        who = _name(c.agency, titles.get(c.doc_id))
        title_nl, title_en = _title(framework, c.principle), _title(framework, c.principle, "en")
        if c.level is Level.ABSENT and c.conflicting:
            against_nl, against_en = _against(c.conflicting, c.conflicting_uncertain)
            summary = f"{who} onderschrijft '{title_nl}' nergens; {against_nl} (zie strijdig)."
            summary_en = f"{who} nowhere supports '{title_en}'; {against_en} (see conflicts)."
            severity = Severity.HIGH
        elif c.level is Level.ABSENT and c.named:
            # the word occurs, but no passage addresses the principle: do not say it is not there
            summary = f"{who} werkt '{title_nl}' in dit plan nergens uit."
            summary_en = f"{who} nowhere works out '{title_en}' in this plan."
            severity = Severity.HIGH
        elif c.level is Level.ABSENT:
            # the model's reading, not a fact about the plan: on published text it finds fewer than
            # half of the principles a reader finds (README, Accuracy)
            summary = f"Volgens het model gaat geen passage van {who} in dit plan over '{title_nl}'."
            summary_en = f"By the model's reading, no passage of {who} in this plan addresses '{title_en}'."
            severity = Severity.HIGH
        else:
            summary = f"{who} noemt '{title_nl}', maar zegt niet wat het plan eraan doet."
            summary_en = f"{who} mentions '{title_en}' but does not say what the plan will do about it."
            severity = Severity.MEDIUM
        closest = ""
        if c.near_misses:
            closest = f" Dichtstbijzijnde passage: score {c.near_misses[0].score:.2f}, {c.shortfalls[0]:.2f} onder de drempel."
            if c.level is Level.ABSENT and c.shortfalls[0] < NEAR:
                # the nearest passage almost made it: perhaps phrased differently; a reviewer decides
                severity = Severity.MEDIUM
                closest += " Mogelijk anders verwoord: beoordeel deze passage."
                summary_en += (
                    " The nearest passage almost reaches the threshold: perhaps phrased differently."
                )
        if c.named and not c.conflicting:
            # named in passing, or the word in another sense (the deterrent "preventieve werking"):
            # the words alone cannot tell, so the severity stays; a reviewer reads the passage
            named_at = c.named_at
            where = f" (p. {named_at.page})" if named_at and named_at.page else ""
            closest += (
                f" Het woord '{c.named}' komt wel voor{where}, in een passage die volgens het model niet "
                "over dit principe gaat (alleen genoemd, of in een andere betekenis): beoordeel die passage."
            )
            summary_en += (
                f" The word '{c.named}' does occur{where}, in a passage the model does not read as addressing"
                " the principle (named in passing, or in another sense): review that passage."
            )
        out.append(
            Finding(
                FindingKind.GAP,
                severity,
                summary + closest,
                summary_en,
                c.principle,
                agencies=(c.agency,) if c.agency else (),
                documents=(c.doc_id,),
                evidence=c.evidence
                + c.near_misses
                + (c.conflicts if c.conflicting and not c.evidence else ()),
                details={
                    "level": str(c.level),
                    "score": round(c.score, 4),
                    "near_miss_shortfalls": [round(s, 4) for s in c.shortfalls],
                },
            )
        )
    return out


def _against(n: int, uncertain: int) -> tuple[str, str]:
    """'N passage(s) go against it' in Dutch and English, saying how many of them are uncertain."""
    if uncertain == n:
        return (
            f"{n} passage(s) gaan er mogelijk tegenin (houding onzeker)",
            f"{n} passage(s) may go against it (stance uncertain)",
        )
    if uncertain:
        return (
            f"{n} passage(s) gaan ertegenin, waarvan {uncertain} met onzekere houding",
            f"{n} passage(s) go against it, {uncertain} of them with an uncertain stance",
        )
    return f"{n} passage(s) gaan ertegenin", f"{n} passage(s) go against it"


def conflicts(docs: Sequence[DocumentScores], framework: Framework) -> list[Finding]:
    """Passages that go against a principle: one finding per document and principle."""
    out: list[Finding] = []
    for doc in docs:
        for pid in framework.principle_ids:
            # the passages whose stance is clear first, each group by how surely it addresses the principle
            hits = sorted(
                (ref for ref in doc.passages if ref.labels.get(pid) == "conflicts"),
                key=lambda r: (r.doubtful_conflict(pid), -r.scores.get(pid, 0.0), r.passage.index),
            )
            if not hits:
                continue
            top = hits[0].scores.get(pid, 0.0)
            doubt = hits[0].doubtful_conflict(pid)
            who = _name(doc.document.agency, doc.document.title)
            n = len(hits)
            where = ", ".join(f"p. {h.passage.page}" for h in hits[:3] if h.passage.page) or "zie passages"
            title_nl, title_en = _title(framework, pid), _title(framework, pid, "en")
            these_nl = f"{n} passage{'s' if n > 1 else ''} van {who} {'gaan' if n > 1 else 'gaat'}"
            these_en = f"{n} passage{'s' if n > 1 else ''} of {who}"
            if doubt and all(pid in h.against_only for h in hits):
                # found by the against model alone: the passage scores below the presence threshold
                severity = Severity.LOW
                summary = (
                    f"{these_nl} mogelijk in tegen '{title_nl}' ({where}); alleen het model voor "
                    f"strijdigheid vond dit, de passage gaat niet duidelijk over het principe "
                    f"(score {top:.2f}): beoordeel de passage."
                )
                summary_en = (
                    f"{these_en} may go against '{title_en}'; only the model for conflicts found this, "
                    f"the passage does not clearly address the principle (score {top:.2f}): review the "
                    "passage."
                )
            elif doubt:  # every passage is doubtful: the clear ones sort first
                p = max(h.conflict_scores.get(pid, 0.0) for h in hits)
                severity = Severity.LOW
                summary = (
                    f"{these_nl} mogelijk in tegen '{title_nl}' ({where}); de houding is onzeker "
                    f"(kans op strijdigheid {p:.2f}): beoordeel de passage."
                )
                summary_en = (
                    f"{these_en} may go against '{title_en}'; the stance is uncertain "
                    f"(probability of conflict {p:.2f}): review the passage."
                )
            else:
                severity = Severity.HIGH if top >= CONFLICT_HIGH else Severity.MEDIUM
                summary = f"{these_nl} in tegen '{title_nl}' ({where})."
                summary_en = f"{these_en} go{'es' if n == 1 else ''} against '{title_en}'."
            out.append(
                Finding(
                    FindingKind.CONFLICT,
                    severity,
                    summary,
                    summary_en,
                    pid,
                    agencies=(doc.document.agency,) if doc.document.agency else (),
                    documents=(doc.document.doc_id,),
                    evidence=tuple(h.evidence(pid) for h in hits[:MAX_CONFLICT_EVIDENCE]),
                    details={"passages": n, "top_score": round(top, 4), "stance_uncertain": doubt},
                )
            )
    return out


def coverage_divergences(
    coverage: Sequence[Coverage], docs: Sequence[DocumentScores], framework: Framework
) -> list[Finding]:
    """Agencies that treat a principle differently, one finding per principle and kind:
    - stance: some agencies support the principle (committed or deeper, more passages for than
      against) while others mostly go against it;
    - coverage: the deepest and the shallowest coverage among the agencies are two or more levels
      apart (agencies out of the principle's domain are left out).
    Each agency is represented by its deepest-covering document."""
    by_agency: dict[str, dict[str, Coverage]] = {}
    for c in coverage:
        if not c.agency:
            continue
        current = by_agency.setdefault(c.agency, {}).get(c.principle)
        if current is None or (c.level.rank, c.score) > (current.level.rank, current.score):
            by_agency[c.agency][c.principle] = c
    # per agency and principle, its strongest conflicting passage: a clear stance before a doubtful one
    best: dict[tuple[str, str], tuple[tuple[bool, int, float, int], ScoredPassageRef]] = {}
    for d, doc in enumerate(docs):
        for ref in doc.passages:
            for pid, stance in ref.labels.items():
                if stance == "conflicts" and doc.document.agency:
                    key = (doc.document.agency, pid)
                    order = (
                        ref.doubtful_conflict(pid),
                        d,
                        -max(ref.scores.values(), default=0.0),
                        ref.passage.index,
                    )
                    if key not in best or order < best[key][0]:
                        best[key] = (order, ref)
    conflict_evidence = {key: ref.evidence(key[1]) for key, (_, ref) in best.items()}
    uncertain = {key for key, (order, _) in best.items() if order[0]}
    out: list[Finding] = []
    for pid in framework.principle_ids:
        title_nl, title_en = _title(framework, pid), _title(framework, pid, "en")
        levels = {
            a: cov[pid]
            for a, cov in sorted(by_agency.items())
            if pid in cov and cov[pid].level is not Level.OUT_OF_SCOPE
        }
        if len(levels) < 2:
            continue
        # an agency's net stance: one stray conflicting passage in a plan that supports the principle
        # throughout does not make the agency an opponent
        supporters = [
            a
            for a, c in levels.items()
            if c.level.rank >= Level.COMMITTED.rank and c.conflicting < c.supporting
        ]
        opposers = [
            a for a, c in levels.items() if (a, pid) in conflict_evidence and c.conflicting >= c.supporting
        ]
        if supporters and opposers:
            # an agency whose every conflicting passage has a doubtful stance may not be an opponent
            sure = [a for a in opposers if (a, pid) not in uncertain]
            unsure = [a for a in opposers if (a, pid) in uncertain]
            evidence = tuple(levels[a].evidence[0] for a in supporters[:3] if levels[a].evidence)
            evidence += tuple(conflict_evidence[(a, pid)] for a in sure + unsure)
            support_nl = f"{_names(supporters)} {'onderschrijven' if len(supporters) > 1 else 'onderschrijft'} '{title_nl}'"
            support_en = (
                f"{_names(supporters, 'and')} support{'s' if len(supporters) == 1 else ''} '{title_en}'"
            )
            if sure and unsure:
                against_nl = (
                    f"terwijl passages van {_names(sure)} ertegenin gaan en die van {_names(unsure)} "
                    "mogelijk (houding onzeker)"
                )
                against_en = (
                    f"while passages of {_names(sure, 'and')} go against it and those of "
                    f"{_names(unsure, 'and')} may (stance uncertain)"
                )
            elif sure:
                against_nl = f"terwijl passages van {_names(sure)} ertegenin gaan"
                against_en = f"while passages of {_names(sure, 'and')} go against it"
            else:
                against_nl = (
                    f"terwijl passages van {_names(unsure)} er mogelijk tegenin gaan "
                    "(houding onzeker: beoordeel de passages)"
                )
                against_en = (
                    f"while passages of {_names(unsure, 'and')} may go against it "
                    "(stance uncertain: review the passages)"
                )
            out.append(
                Finding(
                    FindingKind.DIVERGENCE,
                    Severity.HIGH if sure else Severity.LOW,
                    f"{support_nl}, {against_nl}.",
                    f"{support_en}, {against_en}.",
                    pid,
                    agencies=tuple(sorted(set(supporters) | set(opposers))),
                    documents=tuple(sorted({e.doc_id for e in evidence})),
                    evidence=evidence,
                    details={
                        "type": "stance",
                        "supports": supporters,
                        "conflicts": sure + unsure,
                        "conflicts_uncertain": unsure,
                        "levels": {a: str(c.level) for a, c in levels.items()},
                    },
                )
            )
        top = max(c.level.rank for c in levels.values())
        bottom = min(c.level.rank for c in levels.values())
        if top - bottom >= 2:
            high = [a for a, c in levels.items() if c.level.rank == top]
            low = [a for a, c in levels.items() if c.level.rank == bottom]
            top_level, bottom_level = levels[high[0]].level, levels[low[0]].level
            evidence = tuple(levels[a].evidence[0] for a in high[:3] if levels[a].evidence)
            evidence += tuple(
                (levels[a].evidence or levels[a].near_misses)[0]
                for a in low
                if levels[a].evidence or levels[a].near_misses
            )
            out.append(
                Finding(
                    FindingKind.DIVERGENCE,
                    Severity.HIGH if top - bottom >= 3 else Severity.MEDIUM,
                    f"'{title_nl}' is bij {_names(high)} {LEVEL_NL[top_level]}, bij {_names(low)} {LEVEL_NL[bottom_level]}.",
                    f"'{title_en}' is {top_level} at {_names(high, 'and')}, {bottom_level} at {_names(low, 'and')}.",
                    pid,
                    agencies=tuple(sorted(set(high) | set(low))),
                    documents=tuple(sorted({e.doc_id for e in evidence})),
                    evidence=evidence,
                    details={"type": "coverage", "levels": {a: str(c.level) for a, c in levels.items()}},
                )
            )
    return out


def _names(names: Sequence[str], conjunction: str = "en") -> str:
    items = list(names)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" {conjunction} " + items[-1]


def rank(findings: Iterable[Finding]) -> list[Finding]:
    """Most severe first; a fixed order for the same input."""
    return sorted(findings, key=lambda f: f.sort_key())


# --- the analysis cache: what analyse() found, kept in the store --------------------------------------

ANALYSIS_VERSION = 3
"""Bump when the form of a cached analysis changes."""


@lru_cache(maxsize=1)
def analysis_fingerprint() -> str:
    """Hex SHA-256 of what the findings depend on besides their inputs: every file of the package
    (the analysis code, its data files, the builtin frameworks the instrument finder reads), and,
    through the reader's fingerprint, aligncheck's version and those of the libraries it uses (spaCy
    splits the sentences the definition and instrument finders read) and Python's."""
    from aligncheck.ingest.cache import PACKAGE, reader_fingerprint

    head = f"analysis {ANALYSIS_VERSION}\0{sys.version}\0{reader_fingerprint()}\0"
    digest = hashlib.sha256(head.encode())
    files = sorted(f for f in PACKAGE.rglob("*") if f.is_file() and "__pycache__" not in f.parts)
    for file in files:
        data = file.read_bytes()
        digest.update(f"{file.relative_to(PACKAGE).as_posix()}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _codec_types() -> dict[str, type]:
    from aligncheck.compare import Coverage, SharedText

    return {
        t.__name__: t
        for t in (Coverage, SharedText, Finding, Evidence, Level, Severity, FindingKind, PassageKind)
    }


def encode_analysis(value: Any) -> bytes:
    """A result of the analysis (coverage, findings, shared text, definitions: dataclasses, enums,
    tuples, lists, dicts and plain values) as compressed JSON that `decode_analysis` turns back into
    an equal value of the same types: tuples stay tuples, dict keys keep their order and type, floats
    their exact value. TypeError for anything else (such a result is not cached)."""
    types = _codec_types()

    def enc(x: Any) -> Any:
        if x is None or isinstance(x, bool):
            return x
        if isinstance(x, Enum):
            if types.get(type(x).__name__) is not type(x):
                raise TypeError(f"cannot cache a {type(x).__name__}")
            return ["e", type(x).__name__, x.value]
        if type(x) in (str, int, float):
            return x
        if isinstance(x, tuple) and type(x) is tuple:
            return ["t", *(enc(v) for v in x)]
        if type(x) is list:
            return ["l", *(enc(v) for v in x)]
        if type(x) is dict:
            out: list[Any] = ["d"]
            for k, v in x.items():
                out += [enc(k), enc(v)]
            return out
        if is_dataclass(x) and types.get(type(x).__name__) is type(x):
            return ["c", type(x).__name__, *(enc(getattr(x, f.name)) for f in fields(x))]
        raise TypeError(f"cannot cache a {type(x).__name__}")

    text = json.dumps(enc(value), ensure_ascii=False, separators=(",", ":"), allow_nan=True)
    return zlib.compress(text.encode("utf-8"), 1)


def decode_analysis(data: bytes) -> Any:
    """The value `encode_analysis` encoded; ValueError when the data is not such a value."""
    types = _codec_types()

    def dec(x: list[Any]) -> Any:  # a tagged container (plain values are decoded where they are)
        tag = x[0]
        if tag == "c":
            return types[x[1]](*[dec(v) if type(v) is list else v for v in x[2:]])
        if tag == "t":
            return tuple([dec(v) if type(v) is list else v for v in x[1:]])
        if tag == "l":
            return [dec(v) if type(v) is list else v for v in x[1:]]
        if tag == "d":
            items = [dec(v) if type(v) is list else v for v in x[1:]]
            return dict(zip(items[::2], items[1::2], strict=True))
        if tag == "e":
            return types[x[1]](x[2])
        raise ValueError(f"not a cached analysis: tag {tag!r}")

    try:
        value = json.loads(zlib.decompress(data).decode("utf-8"))
        return dec(value) if type(value) is list else value
    except (KeyError, IndexError, TypeError, zlib.error, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"not a cached analysis: {exc}") from None
