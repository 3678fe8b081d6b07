"""`pii-audit protect`: encrypt the worst files of a report with a password."""

from __future__ import annotations

import sys

from rich.console import Console

from pii_audit.cli.remedy_common import (
    ApplyOption,
    FilesArgument,
    FromOption,
    JournalOption,
    MinSeverityOption,
    OwnerOption,
    PasswordFileOption,
    PathOption,
    Severity,
    TopOption,
    choose,
    exit_for,
    journal_for,
    password,
    show_outcomes,
    show_plan,
)
from pii_audit.cli.root import app
from pii_audit.remedy import protect as p


@app.command()
def protect(
    files: FilesArgument = None,
    run_json: FromOption = None,
    min_severity: MinSeverityOption = Severity.high,
    path: PathOption = None,
    owner: OwnerOption = None,
    top: TopOption = None,
    password_file: PasswordFileOption = None,
    journal: JournalOption = None,
    apply: ApplyOption = False,
) -> None:
    """Encrypt files (named, or from a report) with a password: Office files in place, others into NAME.7z (AES-256)."""
    out, err = Console(), Console(stderr=True)
    chosen = choose(run_json, min_severity, path, top, err, owner, files)
    started = chosen.started
    steps = p.plan(chosen.targets, started)
    if not apply:
        show_plan(steps, out, err, "protect", arrow=False)
        exit_for(sum(1 for s in steps if s.skipped))
    secret = password(password_file, err, interactive=sys.stdin.isatty())
    log = journal_for(journal, run_json)
    outcomes = p.apply(steps, secret, log, started, source=chosen.source)
    show_outcomes(outcomes, out, err, "protected")
    if any(o.done for o in outcomes):
        err.print(f"journal: {log.path}", markup=False, highlight=False)
    exit_for(sum(1 for o in outcomes if not o.done))
