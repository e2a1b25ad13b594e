"""The rich console CLI tables print to: full width on a terminal, wide enough in a pipe."""

from __future__ import annotations

import sys

from rich.console import Console

# Tables piped to a file or another program are not cut to 80 columns.
PIPE_WIDTH = 200


def console() -> Console:
    return Console(width=None if sys.stdout.isatty() else PIPE_WIDTH)
