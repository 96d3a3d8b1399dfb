"""Command and option descriptions in the reader's Discord language, from the message catalogs.

discord.py asks the tree's translator for every name and description when it syncs the commands;
this one answers descriptions in Simplified Chinese for `zh-CN` and `zh-TW` (Discord has no
separate Simplified locale besides zh-CN; Taiwan's readers get the Simplified text rather than
English) and nothing for names: command words and option names are the same on every platform.
A translation Discord would refuse (over its description limit) is left out, so the English shows.
"""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.app_commands import TranslationContextLocation as Where

from bot.discord.limits import DESCRIPTION_LENGTH, NAME_LENGTH
from handlers.kit.i18n import _, in_language

log = logging.getLogger(__name__)
LOCALES = {discord.Locale.chinese: "zh", discord.Locale.taiwan_chinese: "zh"}
DESCRIPTIONS = frozenset({Where.command_description, Where.group_description, Where.parameter_description})


def described(text: str, lang: str) -> str | None:
    """`text` (an English description) in `lang`, or None when there is no usable translation."""
    with in_language(lang):
        translated = _(text)
    if translated == text:
        return None
    low, high = DESCRIPTION_LENGTH
    if not low <= len(translated) <= high:
        log.warning("the %s description of %r is %d characters (Discord allows %d-%d): left out", lang, text,
                    len(translated), low, high)  # fmt: skip
        return None
    return translated


def menu_name(text: str, lang: str) -> str | None:
    """A message command's name in `lang` (1-32 characters, spaces allowed), or None."""
    with in_language(lang):
        translated = _(text)
    low, high = NAME_LENGTH
    return translated if translated != text and low <= len(translated) <= high else None


class CatalogTranslator(app_commands.Translator):
    async def translate(
        self, string: app_commands.locale_str, locale: discord.Locale, context: app_commands.TranslationContext
    ) -> str | None:
        lang = LOCALES.get(locale)
        if lang is not None and isinstance(context.data, app_commands.ContextMenu):
            return menu_name(string.message, lang)  # a message command's name is its label
        if lang is None or context.location not in DESCRIPTIONS:
            return None
        return described(string.message, lang)
