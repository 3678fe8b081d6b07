"""`pii-audit scan`: walk, detect, rank, report."""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pii_audit.audit import Auditor
from pii_audit.cli.app import EXIT_CLEAN, EXIT_FOUND, EXIT_USAGE, app
from pii_audit.cli.output import write_private
from pii_audit.cli.progress import BarProgress
from pii_audit.errors import PiiAuditError, UsageError
from pii_audit.fingerprint import ephemeral_key
from pii_audit.model import AuditRun, severity_rank
from pii_audit.options import AuditOptions
from pii_audit.report import json as json_report
from pii_audit.report import terminal

KEY_ENV = "PII_AUDIT_KEY"


class OutputFormat(str, Enum):
    terminal = "terminal"
    json = "json"


class FailOn(str, Enum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    never = "never"


def _key() -> bytes:
    raw = os.environ.get(KEY_ENV)
    if raw:
        return raw.encode("utf-8")
    return ephemeral_key()


def _fails(run: AuditRun, fail_on: FailOn) -> bool:
    if fail_on is FailOn.never:
        return False
    floor = severity_rank(fail_on.value)
    return any(severity_rank(e.severity) >= floor for e in run.files)


@app.command()
def scan(
    paths: Annotated[list[Path], typer.Argument(help="Files or directories to scan.", show_default=False)],
    output_format: Annotated[
        OutputFormat, typer.Option("--format", "-f", help="Report format.")
    ] = OutputFormat.terminal,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Write the report to this file (created 0600) instead of stdout."),
    ] = None,
    reveal: Annotated[
        bool,
        typer.Option(
            "--reveal", help="Include raw values in the report. Off by default: reports show masked values only."
        ),
    ] = False,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include",
            help="Only scan paths matching this glob (repeatable; matched against the relative path and the name).",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Skip paths matching this glob (repeatable).")
    ] = None,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Exit 1 when a file reaches this severity.")
    ] = FailOn.high,
    top: Annotated[int, typer.Option("--top", min=1, help="Files to list in the terminal report.")] = 25,
    max_file_mb: Annotated[
        float, typer.Option("--max-file-mb", min=0.001, help="Skip files larger than this.")
    ] = 200.0,
    no_english_model: Annotated[
        bool, typer.Option("--no-english-model", help="Do not load the English NER model.")
    ] = False,
) -> None:
    """Scan files and directories, and report the files that expose people, worst first."""
    err = Console(stderr=True)
    opts = AuditOptions(
        include=tuple(include or ()),
        exclude=tuple(exclude or ()),
        fail_on=fail_on.value,
        reveal=reveal,
        max_file_bytes=int(max_file_mb * 1024 * 1024),
        english_model=None if no_english_model else AuditOptions.english_model,
        key=_key(),
    )
    for p in paths:
        if not p.exists() and not p.is_symlink():
            _usage(err, f"no such file or directory: {p}")
    if reveal:
        err.print("[yellow]warning:[/] --reveal puts raw personal data into the report; handle it as the data itself.")
    try:
        run = Auditor(opts).run([str(p) for p in paths], progress=BarProgress(err))
    except UsageError as exc:
        _usage(err, str(exc))
    except PiiAuditError as exc:
        err.print(f"[red]error:[/] {exc}")
        raise typer.Exit(EXIT_USAGE) from None
    for notice in run.notices:
        err.print(f"[yellow]notice:[/] {notice}")
    if output_format is OutputFormat.json:
        text = json_report.render(run)
        if output:
            write_private(output, text)
        else:
            sys.stdout.write(text)
    else:
        if output:
            with Console(file=open(os.devnull, "w"), record=True, width=160) as rec:
                terminal.render(run, rec, top=top)
                write_private(output, rec.export_text())
        else:
            terminal.render(run, Console(), top=top)
    raise typer.Exit(EXIT_FOUND if _fails(run, fail_on) else EXIT_CLEAN)


def _usage(err: Console, message: str) -> None:
    err.print(f"[red]error:[/] {message}")
    raise typer.Exit(EXIT_USAGE)
