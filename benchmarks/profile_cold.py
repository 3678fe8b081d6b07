#!/usr/bin/env python3
"""Where a cold scan's time goes: start-up, extraction, each recognizer, NLP, the tally.

usage: python benchmarks/profile_cold.py [DIR] [--seed N] [--scale K]

Scans DIR (default: a generated PII-dense corpus, `pii_synth.corpus.build_corpus(seed, scale)`)
serially in this process, as one worker does, with timers around each stage instead of a
profiler (cProfile inflates Python-heavy code by about 1.5x and would skew the shares):

- start-up: importing the scanning code, building the Detector (Presidio, spaCy, the compiled
  recognizers), loading Kiwi;
- per file: detection (`Detector.detect_many`), split into each recognizer's `analyze`, spaCy's
  English NER and Presidio's own work around them (context, duplicates, the two passes); the
  tally (`_Tally.add`: fingerprints, masks, findings, person records); extraction is the rest of
  `scan_one` (reading, parsing, segmenting: the extractors stream, so it is measured as what is
  left once detection and tally are taken out).

Kiwi's time is also shown on its own; it is spent inside KoreanNameRecognizer and counted there.
CPU seconds (`time.process_time`), so other load on the machine disturbs them less than wall time.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout (run a copy to profile another)

_clock = time.process_time
_spent: defaultdict[str, float] = defaultdict(float)


def _timed(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = _clock()
        try:
            return func(*args, **kwargs)
        finally:
            _spent[name] += _clock() - started

    return wrapper


def _recognizer_name(recognizer: Any) -> str:
    spec = getattr(recognizer, "spec", None)
    return f"{type(recognizer).__name__}:{spec.name}" if spec is not None else type(recognizer).__name__


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("root", nargs="?", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--scale", type=int, default=3)
    args = ap.parse_args(argv)
    root = args.root
    if root is None:
        from pii_synth.corpus import build_corpus

        out = Path(tempfile.mkdtemp(prefix="pii-audit-profile-"))
        build_corpus(out, seed=args.seed, scale=args.scale)
        root = out / "docs"

    started = _clock()
    from pii_audit import scan
    from pii_audit.audit import collect
    from pii_audit.options import AuditOptions

    _spent["start-up: scanning code imported"] = _clock() - started
    started = _clock()
    from pii_audit.detect.compiled_patterns import reused

    with reused():  # as a scan builds it (execution.default_detector): patterns compiled by an earlier run kept
        from pii_audit.detect import engine

        detector = engine.Detector()
    _spent["start-up: Detector built (Presidio, spaCy, recognizers)"] = _clock() - started
    started = _clock()
    from pii_audit.detect.kiwi_tokenizer import kiwi

    model = kiwi()
    _spent["start-up: Kiwi loaded"] = _clock() - started

    analyzers = [detector.analyzer, getattr(detector, "_english_after_korean", detector.analyzer)]
    for recognizer in {id(r): r for a in analyzers for r in a.registry.recognizers}.values():
        recognizer.analyze = _timed(f"recognizer {_recognizer_name(recognizer)}", recognizer.analyze)
    pipelines = detector._pipelines
    pipelines.process_text = _timed("spaCy English NER", pipelines.process_text)  # type: ignore[method-assign]
    if hasattr(pipelines, "english_entities"):  # spaCy on chosen lines (older code: whole chunks only)
        pipelines.english_entities = _timed("spaCy English NER", pipelines.english_entities)  # type: ignore[method-assign]
    model.tokenize = _timed("Kiwi (Korean names, in the recognizer or its POS check)", model.tokenize)
    detector.detect_many = _timed("detection", detector.detect_many)  # type: ignore[method-assign]
    scan._Tally.add = _timed("tally", scan._Tally.add)  # type: ignore[method-assign]

    opts = AuditOptions(key=b"profile-key-" * 3, file_timeout=None)
    refs = collect([str(root)], opts)
    size = sum(r.size or 0 for r in refs)
    started = _clock()
    for ref in refs:
        scan.scan_one(ref, opts, detector)
    scanning = _clock() - started

    detection = _spent.pop("detection")
    tally = _spent.pop("tally")
    kiwi_time = _spent.pop("Kiwi (Korean names, in the recognizer or its POS check)", 0.0)
    startup = {k: v for k, v in _spent.items() if k.startswith("start-up")}
    recognizers = sorted(((k, v) for k, v in _spent.items() if k.startswith("recognizer ")), key=lambda kv: -kv[1])
    nlp = _spent.get("spaCy English NER", 0.0)
    presidio = detection - nlp - sum(v for _, v in recognizers)
    rows: list[tuple[str, float]] = [
        *startup.items(),
        ("extraction (reading, parsing, segments)", scanning - detection - tally),
        ("tally (fingerprints, masks, findings, records)", tally),
        ("spaCy English NER", nlp),
        ("Presidio around the recognizers (context, duplicates, passes)", presidio),
        *recognizers,
    ]
    total = sum(startup.values()) + scanning
    print(f"{root}: {len(refs)} files, {size / 1e6:.2f} MB, {total:.2f} CPU s in one process")
    print(f"{'stage':<66} {'CPU s':>7} {'share':>6}")
    for name, seconds in rows:
        if seconds >= 0.005:
            print(f"{name:<66} {seconds:7.2f} {seconds / total:6.1%}")
    print(f"{'  of which Kiwi (Korean names)':<66} {kiwi_time:7.2f} {kiwi_time / total:6.1%}")
    print(f"{'detection, all of it':<66} {detection:7.2f} {detection / total:6.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
