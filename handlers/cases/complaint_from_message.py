"""Filing from any message: the complaint form opened with the links of a message filled in.

Slack's message shortcut and Discord's message command "File as complaint" hand the message's
text here. Only its links are kept (the prose around them is left out, every link as written,
short and refused ones too, so that filing reports each), in the order they appear. The form's
links field holds a limited number of characters; links that do not fit are not cut: the member
is told how many there are and how to file them all.
"""

from __future__ import annotations

from sqlmodel import Session

from handlers.cases.complaints import COMPLAINT_FORM, complaint_form
from handlers.cases.link_parsing import extract_links
from handlers.kit.context import Context
from handlers.kit.errors import UserError
from handlers.kit.i18n import _, format_number, ngettext
from handlers.kit.registry import COMMANDS
from handlers.kit.replies import Reply

LINKS_FIELD = "links"


def message_links(text: str) -> list[str]:
    """Every link in `text` as written, in order of appearance, duplicates kept."""
    found = extract_links(text)
    originals = [item.original for group in (found.parsed, found.unresolved, found.rejected) for item in group]
    positions: dict[str, int] = {}
    placed: list[tuple[int, str]] = []
    for link in originals:
        # Each outcome keeps its own order; a link's place in the text merges them back into one.
        at = text.find(link, positions.get(link, 0))
        positions[link] = at + 1 if at >= 0 else 0
        placed.append((at, link))
    return [link for _at, link in sorted(placed, key=lambda pair: pair[0])]


def complaint_from_message(ctx: Context, session: Session, text: str) -> Reply:
    """The complaint form with the links of `text` filled in, for someone who may file; else why not."""
    COMMANDS["complaint"].check_role(ctx)
    links = message_links(text)
    form = complaint_form(ctx, session, "\n".join(links))  # refuses an organisation with no verified right
    if not links:
        raise UserError(
            _("That message holds no links to file."),
            hint=_("Paste full links, e.g. https://item.taobao.com/item.htm?id=123, or attach a CSV file."),
            field=LINKS_FIELD,
        )
    field = COMPLAINT_FORM.field(LINKS_FIELD)
    assert field is not None
    length = len("\n".join(links))
    if length > field.max_length:
        raise UserError(
            ngettext(
                "That message holds {count} link ({length} characters), more than the form's links field "
                "takes ({most} characters). Nothing was filled in or filed.",
                "That message holds {count} links ({length} characters), more than the form's links field "
                "takes ({most} characters). Nothing was filled in or filed.",
                len(links),
                length=format_number(length),
                most=format_number(field.max_length),
            ),
            hint=_(
                "File them all at once: send `complaint` to the bot in a direct message with the links pasted "
                "after it, or with a CSV file of them (a `link` column) attached."
            ),
            field=LINKS_FIELD,
        )
    return form
