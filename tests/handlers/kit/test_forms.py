"""Forms: what a platform is asked to show, and what a submitted form does."""

from __future__ import annotations

from bot.router import Incoming
from handlers.kit.context import Caller
from handlers.kit.replies import Reply
from support.harness import Harness


def submit(bot: Harness, as_: str, command: str, values: dict[str, str], key: str | None = None) -> Reply:
    form = bot.ok(command, as_=as_).form
    assert form is not None
    args = form.form.to_args(values)
    return bot.router.handle(Incoming(Caller("console", as_), form.form.command, args=args, request_key=key))


def test_complaint_without_links_asks_for_the_form_with_the_organisations_usable_rights(program: Harness) -> None:
    program.ok('admin right add acme copyright C-1 mark="ACME logo" jurisdiction=US')
    reply = program.ok("complaint", as_="brand1")
    assert reply.form is not None and reply.form.form.command == "complaint"
    assert [choice.label for choice in reply.form.choices["right"]] == ["ACME · trademark CN 1234567"]
    assert [choice.value for choice in reply.form.choices["platform"]][:3] == ["taobao", "tmall", "tmall_global"]
    assert reply.form.initial == {"reason": "counterfeit"}
    assert "Paste the links after `complaint`" in reply.text


def test_a_submitted_complaint_form_files_the_links(program: Harness) -> None:
    values = {
        "right": "1",
        "reason": "counterfeit",
        "links": "https://item.taobao.com/item.htm?id=5\nsee also",
        "note": "",
    }
    reply = submit(program, "brand1", "complaint", values)
    assert reply.text == "Registered 1 item in MS-000001 (1 Taobao listing)."


def test_form_errors_name_the_field_to_correct(program: Harness) -> None:
    no_links = submit(program, "brand1", "complaint", {"right": "1", "reason": "counterfeit", "links": "none here"})
    assert no_links.is_error and no_links.error_field == "links"
    other = submit(
        program, "brand1", "complaint", {"right": "1", "reason": "other", "links": "item.taobao.com/item.htm?id=1"}
    )
    assert other.is_error and other.error_field == "note"
    wrong_case = submit(program, "team1", "outcome", {"case": "MS-000077", "items": "all", "outcome": "removed"})
    assert wrong_case.is_error and wrong_case.error_field == "case"


def test_outcome_form_is_prefilled_with_the_case_and_every_outcome_word(program: Harness) -> None:
    program.ok("complaint https://item.taobao.com/item.htm?id=9", as_="brand1")
    reply = program.ok("outcome MS-000001", as_="team1")
    assert reply.form is not None
    assert reply.form.initial == {"items": "all", "case": "MS-000001"}
    assert "counter_notice" in [choice.value for choice in reply.form.choices["outcome"]]
    done = submit(program, "team1", "outcome MS-000001", {"case": "MS-000001", "items": "", "outcome": "removed"})
    assert done.text.startswith("MS-000001: item 1 is now removed")
    bad_items = submit(program, "team1", "outcome", {"case": "MS-000001", "items": "7", "outcome": "removed"})
    assert bad_items.error_field == "items"


def test_a_brand_member_gets_no_outcome_form(program: Harness) -> None:
    assert "Only the IACC/Alibaba team" in program.refused("outcome", as_="brand1")
