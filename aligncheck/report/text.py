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


def note_text(note: str, lang: str, note_en: str | None = None) -> str:
    """An evidence note in the report's language: "owner: team" -> "eigenaar: team"; in English the
    note's English words (`Evidence.note_en`) where the data gives them."""
    if lang == "en" and note_en:
        return note_en
    prefixes = WORDS[lang]["note_prefix"]
    head, sep, rest = note.partition(": ")
    if sep and head in prefixes:
        return f"{prefixes[head]}: {rest}"
    return str(prefixes.get(note, note))


def column_label(agency: str | None, title: str | None, doc_id: str) -> str:
    return agency or title or doc_id


def real_text_lines(real: dict[str, Any] | None, lang: str) -> tuple[str, str] | None:
    """The audit lines for a model's figures on real published text (`ScorerModel.real_text`): the
    figures, and how to read them; None when the model has none."""
    if not real:
        return None
    w = WORDS[lang]
    conflicts = real.get("conflicts") or {}

    def share(value: object) -> str:
        return f"{value:.2f}" if isinstance(value, int | float) else "-"

    figures = w["real_text"].format(
        n=real.get("passages", "-"),
        docs=real.get("documents", "-"),
        date=real.get("measured", "-"),
        p=share(real.get("micro_precision")),
        r=share(real.get("micro_recall")),
        f1=share(real.get("micro_f1")),
        found=conflicts.get("found", "-"),
        gold=conflicts.get("gold", "-"),
    )
    return figures, w["real_text_setup"].format(agree=share(real.get("second_reader_macro_f1")))
