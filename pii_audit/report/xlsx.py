"""The XLSX report (openpyxl): Summary with charts, ranked Files, Folders, Owners, Findings, Not
scanned; and an owner's worklist (`pii-audit report --worklists`).

Cells holding file names or detected values are always stored as text, never as formulas, and
characters XML cannot carry are replaced: names and values are attacker-controlled.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from pii_audit.paths import display_path
from pii_audit.reach import action_words
from pii_audit.report.csv_ import finding_rows
from pii_audit.report.owners import Group, by_owner
from pii_audit.report.view import ReportView

FILLS = {  # background, font
    "critical": ("C00000", "FFFFFF"),
    "high": ("FF6666", "000000"),
    "medium": ("FFD966", "000000"),
    "low": ("BDD7EE", "000000"),
    "none": ("F2F2F2", "595959"),
}
HEADER_FILL = PatternFill(fill_type="solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
MAX_WIDTH = 80


def _clean(value: object) -> object:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def _append(ws: Worksheet, row: Sequence[object]) -> None:
    ws.append([_clean(v) for v in row])
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":  # openpyxl reads a leading "=" as a formula; ours are always text
            cell.data_type = "s"


def _table(ws: Worksheet, rows: Iterable[Sequence[object]], widths: dict[str, int] | None = None) -> None:
    """Header row, data rows, autofilter, frozen header, column widths from the content."""
    for row in rows:
        _append(ws, row)
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    for i, column in enumerate(ws.iter_cols(min_row=1, max_row=min(ws.max_row, 500)), start=1):
        letter = get_column_letter(i)
        longest = max((len(str(c.value)) for c in column if c.value is not None), default=8)
        ws.column_dimensions[letter].width = min(MAX_WIDTH, max(6, longest + 2))
    for name, width in (widths or {}).items():
        col = next((c for c in ws[1] if c.value == name), None)
        if col is not None:
            ws.column_dimensions[col.column_letter].width = width


def _paint_severity(ws: Worksheet, column: str = "severity") -> None:
    idx = next((c.column for c in ws[1] if c.value == column), None)
    if idx is None:
        return
    for (cell,) in ws.iter_rows(min_row=2, min_col=idx, max_col=idx):
        colours = FILLS.get(str(cell.value))
        if colours:
            cell.fill = PatternFill(fill_type="solid", fgColor=colours[0])
            cell.font = Font(color=colours[1], bold=cell.value in ("critical", "high"))


def _summary(ws: Worksheet, view: ReportView) -> None:
    ws["A1"] = "pii-audit report"
    ws["A1"].font = Font(bold=True, size=14)
    headline = [
        ("Distinct people exposed", view.distinct_exposed),
        ("Files exposing people", view.files_at_risk),
        ("People with personal data", view.distinct_persons),
        ("Files seen", view.files_seen),
        ("Files scanned", view.files_scanned),
        ("Files skipped", view.files_skipped),
        ("Files failed", view.files_failed),
        ("Bytes scanned", view.bytes_scanned),
        ("Roots", ", ".join(view.roots)),
        ("Started", view.started),
        ("Finished", view.finished),
        ("pii-audit version", view.tool_version),
    ]
    if view.revealed:
        headline.append(("WARNING", "this workbook holds raw personal data (--reveal)"))
    for label, value in headline:
        _append(ws, [label, value])
        ws.cell(ws.max_row, 1).font = Font(bold=True)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["D"].width = 30

    # Chart data sits in columns D:E beside the headline, so the charts reference real cells.
    ws["D3"], ws["E3"] = "Severity", "Files"
    sev = view.severity_counts()
    for i, (name, n) in enumerate(sev.items(), start=4):
        ws.cell(i, 4, name).fill = PatternFill(fill_type="solid", fgColor=FILLS[name][0])
        ws.cell(i, 5, n)
    chart = BarChart()
    chart.type, chart.title, chart.legend = "col", "Scanned files by severity", None
    chart.y_axis.title = "files"
    chart.add_data(Reference(ws, min_col=5, min_row=3, max_row=3 + len(sev)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=4, min_row=4, max_row=3 + len(sev)))
    chart.height, chart.width = 7.5, 15
    ws.add_chart(chart, "G3")

    top = view.top_folders(10)
    first = 4 + len(sev) + 2
    ws.cell(first, 4, "Folder"), ws.cell(first, 5, "Exposed people")
    for i, folder in enumerate(top, start=first + 1):
        _append_at(ws, i, 4, display_path(folder.path))
        ws.cell(i, 5, folder.persons)
    if top:
        fchart = BarChart()
        fchart.type, fchart.title, fchart.legend = "bar", "Top folders by exposed people", None
        fchart.add_data(Reference(ws, min_col=5, min_row=first, max_row=first + len(top)), titles_from_data=True)
        fchart.set_categories(Reference(ws, min_col=4, min_row=first + 1, max_row=first + len(top)))
        fchart.height, fchart.width = 7.5, 15
        ws.add_chart(fchart, "G19")
    for cell in (ws["D3"], ws["E3"], ws.cell(first, 4), ws.cell(first, 5)):
        cell.font = Font(bold=True)


def _append_at(ws: Worksheet, row: int, col: int, value: str) -> None:
    cell = ws.cell(row, col, _clean(value))
    if cell.data_type == "f":
        cell.data_type = "s"


def render(view: ReportView) -> bytes:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Summary"
    _summary(summary, view)

    files = wb.create_sheet("Files")
    types = view.entity_types()
    head = ["rank", "path", "severity", "risk_score", "exposed", "complete", "persons", "records", "reasons"]
    access = ["owner", "audience", "readers", "modified", "actions"]
    rows: list[Sequence[object]] = [[*head, *access, "format", "size", *types]]
    for f in view.scanned:
        rows.append(
            [
                f.rank,
                display_path(f.path),
                f.severity,
                f.risk_score,
                f.exposed_persons,
                f.complete_persons,
                f.persons,
                f.records,
                "; ".join(f.reasons),
                f.owner or "",
                f.audience,
                "; ".join(f.readers),
                f.modified or "",
                action_words(f.actions),
                f.format,
                f.size,
                *(f.entity_counts.get(t, 0) for t in types),
            ]
        )
    _table(files, rows, widths={"reasons": 70})
    _paint_severity(files)
    for (cell,) in files.iter_rows(min_row=2, min_col=9, max_col=9):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    folders = wb.create_sheet("Folders")
    _table(
        folders,
        [["folder", "severity", "risk_score", "exposed people", "files"]]
        + [[display_path(f.path), f.severity, f.risk_score, f.persons, f.files] for f in view.folders],
    )
    _paint_severity(folders)

    owners = wb.create_sheet("Owners")
    _table(
        owners,
        [["owner", "files", "exposed people", "worst file", "worst severity", "suggested actions"]]
        + [
            [g.name, len(g.files), g.exposed_people, display_path(g.worst.path), g.worst.severity, g.actions_in_words()]
            for g in by_owner(view)
        ],
        widths={"suggested actions": 60},
    )
    _paint_severity(owners, "worst severity")

    _table(wb.create_sheet("Findings"), finding_rows(view))
    _table(
        wb.create_sheet("Not scanned"),
        [["path", "status", "reason"]] + [[display_path(f.path), f.status, f.reason or ""] for f in view.not_scanned],
    )
    wb.properties.creator = "pii-audit"
    wb.properties.title = "pii-audit report"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


WORKLIST_HEAD = (
    "rank",
    "path",
    "severity",
    "exposed people",
    "audience",
    "readers",
    "modified",
    "action",
    "all actions",
    "reasons",
)


def worklist(group: Group) -> bytes:
    """One owner's files, worst first, with what to do about each. No findings: file names, counts
    and reasons only, so it can be mailed to the owner."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Worklist"
    rows: list[Sequence[object]] = [list(WORKLIST_HEAD)]
    for f in group.files:
        rows.append(
            [
                f.rank,
                display_path(f.path),
                f.severity,
                f.exposed_persons,
                f.audience,
                "; ".join(f.readers),
                f.modified or "",
                action_words(f.actions[:1]),
                action_words(f.actions),
                "; ".join(f.reasons),
            ]
        )
    _table(ws, rows, widths={"reasons": 70})
    _paint_severity(ws)
    wb.properties.creator = "pii-audit"
    wb.properties.title = f"pii-audit worklist: {_clean(group.name)}"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
