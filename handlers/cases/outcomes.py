"""`outcome`: the team records what happened to each listing or storefront of a case."""

from __future__ import annotations

from dataclasses import replace

from sqlmodel import Session

from handlers.cases.case_view import CASE, load_case
from handlers.cases.item_changes import CaseChange, already_there, case_tally, change_items, set_complaint_status
from handlers.cases.notices import case_actioned_notice, case_summary_notices
from handlers.cases.routing import assignee_label
from handlers.cases.storefront_rules import strike_storefronts
from handlers.cases.transitions import MANUAL_COMPLAINT_STATUSES, refusal
from handlers.kit.arguments import Args, parse_selection
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.formatting import items_label
from handlers.kit.forms import Choice, Form, FormField, options_args, register_form, request_form
from handlers.kit.local_time import local_time
from handlers.kit.registry import command
from handlers.kit.replies import Notice, Reply
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
        title="Record an outcome",
        submit="Record",
        fields=(
            FormField("case", "Case", "text", max_length=20, placeholder="MS-000123"),
            FormField("items", "Items", "text", max_length=500, placeholder="all, or 1,3,5-9"),
            FormField(
                "outcome",
                "Outcome",
                "select",
                choices=tuple(Choice(w, w.replace("_", " ")) for w in VOCABULARY.split(", ")),
            ),
            FormField("note", "Note", "text", optional=True, max_length=1000),
        ),
        to_args=lambda values: options_args(
            [values.get("case", ""), values.get("items") or "all", values.get("outcome", "")], values, "note"
        ),
    )
)


# Without a case the outcome form opens, so the case is optional here.
@command("outcome", summary="record outcomes for items of a case (team)", options=(replace(CASE, required=False),))
def outcome(ctx: Context, args: Args, session: Session) -> Reply:
    """outcome MS-000123 <all | items> <outcome> [note="..."]
    outcome MS-000123 need_info note="what the team needs"
    Item outcomes: removed, not_removed, not_found, counter_notice (the seller appealed a
    removal; up to 3 rounds), upheld (the removal stands), reinstated (the appeal won),
    no_proof_shown (a luxury listing whose seller showed no proof: a removal).
    Case outcomes: need_info (returns the case to the brand), in_review.
    With `all`, every item that can take the outcome takes it.
    Example: outcome MS-000123 1-5,8 removed"""
    ctx.require_staff("record outcomes")
    args.check_options("note")
    if len(args.words) <= 1:
        initial = {"items": "all"} | ({"case": args.words[0]} if args.words else {})
        return Reply(
            "Say the case, the items and the outcome, e.g. outcome MS-000123 1-3 removed.",
            form=request_form(OUTCOME_FORM, ctx, session, initial),
        )
    complaint = load_case(session, ctx, args.words[0], field="case", for_update=True)
    words = [word.lower() for word in args.words[1:]]
    if len(words) == 1:
        words.insert(0, "all")
    if len(words) != 2:
        raise UserError(
            'Say which items and which outcome, e.g. outcome MS-000123 1-3 removed; put any comment in note="...".',
            hint=f"Outcomes: {VOCABULARY}.",
        )
    selection_text, word = words
    note = args.note()
    if word in CASE_OUTCOMES:
        if selection_text != "all":
            raise UserError(f"{word} applies to the whole case.", hint=f'outcome {complaint.case_id} {word} note="..."')
        return _case_outcome(ctx, session, complaint, CASE_OUTCOMES[word], note)
    if word not in ITEM_OUTCOMES:
        raise UserError(f"'{word}' is not an outcome.", hint=f"Use one of: {VOCABULARY}.", field="outcome")
    target = ITEM_OUTCOMES[word]
    if word == "no_proof_shown":
        if complaint.reason_code != ReasonCode.NO_PROOF:
            raise UserError(
                f"no_proof_shown is only for complaints filed with reason=no_proof under Taobao's luxury rule; "
                f"{complaint.case_id} was filed for {complaint.reason_code}.",
                hint="Record removed if the listing was taken down.",
                field="outcome",
            )
        note = note or "seller showed no proof of authenticity"
    assert complaint.id is not None
    selection = parse_selection(selection_text, complaint.item_count, field="items")
    items = _items_that_can_take(session, ctx, complaint, selection, target)
    change = change_items(session, ctx, complaint, items, target, note)
    reply = Reply(
        f"{complaint.case_id}: {items_label(change.positions)} {'is' if len(change.positions) == 1 else 'are'} "
        f"now {target}; "
        f"the case is {change.complaint_to}."
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
        per_item = "; ".join(f"item {position}: {why}" for position, why in refusals.items() if why)
        raise UserError(f"Nothing was recorded: {per_item}.", field="items")
    if not allowed:
        reasons = "; ".join(sorted({why for why in refusals.values() if why}))
        raise UserError(f"No item of {complaint.case_id} can become {target}: {reasons}.", field="items")
    return allowed


def _case_outcome(
    ctx: Context, session: Session, complaint: Complaint, status: ComplaintStatus, note: str | None
) -> Reply:
    if complaint.status not in MANUAL_COMPLAINT_STATUSES:
        raise UserError(
            f"{complaint.case_id} is {complaint.status}: only a case with no decided item can be {status}.",
            hint=f"Talk to the brand with `case {complaint.case_id} reply <message>`.",
        )
    set_complaint_status(session, ctx, complaint, status, note)
    organisation = session.get(Organisation, complaint.organisation_id)
    assert organisation is not None
    reply = Reply(f"{complaint.case_id} is now {status}.")
    because = f" ({note})" if note else ""
    reply.notices.append(
        Notice(
            channel=Channel.TEAM,
            case_id=complaint.case_id,
            kind=NoticeKind.CASE_STATUS,
            text=f"{ctx.caller.ref}: the case is now {status}{because}.",
        )
    )
    tally = case_tally(session, complaint)
    reply.notices.extend(case_summary_notices(complaint, organisation, tally, assignee_label(session, complaint)))
    if status is ComplaintStatus.RETURNED:
        asked = note or "The team needs more information about this case."
        reply.notices.append(
            Notice(
                channel=org_channel(organisation.slug),
                case_id=complaint.case_id,
                kind=NoticeKind.CASE_RETURNED,
                text=(
                    f"The team returned {complaint.case_id} for more information: {asked} "
                    f"Answer with `case {complaint.case_id} reply <message>`."
                ),
            )
        )
    return reply


def _outcome_notices(
    ctx: Context, session: Session, complaint: Complaint, change: CaseChange, target: ItemStatus, note: str | None
) -> list[Notice]:
    organisation = session.get(Organisation, complaint.organisation_id)
    assert organisation is not None
    case = complaint.case_id
    items = items_label(change.positions)
    because = f" ({note})" if note else ""
    notices = [
        Notice(
            channel=Channel.TEAM,
            case_id=case,
            kind=NoticeKind.OUTCOME,
            text=f"{ctx.caller.ref}: {items} {target}{because}.",
        ),
        Notice(
            channel=org_channel(organisation.slug),
            case_id=case,
            kind=NoticeKind.OUTCOME,
            text=f"Outcome for {case}: {items} {target}{because}; the case is {change.complaint_to}.",
        ),
    ]
    for appeal in change.appeals:
        notices.append(
            Notice(
                channel=org_channel(organisation.slug),
                case_id=case,
                kind=NoticeKind.COUNTER_NOTICE,
                text=(
                    f"The seller appealed a removal in {case} (round {appeal.round}). Respond by "
                    f"{local_time(appeal.due_at, ctx.rules.timezone)} or the item may be reinstated."
                ),
            )
        )
    if change.newly_actioned:
        notices.append(case_actioned_notice(complaint, organisation, change.tally))
    notices.extend(case_summary_notices(complaint, organisation, change.tally, assignee_label(session, complaint)))
    return notices
