"""`pii-audit quarantine` and `pii-audit restore`: move the worst files out of reach, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pii_audit.cli.app import app
from pii_audit.cli.remedy_common import (
    ApplyOption,
    FromOption,
    MinSeverityOption,
    PathOption,
    Severity,
    TopOption,
    choose,
    exit_for,
    show_outcomes,
    show_plan,
    usage,
)
from pii_audit.errors import RemedyError
from pii_audit.paths import display_path
from pii_audit.remedy import quarantine as q
from pii_audit.remedy.targets import scan_started


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
    run_json: FromOption,
    min_severity: MinSeverityOption = Severity.high,
    path: PathOption = None,
    top: TopOption = None,
    apply: ApplyOption = False,
) -> None:
    """Move files from a report into a folder only you can read, with a manifest for `restore`."""
    out, err = Console(), Console(stderr=True)
    view, targets = choose(run_json, min_severity, path, top, err)
    try:
        q.check_destination(str(dest), view.roots)
    except RemedyError as exc:
        usage(err, str(exc))
    started = scan_started(view)
    steps = q.plan(targets, str(dest), started)
    if not apply:
        show_plan(steps, out, err, "quarantine")
        exit_for(sum(1 for s in steps if s.skipped))
    outcomes = q.apply(steps, str(dest), started, source=str(run_json))
    show_outcomes(outcomes, out, err, "quarantined")
    if any(o.done for o in outcomes):
        err.print(f"manifest: {dest / q.MANIFEST} (pii-audit restore it to undo)", markup=False, highlight=False)
    exit_for(sum(1 for o in outcomes if not o.done))


@app.command()
def restore(
    manifest: Annotated[
        Path,
        typer.Argument(metavar="MANIFEST", help="A quarantine folder's manifest.jsonl.", show_default=False),
    ],
    apply: ApplyOption = False,
) -> None:
    """Put quarantined files back where they were: the same bytes, mode, owner and times."""
    out, err = Console(), Console(stderr=True)
    if manifest.is_dir():
        manifest = manifest / q.MANIFEST
    try:
        items = q.pending(str(manifest))
    except RemedyError as exc:
        usage(err, str(exc))
    if not apply:
        for item in items:
            shown = display_path(item.path)
            line = f"skip        {shown}  ({item.refused})" if item.refused else f"restore     {shown}"
            out.print(line, markup=False, highlight=False, soft_wrap=True)
        todo = sum(1 for i in items if not i.refused)
        err.print(
            f"plan: {todo} to restore, {len(items) - todo} left alone. Nothing changed: add --apply to do it.",
            markup=False,
            highlight=False,
        )
        exit_for(len(items) - todo)
    outcomes = q.restore(items, str(manifest))
    show_outcomes(outcomes, out, err, "restored")
    exit_for(sum(1 for o in outcomes if not o.done))
