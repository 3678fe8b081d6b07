"""`pii-audit scan`: walk, detect, rank, report.

No `from __future__ import annotations` here: Typer reads the command's ~45 annotated parameters
at every start, and string annotations would be compiled and evaluated twice each (3% of a warm
rescan's instructions); written as expressions they are compiled once, into the bytecode."""

import os
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from pii_audit.audit import Auditor
from pii_audit.cache import CacheError, ResultCache, persistent_key
from pii_audit.cli.baseline_cmd import Gate
from pii_audit.cli.config_cmd import AllowlistOption, ConfigOption, settings_for
from pii_audit.cli.console import StderrConsole, escape
from pii_audit.cli.logs import LogLevel
from pii_audit.cli.logs import configure as configure_logging
from pii_audit.cli.output import write_private, write_private_parts, write_stdout_parts
from pii_audit.cli.progress import BarProgress
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
from pii_audit.cli.root import EXIT_USAGE, app
from pii_audit.errors import PiiAuditError, UsageError
from pii_audit.execution import ExecutionOptions, ExecutorKind
from pii_audit.fingerprint import ephemeral_key
from pii_audit.i18n import translator
from pii_audit.interrupt import exit_code as interrupt_exit_code
from pii_audit.interrupt import stop_on_signals
from pii_audit.model import Limits
from pii_audit.options import DEFAULT_FILE_TIMEOUT, DEFAULT_MAX_FINDINGS, AuditOptions
from pii_audit.report.grouping import GroupBy
from pii_audit.source.registry import is_url

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


def _key() -> tuple[bytes, bool]:
    """The fingerprint key and whether it persists across runs: PII_AUDIT_KEY, else the local key
    file (created 0600 on first use; it makes fingerprints, baselines and the cache match across
    runs), else an ephemeral key (no cache then: cached fingerprints would not match)."""
    raw = os.environ.get(KEY_ENV)
    if raw:
        return raw.encode("utf-8"), True
    try:
        return persistent_key(), True
    except (OSError, CacheError):
        return ephemeral_key(), False


@app.command()
def scan(
    ctx: typer.Context,
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, directories or store URLs to scan: smb://user@host[:port]/share/dir, s3://bucket/prefix, "
            "sftp://user@host[:port]/dir (passwords from PII_AUDIT_SMB_PASSWORD, AWS_*, PII_AUDIT_SFTP_PASSWORD).",
            show_default=False,
        ),
    ],
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
    group_by: GroupByOption = GroupBy.none,
    max_file_mb: Annotated[
        float,
        typer.Option(
            "--max-file-mb",
            min=0.001,
            help="Skip larger files that must be loaded whole (CSV, TSV and text stream at any size).",
        ),
    ] = 200.0,
    no_english_model: Annotated[
        bool, typer.Option("--no-english-model", help="Do not load the English NER model.")
    ] = False,
    max_depth: Annotated[
        int, typer.Option("--max-depth", min=0, help="Containers inside containers to open (archives, mail).")
    ] = Limits.max_depth,
    max_members: Annotated[
        int, typer.Option("--max-members", min=1, help="Members of one container (or parts of a document) to open.")
    ] = Limits.max_members,
    max_inflated_mb: Annotated[
        float, typer.Option("--max-inflated-mb", min=0.001, help="Bytes one file may inflate to, in all its members.")
    ] = Limits.max_inflated_bytes / (1024 * 1024),
    max_ratio: Annotated[
        float, typer.Option("--max-ratio", min=1.0, help="Inflated / compressed size of one member (zip bombs).")
    ] = Limits.max_ratio,
    file_timeout: Annotated[
        float,
        typer.Option(
            "--file-timeout",
            min=0.0,
            help="Seconds a file may take per 4 MiB of it (at least once), then it fails (0: no limit).",
        ),
    ] = DEFAULT_FILE_TIMEOUT,
    max_findings: Annotated[
        int,
        typer.Option(
            "--max-findings",
            min=0,
            help="Findings to list per file (0: all). Counts, people and scores always cover every finding.",
        ),
    ] = DEFAULT_MAX_FINDINGS,
    min_confidence: Annotated[
        float,
        typer.Option(
            "--min-confidence",
            min=0.0,
            max=1.0,
            help="Drop findings scored below this (0-1), e.g. 0.8 for a CI gate that wants sure findings only. "
            "Default 0: every finding, each with its confidence.",
        ),
    ] = 0.0,
    ocr: Annotated[
        bool,
        typer.Option(
            "--ocr",
            help="Read text from images (PNG, JPEG, TIFF) and image-only PDF pages with Tesseract "
            "(apt-get install tesseract-ocr tesseract-ocr-kor). Slow: about a second per image.",
        ),
    ] = False,
    db_sample: Annotated[
        int | None,
        typer.Option(
            "--db-sample",
            min=1,
            help="Rows to read per database table (postgresql://, mysql://), in key order; the report notes "
            "the sample and the table's estimated size. Default: every row.",
        ),
    ] = None,
    log_level: Annotated[
        LogLevel, typer.Option("--log-level", help="Diagnostics to log (never raw values).")
    ] = LogLevel.warning,
    log_file: Annotated[
        Path | None, typer.Option("--log-file", help="Write diagnostics to this file (created 0600), not stderr.")
    ] = None,
    json_file: Annotated[
        Path | None, typer.Option("--json", help="Also write the JSON report to this file (created 0600).")
    ] = None,
    csv_file: CsvOption = None,
    xlsx_file: XlsxOption = None,
    html_file: HtmlOption = None,
    sarif_file: SarifOption = None,
    findings: FindingsOption = False,
    worklists: WorklistsOption = None,
    workers: Annotated[
        int, typer.Option("--workers", "-j", min=0, help="Worker processes (0: one per core; 1: no pool).")
    ] = 0,
    executor: Annotated[
        ExecutorKind, typer.Option("--executor", help="Run files in a local process pool, or as Dask tasks.")
    ] = ExecutorKind.local,
    scheduler: Annotated[
        str | None,
        typer.Option(
            "--scheduler",
            help="Dask scheduler address (tcp://HOST:8786); without it --executor dask starts a local cluster. "
            "Workers open the files themselves: paths must be reachable from them.",
        ),
    ] = None,
    no_cache: Annotated[
        bool,
        typer.Option("--no-cache", help="Neither read nor write the incremental cache (~/.cache/pii-audit)."),
    ] = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an interrupted scan: files already in the cache are not scanned again (every run with "
            "the cache does this; the flag makes a run without the cache an error instead of a full rescan).",
        ),
    ] = False,
    config: ConfigOption = None,
    baseline: Annotated[
        Path | None,
        typer.Option("--baseline", help="Report and fail only on what is not in this baseline (`pii-audit baseline`)."),
    ] = None,
    allowlist: AllowlistOption = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Exit 3 when files could not be scanned (skipped or failed).")
    ] = False,
    lang: LangOption = None,
) -> None:
    """Scan files and directories, and report the files that expose people, worst first.

    Exit codes: 0 nothing (new) at or above --fail-on; 1 new findings at or above it; 2 usage or configuration
    error; 3 with --strict, files that could not be scanned and nothing else failed; 4 internal error;
    130/143 interrupted."""
    err = StderrConsole(emoji=False)  # `:name:` in a path is text, and emoji tables cost an import
    key, key_persists = _key()
    settings = settings_for(ctx, paths, config, allowlist, err)  # defaults < config file < PII_AUDIT_* < options
    include, exclude, fail_on = list(settings.include), list(settings.exclude), FailOn(settings.fail_on)
    no_english_model, max_file_mb = not settings["english-model"], settings.limit("max-file-mb")
    max_depth, max_members = settings.limit("max-depth"), settings.limit("max-members")
    max_inflated_mb, max_ratio = settings.limit("max-inflated-mb"), settings.limit("max-ratio")
    file_timeout = settings.limit("file-timeout")
    max_findings = int(settings.limit("max-findings"))
    try:
        gate = Gate.prepare(settings, key, reveal)
    except UsageError as exc:
        _usage(err, str(exc))
    if scheduler and executor is not ExecutorKind.dask:
        _usage(err, "--scheduler needs --executor dask")
    opts = AuditOptions(
        include=tuple(include or ()),
        exclude=tuple(exclude or ()),
        fail_on=fail_on.value,
        reveal=reveal,
        max_file_bytes=int(max_file_mb * 1024 * 1024),
        english_model=None if no_english_model else AuditOptions.english_model,
        limits=Limits(
            max_depth=max_depth,
            max_members=max_members,
            max_inflated_bytes=int(max_inflated_mb * 1024 * 1024),
            max_ratio=max_ratio,
        ),
        file_timeout=file_timeout or None,
        max_findings=max_findings,
        min_confidence=float(settings["min-confidence"]),
        ocr=ocr,
        db_sample=db_sample,
        key=key,
    )
    configure_logging(log_level, log_file, reveal)
    for p in paths:
        if not is_url(p) and not Path(p).exists() and not Path(p).is_symlink():
            _usage(err, f"no such file or directory: {p}")
    report_files = targets(csv_file, xlsx_file, html_file, sarif_file)
    check_writable([*report_files.values(), *([json_file] if json_file else []), *([output] if output else [])], err)
    check_worklists(worklists, err)
    if ocr and (ocr_notice := _ocr_notice()):
        err.print(f"[yellow]notice:[/] {escape(ocr_notice)}", soft_wrap=True, highlight=False)
    if reveal:
        warning = translator(gate.lang).gettext(
            "--reveal puts raw personal data into the report; handle it as the data itself."
        )
        err.print(f"[yellow]warning:[/] {escape(warning)}")
    cache = None
    if not no_cache and key_persists:
        try:
            cache = ResultCache.open_default(opts)
        except (OSError, CacheError) as exc:
            err.print(f"[yellow]notice:[/] cache not used: {escape(str(exc) or type(exc).__name__)}")
    if resume and cache is None:
        _usage(err, "--resume needs the cache: drop --no-cache, and let the key persist (PII_AUDIT_KEY or key file)")
    execution = ExecutionOptions(kind=executor, workers=workers, scheduler=scheduler)
    auditor = Auditor(opts, execution=execution, cache=cache, review=gate.review, weights=settings.weights)
    try:
        with stop_on_signals():  # SIGTERM stops the run like Ctrl-C: the partial report is still written
            run = auditor.run(list(paths), progress=BarProgress(err))
    except UsageError as exc:
        _usage(err, str(exc))
    except PiiAuditError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True)  # one line, even when long
        raise typer.Exit(EXIT_USAGE) from None
    gate.judge(run)
    for notice in (*run.notices, *gate.notices):
        err.print(f"[yellow]notice:[/] {notice}")
    if cache is not None and cache.hits:
        tr = translator(gate.lang)
        said = tr.gettext("cache: {hits} unchanged files not read again, {misses} scanned")
        err.line(said.format(hits=tr.number(cache.hits), misses=tr.number(cache.misses)))
    if json_file:
        write_private_parts(json_file, gate.render_json(run))
    if report_files or worklists is not None:
        from pii_audit.report.view import from_run  # the files' renderers' view: only for them
    if report_files:
        write_all(from_run(run, lang=gate.lang), report_files, err, findings=findings)
    if worklists is not None:
        write_worklists(from_run(run, findings=False, lang=gate.lang), worklists, err)
    if output_format is OutputFormat.json:
        parts = gate.render_json(run)
        if output:
            write_private_parts(output, parts)
        else:
            write_stdout_parts(parts)
    else:
        from rich.console import Console  # the terminal report's tables

        if output:
            with Console(file=open(os.devnull, "w"), record=True, width=160) as rec:
                gate.render_terminal(run, rec, top=top, group_by=group_by)
                write_private(output, rec.export_text())
        else:
            gate.render_terminal(run, Console(), top=top, group_by=group_by)
    if auditor.interrupted is not None:
        raise typer.Exit(interrupt_exit_code(auditor.interrupted))
    raise typer.Exit(gate.exit_code(run))


def _ocr_notice() -> str | None:
    from pii_audit.extract.ocr import notice  # Pillow: only when --ocr is asked for

    return notice()


def _usage(err: StderrConsole, message: str) -> None:
    err.print(f"[red]error:[/] {escape(message)}", soft_wrap=True, highlight=False)  # one line, even when long
    raise typer.Exit(EXIT_USAGE)
