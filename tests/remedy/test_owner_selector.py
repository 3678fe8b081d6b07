"""`--owner` narrows a remedy to one owner's files (the owners a report names, see --group-by owner)."""

from __future__ import annotations

import pwd
from pathlib import Path

from typer.testing import CliRunner

from pii_audit.cli.app import app
from tests.remedy.conftest import Case, ok, snapshot

runner = CliRunner()


def _planned(output: str) -> set[str]:
    return {line.split()[1] for line in output.splitlines() if line.startswith("quarantine")}


def test_owner_selects_that_owners_files_only(case: Case, tmp_path: Path) -> None:
    before = snapshot(case.root)
    owner = next(f["owner"] for f in case.data["files"] if f.get("owner"))
    assert owner == pwd.getpwuid(next(case.root.rglob("*.csv")).stat().st_uid).pw_name
    expected = {p for p, s in case.severities().items() if s in ("high", "critical")}
    mine = runner.invoke(app, ["quarantine", str(tmp_path / "q"), "--from", str(case.report), "--owner", owner])
    ok(mine, 0)
    assert _planned(mine.stdout) == expected and expected
    other = runner.invoke(app, ["quarantine", str(tmp_path / "q"), "--from", str(case.report), "--owner", "nobody"])
    ok(other, 0)
    assert _planned(other.stdout) == set()
    assert snapshot(case.root) == before  # plans change nothing
