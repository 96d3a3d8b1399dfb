"""The reader's language: message catalogs, the current language, and locale-aware formatting.

The English text in the code is the message id: `_("Registered {count} items", count=n)` looks the
text up in the current language's catalog (gettext), then fills its named placeholders. Catalogs
are the `.po` files under `locales/`, one domain per area; the compiled `.mo` files are built by
`make catalogs` (and the install), and a missing or stale one is compiled from its `.po` in memory.

Command words, option names, ids, links, names and user text are never passed through `_`.
"""

from __future__ import annotations

import gettext
import logging
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Protocol, Self, TypeVar, cast, overload

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from storage.vocabulary import Platform

log = logging.getLogger(__name__)

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"
# Our language codes -> the catalog directory and the Babel locale used for dates and numbers.
LANGUAGES: dict[str, tuple[str, str]] = {"en": ("en", "en_US"), "zh": ("zh_Hans", "zh_Hans_CN")}
DEFAULT_LANGUAGE = "en"
# `help` holds the commands' usages (their handlers' docstrings), read by `bot.catalogs.extract_usages`.
DOMAINS = ("kit", "cases", "program", "working_group", "calendar", "admin", "bot", "schedules", "help")

_current: ContextVar[str] = ContextVar("marketsafe_language", default=DEFAULT_LANGUAGE)
_program_default: list[str] = [DEFAULT_LANGUAGE]  # MARKETSAFE_LANGUAGE, set once at start

T = TypeVar("T")


class Translatable(Protocol):
    """A value built in each language that keeps every language's wording (a `Notice`)."""

    def with_variants(self, variants: dict[str, Self]) -> Self: ...


N = TypeVar("N", bound=Translatable)


# --- the current language ---------------------------------------------------------------------


def current_language() -> str:
    return _current.get()


def program_language() -> str:
    """The program's default language (MARKETSAFE_LANGUAGE)."""
    return _program_default[0]


def set_program_language(lang: str) -> None:
    _program_default[0] = normalise(lang) or DEFAULT_LANGUAGE


@contextmanager
def in_language(lang: str | None) -> Iterator[None]:
    """Run the block with `lang` as the current language (the program default when None)."""
    token = _current.set(normalise(lang) or program_language())
    try:
        yield
    finally:
        _current.reset(token)


def reader_language(chosen: str | None, locale: str | None = None, default: str | None = None) -> str:
    """The language a person reads: their own choice (`lang zh`), else their platform's locale,
    else `default` (the program's language, MARKETSAFE_LANGUAGE, when not given)."""
    return normalise(chosen) or normalise(locale) or normalise(default) or program_language()


def normalise(locale: str | None) -> str | None:
    """Our language code for a platform locale (`zh-CN`, `zh_TW`, `en-US`, `zh`), else None."""
    if not locale:
        return None
    base = locale.replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


# --- messages ---------------------------------------------------------------------------------


def _(message: str, /, **values: object) -> str:
    """`message` in the current language, its `{name}` placeholders filled from `values`."""
    translated = _translations(current_language(), _caller_domain()).gettext(message)
    return translated.format(**values) if values else translated


def ngettext(singular: str, plural: str, count: int, /, **values: object) -> str:
    """The singular or plural form for `count` in the current language; `{count}` is filled too."""
    translated = _translations(current_language(), _caller_domain()).ngettext(singular, plural, count)
    return translated.format(count=count, **values)


# Module prefixes and the domain their texts are in (the split of `bot.catalogs.SOURCES`), first match.
_MODULE_DOMAINS = (
    ("handlers.cases", "cases"), ("handlers.program", "program"), ("handlers.working_group", "working_group"),
    ("handlers.calendar", "calendar"), ("handlers.admin", "admin"), ("handlers", "kit"), ("bot", "bot"),
    ("schedules", "schedules"),
)  # fmt: skip


def _caller_domain() -> str | None:
    """The domain of the module calling `_` or `ngettext` (two frames up)."""
    return _domain_of(sys._getframe(2).f_globals.get("__name__", ""))


@cache
def _domain_of(module: str) -> str | None:
    for prefix, domain in _MODULE_DOMAINS:
        if module == prefix or module.startswith(prefix + "."):
            return domain
    return None


def N_(message: str) -> str:
    """Mark `message` for the catalogs without translating it now (translated where it is shown)."""
    return message


# --- texts written down now, read later ------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Message:
    """A text the program writes down now to be read later in each reader's language (a note in
    the audit log): its English message id (with its plural form and count), its values and the
    domain it was written in. `as_json` is what is stored; `text()` reads it in the current language.

    A value is kept as given (a name, a number, what someone typed), or is itself a `Message` (a
    word of the program's, `none`), or a `Platform` (shown by its label)."""

    id: str
    values: Mapping[str, object] = field(default_factory=dict)
    plural: str | None = None
    count: int | None = None
    domain: str | None = None

    def text(self) -> str:
        """The message in the current language, its values filled (each in the current language too)."""
        catalog = _translations(current_language(), self.domain)
        values = {name: _value_text(value) for name, value in self.values.items()}
        if self.plural is None:
            return catalog.gettext(self.id).format(**values)
        count = self.count or 0
        return catalog.ngettext(self.id, self.plural, count).format(count=count, **values)

    def english(self) -> str:
        """The message as an English reader reads it (what a plain-text note holds)."""
        with in_language(DEFAULT_LANGUAGE):
            return self.text()

    def as_json(self) -> dict[str, object]:
        stored: dict[str, object] = {"id": self.id, "values": {k: _value_json(v) for k, v in self.values.items()}}
        if self.plural is not None:
            stored |= {"plural": self.plural, "count": self.count}
        if self.domain is not None:
            stored["domain"] = self.domain
        return stored

    @classmethod
    def from_json(cls, stored: object) -> Message | None:
        """The message `as_json` wrote; None for anything else (a row it did not write)."""
        if not isinstance(stored, dict) or not isinstance(stored.get("id"), str):
            return None
        values, plural, count, domain = (stored.get(key) for key in ("values", "plural", "count", "domain"))
        if not isinstance(values, dict) or not isinstance(plural, str | None) or not isinstance(count, int | None):
            return None
        return cls(
            stored["id"], {str(k): _value_of(v) for k, v in values.items()}, plural, count,
            domain if isinstance(domain, str) else None,
        )  # fmt: skip


def deferred(message: str, /, **values: object) -> Message:
    """`message` (marked with `N_`) and its values, to be read later in the reader's language:
    `deferred(N_("application #{number}"), number=3)`."""
    return Message(message, values, domain=_caller_domain())


def deferred_plural(singular: str, plural: str, count: int, /, **values: object) -> Message:
    """Like `ngettext`, read later in the reader's language; `{count}` is filled too."""
    return Message(singular, values, plural, count, _caller_domain())


def _value_text(value: object) -> str:
    if isinstance(value, Message):
        return value.text()
    if isinstance(value, Platform):
        return value.label
    return str(value)


def _value_json(value: object) -> object:
    if isinstance(value, Message):
        return {"message": value.as_json()}
    if isinstance(value, Platform):
        return {"platform": value.value}
    return value if isinstance(value, int | float) else str(value)


def _value_of(stored: object) -> object:
    """A value `_value_json` wrote, as it was given (what it does not know is shown as text)."""
    if isinstance(stored, dict):
        if "message" in stored:
            return Message.from_json(stored["message"]) or str(stored["message"])
        if stored.get("platform") in {platform.value for platform in Platform}:
            return Platform(stored["platform"])
        return str(stored)
    return stored


def localized_variants(build: Callable[[], T]) -> dict[str, T]:
    """`build()` run once in each language, keyed by language code."""
    variants: dict[str, T] = {}
    for lang in LANGUAGES:
        with in_language(lang):
            variants[lang] = build()
    return variants


class Localized(str):
    """A text in the program's default language that carries its text in every language."""

    variants: dict[str, str]

    def __new__(cls, variants: dict[str, str]) -> Localized:
        text = super().__new__(cls, variants.get(program_language(), variants[DEFAULT_LANGUAGE]))
        text.variants = dict(variants)
        return text

    def in_(self, lang: str | None) -> str:
        return self.variants.get(normalise(lang) or program_language(), str(self))


@overload
def localized(build: Callable[[], str]) -> Localized: ...
@overload
def localized(build: Callable[[], N]) -> N: ...
def localized(build: Callable[[], str] | Callable[[], N]) -> Localized | N:
    """A text (or a notice) built once in each language, for readers of every language:
    `localized(lambda: _("Case {case} filed", case=case_id))`, `localized(lambda: Notice(...))`.

    The result reads as the program's language and carries the others; posters pick the variant of
    the channel or recipient they post to.
    """
    variants = localized_variants(build)
    first = variants[DEFAULT_LANGUAGE]
    if isinstance(first, str):
        return Localized({lang: str(text) for lang, text in variants.items()})
    notices = cast(dict[str, N], variants)
    return notices.get(program_language(), notices[DEFAULT_LANGUAGE]).with_variants(notices)


@cache
def _translations(lang: str, first: str | None = None) -> gettext.NullTranslations:
    """Every domain's catalog for `lang`, `first` (the caller's domain) looked in before the others:
    a text two areas share (`From`: a request's source language, a practice's author) reads as its
    own area translates it, and as another area does when its own has no entry (a form's labels
    shown by the kit)."""
    directory, _locale = LANGUAGES.get(lang, LANGUAGES[DEFAULT_LANGUAGE])
    if lang == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    combined: gettext.NullTranslations | None = None
    order = sorted(DOMAINS, key=lambda domain: domain != first)
    for domain in order:
        catalog = _domain_catalog(directory, domain)
        if catalog is None:
            continue
        if combined is None:
            combined = catalog
        else:
            combined.add_fallback(catalog)
    return combined or gettext.NullTranslations()


def _domain_catalog(directory: str, domain: str) -> gettext.GNUTranslations | None:
    folder = LOCALES_DIR / directory / "LC_MESSAGES"
    po, mo = folder / f"{domain}.po", folder / f"{domain}.mo"
    if not po.exists():
        return None
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as file:
            return gettext.GNUTranslations(file)
    log.info("catalog %s is not compiled or older than its .po; compiling it in memory (make catalogs)", po)
    with po.open("rb") as file:
        catalog = read_po(file, locale=directory)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def reload_catalogs() -> None:
    """Forget loaded catalogs (after `make catalogs` in a running test or console)."""
    _translations.cache_clear()


# --- dates, times and numbers -----------------------------------------------------------------


def babel_locale() -> Locale:
    return Locale.parse(LANGUAGES.get(current_language(), LANGUAGES[DEFAULT_LANGUAGE])[1])


def format_moment(moment: datetime, zone: tzinfo, *, weekday: bool = False) -> str:
    """`Sun 2027-02-07 10:00 EST` in English, `2027-02-07 周日 10:00 EST` in Chinese (weekday optional)."""
    local = moment.astimezone(zone)
    if weekday:
        pattern = "EEE yyyy-MM-dd HH:mm" if current_language() == DEFAULT_LANGUAGE else "yyyy-MM-dd EEE HH:mm"
    else:
        pattern = "yyyy-MM-dd HH:mm"
    return f"{format_datetime(local, pattern, tzinfo=zone, locale=babel_locale())} {local.strftime('%Z')}"


def format_day(day: date) -> str:
    """A date as the reader writes it (`Feb 7, 2027`, `2027年2月7日`)."""
    return format_date(day, "medium", locale=babel_locale())


def format_number(value: float) -> str:
    """`12,345` with the reader's grouping."""
    return format_decimal(value, locale=babel_locale())


def format_rate(rate: float) -> str:
    """`93.5%`: one decimal, as the reader writes percentages."""
    return format_percent(rate, "#,##0.0%", locale=babel_locale())
