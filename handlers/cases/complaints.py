"""`complaint`: file links to counterfeit listings or storefronts, pasted or in a CSV file."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from handlers.cases.filing import FilingOutcome, FilingRequest, file_links
from handlers.cases.link_parsing import ParsedLink, extract_links, parse_link
from handlers.cases.notices import REASON_LABELS
from handlers.kit.arguments import Args, parse_enum, parse_platform
from handlers.kit.context import Context
from handlers.kit.csv_files import read_csv
from handlers.kit.errors import NotFound, UserError
from handlers.kit.forms import Choice, Form, FormField, options_args, register_form, request_form
from handlers.kit.registry import Option, OptionKind, command
from handlers.kit.replies import Reply, plural
from storage.models import IPRight, Organisation
from storage.queries.members import rights_of, usable_rights
from storage.vocabulary import Platform, ReasonCode, RightStatus

SHOW_AT_MOST = 15
LUXURY_RULE = "reason=no_proof (Taobao's luxury rule) applies to Taobao listings only"


@command(
    "complaint", summary="file links to counterfeit listings or storefronts",
    options=(
        Option("right", "the IP right the complaint relies on", OptionKind.RIGHT, keyword=True),
        Option("platform", "the marketplace (found from the links when left out)", OptionKind.PLATFORM, keyword=True),
        Option("reason", "why the listings infringe (counterfeit when left out)", OptionKind.REASON, keyword=True),
    ),
)  # fmt: skip
def complaint(ctx: Context, args: Args, session: Session) -> Reply:
    """complaint [right=<id>] [reason=<code>] [note="..."] [platform=<name>] <links>
    Paste any number of links (text around them is fine) or attach a CSV file with a `link`
    column. Each platform and kind (listing or storefront) becomes its own complaint, at most
    300 items each. reason is one of counterfeit (default), trademark_misuse, copyright, patent,
    other (other needs a note). right can be left out when your organisation has one verified
    right.
    Example: complaint right=3 reason=counterfeit https://item.taobao.com/item.htm?id=123"""
    args.check_options("right", "reason", "note", "platform")
    organisation_id = ctx.require_organisation()
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None and ctx.member_id is not None
    if not args.words and not args.options and not ctx.attachments:
        if not usable_rights(session, organisation_id, ctx.today):
            raise UserError(
                f"{organisation.name} has no verified IP right yet, so there is nothing to file a complaint on.",
                hint="An admin must verify one of its rights first: `admin right verify <id>`.",
            )
        return Reply(
            "Paste the links after `complaint`, or attach a CSV file with a `link` column. "
            "`help complaint` shows every option.",
            form=request_form(COMPLAINT_FORM, ctx, session, {"reason": ReasonCode.COUNTERFEIT}),
        )
    reason = parse_enum(ReasonCode, args.option("reason") or "counterfeit", "reason code", field="reason")
    note = args.note()
    if reason is ReasonCode.OTHER and not note:
        raise UserError('reason=other needs a note saying what the problem is, e.g. note="..."', field="note")
    platform = parse_platform(args.options["platform"], field="platform") if args.option("platform") else None
    right = choose_right(session, organisation_id, args.option("right"), ctx.today)
    if reason is ReasonCode.NO_PROOF:
        platform = _luxury_rule(right, platform)
    text, rows_without_links = _links_text(ctx, args)
    request = FilingRequest(
        organisation=organisation,
        member_id=ctx.member_id,
        right=right,
        reason=reason,
        note=note,
        text=text,
        platform=platform,
        listings_only=reason is ReasonCode.NO_PROOF,
        platform_rule=LUXURY_RULE if reason is ReasonCode.NO_PROOF else None,
    )
    outcome = file_links(session, ctx, request)
    found = outcome.complaints or outcome.merged or outcome.flagged or outcome.unresolved or outcome.rejected
    if not (found or rows_without_links):
        raise UserError(
            "I found no marketplace links in your message.",
            hint="Paste full links, e.g. https://item.taobao.com/item.htm?id=123, or attach a CSV file.",
            field="links",
        )
    reply = filing_reply(outcome)
    for name, refused in rows_without_links.items():
        _list_section(reply, f"{plural(len(refused), 'row')} of {name} hold no link", refused)
    return reply


def _links_text(ctx: Context, args: Args) -> tuple[str, dict[str, list[str]]]:
    """The pasted text minus the options, plus the links of any attached CSV file; and, per
    file, each row whose `link` cell holds no link, by line and why (no row goes unanswered)."""
    parts = [" ".join(args.words)]
    rows_without_links: dict[str, list[str]] = {}
    for attachment in ctx.attachments:
        for row in read_csv(attachment.content, attachment.name, required=("link",)):
            cell = row.values.get("link", "")
            found = extract_links(cell)
            if found.parsed or found.unresolved or found.rejected:
                parts.append(cell)
                continue
            verdict = parse_link(cell)
            # A cell no link is found in is refused whole, so it names no link to file.
            assert not isinstance(verdict, ParsedLink)
            rows_without_links.setdefault(attachment.name, []).append(f"line {row.line}: {verdict.reason}")
    return "\n".join(parts), rows_without_links


def _luxury_rule(right: IPRight, platform: Platform | None) -> Platform:
    """Taobao's rule for luxury goods: a seller who cannot show an invoice or the brand's
    authorisation loses the listing. It applies to Taobao listings of a right marked luxury."""
    if not right.luxury:
        raise UserError(
            f"reason=no_proof applies to luxury brands, and IP right #{right.id} ({right.mark}) is not marked luxury.",
            hint="An admin marks it with `admin right luxury <id> yes`.",
            field="reason",
        )
    if platform not in (None, Platform.TAOBAO):
        raise UserError(f"{LUXURY_RULE}.", field="platform")
    return Platform.TAOBAO


def choose_right(session: Session, organisation_id: int, chosen: str | None, today: date) -> IPRight:
    """The verified, unexpired right a complaint relies on, or a refusal that lists the usable ones."""
    usable = usable_rights(session, organisation_id, today)
    listing = "; ".join(f"#{r.id} {r.kind} {r.mark} ({r.jurisdiction} {r.registration_number})" for r in usable)
    if chosen is None:
        if len(usable) == 1:
            return usable[0]
        if not usable:
            raise UserError(
                "Your organisation has no verified, unexpired IP right to file under.",
                hint="Ask an admin to add and verify one: `admin right add ...`.",
                field="right",
            )
        raise UserError(
            "Your organisation has several IP rights: choose one with right=<id>.",
            hint=f"Usable: {listing}.",
            field="right",
        )
    wanted = chosen.lstrip("#")
    for right in rights_of(session, organisation_id):
        if str(right.id) == wanted or right.registration_number.lower() == wanted.lower():
            if right.status == RightStatus.PENDING:
                raise UserError(
                    f"IP right #{right.id} is still pending verification.",
                    hint=f"Usable: {listing or 'none yet'}.",
                    field="right",
                )
            if right.status == RightStatus.EXPIRED or (right.expires_on and right.expires_on < today):
                raise UserError(
                    f"IP right #{right.id} expired on {right.expires_on}.",
                    hint=f"Usable: {listing or 'none'}.",
                    field="right",
                )
            return right
    raise NotFound(
        f"Your organisation has no IP right '{chosen}'.", hint=f"Usable: {listing or 'none yet'}.", field="right"
    )


def _right_choices(ctx: Context, session: Session) -> list[Choice]:
    if ctx.organisation_id is None:
        return []
    return [
        Choice(str(right.id), f"{right.mark} · {right.kind} {right.jurisdiction} {right.registration_number}")
        for right in usable_rights(session, ctx.organisation_id, ctx.today)
    ]


COMPLAINT_FORM = register_form(
    Form(
        command="complaint",
        title="File a complaint",
        submit="File",
        fields=(
            FormField("right", "IP right", "select", choices_for=_right_choices),
            FormField("links", "Links", "multiline", placeholder="Listing or storefront links, any text around them"),
            FormField(
                "reason", "Reason", "select", choices=tuple(Choice(c.value, REASON_LABELS[c]) for c in ReasonCode)
            ),
            FormField(
                "platform",
                "Platform",
                "select",
                optional=True,
                choices=tuple(Choice(p.value, p.label) for p in Platform),
            ),
            FormField(
                "note", "Note", "text", optional=True, max_length=1000, placeholder="Required when the reason is other"
            ),
        ),
        to_args=lambda values: options_args(
            values.get("links", "").split(), values, "right", "reason", "platform", "note"
        ),
    )
)


def filing_reply(outcome: FilingOutcome) -> Reply:
    """What was registered, merged, flagged, held and rejected, in that order."""
    if outcome.complaints:
        cases = ", ".join(
            f"{c.case_id} ({plural(c.item_count, c.platform.label + ' ' + c.kind)})" for c in outcome.complaints
        )
        reply = Reply(f"Registered {plural(outcome.registered, 'item')} in {cases}.")
    else:
        reply = Reply("Nothing new was registered.")
    reply.notices.extend(outcome.notices)
    sections: list[tuple[str, list[str]]] = [
        ("merged as duplicates", [f"{link}: {why}" for link, why in outcome.merged]),
        ("already in another member's open complaint: flagged to the team, not filed twice",
         [link for link, _ in outcome.flagged]),
        ("held: short links cannot be resolved here; open each one and paste the full link",
         [link.original for link in outcome.unresolved]),
        ("rejected", [f"{link.original}: {link.reason}" for link in outcome.rejected]),
    ]  # fmt: skip
    for title, entries in sections:
        if entries:
            _list_section(reply, f"{plural(len(entries), 'link')} {title}", entries)
    return reply


def _list_section(reply: Reply, title: str, entries: list[str]) -> None:
    reply.lines.append(f"{title}:")
    reply.lines.extend(f"  - {entry}" for entry in entries[:SHOW_AT_MOST])
    if len(entries) > SHOW_AT_MOST:
        reply.lines.append(f"  ... and {len(entries) - SHOW_AT_MOST} more")
