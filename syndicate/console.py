"""The rich console CLI tables print to: full width on a terminal, wide enough in a pipe."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # rich loads when a table is printed, not for every command's start-up
    from rich.console import Console

# Tables piped to a file or another program are not cut to 80 columns.
PIPE_WIDTH = 200


def console() -> Console:
    from rich.console import Console

    return Console(width=None if sys.stdout.isatty() else PIPE_WIDTH)
