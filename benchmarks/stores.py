"""Store throughput against real servers on 127.0.0.1 (the test servers in tests/servers/).

    .venv/bin/python -m benchmarks.stores webdav [--files 500]

webdav: a library of small files (one roster CSV in ten); prints the listing rate (files/s, one
PROPFIND per folder), a cold scan and a warm rescan (metadata only, by ETag) through the CLI.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("store", choices=["webdav"])
    parser.add_argument("--files", type=int, default=500)
    args = parser.parse_args()
    webdav(args.files)


if __name__ == "__main__":
    main()
