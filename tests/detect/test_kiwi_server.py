"""The scan's Kiwi server (detect/kiwi_server.py): the same tokens as Kiwi in this process, used by
the processes forked while it serves, robust to interrupted requests and to its own death, and
gone with the scan (or with the process that started it)."""

from __future__ import annotations

import json
import multiprocessing
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pii_audit.detect import kiwi_server
from pii_audit.detect.kiwi_server import KiwiServer, RemoteKiwi, build_local
from pii_audit.interrupt import DeadlineExceeded

pytestmark = pytest.mark.skipif(not kiwi_server.available(), reason="the Kiwi server needs fork and Unix sockets")

TEXTS = [
    "김민준 과장은 서울특별시 강남구 테헤란로 123에 산다.",
    "성명: 이서연, 생년월일: 1985년 7월 2일생",
    "정하람에게 전달 부탁드립니다.",
    "함경북도 회령시 출신 박철수 씨",
    "",
    "Meeting notes without Korean",
]


def fields(tokens: Any) -> list[tuple[str, str, int, int, bool]]:
    return [(t.form, t.tag, t.start, t.len, bool(t.oov)) for t in tokens]


@pytest.fixture(scope="module")
def local() -> Any:
    return build_local()


@pytest.fixture
def server() -> Iterator[KiwiServer]:
    started = KiwiServer()
    try:
        yield started
    finally:
        started.stop()


def test_the_server_answers_the_tokens_kiwi_gives_here(server: KiwiServer, local: Any) -> None:
    remote = RemoteKiwi(server.address)
    for text in TEXTS:
        assert fields(remote.tokenize(text)) == fields(local.tokenize(text))
    assert remote._local is None  # answered by the server, not by a Kiwi loaded here


def test_its_socket_is_private_and_nothing_is_left_after_it(server: KiwiServer) -> None:
    assert stat.S_IMODE(os.stat(server.directory).st_mode) == 0o700
    RemoteKiwi(server.address).tokenize(TEXTS[0])
    server.stop()
    assert not server.process.is_alive()
    assert not os.path.exists(server.directory)


class _Interrupting:
    """A connection whose next answer never arrives: the file's deadline fires while waiting."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def send(self, obj: object) -> None:
        self.conn.send(obj)

    def recv(self) -> object:
        raise DeadlineExceeded(1.0)

    def close(self) -> None:
        self.conn.close()


def test_an_interrupted_request_leaves_the_proxy_usable(server: KiwiServer, local: Any) -> None:
    remote = RemoteKiwi(server.address)
    remote.tokenize(TEXTS[0])
    remote._conn = _Interrupting(remote._conn)  # type: ignore[assignment]
    with pytest.raises(DeadlineExceeded):
        remote.tokenize(TEXTS[1])
    # The late answer to the interrupted request must not be read as the answer to the next one.
    assert fields(remote.tokenize(TEXTS[2])) == fields(local.tokenize(TEXTS[2]))
    assert fields(remote.tokenize(TEXTS[3])) == fields(local.tokenize(TEXTS[3]))
    assert remote._local is None and server.process.is_alive()


def test_without_its_server_the_proxy_loads_kiwi_here(server: KiwiServer, local: Any) -> None:
    remote = RemoteKiwi(server.address)
    remote.tokenize(TEXTS[0])
    server.stop()
    assert fields(remote.tokenize(TEXTS[1])) == fields(local.tokenize(TEXTS[1]))
    assert remote._local is not None


def _child_tokens(queue: Any) -> None:
    from pii_audit.detect.kiwi_tokenizer import kiwi

    model = kiwi()
    queue.put((type(model).__name__, fields(model.tokenize(TEXTS[0]))))


def test_processes_forked_while_it_serves_use_it(monkeypatch: pytest.MonkeyPatch, local: Any) -> None:
    monkeypatch.setattr(kiwi_server, "_state", {"address": None, "model": None})  # as in a fresh scan
    context = multiprocessing.get_context("fork")
    with kiwi_server.serving() as server:
        assert server is not None
        queue = context.SimpleQueue()
        child = context.Process(target=_child_tokens, args=(queue,))
        child.start()
        child.join(120)
        name, tokens = queue.get()
    assert name == "RemoteKiwi"
    assert tokens == fields(local.tokenize(TEXTS[0]))
    assert not server.process.is_alive() and not os.path.exists(server.directory)
    assert kiwi_server._state == {"address": None, "model": None}


def test_a_kiwi_already_loaded_here_is_kept(monkeypatch: pytest.MonkeyPatch, local: Any) -> None:
    monkeypatch.setattr(kiwi_server, "_state", {"address": None, "model": local})
    with kiwi_server.serving() as server:
        assert server is None
        assert kiwi_server.model() is local


ORPHAN = """
import os, sys
from pii_audit.detect.kiwi_server import KiwiServer
server = KiwiServer()
print(server.process.pid, server.directory, flush=True)
os._exit(0)  # killed without stopping its server
"""


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status  # a zombie has exited


def test_the_server_exits_when_the_process_that_started_it_dies() -> None:
    done = subprocess.run([sys.executable, "-c", ORPHAN], capture_output=True, text=True, check=True, timeout=120)
    pid = int(done.stdout.split()[0])
    deadline = time.monotonic() + 120  # it notices once Kiwi has loaded (the load holds the GIL)
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _alive(pid)


SCAN = """
import json, sys
from pii_audit.audit import Auditor
from pii_audit.execution import ExecutionOptions
from pii_audit.options import AuditOptions
from pii_audit.finding_json import finding_to_dict
threshold = int(sys.argv[2])
auditor = Auditor(AuditOptions(key=b"k" * 32), execution=ExecutionOptions(workers=1, kiwi_server_bytes=threshold))
run = auditor.run([sys.argv[1]])
found = {e.result.ref.path: [finding_to_dict(f) for f in e.result.findings] for e in run.files}
print(json.dumps({"found": found, "kiwi": "kiwipiepy" in sys.modules}))
"""


def scan(root: Path, threshold: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", SCAN, str(root), str(threshold)], capture_output=True, text=True, check=True, timeout=600
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_a_scan_served_by_it_finds_what_a_scan_with_its_own_kiwi_finds(tmp_path: Path) -> None:
    """In a fresh process each: with the server, the scanning process never loads Kiwi itself."""
    (tmp_path / "상담기록.txt").write_text(
        "상담 대상자 정하람에게 안내함. 김민준 과장이 동석. 담당: 이서연\n"
        "문서진이 제출한 서류는 반려됨. 주소 서울특별시 마포구 월드컵북로 400\n",
        encoding="utf-8",
    )
    (tmp_path / "명단.csv").write_text("성명,생년월일\n박도율,1990-03-04\n최민결,1988-11-23\n", encoding="utf-8")
    served = scan(tmp_path, 0)
    alone = scan(tmp_path, -1)
    assert served["found"] == alone["found"]
    assert any(served["found"].values())
    assert served["kiwi"] is False
    assert alone["kiwi"] is True


def test_where_no_server_can_start_kiwi_loads_here(monkeypatch: pytest.MonkeyPatch, local: Any) -> None:
    """A socket that cannot be made (no writable temp dir, a path too long for AF_UNIX): the scan
    goes on with Kiwi in its own processes."""
    monkeypatch.setattr(kiwi_server, "_state", {"address": None, "model": None})

    def no_directory(*args: object, **kwargs: object) -> str:
        raise PermissionError("read-only temp dir")

    monkeypatch.setattr(kiwi_server.tempfile, "mkdtemp", no_directory)
    with kiwi_server.serving() as server:
        assert server is None
        assert kiwi_server._state["address"] is None
    monkeypatch.setattr(kiwi_server, "build_local", lambda: local)
    assert kiwi_server.model() is local


# Korean business prose of the realistic share's kind (generated here, no personal data): ~2,000 characters.
PROSE = " ".join(
    f"{team}은 {item} 재고 {n:,}개를 확인하였으며 안전재고 대비 부족분은 다음 분기 예산으로 보충하기로 하였다."
    for n, (team, item) in enumerate(
        [("물류팀", "컨베이어 벨트"), ("영업팀", "안전화"), ("기획팀", "제어반"), ("경영지원팀", "장갑")] * 6,
        start=1200,
    )
)


def test_one_process_alone_stays_on_the_server(server: KiwiServer, local: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Nobody queues before a lone process: far more than the 150,000 characters that used to send it
    to a Kiwi of its own, and it still asks the server (it never queues behind anyone)."""
    monkeypatch.setattr(kiwi_server, "build_local", lambda: pytest.fail("a second Kiwi was loaded"))
    remote = RemoteKiwi(server.address)
    expected = fields(local.tokenize(PROSE))
    sent = 0
    while sent < 200_000:
        assert fields(remote.tokenize(PROSE)) == expected
        sent += len(PROSE)
    assert remote._local is None
    assert remote.local_after > 0.5  # the server's own load time (about 1.8 CPU s here), not a default
    assert remote.queued < remote.local_after  # nobody else to wait for: microseconds for the lock
    assert remote.analysed > 0


def _hammer(remote: RemoteKiwi, answers: list[Any], requests: int, clients: list[RemoteKiwi]) -> None:
    for _ in range(requests):
        answers.append(fields(remote.tokenize(PROSE)))
        if remote._local is not None or sum(c._local is not None for c in clients) >= len(clients) - 1:
            return  # the last one on the server is alone there now: it no longer queues


def test_processes_that_keep_the_server_busy_load_their_own(
    server: KiwiServer, local: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three clients at once: each queues behind the others' analyses, and once it has queued as long
    as a load would take (0.3 s here instead of the server's load time, to stay quick) it loads its
    own Kiwi, until one is left alone on the server. The tokens are the same before and after."""
    import threading

    loads: list[int] = []

    def build() -> Any:
        loads.append(1)
        return local

    monkeypatch.setattr(kiwi_server, "build_local", build)
    clients = [RemoteKiwi(server.address, local_after=0.3) for _ in range(3)]
    answers: list[list[Any]] = [[] for _ in clients]
    threads = [
        threading.Thread(target=_hammer, args=(c, a, 2_000, clients)) for c, a in zip(clients, answers, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    switched = [c for c in clients if c._local is not None]
    assert len(switched) >= 2 and len(loads) == len(switched)
    assert all(c._local is local and c._conn is None and c.queued >= 0.3 for c in switched)
    expected = fields(local.tokenize(PROSE))
    assert all(answer == expected for client_answers in answers for answer in client_answers)
    assert fields(switched[0].tokenize(PROSE)) == expected  # answered here now


def test_without_waiting_allowed_the_next_text_is_analysed_here(
    server: KiwiServer, local: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The switch itself: a process allowed no queueing asks the server once (then it has queued
    zero seconds or more), and analyses with its own Kiwi from then on, the same tokens."""
    monkeypatch.setattr(kiwi_server, "build_local", lambda: local)
    remote = RemoteKiwi(server.address, local_after=0.0)
    assert fields(remote.tokenize(TEXTS[0])) == fields(local.tokenize(TEXTS[0]))
    assert remote.analysed > 0 and remote.queued >= 0
    assert remote._local is local and remote._conn is None
    assert fields(remote.tokenize(TEXTS[1])) == fields(local.tokenize(TEXTS[1]))
