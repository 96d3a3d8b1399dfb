"""`stats chart`: the monthly figures drawn as a PNG, for the caller's scope."""

from __future__ import annotations

import logging
import struct

import pytest
from matplotlib import font_manager

from handlers.cases import stats_chart
from handlers.kit import charts
from handlers.kit.charts import MonthlySeries
from handlers.kit.replies import Reply
from support.harness import Harness

TAOBAO = "https://item.taobao.com/item.htm?id={}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG's IHDR chunk (the first, right after the signature)."""
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[MonthlySeries]:
    """The series each chart is drawn from (the chart is still drawn)."""
    seen: list[MonthlySeries] = []

    def spy(series: MonthlySeries) -> bytes:
        seen.append(series)
        return charts.render_monthly(series)

    monkeypatch.setattr(stats_chart, "render_monthly", spy)
    return seen


def chart(reply: Reply) -> bytes:
    (file,) = reply.files
    assert file.content_type == "image/png" and file.name.endswith(".png")
    return file.data


def test_the_chart_is_a_png_of_the_monthly_figures(program: Harness, drawn: list[MonthlySeries]) -> None:
    program.ok("complaint " + " ".join(TAOBAO.format(n) for n in range(1, 5)), as_="brand1")
    program.ok("outcome MS-000001 1-3 removed", as_="team1")
    program.ok("outcome MS-000001 4 not_removed", as_="team1")
    reply = program.ok("stats chart months=3", as_="team1")
    assert png_size(chart(reply)) == (900, 600)
    (series,) = drawn
    assert series.months == ("2026-09", "2026-10", "2026-11")
    assert series.reported == (0, 0, 4)
    assert series.removed == (0, 0, 3)
    assert series.takedown_rate == (None, None, 0.75)
    assert series.storefronts_closed == (0, 0, 0)
    assert series.title == "The whole program: 2026-09 to 2026-11"
    assert "4 items reported, 3 removed, takedown rate 75.0%" in reply.render_plain()


def test_a_member_charts_only_their_organisation(program: Harness, drawn: list[MonthlySeries]) -> None:
    program.ok("complaint " + TAOBAO.format(1), as_="brand1")
    program.ok("complaint " + TAOBAO.format(2) + " " + TAOBAO.format(3), as_="brand2")
    program.ok("stats chart months=1", as_="brand2")
    assert drawn[-1].reported == (2,) and drawn[-1].title.startswith("Globex Ltd:")
    assert "Only the IACC/Alibaba team" in program.refused("stats chart org=acme", as_="brand2")
    program.ok("stats chart org=acme months=1", as_="team1")
    assert drawn[-1].reported == (1,)


def test_months_are_bounded(program: Harness) -> None:
    assert "from 1 to 36" in program.send("stats chart months=37", as_="team1").render_plain()


def test_stats_alone_still_shows_the_table(program: Harness) -> None:
    assert program.ok("stats", as_="team1").text.startswith("The whole program: figures for")


def test_chinese_names_use_a_cjk_font() -> None:
    assert charts.chart_font() in charts.CJK_FONTS
    title = MonthlySeries("阿里巴巴知识产权保护: 2026-11", ("2026-11",), (3,), (2,), (0.5,), (1,))
    assert png_size(charts.render_monthly(title)) == (900, 600)


def test_without_a_cjk_font_the_chart_falls_back_to_dejavu_and_says_so(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [])
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda: [])
    with caplog.at_level(logging.WARNING, logger="handlers.kit.charts"):
        assert charts.chart_font.__wrapped__() == "DejaVu Sans"
    assert "no CJK font found" in caplog.text


def test_a_cjk_font_installed_after_matplotlib_cached_its_fonts_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    cached_without_it = [entry for entry in font_manager.fontManager.ttflist if entry.name not in charts.CJK_FONTS]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", cached_without_it)
    assert charts.chart_font.__wrapped__() in charts.CJK_FONTS
