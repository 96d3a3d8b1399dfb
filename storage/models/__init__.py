"""Every table of the bot, importable from one place."""

from storage.models._base import utcnow
from storage.models.complaints import (
    CaseMessage,
    Complaint,
    ComplaintItem,
    HeldLink,
    Listing,
    SellerAppeal,
    Storefront,
    Strike,
    case_id,
)
from storage.models.intake import AcceptedCommand
from storage.models.journal import (
    AuditEntry,
    Delivery,
    DeliveryCursor,
    DeliveryWorkerBeat,
    HandledRequest,
    OutboxNotice,
    PostedMessage,
)
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
from storage.models.schedule import ScheduleChange, ScheduledOccurrence, SchedulerMark
from storage.models.stats_counts import WHOLE_PROGRAM, StatsCount
from storage.models.working_group import MeetingDecision, PlatformAssignment, Proposal, ProposalVote
from storage.months import month_of

__all__ = [
    "WHOLE_PROGRAM",
    "AcceptedCommand",
    "Application",
    "ApplicationGroup",
    "AuditEntry",
    "CaseMessage",
    "ChannelMapping",
    "Complaint",
    "ComplaintItem",
    "Delivery",
    "DeliveryCursor",
    "DeliveryWorkerBeat",
    "HandledRequest",
    "HeldLink",
    "IPRight",
    "LanguageRequest",
    "Listing",
    "MeetingDecision",
    "Member",
    "Milestone",
    "Organisation",
    "OutboxNotice",
    "PlatformAssignment",
    "PostedMessage",
    "Proposal",
    "ProposalVote",
    "RaidDocument",
    "RaidEvidence",
    "RaidStorefront",
    "Reminder",
    "ScheduleChange",
    "ScheduledOccurrence",
    "SchedulerMark",
    "SellerAppeal",
    "StatsCount",
    "Storefront",
    "Strike",
    "case_id",
    "month_of",
    "utcnow",
]
