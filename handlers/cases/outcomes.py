"""`outcome`: the team records what happened to each listing or storefront of a case."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlmodel import Session

from handlers.cases.case_view import CASE, load_case
from handlers.cases.item_changes import (
    CaseChange,
    already_there,
    case_already,
    case_tally,
    change_items,
    set_complaint_status,
)
from handlers.cases.notices import case_actioned_notice, case_summary_notices
from handlers.cases.routing import assignee_label
from handlers.cases.storefront_rules import strike_storefronts
from handlers.cases.transitions import MANUAL_COMPLAINT_STATUSES, refusal
from handlers.kit.arguments import Args, parse_selection
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.formatting import items_label
from handlers.kit.forms import Choice, Form, FormField, options_args, register_form, request_form
from handlers.kit.i18n import N_, _, current_language, localized, ngettext
from handlers.kit.local_time import local_time
from handlers.kit.registry import command
from handlers.kit.replies import Notice, Reply
from handlers.program.glossary import outcome_label
from storage.models import Complaint, ComplaintItem, Organisation
from storage.queries.cases import items_of
from storage.vocabulary import Channel, ComplaintStatus, ItemKind, ItemStatus, NoticeKind, ReasonCode, org_channel

ITEM_OUTCOMES = {
    "removed": ItemStatus.REMOVED,
    "not_removed": ItemStatus.NOT_REMOVED,
    "not_found": ItemStatus.NOT_FOUND,
    # Taobao's luxury rule: the seller showed no invoice or authorisation, so the listing goes.
    "no_proof_shown": ItemStatus.REMOVED,
    "counter_notice": ItemStatus.COUNTER_NOTICE,
    "upheld": ItemStatus.UPHELD,
    "reinstated": ItemStatus.REINSTATED,
}
CASE_OUTCOMES = {"need_info": ComplaintStatus.RETURNED, "in_review": ComplaintStatus.IN_REVIEW}
VOCABULARY = ", ".join([*ITEM_OUTCOMES, *CASE_OUTCOMES])
OUTCOME_FORM = register_form(
    Form(
        command="outcome",
        title=N_("Record an outcome"),
        submit=N_("Record"),
        fields=(
            FormField("case", N_("Case"), "text", max_length=20, placeholder="MS-000123"),
            FormField("items", N_("Items"), "text", max_length=500, placeholder=N_("all, or 1,3,5-9")),
            FormField("outcome", N_("Outcome"), "select", choices_for=lambda ctx, session: _outcome_choices()),
            FormField("note", N_("Note"), "text", optional=True, max_length=1000),
        ),
        to_args=lambda values: options_args(
            [values.get("case", ""), values.get("items") or "all", values.get("outcome", "")], values, "note"
        ),
    )
)


def _outcome_choices() -> list[Choice]:
    """The outcome words, each with the glossary's term in the reader's language."""
    return [Choice(word, outcome_label(word, current_language())) for word in VOCABULARY.split(", ")]


# Without a case the outcome form opens, so the case is optional here.
@command(
    "outcome", summary=N_("record outcomes for items of a case (team)"), options=(replace(CASE, required=False),),
    action=N_("record outcomes"),
)  # fmt: skip
def outcome(ctx: Context, args: Args, session: Session) -> Reply:
    """outcome MS-000123 <all | items> <outcome> [note="..."]
    outcome MS-000123 need_info note="what the team needs"
    Item outcomes: removed, not_removed, not_found, counter_notice (the seller appealed a
    removal; up to 3 rounds), upheld (the removal stands), reinstated (the appeal won),
    no_proof_shown (a luxury listing whose seller showed no proof: a removal).
    Case outcomes: need_info (returns the case to the brand), in_review.
    With `all`, every item that can take the outcome takes it.
    Example: outcome MS-000123 1-5,8 removed"""
    ctx.require_staff(N_("record outcomes"))
    args.check_options("note")
    if len(args.words) <= 1:
        initial = {"items": "all"} | ({"case": args.words[0]} if args.words else {})
        return Reply(
            _("Say the case, the items and the outcome, e.g. outcome MS-000123 1-3 removed."),
            form=request_form(OUTCOME_FORM, ctx, session, initial),
        )
    complaint = load_case(session, ctx, args.words[0], field="case", for_update=True)
    words = [word.lower() for word in args.words[1:]]
    if len(words) == 1:
        words.insert(0, "all")
    if len(words) != 2:
        raise UserError(
            _('Say which items and which outcome, e.g. outcome MS-000123 1-3 removed; put any comment in note="...".'),
            hint=_("Outcomes: {words}.", words=VOCABULARY),
        )
    selection_text, word = words
    note = args.note()
    if word in CASE_OUTCOMES:
        if selection_text != "all":
            raise UserError(
                _("{word} applies to the whole case.", word=word), hint=f'outcome {complaint.case_id} {word} note="..."'
            )
        return _case_outcome(ctx, session, complaint, CASE_OUTCOMES[word], note)
    if word not in ITEM_OUTCOMES:
        raise UserError(
            _("'{word}' is not an outcome.", word=word), hint=_("Use one of: {allowed}.", allowed=VOCABULARY),
            field="outcome",
        )  # fmt: skip
    target = ITEM_OUTCOMES[word]
    if word == "no_proof_shown":
        if complaint.reason_code != ReasonCode.NO_PROOF:
            raise UserError(
                _(
                    "no_proof_shown is only for complaints filed with reason=no_proof under Taobao's luxury rule; "
                    "{case} was filed for {reason}.",
                    case=complaint.case_id,
                    reason=complaint.reason_code,
                ),
                hint=_("Record removed if the listing was taken down."),
                field="outcome",
            )
        # Stored and shown as written, like a note the team typed: the program's record is in English.
        note = note or "seller showed no proof of authenticity"
    assert complaint.id is not None
    selection = parse_selection(selection_text, complaint.item_count, field="items")
    items = _items_that_can_take(session, ctx, complaint, selection, target)
    change = change_items(session, ctx, complaint, items, target, note)
    reply = Reply(
        ngettext(
            "{case}: {items} is now {status}; the case is {case_status}.",
            "{case}: {items} are now {status}; the case is {case_status}.",
            len(change.positions),
            case=complaint.case_id,
            items=items_label(change.positions),
            status=target,
            case_status=change.complaint_to,
        )
    )
    if (
        complaint.kind == ItemKind.STOREFRONT
        and target is ItemStatus.REMOVED
        and complaint.reason_code == ReasonCode.COUNTERFEIT
    ):
        reply.lines.extend(strike_storefronts(session, ctx, items, note))
    reply.notices.extend(_outcome_notices(ctx, session, complaint, change, target, note))
    return reply


def _items_that_can_take(
    session: Session, ctx: Context, complaint: Complaint, selection: list[int] | None, target: ItemStatus
) -> list[ComplaintItem]:
    assert complaint.id is not None
    items = items_of(session, complaint.id, selection)
    refusals = {item.position: refusal(item.status, target, item.counter_rounds) for item in items}
    allowed = [item for item in items if refusals[item.position] is None]
    repeated = None if allowed else already_there(session, ctx, complaint, items, target)
    if repeated is not None:
        raise UserError(repeated, field="items")
    if selection is not None and len(allowed) < len(items):
        per_item = "; ".join(
            _("item {position}: {why}", position=position, why=why) for position, why in refusals.items() if why
        )
        raise UserError(_("Nothing was recorded: {items}.", items=per_item), field="items")
    if not allowed:
        reasons = "; ".join(sorted({why for why in refusals.values() if why}))
        raise UserError(
            _("No item of {case} can become {status}: {reasons}.", case=complaint.case_id, status=target,
              reasons=reasons),
            field="items",
        )  # fmt: skip
    return allowed


def _case_outcome(
    ctx: Context, session: Session, complaint: Complaint, status: ComplaintStatus, note: str | None
) -> Reply:
    if complaint.status not in MANUAL_COMPLAINT_STATUSES:
        raise UserError(
            _(
                "{case} is {status}: only a case with no decided item can be {target}.",
                case=complaint.case_id,
                status=complaint.status,
                target=status,
            ),
            hint=_("Talk to the brand with `case {case} reply <message>`.", case=complaint.case_id),
        )
    # The case row is locked: a second click waits for the first, then finds its status here.
    if complaint.status == status:
        raise UserError(case_already(session, ctx, complaint, status, note))
    set_complaint_status(session, ctx, complaint, status, note)
    organisation = session.get(Organisation, complaint.organisation_id)
    assert organisation is not None
    reply = Reply(_("{case} is now {status}.", case=complaint.case_id, status=status))
    because = f" ({note})" if note else ""
    reply.notices.append(
        localized(
            lambda: Notice(
                channel=Channel.TEAM,
                case_id=complaint.case_id,
                kind=NoticeKind.CASE_STATUS,
                text=_("{who}: the case is now {status}{because}.", who=ctx.caller.ref, status=status, because=because),
            )
        )
    )
    tally = case_tally(session, complaint)
    reply.notices.extend(case_summary_notices(complaint, organisation, tally, assignee_label(session, complaint)))
    if status is ComplaintStatus.RETURNED:

        def returned() -> Notice:
            asked = note or _("The team needs more information about this case.")
            return Notice(
                channel=org_channel(organisation.slug),
                case_id=complaint.case_id,
                kind=NoticeKind.CASE_RETURNED,
                text=_(
                    "The team returned {case} for more information: {asked} Answer with `case {case} reply <message>`.",
                    case=complaint.case_id,
                    asked=asked,
                ),
            )

        reply.notices.append(localized(returned))
    return reply


def _outcome_notices(
    ctx: Context, session: Session, complaint: Complaint, change: CaseChange, target: ItemStatus, note: str | None
) -> list[Notice]:
    organisation = session.get(Organisation, complaint.organisation_id)
    assert organisation is not None
    case = complaint.case_id
    because = f" ({note})" if note else ""
    brand = org_channel(organisation.slug)
    notices = [
        localized(
            lambda: Notice(
                channel=Channel.TEAM,
                case_id=case,
                kind=NoticeKind.OUTCOME,
                text=f"{ctx.caller.ref}: {items_label(change.positions)} {target}{because}.",
            )
        ),
        localized(
            lambda: Notice(
                channel=brand,
                case_id=case,
                kind=NoticeKind.OUTCOME,
                text=_(
                    "Outcome for {case}: {items} {status}{because}; the case is {case_status}.",
                    case=case,
                    items=items_label(change.positions),
                    status=target,
                    because=because,
                    case_status=change.complaint_to,
                ),
            )
        ),
    ]
    for appeal in change.appeals:

        def appealed(round_number: int = appeal.round, due_at: datetime = appeal.due_at) -> Notice:
            return Notice(
                channel=brand,
                case_id=case,
                kind=NoticeKind.COUNTER_NOTICE,
                text=_(
                    "The seller appealed a removal in {case} (round {round}). Respond by {due} or the item may be "
                    "reinstated.",
                    case=case,
                    round=round_number,
                    due=local_time(due_at, ctx.rules.timezone),
                ),
            )

        notices.append(localized(appealed))
    if change.newly_actioned:
        notices.append(case_actioned_notice(complaint, organisation, change.tally))
    notices.extend(case_summary_notices(complaint, organisation, change.tally, assignee_label(session, complaint)))
    return notices
