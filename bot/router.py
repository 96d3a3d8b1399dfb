"""The router: every platform's input becomes an `Incoming`, and every outcome a `Reply`.

It resolves who the caller is, checks the command's roles, runs the handler in one transaction
with the notices it produces, and turns every failure into a reply: a user's mistake into its
explanation, anything unexpected into a reference id that is also in the log.
"""

from __future__ import annotations

import difflib
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from bot import metrics
from bot.logs import REFERENCE, request_reference
from handlers.catalogue import COMMAND_WORDS, GROUPS, resolve, subcommands, top_words
from handlers.kit.arguments import Args
from handlers.kit.context import Attachment, Caller, Context, ProgramRules
from handlers.kit.errors import UserError
from handlers.kit.i18n import _, current_language, in_language, reader_language, set_program_language
from handlers.kit.outbox import save_notices
from handlers.kit.replies import Reply
from handlers.threads import thread_command
from storage.database import Database, WroteWhileReading
from storage.models import utcnow
from storage.queries.members import Identity, identity_of, member_language, settings_admin_record
from storage.queries.requests import claim_request, earlier_reply, record_reply
from storage.vocabulary import Role

log = logging.getLogger(__name__)
PREFIX = "/marketsafe"


def _unexpected(reference: str) -> str:
    return _(
        "Something went wrong on our side (reference {reference}). Nothing was changed; please try again, or "
        "give the team this reference.",
        reference=reference,
    )


def _database_unavailable(reference: str) -> str:
    return _(
        "The bot cannot reach its database right now (reference {reference}). Nothing was changed; please try "
        "again in a minute.",
        reference=reference,
    )


@dataclass(frozen=True, slots=True)
class Incoming:
    """One command from any platform: who sent it, its text after `/marketsafe`, and where.

    A form hands its values over already parsed in `args`; `text` then holds the command word.
    `request_key` identifies the platform request, so a retried one changes nothing twice.
    """

    caller: Caller
    text: str
    channel: str | None = None
    thread: str | None = None
    attachments: tuple[Attachment, ...] = ()
    request_key: str | None = None
    args: Args | None = None
    # The platform's locale for the caller (`zh-CN`), used when they have not chosen a language.
    locale: str | None = None


@dataclass(frozen=True, slots=True)
class ThreadMessage:
    """A person's message in a thread on a chat platform: the platform's ids of the channel, of
    the thread's first message and of the author, and what they wrote.

    `author_name` is asked only when the message is acted on: on Slack a name costs an API call,
    and most thread messages are people talking among themselves.
    """

    platform: str
    channel_ref: str
    thread_ref: str
    author: str
    text: str
    request_key: str | None = None
    author_name: Callable[[], str | None] = lambda: None


Work = Callable[[Context, Session], Reply]


class Router:
    def __init__(
        self,
        database: Database,
        rules: ProgramRules,
        admins: frozenset[str],
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.database = database
        self.rules = replace(rules, admins=rules.admins | admins)
        self.admins = self.rules.admins
        self.clock = clock
        set_program_language(rules.language)

    def handle(self, incoming: Incoming) -> Reply:
        """Run one command; never raises."""
        text = strip_prefix(incoming.text) or "help"
        resolved = resolve(text)
        if resolved is None:
            metrics.command_finished("unknown", "refused")
            language = self.language_of(incoming.caller, incoming.locale)
            with in_language(language):
                # A NUL in the command word (`cases\0`) is refused as anywhere else, not taken for a typo.
                unknown = _nul_refusal() if _has_nul(incoming) else self._unknown(text)
            unknown.language = language
            return unknown
        spec, rest = resolved.spec, resolved.rest

        def work(ctx: Context, session: Session) -> Reply:
            spec.check_role(ctx)
            args = incoming.args if incoming.args is not None else Args.parse(rest)
            return spec.handler(ctx, args, session)

        return self.run(incoming, spec.word, work, reads_only=spec.reads_only)

    def thread_message(self, message: ThreadMessage) -> Reply | None:
        """Run what a message in one of the bot's threads stands for (`handlers.threads`), as its
        author; None when it stands for nothing."""
        with self.database.transaction() as session:
            command = thread_command(session, message.platform, message.channel_ref, message.thread_ref, message.text)
        if command is None:
            return None
        incoming = Incoming(
            caller=Caller(message.platform, message.author, message.author_name()),
            text=command.text,
            channel=message.channel_ref,
            thread=command.thread,
            request_key=message.request_key,
            args=command.args,
        )
        reply = self.handle(incoming)
        if reply.is_error:
            log.info("message in %s thread not relayed: %s", command.reference, reply.text)
        return reply

    def run(self, incoming: Incoming, what: str, work: Work, *, reads_only: bool = False) -> Reply:
        """Run `work` for the caller in one transaction with the notices it produces; never raises.
        Work that `reads_only` runs in a transaction never committed, with no record of its request.

        A uniqueness conflict may mean a concurrent command wrote first what this one was about to
        write; nothing of this one was kept, so it runs once more and answers from what the other
        one wrote (e.g. "already accepted") instead of failing. A conflict on that second run is no
        race but a row the command does not check for: it fails, logged once with its traceback.

        Every log line written meanwhile carries one reference, the one a failure shows the user.
        """
        # The platform's locale until the caller's own choice is read (in their context).
        with request_reference(), in_language(reader_language(None, incoming.locale, self.rules.language)):
            reply, outcome = self._run_counted(incoming, what, work, reads_only)
            # What was written before the caller's choice could be read is in their locale's language.
            reply.language = reply.language or current_language()
        metrics.command_finished(what, outcome)
        return reply

    def _run_counted(self, incoming: Incoming, what: str, work: Work, reads_only: bool) -> tuple[Reply, str]:
        """The reply, and how the command ended: ok, refused (the caller's mistake) or error."""
        if _has_nul(incoming):
            return _nul_refusal(), "refused"
        attempt = _Attempt()
        try:
            reply = self._run_raced(incoming, what, work, reads_only, attempt)
            return reply, "refused" if reply.is_error else "ok"
        except IntegrityError:
            failure = "uniqueness conflict again on the second run: the command does not check for this row itself"
            return _failure(failure, what, incoming, _unexpected, attempt), "error"
        except OperationalError:
            return _failure("database unavailable", what, incoming, _database_unavailable, attempt), "error"
        except Exception:
            return _failure("command failed", what, incoming, _unexpected, attempt), "error"

    def _run_raced(self, incoming: Incoming, what: str, work: Work, reads_only: bool, attempt: _Attempt) -> Reply:
        """Run `work`, once more after a uniqueness conflict: a concurrent command may have written
        the row first, and run again this one answers from it. A second conflict is raised as is."""
        try:
            try:
                return self._run_once(incoming, work, reads_only, attempt)
            except _FirstSeen:  # a settings admin's identity is written first: run it as any other
                return self._run_once(incoming, work, False, attempt)
        except IntegrityError as conflict:
            first = _constraint(conflict)
        # Run again outside the handler of the first conflict, so that a second one is not logged chained to it.
        reply = self._run_once(incoming, work, reads_only, attempt)
        log.info("uniqueness conflict on the first run (%s), none on the second: a concurrent command wrote first: "
                 "command=%s", first, what)  # fmt: skip
        return reply

    def _run_once(self, incoming: Incoming, work: Work, reads_only: bool, attempt: _Attempt) -> Reply:
        """Run `work` in one transaction; a user's mistake becomes its explanation, anything else is raised.
        The reply carries the caller's language (see `Reply.language`), and so does `attempt` once it is read."""
        language: str | None = None
        try:
            with self.database.reading() if reads_only else self.database.transaction() as session:
                key = None if reads_only else incoming.request_key
                if key is not None:
                    earlier = earlier_reply(session, key)
                    if earlier is not None:
                        return Reply(earlier or _("That request was already handled."))
                    claim_request(session, key, self.clock())
                ctx = self.context_for(session, incoming, may_write=not reads_only)
                language = attempt.language = ctx.language
                with in_language(language):
                    reply = work(ctx, session)
                if reads_only and reply.notices:
                    raise WroteWhileReading("a command that reads only has notices to post")
                save_notices(session, reply.notices, ctx.now)
                if key is not None:
                    record_reply(session, key, reply.text)
            reply.language = language
            return reply
        except UserError as error:
            return Reply(str(error), is_error=True, error_field=error.field, language=language)

    def _unknown(self, text: str) -> Reply:
        written = text.split()
        word = written[0].lower()
        if word in GROUPS:
            return Reply(_missing_sub_command(written), is_error=True)
        if word in COMMAND_WORDS:
            return Reply(_("`{word}` is not available in this version of the bot yet.", word=word), is_error=True)
        close = difflib.get_close_matches(word, top_words(), n=1)
        said = _("There is no command '{word}'.", word=word[:40])
        hint = _("Did you mean `{word}`?", word=close[0]) if close else ""
        return Reply(" ".join(filter(None, [said, hint, _("`help` lists the commands.")])), is_error=True)

    def language_of(self, caller: Caller, locale: str | None = None) -> str:
        """A caller's language outside a command's context: their choice, else their locale, else the program's."""
        try:
            with self.database.transaction() as session:
                return self.language_in(session.connection(), caller, locale)
        except OperationalError:
            return reader_language(None, locale, self.rules.language)

    def language_in(self, connection: Connection, caller: Caller, locale: str | None = None) -> str:
        """`language_of`, read in the caller's transaction."""
        chosen = member_language(connection, caller.platform, caller.user_id)
        return reader_language(chosen, locale, self.rules.language)

    def context_for(self, session: Session, incoming: Incoming, *, may_write: bool = True) -> Context:
        """The caller's context: membership, role, now.

        Admins named in the settings are admins while they are named: their role in this context is
        admin, and nothing about it is written, so removing a name from the settings takes the role
        away again and their membership (organisation, role) is as it was.
        """
        caller = incoming.caller
        unchosen = reader_language(None, incoming.locale, self.rules.language)
        listed = caller.ref in self.admins
        found = identity_of(session, caller.platform, caller.user_id)
        if found is None and listed:
            if not may_write:
                raise _FirstSeen
            found = self._listed_admin(session, caller)
        elif found is not None and not found.active and not listed:
            found = None
        active = found is not None and found.active
        role = Role.ADMIN if listed else (found.role if found else None)
        return Context(
            caller=caller,
            now=self.clock(),
            rules=self.rules,
            member_id=found.member_id if found else None,
            organisation_id=found.organisation_id if found and active else None,
            organisation_slug=found.organisation_slug if found and active else None,
            role=role,
            channel=incoming.channel,
            thread=incoming.thread,
            attachments=incoming.attachments,
            request_key=incoming.request_key,
            language=reader_language(found.language if found else None, incoming.locale, self.rules.language),
            unchosen_language=unchosen,
        )

    @staticmethod
    def _listed_admin(session: Session, caller: Caller) -> Identity:
        """A settings admin seen for the first time: an identity on record (for the audit log and
        for what they file), inactive and with no role of its own, so it grants nothing once the
        settings no longer name it."""
        member = settings_admin_record(session, caller.platform, caller.user_id)
        assert member.id is not None
        return Identity(member.id, member.role, member.active, None, None, None)


class _FirstSeen(Exception):
    """A settings admin not on record yet, in a transaction that may not write them down."""


@dataclass(slots=True)
class _Attempt:
    """What running a command learnt before it failed: the caller's language, once read."""

    language: str | None = None


def _nul_refusal() -> Reply:
    return Reply(
        _("That message contains a NUL character (\\0), which cannot be stored. Remove it and send it again."),
        is_error=True,
    )


def _constraint(conflict: IntegrityError) -> str:
    """The database's one-line account of a uniqueness conflict (which constraint, which row)."""
    return str(conflict.orig).splitlines()[0] if str(conflict.orig) else type(conflict.orig).__name__


def _has_nul(incoming: Incoming) -> bool:
    """A NUL character: PostgreSQL refuses it in text, so it is refused before anything runs."""
    parts = [incoming.text]
    if incoming.args is not None:
        parts += [incoming.args.text, *incoming.args.words, *incoming.args.options.values()]
    return any("\x00" in part for part in parts)


def _missing_sub_command(written: list[str]) -> str:
    """What to say when the words name a group (`store`, `admin org`) but none of its sub-commands."""
    words = tuple(word.lower() for word in written)
    below = subcommands(words[0])
    depth = 1  # how many words name a known group: `admin org frobnicate` stops at `admin org`
    while depth < len(words) and any(
        len(spec.path) > depth + 1 and spec.path[: depth + 1] == words[: depth + 1] for spec in below
    ):
        depth += 1
    parent = " ".join(words[:depth])
    names = ", ".join(dict.fromkeys(spec.path[depth] for spec in below if spec.path[:depth] == words[:depth]))
    said = (
        _("'{word}' is not a sub-command of `{parent}`.", word=written[depth][:40], parent=parent)
        if depth < len(written)
        else _("`{parent}` needs a sub-command.", parent=parent)
    )
    return " ".join([said, _("Use one of: {names}. `help {parent}` shows each.", names=names, parent=parent)])


def _failure(what: str, word: str, incoming: Incoming, message: Callable[[str], str], attempt: _Attempt) -> Reply:
    """Log an unexpected failure (with its traceback) under a reference the user is shown, in the
    caller's language when it was read before the failure (else their platform locale's)."""
    reference = REFERENCE.get() or "-"
    log.exception("%s ref=%s command=%s caller=%s", what, reference, word, incoming.caller.ref)
    language = attempt.language or current_language()
    with in_language(language):
        return Reply(message(reference), is_error=True, language=language)


def strip_prefix(text: str) -> str:
    stripped = text.strip()
    if stripped.lower().startswith(PREFIX):
        stripped = stripped[len(PREFIX) :].strip()
    return stripped
