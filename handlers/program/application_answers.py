"""An application's answers, read from `name=value` options and checked one by one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from handlers.kit.arguments import Args, parse_enum
from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _
from handlers.program.regions import country_code
from storage.vocabulary import CompanySize

FIELDS = ("legal_name", "name_zh", "country", "size", "contact", "role", "represents", "good_faith", "marks")
MAX_MARKS = 20
MAX_MARKS_TEXT = 1000
MAX_TEXT = 200
YES, NO = {"yes", "y", "true"}, {"no", "n", "false"}


class Role(StrEnum):
    """Who the applicant is to the marks."""

    RIGHTS_HOLDER = "rights_holder"
    REPRESENTATIVE = "representative"
    OTHER = "other"  # a distributor, licensee or reseller: not eligible


@dataclass(frozen=True, slots=True)
class Answers:
    legal_name: str
    name_zh: str | None
    country: str
    size: CompanySize
    contact: str
    role: Role
    represents: str | None
    good_faith: bool
    marks: tuple[str, ...]


def read_answers(args: Args) -> Answers:
    """The answers, or a refusal naming the first one missing or wrong."""
    legal_name = _required(args, "legal_name", N_("the company's legal name"), 'legal_name="ACME Corp"')
    name_zh = _text(args, "name_zh")
    country = country_code(_required(args, "country", N_("the company's country"), "country=US"))
    size_text = _required(args, "size", N_("the company's size"), "size=medium")
    size = parse_enum(CompanySize, size_text, N_("'{text}' is not a company size."), "size")
    contact = _required(args, "contact", N_("a contact"), 'contact="Jo Lee, jo@acme.example"')
    role_text = _required(args, "role", N_("your role"), "role=rights_holder")
    role = next((r for r in Role if r.value == role_text.lower().replace("-", "_")), None)
    if role is None:
        raise UserError(
            _("'{role}' is not a role I know.", role=role_text),
            hint=_(
                "Use rights_holder (the company owns the marks), representative (appointed by the rights-holder) "
                "or other."
            ),
            field="role",
        )
    represents = _text(args, "represents")
    if role is Role.REPRESENTATIVE and represents is None:
        raise UserError(
            _("A representative names the rights-holder it acts for."),
            hint=_('Add represents="<rights-holder>" and attach its letter of authorisation.'),
            field="represents",
        )
    if role is not Role.REPRESENTATIVE and represents is not None:
        raise UserError(
            _("represents= is only for representatives."),
            hint=_("Leave it out, or choose role=representative if you act for the rights-holder."),
            field="represents",
        )
    good_faith_text = _required(
        args, "good_faith", N_("whether the company is in the Good Faith program"), "good_faith=no"
    )
    if good_faith_text.lower() not in YES | NO:
        raise UserError(
            _("'{text}' is not yes or no.", text=good_faith_text),
            hint=_("Write good_faith=yes or good_faith=no."),
            field="good_faith",
        )
    marks = _marks(_required(args, "marks", N_("the company's marks"), 'marks="ACME,ACME Pro"', MAX_MARKS_TEXT))
    return Answers(legal_name, name_zh, country, size, contact, role, represents, good_faith_text.lower() in YES, marks)


def _required(args: Args, name: str, what: str, example: str, limit: int = MAX_TEXT) -> str:
    value = _text(args, name, limit)
    if value is None:
        raise UserError(
            _("The application needs {what}.", what=_(what)),
            hint=_("Add {example}. `help apply` shows every answer.", example=example),
            field=name,
        )
    return value


def _text(args: Args, name: str, limit: int = MAX_TEXT) -> str | None:
    value = (args.options.get(name) or "").strip()
    if len(value) > limit:
        raise UserError(
            _("{option}= is {length} characters; the limit is {limit}.", option=name, length=len(value), limit=limit),
            field=name,
        )
    return value or None


def _marks(text: str) -> tuple[str, ...]:
    """`ACME, ACME Pro，acme` -> ("ACME", "ACME Pro"): split on commas, repeats dropped."""
    marks: dict[str, str] = {}
    for part in re.split(r"[,，]", text):
        mark = " ".join(part.split())
        if mark:
            marks.setdefault(mark.casefold(), mark)
    if not marks:
        raise UserError(
            _("The application needs at least one mark."),
            hint=_('List the marks the company owns, separated by commas, e.g. marks="ACME,ACME Pro".'),
            field="marks",
        )
    long = next((mark for mark in marks.values() if len(mark) > MAX_TEXT), None)
    if long is not None:
        raise UserError(
            _("The mark '{mark}...' is {length} characters; the limit is {limit}.", mark=long[:40], length=len(long),
              limit=MAX_TEXT),
            field="marks",
        )  # fmt: skip
    if len(", ".join(marks.values())) > MAX_MARKS_TEXT:
        raise UserError(
            _("The marks come to more than {limit} characters.", limit=MAX_MARKS_TEXT),
            hint=_("List fewer marks."),
            field="marks",
        )
    if len(marks) > MAX_MARKS:
        raise UserError(
            _("That is {count} marks; an application lists at most {limit}.", count=len(marks), limit=MAX_MARKS),
            hint=_("List the marks you will file complaints under; the team can add more later."),
            field="marks",
        )
    return tuple(marks.values())
