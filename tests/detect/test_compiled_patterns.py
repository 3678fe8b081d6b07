"""Compiled regular expressions kept between runs (detect/compiled_patterns.py): the same matches
from a stored program as from parsing, nothing parsed again, and a damaged file never trusted."""

from __future__ import annotations

import importlib
import json
import os
import re
import stat
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import regex
from regex import _main

from pii_audit.detect import compiled_patterns
from pii_audit.detect.compiled_patterns import Stored, load, reused

_re_parser: Any = importlib.import_module("re._parser")
_re_compile = importlib.import_module("re._compiler").compile

PATTERNS = [
    (r"(?<![가-힣])(?P<name>[가-힣]{2,4})(?:씨|님)(?![가-힣])", 0),
    (r"(?i)\b(?:apt|suite)\s+(?P<unit>\d{1,4}[A-Z]?)\b", 0),
    (r"(\d{6})-?([1-4]\d{6})", regex.MULTILINE),
    (r"(?:https?://)?(?:www\.)?[a-z0-9-]{1,63}\.(?:com|org|kr)(?:/\S*)?", regex.IGNORECASE | regex.DOTALL),
    (r"(?P<y>19\d\d|20\d\d)년\s*(?P<m>1[0-2]|0?[1-9])월\s*(?P<d>3[01]|[12]\d|0?[1-9])일(?:생)?", 0),
    (r"(?:(?:서울|부산)(?:특별시|광역시)?|경기도?)\s+[가-힣]{1,5}(?:구|시|군)", 0),
]
TEXTS = [
    "김민수씨 and 박지영님 met at Apt 12B, Suite 300 on 1985년 7월 2일생",
    "900101-1234567\nwww.example.com/path and HTTP://Example.ORG ok",
    "서울특별시 관악구, 부산 해운대구, 경기도 성남시; 2001년 12월 31일",
    "",
]


def _matches(pattern: regex.Pattern[str]) -> list[object]:
    return [(m.span(), m.groups(), m.groupdict()) for text in TEXTS for m in pattern.finditer(text)]


def _never_parsed(*args: object) -> object:
    raise AssertionError("a stored pattern was parsed again")


def _fresh(source: str, flags: int) -> regex.Pattern[str]:
    regex.purge()
    return regex.compile(source, flags, cache_pattern=False)


def test_a_stored_program_matches_as_the_parsed_pattern_and_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = tmp_path / "compiled" / "regex.bin"
    with reused(store):
        first = [regex.compile(p, f) for p, f in PATTERNS]
    assert len(load(store).programs) == len(PATTERNS)

    regex.purge()
    with monkeypatch.context() as patch:
        patch.setattr(_main, "_parse_pattern", _never_parsed)
        with reused(store):
            second = [regex.compile(p, f) for p, f in PATTERNS]
    for (source, flags), a, b in zip(PATTERNS, first, second, strict=True):
        fresh = _fresh(source, flags)
        assert b.pattern == fresh.pattern and b.flags == fresh.flags
        assert b.groupindex == fresh.groupindex and b.groups == fresh.groups
        assert _matches(a) == _matches(b) == _matches(fresh)
        assert _matches(fresh)  # the texts exercise every pattern


RE_PATTERNS = [
    (r"(?P<num>\d+)(?:\.\d+)?\s*(?:%|percent)", 0),
    (r"^(?:[A-Z][a-z]+\s?){1,3}(?=:)", re.MULTILINE),
    (r"[가-힣]{2,4}(?:씨|님)|www\.[a-z]+\.(?:com|kr)", re.IGNORECASE),
    (rb"\x00{2,}|PK\x03\x04", 0),
]
RE_TEXTS = ["Rate: 12.5 % and 7 percent\nDue Date: soon", "김민수씨 WWW.EXAMPLE.COM 박지영님", ""]


def _re_matches(pattern: re.Pattern[Any]) -> list[object]:
    texts: list[Any] = (
        [t.encode() + b"\x00\x00PK\x03\x04" for t in RE_TEXTS] if isinstance(pattern.pattern, bytes) else RE_TEXTS
    )
    return [(m.span(), m.groups(), m.groupdict()) for text in texts for m in pattern.finditer(text)]


def test_a_stored_re_program_matches_as_the_parsed_pattern_and_is_not_parsed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Python's `re` patterns compiled inside the block are kept as well (spaCy's and Presidio's)."""
    store = tmp_path / "regex.bin"
    re.purge()
    with reused(store):
        first = [re.compile(p, f) for p, f in RE_PATTERNS]
    assert len(load(store).re_programs) == len(RE_PATTERNS)

    re.purge()
    with monkeypatch.context() as patch:
        patch.setattr(_re_parser, "parse", _never_parsed)
        with reused(store):
            second = [re.compile(p, f) for p, f in RE_PATTERNS]
    re.purge()
    for (source, flags), a, b in zip(RE_PATTERNS, first, second, strict=True):
        fresh = re.compile(source, flags)
        assert b.pattern == fresh.pattern and b.flags == fresh.flags
        assert b.groupindex == fresh.groupindex and b.groups == fresh.groups
        assert _re_matches(a) == _re_matches(b) == _re_matches(fresh)
        assert _re_matches(fresh)  # the texts exercise every pattern
    assert importlib.import_module("re._compiler").compile is _re_compile  # itself again outside


def test_the_file_is_private_and_compile_is_itself_again_outside(tmp_path: Path) -> None:
    store = tmp_path / "c" / "regex.bin"
    original = _main._compile
    with pytest.raises(RuntimeError), reused(store):
        regex.compile(r"x(?P<a>\d+)y")
        assert _main._compile is not original
        raise RuntimeError("stop")
    assert _main._compile is original
    assert stat.S_IMODE(store.stat().st_mode) == 0o600
    assert stat.S_IMODE(store.parent.stat().st_mode) == 0o700
    assert not [p for p in store.parent.iterdir() if p != store]  # no temporary file left


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "other-version"])
def test_a_damaged_or_foreign_file_is_ignored_and_rewritten(tmp_path: Path, damage: str) -> None:
    store = tmp_path / "regex.bin"
    source = r"(?P<w>[A-Z][a-z]+)\s+(?P<n>\d+)"
    with reused(store):
        regex.compile(source)
    blob = bytearray(store.read_bytes())
    if damage == "flip":
        blob[len(blob) // 2] ^= 0xFF
    elif damage == "truncate":
        del blob[len(blob) // 2 :]
    elif damage == "empty":
        blob.clear()
    else:  # a valid file written by another version of `regex` or Python
        compiled_patterns.save(store, load(store))
        body = bytes(blob[32:])
        import hashlib
        import marshal

        header, programs, re_programs = marshal.loads(body)
        foreign = marshal.dumps(((header[0], "1999.1.1", header[2]), programs, re_programs))
        blob = bytearray(hashlib.sha256(foreign).digest() + foreign)
    store.write_bytes(bytes(blob))
    assert load(store) == Stored({}, {})
    regex.purge()
    with reused(store):
        pattern = regex.compile(source)
    assert [m.groupdict() for m in pattern.finditer("Apt 12 and Suite 300")] == [
        {"w": "Apt", "n": "12"},
        {"w": "Suite", "n": "300"},
    ]
    assert len(load(store).programs) == 1  # written again, whole


def test_patterns_it_cannot_keep_are_compiled_as_usual(tmp_path: Path) -> None:
    store = tmp_path / "regex.bin"
    with reused(store):
        named = regex.compile(r"\L<words>", words=["alpha", "beta"])
        raw = regex.compile(rb"\d+")
        localised = regex.compile(rb"(?L)\w+")
    assert named.findall("alpha gamma beta") == ["alpha", "beta"]
    assert raw.findall(b"a1b22") == [b"1", b"22"]
    assert localised.findall(b"ab cd") == [b"ab", b"cd"]
    assert not store.exists()  # nothing storable was compiled: no file


def test_an_unwritable_cache_only_costs_the_parsing(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    with reused(blocked / "compiled" / "regex.bin"):
        pattern = regex.compile(r"(?P<a>\d{3})-(?P<b>\d{4})")
    assert pattern.search("call 555-0199").groupdict() == {"a": "555", "b": "0199"}


_PROCESS = textwrap.dedent(
    """
    import json, sys
    from regex import _main
    parsed = []
    real = _main._parse_pattern
    def counting(source, info):
        parsed.append(source.string)
        return real(source, info)
    _main._parse_pattern = counting
    import re._compiler
    re_compiled = []
    real_code = re._compiler._code  # what `re` compiles a parsed pattern with
    def re_counting(p, flags):
        re_compiled.append(1)
        return real_code(p, flags)
    re._compiler._code = re_counting
    from pii_audit.detect.compiled_patterns import default_path
    default_path()  # what it imports before the block compiles as usual
    from pii_audit.execution import default_detector
    from pii_audit.options import AuditOptions
    before = len(parsed)  # what was imported before the Detector is compiled as usual
    re_before = len(re_compiled)
    detector = default_detector(AuditOptions())
    building = len(parsed) - before
    re_building = len(re_compiled) - re_before
    text = sys.argv[1]
    before = len(parsed)
    found = sorted((d.entity_type, d.start, d.end) for d in detector.detect_many([text, text.upper()])[0])
    from presidio_analyzer.predefined_recognizers import IbanRecognizer
    iban = {p.regex for p in IbanRecognizer().patterns}  # matched through regex's module functions, uncached
    late = sorted({source for source in parsed[before:] if source not in iban})
    print(json.dumps({"parsed": building, "re_parsed": re_building, "found": found, "detecting": late}))
    """
)


def test_a_second_run_builds_the_detector_without_parsing_and_detects_the_same(tmp_path: Path) -> None:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "cache"))
    text = "성명: 김민수, 1985년 7월 2일생, 주소: 서울특별시 관악구 봉천로 12, 010-2345-6789, https://example.com"

    def run() -> dict[str, object]:
        done = subprocess.run(
            [sys.executable, "-c", _PROCESS, text], env=env, capture_output=True, text=True, check=True
        )
        result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
        return result

    first, second = run(), run()
    assert isinstance(first["parsed"], int) and first["parsed"] > 100
    assert second["parsed"] == 0
    # Python's `re` patterns of spaCy's and Presidio's import too.
    assert isinstance(first["re_parsed"], int) and first["re_parsed"] > 100
    assert isinstance(second["re_parsed"], int) and second["re_parsed"] <= 2  # `tokenize`'s, compiled late
    # Every pattern is compiled with the Detector (before workers fork), none on the first text.
    assert first["detecting"] == [] and second["detecting"] == []
    assert second["found"] == first["found"] and first["found"]
    stored = list((tmp_path / "cache").rglob("regex-*.bin"))
    assert len(stored) == 1


def test_blocks_in_two_threads_leave_compile_as_it_was(tmp_path: Path) -> None:
    import threading
    import time

    original = _main._compile
    inside = threading.Event()
    release = threading.Event()
    trying = threading.Event()
    results: dict[str, object] = {}

    def first() -> None:
        with reused(tmp_path / "a.bin"):
            results["a"] = regex.compile(r"(?P<a>\d{2})-(?P<b>\d{2})")
            inside.set()
            release.wait(5)

    def second() -> None:
        inside.wait(5)
        trying.set()
        with reused(tmp_path / "b.bin"):  # while the first block is open: waits for it to close
            results["b"] = regex.compile(r"[A-Z]{3}\d{3}")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside.wait(5)
    trying.wait(5)
    time.sleep(0.2)  # time for the second block to open, were it not made to wait
    release.set()
    for thread in threads:
        thread.join(10)
    assert _main._compile is original  # neither block's replacement outlived it
    assert results["a"].search("x 12-34").groupdict() == {"a": "12", "b": "34"}  # type: ignore[attr-defined]
    assert results["b"].findall("ABC123 DEF4") == ["ABC123"]  # type: ignore[attr-defined]
    assert len(load(tmp_path / "a.bin").programs) == 1 and len(load(tmp_path / "b.bin").programs) == 1
