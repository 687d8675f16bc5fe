"""What every command shares: error mapping, the console on stderr, output options.

Command groups live one module each in this package and are registered on the `aligncheck` CLI in
`aligncheck/cli.py`. They parse options, call the library and never catch its errors themselves:
the `Group` class below turns them into one-line messages with the library's exit code."""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any, TextIO

import click

from aligncheck.errors import AligncheckError
from aligncheck.ingest import MB, IngestOptions
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
        except KeyboardInterrupt:
            raise Interrupted() from None


class Interrupted(click.ClickException):
    """Ctrl-C (SIGINT): exit code 130, as shells report a command ended by it."""

    exit_code = 130

    def __init__(self) -> None:
        super().__init__(
            "interrupted: output files from before are left as they were, none is half-written "
            "(run the command again to finish)"
        )

    def show(self, file: Any = None) -> None:
        click.echo(f"\n{self.format_message()}", err=True)


class Console:
    """Messages for people go to stderr; -q silences all but errors, -v adds detail."""

    def __init__(self, verbosity: int = 1) -> None:
        self.verbosity = verbosity

    def info(self, message: str) -> None:
        if self.verbosity >= 1:
            say(message)

    def detail(self, message: str) -> None:
        if self.verbosity >= 2:
            say(message)

    def warn(self, message: str) -> None:
        if self.verbosity >= 1:
            say(f"warning: {message}")

    def error(self, message: str) -> None:
        say(f"error: {message}")

    @property
    def progress_allowed(self) -> bool:
        return self.verbosity >= 1 and sys.stderr.isatty()


def say(message: str) -> None:
    """A line for people on stderr. When stderr is a pipe its reader has closed (`2>&1 | head`), the
    messages are dropped from then on and the command goes on: its outputs matter more than its
    progress lines."""
    try:
        click.echo(message, err=True)
    except BrokenPipeError:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115  # for the rest of the run


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


_DEFAULTS = IngestOptions()
_INGEST_OPTIONS = (
    click.option("--password", help="Password for encrypted PDFs."),
    click.option(
        "--max-file-size",
        type=click.IntRange(min=1),
        default=_DEFAULTS.max_file_size // MB,
        show_default=True,
        metavar="MB",
        help="Refuse files larger than this, in MB.",
    ),
    click.option(
        "--max-pages",
        type=click.IntRange(min=1),
        default=_DEFAULTS.max_pages,
        show_default=True,
        metavar="N",
        help="Refuse PDFs with more pages than this.",
    ),
    click.option(
        "--max-unpacked",
        type=click.IntRange(min=1),
        default=_DEFAULTS.max_unpacked // MB,
        show_default=True,
        metavar="MB",
        help="Refuse DOCX files that unpack to more than this, in MB (zip bombs).",
    ),
    click.option(
        "--max-passages",
        type=click.IntRange(min=1),
        default=_DEFAULTS.max_passages,
        show_default=True,
        metavar="N",
        help="Refuse documents with more passages than this.",
    ),
)


def ingest_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--password and the input limits; the command receives them as one `options: IngestOptions`."""

    @functools.wraps(f, updated=())
    def command(
        *args: Any,
        password: str | None,
        max_file_size: int,
        max_pages: int,
        max_unpacked: int,
        max_passages: int,
        **kwargs: Any,
    ) -> Any:
        options = IngestOptions(
            password=password,
            max_file_size=max_file_size * MB,
            max_pages=max_pages,
            max_unpacked=max_unpacked * MB,
            max_passages=max_passages,
        )
        return f(*args, options=options, **kwargs)

    command.__click_params__ = list(getattr(f, "__click_params__", []))  # type: ignore[attr-defined]
    for option in reversed(_INGEST_OPTIONS):
        command = option(command)
    return command
