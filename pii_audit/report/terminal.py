"""The terminal report (rich): headline, ranked files, folders, then what was not scanned."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from pii_audit.model import AuditRun
from pii_audit.paths import display_path
from pii_audit.report.view import ReportView, from_run

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


def render(run: AuditRun | ReportView, console: Console, top: int = 25, show_all: bool = False) -> None:
    """The same report from a fresh run or from a saved JSON report (`pii-audit report`)."""
    view = _view(run)
    console.print(headline(view))
    ranked = [e for e in view.scanned if show_all or e.risk_score > 0]
    table = Table(title="Files ranked by exposure (1 = fix first)", title_justify="left", expand=False)
    table.add_column("#", justify="right")
    table.add_column("severity")
    table.add_column("score", justify="right")
    table.add_column("people", justify="right")
    table.add_column("file", overflow="fold")
    table.add_column("why", overflow="fold")
    for e in ranked[:top]:
        table.add_row(
            str(e.rank),
            Text(e.severity, style=COLOURS[e.severity]),
            f"{e.risk_score:.0f}",
            str(e.exposed_persons),
            Text(display_path(e.path)),  # Text, not str: a file name must never be read as rich markup
            Text("; ".join(e.reasons[:3])),
        )
    if ranked:
        console.print(table)
        if len(ranked) > top:
            console.print(f"… and {len(ranked) - top} more files with findings (--top N, or --format json)")
    else:
        console.print("No personal data found in the scanned files.")
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
