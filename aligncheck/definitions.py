"""Definitions of key terms: find the sentences in which a plan defines a term of the framework
("Onder fraude verstaan wij ...", "Van recidive is sprake als ...", "fraude: het opzettelijk ..."),
read what each definition says (the term's aspects: intent required, a window of five years), and
compare the definitions of different agencies.

The terms, their word forms and their aspects are data in the framework file; this module holds only
the Dutch sentence forms that make a sentence a definition."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import PurePath
from typing import Any

from aligncheck.frameworks import Framework, Term
from aligncheck.score.features import count_phrase, matchable_words, normalise_for_matching, tokens_of
from aligncheck.segment import passage_sentences
from aligncheck.types import Evidence, Finding, FindingKind, Passage, Severity

__all__ = ["Definition", "compare_definitions", "definition_table", "find_aspects", "find_definitions"]

MAX_CONTINUATION = 2
"""At most this many sentences after a running-text definition are read with it."""


@dataclass(frozen=True)
class Definition:
    """A sentence in which a plan defines a framework term, and the aspects found in it."""

    term: str
    """The framework's term ("fraude"), also when the plan uses a variant."""
    agency: str | None
    doc_id: str
    sentence: str
    """The defining sentence or list line, exact text from the passage."""
    aspects: tuple[str, ...]
    """Aspect ids found in the definition (and its continuation), sorted."""
    values: dict[str, str] = field(hash=False)
    """Aspect id -> captured value (window_years -> "5"), numbers as digits."""
    evidence: Evidence
    """The passage that holds the definition; its note is the sentence."""
    form: str = ""
    """Which sentence form was recognised: onder_verstaan, met_bedoelen, sprake_van, er_is_sprake,
    spreken_van, list or is."""
    continuation: str = ""
    """The following sentences of the passage that qualify the definition ("Opzet is daarvoor niet
    vereist."), read for aspects too; empty for list lines."""

    @property
    def who(self) -> str:
        """The agency, or the file name when the document has none."""
        if self.agency:
            return self.agency
        return PurePath(self.evidence.path or self.doc_id).name

    def to_dict(self) -> dict[str, Any]:
        ev = self.evidence
        return {
            "term": self.term,
            "agency": self.who,
            "doc_id": self.doc_id,
            "passage_id": ev.passage_id,
            "page": ev.page,
            "section": list(ev.section),
            "form": self.form,
            "aspects": list(self.aspects),
            "values": dict(sorted(self.values.items())),
            "sentence": self.sentence,
            "continuation": self.continuation,
        }


# --- the sentence forms -----------------------------------------------------------------------------

_ARTICLE = r"(?:(?:de|het|een)\s+)"
_ADVERB = r"(?:(?:pas|alleen|slechts|uitsluitend|ook)\s+)?"
_CONDITION = r"(?:als|wanneer|indien|zodra)"
_ANAPHOR = re.compile(r"\b(?:daarvoor|daarbij|hiervoor|hierbij|daarvan|hiervan|dus)\b", re.IGNORECASE)
_QUOTE = "['\"\u2018\u2019\u201c\u201d]"
_LATER_VERSTAAN = r"(?:wordt|worden)\b(?=.*?\bverstaan\b)"
_ENUMERATOR = r"(?:\(?\d{1,2}[.)]\s+|\(?[a-z][.)]\s+|[-\u2013\u2014\u2022*]\s+)?"

# "X is ..." is a definition only when what follows reads like one ("het opzettelijk ...", "de mate
# waarin", "een ernstige mate van ..."); these heads mark a statement about the term instead.
_IS_REST = re.compile(
    r"^(?:(?:voor\s+(?:ons|\w+)|in\s+dit\s+plan|hier|daarbij)\s+)?(?:het|de|een|elke|iedere|ieder|elk|alle"
    r"|wanneer|als|indien)\b",
    re.IGNORECASE,
)
_MEANS_REST = re.compile(
    r"^(?:(?:voor\s+(?:ons|\w+)|in\s+dit\s+plan|hier)\s+)?(?:dat|het|de|een|elke|iedere|alle)\b",
    re.IGNORECASE,
)
# A "X: ..." line outside a list of terms is a definition only when it reads like one.
_LIST_DEFINITION = re.compile(r"(?:het|een|iedere|ieder|elke|elk|alle)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"(?:wij|we|ik|u|zij|hij|het\s+college|de\s+gemeente|dit|deze)\b", re.IGNORECASE)
_RELATIVE = re.compile(r"\b(?:waarbij|waarin|waardoor|waarmee|die|dat)\b", re.IGNORECASE)
_GLOSSARY = re.compile(
    r"\b(?:begrip\w*|definitie\w*|woordenlijst|verstaan\s+onder|wordt\s+verstaan)\b", re.IGNORECASE
)
_NOT_DEFINING = frozenset(
    "probleem problemen uitdaging risico prioriteit speerpunt thema onderwerp aandachtspunt zorgpunt kwestie "
    "uitgangspunt doel sluitstuk vertrekpunt grootste belangrijkste belangrijk belangrijke bedreiging middel "
    "instrument".split()
)


@dataclass(frozen=True)
class _Forms:
    """The compiled sentence forms for one framework's terms."""

    by_form: dict[str, str]
    """Lower-case word form -> term."""
    running: tuple[tuple[str, re.Pattern[str]], ...]
    copula: re.Pattern[str]
    listed: re.Pattern[str]
    mention: dict[str, re.Pattern[str]]
    """term -> any of its forms as a whole word."""
    any_term: re.Pattern[str]
    """Any form of any term as a whole word: found wherever one of `mention` is found."""


def _forms(framework: Framework) -> _Forms:
    by_form: dict[str, str] = {}
    for term in framework.terms:
        for form in term.forms:
            by_form.setdefault(" ".join(form.split()), term.term)
    one = rf"(?<![\w-]){_ARTICLE}?{_QUOTE}?{_any_of(by_form)}{_QUOTE}?"
    slot = rf"(?P<slot>{one}(?:\s+(?:of|en|en/of)\s+{one})?)"
    running = (
        ("onder_verstaan", rf"\bonder\s+{slot}\s+(?:verstaan|verstaat|{_LATER_VERSTAAN})"),
        ("onder_verstaan", rf"\bverst(?:aan|aat)\s+(?:\w+\s+){{0,3}}?onder\s+{slot}"),
        ("met_bedoelen", rf"^\W*met\s+{slot}\s+(?:bedoelen|bedoelt|wordt\s+(?:\w+\s+){{0,3}}?bedoeld)\b"),
        (
            "sprake_van",
            rf"\bvan\s+{slot}\s+is\s+(?:er\s+)?{_ADVERB}sprake\s+(?:{_CONDITION}|bij|in\s+(?:het\s+)?geval)\b",
        ),
        ("er_is_sprake", rf"\b(?:er\s+is|is\s+er)\s+{_ADVERB}sprake\s+van\s+{slot}\s+{_CONDITION}\b"),
        ("spreken_van", rf"\b(?:wij|we)\s+spreken\s+{_ADVERB}van\s+{slot}\s+(?:{_CONDITION}|bij)\b"),
        ("spreken_van", rf"\bspreken\s+(?:wij|we)\s+{_ADVERB}van\s+{slot}"),
        ("spreken_van", rf"\bspreekt\s+(?:het\s+\w+|de\s+\w+|\w+)\s+{_ADVERB}van\s+{slot}\s+{_CONDITION}\b"),
    )
    verb = r"(?P<verb>is|betekent|houdt\s+in|omvat|wil\s+zeggen)"
    copula = rf"^\s*{_ENUMERATOR}{slot}\s+{verb}(?:\s*:\s*|\s+)(?P<rest>\S.*)$"
    listed = rf"{_ENUMERATOR}{slot}\s*(?::|\s[\u2013\u2014]\s)\s*(?P<rest>\S.*)$"
    flags = re.IGNORECASE | re.DOTALL
    mention = {term.term: re.compile(_any_of(term.forms), re.IGNORECASE) for term in framework.terms}
    return _Forms(
        by_form=by_form,
        running=tuple((name, re.compile(rx, flags)) for name, rx in running),
        copula=re.compile(copula, flags),
        listed=re.compile(listed, flags),
        mention=mention,
        any_term=re.compile("|".join(p.pattern for p in mention.values()), re.IGNORECASE),
    )


def _any_of(forms: Iterable[str]) -> str:
    """Any of the word forms as a whole word, longest first."""
    alternatives = "|".join(_words(f) for f in sorted(forms, key=lambda f: (-len(f), f)))
    return rf"(?<![\w-])(?:{alternatives})(?![\w-])"


def _words(form: str) -> str:
    """A word form as a regex, any whitespace between its words."""
    return r"\s+".join(re.escape(w) for w in form.split())


def _slot_terms(slot: str, forms: _Forms) -> list[str]:
    """The terms a slot names: "fout of vergissing" -> [fout, vergissing]; [] when a part is no term."""
    parts = re.split(r"\s+(?:of|en|en/of)\s+", " ".join(slot.split()).lower())
    terms: list[str] = []
    for part in parts:
        part = re.sub(r"^(?:de|het|een)\s+", "", part).strip("'\"\u2018\u2019\u201c\u201d ")
        term = forms.by_form.get(part)
        if term is None:
            return []
        if term not in terms:
            terms.append(term)
    return terms


def _copula_defines(verb: str, rest: str) -> bool:
    """Whether "<term> is/betekent ... <rest>" reads as a definition rather than a statement."""
    pattern = _IS_REST if verb.lower() == "is" else _MEANS_REST
    if not pattern.match(rest):
        return False
    head = re.findall(r"\w+", rest.lower())[:5]
    return not _NOT_DEFINING.intersection(head)


@dataclass(frozen=True)
class _Found:
    term: str
    start: int
    end: int
    form: str
    sentence_index: int | None
    """Index of the sentence for running-text forms; None for list lines."""


def _list_items(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Spans of the ';'-separated items of a sentence, stripped."""
    pos = start
    for part in re.split(r"(;)", text[start:end]):
        if part != ";":
            lead = len(part) - len(part.lstrip())
            body = part.strip()
            if body:
                yield pos + lead, pos + lead + len(body)
        pos += len(part)


def _reads_as_definition(rest: str, glossary: bool) -> bool:
    """Whether the text after "X:" defines X ("het opzettelijk ...") rather than says something else
    about it ("100% van het benadelingsbedrag", "de geraamde opbrengst bedraagt ...")."""
    if re.match(r"[\d\u20ac%]", rest) or _PRONOUN.match(rest):
        return False
    return glossary or bool(_LIST_DEFINITION.match(rest) or _RELATIVE.search(" ".join(rest.split()[:12])))


def _in_sentence(
    text: str, spans: Sequence[tuple[int, int]], k: int, forms: _Forms, glossary: bool
) -> list[_Found]:
    """The definitions in sentence k of a passage; `glossary` when the passage is part of a list of
    terms (a section "Begrippen", an introduction "de volgende begrippen:")."""
    start, end = spans[k]
    sentence = text[start:end]
    found: list[_Found] = []
    seen: set[str] = set()

    # Definition-list lines, also several in one sentence: "begrippen: fraude: het ...; recidive: ..."
    for i_start, i_end in _list_items(text, start, end):
        item = text[i_start:i_end]
        candidates = [0] + [m.end() for m in re.finditer(r":\s+", item)]
        for offset in candidates:
            m = forms.listed.match(item, offset)
            if not m or len(m.group("rest").split()) < 2:
                continue
            if not _reads_as_definition(m.group("rest"), glossary or offset > 0):
                break
            for term in _slot_terms(m.group("slot"), forms):
                if term not in seen:
                    seen.add(term)
                    label_start = i_start + m.start("slot")
                    found.append(_Found(term, label_start, i_end, "list", None))
            break

    # Running text: "Onder X verstaan wij", "Van X is sprake als", "Wij spreken van X als", ...
    for name, pattern in forms.running:
        for m in pattern.finditer(sentence):
            for term in _slot_terms(m.group("slot"), forms):
                if term not in seen:
                    seen.add(term)
                    found.append(_Found(term, start, end, name, k))
    m = forms.copula.match(sentence)
    if m and _copula_defines(m.group("verb"), m.group("rest")):
        for term in _slot_terms(m.group("slot"), forms):
            if term not in seen:
                seen.add(term)
                found.append(_Found(term, start, end, "is", k))
    return found


def _continuation(
    text: str, spans: Sequence[tuple[int, int]], k: int, term: str, forms: _Forms, defining: set[int]
) -> str:
    """The sentences after sentence k that go on about the definition: they name the term or refer
    back to it ("daarvoor", "dus"), and define nothing themselves."""
    out: list[str] = []
    for j in range(k + 1, min(k + 1 + MAX_CONTINUATION, len(spans))):
        sentence = text[spans[j][0] : spans[j][1]]
        if j in defining or not (forms.mention[term].search(sentence) or _ANAPHOR.search(sentence)):
            break
        out.append(sentence)
    return " ".join(out)


# --- aspects ----------------------------------------------------------------------------------------

_NUMBERS = {
    "een": "1",
    "één": "1",
    "twee": "2",
    "drie": "3",
    "vier": "4",
    "vijf": "5",
    "zes": "6",
    "zeven": "7",
    "acht": "8",
    "negen": "9",
    "tien": "10",
}


def _normalise_value(value: str) -> str:
    value = value.strip().lower()
    if value in _NUMBERS:
        return _NUMBERS[value]
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", value):
        return value.replace(".", "")
    return value.rstrip(".")


def _token_spans(norm: str, tokens: list[str]) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for token in tokens:
        at = max(norm.find(token, pos), pos)
        spans.append((at, at + len(token)))
        pos = at + len(token)
    return spans


def find_aspects(term: Term, text: str) -> tuple[tuple[str, ...], dict[str, str]]:
    """The term's aspects in a definition text and the values their patterns capture. Cues match as
    lemma-prefix phrases, patterns as case-insensitive regular expressions. A match inside a longer
    match of another aspect does not count ("opzet" in "opzet is niet vereist"); when two aspects that
    exclude each other are both left, the one with the longer match wins, and on a tie neither."""
    norm = normalise_for_matching(text)
    tokens = tokens_of(text)
    words = matchable_words(tokens)  # a cue with a word outside these does not occur in the text
    spans = _token_spans(norm, tokens)
    matches: list[tuple[int, int, str, str | None]] = []
    for aid, aspect in term.aspects.items():
        for cue in aspect.cues:
            phrase = _cue_tokens(cue)
            if not all(w in words for w in phrase):
                continue
            n = len(phrase)
            for i in range(len(tokens) - n + 1):
                if count_phrase(tokens[i : i + n], phrase):
                    matches.append((spans[i][0], spans[i + n - 1][1], aid, None))
        for pattern in aspect.patterns:
            for m in re.finditer(pattern, norm, re.IGNORECASE):
                value = next((g for g in m.groups() if g), None)
                matches.append((m.start(), m.end(), aid, value))

    def inside(a: tuple[int, int, str, str | None], b: tuple[int, int, str, str | None]) -> bool:
        return a[2] != b[2] and b[0] <= a[0] and a[1] <= b[1] and (b[1] - b[0]) > (a[1] - a[0])

    kept = [m for m in matches if not any(inside(m, other) for other in matches)]
    longest: dict[str, int] = {}
    for s, e, aid, _ in kept:
        longest[aid] = max(longest.get(aid, 0), e - s)
    present = set(longest)
    for aid in sorted(present):
        for other in term.aspects[aid].excludes:
            if aid in present and other in present:
                if longest[aid] > longest[other]:
                    present.discard(other)
                elif longest[aid] < longest[other]:
                    present.discard(aid)
                else:
                    present -= {aid, other}
    values: dict[str, str] = {}
    for _, _, aid, value in sorted(kept):
        if value and aid in present and aid not in values:
            values[aid] = _normalise_value(value)
    return tuple(sorted(present)), values


@lru_cache(maxsize=4096)
def _cue_tokens(cue: str) -> tuple[str, ...]:
    return tuple(tokens_of(cue))


# --- finding definitions ----------------------------------------------------------------------------


def _evidence(p: Passage, note: str) -> Evidence:
    return Evidence.of(p, note=note)


def find_definitions(passages: Sequence[Passage], framework: Framework) -> list[Definition]:
    """The sentences that define one of the framework's terms, with the aspects each definition
    has. Recognised forms: "Onder X verstaan wij / wordt verstaan", "Met X bedoelen wij", "Van X is
    sprake als/wanneer/indien/bij", "Er is sprake van X als", "Wij spreken van X als", definition-list
    lines "X: ..." (several may share a passage, separated by ';'), and "X is/betekent/houdt in ..."
    at the start of a sentence when what follows reads like a definition. A running-text definition
    is read together with up to two following sentences that go on about it."""
    if not framework.terms:
        return []
    forms = _forms(framework)
    terms = {t.term: t for t in framework.terms}
    order = {t.term: i for i, t in enumerate(framework.terms)}
    out: list[tuple[tuple[Any, ...], Definition]] = []
    mentions: dict[str, bool] = {}
    read: dict[tuple[str, bool], list[_Read]] = {}  # a text that recurs (in many plans) is read once
    for passage in passages:
        text = passage.text
        mentioned = mentions.get(text)
        if mentioned is None:
            mentioned = mentions[text] = forms.any_term.search(text) is not None
        if not mentioned:
            continue
        glossary = any(_GLOSSARY.search(title) for title in passage.section) or bool(_GLOSSARY.search(text))
        found_here = read.get((text, glossary))
        if found_here is None:
            found_here = read[(text, glossary)] = _read_passage(text, glossary, forms, terms)
        for found, sentence, more, aspects, values in found_here:
            definition = Definition(
                term=found.term,
                agency=passage.agency,
                doc_id=passage.doc_id,
                sentence=sentence,
                aspects=aspects,
                values=dict(values),
                evidence=_evidence(passage, sentence),
                form=found.form,
                continuation=more,
            )
            where = (passage.path, passage.doc_id, passage.index, found.start)
            out.append(((order[found.term], definition.who, *where), definition))
    return [d for _, d in sorted(out, key=lambda item: item[0])]


_Read = tuple[_Found, str, str, tuple[str, ...], dict[str, str]]
"""A definition found in a text: where, the sentence, its continuation, its aspects and values."""


def _read_passage(text: str, glossary: bool, forms: _Forms, terms: dict[str, Term]) -> list[_Read]:
    """The definitions in one passage's text, in order (see find_definitions)."""
    spans = passage_sentences(text)
    per_sentence = [_in_sentence(text, spans, k, forms, glossary) for k in range(len(spans))]
    defining = {k for k, found in enumerate(per_sentence) if found}
    out: list[_Read] = []
    for found in (f for group in per_sentence for f in group):
        sentence = text[found.start : found.end].rstrip(" ;")
        more = ""
        if found.sentence_index is not None:
            more = _continuation(text, spans, found.sentence_index, found.term, forms, defining)
        aspects, values = find_aspects(terms[found.term], f"{sentence} {more}".strip())
        out.append((found, sentence, more, aspects, values))
    return out


# --- comparing definitions --------------------------------------------------------------------------


def _rank(d: Definition) -> tuple[Any, ...]:
    """Best definition of an agency first: most aspects, then most values, then document order."""
    ev = d.evidence
    index = int(ev.passage_id.rsplit(":", 1)[1])
    return (-len(d.aspects), -len(d.values), ev.path or "", d.doc_id, index, d.sentence)


def _by_agency(definitions: Iterable[Definition]) -> dict[str, list[Definition]]:
    """Agency -> its definitions, best first; agencies sorted."""
    grouped: dict[str, list[Definition]] = {}
    for d in definitions:
        grouped.setdefault(d.who, []).append(d)
    return {who: sorted(grouped[who], key=_rank) for who in sorted(grouped)}


def _label(term: Term, aid: str) -> str:
    aspect = term.aspects[aid]
    if aspect.label:
        return aspect.label
    if aspect.description:
        text = aspect.description.rstrip(".")
        return text[:1].lower() + text[1:]
    return aid.replace("_", " ")


def _label_en(term: Term, aid: str) -> str:
    return term.aspects[aid].label_en or aid.replace("_", " ")


def _join(names: Sequence[str], word: str = "en") -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {word} {names[-1]}"


def _note(term: Term, d: Definition, lang: str = "nl") -> str:
    parts = []
    for aid in (a for a in term.aspects if a in d.aspects):
        label = _label(term, aid) if lang == "nl" else _label_en(term, aid)
        parts.append(f"{label}: {d.values[aid]}" if aid in d.values else label)
    return "; ".join(parts)


def _differences(term: Term, chosen: dict[str, Definition]) -> list[dict[str, Any]]:
    """Where the agencies' definitions differ, one entry per aspect (a contrast covers the aspect and
    the one it excludes): a contrast is high, a missing aspect or a different value medium."""
    agencies = list(chosen)
    has = {aid: [a for a in agencies if aid in chosen[a].aspects] for aid in term.aspects}
    out: list[dict[str, Any]] = []
    done: set[str] = set()
    for aid, aspect in term.aspects.items():
        if aid in done or not has[aid]:
            continue
        contrasts = [
            b
            for b in term.aspects
            if b not in done and has[b] and (b in aspect.excludes or aid in term.aspects[b].excludes)
        ]
        if contrasts:
            for b in contrasts:
                out.append(
                    {
                        "aspect": aid,
                        "label": _label(term, aid),
                        "label_en": _label_en(term, aid),
                        "kind": "contrast",
                        "severity": str(Severity.HIGH),
                        "with": has[aid],
                        "contrast": b,
                        "contrast_label": _label(term, b),
                        "contrast_label_en": _label_en(term, b),
                        "contrast_with": has[b],
                        "without": [a for a in agencies if a not in has[aid] and a not in has[b]],
                    }
                )
                done.add(b)
            done.add(aid)
            continue
        without = [a for a in agencies if a not in has[aid]]
        values = {a: chosen[a].values[aid] for a in has[aid] if aid in chosen[a].values}
        if without or len(set(values.values())) > 1:
            entry: dict[str, Any] = {
                "aspect": aid,
                "label": _label(term, aid),
                "label_en": _label_en(term, aid),
                "kind": "value" if len(set(values.values())) > 1 else "presence",
                "severity": str(Severity.MEDIUM),
                "with": has[aid],
                "without": without,
            }
            if values:
                entry["values"] = values
            out.append(entry)
    out.sort(key=lambda e: Severity(e["severity"]).rank)  # stable: framework order within a severity
    return out


def _by_value(values: dict[str, str]) -> list[tuple[str, list[str]]]:
    groups: dict[str, list[str]] = {}
    for agency, value in values.items():
        groups.setdefault(value, []).append(agency)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


def _clause(diff: dict[str, Any], lang: str) -> str:
    at, missing = ("bij", "niet genoemd bij") if lang == "nl" else ("at", "not mentioned at")
    word = "en" if lang == "nl" else "and"
    label = diff["label"] if lang == "nl" else diff["label_en"]
    if diff["kind"] == "contrast":
        other = diff["contrast_label"] if lang == "nl" else diff["contrast_label_en"]
        return f"{label} {at} {_join(diff['with'], word)}, {other} {at} {_join(diff['contrast_with'], word)}"
    if diff["kind"] == "value":
        groups = ", ".join(f"{v} {at} {_join(names, word)}" for v, names in _by_value(diff["values"]))
        text = f"{label}: {groups}"
    else:
        text = f"{label} {at} {_join(diff['with'], word)}"
    if diff["without"]:
        text += f", {missing} {_join(diff['without'], word)}"
    return text


def _summary(term: str, agencies: Sequence[str], diffs: list[dict[str, Any]], lang: str) -> str:
    shown, rest = diffs[:3], len(diffs) - 3
    clauses = "; ".join(_clause(d, lang) for d in shown)
    if lang == "nl":
        more = f" (en nog {rest} verschil{'len' if rest > 1 else ''})" if rest > 0 else ""
        return f"{_join(agencies)} definiëren '{term}' verschillend: {clauses}{more}."
    more = f" (and {rest} more difference{'s' if rest > 1 else ''})" if rest > 0 else ""
    return f"{_join(agencies, 'and')} define '{term}' differently: {clauses}{more}."


def compare_definitions(definitions: Sequence[Definition], framework: Framework) -> list[Finding]:
    """One DEFINITION finding per term that two or more agencies define differently. Each agency is
    represented by its definition with the most aspects (the others are in details["other_definitions"]);
    an agency whose definitions show none of the term's aspects is not compared, since they say
    nothing either way (details["not_compared"]). High when one agency's definition has an aspect
    another's contradicts (intent required / not required), else medium (an aspect missing, a
    different value)."""
    findings: list[Finding] = []
    for term in framework.terms:
        grouped = _by_agency(d for d in definitions if d.term == term.term)
        chosen = {who: defs[0] for who, defs in grouped.items() if defs[0].aspects}
        if len(chosen) < 2:
            continue
        diffs = _differences(term, chosen)
        if not diffs:
            continue
        agencies = tuple(chosen)
        severity = min((Severity(d["severity"]) for d in diffs), key=lambda s: s.rank)
        evidence = tuple(
            replace(chosen[a].evidence, note=_note(term, chosen[a]), note_en=_note(term, chosen[a], "en"))
            for a in agencies
        )
        others = [d.to_dict() for who in agencies for d in grouped[who][1:]]
        silent = [d.to_dict() for who, defs in grouped.items() if who not in chosen for d in defs]
        findings.append(
            Finding(
                kind=FindingKind.DEFINITION,
                severity=severity,
                summary=_summary(term.term, agencies, diffs, "nl"),
                summary_en=_summary(term.term, agencies, diffs, "en"),
                principle=term.principle,
                agencies=agencies,
                documents=tuple(sorted({chosen[a].doc_id for a in agencies})),
                evidence=evidence,
                details={
                    "term": term.term,
                    "definitions": [chosen[a].to_dict() for a in agencies],
                    "differs_on": diffs,
                    "other_definitions": others,
                    "not_compared": silent,
                },
            )
        )
    return sorted(findings, key=Finding.sort_key)


def definition_table(
    definitions: Sequence[Definition], framework: Framework | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Per term, per agency (sorted): the agency's definition with the most aspects, for the report's
    table per term. Terms in the framework's order when it is given, else alphabetically."""
    terms = sorted({d.term for d in definitions})
    if framework is not None:
        order = {t.term: i for i, t in enumerate(framework.terms)}
        terms.sort(key=lambda t: (order.get(t, len(order)), t))
    table: dict[str, list[dict[str, Any]]] = {}
    for term in terms:
        rows = []
        for who, defs in _by_agency(d for d in definitions if d.term == term).items():
            row = defs[0].to_dict()
            row["agency"] = who
            row["other_definitions"] = len(defs) - 1
            rows.append(row)
        table[term] = rows
    return table
