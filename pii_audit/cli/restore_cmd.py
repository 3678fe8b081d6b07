"""`pii-audit restore`: undo what a quarantine manifest or a protect journal records."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from pii_audit.cli.remedy_common import ApplyOption, PasswordFileOption, exit_for, password, show_outcomes, usage
from pii_audit.cli.root import app
from pii_audit.errors import RemedyError
from pii_audit.paths import display_path
from pii_audit.remedy import undo
from pii_audit.remedy.quarantine import MANIFEST


@app.command()
def restore(
    journal: Annotated[
        Path,
        typer.Argument(
            metavar="JOURNAL",
            help="A quarantine folder (or its manifest.jsonl), or the journal `protect` wrote.",
            show_default=False,
        ),
    ],
    password_file: PasswordFileOption = None,
    apply: ApplyOption = False,
) -> None:
    """Put files back as they were: quarantined files return, protected files are decrypted
    (with the password they were protected with). The same bytes, mode, owner and times."""
    out, err = Console(), Console(stderr=True)
    if journal.is_dir():
        journal = journal / MANIFEST
    try:
        items = undo.pending(str(journal))
    except RemedyError as exc:
        usage(err, str(exc))
    if not apply:
        for item in items:
            shown = display_path(item.path)
            line = (
                f"skip        {shown}  ({item.refused})"
                if item.refused
                else f"restore     {shown}  (undo {item.action})"
            )
            out.print(line, markup=False, highlight=False, soft_wrap=True)
        todo = sum(1 for i in items if not i.refused)
        err.print(
            f"plan: {todo} to restore, {len(items) - todo} left alone. Nothing changed: add --apply to do it.",
            markup=False,
            highlight=False,
        )
        exit_for(len(items) - todo)
    secret = None
    if any(i.needs_password for i in items):
        secret = password(password_file, err, interactive=sys.stdin.isatty(), confirm=False)
    outcomes = undo.undo(items, str(journal), secret)
    show_outcomes(outcomes, out, err, "restored")
    exit_for(sum(1 for o in outcomes if not o.done))
