#!/usr/bin/env python3
"""Detection alone: its CPU time on the texts of some files, and its findings, to compare checkouts.

usage: python benchmarks/detection_cpu.py OUT.pkl DIR [DIR ...]

Extracts every file under the DIRs (members of archives and mails too, three levels deep), groups
their segments 256 at a time as a scan does, then times `Detector.detect_many` over all groups
(CPU seconds, Kiwi loaded beforehand) and writes every detection to OUT.pkl. Run it from two
checkouts (copy it into the other one: it imports the checkout it stands in) on the same DIRs,
alternating on an idle machine, and `cmp` the two pickles: equal files mean identical detections.
"""

from __future__ import annotations

import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pii_audit.extract.registry import extract  # noqa: E402

GROUP = 256


def texts_of(dirs: list[Path]) -> list[list[str]]:
    groups: list[list[str]] = []

    def walk(data: bytes, name: str, depth: int) -> None:
        try:
            extraction = extract(data, name)
        except Exception:  # noqa: BLE001 - unreadable files have nothing to detect
            return
        segments = [s.text for s in extraction.segments]
        groups.extend(segments[i : i + GROUP] for i in range(0, len(segments), GROUP))
        for member in extraction.members or ():
            if hasattr(member, "data") and depth < 3:
                walk(member.data, member.name, depth + 1)

    for root in dirs:
        for path in sorted(root.rglob("*")):
            if path.is_file():
                walk(path.read_bytes(), path.name, 0)
    return groups


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    out, dirs = Path(argv[0]), [Path(a) for a in argv[1:]]
    groups = texts_of(dirs)
    from pii_audit.detect.engine import Detector
    from pii_audit.detect.kiwi_tokenizer import kiwi

    started = time.process_time()
    detector = Detector()
    kiwi()
    built = time.process_time() - started
    started = time.process_time()
    found = [
        [
            [(d.entity_type, d.start, d.end, d.score, d.north_korean, d.weak, d.note) for d in r]
            for r in detector.detect_many(g)
        ]
        for g in groups
    ]
    seconds = time.process_time() - started
    chars = sum(len(t) for g in groups for t in g)
    findings = sum(len(r) for g in found for r in g)
    print(f"{chars} characters, detector + Kiwi built in {built:.2f} CPU s, detection {seconds:.2f} CPU s")
    print(f"{findings} findings written to {out}")
    out.write_bytes(pickle.dumps(found))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
