"""Report languages: the catalogs are complete and compiled, the language comes from --lang, the
config, PII_AUDIT_LANG or the locale, and English stays what reports always printed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from pii_audit.cli.app import app
from pii_audit.config import ConfigError, resolve
from pii_audit.i18n import default_lang, from_locale, translator
from tests.fixtures import write_tree

pytest.importorskip("babel", reason="Babel (a dev dependency) reads the .po files")
from scripts import i18n as catalogs  # noqa: E402

runner = CliRunner(env={"COLUMNS": "250"})  # rows of the table on one line each


def test_catalogs_are_complete_current_and_compiled() -> None:
    """Every msgid in the sources is translated, none is stale, placeholders match, the .mo is the .po."""
    assert catalogs.problems("ko") == []


def test_placeholders_are_read_by_name() -> None:
    assert catalogs.fields("{n:,}명 {entity} {{literal}}") == {"n", "entity"}


def test_translator() -> None:
    ko, en = translator("ko"), translator("en")
    assert (ko.gettext("critical"), ko.gettext("high"), ko.gettext("medium"), ko.gettext("low")) == (
        "심각",
        "높음",
        "보통",
        "낮음",
    )
    assert en.gettext("critical") == "critical" and translator("xx").lang == "en"
    assert ko.number(1234567) == "1,234,567" and en.number(1234567) == "1234567"
    assert ko.datetime("2026-12-03T07:05:09+00:00") == "2026년 12월 3일 07:05:09 UTC"
    assert ko.datetime("2026-12-03T16:05:09+09:00") == "2026년 12월 3일 16:05:09 UTC+09:00"
    assert en.datetime("2026-12-03T07:05:09+00:00") == "2026-12-03T07:05:09+00:00"
    assert ko.datetime("not a date") == "not a date"


@pytest.mark.parametrize(
    ("env", "lang"),
    [
        ({"LANG": "ko_KR.UTF-8"}, "ko"),
        ({"LANG": "ko_KR.eucKR"}, "ko"),
        ({"LANG": "en_US.UTF-8"}, "en"),
        ({"LC_ALL": "C.UTF-8", "LANG": "ko_KR.UTF-8"}, "en"),  # LC_ALL decides, as in setlocale
        ({"LC_MESSAGES": "ko_KR.UTF-8", "LANG": "en_US.UTF-8"}, "ko"),
        ({}, "en"),
        ({"PII_AUDIT_LANG": "en", "LANG": "ko_KR.UTF-8"}, "en"),
        ({"PII_AUDIT_LANG": "ko"}, "ko"),
    ],
)
def test_default_language(env: dict[str, str], lang: str) -> None:
    assert default_lang(env) == lang


def test_from_locale_ignores_languages_without_a_catalog() -> None:
    assert from_locale({"LANG": "fr_FR.UTF-8"}) is None


def test_config_key_env_and_command_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PII_AUDIT_LANG", raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    assert resolve([str(tmp_path)], env={}, cwd=tmp_path).lang == "ko"  # from the locale
    (tmp_path / ".pii-audit.toml").write_text('lang = "en"\n', encoding="utf-8")
    assert resolve([str(tmp_path)], env={}, cwd=tmp_path).lang == "en"  # the config wins over the locale
    assert resolve([str(tmp_path)], env={"PII_AUDIT_LANG": "ko"}, cwd=tmp_path).lang == "ko"
    assert resolve([str(tmp_path)], cli={"lang": "en"}, env={"PII_AUDIT_LANG": "ko"}, cwd=tmp_path).lang == "en"
    (tmp_path / ".pii-audit.toml").write_text('lang = "fr"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="lang must be one of en, ko"):
        resolve([str(tmp_path)], env={}, cwd=tmp_path)


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tree(tmp_path_factory.mktemp("tree"))


def test_scan_lang_ko_and_report_lang_switch(tree: Path, tmp_path: Path) -> None:
    out = tmp_path / "run.json"
    result = runner.invoke(app, ["scan", str(tree), "--lang", "ko", "--no-cache", "--json", str(out)])
    assert result.exit_code == 1, result.output
    assert "명 노출" in result.stdout and "개인정보 보호법 분류: 고유식별정보" in result.stdout
    assert "distinct people" not in result.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["lang"] == "ko" and data["report_version"] == 3
    first = data["files"][0]
    assert first["reasons"][0].endswith("함께 노출됨") and first["reason_codes"][0]["code"] == "identity_complete"
    # the saved Korean report re-renders in English from its codes
    english = runner.invoke(app, ["report", str(out), "--lang", "en"])
    assert english.exit_code == 0, english.output
    assert "people with name or ID + birth date + address" in english.stdout and "노출됨" not in english.stdout


def test_locale_gives_korean_without_the_option(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PII_AUDIT_LANG")
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    result = runner.invoke(app, ["scan", str(tree / "roster.xlsx"), "--no-cache"])
    assert result.exit_code == 1, result.output
    assert "노출 순위별 파일" in result.stdout
    english = runner.invoke(app, ["scan", str(tree / "roster.xlsx"), "--no-cache", "--lang", "en"])
    assert "Files ranked by exposure" in english.stdout


def test_no_translated_call_inside_an_f_string() -> None:
    """Extraction does not look inside f-strings: a message marked there would never reach the catalog."""
    inside = re.compile(r"""\bf(["'])[^"'\n]*\{[^}"'\n]*\b(_|gettext|ngettext)\(""")
    found = [
        f"{path.relative_to(catalogs.ROOT)}:{n}"
        for path in sorted(catalogs.PACKAGE.rglob("*.py"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if inside.search(line)
    ]
    assert found == []
