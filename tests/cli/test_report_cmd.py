"""One scan writes every report file; `pii-audit report` re-renders a saved JSON without rescanning."""

from __future__ import annotations

import csv
import html
import io
import json
import os
import zipfile
from pathlib import Path

import jsonschema
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from pii_audit.cli.app import app
from tests.conftest import SARIF_SCHEMA
from tests.fixtures import PEOPLE, rrn, write_tree

runner = CliRunner()
FORMATS = ("json", "csv", "xlsx", "html", "sarif")
RAW = [v for name, birth, address, phone in PEOPLE for v in (name, address, phone)]
RAW += [rrn(b, 1 + i % 2) for i, (_, b, _, _) in enumerate(PEOPLE)] + ["홍정자", "010-4457-3000"]


def ok(result: Result, code: int) -> None:
    """The exit code, reached by the command itself and not by a crash that happens to exit 1."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output


def _flags(out: Path, stem: str) -> list[str]:
    return [arg for fmt in FORMATS for arg in (f"--{fmt}", str(out / f"{stem}.{fmt}"))]


def _all_text(path: Path) -> str:
    """What a reader could see in the file: XLSX cells and XML (character references resolved)."""
    if path.suffix == ".xlsx":
        wb = load_workbook(path)
        cells = [str(c.value) for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
        with zipfile.ZipFile(path) as z:
            xml = "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
        return "\n".join(cells) + html.unescape(xml)
    return path.read_text(encoding="utf-8-sig")


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("tree"))


@pytest.fixture(scope="module")
def masked(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("masked")
    result = runner.invoke(app, ["scan", str(tree), "--findings", *_flags(out, "r")])
    ok(result, 1)  # the tree holds critical files
    return out, result.stdout + result.stderr


@pytest.fixture(scope="module")
def revealed(tree: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("revealed")
    result = runner.invoke(app, ["scan", str(tree), "--reveal", "--findings", *_flags(out, "r")])
    ok(result, 1)
    return out, result.stderr


def test_one_scan_writes_every_report_owner_only(masked: tuple[Path, str]) -> None:
    out, output = masked
    for fmt in FORMATS:
        path = out / f"r.{fmt}"
        assert path.exists(), fmt
        assert oct(os.stat(path).st_mode & 0o777) == "0o600", fmt
    assert "distinct people exposed" in output  # the terminal report still goes to stdout


def test_no_raw_value_in_any_file_without_reveal(masked: tuple[Path, str]) -> None:
    out, output = masked
    for fmt in FORMATS:
        text = _all_text(out / f"r.{fmt}")
        leaked = [v for v in RAW if v in text]
        assert not leaked, f"{fmt} holds raw values"
    assert not [v for v in RAW if v in output]


def test_reveal_puts_raw_values_where_asked(revealed: tuple[Path, str]) -> None:
    out, stderr = revealed
    assert "--reveal" in stderr
    rows = list(csv.DictReader(io.StringIO((out / "r.csv").read_text(encoding="utf-8-sig"))))
    assert "김영수" in {r["text"] for r in rows}
    assert "김영수" in _all_text(out / "r.xlsx") and "김영수" in _all_text(out / "r.sarif")


def test_written_reports_are_valid(masked: tuple[Path, str]) -> None:
    out, _ = masked
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(json.loads((out / "r.sarif").read_text(encoding="utf-8")))
    rows = list(csv.DictReader(io.StringIO((out / "r.csv").read_text(encoding="utf-8-sig"))))
    assert {"path", "entity_type", "masked", "line", "sheet", "cell"} <= set(rows[0]) and "text" not in rows[0]
    assert {r["path"] for r in rows} >= {"roster.xlsx", "export.csv"}
    assert load_workbook(out / "r.xlsx").sheetnames == [
        "Summary",
        "Files",
        "Folders",
        "Owners",
        "Findings",
        "Not scanned",
    ]
    assert (out / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_report_rerenders_the_same_files(masked: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = masked
    flags = [a for fmt in ("csv", "html", "sarif", "xlsx") for a in (f"--{fmt}", str(tmp_path / f"again.{fmt}"))]
    result = runner.invoke(app, ["report", str(out / "r.json"), "--findings", *flags])
    assert result.exit_code == 0, result.output
    for fmt in ("csv", "html", "sarif"):  # xlsx carries its creation time
        assert (tmp_path / f"again.{fmt}").read_bytes() == (out / f"r.{fmt}").read_bytes(), fmt
        assert oct(os.stat(tmp_path / f"again.{fmt}").st_mode & 0o777) == "0o600"
    assert (
        load_workbook(tmp_path / "again.xlsx")["Files"]["B2"].value
        == load_workbook(out / "r.xlsx")["Files"]["B2"].value
    )


def test_report_without_files_prints_the_terminal_report(masked: tuple[Path, str]) -> None:
    out, _ = masked
    result = runner.invoke(app, ["report", str(out / "r.json")])
    assert result.exit_code == 0
    assert "distinct people exposed" in result.stdout and "roster.xlsx" in result.stdout


def test_report_masks_a_revealed_json_unless_revealed_again(revealed: tuple[Path, str], tmp_path: Path) -> None:
    out, _ = revealed
    result = runner.invoke(app, ["report", str(out / "r.json"), "--csv", str(tmp_path / "m.csv"), "--findings"])
    assert result.exit_code == 0
    assert "김영수" not in (tmp_path / "m.csv").read_text(encoding="utf-8-sig")
    again = runner.invoke(
        app, ["report", str(out / "r.json"), "--reveal", "--csv", str(tmp_path / "r.csv"), "--findings"]
    )
    assert again.exit_code == 0 and "--reveal" in again.stderr
    assert "김영수" in (tmp_path / "r.csv").read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    "content", [b"", b"not json", b'{"runs": []}', b'{"tool": {"name": "pii-audit"}, "scan": {}, "files": []}']
)
def test_alien_json_exits_2_with_one_line(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(content)
    result = runner.invoke(app, ["report", str(path), "--html", str(tmp_path / "x.html")])
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_unwritable_target_fails_before_scanning(tree: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["scan", str(tree), "--xlsx", str(tmp_path / "no" / "such" / "r.xlsx")])
    ok(result, 2)
    assert "no such directory" in result.stderr
    same = runner.invoke(app, ["scan", str(tree), "--csv", str(tmp_path / "a"), "--html", str(tmp_path / "a")])
    ok(same, 2)
    assert "same file" in same.stderr
