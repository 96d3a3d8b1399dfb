"""How cases are described in notices: the team's case message and the brand's case thread."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from handlers.cases.link_parsing import ParsedLink
from handlers.kit.i18n import N_, Localized, _, current_language, localized, ngettext
from handlers.kit.replies import Button, Notice
from handlers.program.glossary import REASONS, bilingual_reason, reason_label
from storage.models import Complaint, IPRight, Organisation
from storage.queries.cases import CaseLine
from storage.vocabulary import Channel, ComplaintStatus, ItemKind, NoticeKind, Platform, ReasonCode, org_channel

PREVIEW_ITEMS = 10

# The reasons' English labels (the glossary's terms), e.g. for a form's choices.
REASON_LABELS = {code: term.en for code, term in REASONS.items()}
TEAM_ACTIONS = (
    (N_("Removed"), "removed", "primary"),
    (N_("Not removed"), "not_removed", None),
    (N_("Not found"), "not_found", None),
    (N_("Need info"), "need_info", "danger"),
)


def describe_items(complaint: Complaint | CaseLine, count: int | None = None) -> str:
    """`40 Taobao listings`."""
    number = count if count is not None else complaint.item_count
    return _items_described(current_language(), str(complaint.platform), str(complaint.kind), number)


@lru_cache(maxsize=4096)
def _items_described(language: str, platform: str, kind: str, number: int) -> str:
    """`describe_items` in `language` (the current one: a page of cases describes twenty at once)."""
    label = Platform(platform).label
    if kind == ItemKind.LISTING:
        return ngettext("{count} {platform} listing", "{count} {platform} listings", number, platform=label)
    return ngettext("{count} {platform} storefront", "{count} {platform} storefronts", number, platform=label)


def describe_right(right: IPRight) -> str:
    return f"{right.kind} {right.mark} ({right.jurisdiction} {right.registration_number}, #{right.id})"


def describe_reason(complaint: Complaint, *, chinese: bool = False) -> str:
    """The reason as the member chose it, in the glossary's term for the reader's language; for the
    team reading English, with its Chinese term beside it when asked."""
    code = ReasonCode(complaint.reason_code)
    language = current_language()
    label = bilingual_reason(code) if chinese and language == "en" else reason_label(code, language)
    return f"{label}: {complaint.reason_text}" if complaint.reason_text else label


def in_reader(text: str) -> str:
    """A text built in every language (a case's tally), as the current reader reads it."""
    return text.in_(current_language()) if isinstance(text, Localized) else text


def team_buttons(case: str) -> tuple[Button, ...]:
    """Outcomes for the whole case, and a form to choose items for cases with many."""
    whole_case = tuple(Button(_(label), f"outcome {case} all {word}", style) for label, word, style in TEAM_ACTIONS)
    return (*whole_case, Button(_("Per item…"), f"outcome {case}"))


def case_opened_notices(
    complaint: Complaint,
    organisation: Organisation,
    right: IPRight,
    links: Sequence[ParsedLink],
    *,
    assignment: Callable[[], str],
) -> list[Notice]:
    """The team's case message and the brand's, each in every language. `assignment` ends the team's
    first sentence with where the case went, e.g. `, assigned to console:team1` (handlers.cases.routing)."""
    case = complaint.case_id

    def fields() -> tuple[tuple[str, str], ...]:
        preview = [f"{n}. {link.canonical_url}" for n, link in enumerate(links[:PREVIEW_ITEMS], start=1)]
        if len(links) > PREVIEW_ITEMS:
            preview.append(_("... and {count} more: case {case}", count=len(links) - PREVIEW_ITEMS, case=case))
        return (
            (_("Organisation"), organisation.name),
            (_("IP right"), describe_right(right)),
            (_("Reason"), describe_reason(complaint)),
            (_("Items"), "\n".join(preview)),
        )

    def team() -> Notice:
        shown = fields()
        return Notice(
            channel=Channel.TEAM,
            case_id=case,
            kind=NoticeKind.CASE_OPENED,
            text=_(
                "New case {case} from {organisation}: {items}{assignment}.",
                case=case, organisation=organisation.name, items=describe_items(complaint), assignment=assignment(),
            ),
            fields=(*shown[:2], (_("Reason"), describe_reason(complaint, chinese=True)), shown[3]),
            buttons=team_buttons(case),
        )  # fmt: skip

    def brand() -> Notice:
        return Notice(
            channel=org_channel(organisation.slug),
            case_id=case,
            kind=NoticeKind.CASE_OPENED,
            text=_(
                "Case {case} registered: {items}. The IACC/Alibaba team acts on it; "
                "outcomes are posted in this thread.",
                case=case,
                items=describe_items(complaint),
            ),
            fields=fields()[1:],
        )

    return [localized(team), localized(brand)]


def case_summary_notices(
    complaint: Complaint, organisation: Organisation, tally: str, assignee: str | None = None
) -> list[Notice]:
    """The case's first message in the team's and the brand's channel, as it stands now (the
    team's also names who the case is assigned to)."""
    case = complaint.case_id
    still_open = complaint.status not in (ComplaintStatus.ACTIONED, ComplaintStatus.WITHDRAWN)

    def text() -> str:
        return f"{case} · {complaint.status} · {organisation.name}: {describe_items(complaint)} ({in_reader(tally)})."

    def team() -> Notice:
        said = f"{text()} {_('Assigned to {assignee}.', assignee=assignee)}" if assignee else text()
        return Notice(
            channel=Channel.TEAM, case_id=case, kind=NoticeKind.CASE_SUMMARY, text=said,
            buttons=team_buttons(case) if still_open else (), replaces_case_message=True,
        )  # fmt: skip

    def brand() -> Notice:
        return Notice(
            channel=org_channel(organisation.slug), case_id=case, kind=NoticeKind.CASE_SUMMARY, text=text(),
            replaces_case_message=True,
        )  # fmt: skip

    return [localized(team), localized(brand)]


def case_actioned_notice(complaint: Complaint, organisation: Organisation, tally: str) -> Notice:
    """The `outcomes` feed's line for a case whose every item is decided."""
    return localized(
        lambda: Notice(
            channel=Channel.OUTCOMES,
            kind=NoticeKind.CASE_ACTIONED,
            text=_(
                "{case} ({organisation}, {items}) actioned: {tally}.",
                case=complaint.case_id,
                organisation=organisation.name,
                items=describe_items(complaint),
                tally=in_reader(tally),
            ),
        )
    )


def cross_member_notice(organisation: Organisation, actor: str, links: Sequence[tuple[str, str]]) -> Notice:
    """For the team: links `organisation` reported that another organisation's open case holds,
    each with that case's id (never shown to the filer)."""

    def build() -> Notice:
        shown = [_("- {link} (in {case})", link=link, case=holder) for link, holder in links[:20]]
        if len(links) > 20:
            shown.append(_("... and {count} more", count=len(links) - 20))
        return Notice(
            channel=Channel.TEAM,
            kind=NoticeKind.CROSS_MEMBER_DUPLICATE,
            text=ngettext(
                "{organisation} ({actor}) reported {count} link already in another organisation's open complaint; "
                "it was not filed twice.",
                "{organisation} ({actor}) reported {count} links already in another organisation's open complaint; "
                "they were not filed twice.",
                len(links),
                organisation=organisation.name,
                actor=actor,
            ),
            fields=((_("Links"), "\n".join(shown)),),
        )

    return localized(build)
