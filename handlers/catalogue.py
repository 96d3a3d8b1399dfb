"""Imports every command module, so that each registers its command word."""

from handlers import (  # noqa: F401
    admin,
    application_review,
    applications,
    calendar,
    cases,
    complaints,
    help,
    language,
    meetings,
    outcomes,
    proposals,
    raids,
    reminders,
    stats,
    storefronts,
)
from handlers.registry import COMMAND_WORDS, COMMANDS, CommandSpec

__all__ = ["COMMANDS", "COMMAND_WORDS", "CommandSpec"]
