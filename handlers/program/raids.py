"""`raid`: civil-raid evidence that rights-holders submit so that Alibaba penalises the sellers.

Documents are kept only by their SHA-256 fingerprints (chain of custody). Each step, from
submission to the penalty, is posted in the raid's thread in the team's and the brand's channels.
"""

from __future__ import annotations

import re
from datetime import date

from sqlmodel import Session

from handlers.cases.link_parsing import ParsedLink, RejectedLink, UnresolvedLink, parse_link
from handlers.cases.storefront_rules import add_strike, closure_refusal
from handlers.kit.arguments import Args
from handlers.kit.audit_trail import record_change
from handlers.kit.context import Context
from handlers.kit.documents import ACCEPTED, CheckedDocument, check_documents
from handlers.kit.errors import NotFound, UserError
from handlers.kit.formatting import local_time
from handlers.kit.forms import Form, FormField, options_args, register_form, request_form
from handlers.kit.registry import command
from handlers.kit.replies import Button, Notice, Reply, plural
from storage.models import Member, Organisation, RaidEvidence, Storefront
from storage.queries import audit
from storage.queries.raids import add_raid, documents_of_raid, raid_by_id, storefronts_of_raid
from storage.vocabulary import (
    AuditEntity,
    Channel,
    ItemKind,
    NoticeKind,
    Platform,
    RaidStatus,
    StorefrontStatus,
    org_channel,
)

ACTIONS = ("show", "forward", "penalty", "decline")
PENALTIES = ("close", "strike")
NEXT: dict[RaidStatus, tuple[RaidStatus, ...]] = {
    RaidStatus.SUBMITTED: (RaidStatus.FORWARDED, RaidStatus.DECLINED),
    RaidStatus.FORWARDED: (RaidStatus.PENALTY_APPLIED, RaidStatus.DECLINED),
    RaidStatus.PENALTY_APPLIED: (),
    RaidStatus.DECLINED: (),
}
MAX_STOREFRONTS = 50
MAX_RAID_AGE_YEARS = 5
SHOW_AT_MOST = 20
_REFERENCE = re.compile(r"(?i)^(?:RAID-?)?0*(\d{1,9})$")
_SLACK_LINK = re.compile(r"<([^<>|\s]+)(?:\|[^<>]*)?>")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_STORE_HINT = "Paste only storefront links, one per line, e.g. https://shop123456.taobao.com."


@command("raid", summary="submit civil-raid evidence for seller penalties, and follow it")
def raid(ctx: Context, args: Args, session: Session) -> Reply:
    """raid raid_date=YYYY-MM-DD authority="..." case_number="..." [note="..."] <storefront links>
      with the raid's documents attached (on the console: file=PATH, once per file)
    raid show RAID-000001
    raid forward RAID-000001 [note="..."]                (team: sent on to Alibaba)
    raid penalty RAID-000001 close|strike [note="..."]   (team: the penalty Alibaba applied)
    raid decline RAID-000001 note="why"                  (team)
    Name 1 to 50 storefronts and attach 1 to 20 documents (PDF, PNG, JPEG, DOCX, XLSX, TXT or CSV,
    up to 20 MB each). Only each document's name, size, type and SHA-256 are kept: keep the
    originals; the SHA-256 proves they are the files you sent.
    Example: raid raid_date=2026-10-02 authority="Yiwu AMR" case_number="YW-2026-118" https://shop123456.taobao.com"""
    action = args.words[0].lower() if args.words else ""
    if action not in ACTIONS:
        return _submit(ctx, args, session)
    args.check_options(*(() if action == "show" else ("note",)))
    reference = args.word(1, "raid reference (e.g. RAID-000001)")
    if action == "show":
        return _show(ctx, session, load_raid(session, ctx, reference))
    ctx.require_staff("record penalties on raid evidence" if action == "penalty" else f"{action} raid evidence")
    note = args.note()
    if action == "decline" and not note:
        raise UserError('Say why the evidence is declined with note="...": the brand is told.', field="note")
    penalty = args.word(2, "penalty (close or strike)").lower() if action == "penalty" else ""
    if action == "penalty" and penalty not in PENALTIES:
        raise UserError(f"'{args.words[2]}' is not a raid penalty.", hint="Use close or strike.")
    evidence = load_raid(session, ctx, reference, for_update=True)
    if action == "penalty":
        return _penalty(ctx, session, evidence, penalty, note)
    return _forward_or_decline(ctx, session, evidence, action == "forward", note)


RAID_FORM = register_form(
    Form(
        command="raid", title="Submit raid evidence", submit="Submit",
        fields=(
            FormField("storefronts", "Storefront links", "multiline", placeholder="One store link per line, up to 50"),
            FormField("raid_date", "Raid date", "text", max_length=10, placeholder="YYYY-MM-DD"),
            FormField("authority", "Authority", "text", max_length=200, placeholder="e.g. Yiwu AMR"),
            FormField("case_number", "Authority's case number", "text", max_length=100),
            FormField("note", "Note", "text", optional=True, max_length=1000),
        ),
        to_args=lambda values: options_args(
            values.get("storefronts", "").split(), values, "raid_date", "authority", "case_number", "note"
        ),
    )
)  # fmt: skip


def load_raid(session: Session, ctx: Context, text: str, *, for_update: bool = False) -> RaidEvidence:
    """The evidence named (`RAID-000001`, `1`) if the caller may see it; others' read as missing."""
    match = _REFERENCE.match(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise UserError(f"'{text}' is not a raid reference.", hint="Raid references look like RAID-000001.")
    number = int(match.group(1))
    evidence = raid_by_id(session, number, for_update=for_update)
    if evidence is None or not (ctx.is_staff or evidence.organisation_id == ctx.organisation_id):
        raise NotFound(f"There is no raid evidence RAID-{number:06d} among your organisation's.")
    return evidence


def _submit(ctx: Context, args: Args, session: Session) -> Reply:
    args.check_options("raid_date", "authority", "case_number", "note")
    organisation = session.get(Organisation, ctx.require_organisation())
    assert organisation is not None and organisation.id is not None and ctx.member_id is not None
    if not args.words and not args.options and not ctx.attachments:
        return Reply(
            "Give the raid's storefronts, date, authority and case number, and attach its documents "
            f"({ACCEPTED}, up to 20 MB each). `help raid` shows an example.",
            form=request_form(RAID_FORM, ctx, session),
        )
    links = parse_storefronts(args.words)
    raid_date = parse_raid_date(args.option("raid_date"), ctx.today)
    authority = required_text(args, "authority", "the authority that carried out the raid", 2, 200)
    case_number = required_text(args, "case_number", "the authority's case number", 1, 100)
    note = args.note()
    documents = check_documents(ctx.attachments, what="document of the raid (its record, photos, inventory)")
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
    summary = (
        f"{plural(len(urls), 'storefront')}, {plural(len(documents), 'document')}, "
        f"{authority} case {case_number} of {raid_date}"
    )
    fields: tuple[tuple[str, str], ...] = (
        ("Storefronts", "\n".join(urls)),
        ("Documents (SHA-256)", "\n".join(d.describe() for d in documents)),
        *((("Note", note),) if note else ()),
    )
    reply = Reply(f"Raid evidence {ref} submitted: {summary}. The team is told; each step is posted in its thread.")
    reply.lines = ["Storefronts:", *urls, "Documents (keep the originals; the SHA-256 proves them):"]
    reply.lines += [d.describe() for d in documents]
    reply.notices = _thread(
        session, evidence, NoticeKind.RAID_SUBMITTED, f"Raid evidence {ref} from {organisation.name}: {summary}.",
        f"{ref} submitted: {summary}. The team forwards it to Alibaba; each step is posted here.",
        fields=fields, buttons=(Button("Forward to Alibaba", f"raid forward {ref}", "primary"),),
    )  # fmt: skip
    return reply


def parse_storefronts(words: list[str]) -> list[ParsedLink]:
    """Storefront links, one per word (Slack's `<url|label>` too), repeats dropped; every word
    that is not a storefront link is refused by name."""
    found: dict[tuple[str, str], ParsedLink] = {}
    refused: list[str] = []
    for word in _SLACK_LINK.sub(r"\1", " ".join(words)).split():
        link = parse_link(word)
        if isinstance(link, UnresolvedLink):
            refused.append(f"{link.original}: a short link cannot be resolved here; open it, paste the store's link")
        elif isinstance(link, RejectedLink):
            refused.append(link.reason if link.reason.startswith(link.original) else f"{word}: {link.reason}")
        elif link.key.kind is not ItemKind.STOREFRONT:
            refused.append(f"{link.original}: a listing, not a storefront")
        else:
            found.setdefault((link.key.platform, link.key.external_id), link)
    if refused:
        more = f"; and {len(refused) - SHOW_AT_MOST} more" if len(refused) > SHOW_AT_MOST else ""
        shown = "; ".join(refused[:SHOW_AT_MOST]) + more
        raise UserError(f"{plural(len(refused), 'link')} refused: {shown}.", hint=_STORE_HINT, field="storefronts")
    if not found:
        raise UserError("Name at least one storefront the raid concerns.", hint=_STORE_HINT, field="storefronts")
    if len(found) > MAX_STOREFRONTS:
        raise UserError(
            f"{len(found)} storefronts named; the limit is {MAX_STOREFRONTS} per submission.",
            hint="Submit the rest as a second raid evidence with the same documents.",
            field="storefronts",
        )
    return list(found.values())


def parse_raid_date(text: str | None, today: date) -> date:
    """A real YYYY-MM-DD date, not in the future and at most 5 years back."""
    if not text:
        raise UserError("Give the date of the raid as raid_date=YYYY-MM-DD.", field="raid_date")
    try:
        day = date.fromisoformat(text.strip()) if _DATE.fullmatch(text.strip()) else None
    except ValueError:
        day = None
    if day is None:
        raise UserError(f"'{text}' is not a date.", hint="Write it as YYYY-MM-DD, e.g. 2026-10-02.", field="raid_date")
    if day > today:
        raise UserError(f"The raid date {day} is in the future.", hint="Give the day of the raid.", field="raid_date")
    years = MAX_RAID_AGE_YEARS
    earliest = today.replace(year=today.year - years, day=28 if (today.month, today.day) == (2, 29) else today.day)
    if day < earliest:
        raise UserError(
            f"The raid date {day} is more than {years} years ago.",
            hint=f"Evidence is accepted from raids on or after {earliest}.",
            field="raid_date",
        )
    return day


def required_text(args: Args, name: str, what: str, shortest: int, longest: int) -> str:
    """A required text option, spaces tidied, of `shortest` to `longest` characters."""
    value = " ".join((args.options.get(name) or "").split())
    if not value:
        raise UserError(f'Give {what} as {name}="...".', field=name)
    if not shortest <= len(value) <= longest:
        raise UserError(f"{name}= is {plural(len(value), 'character')}; it takes {shortest} to {longest}.", field=name)
    return value


def _show(ctx: Context, session: Session, evidence: RaidEvidence) -> Reply:
    assert evidence.id is not None
    organisation = session.get(Organisation, evidence.organisation_id)
    submitter = session.get(Member, evidence.submitted_by_id)
    assert organisation is not None and submitter is not None
    zone = ctx.rules.timezone
    reply = Reply(f"{evidence.reference} · {evidence.status} · {organisation.name}")
    reply.fields = [
        ("Raid", f"{evidence.raid_date}, {evidence.authority} case {evidence.authority_case_number}"),
        ("Submitted", f"{local_time(evidence.created_at, zone)} by {submitter.platform}:{submitter.user_id}"),
    ]
    if evidence.decision_note:
        reply.fields.append(("Decision", evidence.decision_note))
    stores = storefronts_of_raid(session, evidence.id)
    documents = documents_of_raid(session, evidence.id)
    reply.lines = [f"Storefronts ({len(stores)}):", *(f"{s.canonical_url} · {s.status}" for s in stores)]
    reply.lines.append(f"Documents ({len(documents)}):")
    reply.lines += [CheckedDocument(d.name, d.size_bytes, d.sha256, d.media_type).describe() for d in documents]
    reply.lines.append("History:")
    for entry in audit.history(session, [(AuditEntity.RAID, [evidence.id])]):
        note = f" ({entry.note})" if entry.note else ""
        change = f"{entry.from_status or 'new'} -> {entry.to_status}"
        reply.lines.append(f"{local_time(entry.at, zone)} {entry.actor}: {change}{note}")
    return reply


def _move(session: Session, ctx: Context, evidence: RaidEvidence, target: RaidStatus, note: str | None) -> None:
    """Change the evidence's status if the step is allowed; refuse naming its status otherwise."""
    assert evidence.id is not None
    current = RaidStatus(evidence.status)
    if target not in NEXT[current]:
        allowed = " or ".join(NEXT[current]) or "nothing more: it is final"
        raise UserError(
            f"{evidence.reference} cannot become {target}: it is {current}.",
            hint=f"From {current} it can become {allowed}.",
        )
    evidence.status = target
    evidence.updated_at = ctx.now
    if target in (RaidStatus.PENALTY_APPLIED, RaidStatus.DECLINED):
        evidence.decision_note = note
    session.add(evidence)
    session.flush()
    record_change(
        session, ctx, AuditEntity.RAID, evidence.id, "status", from_status=current, to_status=target, note=note
    )


def _thread(
    session: Session,
    evidence: RaidEvidence,
    kind: NoticeKind,
    team: str,
    brand: str,
    *,
    fields: tuple[tuple[str, str], ...] = (),
    buttons: tuple[Button, ...] = (),
) -> list[Notice]:
    """The same step told in the raid's thread in the team's channel and in the brand's."""
    organisation = session.get(Organisation, evidence.organisation_id)
    assert organisation is not None
    ref = evidence.reference
    return [
        Notice(channel=Channel.TEAM, case_id=ref, kind=kind, text=team, fields=fields, buttons=buttons),
        Notice(channel=org_channel(organisation.slug), case_id=ref, kind=kind, text=brand, fields=fields),
    ]


def _forward_or_decline(
    ctx: Context, session: Session, evidence: RaidEvidence, forward: bool, note: str | None
) -> Reply:
    _move(session, ctx, evidence, RaidStatus.FORWARDED if forward else RaidStatus.DECLINED, note)
    ref, because = evidence.reference, f": {note}" if note else "."
    if not forward:
        reply = Reply(f"{ref} is declined; the brand is told why.")
        reply.notices = _thread(
            session,
            evidence,
            NoticeKind.RAID_DECLINED,
            f"{ref} declined by {ctx.caller.ref}{because}",
            f"{ref} was declined{because}",
        )
        return reply
    reply = Reply(f"{ref} is forwarded to Alibaba; the brand is told.")
    reply.notices = _thread(
        session, evidence, NoticeKind.RAID_FORWARDED, f"{ref} forwarded to Alibaba by {ctx.caller.ref}{because}",
        f"{ref} was forwarded to Alibaba for seller penalties{because}",
        buttons=tuple(Button(f"Penalty: {word}", f"raid penalty {ref} {word}") for word in PENALTIES),
    )  # fmt: skip
    return reply


def _penalty(ctx: Context, session: Session, evidence: RaidEvidence, penalty: str, note: str | None) -> Reply:
    _move(session, ctx, evidence, RaidStatus.PENALTY_APPLIED, note)
    assert evidence.id is not None
    ref, because = evidence.reference, f": {note}" if note else "."
    stores = storefronts_of_raid(session, evidence.id)
    if penalty == "close":
        lines = [_close(session, ctx, store, ref) for store in stores]
        done = f"{plural(len(stores), 'storefront')} closed (permanently banned)"
    else:
        lines = [_strike(session, ctx, store, ref, note) for store in stores]
        done = f"a strike against each of {plural(len(stores), 'storefront')}"
    reply = Reply(f"{ref}: penalty applied, {done}.", lines=lines)
    reply.notices = _thread(
        session, evidence, NoticeKind.RAID_PENALTY, f"{ref}: penalty applied by {ctx.caller.ref}, {done}{because}",
        f"{ref}: Alibaba applied the penalty, {done}{because}", fields=(("Storefronts", "\n".join(lines)),),
    )  # fmt: skip
    closed = [line.removesuffix(" · closed") for line in lines if line.endswith(" · closed")]
    if closed:
        text = f"Storefronts closed on raid evidence {ref}."
        fields = (("Storefronts", "\n".join(closed)),)
        reply.notices.append(
            Notice(channel=Channel.OUTCOMES, kind=NoticeKind.STOREFRONT_CLOSED, text=text, fields=fields)
        )
    return reply


def _close(session: Session, ctx: Context, store: Storefront, ref: str) -> str:
    """Close a storefront the accepted evidence names; its line for the reply."""
    assert store.id is not None
    why_not = closure_refusal(session, ctx, store)
    if why_not:
        return f"{store.canonical_url} · not closed: {why_not}"
    before = store.status
    store.status, store.closed_at, store.closed_by = StorefrontStatus.CLOSED, ctx.now, ctx.caller.ref
    session.add(store)
    note = f"raid evidence {ref}"
    record_change(
        session, ctx, AuditEntity.STOREFRONT, store.id, "status", from_status=before, to_status=store.status, note=note
    )
    return f"{store.canonical_url} · closed"


def _strike(session: Session, ctx: Context, store: Storefront, ref: str, note: str | None) -> str:
    """A strike against a storefront the accepted evidence names; its line for the reply."""
    assert store.id is not None
    why = (f"raid evidence {ref}" + (f": {note}" if note else ""))[:1000]
    strikes = add_strike(session, ctx, store, None, why)
    record_change(session, ctx, AuditEntity.STOREFRONT, store.id, "strike", note=why)
    threshold = ctx.rules.strike_threshold(Platform(store.platform))
    return f"{store.canonical_url} · {plural(strikes, 'active strike')} (closes at {threshold})"
