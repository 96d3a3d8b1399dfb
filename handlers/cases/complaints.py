"""`complaint`: file links to counterfeit listings or storefronts, pasted or in a CSV file."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlmodel import Session

from handlers.cases.filing import FilingOutcome, FilingRequest, file_links
from handlers.cases.link_parsing import ParsedLink, extract_links, parse_link
from handlers.kit.arguments import Args, parse_enum, parse_platform
from handlers.kit.context import Context
from handlers.kit.csv_files import read_csv
from handlers.kit.errors import NotFound, UserError
from handlers.kit.forms import Choice, Form, FormField, options_args, register_form, request_form
from handlers.kit.i18n import N_, _, current_language, ngettext
from handlers.kit.registry import Option, OptionKind, command
from handlers.kit.replies import Reply
from handlers.program.glossary import reason_label
from storage.models import IPRight, Organisation
from storage.queries.members import rights_of, usable_rights
from storage.vocabulary import Platform, ReasonCode, RightStatus

SHOW_AT_MOST = 15
LUXURY_RULE = N_("reason=no_proof (Taobao's luxury rule) applies to Taobao listings only")


@command(
    "complaint", summary=N_("file links to counterfeit listings or storefronts"),
    options=(
        Option("right", N_("the IP right the complaint relies on"), OptionKind.RIGHT, keyword=True),
        Option("platform", N_("the marketplace (found from the links when left out)"), OptionKind.PLATFORM,
               keyword=True),
        Option("reason", N_("why the listings infringe (counterfeit when left out)"), OptionKind.REASON, keyword=True),
    ),
)  # fmt: skip
def complaint(ctx: Context, args: Args, session: Session) -> Reply:
    """complaint [right=<id>] [reason=<code>] [note="..."] [platform=<name>] <links>
    Paste any number of links (text around them is fine) or attach a CSV file with a `link`
    column. Each platform and kind (listing or storefront) becomes its own complaint, at most
    300 items each. reason is one of counterfeit (default), trademark_misuse, copyright, patent,
    no_proof (Taobao's luxury rule: Taobao listings of a right marked luxury whose seller shows no
    proof of authenticity), other (other needs a note). right can be left out when your
    organisation has one verified right.
    Example: complaint right=3 reason=counterfeit https://item.taobao.com/item.htm?id=123"""
    args.check_options("right", "reason", "note", "platform")
    organisation_id = ctx.require_organisation()
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None and ctx.member_id is not None
    if not args.words and not args.options and not ctx.attachments:
        return complaint_form(ctx, session)
    reason = parse_enum(
        ReasonCode, args.option("reason") or "counterfeit", N_("'{text}' is not a reason code."), field="reason"
    )
    note = args.note()
    if reason is ReasonCode.OTHER and not note:
        raise UserError(_('reason=other needs a note saying what the problem is, e.g. note="..."'), field="note")
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
            _("I found no marketplace links in your message."),
            hint=_("Paste full links, e.g. https://item.taobao.com/item.htm?id=123, or attach a CSV file."),
            field="links",
        )
    reply = filing_reply(outcome)
    for name, refused in rows_without_links.items():
        title = ngettext("{count} row of {file} holds no link", "{count} rows of {file} hold no link", len(refused),
                         file=name)  # fmt: skip
        _list_section(reply, title, refused)
    return reply


def complaint_form(ctx: Context, session: Session, links: str = "") -> Reply:
    """The complaint form, with `links` filled in; the explanation instead when the caller's
    organisation has no verified right to file under."""
    organisation_id = ctx.require_organisation()
    organisation = session.get(Organisation, organisation_id)
    assert organisation is not None
    if not usable_rights(session, organisation_id, ctx.today):
        raise UserError(
            _(
                "{organisation} has no verified IP right yet, so there is nothing to file a complaint on.",
                organisation=organisation.name,
            ),
            hint=_("An admin must verify one of its rights first: `admin right verify <id>`."),
        )
    initial = {"reason": ReasonCode.COUNTERFEIT.value, **({"links": links} if links else {})}
    return Reply(
        _(
            "Paste the links after `complaint`, or attach a CSV file with a `link` column. "
            "`help complaint` shows every option."
        ),
        form=request_form(COMPLAINT_FORM, ctx, session, initial),
    )


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
            said = _("line {line}: {reason}", line=row.line, reason=verdict.reason)
            rows_without_links.setdefault(attachment.name, []).append(said)
    return "\n".join(parts), rows_without_links


def _luxury_rule(right: IPRight, platform: Platform | None) -> Platform:
    """Taobao's rule for luxury goods: a seller who cannot show an invoice or the brand's
    authorisation loses the listing. It applies to Taobao listings of a right marked luxury."""
    if not right.luxury:
        raise UserError(
            _(
                "reason=no_proof applies to luxury brands, and IP right #{id} ({mark}) is not marked luxury.",
                id=right.id,
                mark=right.mark,
            ),
            hint=_("An admin marks it with `admin right luxury <id> yes`."),
            field="reason",
        )
    if platform not in (None, Platform.TAOBAO):
        raise UserError(f"{_(LUXURY_RULE)}.", field="platform")
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
                _("Your organisation has no verified, unexpired IP right to file under."),
                hint=_("Ask an admin to add and verify one: `admin right add ...`."),
                field="right",
            )
        raise UserError(
            _("Your organisation has several IP rights: choose one with right=<id>."),
            hint=_("Usable: {rights}.", rights=listing),
            field="right",
        )
    wanted = chosen.lstrip("#")
    for right in rights_of(session, organisation_id):
        if str(right.id) == wanted or right.registration_number.lower() == wanted.lower():
            if right.status == RightStatus.PENDING:
                raise UserError(
                    _("IP right #{id} is still pending verification.", id=right.id),
                    hint=_("Usable: {rights}.", rights=listing or _("none yet")),
                    field="right",
                )
            if right.status == RightStatus.EXPIRED or (right.expires_on and right.expires_on < today):
                raise UserError(
                    _("IP right #{id} expired on {day}.", id=right.id, day=right.expires_on),
                    hint=_("Usable: {rights}.", rights=listing or _("none")),
                    field="right",
                )
            return right
    raise NotFound(
        _("Your organisation has no IP right '{right}'.", right=chosen),
        hint=_("Usable: {rights}.", rights=listing or _("none yet")),
        field="right",
    )


def _right_choices(ctx: Context, session: Session) -> list[Choice]:
    if ctx.organisation_id is None:
        return []
    return [
        Choice(str(right.id), f"{right.mark} · {right.kind} {right.jurisdiction} {right.registration_number}")
        for right in usable_rights(session, ctx.organisation_id, ctx.today)
    ]


def _reason_choices(ctx: Context, session: Session) -> list[Choice]:
    """The reasons in the glossary's terms for the reader's language."""
    return [Choice(code.value, reason_label(code, current_language())) for code in ReasonCode]


COMPLAINT_FORM = register_form(
    Form(
        command="complaint",
        title=N_("File a complaint"),
        submit=N_("File"),
        fields=(
            FormField("right", N_("IP right"), "select", choices_for=_right_choices),
            FormField(
                "links", N_("Links"), "multiline", placeholder=N_("Listing or storefront links, any text around them")
            ),
            FormField("reason", N_("Reason"), "select", choices_for=_reason_choices),
            FormField(
                "platform",
                N_("Platform"),
                "select",
                optional=True,
                choices=tuple(Choice(p.value, p.label) for p in Platform),
            ),
            FormField(
                "note",
                N_("Note"),
                "text",
                optional=True,
                max_length=1000,
                placeholder=N_("Required when the reason is other"),
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
        cases = ", ".join(f"{c.case_id} ({_case_items(c.item_count, c.platform, c.kind)})" for c in outcome.complaints)
        reply = Reply(
            ngettext("Registered {count} item in {cases}.", "Registered {count} items in {cases}.",
                     outcome.registered, cases=cases)
        )  # fmt: skip
    else:
        reply = Reply(_("Nothing new was registered."))
    reply.notices.extend(outcome.notices)
    sections: list[tuple[Callable[[int], str], list[str]]] = [
        (lambda n: ngettext("{count} link merged as duplicates", "{count} links merged as duplicates", n),
         [f"{link}: {why}" for link, why in outcome.merged]),
        (lambda n: ngettext(
            "{count} link already in another member's open complaint: flagged to the team, not filed twice",
            "{count} links already in another member's open complaint: flagged to the team, not filed twice", n),
         [link for link, _why in outcome.flagged]),
        (lambda n: ngettext(
            "{count} link held: short links cannot be resolved here; open each one and paste the full link",
            "{count} links held: short links cannot be resolved here; open each one and paste the full link", n),
         [link.original for link in outcome.unresolved]),
        (lambda n: ngettext("{count} link rejected", "{count} links rejected", n),
         [f"{link.original}: {link.reason}" for link in outcome.rejected]),
    ]  # fmt: skip
    for title, entries in sections:
        if entries:
            _list_section(reply, title(len(entries)), entries)
    return reply


def _case_items(count: int, platform: Platform, kind: str) -> str:
    """`40 Taobao listings`, `1 AliExpress storefront`."""
    if kind == "storefront":
        return ngettext(
            "{count} {platform} storefront", "{count} {platform} storefronts", count, platform=platform.label
        )
    return ngettext("{count} {platform} listing", "{count} {platform} listings", count, platform=platform.label)


def _list_section(reply: Reply, title: str, entries: list[str]) -> None:
    reply.lines.append(f"{title}:")
    reply.lines.extend(f"  - {entry}" for entry in entries[:SHOW_AT_MOST])
    if len(entries) > SHOW_AT_MOST:
        reply.lines.append("  " + _("... and {count} more", count=len(entries) - SHOW_AT_MOST))
