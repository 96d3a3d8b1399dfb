"""The `marketsafe` command: run, console, health, db upgrade/backup/restore, import, export."""

from __future__ import annotations

import csv
import logging
import sys
import threading
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import click
from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from bot.app import Bot, assemble, start_scheduler
from bot.console import OPERATOR, Console, enable_tab_completion
from bot.router import Incoming
from bot.settings import Settings
from bot.shutdown import stop_gently_on_sigterm
from handlers.cases.imports import OPTIONAL, REQUIRED, import_group, plan_import
from handlers.kit.context import Caller
from handlers.kit.csv_files import read_csv
from handlers.kit.errors import UserError
from handlers.kit.outbox import save_notices
from handlers.kit.spreadsheet_cells import neutral_row
from storage.queries.export import EXPORT_COLUMNS, export_rows
from storage.queries.members import organisation_by_slug

if TYPE_CHECKING:
    from bot.health import HealthServer
    from bot.slack.app import SlackService

log = logging.getLogger(__name__)
# Settings whose values are never shown when they are refused.
SECRET_SETTINGS = frozenset(
    {"DATABASE_URL", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN", "DISCORD_BOT_TOKEN"}
)
# How long a scripted console waits, at its end, for the jobs due at start and then for delivery.
SETTLE_SECONDS = 3.0


def load_settings() -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        raise click.ClickException(f"invalid settings: {_settings_problems(error)}") from None
    except ValueError as error:
        raise click.ClickException(f"invalid settings: {error}") from None


def _settings_problems(error: ValidationError) -> str:
    """Each refused setting by its variable's name, with what was given, except a database URL's
    (it may hold a password)."""
    problems = []
    for problem in error.errors():
        name = "_".join(str(part) for part in problem["loc"]).upper()
        given = problem.get("input")
        shown = f" (given: {given!r})" if isinstance(given, str) and name not in SECRET_SETTINGS else ""
        problems.append(f"{name}: {problem['msg']}{shown}")
    return "; ".join(problems)


def _assemble(settings: Settings, *, extra_admins: frozenset[str] = frozenset()) -> Bot:
    """`assemble`, stopping with one line naming the database (without its password) and the
    driver's reason when it cannot be reached or opened."""
    try:
        return assemble(settings, extra_admins=extra_admins)
    except DBAPIError as error:
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        lines = (str(error.orig) if error.orig is not None else str(error)).strip().splitlines()
        reason = lines[0] if lines else type(error).__name__
        raise click.ClickException(f"cannot open the database {where}: {reason}") from None


@click.group()
def main() -> None:
    """MarketSafe working-group bot."""


@main.command()
def run() -> None:
    """Run every configured platform; with none configured, the console."""
    settings = load_settings()
    if not settings.slack_enabled and not settings.discord_enabled:
        _console(settings, OPERATOR)
        return
    bot = _assemble(settings)
    slack = _slack_service(bot) if settings.slack_enabled else None
    scheduler = start_scheduler(bot)
    health = _health_server(bot)
    stop_gently_on_sigterm(lambda: slack.intake.intake.in_flight if slack is not None else 0)
    try:
        if slack is not None:
            slack.start_intake()
            slack.start_delivery()
        if settings.discord_enabled:
            if slack is not None:
                threading.Thread(target=slack.serve, name="slack-serve", daemon=True).start()
            _serve_discord(bot)
        elif slack is not None:
            slack.serve()
    except KeyboardInterrupt:
        log.info("stopped")
    finally:
        if slack is not None:
            slack.stop()
        if health is not None:
            health.stop()
        scheduler.stop()


def _health_server(bot: Bot) -> HealthServer | None:
    """The health endpoints and /metrics on a port of their own, unless Slack's HTTP port
    serves them (then only when MARKETSAFE_HEALTH_PORT names another port)."""
    from bot.health import serve_health

    settings = bot.settings
    if settings.slack_http and settings.health_port == settings.slack_port:
        return None
    try:
        return serve_health(bot.database, settings.health_port)
    except OSError as error:
        raise click.ClickException(
            f"cannot serve the health endpoints on port {settings.health_port} ({error}); "
            "set MARKETSAFE_HEALTH_PORT to a free port"
        ) from None


def _slack_service(bot: Bot) -> SlackService:
    from bot.slack.app import SlackService
    from bot.slack.startup import SlackStartError

    try:
        service = SlackService(bot.settings, bot.router, bot.database)
        if service.socket_mode is None:
            service.listen("0.0.0.0", bot.settings.slack_port)  # noqa: S104  (the port is taken before anything runs)
        return service
    except SlackStartError as error:  # the tokens and scopes are checked while it starts
        raise click.ClickException(f"cannot start Slack: {error}") from None
    except Exception as error:  # bolt checks the token with auth.test too
        raise click.ClickException(
            f"cannot start Slack: {type(error).__name__} while checking SLACK_BOT_TOKEN at "
            f"{bot.settings.slack_api_url} ({str(error)[:200]})"
        ) from None


def _serve_discord(bot: Bot) -> None:
    """Block serving Discord; a failure to log in or connect stops with a clear message."""
    import discord

    from bot import metrics
    from bot.discord.gateway import DiscordConnection, GatewayHolder, gateway_lock
    from bot.discord.service import DiscordService

    lock = gateway_lock(bot.database)
    holder = GatewayHolder(lock, lambda: DiscordConnection(DiscordService(bot.settings, bot.router, bot.database)))
    metrics.watch_leadership("discord-gateway", lambda: holder.holding)
    api = bot.settings.discord_api_url or discord.http.Route.BASE
    try:
        holder.run()
    except discord.LoginFailure:
        raise click.ClickException(f"cannot start Discord: {api} refused DISCORD_BOT_TOKEN") from None
    except discord.PrivilegedIntentsRequired:
        raise click.ClickException(
            "cannot start Discord: the bot needs the Message Content intent (to relay case threads), and it is "
            "not enabled. Turn on discord.com/developers -> your application -> Bot -> Privileged Gateway "
            "Intents -> Message Content Intent, then start again."
        ) from None
    except (discord.DiscordException, OSError) as error:
        raise click.ClickException(
            f"cannot start Discord: {type(error).__name__} while connecting to {api} ({str(error)[:200]})"
        ) from None


@main.command()
@click.option("--as", "identity", default=OPERATOR, show_default=True, help="console identity to start as")
def console(identity: str) -> None:
    """The bot on stdin/stdout (interactive, or one command per line from a pipe)."""
    _console(load_settings(), identity)


def _console(settings: Settings, identity: str) -> None:
    bot = _assemble(settings, extra_admins=frozenset({f"console:{OPERATOR}"}))
    interactive = sys.stdin.isatty()
    # The console's delivery starts before the scheduler, so what the jobs missed while the bot
    # was down write at start is shown too.
    runner = Console(
        bot.router, bot.database, sys.stdout, identity=identity, export_dir=Path(settings.marketsafe_export_dir)
    )
    scheduler = start_scheduler(bot)
    runner.after_command = scheduler.sync_if_leading
    if interactive:
        runner.deliver_in_background()  # announcements appear as they fire
    try:
        runner.run(_stdin_lines(interactive, runner), greet=interactive)
        if not interactive:  # a script's output ends with everything it and the start caused
            scheduler.settle(timeout=SETTLE_SECONDS)
            runner.drain(timeout=SETTLE_SECONDS)
    finally:
        scheduler.stop()


def _stdin_lines(interactive: bool, runner: Console) -> Iterator[str]:
    """Lines from a pipe as they come; at a terminal, with a prompt, line editing, history and Tab
    completion."""
    if not interactive:
        while line := sys.stdin.readline():
            yield line
        return
    enable_tab_completion()
    runner.screen.follow_readline()
    while True:
        try:
            yield runner.read_line()
        except EOFError:
            print()
            return


@main.group()
def db() -> None:
    """Database operations."""


@db.command()
def upgrade() -> None:
    """Apply pending migrations."""
    _assemble(load_settings())
    click.echo("database is up to date")


@db.command()
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
def backup(path: Path) -> None:
    """Copy the database to PATH, safely while the bot runs (PostgreSQL: with pg_dump)."""
    from bot.backups import BackupError, backup_sqlite, run_pg, sqlite_path

    url = load_settings().database_url
    try:
        source = sqlite_path(url)
        if source is None:
            run_pg(url, "pg_dump", path)
        else:
            backup_sqlite(source, path)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backed up to {path}")


@db.command()
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.confirmation_option(prompt="This replaces the whole database with the backup. Is the bot stopped?")
def restore(path: Path) -> None:
    """Replace the database with the backup at PATH (stop the bot first; PostgreSQL: pg_restore).
    Migrations the backup lacks are applied by the next start or `db upgrade`."""
    from bot.backups import BackupError, restore_sqlite, run_pg, sqlite_path

    url = load_settings().database_url
    try:
        target = sqlite_path(url)
        if target is None:
            run_pg(url, "pg_restore", path)
        else:
            restore_sqlite(path, target)
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"restored from {path}")


@main.command()
@click.option("--url", help="the readiness endpoint to ask (default: this host's, from the settings)")
@click.option("--timeout", default=5.0, show_default=True, help="seconds to wait for the answer")
def health(url: str | None, timeout: float) -> None:
    """Ask the running bot whether it is ready: one line, exit status 0 (ready) or 1 (not)."""
    from bot.health import READY_PATH, check

    target = url or f"http://127.0.0.1:{load_settings().health_port}{READY_PATH}"
    ready, line = check(target, timeout)
    click.echo(line)
    sys.exit(0 if ready else 1)


# Exit status of `import` when some rows were refused (the good ones were filed): scripts can tell.
ROWS_REJECTED = 3


@main.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "identity", default=f"console:{OPERATOR}", show_default=True, help="who files the complaints")
def import_command(file: Path, identity: str) -> None:
    """Register complaints from a CSV file (organisation, right, link[, reason, note, platform])."""
    # The operator is the console's admin; any other identity files as itself, with its own role.
    bot = _assemble(load_settings(), extra_admins=frozenset({f"console:{OPERATOR}"}))
    platform, _, user = identity.partition(":")
    try:
        rows = read_csv(file.read_bytes(), file.name, required=REQUIRED, optional=OPTIONAL)
    except UserError as error:
        raise click.ClickException(str(error)) from None
    incoming = Incoming(caller=Caller(platform, user), text="")
    with bot.database.transaction() as session:
        ctx = bot.router.context_for(session, incoming)
        if ctx.role is None or ctx.member_id is None:
            raise click.ClickException(f"{identity} is not in the program, so it cannot file complaints")
        groups, problems = plan_import(session, rows, ctx)
    registered = skipped = 0
    cases: list[str] = []
    with click.progressbar(groups, label=f"Importing {len(rows)} rows", file=sys.stderr) as bar:
        for group in bar:
            with bot.database.transaction() as session:
                outcome = import_group(session, bot.router.context_for(session, incoming), group)
                if outcome is None:
                    skipped += len(group.links)
                    continue
                save_notices(session, outcome.notices, bot.router.clock())
            registered += outcome.registered
            cases += [complaint.case_id for complaint in outcome.complaints]
    click.echo(
        f"{registered} items registered in {len(cases)} complaints"
        + (f" ({', '.join(cases[:20])}{' ...' if len(cases) > 20 else ''})" if cases else "")
    )
    if skipped:
        click.echo(f"{skipped} rows were imported before and skipped")
    for problem in problems:
        click.echo(f"{file.name}: {problem}")
    if problems:
        click.echo(f"{len(problems)} rows not imported")
        sys.exit(ROWS_REJECTED)


@main.command()
@click.option("--org", help="only this organisation's cases")
@click.option("--since", type=click.DateTime(formats=["%Y-%m-%d"]), help="cases filed on or after this date")
@click.option(
    "--output", "-o", type=click.File("w", encoding="utf-8"), default="-", help="file to write (default stdout)"
)
def export(org: str | None, since: datetime | None, output: TextIO) -> None:
    """Export cases and outcomes as CSV, one row per item."""
    bot = _assemble(load_settings())
    with bot.database.transaction() as session:
        organisation_id = None
        if org:
            organisation = organisation_by_slug(session, org)
            if organisation is None:
                raise click.ClickException(f"there is no organisation '{org}'")
            organisation_id = organisation.id
        writer = csv.writer(output)
        writer.writerow(EXPORT_COLUMNS)
        zone = bot.settings.rules().timezone
        start = since.replace(tzinfo=zone) if since else None
        for row in export_rows(session, organisation_id=organisation_id, since=start):
            writer.writerow(neutral_row(row))
