"""Closed vocabularies of the domain: every status, role, platform and code the database accepts.

Values are stored as plain strings and checked by CHECK constraints built from these enums, so
adding a value here needs a migration.
"""

from __future__ import annotations

from enum import StrEnum


class Platform(StrEnum):
    """Marketplace platforms of the program. Taobao, Tmall and Tmall Global are distinct."""

    TAOBAO = "taobao"
    TMALL = "tmall"
    TMALL_GLOBAL = "tmall_global"
    ALIEXPRESS = "aliexpress"
    ALIBABA_1688 = "1688"
    ALIBABA = "alibaba"

    @property
    def label(self) -> str:
        return PLATFORM_LABELS[self]


PLATFORM_LABELS: dict[Platform, str] = {
    Platform.TAOBAO: "Taobao",
    Platform.TMALL: "Tmall",
    Platform.TMALL_GLOBAL: "Tmall Global",
    Platform.ALIEXPRESS: "AliExpress",
    Platform.ALIBABA_1688: "1688",
    Platform.ALIBABA: "Alibaba.com",
}


class ItemKind(StrEnum):
    LISTING = "listing"
    STOREFRONT = "storefront"


class Role(StrEnum):
    MEMBER = "member"
    REPRESENTATIVE = "representative"
    TEAM = "team"
    ADMIN = "admin"


class RightKind(StrEnum):
    TRADEMARK = "trademark"
    COPYRIGHT = "copyright"
    PATENT = "patent"


class RightStatus(StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    EXPIRED = "expired"


class ReasonCode(StrEnum):
    COUNTERFEIT = "counterfeit"
    TRADEMARK_MISUSE = "trademark_misuse"
    COPYRIGHT = "copyright"
    PATENT = "patent"
    # Taobao's luxury rule: the seller uploaded no invoice or authorisation letter.
    NO_PROOF = "no_proof"
    OTHER = "other"


class ItemStatus(StrEnum):
    REPORTED = "reported"
    REMOVED = "removed"
    NOT_REMOVED = "not_removed"
    NOT_FOUND = "not_found"
    WITHDRAWN = "withdrawn"
    COUNTER_NOTICE = "counter_notice"
    UPHELD = "upheld"
    REINSTATED = "reinstated"


class ComplaintStatus(StrEnum):
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    PARTIALLY_ACTIONED = "partially_actioned"
    ACTIONED = "actioned"
    WITHDRAWN = "withdrawn"
    RETURNED = "returned"


class CounterNoticeStatus(StrEnum):
    OPEN = "open"
    UPHELD = "upheld"
    REINSTATED = "reinstated"


class StorefrontStatus(StrEnum):
    ACTIVE = "active"
    CLOSED = "closed"


class ApplicationStatus(StrEnum):
    SUBMITTED = "submitted"
    INELIGIBLE = "ineligible"
    QUEUED = "queued"
    SELECTED = "selected"
    WAITLISTED = "waitlisted"
    NOTIFIED = "notified"
    ONBOARDED = "onboarded"
    WITHDRAWN = "withdrawn"


class CompanySize(StrEnum):
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"


class RogueBlockStatus(StrEnum):
    REFERRED = "referred"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class RaidStatus(StrEnum):
    SUBMITTED = "submitted"
    FORWARDED = "forwarded"
    PENALTY_APPLIED = "penalty_applied"
    DECLINED = "declined"


class Language(StrEnum):
    """A language the bot speaks: a member's choice, a channel's language (`handlers.kit.i18n`)."""

    EN = "en"
    ZH = "zh"


class LanguageRequestStatus(StrEnum):
    OPEN = "open"
    ANSWERED = "answered"


class MilestoneKind(StrEnum):
    APPLICATION_DEADLINE = "application_deadline"
    STATUS_UPDATE = "status_update"
    ORIENTATION = "orientation"
    LAUNCH = "launch"
    MEETING = "meeting"


class ProposalKind(StrEnum):
    PROPOSAL = "proposal"
    PRACTICE = "practice"


class ProposalStatus(StrEnum):
    OPEN = "open"
    UNDER_REVIEW = "under_review"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    SHARED = "shared"  # a best practice: shared, nothing to decide


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    SKIPPED = "skipped"
    FAILED = "failed"


class IntakeStatus(StrEnum):
    """An acknowledged command: still to be answered, or answered."""

    ACCEPTED = "accepted"
    DONE = "done"


class Channel(StrEnum):
    """The fixed logical channels; admins map each to a chat channel per platform.

    Besides these, a notice may go to one organisation's channel (`org_channel`) or to one
    person (`dm_channel`).
    """

    ANNOUNCEMENTS = "announcements"
    OUTCOMES = "outcomes"
    TEAM = "team"
    LANGUAGE = "language"
    WORKING_GROUP = "working-group"
    ROGUEBLOCK = "rogueblock"


ORG_PREFIX = "org:"
DM_PREFIX = "dm:"


def org_channel(slug: str) -> str:
    """The logical channel of one organisation: `org:<slug>`."""
    return f"{ORG_PREFIX}{slug}"


def dm_channel(platform: str, user_id: str) -> str:
    """The logical channel of a direct message to one person: `dm:<platform>:<user id>`."""
    return f"{DM_PREFIX}{platform}:{user_id}"


def org_slug(channel: str) -> str | None:
    """The organisation's slug of an `org:<slug>` channel; None for any other channel."""
    return channel.removeprefix(ORG_PREFIX) if channel.startswith(ORG_PREFIX) else None


def dm_recipient(channel: str) -> tuple[str, str] | None:
    """(platform, user id) of a `dm:<platform>:<user id>` channel; None for any other channel."""
    if not channel.startswith(DM_PREFIX):
        return None
    platform, _, user_id = channel.removeprefix(DM_PREFIX).partition(":")
    return platform, user_id


class NoticeKind(StrEnum):
    """What a notice in the outbox is about."""

    INFO = "info"
    # cases
    CASE_OPENED = "case_opened"
    CASE_SUMMARY = "case_summary"
    CASE_ASSIGNED = "case_assigned"
    CASE_MESSAGE = "case_message"
    CASE_ACTIONED = "case_actioned"
    CASE_RETURNED = "case_returned"
    CASE_STATUS = "case_status"
    CROSS_MEMBER_DUPLICATE = "cross_member_duplicate"
    ROUTING_WARNING = "routing_warning"
    OUTCOME = "outcome"
    COUNTER_NOTICE = "counter_notice"
    WITHDRAWN = "withdrawn"
    APPEAL_DUE = "appeal_due"
    APPEAL_OVERDUE = "appeal_overdue"
    ESCALATION = "escalation"
    # storefronts and raids
    STOREFRONT_CLOSED = "storefront_closed"
    STOREFRONT_REINSTATED = "storefront_reinstated"
    ROGUEBLOCK_REFERRAL = "rogueblock_referral"
    ROGUEBLOCK_ANSWER = "rogueblock_answer"
    RAID_SUBMITTED = "raid_submitted"
    RAID_FORWARDED = "raid_forwarded"
    RAID_DECLINED = "raid_declined"
    RAID_PENALTY = "raid_penalty"
    # the program: applications and language help
    APPLICATION = "application"
    LANGUAGE_REQUEST = "language_request"
    LANGUAGE_ANSWER = "language_answer"
    LANGUAGE_ANSWERED = "language_answered"
    # working group: a new proposal or best practice is announced under its own kind
    PROPOSAL = "proposal"
    PRACTICE = "practice"
    PROPOSAL_STATUS = "proposal_status"
    AGENDA = "agenda"
    MEETING_DECISION = "meeting_decision"
    # calendar and schedules
    CALENDAR = "calendar"
    MILESTONE = "milestone"
    REMINDER = "reminder"
    WEEKLY_DIGEST = "weekly_digest"
    MISSED = "missed"


class AuditEntity(StrEnum):
    """What an audit entry is about: the table of the changed row, by its domain name."""

    APPLICATION = "application"
    APPLICATION_GROUP = "application_group"
    CHANNEL_MAPPING = "channel_mapping"
    COMPLAINT = "complaint"
    ITEM = "item"  # a complaint's item
    IP_RIGHT = "ip_right"
    LANGUAGE_REQUEST = "language_request"
    MEETING_DECISION = "meeting_decision"
    MEMBER = "member"
    MILESTONE = "milestone"
    ORGANISATION = "organisation"
    PROPOSAL = "proposal"
    RAID = "raid"
    REMINDER = "reminder"
    STOREFRONT = "storefront"


class OccurrenceOutcome(StrEnum):
    """What became of a scheduled occurrence: its notice was written, or the team was told it was missed."""

    POSTED = "posted"
    MISSED = "missed"


class CountedFigure(StrEnum):
    """What a row of the running counts behind `stats` counts (storage/stats_counts.py)."""

    REPORTED = "reported"  # items reported in the month, by platform and kind
    DECIDED = "decided"  # items first decided in the month, by their status now
    REMOVAL_TIME = "removal_time"  # removals decided in the month, by time from report to removal
    DECISION_TIME = "decision_time"  # items reported in the month and decided, by platform and time to it


# Item statuses after which nothing more is expected of the team.
FINAL_ITEM_STATUSES = frozenset(
    {
        ItemStatus.REMOVED,
        ItemStatus.NOT_REMOVED,
        ItemStatus.NOT_FOUND,
        ItemStatus.WITHDRAWN,
        ItemStatus.UPHELD,
        ItemStatus.REINSTATED,
    }
)
# Statuses in which the listing is (still) down: they count as removals in the figures.
REMOVAL_STATUSES = frozenset({ItemStatus.REMOVED, ItemStatus.COUNTER_NOTICE, ItemStatus.UPHELD})
# Statuses that are a decision by the platform (the denominator of the takedown rate).
DECIDED_STATUSES = REMOVAL_STATUSES | {
    ItemStatus.NOT_REMOVED,
    ItemStatus.NOT_FOUND,
    ItemStatus.REINSTATED,
}
