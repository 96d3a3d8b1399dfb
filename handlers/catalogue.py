"""Imports every command module, so that each registers its command word."""

from handlers import help, language_choice  # noqa: F401
from handlers.admin import channels, members, organisations, rights, team  # noqa: F401
from handlers.calendar import (  # noqa: F401
    milestone_changes,
    milestone_listing,
    milestone_loading,
    reminder_cancelling,
    reminder_listing,
    reminder_setting,
)
from handlers.cases import (  # noqa: F401
    case_reading,
    case_thread,
    case_timeline,
    case_view,
    complaints,
    exports,
    lookup,
    outcomes,
    rogueblock,
    stats,
    stats_chart,
    storefronts,
)
from handlers.kit.registry import COMMAND_WORDS, COMMANDS, GROUPS, CommandSpec, resolve, subcommands, top_words
from handlers.program import (  # noqa: F401
    applicant_steps,
    application_review,
    applying,
    language,
    language_answers,
    language_lists,
    raid_decisions,
    raid_submission,
    raids,
)
from handlers.working_group import (  # noqa: F401
    meeting_decisions,
    meetings,
    practices,
    proposal_decisions,
    proposal_lists,
    proposal_votes,
    proposals,
)

__all__ = ["COMMANDS", "COMMAND_WORDS", "GROUPS", "CommandSpec", "resolve", "subcommands", "top_words"]
