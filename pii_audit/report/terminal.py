"""The terminal report (rich): headline, ranked files (or a table per owner or folder), folders,
then what was not scanned."""

from __future__ import annotations

from enum import Enum

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from pii_audit.model import Access, Audience, AuditRun
from pii_audit.paths import display_path
from pii_audit.reach import action_words, audience_reason
from pii_audit.report.owners import by_folder, by_owner
from pii_audit.report.view import FileView, ReportView, from_run


class GroupBy(str, Enum):
    """How the terminal lists files: one ranked table, or a table per owner or per folder."""

    none = "none"
    owner = "owner"
    folder = "folder"


COLOURS = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "cyan", "none": "dim"}


def _view(run: AuditRun | ReportView) -> ReportView:
    return run if isinstance(run, ReportView) else from_run(run, findings=False)


def headline(run: AuditRun | ReportView) -> Text:
    view = _view(run)
    text = Text()
    text.append(f"{view.distinct_exposed} distinct people exposed in {view.files_at_risk} files", style="bold")
    text.append(
        f"  ({view.files_seen} files seen: {view.files_scanned} scanned, {view.files_skipped} skipped, "
        f"{view.files_failed} failed; {view.distinct_persons} people with personal data)"
    )
    return text


def _files_table(title: str, files: list[FileView], actions: bool = False) -> Table:
    table = Table(title=title, title_justify="left", expand=False)
    table.add_column("#", justify="right")
    table.add_column("severity")
    table.add_column("score", justify="right")
    table.add_column("people", justify="right")
    table.add_column("file", overflow="fold")
    table.add_column("why", overflow="fold")
    if actions:
        table.add_column("do", overflow="fold")
    for e in files:
        row: list[str | Text] = [
            str(e.rank),
            Text(e.severity, style=COLOURS[e.severity]),
            f"{e.risk_score:.0f}",
            str(e.exposed_persons),
            Text(display_path(e.path)),  # Text, not str: a file name must never be read as rich markup
            Text("; ".join(_why(e))),
        ]
        if actions:
            row.append(Text(action_words(e.actions)))
        table.add_row(*row)
    return table


def _why(e: FileView) -> list[str]:
    """The first three reasons; who can read the file among them even when it comes later."""
    access = Access(e.owner, Audience(e.audience), e.readers, e.access_basis, e.access_inherited)
    audience = audience_reason(access)
    why = list(e.reasons[:3])
    if audience in e.reasons and audience not in why:
        why = [*why[:2], audience]
    return why


def render(
    run: AuditRun | ReportView,
    console: Console,
    top: int = 25,
    show_all: bool = False,
    group_by: GroupBy = GroupBy.none,
) -> None:
    """The same report from a fresh run or from a saved JSON report (`pii-audit report`). `group_by`
    owner or folder: a table per group (the group with the worst file first), `top` files each."""
    view = _view(run)
    console.print(headline(view))
    ranked = [e for e in view.scanned if show_all or e.risk_score > 0]
    if not ranked:
        console.print("No personal data found in the scanned files.")
    elif group_by is GroupBy.none:
        console.print(_files_table("Files ranked by exposure (1 = fix first)", ranked[:top]))
        if len(ranked) > top:
            console.print(f"… and {len(ranked) - top} more files with findings (--top N, or --format json)")
    else:
        label = "Owner" if group_by is GroupBy.owner else "Folder"
        for group in by_owner(view) if group_by is GroupBy.owner else by_folder(view):
            name = group.name if group_by is GroupBy.owner else display_path(group.name)
            title = f"{label} {name}: {len(group.files)} files, {group.exposed_people} exposed people"
            table = _files_table(title, list(group.files[:top]), actions=True)
            table.title = Text(title)  # an owner or folder name is never rich markup
            console.print(table)
            if len(group.files) > top:
                console.print(f"… and {len(group.files) - top} more files of this {label.lower()} (--top N)")
    worst_folders = [f for f in view.folders if f.risk_score > 0][:5]
    if worst_folders:
        ft = Table(title="Folders", title_justify="left")
        for col in ("folder", "severity", "score", "people", "files"):
            ft.add_column(col, justify="right" if col in ("score", "people", "files") else "left")
        for f in worst_folders:
            ft.add_row(
                Text(display_path(f.path)),
                Text(f.severity, style=COLOURS[f.severity]),
                f"{f.risk_score:.0f}",
                str(f.persons),
                str(f.files),
            )
        console.print(ft)
    not_scanned = view.not_scanned
    if not_scanned:
        nt = Table(title="Not scanned", title_justify="left")
        nt.add_column("status")
        nt.add_column("file", overflow="fold")
        nt.add_column("reason", overflow="fold")
        for e in not_scanned:
            nt.add_row(e.status, Text(display_path(e.path)), Text(e.reason or ""))
        console.print(Group(nt))
