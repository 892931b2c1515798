"""The portal's dashboard page (`dashboard.html`): findings and corrective actions from the records store.

Written by `qmsdoc build` with the rest of the site when there is a store (see qmsdoc/store/dashboard.py
for what it counts). The charts are inline SVG made here, every text escaped; the page loads nothing
but the portal's own stylesheet, so it works from file:// like every page of the site, and the same
store on the same day gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

from qmsdoc.model.labels import Labels
from qmsdoc.store.dashboard import Dashboard

PAGE = "dashboard.html"
STATUS_COLOURS = ("#b3261e", "#d08a00", "#1d6b3a")
"""new, still open, no longer found."""
BAR_COLOUR = "#17406d"


def totals_chart(data: Dashboard, labels: Labels) -> Markup:
    """One group of three bars per audit: findings new, still open and no longer found."""
    if not data.audits:
        return Markup("")
    names = [labels[f"finding_status_{s}"] for s in ("new", "still_open", "no_longer_found")]
    top = max((max(t) for t in data.totals), default=0) or 1
    group, bar, height, left, base = 84, 20, 150, 36, 170
    width = left + group * len(data.audits) + 10
    parts = [_axis(left, base, height, top, width)]
    for i, ((number, day), counts) in enumerate(zip(data.audits, data.totals, strict=True)):
        x0 = left + 10 + i * group
        for j, n in enumerate(counts):
            h = round(height * n / top)
            parts.append(f'<rect x="{x0 + j * (bar + 2)}" y="{base - h}" width="{bar}" height="{h}" '
                         f'fill="{STATUS_COLOURS[j]}"><title>{escape(number)} · {escape(names[j])}: {n}</title></rect>'
                         f'<text x="{x0 + j * (bar + 2) + bar / 2}" y="{base - h - 4}" class="n">{n}</text>')
        parts.append(f'<text x="{x0 + (3 * bar + 4) / 2}" y="{base + 16}" class="x">{escape(day.isoformat())}</text>')
    legend = "".join(f'<span class="key"><i style="background:{c}"></i>{escape(n)}</span>'
                     for c, n in zip(STATUS_COLOURS, names, strict=True))
    title = escape(labels["dash_chart_totals"])
    svg = (f'<svg class="chart" role="img" aria-label="{title}" viewBox="0 0 {width} {base + 26}" '
           f'width="{width}" height="{base + 26}" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>')
    return Markup(f'<figure class="chart-box"><figcaption>{title}</figcaption>{svg}'
                  f'<p class="legend">{legend}</p></figure>')


def procedure_charts(data: Dashboard, labels: Labels) -> Markup:
    """Small multiples: for each procedure, its nonconformities in each audit, on one scale."""
    if not data.audits or not data.series:
        return Markup("")
    top = max((max(s.counts) for s in data.series), default=0) or 1
    bar, gap, height = 18, 6, 48
    width = len(data.audits) * (bar + gap) + gap
    rows = []
    for s in data.series:
        bars = []
        for i, n in enumerate(s.counts):
            h = round(height * n / top)
            x = gap + i * (bar + gap)
            number, day = data.audits[i]
            bars.append(f'<rect x="{x}" y="{height + 14 - h}" width="{bar}" height="{h}" fill="{BAR_COLOUR}">'
                        f'<title>{escape(s.procedure)} · {escape(number)} ({day.isoformat()}): {n}</title></rect>'
                        f'<text x="{x + bar / 2}" y="{height + 10 - h}" class="n">{n}</text>')
        label = escape(f"{s.procedure} {s.title}".strip())
        rows.append(f'<tr><th scope="row"><span class="code">{escape(s.procedure)}</span> {escape(s.title)}</th>'
                    f'<td><svg class="spark" role="img" aria-label="{label}" viewBox="0 0 {width} {height + 16}" '
                    f'width="{width}" height="{height + 16}" xmlns="http://www.w3.org/2000/svg">'
                    f'<line x1="0" y1="{height + 14}" x2="{width}" y2="{height + 14}" class="base"/>{"".join(bars)}'
                    f'</svg></td><td class="num">{s.counts[-1]}</td></tr>')
    title = escape(labels["dash_chart_procedures"])
    head = (f'<thead><tr><th scope="col">{escape(labels["dash_col_procedure"])}</th>'
            f'<th scope="col">{_audit_axis(data)}</th><th scope="col" class="num">'
            f'{escape(labels["dash_col_last_audit"])}</th></tr></thead>')
    return Markup(f'<figure class="chart-box"><figcaption>{title}</figcaption>'
                  f'<table class="data spark-table">{head}<tbody>{"".join(rows)}</tbody></table></figure>')


def _audit_axis(data: Dashboard) -> str:
    return escape(" → ".join(day.isoformat() for _, day in data.audits))


def _axis(left: int, base: int, height: int, top: int, width: int) -> str:
    lines = [f'<line x1="{left}" y1="{base}" x2="{width}" y2="{base}" class="base"/>']
    for value in sorted({0, top // 2, top}):
        y = base - round(height * value / top)
        lines.append(f'<text x="{left - 6}" y="{y + 4}" class="y">{value}</text>')
        if value:
            lines.append(f'<line x1="{left}" y1="{y}" x2="{width}" y2="{y}" class="grid"/>')
    return "".join(lines)


def severity_names(labels: Labels) -> Sequence[str]:
    return [labels[f"dash_sev_{s}"] for s in ("major", "minor", "observation")]
