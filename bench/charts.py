"""`stats chart`: drawing 36 months of figures as a PNG, against a blank figure saved the same way."""

from __future__ import annotations

import io
import statistics
import time

from bench.report import Figure
from handlers.kit.charts import DPI, SIZE_INCHES, MonthlySeries, chart_font, render_monthly

RUNS = 7
MONTHS = 36


def _series() -> MonthlySeries:
    months = tuple(f"{2024 + m // 12}-{m % 12 + 1:02d}" for m in range(MONTHS))
    reported = tuple(9_000 + 37 * m for m in range(MONTHS))
    removed = tuple(int(r * 0.9) for r in reported)
    return MonthlySeries("阿里巴巴 · ACME: 36 months", months, reported, removed, tuple(0.9 for _ in months),
                         tuple(150 + m for m in range(MONTHS)))  # fmt: skip


def _blank() -> bytes:
    from matplotlib.figure import Figure as Drawing

    buffer = io.BytesIO()
    Drawing(figsize=SIZE_INCHES, dpi=DPI).savefig(buffer, format="png")
    return buffer.getvalue()


def _median(work: object) -> float:
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def run() -> list[Figure]:
    chart_font()  # the font look-up is once per process
    series = _series()
    render_monthly(series)  # matplotlib's first import and font cache are paid once, not per chart
    blank = _median(_blank)
    chart = _median(lambda: render_monthly(series))
    return [
        Figure("blank 900x600 PNG saved by matplotlib (baseline)", blank * 1000, "ms", None),
        Figure("stats chart, 36 months, rendered to PNG", chart * 1000, "ms", 1000),
        Figure("  chart / blank figure", chart / blank, "x", 40),
    ]
