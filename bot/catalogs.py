"""The message catalogs: extract the texts marked in the code, update the `.po` files, compile them.

`python -m bot.catalogs messages` (`make messages`) extracts each domain's texts to
`locales/<domain>.pot` and merges them into every language's `locales/<dir>/LC_MESSAGES/<domain>.po`
(new texts arrive untranslated, changed ones fuzzy); `python -m bot.catalogs compile`
(`make catalogs`, also run by the install) writes the `.mo` files the bot reads.
One domain per area, so that people translating different areas never edit the same file. The
`help` domain holds what `help <command>` shows: each registered command's docstring (its usage
and explanation), read from the handlers by `extract_usages`.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Collection, Iterator
from io import BytesIO
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from handlers.kit.i18n import DEFAULT_LANGUAGE, DOMAINS, LANGUAGES, LOCALES_DIR

ROOT = LOCALES_DIR.parent
# Each domain's source: directories and single files, relative to the repository root.
SOURCES: dict[str, tuple[str, ...]] = {
    "kit": (
        "handlers/kit",
        "handlers/help.py",
        "handlers/home.py",
        "handlers/threads.py",
        "handlers/catalogue.py",
        "handlers/language_choice.py",
    ),
    "cases": ("handlers/cases",),
    "program": ("handlers/program",),
    "working_group": ("handlers/working_group",),
    "calendar": ("handlers/calendar",),
    "admin": ("handlers/admin",),
    "bot": ("bot",),
    "schedules": ("schedules",),
    "help": ("handlers",),  # the docstrings of the commands, not the texts marked with `_`
}
assert tuple(SOURCES) == DOMAINS
USAGE_DOMAINS = frozenset({"help"})
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "deferred_plural": (1, 2)}
HEADER = "MarketSafe bot messages"
TRANSLATORS = "MarketSafe program team"
USAGE_NOTE = (
    "Translators: the usage `help <command>` shows. Keep the syntax lines (the first line, and lines "
    "of command words, options and <placeholders>) and the example's command exactly as typed; "
    "translate the explanations, the word Example and parenthesised remarks."
)


def source_files(domain: str) -> Iterator[Path]:
    for source in SOURCES[domain]:
        path = ROOT / source
        yield from sorted(path.rglob("*.py")) if path.is_dir() else [path]


def extract_usages(
    fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str], options: dict[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    """A Babel extraction method: the docstring of every function registered with `@command(...)`,
    cleaned as the registry cleans it, so that the message id is exactly the usage `help` shows."""
    tree = ast.parse(fileobj.read())
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef) or not any(_is_command(d) for d in node.decorator_list):
            continue
        usage = ast.get_docstring(node, clean=True)
        if usage:
            yield node.lineno, None, usage, [USAGE_NOTE]


def _is_command(decorator: ast.expr) -> bool:
    called = decorator.func if isinstance(decorator, ast.Call) else None
    return (isinstance(called, ast.Name) and called.id == "command") or (
        isinstance(called, ast.Attribute) and called.attr == "command"
    )


def extract(domain: str) -> Catalog:
    """The texts marked in a domain's source (for `help`, the commands' usages), as a template catalog."""
    catalog = Catalog(project="marketsafe", header_comment=f"# {HEADER}: {domain}", fuzzy=False)
    # Babel runs a method as (lineno, funcname, messages, comments); its type hints say otherwise.
    method: Any = extract_usages if domain in USAGE_DOMAINS else "python"
    for path in source_files(domain):
        for lineno, message, comments, _context in extract_from_file(
            method, path, keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            catalog.add(message, None, [(str(path.relative_to(ROOT)), lineno)], auto_comments=comments)
    return catalog


def po_path(directory: str, domain: str) -> Path:
    return LOCALES_DIR / directory / "LC_MESSAGES" / f"{domain}.po"


def translated_directories() -> list[str]:
    return [directory for lang, (directory, _locale) in LANGUAGES.items() if lang != DEFAULT_LANGUAGE]


def messages() -> None:
    """Extract every domain to its `.pot` and merge it into each language's `.po`; a file whose
    messages did not change is left as it is (its dates too), so catalogs change only with texts."""
    for domain in DOMAINS:
        template = extract(domain)
        _write_if_changed(LOCALES_DIR / f"{domain}.pot", template, sort_output=False)
        for directory in translated_directories():
            path = po_path(directory, domain)
            if path.exists():
                with path.open("rb") as file:
                    catalog = read_po(file, locale=directory)
                catalog.update(template, update_header_comment=False)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                catalog = Catalog(locale=directory, project="marketsafe", fuzzy=False)
                catalog.last_translator = catalog.language_team = TRANSLATORS
                catalog.update(template)
            _write_if_changed(path, catalog, ignore_obsolete=True)


def _write_if_changed(path: Path, catalog: Catalog, **options: bool) -> None:
    """Write the catalog unless the file already holds the same messages (headers aside)."""
    fresh = BytesIO()
    write_po(fresh, catalog, width=100, omit_header=True, **options)
    if path.exists():
        with path.open("rb") as file:
            kept = read_po(file, locale=catalog.locale)
        stored = BytesIO()
        write_po(stored, kept, width=100, omit_header=True, **options)
        if stored.getvalue() == fresh.getvalue():
            return
    with path.open("wb") as file:
        write_po(file, catalog, width=100, **options)


def compile_all() -> None:
    """Write each `.po` file's `.mo` beside it."""
    for directory in translated_directories():
        for domain in DOMAINS:
            path = po_path(directory, domain)
            if not path.exists():
                continue
            with path.open("rb") as file:
                catalog = read_po(file, locale=directory)
            with path.with_suffix(".mo").open("wb") as file:
                write_mo(file, catalog)


def main(argv: list[str]) -> int:
    if argv[1:] == ["messages"]:
        messages()
    elif argv[1:] == ["compile"]:
        compile_all()
    else:
        print("usage: python -m bot.catalogs messages|compile", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
