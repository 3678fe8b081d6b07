"""The report view: built from a run or from the JSON contract, the same either way; alien JSON refused."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from pii_audit.report.load import load
from pii_audit.report.view import NotAReport, from_dict
from tests.report.sample import RAW, sample_report


def test_view_drops_raw_values_unless_revealed() -> None:
    masked = from_dict(sample_report())
    assert not masked.revealed
    assert all(x.text is None for f in masked.files for x in f.findings)
    revealed = from_dict(sample_report(), reveal=True)
    assert revealed.revealed and revealed.files[0].findings[0].text == RAW[0]


def test_view_fields() -> None:
    view = from_dict(sample_report())
    assert [f.status for f in view.not_scanned] == ["skipped", "failed"]
    assert view.severity_counts() == {"critical": 1, "high": 0, "medium": 1, "low": 1, "none": 0}
    assert view.files[1].outer == "hr/old.zip" and view.files[1].member and view.files[1].member.endswith("list.csv")
    assert [f.path for f in view.top_folders()] == ["hr"]  # the root only when it is the only folder
    assert view.entity_types() == ("EMAIL_ADDRESS", "KR_RRN", "PERSON", "PHONE_NUMBER")


def _broken(edit: str) -> Any:
    data = sample_report()
    if edit == "not an object":
        return [data]
    if edit == "other tool":
        data["tool"]["name"] = "trivy"
    elif edit == "no files":
        del data["files"]
    elif edit == "bad severity":
        data["files"][0]["severity"] = "catastrophic"
    elif edit == "string count":
        data["scan"]["files_seen"] = "5"
    elif edit == "bool rank":
        data["files"][0]["rank"] = True
    elif edit == "finding without mask":
        del data["files"][0]["findings"][0]["masked"]
    elif edit == "location line is text":
        data["files"][0]["findings"][0]["location"]["line"] = "3"
    return data


@pytest.mark.parametrize(
    ("edit", "says"),
    [
        ("not an object", "report should be an object"),
        ("other tool", "tool.name"),
        ("no files", "files should be a list"),
        ("bad severity", "files[0].severity"),
        ("string count", "scan.files_seen"),
        ("bool rank", "files[0].rank"),
        ("finding without mask", "files[0].findings[0].masked"),
        ("location line is text", "files[0].findings[0].location.line"),
    ],
)
def test_alien_json_is_refused_naming_the_field(edit: str, says: str) -> None:
    with pytest.raises(NotAReport, match=".*") as info:
        from_dict(_broken(edit))
    assert says in str(info.value)


def test_load_errors_are_one_line_without_content(tmp_path: Path) -> None:
    cases = {
        "missing.json": None,
        "text.json": b"name,rrn\nRAWNAME,900101-1234567\n",
        "binary.json": b"\xff\xfe\x00garbage",
        "alien.json": json.dumps({"version": "2.1.0", "runs": []}).encode(),
    }
    for name, content in cases.items():
        path = tmp_path / name
        if content is not None:
            path.write_bytes(content)
        with pytest.raises(NotAReport) as info:
            load(path)
        message = str(info.value)
        assert "\n" not in message and "RAWNAME" not in message and name in message


def test_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    data = sample_report()
    path.write_text(json.dumps(data), encoding="utf-8")
    assert load(path) == from_dict(copy.deepcopy(data))
