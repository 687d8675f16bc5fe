"""Words the renderers share (Dutch by default, English on request)."""

from __future__ import annotations

from aligncheck.types import Level

WORDS = {
    "nl": {
        "title": "Toets op de handhavingskoers",
        "title_diff": "Vergelijking van twee versies",
        "documents": "Documenten",
        "matrix": "Dekking per principe",
        "findings": "Bevindingen",
        "no_findings": "Geen bevindingen.",
        "principle": "Principe",
        "evidence": "Onderbouwing",
        "page": "p.",
        "score": "score",
        "shared": "Gedeelde tekst (sjablonen)",
        "definitions": "Definities",
        "failures": "Niet gelezen",
        "changes": "Wijzigingen per principe",
        "audit": "Verantwoording",
        "counts": "{n} document(en), {f} bevinding(en): {by_kind}",
        "kind": {
            "gap": "lacune",
            "conflict": "strijdig",
            "divergence": "verschil",
            "definition": "definitie",
        },
        "severity": {"high": "hoog", "medium": "middel", "low": "laag"},
        "change": {
            "gained": "erbij",
            "lost": "verdwenen",
            "weakened": "verzwakt",
            "strengthened": "versterkt",
            "unchanged": "gelijk",
        },
        "stance": {"supports": "ondersteunt", "conflicts": "strijdig", None: ""},
        "model": "Model",
        "accuracy": "Gemeten nauwkeurigheid (leave-one-agency-out op eigen gelabelde passages): macro-F1 {f1}",
    },
    "en": {
        "title": "Check against the enforcement course",
        "title_diff": "Comparison of two versions",
        "documents": "Documents",
        "matrix": "Coverage per principle",
        "findings": "Findings",
        "no_findings": "No findings.",
        "principle": "Principle",
        "evidence": "Evidence",
        "page": "p.",
        "score": "score",
        "shared": "Shared text (templates)",
        "definitions": "Definitions",
        "failures": "Not read",
        "changes": "Changes per principle",
        "audit": "Audit",
        "counts": "{n} document(s), {f} finding(s): {by_kind}",
        "kind": {
            "gap": "gap",
            "conflict": "conflict",
            "divergence": "divergence",
            "definition": "definition",
        },
        "severity": {"high": "high", "medium": "medium", "low": "low"},
        "change": {
            "gained": "gained",
            "lost": "lost",
            "weakened": "weakened",
            "strengthened": "strengthened",
            "unchanged": "unchanged",
        },
        "stance": {"supports": "supports", "conflicts": "conflicts", None: ""},
        "model": "Model",
        "accuracy": "Measured accuracy (leave-one-agency-out on the team's labelled passages): macro-F1 {f1}",
    },
}

LEVELS = {
    "nl": {
        Level.ABSENT: "afwezig",
        Level.MENTIONED: "genoemd",
        Level.COMMITTED: "toegezegd",
        Level.OPERATIONALISED: "geoperationaliseerd",
        Level.OUT_OF_SCOPE: "n.v.t.",
    },
    "en": {
        Level.ABSENT: "absent",
        Level.MENTIONED: "mentioned",
        Level.COMMITTED: "committed",
        Level.OPERATIONALISED: "operationalised",
        Level.OUT_OF_SCOPE: "out of scope",
    },
}


def column_label(agency: str | None, title: str | None, doc_id: str) -> str:
    return agency or title or doc_id
