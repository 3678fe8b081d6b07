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
remedy commands, tests, machines without fork). A proxy whose server cannot be reached loads Kiwi
here and goes on: answers are the same tokens either way.

When a process loads its own Kiwi although the server runs: once queueing there has cost it as
much time as a load would. The server measures how long loading its model took (CPU seconds:
about 1.5-2 on the 2-core machine the README measures, plus about 500 MB resident) and tells each
client in its greeting; each answer says how long the text waited for the lock behind other
clients' analyses (the server analyses one text at a time). Once a process's texts have waited
that long in all, it loads its own Kiwi: the ski-rental rule (rent until the rent paid equals the
price), never more than twice the better choice in hindsight. A lone worker never queues, so it
never loads a second model; workers that keep the server busy load their own within seconds.

Not counted: the transport (pickling, the socket, waking the server), measured at 1-5 us per
character on top of Kiwi's 11-14 us, split between the two processes, is too small to repay a
load on the scale of a 20 MB share (under 1M characters per process) and, measured as the round
trip's wall time, it grows with whatever else the machine runs (a scheduling delay per request),
which made even a lone worker load its own Kiwi on a busy machine.

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
    started = time.process_time()
    from kiwipiepy import Kiwi

    kiwi = Kiwi(**KIWI_OPTIONS)
    kiwi.tokenize(_PLACEHOLDER)
    load_seconds = time.process_time() - started  # what a client would pay to load its own
    lock = threading.Lock()  # one analysis at a time: the answers never depend on what runs beside them
    while True:
        sock, _ = listener.accept()
        args = (Connection(sock.detach()), kiwi, lock, load_seconds)
        threading.Thread(target=_answer, args=args, daemon=True).start()


def _watch_parent(parent: int) -> None:
    """Exit once the scanning process is gone (killed without stopping us)."""
    while os.getppid() == parent:
        time.sleep(_WATCH_SECONDS)
    os._exit(0)


def _answer(conn: Connection, kiwi: Any, lock: threading.Lock, load_seconds: float) -> None:
    """One client's requests: the greeting carries the model's load time, each answer the seconds
    the text waited for the analyses of other clients' texts, then the seconds its own took."""
    with conn:
        conn.send(("ready", load_seconds))
        while True:
            try:
                text = conn.recv()
            except (EOFError, OSError):
                return  # the client closed (done, or interrupted mid-request)
            arrived = time.perf_counter()
            try:
                with lock:
                    started = time.perf_counter()
                    tokens = [(t.form, t.tag, t.start, t.len, bool(t.oov)) for t in kiwi.tokenize(text)]
                    spent = time.perf_counter() - started
                reply: tuple[str, Any, float, float] = ("ok", tokens, started - arrived, spent)
            except Exception as exc:  # noqa: BLE001 - the type goes back, never the text
                reply = ("error", type(exc).__name__, 0.0, 0.0)
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


# Kiwi's load time before the server's greeting says it (CPU seconds measured on the 2-core machine).
_DEFAULT_LOAD_SECONDS = 1.8


class RemoteKiwi:
    """`tokenize` answered by the server; Kiwi loaded here instead once the server is unreachable,
    or once queueing there behind other processes has cost this process as much as a load would:
    `local_after` seconds, by default the server's own load time (see the module's doc)."""

    def __init__(self, address: str, local_after: float | None = None) -> None:
        self.address = address
        self._conn: Connection | None = None
        self._pid = os.getpid()
        self._local: Any = None
        self._local_after = local_after
        self._load_seconds: float | None = None  # the server's, from its greeting
        self.queued = 0.0  # seconds this process's texts waited behind other processes' in the server
        self.analysed = 0.0  # seconds the server spent analysing this process's texts

    @property
    def local_after(self) -> float:
        """The seconds of queueing after which this process loads its own Kiwi."""
        if self._local_after is not None:
            return self._local_after
        return self._load_seconds if self._load_seconds is not None else _DEFAULT_LOAD_SECONDS

    def tokenize(self, text: str) -> Any:
        """Kiwi's tokens of `text`: `KiwiToken`s from the server, or Kiwi's own from a local model."""
        if self._local is None:
            try:
                tokens = self._ask(text)
            except ServerUnavailable:
                log.debug("the Kiwi server is unreachable; Kiwi is loaded in this process")
            else:
                if self.queued >= self.local_after:
                    log.debug(
                        "Kiwi is loaded in this process: queueing in the server (%.2f s, beside %.2f s of"
                        " analysis) has cost as much as loading it (%.2f s)",
                        self.queued,
                        self.analysed,
                        self.local_after,
                    )
                    self._go_local()
                return tokens
            self._go_local()
        return self._local.tokenize(text)

    def _go_local(self) -> None:
        self._drop()
        self._local = build_local()

    def _ask(self, text: str) -> list[KiwiToken]:
        conn = self._connection()
        try:
            conn.send(text)
            status, payload, waited, spent = conn.recv()
        except BaseException as exc:
            # Interrupted mid-request (the file's deadline, Ctrl-C) or the server died: the answer
            # in flight belongs to nobody now, so the connection goes; the next call opens another.
            self._drop()
            if isinstance(exc, (OSError, EOFError)):
                raise ServerUnavailable(type(exc).__name__) from None
            raise
        if status != "ok":
            raise ServerUnavailable(f"Kiwi failed in the server: {payload}")
        self.queued += waited
        self.analysed += spent
        return [KiwiToken(*t) for t in payload]

    def _connection(self) -> Connection:
        if self._conn is not None and self._pid == os.getpid():
            return self._conn
        if self._pid != os.getpid():  # a forked child never shares its parent's connection or its waits
            self._pid, self.queued, self.analysed = os.getpid(), 0.0, 0.0
        self._conn = None
        from pii_audit.interrupt import deadline_paused

        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            with deadline_paused():  # waiting for the model to load is not the file's time
                sock.connect(self.address)
                conn = Connection(sock.detach())
                status, load_seconds = conn.recv()
        except (OSError, EOFError) as exc:
            sock.close()
            raise ServerUnavailable(type(exc).__name__) from None
        if status != "ready" or not isinstance(load_seconds, float):
            conn.close()
            raise ServerUnavailable("unexpected greeting")
        self._load_seconds = load_seconds
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
