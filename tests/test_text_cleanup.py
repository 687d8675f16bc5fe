"""The text clean-up every ingester shares: line joining, hyphens, footnote markers, whitespace."""

from __future__ import annotations

import pytest

from aligncheck.ingest.base import join_lines, normalise_space, strip_footnote_markers


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["Wij zien handha-", "ving als dienst."], "Wij zien handhaving als dienst."),
        (["de wet-", "en regelgeving"], "de wet- en regelgeving"),
        (["in- of", "uitgaande"], "in- of uitgaande"),
        (["nieuwe ICT-", "systemen"], "nieuwe ICT-systemen"),
        (["de SZW-", "brede aanpak"], "de SZW-brede aanpak"),
        (["in Noord-", "Holland"], "in Noord-Holland"),
        (["de WW\u2011", "uitkering"], "de WW\u2011uitkering"),
        (["een", "", "zin"], "een zin"),
    ],
)
def test_join_lines(lines, expected):
    assert join_lines(lines) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("naar het onderzoek.2 Daarna", "naar het onderzoek. Daarna"),
        ("zoals het kabinet schreef,12 is dat", "zoals het kabinet schreef, is dat"),
        ("het woord “vertrouwen”3 staat", "het woord “vertrouwen” staat"),
        ("zie art.3 en nr.12", "zie art.3 en nr.12"),
        ("het regeerakkoord 2021 en 2022.", "het regeerakkoord 2021 en 2022."),
        ("Kamerstukken II 2023/24, 17050, nr. 612.", "Kamerstukken II 2023/24, 17050, nr. 612."),
        ("artikel 5:46 Awb", "artikel 5:46 Awb"),
        ("versie 1.2 van", "versie 1.2 van"),
    ],
)
def test_strip_footnote_markers(text, expected):
    assert strip_footnote_markers(text) == expected


def test_normalise_space_keeps_nonbreaking_hyphen_drops_soft_hyphen():
    assert (
        normalise_space("  een\u00a0WW\u2011uitkering\n\tvoor hand\u00adhaving\u200b ")
        == "een WW\u2011uitkering voor handhaving"
    )
