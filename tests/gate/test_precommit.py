"""The pre-commit hook (.pre-commit-hooks.yaml) blocks a commit that adds a roster, in a throwaway repository.

The hook runs as `repo: local` with `language: system` pointing at this venv's pii-audit (no network to
fetch hooks), with the entry and options of the shipped hook definition."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.fixtures import write_roster
from tests.gate.conftest import KEY, no_raw_values

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _git(repo: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_precommit_hook_blocks_a_roster(tmp_path: Path) -> None:
    if not (BIN / "pre-commit").exists():
        pytest.skip("pre-commit is not installed in the venv (pip install -e '.[dev]')")
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "pii-audit" and hook["entry"].startswith("pii-audit scan") and hook["pass_filenames"]
    local = {
        **{k: hook[k] for k in ("id", "name", "pass_filenames", "require_serial", "types")},
        "entry": hook["entry"].replace("pii-audit", str(BIN / "pii-audit"), 1) + " --no-english-model --workers 1",
        "language": "system",
    }
    repo = tmp_path / "repo"
    repo.mkdir()
    env = {
        **os.environ,
        "PII_AUDIT_KEY": KEY,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "HOME": str(tmp_path / "home"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    env.pop("CI", None)
    assert _git(repo, "init", "-q", env=env).returncode == 0
    config = {"repos": [{"repo": "local", "hooks": [local]}]}
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    install = subprocess.run([str(BIN / "pre-commit"), "install"], cwd=repo, env=env, capture_output=True, text=True)
    assert install.returncode == 0, install.stdout + install.stderr

    (repo / "README.md").write_text("# notes\n\nNothing personal here.\n", encoding="utf-8")
    _git(repo, "add", "README.md", ".pre-commit-config.yaml", env=env)
    clean = _git(repo, "commit", "-q", "-m", "docs", env=env)
    assert clean.returncode == 0, clean.stdout + clean.stderr

    (repo / "data").mkdir()
    write_roster(repo / "data" / "roster.xlsx")
    _git(repo, "add", "data/roster.xlsx", env=env)
    blocked = _git(repo, "commit", "-q", "-m", "add roster", env=env)
    assert blocked.returncode != 0, blocked.stdout + blocked.stderr
    output = blocked.stdout + blocked.stderr  # git passes the hook's output through on stderr
    assert "pii-audit" in output and "Failed" in output and "roster.xlsx" in output
    assert _git(repo, "rev-list", "--count", "HEAD", env=env).stdout.strip() == "1", "the commit did not happen"
    assert "data/roster.xlsx" in _git(repo, "diff", "--cached", "--name-only", env=env).stdout
    no_raw_values(output)
