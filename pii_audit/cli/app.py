"""The `pii-audit` command line: the Typer app and its entry point. Each command group lives in a
module of its own in this package and registers itself on `app`.

Exit codes: 0 nothing new reaches --fail-on; 1 something does; 2 usage or configuration error;
3 with --strict, files that could not be scanned; 4 an internal error (a bug); 130/143 interrupted.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Annotated

import typer

from pii_audit import __version__
from pii_audit.interrupt import EXIT_SIGINT, EXIT_SIGTERM

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


def _register() -> None:
    # Imported for their side effect: each module adds its commands to `app`.
    from pii_audit.cli import (  # noqa: F401
        allow_cmd,
        baseline_cmd,
        config_cmd,
        protect_cmd,
        quarantine_cmd,
        redact_cmd,
        report_cmd,
        restore_cmd,
        scan,
        schema_cmd,
    )


_register()


def main() -> None:
    try:
        app()
    except SystemExit as exc:
        if exc.code in (EXIT_SIGINT, EXIT_SIGTERM):
            # The partial report is written. Leave now: interpreter shutdown would join the
            # process pool's manager thread, whose workers were just terminated.
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(exc.code)
        raise
    except KeyboardInterrupt as exc:  # outside a scan's own handling (e.g. while loading)
        from pii_audit.interrupt import exit_code

        sys.stderr.write("interrupted\n")
        sys.exit(exit_code(exc))
    except Exception as exc:
        # One line, never a traceback on the terminal: exception messages and locals may quote file
        # content. The traceback (frames and type only) goes to the log, where --log-file puts it.
        from pii_audit.cli.logs import logging_to_file

        if logging_to_file():
            logging.getLogger("pii_audit.cli").error("internal error: %s", type(exc).__name__, exc_info=exc)
        sys.stderr.write(f"pii-audit: internal error ({type(exc).__name__}); rerun with --log-file for details\n")
        sys.exit(EXIT_INTERNAL)
