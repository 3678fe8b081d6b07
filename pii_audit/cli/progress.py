"""A rich progress bar on stderr, shown only on a terminal and only for scans that take a while."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn


class BarProgress:
    def __init__(self, console: Console) -> None:
        self._bar = Progress(
            TextColumn("scanning"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self._task: TaskID | None = None

    def start(self, total: int) -> None:
        self._bar.start()
        self._task = self._bar.add_task("scan", total=total)

    def advance(self, path: str) -> None:
        if self._task is not None:
            self._bar.advance(self._task)

    def finish(self) -> None:
        self._bar.stop()
