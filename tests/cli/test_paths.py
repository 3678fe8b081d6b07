"""File names with control characters and bytes that are not UTF-8: the real name in JSON, CSV and
SARIF; an escaped one in the terminal; the exact bytes recoverable (`path_bytes`)."""

from __future__ import annotations

import base64
import csv
import io
import json
import os
from pathlib import Path
from urllib.parse import unquote_to_bytes

import jsonschema
import pytest
from typer.testing import CliRunner

from pii_audit.cli.app import app
from tests.conftest import REPORT_SCHEMA

ROSTER = "성명,생년월일,주소\n김민서,1984-02-11,서울특별시 마포구 월드컵북로 400\n".encode()
NOT_UTF8 = b"\xff\xfe-\xb8\xed\xb4\xdc.csv"  # two stray bytes, then CP949 for 명단


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict, str, str]:
    root = tmp_path_factory.mktemp("names")
    (root / "line\nbreak.csv").write_bytes(ROSTER)
    (root / "tab\there.csv").write_bytes(ROSTER)
    (root / "line\\x0abreak.csv").write_bytes(ROSTER)  # really named with a backslash
    fd = os.open(os.fsencode(root) + b"/" + NOT_UTF8, os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, ROSTER)
    os.close(fd)
    out = root.parent / f"{root.name}-reports"
    out.mkdir()
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["scan", str(root), "--no-cache", "-j", "1", "--json", str(out / "r.json"), "--csv", str(out / "r.csv"),
         "--sarif", str(out / "r.sarif"), "--top", "20"],
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    report = json.loads((out / "r.json").read_text(encoding="utf-8"))
    return out, report, result.output, (out / "r.csv").read_text(encoding="utf-8-sig")


def test_json_carries_the_real_names(scanned: tuple[Path, dict, str, str]) -> None:
    _, report, _, _ = scanned
    jsonschema.validate(report, REPORT_SCHEMA)
    paths = {f["path"] for f in report["files"]}
    assert {"line\nbreak.csv", "tab\there.csv", "line\\x0abreak.csv"} <= paths  # three different files
    assert all(f["status"] == "scanned" for f in report["files"])


def test_bytes_that_are_not_utf8_are_recoverable(scanned: tuple[Path, dict, str, str]) -> None:
    _, report, _, _ = scanned
    (odd,) = [f for f in report["files"] if "path_bytes" in f]
    assert base64.b64decode(odd["path_bytes"]) == NOT_UTF8
    assert odd["path"].startswith("\\xff\\xfe-")  # shown as text, but the bytes are in path_bytes
    assert all("path_bytes" not in f for f in report["files"] if f is not odd)


def test_csv_and_sarif_carry_the_real_names(scanned: tuple[Path, dict, str, str]) -> None:
    out, _, _, csv_text = scanned
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert {"line\nbreak.csv", "tab\there.csv"} <= {r["path"] for r in rows}
    sarif = json.loads((out / "r.sarif").read_text(encoding="utf-8"))
    uris = {
        unquote_to_bytes(loc["physicalLocation"]["artifactLocation"]["uri"])
        for res in sarif["runs"][0]["results"]
        for loc in res["locations"]
    }
    assert {b"line\nbreak.csv", b"tab\there.csv", NOT_UTF8} <= uris


def test_terminal_shows_control_characters_escaped(scanned: tuple[Path, dict, str, str]) -> None:
    _, _, terminal, _ = scanned
    assert "line\\x0abreak.csv" in terminal and "tab\\x09here.csv" in terminal
    assert "line\nbreak" not in terminal  # a name never breaks a line a person reads
