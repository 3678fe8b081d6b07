"""`pii-audit config show`, and turning command-line options into the top layer of the settings."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from pii_audit.cli.console import StderrConsole, escape
from pii_audit.cli.root import EXIT_USAGE, app
from pii_audit.config import Settings, render, resolve
from pii_audit.errors import UsageError

config_app = typer.Typer(help="Show the effective configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")

ConfigOption = Annotated[
    Path | None,
    typer.Option(
        "--config",
        help="Config file (TOML: .pii-audit.toml, or pyproject.toml with \\[tool.pii-audit]). Default: the first "
        "found in the scanned directory, then here. Also PII_AUDIT_CONFIG.",
    ),
]
AllowlistOption = Annotated[
    list[Path] | None,
    typer.Option("--allowlist", help="An allowlist file (\\[\\[allow]] tables); repeatable, adds to the config's."),
]

# scan/baseline parameter -> config key. Only options the user typed override the file and environment.
OPTION_KEYS = {
    "include": "include",
    "exclude": "exclude",
    "fail_on": "fail-on",
    "strict": "strict",
    "baseline": "baseline",
    "no_english_model": "english-model",
    "lang": "lang",
    "max_file_mb": "limits.max-file-mb",
    "file_timeout": "limits.file-timeout",
    "max_findings": "limits.max-findings",
    "min_confidence": "min-confidence",
    "max_depth": "limits.max-depth",
    "max_members": "limits.max-members",
    "max_inflated_mb": "limits.max-inflated-mb",
    "max_ratio": "limits.max-ratio",
}


def given(ctx: typer.Context) -> dict[str, Any]:
    """The options given on the command line, by config key."""
    out: dict[str, Any] = {}
    for param, key in OPTION_KEYS.items():
        source = ctx.get_parameter_source(param) if param in ctx.params else None
        if getattr(source, "name", None) != "COMMANDLINE":  # typer vendors click: compare by name
            continue
        value = ctx.params[param]
        if isinstance(value, Enum):
            value = value.value
        elif isinstance(value, Path):
            value = str(value)
        if param == "no_english_model":
            value = not value
        out[key] = value
    return out


def settings_for(
    ctx: typer.Context, paths: list[str], config: Path | None, allowlists: list[Path] | None, err: StderrConsole
) -> Settings:
    """Resolve the settings of a command, or exit 2 with one line."""
    try:
        return resolve(
            paths,
            str(config) if config else None,
            given(ctx),
            [str(p) for p in allowlists or ()],
        )
    except UsageError as exc:
        err.print(f"[red]error:[/] {escape(str(exc))}", soft_wrap=True, highlight=False)
        raise typer.Exit(EXIT_USAGE) from None


@config_app.command("show")
def show(
    ctx: typer.Context,
    path: Annotated[str | None, typer.Argument(help="The directory that would be scanned (default: here).")] = None,
    config: ConfigOption = None,
) -> None:
    """Print the effective configuration (defaults < config file < PII_AUDIT_* environment), with the source
    of each value. Exit 2 when the config is wrong."""
    settings = settings_for(ctx, [path] if path else ["."], config, None, StderrConsole())
    sys.stdout.write(render(settings))
