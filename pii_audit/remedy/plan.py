"""A plan: one step per target, the action or why the file is left alone. Printing a plan changes
nothing; applying it gives one outcome per step."""

from __future__ import annotations

from dataclasses import dataclass

from pii_audit.remedy.guard import Checked


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
