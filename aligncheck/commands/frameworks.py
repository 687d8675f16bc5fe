"""`aligncheck frameworks list|show|validate`: the frameworks plans are checked against."""

from __future__ import annotations

import json
import textwrap
from typing import Any

import click

from aligncheck.commands import Group
from aligncheck.frameworks import Framework, list_builtin, load_framework, load_framework_file

_WIDTH = 100

_LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "version": "versie",
        "source": "Bron",
        "principles": "Principes",
        "criteria": "criteria",
        "keywords": "trefwoorden",
        "examples": "voorbeelden",
        "supports": "steunend",
        "conflicts": "strijdig",
        "domains": "Domeinen",
        "applies": "van toepassing",
        "all": "alle {n} principes van toepassing",
        "some": "{k} van {n} principes van toepassing",
        "out": "niet van toepassing",
        "agencies": "Organisaties",
        "terms": "Begrippen",
        "aspects": "kenmerken",
    },
    "en": {
        "version": "version",
        "source": "Source",
        "principles": "Principles",
        "criteria": "criteria",
        "keywords": "keywords",
        "examples": "examples",
        "supports": "supporting",
        "conflicts": "conflicting",
        "domains": "Domains",
        "applies": "applies",
        "all": "all {n} principles apply",
        "some": "{k} of {n} principles apply",
        "out": "does not apply",
        "agencies": "Agencies",
        "terms": "Terms",
        "aspects": "aspects",
    },
}


@click.group(cls=Group)
def frameworks() -> None:
    """List, show and validate frameworks: the principles plans are checked against.

    A framework is a YAML file; the builtin ones are the enforcement courses. Write your own for
    another course or an agency's own standard, and check it with `validate`."""


@frameworks.command("list")
def list_command() -> None:
    """List the builtin frameworks: id, version, number of principles, title."""
    rows = []
    for name in list_builtin():
        framework = load_framework(name)
        count = f"{len(framework.principles)} principles"
        rows.append((framework.id, framework.version, count, framework.title.nl))
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
        click.echo("  ".join([*cells, row[3]]))


@frameworks.command("show")
@click.argument("name")
@click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="Language of titles and texts.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: an overview for reading; json: the same overview as one JSON object.",
)
def show(name: str, lang: str, fmt: str) -> None:
    """Show a framework: its principles with descriptions and counts, domains, agencies and terms.

    NAME is a builtin framework (see `list`) or a path to a framework .yaml file."""
    framework = load_framework(name)
    if fmt == "json":
        click.echo(json.dumps(overview(framework, lang), ensure_ascii=False, indent=2))
    else:
        click.echo(overview_text(framework, lang), nl=False)


@frameworks.command("validate")
@click.argument("file", type=click.Path())
def validate(file: str) -> None:
    """Check a framework file; every problem is listed with its field path (exit code 2)."""
    framework = load_framework_file(file)
    count = len(framework.principles)
    click.echo(f"{file}: valid framework {framework.id} {framework.version} with {count} principles")


def overview(framework: Framework, lang: str = "nl") -> dict[str, Any]:
    """The overview `show` prints, as plain data."""
    return {
        "id": framework.id,
        "version": framework.version,
        "title": framework.title.get(lang),
        "description": framework.description.get(lang) if framework.description else None,
        "source": framework.source,
        "principles": [
            {
                "id": p.id,
                "title": p.title.get(lang),
                "description": p.description.get(lang),
                "criteria": len(p.criteria),
                "keywords": len(p.keywords),
                "conflict_cues": len(p.conflict_cues),
                "examples": {"supports": len(p.examples.supports), "conflicts": len(p.examples.conflicts)},
            }
            for p in framework.principles
        ],
        "domains": {
            name: {"principles": list(domain.principles), "out_of_scope": dict(domain.out_of_scope)}
            for name, domain in framework.domains.items()
        },
        "agency_domains": dict(framework.agency_domains),
        "terms": {term.term: list(term.aspects) for term in framework.terms},
    }


def overview_text(framework: Framework, lang: str = "nl") -> str:
    """A readable overview of a framework in Dutch (or English with lang="en")."""
    label = _LABELS[lang]
    lines = [framework.title.get(lang), f"{framework.id}, {label['version']} {framework.version}"]
    if framework.source:
        lines.append(f"{label['source']}: {framework.source}")
    if framework.description:
        lines += ["", *_wrap(framework.description.get(lang), "")]
    lines += ["", f"{label['principles']} ({len(framework.principles)})"]
    for number, p in enumerate(framework.principles, 1):
        lines.append(f"{number:>3}. {p.id}: {p.title.get(lang)}")
        lines += _wrap(p.description.get(lang), "     ")
        lines.append(
            f"     {len(p.criteria)} {label['criteria']}, {len(p.keywords)} {label['keywords']}, "
            f"{label['examples']}: {len(p.examples.supports)} {label['supports']}, "
            f"{len(p.examples.conflicts)} {label['conflicts']}"
        )
    if framework.domains:
        total = len(framework.principles)
        lines += ["", label["domains"]]
        for name, domain in framework.domains.items():
            count = len(domain.principles)
            summary = label["all"] if count == total else label["some"]
            lines.append(f"  {name}: {summary.format(n=total, k=count)}")
            for pid, reason in domain.out_of_scope.items():
                lines.append(f"    {pid} {label['out']}: {reason}")
    if framework.agency_domains:
        lines += ["", label["agencies"]]
        by_domain: dict[str, list[str]] = {}
        for agency, domain_name in framework.agency_domains.items():
            by_domain.setdefault(domain_name, []).append(agency)
        for domain_name, agencies in by_domain.items():
            lines.append(f"  {', '.join(agencies)} -> {domain_name}")
    if framework.terms:
        lines += ["", f"{label['terms']} ({len(framework.terms)})"]
        terms = ", ".join(f"{t.term} ({len(t.aspects)} {label['aspects']})" for t in framework.terms)
        lines += _wrap(terms, "  ")
    return "\n".join(lines) + "\n"


def _wrap(text: str, indent: str) -> list[str]:
    flat = " ".join(text.split())
    return textwrap.wrap(
        flat, _WIDTH, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False
    )
