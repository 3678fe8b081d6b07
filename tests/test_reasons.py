"""Reasons are codes with parameters: English words as reports always printed them, Korean words
from the catalog, codes in the JSON report so a saved report re-renders in another language."""

from __future__ import annotations

import re

import pytest

from pii_audit import reasons as R
from pii_audit.i18n import translator
from pii_audit.model import FileRef, FileResult, PersonRecord, Reason, Status, type_set
from pii_audit.report.view import from_dict
from pii_audit.score import assess
from tests.report.sample import sample_report

EN, KO = translator("en"), translator("ko")

# (reason, English as reports printed it before codes, Korean)
CASES = [
    (R.reason(R.COMPLETE, n=305), "305 people with name or ID + birth date + address",
     "305명의 이름(또는 식별번호)·생년월일·주소가 함께 노출됨"),
    (R.reason(R.COMPLETE, n=1), "1 person with name or ID + birth date + address",
     "1명의 이름(또는 식별번호)·생년월일·주소가 함께 노출됨"),
    (R.reason(R.EXPOSED, n=2), "2 people with name, birth date or ID + address",
     "2명의 이름·생년월일·식별번호 중 일부가 주소와 함께 노출됨"),
    (R.reason(R.NO_ADDRESS, n=6), "personal data of 6 people, no residential address",
     "6명의 개인정보 (거주지 주소 없음)"),
    (R.reason(R.UNIQUE_ID, entity_type="KR_RRN", n=250), "resident registration numbers of 250 people",
     "주민등록번호 250명"),
    (R.reason(R.UNIQUE_ID, entity_type="KR_FRN", n=2), "foreigner registration numbers of 2 people",
     "외국인등록번호 2명"),
    (R.reason(R.UNIQUE_ID, entity_type="KR_PASSPORT", n=1), "passport numbers of 1 person", "여권번호 1명"),
    (R.reason(R.UNIQUE_ID, entity_type="KR_DRIVER_LICENSE", n=3), "driver licence numbers of 3 people",
     "운전면허번호 3명"),
    (R.reason(R.NK_HOMETOWN, n=40), "North Korean hometowns of 40 people", "북한 출신지 40명"),
    (R.reason(R.CONTEXT, category="defector"), "defector context", "북한이탈주민 관련 문맥"),
    (R.reason(R.CONTEXT, category="health"), "health context", "건강 관련 문맥"),
    (R.reason(R.CONTEXT, category="criminal"), "criminal-record context", "범죄경력 관련 문맥"),
    (R.reason(R.CONTEXT, category="refugee"), "refugee context", "난민 관련 문맥"),
    (R.reason(R.AUDIENCE, audience="everyone", readers="every local account", basis="mode 0644"),
     "readable by every local account (mode 0644)", "모든 사용자가 읽을 수 있음 (모든 로컬 계정, 권한 0644)"),
    (R.reason(R.AUDIENCE, audience="organisation", readers="group staff, user kim",
              basis="mode 0640; folder /srv (0750)"),
     "readable by group staff, user kim (mode 0640; folder /srv (0750))",
     "읽을 수 있는 사람: 그룹 staff, 사용자 kim (권한 0640; 폴더 /srv (0750))"),
    (R.reason(R.AUDIENCE, audience="owner-only", readers="", basis="mode 0600"), "owner-only (mode 0600)",
     "소유자만 읽을 수 있음 (권한 0600)"),
    (R.reason(R.AUDIENCE, audience="unknown", readers="", basis=""), "who can read it is unknown",
     "읽을 수 있는 사람을 알 수 없음"),
    (R.reason(R.STALE, years=4, since="2021-03-01"), "not modified for 4 years (since 2021-03-01): archive or delete",
     "4년 동안 수정되지 않음 (2021-03-01부터): 보관 또는 삭제"),
    (R.reason(R.ENCRYPTED), "encrypted", "암호화됨"),
    (R.reason(R.NOT_ENCRYPTED), "not encrypted", "암호화되지 않음"),
    (Reason(R.ONLY, (("EMAIL_ADDRESS", 2), ("PHONE_NUMBER", 3))), "only 2 EMAIL_ADDRESS, 3 PHONE_NUMBER",
     "이메일 주소 2개, 전화번호 3개만 있음"),
    (R.reason(R.DUTY_ENCRYPT, articles="개인정보 보호법 제24조제3항"),
     "unique identifiers: must be stored encrypted (개인정보 보호법 제24조제3항)",
     "고유식별정보 — 암호화 저장 의무 (개인정보 보호법 제24조제3항)"),
    (R.reason(R.DUTY_SENSITIVE, articles="개인정보 보호법 제23조제1항"),
     "sensitive information: processing restricted (개인정보 보호법 제23조제1항)",
     "민감정보 — 처리 제한 (개인정보 보호법 제23조제1항)"),
]  # fmt: skip


@pytest.mark.parametrize(("reason", "english", "korean"), CASES, ids=[c[0].code for c in CASES])
def test_reason_words(reason: Reason, english: str, korean: str) -> None:
    assert R.render(reason, EN) == english
    assert R.render(reason, KO) == korean


def test_every_code_has_a_case_and_korean_has_no_english_words() -> None:
    assert {c[0].code for c in CASES} == R.CODES
    for reason, _, _ in CASES:
        words = re.sub(r"\b(staff|kim|srv)\b", "", R.render(reason, KO))  # names from the store stay as they are
        assert not re.search(r"[A-Za-z]{2,}", words), reason


def test_korean_counts_group_thousands() -> None:
    assert R.render(R.reason(R.UNIQUE_ID, entity_type="KR_RRN", n=12345), KO) == "주민등록번호 12,345명"
    assert R.render(R.reason(R.UNIQUE_ID, entity_type="KR_RRN", n=12345), EN).startswith(
        "resident registration numbers of 12345 "
    )


def test_unknown_code_or_type_shows_what_it_is() -> None:
    assert R.render(Reason("from_the_future"), KO) == "from_the_future"
    assert R.render(R.reason(R.UNIQUE_ID, entity_type="XX_ID", n=2), KO) == "XX_ID: 2"


def _result(records: list[frozenset[str]], contexts: tuple[str, ...] = (), encrypted: bool = False) -> FileResult:
    counts: dict[str, int] = {}
    for types in records:
        for t in types:
            counts[t] = counts.get(t, 0) + 1
    return FileResult(
        ref=FileRef("a.csv", "/x/a.csv"),
        status=Status.SCANNED,
        records=tuple(PersonRecord(type_set(t), f"k{i}") for i, t in enumerate(records)),
        entity_counts=tuple(sorted(counts.items())),
        context_terms=contexts,
        encrypted=encrypted,
    )


def test_assess_gives_codes_and_the_duties() -> None:
    full = frozenset({"PERSON", "KR_RRN", "ADDRESS"})
    e = assess(_result([full, full], contexts=("defector",)))
    codes = [r.code for r in e.reasons]
    assert codes == [
        R.COMPLETE, R.UNIQUE_ID, R.DUTY_ENCRYPT, R.CONTEXT, R.DUTY_SENSITIVE, R.AUDIENCE, R.NOT_ENCRYPTED
    ]  # fmt: skip
    assert e.reasons[0] == R.reason(R.COMPLETE, n=2)
    assert e.reasons[2].get("articles") == "개인정보 보호법 제24조제3항, 제24조의2제2항"
    encrypted = assess(_result([full], encrypted=True))
    assert R.DUTY_ENCRYPT not in [r.code for r in encrypted.reasons], "an encrypted file meets the duty"
    plain = assess(_result([frozenset({"PERSON", "ADDRESS", "DATE_OF_BIRTH"})]))
    assert R.DUTY_SENSITIVE not in [r.code for r in plain.reasons] and R.DUTY_ENCRYPT not in [
        r.code for r in plain.reasons
    ]


def test_json_keeps_codes_and_the_view_renders_them_in_any_language() -> None:
    data = sample_report()
    data["files"][0]["reason_codes"] = [
        R.reason(R.COMPLETE, n=2).to_dict(),
        R.reason(R.CONTEXT, category="defector").to_dict(),
    ]
    assert from_dict(data).files[0].reasons == ("2 people with name or ID + birth date + address", "defector context")
    korean = from_dict(data, lang="ko").files[0]
    assert korean.reasons == ("2명의 이름(또는 식별번호)·생년월일·주소가 함께 노출됨", "북한이탈주민 관련 문맥")
    # a report from before the codes keeps its own words, in any language
    assert list(from_dict(data, lang="ko").files[1].reasons) == data["files"][1]["reasons"]


def test_reason_codes_that_do_not_fit_are_refused() -> None:
    from pii_audit.report.view import NotAReport

    data = sample_report()
    data["files"][0]["reason_codes"] = ["identity_complete"]
    with pytest.raises(NotAReport, match="reason_codes"):
        from_dict(data)


@pytest.mark.parametrize(
    ("said", "korean"),
    [
        ("mode 0644", "권한 0644"),
        ("POSIX ACL, mode 0640; folder /srv/a b (0750)", "POSIX ACL, 권한 0640; 폴더 /srv/a b (0750)"),
        ("mode 0644 on sftp://h.example", "sftp://h.example의 권한 0644"),
        ("every account on h.example", "h.example의 모든 계정"),
        ("DACL on \\\\host\\share", "\\\\host\\share의 DACL"),
        ("no DACL on \\\\host\\share", "\\\\host\\share에 DACL 없음"),
        ("object ACL in s3://b", "s3://b의 객체 ACL"),
        ("bucket policy of s3://b", "s3://b의 버킷 정책"),
        (
            "AllUsers (public), AuthenticatedUsers (any AWS account)",
            "AllUsers (공개), AuthenticatedUsers (모든 AWS 계정)",
        ),
        ("group staff, user kim", "그룹 staff, 사용자 kim"),
        ("permissions not readable: Permission denied", "권한을 읽을 수 없음: Permission denied"),
    ],
)
def test_what_stores_say_about_access_in_korean(said: str, korean: str) -> None:
    assert R.access_words(said, KO) == korean
    assert R.access_words(said, EN) == said
