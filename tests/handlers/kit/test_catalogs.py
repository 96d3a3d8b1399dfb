"""The message catalogs keep up with the code: every text marked in the code has a Chinese
translation that is not fuzzy and has the same placeholders as its English source."""

from __future__ import annotations

import string
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.catalogs import SOURCES, USAGE_DOMAINS, extract, po_path, translated_directories
from handlers.kit.i18n import DOMAINS, _, in_language, ngettext, reload_catalogs


def _placeholders(texts: Iterable[str]) -> set[str]:
    return {name for text in texts for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}


def _read(path: Path, locale: str) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=locale)


@pytest.mark.parametrize("domain", DOMAINS)
@pytest.mark.parametrize("directory", translated_directories())
def test_every_text_in_the_code_has_a_complete_translation(domain: str, directory: str) -> None:
    template = extract(domain)  # from the code as it is now, not from a .pot that may be stale
    catalog = _read(po_path(directory, domain), directory)
    problems = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id)
        source = [message.id] if isinstance(message.id, str) else list(message.id)
        if entry is None:
            problems.append(f"missing: {source[0]!r}")
            continue
        translated = [entry.string] if isinstance(entry.string, str) else list(entry.string or ())
        if entry.fuzzy:
            problems.append(f"fuzzy: {source[0]!r}")
        elif not all(translated):
            problems.append(f"untranslated: {source[0]!r}")
        elif any(_placeholders([text]) != _placeholders(source) for text in translated):
            problems.append(f"placeholders differ: {source[0]!r} -> {translated!r}")
    assert problems == [], f"{directory}/{domain}.po needs `make messages` and translations:\n" + "\n".join(problems)


def test_every_source_directory_belongs_to_one_domain() -> None:
    """Of the texts marked with `_`; the `help` domain reads the commands' docstrings everywhere."""
    claimed = [source for domain, sources in SOURCES.items() if domain not in USAGE_DOMAINS for source in sources]
    assert len(claimed) == len(set(claimed))
    assert set(SOURCES) == set(DOMAINS)


def test_an_uncompiled_catalog_is_read_from_its_po_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fresh clone has no .mo files: the bot compiles the .po in memory, and still speaks Chinese."""
    import handlers.kit.i18n as i18n

    fresh = tmp_path / "locales"
    for po in i18n.LOCALES_DIR.glob("*/LC_MESSAGES/*.po"):
        copy = fresh / po.relative_to(i18n.LOCALES_DIR)
        copy.parent.mkdir(parents=True, exist_ok=True)
        copy.write_bytes(po.read_bytes())
    monkeypatch.setattr(i18n, "LOCALES_DIR", fresh)
    reload_catalogs()
    try:
        with in_language("zh"):
            assert _("Open cases: {count}", count=3) == "未结案件：3"
            assert ngettext("{count} link rejected", "{count} links rejected", 2) == "2 个链接被拒绝"
        assert not list(fresh.glob("*/LC_MESSAGES/*.mo"))
    finally:
        monkeypatch.undo()
        reload_catalogs()


def test_english_is_the_source_and_needs_no_catalog() -> None:
    with in_language("en"):
        assert _("Open cases: {count}", count=3) == "Open cases: 3"
        assert ngettext("{count} link rejected", "{count} links rejected", 1) == "1 link rejected"


def test_a_localized_text_reads_as_the_program_language_and_carries_the_others() -> None:
    from handlers.kit.i18n import localized, set_program_language

    text = localized(lambda: _("Open cases: {count}", count=5))
    assert text == "Open cases: 5" and text.in_("zh") == "未结案件：5" and text.in_("zh-CN") == "未结案件：5"
    set_program_language("zh")
    try:
        assert localized(lambda: _("Open cases: {count}", count=5)) == "未结案件：5"
    finally:
        set_program_language("en")
