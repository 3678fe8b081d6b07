"""The loader: schema errors name file and key; results carry context metadata; hashing."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from presidio_analyzer import PatternRecognizer

from pii_audit.detect import loader
from pii_audit.detect.loader import (
    CONTEXT_WORDS_KEY,
    PATTERNS_DIR_ENV,
    REQUIRES_CONTEXT_KEY,
    YamlPatternRecognizer,
    load_recognizers,
    load_specs,
    rules_hash,
)
from pii_audit.detect.rules import data_files
from pii_audit.errors import DetectError

GOOD = """\
recognizers:
  - name: TestRrn
    entity: KR_RRN
    languages: [ko]
    validator: kr_rrn
    requires_context: unvalidated
    context: [주민번호]
    patterns:
      - {name: rrn, regex: '(?<![\\d-])\\d{6}-[0-49]\\d{6}(?![\\d-])', score: 0.5}
    examples:
      match: ["주민번호 900101-1234568"]
      no_match: ["900230-1234567"]
"""


def _write(tmp_path: Path, text: str, name: str = "test.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _recognizer(tmp_path: Path, text: str = GOOD) -> YamlPatternRecognizer:
    (recognizer,) = load_recognizers([_write(tmp_path, text)])
    assert isinstance(recognizer, YamlPatternRecognizer)
    return recognizer


def test_builds_pattern_recognizer(tmp_path: Path) -> None:
    r = _recognizer(tmp_path)
    assert isinstance(r, PatternRecognizer)
    assert (r.name, r.supported_entities, r.supported_language) == ("TestRrn", ["KR_RRN"], "ko")
    assert r.context == ["주민번호"]


def test_three_way_validation_and_metadata(tmp_path: Path) -> None:
    r = _recognizer(tmp_path)
    text = "A 900101-1234568 B 900101-1234567 C 900230-1234567"
    results = sorted(r.analyze(text, ["KR_RRN"]), key=lambda x: x.start)
    assert [text[x.start : x.end] for x in results] == ["900101-1234568", "900101-1234567"]
    certain, candidate = results
    assert certain.score == 1.0 and candidate.score == 0.5
    assert certain.recognition_metadata[REQUIRES_CONTEXT_KEY] is False
    assert candidate.recognition_metadata[REQUIRES_CONTEXT_KEY] is True
    assert candidate.recognition_metadata[CONTEXT_WORDS_KEY] == ["주민번호"]


def test_one_recognizer_per_language(tmp_path: Path) -> None:
    recognizers = load_recognizers([_write(tmp_path, GOOD.replace("[ko]", "[ko, en]"))])
    assert [r.supported_language for r in recognizers] == ["ko", "en"]


def test_recognizer_pickles(tmp_path: Path) -> None:
    r = _recognizer(tmp_path)
    r.analyze("900101-1234568", ["KR_RRN"])  # compiles the patterns
    clone = pickle.loads(pickle.dumps(r))
    assert [x.score for x in clone.analyze("900101-1234568", ["KR_RRN"])] == [1.0]


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        (
            "    validator: kr_rrn\n",
            "    validator: kr_rrn\n    colour: red\n",
            "recognizers[0].colour",
            "unknown key",
        ),
        ("    entity: KR_RRN\n", "", "recognizers[0].entity", "required key is missing"),
        ("regex: '(?<![\\d-])", "regex: '(?<![\\d-]", "recognizers[0].patterns[0].regex", "invalid regex"),
        ("score: 0.5}", "score: 0.5, flags: i}", "recognizers[0].patterns[0].flags", "unknown key"),
        ("score: 0.5}", "score: 1.5}", "recognizers[0].patterns[0].score", "expected a number"),
        ("validator: kr_rrn", "validator: nope", "recognizers[0].validator", "unknown validator"),
        ("context: [주민번호]", "context: []", "recognizers[0].patterns[0].requires_context", "context"),
        ("languages: [ko]", "languages: []", "recognizers[0].languages", "non-empty"),
        (
            'no_match: ["900230-1234567"]',
            "no_match: [900230]",
            "recognizers[0].examples.no_match[0]",
            "string",
        ),
        ('no_match: ["900230-1234567"]', "", "recognizers[0].examples.no_match", "required key is missing"),
        ("entity: KR_RRN", "entity: kr rrn", "recognizers[0].entity", "UPPER_SNAKE"),
        (
            "requires_context: unvalidated",
            "requires_context: maybe",
            "recognizers[0].requires_context",
            "expected",
        ),
        (
            "regex: '(?<![\\d-])\\d{6}-[0-49]\\d{6}(?![\\d-])'",
            "regex: '(?:x)?'",
            "recognizers[0].patterns[0].regex",
            "empty string",
        ),
        ("recognizers:", "recognisers:", "recognisers", "unknown key"),
        ("score: 0.5}", "score: 0.5, needs: '(x'}", "recognizers[0].patterns[0].needs", "invalid regex"),
        ("score: 0.5}", "score: 0.5, needs: 'x?'}", "recognizers[0].patterns[0].needs", "empty string"),
        # a gate that a match of the pattern in an example lacks: the pattern would miss it
        ("score: 0.5}", "score: 0.5, needs: '-9'}", "recognizers[0].patterns[0].needs", "not found in"),
    ],
)
def test_malformed_yaml_names_file_and_key(tmp_path: Path, old: str, new: str, key: str, problem: str) -> None:
    assert old in GOOD, old
    path = _write(tmp_path, GOOD.replace(old, new), "broken.yaml")
    with pytest.raises(DetectError) as info:
        load_recognizers([path])
    message = str(info.value)
    assert "broken.yaml" in message
    assert f": {key}: " in message
    assert problem in message


def test_duplicate_yaml_key_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD.replace("    entity: KR_RRN\n", "    entity: KR_RRN\n    entity: KR_FRN\n"))
    with pytest.raises(DetectError, match=r"test\.yaml: invalid YAML .*duplicate key 'entity'"):
        load_recognizers([path])


def test_yaml_syntax_error_names_file(tmp_path: Path) -> None:
    with pytest.raises(DetectError, match=r"bad\.yaml: invalid YAML"):
        load_recognizers([_write(tmp_path, "recognizers: [\n", "bad.yaml")])


def test_duplicate_recognizer_names_across_files(tmp_path: Path) -> None:
    a = _write(tmp_path, GOOD, "a.yaml")
    b = _write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(DetectError, match=r"b\.yaml: recognizer name 'TestRrn' already defined in .*a\.yaml"):
        load_specs([a, b])


def test_env_var_overrides_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path, GOOD)
    (tmp_path / "notes.txt").write_text("ignored", encoding="utf-8")
    monkeypatch.setenv(PATTERNS_DIR_ENV, str(tmp_path))
    assert [r.name for r in load_recognizers()] == ["TestRrn"]
    # The word lists and gazetteers still come from the package, so they stay in the hash.
    assert rules_hash() == rules_hash([tmp_path / "test.yaml", *data_files()])


def test_missing_directory_is_a_detect_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PATTERNS_DIR_ENV, str(tmp_path / "absent"))
    with pytest.raises(DetectError, match="pattern directory not found"):
        load_recognizers()


def test_default_directory_is_the_packaged_patterns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(PATTERNS_DIR_ENV, raising=False)
    assert loader.patterns_dir() == Path(loader.__file__).resolve().parents[1] / "patterns"
    # The repository's top-level patterns/ is the same directory (a link), not a second copy.
    assert (Path(loader.__file__).resolve().parents[2] / "patterns").resolve() == loader.patterns_dir().resolve()
    names = {p.name for p in loader.default_pattern_paths()}
    assert {"ids.yaml", "contact.yaml"} <= names


def test_rules_hash_is_order_free_and_content_sensitive(tmp_path: Path) -> None:
    a = _write(tmp_path, GOOD, "a.yaml")
    b = _write(tmp_path, GOOD.replace("TestRrn", "Other"), "b.yaml")
    first = rules_hash([a, b])
    assert first == rules_hash([b, a])
    assert len(first) == 64
    b.write_text(GOOD.replace("TestRrn", "Other2"), encoding="utf-8")
    assert rules_hash([a, b]) != first


def test_rules_hash_covers_word_lists_and_subdirectories(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A word list or gazetteer changes what is found, so it must change the hash (caches, baselines)."""
    import pii_audit.detect.rules as rules

    monkeypatch.delenv(PATTERNS_DIR_ENV, raising=False)
    shipped = {p.relative_to(rules.PATTERNS_ROOT).as_posix() for p in rules.rule_files()}
    assert {"ids.yaml", "wordlists/korean_names.yaml", "gazetteer/kr_districts.yaml"} <= shipped
    root = tmp_path / "patterns"
    (root / "wordlists" / "deeper").mkdir(parents=True)
    _write(root, GOOD)
    words = root / "wordlists" / "deeper" / "names.yaml"
    words.write_text("names: [a]\n", encoding="utf-8")
    monkeypatch.setattr(rules, "PATTERNS_ROOT", root)
    first = rules_hash()
    words.write_text("names: [b]\n", encoding="utf-8")
    assert rules_hash() != first
    # Same bytes under another subdirectory: another rule file, another hash.
    words.rename(root / "wordlists" / "names.yaml")
    assert rules_hash() != first


def test_rules_hash_missing_file_is_a_detect_error(tmp_path: Path) -> None:
    with pytest.raises(DetectError, match="absent.yaml"):
        rules_hash([tmp_path / "absent.yaml"])


def test_timeout_is_configurable(tmp_path: Path) -> None:
    (recognizer,) = load_recognizers([_write(tmp_path, GOOD)], regex_timeout=0.5)
    assert isinstance(recognizer, YamlPatternRecognizer)
    assert recognizer.regex_timeout == 0.5


def test_a_pattern_is_searched_only_in_texts_holding_what_it_needs(tmp_path: Path) -> None:
    """`needs`: a text without the gate is not searched (its matches would all hold it), and the
    gate's answer is the same for every pattern that has it."""
    gated = GOOD.replace("score: 0.5}", "score: 0.5, needs: '\\d{6}-'}")
    recognizer = _recognizer(tmp_path, gated)
    plain = _recognizer(tmp_path, GOOD)
    texts = ["주민번호 900101-1234568", "주민번호 9001011234568", "no digits at all", "주민번호 900101 1234568"]
    for text in texts:
        assert _spans(recognizer, text) == _spans(plain, text)
    searched: list[str] = []
    compiled = recognizer._compiled[(0, recognizer.spec.flags)]
    spy = _Spy(compiled[0], searched)
    recognizer._compiled[(0, recognizer.spec.flags)] = (spy, *compiled[1:])
    recognizer.analyze("주민번호 9001011234568 - 확인", ["KR_RRN"])  # a `-` and a long run, not `\d{6}-`
    recognizer.analyze("주민번호 900101-1234568", ["KR_RRN"])
    assert searched == ["주민번호 900101-1234568"], searched


class _Spy:
    """A compiled pattern that records the texts it is asked to search."""

    def __init__(self, pattern: object, searched: list[str]) -> None:
        self.pattern, self.searched = pattern, searched

    def finditer(self, text: str, *args: object, **kwargs: object) -> object:
        self.searched.append(text)
        return self.pattern.finditer(text, *args, **kwargs)  # type: ignore[attr-defined]


def _spans(recognizer: YamlPatternRecognizer, text: str) -> list[tuple[int, int, float]]:
    return [(r.start, r.end, r.score) for r in recognizer.analyze(text, ["KR_RRN"])]
