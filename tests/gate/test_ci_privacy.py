"""CI mode (CI=true): nothing the gate writes (baseline, allowlist, reports) holds a raw value,
and --reveal is refused there."""

from __future__ import annotations

import json
from pathlib import Path

from tests.fixtures import write_roster, write_tree
from tests.gate.conftest import FAST, cli, no_raw_values

CI = {"CI": "true"}


def test_nothing_written_in_ci_holds_a_raw_value(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tree")
    out = tmp_path / "out"
    out.mkdir()
    base, allow = out / "baseline.json", out / "allow.toml"
    assert cli("baseline", str(tree), "-o", str(base), *FAST, env=CI).exit_code == 0
    first = cli("scan", str(tree), "--format", "json", *FAST, env=CI)
    fingerprint = json.loads(first.stdout)["files"][0]["findings"][0]["fingerprint"]
    assert cli("allow", fingerprint, "--reason", "reviewed", "--file", str(allow), env=CI).exit_code == 0
    (tree / "new").mkdir()
    write_roster(tree / "new" / "roster2.xlsx")
    reports = {name: out / name for name in ("r.json", "r.sarif", "r.csv", "r.html")}
    result = cli(
        "scan", str(tree), "--baseline", str(base), "--allowlist", str(allow), *FAST,
        "--json", str(reports["r.json"]), "--sarif", str(reports["r.sarif"]), "--csv", str(reports["r.csv"]),
        "--findings", "--html", str(reports["r.html"]), "--output", str(out / "r.txt"), env=CI,
    )  # fmt: skip
    assert result.exit_code == 1, (result.output, result.exception)
    written = sorted(p for p in out.iterdir() if p.is_file())
    assert len(written) == 7
    no_raw_values(result.output, first.output, *(p.read_text(encoding="utf-8") for p in written))
    report = json.loads(reports["r.json"].read_text(encoding="utf-8"))
    assert report["gate"]["new_files"] == ["new/roster2.xlsx"] and report["gate"]["allowed_findings"] >= 1


def test_reveal_in_ci_is_honoured_with_a_warning(tmp_path: Path) -> None:
    tree = write_tree(tmp_path / "tree")
    result = cli("scan", str(tree / "staff.txt"), "--reveal", *FAST, env=CI)
    assert result.exit_code in (0, 1)
    assert "CI=true and --reveal" in result.stderr
