"""A command's stderr console, made on first use: importing rich costs tens of milliseconds, and a
warm rescan that prints one plain line to a pipe or a file needs none of it (nor does a run whose
only output is its report). Errors, notices, warnings and the progress bar on a terminal use rich
as before."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class StderrConsole:
    """rich's `Console(stderr=True)`, created when something is printed with markup or asks
    whether stderr is a terminal that could show a progress bar."""

    def __init__(self, emoji: bool = True) -> None:
        self._emoji = emoji
        self._console: Console | None = None

    @property
    def rich(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(stderr=True, emoji=self._emoji)
        return self._console

    @property
    def is_terminal(self) -> bool:
        """rich's answer. Without a tty on stderr and without the variables that force one
        (TTY_COMPATIBLE, FORCE_COLOR), rich says no: then it is not asked."""
        if self._console is None and not _isatty() and not {"TTY_COMPATIBLE", "FORCE_COLOR"} & os.environ.keys():
            return False
        return self.rich.is_terminal

    def print(self, *objects: Any, **options: Any) -> None:
        """rich's `print` (markup, styles, wrapping)."""
        self.rich.print(*objects, **options)

    def line(self, text: str) -> None:
        """`text` as one line, as it is: no markup, emoji codes or highlighting, never wrapped (what
        rich prints for it with those off and soft_wrap=True). Through rich once rich is in use, so
        that it interleaves with what rich drew."""
        if self._console is not None:
            self._console.print(text, markup=False, emoji=False, highlight=False, soft_wrap=True)
            return
        sys.stderr.write(text + "\n")
        sys.stderr.flush()


def escape(text: str) -> str:
    """rich's markup escape (imports rich: for messages printed with markup anyway)."""
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def _isatty() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced by an object without it, or closed
        return False
