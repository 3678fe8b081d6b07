"""Kiwi, the Korean morphological analyser, in one process of its own for a whole scan.

Kiwi takes 1-2 s of CPU and about 500 MB to load, and its constructor holds the GIL, so it cannot
load beside the Detector's build in the same process. A scan that reads files therefore starts a
Kiwi server first (`serving`): a process forked before the Detector is built, which loads the
model on another core while the scanning process imports Presidio and spaCy, and then answers
every worker's `tokenize` over a Unix socket in a private directory. The workers, forked later
from the scanning process, never load Kiwi themselves: one model per scan instead of one per
worker, and no worker waits for it before its first Korean text.

`model()` is what the recognizers call (through `kiwi_tokenizer.kiwi()`): the server's proxy
while a server runs for this process, else a Kiwi loaded here, as before (Dask workers, the
remedy commands, tests, machines without fork). A proxy whose server cannot be reached, or whose
process has asked it for `LOCAL_AFTER_CHARS` characters (the server analyses one text at a time),
loads Kiwi here and goes on: answers are the same tokens either way.

The server is part of the detect stage, on the workers' side: the texts it receives are held only
while they are analysed, never logged, stored or sent anywhere but back to the worker that asked.

Only the texts to analyse and their tokens cross the socket (never a file, a log or an
exception message); the socket lives in a directory only this user can open, removed at the end.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import shutil
import signal
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from multiprocessing.connection import Connection
from typing import Any, NamedTuple

log = logging.getLogger(__name__)

# The dictionaries Kiwi loads (see README, "Speed and scale"): the same in the server and here.
KIWI_OPTIONS: dict[str, Any] = {"load_multi_dict": False, "load_typo_dict": False}
_PLACEHOLDER = "홍길동은 서울에 산다."  # Kiwi builds its model on the first tokenisation ("John Doe lives in Seoul")
_WATCH_SECONDS = 1.0  # how often the server checks that the process that started it is alive


class KiwiToken(NamedTuple):
    """What the recognizers read of a Kiwi token."""

    form: str
    tag: str
    start: int
    len: int
    oov: bool


def build_local() -> Any:
    """A Kiwi in this process, with the file's deadline paused while it loads (loading the model is
    not the file's time, and an interrupted load would leave every later file to pay for it)."""
    from kiwipiepy import Kiwi

    from pii_audit.interrupt import deadline_paused

    with deadline_paused():
        built = Kiwi(**KIWI_OPTIONS)
        built.tokenize(_PLACEHOLDER)
    return built


# --- the server process ------------------------------------------------------------------------


def _serve(listener: socket.socket, parent: int) -> None:
    """The server's life: load Kiwi, then answer each connection in a thread of its own until the
    parent stops it (SIGTERM) or goes away."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the scan's to handle: it stops us
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_DFL)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from kiwipiepy import Kiwi

    kiwi = Kiwi(**KIWI_OPTIONS)
    kiwi.tokenize(_PLACEHOLDER)
    lock = threading.Lock()  # one analysis at a time: the answers never depend on what runs beside them
    while True:
        sock, _ = listener.accept()
        threading.Thread(target=_answer, args=(Connection(sock.detach()), kiwi, lock), daemon=True).start()


def _watch_parent(parent: int) -> None:
    """Exit once the scanning process is gone (killed without stopping us)."""
    while os.getppid() == parent:
        time.sleep(_WATCH_SECONDS)
    os._exit(0)


def _answer(conn: Connection, kiwi: Any, lock: threading.Lock) -> None:
    with conn:
        conn.send(("ready", None))
        while True:
            try:
                text = conn.recv()
            except (EOFError, OSError):
                return  # the client closed (done, or interrupted mid-request)
            try:
                with lock:
                    tokens = [(t.form, t.tag, t.start, t.len, bool(t.oov)) for t in kiwi.tokenize(text)]
                reply: tuple[str, Any] = ("ok", tokens)
            except Exception as exc:  # noqa: BLE001 - the type goes back, never the text
                reply = ("error", type(exc).__name__)
            try:
                conn.send(reply)
            except OSError:
                return


class KiwiServer:
    """The scanning process's handle on a running server."""

    def __init__(self) -> None:
        self.directory = tempfile.mkdtemp(prefix="pii-audit-kiwi-")  # mode 0700
        self.address = os.path.join(self.directory, "kiwi.sock")
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            listener.bind(self.address)
            listener.listen(64)
            # Bound before the fork: a client may connect at once; it is answered once Kiwi is loaded.
            context = multiprocessing.get_context("fork")
            self.process = context.Process(
                target=_serve, args=(listener, os.getpid()), name="pii-audit-kiwi", daemon=True
            )
            self.process.start()
        except BaseException:
            listener.close()
            shutil.rmtree(self.directory, ignore_errors=True)
            raise
        listener.close()  # the server's copy stays open

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5.0)
            if self.process.is_alive():
                self.process.kill()
                self.process.join(5.0)
        shutil.rmtree(self.directory, ignore_errors=True)


# --- the client side ---------------------------------------------------------------------------


class ServerUnavailable(OSError):
    """The server cannot be reached or answered with an error."""


# The characters one process sends the server before it loads a Kiwi of its own (about 2 CPU s of
# analysis, as long as the load): the server analyses one text at a time, so workers that need Kiwi
# a lot (Korean business prose) would queue behind each other; a few words per file never get there.
LOCAL_AFTER_CHARS = 150_000


class RemoteKiwi:
    """`tokenize` answered by the server; Kiwi loaded here instead once the server is unreachable,
    or once this process has asked it for `LOCAL_AFTER_CHARS` characters."""

    def __init__(self, address: str, local_after: int = LOCAL_AFTER_CHARS) -> None:
        self.address = address
        self._conn: Connection | None = None
        self._pid = os.getpid()
        self._local: Any = None
        self._sent = 0
        self._local_after = local_after

    def tokenize(self, text: str) -> Any:
        """Kiwi's tokens of `text`: `KiwiToken`s from the server, or Kiwi's own from a local model."""
        if self._local is None:
            if self._sent + len(text) <= self._local_after:
                try:
                    tokens = self._ask(text)
                    self._sent += len(text)
                    return tokens
                except ServerUnavailable:
                    log.debug("the Kiwi server is unreachable; Kiwi is loaded in this process")
            else:
                log.debug("Kiwi is loaded in this process: it analyses more than the server should serve")
            self._drop()
            self._local = build_local()
        return self._local.tokenize(text)

    def _ask(self, text: str) -> list[KiwiToken]:
        conn = self._connection()
        try:
            conn.send(text)
            status, payload = conn.recv()
        except BaseException as exc:
            # Interrupted mid-request (the file's deadline, Ctrl-C) or the server died: the answer
            # in flight belongs to nobody now, so the connection goes; the next call opens another.
            self._drop()
            if isinstance(exc, (OSError, EOFError)):
                raise ServerUnavailable(type(exc).__name__) from None
            raise
        if status != "ok":
            raise ServerUnavailable(f"Kiwi failed in the server: {payload}")
        return [KiwiToken(*t) for t in payload]

    def _connection(self) -> Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        self._conn, self._pid = None, os.getpid()  # a forked child never shares its parent's connection
        from pii_audit.interrupt import deadline_paused

        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with deadline_paused():  # waiting for the model to load is not the file's time
                sock.connect(self.address)
                conn = Connection(sock.detach())
                status, _ = conn.recv()
        except (OSError, EOFError) as exc:
            sock.close()
            raise ServerUnavailable(type(exc).__name__) from None
        if status != "ready":
            conn.close()
            raise ServerUnavailable("unexpected greeting")
        self._conn = conn
        return conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            with contextlib.suppress(OSError):
                conn.close()


# --- this process's Kiwi -----------------------------------------------------------------------

_state: dict[str, Any] = {"address": None, "model": None}


def model() -> Any:
    """This process's Kiwi: the server's proxy while one serves this process (and the workers it
    forks), else one loaded here on first use."""
    current = _state["model"]
    if current is None:
        address = _state["address"]
        current = RemoteKiwi(address) if address else build_local()
        _state["model"] = current
    return current


def available() -> bool:
    """Whether a server can be started here (it is forked: the scan's workers find it inherited)."""
    return "fork" in multiprocessing.get_all_start_methods() and hasattr(socket, "AF_UNIX")


@contextlib.contextmanager
def serving() -> Iterator[KiwiServer | None]:
    """Within the block this process and the processes it forks use one Kiwi server (None where
    none can be started: then each loads its own, as before). A Kiwi already loaded here is kept."""
    if not available() or _state["address"] is not None or _state["model"] is not None:
        yield None
        return
    try:
        server = KiwiServer()
    except OSError as exc:
        log.debug("no Kiwi server (%s): Kiwi loads in each process that needs it", type(exc).__name__)
        yield None
        return
    _state["address"] = server.address
    log.debug("Kiwi loads in a server process of its own (pid %d) for this scan", server.process.pid)
    try:
        yield server
    finally:
        remote = _state["model"]
        if isinstance(remote, RemoteKiwi):
            remote._drop()
        _state["address"] = None
        _state["model"] = None
        server.stop()
