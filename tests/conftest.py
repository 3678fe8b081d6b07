"""Shared fixtures: one detector per test session (Kiwi and spaCy take seconds to load)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pii_audit.detect.engine import Detector

SHARED = Path(__file__).resolve().parents[2] / "shared"


def pytest_configure(config: pytest.Config) -> None:
    """Keep the tests' caches and key files out of the user's home: a private temp dir per run."""
    import os
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="pii-audit-tests-"))
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector()
