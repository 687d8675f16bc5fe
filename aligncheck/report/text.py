"""Words the renderers share (Dutch by default, English on request), read from
aligncheck/data/report-words.yaml."""

from __future__ import annotations

from importlib import resources
from typing import Any

import yaml

from aligncheck.types import Level

LANGUAGES = ("nl", "en")


def _load() -> dict[str, dict[str, Any]]:
    text = (resources.files("aligncheck") / "data" / "report-words.yaml").read_text("utf-8")
    words: dict[str, dict[str, Any]] = yaml.safe_load(text)
    for lang in LANGUAGES:
        # a finding's evidence may have no stance: the YAML's "none" key stands for None
        words[lang]["stance"][None] = words[lang]["stance"].pop("none")
    return words


WORDS = _load()

LEVELS: dict[str, dict[Level, str]] = {
    lang: {Level(key): value for key, value in WORDS[lang]["levels"].items()} for lang in LANGUAGES
}


def note_text(note: str, lang: str) -> str:
    """An evidence note in the report's language: "owner: team" -> "eigenaar: team"."""
    prefixes = WORDS[lang]["note_prefix"]
    head, sep, rest = note.partition(": ")
    if sep and head in prefixes:
        return f"{prefixes[head]}: {rest}"
    return str(prefixes.get(note, note))


def column_label(agency: str | None, title: str | None, doc_id: str) -> str:
    return agency or title or doc_id
