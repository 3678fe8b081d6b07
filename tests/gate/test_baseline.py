"""Baselines: keyed, value-free, stable under edits elsewhere; scans fail only on what is new."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from pii_audit import baseline as bl
from tests.fixtures import write_roster, write_tree
from tests.gate.conftest import FAST, by_path, cli, no_raw_values, scan_json, write

NOTE = (
    "상담일지\n\n홍정자님은 1950년 3월 3일생으로 함경남도 함흥시에서 살다가 2008년 탈북하였다.\n"
    "주거지는 서울특별시 노원구 상계동 869-17번지이고 휴대전화 010-4457-3000.\n"
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    return write_tree(tmp_path / "tree")


def make_baseline(root: Path, out: Path, *extra: str) -> None:
    result = cli("baseline", str(root), "-o", str(out), *FAST, *extra)
    assert result.exit_code == 0, (result.output, result.exception)


def test_baseline_file_is_private_versioned_and_value_free(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "baseline.json"
    make_baseline(tree, out)
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"
    text = out.read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format"] == "pii-audit-baseline" and data["version"] == bl.VERSION
    assert data["rules_hash"] == bl.rules_hash() and len(data["key_id"]) == 32
    assert os.environ["PII_AUDIT_KEY"] not in text
    assert {"roster.xlsx", "export.csv", "note.txt"} <= set(data["files"])
    assert "press.txt" not in data["files"]  # nothing found, nothing to know
    assert all(set(f) == {"severity", "findings"} for f in data["files"].values())
    no_raw_values(text)


def test_rescan_is_known_then_a_new_roster_fails_alone(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "baseline.json"
    make_baseline(tree, out)
    code, report = scan_json(str(tree), "--baseline", str(out))
    assert code == 0
    assert {f["baseline"] for f in report["files"]} == {"known"}
    assert report["gate"]["new_files"] == [] and report["gate"]["exit_code"] == 0
    (tree / "new").mkdir()
    write_roster(tree / "new" / "roster2.xlsx")
    code, report = scan_json(str(tree), "--baseline", str(out))
    assert code == 1
    files = by_path(report)
    assert report["gate"]["new_files"] == ["new/roster2.xlsx"] == report["gate"]["failing"]
    assert files["new/roster2.xlsx"]["baseline"] == "new"
    assert {f["baseline"] for f in files["new/roster2.xlsx"]["findings"]} == {"new"}
    assert files["roster.xlsx"]["baseline"] == "known"
    terminal = cli("scan", str(tree), "--baseline", str(out), *FAST)
    assert terminal.exit_code == 1
    assert "new/roster2.xlsx" in terminal.stdout and "New since the baseline" in terminal.stdout
    assert "export.csv" not in terminal.stdout  # known files are not listed
    korean = cli("scan", str(tree), "--baseline", str(out), "--lang", "ko", *FAST, env={"COLUMNS": "200"})
    assert "기준선 이후 새로 발견된 파일" in korean.stdout and "new/roster2.xlsx" in korean.stdout
    assert "기준선" in korean.stdout.split("기준선 이후 새로 발견된 파일")[1]  # the known files, in Korean too


def test_edits_elsewhere_in_a_file_do_not_churn(tree: Path, tmp_path: Path) -> None:
    write(tree / "note.txt", NOTE)
    out = tmp_path / "baseline.json"
    make_baseline(tree, out)
    before = json.loads(out.read_text())["files"]
    write(tree / "note.txt", "머리말 한 줄을 더 넣었다.\n\n\n" + NOTE + "\n끝.\n")  # same values, other lines
    code, report = scan_json(str(tree), "--baseline", str(out))
    assert code == 0 and by_path(report)["note.txt"]["baseline"] == "known"
    make_baseline(tree, out)
    assert json.loads(out.read_text())["files"] == before


def test_rebaseline_replaces_and_merge_keeps(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "baseline.json"
    make_baseline(tree, out)
    (tree / "export.csv").unlink()
    make_baseline(tree, out, "--merge")
    assert "export.csv" in json.loads(out.read_text())["files"]
    make_baseline(tree, out)
    assert "export.csv" not in json.loads(out.read_text())["files"]


def test_baseline_under_another_key_is_a_clear_usage_error(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "baseline.json"
    make_baseline(tree / "roster.xlsx", out)
    other = {"PII_AUDIT_KEY": "another-key-0123456789abcdef0123456789abcdef"}
    result = cli("scan", str(tree), "--baseline", str(out), *FAST, env=other)
    assert result.exit_code == 2
    assert "baseline was made with a different key; set PII_AUDIT_KEY" in result.stderr
    assert "Traceback" not in result.output and len(result.stderr.strip().splitlines()) <= 2
    assert cli("baseline", str(tree), "-o", str(out), *FAST, env=other).exit_code == 2


@pytest.mark.parametrize("content", ["not json", '{"format": "pii-audit-baseline", "version": 99}', "{}"])
def test_bad_baseline_exits_2(tree: Path, tmp_path: Path, content: str) -> None:
    bad = write(tmp_path / "b.json", content)
    result = cli("scan", str(tree / "press.txt"), "--baseline", str(bad), *FAST)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert cli("scan", str(tree), "--baseline", str(tmp_path / "missing.json"), *FAST).exit_code == 2


def test_strict_exits_3_only_when_nothing_else_failed(tree: Path, tmp_path: Path) -> None:
    (tree / "huge.pdf").write_bytes(b"%PDF-1.4\n" + b"x" * 4096)  # over the limit, and not streamable
    press = ["--include", "press.txt", "--include", "huge.pdf", "--max-file-mb", "0.002"]
    assert cli("scan", str(tree), *press, *FAST).exit_code == 0
    assert cli("scan", str(tree), *press, "--strict", *FAST).exit_code == 3
    assert cli("scan", str(tree), "--max-file-mb", "0.002", "--strict", *FAST).exit_code == 1


def test_exit_codes_are_in_help() -> None:
    text = cli("scan", "--help").stdout
    for fragment in ("Exit codes", "0 nothing", "1 new findings", "2 usage", "3 with --strict"):
        assert fragment in " ".join(text.split())
