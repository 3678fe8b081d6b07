"""The terminal report (rich): headline, PIPA categories, ranked files (or a table per owner or
folder), folders, then what was not scanned."""

from __future__ import annotations

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from pii_audit import reasons as R
from pii_audit.i18n import DEFAULT, Translator, translator
from pii_audit.i18n import terms as T
from pii_audit.i18n.status_reasons import say
from pii_audit.model import Access, Audience, AuditRun
from pii_audit.paths import display_path
from pii_audit.reach import action_words, audience_reason
from pii_audit.report.grouping import GroupBy
from pii_audit.report.owners import by_folder, by_owner, owner_name
from pii_audit.report.view import FileView, ReportView, from_run

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


def _files_table(title: str, files: list[FileView], tr: Translator, actions: bool = False) -> Table:
    table = Table(title=Text(title), title_justify="left", expand=False)  # Text: a name is never markup
    table.add_column("#", justify="right")
    table.add_column(tr.gettext("severity"))
    table.add_column(tr.gettext("score"), justify="right")
    table.add_column(tr.gettext("people"), justify="right")
    table.add_column(tr.gettext("file"), overflow="fold")
    table.add_column(tr.gettext("why"), overflow="fold")
    if actions:
        table.add_column(tr.gettext("do"), overflow="fold")
    for e in files:
        row: list[str | Text] = [
            str(e.rank),
            Text(T.severity(tr, e.severity), style=COLOURS[e.severity]),
            f"{e.risk_score:.0f}",
            tr.number(e.exposed_persons),
            Text(display_path(e.path)),  # Text, not str: a file name must never be read as rich markup
            Text("; ".join(_why(e))),
        ]
        if actions:
            row.append(Text(action_words(e.actions, tr)))
        table.add_row(*row)
    return table


def _why(e: FileView) -> list[str]:
    """The first three reasons; who can read the file among them even when it comes later."""
    why = list(e.reasons[:3])
    if e.reason_codes and len(e.reason_codes) == len(e.reasons):
        at = next((i for i, r in enumerate(e.reason_codes) if r.code == R.AUDIENCE), None)
        if at is not None and at >= 3:
            why = [*why[:2], e.reasons[at]]
        return why
    # a report without codes: its reasons are English words
    access = Access(e.owner, Audience(e.audience), e.readers, e.access_basis, e.access_inherited)
    audience = R.render(audience_reason(access), translator(DEFAULT))
    if audience in e.reasons and audience not in why:
        why = [*why[:2], audience]
    return why


def render(
    run: AuditRun | ReportView,
    console: Console,
    top: int = 25,
    show_all: bool = False,
    group_by: GroupBy = GroupBy.none,
    lang: str = DEFAULT,
) -> None:
    """The same report from a fresh run or from a saved JSON report (`pii-audit report`). `group_by`
    owner or folder: a table per group (the group with the worst file first), `top` files each."""
    view = _view(run, lang)
    tr = view.tr
    console.print(headline(view))
    legal_line = categories(view)
    if legal_line is not None:
        console.print(legal_line)
    ranked = [e for e in view.scanned if show_all or e.risk_score > 0]
    if not ranked:
        console.print(tr.gettext("No personal data found in the scanned files."))
    elif group_by is GroupBy.none:
        console.print(_files_table(tr.gettext("Files ranked by exposure (1 = fix first)"), ranked[:top], tr))
        if len(ranked) > top:
            console.print(
                tr.gettext("… and {n} more files with findings (--top N, or --format json)").format(
                    n=tr.number(len(ranked) - top)
                )
            )
    else:
        owners = group_by is GroupBy.owner
        for group in by_owner(view) if owners else by_folder(view):
            name = owner_name(group.name, tr) if owners else display_path(group.name)
            title = (
                tr.gettext("Owner {name}: {files} files, {people} exposed people")
                if owners
                else tr.gettext("Folder {name}: {files} files, {people} exposed people")
            ).format(name=name, files=tr.number(len(group.files)), people=tr.number(group.exposed_people))
            console.print(_files_table(title, list(group.files[:top]), tr, actions=True))
            if len(group.files) > top:
                more = (
                    tr.gettext("… and {n} more files of this owner (--top N)")
                    if owners
                    else tr.gettext("… and {n} more files of this folder (--top N)")
                )
                console.print(more.format(n=tr.number(len(group.files) - top)))
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
            nt.add_row(T.status(tr, e.status), Text(display_path(e.path)), Text(say(e.reason, tr)))
        console.print(Group(nt))
