"""A rich progress bar on stderr, shown only on a terminal and only for scans that take a while.
Off a terminal there is no bar, and rich is not even imported (pii_audit.cli.console)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pii_audit.cli.console import StderrConsole

if TYPE_CHECKING:
    from rich.progress import TaskID


class BarProgress:
    def __init__(self, console: StderrConsole) -> None:
        self._bar: Any = None
        if console.is_terminal:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("scanning"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console.rich,
                transient=True,
            )
        self._task: TaskID | None = None

    def start(self, total: int) -> None:
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task("scan", total=total)

    def advance(self, path: str) -> None:
        if self._task is not None:
            self._bar.advance(self._task)

    def finish(self) -> None:
        if self._bar is not None:
            self._bar.stop()
