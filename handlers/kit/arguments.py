"""Turning a command line into words and `key=value` options, and reading them with clear errors."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar

from handlers.kit.errors import UserError
from handlers.kit.i18n import N_, _, format_number
from storage.vocabulary import Platform

E = TypeVar("E", bound=StrEnum)

# `key=value`; Chinese keyboards also type the key's end as a full-width `＝` or `：`.
_KEY = re.compile(r"[a-z][a-z_]*[=＝：]")
# Item selections: `1,3-5`, also with a full-width or enumeration comma and full-width digits (`１，３－５`).
_SELECTION_COMMAS = re.compile(r"[,，、]")
# Opening quote -> closing quote: straight, curly (as phones type them) and CJK corner brackets.
QUOTES = {'"': '"', "'": "'", "\u201c": "\u201d", "\u2018": "\u2019", "「": "」", "『": "』", "＂": "＂"}
# An opening single quote may be an apostrophe ('90s); any other opening quote must be closed.
_APOSTROPHES = frozenset({"'", "\u2018"})
_CASE_ID = re.compile(r"(?i)^(?:MS-?)?0*(\d{1,9})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MAX_LINE = 2_000_000
MAX_NOTE = 1000
YEARS = range(2000, 2101)


@dataclass(slots=True)
class Args:
    """The parts of a command line after its command word."""

    words: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    text: str = ""
    # Options written more than once. Refused when read (`check_options`, `option`), not while
    # parsing: free text (a proposal, a reply) may well say `size=M or size=L`.
    repeated: list[str] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> Args:
        if len(text) > MAX_LINE:
            raise UserError(
                _(
                    "That message is too long ({count} characters; the limit is {limit}).",
                    count=format_number(len(text)),
                    limit=format_number(MAX_LINE),
                ),
                hint=_("Split the links over several messages or attach them as a CSV file."),
            )
        args = cls(text=text)
        position = _skip_space(text, 0)
        while position < len(text):
            key = _KEY.match(text, position)
            if key is not None:
                value, position = read_value(text, key.end())
                name = key.group()[:-1]
                if name in args.options and name not in args.repeated:
                    args.repeated.append(name)
                args.options.setdefault(name, value)
            else:
                word, position = read_value(text, position)
                args.words.append(word)
            position = _skip_space(text, position)
        return args

    def check_options(self, *allowed: str) -> None:
        """Refuse options the command does not take, and any option given twice."""
        unknown = sorted(set(self.options) - set(allowed))
        if unknown:
            known = ", ".join(f"{name}=" for name in allowed) or _("none")
            raise UserError(
                _("Unknown option {option}=.", option=unknown[0]), hint=_("Options here: {options}.", options=known)
            )
        if self.repeated:
            raise given_twice(self.repeated[0])

    def word(self, index: int, what: str, *, field: str | None = None, usage: str | None = None) -> str:
        """The word at `index`, or a refusal naming what is missing (and where to read the usage)."""
        if index >= len(self.words):
            hint = _("`help {command}` shows the usage.", command=usage) if usage else None
            raise UserError(_("Missing {what}.", what=what), hint=hint, field=field)
        return self.words[index]

    def no_more_words(self, count: int, usage: str) -> None:
        """Refuse words beyond the first `count`: a typo should not pass silently."""
        if len(self.words) > count:
            raise UserError(
                _("I did not expect '{word}' there.", word=self.words[count]),
                hint=_("`help {command}` shows the usage.", command=usage),
            )

    def option(self, name: str) -> str | None:
        """The value of `name=`, None when not given or empty; refused when given twice."""
        if name in self.repeated:
            raise given_twice(name)
        value = self.options.get(name)
        return value if value else None

    def note(self) -> str | None:
        """The `note=` option, refused when longer than the database keeps."""
        return self.limited("note", MAX_NOTE)

    def limited(self, name: str, limit: int) -> str | None:
        """A text option, refused (not cut) when longer than `limit` characters."""
        value = self.option(name)
        if value is not None and len(value) > limit:
            if name == "note":
                said = _("The note is {count} characters; the limit is {limit}.", count=len(value), limit=limit)
            else:
                said = _("{option}= is {count} characters; the limit is {limit}.", option=name, count=len(value),
                         limit=limit)  # fmt: skip
            raise UserError(said, field=name)
        return value


def given_twice(name: str) -> UserError:
    """The refusal of an option written twice: which value was meant is the writer's to say."""
    return UserError(_("`{option}=` is given twice: give it once.", option=name), field=name)


LEADING_OPTION = re.compile(r"\s*[a-z][a-z_]*[=＝：]")
# Runs of non-space and of space; \s is exactly what str.isspace() accepts.
_WORD = re.compile(r"\S*")
_SPACE = re.compile(r"\s*")


def read_value(text: str, position: int) -> tuple[str, int]:
    """The word or value at `position` (quoted, or up to the next space) and where it ends.

    A quote opens a value only where the value starts, and closes where it is followed by a space or
    the end, so quotes inside a word (`it's`, `say "hi"`) are kept as written. An opening quote that is
    never closed is refused, except a single quote, which may be an apostrophe (`'90s`).
    """
    opening = text[position : position + 1]
    closing = QUOTES.get(opening)
    if closing is not None:
        end = _closing_quote(text, position + 1, closing)
        if end is not None:
            return text[position + 1 : end], end + 1
        if opening not in _APOSTROPHES:
            shown = text[position : position + 30]
            raise UserError(
                _("The quote at {shown} is never closed.", shown=repr(shown)),
                hint=_("Close it with {closing}, or leave the quotes out if the value has no spaces.", closing=closing),
            )
    end = _run_end(_WORD, text, position)
    return text[position:end], end


def _skip_space(text: str, position: int) -> int:
    return _run_end(_SPACE, text, position)


def _run_end(run: re.Pattern[str], text: str, position: int) -> int:
    match = run.match(text, position)
    assert match is not None  # a `*` run matches everywhere, if only the empty string
    return match.end()


def _closing_quote(text: str, start: int, closing: str) -> int | None:
    position = text.find(closing, start)
    while position != -1:
        after = text[position + 1 : position + 2]
        if not after or after.isspace():
            return position
        position = text.find(closing, position + 1)
    return None


def leading_options(text: str, allowed: Sequence[str]) -> tuple[dict[str, str], str]:
    """The `key=value` options at the start of `text`, and the rest exactly as written.

    For commands that carry free text (a request, a proposal): text that itself contains
    `a=b` or line breaks reaches the reader unchanged.
    """
    options: dict[str, str] = {}
    position = _skip_space(text, 0)
    while (match := _KEY.match(text, position)) is not None:
        key = match.group()[:-1]
        if key not in allowed:
            listed = ", ".join(f"{name}=" for name in allowed)
            raise UserError(
                _("Unknown option {option}=.", option=key),
                hint=_('Options here: {options}. Put the text after them, or in text="...".', options=listed),
            )
        if key in options:
            raise given_twice(key)
        options[key], position = read_value(text, match.end())
        position = _skip_space(text, position)
    return options, text[position:].strip()


def parse_case_id(text: str, field: str | None = None) -> int:
    """`MS-000123`, `ms-123` or `123` -> 123."""
    match = _CASE_ID.match(text.strip())
    if match is None or int(match.group(1)) == 0:
        raise UserError(
            _("'{text}' is not a case id.", text=text), hint=_("Case ids look like MS-000123."), field=field
        )
    return int(match.group(1))


def parse_enum(vocabulary: type[E], text: str, what: str, field: str | None = None) -> E:
    """The member of `vocabulary` that `text` names, or a refusal listing them.

    `what` is the refusal as a whole sentence with `{text}`, marked with N_:
    `N_("'{text}' is not an export format.")`, so that each language words it whole (an article,
    a measure word).
    """
    normalised = text.strip().lower().replace("-", "_")
    for member in vocabulary:
        if member.value == normalised:
            return member
    allowed = ", ".join(member.value for member in vocabulary)
    raise UserError(_(what, text=shown(text)), hint=_("Use one of: {allowed}.", allowed=allowed), field=field)


def parse_platform(text: str, field: str | None = None) -> Platform:
    aliases = {"tmallglobal": "tmall_global", "tmall.hk": "tmall_global", "alibaba.com": "alibaba"}
    written = aliases.get(text.strip().lower(), text)
    return parse_enum(Platform, written, N_("'{text}' is not a marketplace platform."), field)


def parse_positive_int(text: str, what: str, *, maximum: int = 1_000_000) -> int:
    digits = text.lstrip("0")
    # A number with more digits than the maximum is out of range: int() never reads thousands of digits.
    if (
        not text.isascii()
        or not text.isdigit()
        or len(digits) > len(str(maximum))
        or not 1 <= int(digits or 0) <= maximum
    ):
        raise UserError(
            _("'{text}' is not a valid {what}.", text=shown(text), what=_(what)),
            hint=_("Use a number from 1 to {maximum}.", maximum=maximum),
        )
    return int(digits)


def shown(text: str, limit: int = 40) -> str:
    """What someone typed, as a reply quotes it: cut, visibly, when too long to repeat."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_month(text: str) -> int:
    """`2026-11` -> 202611."""
    match = _MONTH.match(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise UserError(_("'{text}' is not a month.", text=text), hint=_("Write months as YYYY-MM, e.g. 2026-11."))
    check_year(int(match.group(1)), text)
    return int(match.group(1)) * 100 + int(match.group(2))


def parse_date(text: str, what: str) -> date:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        raise UserError(
            _("'{text}' is not a valid {what}.", text=text, what=_(what)), hint=_("Write dates as YYYY-MM-DD.")
        ) from None
    check_year(day.year, text)
    return day


def check_year(year: int, text: str, field: str | None = None) -> None:
    """Refuse a year outside the program's years (0000 or 9999 would overflow date arithmetic)."""
    if year not in YEARS:
        raise UserError(
            _("'{text}' is outside the years the program keeps.", text=text.strip()),
            hint=_("Use a year from {first} to {last}.", first=YEARS.start, last=YEARS.stop - 1),
            field=field,
        )


def parse_selection(text: str, count: int, field: str | None = None) -> list[int] | None:
    """Item numbers from `3`, `1,4,7-9`; `all` gives None (every item). A range has both ends:
    `1-` or `-3` is refused rather than read as something the writer may not have meant."""
    text = unicodedata.normalize("NFKC", text)  # full-width digits and dashes as typed on Chinese keyboards
    if text.strip().lower() == "all":
        return None
    chosen: set[int] = set()
    try:
        for part in _SELECTION_COMMAS.split(text):
            chosen.update(_selected(part.strip(), text, count))
    except UserError as error:
        error.field = field
        raise
    return sorted(chosen)


def _selected(part: str, text: str, count: int) -> range:
    """The items of one part of a selection: `3` or `3-7`."""
    if not part:
        raise UserError(
            _("'{text}' has an empty item number (two commas in a row, or a comma at either end).", text=shown(text)),
            hint=_("Write items as 1,3-5 (or all)."),
        )
    first, dash, last = part.partition("-")
    if dash and (not first or not last):
        raise UserError(
            _("'{part}' is not a range: give both ends, e.g. {example}.", part=shown(part),
              example=_range_example(first, last, count))
        )  # fmt: skip
    if "-" in last:
        raise UserError(
            _("'{part}' is not a range of items.", part=shown(part)), hint=_("Write ranges low-high, e.g. 3-7.")
        )
    low = parse_positive_int(first, N_("item number"), maximum=count)
    high = parse_positive_int(last, N_("item number"), maximum=count) if dash else low
    if high < low:
        raise UserError(_("'{part}' is not a range of items.", part=part), hint=_("Write ranges low-high, e.g. 3-7."))
    return range(low, high + 1)


def _range_example(first: str, last: str, count: int) -> str:
    """A whole range near the half one written: `4-` -> 4-10 (the last item), `-3` -> 1-3."""
    low = _small_number(first)
    if low is not None and low < count:
        return f"{low}-{count}"
    high = _small_number(last)
    if high is not None and 1 < high <= count:
        return f"1-{high}"
    return "1-5"


def _small_number(text: str) -> int | None:
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None
