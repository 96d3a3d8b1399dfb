"""What the bot posts on Discord shows people's words as written: no live mentions, no disguised links."""

from __future__ import annotations

from bot.discord.render import escape, reply_messages
from handlers.kit.replies import Reply


def test_a_masked_link_in_user_text_is_shown_as_typed_not_as_a_disguised_link() -> None:
    text = "invoice at [click here](https://evil.example/steal) and [two\nlines](<https://evil.example>)"
    shown = escape(text)
    assert "\\[click here](https://evil.example/steal)" in shown
    assert "\\[two\nlines](<https://evil.example>)" in shown
    assert "[click here](" not in shown.replace("\\[click here](", "")


def test_plain_links_and_brackets_stay_readable() -> None:
    assert escape("see https://item.taobao.com/item.htm?id=1 [note] (later)") == (
        "see https://item.taobao.com/item.htm?id=1 [note] (later)"
    )


def test_replies_and_their_fields_are_escaped_too() -> None:
    reply = Reply("[Removed](https://evil.example)", fields=[("Note", "[here](https://evil.example)")])
    (rendered,) = reply_messages(reply)
    assert rendered.content.startswith("\\[Removed](")
    assert all("\\[here](" in str(embed.to_dict()) for embed in rendered.embeds)
