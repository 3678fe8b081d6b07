"""Settings for a gated run: defaults < config file < environment < command line.

The config file is `--config FILE` (or PII_AUDIT_CONFIG); else the first of `.pii-audit.toml` and
`pyproject.toml` (with a `[tool.pii-audit]` table) found in the scanned root (a local directory),
then in the current directory. Keys are kebab-case; an unknown key or a wrong type is an error
naming the file and the key. Paths in a config file (`baseline`, `allowlists`) are relative to it.

Allow rules add up rather than override: rules in the config file, in its `allowlists` files and in
`--allowlist` files all apply, since each is a reviewed exception with its reason.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pii_audit.allowlist import AllowRule, parse_rules
from pii_audit.errors import UsageError
from pii_audit.i18n import ENV as LANG_ENV
from pii_audit.i18n import LANGS, from_locale
from pii_audit.model import Limits
from pii_audit.options import DEFAULT_FILE_TIMEOUT, DEFAULT_MAX_FILE_BYTES, DEFAULT_MAX_FINDINGS
from pii_audit.score import Weights

CONFIG_NAME = ".pii-audit.toml"
PYPROJECT = "pyproject.toml"
TABLE = "pii-audit"  # [tool.pii-audit]
CONFIG_ENV = "PII_AUDIT_CONFIG"
FAIL_ON = ("critical", "high", "medium", "low", "never")
DEFAULT = "default"
CLI = "command line"


class ConfigError(UsageError):
    """A config file or environment variable is wrong (exit 2)."""


@dataclass(frozen=True)
class Key:
    """A setting: its config key (dotted for tables), type, environment variable and default."""

    name: str
    kind: type
    default: Any
    env: str | None = None
    choices: tuple[str, ...] = ()
    path: bool = False  # a file name: relative to the config file it came from

    @property
    def attr(self) -> str:
        return self.name.split(".")[-1].replace("-", "_")


KEYS: tuple[Key, ...] = (
    Key("include", list, (), "PII_AUDIT_INCLUDE"),
    Key("exclude", list, (), "PII_AUDIT_EXCLUDE"),
    Key("fail-on", str, "high", "PII_AUDIT_FAIL_ON", FAIL_ON),
    Key("strict", bool, False, "PII_AUDIT_STRICT"),
    Key("baseline", str, None, "PII_AUDIT_BASELINE", path=True),
    Key("english-model", bool, True),
    Key("min-confidence", float, 0.0, "PII_AUDIT_MIN_CONFIDENCE"),
    Key("lang", str, None, LANG_ENV, LANGS),  # None: from the locale (see `Settings.lang`)
    Key("limits.max-file-mb", float, DEFAULT_MAX_FILE_BYTES / (1024 * 1024), "PII_AUDIT_MAX_FILE_MB"),
    Key("limits.file-timeout", float, DEFAULT_FILE_TIMEOUT, "PII_AUDIT_FILE_TIMEOUT"),
    Key("limits.max-findings", int, DEFAULT_MAX_FINDINGS, "PII_AUDIT_MAX_FINDINGS"),
    Key("limits.max-depth", int, Limits.max_depth),
    Key("limits.max-members", int, Limits.max_members),
    Key("limits.max-inflated-mb", float, Limits.max_inflated_bytes / (1024 * 1024)),
    Key("limits.max-ratio", float, Limits.max_ratio),
    *(Key(f"weights.{f.name.replace('_', '-')}", float, f.default) for f in dataclasses.fields(Weights)),
)
BY_NAME = {k.name: k for k in KEYS}
LISTS = ("allow", "allowlists")  # additive: every source adds to them
# `[credentials]`: store logins for smb:// s3:// sftp:// webdav:// postgresql:// mysql:// roots, as an
# alternative to the environment (which wins). Only from a file nobody else can read; never shown, never in reports.
CREDENTIALS = {
    "smb-user": "PII_AUDIT_SMB_USER",
    "smb-password": "PII_AUDIT_SMB_PASSWORD",
    "s3-endpoint-url": "PII_AUDIT_S3_ENDPOINT_URL",
    "aws-access-key-id": "AWS_ACCESS_KEY_ID",
    "aws-secret-access-key": "AWS_SECRET_ACCESS_KEY",
    "sftp-user": "PII_AUDIT_SFTP_USER",
    "sftp-password": "PII_AUDIT_SFTP_PASSWORD",
    "sftp-key-file": "PII_AUDIT_SFTP_KEY_FILE",
    "webdav-user": "PII_AUDIT_WEBDAV_USER",
    "webdav-password": "PII_AUDIT_WEBDAV_PASSWORD",
    "webdav-ca": "PII_AUDIT_WEBDAV_CA",
    "postgres-user": "PII_AUDIT_POSTGRES_USER",
    "postgres-password": "PII_AUDIT_POSTGRES_PASSWORD",
    "mysql-user": "PII_AUDIT_MYSQL_USER",
    "mysql-password": "PII_AUDIT_MYSQL_PASSWORD",
}
TABLES = ("limits", "weights")


@dataclass(frozen=True)
class Settings:
    """The effective settings, and where each came from (`sources`: key -> default / file / env / CLI)."""

    values: Mapping[str, Any]
    sources: Mapping[str, str]
    allow: tuple[AllowRule, ...] = ()
    allowlists: tuple[str, ...] = ()
    config_file: Path | None = None
    credentials: tuple[str, ...] = ()  # names of the [credentials] keys the config file set (never values)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]

    @property
    def include(self) -> tuple[str, ...]:
        return tuple(self.values["include"])

    @property
    def exclude(self) -> tuple[str, ...]:
        return tuple(self.values["exclude"])

    @property
    def fail_on(self) -> str:
        return str(self.values["fail-on"])

    @property
    def strict(self) -> bool:
        return bool(self.values["strict"])

    @property
    def baseline(self) -> str | None:
        value = self.values["baseline"]
        return None if value is None else str(value)

    @property
    def lang(self) -> str:
        """The language of the reports: the setting, else the locale's (`ko_KR.UTF-8`), else English."""
        value = self.values.get("lang")
        return str(value) if value else (from_locale() or "en")

    @property
    def weights(self) -> Weights:
        return Weights(**{k.attr: self.values[k.name] for k in KEYS if k.name.startswith("weights.")})

    def limit(self, name: str) -> Any:
        return self.values[f"limits.{name}"]


@dataclass
class _Layers:
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def set(self, name: str, value: Any, source: str) -> None:
        self.values[name] = value
        self.sources[name] = source


def find_config(roots: Sequence[str], explicit: str | None = None, cwd: Path | None = None) -> Path | None:
    """The config file a run uses (see the module docstring); None when there is none."""
    explicit = explicit or os.environ.get(CONFIG_ENV) or None
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: no such config file")
        return path
    dirs = [Path(r) for r in roots if "://" not in r and Path(r).is_dir()][:1]
    dirs.append(cwd or Path.cwd())
    for d in dirs:
        if (d / CONFIG_NAME).is_file():
            return d / CONFIG_NAME
        if (d / PYPROJECT).is_file() and TABLE in _read(d / PYPROJECT).get("tool", {}):
            return d / PYPROJECT
    return None


def _read(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None


def table_of(path: Path) -> dict[str, Any]:
    """The pii-audit table of a config file: `[tool.pii-audit]` of a pyproject.toml, else the whole file."""
    data = _read(path)
    if path.name == PYPROJECT:
        table = data.get("tool", {}).get(TABLE, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [tool.{TABLE}] must be a table")
        return table
    return data


def _flatten(table: Mapping[str, Any], where: Path) -> dict[str, Any]:
    flat: dict[str, Any] = {}
    for name, value in table.items():
        if name in TABLES:
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: {name} must be a table ([{name}])")
            for sub, v in value.items():
                full = f"{name}.{sub}"
                if full not in BY_NAME:
                    raise ConfigError(f"{where}: unknown key {full!r}")
                flat[full] = v
        elif name == "credentials":
            if not isinstance(value, Mapping):
                raise ConfigError(f"{where}: credentials must be a table ([credentials])")
            for sub, v in value.items():
                if sub not in CREDENTIALS:
                    raise ConfigError(f"{where}: unknown key 'credentials.{sub}' (known: {', '.join(CREDENTIALS)})")
                if not isinstance(v, str):
                    raise ConfigError(f"{where}: credentials.{sub} must be a string")
            flat[name] = dict(value)
        elif name in BY_NAME or name in LISTS:
            flat[name] = value
        else:
            raise ConfigError(f"{where}: unknown key {name!r} (known: {', '.join(_known())})")
    return flat


def _known() -> list[str]:
    return sorted({k.name.split(".")[0] for k in KEYS} | set(LISTS))


def _coerce(key: Key, value: Any, where: str) -> Any:
    """Check a value from a file (already typed by TOML) or the environment (a string)."""
    if isinstance(value, str) and key.kind is not str:
        value = _parse_env(key, value, where)
    if key.kind is list:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where}: {key.name} must be a list of strings")
        return tuple(value)
    if key.kind is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: {key.name} must be true or false")
        return value
    if key.kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, key.kind) or isinstance(value, bool) and key.kind is not bool:
        raise ConfigError(f"{where}: {key.name} must be a {key.kind.__name__}")
    if key.choices and value not in key.choices:
        raise ConfigError(f"{where}: {key.name} must be one of {', '.join(key.choices)}")
    if isinstance(value, int | float) and value < 0:
        raise ConfigError(f"{where}: {key.name} must not be negative")
    if key.name == "min-confidence" and isinstance(value, float) and value > 1:
        raise ConfigError(f"{where}: {key.name} must be between 0 and 1")
    return value


def _parse_env(key: Key, raw: str, where: str) -> Any:
    if key.kind is list:
        return [p.strip() for p in raw.split(",") if p.strip()]
    if key.kind is bool:
        low = raw.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off", ""):
            return False
        raise ConfigError(f"{where}: {key.name} must be true or false")
    try:
        return key.kind(raw.strip())
    except ValueError:
        raise ConfigError(f"{where}: {key.name} must be a {key.kind.__name__}") from None


def load_allowlist(path: Path, where: str | None = None) -> tuple[AllowRule, ...]:
    """Rules from an allowlist file: `[[allow]]` tables only (a config file's table for pyproject.toml)."""
    if not path.is_file():
        raise ConfigError(f"{where or path}: no such allowlist file")
    table = table_of(path)
    for name in table:
        if name != "allow" and path.name not in (CONFIG_NAME, PYPROJECT):
            raise ConfigError(f"{path}: unknown key {name!r} in an allowlist file (only [[allow]] tables)")
    return parse_rules(table.get("allow", []), str(path))


def resolve(
    roots: Sequence[str] = (),
    config: str | None = None,
    cli: Mapping[str, Any] | None = None,
    cli_allowlists: Sequence[str] = (),
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """The effective settings. `cli` holds only the options given on the command line (by key name)."""
    env = os.environ if env is None else env
    layers = _Layers()
    for key in KEYS:
        layers.set(key.name, key.default, DEFAULT)
    allow: list[AllowRule] = []
    allowlists: list[str] = []
    credentials: list[str] = []
    path = find_config(roots, config, cwd)
    if path is not None:
        flat = _flatten(table_of(path), path)
        for name, value in flat.items():
            if name == "credentials":
                credentials.extend(_apply_credentials(path, value, env))
            elif name == "allow":
                allow.extend(parse_rules(value, str(path)))
            elif name == "allowlists":
                if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                    raise ConfigError(f"{path}: allowlists must be a list of file names")
                allowlists.extend(str(path.parent / v) for v in value)
            else:
                key = BY_NAME[name]
                value = _coerce(key, value, str(path))
                if key.path and value is not None:
                    value = str(path.parent / value)
                layers.set(name, value, str(path))
    for key in KEYS:
        if key.env and env.get(key.env) is not None and env.get(key.env) != "":
            layers.set(key.name, _coerce(key, env[key.env], key.env), f"env {key.env}")
    for name, value in (cli or {}).items():
        if value is None:
            continue
        key = BY_NAME[name]
        layers.set(name, _coerce(key, list(value) if key.kind is list else value, CLI), CLI)
    for file in [*allowlists, *cli_allowlists]:
        allow.extend(load_allowlist(Path(file)))
    return Settings(
        layers.values, layers.sources, tuple(allow), tuple([*allowlists, *cli_allowlists]), path, tuple(credentials)
    )


def _apply_credentials(path: Path, table: Mapping[str, str], env: Mapping[str, str]) -> list[str]:
    """Put the file's store credentials into the environment, where the sources (and forked
    workers) read them; a value already in the environment wins. The file must be owner-only."""
    if os.stat(path).st_mode & 0o077:
        raise ConfigError(f"{path}: holds [credentials] but others can read it (chmod 600 {path})")
    for name, value in table.items():
        if env is os.environ and not os.environ.get(CREDENTIALS[name]):
            os.environ[CREDENTIALS[name]] = value
    return sorted(table)


def render(settings: Settings) -> str:
    """The effective settings as TOML, each value with where it came from."""
    import json

    lines = [f"# config file: {settings.config_file or 'none'}", "[tool.pii-audit]"]
    if settings.credentials:
        lines.append(f"# credentials set by the config file (values not shown): {', '.join(settings.credentials)}")
    current = ""
    for key in KEYS:
        table, _, name = key.name.rpartition(".")
        if table != current:
            lines.append(f"\n[tool.pii-audit.{table}]")
            current = table
        value = settings.values[key.name]
        if value is None:
            lines.append(f"# {name} unset  # {settings.sources[key.name]}")
            continue
        shown = json.dumps(list(value) if isinstance(value, tuple) else value, ensure_ascii=False)
        lines.append(f"{name} = {shown}  # {settings.sources[key.name]}")
    if settings.allowlists:
        lines.append(f"\n# allowlist files: {', '.join(settings.allowlists)}")
    for rule in settings.allow:
        parts = ", ".join(f"{k}={v!r}" for k, v in rule.describe().items() if k not in ("reason", "source"))
        lines.append(f"# allow {parts}: {rule.reason!r}  ({rule.source})")
    return "\n".join(lines) + "\n"
