"""Every table of the bot, importable from one place."""

from storage.models._base import month_of, utcnow
from storage.models.complaints import (
    Complaint,
    ComplaintItem,
    CounterNotice,
    HeldLink,
    Listing,
    Storefront,
    Strike,
    case_id,
)
from storage.models.journal import AuditEntry, Delivery, DeliveryCursor, HandledRequest, Notice, PostedMessage
from storage.models.organisations import ChannelMapping, IPRight, Member, Organisation
from storage.models.program import (
    Application,
    ApplicationGroup,
    LanguageRequest,
    Milestone,
    RaidDocument,
    RaidEvidence,
    RaidStorefront,
    Reminder,
)

__all__ = [
    "Application",
    "ApplicationGroup",
    "AuditEntry",
    "ChannelMapping",
    "Complaint",
    "ComplaintItem",
    "CounterNotice",
    "Delivery",
    "DeliveryCursor",
    "HandledRequest",
    "HeldLink",
    "IPRight",
    "LanguageRequest",
    "Listing",
    "Member",
    "Milestone",
    "Notice",
    "Organisation",
    "PostedMessage",
    "RaidDocument",
    "RaidEvidence",
    "RaidStorefront",
    "Reminder",
    "Storefront",
    "Strike",
    "case_id",
    "month_of",
    "utcnow",
]
