"""pipa.json mirrors pipa.yaml (runs read the mirror: importing PyYAML would cost every warm
rescan); a mirror that does not match the YAML's bytes is ignored, never trusted."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pii_audit import legal
from pii_audit.resources import PIPA, read_yaml


def test_the_mirror_is_current_and_equal_to_the_yaml() -> None:
    mirror = json.loads(legal.PIPA_MIRROR.read_text(encoding="utf-8"))
    assert mirror["source_sha256"] == legal._digest(), "pipa.yaml changed: run `python -m pii_audit.legal`"
    assert mirror["data"] == read_yaml(PIPA)


def test_a_stale_mirror_is_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stale = tmp_path / "pipa.json"
    stale.write_text(json.dumps({"source_sha256": "0" * 64, "data": {"laws": {}}}), encoding="utf-8")
    monkeypatch.setattr(legal, "PIPA_MIRROR", stale)
    assert legal._raw() == read_yaml(PIPA)
