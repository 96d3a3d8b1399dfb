"""Monthly figures as a PNG chart, drawn with matplotlib's Agg backend (no display needed).

Organisation names may be Chinese: the chart uses a CJK font when the machine has one (Debian's
fonts-wqy-microhei or fonts-noto-cjk, installed by `make test` and CI) and falls back to DejaVu
Sans, saying so in the log once, when it has none (the names then show as boxes).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

log = logging.getLogger(__name__)
CJK_FONTS = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Sans CJK JP", "Noto Sans SC")
FALLBACK_FONT = "DejaVu Sans"
SIZE_INCHES, DPI = (9.0, 6.0), 100  # a 900 x 600 pixel image


@dataclass(frozen=True, slots=True)
class ChartLabels:
    """The words drawn on a chart, in its reader's language (the caller translates them)."""

    reported: str = "reported"
    removed: str = "removed"
    items: str = "items"
    takedown_rate: str = "takedown rate"
    takedown_axis: str = "takedown rate (%)"
    storefronts_closed: str = "storefronts closed"


@dataclass(frozen=True, slots=True)
class MonthlySeries:
    """What a chart shows: one value per month for each figure."""

    title: str
    months: tuple[str, ...]  # `2026-11`
    reported: tuple[int, ...]
    removed: tuple[int, ...]
    takedown_rate: tuple[float | None, ...]  # removed / decided, None with nothing decided
    storefronts_closed: tuple[int, ...]
    labels: ChartLabels = ChartLabels()


def render_monthly(series: MonthlySeries) -> bytes:
    """The PNG of `series`: reported and removed items as bars with the takedown rate as a line
    above, storefronts closed below."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # a Figure of its own: no global pyplot state between threads

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    font = chart_font()
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=(2, 1))
    positions = list(range(len(series.months)))
    width = 0.4
    words = series.labels
    top.bar([p - width / 2 for p in positions], series.reported, width, label=words.reported, color="#457b9d")
    top.bar([p + width / 2 for p in positions], series.removed, width, label=words.removed, color="#2a9d8f")
    top.set_ylabel(words.items, fontfamily=font)
    rate = top.twinx()
    rate.plot(positions, [r * 100 if r is not None else float("nan") for r in series.takedown_rate], color="#e63946",
              marker="o", label=words.takedown_rate)  # fmt: skip
    rate.set_ylim(0, 105)
    rate.set_ylabel(words.takedown_axis, fontfamily=font)
    handles = top.get_legend_handles_labels()[0] + rate.get_legend_handles_labels()[0]
    top.legend(handles=handles, loc="upper left", prop={"family": font})
    top.set_title(series.title, fontfamily=font)
    bottom.bar(positions, series.storefronts_closed, 0.6, color="#1d3557")
    bottom.set_ylabel(words.storefronts_closed, fontfamily=font)
    bottom.set_xticks(positions, series.months, rotation=45 if len(positions) > 8 else 0)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


@cache
def chart_font() -> str:
    """The first CJK font installed, else DejaVu Sans (logged once)."""
    from matplotlib import font_manager

    found = _first_cjk(font_manager.fontManager)
    if found is None:
        # matplotlib keeps the fonts it found in a cache file and does not look again: a font
        # installed after that cache was written is added from the system's font directories.
        for path in font_manager.findSystemFonts():
            try:
                font_manager.fontManager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
        found = _first_cjk(font_manager.fontManager)
    if found is None:
        log.warning("no CJK font found (install fonts-wqy-microhei): Chinese names in charts will not render")
        return FALLBACK_FONT
    return found


def _first_cjk(manager: Any) -> str | None:
    installed = {entry.name for entry in manager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)
