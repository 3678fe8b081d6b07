"""The stderr console: plain lines without rich off a terminal, rich's answers where they matter."""

from __future__ import annotations

import io
import sys

import pytest

from pii_audit.cli.console import StderrConsole


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_plain_line_off_a_terminal_is_written_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    console = StderrConsole(emoji=False)
    assert not console.is_terminal
    line = "캐시: [bold]:smile: " + "x" * 200  # markup, an emoji code and a long line: all kept as they are
    console.line(line)
    assert err.getvalue() == line + "\n"
    assert console._console is None  # rich was never needed


def test_rich_decides_on_a_terminal_or_when_told_to(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "stderr", _Tty())
    assert StderrConsole().is_terminal
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    monkeypatch.setenv("TTY_COMPATIBLE", "1")
    assert StderrConsole().is_terminal  # rich reads the variable: so is the bar shown
    monkeypatch.delenv("TTY_COMPATIBLE")
    monkeypatch.setenv("FORCE_COLOR", "")
    assert not StderrConsole().is_terminal


def test_once_rich_is_in_use_lines_go_through_it_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE"):
        monkeypatch.delenv(name, raising=False)
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    console = StderrConsole()
    console.print("[red]error:[/] first")
    line = "[bold] :smile: " + "y" * 200
    console.line(line)
    assert err.getvalue() == "error: first\n" + line + "\n"
