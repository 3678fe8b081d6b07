"""Report files that `scan` and `report` both write (--csv/--xlsx/--html/--sarif), with shared options."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pii_audit.cli.console import StderrConsole, escape
from pii_audit.cli.output import write_private_bytes
from pii_audit.cli.root import EXIT_USAGE
from pii_audit.i18n import Lang
from pii_audit.report import formats
from pii_audit.report.formats import FileFormat
from pii_audit.report.grouping import GroupBy

if TYPE_CHECKING:  # the view is built only when a report file is asked for
    from pii_audit.report.view import ReportView

CsvOption = Annotated[
    Path | None,
    typer.Option("--csv", help="Also write a CSV: a row per file (with --findings: a row per finding). Created 0600."),
]
XlsxOption = Annotated[
    Path | None,
    typer.Option(
        "--xlsx", help="Also write an Excel workbook: summary with charts, files, folders, findings. Created 0600."
    ),
]
HtmlOption = Annotated[
    Path | None, typer.Option("--html", help="Also write a self-contained HTML report (no scripts). Created 0600.")
]
SarifOption = Annotated[
    Path | None, typer.Option("--sarif", help="Also write SARIF 2.1.0 for code-scanning dashboards. Created 0600.")
]
LangOption = Annotated[
    Lang | None,
    typer.Option(
        "--lang",
        help="Language of the text people read in the reports (JSON keys, codes and enum values stay English). "
        "Default: PII_AUDIT_LANG, else `lang` in the config, else the locale (LANG=ko_KR.UTF-8 gives ko).",
        show_default=False,
    ),
]
FindingsOption = Annotated[
    bool, typer.Option("--findings", help="CSV: a row per finding (masked values) instead of a row per file.")
]

GroupByOption = Annotated[
    GroupBy,
    typer.Option(
        "--group-by", help="Terminal: one ranked table (none), or a table per file owner or per folder, with actions."
    ),
]
WorklistsOption = Annotated[
    Path | None,
    typer.Option(
        "--worklists",
        metavar="DIR",
        help="Also write one small masked XLSX per file owner into DIR (created 0700): their files worst first, "
        "with the action for each. Files created 0600.",
    ),
]


def targets(csv: Path | None, xlsx: Path | None, html: Path | None, sarif: Path | None) -> dict[FileFormat, Path]:
    given = {FileFormat.csv: csv, FileFormat.xlsx: xlsx, FileFormat.html: html, FileFormat.sarif: sarif}
    return {fmt: path for fmt, path in given.items() if path is not None}


def check_writable(paths: list[Path], err: StderrConsole) -> None:
    """Fail before a long scan, not after it, when a report could not be written."""
    seen: set[Path] = set()
    for p in paths:
        resolved = p.resolve()
        if resolved in seen:
            _usage(err, f"two reports would be written to the same file: {p}")
        seen.add(resolved)
        parent = resolved.parent
        if p.is_dir():
            _usage(err, f"report path is a directory: {p}")
        if not parent.is_dir():
            _usage(err, f"no such directory for the report: {parent}")
        if not os.access(parent, os.W_OK):
            _usage(err, f"cannot write in {parent}")


def write_all(view: ReportView, files: dict[FileFormat, Path], err: StderrConsole, findings: bool = False) -> None:
    for fmt, path in files.items():
        try:
            write_private_bytes(path, formats.render(fmt, view, findings=findings))
        except OSError as exc:
            _usage(err, f"cannot write {path}: {exc.strerror or type(exc).__name__}")
        wrote = view.tr.gettext("wrote {format} report: {path}").format(format=fmt.value, path=path)
        err.line(wrote)


def check_worklists(directory: Path | None, err: StderrConsole) -> None:
    if directory is None:
        return
    if directory.exists() and not directory.is_dir():
        _usage(err, f"--worklists needs a directory: {directory}")
    parent = directory.resolve().parent
    if not directory.exists() and not parent.is_dir():
        _usage(err, f"no such directory for the worklists: {parent}")


def write_worklists(view: ReportView, directory: Path, err: StderrConsole) -> None:
    """One workbook per owner of files with personal data (report/owners.py), named after the owner."""
    from pii_audit.report.owners import by_owner, file_name
    from pii_audit.report.xlsx import worklist

    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        taken: set[str] = set()
        groups = by_owner(view)
        for group in groups:
            write_private_bytes(directory / file_name(group.name, taken), worklist(group, view.tr))
    except OSError as exc:
        _usage(err, f"cannot write worklists in {directory}: {exc.strerror or type(exc).__name__}")
    wrote = view.tr.gettext("wrote {n} owner worklists: {path}").format(n=view.tr.number(len(groups)), path=directory)
    err.line(wrote)


def _usage(err: StderrConsole, message: str) -> None:
    err.print(f"[red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_USAGE)
