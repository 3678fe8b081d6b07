"""Shared bits of the store tests: a small tree with a roster, a zip and a negative, and the CLI call."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from typer.testing import CliRunner, Result

from pii_audit.cli.app import app
from tests.fixtures import PEOPLE, rrn, write_roster

runner = CliRunner()

EXPECTED_PATHS = {"hr/roster.xlsx", "archive.zip", "archive.zip!export.csv", "press.txt"}


def export_zip() -> bytes:
    lines = ["성명,주민등록번호,주소"] + [f"{n},{rrn(b, 1 + i % 2)},{a}" for i, (n, b, a, _) in enumerate(PEOPLE)]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("export.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8"))
    return buf.getvalue()


def store_files(tmp: Path) -> dict[str, bytes]:
    """Relative path -> bytes for a store: an xlsx roster in a folder, a zip of RRNs, a press release."""
    roster = write_roster(tmp / "roster.xlsx").read_bytes()
    press = "보도자료\n\n통일부는 2024년 3월 15일 서울에서 정착지원 정책 설명회를 열었다.\n".encode()
    return {"hr/roster.xlsx": roster, "archive.zip": export_zip(), "press.txt": press}


def scan(args: list[str], env: Mapping[str, str]) -> Result:
    return runner.invoke(
        app, ["scan", *args, "--format", "json", "--no-english-model", "--workers", "1", "--no-cache"], env=dict(env)
    )


def report(result: Result) -> dict[str, Any]:
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit), (result.output, result.exception)
    return dict(json.loads(result.stdout))


def by_path(rep: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f["path"]: f for f in rep["files"]}


def assert_found_people(rep: dict[str, Any], prefix: str = "") -> None:
    files = by_path(rep)
    roster = files[f"{prefix}hr/roster.xlsx"]
    assert roster["status"] == "scanned" and roster["format"] == "xlsx"
    assert roster["identity_complete_persons"] == len(PEOPLE)
    assert roster["severity"] in ("high", "critical")
    member = files[f"{prefix}archive.zip!export.csv"]
    assert {"KR_RRN", "ADDRESS"} <= set(member["entity_counts"]), member
    assert files[f"{prefix}press.txt"]["findings"] == []
