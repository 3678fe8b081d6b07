"""The `pii-audit` command line: its entry point, and the Typer app with every command on it.
Each command group lives in a module of its own in this package and registers itself on the app
(pii_audit.cli.root). `main` imports only the module of the command it runs: `pii-audit scan`
never pays for the remedy commands' imports. `run`, the console script, is `main` and then a quick
exit. `app`, imported from here, has every command.

Exit codes: 0 nothing new reaches --fail-on; 1 something does; 2 usage or configuration error;
3 with --strict, files that could not be scanned; 4 an internal error (a bug); 130/143 interrupted.
"""

from __future__ import annotations

import atexit
import gc
import importlib
import logging
import os
import sys
import threading
from collections.abc import Sequence

import typer

from pii_audit.cli.root import EXIT_CLEAN, EXIT_FOUND, EXIT_INTERNAL, EXIT_USAGE
from pii_audit.cli.root import app as _app
from pii_audit.interrupt import EXIT_SIGINT, EXIT_SIGTERM

__all__ = ["EXIT_CLEAN", "EXIT_FOUND", "EXIT_INTERNAL", "EXIT_USAGE", "COMMANDS", "main", "register", "run"]

# Each command (or group) and the module that registers it, in the order `--help` lists them.
COMMANDS = {
    "allow": "allow_cmd",
    "baseline": "baseline_cmd",
    "config": "config_cmd",
    "protect": "protect_cmd",
    "quarantine": "quarantine_cmd",
    "redact": "redact_cmd",
    "report": "report_cmd",
    "restore": "restore_cmd",
    "scan": "scan",
    "schema": "schema_cmd",
}


def register(names: Sequence[str] = ()) -> typer.Typer:
    """The app with these commands on it (every command when none is named)."""
    for name in names or COMMANDS:
        importlib.import_module(f"pii_audit.cli.{COMMANDS[name]}")
    return _app


def _command(argv: Sequence[str]) -> str | None:
    """The command a command line runs: its first word that is not an option (the app's own options
    are flags), when it names one."""
    word = next((a for a in argv if not a.startswith("-")), None)
    return word if word in COMMANDS else None


def __getattr__(name: str) -> typer.Typer:
    if name == "app":  # `from pii_audit.cli.app import app`: the whole command line
        return register()
    raise AttributeError(name)


def main() -> None:
    command = _command(sys.argv[1:])
    app = register([command] if command else [])  # help, a typo: every command, to list or suggest
    # What the imports made (modules, classes, functions) lives as long as the process: the cyclic
    # collector need not walk it again in every collection, nor at exit (3% of a warm rescan's
    # instructions). A process pool unfreezes it when it forks its workers (pii_audit/executor.py).
    gc.freeze()
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


def _one_blas_thread() -> None:
    """numpy's OpenBLAS starts a thread per core when numpy is imported (later, with the Detector),
    and they spin after each of its calls; nothing here needs threaded BLAS (spaCy's NER multiplies
    with blis on one thread, scoring sorts) and a scan already runs a process per core. So one BLAS
    thread unless the user asked for more: spaCy's NER took 4-6% less CPU (benchmarks/ner_speed.py)."""
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def run() -> None:
    """The `pii-audit` command (and `python -m pii_audit`): `main`, then a quick exit.

    Once the command is done (its output written, its pools and servers stopped, no thread left
    but this one), the exit handlers run (logging's flush, temporary directories' removal) and
    the process ends without tearing the interpreter down: freeing the Detector, spaCy's model and
    Presidio object by object took about 0.25 s of every cold scan, after its report was written.
    Python does not promise to finalise objects still alive at exit anyway. Anything else (a
    thread still running, an exit with a message, output that cannot be flushed) exits as Python
    does. `main` itself only raises SystemExit, for callers in-process."""
    _one_blas_thread()
    try:
        main()
    except SystemExit as exc:
        code = exc.code
        if not (code is None or isinstance(code, int)) or threading.active_count() > 1:
            raise
        atexit._run_exitfuncs()  # they run once: the interpreter's exit would not run them again
        try:
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
        except (OSError, ValueError):  # a closed pipe: the interpreter's exit reports it as usual
            raise exc from None
        os._exit(code or 0)
