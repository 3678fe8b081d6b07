"""HTML: self-contained, escaped, and it renders in headless Chromium to something that is not blank."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import pytest

from pii_audit.report import html
from pii_audit.report.view import from_dict
from tests.report.png import ink
from tests.report.sample import RAW, sample_report
from tests.system import KNOWN, require_debian_packages


@pytest.fixture(scope="module")
def chromium() -> str:
    return require_debian_packages(KNOWN["chromium"], binary="chromium")


def test_everything_is_escaped() -> None:
    page = html.render(from_dict(sample_report()))
    assert "<img" not in page and "<xref>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "corrupt: &lt;xref&gt;" in page


def test_self_contained_and_script_free() -> None:
    page = html.render(from_dict(sample_report()))
    assert "<script" not in page.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page, re.IGNORECASE)
    assert "<link" not in page.lower() and "@import" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert page.count("<svg") == 2  # severity distribution and top folders


def test_sections_and_masking() -> None:
    page = html.render(from_dict(sample_report()))
    for heading in ("Files ranked by exposure", "Folders", "Not scanned", "3 distinct people exposed"):
        assert heading in page
    assert not any(raw in page for raw in RAW)
    assert "raw personal data" not in page
    assert "raw personal data" in html.render(from_dict(sample_report(), reveal=True))


def test_renders_in_headless_chromium(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(html.render(from_dict(sample_report())), encoding="utf-8")
    shot = tmp_path / "shot.png"
    began = time.monotonic()
    subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            f"--screenshot={shot}",
            "--window-size=1200,900",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert shot.exists(), "chromium wrote no screenshot"
    total, dark, colours = ink(shot.read_bytes())
    assert total == 1200 * 900
    assert dark > total * 0.01, f"screenshot is nearly blank ({dark} non-white pixels)"
    # the critical severity fill (#c00000) shows, so the inline CSS and SVG were applied
    assert any(r > 150 and g < 40 and b < 40 for r, g, b in colours), "no severity colour on screen"
    assert time.monotonic() - began < 120
