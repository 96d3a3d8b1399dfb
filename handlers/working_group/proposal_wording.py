"""The wording and look-ups that proposals, best practices and meetings share: labels, one line per
item, finding an item by its reference, and long text as platform-sized fields."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from sqlmodel import Session

from handlers.kit.errors import NotFound, UserError
from handlers.kit.i18n import _
from handlers.kit.replies import Button
from storage.models import Member, Milestone, Organisation, Proposal
from storage.queries.proposals import Tally, numbered, parse_reference
from storage.vocabulary import ProposalKind, ProposalStatus

UNDECIDED = (ProposalStatus.OPEN, ProposalStatus.UNDER_REVIEW)
FIELD_CHUNK = 1000  # fields stay under the smallest platform limit (Discord's 1024)
LISTED_TITLE = 80
_FIRST_WORD = re.compile(r"\s*(\S+)(.*)", re.DOTALL)


def score_label(tally: Tally) -> str:
    """`+2 (3 for, 1 against)`."""
    score = f"{tally.score:+d}" if tally.score else "0"
    return _("{score} ({votes_for} for, {votes_against} against)", score=score,
             votes_for=tally.votes_for, votes_against=tally.votes_against)  # fmt: skip


def status_label(status: str) -> str:
    return status.replace("_", " ")


def clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def tags_label(tags: str) -> str:
    return ", ".join(tag for tag in tags.split(",") if tag)


def item_line(proposal: Proposal, tally: Tally, *, with_status: bool = True) -> str:
    """`P-0002 · Flag repeat sellers · +2 (2 for, 0 against) · open · taobao, handbags`."""
    parts = [proposal.reference, clip(proposal.title, LISTED_TITLE), score_label(tally)]
    if with_status:
        parts.append(status_label(proposal.status))
    if proposal.tags:
        parts.append(tags_label(proposal.tags))
    return " · ".join(parts)


def member_label(member: Member | None) -> str:
    if member is None:
        return _("a former member")
    return member.display_name or f"{member.platform}:{member.user_id}"


def author_of(session: Session, proposal: Proposal) -> str:
    """`console:brand1 (ACME Corp)`; a team member without an organisation by name alone."""
    who = member_label(session.get(Member, proposal.member_id))
    organisation = session.get(Organisation, proposal.organisation_id) if proposal.organisation_id else None
    return _("{member} ({organisation})", member=who, organisation=organisation.name) if organisation else who


def find_item(session: Session, text: str, kind: ProposalKind, field: str = "ref", *, instead: str = "") -> Proposal:
    """A proposal (`P-0001`) or best practice (`BP-0001`) by its reference, or a clear refusal; a bare
    number (`3`) is of `kind`, the kind the command is about.

    An item of the other kind is refused, pointing to `instead`: the command for that kind with
    `{ref}` for its reference (`practices vote {ref} up`); with none, a best practice is said to be
    shared, not decided on."""
    reference = parse_reference(text)
    if reference is None:
        raise UserError(
            _("'{text}' is not a proposal or best practice reference.", text=text),
            hint=_("References look like P-0001 (proposals) or BP-0001 (best practices); `propose list` shows them."),
            field=field,
        )
    wanted = reference.kind or kind
    proposal = numbered(session, wanted, reference.number)
    if proposal is not None and wanted != kind:
        raise _other_kind(proposal.reference, wanted, instead, field)
    if proposal is None:
        practice = wanted == ProposalKind.PRACTICE
        ref = f"{'BP' if practice else 'P'}-{reference.number:04d}"
        raise NotFound(
            _("There is no best practice {ref}.", ref=ref) if practice else _("There is no proposal {ref}.", ref=ref),
            hint=_(
                "{listing} shows them with their references.",
                listing="`practices list`" if practice else "`propose list all`",
            ),
            field=field,
        )
    return proposal


def _other_kind(ref: str, kind: ProposalKind, instead: str, field: str) -> UserError:
    """The refusal of a reference to the kind of item the command is not about."""
    if instead and kind == ProposalKind.PROPOSAL:
        said = _("{ref} is a proposal: use `{command}`.", ref=ref, command=instead.format(ref=ref))
    elif instead:
        said = _("{ref} is a best practice: use `{command}`.", ref=ref, command=instead.format(ref=ref))
    elif kind == ProposalKind.PRACTICE:
        said = _("{ref} is a best practice: it is shared, not decided on.", ref=ref)
    else:
        said = _("{ref} is a proposal, not a best practice.", ref=ref)
    return UserError(said, field=field)


def split_word(text: str) -> tuple[str, str]:
    """The first word of `text` and the text after it exactly as written."""
    match = _FIRST_WORD.match(text)
    return (match.group(1), match.group(2)) if match else ("", "")


def meeting_label(meeting: Milestone, zone: ZoneInfo) -> str:
    """`Working-group call (2026-11-19)`."""
    return f"{meeting.title} ({meeting.at.astimezone(zone):%Y-%m-%d})"


def chunked(name: str, lines: list[str]) -> list[tuple[str, str]]:
    """Lines as one field, or several (`... (continued)`) where one would be too long."""
    fields: list[tuple[str, str]] = []
    chunk: list[str] = []
    for line in lines:
        if chunk and sum(len(part) + 1 for part in chunk) + len(line) > FIELD_CHUNK:
            fields.append((name if not fields else _("{name} (continued)", name=name), "\n".join(chunk)))
            chunk = []
        chunk.append(line[:FIELD_CHUNK])
    if chunk:
        fields.append((name if not fields else _("{name} (continued)", name=name), "\n".join(chunk)))
    return fields


def vote_command(proposal: Proposal) -> str:
    """`propose vote P-0001` or `practices vote BP-0001`: the command its members vote with."""
    return f"{command_word(ProposalKind(proposal.kind))} vote {proposal.reference}"


def command_word(kind: ProposalKind) -> str:
    """`propose` for proposals, `practices` for best practices: the word of their commands."""
    return "propose" if kind == ProposalKind.PROPOSAL else "practices"


def vote_buttons(proposal: Proposal) -> tuple[Button, ...]:
    vote = vote_command(proposal)
    return (Button(_("👍 For"), f"{vote} up"), Button(_("👎 Against"), f"{vote} down"))


def kind_label(proposal: Proposal) -> str:
    """`proposal` or `best practice`."""
    return _("proposal") if proposal.kind == ProposalKind.PROPOSAL else _("best practice")


def kind_title(proposal: Proposal) -> str:
    """`Proposal` or `Best practice`: the name of the field its text is shown in."""
    return _("Proposal") if proposal.kind == ProposalKind.PROPOSAL else _("Best practice")
