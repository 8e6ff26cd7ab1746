"""The statistics' charts: server-side SVG drawn by pygal, readable without JavaScript
and printable. Each chart shows the numbers of its breakdown's table (which stays beside
it, with the links), so it is hidden from screen readers, which read the table.

pygal writes a script of its configuration into every chart (for its tooltips, which
would need its JavaScript from a CDN); it is taken out, and the colours and fonts come
from the style below, scoped by pygal to the chart's own id. About 6 ms a chart of 15
bars.
"""

import itertools
import xml.etree.ElementTree as ET

import pygal
from pygal.style import Style

from .query import Breakdown

CHART_ROWS = 15  # bars a chart shows; the table and the CSV hold the rest
WIDTH = 540  # the width of the page's column for it: drawn at its size, text stays legible
STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1d2a33",
    foreground_strong="#1d2a33",
    foreground_subtle="#c9d3da",
    colors=("#1f6f9f",),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    title_font_size=14,
    opacity="1",
    opacity_hover="1",
    transition="none",
)
COMMON = {
    "style": STYLE,
    "js": [],
    "show_legend": False,
    "disable_xml_declaration": True,
    "print_values": True,
    "print_values_position": "top",
    "show_y_guides": False,
    "truncate_label": 42,
    "margin": 8,
    "spacing": 6,
}


def _ticks(largest: int) -> list[int]:
    """Whole numbers for the value axis (pygal would mark 0.2, 0.4… on a count of 2):
    at most six steps of 1, 2 or 5 times a power of ten."""
    steps = (m * 10**e for e in itertools.count() for m in (1, 2, 5))
    step = next(s for s in steps if largest / s <= 6)
    return list(range(0, largest + step, step))


def chart(breakdown: Breakdown) -> str:
    """The breakdown as an SVG bar chart (its largest rows; years as a histogram)."""
    if breakdown.key == "established":
        return _years(breakdown)
    rows = breakdown.counts[:CHART_ROWS]
    height = 60 + 26 * max(len(rows), 1)
    drawn = pygal.HorizontalBar(
        width=WIDTH, height=height, y_labels=_ticks(max(r.count for r in rows)), **COMMON
    )
    # pygal draws the first label at the bottom: largest at the top, as the table.
    drawn.x_labels = [row.label for row in reversed(rows)]
    drawn.add(str(breakdown.title), [row.count for row in reversed(rows)])
    return _svg(drawn, breakdown)


def _years(breakdown: Breakdown) -> str:
    by_year = {int(row.value): row.count for row in breakdown.counts}
    years = list(range(min(by_year), max(by_year) + 1)) if by_year else []
    drawn = pygal.Bar(width=WIDTH, height=300, x_label_rotation=0, show_minor_x_labels=False,
                      y_labels=_ticks(max(by_year.values(), default=1)),
                      **{**COMMON, "print_values": False, "show_y_guides": True})  # fmt: skip
    drawn.x_labels = [str(y) for y in years]
    drawn.x_labels_major = [str(y) for y in years if y % 10 == 0]
    drawn.add(str(breakdown.title), [by_year.get(y, 0) for y in years])
    return _svg(drawn, breakdown)


def _svg(drawn, breakdown: Breakdown) -> str:
    root = drawn.render_tree()  # its tags have no namespace: `xmlns` is an attribute
    for defs in root.iter("defs"):
        for script in defs.findall("script"):
            defs.remove(script)
    root.set("class", f"chart chart-{breakdown.key}")
    root.set("aria-hidden", "true")
    root.set("focusable", "false")
    return ET.tostring(root, encoding="unicode")
