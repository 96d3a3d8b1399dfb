"""Imports every command module, so that each registers its command word."""

from handlers import admin, calendar, cases, complaints, help, outcomes, reminders, stats, storefronts  # noqa: F401
from handlers.registry import COMMAND_WORDS, COMMANDS, CommandSpec

__all__ = ["COMMANDS", "COMMAND_WORDS", "CommandSpec"]
