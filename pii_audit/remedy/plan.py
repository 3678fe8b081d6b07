"""A plan: one step per target, the action or why the file is left alone. Printing a plan changes
nothing; applying it gives one outcome per step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pii_audit.remedy.guard import Checked
from pii_audit.remedy.stopping import stop_between_files


@dataclass(frozen=True)
class Step:
    checked: Checked
    action: str  # "quarantine", "protect", "redact", "restore" … or "skip"
    detail: str  # where the file goes or what is done; for a skip, why

    @property
    def path(self) -> str:
        return self.checked.target.path

    @property
    def skipped(self) -> bool:
        return self.action == "skip"


@dataclass(frozen=True)
class Outcome:
    path: str
    action: str
    done: bool
    detail: str  # what happened, or why not
    notes: tuple[str, ...] = ()


def run_steps(steps: Sequence[Step], act: Callable[[Step], Outcome]) -> list[Outcome]:
    """`act` on each planned step in turn; a skipped step is reported as such. Ctrl-C and SIGTERM
    stop the run between files, never inside one (`stop_between_files`)."""
    outcomes = []
    with stop_between_files() as stop:
        for step in steps:
            stop.check()
            if step.skipped:
                outcomes.append(Outcome(step.path, "skip", False, step.detail))
                continue
            outcomes.append(act(step))
        stop.check()
    return outcomes
