"""Filing complaints: what members see registered, merged, held and rejected."""

from __future__ import annotations

from handlers.kit.context import Attachment
from support.harness import Harness

TAOBAO = "https://item.taobao.com/item.htm?id={}"


def test_links_in_prose_are_registered_with_duplicates_short_links_and_junk_reported(program: Harness) -> None:
    reply = program.ok(
        "complaint reason=counterfeit 请下架 https://item.taobao.com/item.htm?id=123&spm=a1z10 "
        "and the mobile copy https://h5.m.taobao.com/awp/core/detail.htm?id=123 "
        "https://m.tb.cn/h.abc https://example.com/x",
        as_="brand1",
    )
    text = reply.render_plain()
    assert reply.text == "Registered 1 item in MS-000001 (1 Taobao listing)."
    assert "same listing as https://item.taobao.com/item.htm?id=123&spm=a1z10" in text
    assert "https://m.tb.cn/h.abc" in text and "held" in text
    assert "example.com is not a supported marketplace" in text


def test_more_than_300_links_are_split_into_complaints_of_at_most_300(program: Harness) -> None:
    links = " ".join(TAOBAO.format(n) for n in range(1, 651))
    reply = program.ok(f"complaint {links}", as_="brand1")
    assert "650 items" in reply.text
    assert (
        "MS-000001 (300 Taobao listings), MS-000002 (300 Taobao listings), MS-000003 (50 Taobao listings)" in reply.text
    )
    posted = program.delivered()
    team_cases = [p.case_id for p in posted if p.channel == "team" and p.kind == "case_opened"]
    assert team_cases == ["MS-000001", "MS-000002", "MS-000003"]
    assert [p.kind for p in posted].count("routing_warning") == 1


def test_each_platform_and_kind_gets_its_own_complaint(program: Harness) -> None:
    reply = program.ok(
        "complaint https://detail.tmall.com/item.htm?id=5 https://item.taobao.com/item.htm?id=5 "
        "https://shop778899.taobao.com/",
        as_="brand1",
    )
    assert "1 Tmall listing" in reply.text and "1 Taobao listing" in reply.text
    assert "1 Taobao storefront" in reply.text


def test_link_already_in_own_open_case_is_merged_not_filed_again(program: Harness) -> None:
    program.ok(f"complaint {TAOBAO.format(77)}", as_="brand1")
    reply = program.ok(f"complaint {TAOBAO.format(77)}", as_="brand1")
    assert reply.text == "Nothing new was registered."
    assert "already in your open case MS-000001" in reply.render_plain()


def test_link_in_another_organisations_open_case_is_flagged_to_the_team(program: Harness) -> None:
    program.ok(f"complaint {TAOBAO.format(88)}", as_="brand1")
    program.delivered()
    reply = program.ok(f"complaint {TAOBAO.format(88)} {TAOBAO.format(89)}", as_="brand2")
    assert "Registered 1 item in MS-000002" in reply.text
    assert "flagged to the team, not filed twice" in reply.render_plain()
    assert "MS-000001" not in reply.render_plain(), "another organisation's case id must not leak"
    flags = [p for p in program.delivered() if p.kind == "cross_member_duplicate"]
    assert len(flags) == 1 and flags[0].channel == "team"


def test_the_teams_duplicate_flag_names_the_case_holding_the_link_and_the_filer_does_not_learn_it(
    program: Harness,
) -> None:
    program.ok(f"complaint {TAOBAO.format(88)}", as_="brand1")
    program.delivered()
    reply = program.ok(f"complaint {TAOBAO.format(88)} {TAOBAO.format(89)}", as_="brand2")
    assert "MS-000001" not in reply.render_plain(), "the filing organisation must not learn the other case"
    (flag,) = [notice for notice in reply.notices if notice.kind == "cross_member_duplicate"]
    assert flag.channel == "team"
    assert flag.fields == (("Links", f"- {TAOBAO.format(88)} (in MS-000001)"),)
    for posted in program.delivered():
        assert posted.channel == "team" or "MS-000001" not in posted.text, posted


def test_complaint_needs_a_verified_unexpired_right(program: Harness) -> None:
    program.ok('admin right add acme copyright R-9 mark="ACME logo" jurisdiction=US')
    message = program.refused(f"complaint right=3 {TAOBAO.format(1)}", as_="brand1")
    assert "pending verification" in message
    program.ok("admin right verify 3")
    message = program.refused(f"complaint {TAOBAO.format(1)}", as_="brand1")
    assert "several IP rights" in message and "#1" in message and "#3" in message
    program.clock.advance(days=365 * 5)
    message = program.refused(f"complaint right=1 {TAOBAO.format(1)}", as_="brand1")
    assert "expired" in message


def test_a_platform_chosen_by_the_member_rejects_links_of_other_platforms(program: Harness) -> None:
    reply = program.ok(
        f"complaint platform=tmall https://detail.tmall.com/item.htm?id=1 {TAOBAO.format(2)}", as_="brand1"
    )
    assert "1 Tmall listing" in reply.text
    assert "this is a Taobao link, but the complaint is for Tmall" in reply.render_plain()


def test_reason_other_needs_a_note_and_notes_are_limited(program: Harness) -> None:
    assert "needs a note" in program.refused(f"complaint reason=other {TAOBAO.format(1)}", as_="brand1")
    long_note = "x" * 1001
    assert "limit is 1000" in program.refused(f'complaint note="{long_note}" {TAOBAO.format(1)}', as_="brand1")
    assert "is not a reason code" in program.refused(f"complaint reason=fake {TAOBAO.format(1)}", as_="brand1")


def test_message_without_links_is_refused_with_an_example(program: Harness) -> None:
    message = program.refused("complaint please take these down", as_="brand1")
    assert "no marketplace links" in message and "item.taobao.com" in message


def test_links_from_an_attached_csv_file_are_filed(program: Harness) -> None:
    content = ("link\n" + "\n".join(TAOBAO.format(n) for n in range(1, 6)) + "\nnot a link\n").encode()
    reply = program.ok("complaint", as_="brand1", attachments=(Attachment("links.csv", content),))
    assert reply.text.startswith("Registered 5 items")


def test_each_csv_row_whose_link_cell_holds_no_link_is_answered_by_its_line(program: Harness) -> None:
    content = (
        "link,comment\n"
        f"{TAOBAO.format(1)},first\n"
        "hello,a word\n"
        f"{TAOBAO.format(2)},second\n"
        "taobao.com,a bare marketplace\n"
        ",no link at all\n"
        "https://example.com/x,another site\n"
    ).encode()
    reply = program.ok("complaint", as_="brand1", attachments=(Attachment("links.csv", content),))
    lines = reply.render_plain().splitlines()
    assert lines[0].startswith("Registered 2 items")
    assert "  3 rows of links.csv hold no link:" in lines
    assert "    - line 3: hello is not a link: paste the full link starting with https://" in lines
    assert any(line.startswith("    - line 5: Taobao link without an item id") for line in lines)
    assert "    - line 6: empty link: paste the full listing link" in lines
    assert any(line.startswith("    - https://example.com/x: example.com is not a supported") for line in lines)


def test_a_csv_file_of_rows_without_links_is_answered_row_by_row(program: Harness) -> None:
    content = b"link\nhello\nworld\n"
    reply = program.ok("complaint", as_="brand1", attachments=(Attachment("links.csv", content),))
    assert reply.render_plain().splitlines() == [
        "Nothing new was registered.",
        "  2 rows of links.csv hold no link:",
        "    - line 2: hello is not a link: paste the full link starting with https://",
        "    - line 3: world is not a link: paste the full link starting with https://",
    ]


def test_a_broken_csv_file_is_refused_with_its_problem(program: Harness) -> None:
    message = program.refused("complaint", as_="brand1", attachments=(Attachment("links.csv", b"url\nx\n"),))
    assert "no column named link" in message
    message = program.refused("complaint", as_="brand1", attachments=(Attachment("bad.csv", b"link\n\xff\xfe"),))
    assert "not UTF-8" in message


def test_a_retried_request_registers_nothing_twice(program: Harness) -> None:
    first = program.ok(f"complaint {TAOBAO.format(5)}", as_="brand1", request_key="slack:retry-1")
    posted = program.delivered()
    again = program.ok(f"complaint {TAOBAO.format(5)}", as_="brand1", request_key="slack:retry-1")
    assert again.text == first.text == "Registered 1 item in MS-000001 (1 Taobao listing)."
    assert program.delivered() == [] and len(posted) == 3  # the team's, the brand's, the routing warning
    assert program.ok("cases", as_="brand1").text == "1 case (page 1 of 1):"


def test_a_request_refused_once_is_answered_afresh_when_retried(program: Harness) -> None:
    assert "no marketplace links" in program.refused("complaint nothing here", as_="brand1", request_key="k-2")
    assert program.ok(f"complaint {TAOBAO.format(6)}", as_="brand1", request_key="k-2").text.startswith("Registered")


def test_people_outside_the_program_cannot_file(program: Harness) -> None:
    message = program.refused(f"complaint {TAOBAO.format(1)}", as_="stranger")
    assert "need to be in the program" in message
    message = program.refused(f"complaint {TAOBAO.format(1)}", as_="team1")
    assert "not a member of an organisation" in message


def test_filing_posts_the_case_to_the_team_with_outcome_buttons_and_to_the_brand(program: Harness) -> None:
    program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1")
    posted = {p.channel: p for p in program.delivered() if p.kind == "case_opened"}
    assert posted["team"].case_id == "MS-000001"
    assert "outcome MS-000001 all removed" in posted["team"].buttons
    assert posted["org:acme"].case_id == "MS-000001" and not posted["org:acme"].buttons


def test_full_width_digits_are_filed_as_the_listing_and_a_refused_link_is_echoed_as_pasted(program: Harness) -> None:
    reply = program.ok(
        "complaint https://item.taobao.com/item.htm?id=１２３４ https://item.taobao.com/item.htm？id＝５", as_="brand1"
    )
    assert reply.text == "Registered 1 item in MS-000001 (1 Taobao listing)."
    assert reply.lines == [
        "1 link rejected:",
        "  - https://item.taobao.com/item.htm？id＝５: Taobao link without an item id: paste the item page link "
        "(item.taobao.com/item.htm?id=...)",
    ]
    assert f"1. reported {TAOBAO.format(1234)} (pasted: https://item.taobao.com/item.htm?id=１２３４)" in (
        program.ok("case MS-000001", as_="brand1").lines
    )
