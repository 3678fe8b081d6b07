"""Shared fixtures: one detector per test session (Kiwi and spaCy take seconds to load)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pii_audit.detect.engine import Detector
from pii_audit.resources import REPORT_SCHEMA as _REPORT_SCHEMA_PATH

# The project's shared folder beside the checkout (devset, real sample files). A clone on its own has
# none: tests that read it skip with the reason (`needs_shared`).
SHARED = Path(__file__).resolve().parents[2] / "shared"
REPORT_SCHEMA = json.loads(_REPORT_SCHEMA_PATH.read_text(encoding="utf-8"))  # shipped in the package
SARIF_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def needs_shared(*parts: str) -> pytest.MarkDecorator:
    """Skip unless `../shared/<parts>` exists (it is beside the checkout, not in the repository)."""
    where = SHARED.joinpath(*parts)
    reason = f"{where} not found: the shared folder is not beside this clone"
    return pytest.mark.skipif(not where.exists(), reason=reason)


def pytest_configure(config: pytest.Config) -> None:
    """Keep the tests' caches and key files out of the user's home: a private temp dir per run."""
    import os
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="pii-audit-tests-"))
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    # Reports in English whatever the machine's locale (LANG=ko_KR.UTF-8 would make them Korean);
    # tests of other languages pass --lang or set the variable themselves.
    os.environ["PII_AUDIT_LANG"] = "en"


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector()
