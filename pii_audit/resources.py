"""Files the package ships: the rule files (`patterns/`) and the report's JSON Schema.

They are package data, found next to this module, so an installed wheel finds them as an editable
checkout does (importlib.resources would too, at the cost of its imports on every run). The
repository's top-level `patterns` is a link to `pii_audit/patterns`: one copy, edited in either place.
"""

from pathlib import Path
from typing import Any

_PACKAGE = Path(__file__).resolve().parent  # as importlib.resources.files("pii_audit"), without its imports

PATTERNS_ROOT = _PACKAGE / "patterns"
WORDLISTS = PATTERNS_ROOT / "wordlists"
GAZETTEER = PATTERNS_ROOT / "gazetteer"
REPORT_SCHEMA = _PACKAGE / "schema" / "report.schema.json"
PIPA = PATTERNS_ROOT / "legal" / "pipa.yaml"


def read_yaml(path: Path) -> Any:
    """A shipped YAML file (word lists, gazetteers), parsed by libyaml when PyYAML has it: the
    pure-Python parser took about a second of every worker's start-up on the word lists alone."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 - a safe loader
