"""Long text split into parts that each fit a platform's limit, in order, with nothing cut.

A part ends at the last paragraph break that fits, else the last line break, else the last space;
only a single word longer than the limit is broken inside, and never just after a backslash (an
escape such as Discord's `\\[` stays whole). Joined with the separators they ended at, the parts
give back the text, less the whitespace at the breaks.
"""

from __future__ import annotations

BREAKS = ("\n\n", "\n", " ")


def split_text(text: str, most: int) -> list[str]:
    """`text` in parts of at most `most` characters each; no part is empty (unless `text` is)."""
    if most < 2:
        raise ValueError("parts must hold at least two characters")
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > most:
        cut = _cut(rest, most)
        part = rest[:cut].rstrip()
        if part:
            parts.append(part)
        rest = rest[cut:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return parts


def _cut(text: str, most: int) -> int:
    for separator in BREAKS:
        found = text.rfind(separator, 0, most + 1)
        if found > 0 and text[:found].strip():
            return found
    cut = most
    while cut > 1 and text[cut - 1] == "\\":
        cut -= 1
    return cut
