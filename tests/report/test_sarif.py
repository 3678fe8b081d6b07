"""SARIF 2.1.0: validates against the OASIS schema; rules, levels, locations; masked messages."""

from __future__ import annotations

import json

import jsonschema
import pytest

from pii_audit.report import sarif
from pii_audit.report.view import from_dict
from tests.conftest import SARIF_SCHEMA
from tests.report.sample import RAW, sample_report

SCHEMA = SARIF_SCHEMA


def validate(log: dict) -> None:
    jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(log)


@pytest.mark.parametrize("reveal", [False, True])
def test_validates_against_the_schema(reveal: bool) -> None:
    validate(json.loads(sarif.render(from_dict(sample_report(), reveal=reveal))))


def test_rules_results_levels_locations() -> None:
    log = sarif.to_dict(from_dict(sample_report()))
    run = log["runs"][0]
    assert log["version"] == "2.1.0"
    driver = run["tool"]["driver"]
    assert driver["name"] == "pii-audit" and driver["version"] == "0.1.0"
    rules = driver["rules"]
    assert [r["id"] for r in rules] == ["EMAIL_ADDRESS", "KR_RRN", "PERSON", "PHONE_NUMBER"]
    assert all(r["name"] and r["shortDescription"]["text"] for r in rules)
    results = run["results"]
    assert len(results) == 4
    for r in results:
        assert rules[r["ruleIndex"]]["id"] == r["ruleId"]
    assert [r["level"] for r in results] == ["error", "error", "warning", "note"]
    rrn = results[1]
    assert "900101-1******" in rrn["message"]["text"]
    assert rrn["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "hr/roster.xlsx"
    assert rrn["locations"][0]["logicalLocations"] == [{"name": "명단!B2", "kind": "sheet"}]
    member = results[2]["locations"][0]
    assert member["physicalLocation"]["artifactLocation"]["uri"] == "hr/old.zip"  # the file on disk
    assert "region" not in member["physicalLocation"]  # a line inside the member is not a line of the zip
    assert member["logicalLocations"][0]["fullyQualifiedName"] == sample_report()["files"][1]["path"]
    assert results[2]["properties"]["archiveMember"].endswith("/list.csv")
    text = results[3]["locations"][0]["physicalLocation"]
    assert text["region"] == {"startLine": 1}
    assert "%3Cimg" in text["artifactLocation"]["uri"]  # percent-encoded, a valid URI reference
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is True and invocation["startTimeUtc"] == "2024-05-01T10:00:00Z"
    notes = [n["message"]["text"] for n in invocation["toolExecutionNotifications"]]
    assert notes == ["skipped: blob.bin: unsupported: data", "failed: +broken.pdf: corrupt: <xref>"]
    assert run["originalUriBaseIds"]["SCANROOT"]["uri"] == "file:///srv/share/"


def test_raw_values_only_when_revealed() -> None:
    masked = sarif.render(from_dict(sample_report()))
    assert not any(raw in masked for raw in RAW)
    revealed = sarif.render(from_dict(sample_report(), reveal=True))
    assert all(raw in revealed for raw in RAW)
