"""`--executor dask`: files as tasks on a real LocalCluster give the same report as the local run."""

from __future__ import annotations

from pathlib import Path

import pytest

from pii_audit.audit import Auditor
from pii_audit.detect.engine import Detector
from pii_audit.executor import ExecutionOptions, ExecutorKind
from pii_audit.options import AuditOptions
from tests.fixtures import write_tree
from tests.test_executor import comparable

pytest.importorskip("distributed")


def test_dask_local_cluster_equals_local(tmp_path: Path, detector: Detector) -> None:
    root = write_tree(tmp_path / "tree")
    opts = AuditOptions(key=b"k" * 32)
    local = Auditor(opts, lambda o: detector, ExecutionOptions(workers=1)).run([str(root)])
    dask = Auditor(opts, execution=ExecutionOptions(kind=ExecutorKind.dask, workers=1)).run([str(root)])
    assert comparable(dask) == comparable(local)
    assert any(f.result.findings for f in dask.files)
