"""The HTML report: one self-contained file (inline CSS, inline SVG charts, no script, no external
asset), safe to mail or attach to a ticket. Every value from the scan is HTML-escaped, and a
Content-Security-Policy forbids scripts and remote loads should anything ever slip through. Words
are in the report's language (`<html lang>` says which); the fonts listed have Hangul."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from pii_audit.i18n import Translator
from pii_audit.i18n import terms as T
from pii_audit.i18n.status_reasons import say
from pii_audit.paths import display_path
from pii_audit.report.view import FileView, ReportView

COLOURS = {"critical": "#c00000", "high": "#ff6666", "medium": "#ffd966", "low": "#bdd7ee", "none": "#e0e0e0"}
INK = {"critical": "#fff", "high": "#000", "medium": "#000", "low": "#000", "none": "#555"}
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Malgun Gothic","Apple SD Gothic Neo","Noto Sans CJK KR",
 "NanumGothic",sans-serif;
 margin:2em;color:#222;background:#fff}
h1{margin-bottom:.2em} h2{margin-top:1.6em;border-bottom:2px solid #1f3864;padding-bottom:.2em}
.headline{font-size:1.3em;font-weight:600} .meta{color:#555}
.warn{background:#fff3cd;border:1px solid #c09000;padding:.5em 1em}
.cards{display:flex;gap:1em;flex-wrap:wrap;margin:1em 0}
.card{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;min-width:9em}
.card b{display:block;font-size:1.6em}
.charts{display:flex;gap:2em;flex-wrap:wrap}
table{border-collapse:collapse;margin:.5em 0;font-size:.92em}
th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}
th{background:#1f3864;color:#fff;white-space:nowrap} td.n{text-align:right}
td.path{word-break:break-all;max-width:32em}
.sev{font-weight:600;white-space:nowrap} .law{white-space:nowrap}
"""


def _p(path: str) -> str:
    """A path as people read it (control characters as \\xNN), HTML-escaped."""
    return _e(display_path(path))


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _tag(tag: str, text: str, cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return f"<{tag}{attr}>{_e(text)}</{tag}>"


def _sev(severity: str, tr: Translator) -> str:
    style = f"background:{COLOURS.get(severity, '#fff')};color:{INK.get(severity, '#000')}"
    return f'<td class="sev" style="{style}">{_e(T.severity(tr, severity))}</td>'


def _table(head: Sequence[str], rows: Iterable[str]) -> str:
    th = "".join(f"<th>{_e(h)}</th>" for h in head)
    return f"<table><thead><tr>{th}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def bar_chart(
    title: str, items: Sequence[tuple[str, int, str]], width: int = 520, empty: str = "nothing to show"
) -> str:
    """A horizontal bar chart as inline SVG: (label, value, colour) per bar."""
    bar, gap, label_w, top = 22, 8, 190, 30
    height = top + len(items) * (bar + gap) + 10
    peak = max((v for _, v, _ in items), default=0) or 1
    span = width - label_w - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
        f'aria-label="{_e(title)}" viewBox="0 0 {width} {height}">',
        f'<text x="0" y="18" font-size="15" font-weight="600">{_e(title)}</text>',
    ]
    for i, (label, value, colour) in enumerate(items):
        y = top + i * (bar + gap)
        w = max(1, round(span * value / peak)) if value else 0
        short = label if len(label) <= 28 else "…" + label[-27:]
        parts.append(
            f'<text x="{label_w - 6}" y="{y + 16}" font-size="12" text-anchor="end"><title>{_e(label)}</title>'
            f"{_e(short)}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar}" fill="{_e(colour)}" stroke="#555" '
            f'stroke-width="0.5"/><text x="{label_w + w + 6}" y="{y + 16}" font-size="12">{value}</text>'
        )
    if not items:
        parts.append(f'<text x="0" y="{top + 16}" font-size="12" fill="#555">{_e(empty)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _file_row(f: FileView, tr: Translator) -> str:
    n = tr.number
    law = "<br>".join(_e(T.legal_category(tr, c)) for c in f.legal_categories)
    return (
        f'<tr><td class="n">{f.rank}</td>{_sev(f.severity, tr)}<td class="n">{f.risk_score:.0f}</td>'
        f'<td class="n">{n(f.exposed_persons)}</td><td class="n">{n(f.complete_persons)}</td>'
        f'<td class="n">{n(f.persons)}</td><td class="path">{_p(f.path)}</td><td class="law">{law}</td>'
        f"<td>{'<br>'.join(_e(r) for r in f.reasons)}</td></tr>"
    )


def render(view: ReportView) -> str:
    tr = view.tr
    _, n = tr.gettext, tr.number
    ranked = [f for f in view.scanned if f.risk_score > 0]
    sev = view.severity_counts()
    folders = view.top_folders(10)
    cards = [
        (_("people exposed"), view.distinct_exposed),
        (_("files exposing people"), view.files_at_risk),
        (_("people with personal data"), view.distinct_persons),
        (_("files seen"), view.files_seen),
        (T.status(tr, "scanned"), view.files_scanned),
        (T.status(tr, "skipped"), view.files_skipped),
        (T.status(tr, "failed"), view.files_failed),
    ]
    law_cards = [
        (_("files with {category}").format(category=T.legal_category(tr, k)), count)
        for k, count in view.category_counts().items()
    ]
    title = _("pii-audit report")
    body = [
        f"<h1>{_e(title)}</h1>",
        '<p class="headline">'
        + _e(
            _("{people} distinct people exposed in {files} files").format(
                people=n(view.distinct_exposed), files=n(view.files_at_risk)
            )
        )
        + "</p>",
        '<p class="meta">'
        + _e(
            _("Roots: {roots} · {started} – {finished} · pii-audit {version}").format(
                roots=", ".join(view.roots),
                started=tr.datetime(view.started),
                finished=tr.datetime(view.finished),
                version=view.tool_version,
            )
        )
        + "</p>",
    ]
    if view.revealed:
        body.append(_tag("p", _("This report holds raw personal data (--reveal). Handle it as the data."), "warn"))
    for group in (cards, law_cards):
        body.append(
            '<div class="cards">'
            + "".join(f"<div class=card><b>{n(count)}</b>{_e(label)}</div>" for label, count in group)
            + "</div>"
        )
    nothing = _("nothing to show")
    body.append(
        '<div class="charts">'
        + bar_chart(
            _("Scanned files by severity"), [(T.severity(tr, s), c, COLOURS[s]) for s, c in sev.items()], empty=nothing
        )
        + bar_chart(
            _("Top folders by exposed people"),
            [(display_path(f.path), f.persons, COLOURS[f.severity]) for f in folders],
            empty=nothing,
        )
        + "</div>"
    )
    body.append(_tag("h2", _("Files ranked by exposure (1 = fix first)")))
    if ranked:
        head = ["#", _("severity"), _("score"), _("exposed"), _("complete"), _("people"), _("file")]
        head += [_("PIPA categories"), _("why")]
        body.append(_table(head, (_file_row(f, tr) for f in ranked)))
    else:
        body.append(_tag("p", _("No personal data found in the scanned files.")))
    shown = [f for f in view.folders if f.risk_score > 0]
    if shown:
        body.append(_tag("h2", _("Folders")))
        body.append(
            _table(
                [_("folder"), _("severity"), _("score"), _("exposed people"), _("files")],
                (
                    f'<tr><td class="path">{_p(f.path)}</td>{_sev(f.severity, tr)}'
                    f'<td class="n">{f.risk_score:.0f}</td><td class="n">{n(f.persons)}</td>'
                    f'<td class="n">{n(f.files)}</td></tr>'
                    for f in shown
                ),
            )
        )
    if view.not_scanned:
        body.append(_tag("h2", _("Not scanned")))
        body.append(
            _table(
                [_("status"), _("file"), _("reason")],
                (
                    f'<tr><td>{_e(T.status(tr, f.status))}</td><td class="path">{_p(f.path)}</td>'
                    f"<td>{_e(say(f.reason, tr))}</td></tr>"
                    for f in view.not_scanned
                ),
            )
        )
    if view.notices:
        body.append(_tag("h2", _("Notices")) + "<ul>" + "".join(f"<li>{_e(x)}</li>" for x in view.notices) + "</ul>")
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(tr.lang)}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
