"""Where an export goes: standard output, or a file that appears only when it is complete.

A file is written beside its final name under a temporary one and renamed over it at the
end (atomic on one filesystem), so a failed or interrupted export never leaves a half
file, and an older export of the same name stays as it was until the new one is whole.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO


@contextmanager
def output_stream(path: Path | None) -> Iterator[TextIO]:
    """UTF-8 text to `path` (replaced when the block succeeds), or to stdout when None.
    OSError on entry means the output cannot be written at all."""
    if path is None:
        with _stdout() as stream:
            yield stream
        return
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    with _replaced(path) as stream:
        yield stream


@contextmanager
def _replaced(path: Path) -> Iterator[TextIO]:
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    temporary = Path(name)
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            yield handle
        temporary.chmod(0o666 & ~_umask())  # as a plain open() would have made it
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


@contextmanager
def _stdout() -> Iterator[TextIO]:
    """sys.stdout as UTF-8 without newline translation (CSV ends its rows with CRLF)."""
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(encoding="utf-8", newline="")
    try:
        yield stream
        stream.flush()
    except BrokenPipeError:
        # The reader left (`| head`): point stdout at /dev/null so the interpreter's last
        # flush does not print a traceback; the command reports the error as one line.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
