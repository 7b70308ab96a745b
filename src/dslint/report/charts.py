"""Inline SVG charts for the HTML report: no script, no external resource, every label escaped."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

BAR_HEIGHT = 22
LABEL_WIDTH = 230
CHART_WIDTH = 640


def bar_chart(rows: Sequence[tuple[str, int]], *, title: str, css_class: str = "bars",
              links: Sequence[str | None] | None = None) -> str:
    """Horizontal bars, one per (label, value), largest scale first as given."""
    if not rows:
        return f'<p class="empty">No data for “{escape(title)}”.</p>'
    top = max(value for _, value in rows) or 1
    span = CHART_WIDTH - LABEL_WIDTH - 70
    height = BAR_HEIGHT * len(rows) + 8
    parts = [(f'<svg class="{escape(css_class)}" role="img" aria-label="{escape(title)}" '
              f'viewBox="0 0 {CHART_WIDTH} {height}" width="{CHART_WIDTH}" height="{height}">'),
             f"<title>{escape(title)}</title>"]
    for number, (label, value) in enumerate(rows):
        y = 4 + number * BAR_HEIGHT
        width = max(1.0, span * value / top)
        text = escape(label if len(label) <= 34 else label[:33] + "…")
        link = links[number] if links else None
        label_svg = f'<text x="{LABEL_WIDTH - 6}" y="{y + 15}" text-anchor="end">{text}</text>'
        if link:
            label_svg = f'<a href="{escape(link)}">{label_svg}</a>'
        parts.append(
            f'<g class="bar">{label_svg}'
            f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{width:.1f}" height="{BAR_HEIGHT - 6}" rx="2">'
            f"<title>{escape(label)}: {value:,}</title></rect>"
            f'<text class="value" x="{LABEL_WIDTH + width + 5:.1f}" y="{y + 15}">{value:,}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def histogram_bins(values: Sequence[int], top: int, bins: int = 30) -> tuple[list[tuple[int, int]], int]:
    """(lower edge, count) per bin and the bin width, over 0..top (values above `top` go in the last bin)."""
    width = max(1, math.ceil((top + 1) / bins))
    counts = [0] * bins
    for value in values:
        counts[min(value // width, bins - 1)] += 1
    return [(number * width, count) for number, count in enumerate(counts)], width


def histogram(values: Sequence[int], *, title: str, unit: str, limit: int | None = None,
              bins: int = 30) -> str:
    """A column histogram; `limit` draws a dashed vertical line when it is within twice the largest value
    (the axis then reaches it); a limit far beyond every value is left to the caption."""
    if not values:
        return f'<p class="empty">No data for “{escape(title)}”.</p>'
    ordered = sorted(values)
    largest = ordered[-1]
    # A long tail would squeeze every other value into the first column: the axis ends at the 99th
    # percentile (the last column then holds everything above it) unless the limit is near the data.
    p99 = ordered[min(len(ordered) - 1, (len(ordered) * 99) // 100)]
    show_limit = limit is not None and limit <= 2 * max(largest, 1)
    top = p99 if largest > p99 * 1.25 else largest
    if show_limit and limit is not None:
        top = max(top, limit)
    edges, width = histogram_bins(values, top, bins)
    clipped = largest > top
    plot_w, plot_h, left, bottom = CHART_WIDTH - 70, 180, 56, 30
    tallest = max(count for _, count in edges) or 1
    column = plot_w / len(edges)
    svg_h = plot_h + bottom + 10
    parts = [(f'<svg class="histogram" role="img" aria-label="{escape(title)}" '
              f'viewBox="0 0 {CHART_WIDTH} {svg_h}" width="{CHART_WIDTH}" height="{svg_h}"><title>{escape(title)}</title>'),
             f'<line class="axis" x1="{left}" y1="{plot_h + 5}" x2="{left + plot_w}" y2="{plot_h + 5}"/>',
             f'<text x="{left - 6}" y="14" text-anchor="end">{tallest:,}</text>',
             f'<text x="{left - 6}" y="{plot_h + 5}" text-anchor="end">0</text>']
    for number, (lower, count) in enumerate(edges):
        if not count:
            continue
        height = plot_h * count / tallest
        x = left + number * column
        parts.append(f'<rect x="{x + 1:.1f}" y="{plot_h + 5 - height:.1f}" width="{max(column - 2, 1):.1f}" '
                     f'height="{height:.1f}"><title>{lower:,}–{lower + width - 1:,} {escape(unit)}: '
                     f"{count:,}</title></rect>")
    axis_end = len(edges) * width
    for tick in range(5):
        value = axis_end * tick // 4
        label = f"≥{edges[-1][0]:,}" if clipped and tick == 4 else f"{value:,}"
        anchor = "end" if tick == 4 else "middle"  # the last label stays inside the picture
        parts.append(f'<text x="{left + plot_w * tick / 4:.1f}" y="{plot_h + 22}" text-anchor="{anchor}">{label}</text>')
    if show_limit and limit is not None:
        x = left + plot_w * limit / axis_end
        parts.append(f'<line class="limit" x1="{x:.1f}" y1="0" x2="{x:.1f}" y2="{plot_h + 5}"/>'
                     f'<text class="limit-label" x="{x - 4:.1f}" y="12" text-anchor="end">limit {limit:,}</text>')
    parts.append("</svg>")
    return "".join(parts)
