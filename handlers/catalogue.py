"""Imports every command module, so that each registers its command word."""

from handlers import help  # noqa: F401
from handlers.admin import channels, members, organisations, rights, team  # noqa: F401
from handlers.calendar import milestones, reminders  # noqa: F401
from handlers.cases import case_reading, case_thread, case_view, complaints, outcomes, stats, storefronts  # noqa: F401
from handlers.kit.registry import COMMAND_WORDS, COMMANDS, GROUPS, CommandSpec, resolve, subcommands, top_words
from handlers.program import application_review, applications, language, raids  # noqa: F401
from handlers.working_group import meetings, proposals  # noqa: F401

__all__ = ["COMMANDS", "COMMAND_WORDS", "GROUPS", "CommandSpec", "resolve", "subcommands", "top_words"]
