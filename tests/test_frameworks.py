"""Frameworks as data: the builtin courses, strict validation with field paths, and the CLI group."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from aligncheck.commands.frameworks import frameworks
from aligncheck.errors import FrameworkError
from aligncheck.frameworks import Framework, list_builtin, load_framework, load_framework_file

BUILTIN = Path(__file__).resolve().parent.parent / "aligncheck" / "frameworks" / "builtin"

IDS_2026 = [
    "vertrouwen",
    "preventie",
    "maatwerk",
    "rechtsstaat",
    "dienstverlening",
    "passend_handhaven",
    "risicogericht",
    "reflexiviteit",
    "ai_data",
    "uniformiteit",
]
IDS_2022 = [
    "vertrouwen",
    "preventie",
    "maatwerk",
    "burgerperspectief",
    "professional",
    "rechtsstaat",
    "passend_handhaven",
    "risicogericht",
]
TERMS = [
    "fout",
    "vergissing",
    "fraude",
    "misbruik",
    "oneigenlijk gebruik",
    "verwijtbaarheid",
    "opzet",
    "grove schuld",
    "recidive",
    "naleving",
    "handhaving",
]

BROKEN = """\
id: eigen-standaard
version: "1.0"
title: {nl: Eigen standaard}
colour: blauw
principles:
  - id: vertrouwen
    title: {nl: Vertrouwen}
    description: {nl: Uitgaan van vertrouwen.}
    keywords: [vertrouwen]
    examples:
      supports: [Een., Twee., Drie.]
  - id: vertrouwen
    title: {nl: Nog eens vertrouwen}
    description: {nl: Dubbel.}
    keywords: [Goede trouw]
    examples:
      supports: [Alleen deze.]
    keywordz: [trouw]
domains:
  sz:
    principles: [vertrouwen, preventie]
agency_domains:
  "Gemeente *": sociaal
"""

VALID = """\
id: eigen-standaard
version: "0.2.0"
title: {nl: Eigen standaard}
principles:
  - id: vertrouwen
    title: {nl: Vertrouwen}
    description: {nl: Uitgaan van vertrouwen.}
    keywords: [vertrouwen]
    examples:
      supports: [Een., Twee., Drie.]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(frameworks, list(args))


# --- the builtin frameworks -----------------------------------------------------------------------


def test_builtins_are_listed():
    assert list_builtin() == ["koers-2022-2025", "koers-2026-2029"]


def test_koers_2026_2029():
    fw = load_framework("koers-2026-2029")
    assert (fw.id, fw.version) == ("koers-2026-2029", "1.0.0")
    assert list(fw.principle_ids) == IDS_2026
    assert fw.title.nl == "Handhavingskoers 2026-2029" and fw.title.en
    assert fw.source
    for p in fw.principles:
        assert p.title.en and p.description.en, p.id
        assert 4 <= len(p.criteria) <= 7, p.id
        assert 15 <= len(p.keywords) <= 40, p.id
        assert 5 <= len(p.conflict_cues) <= 15, p.id
        assert 6 <= len(p.examples.supports) <= 10, p.id
        assert 3 <= len(p.examples.conflicts) <= 6, p.id
    assert [t.term for t in fw.terms][: len(TERMS)] == TERMS


def test_koers_2022_2025():
    fw = load_framework("koers-2022-2025")
    assert (fw.id, fw.version) == ("koers-2022-2025", "1.0.0")
    assert list(fw.principle_ids) == IDS_2022
    assert all(len(p.examples.supports) >= 4 and len(p.examples.conflicts) >= 2 for p in fw.principles)


def test_example_passages_differ_between_courses():
    old, new = load_framework("koers-2022-2025"), load_framework("koers-2026-2029")
    passages = {x for p in new.principles for x in (*p.examples.supports, *p.examples.conflicts)}
    assert not passages & {x for p in old.principles for x in (*p.examples.supports, *p.examples.conflicts)}


def test_terms_have_the_aspects_compared_across_agencies():
    fw = load_framework("koers-2026-2029")
    fraude = fw.term("fraude")
    wanted = {"intent_required", "intent_not_required", "outcome_based", "advantage_purpose"}
    assert wanted <= set(fraude.aspects)
    assert "opzet is niet vereist" in fraude.aspects["intent_not_required"].cues
    assert fraude.aspects["intent_required"].excludes == ("intent_not_required",)
    recidive = fw.term("recidive")
    assert "onherroepelijk" in recidive.aspects["after_irrevocable"].cues
    window = re.compile(recidive.aspects["window_years"].patterns[0], re.IGNORECASE)
    assert window.search("binnen een periode van vijf jaar na de eerste boete").group(1) == "vijf"
    assert window.search("Binnen 2 jaar").group(1) == "2"
    assert fw.term("Oneigenlijke gebruik").term == "oneigenlijk gebruik"


def test_a_builtin_loads_from_its_path_too(tmp_path):
    copy = write(tmp_path, "koers.yaml", (BUILTIN / "koers-2026-2029.yaml").read_text("utf-8"))
    assert load_framework(str(copy)) == load_framework("koers-2026-2029")


def test_framework_is_frozen():
    fw = load_framework("koers-2026-2029")
    with pytest.raises(ValidationError):
        fw.version = "2.0.0"  # type: ignore[misc]


# --- domains and agencies -------------------------------------------------------------------------


def test_domain_for_agency():
    fw = load_framework("koers-2026-2029")
    assert fw.domain_for_agency("SVB") == "sociale_zekerheid"
    assert fw.domain_for_agency("uwv") == "sociale_zekerheid"
    assert fw.domain_for_agency("Gemeente Utrecht") == "sociale_zekerheid"
    assert fw.domain_for_agency("gemeente  Den Haag") == "sociale_zekerheid"
    assert fw.domain_for_agency("NLA") == "arbeidsmarkt"
    assert fw.domain_for_agency("NAU") == "arbeidsmarkt"
    assert fw.domain_for_agency("Belastingdienst") is None
    assert fw.domain_for_agency(None) is None
    assert fw.domain_for_agency("") is None


def test_applies():
    fw = load_framework("koers-2026-2029")
    assert all(fw.applies(pid, "sociale_zekerheid") for pid in IDS_2026)
    out = [pid for pid in IDS_2026 if not fw.applies(pid, "arbeidsmarkt")]
    assert out == ["maatwerk", "dienstverlening"]
    assert fw.applies("maatwerk", None)
    assert fw.out_of_scope_reason("maatwerk", "arbeidsmarkt") == (
        "Toezicht op werkgevers: de menselijke maat voor burgers is hier geen toetsingskader"
    )
    assert fw.out_of_scope_reason("vertrouwen", "arbeidsmarkt") is None
    assert fw.principle("ai_data").title.nl == "Dilemma's rond AI en data"


def test_unknown_principle_or_domain():
    fw = load_framework("koers-2026-2029")
    with pytest.raises(FrameworkError, match="no principle 'burgerperspectief'; its principles: vertr"):
        fw.applies("burgerperspectief", None)
    with pytest.raises(FrameworkError) as info:
        fw.applies("vertrouwen", "onderwijs")
    assert str(info.value) == (
        "framework koers-2026-2029 has no domain 'onderwijs'; its domains: sociale_zekerheid, arbeidsmarkt"
    )


# --- validation -----------------------------------------------------------------------------------


def test_all_problems_gathered_with_field_paths(tmp_path):
    path = write(tmp_path, "broken.yaml", BROKEN)
    with pytest.raises(FrameworkError) as info:
        load_framework(str(path))
    error = info.value
    assert error.exit_code == 2
    assert str(error).splitlines() == [
        f"{path}: 8 problems in framework file",
        "  version: must be a version like \"1.0.0\" (major.minor.patch), got '1.0'",
        "  colour: unknown field; allowed fields: id, version, title, description, source, principles, "
        "domains, agency_domains, terms",
        "  principles[1].id: duplicate id 'vertrouwen' (also used by principles[0])",
        "  principles[1].keywords[0]: must be lower case: write 'goede trouw'",
        "  principles[1].examples.supports: at least 3 examples are needed, got 1",
        "  principles[1].keywordz: unknown field; did you mean 'keywords'?",
        "  domains.sz.principles[1]: unknown principle 'preventie'; known: vertrouwen",
        "  agency_domains[\"Gemeente *\"]: unknown domain 'sociaal'; known: sz",
    ]
    assert error.problems[0] == "version: must be a version like \"1.0.0\" (major.minor.patch), got '1.0'"


def test_cross_references_alone_are_reported(tmp_path):
    text = VALID + "domains:\n  sz:\n    principles: []\n    out_of_scope: {vertrouwen: nee, maatwerk: nee}\n"
    path = write(tmp_path, "refs.yaml", text)
    with pytest.raises(FrameworkError) as info:
        load_framework_file(path)
    assert str(info.value).splitlines() == [
        f"{path}: 1 problem in framework file",
        "  domains.sz.out_of_scope.maatwerk: unknown principle 'maatwerk'; known: vertrouwen",
    ]


def test_types_and_missing_fields(tmp_path):
    path = write(tmp_path, "types.yaml", "id: Eigen Standaard\nversion: 1.0\nprincipals: []\n")
    with pytest.raises(FrameworkError) as info:
        load_framework_file(path)
    assert str(info.value).splitlines()[1:] == [
        "  id: 'Eigen Standaard' is not a valid framework id: use lower-case letters, digits, '-' and '_' "
        "(like 'koers-2026-2029')",
        '  version: must be a version in quotes like "1.0.0", got 1.0 without quotes',
        "  principals: unknown field; did you mean 'principles'?",
        "  title: required field is missing",
        "  principles: required field is missing",
    ]


def test_no_principles(tmp_path):
    path = write(tmp_path, "empty.yaml", 'id: x\nversion: "1.0.0"\ntitle: {nl: X}\nprinciples: []\n')
    with pytest.raises(FrameworkError, match="principles: at least one principle is needed"):
        load_framework_file(path)


def test_not_a_mapping(tmp_path):
    path = write(tmp_path, "list.yaml", "- a\n- b\n")
    with pytest.raises(FrameworkError) as info:
        load_framework_file(path)
    assert str(info.value) == (
        f"{path}: a framework file must be a mapping with id, version, title and principles, got a list"
    )


def test_yaml_syntax_error_has_line_and_column(tmp_path):
    broken = VALID.replace("    keywords: [vertrouwen]", "    keywords: [vertrouwen")
    path = write(tmp_path, "syntax.yaml", broken)
    with pytest.raises(FrameworkError) as info:
        load_framework_file(path)
    assert str(info.value) == (
        f"{path}: not valid YAML at line 9, column 13: expected ',' or ']', but got ':' "
        "(while parsing a flow sequence at line 8, column 15); check the indentation and quoting there"
    )
    assert info.value.exit_code == 2


def test_unknown_builtin_name():
    with pytest.raises(FrameworkError) as info:
        load_framework("koers-2030")
    assert str(info.value) == (
        "unknown framework 'koers-2030'; available: koers-2022-2025, koers-2026-2029; "
        "or give a path to a .yaml file"
    )


def test_missing_file(tmp_path):
    with pytest.raises(FrameworkError, match=r"nope\.yaml: no such framework file$"):
        load_framework(str(tmp_path / "nope.yaml"))


def test_yaml_is_loaded_safely(tmp_path):
    path = write(tmp_path, "unsafe.yaml", "id: !!python/object/apply:os.system ['echo hi']\n")
    with pytest.raises(FrameworkError, match="not valid YAML at line 1, column 5"):
        load_framework_file(path)


def test_model_validate_checks_references_too():
    data = {
        "id": "x",
        "version": "1.0.0",
        "title": {"nl": "X"},
        "principles": [
            {
                "id": "a",
                "title": {"nl": "A"},
                "description": {"nl": "A."},
                "keywords": ["a"],
                "examples": {"supports": ["1", "2", "3"]},
            },
        ],
        "agency_domains": {"SVB": "sz"},
    }
    with pytest.raises(ValidationError, match="unknown domain 'sz'; the framework has no domains section"):
        Framework.model_validate(data)


# --- the CLI group --------------------------------------------------------------------------------


def test_cli_list():
    result = run("list")
    assert result.exit_code == 0
    assert result.stdout == (
        "koers-2022-2025  1.0.0  8 principles   Handhavingskoers 2022-2025\n"
        "koers-2026-2029  1.0.0  10 principles  Handhavingskoers 2026-2029\n"
    )


def test_cli_validate_valid(tmp_path):
    path = write(tmp_path, "eigen.yaml", VALID)
    result = run("validate", str(path))
    assert result.exit_code == 0
    assert result.stdout == f"{path}: valid framework eigen-standaard 0.2.0 with 1 principles\n"


def test_cli_validate_builtin_file():
    path = str(BUILTIN / "koers-2026-2029.yaml")
    result = run("validate", path)
    assert result.exit_code == 0
    assert result.stdout == f"{path}: valid framework koers-2026-2029 1.0.0 with 10 principles\n"


def test_cli_validate_broken(tmp_path):
    path = write(tmp_path, "broken.yaml", BROKEN)
    result = run("validate", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == f"error: {path}: 8 problems in framework file"
    assert "  principles[1].examples.supports: at least 3 examples are needed, got 1" in lines
    assert len(lines) == 9


def test_cli_validate_missing_file(tmp_path):
    result = run("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"error: {tmp_path / 'nope.yaml'}: no such framework file\n"


def test_cli_show_text():
    result = run("show", "koers-2026-2029")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Handhavingskoers 2026-2029", "koers-2026-2029, versie 1.0.0"]
    assert "Principes (10)" in lines
    assert "  1. vertrouwen: Uitgaan van vertrouwen" in lines
    assert " 10. uniformiteit: Uniformiteit en ketensamenwerking" in lines
    assert "     6 criteria, 26 trefwoorden, voorbeelden: 8 steunend, 4 strijdig" in lines
    assert "  arbeidsmarkt: 8 van 10 principes van toepassing" in lines
    assert "  SVB, UWV, VNG, Gemeente * -> sociale_zekerheid" in lines


def test_cli_show_english():
    result = run("show", "koers-2026-2029", "--lang", "en")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["Enforcement course 2026-2029", "koers-2026-2029, version 1.0.0"]
    assert "  1. vertrouwen: Trust as the starting point" in lines


def test_cli_show_json():
    result = run("show", "koers-2022-2025", "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert (data["id"], data["version"]) == ("koers-2022-2025", "1.0.0")
    assert [p["id"] for p in data["principles"]] == IDS_2022
    assert data["principles"][0]["examples"] == {"supports": 4, "conflicts": 2}
    assert data["domains"]["arbeidsmarkt"]["out_of_scope"].keys() == {"maatwerk", "burgerperspectief"}


def test_cli_show_unknown():
    result = run("show", "koers-1999")
    assert result.exit_code == 2
    assert result.stderr == (
        "error: unknown framework 'koers-1999'; available: koers-2022-2025, koers-2026-2029; "
        "or give a path to a .yaml file\n"
    )
