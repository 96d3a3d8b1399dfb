"""`raid submit` (also `raid` with the raid's details): rights-holders submit civil-raid evidence.

Only each document's name, size, type and SHA-256 are kept (see handlers/kit/documents).
"""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session

from handlers.cases.link_parsing import ParsedLink, RejectedLink, UnresolvedLink, parse_link
from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.documents import RAID_EVIDENCE, check_documents
from handlers.kit.errors import UserError
from handlers.kit.forms import Form, FormField, options_args, register_form, request_form
from handlers.kit.i18n import N_, _, ngettext
from handlers.kit.registry import Option, OptionKind, command
from handlers.kit.replies import Button, Reply
from handlers.program.raids import NOTE, thread
from storage.models import Organisation
from storage.queries.raids import add_raid
from storage.vocabulary import AuditEntity, ItemKind, NoticeKind, RaidStatus

MAX_STOREFRONTS = 50
MAX_RAID_AGE_YEARS = 5
SHOW_AT_MOST = 20
_SLACK_LINK = re.compile(r"<([^<>|\s]+)(?:\|[^<>]*)?>")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
STORE_HINT = N_("Paste only storefront links, one per line, e.g. https://shop123456.taobao.com.")


AUTHORITY = N_("the authority that carried out the raid")
CASE_NUMBER = N_("the authority's case number")


@command(
    "raid submit", summary=N_("submit civil-raid evidence for seller penalties"), default=True,
    options=(
        Option("raid_date", N_("the day of the raid, YYYY-MM-DD"), required=True, keyword=True),
        Option("authority", AUTHORITY, required=True, keyword=True),
        Option("case_number", CASE_NUMBER, required=True, keyword=True),
        NOTE,
        Option("storefronts", N_("1 to 50 storefront links"), OptionKind.TEXT, required=True),
    ),
)  # fmt: skip
def raid_submit(ctx: Context, args: Args, session: Session) -> Reply:
    """raid submit raid_date=YYYY-MM-DD authority="..." case_number="..." [note="..."] <storefront links>
      with the raid's documents attached (on the console: file=PATH, once per file)
    Name 1 to 50 storefronts and attach 1 to 20 documents (PDF, PNG, JPEG, DOCX, XLSX, TXT or CSV,
    up to 20 MB each). Only each document's name, size, type and SHA-256 are kept: keep the
    originals; the SHA-256 proves they are the files you sent. The word submit may be left out;
    `raid` alone opens a form.
    Example: raid raid_date=2026-10-02 authority="Yiwu AMR" case_number="YW-2026-118" https://shop123456.taobao.com"""
    args.check_options("raid_date", "authority", "case_number", "note")
    organisation = session.get(Organisation, ctx.require_organisation())
    assert organisation is not None and organisation.id is not None and ctx.member_id is not None
    if not args.words and not args.options and not ctx.attachments:
        return Reply(
            _(
                "Give the raid's storefronts, date, authority and case number, and attach its documents "
                "({accepted}). `help raid` shows an example.",
                accepted=RAID_EVIDENCE.accepted_each(),
            ),
            form=request_form(RAID_FORM, ctx, session),
        )
    links = parse_storefronts(args.words)
    raid_date = parse_raid_date(args.option("raid_date"), ctx.today)
    authority = required_text(args, "authority", AUTHORITY, 2, 200)
    case_number = required_text(args, "case_number", CASE_NUMBER, 1, 100)
    note = args.note()
    documents = check_documents(
        ctx.attachments, RAID_EVIDENCE, what=N_("document of the raid (its record, photos, inventory)")
    )
    stores: dict[str, dict[str, str]] = {}
    for link in links:
        stores.setdefault(link.key.platform, {})[link.key.external_id] = link.canonical_url
    evidence = add_raid(
        session, organisation_id=organisation.id, member_id=ctx.member_id, raid_date=raid_date,
        authority=authority, case_number=case_number, storefronts=stores,
        documents=[(d.name, d.size, d.sha256, d.media_type) for d in documents], now=ctx.now,
    )  # fmt: skip
    assert evidence.id is not None
    record_change(session, ctx, AuditEntity.RAID, evidence.id, "status", to_status=RaidStatus.SUBMITTED, note=note)
    ref, urls = evidence.reference, [link.canonical_url for link in links]

    def summary() -> str:
        return _(
            "{storefronts}, {documents}, {raid}",
            storefronts=ngettext("{count} storefront", "{count} storefronts", len(urls)),
            documents=ngettext("{count} document", "{count} documents", len(documents)),
            raid=_("{authority} case {case_number} of {day}", authority=authority, case_number=case_number,
                   day=raid_date.isoformat()),
        )  # fmt: skip

    def fields() -> tuple[tuple[str, str], ...]:
        return (
            (_("Storefronts"), "\n".join(urls)),
            (_("Documents (SHA-256)"), "\n".join(d.describe() for d in documents)),
            *(((_("Note"), note),) if note else ()),
        )

    reply = Reply(
        _(
            "Raid evidence {reference} submitted: {summary}. The team is told; each step is posted in its thread.",
            reference=ref, summary=summary(),
        )
    )  # fmt: skip
    reply.lines = [_("Storefronts:"), *urls, _("Documents (keep the originals; the SHA-256 proves them):")]
    reply.lines += [d.describe() for d in documents]
    reply.notices = thread(
        session, evidence, NoticeKind.RAID_SUBMITTED,
        lambda: _("Raid evidence {reference} from {organisation}: {summary}.", reference=ref,
                  organisation=organisation.name, summary=summary()),
        lambda: _("{reference} submitted: {summary}. The team forwards it to Alibaba; each step is posted here.",
                  reference=ref, summary=summary()),
        fields=fields, buttons=lambda: (Button(_("Forward to Alibaba"), f"raid forward {ref}", "primary"),),
    )  # fmt: skip
    return reply


RAID_FORM = register_form(
    Form(
        command="raid", title=N_("Submit raid evidence"), submit=N_("Submit"),
        fields=(
            FormField("storefronts", N_("Storefront links"), "multiline",
                      placeholder=N_("One store link per line, up to 50")),
            FormField("raid_date", N_("Raid date"), "text", max_length=10, placeholder="YYYY-MM-DD"),
            FormField("authority", N_("Authority"), "text", max_length=200, placeholder=N_("e.g. Yiwu AMR")),
            FormField("case_number", N_("Authority's case number"), "text", max_length=100),
            FormField("note", N_("Note"), "text", optional=True, max_length=1000),
        ),
        to_args=lambda values: options_args(
            values.get("storefronts", "").split(), values, "raid_date", "authority", "case_number", "note"
        ),
    )
)  # fmt: skip


def parse_storefronts(words: list[str]) -> list[ParsedLink]:
    """Storefront links, one per word (Slack's `<url|label>` too), repeats dropped; every word
    that is not a storefront link is refused by name."""
    found: dict[tuple[str, str], ParsedLink] = {}
    refused: list[str] = []
    for word in _SLACK_LINK.sub(r"\1", " ".join(words)).split():
        link = parse_link(word)
        if isinstance(link, UnresolvedLink):
            refused.append(
                _("{link}: a short link cannot be resolved here; open it, paste the store's link", link=link.original)
            )
        elif isinstance(link, RejectedLink):
            refused.append(
                link.reason if link.reason.startswith(link.original) else _("{link}: {why}", link=word, why=link.reason)
            )
        elif link.key.kind is not ItemKind.STOREFRONT:
            refused.append(_("{link}: a listing, not a storefront", link=link.original))
        else:
            found.setdefault((link.key.platform, link.key.external_id), link)
    if refused:
        shown = "; ".join(refused[:SHOW_AT_MOST])
        if len(refused) > SHOW_AT_MOST:
            shown = _("{shown}; and {count} more", shown=shown, count=len(refused) - SHOW_AT_MOST)
        raise UserError(
            ngettext("{count} link refused: {shown}.", "{count} links refused: {shown}.", len(refused), shown=shown),
            hint=_(STORE_HINT),
            field="storefronts",
        )
    if not found:
        raise UserError(_("Name at least one storefront the raid concerns."), hint=_(STORE_HINT), field="storefronts")
    if len(found) > MAX_STOREFRONTS:
        raise UserError(
            _(
                "{count} storefronts named; the limit is {limit} per submission.",
                count=len(found),
                limit=MAX_STOREFRONTS,
            ),
            hint=_("Submit the rest as a second raid evidence with the same documents."),
            field="storefronts",
        )
    return list(found.values())


def parse_raid_date(text: str | None, today: date) -> date:
    """A real YYYY-MM-DD date, not in the future and at most 5 years back."""
    if not text:
        raise UserError(_("Give the date of the raid as raid_date=YYYY-MM-DD."), field="raid_date")
    try:
        day = date.fromisoformat(text.strip()) if _DATE.fullmatch(text.strip()) else None
    except ValueError:
        day = None
    if day is None:
        raise UserError(
            _("'{text}' is not a date.", text=text),
            hint=_("Write it as YYYY-MM-DD, e.g. 2026-10-02."),
            field="raid_date",
        )
    if day > today:
        raise UserError(
            _("The raid date {day} is in the future.", day=day.isoformat()),
            hint=_("Give the day of the raid."),
            field="raid_date",
        )
    years = MAX_RAID_AGE_YEARS
    earliest = today.replace(year=today.year - years, day=28 if (today.month, today.day) == (2, 29) else today.day)
    if day < earliest:
        raise UserError(
            _("The raid date {day} is more than {years} years ago.", day=day.isoformat(), years=years),
            hint=_("Evidence is accepted from raids on or after {day}.", day=earliest.isoformat()),
            field="raid_date",
        )
    return day


def required_text(args: Args, name: str, what: str, shortest: int, longest: int) -> str:
    """A required text option, spaces tidied, of `shortest` to `longest` characters."""
    value = " ".join((args.options.get(name) or "").split())
    if not value:
        raise UserError(_('Give {what} as {option}="...".', what=_(what), option=name), field=name)
    if not shortest <= len(value) <= longest:
        raise UserError(
            ngettext(
                "{option}= is {count} character; it takes {shortest} to {longest}.",
                "{option}= is {count} characters; it takes {shortest} to {longest}.",
                len(value), option=name, shortest=shortest, longest=longest,
            ),
            field=name,
        )  # fmt: skip
    return value
