#!/usr/bin/env python3
"""Write the bundled demo tree ``examples/data/`` (synthetic people only) and ``examples/truth.json``.

usage: python examples/make_examples.py [OUTDIR]   (default: examples/data next to this script)

Deterministic: a fixed seed, fixed document timestamps and fixed zip member times, so running it twice
gives identical bytes. ``make demo`` scans ``examples/data``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from pii_synth.corpus import negatives, prose, tables  # noqa: E402
from pii_synth.corpus.context import Ctx  # noqa: E402
from pii_synth.persons import Synth  # noqa: E402

SEED = 20240501


def make_examples(outdir: Path, truth_path: Path | None = None) -> list[str]:
    """Build the demo files; returns their relative paths. Labels go to ``truth_path`` if given."""
    if outdir.exists():
        shutil.rmtree(outdir)
    outdir.mkdir(parents=True)
    ctx = Ctx(docs=outdir, synth=Synth(SEED))
    tables.xlsx_roster(ctx, "명단/2024_북한이탈주민_교육생_명단.xlsx", 40)
    tables.csv_rrn_export(ctx, "exports/정착금_지급대상_cp949.csv", 20)
    prose.counselling_notes_txt(ctx, "상담기록/상담일지_2024-05.txt", 4, 2024)
    tables.english_contacts_csv(ctx, "english/contacts.csv", 12)
    tables.staff_list_docx(ctx, "행정/직원_비상연락망.docx", 6)
    negatives.press_release_txt(ctx, "자료/보도자료_2024-05-01.txt")
    if truth_path is not None:
        data = {"files": {f.path: f.truth() for f in sorted(ctx.files, key=lambda f: f.path)}}
        truth_path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [f.path for f in ctx.files]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?", type=Path, default=HERE / "data")
    ap.add_argument("--truth", type=Path, default=None, help="labels file (default: OUTDIR/../truth.json)")
    args = ap.parse_args(argv)
    truth = args.truth or args.outdir.resolve().parent / "truth.json"
    for rel in make_examples(args.outdir, truth):
        print(args.outdir / rel)
    print(f"labels: {truth}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
