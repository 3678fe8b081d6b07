"""Store throughput against real servers on 127.0.0.1 (the test servers in tests/servers/).

    .venv/bin/python -m benchmarks.stores webdav [--files 500]
    .venv/bin/python -m benchmarks.stores postgresql [--rows 20000]

webdav: a library of small files (one roster CSV in ten); prints the listing rate (files/s, one
PROPFIND per folder), a cold scan and a warm rescan (metadata only, by ETag) through the CLI.
postgresql: a roster table of N rows; prints rows/s fetched and turned into segments, and the wall
time of a full scan and of a `--db-sample` scan through the CLI.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from tests.test_scan import roster_rows


def _cli(args: list[str], env: Mapping[str, str]) -> float:
    began = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "pii_audit", "scan", *args, "--format", "json", "--no-english-model"],
        env={**os.environ, **env},
        capture_output=True,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scan failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    return time.perf_counter() - began


@contextlib.contextmanager
def _cache_env() -> Iterator[dict[str, str]]:
    with tempfile.TemporaryDirectory() as tmp:
        yield {"XDG_CACHE_HOME": tmp, "PII_AUDIT_KEY": "b" * 64}


def webdav(files: int) -> None:
    from pii_audit.source.registry import store_for
    from tests.servers.webdav import running_webdav

    with running_webdav() as server:
        root, url = server.subdir("library")
        header = "성명,생년월일,주소,연락처"
        for i in range(files):
            folder = root / f"team{i % 20:02d}"
            folder.mkdir(exist_ok=True)
            if i % 10 == 0:
                rows = [header] + [",".join(r) for r in roster_rows(50)]
                (folder / f"roster{i}.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
            else:
                memo = f"회의록 {i}: 다음 회의는 화요일에 열린다.\n" * 20
                (folder / f"memo{i}.txt").write_text(memo, encoding="utf-8")
        os.environ.update(server.env)
        began = time.perf_counter()
        listed = sum(1 for _ in store_for(url).walk(url))
        walk = time.perf_counter() - began
        size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
        with _cache_env() as env:
            cold = _cli([url, "--workers", "1"], {**server.env, **env})
            warm = _cli([url, "--workers", "1"], {**server.env, **env})
        print(f"webdav: {listed} files, {size / 1e6:.2f} MB, {files // 10} rosters of 50 rows")
        print(f"  listing: {walk:.2f} s ({listed / walk:.0f} files/s)")
        print(f"  cold scan (CLI, 1 worker): {cold:.1f} s ({listed / cold:.0f} files/s)")
        print(f"  warm rescan (ETag, no download): {warm:.1f} s ({listed / warm:.0f} files/s)")


def postgresql(rows: int) -> None:
    from pii_audit.source.registry import store_for
    from tests.servers.postgres import running_postgres

    with running_postgres() as server:
        people = roster_rows(rows)
        server.create_database(
            "bench",
            [
                'CREATE TABLE members (id integer PRIMARY KEY, "성명" text, "생년월일" date,'
                ' "주소" text, "연락처" text)',
                (
                    "INSERT INTO members SELECT g, (%s::text[])[g], (%s::date[])[g], (%s::text[])[g], (%s::text[])[g]"
                    " FROM generate_series(1, %s) g",
                    [
                        [p[0] for p in people],
                        [p[1] for p in people],
                        [p[2] for p in people],
                        [p[3] for p in people],
                        rows,
                    ],
                ),
            ],
        )
        url = f"{server.url}/bench"
        os.environ.update(server.env)
        store = store_for(url)
        (ref,) = list(store.walk(url))
        began = time.perf_counter()
        read = sum(1 for _ in store.table(ref, None).segments)  # type: ignore[attr-defined]
        fetch = time.perf_counter() - began
        sample = 1000
        full = _cli([url, "--workers", "1", "--no-cache"], server.env)
        sampled = _cli([url, "--workers", "1", "--no-cache", "--db-sample", str(sample)], server.env)
        with tempfile.TemporaryDirectory() as tmp:
            csv = Path(tmp) / "members.csv"
            lines = ["id,성명,생년월일,주소,연락처"] + [f"{i},{','.join(p)}" for i, p in enumerate(people, start=1)]
            csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
            local = _cli([str(csv), "--workers", "1", "--no-cache"], {})
        print(f"postgresql: one table of {rows} roster rows (4 columns and a key)")
        print(f"  rows read as segments (no detection): {read / fetch:,.0f} rows/s")
        print(f"  full scan (CLI, 1 worker, detector start included): {full:.1f} s ({rows / full:,.0f} rows/s)")
        print(f"  the same rows as a local CSV: {local:.1f} s")
        print(f"  --db-sample {sample}: {sampled:.1f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", choices=["webdav", "postgresql"])
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    if args.store == "webdav":
        webdav(args.files)
    else:
        postgresql(args.rows)


if __name__ == "__main__":
    main()
