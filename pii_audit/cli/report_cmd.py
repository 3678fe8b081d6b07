"""`pii-audit report`: re-render a saved JSON report (CSV, XLSX, HTML, SARIF, terminal) without rescanning."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pii_audit.cli.console import StderrConsole, escape
from pii_audit.cli.report_files import (
    CsvOption,
    FindingsOption,
    GroupByOption,
    HtmlOption,
    LangOption,
    SarifOption,
    WorklistsOption,
    XlsxOption,
    check_worklists,
    check_writable,
    targets,
    write_all,
    write_worklists,
)
from pii_audit.cli.root import EXIT_CLEAN, EXIT_USAGE, app
from pii_audit.i18n import default_lang
from pii_audit.report import terminal
from pii_audit.report.grouping import GroupBy
from pii_audit.report.load import load
from pii_audit.report.view import NotAReport


@app.command()
def report(
    run_json: Annotated[
        Path,
        typer.Argument(
            metavar="RUN.json",
            help="A JSON report from `scan --format json` or `scan --json FILE`.",
            show_default=False,
        ),
    ],
    csv: CsvOption = None,
    xlsx: XlsxOption = None,
    html: HtmlOption = None,
    sarif: SarifOption = None,
    findings: FindingsOption = False,
    reveal: Annotated[
        bool,
        typer.Option(
            "--reveal",
            help="Carry raw values from a report written with --reveal into the new files. Off: masked only.",
        ),
    ] = False,
    top: Annotated[int, typer.Option("--top", min=1, help="Files to list in the terminal report.")] = 25,
    group_by: GroupByOption = GroupBy.none,
    worklists: WorklistsOption = None,
    lang: LangOption = None,
) -> None:
    """Re-render a saved JSON report as CSV, XLSX, HTML or SARIF, or owner worklists (the terminal report when no
    file is given)."""
    err = StderrConsole()
    files = targets(csv, xlsx, html, sarif)
    check_writable(list(files.values()), err)
    check_worklists(worklists, err)
    try:
        view = load(run_json, reveal=reveal, lang=lang.value if lang else default_lang())
    except NotAReport as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_USAGE) from None
    if reveal:
        if view.revealed:
            warning = view.tr.gettext("--reveal puts raw personal data into the report; handle it as the data itself.")
            err.print(f"[yellow]warning:[/] {escape(warning)}")
        else:
            notice = view.tr.gettext("the JSON report holds no raw values (it was written without --reveal).")
            err.print(f"[yellow]notice:[/] {escape(notice)}")
    if files:
        write_all(view, files, err, findings=findings)
    if worklists is not None:
        write_worklists(view, worklists, err)  # file names, counts and reasons: never a finding's value
    if not files and worklists is None:
        from rich.console import Console

        terminal.render(view, Console(), top=top, group_by=group_by)
    raise typer.Exit(EXIT_CLEAN)
