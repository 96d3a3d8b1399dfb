"""Shared wording for durations, rates, months and item numbers in replies."""

from __future__ import annotations

from collections.abc import Sequence


def duration(seconds: float | None) -> str:
    """`2d 3h`, `5h 10m`, `12m`."""
    if seconds is None:
        return "-"
    minutes = int(seconds // 60)
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        return f"{days}d {hours}h"
    if hours:
        return f"{hours}h {minutes}m"
    return f"{minutes}m"


def items_reported(listings: int, storefronts: int) -> str:
    """`3 listings and 1 storefront reported`: the one wording of the figure everywhere it is shown."""
    listing_words = f"{listings} listing{'' if listings == 1 else 's'}"
    return f"{listing_words} and {storefronts} storefront{'' if storefronts == 1 else 's'} reported"


def percent(rate: float | None) -> str:
    return "-" if rate is None else f"{rate * 100:.1f}%"


def month_label(month: int) -> str:
    return f"{month // 100:04d}-{month % 100:02d}"


def items_label(positions: Sequence[int]) -> str:
    """`item 3`, `items 1-3, 7`."""
    return f"{'item' if len(positions) == 1 else 'items'} {item_numbers(positions)}"


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
