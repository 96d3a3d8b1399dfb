"""What the bot posts on Discord shows people's words as written: no live mentions, no disguised links."""

from __future__ import annotations

import pytest

from bot.discord.render import escape, reply_messages
from handlers.kit.replies import Reply


def discord_reads(shown: str) -> tuple[str, list[int]]:
    """What Discord's markdown shows for `shown` (a backslash before punctuation is an escape), and
    where brackets that could open or close a masked link are left unescaped."""
    displayed, live, position = [], [], 0
    while position < len(shown):
        character = shown[position]
        following = shown[position + 1 : position + 2]
        if character == "\\" and following and not following.isalnum() and not following.isspace():
            displayed.append(following)
            position += 2
            continue
        if character in "[]":
            live.append(position)
        displayed.append(character)
        position += 1
    return "".join(displayed), live


@pytest.mark.parametrize(
    "typed",
    [
        "invoice at [click here](https://evil.example/steal)",
        "across [two\nlines](<https://evil.example>)",
        "\\\\[click here](https://evil.example/steal)",
        "\\[already escaped](https://evil.example/steal)",
        "[a [b] c](https://evil.example/steal)",
        "[[click]](https://evil.example/steal)",
    ],
    ids=["plain", "across lines", "after an escaped backslash", "already escaped", "nested brackets", "doubled"],
)
def test_a_masked_link_in_user_text_is_shown_as_typed_not_as_a_disguised_link(typed: str) -> None:
    displayed, live_brackets = discord_reads(escape(typed))
    assert live_brackets == []
    assert displayed == typed


def test_plain_links_and_brackets_stay_readable() -> None:
    assert escape("see https://item.taobao.com/item.htm?id=1 [note] (later)") == (
        "see https://item.taobao.com/item.htm?id=1 [note] (later)"
    )


def test_replies_their_fields_and_lines_are_escaped_too() -> None:
    reply = Reply(
        "[Removed](https://evil.example)",
        fields=[("Note", "\\[here](https://evil.example)")],
        lines=["[a [b] c](https://evil.example)"],
    )
    (rendered,) = reply_messages(reply)
    shown = [rendered.content, *(f.value or "" for e in rendered.embeds for f in e.fields)]
    shown += [e.description or "" for e in rendered.embeds if e.description]
    assert [discord_reads(text) for text in shown] == [
        ("[Removed](https://evil.example)", []),
        ("\\[here](https://evil.example)", []),
        ("[a [b] c](https://evil.example)", []),
    ]
