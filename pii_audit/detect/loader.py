"""Build Presidio recognizers from `patterns/*.yaml` (format: `patterns/README.md`)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import regex
from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from pii_audit.detect.dedupe import remove_duplicates
from pii_audit.detect.digit_runs import MIN_GATED, min_digit_run
from pii_audit.detect.digit_windows import (
    CALL_COST,
    MAX_COVER,
    Bounds,
    DigitRuns,
    digit_runs,
    find_in_windows,
    match_bounds,
    windows,
    worth_it,
)
from pii_audit.detect.patterns_schema import RecognizerSpec, parse_file
from pii_audit.detect.required_chars import lacks_any, required_chars
from pii_audit.detect.rules import PATTERNS_DIR_ENV, default_pattern_paths, patterns_dir, rules_hash
from pii_audit.detect.shared import LastText
from pii_audit.detect.validators import VALIDATORS
from pii_audit.errors import DetectError

if TYPE_CHECKING:
    from presidio_analyzer.nlp_engine import NlpArtifacts

logger = logging.getLogger(__name__)

# Metadata keys the context enhancer reads from each RecognizerResult.
REQUIRES_CONTEXT_KEY = "requires_context"
CONTEXT_WORDS_KEY = "context_words"
PATTERN_NAME_KEY = "pattern_name"
ALONE_KEY = "alone"  # a match alone on its line needs no context word (see context.stands_alone)
NOTE_KEY = "note"  # what the finding's reader should know (a failed check digit)
# Presidio's own default is 60 s per pattern per call; our patterns are linear, so a few
# seconds on one chunk means pathological input, and we would rather skip than stall a worker.
DEFAULT_REGEX_TIMEOUT = 2.0
# What a spec's patterns found in a text: (span, pattern index, validation) per match.
_Found = tuple[tuple[tuple[int, int], int, bool | None], ...]


# A pattern compiled, the digits in a row its matches hold, the characters each holds, its bounds,
# and its `needs` gate compiled (None: none).
_Compiled = tuple[regex.Pattern[str], int, frozenset[str], "Bounds | None", "regex.Pattern[str] | None"]


class YamlPatternRecognizer(PatternRecognizer):
    """A PatternRecognizer described by a YAML spec, for one language.

    `validate_result` delegates to the named validator (True: score 1.0, False: dropped, None:
    the pattern's score). Every result carries `requires_context` (bool) and `context_words`
    in its recognition metadata; context is applied later by the engine's enhancer.
    """

    def __init__(
        self,
        spec: RecognizerSpec,
        language: str,
        regex_timeout: float = DEFAULT_REGEX_TIMEOUT,
        shared: LastText[_Found] | None = None,
    ):
        """`shared`: the matches cache of this spec's instances for other languages (see shared.py)."""
        patterns = [Pattern(p.name, p.regex, p.score) for p in spec.patterns]
        super().__init__(
            supported_entity=spec.entity,
            name=spec.name,
            supported_language=language,
            patterns=patterns,
            context=list(spec.context),
            global_regex_flags=spec.flags,
        )
        self.spec = spec
        self.regex_timeout = regex_timeout
        self._yaml_patterns: list[Pattern] = patterns  # the same objects as self.patterns, typed
        # Per (pattern index, flags): the compiled pattern, the digits in a row its matches hold, the
        # characters every match holds (required_chars.py) and its matches' bounds (digit_windows.py).
        self._compiled: dict[tuple[int, int], _Compiled] = {}
        self._shared: LastText[_Found] = shared if shared is not None else LastText()

    def validate_result(self, pattern_text: str) -> bool | None:
        if self.spec.validator is None:
            return None
        return VALIDATORS[self.spec.validator](pattern_text)

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        # Replaces PatternRecognizer.__analyze_patterns only to bound each pattern with our own
        # timeout (Presidio's is a module constant) and to attach the context metadata.
        flags = regex_flags or self.spec.flags
        found = self._shared.get((self.spec, flags, self.regex_timeout), text, lambda: self._find(text, flags))
        specs = self.spec.patterns
        results = [
            self._result(
                span, self._yaml_patterns[index], specs[index].requires_context, validation, specs[index].alone
            )
            for span, index, validation in found
        ]  # fmt: skip
        return remove_duplicates(results)

    def prepare(self) -> None:
        """Compile every pattern for the spec's flags (what `analyze` uses unless told otherwise)
        now: with the Detector, before workers fork from it, instead of in each on its first text."""
        for index in range(len(self._yaml_patterns)):
            if (index, self.spec.flags) not in self._compiled:
                self._compile(index, self.spec.flags)

    def _compile(self, index: int, flags: int) -> _Compiled:
        source = self._yaml_patterns[index].regex
        needs = self.spec.patterns[index].needs
        entry = self._compiled[(index, flags)] = (
            regex.compile(source, flags),
            min_digit_run(source, flags),
            required_chars(source, flags),
            match_bounds(source, flags),
            regex.compile(needs, flags) if needs is not None else None,
        )
        return entry

    def _find(self, text: str, flags: int) -> _Found:
        """The non-empty matches the validator does not reject, pattern by pattern, in text order."""
        found: list[tuple[tuple[int, int], int, bool | None]] = []
        runs: DigitRuns | None = None
        for index, pattern in enumerate(self._yaml_patterns):
            entry = self._compiled.get((index, flags)) or self._compile(index, flags)
            compiled, digits, chars, bounds, needs = entry
            if chars and lacks_any(text, chars):  # e-mails without `@`: skipped in a few microseconds
                continue
            if needs is not None and not _found(needs, text, self.regex_timeout):  # phones without `ddd-dddd`
                continue
            matches = None
            if digits >= MIN_GATED:  # an ID pattern: skipped where no run of digits is long enough
                if runs is None:
                    runs = _RUNS.get(None, text, lambda: digit_runs(text))
                if runs.longest < digits:
                    continue
                if bounds is not None:  # and searched only around the runs, unless they cover much of the text
                    spans = windows(runs, digits, bounds, len(text), gap=CALL_COST)
                    if worth_it(spans, len(text), MAX_COVER):
                        matches = find_in_windows(compiled, text, spans, bounds.reach, self.regex_timeout)
            if matches is None:
                matches = compiled.finditer(text, timeout=self.regex_timeout)
            try:
                for match in matches:
                    matched = match.group()
                    if not matched:
                        continue
                    validation = self.validate_result(matched)
                    if validation is not False:
                        found.append((match.span(), index, validation))
            except TimeoutError:
                logger.warning(
                    "pattern %s of %s timed out after %ss on a %d-character text; rest skipped",
                    pattern.name, self.spec.name, self.regex_timeout, len(text),
                )  # fmt: skip
        return tuple(found)

    def _result(
        self,
        span: tuple[int, int],
        pattern: Pattern,
        mode: bool | str,
        validation: bool | None,
        alone: bool = False,
    ) -> RecognizerResult:
        score = EntityRecognizer.MAX_SCORE if validation else pattern.score
        requires_context = validation is not True if mode == "unvalidated" else bool(mode)
        metadata: dict[str, Any] = {
            RecognizerResult.RECOGNIZER_NAME_KEY: self.spec.name,
            RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
            REQUIRES_CONTEXT_KEY: requires_context,
            CONTEXT_WORDS_KEY: list(self.spec.context),
            PATTERN_NAME_KEY: pattern.name,
        }
        if alone:
            metadata[ALONE_KEY] = True
        if validation is None and self.spec.unvalidated_note:
            metadata[NOTE_KEY] = self.spec.unvalidated_note
        return RecognizerResult(
            entity_type=self.spec.entity,
            start=span[0],
            end=span[1],
            score=score,
            # No AnalysisExplanation: the engine never asks Presidio for its decision process (the
            # analyzer drops explanations before returning) and nothing else reads them.
            recognition_metadata=metadata,
        )


# The long runs of digits of the last text: one search for every spec's ID patterns.
_RUNS: LastText[DigitRuns] = LastText()

# Whether the last text holds each `needs` gate (patterns of several specs share one: `nanp` and
# `nanp_shaped`), by the gate's source and flags.
_GATES: dict[tuple[str, int], LastText[bool]] = {}


def _found(needs: regex.Pattern[str], text: str, timeout: float) -> bool:
    """`needs` occurs in `text` (or its search timed out: then the pattern is searched as usual)."""

    def search() -> bool:
        try:
            return needs.search(text, timeout=timeout) is not None
        except TimeoutError:
            return True

    return _GATES.setdefault((needs.pattern, needs.flags), LastText()).get(None, text, search)


def load_specs(paths: Sequence[Path] | None = None) -> list[RecognizerSpec]:
    """Parse and validate pattern files; recognizer names must be unique across files."""
    specs: list[RecognizerSpec] = []
    seen: dict[str, str] = {}
    for path in default_pattern_paths() if paths is None else paths:
        for spec in parse_file(Path(path)):
            if spec.name in seen:
                raise DetectError(f"{spec.source}: recognizer name {spec.name!r} already defined in {seen[spec.name]}")
            seen[spec.name] = spec.source
            specs.append(spec)
    return specs


def load_recognizers(
    paths: Sequence[Path] | None = None, *, regex_timeout: float = DEFAULT_REGEX_TIMEOUT
) -> list[EntityRecognizer]:
    """One recognizer per (YAML recognizer, language) from `paths` (default: `patterns/*.yaml`).
    The languages of one spec share what they found in a text: Presidio analyses a mixed-script
    chunk once per language, and the matches do not depend on it."""
    recognizers: list[EntityRecognizer] = []
    for spec in load_specs(paths):
        shared: LastText[_Found] = LastText()
        recognizers += [YamlPatternRecognizer(spec, language, regex_timeout, shared) for language in spec.languages]
    return recognizers


__all__ = ["PATTERNS_DIR_ENV", "default_pattern_paths", "load_recognizers", "load_specs", "patterns_dir", "rules_hash"]
