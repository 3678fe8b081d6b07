"""A realistic file share: mostly business documents without personal data, a few rosters.

``build_share(outdir, megabytes=20, seed=0)`` writes ``outdir/docs/**`` (nested department folders
of docx, pdf, xlsx, csv, pptx, hwpx, html, md and txt files in Korean and English) and
``outdir/truth.json`` in the devset format (the rosters carry labels and exposure; every other file
is ``negative``). Rosters make about ``roster_share`` (3%) of the bytes. The same seed and size give
byte-identical output; no paragraph is written twice.
"""

from __future__ import annotations

import random
import shutil
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pii_synth.corpus.context import Ctx
from pii_synth.labels import write_truth
from pii_synth.persons import Synth
from pii_synth.share import docs
from pii_synth.share.docs import Share
from pii_synth.share.prose import Prose

__all__ = ["ShareStats", "build_share"]

Writer = Callable[[Share, str, str, str], None]

# (weight, writer, format, language, folder, file stem); weights are per file, not per byte.
KINDS: tuple[tuple[int, Writer, str, str, str, str], ...] = (
    (8, docs.report, "docx", "ko", "02_기획/보고서/{year}", "{year}_{topic}_보고서"),
    (4, docs.report, "docx", "en", "International/Reports/{year}", "{topic_en}_report_{year}"),
    (6, docs.report, "pdf", "ko", "02_기획/보고서/{year}/PDF", "{topic}_결과보고_{year}"),
    (4, docs.report, "pdf", "en", "International/Reports/{year}/final", "{topic_en}_{year}_final"),
    (5, docs.minutes, "docx", "ko", "06_공유/회의록/{year}", "회의록_{date}"),
    (2, docs.minutes, "docx", "en", "International/Minutes", "minutes_{date}"),
    (2, docs.minutes, "pdf", "ko", "06_공유/회의록/{year}/스캔본", "회의록_{date}_서명본"),
    (3, docs.policy, "docx", "ko", "07_규정", "{topic}_규정_v{v}"),
    (2, docs.policy, "pdf", "ko", "07_규정/공포본", "{topic}_규정_{year}"),
    (2, docs.policy, "pdf", "en", "International/Policies", "{topic_en}_policy"),
    (3, docs.policy, "docx", "en", "International/Policies/drafts", "{topic_en}_policy_draft_v{v}"),
    (4, docs.price_list, "xlsx", "ko", "03_영업/단가표/{year}", "{year}_단가표_{co}"),
    (2, docs.price_list, "csv", "ko", "03_영업/단가표/export", "price_{co}_{date}"),
    (2, docs.price_list, "pdf", "ko", "03_영업/견적서", "견적서_{co}_{date}"),
    (2, docs.price_list, "xlsx", "en", "International/Pricing", "price_list_{year}_{v}"),
    (4, docs.budget, "xlsx", "ko", "01_경영지원/재무/{year}/예산", "{year}_부서별_예산_v{v}"),
    (1, docs.budget, "csv", "ko", "01_경영지원/재무/{year}/집행", "예산집행_{date}"),
    (2, docs.budget, "xlsx", "en", "International/Finance", "budget_{year}_v{v}"),
    (3, docs.schedule, "xlsx", "ko", "04_프로젝트/{topic}/일정", "WBS_{topic}_{date}"),
    (2, docs.schedule, "xlsx", "en", "International/Projects/{topic_en}", "schedule_{date}"),
    (4, docs.inventory, "csv", "ko", "05_물류/재고/{year}", "재고현황_{date}"),
    (2, docs.inventory, "csv", "en", "International/Warehouse", "inventory_{date}"),
    (1, docs.inventory, "tsv", "ko", "05_물류/재고/ERP_export", "stock_{date}"),
    (1, docs.inventory, "xlsx", "ko", "05_물류/재고/실사", "재고실사_{date}"),
    (3, docs.deck, "pptx", "ko", "02_기획/발표자료", "{topic}_발표_{date}"),
    (1, docs.deck, "pptx", "en", "International/Decks", "{topic_en}_deck"),
    (2, docs.hwpx_doc, "hwpx", "ko", "01_경영지원/공문/{year}", "공문_{date}_{topic}"),
    (2, docs.web_doc, "html", "ko", "08_인트라넷/공지", "notice_{date}"),
    (2, docs.web_doc, "md", "en", "09_IT/wiki", "{topic_en}"),
    (1, docs.web_doc, "md", "ko", "09_IT/wiki/운영", "{topic}_운영가이드"),
    (2, docs.web_doc, "txt", "ko", "06_공유/공지사항", "공지_{date}"),
    (1, docs.web_doc, "txt", "en", "International/notes", "note_{date}"),
)
ROSTERS = (
    ("xlsx", "01_경영지원/인사/교육/{year}", "교육참가자_명단_{date}"),
    ("csv", "01_경영지원/총무/출입관리", "협력사_출입자_{date}"),
    ("docx", "01_경영지원/인사/복리후생", "경조사_지원대상_{date}"),
    ("xlsx", "06_공유/동호회", "회원명부_{year}"),
)
TOPICS = (
    "ERP",
    "물류자동화",
    "고객포털",
    "보안강화",
    "탄소중립",
    "스마트팩토리",
    "원가절감",
    "신제품",
    "해외거점",
    "클라우드",
)
TOPICS_EN = ("erp", "warehouse", "portal", "security", "net-zero", "cloud", "pricing", "supplier", "fleet", "retention")
COMPANIES = ("한빛테크", "대성정밀", "세진물산", "우진산업", "금강소재", "새한전자", "미래로지스", "태평화학")


@dataclass
class ShareStats:
    files: int = 0
    bytes: int = 0
    roster_files: int = 0
    roster_bytes: int = 0
    exposure: int = 0
    kinds: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        return [
            f"files={self.files} bytes={self.bytes} rosters={self.roster_files} "
            f"roster_bytes={self.roster_bytes} ({100 * self.roster_bytes / max(self.bytes, 1):.1f}%) "
            f"exposure={self.exposure}",
            "by extension: " + ", ".join(f"{k}={v}" for k, v in sorted(self.kinds.items())),
        ]


def _name(r: random.Random, pattern: str, year: int, used: set[str]) -> str:
    from datetime import date, timedelta

    day = date(year, 1, 1) + timedelta(days=r.randrange(0, 365))
    rel = pattern.format(
        year=year,
        topic=r.choice(TOPICS),
        topic_en=r.choice(TOPICS_EN),
        date=f"{day:%Y%m%d}",
        v=r.randrange(1, 6),
        co=r.choice(COMPANIES),
    )
    base, n = rel, 2
    while rel in used:
        rel = f"{base}_{n}"
        n += 1
    used.add(rel)
    return rel


def build_share(
    outdir: Path, *, megabytes: float = 20.0, seed: int = 0, roster_share: float = 0.03, clean: bool = True
) -> ShareStats:
    """Write ``outdir/docs/**`` (about ``megabytes`` MB) and ``outdir/truth.json``."""
    if megabytes <= 0:
        raise ValueError("megabytes must be > 0")
    root = outdir / "docs"
    if clean and root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(f"pii-synth-share-{seed}")
    share = Share(Ctx(docs=root, synth=Synth(seed)), Prose(rng))
    target = int(megabytes * 1_000_000)
    weights = [k[0] for k in KINDS]
    used: set[str] = set()
    stats = ShareStats()
    while stats.bytes < target:
        share.prose.year = rng.choice((2023, 2024, 2024, 2025))
        year = share.prose.year
        if stats.roster_bytes < roster_share * (stats.bytes + 1) and stats.bytes > 0:
            fmt, folder, stem = rng.choice(ROSTERS)
            rel = _name(rng, f"{folder}/{stem}", year, used) + f".{fmt}"
            docs.roster(share, rel, fmt, rng.randrange(30, 400))
            size = (root / rel).stat().st_size
            stats.roster_files += 1
            stats.roster_bytes += size
        else:
            _, writer, fmt, lang, folder, stem = rng.choices(KINDS, weights)[0]
            rel = _name(rng, f"{folder}/{stem}", year, used) + f".{fmt}"
            writer(share, rel, lang, fmt)
            size = (root / rel).stat().st_size
        stats.files += 1
        stats.bytes += size
        stats.kinds[rel.rsplit(".", 1)[1]] += 1
    write_truth(outdir, share.files)
    stats.exposure = sum(len(f.exposed) for f in share.files)
    return stats
