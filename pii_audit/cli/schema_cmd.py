"""`pii-audit schema`: print the JSON Schema of the report (`--format json`, `--json F`)."""

from __future__ import annotations

import sys

from pii_audit.cli.root import app
from pii_audit.resources import REPORT_SCHEMA


@app.command("schema")
def schema() -> None:
    """Print the JSON Schema (draft 2020-12) that every JSON report validates against."""
    sys.stdout.write(REPORT_SCHEMA.read_text(encoding="utf-8"))
