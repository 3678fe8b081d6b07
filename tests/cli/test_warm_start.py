"""A warm rescan (every file a cache hit) never imports the detection stack: Presidio, spaCy and
Kiwi cost seconds to import and load, and a rescan that reads no file needs none of them; nor
the process pools, the other commands' modules, rich (off a terminal it prints one plain line),
progress bars or tables, which `pii-audit scan --format json` leaves unimported so that it starts
fast."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HEAVY = ("presidio_analyzer", "spacy", "kiwipiepy", "thinc")
# Not needed to report cache hits as JSON: process pools, the other commands, rich (stderr is a
# pipe here), progress bars, tables, the YAML parser (legal.py reads pipa.json), the report files' view.
IDLE = (
    "pii_audit.executor", "multiprocessing", "pii_audit.cli.protect_cmd", "rich", "rich.progress", "rich.table",
    "openpyxl", "yaml", "pii_audit.report.view",
)  # fmt: skip

PROBE = """
import json, sys
sys.argv = ["pii-audit", *json.loads(sys.argv[1])]
from pii_audit.cli.app import main
try:
    main()
except SystemExit as exc:
    code = exc.code
heavy = %r
idle = %r
seen = {"code": code, "loaded": sorted(m for m in heavy if m in sys.modules)}
seen["idle"] = sorted(m for m in idle if m in sys.modules)
print("\\n" + json.dumps(seen), file=sys.stderr)
"""


def scan(root: Path, env: dict[str, str]) -> dict[str, object]:
    args = [
        "scan", str(root), "--workers", "1", "--format", "json",
        "--output", os.devnull, "--fail-on", "never",
    ]  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", PROBE % (HEAVY, IDLE), json.dumps(args)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    seen: dict[str, object] = json.loads(done.stderr.strip().splitlines()[-1])
    seen["stderr"] = done.stderr
    return seen


def test_a_warm_rescan_imports_no_detection_library(tmp_path: Path) -> None:
    root = tmp_path / "share"
    root.mkdir()
    (root / "roster.csv").write_text("name,phone\n김민준,010-1234-5678\nJohn Smith,555-0100\n", encoding="utf-8")
    (root / "note.txt").write_text("Nothing personal here.\n", encoding="utf-8")
    (root / "memo.txt").write_text("홍길동에게 연락 바람.\n", encoding="utf-8")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "PII_AUDIT_KEY": "test-key"}
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):  # they would make rich treat the pipe as a terminal
        env.pop(name, None)
    cold = scan(root, env)
    assert cold["code"] == 0
    assert {"presidio_analyzer", "spacy"} <= set(cold["loaded"])  # type: ignore[arg-type]  # the probe sees them
    warm = scan(root, env)
    assert warm["code"] == 0
    assert "3 unchanged files not read again" in str(warm["stderr"])
    assert warm["loaded"] == []
    assert warm["idle"] == []


def test_every_command_is_registered_by_the_module_main_imports_for_it() -> None:
    from pii_audit.cli.app import COMMANDS, app

    names = {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}
    names |= {g.name or "" for g in app.registered_groups}
    assert names == set(COMMANDS)
