"""The terminal report (rich): headline, PIPA categories, ranked files, folders, then what was not scanned."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from pii_audit.i18n import DEFAULT
from pii_audit.i18n import terms as T
from pii_audit.model import AuditRun
from pii_audit.paths import display_path
from pii_audit.report.view import ReportView, from_run

COLOURS = {"critical": "bold white on red", "high": "bold red", "medium": "yellow", "low": "cyan", "none": "dim"}


def _view(run: AuditRun | ReportView, lang: str = DEFAULT) -> ReportView:
    return run if isinstance(run, ReportView) else from_run(run, findings=False, lang=lang)


def headline(run: AuditRun | ReportView, lang: str = DEFAULT) -> Text:
    view = _view(run, lang)
    tr, n = view.tr, view.tr.number
    text = Text()
    text.append(
        tr.gettext("{people} distinct people exposed in {files} files").format(
            people=n(view.distinct_exposed), files=n(view.files_at_risk)
        ),
        style="bold",
    )
    text.append(
        tr.gettext(
            "  ({seen} files seen: {scanned} scanned, {skipped} skipped, {failed} failed; "
            "{persons} people with personal data)"
        ).format(
            seen=n(view.files_seen),
            scanned=n(view.files_scanned),
            skipped=n(view.files_skipped),
            failed=n(view.files_failed),
            persons=n(view.distinct_persons),
        )
    )
    return text


def categories(view: ReportView) -> Text | None:
    """The PIPA categories of the scanned files in one line, or None when no file holds any."""
    tr = view.tr
    counts = {k: v for k, v in view.category_counts().items() if v}
    if not counts:
        return None
    parts = [
        tr.ngettext("{category} in {n} file", "{category} in {n} files", n).format(
            category=T.legal_category(tr, k), n=tr.number(n)
        )
        for k, n in counts.items()
    ]
    return Text(tr.gettext("PIPA categories: {list}").format(list=tr.gettext(", ").join(parts)))


def render(
    run: AuditRun | ReportView, console: Console, top: int = 25, show_all: bool = False, lang: str = DEFAULT
) -> None:
    """The same report from a fresh run or from a saved JSON report (`pii-audit report`)."""
    view = _view(run, lang)
    tr = view.tr
    console.print(headline(view))
    legal_line = categories(view)
    if legal_line is not None:
        console.print(legal_line)
    ranked = [e for e in view.scanned if show_all or e.risk_score > 0]
    table = Table(title=tr.gettext("Files ranked by exposure (1 = fix first)"), title_justify="left", expand=False)
    table.add_column("#", justify="right")
    table.add_column(tr.gettext("severity"))
    table.add_column(tr.gettext("score"), justify="right")
    table.add_column(tr.gettext("people"), justify="right")
    table.add_column(tr.gettext("file"), overflow="fold")
    table.add_column(tr.gettext("why"), overflow="fold")
    for e in ranked[:top]:
        table.add_row(
            str(e.rank),
            Text(T.severity(tr, e.severity), style=COLOURS[e.severity]),
            f"{e.risk_score:.0f}",
            tr.number(e.exposed_persons),
            Text(display_path(e.path)),  # Text, not str: a file name must never be read as rich markup
            Text("; ".join(e.reasons[:3])),
        )
    if ranked:
        console.print(table)
        if len(ranked) > top:
            console.print(
                tr.gettext("… and {n} more files with findings (--top N, or --format json)").format(
                    n=tr.number(len(ranked) - top)
                )
            )
    else:
        console.print(tr.gettext("No personal data found in the scanned files."))
    worst_folders = [f for f in view.folders if f.risk_score > 0][:5]
    if worst_folders:
        ft = Table(title=tr.gettext("Folders"), title_justify="left")
        ft.add_column(tr.gettext("folder"))
        ft.add_column(tr.gettext("severity"))
        for col in (tr.gettext("score"), tr.gettext("people"), tr.gettext("files")):
            ft.add_column(col, justify="right")
        for f in worst_folders:
            ft.add_row(
                Text(display_path(f.path)),
                Text(T.severity(tr, f.severity), style=COLOURS[f.severity]),
                f"{f.risk_score:.0f}",
                tr.number(f.persons),
                tr.number(f.files),
            )
        console.print(ft)
    not_scanned = view.not_scanned
    if not_scanned:
        nt = Table(title=tr.gettext("Not scanned"), title_justify="left")
        nt.add_column(tr.gettext("status"))
        nt.add_column(tr.gettext("file"), overflow="fold")
        nt.add_column(tr.gettext("reason"), overflow="fold")
        for e in not_scanned:
            nt.add_row(T.status(tr, e.status), Text(display_path(e.path)), Text(e.reason or ""))
        console.print(Group(nt))
