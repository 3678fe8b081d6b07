"""A scanned synthetic tree, and private copies of it (with a report pointing at the copy) for
tests that change files."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from pii_audit.cli.app import app
from tests.fixtures import PEOPLE, open_dir, rrn, write_tree

runner = CliRunner()

# Values the fixture tree holds: none may appear in a plan, a manifest or a journal.
RAW = [v for name, birth, address, phone in PEOPLE for v in (name, address, phone)]
RAW += [rrn(b, 1 + i % 2) for i, (_, b, _, _) in enumerate(PEOPLE)] + ["홍정자", "010-4457-3000"]


def ok(result: Result, code: int) -> None:
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == code, result.output


@dataclass(frozen=True)
class Case:
    root: Path  # the copy of the tree
    report: Path  # its report (the scan's, with the root pointing at the copy)
    data: dict  # type: ignore[type-arg]

    def severities(self) -> dict[str, str]:
        return {f["path"]: f["severity"] for f in self.data["files"]}


def snapshot(root: Path) -> dict[str, tuple[str, int, int]]:
    """Every file under `root`: sha256, mode and mtime (ns), computed here, not by the code under test."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            st = path.lstat()
            out[path.relative_to(root).as_posix()] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                st.st_mode,
                st.st_mtime_ns,
            )
    return out


@pytest.fixture(scope="session")
def scanned() -> Iterator[tuple[Path, dict]]:  # type: ignore[type-arg]
    with open_dir("pii-audit-remedy-") as base:  # world-readable files, as on a shared disk: some critical
        tree = write_tree(base / "tree")
        tree.chmod(0o755)
        os.chmod(tree / "staff.txt", 0o640)  # modes other than the default must come back too
        report = base / "run.json"
        ok(runner.invoke(app, ["scan", str(tree), "--json", str(report), "-o", os.devnull]), 1)
        yield tree, json.loads(report.read_text(encoding="utf-8"))


@pytest.fixture
def case(scanned: tuple[Path, dict], tmp_path: Path) -> Case:  # type: ignore[type-arg]
    tree, data = scanned
    root = tmp_path / "data"
    shutil.copytree(tree, root, copy_function=shutil.copy2)
    data = json.loads(json.dumps(data))
    data["scan"]["roots"] = [str(root)]
    report = tmp_path / "run.json"
    report.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return Case(root, report, data)
