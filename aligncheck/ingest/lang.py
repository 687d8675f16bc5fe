"""Tell the language of a text from its function words (offline, no model)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

_WORD = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _stopwords() -> dict[str, frozenset[str]]:
    raw = yaml.safe_load(resources.files("aligncheck.data").joinpath("languages.yaml").read_text("utf-8"))
    return {lang: frozenset(str(words).lower().split()) for lang, words in raw.items()}


def detect_language(text: str, min_words: int = 8) -> str | None:
    """The language code ("nl", "en", "de", "fr") whose function words cover most of the text's words,
    or None when the text is too short to tell."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < min_words:
        return None
    best, best_hits = None, 0
    for lang, vocab in _stopwords().items():
        hits = sum(1 for w in words if w in vocab)
        if hits > best_hits:
            best, best_hits = lang, hits
    if best is None or best_hits < max(2, len(words) // 20):
        return None
    return best
