"""`aligncheck feedback import|info`: reviewers' marks from HTML reports, kept in the local store."""

from __future__ import annotations

from pathlib import Path

import click

from aligncheck.commands import Group
from aligncheck.commands.cache import cache_option, open_store
from aligncheck.feedback import agreement, passage_labels, read_feedback


@click.group(cls=Group)
def feedback() -> None:
    """Reviewers' marks ("juist"/"onjuist") exported from HTML reports: import them into the local
    store, where `evaluate --with-feedback` and `train --with-feedback` use them as labelled data."""


@feedback.command(name="import")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@cache_option
def import_command(files: tuple[Path, ...], cache_dir: Path | None) -> None:
    """Store the marks of exported feedback FILES (JSON from a report's export button). Importing a
    file again adds nothing; a newer mark on the same finding or passage replaces the older one."""
    parsed = [(path, read_feedback(path)) for path in files]  # all files valid before any is stored
    with open_store(cache_dir) as store:
        for path, data in parsed:
            new, updated = store.add_feedback(data.report_key, [m.model_dump() for m in data.marks])
            same = len(data.marks) - new - updated
            click.echo(f"{path}: {new} new, {updated} updated, {same} already stored")


@feedback.command()
@cache_option
def info(cache_dir: Path | None) -> None:
    """How many marks are stored, how often reviewers agreed with each kind of finding, and how many
    labelled passages the marks give."""
    with open_store(cache_dir) as store:
        marks = store.feedback()
    if not marks:
        click.echo("no feedback stored (import an exported file with `aligncheck feedback import FILE`)")
        return
    reports = len({m["report_key"] for m in marks})
    click.echo(f"{len(marks)} marks from {reports} report(s)")
    for group, counts in agreement(marks).items():
        total = counts["correct"] + counts["wrong"]
        click.echo(
            f"  {group}: {counts['correct']} correct, {counts['wrong']} wrong ({counts['correct'] / total:.0%} correct)"
        )
    labels = passage_labels(marks)
    click.echo(f"{len(labels)} labelled passage-principle pairs for evaluate/train --with-feedback")
