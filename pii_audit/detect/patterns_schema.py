"""The `patterns/*.yaml` format: parsing and validation into frozen specs.

Hand-written rather than JSON Schema so that every error names the file and the key path
(`patterns/ids.yaml: recognizers[2].patterns[0].regex: invalid regex (...)`) and so that the
runtime does not depend on jsonschema. The format is documented in `patterns/README.md`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import regex
import yaml

from pii_audit.detect.validators import VALIDATORS
from pii_audit.errors import DetectError

ContextMode = Literal[True, False, "unvalidated"]

BASE_FLAGS = regex.MULTILINE | regex.DOTALL
_ENTITY = regex.compile(r"[A-Z][A-Z0-9_]*")
_LANGUAGE = regex.compile(r"[a-z]{2,3}")

_TOP_KEYS = {"version", "recognizers"}
_RECOGNIZER_KEYS = {
    "name", "entity", "languages", "score", "validator", "context", "requires_context",
    "ignore_case", "description", "patterns", "examples", "unvalidated_note",
}  # fmt: skip
_PATTERN_KEYS = {"name", "regex", "score", "requires_context", "alone", "needs"}
_EXAMPLE_KEYS = {"match", "no_match"}
_EXAMPLE_ITEM_KEYS = {"text", "expect"}


@dataclass(frozen=True)
class PatternSpec:
    name: str
    regex: str
    score: float
    requires_context: ContextMode
    alone: bool = False  # a match alone on its line (or beside a bare name) stands in for a context word
    needs: str | None = None  # a regex found in every match: a text without it is not searched


@dataclass(frozen=True)
class Example:
    text: str
    expect: str | None = None  # the exact matched substring, when the example pins it


@dataclass(frozen=True)
class RecognizerSpec:
    name: str
    entity: str
    languages: tuple[str, ...]
    patterns: tuple[PatternSpec, ...]
    context: tuple[str, ...]
    validator: str | None
    ignore_case: bool
    match: tuple[Example, ...]
    no_match: tuple[Example, ...]
    source: str  # the file it came from, for messages
    # Said of a match the validator could not confirm (`check digit does not match`): the finding's note.
    unvalidated_note: str | None = None

    @property
    def flags(self) -> int:
        return BASE_FLAGS | (regex.IGNORECASE if self.ignore_case else 0)


class _Invalid(Exception):
    def __init__(self, where: str, problem: str) -> None:
        super().__init__(f"{where}: {problem}")


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """SafeLoader that rejects duplicate mapping keys (PyYAML silently keeps the last); libyaml's
    parser where PyYAML has it (a fifth of the time of the pure-Python one on our rule files)."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _mapping(value: Any, where: str, allowed: set[str], required: set[str]) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(where, f"expected a mapping, got {type(value).__name__}")
    unknown = sorted(str(k) for k in value if k not in allowed)
    if unknown:
        raise _Invalid(f"{where}.{unknown[0]}" if where else unknown[0], "unknown key")
    missing = sorted(required - value.keys())
    if missing:
        raise _Invalid(f"{where}.{missing[0]}" if where else missing[0], "required key is missing")
    return value


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _Invalid(where, f"expected a non-empty string, got {type(value).__name__} (quote it)")
    return value


def _str_list(value: Any, where: str, *, allow_empty: bool = True) -> list[str]:
    if not isinstance(value, list) or (not value and not allow_empty):
        raise _Invalid(where, "expected a non-empty list" if not allow_empty else "expected a list")
    return [_str(item, f"{where}[{i}]") for i, item in enumerate(value)]


def _score(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
        raise _Invalid(where, "expected a number in (0, 1]")
    return float(value)


def _context_mode(value: Any, where: str) -> ContextMode:
    if value is True or value is False or value == "unvalidated":
        return value
    raise _Invalid(where, "expected true, false or 'unvalidated'")


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(where, "expected true or false")
    return value


def _pattern(value: Any, where: str, default_score: float | None, mode: ContextMode, flags: int) -> PatternSpec:
    spec = _mapping(value, where, _PATTERN_KEYS, {"name", "regex"})
    source = _str(spec["regex"], f"{where}.regex")
    try:
        compiled = regex.compile(source, flags)
    except (regex.error, ValueError, OverflowError) as exc:
        raise _Invalid(f"{where}.regex", f"invalid regex ({exc})") from None
    if compiled.search(""):
        raise _Invalid(f"{where}.regex", "matches the empty string")
    if "score" in spec:
        score = _score(spec["score"], f"{where}.score")
    elif default_score is not None:
        score = default_score
    else:
        raise _Invalid(f"{where}.score", "required key is missing (no recognizer-level score either)")
    pattern_mode = _context_mode(spec.get("requires_context", mode), f"{where}.requires_context")
    alone = _bool(spec.get("alone", False), f"{where}.alone")
    needs = _needs(spec["needs"], f"{where}.needs", flags) if "needs" in spec else None
    return PatternSpec(_str(spec["name"], f"{where}.name"), source, score, pattern_mode, alone, needs)


def _needs(value: Any, where: str, flags: int) -> str:
    """A gate: a regex every match of the pattern holds (checked on the recognizer's examples)."""
    source = _str(value, where)
    try:
        compiled = regex.compile(source, flags)
    except (regex.error, ValueError, OverflowError) as exc:
        raise _Invalid(where, f"invalid regex ({exc})") from None
    if compiled.search(""):
        raise _Invalid(where, "matches the empty string")
    return source


def _check_needs(pattern: PatternSpec, flags: int, examples: tuple[Example, ...], where: str) -> None:
    """Every match of the pattern in the examples holds a match of its `needs`."""
    compiled, needs = regex.compile(pattern.regex, flags), regex.compile(pattern.needs or "", flags)
    for example in examples:
        for m in compiled.finditer(example.text):
            if not needs.search(m.group()):
                raise _Invalid(where, f"not found in {m.group()!r}, a match of the pattern in an example")


def _examples(value: Any, where: str) -> tuple[Example, ...]:
    if not isinstance(value, list) or not value:
        raise _Invalid(where, "expected a non-empty list")
    out = []
    for i, item in enumerate(value):
        at = f"{where}[{i}]"
        if isinstance(item, dict):
            item = _mapping(item, at, _EXAMPLE_ITEM_KEYS, {"text"})
            expect = _str(item["expect"], f"{at}.expect") if "expect" in item else None
            text = _str(item["text"], f"{at}.text")
            if expect is not None and expect not in text:
                raise _Invalid(f"{at}.expect", "is not a substring of text")
            out.append(Example(text, expect))
        else:
            out.append(Example(_str(item, at)))
    return tuple(out)


def _recognizer(value: Any, where: str, source: str) -> RecognizerSpec:
    spec = _mapping(value, where, _RECOGNIZER_KEYS, {"name", "entity", "languages", "patterns", "examples"})
    entity = _str(spec["entity"], f"{where}.entity")
    if not _ENTITY.fullmatch(entity):
        raise _Invalid(f"{where}.entity", "expected an UPPER_SNAKE entity name")
    languages = _str_list(spec["languages"], f"{where}.languages", allow_empty=False)
    for i, lang in enumerate(languages):
        if not _LANGUAGE.fullmatch(lang):
            raise _Invalid(f"{where}.languages[{i}]", "expected a language code such as ko or en")
    validator = spec.get("validator")
    if validator is not None and _str(validator, f"{where}.validator") not in VALIDATORS:
        raise _Invalid(f"{where}.validator", f"unknown validator (known: {', '.join(sorted(VALIDATORS))})")
    context = _str_list(spec.get("context", []), f"{where}.context")
    mode = _context_mode(spec.get("requires_context", False), f"{where}.requires_context")
    ignore_case = _bool(spec.get("ignore_case", False), f"{where}.ignore_case")
    flags = BASE_FLAGS | (regex.IGNORECASE if ignore_case else 0)
    default_score = _score(spec["score"], f"{where}.score") if "score" in spec else None
    raw_patterns = spec["patterns"]
    if not isinstance(raw_patterns, list) or not raw_patterns:
        raise _Invalid(f"{where}.patterns", "expected a non-empty list")
    patterns = tuple(
        _pattern(p, f"{where}.patterns[{i}]", default_score, mode, flags) for i, p in enumerate(raw_patterns)
    )
    for i, p in enumerate(patterns):
        if p.requires_context is not False and not context:
            raise _Invalid(f"{where}.patterns[{i}].requires_context", "needs a non-empty `context` list")
    if "description" in spec:
        _str(spec["description"], f"{where}.description")
    examples = _mapping(spec["examples"], f"{where}.examples", _EXAMPLE_KEYS, _EXAMPLE_KEYS)
    match = _examples(examples["match"], f"{where}.examples.match")
    no_match = _examples(examples["no_match"], f"{where}.examples.no_match")
    for i, p in enumerate(patterns):
        if p.needs is not None:
            _check_needs(p, flags, (*match, *no_match), f"{where}.patterns[{i}].needs")
    return RecognizerSpec(
        name=_str(spec["name"], f"{where}.name"),
        entity=entity,
        languages=tuple(languages),
        patterns=patterns,
        context=tuple(context),
        validator=validator,
        ignore_case=ignore_case,
        match=match,
        no_match=no_match,
        source=source,
        unvalidated_note=_str(spec["unvalidated_note"], f"{where}.unvalidated_note")
        if "unvalidated_note" in spec
        else None,
    )


def display_name(path: Path) -> str:
    """How a pattern file is named in messages: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def parse_document(document: Any, source: str) -> list[RecognizerSpec]:
    """Validate one parsed YAML document; raise DetectError naming `source` and the key path."""
    try:
        top = _mapping(document, "", _TOP_KEYS, {"recognizers"})
        if top.get("version", 1) != 1:
            raise _Invalid("version", "unsupported version (expected 1)")
        recognizers = top["recognizers"]
        if not isinstance(recognizers, list) or not recognizers:
            raise _Invalid("recognizers", "expected a non-empty list")
        return [_recognizer(r, f"recognizers[{i}]", source) for i, r in enumerate(recognizers)]
    except _Invalid as exc:
        raise DetectError(f"{source}: {exc}") from None


def parse_file(path: Path) -> list[RecognizerSpec]:
    """Read and validate one pattern file."""
    source = display_name(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise DetectError(f"{source}: cannot read pattern file ({exc})") from None
    try:
        document = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise DetectError(f"{source}: invalid YAML ({exc})") from None
    return parse_document(document, source)
