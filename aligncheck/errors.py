"""Errors a user can act on. Every message names the file or value and says what to do."""

from __future__ import annotations

import signal


class AligncheckError(Exception):
    """Base class: the CLI turns these into a one-line message and a non-zero exit code."""

    exit_code = 1


class _Explained(AligncheckError):
    """An error about one thing (a file, a model): 'THING: problem (what to do)'."""

    def __init__(self, subject: str, problem: str, hint: str = "") -> None:
        self.problem = problem
        self.hint = hint
        super().__init__(f"{subject}: {problem}" + (f" ({hint})" if hint else ""))


class InputError(_Explained):
    """A document could not be read. `path` names it; the message says what to do."""

    exit_code = 3
    reason = "unreadable"
    """A stable word for the kind of problem, for tools reading report.json's `failures`."""

    def __init__(self, path: str, problem: str, hint: str = "") -> None:
        self.path = path
        super().__init__(path, problem, hint)


class UnsupportedFormat(InputError):
    reason = "unsupported_format"


class EmptyDocument(InputError):
    reason = "empty"


class EncryptedDocument(InputError):
    reason = "encrypted"


class CorruptDocument(InputError):
    reason = "corrupt"


class LimitExceeded(InputError):
    """A document is larger than a limit allows (file size, pages, unpacked size, passages). `option`
    names the command-line option that raises the limit."""

    reason = "limit_exceeded"

    def __init__(self, path: str, problem: str, option: str) -> None:
        self.option = option
        super().__init__(path, problem, f"raise the limit with {option} if the file is right")


class NoTextLayer(InputError):
    """A scanned PDF: pages without any text. `pages` are 1-based."""

    reason = "no_text_layer"

    def __init__(self, path: str, pages: list[int], total: int) -> None:
        self.pages = pages
        self.total = total
        which = "all pages" if len(pages) == total else page_phrase(pages)
        super().__init__(
            path,
            f"no text layer on {which} of {total}: it looks scanned",
            "run OCR first, for example `ocrmypdf -l nld in.pdf out.pdf`, and check the result",
        )


class ManifestError(AligncheckError):
    exit_code = 2


class UsageError(AligncheckError):
    exit_code = 2


def format_pages(pages: list[int]) -> str:
    """Compress [1,2,3,7,9,10] into '1-3, 7, 9-10'."""
    parts: list[str] = []
    start = prev = None
    for page in sorted(pages):
        if start is None:
            start = prev = page
        elif page == prev + 1:  # type: ignore[operator]
            prev = page
        else:
            parts.append(f"{start}-{prev}" if start != prev else str(start))
            start = prev = page
    if start is not None:
        parts.append(f"{start}-{prev}" if start != prev else str(start))
    return ", ".join(parts)


class ModelError(_Explained):
    """A model (encoder or scorer) could not be loaded or run. `spec` names it; the message says what
    to do."""

    exit_code = 2

    def __init__(self, spec: str, problem: str, hint: str = "") -> None:
        self.spec = spec
        super().__init__(spec, problem, hint)


class CacheError(AligncheckError):
    """The embedding cache cannot be used as asked: vectors of another dimension, a damaged file."""

    exit_code = 2


class FrameworkError(AligncheckError):
    """A framework name, file or lookup is invalid. `problems` holds one 'field.path: what is wrong'
    line per problem found in a framework file (empty for other errors)."""

    exit_code = 2

    def __init__(self, message: str, problems: tuple[str, ...] = ()) -> None:
        self.problems = problems
        super().__init__(message)


def page_phrase(pages: list[int]) -> str:
    """'page 3' or 'pages 3-5, 7'."""
    return f"page {pages[0]}" if len(pages) == 1 else f"pages {format_pages(pages)}"


def quiet_on_interrupt() -> None:
    """Initializer of worker processes: Ctrl-C ends a worker at once and without a traceback (the
    signal's default action), while the calling process reports the interrupt once and exits with 130.
    Python's own handler would print each worker's KeyboardInterrupt to the terminal."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
