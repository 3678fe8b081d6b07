"""Shared fixtures: one detector per test session (Kiwi and spaCy take seconds to load)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pii_audit.detect.engine import Detector

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def detector() -> Detector:
    return Detector()
