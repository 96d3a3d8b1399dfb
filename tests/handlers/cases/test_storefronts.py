"""Storefronts: complaints about stores, strikes, closure at the platform's threshold, reinstatement."""

from __future__ import annotations

from handlers.kit.context import ProgramRules
from storage.database import Database
from storage.vocabulary import Platform
from support.clock import FakeClock
from support.harness import Harness

SHOP = "https://shop123456.taobao.com/"
OTHER_SHOP = "https://shop778899.taobao.com/"
ALI_STORE = "https://www.aliexpress.com/store/4455"
LISTING = "https://item.taobao.com/item.htm?id=5"


def custom_program(database: Database, clock: FakeClock) -> Harness:
    """The program with AliExpress closing at 3 strikes and every other platform at 2."""
    bot = Harness(
        database, clock, rules=ProgramRules(strike_thresholds={Platform.ALIEXPRESS: 3}, default_strike_threshold=2)
    )
    bot.set_up_program()
    return bot


# --- storefront complaints and strikes from outcomes ------------------------------------------


def test_a_store_link_is_filed_as_a_storefront_complaint(program: Harness) -> None:
    reply = program.ok(f"complaint {SHOP}", as_="brand1")
    assert reply.text == "Registered 1 item in MS-000001 (1 Taobao storefront)."
    assert "MS-000001 · submitted · 1 Taobao storefront" in program.ok("case MS-000001", as_="brand1").text
    shown = program.ok(f"store show {SHOP}", as_="brand1")
    assert shown.text == f"{SHOP} · active"
    assert shown.fields == [
        ("Platform", "Taobao"),
        ("Active strikes", "0 (closes at 3)"),
        ("Complaints naming it", "1 of yours"),
    ]


def test_a_counterfeit_storefront_removed_by_the_team_gets_a_strike(program: Harness) -> None:
    program.ok(f"complaint {SHOP}", as_="brand1")
    reply = program.ok("outcome MS-000001 removed", as_="team1")
    assert reply.text == "MS-000001: item 1 is now removed; the case is actioned."
    assert reply.lines == [], "one strike of three is not yet a reason to close"
    shown = program.ok(f"store show {SHOP}", as_="team1")
    assert ("Active strikes", "1 (closes at 3)") in shown.fields
    assert shown.lines == ["strike 2026-11-18 15:00 EST by console:team1, active until 2027-11-18 15:00 EST"]


def test_at_the_threshold_the_team_is_told_the_store_can_be_closed(database: Database, clock: FakeClock) -> None:
    bot = custom_program(database, clock)
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"complaint {SHOP}", as_="brand1")
    reply = bot.ok("outcome MS-000001 removed", as_="team1")
    assert reply.lines == [f"{SHOP} has 2 active strikes (threshold 2): close it with `store close {SHOP}`."]
    assert bot.ok(f"store close {SHOP}", as_="team1").text == f"Closed {SHOP} (permanently banned)."


def test_one_outcome_on_several_storefronts_strikes_each(database: Database, clock: FakeClock) -> None:
    bot = custom_program(database, clock)
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"complaint {SHOP} {OTHER_SHOP}", as_="brand1")
    reply = bot.ok("outcome MS-000001 all removed", as_="team1")
    assert reply.lines == [f"{SHOP} has 2 active strikes (threshold 2): close it with `store close {SHOP}`."]
    assert ("Active strikes", "1 (closes at 2)") in bot.ok(f"store show {OTHER_SHOP}", as_="team1").fields


def test_storefront_outcomes_other_than_a_counterfeit_removal_add_no_strike(program: Harness) -> None:
    program.ok(f"complaint reason=trademark_misuse {SHOP}", as_="brand1")
    program.ok("outcome MS-000001 removed", as_="team1")
    program.ok(f"complaint {OTHER_SHOP}", as_="brand1")
    program.ok("outcome MS-000002 not_found", as_="team1")
    for shop in (SHOP, OTHER_SHOP):
        shown = program.ok(f"store show {shop}", as_="team1")
        assert ("Active strikes", "0 (closes at 3)") in shown.fields and shown.lines == []


def test_a_closed_store_removed_again_is_not_offered_for_closing(database: Database, clock: FakeClock) -> None:
    bot = custom_program(database, clock)
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"store close {SHOP}", as_="team1")
    bot.ok(f"complaint {SHOP}", as_="brand1")
    assert bot.ok("outcome MS-000001 removed", as_="team1").lines == []


# --- store strike -----------------------------------------------------------------------------


def test_only_the_team_records_strikes(program: Harness) -> None:
    program.ok(f"complaint {SHOP}", as_="brand1")
    message = program.refused(f"store strike {SHOP}", as_="brand1")
    assert message.startswith("Only the IACC/Alibaba team can strike storefronts.")
    assert ("Active strikes", "0 (closes at 3)") in program.ok(f"store show {SHOP}", as_="brand1").fields


def test_a_strike_on_a_store_never_named_before_makes_it_known(program: Harness) -> None:
    reply = program.ok(f'store strike {ALI_STORE} note="raid in Yiwu"', as_="team1")
    assert reply.text == f"Strike recorded: {ALI_STORE} has 1 of the 3 that close it."
    shown = program.ok(f"store show {ALI_STORE}", as_="team1")
    assert shown.text == f"{ALI_STORE} · active"
    assert ("Platform", "AliExpress") in shown.fields and ("Complaints naming it", "0") in shown.fields


def test_a_strike_note_over_1000_characters_is_refused(program: Harness) -> None:
    reply = program.send(f'store strike {SHOP} note="{"n" * 1001}"', as_="team1")
    assert (reply.is_error, reply.text) == (True, "The note is 1001 characters; the limit is 1000.")
    assert program.refused(f"store show {SHOP}", as_="team1").endswith(
        "is not known yet: no complaint or strike names it."
    )


def test_strike_replies_count_towards_the_platforms_own_threshold(database: Database, clock: FakeClock) -> None:
    bot = custom_program(database, clock)
    assert bot.ok(f"store strike {ALI_STORE}", as_="team1").text.endswith("has 1 of the 3 that close it.")
    assert bot.ok(f"store strike {SHOP}", as_="team1").text.endswith("has 1 of the 2 that close it.")
    assert bot.ok(f"store strike {ALI_STORE}", as_="team1").text.endswith("has 2 of the 3 that close it.")


# --- store close ------------------------------------------------------------------------------


def test_closing_below_the_threshold_is_refused_with_the_count(database: Database, clock: FakeClock) -> None:
    bot = custom_program(database, clock)
    bot.ok(f"store strike {ALI_STORE}", as_="team1")
    bot.ok(f"store strike {ALI_STORE}", as_="team1")
    bot.delivered()
    message = bot.refused(f"store close {ALI_STORE}", as_="team1")
    assert message == (
        f"{ALI_STORE} cannot be closed: it has 2 active strikes and AliExpress closes stores at 3, "
        "and no accepted raid evidence names it."
    )
    assert bot.delivered() == []
    assert bot.ok(f"store show {ALI_STORE}", as_="team1").text == f"{ALI_STORE} · active"


def test_closing_at_the_threshold_bans_the_store_and_announces_it(database: Database, clock: FakeClock) -> None:
    bot = custom_program(database, clock)
    for _ in range(3):
        bot.ok(f"store strike {ALI_STORE}", as_="team1")
    bot.delivered()
    reply = bot.ok(f'store close {ALI_STORE} note="three strikes in a year"', as_="team1")
    assert reply.text == f"Closed {ALI_STORE} (permanently banned)."
    posted = bot.delivered()
    text = f"Storefront closed: {ALI_STORE} (AliExpress): three strikes in a year"
    assert [(p.channel, p.kind, p.text) for p in posted] == [
        ("team", "storefront_closed", text),
        ("outcomes", "storefront_closed", text),
    ]
    shown = bot.ok(f"store show {ALI_STORE}", as_="brand1")
    assert shown.text == f"{ALI_STORE} · closed"
    assert ("Closed", "2026-11-18 15:00 EST") in shown.fields


def test_the_default_threshold_is_three(program: Harness) -> None:
    program.ok(f"store strike {SHOP}", as_="team1")
    program.ok(f"store strike {SHOP}", as_="team1")
    assert "Taobao closes stores at 3" in program.refused(f"store close {SHOP}", as_="team1")
    program.ok(f"store strike {SHOP}", as_="team1")
    assert program.ok(f"store close {SHOP}", as_="team1").text == f"Closed {SHOP} (permanently banned)."


def test_a_closed_store_cannot_be_closed_again(database: Database, clock: FakeClock) -> None:
    bot = custom_program(database, clock)
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"store close {SHOP}", as_="team1")
    assert bot.refused(f"store close {SHOP}", as_="team1") == f"{SHOP} cannot be closed: it is already closed."


def test_members_cannot_close_or_reinstate_stores(program: Harness) -> None:
    program.ok(f"complaint {SHOP}", as_="brand1")
    assert program.refused(f"store close {SHOP}", as_="brand1").startswith(
        "Only the IACC/Alibaba team can close storefronts."
    )
    assert program.refused(f"store reinstate {SHOP}", as_="brand1").startswith(
        "Only the IACC/Alibaba team can reinstate storefronts."
    )


# --- strikes expire ---------------------------------------------------------------------------


def test_a_strike_older_than_365_days_no_longer_counts(database: Database, clock: FakeClock) -> None:
    bot = custom_program(database, clock)
    bot.ok(f"store strike {SHOP}", as_="team1")
    clock.advance(days=364)
    assert bot.ok(f"store strike {SHOP}", as_="team1").text.endswith("has 2 of the 2 that close it.")
    clock.advance(days=1)  # the first strike is now 365 days old
    message = bot.refused(f"store close {SHOP}", as_="team1")
    assert "it has 1 active strike and Taobao closes stores at 2" in message
    shown = bot.ok(f"store show {SHOP}", as_="team1")
    assert ("Active strikes", "1 (closes at 2)") in shown.fields
    assert [line.split(", ")[1].split()[0] for line in shown.lines] == ["expired", "active"]
    assert bot.ok(f"store strike {SHOP}", as_="team1").text.endswith("has 2 of the 2 that close it.")
    assert bot.ok(f"store close {SHOP}", as_="team1").text == f"Closed {SHOP} (permanently banned)."


def test_an_old_strike_does_not_bring_a_removal_to_the_threshold(database: Database, clock: FakeClock) -> None:
    bot = custom_program(database, clock)
    bot.ok(f"store strike {SHOP}", as_="team1")
    clock.advance(days=400)
    bot.ok(f"complaint {SHOP}", as_="brand1")
    assert bot.ok("outcome MS-000001 removed", as_="team1").lines == []


# --- store reinstate --------------------------------------------------------------------------


def test_a_closed_store_is_reinstated_after_an_upheld_appeal(database: Database, clock: FakeClock) -> None:
    bot = custom_program(database, clock)
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"store close {SHOP}", as_="team1")
    bot.delivered()
    reply = bot.ok(f'store reinstate {SHOP} note="appeal upheld by Alibaba"', as_="team1")
    assert reply.text == f"Reinstated {SHOP} after an upheld appeal."
    assert [(p.channel, p.text) for p in bot.delivered()] == [
        ("team", f"Storefront reinstated on appeal: {SHOP}: appeal upheld by Alibaba")
    ]
    shown = bot.ok(f"store show {SHOP}", as_="team1")
    assert shown.text == f"{SHOP} · active" and all(name != "Closed" for name, _ in shown.fields)
    assert bot.ok("store list closed", as_="team1").text == "No storefronts match."


def test_strikes_before_a_reinstatement_stay_in_history_but_no_longer_count_toward_closing(
    database: Database, clock: FakeClock
) -> None:
    bot = custom_program(database, clock)
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"store close {SHOP}", as_="team1")
    clock.advance(days=2)
    reply = bot.ok(f"store reinstate {SHOP}", as_="team1")
    assert reply.lines == [
        "Its 2 strikes no longer count toward closing it again; they stay in its history (`store show`)."
    ]
    shown = bot.ok(f"store show {SHOP}", as_="team1")
    assert ("Active strikes", "0 (closes at 2)") in shown.fields
    assert ("Reinstated", "2026-11-20 15:00 EST (closed 2026-11-18 15:00 EST)") in shown.fields
    assert (
        shown.lines
        == [
            "strike 2026-11-18 15:00 EST by console:team1, no longer counts: the store was reinstated on "
            "2026-11-20 15:00 EST",
        ]
        * 2
    )
    assert bot.ok(f"store strike {SHOP}", as_="team1").text.endswith("has 1 of the 2 that close it.")
    assert bot.refused(f"store close {SHOP}", as_="team1")


def test_a_strike_expired_before_a_reinstatement_is_still_shown_as_expired(
    database: Database, clock: FakeClock
) -> None:
    bot = custom_program(database, clock)
    bot.ok(f"store strike {SHOP}", as_="team1")
    clock.advance(days=366)
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"store strike {SHOP}", as_="team1")
    bot.ok(f"store close {SHOP}", as_="team1")
    clock.advance(days=1)
    bot.ok(f"store reinstate {SHOP}", as_="team1")
    lines = bot.ok(f"store show {SHOP}", as_="team1").lines
    assert lines[0] == "strike 2026-11-18 15:00 EST by console:team1, expired 2027-11-18 15:00 EST"
    assert [line.split(", ")[1].split(":")[0] for line in lines[1:]] == ["no longer counts"] * 2


def test_only_a_closed_store_can_be_reinstated(program: Harness) -> None:
    program.ok(f"complaint {SHOP}", as_="brand1")
    assert program.refused(f"store reinstate {SHOP}", as_="team1") == f"{SHOP} is not closed."


# --- store show -------------------------------------------------------------------------------


def test_members_see_counts_but_not_strike_details(program: Harness) -> None:
    program.ok(f"complaint {SHOP}", as_="brand1")
    program.ok("outcome MS-000001 removed", as_="team1")
    program.ok(f'store strike {SHOP} note="second finding"', as_="team1")
    member = program.ok(f"store show {SHOP}", as_="brand1")
    assert member.fields == [
        ("Platform", "Taobao"),
        ("Active strikes", "2 (closes at 3)"),
        ("Complaints naming it", "1 of yours"),
    ]
    assert member.lines == []
    assert "console:team1" not in member.render_plain()
    team = program.ok(f"store show {SHOP}", as_="team1")
    assert ("Complaints naming it", "1") in team.fields
    assert team.lines == [
        "strike 2026-11-18 15:00 EST by console:team1, active until 2027-11-18 15:00 EST",
        "strike 2026-11-18 15:00 EST by console:team1, active until 2027-11-18 15:00 EST",
    ]


def test_a_member_whose_organisation_never_named_a_store_sees_its_status_but_not_how_it_is_pursued(
    program: Harness,
) -> None:
    for _ in range(3):
        program.ok(f"store strike {ALI_STORE}", as_="team1")
    program.ok(f"store close {ALI_STORE}", as_="team1")
    program.ok(f"store refer {ALI_STORE}", as_="team1")
    program.ok(f"store referral {ALI_STORE} accepted", as_="team1")
    shown = program.ok(f"store show {ALI_STORE}", as_="brand1")
    assert shown.text == f"{ALI_STORE} · closed"
    assert [name for name, _value in shown.fields] == ["Platform", "Complaints naming it", "Closed"]
    assert "RogueBlock" not in shown.render_plain() and "strike" not in shown.render_plain().lower()
    assert program.ok(f"lookup {ALI_STORE}", as_="brand1").lines[-1].startswith("  Storefront: closed on ")
    program.ok(f"complaint {ALI_STORE}", as_="brand1")
    pursuer = program.ok(f"store show {ALI_STORE}", as_="brand1")
    assert ("Active strikes", "3 (closes at 3)") in pursuer.fields
    assert ("RogueBlock", "accepted (referred 2026-11-18 15:00 EST)") in pursuer.fields


def test_a_storefront_only_another_organisation_pursues_looks_unknown_to_a_member(program: Harness) -> None:
    never_named = program.refused("store show https://shop999.taobao.com", as_="brand2")
    program.ok(f"complaint {SHOP}", as_="brand1")
    refused = program.refused(f"store show {SHOP}", as_="brand2")
    assert refused == never_named.replace("https://shop999.taobao.com/", SHOP)
    assert refused.startswith(f"{SHOP} is not known yet")
    assert ("Complaints naming it", "1") in program.ok(f"store show {SHOP}", as_="team1").fields


def test_the_storefront_is_the_same_whatever_form_of_its_link(program: Harness) -> None:
    program.ok("complaint https://shop123456.taobao.com", as_="brand1")
    assert program.ok("store show https://shop123456.taobao.com/?spm=a1z10", as_="brand1").text == f"{SHOP} · active"


# --- store list -------------------------------------------------------------------------------


def test_the_team_lists_storefronts_most_struck_first(database: Database, clock: FakeClock) -> None:
    bot = custom_program(database, clock)
    bot.ok(f"store strike {SHOP}", as_="team1")
    for _ in range(3):
        bot.ok(f"store strike {ALI_STORE}", as_="team1")
    bot.ok(f"complaint {OTHER_SHOP}", as_="brand1")
    bot.ok(f"store close {ALI_STORE}", as_="team1")
    reply = bot.ok("store list", as_="team1")
    assert reply.text == "3 storefronts, most struck first:"
    assert reply.lines == [
        f"{ALI_STORE} · closed · 3 strikes",
        f"{SHOP} · active · 1 strike",
        f"{OTHER_SHOP} · active · 0 strikes",
    ]
    closed = bot.ok("store list closed", as_="team1")
    assert closed.text == "1 storefront closed, most struck first:" and closed.lines == [
        f"{ALI_STORE} · closed · 3 strikes"
    ]
    assert [line.split()[0] for line in bot.ok("store list platform=taobao", as_="team1").lines] == [SHOP, OTHER_SHOP]


def test_store_list_is_for_the_team(program: Harness) -> None:
    assert program.refused("store list", as_="brand1").startswith("Only the IACC/Alibaba team can list storefronts.")
    assert program.ok("store list", as_="team1").text == "No storefronts match."


# --- links that are not a known storefront ----------------------------------------------------


def test_a_listing_link_is_refused_where_a_storefront_is_needed(program: Harness) -> None:
    expected = f"{LISTING} is a listing, not a storefront. Paste the store's link, e.g. https://shop123456.taobao.com."
    for action in ("show", "strike", "close", "reinstate"):
        assert program.refused(f"store {action} {LISTING}", as_="team1") == expected
    assert program.refused(f"store show {LISTING}", as_="brand1") == expected


def test_an_unknown_store_link_is_answered_clearly(program: Harness) -> None:
    expected = f"{ALI_STORE} is not known yet: no complaint or strike names it."
    assert program.refused(f"store show {ALI_STORE}", as_="brand1") == expected
    assert program.refused(f"store close {ALI_STORE}", as_="team1") == expected
    assert program.refused(f"store reinstate {ALI_STORE}", as_="team1") == expected


def test_text_that_is_not_a_marketplace_store_link_is_refused(program: Harness) -> None:
    message = program.refused("store show https://example.com/shop/1", as_="brand1")
    assert message.startswith(
        "'https://example.com/shop/1' is not a storefront link: example.com is not a supported marketplace"
    )
    assert program.refused("store show", as_="brand1") == "Missing storefront link."


def test_unknown_store_actions_are_refused(program: Harness) -> None:
    message = program.refused(f"store ban {SHOP}", as_="team1")
    assert message == (
        "'ban' is not a sub-command of `store`. Use one of: show, strike, close, reinstate, refer, referral, list. "
        "`help store` shows each."
    )
    assert program.refused("store", as_="team1") == (
        "`store` needs a sub-command. Use one of: show, strike, close, reinstate, refer, referral, list. "
        "`help store` shows each."
    )


def test_store_list_counts_only_strikes_that_still_count(program: Harness) -> None:
    program.ok(f"store strike {SHOP}", as_="team1")
    program.clock.advance(days=200)
    program.ok(f"store strike {SHOP}", as_="team1")
    program.clock.advance(days=200)
    assert program.ok("store list", as_="team1").lines == [f"{SHOP} · active · 1 strike"]
