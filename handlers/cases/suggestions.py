"""Suggestions for a platform's autocomplete: the cases and rights the caller may name.

Platform-neutral: each function takes the caller's context and a session and returns at most
`LIMIT` (label, value) pairs, the value being what the caller would type in the command line.
"""

from __future__ import annotations

from sqlmodel import Session

from handlers.kit.context import BRAND_ROLES, Context
from handlers.kit.i18n import ngettext
from storage.models import IPRight
from storage.queries.cases import CaseFilter, CaseLine, cases_for
from storage.queries.members import usable_rights
from storage.vocabulary import ItemKind, Platform

LIMIT = 25
# How many open cases are looked through for the typed prefix.
SCAN = 1000

Suggestion = tuple[str, str]


def case_suggestions(ctx: Context, session: Session, typed: str) -> list[Suggestion]:
    """The open cases the caller may name, newest first, whose id starts with what they typed:
    their organisation's for a brand, any organisation's for the team."""
    if ctx.is_staff:
        where = CaseFilter(open_only=True)
    elif ctx.role in BRAND_ROLES and ctx.organisation_id is not None:
        where = CaseFilter(organisation_id=ctx.organisation_id, open_only=True)
    else:
        return []
    complaints = cases_for(session, where, limit=SCAN).cases
    wanted = typed.strip().lower()
    found: list[Suggestion] = []
    for complaint in complaints:
        if _case_matches(complaint, wanted):
            found.append((_case_label(complaint), complaint.case_id))
            if len(found) >= LIMIT:
                break
    return found


def right_suggestions(ctx: Context, session: Session, typed: str) -> list[Suggestion]:
    """The caller's organisation's usable (verified, unexpired) rights matching what they typed."""
    if ctx.organisation_id is None or ctx.role is None:
        return []
    wanted = typed.strip().lstrip("#").lower()
    found: list[Suggestion] = []
    for right in usable_rights(session, ctx.organisation_id, ctx.today):
        label = _right_label(right)
        if not wanted or str(right.id).startswith(wanted) or wanted in label.lower():
            found.append((label, str(right.id)))
            if len(found) >= LIMIT:
                break
    return found


def _case_matches(complaint: CaseLine, wanted: str) -> bool:
    if not wanted:
        return True
    if complaint.case_id.lower().startswith(wanted):
        return True
    digits = wanted.removeprefix("ms-").lstrip("0")
    return digits.isdigit() and str(complaint.id).startswith(digits)


def _case_label(complaint: CaseLine) -> str:
    try:
        platform = Platform(complaint.platform).label
    except ValueError:
        platform = complaint.platform
    if complaint.kind == ItemKind.STOREFRONT:
        items = ngettext("{count} {platform} storefront", "{count} {platform} storefronts", complaint.item_count,
                         platform=platform)  # fmt: skip
    else:
        items = ngettext("{count} {platform} listing", "{count} {platform} listings", complaint.item_count,
                         platform=platform)  # fmt: skip
    return f"{complaint.case_id} · {items} · {complaint.status.replace('_', ' ')}"


def _right_label(right: IPRight) -> str:
    return f"#{right.id} {right.mark} · {right.kind} {right.jurisdiction} {right.registration_number}"
