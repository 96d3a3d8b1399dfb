"""Assembly: settings -> database (migrated) -> router, shared by every entry point."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot import metrics
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
    from apscheduler.events import EVENT_JOB_SUBMITTED

    service = SchedulerService(bot.database, bot.router.rules)
    service.scheduler.add_listener(metrics.on_job_submitted, EVENT_JOB_SUBMITTED)
    metrics.watch_leadership("scheduler", lambda: service.running)
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
    configure_logging(settings.marketsafe_log_level, secrets, log_format=settings.marketsafe_log_format)
    if (deprecated := settings.deprecation_warning()) is not None:
        logging.getLogger(__name__).warning(deprecated)
    database = Database(settings.database_url)
    metrics.watch(database)
    if migrate:
        database.upgrade()
    router = Router(database, settings.rules(), settings.admins | extra_admins)
    return Bot(settings, database, router)
