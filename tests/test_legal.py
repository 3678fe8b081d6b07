"""PIPA categories: per entity type, per sensitive context, per file; the data file cites checkable sources."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pii_audit import legal
from pii_audit.cli.app import app
from pii_audit.detect.sensitive import CATEGORIES as CONTEXT_WORDS
from pii_audit.finding_json import encode
from pii_audit.i18n import terms
from pii_audit.model import Finding, Location
from tests.fixtures import write_tree


@pytest.mark.parametrize(
    ("entity", "category"),
    [
        ("KR_RRN", "unique_identifier"),
        ("KR_PASSPORT", "unique_identifier"),
        ("KR_DRIVER_LICENSE", "unique_identifier"),
        ("KR_FRN", "unique_identifier"),
        ("PERSON", "personal"),
        ("DATE_OF_BIRTH", "personal"),
        ("ADDRESS", "personal"),
        ("PHONE_NUMBER", "personal"),
        ("EMAIL_ADDRESS", "personal"),
        ("CREDIT_CARD", "personal"),
        ("KR_BRN", "personal"),
        ("NK_HOMETOWN", "sensitive"),
        ("SOMETHING_NEW", "personal"),
    ],
)
def test_entity_categories(entity: str, category: str) -> None:
    assert legal.entity_category(entity) == category
    assert legal.finding_category(entity, sensitive_file=False) == category


@pytest.mark.parametrize("context", ["health", "criminal", "defector", "refugee"])
def test_sensitive_contexts_make_personal_data_sensitive_but_ids_stay_ids(context: str) -> None:
    assert legal.is_sensitive_context([context])
    assert legal.finding_category("PERSON", sensitive_file=True) == "sensitive"
    assert legal.finding_category("PHONE_NUMBER", sensitive_file=True) == "sensitive"
    assert legal.finding_category("KR_RRN", sensitive_file=True) == "unique_identifier"
    assert legal.file_categories(["KR_RRN", "PERSON"], [context]) == ("unique_identifier", "sensitive")
    assert legal.file_categories(["KR_RRN"], [context]) == ("unique_identifier", "sensitive")


def test_file_categories_strictest_first_and_none_without_data() -> None:
    assert legal.file_categories(["PHONE_NUMBER", "KR_PASSPORT"], []) == ("unique_identifier", "personal")
    assert legal.file_categories(["NK_HOMETOWN", "PERSON"], []) == ("sensitive", "personal")
    assert legal.file_categories([], ["health"]) == ()
    assert not legal.is_sensitive_context([])


def test_every_known_type_and_context_is_mapped() -> None:
    m = legal.mapping()
    assert set(terms.ENTITIES) <= set(m.entities)
    assert set(CONTEXT_WORDS) == set(m.contexts)
    assert set(terms.CONTEXTS) == set(m.contexts)


def test_every_entry_cites_a_law_it_names_or_says_it_is_policy() -> None:
    raw = legal.mapping().raw
    laws = raw["laws"]
    assert all(v["source"].startswith("https://www.law.go.kr/") for v in laws.values())
    article = re.compile(r"^제\d+조(의\d+)?(제\d+항)?(제\d+호)?$")
    entries = [*raw["entities"].values(), *raw["contexts"].values(), *raw["categories"].values()]
    for entry in entries:
        cited = [*(entry.get("basis") or ()), *(entry.get("duty_basis") or ())]
        assert cited or entry.get("policy") or entry.get("category") == "personal", entry
        for basis in cited:
            assert basis["law"] in laws and article.match(basis["article"]), basis
    assert set(raw["categories"]) == set(legal.CATEGORIES)


def test_duty_articles_cite_the_rrn_article_only_for_rrns() -> None:
    assert legal.duty_articles("unique_identifier", ["KR_PASSPORT"]) == "개인정보 보호법 제24조제3항"
    assert legal.duty_articles("unique_identifier", ["KR_RRN"]) == "개인정보 보호법 제24조제3항, 제24조의2제2항"
    assert legal.duty_articles("sensitive") == "개인정보 보호법 제23조제1항"
    assert legal.duty_articles("personal") == ""


def test_encoded_findings_carry_their_category_and_nothing_else() -> None:
    hostile = '{"entity_type":"KR_RRN"}'  # a masked value that looks like the start of a finding
    findings = [
        Finding("KR_RRN", 0.9, Location(line=1), "900101-1******", "f1"),
        Finding("PERSON", 0.8, Location(line=2), hostile, "f2"),
    ]
    for sensitive, person in ((False, "personal"), (True, "sensitive")):
        out = json.loads(encode(findings, sensitive))
        assert [x["legal_category"] for x in out] == ["unique_identifier", person]
        assert out[1]["masked"] == hostile
        assert list(out[0])[:2] == ["entity_type", "legal_category"]
    assert "legal_category" not in encode(findings)


def test_a_warm_run_reports_the_categories_of_the_cold_one(tmp_path: Path) -> None:
    """The cache keeps each finding's category in its encoded text, so a rescan copies it as it is."""
    tree = write_tree(tmp_path / "tree")
    reports = []
    for _ in range(2):
        result = CliRunner().invoke(app, ["scan", str(tree), "--format", "json"])
        assert result.exit_code == 1, result.output
        reports.append(json.loads(result.stdout))
    assert "unchanged files not read again" in result.stderr
    cold, warm = (
        {f["path"]: [(x["entity_type"], x["legal_category"]) for x in f["findings"]] for f in r["files"]}
        for r in reports
    )
    assert cold == warm and ("KR_RRN", "unique_identifier") in warm["export.csv"]
    assert {c for _, c in warm["note.txt"]} == {"sensitive"}
