"""`pii-audit protect`: encrypt the worst files of a report with a password."""

from __future__ import annotations

import sys

from rich.console import Console

from pii_audit.cli.app import app
from pii_audit.cli.remedy_common import (
    ApplyOption,
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
from pii_audit.remedy import protect as p
from pii_audit.remedy.targets import scan_started


@app.command()
def protect(
    run_json: FromOption,
    min_severity: MinSeverityOption = Severity.high,
    path: PathOption = None,
    owner: OwnerOption = None,
    top: TopOption = None,
    password_file: PasswordFileOption = None,
    journal: JournalOption = None,
    apply: ApplyOption = False,
) -> None:
    """Encrypt files from a report with a password: Office files in place, others into NAME.7z (AES-256)."""
    out, err = Console(), Console(stderr=True)
    view, targets = choose(run_json, min_severity, path, top, err, owner)
    started = scan_started(view)
    steps = p.plan(targets, started)
    if not apply:
        show_plan(steps, out, err, "protect", arrow=False)
        exit_for(sum(1 for s in steps if s.skipped))
    secret = password(password_file, err, interactive=sys.stdin.isatty())
    log = journal_for(journal, run_json)
    outcomes = p.apply(steps, secret, log, started, source=str(run_json))
    show_outcomes(outcomes, out, err, "protected")
    if any(o.done for o in outcomes):
        err.print(f"journal: {log.path}", markup=False, highlight=False)
    exit_for(sum(1 for o in outcomes if not o.done))
