"""Following cases (`case`, `cases`) and taking items back (`withdraw`)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.router import Incoming
from handlers.home import home
from handlers.kit.context import Caller
from storage.queries import cases as case_queries
from support.harness import Harness, Posted

TAOBAO = "https://item.taobao.com/item.htm?id={}"
TMALL = "https://detail.tmall.com/item.htm?id={}"


def file_listings(bot: Harness, count: int, as_: str = "brand1", first: int = 1, link: str = TAOBAO) -> None:
    bot.ok("complaint " + " ".join(link.format(n) for n in range(first, first + count)), as_=as_)


def message_ref(bot: Harness, posted: Posted) -> str:
    return f"msg-{bot.poster.posted.index(posted) + 1}"


# --- case: who sees what ----------------------------------------------------------------------


def test_a_brand_sees_its_own_case_with_items_and_no_team_actions(program: Harness) -> None:
    file_listings(program, 2)
    reply = program.ok("case MS-000001", as_="brand1")
    assert reply.text == "MS-000001 · submitted · 2 Taobao listings"
    assert reply.fields == [
        ("Organisation", "ACME Corp"),
        ("IP right", "trademark ACME (CN 1234567, #1)"),
        ("Reason", "counterfeit"),
        ("Filed", "2026-11-18 15:00 EST by console:brand1"),
        ("Items", "2 reported"),
    ]
    assert reply.lines[:3] == [
        "Items, page 1 of 1:",
        f"1. reported {TAOBAO.format(1)}",
        f"2. reported {TAOBAO.format(2)}",
    ]
    assert reply.buttons == []


def test_another_organisations_case_answers_exactly_like_a_missing_one(program: Harness) -> None:
    file_listings(program, 1)
    other = program.refused("case MS-000001", as_="brand2")
    missing = program.refused("case MS-000099", as_="brand2")
    assert other == "There is no case MS-000001 among your organisation's cases. `cases` lists them."
    assert other.replace("MS-000001", "MS-X") == missing.replace("MS-000099", "MS-X")
    assert "ACME" not in other


def test_another_organisation_cannot_reply_in_a_case(program: Harness) -> None:
    file_listings(program, 1)
    program.delivered()
    message = program.refused("case MS-000001 reply we also sell these", as_="brand2")
    assert message.startswith("There is no case MS-000001 among your organisation's cases.")
    assert program.delivered() == []


def test_the_team_sees_every_organisations_cases_with_outcome_actions(program: Harness) -> None:
    file_listings(program, 1)
    file_listings(program, 1, as_="brand2", first=50)
    for case, organisation in (("MS-000001", "ACME Corp"), ("MS-000002", "Globex Ltd")):
        reply = program.ok(f"case {case}", as_="team1")
        assert ("Organisation", organisation) in reply.fields
        assert [button.command for button in reply.buttons] == [
            f"outcome {case} all removed",
            f"outcome {case} all not_removed",
            f"outcome {case} all not_found",
            f"outcome {case} all need_info",
            f"outcome {case}",
        ]


def test_the_case_id_may_be_written_in_short_forms(program: Harness) -> None:
    file_listings(program, 1)
    for written in ("ms-1", "MS1", "1", "MS-0000001"):
        assert program.ok(f"case {written}", as_="brand1").text.startswith("MS-000001 · ")


def test_wrong_case_ids_get_a_clear_reply(program: Harness) -> None:
    file_listings(program, 1)
    assert program.refused("case MS-abc", as_="brand1") == "'MS-abc' is not a case id. Case ids look like MS-000123."
    assert program.refused("case MS-0", as_="brand1") == "'MS-0' is not a case id. Case ids look like MS-000123."
    assert program.refused("case", as_="brand1") == "Missing case id (e.g. MS-000123)."


def test_people_outside_the_program_cannot_look_at_cases(program: Harness) -> None:
    file_listings(program, 1)
    assert "need to be in the program" in program.refused("case MS-000001", as_="stranger")
    assert "need to be in the program" in program.refused("cases", as_="stranger")


def test_the_link_as_pasted_is_shown_beside_its_canonical_form(program: Harness) -> None:
    program.ok("complaint https://item.taobao.com/item.htm?id=123&spm=a1z10", as_="brand1")
    lines = program.ok("case MS-000001", as_="brand1").lines
    assert f"1. reported {TAOBAO.format(123)} (pasted: https://item.taobao.com/item.htm?id=123&spm=a1z10)" in lines


# --- case: paging -----------------------------------------------------------------------------


def test_items_are_shown_25_a_page(program: Harness) -> None:
    file_listings(program, 30)
    first = program.ok("case MS-000001", as_="brand1").lines
    assert first[0] == "Items, page 1 of 2:"
    assert first[1] == f"1. reported {TAOBAO.format(1)}" and first[25] == f"25. reported {TAOBAO.format(25)}"
    assert not any(line.startswith("26.") for line in first)
    second = program.ok("case MS-000001 page=2", as_="brand1").lines
    assert second[0] == "Items, page 2 of 2:"
    assert second[1:6] == [f"{n}. reported {TAOBAO.format(n)}" for n in range(26, 31)]


def test_a_page_out_of_range_is_refused(program: Harness) -> None:
    file_listings(program, 30)
    assert program.refused("case MS-000001 page=3", as_="brand1") == "Case MS-000001 has 2 pages of items."
    assert "'0' is not a valid page" in program.refused("case MS-000001 page=0", as_="brand1")
    assert "'two' is not a valid page" in program.refused("case MS-000001 page=two", as_="brand1")


def test_a_case_of_exactly_25_items_has_one_page(program: Harness) -> None:
    file_listings(program, 25)
    assert program.ok("case MS-000001", as_="brand1").lines[0] == "Items, page 1 of 1:"
    assert program.refused("case MS-000001 page=2", as_="brand1") == "Case MS-000001 has 1 page of items."


# --- cases: listing and filters ---------------------------------------------------------------


def test_a_brand_lists_only_its_own_cases_newest_first(program: Harness) -> None:
    file_listings(program, 2)
    program.clock.advance(days=1)
    file_listings(program, 1, as_="brand2", first=40)
    program.clock.advance(days=1)
    file_listings(program, 1, link=TMALL)
    reply = program.ok("cases", as_="brand1")
    assert reply.text == "2 cases (page 1 of 1):"
    assert reply.lines == [
        "MS-000003 2026-11-20 1 Tmall listing · submitted · 0/1 decided",
        "MS-000001 2026-11-18 2 Taobao listings · submitted · 0/2 decided",
    ]
    assert program.ok("cases", as_="brand2").lines == [
        "MS-000002 2026-11-19 1 Taobao listing · submitted · 0/1 decided"
    ]


def test_the_team_lists_every_organisations_cases(program: Harness) -> None:
    file_listings(program, 1)
    file_listings(program, 1, as_="brand2", first=40)
    reply = program.ok("cases", as_="team1")
    assert reply.text == "2 cases (page 1 of 1):"
    assert [line.split()[0] for line in reply.lines] == ["MS-000002", "MS-000001"]


def test_a_team_member_who_belongs_to_an_organisation_still_lists_every_case(program: Harness) -> None:
    file_listings(program, 1)
    file_listings(program, 1, as_="brand2", first=40)
    program.ok('admin org add iacc "IACC"')
    program.ok("admin member add console:team2 iacc team")
    assert program.ok("case MS-000001", as_="team2").text.startswith("MS-000001 · ")
    reply = program.ok("cases", as_="team2")
    assert [line.split()[0] for line in reply.lines] == ["MS-000002", "MS-000001"]


def test_cases_shows_how_many_items_are_decided(program: Harness) -> None:
    file_listings(program, 4)
    program.ok("outcome MS-000001 1-2 removed", as_="team1")
    program.ok("withdraw MS-000001 3", as_="brand1")
    assert program.ok("cases", as_="brand1").lines == [
        "MS-000001 2026-11-18 4 Taobao listings · partially_actioned · 2/4 decided"
    ]


def test_open_lists_only_cases_still_open(program: Harness) -> None:
    file_listings(program, 1)
    file_listings(program, 1, first=2, link=TMALL)
    file_listings(program, 1, first=3, link="https://www.aliexpress.com/item/{}.html")
    program.ok("outcome MS-000001 removed", as_="team1")
    program.ok("withdraw MS-000002", as_="brand1")
    assert [line.split()[0] for line in program.ok("cases open", as_="brand1").lines] == ["MS-000003"]
    assert program.ok("cases", as_="brand1").text == "3 cases (page 1 of 1):"


def test_platform_filter(program: Harness) -> None:
    file_listings(program, 1)
    file_listings(program, 1, link=TMALL)
    assert [line.split()[0] for line in program.ok("cases platform=tmall", as_="brand1").lines] == ["MS-000002"]
    assert [line.split()[0] for line in program.ok("cases platform=Taobao", as_="brand1").lines] == ["MS-000001"]
    assert program.ok("cases platform=aliexpress", as_="brand1").text == "No cases match."
    message = program.refused("cases platform=ebay", as_="brand1")
    assert message.startswith("'ebay' is not a marketplace platform.") and "taobao, tmall" in message


def test_status_filter(program: Harness) -> None:
    file_listings(program, 1)
    file_listings(program, 1, first=2, link=TMALL)
    program.ok("outcome MS-000002 not_found", as_="team1")
    assert [line.split()[0] for line in program.ok("cases status=actioned", as_="brand1").lines] == ["MS-000002"]
    assert [line.split()[0] for line in program.ok("cases status=submitted", as_="brand1").lines] == ["MS-000001"]
    message = program.refused("cases status=done", as_="brand1")
    assert message.startswith("'done' is not a case status.") and "partially_actioned" in message


def test_month_filter_follows_the_program_time_zone(program: Harness) -> None:
    file_listings(program, 1)
    # 2026-12-01 02:00 UTC is still 30 November in New York.
    program.clock.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    file_listings(program, 1, first=2)
    program.clock.now = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
    file_listings(program, 1, first=3)
    november = program.ok("cases month=2026-11", as_="brand1").lines
    assert [line.split()[:2] for line in november] == [["MS-000002", "2026-11-30"], ["MS-000001", "2026-11-18"]]
    assert [line.split()[0] for line in program.ok("cases month=2026-12", as_="brand1").lines] == ["MS-000003"]
    assert program.ok("cases month=2026-10", as_="brand1").text == "No cases match."
    assert program.refused("cases month=2026-13", as_="brand1").startswith("'2026-13' is not a month.")


def test_a_december_month_filter_ends_with_the_year(program: Harness) -> None:
    program.clock.now = datetime(2026, 12, 31, 23, 0, tzinfo=UTC)  # 18:00 in New York
    file_listings(program, 1)
    program.clock.now = datetime(2027, 1, 1, 6, 0, tzinfo=UTC)  # 01:00 on New Year's Day
    file_listings(program, 1, first=2)
    assert [line.split()[0] for line in program.ok("cases month=2026-12", as_="brand1").lines] == ["MS-000001"]
    assert [line.split()[0] for line in program.ok("cases month=2027-01", as_="brand1").lines] == ["MS-000002"]


def test_org_filter_is_for_the_team_or_names_your_own_organisation(program: Harness) -> None:
    file_listings(program, 1)
    file_listings(program, 1, as_="brand2", first=40)
    assert [line.split()[0] for line in program.ok("cases org=globex", as_="team1").lines] == ["MS-000002"]
    message = program.refused("cases org=globex", as_="brand1")
    assert message.startswith("Only the IACC/Alibaba team can list other organisations' cases.")
    assert program.refused("cases org=nobody", as_="brand1").startswith("Only the IACC/Alibaba team")
    assert [line.split()[0] for line in program.ok("cases org=ACME", as_="brand1").lines] == ["MS-000001"]
    assert program.refused("cases org=nobody", as_="team1") == "There is no organisation 'nobody'."


def test_filters_combine(program: Harness) -> None:
    file_listings(program, 1)
    file_listings(program, 1, first=2, link=TMALL)
    file_listings(program, 1, as_="brand2", first=3, link=TMALL)
    program.ok("outcome MS-000002 removed", as_="team1")
    reply = program.ok("cases open platform=tmall", as_="team1")
    assert [line.split()[0] for line in reply.lines] == ["MS-000003"]
    reply = program.ok("cases platform=tmall org=acme month=2026-11", as_="team1")
    assert [line.split()[0] for line in reply.lines] == ["MS-000002"]


def test_cases_are_listed_20_a_page(program: Harness) -> None:
    for n in range(1, 22):
        file_listings(program, 1, first=n)
    first = program.ok("cases", as_="brand1")
    assert first.text == "21 cases (page 1 of 2):"
    assert (
        len(first.lines) == 20 and first.lines[0].startswith("MS-000021 ") and first.lines[-1].startswith("MS-000002 ")
    )
    second = program.ok("cases page=2", as_="brand1")
    assert second.text == "21 cases (page 2 of 2):"
    assert [line.split()[0] for line in second.lines] == ["MS-000001"]
    assert program.ok("cases page=3", as_="brand1").text == "There are only 21 matching cases."


def test_no_cases_at_all(program: Harness) -> None:
    assert program.ok("cases", as_="brand1").text == "No cases match."


def test_unknown_filter_words_and_options_are_refused(program: Harness) -> None:
    assert program.refused("cases closed", as_="brand1") == (
        "'closed' is not a filter here. Use `open` or the options in `help cases`."
    )
    assert program.refused("cases open taobao", as_="brand1").startswith("'taobao' is not a filter here.")
    assert program.refused("cases kind=storefront", as_="brand1") == (
        "Unknown option kind=. Options here: platform=, month=, status=, org=, page=."
    )


# --- withdraw ---------------------------------------------------------------------------------


def test_withdrawing_some_undecided_items_leaves_the_rest_open(program: Harness) -> None:
    file_listings(program, 4)
    reply = program.ok("withdraw MS-000001 2,4", as_="brand1")
    assert reply.text == "Withdrew items 2, 4 of MS-000001; the case is submitted."
    lines = program.ok("case MS-000001", as_="brand1").lines
    assert f"2. withdrawn {TAOBAO.format(2)}" in lines and f"3. reported {TAOBAO.format(3)}" in lines


def test_withdrawing_everything_makes_the_case_withdrawn_and_tells_the_team_thread(program: Harness) -> None:
    file_listings(program, 3)
    team_thread = next(message_ref(program, p) for p in program.delivered() if p.channel == "team")
    reply = program.ok('withdraw MS-000001 note="licensed reseller"', as_="brand1")
    assert reply.text == "Withdrew all undecided items of MS-000001; the case is withdrawn."
    [told] = program.delivered()
    assert (told.channel, told.case_id, told.thread_ref, told.kind) == ("team", "MS-000001", team_thread, "withdrawn")
    assert told.text == "console:brand1 withdrew all undecided items of MS-000001: licensed reseller"
    assert "MS-000001 · withdrawn" in program.ok("case MS-000001", as_="brand1").text


def test_withdraw_all_takes_back_only_undecided_items(program: Harness) -> None:
    file_listings(program, 3)
    program.ok("outcome MS-000001 1 removed", as_="team1")
    reply = program.ok("withdraw MS-000001 all", as_="brand1")
    assert reply.text == "Withdrew all undecided items of MS-000001; the case is actioned."
    lines = program.ok("case MS-000001", as_="brand1").lines
    assert f"1. removed {TAOBAO.format(1)}" in lines and f"3. withdrawn {TAOBAO.format(3)}" in lines


def test_an_explicit_selection_with_a_decided_item_is_refused_naming_it(program: Harness) -> None:
    file_listings(program, 4)
    program.ok("outcome MS-000001 2 removed", as_="team1")
    program.ok("outcome MS-000001 3 not_found", as_="team1")
    message = program.refused("withdraw MS-000001 1-4", as_="brand1")
    assert message == "These items are already decided and cannot be withdrawn: 2 (removed), 3 (not_found)."
    assert f"1. reported {TAOBAO.format(1)}" in program.ok("case MS-000001", as_="brand1").lines


def test_withdrawing_when_nothing_is_undecided_is_refused(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("outcome MS-000001 not_removed", as_="team1")
    assert program.refused("withdraw MS-000001", as_="brand1") == "MS-000001 has no undecided items left to withdraw."


def test_withdrawing_an_already_withdrawn_item_is_refused(program: Harness) -> None:
    file_listings(program, 2)
    program.ok("withdraw MS-000001 1", as_="brand1")
    message = program.refused("withdraw MS-000001 1", as_="brand1")
    assert message == "These items are already decided and cannot be withdrawn: 1 (withdrawn)."


def test_another_organisation_cannot_withdraw(program: Harness) -> None:
    file_listings(program, 1)
    program.delivered()
    message = program.refused("withdraw MS-000001", as_="brand2")
    assert message == "There is no case MS-000001 among your organisation's cases. `cases` lists them."
    assert program.delivered() == []
    assert "MS-000001 · submitted" in program.ok("case MS-000001", as_="brand1").text


def test_the_team_cannot_withdraw_a_brands_complaint(program: Harness) -> None:
    file_listings(program, 1)
    assert (
        program.refused("withdraw MS-000001", as_="team1") == "Only the organisation that filed a case can withdraw it."
    )


def test_a_withdrawal_selection_out_of_range_is_refused(program: Harness) -> None:
    file_listings(program, 2)
    assert "'3' is not a valid item number" in program.refused("withdraw MS-000001 3", as_="brand1")


def test_a_withdrawn_listing_can_be_filed_again(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("withdraw MS-000001", as_="brand1")
    assert program.ok(f"complaint {TAOBAO.format(1)}", as_="brand1").text.startswith("Registered 1 item in MS-000002")


def test_a_withdrawal_note_over_1000_characters_is_refused(program: Harness) -> None:
    file_listings(program, 2)
    reply = program.send(f'withdraw MS-000001 1 note="{"n" * 1001}"', as_="brand1")
    assert (reply.is_error, reply.text) == (True, "The note is 1001 characters; the limit is 1000.")
    assert f"1. reported {TAOBAO.format(1)}" in program.ok("case MS-000001", as_="brand1").lines


def test_withdrawal_is_in_the_case_history(program: Harness) -> None:
    file_listings(program, 2)
    program.ok('withdraw MS-000001 2 note="our own shop"', as_="brand1")
    lines = program.ok("case MS-000001", as_="brand1").lines
    assert "2026-11-18 15:00 EST console:brand1: item 2 reported -> withdrawn (our own shop)" in lines


def test_withdrawing_the_last_open_items_announces_the_actioned_case_in_outcomes(program: Harness) -> None:
    file_listings(program, 2)
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.delivered()
    reply = program.ok("withdraw MS-000001 2", as_="brand1")
    assert reply.text.endswith("the case is actioned.")
    announced = [p for p in program.delivered() if p.channel == "outcomes"]
    assert [p.kind for p in announced] == ["case_actioned"]
    assert announced[0].text.startswith("MS-000001 (ACME Corp, 2 Taobao listings) actioned:")


def test_a_count_past_its_bound_says_or_more_and_every_page_still_reads(
    program: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`cases` counts at most COUNT_BEYOND_PAGE cases past the page asked for, so that a page costs
    the same however many cases the program holds; a count that reached the bound says so."""
    monkeypatch.setattr(case_queries, "COUNT_BEYOND_PAGE", 2)
    for n in range(25):
        file_listings(program, 1, first=n + 1)
    first = program.ok("cases", as_="brand1")
    assert first.text == "22 or more cases (page 1 of 2 or more):"
    assert first.lines[0].startswith("MS-000025")
    second = program.ok("cases page=2", as_="brand1")
    assert second.text == "25 cases (page 2 of 2):", "the count reaches the end from the second page"
    assert [line.split()[0] for line in second.lines] == [f"MS-0000{n:02}" for n in range(5, 0, -1)]
    home_page = program.router.run(Incoming(Caller("console", "brand1"), "home"), "home", home)
    assert home_page.lines[0] == "Open cases: 12 or more", "App Home lists 10 and counts 2 past them"
    monkeypatch.setattr(case_queries, "COUNT_BEYOND_PAGE", 100)
    assert program.ok("cases", as_="brand1").text == "25 cases (page 1 of 2):"
