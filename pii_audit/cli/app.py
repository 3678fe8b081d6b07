"""The `pii-audit` command line: the Typer app and its entry point. Each command group lives in a
module of its own in this package and registers itself on `app`.

Exit codes: 0 nothing reaches --fail-on; 1 something does; 2 usage or configuration error.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from pii_audit import __version__

app = typer.Typer(
    name="pii-audit",
    help="Find the files that expose people's personal data, and rank them by how badly they do.",
    pretty_exceptions_show_locals=False,  # locals hold personal data
    no_args_is_help=True,
    add_completion=False,
)

EXIT_CLEAN, EXIT_FOUND, EXIT_USAGE = 0, 1, 2


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pii-audit {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """pii-audit: a PII exposure auditor for disks, shares and archives."""


def _register() -> None:
    # Imported for their side effect: each module adds its commands to `app`.
    from pii_audit.cli import scan  # noqa: F401


_register()


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
