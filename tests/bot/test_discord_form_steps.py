"""Forms on Discord in steps of at most five inputs, and the drafts that keep what was typed."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.discord.form_steps import DRAFT_SECONDS, DRAFTS_PER_PERSON, MODAL_COMPONENTS, FormDrafts, StepModal
from handlers import catalogue  # noqa: F401  (every command module registers its forms)
from handlers.kit.context import Attachment
from handlers.kit.forms import FORMS, Choice, Form, FormField, FormRequest
from support.fake_discord import check_modal

ME, SOMEONE = 1001, 1002


async def _ignore(*_: Any) -> None:
    return None


def request_for(form: Form) -> FormRequest:
    """The form with a choice for every select (as a caller's organisation would give)."""
    return FormRequest(form, {f.name: f.choices or (Choice("x", "X"),) for f in form.fields if f.kind == "select"})


def modals(draft_form: Form) -> list[dict[str, Any]]:
    """Every step of the form as the modal payload discord.py sends."""

    async def build() -> list[dict[str, Any]]:
        drafts = FormDrafts()
        draft = drafts.open(ME, request_for(draft_form))
        payloads = []
        for step in range(len(draft.steps)):
            draft.step = step
            payloads.append(StepModal(draft, _ignore).to_dict())
        return payloads

    return asyncio.run(build())


@pytest.mark.parametrize("command", sorted(FORMS))
def test_every_form_is_shown_in_modals_discord_accepts_with_each_field_once(command: str) -> None:
    form = FORMS[command]
    payloads = modals(form)
    assert len(payloads) == -(-len(form.fields) // MODAL_COMPONENTS)
    shown = []
    for payload in payloads:
        check_modal(payload)  # raises as Discord refuses: over 5 components, long labels, ...
        shown += [row["components"][0]["custom_id"] for row in payload["components"]]
    assert shown == [field.name for field in form.fields]


def test_a_form_of_eleven_fields_is_three_steps_of_five_five_and_one() -> None:
    form = Form(
        "survey", "A long survey", "Send",
        tuple(FormField(f"q{n}", f"Question {n}", "text") for n in range(11)),
        to_args=lambda values: None,  # type: ignore[arg-type,return-value]
    )  # fmt: skip
    payloads = modals(form)
    assert [len(p["components"]) for p in payloads] == [5, 5, 1]
    assert [p["title"] for p in payloads] == ["A long survey (1/3)", "A long survey (2/3)", "A long survey (3/3)"]
    assert form.step_of("q10", MODAL_COMPONENTS) == 2 and form.step_of("q4", MODAL_COMPONENTS) == 0


def test_a_draft_is_found_only_by_its_key_for_its_person_and_until_it_expires() -> None:
    now = [0.0]
    drafts = FormDrafts(clock=lambda: now[0])
    request = request_for(FORMS["apply"])
    draft = drafts.open(ME, request, attachments=(Attachment("letter.pdf", b"%PDF-1.7"),))
    assert len(draft.key) >= 16 and drafts.get(draft.key, ME) is draft
    assert drafts.get(draft.key, SOMEONE) is None  # someone else with the key finds nothing
    assert drafts.get(draft.key[:-1] + ("A" if draft.key[-1] != "A" else "B"), ME) is None
    now[0] += DRAFT_SECONDS + 1
    assert drafts.get(draft.key, ME) is None and len(drafts) == 0


def test_a_person_holds_a_few_drafts_at_most_and_the_oldest_goes_first() -> None:
    drafts = FormDrafts()
    request = request_for(FORMS["apply"])
    opened = [drafts.open(ME, request) for _ in range(DRAFTS_PER_PERSON + 2)]
    other = drafts.open(SOMEONE, request)
    assert [drafts.get(d.key, ME) is not None for d in opened] == [False, False] + [True] * DRAFTS_PER_PERSON
    assert drafts.get(other.key, SOMEONE) is other
