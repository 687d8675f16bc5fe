"""Frameworks as data: the principles plans are checked against, read from YAML and validated strictly.

A framework file gives its id and version, and per principle its titles, description, sub-criteria,
keywords, conflict cues and example passages; the domains each principle applies to; which agency
belongs to which domain; and the key terms whose definitions are compared across agencies.
`load_framework` reads a builtin by name ("koers-2026-2029") or any file by path. Every problem in a
file comes back in one `FrameworkError`, one line per problem, each with its field path."""

from __future__ import annotations

import difflib
import os
import re
import types
from collections.abc import Iterator, Mapping, Sequence
from fnmatch import fnmatchcase
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from aligncheck.errors import FrameworkError

__all__ = [
    "Aspect",
    "Domain",
    "Examples",
    "Framework",
    "LocalText",
    "MIN_SUPPORTS",
    "Principle",
    "Term",
    "list_builtin",
    "load_framework",
    "load_framework_file",
    "validate_framework",
]

MIN_SUPPORTS = 3
"""Each principle needs at least this many `supports` examples."""
LABEL_MAX = 60
"""An aspect's label is a few words, shown in report sentences."""

_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
_FRAMEWORK_ID = re.compile(r"^[a-z][a-z0-9]*(?:[-_.][a-z0-9]+)*$")
_SEMVER = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
_CONFIG = ConfigDict(extra="forbid", frozen=True)

Loc = tuple[str | int, ...]


# --- field rules ----------------------------------------------------------------------------------


def _rule(message: str) -> PydanticCustomError:
    """A validation error whose message is shown as is (braces in it are safe)."""
    return PydanticCustomError("framework_rule", "{message}", {"message": message})


def _text(value: str) -> str:
    value = value.strip()
    if not value:
        raise _rule("must not be empty")
    return value


def _one_line(value: str) -> str:
    value = _text(value)
    if "\n" in value:
        raise _rule("must be one line")
    return value


def _lower(value: str) -> str:
    value = " ".join(_text(value).split())
    if value != value.lower():
        raise _rule(f"must be lower case: write '{value.lower()}'")
    return value


def _snake_id(value: str) -> str:
    if not _SNAKE.match(value):
        raise _rule(
            f"'{value}' is not a valid id: use lower-case letters, digits and underscores, "
            "starting with a letter (like 'passend_handhaven')"
        )
    return value


def _framework_id(value: str) -> str:
    if not _FRAMEWORK_ID.match(value):
        raise _rule(
            f"'{value}' is not a valid framework id: use lower-case letters, digits, '-' and '_' "
            "(like 'koers-2026-2029')"
        )
    return value


def _version_is_text(value: Any) -> Any:
    if not isinstance(value, str):
        raise _rule(f'must be a version in quotes like "1.0.0", got {value!r} without quotes')
    return value


def _semver(value: str) -> str:
    if not _SEMVER.match(value.strip()):
        raise _rule(f"must be a version like \"1.0.0\" (major.minor.patch), got '{value}'")
    return value.strip()


def _label(value: str) -> str:
    value = _one_line(value)
    if len(value) > LABEL_MAX:
        raise _rule(f"must be at most {LABEL_MAX} characters (a few words), got {len(value)}")
    return value


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise _rule(f"not a valid regular expression: {exc}") from None
    return value


Text = Annotated[str, AfterValidator(_text)]
OneLine = Annotated[str, AfterValidator(_one_line)]
Lemma = Annotated[str, AfterValidator(_lower)]
SnakeId = Annotated[str, AfterValidator(_snake_id)]
FrameworkId = Annotated[str, AfterValidator(_framework_id)]
Version = Annotated[str, BeforeValidator(_version_is_text), AfterValidator(_semver)]
Pattern = Annotated[str, AfterValidator(_regex)]
Label = Annotated[str, AfterValidator(_label)]


def _no_duplicates(values: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise _rule(f"duplicate {what} '{value}'")
        seen.add(value)


# --- the models -----------------------------------------------------------------------------------


class LocalText(BaseModel):
    """A text in Dutch and, optionally, English."""

    model_config = _CONFIG

    nl: Text
    en: Text | None = None

    def get(self, lang: str = "nl") -> str:
        """The text in `lang` ("nl" or "en"), falling back to Dutch."""
        return self.en if lang == "en" and self.en else self.nl


class Examples(BaseModel):
    """Passages in the voice of a plan that support the principle, and passages that conflict with it."""

    model_config = _CONFIG

    supports: tuple[Text, ...]
    conflicts: tuple[Text, ...] = ()

    @field_validator("supports")
    @classmethod
    def _enough(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if len(value) < MIN_SUPPORTS:
            raise _rule(f"at least {MIN_SUPPORTS} examples are needed, got {len(value)}")
        _no_duplicates(value, "example")
        return value

    @field_validator("conflicts")
    @classmethod
    def _unique(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _no_duplicates(value, "example")
        return value


class Principle(BaseModel):
    """One principle of a framework."""

    model_config = _CONFIG

    id: SnakeId
    title: LocalText
    description: LocalText
    """What a plan that honours the principle says or does."""
    criteria: tuple[OneLine, ...] = ()
    """Sub-criteria, one line each."""
    keywords: tuple[Lemma, ...]
    """Lower-case lemmas and short phrases that signal the principle's topic."""
    conflict_cues: tuple[Lemma, ...] = ()
    """Lower-case phrases typical of a stance that conflicts with the principle."""
    names: tuple[Lemma, ...] = ()
    """Lower-case words that name the principle itself ("dienstverlening"). Naming is not
    addressing: a plan may name a principle in a list of pillars, or use the word for something else
    (the taxpayer's trust). A gap report points to such a passage, so a reviewer can tell a principle
    that is really missing from one only named."""
    examples: Examples

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise _rule("at least one keyword is needed")
        _no_duplicates(value, "keyword")
        return value

    @field_validator("conflict_cues")
    @classmethod
    def _cues(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _no_duplicates(value, "cue")
        return value

    @field_validator("names")
    @classmethod
    def _names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        _no_duplicates(value, "name")
        return value


class Domain(BaseModel):
    """A field of enforcement (social security, labour law) and the principles that apply to it."""

    model_config = _CONFIG

    description: OneLine | None = None
    principles: tuple[SnakeId, ...]
    """The principles that apply."""
    out_of_scope: dict[SnakeId, OneLine] = Field(default_factory=dict)
    """Principle id -> a one-line explanation of why it does not apply here."""


class Aspect(BaseModel):
    """A named feature a definition can have (intent required, a window in years), found by cue
    phrases or regular expressions."""

    model_config = _CONFIG

    description: OneLine | None = None
    label: Label | None = None
    """A few Dutch words for reports and evidence notes ("opzet vereist"); the description is used
    when there is none."""
    label_en: Label | None = None
    """The same in English, for English reports ("intent required"); the aspect's id in words when
    there is none."""
    cues: tuple[Lemma, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    """Regular expressions, matched case-insensitively; a group captures a value (a number of years)."""
    excludes: tuple[SnakeId, ...] = ()
    """Aspects of the same term that contradict this one (intent required / not required)."""

    @model_validator(mode="after")
    def _findable(self) -> Aspect:
        if not self.cues and not self.patterns:
            raise _rule("give at least one cue or pattern")
        return self


class Term(BaseModel):
    """A key term whose definitions are compared across agencies."""

    model_config = _CONFIG

    term: Lemma
    description: OneLine | None = None
    variants: tuple[Lemma, ...] = ()
    """Word forms that also name the term."""
    principle: SnakeId | None = None
    """The principle a difference in this term's definitions bears on (fraude -> passend_handhaven)."""
    aspects: dict[SnakeId, Aspect]

    @field_validator("aspects")
    @classmethod
    def _some(cls, value: dict[str, Aspect]) -> dict[str, Aspect]:
        if not value:
            raise _rule("at least one aspect is needed")
        return value

    @property
    def forms(self) -> tuple[str, ...]:
        """The term and its variants, without repeats."""
        return tuple(dict.fromkeys((self.term, *self.variants)))


class Framework(BaseModel):
    """A course or standard: its principles, domains, agencies and key terms."""

    model_config = _CONFIG

    id: FrameworkId
    version: Version
    title: LocalText
    description: LocalText | None = None
    source: OneLine | None = None
    """Where the framework comes from, as a plain reference."""
    principles: tuple[Principle, ...]
    domains: dict[SnakeId, Domain] = Field(default_factory=dict)
    agency_domains: dict[Text, SnakeId] = Field(default_factory=dict)
    """Agency name or glob pattern ("Gemeente *") -> domain; the first match wins, exact names first."""
    terms: tuple[Term, ...] = ()

    @field_validator("principles")
    @classmethod
    def _some(cls, value: tuple[Principle, ...]) -> tuple[Principle, ...]:
        if not value:
            raise _rule("at least one principle is needed")
        return value

    @model_validator(mode="after")
    def _references(self) -> Framework:
        problems = _reference_problems(self.model_dump())
        if problems:
            message = "; ".join(f"{_format_loc(loc)}: {text}" for loc, text in problems)
            raise PydanticCustomError("framework_references", "{message}", {"message": message})
        return self

    @property
    def principle_ids(self) -> tuple[str, ...]:
        """The principle ids in the framework's order."""
        return tuple(p.id for p in self.principles)

    def principle(self, principle_id: str) -> Principle:
        """The principle with this id; FrameworkError if there is none."""
        for principle in self.principles:
            if principle.id == principle_id:
                return principle
        raise FrameworkError(
            f"framework {self.id} has no principle '{principle_id}'; "
            f"its principles: {', '.join(self.principle_ids)}"
        )

    def domain_for_agency(self, agency: str | None) -> str | None:
        """The domain of an agency ("SVB", "Gemeente Utrecht"), matched case-insensitively on the
        names and glob patterns of `agency_domains`; None for no agency or an unknown one."""
        if not agency or not agency.strip():
            return None
        name = " ".join(agency.split()).casefold()
        for pattern, domain in self.agency_domains.items():
            if pattern.casefold() == name:
                return domain
        for pattern, domain in self.agency_domains.items():
            if fnmatchcase(name, pattern.casefold()):
                return domain
        return None

    def applies(self, principle_id: str, domain: str | None) -> bool:
        """Whether a principle applies in a domain; every principle applies when the domain is None."""
        self.principle(principle_id)
        if domain is None:
            return True
        return principle_id in self._domain(domain).principles

    def out_of_scope_reason(self, principle_id: str, domain: str | None) -> str | None:
        """Why a principle does not apply in a domain (for the report), or None when it applies."""
        if self.applies(principle_id, domain) or domain is None:
            return None
        return self._domain(domain).out_of_scope.get(principle_id)

    def term(self, name: str) -> Term:
        """The term with this name (or variant); FrameworkError if there is none."""
        wanted = name.strip().lower()
        for term in self.terms:
            if wanted in term.forms:
                return term
        raise FrameworkError(
            f"framework {self.id} has no term '{name}'; its terms: {', '.join(t.term for t in self.terms)}"
        )

    def _domain(self, domain: str) -> Domain:
        found = self.domains.get(domain)
        if found is None:
            known = ", ".join(self.domains) or "none"
            raise FrameworkError(f"framework {self.id} has no domain '{domain}'; its domains: {known}")
        return found


# --- loading --------------------------------------------------------------------------------------


def list_builtin() -> list[str]:
    """The names of the frameworks shipped with aligncheck, sorted."""
    folder = resources.files(__name__) / "builtin"
    return sorted(item.name[: -len(".yaml")] for item in folder.iterdir() if item.name.endswith(".yaml"))


def load_framework(name_or_path: str | Path) -> Framework:
    """A builtin framework by name ("koers-2026-2029") or a framework file by path."""
    text = str(name_or_path)
    if isinstance(name_or_path, str) and text in list_builtin():
        return _load_builtin(text)
    path = Path(name_or_path)
    if path.suffix.lower() in {".yaml", ".yml"} or "/" in text or os.sep in text or path.exists():
        return load_framework_file(path)
    raise FrameworkError(
        f"unknown framework '{text}'; available: {', '.join(list_builtin())}; or give a path to a .yaml file"
    )


def read_data_file(path: str | Path, what: str, error: type[FrameworkError] = FrameworkError) -> str:
    """The UTF-8 text of a YAML data file (`what`: "framework", "instrument rules"), or `error`
    with a message that says what to do."""
    source = str(path)
    try:
        return Path(path).read_text("utf-8")
    except FileNotFoundError:
        raise error(f"{source}: no such {what} file") from None
    except IsADirectoryError:
        raise error(f"{source}: is a folder; give a {what} .yaml file") from None
    except UnicodeDecodeError:
        raise error(f"{source}: not UTF-8 text; save the {what} file as UTF-8") from None
    except OSError as exc:
        raise error(f"{source}: cannot be read ({exc.strerror})") from None


def load_framework_file(path: str | Path) -> Framework:
    """Read and validate a framework file; every problem in it is reported in one FrameworkError."""
    return _parse(read_data_file(path, "framework"), str(path))


@cache
def _load_builtin(name: str) -> Framework:
    resource = resources.files(__name__) / "builtin" / f"{name}.yaml"
    return _parse(resource.read_text("utf-8"), f"{name} (builtin)")


def _parse(text: str, source: str) -> Framework:
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        message = f"{source}: not valid YAML{where}: {exc.problem or exc.context}"
        if exc.context and exc.context_mark and exc.problem:
            message += (
                f" ({exc.context} at line {exc.context_mark.line + 1}, column {exc.context_mark.column + 1})"
            )
        raise FrameworkError(message + "; check the indentation and quoting there") from None
    except yaml.YAMLError as exc:
        raise FrameworkError(f"{source}: not valid YAML: {exc}") from None
    return validate_framework(data, source)


def validate_framework(data: Any, source: str) -> Framework:
    """Validate parsed YAML as a Framework. All problems, field errors and cross-references (duplicate
    ids, unknown principles or domains) alike, come back together in one FrameworkError."""
    if not isinstance(data, Mapping):
        raise FrameworkError(
            f"{source}: a framework file must be a mapping with id, version, title and principles, "
            f"got {_describe(data)}"
        )
    problems: list[tuple[Loc, str]] = []
    references: list[tuple[Loc, str]] = []
    framework: Framework | None = None
    try:
        framework = Framework.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = tuple(error["loc"])
            if error["type"] == "framework_references":
                references.append((loc, error["msg"]))
            else:
                problems.append((loc, _message(error)))
    # Cross-references are checked on the raw data too: pydantic skips them when a field is invalid.
    problems += _reference_problems(data)
    if not problems:
        problems = references
    if framework is not None and not problems:
        return framework
    lines = [
        f"{_format_loc(loc)}: {text}" if loc else text
        for loc, text in sorted(dict.fromkeys(problems), key=lambda item: _order(data, item[0]))
    ]
    count = f"{len(lines)} problem" + ("s" if len(lines) != 1 else "")
    message = "\n".join([f"{source}: {count} in framework file", *(f"  {line}" for line in lines)])
    raise FrameworkError(message, tuple(lines))


# --- cross-references -----------------------------------------------------------------------------


def _items(value: Any) -> Iterator[tuple[int, Any]]:
    return enumerate(value) if isinstance(value, list | tuple) else iter(())


def _did_you_mean(value: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(value, known, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; known: {', '.join(known)}" if known else ""


def _reference_problems(data: Any) -> list[tuple[Loc, str]]:
    """Problems between fields, found on raw (possibly invalid) data: duplicate principle ids and
    terms, domains naming unknown principles, agencies naming unknown domains, unknown aspects, terms
    linked to unknown principles."""
    problems: list[tuple[Loc, str]] = []
    if not isinstance(data, Mapping):
        return problems
    first: dict[str, int] = {}
    for i, principle in _items(data.get("principles")):
        pid = principle.get("id") if isinstance(principle, Mapping) else None
        if not isinstance(pid, str) or not _SNAKE.match(pid):
            continue  # an invalid id is reported on its own; references to it are not checked
        if pid in first:
            message = f"duplicate id '{pid}' (also used by principles[{first[pid]}])"
            problems.append((("principles", i, "id"), message))
        else:
            first[pid] = i
    known = list(first)

    domains = data.get("domains")
    domains = domains if isinstance(domains, Mapping) else {}
    for name, domain in domains.items():
        if isinstance(domain, Mapping) and known:
            problems += _domain_problems(str(name), domain, known)
    agencies = data.get("agency_domains")
    names = [str(n) for n in domains]
    for pattern, domain_name in agencies.items() if isinstance(agencies, Mapping) else ():
        if isinstance(domain_name, str) and domain_name not in domains:
            hint = _did_you_mean(domain_name, names) if names else "; the framework has no domains section"
            problems.append((("agency_domains", str(pattern)), f"unknown domain '{domain_name}'{hint}"))

    seen_terms: dict[str, int] = {}
    for i, term in _items(data.get("terms")):
        if not isinstance(term, Mapping):
            continue
        name = term.get("term")
        if isinstance(name, str):
            if name in seen_terms:
                message = f"duplicate term '{name}' (also terms[{seen_terms[name]}])"
                problems.append((("terms", i, "term"), message))
            else:
                seen_terms[name] = i
        linked = term.get("principle")
        if isinstance(linked, str) and _SNAKE.match(linked) and known and linked not in known:
            message = f"unknown principle '{linked}'{_did_you_mean(linked, known)}"
            problems.append((("terms", i, "principle"), message))
        aspects = term.get("aspects")
        if not isinstance(aspects, Mapping):
            continue
        names = [str(n) for n in aspects]
        for aspect_name, aspect in aspects.items():
            if not isinstance(aspect, Mapping):
                continue
            for k, other in _items(aspect.get("excludes")):
                loc: Loc = ("terms", i, "aspects", str(aspect_name), "excludes", k)
                if other == aspect_name:
                    problems.append((loc, "an aspect cannot exclude itself"))
                elif isinstance(other, str) and other not in aspects:
                    problems.append((loc, f"unknown aspect '{other}'{_did_you_mean(other, names)}"))
    return problems


def _domain_problems(name: str, domain: Mapping[str, Any], known: list[str]) -> list[tuple[Loc, str]]:
    problems: list[tuple[Loc, str]] = []
    listed: list[str] = []
    applies = domain.get("principles")
    for k, pid in _items(applies):
        if not isinstance(pid, str):
            continue
        loc: Loc = ("domains", name, "principles", k)
        if pid not in known:
            problems.append((loc, f"unknown principle '{pid}'{_did_you_mean(pid, known)}"))
        elif pid in listed:
            problems.append((loc, f"'{pid}' is listed twice"))
        listed.append(pid)
    out = domain.get("out_of_scope")
    out = out if isinstance(out, Mapping) else {}
    for pid in out:
        loc = ("domains", name, "out_of_scope", str(pid))
        if pid not in known:
            problems.append((loc, f"unknown principle '{pid}'{_did_you_mean(str(pid), known)}"))
        elif pid in listed:
            message = f"'{pid}' is also listed in principles: a principle applies or is out of scope"
            problems.append((loc, message))
    missing = [pid for pid in known if pid not in listed and pid not in out]
    if missing and isinstance(applies, list | tuple):
        problems.append(
            (
                ("domains", name),
                f"principle(s) {', '.join(missing)} neither in principles nor in out_of_scope: "
                "list each principle in one of them",
            )
        )
    return problems


# --- messages -------------------------------------------------------------------------------------


def _describe(value: Any) -> str:
    """A value as a user wrote it, for 'got ...' in messages."""
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (put it in quotes if it is text)"
    if isinstance(value, int | float):
        return f"the number {value} (put it in quotes if it is text)"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__} ({value})"


def _message(error: Any) -> str:
    """A teaching message for one pydantic error."""
    kind = error["type"]
    value = error.get("input")
    loc = tuple(error["loc"])
    if kind == "framework_rule":
        return str(error["msg"])
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        allowed = _fields_at(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        if close:
            return f"unknown field; did you mean '{close[0]}'?"
        return "unknown field" + (f"; allowed fields: {', '.join(allowed)}" if allowed else "")
    if kind == "string_type":
        return f"must be text, got {_describe(value)}"
    if kind in {"tuple_type", "list_type"}:
        return f"must be a list, got {_describe(value)}"
    if kind in {"dict_type", "model_type", "model_attributes_type"}:
        return f"must be a mapping of fields, got {_describe(value)}"
    text = str(error["msg"])
    return text[:1].lower() + text[1:]


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin is Union or origin is types.UnionType:
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        else:
            return annotation


def _fields_at(loc: Loc) -> list[str]:
    """The field names of the model found at `loc` in a Framework, or [] if it is no model."""
    annotation: Any = Framework
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        elif get_origin(annotation) in (list, tuple):
            annotation = get_args(annotation)[0]
        elif get_origin(annotation) is dict:
            annotation = get_args(annotation)[1]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _format_loc(loc: Loc) -> str:
    """('principles', 3, 'examples', 'supports') -> 'principles[3].examples.supports'."""
    out = ""
    for part in loc:
        if part == "[key]":
            continue
        if isinstance(part, int):
            out += f"[{part}]"
        elif _PLAIN_KEY.match(part):
            out += f".{part}" if out else part
        else:
            out += f'["{part}"]'
    return out


def _order(data: Any, loc: Loc) -> tuple[int, ...]:
    """Where a location lies in the file: problems are listed in the order of the file."""
    key: list[int] = []
    node = data
    for part in loc:
        if isinstance(node, Mapping):
            keys = [str(k) for k in node]
            index = keys.index(str(part)) if str(part) in keys else len(keys)
            key.append(index)
            node = node.get(part) if part in node else None
        elif isinstance(node, list | tuple) and isinstance(part, int):
            key.append(part)
            node = node[part] if 0 <= part < len(node) else None
        else:
            key.append(0)
            node = None
    return tuple(key)
