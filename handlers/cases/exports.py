"""`export`: the caller's cases, or one case's timeline, as a CSV or XLSX file sent to them privately.

Scoped exactly like `cases` and `case … timeline`: a member exports their organisation's cases, the
team every case or one organisation's. Rows are read from the database a batch at a time and
written as they come; an export stops at `MAX_EXPORT_ROWS` rows and says so (the operators'
`marketsafe export` has no cap).

The replies are in the caller's language, and so are the timeline's entries; the files' column
headers, the timeline's source words and the sheet names stay English machine-readable names (a
spreadsheet or script reading exports finds the same columns whoever exported them), and the file
names stay ASCII.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from sqlmodel import Session

from handlers.cases.case_filters import FILTER_OPTIONS, case_selection
from handlers.cases.case_timeline import timeline_lines, timeline_page
from handlers.cases.case_view import CASE, load_case
from handlers.kit.arguments import Args, parse_enum
from handlers.kit.context import Context
from handlers.kit.i18n import N_, _, format_number, ngettext
from handlers.kit.registry import Option, OptionKind, command, group
from handlers.kit.replies import Reply, ReplyFile
from handlers.kit.spreadsheets import SheetFormat, write_sheet
from storage.queries.export import EXPORT_COLUMNS, export_count, export_rows

# Rows in one export from chat: about 6 MB of CSV, inside Discord's 10 MiB for a bot's file.
MAX_EXPORT_ROWS = 20_000
TIMELINE_BATCH = 500
TIMELINE_COLUMNS = ("time", "source", "entry")
SOURCE_NAMES = {"1audit": "history", "2message": "message", "3appeal": "appeal", "4appeal_decided": "appeal",
                "5notice": "notice"}  # fmt: skip
FORMAT = Option("format", N_("csv (default) or xlsx"), OptionKind.CHOICE, keyword=True, choices=("csv", "xlsx"))

group("export", summary=N_("your cases, or one case's timeline, as a CSV or XLSX file sent to you"))


class Capped:
    """Rows, at most `cap` of them; `capped` tells afterwards whether more were left."""

    def __init__(self, rows: Iterable[tuple[Any, ...]], cap: int) -> None:
        self._rows = rows
        self.cap = cap
        self.count = 0
        self.capped = False

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for row in self._rows:
            if self.count == self.cap:
                self.capped = True
                return
            self.count += 1
            yield row


@command(
    "export cases", summary=N_("your organisation's cases and outcomes as a file, filtered like `cases`"),
    default=True,
    options=(
        Option("platform", N_("only this marketplace"), OptionKind.PLATFORM, keyword=True),
        Option("month", N_("only cases filed in this month (YYYY-MM)"), keyword=True),
        Option("status", N_("only cases in this status"), keyword=True),
        Option("org", N_("team: only this organisation's cases"), keyword=True),
        FORMAT,
    ),
)  # fmt: skip
def export_cases(ctx: Context, args: Args, session: Session) -> Reply:
    """export [open] [platform=<name>] [month=YYYY-MM] [status=<status>] [org=<slug>] [format=csv|xlsx]
    export mine [all] [filters as above]   (team: the cases assigned to you)
    One row per item of the cases `cases` would list with the same filters: case, organisation,
    platform, kind, reason, statuses, link as pasted and as understood, dates, appeal rounds.
    Sent to you alone (a direct message; on the console, a file in the export directory). CSV is
    UTF-8 that Excel opens with Chinese text intact. At most 20,000 rows: narrow a bigger export
    with month= or status=.
    Example: export month=2026-11 format=xlsx"""
    args.check_options(*FILTER_OPTIONS, "format")
    kind = _format(args)
    selection = case_selection(ctx, args, session, command="export")
    rows = Capped(export_rows(session, where=selection.where, limit=MAX_EXPORT_ROWS + 1), MAX_EXPORT_ROWS)
    data = write_sheet(kind, EXPORT_COLUMNS, rows, title="cases")
    if not rows.count:
        return Reply(_("No cases match: there is nothing to export."))
    scope = ctx.organisation_slug if not ctx.is_staff else (args.option("org") or "all")
    name = f"cases-{scope}-{ctx.now.astimezone(ctx.rules.timezone):%Y%m%d-%H%M}.{kind.value}"
    reply = Reply(
        ngettext("Exported {count} item of the matching cases to {file}.",
                 "Exported {count} items of the matching cases to {file}.", rows.count, file=name)
    )  # fmt: skip
    reply.files.append(ReplyFile(name, kind.content_type, data, _("cases and outcomes, one row per item")))
    if rows.capped:
        total = export_count(session, selection.where)
        reply.lines.append(
            _(
                "The file holds the first {count} of {total} items (oldest cases first), the most one export holds. "
                "Narrow it with month= or status= to export the rest.",
                count=format_number(MAX_EXPORT_ROWS),
                total=format_number(total),
            )
        )
    return reply


@command("export timeline", summary=N_("one case's timeline as a file"), options=(CASE, FORMAT), subject_first=True)
def export_timeline(ctx: Context, args: Args, session: Session) -> Reply:
    """export timeline MS-000123 [format=csv|xlsx]
    Everything `case MS-000123 timeline` shows, every page of it, one entry a row, sent to you alone.
    Example: export timeline MS-000123 format=xlsx"""
    args.check_options("format")
    kind = _format(args)
    complaint = load_case(session, ctx, args.word(0, _("case id (e.g. MS-000123)"), usage="export timeline"))
    args.no_more_words(1, "export timeline")
    rows = Capped(_timeline_rows(ctx, session, complaint), MAX_EXPORT_ROWS)
    data = write_sheet(kind, TIMELINE_COLUMNS, rows, title=f"{complaint.case_id} timeline")
    name = f"{complaint.case_id}-timeline.{kind.value}"
    reply = Reply(
        ngettext("Exported the timeline of {case}, {count} entry, to {file}.",
                 "Exported the timeline of {case}, {count} entries, to {file}.", rows.count,
                 case=complaint.case_id, file=name)
    )  # fmt: skip
    reply.files.append(ReplyFile(name, kind.content_type, data, _("the timeline of {case}", case=complaint.case_id)))
    if rows.capped:
        rest = f"case {complaint.case_id} timeline page=<n>"
        reply.lines.append(
            _(
                "The file holds its first {count} entries, the most one export holds; `{command}` shows the rest.",
                count=format_number(MAX_EXPORT_ROWS),
                command=rest,
            )
        )
    return reply


def _timeline_rows(ctx: Context, session: Session, complaint: Any) -> Iterator[tuple[Any, ...]]:
    """The timeline as the caller may see it, read a batch of entries at a time."""
    page = 1
    while True:
        entries, total = timeline_page(ctx, session, complaint, page, TIMELINE_BATCH)
        for entry, line in zip(entries, timeline_lines(ctx, session, entries), strict=True):
            yield (entry.at.astimezone(ctx.rules.timezone), SOURCE_NAMES.get(entry.source, entry.source), line)
        if not entries or page * TIMELINE_BATCH >= total:
            return
        page += 1


def _format(args: Args) -> SheetFormat:
    return parse_enum(SheetFormat, args.option("format") or "csv", N_("'{text}' is not an export format."))
