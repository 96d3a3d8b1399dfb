"""Shared wording for durations, rates, months and item numbers in replies."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.kit.i18n import _, format_rate, ngettext


def duration(seconds: float | None) -> str:
    """`2d 3h`, `5h 10m`, `12m`."""
    if seconds is None:
        return "-"
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return _("{days}d {hours}h", days=days, hours=hours)
    if hours:
        return _("{hours}h {minutes}m", hours=hours, minutes=minutes)
    return _("{minutes}m", minutes=minutes)


def items_reported(listings: int, storefronts: int) -> str:
    """`3 listings and 1 storefront reported`: the one wording of the figure everywhere it is shown."""
    listing_words = ngettext("{count} listing", "{count} listings", listings)
    storefront_words = ngettext("{count} storefront", "{count} storefronts", storefronts)
    return _("{listings} and {storefronts} reported", listings=listing_words, storefronts=storefront_words)


def percent(rate: float | None) -> str:
    return "-" if rate is None else format_rate(rate)


def month_label(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"


def items_label(positions: Sequence[int]) -> str:
    """`item 3`, `items 1-3, 7`."""
    return ngettext("item {numbers}", "items {numbers}", len(positions), numbers=item_numbers(positions))


def item_numbers(positions: Sequence[int]) -> str:
    """`1-3, 7, 9-10` for [1, 2, 3, 7, 9, 10]."""
    ranges: list[list[int]] = []
    for position in sorted(positions):
        if ranges and position == ranges[-1][1] + 1:
            ranges[-1][1] = position
        else:
            ranges.append([position, position])
    return ", ".join(str(low) if low == high else f"{low}-{high}" for low, high in ranges)


def full_stop(text: str) -> str:
    """`text` ending a sentence: with a full stop, unless it has one already (`ACME Inc.`)."""
    return text if text.endswith((".", "!", "?")) else f"{text}."
