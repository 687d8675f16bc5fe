"""Different instruments for the same situation: one agency warns first where another fines at once,
one sets the standard fine at half of the overpaid amount and another at all of it.

`find_instruments` reads what each passage says about the topics of `data/instruments.yaml` (the
response to a first violation without overpayment, the standard fine level, the recidive window, the
ground for a home visit, ...), sentence by sentence and table row by table row, with rules from that
file. `compare_instruments` turns the agencies that state different values for one topic into a
divergence finding that shows one passage per agency side by side."""

from __future__ import annotations

import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import PydanticCustomError

from aligncheck.errors import FrameworkError
from aligncheck.frameworks import Framework, load_framework, read_data_file
from aligncheck.segment import passage_sentences
from aligncheck.types import Evidence, Finding, FindingKind, Passage, PassageKind, Severity

__all__ = [
    "DEFAULT_FRAMEWORK",
    "Instrument",
    "InstrumentRules",
    "InstrumentRulesError",
    "Topic",
    "compare_instruments",
    "find_instruments",
    "load_rules",
    "validate_rules",
]

DEFAULT_FRAMEWORK = "koers-2026-2029"
"""The framework whose principle ids and domains the rules refer to."""

_CONFIG = ConfigDict(extra="forbid", frozen=True)
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_PLACEHOLDER = re.compile(r"\{(\w*)\}")

Loc = tuple[str | int, ...]


class InstrumentRulesError(FrameworkError):
    """The instrument rules file is invalid: one 'field.path: what is wrong' line per problem."""


# --- the rules file -------------------------------------------------------------------------------


def _rule(message: str) -> PydanticCustomError:
    return PydanticCustomError("instrument_rule", "{message}", {"message": message})


def _text(value: str) -> str:
    value = " ".join(value.split())
    if not value:
        raise _rule("must not be empty")
    return value


def _regex(value: str) -> str:
    try:
        re.compile(value, re.IGNORECASE)
    except re.error as exc:
        raise _rule(f"not a valid regular expression: {exc}") from None
    return value


def _snake(value: str) -> str:
    if not _SNAKE.match(value):
        raise _rule(f"'{value}' is not a valid id: use lower-case letters, digits and underscores")
    return value


Text = Annotated[str, AfterValidator(_text)]
Pattern = Annotated[str, AfterValidator(_regex)]
SnakeId = Annotated[str, AfterValidator(_snake)]


class Local(BaseModel):
    """A text in Dutch and English."""

    model_config = _CONFIG
    nl: Text
    en: Text

    def get(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


class Phrase(BaseModel):
    """What an agency says, after its name: for one agency and for several."""

    model_config = _CONFIG
    one: Text
    many: Text


class Says(BaseModel):
    model_config = _CONFIG
    nl: Phrase
    en: Phrase


class ValueText(BaseModel):
    """A value's description for reports ("eerst een waarschuwing") and the phrase of a summary."""

    model_config = _CONFIG
    nl: Text
    en: Text
    says: Says


class Rule(BaseModel):
    """Patterns that give a value; `unless` patterns veto it (a negation, a rejected warning)."""

    model_config = _CONFIG
    value: str | None = None
    """The value (a choice, or a fixed number); None: the pattern's first group captures it."""
    patterns: tuple[Pattern, ...] = Field(min_length=1)
    unless: tuple[Pattern, ...] = ()


class Topic(BaseModel):
    """One situation in which agencies may use different instruments."""

    model_config = _CONFIG
    id: SnakeId
    label: Local
    principle: SnakeId
    domain: SnakeId | None = None
    """The framework domain the situation belongs to; agencies of another domain are left out."""
    severity: Severity
    kind: Literal["choice", "percentage", "years"]
    situation: Local
    when: Local
    """The situation as a phrase in a summary ("bij een eerste schending zonder benadeling")."""
    requires: tuple[tuple[Pattern, ...], ...] = Field(min_length=1)
    exclude: tuple[Pattern, ...] = ()
    values: dict[SnakeId, ValueText] = Field(default_factory=dict)
    """For a choice: each value's texts, in the order summaries list them."""
    number: ValueText | None = None
    """For a percentage or a number of years: the texts, with {value}."""
    rules: tuple[Rule, ...] = Field(min_length=1)

    def text(self, value: str) -> ValueText:
        """The texts of a value."""
        if self.kind == "choice":
            return self.values[value]
        assert self.number is not None
        return self.number

    def describe(self, value: str, lang: str = "nl") -> str:
        """A value in words: "eerst een waarschuwing", "50 procent van het benadelingsbedrag"."""
        template = self.text(value)
        return (template.en if lang == "en" else template.nl).format(value=value)

    def order(self, values: Iterable[str]) -> list[str]:
        """Values in report order: a choice's order in the file, numbers from low to high."""
        unique = set(values)
        if self.kind == "choice":
            return [v for v in self.values if v in unique]
        return sorted(unique, key=float)


class InstrumentRules(BaseModel):
    """The topics and the words the rules share."""

    model_config = _CONFIG
    version: int
    anaphora: tuple[str, ...] = ()
    """Words that, opening a sentence, point back to the sentence before ("Dat gebeurt ...")."""
    numbers: dict[str, int] = Field(default_factory=dict)
    """Number words a rule may capture ("vijf" -> 5)."""
    exclude: tuple[Pattern, ...] = ()
    """Patterns that exclude a unit from every topic."""
    topics: tuple[Topic, ...] = Field(min_length=1)

    def topic(self, topic_id: str) -> Topic:
        """The topic with this id; InstrumentRulesError if there is none."""
        for topic in self.topics:
            if topic.id == topic_id:
                return topic
        known = ", ".join(t.id for t in self.topics)
        raise InstrumentRulesError(f"no instrument topic '{topic_id}'; known topics: {known}")


def load_rules(path: str | Path | None = None, framework: Framework | None = None) -> InstrumentRules:
    """The instrument rules: the shipped `data/instruments.yaml`, or a file of the same form.
    Principle ids and domains are checked against `framework` (default koers-2026-2029); every
    problem comes back in one InstrumentRulesError, each with its field path."""
    if path is None and framework is None:
        return _builtin_rules()
    if path is None:
        resource = resources.files("aligncheck.data").joinpath("instruments.yaml")
        return _parse(resource.read_text("utf-8"), "instruments.yaml (builtin)", framework)
    return _parse(read_data_file(path, "instrument rules", InstrumentRulesError), str(path), framework)


@cache
def _builtin_rules() -> InstrumentRules:
    resource = resources.files("aligncheck.data").joinpath("instruments.yaml")
    return _parse(resource.read_text("utf-8"), "instruments.yaml (builtin)", None)


def _parse(text: str, source: str, framework: Framework | None) -> InstrumentRules:
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise InstrumentRulesError(
            f"{source}: not valid YAML{where}: {exc.problem or exc.context}; "
            "check the indentation and quoting there"
        ) from None
    except yaml.YAMLError as exc:
        raise InstrumentRulesError(f"{source}: not valid YAML: {exc}") from None
    return validate_rules(data, source, framework)


def validate_rules(data: Any, source: str, framework: Framework | None = None) -> InstrumentRules:
    """Validate parsed YAML as InstrumentRules; all problems are reported together."""
    if not isinstance(data, Mapping):
        raise InstrumentRulesError(
            f"{source}: an instrument rules file must be a mapping with version and topics"
        )
    problems: list[tuple[Loc, str]] = []
    rules: InstrumentRules | None = None
    try:
        rules = InstrumentRules.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            problems.append((tuple(error["loc"]), _message(error)))
    if rules is not None:
        problems += _cross_problems(rules, framework or load_framework(DEFAULT_FRAMEWORK))
    if rules is not None and not problems:
        return rules
    lines = [f"{_format_loc(loc)}: {text}" if loc else text for loc, text in problems]
    count = f"{len(lines)} problem" + ("s" if len(lines) != 1 else "")
    message = "\n".join([f"{source}: {count} in instrument rules", *(f"  {line}" for line in lines)])
    raise InstrumentRulesError(message, tuple(lines))


def _message(error: Any) -> str:
    kind = error["type"]
    if kind == "instrument_rule":
        return str(error["msg"])
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field"
    if kind == "too_short":
        return "must not be empty"
    if kind == "enum":
        return f"must be one of {', '.join(s.value for s in Severity)}, got {error.get('input')!r}"
    text = str(error["msg"])
    return text[:1].lower() + text[1:]


def _cross_problems(rules: InstrumentRules, framework: Framework) -> list[tuple[Loc, str]]:
    """Problems between fields: duplicate ids, unknown principles, domains and values, patterns that
    capture no number, summary phrases with unknown placeholders."""
    problems: list[tuple[Loc, str]] = []
    seen: dict[str, int] = {}
    for i, topic in enumerate(rules.topics):
        at: Loc = ("topics", i)
        if topic.id in seen:
            problems.append((at + ("id",), f"duplicate id '{topic.id}' (also topics[{seen[topic.id]}])"))
        seen.setdefault(topic.id, i)
        if topic.principle not in framework.principle_ids:
            hint = _did_you_mean(topic.principle, framework.principle_ids)
            problems.append((at + ("principle",), f"unknown principle '{topic.principle}'{hint}"))
        if topic.domain is not None and topic.domain not in framework.domains:
            hint = _did_you_mean(topic.domain, list(framework.domains))
            problems.append((at + ("domain",), f"unknown domain '{topic.domain}'{hint}"))
        for k, group in enumerate(topic.requires):
            if not group:
                problems.append((at + ("requires", k), "give at least one pattern"))
        if topic.kind == "choice":
            problems += _choice_problems(topic, at)
        else:
            problems += _number_problems(topic, at)
    return problems


def _choice_problems(topic: Topic, at: Loc) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    if len(topic.values) < 2:
        problems.append((at + ("values",), "a choice needs at least two values"))
    if topic.number is not None:
        problems.append((at + ("number",), "only a percentage or years topic has a number; give values"))
    known = list(topic.values)
    for j, rule in enumerate(topic.rules):
        if rule.value is None:
            problems.append(
                (at + ("rules", j, "value"), f"name the value this rule gives: one of {', '.join(known)}")
            )
        elif rule.value not in topic.values:
            hint = _did_you_mean(rule.value, known)
            problems.append((at + ("rules", j, "value"), f"unknown value '{rule.value}'{hint}"))
    for name, text in topic.values.items():
        problems += _phrase_problems(text, at + ("values", name), {"when"})
    return problems


def _number_problems(topic: Topic, at: Loc) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    if topic.values:
        problems.append((at + ("values",), f"a {topic.kind} topic has no values; give number"))
    if topic.number is None:
        problems.append((at + ("number",), "required for a percentage or years topic"))
    else:
        problems += _phrase_problems(topic.number, at + ("number",), {"when", "value"})
        for lang in ("nl", "en"):
            if "{value}" not in getattr(topic.number, lang):
                problems.append((at + ("number", lang), "must contain {value}"))
    for j, rule in enumerate(topic.rules):
        if rule.value is not None:
            if not rule.value.isdigit():
                problems.append((at + ("rules", j, "value"), f"must be a whole number, got '{rule.value}'"))
            continue
        for k, pattern in enumerate(rule.patterns):
            if re.compile(pattern).groups < 1:
                message = "captures no value: add a group, like '(\\d+)', or give the rule a fixed value"
                problems.append((at + ("rules", j, "patterns", k), message))
    return problems


def _phrase_problems(text: ValueText, at: Loc, allowed: set[str]) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    fields: list[tuple[Loc, str]] = [(at + ("nl",), text.nl), (at + ("en",), text.en)]
    for lang in ("nl", "en"):
        phrase: Phrase = getattr(text.says, lang)
        fields += [(at + ("says", lang, "one"), phrase.one), (at + ("says", lang, "many"), phrase.many)]
    for loc, value in fields:
        unknown = sorted({name for name in _PLACEHOLDER.findall(value) if name not in allowed})
        if unknown:
            names = ", ".join("{" + n + "}" for n in unknown)
            problems.append(
                (loc, f"unknown placeholder {names}; use {', '.join('{' + a + '}' for a in sorted(allowed))}")
            )
    return problems


def _did_you_mean(value: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; known: {', '.join(known)}" if known else ""


def _format_loc(loc: Loc) -> str:
    """('topics', 2, 'rules', 0, 'patterns', 1) -> 'topics[2].rules[0].patterns[1]'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part != "[key]":
            out += f".{part}" if out else str(part)
    return out


@cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=|\(\?\(")


class _AnyOf:
    """Whether any of several patterns is found in a text: one alternation of them all where that
    is the same question (no pattern refers back to a numbered or named group, and they compile
    together), else each in turn."""

    def __init__(self, patterns: tuple[str, ...]) -> None:
        self.combined: re.Pattern[str] | None = None
        self.each = tuple(_rx(p) for p in patterns)
        if patterns and not any(_BACKREFERENCE.search(p) for p in patterns):
            try:
                self.combined = re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)
            except re.error:
                self.combined = None

    def search(self, text: str) -> bool:
        if self.combined is not None:
            return self.combined.search(text) is not None
        return any(p.search(text) for p in self.each)


@cache
def _any_rx(patterns: tuple[str, ...]) -> _AnyOf:
    return _AnyOf(patterns)


# --- finding instruments --------------------------------------------------------------------------


@dataclass(frozen=True)
class Instrument:
    """One sentence (or table row) that states an agency's instrument for a topic's situation."""

    topic: str
    value: str
    """A choice ("warning_first"), or a number as text ("50" percent, "5" years)."""
    agency: str
    """The passage's agency, or the file name when the document names none."""
    doc_id: str
    sentence: str
    """The sentence or the whole table row, as in the passage."""
    evidence: Evidence
    """The passage, with note = the value in Dutch ("eerst een waarschuwing")."""


@dataclass(frozen=True, slots=True)
class _Unit:
    """A sentence or a table row (or one cell of it, labelled with its header) as the rules see it."""

    quote: str
    """The sentence or the whole row as in the passage."""
    text: str
    """Normalised text the rules match."""
    before: str = ""
    """The sentence before, normalised, for a unit that opens with an anaphor."""


_NORMALISE = str.maketrans(
    {
        "\u00a0": " ",
        "\u2011": "-",
        "\u2010": "-",
        "\u2019": "'",
        "\u2018": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u00ad": None,
    }
)


def _normalise(text: str) -> str:
    return " ".join(text.translate(_NORMALISE).split())


def find_instruments(
    passages: Sequence[Passage],
    rules: InstrumentRules | None = None,
    framework: Framework | None = None,
) -> list[Instrument]:
    """The instruments the passages state, in reading order: one per sentence (a table row counts
    whole) and topic. Footnotes and non-Dutch passages are skipped; a topic with a domain skips the
    agencies that `framework` (default koers-2026-2029) puts in another domain."""
    rules = rules or load_rules()
    framework = framework or load_framework(DEFAULT_FRAMEWORK)
    domains: dict[str | None, str | None] = {}
    found: list[Instrument] = []
    seen: set[tuple[str, str, str, str]] = set()
    said: dict[tuple[str, bool, tuple[str, ...] | None, tuple[str, ...]], list[tuple[Topic, str, str]]] = {}
    anaphora = {word.lower() for word in rules.anaphora}
    header: list[str] | None = None
    previous: Passage | None = None
    for passage in passages:
        # A table's first row is its header when it holds no figures; it labels the cells below it.
        if passage.kind is PassageKind.TABLE:
            if not _same_table(previous, passage):
                header = _cells(passage.text) if _is_header(passage.text) else None
                if header is not None:
                    previous = passage
                    continue
        previous = passage
        if passage.kind is PassageKind.FOOTNOTE or passage.lang != "nl":
            continue
        if passage.agency not in domains:
            domains[passage.agency] = framework.domain_for_agency(passage.agency)
        domain = domains[passage.agency]
        topics = [t for t in rules.topics if t.domain is None or domain is None or t.domain == domain]
        if not topics:
            continue
        table = passage.kind is PassageKind.TABLE
        ids = tuple(t.id for t in topics)
        what = (passage.text, table, tuple(header) if table and header is not None else None, ids)
        stated = said.get(what)
        if stated is None:  # a text that recurs (in many plans) is read once
            units = _table_units(passage.text, header) if table else _sentence_units(passage.text)
            stated = said[what] = _stated(units, topics, rules, anaphora)
        for topic, value, quote in stated:
            key = (passage.passage_id, topic.id, value, quote)
            if key in seen:
                continue
            seen.add(key)
            found.append(_instrument(passage, topic, value, quote))
    return found


def _stated(
    units: Sequence[_Unit], topics: Sequence[Topic], rules: InstrumentRules, anaphora: set[str]
) -> list[tuple[Topic, str, str]]:
    """(topic, value, quote) for each unit, in order, and each topic it states a value for."""
    out: list[tuple[Topic, str, str]] = []
    for unit in units:
        anaphoric = _opens_with_anaphor(unit.text, anaphora)
        for topic in topics:
            value = _match(topic, unit, rules, anaphoric)
            if value is not None:
                out.append((topic, value, unit.quote))
    return out


def _instrument(passage: Passage, topic: Topic, value: str, sentence: str) -> Instrument:
    evidence = Evidence.of(passage, note=topic.describe(value), note_en=topic.describe(value, "en"))
    agency = passage.agency or Path(passage.path).name
    return Instrument(topic.id, value, agency, passage.doc_id, sentence, evidence)


def _same_table(previous: Passage | None, passage: Passage) -> bool:
    return (
        previous is not None
        and previous.kind is PassageKind.TABLE
        and previous.doc_id == passage.doc_id
        and previous.index == passage.index - 1
        and previous.section == passage.section
    )


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.split("|")]


def _is_header(row: str) -> bool:
    """A first row of two or more cells without figures (a year such as 2029 may appear)."""
    return len(_cells(row)) >= 2 and not re.search(r"\d", _YEAR.sub("", row))


def _table_units(row: str, header: list[str] | None) -> list[_Unit]:
    """A row under a header of as many cells gives one unit per cell, "<first cell> | <header>:
    <cell>"; any other row is one unit. The quote is always the whole row."""
    cells = _cells(row)
    if header is None or len(header) != len(cells) or len(cells) < 2:
        return [_Unit(row, _normalise(row))]
    units = []
    for label, cell in zip(header[1:], cells[1:], strict=True):
        if cell:
            units.append(_Unit(row, _normalise(f"{cells[0]} | {label}: {cell}")))
    return units


def _sentence_units(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    before = ""
    for start, end in passage_sentences(text):
        sentence = _normalise(text[start:end])
        units.append(_Unit(text[start:end], sentence, before))
        before = sentence
    return units


def _opens_with_anaphor(text: str, anaphora: set[str]) -> bool:
    words = text.split(maxsplit=1)
    return bool(words) and words[0].strip(",;:").lower() in anaphora


def _match(topic: Topic, unit: _Unit, rules: InstrumentRules, anaphoric: bool) -> str | None:
    """The value this unit states for the topic, or None."""
    for group in topic.requires:
        any_of = _any_rx(group)
        if not (any_of.search(unit.text) or (anaphoric and any_of.search(unit.before))):
            return None
    if any(_rx(p).search(unit.text) for p in (*rules.exclude, *topic.exclude)):
        return None
    for rule in topic.rules:
        match = next((m for p in rule.patterns if (m := _rx(p).search(unit.text))), None)
        if match is None or any(_rx(p).search(unit.text) for p in rule.unless):
            continue
        if rule.value is not None:
            return rule.value
        value = _number(next((g for g in match.groups() if g), ""), rules.numbers)
        if value is not None:
            return value
    return None


def _number(text: str, words: Mapping[str, int]) -> str | None:
    text = text.strip().lower()
    if text.isdigit():
        return str(int(text))
    return str(words[text]) if text in words else None


# --- comparing agencies ---------------------------------------------------------------------------


def compare_instruments(
    instruments: Sequence[Instrument], rules: InstrumentRules | None = None
) -> list[Finding]:
    """One divergence finding per topic on which agencies state different values. An agency's value
    is the one most of its passages state (a tie goes to the first in reading order); its evidence is
    the first passage with that value in the chapter that states it most often."""
    rules = rules or load_rules()
    findings: list[Finding] = []
    for topic in rules.topics:
        by_agency: dict[str, list[tuple[int, Instrument]]] = defaultdict(list)
        for position, instrument in enumerate(instruments):
            if instrument.topic == topic.id:
                by_agency[instrument.agency].append((position, instrument))
        chosen = {agency: _agency_value(items) for agency, items in by_agency.items()}
        if len(set(chosen.values())) < 2:
            continue
        agencies = sorted(chosen, key=lambda a: (a.casefold(), a))
        evidence = tuple(_pick(by_agency[a], chosen[a]) for a in agencies)
        all_values = {a: topic.order(i.value for _, i in by_agency[a]) for a in agencies}
        findings.append(
            Finding(
                kind=FindingKind.DIVERGENCE,
                severity=topic.severity,
                summary=_summary(topic, chosen, all_values, "nl"),
                summary_en=_summary(topic, chosen, all_values, "en"),
                principle=topic.principle,
                agencies=tuple(agencies),
                documents=tuple(dict.fromkeys(e.doc_id for e in evidence)),
                evidence=evidence,
                details={
                    "topic": topic.id,
                    "situation": topic.situation.nl,
                    "values": {a: chosen[a] for a in agencies},
                    "all_values": all_values,
                },
            )
        )
    return sorted(findings, key=lambda f: f.sort_key())


def _agency_value(items: list[tuple[int, Instrument]]) -> str:
    """The value most passages state; a tie goes to the value read first."""
    passages: dict[str, set[str]] = defaultdict(set)
    first: dict[str, int] = {}
    for position, instrument in items:
        passages[instrument.value].add(instrument.evidence.passage_id)
        first.setdefault(instrument.value, position)
    return max(passages, key=lambda v: (len(passages[v]), -first[v]))


def _pick(items: list[tuple[int, Instrument]], value: str) -> Evidence:
    """The first passage stating `value` in the chapter with the most sentences stating it."""
    stating = [i for _, i in items if i.value == value]
    chapter = [i.evidence.section[0] if i.evidence.section else "" for i in stating]
    weight = Counter(chapter)
    best = max(weight, key=lambda c: (weight[c], -chapter.index(c)))
    return stating[chapter.index(best)].evidence


def _summary(topic: Topic, chosen: Mapping[str, str], all_values: Mapping[str, list[str]], lang: str) -> str:
    """ "SVB geeft bij een eerste schending zonder benadeling eerst een waarschuwing; Gemeente
    Zuiderveen legt direct een boete op." The situation is said once, in the first clause."""
    clauses = []
    for n, value in enumerate(topic.order(chosen.values())):
        agencies = sorted((a for a, v in chosen.items() if v == value), key=lambda a: (a.casefold(), a))
        says = getattr(topic.text(value).says, lang)
        phrase = (says.one if len(agencies) == 1 else says.many).format(
            when=topic.when.get(lang) if n == 0 else "", value=value
        )
        clauses.append(f"{_join(agencies, lang)} {phrase}")
    text = _tidy("; ".join(clauses)) + "."
    for agency in sorted(all_values, key=lambda a: (a.casefold(), a)):
        others = [topic.describe(v, lang) for v in all_values[agency] if v != chosen[agency]]
        if others:
            also = _join(others, lang)
            text += (
                f" {agency} noemt elders ook: {also}."
                if lang == "nl"
                else f" {agency} also states elsewhere: {also}."
            )
    return text[:1].upper() + text[1:]


def _join(items: Sequence[str], lang: str) -> str:
    word = " en " if lang == "nl" else " and "
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + word + items[-1]


def _tidy(text: str) -> str:
    return re.sub(r"\s+([,;.])", r"\1", " ".join(text.split()))
