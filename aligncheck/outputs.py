"""Writing outputs safely: a file appears whole or not at all."""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO


@contextlib.contextmanager
def atomic_writer(path: str | Path, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Write to a temporary file next to `path` and move it into place only when the block ends
    without error; an interrupted run leaves the previous file untouched."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        # mkstemp makes the file private (0600); give it the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


_HELD_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def write_files(folder: str | Path, files: dict[str, str], encoding: str = "utf-8") -> None:
    """Write several files into `folder`, each whole or not at all, as one set: all are written to
    temporary files first, then moved into place with Ctrl-C and SIGTERM held back, so an interrupt
    leaves either the previous set or the new one (it takes effect once the set is in place)."""
    folder = Path(folder)
    with contextlib.ExitStack() as stack:
        for name, text in files.items():
            stack.enter_context(atomic_writer(folder / name, encoding)).write(text)
        with _signals_held():
            stack.close()  # each writer syncs its file and moves it into place


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Record SIGINT and SIGTERM instead of acting on them, then raise the first one received. Only
    the main thread can set handlers; elsewhere the block runs unprotected."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    received: list[int] = []
    previous = {
        sig: signal.signal(sig, lambda signum, frame: received.append(signum)) for sig in _HELD_SIGNALS
    }
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if received:
            signal.raise_signal(received[0])
