"""The XLSX report (openpyxl): Summary with charts, ranked Files, Folders, Owners, Findings, Not
scanned; and an owner's worklist (`pii-audit report --worklists`). Sheet names, headers and words in
the report's language; in Korean every cell is set in a font with Hangul, and column widths count a
Hangul character as two.

Cells holding file names or detected values are always stored as text, never as formulas, and
characters XML cannot carry are replaced: names and values are attacker-controlled.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.worksheet import Worksheet

from pii_audit.i18n import DEFAULT, Translator
from pii_audit.i18n import terms as T
from pii_audit.i18n.status_reasons import say
from pii_audit.paths import display_path
from pii_audit.reach import action_words
from pii_audit.reasons import access_words
from pii_audit.report.owners import Group, by_owner, owner_name
from pii_audit.report.view import LOCATION_KEYS, FileView, ReportView

FILLS = {  # background, font
    "critical": ("C00000", "FFFFFF"),
    "high": ("FF6666", "000000"),
    "medium": ("FFD966", "000000"),
    "low": ("BDD7EE", "000000"),
    "none": ("F2F2F2", "595959"),
}
HEADER_FILL = PatternFill(fill_type="solid", fgColor="1F3864")
MAX_WIDTH = 80
HANGUL_FONT = "Malgun Gothic"  # 맑은 고딕: Windows and Office; LibreOffice substitutes Nanum or Noto CJK


class _Book:
    """What every sheet needs: the translator and the font that can show its words."""

    def __init__(self, tr: Translator) -> None:
        self.tr = tr
        self.font_name = None if tr.lang == DEFAULT else HANGUL_FONT

    def _(self, message: str) -> str:
        return self.tr.gettext(message)

    def font(self, **kwargs: object) -> Font:
        return Font(name=self.font_name, **kwargs)

    def workbook(self) -> Workbook:
        wb = Workbook()
        if self.font_name:  # the default font of every cell without a style of its own
            wb._fonts = IndexedList([Font(name=self.font_name, sz=11, family=2)])
        return wb


def _clean(value: object) -> object:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def width(text: str) -> int:
    """Columns a text takes: two for a wide character (Hangul, Hanja, full-width forms), one otherwise."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _append(ws: Worksheet, row: Sequence[object]) -> None:
    ws.append([_clean(v) for v in row])
    for cell in ws[ws.max_row]:
        if cell.data_type == "f":  # openpyxl reads a leading "=" as a formula; ours are always text
            cell.data_type = "s"


def _table(book: _Book, ws: Worksheet, rows: Iterable[Sequence[object]], widths: dict[str, int] | None = None) -> None:
    """Header row, data rows, autofilter, frozen header, column widths from the content."""
    for row in rows:
        _append(ws, row)
    header_font = book.font(bold=True, color="FFFFFF")
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, header_font
    ws.freeze_panes = "A2"
    if ws.max_row > 1:
        ws.auto_filter.ref = ws.dimensions
    for i, column in enumerate(ws.iter_cols(min_row=1, max_row=min(ws.max_row, 500)), start=1):
        letter = get_column_letter(i)
        longest = max((width(str(c.value)) for c in column if c.value is not None), default=8)
        ws.column_dimensions[letter].width = min(MAX_WIDTH, max(6, longest + 2))
    for name, w in (widths or {}).items():
        col = next((c for c in ws[1] if c.value == name), None)
        if col is not None:
            ws.column_dimensions[col.column_letter].width = w


def _paint_severity(book: _Book, ws: Worksheet, column: str) -> None:
    idx = next((c.column for c in ws[1] if c.value == column), None)
    if idx is None:
        return
    by_word = {T.severity(book.tr, name): (name, colours) for name, colours in FILLS.items()}
    for (cell,) in ws.iter_rows(min_row=2, min_col=idx, max_col=idx):
        found = by_word.get(str(cell.value))
        if found:
            name, colours = found
            cell.fill = PatternFill(fill_type="solid", fgColor=colours[0])
            cell.font = book.font(color=colours[1], bold=name in ("critical", "high"))


def _summary(book: _Book, ws: Worksheet, view: ReportView) -> None:
    _, tr = book._, book.tr
    ws["A1"] = _("pii-audit report")
    ws["A1"].font = book.font(bold=True, size=14)
    headline: list[tuple[str, object]] = [
        (_("Distinct people exposed"), view.distinct_exposed),
        (_("Files exposing people"), view.files_at_risk),
        (_("People with personal data"), view.distinct_persons),
        (_("Files seen"), view.files_seen),
        (_("Files scanned"), view.files_scanned),
        (_("Files skipped"), view.files_skipped),
        (_("Files failed"), view.files_failed),
        (_("Bytes scanned"), view.bytes_scanned),
        *(
            (_("Files with {category}").format(category=T.legal_category(tr, k)), n)
            for k, n in view.category_counts().items()
        ),
        (_("Roots"), ", ".join(view.roots)),
        (_("Started"), tr.datetime(view.started)),
        (_("Finished"), tr.datetime(view.finished)),
        (_("pii-audit version"), view.tool_version),
    ]
    if view.revealed:
        headline.append((_("WARNING"), _("this workbook holds raw personal data (--reveal)")))
    bold = book.font(bold=True)
    for label, value in headline:
        _append(ws, [label, value])
        ws.cell(ws.max_row, 1).font = bold
        if isinstance(value, int):
            ws.cell(ws.max_row, 2).number_format = "#,##0"
    ws.column_dimensions["A"].width = max(28, *(width(label) + 2 for label, _v in headline))
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["D"].width = 30

    # Chart data sits in columns D:E beside the headline, so the charts reference real cells.
    ws["D3"], ws["E3"] = _("Severity"), _("Files")
    sev = view.severity_counts()
    for i, (name, n) in enumerate(sev.items(), start=4):
        ws.cell(i, 4, T.severity(tr, name)).fill = PatternFill(fill_type="solid", fgColor=FILLS[name][0])
        ws.cell(i, 5, n)
    chart = BarChart()
    chart.type, chart.title, chart.legend = "col", _("Scanned files by severity"), None
    chart.y_axis.title = _("files")
    chart.add_data(Reference(ws, min_col=5, min_row=3, max_row=3 + len(sev)), titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=4, min_row=4, max_row=3 + len(sev)))
    chart.height, chart.width = 7.5, 15
    ws.add_chart(chart, "G3")

    top = view.top_folders(10)
    first = 4 + len(sev) + 2
    ws.cell(first, 4, _("Folder")), ws.cell(first, 5, _("Exposed people"))
    for i, folder in enumerate(top, start=first + 1):
        _append_at(ws, i, 4, display_path(folder.path))
        ws.cell(i, 5, folder.persons)
    if top:
        fchart = BarChart()
        fchart.type, fchart.title, fchart.legend = "bar", _("Top folders by exposed people"), None
        fchart.add_data(Reference(ws, min_col=5, min_row=first, max_row=first + len(top)), titles_from_data=True)
        fchart.set_categories(Reference(ws, min_col=4, min_row=first + 1, max_row=first + len(top)))
        fchart.height, fchart.width = 7.5, 15
        ws.add_chart(fchart, "G19")
    for cell in (ws["D3"], ws["E3"], ws.cell(first, 4), ws.cell(first, 5)):
        cell.font = bold


def _append_at(ws: Worksheet, row: int, col: int, value: str) -> None:
    cell = ws.cell(row, col, _clean(value))
    if cell.data_type == "f":
        cell.data_type = "s"


def _categories(book: _Book, f: FileView) -> str:
    return ", ".join(T.legal_category(book.tr, c) for c in f.legal_categories)


def _finding_rows(book: _Book, view: ReportView) -> Iterable[list[object]]:
    _, tr = book._, book.tr
    locations = [_("line"), _("page"), _("sheet"), _("cell"), _("start"), _("end")]
    reveal = view.revealed
    yield [
        _("rank"), _("path"), _("entity_type"), _("legal_category"), _("score"), _("masked"),
        *locations, *([_("text")] if reveal else []),
    ]  # fmt: skip
    for f in view.files:
        for x in f.findings:
            loc = x.location.to_dict()
            row: list[object] = [
                f.rank,
                display_path(f.path),
                T.entity(tr, x.entity_type),
                T.legal_category(tr, x.legal_category),
                x.score,
                x.masked,
            ]
            row += ["" if loc[k] is None else loc[k] for k in LOCATION_KEYS]
            if reveal:
                row.append(x.text or "")
            yield row


def render(view: ReportView) -> bytes:
    book = _Book(view.tr)
    _, tr = book._, book.tr
    wb = book.workbook()
    summary = wb.active
    assert summary is not None
    summary.title = _("Summary")
    _summary(book, summary, view)

    files = wb.create_sheet(_("Files"))
    types = view.entity_types()
    head = [_("rank"), _("path"), _("severity"), _("risk_score"), _("exposed"), _("complete"), _("persons")]
    head += [_("records"), _("reasons"), _("PIPA categories")]
    access = [_("owner"), _("audience"), _("readers"), _("modified"), _("actions")]
    rows: list[Sequence[object]] = [[*head, *access, _("format"), _("size"), *(T.entity(tr, t) for t in types)]]
    for f in view.scanned:
        rows.append(
            [
                f.rank,
                display_path(f.path),
                T.severity(tr, f.severity),
                f.risk_score,
                f.exposed_persons,
                f.complete_persons,
                f.persons,
                f.records,
                "; ".join(f.reasons),
                _categories(book, f),
                f.owner or "",
                T.audience(tr, f.audience),
                access_words("; ".join(f.readers), tr),
                tr.datetime(f.modified) if f.modified else "",
                action_words(f.actions, tr),
                f.format,
                f.size,
                *(f.entity_counts.get(t, 0) for t in types),
            ]
        )
    _table(book, files, rows, widths={_("reasons"): 70})
    _paint_severity(book, files, _("severity"))
    for (cell,) in files.iter_rows(min_row=2, min_col=9, max_col=9):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    folders = wb.create_sheet(_("Folders"))
    _table(
        book,
        folders,
        [[_("folder"), _("severity"), _("risk_score"), _("exposed people"), _("files")]]
        + [[display_path(f.path), T.severity(tr, f.severity), f.risk_score, f.persons, f.files] for f in view.folders],
    )
    _paint_severity(book, folders, _("severity"))

    owners = wb.create_sheet(_("Owners"))
    _table(
        book,
        owners,
        [[_("owner"), _("files"), _("exposed people"), _("worst file"), _("worst severity"), _("suggested actions")]]
        + [
            [
                owner_name(g.name, tr),
                len(g.files),
                g.exposed_people,
                display_path(g.worst.path),
                T.severity(tr, g.worst.severity),
                g.actions_in_words(tr),
            ]
            for g in by_owner(view)
        ],
        widths={_("suggested actions"): 60},
    )
    _paint_severity(book, owners, _("worst severity"))

    _table(book, wb.create_sheet(_("Findings")), _finding_rows(book, view))
    _table(
        book,
        wb.create_sheet(_("Not scanned")),
        [[_("path"), _("status"), _("reason")]]
        + [[display_path(f.path), T.status(tr, f.status), say(f.reason, tr)] for f in view.not_scanned],
    )
    wb.properties.creator = "pii-audit"
    wb.properties.title = _("pii-audit report")
    wb.properties.language = tr.lang
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def worklist(group: Group, tr: Translator | None = None) -> bytes:
    """One owner's files, worst first, with what to do about each. No findings: file names, counts
    and reasons only, so it can be mailed to the owner."""
    from pii_audit.i18n import translator

    book = _Book(tr or translator(DEFAULT))
    _, tr = book._, book.tr
    wb = book.workbook()
    ws = wb.active
    assert ws is not None
    ws.title = _("Worklist")
    head = [_("rank"), _("path"), _("severity"), _("exposed people"), _("audience"), _("readers"), _("modified")]
    rows: list[Sequence[object]] = [[*head, _("action"), _("all actions"), _("reasons")]]
    for f in group.files:
        rows.append(
            [
                f.rank,
                display_path(f.path),
                T.severity(tr, f.severity),
                f.exposed_persons,
                T.audience(tr, f.audience),
                access_words("; ".join(f.readers), tr),
                tr.datetime(f.modified) if f.modified else "",
                action_words(f.actions[:1], tr),
                action_words(f.actions, tr),
                "; ".join(f.reasons),
            ]
        )
    _table(book, ws, rows, widths={_("reasons"): 70})
    _paint_severity(book, ws, _("severity"))
    wb.properties.creator = "pii-audit"
    wb.properties.title = _("pii-audit worklist: {owner}").format(owner=_clean(owner_name(group.name, tr)))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
