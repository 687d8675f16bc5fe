"""Infer the agency that wrote a document from its text (used when no manifest or --agency says)."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

import yaml


@lru_cache(maxsize=1)
def _patterns() -> tuple[list[tuple[str, list[re.Pattern[str]]]], re.Pattern[str], frozenset[str]]:
    raw = yaml.safe_load(resources.files("aligncheck.data").joinpath("agencies.yaml").read_text("utf-8"))
    agencies = [(a["name"], [re.compile(p) for p in a["patterns"]]) for a in raw["agencies"]]
    return agencies, re.compile(raw["municipality"]), frozenset(raw.get("not_towns", []))


def infer_agency(title: str | None, opening: str, publisher: str | None = None) -> str | None:
    """The agency named most in the title, the publisher the file's metadata names (an HTML page's
    site name) and the opening text (cover, introduction), or None.

    A mention in the title or publisher counts five times. A municipality is reported as
    "Gemeente <Town>"."""
    agencies, municipality, not_towns = _patterns()
    votes: Counter[str] = Counter()
    for text, weight in ((title or "", 5), (publisher or "", 5), (opening, 1)):
        for name, patterns in agencies:
            hits = sum(len(p.findall(text)) for p in patterns)
            if hits:
                votes[name] += hits * weight
        for match in municipality.finditer(text):
            town = match.group(1).strip()
            if town.split()[0] not in not_towns:
                votes[f"Gemeente {town}"] += weight * 2
    if not votes:
        return None
    (best, count), *rest = votes.most_common(2) + [("", 0)]
    return best if count > rest[0][1] else None
