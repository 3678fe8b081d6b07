"""`pii-audit quarantine`: move the worst files of a report out of reach (`restore` puts them back)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pii_audit.cli.remedy_common import (
    ApplyOption,
    FilesArgument,
    FromOption,
    MinSeverityOption,
    OwnerOption,
    PathOption,
    Severity,
    TopOption,
    choose,
    exit_for,
    show_outcomes,
    show_plan,
    usage,
)
from pii_audit.cli.root import app
from pii_audit.errors import RemedyError
from pii_audit.remedy import quarantine as q


@app.command()
def quarantine(
    dest: Annotated[
        Path,
        typer.Argument(
            metavar="DEST",
            help="The quarantine folder (created 0700, outside the scanned roots): files/ and manifest.jsonl.",
            show_default=False,
        ),
    ],
    files: FilesArgument = None,
    run_json: FromOption = None,
    min_severity: MinSeverityOption = Severity.high,
    path: PathOption = None,
    owner: OwnerOption = None,
    top: TopOption = None,
    apply: ApplyOption = False,
) -> None:
    """Move files (named, or from a report) into a folder only you can read, with a manifest for `restore`."""
    out, err = Console(), Console(stderr=True)
    chosen = choose(run_json, min_severity, path, top, err, owner, files)
    try:
        q.check_destination(str(dest), chosen.roots if chosen.source else ())
    except RemedyError as exc:
        usage(err, str(exc))
    started = chosen.started
    steps = q.plan(chosen.targets, str(dest), started)
    if not apply:
        show_plan(steps, out, err, "quarantine")
        exit_for(sum(1 for s in steps if s.skipped))
    outcomes = q.apply(steps, str(dest), started, source=chosen.source)
    show_outcomes(outcomes, out, err, "quarantined")
    if any(o.done for o in outcomes):
        err.print(f"manifest: {dest / q.MANIFEST} (pii-audit restore it to undo)", markup=False, highlight=False)
    exit_for(sum(1 for o in outcomes if not o.done))
