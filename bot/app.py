"""Assembly: settings -> database (migrated) -> router, shared by every entry point."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.logs import configure_logging
from bot.router import Router
from bot.settings import Settings
from schedules.service import SchedulerService
from storage.database import Database


@dataclass(frozen=True, slots=True)
class Bot:
    settings: Settings
    database: Database
    router: Router


def start_scheduler(bot: Bot) -> SchedulerService:
    """The scheduler, leading in this process when no other process does (see schedules/)."""
    service = SchedulerService(bot.database, bot.settings.rules())
    service.run_forever()
    return service


def assemble(settings: Settings, *, extra_admins: frozenset[str] = frozenset(), migrate: bool = True) -> Bot:
    secrets = [
        secret.get_secret_value()
        for secret in (
            settings.slack_bot_token,
            settings.slack_signing_secret,
            settings.slack_app_token,
            settings.discord_bot_token,
        )
        if secret is not None
    ]
    configure_logging(settings.marketsafe_log_level, secrets)
    if (deprecated := settings.deprecation_warning()) is not None:
        logging.getLogger(__name__).warning(deprecated)
    database = Database(settings.database_url)
    if migrate:
        database.upgrade()
    router = Router(database, settings.rules(), settings.admins | extra_admins)
    return Bot(settings, database, router)
