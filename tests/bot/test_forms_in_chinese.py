"""Every form in Chinese stays within both platforms' limits (counted in characters, as they count)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from slack_sdk.models.views import View

from bot.discord.form_steps import FormDrafts, StepModal
from bot.slack.blocks import modal
from handlers import catalogue  # noqa: F401  (every command module registers its forms)
from handlers.kit.forms import FORMS, Choice, Form, FormRequest, in_reader_language
from handlers.kit.i18n import in_language
from support.fake_discord import check_modal
from support.slack_limits import refusal


def request_for(form: Form) -> FormRequest:
    """The form with a choice for every select (as a caller's organisation would give)."""
    return FormRequest(form, {f.name: f.choices or (Choice("x", "X"),) for f in form.fields if f.kind == "select"})


def modals(form: Form) -> list[dict[str, Any]]:
    """Every step of the form as the modal payload discord.py sends."""

    async def ignore(*_: Any) -> None:
        return None

    async def build() -> list[dict[str, Any]]:
        draft = FormDrafts().open(1001, request_for(form))
        payloads = []
        for step in range(len(draft.steps)):
            draft.step = step
            payloads.append(StepModal(draft, ignore).to_dict())
        return payloads

    return asyncio.run(build())


@pytest.mark.parametrize("command", sorted(FORMS))
def test_a_form_in_chinese_is_a_modal_both_platforms_accept(command: str) -> None:
    with in_language("zh"):
        form = in_reader_language(FORMS[command])
    for payload in modals(form):
        check_modal(payload)  # raises as Discord refuses: title over 45, labels over 45, ...
    view = modal(request_for(form), {"channel": "C0123ABCD"})
    assert refusal("views.open", {"view": view}) is None
    View(**view).validate_json()  # slack_sdk's own limits: title and submit 24, labels, placeholders


def test_the_complaint_form_reads_chinese_and_keeps_its_field_names() -> None:
    with in_language("zh"):
        form = in_reader_language(FORMS["complaint"])
    assert (form.title, form.submit) == ("提交投诉", "提交")
    assert [(field.name, field.label) for field in form.fields][:3] == [
        ("right", "知识产权"), ("links", "链接"), ("reason", "理由"),
    ]  # fmt: skip


def test_every_chinese_command_and_option_description_fits_discord() -> None:
    from bot.discord.limits import DESCRIPTION_LENGTH
    from handlers.kit.i18n import _
    from handlers.kit.registry import COMMANDS, GROUPS

    texts = [spec.summary for spec in COMMANDS.values()] + [group.summary for group in GROUPS.values()]
    texts += [option.description for spec in COMMANDS.values() for option in spec.options]
    with in_language("zh"):
        too_long = {text: _(text) for text in texts if len(_(text)) > DESCRIPTION_LENGTH[1]}
    assert too_long == {}
