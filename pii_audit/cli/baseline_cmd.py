"""`pii-audit baseline`, and the CI gate that `scan` applies: allowlists, baseline, exit codes.

`baseline PATH... -o FILE` scans like `scan` and writes what it found (keyed fingerprints only) to
FILE, created 0600. Run again, it replaces FILE with what is there now (files fixed since drop out,
and come back as new if they return); `--merge` keeps the old entries and adds the new ones.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from pii_audit import baseline as bl
from pii_audit.allowlist import AllowReview
from pii_audit.allowlist import annotate as annotate_allowed
from pii_audit.cli.config_cmd import AllowlistOption, ConfigOption, settings_for
from pii_audit.cli.console import StderrConsole, escape
from pii_audit.cli.output import write_private
from pii_audit.cli.root import EXIT_USAGE, app
from pii_audit.config import Settings
from pii_audit.errors import PiiAuditError, UsageError
from pii_audit.finding_json import Utf8
from pii_audit.i18n import DEFAULT, translator
from pii_audit.i18n import terms as T
from pii_audit.i18n.status_reasons import say
from pii_audit.model import AuditRun, Limits, Status
from pii_audit.options import AuditOptions
from pii_audit.paths import display_path
from pii_audit.reasons import render_all
from pii_audit.report import json as json_report
from pii_audit.report.grouping import GroupBy

if TYPE_CHECKING:  # rich is imported where something is drawn with it
    from rich.console import Console

CI_ENV = "CI"
KEY_ENV = "PII_AUDIT_KEY"

EXIT_CODES_HELP = (
    "Exit codes: 0 nothing (new) at or above --fail-on; 1 new findings at or above it; "
    "2 usage or configuration error; 3 with --strict, files that could not be scanned and nothing else failed."
)


def ci_mode(env: Mapping[str, str] | None = None) -> bool:
    """CI=true (GitHub Actions, GitLab CI and most others set it): reports there are shared artifacts."""
    value = (os.environ if env is None else env).get(CI_ENV, "")
    return value.strip().lower() in ("1", "true", "yes")


@dataclass
class Gate:
    """What turns a run into a CI verdict: allow rules (applied before scoring), the baseline, --strict."""

    settings: Settings
    review: AllowReview
    baseline: bl.Baseline | None = None
    baseline_path: str | None = None
    comparison: bl.Comparison | None = None
    notices: list[str] = field(default_factory=list)
    lang: str = DEFAULT  # the language of the reports' text for people

    @classmethod
    def prepare(cls, settings: Settings, key: bytes, reveal: bool = False) -> Gate:
        """Raises UsageError (exit 2) for a baseline that cannot be used."""
        gate = cls(settings, AllowReview(list(settings.allow)), lang=settings.lang)
        if reveal and ci_mode():
            # Asked for explicitly, so honoured (evaluation jobs need it), but said loudly: CI reports
            # are build artifacts that others can download.
            gate.notices.append(
                "CI=true and --reveal: these reports hold raw personal data; do not keep them as artifacts"
            )
        if settings.baseline:
            path = Path(settings.baseline)
            if not path.is_file():
                raise UsageError(f"{path}: no such baseline (make one with `pii-audit baseline PATH -o {path}`)")
            gate.baseline = bl.Baseline.from_json(path.read_text(encoding="utf-8"), str(path))
            gate.baseline.check_key(key, str(path))
            gate.baseline_path = str(path)
            if gate.baseline.rules_hash and gate.baseline.rules_hash != bl.rules_hash():
                gate.notices.append("the baseline was made with other detection rules: some findings may be new")
        return gate

    def judge(self, run: AuditRun) -> None:
        if self.baseline is not None:
            self.comparison = bl.compare(run, self.baseline)
            worse = bl.escalated(run, self.baseline, self.comparison)
            if worse:  # same values, more exposure (now world-readable, sensitive context): worth a look
                self.notices.append(f"{len(worse)} known files are more severe than in the baseline (e.g. {worse[0]})")

    def exit_code(self, run: AuditRun) -> int:
        return bl.exit_code(run, self.settings.fail_on, self.comparison, self.settings.strict)

    def report(self, run: AuditRun, lazy: bool = False) -> dict[str, Any]:
        """`lazy`: findings as encoded text for `json_report.dumps`, unless a baseline marks each one."""
        data = json_report.to_dict(run, lazy=lazy and self.baseline is None, lang=self.lang)
        annotate_allowed(data, self.review.allowed)
        if self.comparison is not None:
            bl.annotate(data, self.comparison)
        data["gate"] = {
            "fail_on": self.settings.fail_on,
            "strict": self.settings.strict,
            "baseline": self.baseline_path,
            "new_files": sorted(self.comparison.new) if self.comparison is not None else None,
            "failing": bl.failing(run, self.settings.fail_on, self.comparison),
            "allowed_findings": sum(len(v) for v in self.review.allowed.values()),
            "exit_code": self.exit_code(run),
        }
        return data

    def render_json(self, run: AuditRun) -> list[Utf8]:
        """The JSON report in UTF-8, as parts to write one after the other (cached findings are
        parts as they came from the cache: json_report.dumps_parts)."""
        return json_report.dumps_parts(self.report(run, lazy=True))

    def render_terminal(self, run: AuditRun, console: Console, top: int = 25, group_by: GroupBy = GroupBy.none) -> None:
        from pii_audit.report import terminal  # rich tables: only for a terminal report

        if self.comparison is None:
            terminal.render(run, console, top=top, group_by=group_by, lang=self.lang)
        else:
            self._render_new(run, console, top)
        tr = translator(self.lang)
        allowed = sum(len(v) for v in self.review.allowed.values())
        if allowed:
            console.print(
                tr.gettext(
                    "{n} findings in {files} files allowed by allowlist rules (not scored; listed in --format json)"
                ).format(n=tr.number(allowed), files=tr.number(len(self.review.allowed)))
            )
        if self.settings.strict and any(e.result.status is not Status.SCANNED for e in run.files):
            console.print(
                tr.gettext("--strict: {n} files could not be scanned").format(
                    n=tr.number(run.counts["skipped"] + run.counts["failed"])
                )
            )

    def _render_new(self, run: AuditRun, console: Console, top: int) -> None:
        from rich.table import Table
        from rich.text import Text

        from pii_audit.report import terminal

        assert self.comparison is not None
        tr = translator(self.lang)
        _ = tr.gettext
        console.print(terminal.headline(run, self.lang))
        new = [e for e in run.files if e.result.ref.path in self.comparison.new]
        if new:
            table = Table(title=_("New since the baseline (1 = fix first)"), title_justify="left")
            columns = [
                ("#", True), (_("severity"), False), (_("score"), True), (_("people"), True), (_("new"), True),
                (_("file"), False), (_("why"), False),
            ]  # fmt: skip
            for col, right in columns:
                table.add_column(col, justify="right" if right else "left", overflow="fold")
            for e in new[:top]:
                table.add_row(
                    str(e.rank),
                    Text(T.severity(tr, e.severity), style=terminal.COLOURS[e.severity]),
                    f"{e.risk_score:.0f}",
                    tr.number(e.exposed_persons),
                    tr.number(len(self.comparison.new[e.result.ref.path])),
                    Text(display_path(e.result.ref.path)),
                    Text("; ".join(render_all(e.reasons[:3], tr))),
                )
            console.print(table)
            if len(new) > top:
                console.print(
                    _("… and {n} more new files (--top N, or --format json)").format(n=tr.number(len(new) - top))
                )
        else:
            console.print(_("Nothing new since the baseline."))
        known = sum(1 for e in run.files if e.result.findings and e.result.ref.path not in self.comparison.new)
        if known:
            console.print(
                Text(
                    _("{n} files with findings are known from the baseline {path} (not listed)").format(
                        n=tr.number(known), path=self.baseline_path
                    )
                )
            )
        not_scanned = [e for e in run.files if e.result.status is not Status.SCANNED]
        if not_scanned:
            nt = Table(title=_("Not scanned"), title_justify="left")
            for col in (_("status"), _("file"), _("reason")):
                nt.add_column(col, overflow="fold")
            for e in not_scanned[:top]:
                nt.add_row(
                    T.status(tr, e.result.status.value),
                    Text(display_path(e.result.ref.path)),
                    Text(say(e.result.reason, tr)),
                )
            console.print(nt)


def _fail(err: StderrConsole, message: str) -> None:
    err.print(f"[red]error:[/] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(EXIT_USAGE)


@app.command("baseline")
def baseline(
    ctx: typer.Context,
    paths: Annotated[list[str], typer.Argument(help="Files, directories or store URLs, as for `scan`.")],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The baseline file (created 0600). Default: `baseline` of the config."),
    ] = None,
    merge: Annotated[
        bool,
        typer.Option("--merge", help="Keep the entries already in the file and add this run's (default: replace)."),
    ] = False,
    config: ConfigOption = None,
    allowlist: AllowlistOption = None,
    include: Annotated[list[str] | None, typer.Option("--include", help="Only scan paths matching this glob.")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", help="Skip paths matching this glob.")] = None,
    no_english_model: Annotated[
        bool, typer.Option("--no-english-model", help="Do not load the English NER model.")
    ] = False,
    workers: Annotated[int, typer.Option("--workers", "-j", min=0, help="Worker processes (0: one per core).")] = 0,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Do not use the incremental cache.")] = False,
) -> None:
    """Record what a scan finds now, so that `scan --baseline FILE` fails only on what is new.

    The baseline holds keyed fingerprints, never values. Run it again to accept the current state
    (--merge to keep old entries). The key is PII_AUDIT_KEY (from a CI secret), else the local key
    file; scans compared with the baseline must use the same key."""
    from pii_audit.audit import Auditor
    from pii_audit.cache import CacheError, ResultCache
    from pii_audit.cli.progress import BarProgress
    from pii_audit.cli.scan import _key
    from pii_audit.execution import ExecutionOptions
    from pii_audit.interrupt import exit_code as interrupt_exit_code
    from pii_audit.interrupt import stop_on_signals
    from pii_audit.source.registry import is_url

    err = StderrConsole()
    settings = settings_for(ctx, paths, config, allowlist, err)
    target = output or (Path(settings.baseline) if settings.baseline else None)
    if target is None:
        _fail(err, "where to write the baseline? give -o FILE (or `baseline = ...` in the config)")
    assert target is not None
    for p in paths:
        if not is_url(p) and not Path(p).exists():
            _fail(err, f"no such file or directory: {p}")
    key, persists = _key()
    if not persists:
        _fail(err, "no key that lasts: set PII_AUDIT_KEY, or make the key file (~/.config/pii-audit/key) writable")
    if ci_mode() and not os.environ.get(KEY_ENV):
        err.print("[yellow]notice:[/] CI without PII_AUDIT_KEY: jobs on other runners will not match this baseline")
    old = None
    if target.exists():
        try:
            old = bl.Baseline.from_json(target.read_text(encoding="utf-8"), str(target))
            old.check_key(key, str(target))
        except UsageError as exc:
            _fail(err, str(exc))
    opts = _options(settings, key)
    cache = None
    if not no_cache:
        try:
            cache = ResultCache.open_default(opts)
        except (OSError, CacheError) as exc:
            err.print(f"[yellow]notice:[/] cache not used: {escape(str(exc) or type(exc).__name__)}")
    review = AllowReview(list(settings.allow))
    auditor = Auditor(
        opts, execution=ExecutionOptions(workers=workers), cache=cache, review=review, weights=settings.weights
    )
    try:
        with stop_on_signals():
            run = auditor.run(list(paths), progress=BarProgress(err))
    except PiiAuditError as exc:
        _fail(err, str(exc))
    if auditor.interrupted is not None:
        err.print("interrupted: the baseline was not written")
        raise typer.Exit(interrupt_exit_code(auditor.interrupted))
    made = bl.from_run(run, key)
    if merge and old is not None:
        made = bl.merge(old, made)
    write_private(target, made.to_json())
    skipped = list(bl.unscanned(run))
    findings = sum(len(f.findings) for f in made.files.values())
    from rich.text import Text

    err.print(
        Text(
            f"baseline: {len(made.files)} files with {findings} findings written to {target}"
            + (f" ({len(skipped)} files not scanned are not in it)" if skipped else "")
        )
    )


def _options(settings: Settings, key: bytes) -> AuditOptions:
    """AuditOptions from settings: the same mapping `scan` applies to its options."""
    timeout = float(settings.limit("file-timeout"))
    return AuditOptions(
        include=settings.include,
        exclude=settings.exclude,
        fail_on=settings.fail_on,
        max_file_bytes=int(settings.limit("max-file-mb") * 1024 * 1024),
        english_model=AuditOptions.english_model if settings["english-model"] else None,
        limits=Limits(
            max_depth=int(settings.limit("max-depth")),
            max_members=int(settings.limit("max-members")),
            max_inflated_bytes=int(settings.limit("max-inflated-mb") * 1024 * 1024),
            max_ratio=float(settings.limit("max-ratio")),
        ),
        file_timeout=timeout or None,
        max_findings=int(settings.limit("max-findings")),
        min_confidence=float(settings["min-confidence"]),
        key=key,
    )
