#!/usr/bin/env python3
"""Where AddressRecognizer's time goes: each pattern's search, each anchor's windows, and the rest
(scoring, cue and organisation tests, overlap resolution).

usage: python benchmarks/address_patterns.py DIR [DIR ...]

Extracts every file under the DIRs as `detection_cpu.py` does, joins the segments into the batches
`Detector.detect_many` analyses (about 8,000 characters, blank lines between texts), and runs
`AddressRecognizer.find` over them with a timer around every pattern search (`_iter`, and `_iter_at`
with the district starts it is given) and every window computation (`_windows`). CPU seconds; the
collector set as a scan sets it. Prints, per pattern, its seconds and its matches.
"""

from __future__ import annotations

import gc
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.detection_cpu import texts_of  # noqa: E402
from pii_audit.detect.korean import address  # noqa: E402
from pii_audit.execution import SCAN_GC_THRESHOLD  # noqa: E402

BATCH, SEPARATOR = 8_000, "\n\n"


def batches(groups: list[list[str]]) -> list[str]:
    out: list[str] = []
    for group in groups:
        current: list[str] = []
        size = 0
        for text in group:
            if len(text) > BATCH:
                out.append(text)
                continue
            if size + len(text) + len(SEPARATOR) > BATCH and current:
                out.append(SEPARATOR.join(current))
                current, size = [], 0
            current.append(text)
            size += len(text) + len(SEPARATOR)
        if current:
            out.append(SEPARATOR.join(current))
    return out


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    texts = batches(texts_of([Path(a) for a in argv]))
    recognizer = address.AddressRecognizer()
    recognizer.load()
    patterns = recognizer._patterns
    assert patterns is not None
    names = {id(getattr(patterns, f)): f for f in patterns.__dataclass_fields__}
    names[id(address._POSTAL_ALONE)] = "postal_alone"
    seconds: Counter[str] = Counter()
    matches: Counter[str] = Counter()
    search, windows = address.AddressRecognizer._iter, address._windows

    def timed_search(self: Any, pattern: Any, text: str, spans: Any = None) -> Any:
        started = time.process_time()
        found = search(self, pattern, text, spans)
        name = names.get(id(pattern), pattern.pattern[:30])
        seconds[name] += time.process_time() - started
        matches[name] += len(found)
        return found

    def timed_windows(text: str, anchor: Any, before: int, after: int) -> Any:
        started = time.process_time()
        found = windows(text, anchor, before, after)
        seconds[f"windows {anchor.pattern[:24]}"] += time.process_time() - started
        return found

    search_at, starts = address.AddressRecognizer._iter_at, address._district_starts

    def timed_search_at(self: Any, pattern: Any, text: str, spans: Any, offsets: Any) -> Any:
        started = time.process_time()
        found = search_at(self, pattern, text, spans, offsets)
        name = names.get(id(pattern), pattern.pattern[:30]) + " (at district starts)"
        seconds[name] += time.process_time() - started
        matches[name] += len(found)
        return found

    def timed_starts(text: str, prefixes: Any) -> Any:
        started = time.process_time()
        found = starts(text, prefixes)
        seconds["district starts"] += time.process_time() - started
        return found

    address.AddressRecognizer._iter = timed_search  # type: ignore[method-assign]
    address.AddressRecognizer._iter_at = timed_search_at  # type: ignore[method-assign]
    address._windows = timed_windows  # type: ignore[assignment]
    address._district_starts = timed_starts  # type: ignore[assignment]
    gc.set_threshold(*SCAN_GC_THRESHOLD)
    started = time.process_time()
    for text in texts:
        recognizer.find(text)
    total = time.process_time() - started
    print(f"{len(texts)} batches, {sum(map(len, texts))} characters: find {total:.2f} CPU s")
    for name, spent in seconds.most_common():
        print(f"{spent:8.3f}  {matches[name]:7d}  {name}")
    print(f"{total - sum(seconds.values()):8.3f}           the rest (scores, cues, organisations, resolution)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
