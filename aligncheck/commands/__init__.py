"""What every command shares: error mapping, the console on stderr, output options.

Command groups live one module each in this package and are registered on the `aligncheck` CLI in
`aligncheck/cli.py`. They parse options, call the library and never catch its errors themselves:
the `Group` class below turns them into one-line messages with the library's exit code."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

import click

from aligncheck.errors import AligncheckError
from aligncheck.outputs import atomic_writer


class LibraryError(click.ClickException):
    """An AligncheckError shown as `error: message`, with the library's exit code."""

    def __init__(self, error: AligncheckError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code  # type: ignore[misc]  # click declares it a ClassVar

    def show(self, file: Any = None) -> None:
        click.echo(f"error: {self.format_message()}", err=True)


class Group(click.Group):
    """Maps library errors to messages and exit codes, also when a sub-group runs on its own."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AligncheckError as exc:
            raise LibraryError(exc) from exc


class Console:
    """Messages for people go to stderr; -q silences all but errors, -v adds detail."""

    def __init__(self, verbosity: int = 1) -> None:
        self.verbosity = verbosity

    def info(self, message: str) -> None:
        if self.verbosity >= 1:
            click.echo(message, err=True)

    def detail(self, message: str) -> None:
        if self.verbosity >= 2:
            click.echo(message, err=True)

    def warn(self, message: str) -> None:
        if self.verbosity >= 1:
            click.echo(f"warning: {message}", err=True)

    def error(self, message: str) -> None:
        click.echo(f"error: {message}", err=True)

    @property
    def progress_allowed(self) -> bool:
        return self.verbosity >= 1 and sys.stderr.isatty()


def console() -> Console:
    """The console of the running command (verbosity from the top-level -q/-v)."""
    ctx = click.get_current_context(silent=True)
    obj = ctx.find_object(Console) if ctx else None
    return obj or Console()


def output_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, writable=True),
        help="Write to this file (written whole or not at all) instead of stdout.",
    )(f)


@contextlib.contextmanager
def open_output(path: str | None) -> Iterator[TextIO]:
    """stdout, or an atomically written file."""
    if path is None or path == "-":
        yield sys.stdout
    else:
        with atomic_writer(path) as handle:
            yield handle
