"""Compiled regular expressions kept between runs, as Python keeps compiled modules in .pyc files.

Building the Detector compiles a few hundred regular expressions with the `regex` module: ours
(the Korean address gazetteer as tries of several thousand characters, the English address and
name patterns, the YAML rules) and Presidio's, some at its import (its URL recognizer alone is
four patterns of 6,000 characters). `regex` parses and optimises a pattern in Python; that took
about 0.85 s of every cold start, before the first file, on the scanning process's critical path.

`reused()` keeps, for each pattern compiled inside it, the program `regex` hands to its C engine
(`_regex.compile`'s arguments: a list of integers, the group names, the required string) in one
file, and on the next run gives `regex` that program instead of parsing the pattern again. The
C engine builds the same pattern object from the same program, so matching is unchanged.

Python's own `re` is kept the same way: `re` too parses and compiles in Python (spaCy and Presidio
compile about 270 patterns with it at their import, about 0.1 s), then hands a program to `_sre`.
Inside `reused()` its compiler gives `_sre` the stored program for a pattern it has seen before.

The file holds only patterns (our rules and Presidio's), never anything read from a scanned
file. It is keyed by the `regex` and Python versions, checked by a SHA-256 of its content, and
written atomically (0600, in a 0700 directory); a file that is missing, corrupt or from other
versions is ignored and rewritten, and a cache directory that cannot be written only costs the
parsing. Patterns with named lists, bytes patterns, and locale or debug flags are compiled as
usual. Outside `reused()` nothing changes.
"""

from __future__ import annotations

import hashlib
import importlib
import logging
import marshal
import os
import re
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import regex
from regex import _main

log = logging.getLogger(__name__)
# Python's `re` compiler (private, as `regex._main` is): `reused()` replaces its `compile` and `_sre`.
_re_compiler: Any = importlib.import_module("re._compiler")

FORMAT = 2
_DIGEST = 32
_UNCACHED_FLAGS = regex.DEBUG | regex.LOCALE
_RE_UNCACHED_FLAGS = re.DEBUG | re.LOCALE
_lock = threading.RLock()  # one pattern recorded at a time
# One `reused()` block at a time in a process: two threads each replacing `regex`'s compile and
# restoring what they found could leave one's replacement installed for good.
_scope = threading.RLock()

Key = tuple[str, int, int]  # pattern, flags, regex.DEFAULT_VERSION
Program = tuple[Any, ...]  # _regex.compile's arguments
ReKey = tuple[str | bytes, int]  # a pattern of Python's `re`, its flags
ReProgram = tuple[Any, ...]  # _sre.compile's arguments


class Stored(NamedTuple):
    """What the file holds: the programs of `regex` patterns and of `re` patterns."""

    programs: dict[Key, Program]
    re_programs: dict[ReKey, ReProgram]


def default_path() -> Path:
    from pii_audit.cache import cache_dir

    py = f"{sys.version_info[0]}{sys.version_info[1]}"
    return cache_dir() / "compiled" / f"regex-{regex.__version__}-py{py}.bin"


def _header() -> tuple[int, str, str]:
    return FORMAT, regex.__version__, sys.version.split()[0]


def load(path: Path) -> Stored:
    """The programs stored at `path`; empty when the file is missing, damaged or not ours."""
    empty = Stored({}, {})
    try:
        blob = path.read_bytes()
    except OSError:
        return empty
    digest, body = blob[:_DIGEST], blob[_DIGEST:]
    if hashlib.sha256(body).digest() != digest:
        if blob:
            log.debug("compiled patterns at %s do not match their checksum: ignored", path)
        return empty
    try:
        header, programs, re_programs = marshal.loads(body)
    except (ValueError, EOFError, TypeError):
        return empty
    if header != _header() or not isinstance(programs, dict) or not isinstance(re_programs, dict):
        return empty
    return Stored(programs, re_programs)


def save(path: Path, stored: Stored) -> None:
    """Write `stored` to `path` at once (a temporary file renamed over it), readable only by
    this user. Failure to write is logged and otherwise ignored: the cache only saves time."""
    try:
        body = marshal.dumps((_header(), stored.programs, stored.re_programs))
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".regex-", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(hashlib.sha256(body).digest() + body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except (OSError, ValueError) as exc:
        log.debug("compiled patterns not saved to %s: %s", path, exc)


class _Recorder:
    """Stands in for the `_regex` C module inside `regex._main` (or `_sre` inside `re._compiler`)
    while one pattern is compiled: passes `compile` through, keeping its arguments."""

    def __init__(self, real: Any) -> None:
        self._real = real
        self.calls: list[Program] = []

    def compile(self, *args: Any) -> Any:
        self.calls.append(args)
        return self._real.compile(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


def _plain(arg: Any) -> Any:
    """`regex`'s flag values (an IntFlag, which marshal cannot store) as plain ints."""
    return int(arg) if isinstance(arg, int) and type(arg) not in (int, bool) else arg


def _storable(program: Program) -> bool:
    try:
        marshal.dumps(program)
    except ValueError:
        return False
    return True


@contextmanager
def reused(path: Path | None = None) -> Iterator[None]:
    """Inside the block, `regex` compiles each str pattern, and `re` each str or bytes pattern, from
    the program stored at `path` (default: `default_path()`) when there is one; on leaving, the
    programs of every pattern compiled inside are stored for the next run when any was new."""
    path = path or default_path()
    stored = load(path)
    used: dict[Key, Program] = {}
    built: dict[Key, Any] = {}
    re_used: dict[ReKey, ReProgram] = {}

    def compile_(pattern: Any, flags: int, ignore_unused: bool, kwargs: Any, cache_it: bool) -> Any:
        if type(pattern) is not str or kwargs or flags & _UNCACHED_FLAGS:
            return original(pattern, flags, ignore_unused, kwargs, cache_it)
        key = (pattern, int(flags), int(regex.DEFAULT_VERSION))
        compiled = built.get(key)
        if compiled is not None:
            return compiled
        program = stored.programs.get(key)
        if program is not None:
            compiled = engine.compile(*program)
        else:
            with _lock:
                recorder = _Recorder(engine)
                _main._regex = recorder
                try:  # not from `regex`'s own cache, which would hand back an object without its program
                    compiled = original(pattern, flags, ignore_unused, kwargs, False)
                finally:
                    _main._regex = engine
            mine = [args for args in recorder.calls if args and args[0] is pattern]
            if len(mine) != 1 or compiled.flags & regex.LOCALE:
                return compiled
            program = tuple(_plain(arg) for arg in mine[0])
            if not _storable(program):
                return compiled
        used[key] = program
        built[key] = compiled
        return compiled

    def re_compile(pattern: Any, flags: int = 0) -> Any:
        """`re._compiler.compile`, from a stored program for a pattern seen before (`re` keeps
        what it compiled in its own cache, so each pattern comes here once per process)."""
        if type(pattern) not in (str, bytes) or int(flags) & _RE_UNCACHED_FLAGS:
            return re_original(pattern, flags)
        key = (pattern, int(flags))
        program = stored.re_programs.get(key)
        if program is not None:
            re_used[key] = program
            return sre.compile(*program)
        with _lock:
            recorder = _Recorder(sre)
            _re_compiler._sre = recorder
            try:
                compiled = re_original(pattern, flags)
            finally:
                _re_compiler._sre = sre
        mine = [args for args in recorder.calls if args and args[0] is pattern]
        if len(mine) == 1 and not compiled.flags & re.LOCALE:
            # The code is a list of `re`'s named opcodes (int subclasses, which marshal cannot store).
            program = tuple([int(op) for op in arg] if isinstance(arg, list) else _plain(arg) for arg in mine[0])
            if _storable(program):
                re_used[key] = program
        return compiled

    with _scope:  # what `regex` and `re` use, taken while no other block can have replaced them
        original, engine = _main._compile, _main._regex
        re_original, sre = _re_compiler.compile, _re_compiler._sre
        _main._compile = compile_
        _re_compiler.compile = re_compile
        try:
            yield
        finally:
            _main._compile = original
            _re_compiler.compile = re_original
            if any(key not in stored.programs for key in used) or any(key not in stored.re_programs for key in re_used):
                save(path, Stored(used, re_used))
