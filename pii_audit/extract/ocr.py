"""Optical character recognition with the Tesseract binary (Debian `tesseract-ocr tesseract-ocr-kor`).

Off unless the run asks for it (`--ocr`): OCR costs about a second per image. The binary runs as a
subprocess (`tesseract stdin stdout -l kor+eng --psm 6`) with a timeout; the image goes to it through
a pipe as PNG, never through a file on disk. Pillow prepares the image first: EXIF orientation
applied, transparency flattened onto white, grey scale, and small text upscaled: Tesseract misreads
14 px text and reads Hangul best at a line height of about 45 px (measured: 32 px text read 9/15
lines as is, 14/15 at 1.5x, 12-13/15 at 2-3x). The line height is estimated from the rows that hold
ink (`line_height`); when no lines stand out (a photo), the image is scaled by area instead.

`unavailable()` says, once per process, why OCR cannot run here (no binary, no Korean data), so
that the run can say it once and each image can be skipped with that reason instead of crashing.
"""

from __future__ import annotations

import functools
import io
import math
import os
import shutil
import subprocess
from collections.abc import Iterator

from PIL import Image, ImageOps, ImageSequence

from pii_audit.errors import CorruptFile, ExtractError

LANGUAGES = ("kor", "eng")
PACKAGES = ("tesseract-ocr", "tesseract-ocr-kor")  # Debian
NOT_ENABLED = "image (OCR not enabled: --ocr)"
NOT_INSTALLED = "OCR unavailable: tesseract not installed"
NO_LANGUAGE = "OCR unavailable: tesseract has no Korean language data (tesseract-ocr-kor)"
TIMEOUT = 60.0  # seconds for one image
TARGET_LINE = 45  # pixels: text lines are upscaled towards this height
TARGET_PIXELS = 4_000_000  # without measurable lines, small images are upscaled towards this area
MAX_UPSCALE = 3.0
MAX_PREPARED = 40_000_000  # pixels after upscaling
MAX_PIXELS = 60_000_000  # larger frames are not read (decompression bombs, posters)
MAX_FRAMES = 50  # frames of one multi-page TIFF
MIN_SIDE = 16  # images smaller than this in either direction hold no readable text (icons, spacers)


class OcrFailed(ExtractError):
    """Tesseract ran but gave no answer (crashed, timed out)."""


def _tesseract() -> str | None:
    return shutil.which("tesseract")


@functools.cache
def unavailable() -> str | None:
    """Why OCR cannot run here (a skip reason), or None when it can."""
    exe = _tesseract()
    if exe is None:
        return NOT_INSTALLED
    try:
        proc = subprocess.run([exe, "--list-langs"], capture_output=True, timeout=15, check=False, env=_env())
    except (OSError, subprocess.SubprocessError):
        return NOT_INSTALLED
    # "List of available languages in ...:" then one language per line (on stdout, or stderr in 4.x).
    listed = (proc.stdout + proc.stderr).decode("utf-8", "replace").splitlines()
    languages = {line.strip() for line in listed if line.strip() and not line.startswith("List of")}
    if "kor" not in languages:
        return NO_LANGUAGE
    return None


@functools.cache
def engine() -> str:
    """What reads the images, for the report's options and the cache key (OCR output depends on the
    Tesseract version and its language data): e.g. `tesseract 5.3.0 kor+eng`, or why there is none."""
    problem = unavailable()
    exe = _tesseract()
    if problem is not None or exe is None:
        return problem or NOT_INSTALLED
    try:
        proc = subprocess.run([exe, "--version"], capture_output=True, timeout=15, check=False, env=_env())
        first = (proc.stdout or proc.stderr).decode("utf-8", "replace").strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        first = "tesseract"
    return f"{first.strip()} {'+'.join(LANGUAGES)}"


def notice() -> str | None:
    """One line for the start of a run that asked for OCR it cannot have, or None."""
    problem = unavailable()
    if problem is None:
        return None
    return f"--ocr: {problem} (apt-get install {' '.join(PACKAGES)}); images are skipped, image-only PDFs noted"


def _env() -> dict[str, str]:
    # One thread per Tesseract: the run already scans files in parallel, and OpenMP threads on top of
    # that make it slower, not faster.
    return {**os.environ, "OMP_THREAD_LIMIT": "1", "LC_ALL": "C.UTF-8"}


def prepare(image: Image.Image) -> Image.Image:
    """Grey scale on white, upright, upscaled when small."""
    image = ImageOps.exif_transpose(image) or image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(background, rgba)
    grey = image.convert("L")
    area = grey.width * grey.height
    if area <= 0:
        return grey
    line = line_height(grey)
    if line is not None:
        factor = TARGET_LINE / line
    else:
        factor = math.sqrt(TARGET_PIXELS / area)
    factor = min(factor, MAX_UPSCALE, math.sqrt(MAX_PREPARED / area))
    if factor > 1.2:
        size = (round(grey.width * factor), round(grey.height * factor))
        grey = grey.resize(size, Image.Resampling.LANCZOS)
    return grey


def line_height(grey: Image.Image) -> float | None:
    """The median height of the bands of rows that hold ink (dark text on a light ground), or None
    when there are fewer than two such bands (nothing that looks like lines of text)."""
    histogram = grey.histogram()
    total = grey.width * grey.height
    light = _percentile(histogram, total, 0.9)
    dark = _percentile(histogram, total, 0.002)
    if light < 128 or light - dark < 64:  # a dark ground (inverted text, a photo) or no contrast
        return None
    cut = (light + dark) // 2
    ink = grey.point(lambda v: 1 if v < cut else 0).tobytes()  # mode "L": one byte per pixel
    width = grey.width
    counts = [ink.count(1, row * width, (row + 1) * width) for row in range(grey.height)]
    empty = sorted(counts)[len(counts) // 10]  # rows without text (frame edges only)
    bands: list[int] = []
    run = 0
    for count in [*counts, 0]:
        if count > empty + 1:
            run += 1
        elif run:
            if run >= 4:  # thinner: a rule or a frame edge, not a line of text
                bands.append(run)
            run = 0
    if len(bands) < 2:
        return None
    bands.sort()
    return float(bands[len(bands) // 2])


def _percentile(histogram: list[int], total: int, fraction: float) -> int:
    seen = 0
    for value, count in enumerate(histogram):
        seen += count
        if seen >= total * fraction:
            return value
    return 255


def recognise(image: Image.Image, timeout: float = TIMEOUT) -> str:
    """The text Tesseract reads in `image` (lines as it found them). Raises OcrFailed."""
    exe = _tesseract()
    if exe is None:
        raise OcrFailed(NOT_INSTALLED)
    buffer = io.BytesIO()
    prepare(image).save(buffer, "PNG", dpi=(300, 300))  # without a resolution Tesseract guesses 70 dpi
    args = [exe, "stdin", "stdout", "-l", "+".join(LANGUAGES), "--psm", "6", "-c", "preserve_interword_spaces=1"]
    try:
        proc = subprocess.run(
            args, input=buffer.getvalue(), capture_output=True, timeout=timeout, check=False, env=_env()
        )
    except subprocess.TimeoutExpired:
        raise OcrFailed(f"OCR failed: tesseract timed out after {timeout:g} s") from None
    except OSError as exc:
        raise OcrFailed(f"OCR failed: {type(exc).__name__}") from None
    if proc.returncode != 0:
        raise OcrFailed(f"OCR failed: tesseract exited with {proc.returncode}")
    return proc.stdout.decode("utf-8", "replace").replace("\f", "\n")


def too_small(image: Image.Image) -> bool:
    return image.width < MIN_SIDE or image.height < MIN_SIDE


def too_large(image: Image.Image) -> bool:
    return image.width * image.height > MAX_PIXELS


def frames(data: bytes, kind: str) -> Iterator[tuple[int, Image.Image]]:
    """The frames of an image file (1-based numbers): one for PNG and JPEG, every page of a TIFF up
    to MAX_FRAMES. Raises CorruptFile when Pillow cannot read it or a frame is too large."""
    try:
        image = Image.open(io.BytesIO(data))
    except Exception as exc:  # UnidentifiedImageError, DecompressionBombError, struct errors…
        raise CorruptFile(f"{kind}: {type(exc).__name__}") from None
    with image:
        for number, frame in enumerate(ImageSequence.Iterator(image), start=1):
            if number > MAX_FRAMES:
                return
            if too_large(frame):
                raise CorruptFile(f"{kind}: frame {number} larger than {MAX_PIXELS} pixels")
            try:
                frame.load()
                copy = frame.copy()
            except Exception as exc:  # truncated or damaged pixel data
                raise CorruptFile(f"{kind}: frame {number}: {type(exc).__name__}") from None
            yield number, copy


def frame_count(data: bytes) -> int:
    try:
        with Image.open(io.BytesIO(data)) as image:
            return int(getattr(image, "n_frames", 1))
    except Exception:
        return 1
