"""Who can read it, who owns it, how old it is: end to end on a local tree, through the CLI.

Two byte-identical rosters, one world-readable and one owner-only: the world-readable one ranks
above and says why; a world-readable file that exposes fewer people never climbs above a roster;
JSON, CSV and XLSX carry owner, audience and modified time; a masked 0600 worklist per owner."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import stat
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from pii_audit.cli.app import app
from tests.conftest import REPORT_SCHEMA
from tests.fixtures import PEOPLE, open_dir, write_roster

runner = CliRunner()
AS_ROOT = os.geteuid() == 0
YEAR = 365.25 * 86400


@pytest.fixture(scope="module")
def tree() -> Iterator[Path]:
    """Under /tmp, open to others (0755): pytest's tmp_path sits in a 0700 folder that would make
    every file owner-only. Synthetic people only (tests/fixtures.py)."""
    with open_dir("pii-audit-owners-") as root:
        yield from _tree(root)


def _tree(root: Path) -> Iterator[Path]:
    docs = root / "docs"
    (docs / "team").mkdir(parents=True)
    (docs / "team").chmod(0o755)
    docs.chmod(0o755)
    write_roster(docs / "team" / "open.xlsx")
    shutil.copyfile(docs / "team" / "open.xlsx", docs / "a-private.xlsx")
    (docs / "team" / "open.xlsx").chmod(0o644)
    (docs / "a-private.xlsx").chmod(0o600)
    name, birth, address, _ = PEOPLE[0]
    (docs / "one.txt").write_text(f"성명: {name}\n생년월일: {birth:%Y-%m-%d}\n주소: {address}\n", encoding="utf-8")
    (docs / "one.txt").chmod(0o644)
    if AS_ROOT:
        os.chown(docs / "a-private.xlsx", 65534, 65534)  # nobody: a second owner
    yield root


@pytest.fixture(scope="module")
def scanned(tree: Path) -> tuple[dict, Path]:
    out = tree / "reports"
    out.mkdir()
    result = runner.invoke(
        app,
        ["scan", str(tree / "docs"), "--no-cache", "-j", "1", "--json", str(out / "r.json"),
         "--csv", str(out / "r.csv"), "--xlsx", str(out / "r.xlsx"), "--format", "json"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    return json.loads(result.stdout), out


def _by_path(report: dict) -> dict[str, dict]:
    return {f["path"]: f for f in report["files"]}


def test_world_readable_twin_ranks_above_the_owner_only_one(scanned: tuple[dict, Path]) -> None:
    files = _by_path(scanned[0])
    world, private = files["team/open.xlsx"], files["a-private.xlsx"]
    assert world["exposed_persons"] == private["exposed_persons"] == len(PEOPLE)
    assert world["rank"] < private["rank"] and world["risk_score"] > private["risk_score"]
    assert world["audience"] == "everyone" and private["audience"] == "owner-only"
    assert "readable by every local account (mode 0644)" in world["reasons"]
    assert "owner-only (mode 0600)" in private["reasons"]
    assert "restrict-access" in world["actions"] and "restrict-access" not in private["actions"]


def test_a_wider_audience_never_lifts_fewer_people_above_a_roster(scanned: tuple[dict, Path]) -> None:
    files = _by_path(scanned[0])
    one, private = files["one.txt"], files["a-private.xlsx"]
    assert one["audience"] == "everyone" and one["exposed_persons"] == 1
    assert one["rank"] > private["rank"]


def test_json_carries_owner_audience_and_times(scanned: tuple[dict, Path]) -> None:
    report = scanned[0]
    jsonschema.validate(report, REPORT_SCHEMA)
    assert report["report_version"] == 3
    files = _by_path(report)
    private = files["a-private.xlsx"]
    assert private["owner"] == ("nobody" if AS_ROOT else files["team/open.xlsx"]["owner"])
    mtime = os.stat(Path(report["scan"]["roots"][0]) / "a-private.xlsx").st_mtime
    assert private["modified"] == time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(mtime))
    assert private["stale"] is False and private["readers"] == [] and private["access_basis"] == "mode 0600"


def test_csv_and_xlsx_carry_the_same_fields(scanned: tuple[dict, Path]) -> None:
    _, out = scanned
    rows = {r["path"]: r for r in csv.DictReader(io.StringIO((out / "r.csv").read_text(encoding="utf-8-sig")))}
    assert rows["team/open.xlsx"]["audience"] == "everyone" and rows["a-private.xlsx"]["audience"] == "owner-only"
    assert rows["a-private.xlsx"]["owner"] and rows["a-private.xlsx"]["modified"].endswith("+00:00")
    wb = load_workbook(out / "r.xlsx")
    head = [c.value for c in wb["Files"][1]]
    assert {"owner", "audience", "modified", "actions"} <= set(head)
    owners = [[c.value for c in row] for row in wb["Owners"].iter_rows()]
    assert owners[0] == ["owner", "files", "exposed people", "worst file", "worst severity", "suggested actions"]
    by_owner = {r[0]: r for r in owners[1:]}
    if AS_ROOT:
        assert set(by_owner) == {"root", "nobody"}
        assert by_owner["root"][1:4] == [2, len(PEOPLE) + 1, "team/open.xlsx"]
        assert by_owner["nobody"][1:4] == [1, len(PEOPLE), "a-private.xlsx"]
    assert "restrict access (2)" in by_owner[_by_path(scanned[0])["team/open.xlsx"]["owner"]][5]


def test_worklists_one_masked_private_workbook_per_owner(scanned: tuple[dict, Path]) -> None:
    _, out = scanned
    target = out / "worklists"
    result = runner.invoke(app, ["report", str(out / "r.json"), "--worklists", str(target)])
    assert result.exit_code == 0, result.output
    books = sorted(p.name for p in target.iterdir())
    assert books == (["nobody.xlsx", "root.xlsx"] if AS_ROOT else books) and books
    for book in target.iterdir():
        assert stat.S_IMODE(book.stat().st_mode) == 0o600
        with zipfile.ZipFile(book) as z:
            text = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        for name, _, address, phone in PEOPLE:
            assert name not in text and address not in text and phone not in text
    if AS_ROOT:
        rows = [[c.value for c in r] for r in load_workbook(target / "root.xlsx")["Worklist"].iter_rows()]
        assert [r[1] for r in rows[1:]] == ["team/open.xlsx", "one.txt"]  # worst first
        assert rows[1][7] == "restrict access"


def test_group_by_owner_and_folder_in_the_terminal(scanned: tuple[dict, Path]) -> None:
    _, out = scanned
    result = runner.invoke(app, ["report", str(out / "r.json"), "--group-by", "owner"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    if AS_ROOT:
        assert "Owner root: 2 files" in result.output and "Owner nobody: 1 files" in result.output
        assert result.output.index("Owner root") < result.output.index("Owner nobody")
    result = runner.invoke(app, ["report", str(out / "r.json"), "--group-by", "folder"], env={"COLUMNS": "200"})
    assert result.exit_code == 0 and "Folder team: 1 files" in result.output and "Folder .: 2 files" in result.output


def test_stale_data_gets_a_reason_and_an_action(tree: Path, tmp_path: Path) -> None:
    old = tree / "old"
    old.mkdir(mode=0o755)
    shutil.copyfile(tree / "docs" / "a-private.xlsx", old / "roster.xlsx")
    five_years_ago = time.time() - 5 * YEAR
    os.utime(old / "roster.xlsx", (five_years_ago, five_years_ago))
    result = runner.invoke(app, ["scan", str(old), "--no-cache", "-j", "1", "--format", "json"])
    stale = json.loads(result.stdout)["files"][0]
    assert stale["stale"] is True and stale["actions"][0] == "delete-or-archive"
    assert any(r.startswith("not modified for 5 years") and r.endswith("archive or delete") for r in stale["reasons"])
    config = tmp_path / "c.toml"
    config.write_text("[weights]\nstale-years = 10\n", encoding="utf-8")
    result = runner.invoke(
        app, ["scan", str(old), "--no-cache", "-j", "1", "--format", "json", "--config", str(config)]
    )
    fresh = json.loads(result.stdout)["files"][0]
    assert fresh["stale"] is False and "delete-or-archive" not in fresh["actions"]
    assert fresh["risk_score"] < stale["risk_score"]


def test_scan_writes_worklists_too(tree: Path, tmp_path: Path) -> None:
    target = tmp_path / "lists"
    result = runner.invoke(app, ["scan", str(tree / "docs"), "--no-cache", "-j", "1", "--worklists", str(target)])
    assert result.exit_code == 1, result.output
    books = list(target.iterdir())
    assert books and all(stat.S_IMODE(b.stat().st_mode) == 0o600 for b in books)
    assert stat.S_IMODE(target.stat().st_mode) == 0o700
    result = runner.invoke(app, ["scan", str(tree / "docs"), "--worklists", str(tree / "docs" / "one.txt")])
    assert result.exit_code == 2 and "--worklists needs a directory" in result.output
