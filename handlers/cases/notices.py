"""How cases are described in notices: the team's case message and the brand's case thread."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.cases.link_parsing import ParsedLink
from handlers.kit.replies import Button, Notice, plural
from handlers.program.glossary import REASONS, bilingual_reason
from storage.models import Complaint, IPRight, Organisation
from storage.vocabulary import Channel, ComplaintStatus, ItemKind, NoticeKind, Platform, ReasonCode, org_channel

PREVIEW_ITEMS = 10

REASON_LABELS = {code: term.en for code, term in REASONS.items()}
TEAM_ACTIONS = (
    ("Removed", "removed", "primary"),
    ("Not removed", "not_removed", None),
    ("Not found", "not_found", None),
    ("Need info", "need_info", "danger"),
)


def describe_items(complaint: Complaint, count: int | None = None) -> str:
    """`40 Taobao listings`."""
    kind = "listing" if complaint.kind == ItemKind.LISTING else "storefront"
    noun = f"{Platform(complaint.platform).label} {kind}"
    return plural(count if count is not None else complaint.item_count, noun)


def describe_right(right: IPRight) -> str:
    return f"{right.kind} {right.mark} ({right.jurisdiction} {right.registration_number}, #{right.id})"


def describe_reason(complaint: Complaint, *, chinese: bool = False) -> str:
    """The reason as the member chose it, with its Chinese term for the team when asked."""
    code = ReasonCode(complaint.reason_code)
    label = bilingual_reason(code) if chinese else REASON_LABELS[code]
    return f"{label}: {complaint.reason_text}" if complaint.reason_text else label


def team_buttons(case: str) -> tuple[Button, ...]:
    """Outcomes for the whole case, and a form to choose items for cases with many."""
    whole_case = tuple(Button(label, f"outcome {case} all {word}", style) for label, word, style in TEAM_ACTIONS)
    return (*whole_case, Button("Per item…", f"outcome {case}"))


def case_opened_notices(
    complaint: Complaint, organisation: Organisation, right: IPRight, links: Sequence[ParsedLink], *, assignment: str
) -> list[Notice]:
    """The team's case message and the brand's. `assignment` ends the team's first sentence with
    where the case went, e.g. `, assigned to console:team1` (handlers.cases.routing)."""
    case = complaint.case_id
    preview = [f"{n}. {link.canonical_url}" for n, link in enumerate(links[:PREVIEW_ITEMS], start=1)]
    if len(links) > PREVIEW_ITEMS:
        preview.append(f"... and {len(links) - PREVIEW_ITEMS} more: case {case}")
    fields = (
        ("Organisation", organisation.name),
        ("IP right", describe_right(right)),
        ("Reason", describe_reason(complaint)),
        ("Items", "\n".join(preview)),
    )
    team_fields = (*fields[:2], ("Reason", describe_reason(complaint, chinese=True)), fields[3])
    return [
        Notice(
            channel=Channel.TEAM,
            case_id=case,
            kind=NoticeKind.CASE_OPENED,
            text=f"New case {case} from {organisation.name}: {describe_items(complaint)}{assignment}.",
            fields=team_fields,
            buttons=team_buttons(case),
        ),
        Notice(
            channel=org_channel(organisation.slug),
            case_id=case,
            kind=NoticeKind.CASE_OPENED,
            text=(
                f"Case {case} registered: {describe_items(complaint)}. The IACC/Alibaba team "
                "acts on it; outcomes are posted in this thread."
            ),
            fields=fields[1:],
        ),
    ]


def case_summary_notices(
    complaint: Complaint, organisation: Organisation, tally: str, assignee: str | None = None
) -> list[Notice]:
    """The case's first message in the team's and the brand's channel, as it stands now (the
    team's also names who the case is assigned to)."""
    case = complaint.case_id
    text = f"{case} · {complaint.status} · {organisation.name}: {describe_items(complaint)} ({tally})."
    team_text = f"{text} Assigned to {assignee}." if assignee else text
    still_open = complaint.status not in (ComplaintStatus.ACTIONED, ComplaintStatus.WITHDRAWN)
    return [
        Notice(
            channel=Channel.TEAM, case_id=case, kind=NoticeKind.CASE_SUMMARY, text=team_text,
            buttons=team_buttons(case) if still_open else (), replaces_case_message=True,
        ),
        Notice(
            channel=org_channel(organisation.slug), case_id=case, kind=NoticeKind.CASE_SUMMARY, text=text,
            replaces_case_message=True,
        ),
    ]  # fmt: skip


def case_actioned_notice(complaint: Complaint, organisation: Organisation, tally: str) -> Notice:
    """The `outcomes` feed's line for a case whose every item is decided."""
    return Notice(
        channel=Channel.OUTCOMES,
        kind=NoticeKind.CASE_ACTIONED,
        text=f"{complaint.case_id} ({organisation.name}, {describe_items(complaint)}) actioned: {tally}.",
    )


def cross_member_notice(organisation: Organisation, actor: str, links: Sequence[tuple[str, str]]) -> Notice:
    """For the team: links `organisation` reported that another organisation's open case holds,
    each with that case's id (never shown to the filer)."""
    shown = [f"- {link} (in {holder})" for link, holder in links[:20]]
    if len(links) > 20:
        shown.append(f"... and {len(links) - 20} more")
    return Notice(
        channel=Channel.TEAM,
        kind=NoticeKind.CROSS_MEMBER_DUPLICATE,
        text=(
            f"{organisation.name} ({actor}) reported {plural(len(links), 'link')} already in another "
            "organisation's open complaint; they were not filed twice."
        ),
        fields=(("Links", "\n".join(shown)),),
    )
