"""`pii-audit allow`: record a reviewed exception (by fingerprint, path glob or entity type) with its reason."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from pii_audit.allowlist import AllowRule, check_fingerprint, toml_block
from pii_audit.cli.output import write_private
from pii_audit.cli.root import EXIT_USAGE, app
from pii_audit.config import CONFIG_NAME, PYPROJECT, TABLE, find_config, load_allowlist
from pii_audit.errors import UsageError


@app.command("allow")
def allow(
    fingerprint: Annotated[
        str | None,
        typer.Argument(help="The `fingerprint` of a finding in the JSON report (never the value itself)."),
    ] = None,
    reason: Annotated[str, typer.Option("--reason", help="Why this is acceptable, and who reviewed it.")] = "",
    path: Annotated[str | None, typer.Option("--path", help="Allow in files matching this glob.")] = None,
    entity_type: Annotated[
        str | None, typer.Option("--entity-type", help="Allow this entity type (e.g. EMAIL_ADDRESS).")
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file",
            help=f"Where to add the rule: a {CONFIG_NAME}, a pyproject.toml or an allowlist file. "
            f"Default: the config found here, else a new {CONFIG_NAME}.",
        ),
    ] = None,
) -> None:
    """Allow reviewed findings: dropped from scoring, listed as allowed in JSON.

    Give a fingerprint, --path, --entity-type or a combination (all must match), and always --reason.
    Fingerprints are keyed: they hold under the same PII_AUDIT_KEY or key file."""
    err = Console(stderr=True)
    try:
        if not reason.strip():
            raise UsageError("--reason is required: say why this is acceptable and who reviewed it")
        if not (fingerprint or path or entity_type):
            raise UsageError("give a FINGERPRINT, --path GLOB or --entity-type TYPE")
        fp = check_fingerprint(fingerprint, "FINGERPRINT") if fingerprint else None
        rule = AllowRule(reason.strip(), fp, path, entity_type.strip().upper() if entity_type else None)
        target = file or find_config([]) or Path(CONFIG_NAME)
        _append(target, rule)
    except UsageError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True, highlight=False)
        raise typer.Exit(EXIT_USAGE) from None
    err.print(f"allowed in {target}", markup=False, highlight=False)


def _append(target: Path, rule: AllowRule) -> None:
    """Add a [[allow]] block at the end; the file must still parse, else it is left as it was."""
    table = f"tool.{TABLE}.allow" if target.name == PYPROJECT else "allow"
    before = target.read_text(encoding="utf-8") if target.exists() else None
    text = before or ""
    if text and not text.endswith("\n"):
        text += "\n"
    text += ("\n" if text else "") + toml_block(rule, table)
    if before is None:
        write_private(target, text)
    else:
        mode = os.stat(target).st_mode & 0o777
        write_private(target, text)
        os.chmod(target, mode)  # a config file under version control keeps its mode
    try:
        load_allowlist(target)
    except UsageError:
        if before is None:
            target.unlink()
        else:
            write_private(target, before)
            os.chmod(target, mode)
        raise
