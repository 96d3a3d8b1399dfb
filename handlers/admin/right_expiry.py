"""IP rights running out: the notices an organisation hears before and when a verified right
expires, and the mark `admin org show` gives a right close to its expiry.

A right can be filed under until the end of its expiry day (in the program's zone). Each notice
is written once per right, threshold, expiry date and recipient (its dedupe key), so the daily
check can run any number of times; a renewal (a new expiry date) arms the notices again.
"""

from __future__ import annotations

from datetime import date
from functools import partial

from sqlmodel import Session, col, select

from handlers.cases.notices import describe_right
from handlers.kit.context import BRAND_ROLES
from handlers.kit.i18n import _, localized, ngettext
from handlers.kit.replies import Notice
from storage.models import IPRight, Organisation
from storage.queries.members import members_of
from storage.vocabulary import NoticeKind, RightStatus, dm_channel, org_channel

WARN_DAYS = (30, 7)  # notices this many days before the expiry; `admin org show` marks the first window
EXPIRED = "expired"


def expiry_threshold(right: IPRight, today: date) -> str | None:
    """The notice a right calls for today: `30`, `7`, `expired`, or None. A right that enters a
    window late (added 5 days before its expiry) hears the nearest one only."""
    if right.status != RightStatus.VERIFIED or right.expires_on is None:
        return None
    days_left = (right.expires_on - today).days
    if days_left < 0:
        return EXPIRED
    within = [days for days in WARN_DAYS if days_left <= days]
    return str(min(within)) if within else None


def expiry_mark(right: IPRight, today: date) -> str:
    """`, expires in 12 days` for a right within the first notice window; `, expired` past it."""
    if right.expires_on is None or right.status == RightStatus.EXPIRED:
        return ""
    days_left = (right.expires_on - today).days
    if days_left < 0:
        return " " + _("(expired: complaints cannot rely on it)")
    if days_left <= max(WARN_DAYS):
        if days_left == 0:
            return " " + _("(expires today)")
        return " " + ngettext("(expires in {count} day)", "(expires in {count} days)", days_left)
    return ""


def right_expiry_notices(session: Session, today: date) -> list[Notice]:
    """Every notice the verified rights call for today: to their organisation's channel and to
    each of its members by direct message."""
    horizon = date.fromordinal(today.toordinal() + max(WARN_DAYS))
    rights = session.exec(
        select(IPRight).where(
            IPRight.status == RightStatus.VERIFIED,
            col(IPRight.expires_on).is_not(None),
            col(IPRight.expires_on) <= horizon,
        )
    ).all()
    notices = []
    for right in rights:
        threshold = expiry_threshold(right, today)
        organisation = session.get(Organisation, right.organisation_id)
        if threshold is None or organisation is None or not organisation.active:
            continue
        key = f"right-expiry:{right.id}:{threshold}:{right.expires_on}"
        channels = [(org_channel(organisation.slug), f"{key}:org")]
        assert organisation.id is not None
        for member in members_of(session, organisation.id):
            if member.role in BRAND_ROLES:
                channel = dm_channel(member.platform, member.user_id)
                channels.append((channel, f"{key}:{channel}"))
        for channel, dedupe_key in channels:
            notices.append(localized(partial(_expiry_notice, channel, dedupe_key, right, threshold, today)))
    return notices


def _expiry_notice(channel: str, dedupe_key: str, right: IPRight, threshold: str, today: date) -> Notice:
    return Notice(channel, _wording(right, threshold, today), NoticeKind.INFO, dedupe_key=dedupe_key)


def _wording(right: IPRight, threshold: str, today: date) -> str:
    what = describe_right(right)
    renew = _("An admin records a renewal with `admin right verify {id} expires=YYYY-MM-DD`.", id=right.id)
    if threshold == EXPIRED:
        return _(
            "Your {right} expired on {day}: complaints can no longer rely on it. {renew}",
            right=what, day=right.expires_on, renew=renew,
        )  # fmt: skip
    assert right.expires_on is not None
    days_left = (right.expires_on - today).days
    when = _("today") if days_left == 0 else ngettext("in {count} day", "in {count} days", days_left)
    return _(
        "Your {right} expires on {day}, {when}: complaints can rely on it until then. {renew}",
        right=what, day=right.expires_on, when=when, renew=renew,
    )  # fmt: skip
