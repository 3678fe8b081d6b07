"""The Typer app every command registers on, and the exit codes. Light on purpose: `pii-audit scan`
imports this and the scan command's module, not the other commands (pii_audit.cli.app).

Exit codes: 0 nothing new reaches --fail-on; 1 something does; 2 usage or configuration error;
3 with --strict, files that could not be scanned; 4 an internal error (a bug); 130/143 interrupted.
"""

from __future__ import annotations

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
EXIT_INTERNAL = 4  # a bug: neither "found something" (1) nor "could not scan everything" (3, --strict)


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
