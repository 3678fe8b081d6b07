"""What `quarantine`, `protect` and `redact` share: choosing files from a saved report, printing a
plan (stdout, one line per file) and what applying it did.

Exit codes: 0 every chosen file was (or, in a plan, would be) handled; 2 usage or a bad report;
3 some files were left alone (each line says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.console import Console
from rich.markup import escape

from pii_audit.cli.root import EXIT_CLEAN, EXIT_USAGE
from pii_audit.paths import display_path
from pii_audit.remedy.journal import Journal
from pii_audit.remedy.plan import Outcome, Step
from pii_audit.remedy.targets import Target, given, scan_started, select
from pii_audit.report.load import load
from pii_audit.report.view import NotAReport

EXIT_LEFT_ALONE = 3


class Severity(str, Enum):
    low = "low"
    medium = "medium"
    high = "high"
    critical = "critical"


FromOption = Annotated[
    Path | None,
    typer.Option(
        "--from",
        metavar="RUN.json",
        help="The JSON report (`scan --json FILE`) whose files to act on (the selectors below choose among them).",
        show_default=False,
    ),
]
FilesArgument = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[FILE]...",
        help="Files (or smb:// URLs of files) to act on, instead of a report.",
        show_default=False,
    ),
]
MinSeverityOption = Annotated[Severity, typer.Option("--min-severity", help="Act on files at this severity or worse.")]
PathOption = Annotated[
    list[str] | None,
    typer.Option("--path", help="Only files whose report path or name matches this glob (repeatable)."),
]
OwnerOption = Annotated[
    list[str] | None,
    typer.Option(
        "--owner",
        help="Only files whose owner (as the report names it: a user name or `uid N`, a SID, an account; "
        "`(owner unknown)` when the store did not say) matches this glob (repeatable).",
    ),
]
TopOption = Annotated[int | None, typer.Option("--top", min=1, help="Only the N worst files.", show_default=False)]
PasswordFileOption = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="Read the password from the first line of this file (never from an argument). "
        "Without it, --apply asks for it when run in a terminal.",
        show_default=False,
    ),
]
JournalOption = Annotated[
    Path | None,
    typer.Option(
        "--journal",
        help="Append the record of each change here (JSON lines, 0600; default: beside the report, "
        "RUN.journal.jsonl). `pii-audit restore` reads it.",
        show_default=False,
    ),
]
ApplyOption = Annotated[bool, typer.Option("--apply", help="Do it. Without it, print the plan and change nothing.")]


def usage(err: Console, message: str) -> NoReturn:
    err.print(f"[red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(EXIT_USAGE)


@dataclass(frozen=True)
class Chosen:
    """What to act on, and what it is checked against: the report's roots and start, or the files
    named on the command line (checked against what they were when the plan was made)."""

    targets: list[Target]
    roots: tuple[str, ...]
    started: float
    source: str  # the report, or "" for files named on the command line


def choose(
    run_json: Path | None,
    min_severity: Severity,
    globs: Sequence[str] | None,
    top: int | None,
    err: Console,
    owners: Sequence[str] | None = None,
    paths: Sequence[str] | None = None,
) -> Chosen:
    if (run_json is None) == (not paths):
        usage(err, "give files to act on, or a report with --from RUN.json (not both)")
    if paths:
        targets = given(paths)
        return Chosen(targets, tuple(t.root for t in targets), float("-inf"), "")
    assert run_json is not None
    try:
        view = load(run_json)  # masked: a fix never needs the raw values
    except NotAReport as exc:
        usage(err, str(exc))
    chosen = select(view, min_severity.value, tuple(globs or ()), top, tuple(owners or ()))
    return Chosen(chosen, view.roots, scan_started(view), str(run_json))


def password(password_file: Path | None, err: Console, interactive: bool, confirm: bool = True) -> str:
    """The password from `--password-file` (its first line), else from a prompt in a terminal
    (typed twice with `confirm`: a new password)."""
    if password_file is not None:
        try:
            raw = password_file.read_bytes()
            mode = password_file.stat().st_mode
        except OSError as exc:
            usage(err, f"cannot read the password file {password_file}: {exc.strerror or type(exc).__name__}")
        try:
            secret = raw.decode("utf-8-sig").split("\n", 1)[0].rstrip("\r")
        except UnicodeDecodeError:
            usage(err, f"the password file {password_file} is not UTF-8 text")
        if mode & 0o077:
            err.print("[yellow]warning:[/] the password file is readable by others (chmod 600 it).", highlight=False)
    elif interactive:
        secret = typer.prompt("Password", hide_input=True, confirmation_prompt=confirm, err=True)
    else:
        usage(err, "give the password with --password-file F (never as an argument)")
    if not secret:
        usage(err, "the password is empty")
    if confirm and len(secret) < 12:
        err.print("[yellow]warning:[/] a password shorter than 12 characters is weak protection.", highlight=False)
    return secret


def journal_for(journal: Path | None, run_json: Path | None) -> Journal:
    """`--journal`, else beside the report (RUN.journal.jsonl), else pii-audit.journal.jsonl here."""
    if journal is not None:
        return Journal(journal)
    if run_json is not None:
        return Journal(run_json.with_name(run_json.stem + ".journal.jsonl"))
    return Journal(Path("pii-audit.journal.jsonl"))


def _line(out: Console, action: str, path: str, detail: str) -> None:
    out.print(
        f"{action:<11} {display_path(path)}  {display_path(detail)}", markup=False, highlight=False, soft_wrap=True
    )


def show_plan(steps: Sequence[Step], out: Console, err: Console, verb: str, arrow: bool = True) -> None:
    """One line per file: the action and where, or `skip` and why; then the reason it was chosen."""
    for step in steps:
        if step.skipped:
            _line(out, "skip", step.path, f"({step.detail})")
        else:
            detail = f"-> {step.detail}" if arrow else step.detail
            _line(out, step.action, step.path, f"{detail}  [{step.checked.target.reason}]")
    todo = sum(1 for s in steps if not s.skipped)
    err.print(
        f"plan: {todo} to {verb}, {len(steps) - todo} left alone. Nothing changed: add --apply to do it.",
        markup=False,
        highlight=False,
    )


def show_outcomes(outcomes: Sequence[Outcome], out: Console, err: Console, past: str) -> None:
    for o in outcomes:
        if o.done:
            _line(out, o.action, o.path, f"-> {o.detail}")
        else:
            _line(out, "skip", o.path, f"({o.detail})")
        for note in o.notes:
            _line(out, "", "", f"note: {note}")
    done = sum(1 for o in outcomes if o.done)
    err.print(f"{done} {past}, {len(outcomes) - done} left alone.", markup=False, highlight=False)


def exit_for(skipped: int) -> NoReturn:
    raise typer.Exit(EXIT_LEFT_ALONE if skipped else EXIT_CLEAN)
