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
    COUNTER_NOTICED = "counter_noticed"
    REMOVAL_UPHELD = "removal_upheld"
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
    UPHELD = "removal_upheld"
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


# Item statuses after which nothing more is expected of the team.
FINAL_ITEM_STATUSES = frozenset(
    {
        ItemStatus.REMOVED,
        ItemStatus.NOT_REMOVED,
        ItemStatus.NOT_FOUND,
        ItemStatus.WITHDRAWN,
        ItemStatus.REMOVAL_UPHELD,
        ItemStatus.REINSTATED,
    }
)
# Statuses in which the listing is (still) down: they count as removals in the figures.
REMOVAL_STATUSES = frozenset({ItemStatus.REMOVED, ItemStatus.COUNTER_NOTICED, ItemStatus.REMOVAL_UPHELD})
# Statuses that are a decision by the platform (the denominator of the takedown rate).
DECIDED_STATUSES = REMOVAL_STATUSES | {
    ItemStatus.NOT_REMOVED,
    ItemStatus.NOT_FOUND,
    ItemStatus.REINSTATED,
}
