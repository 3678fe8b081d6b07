"""Labelled synthetic corpus in the devset format (``OUTDIR/docs/...`` + ``OUTDIR/truth.json``).

>>> stats = build_corpus(Path("out"), seed=1, scale=1)   # doctest: +SKIP
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pii_synth.corpus import forms, negatives, prose, tables
from pii_synth.corpus.context import Ctx
from pii_synth.labels import write_truth
from pii_synth.persons import Synth

__all__ = ["CorpusStats", "build_corpus"]


@dataclass
class CorpusStats:
    files: int = 0
    negatives: int = 0
    bytes: int = 0
    exposure: int = 0
    entities: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        out = [
            f"files={self.files} negatives={self.negatives} bytes={self.bytes} exposure={self.exposure}",
            "by extension: " + ", ".join(f"{k}={v}" for k, v in sorted(self.kinds.items())),
            "entities: " + ", ".join(f"{k}={v}" for k, v in sorted(self.entities.items())),
        ]
        return out


def _plan(ctx: Ctx, k: int) -> list[Callable[[], None]]:
    """One closure per document of copy ``k`` (0-based); copies differ by suffix and content."""
    rng = ctx.synth.rng
    sfx = "" if k == 0 else f"_{k + 1:03d}"
    year = 2021 + k % 4
    return [
        # rosters and exports
        lambda: tables.xlsx_roster(ctx, f"명단/{year}_정착지원_교육생_명단{sfx}.xlsx", rng.randrange(400, 560)),
        lambda: tables.xlsx_roster(
            ctx, f"명단/전입자_현황_텍스트날짜{sfx}.xlsx", rng.randrange(40, 90), date_cells=False
        ),
        lambda: tables.xlsx_roster(
            ctx, f"명단/정착금_수급자_주민번호{sfx}.xlsx", rng.randrange(40, 90), rrn_column=True
        ),
        lambda: tables.csv_rrn_export(ctx, f"exports/정착금_지급대상_{year}{sfx}.csv", rng.randrange(450, 600)),
        lambda: tables.csv_rrn_export(ctx, f"exports/주거지원_대상자_cp949{sfx}.csv", rng.randrange(100, 160)),
        lambda: tables.csv_member_export(ctx, f"exports/동아리_회원명단_utf8{sfx}.csv", rng.randrange(180, 260)),
        lambda: tables.csv_member_export(
            ctx, f"exports/교육신청자_nobom{sfx}.tsv", rng.randrange(70, 120), delimiter="\t", bom=False
        ),
        lambda: tables.utf16_transfer_list(ctx, f"exports/전출입자_목록_utf16{sfx}.txt", rng.randrange(70, 120)),
        lambda: tables.english_contacts_csv(ctx, f"english/volunteer_contacts{sfx}.csv", rng.randrange(40, 80)),
        # staff lists: PII, nobody exposed
        lambda: tables.staff_list_docx(ctx, f"행정/직원_비상연락망{sfx}.docx", rng.randrange(8, 16)),
        lambda: tables.staff_list_csv(ctx, f"행정/부서별_연락처{sfx}.csv", rng.randrange(10, 25)),
        # prose and forms
        *[
            (
                lambda m=m: prose.counselling_notes_txt(
                    ctx, f"상담기록/{year}/상담일지_{year}-{m:02d}{sfx}.txt", rng.randrange(6, 12), year
                )
            )
            for m in (1, 2, 3, 4)
        ],
        lambda: prose.english_case_file(ctx, f"english/case_notes_{year}{sfx}.txt", rng.randrange(6, 12)),
        lambda: prose.english_case_file(ctx, f"english/referrals{sfx}.txt", rng.randrange(4, 8)),
        *[
            (
                lambda i=i: forms.personal_card_txt(
                    ctx, f"서식/신상카드/신상카드_{k * 6 + i:03d}.txt", spaced_keys=i % 2 == 0
                )
            )
            for i in range(1, 7)
        ],
        lambda: forms.application_forms_docx(ctx, f"서식/정착지원_신청서_접수본{sfx}.docx", rng.randrange(3, 6)),
        lambda: forms.consent_forms_docx(ctx, f"서식/개인정보_동의서{sfx}.docx", rng.randrange(3, 7)),
        lambda: forms.case_meeting_docx(ctx, f"상담기록/사례회의_자료_{year}{sfx}.docx", rng.randrange(3, 6), year),
        # hard negatives
        lambda: negatives.press_release_txt(ctx, f"자료/보도자료_{year}{sfx}.txt"),
        lambda: negatives.english_news_txt(ctx, f"자료/press_{year}_en{sfx}.txt"),
        lambda: negatives.province_stats_csv(ctx, f"자료/통계_시도별_입국자수{sfx}.csv"),
        lambda: negatives.origin_stats_xlsx(ctx, f"자료/통계_출신지별{sfx}.xlsx"),
        lambda: negatives.headlines_docx(ctx, f"자료/언론보도_모음{sfx}.docx"),
        lambda: negatives.code_file_py(ctx, f"tools/roster-sync{sfx}/src/sync.py"),
        lambda: negatives.tool_readme_md(ctx, f"tools/roster-sync{sfx}/README.md"),
        lambda: negatives.orders_csv(ctx, f"행정/비품_주문내역{sfx}.csv", rng.randrange(60, 150)),
        lambda: negatives.invoice_txt(ctx, f"행정/세금계산서_{year}{sfx}.txt"),
        lambda: negatives.meeting_minutes_txt(ctx, f"행정/운영위원회_회의록{sfx}.txt"),
    ]


def build_corpus(outdir: Path, *, seed: int = 0, scale: int = 1, clean: bool = True) -> CorpusStats:
    """Write ``outdir/docs/**`` and ``outdir/truth.json``; ``scale`` multiplies the number of documents."""
    if scale < 1:
        raise ValueError("scale must be >= 1")
    docs = outdir / "docs"
    if clean and docs.exists():
        shutil.rmtree(docs)
    docs.mkdir(parents=True, exist_ok=True)
    ctx = Ctx(docs=docs, synth=Synth(seed), scale=scale)
    for k in range(scale):
        for make in _plan(ctx, k):
            make()
    write_truth(outdir, ctx.files)
    stats = CorpusStats(files=len(ctx.files))
    for lf in ctx.files:
        path = docs / lf.path
        stats.bytes += path.stat().st_size
        stats.kinds[path.suffix.lstrip(".")] += 1
        stats.negatives += lf.negative
        stats.exposure += len(lf.exposed)
        stats.entities.update(e["type"] for e in lf.entities)
    return stats
