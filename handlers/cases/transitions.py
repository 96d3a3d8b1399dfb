"""The rules of every status change: which moves are allowed, and what a complaint's status is.

Pure functions over the vocabulary; the handlers apply them and write the audit log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime, tzinfo

from handlers.kit.i18n import _, ngettext
from handlers.kit.local_time import add_business_days
from storage.vocabulary import FINAL_ITEM_STATUSES, ComplaintStatus, ItemStatus

MAX_COUNTER_ROUNDS = 3
FIRST_ROUND_BUSINESS_DAYS = 3
LATER_ROUND_BUSINESS_DAYS = 27

ITEM_TRANSITIONS: dict[ItemStatus, frozenset[ItemStatus]] = {
    ItemStatus.REPORTED: frozenset(
        {ItemStatus.REMOVED, ItemStatus.NOT_REMOVED, ItemStatus.NOT_FOUND, ItemStatus.WITHDRAWN}
    ),
    ItemStatus.REMOVED: frozenset({ItemStatus.COUNTER_NOTICE}),
    ItemStatus.COUNTER_NOTICE: frozenset({ItemStatus.UPHELD, ItemStatus.REINSTATED}),
    # A seller may appeal again after a round is lost, up to MAX_COUNTER_ROUNDS rounds.
    ItemStatus.UPHELD: frozenset({ItemStatus.COUNTER_NOTICE}),
    ItemStatus.NOT_REMOVED: frozenset(),
    ItemStatus.NOT_FOUND: frozenset(),
    ItemStatus.WITHDRAWN: frozenset(),
    ItemStatus.REINSTATED: frozenset(),
}

# While no item is decided, a complaint moves through these by the team's and member's hands.
MANUAL_COMPLAINT_STATUSES = frozenset({ComplaintStatus.SUBMITTED, ComplaintStatus.IN_REVIEW, ComplaintStatus.RETURNED})


def refusal(current: ItemStatus, target: ItemStatus, counter_rounds: int) -> str | None:
    """Why an item may not move from `current` to `target`, or None when it may."""
    if target not in ITEM_TRANSITIONS[current]:
        allowed = ", ".join(sorted(ITEM_TRANSITIONS[current]))
        if not allowed:
            return _("it is {status}, which can change to nothing (it is final)", status=current)
        return _("it is {status}, which can change to {allowed}", status=current, allowed=allowed)
    if target is ItemStatus.COUNTER_NOTICE and counter_rounds >= MAX_COUNTER_ROUNDS:
        return ngettext(
            "the seller has already had {count} counter-notice round",
            "the seller has already had {count} counter-notice rounds",
            MAX_COUNTER_ROUNDS,
        )
    return None


def complaint_status(item_statuses: Iterable[ItemStatus], current: ComplaintStatus) -> ComplaintStatus:
    """A complaint's status follows from its items' statuses."""
    counts = Counter(item_statuses)
    total = sum(counts.values())
    withdrawn = counts[ItemStatus.WITHDRAWN]
    if withdrawn == total:  # also true of a complaint with no items
        return ComplaintStatus.WITHDRAWN
    live = total - withdrawn
    final = sum(count for status, count in counts.items() if status in FINAL_ITEM_STATUSES) - withdrawn
    if final == live:
        return ComplaintStatus.ACTIONED
    if counts[ItemStatus.REPORTED] < live:
        return ComplaintStatus.PARTIALLY_ACTIONED
    return current if current in MANUAL_COMPLAINT_STATUSES else ComplaintStatus.IN_REVIEW


def counter_notice_due(received: datetime, round_number: int, zone: tzinfo, holidays: frozenset[date]) -> datetime:
    days = FIRST_ROUND_BUSINESS_DAYS if round_number == 1 else LATER_ROUND_BUSINESS_DAYS
    return add_business_days(received, days, zone, holidays)
