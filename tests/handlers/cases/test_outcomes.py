"""Recording outcomes: what the team may record, what the brand hears, and what the case shows."""

from __future__ import annotations

from support.harness import Harness, Posted

TAOBAO = "https://item.taobao.com/item.htm?id={}"


def file_listings(bot: Harness, count: int, as_: str = "brand1", first: int = 1) -> str:
    """Files `count` Taobao listings in one case and returns what the bot answered."""
    links = " ".join(TAOBAO.format(n) for n in range(first, first + count))
    return bot.ok(f"complaint {links}", as_=as_).text


def message_ref(bot: Harness, posted: Posted) -> str:
    """The platform reference the recording poster gave a posted message."""
    return f"msg-{bot.poster.posted.index(posted) + 1}"


def opened_threads(bot: Harness) -> dict[str, str]:
    """Delivers the case-opened messages; returns channel -> the case thread's message reference."""
    return {p.channel: message_ref(bot, p) for p in bot.delivered() if p.kind == "case_opened"}


# --- who may record ---------------------------------------------------------------------------


def test_a_brand_member_cannot_record_outcomes_and_nothing_changes(program: Harness) -> None:
    file_listings(program, 1)
    message = program.refused("outcome MS-000001 all removed", as_="brand1")
    assert message.startswith("Only the IACC/Alibaba team can record outcomes.")
    assert [p.kind for p in program.delivered()] == ["case_opened", "case_opened", "routing_warning"]
    assert "MS-000001 · submitted" in program.ok("case MS-000001", as_="brand1").text


def test_a_representative_cannot_return_a_case_either(program: Harness) -> None:
    program.ok(f"complaint {TAOBAO.format(1)}", as_="brand2")
    message = program.refused('outcome MS-000001 need_info note="?"', as_="brand2")
    assert "Only the IACC/Alibaba team can record outcomes" in message


def test_the_team_cannot_record_outcomes_on_a_case_that_does_not_exist(program: Harness) -> None:
    message = program.refused("outcome MS-000042 all removed", as_="team1")
    assert message == "There is no case MS-000042. `cases` lists them."
    assert program.refused("case MS-000042").startswith("There is no case MS-000042. ")


# --- the item state machine -------------------------------------------------------------------


def test_a_reported_item_can_become_removed_not_removed_or_not_found(program: Harness) -> None:
    file_listings(program, 3)
    assert program.ok("outcome MS-000001 1 removed", as_="team1").text == (
        "MS-000001: item 1 is now removed; the case is partially_actioned."
    )
    assert program.ok("outcome MS-000001 2 not_removed", as_="team1").text == (
        "MS-000001: item 2 is now not_removed; the case is partially_actioned."
    )
    assert program.ok("outcome MS-000001 3 not_found", as_="team1").text == (
        "MS-000001: item 3 is now not_found; the case is actioned."
    )
    view = program.ok("case MS-000001", as_="brand1").render_plain()
    assert f"1. removed {TAOBAO.format(1)}" in view
    assert f"2. not_removed {TAOBAO.format(2)}" in view
    assert f"3. not_found {TAOBAO.format(3)}" in view


def test_a_removal_appealed_by_the_seller_can_be_upheld(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("outcome MS-000001 removed", as_="team1")
    reply = program.ok("outcome MS-000001 counter_notice", as_="team1")
    assert reply.text == "MS-000001: item 1 is now counter_notice; the case is partially_actioned."
    reply = program.ok("outcome MS-000001 upheld", as_="team1")
    assert reply.text == "MS-000001: item 1 is now upheld; the case is actioned."
    assert "Counter-notice, item 1 round 1: upheld" in program.ok("case MS-000001", as_="brand1").render_plain()


def test_a_removal_appealed_by_the_seller_can_be_reinstated_and_that_is_final(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("outcome MS-000001 removed", as_="team1")
    program.ok("outcome MS-000001 counter_notice", as_="team1")
    reply = program.ok("outcome MS-000001 reinstated", as_="team1")
    assert reply.text == "MS-000001: item 1 is now reinstated; the case is actioned."
    message = program.refused("outcome MS-000001 1 counter_notice", as_="team1")
    assert message == "Nothing was recorded: item 1: it is reinstated, which can change to nothing (it is final)."


def test_an_upheld_removal_can_be_appealed_again_up_to_three_rounds(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("outcome MS-000001 removed", as_="team1")
    for _round in range(3):
        program.ok("outcome MS-000001 1 counter_notice", as_="team1")
        program.ok("outcome MS-000001 1 upheld", as_="team1")
    message = program.refused("outcome MS-000001 1 counter_notice", as_="team1")
    assert message == "Nothing was recorded: item 1: the seller has already had 3 counter-notice rounds."
    view = program.ok("case MS-000001", as_="team1").render_plain()
    assert "item 1 round 3: upheld" in view and "round 4" not in view
    assert "MS-000001 · actioned" in view


def test_a_fourth_appeal_asked_for_with_all_is_refused_with_the_items_states(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("outcome MS-000001 removed", as_="team1")
    for _round in range(3):
        program.ok("outcome MS-000001 counter_notice", as_="team1")
        program.ok("outcome MS-000001 upheld", as_="team1")
    message = program.refused("outcome MS-000001 all counter_notice", as_="team1")
    assert (
        message == "No item of MS-000001 can become counter_notice: the seller has already had 3 counter-notice rounds."
    )


def test_moves_outside_the_state_machine_are_refused_with_what_is_allowed(program: Harness) -> None:
    file_listings(program, 2)
    message = program.refused("outcome MS-000001 1 upheld", as_="team1")
    assert message == (
        "Nothing was recorded: item 1: it is reported, which can change to not_found, not_removed, removed, withdrawn."
    )
    program.ok("outcome MS-000001 1 not_removed", as_="team1")
    message = program.refused("outcome MS-000001 1 removed", as_="team1")
    assert "item 1: it is not_removed, which can change to nothing (it is final)" in message
    program.ok("outcome MS-000001 2 removed", as_="team1")
    message = program.refused("outcome MS-000001 2 reinstated", as_="team1")
    assert "item 2: it is removed, which can change to counter_notice" in message


# --- selections -------------------------------------------------------------------------------


def test_an_explicit_selection_is_all_or_nothing_and_names_each_refused_item(program: Harness) -> None:
    file_listings(program, 5)
    program.ok("outcome MS-000001 2 removed", as_="team1")
    program.ok("outcome MS-000001 4 not_found", as_="team1")
    program.delivered()
    message = program.refused("outcome MS-000001 1-5 not_removed", as_="team1")
    assert message == (
        "Nothing was recorded: item 2: it is removed, which can change to counter_notice; "
        "item 4: it is not_found, which can change to nothing (it is final)."
    )
    assert program.delivered() == []
    view = program.ok("case MS-000001", as_="team1").render_plain()
    assert "Items: 1 not_found, 1 removed, 3 reported" in view


def test_a_selection_of_ranges_and_single_items_records_exactly_those(program: Harness) -> None:
    file_listings(program, 8)
    reply = program.ok("outcome MS-000001 1-3,5,7-8 removed", as_="team1")
    assert reply.text == "MS-000001: items 1-3, 5, 7-8 are now removed; the case is partially_actioned."
    view = program.ok("case MS-000001", as_="brand1").render_plain()
    assert "4. reported" in view and "6. reported" in view and "5. removed" in view


def test_a_selection_beyond_the_case_is_refused(program: Harness) -> None:
    file_listings(program, 3)
    message = program.refused("outcome MS-000001 2-4 removed", as_="team1")
    assert "'4' is not a valid item number" in message and "from 1 to 3" in message


def test_all_applies_only_to_items_that_can_take_the_outcome(program: Harness) -> None:
    file_listings(program, 4)
    program.ok("outcome MS-000001 1 not_found", as_="team1")
    program.ok("outcome MS-000001 2 removed", as_="team1")
    reply = program.ok("outcome MS-000001 all removed", as_="team1")
    assert reply.text == "MS-000001: items 3-4 are now removed; the case is actioned."
    reply = program.ok("outcome MS-000001 all counter_notice", as_="team1")
    assert reply.text == "MS-000001: items 2-4 are now counter_notice; the case is partially_actioned."


def test_the_outcome_alone_means_all_items(program: Harness) -> None:
    file_listings(program, 2)
    assert program.ok("outcome MS-000001 not_removed", as_="team1").text == (
        "MS-000001: items 1-2 are now not_removed; the case is actioned."
    )


def test_all_is_refused_when_no_item_can_take_the_outcome(program: Harness) -> None:
    file_listings(program, 3)
    message = program.refused("outcome MS-000001 all upheld", as_="team1")
    assert message == (
        "No item of MS-000001 can become upheld: "
        "it is reported, which can change to not_found, not_removed, removed, withdrawn."
    )


# --- the closed vocabulary --------------------------------------------------------------------


def test_a_free_text_outcome_is_refused_with_the_vocabulary(program: Harness) -> None:
    file_listings(program, 1)
    message = program.refused('outcome MS-000001 all "seller took it down"', as_="team1")
    assert message == (
        "'seller took it down' is not an outcome. Use one of: removed, not_removed, not_found, no_proof_shown, "
        "counter_notice, upheld, reinstated, need_info, in_review."
    )
    message = program.refused("outcome MS-000001 1 deleted", as_="team1")
    assert "'deleted' is not an outcome" in message and "counter_notice" in message


def test_an_unquoted_sentence_is_refused_without_recording_anything(program: Harness) -> None:
    file_listings(program, 1)
    message = program.refused("outcome MS-000001 1 seller took it down", as_="team1")
    assert message == (
        'Say which items and which outcome, e.g. outcome MS-000123 1-3 removed; put any comment in note="...". '
        "Outcomes: removed, not_removed, not_found, no_proof_shown, counter_notice, upheld, reinstated, need_info, "
        "in_review."
    )
    assert "MS-000001 · submitted" in program.ok("case MS-000001", as_="team1").text


def test_a_note_over_1000_characters_is_refused(program: Harness) -> None:
    file_listings(program, 1)
    message = program.refused(f'outcome MS-000001 removed note="{"n" * 1001}"', as_="team1")
    assert message == "The note is 1001 characters; the limit is 1000."


def test_an_unknown_option_is_refused(program: Harness) -> None:
    file_listings(program, 1)
    message = program.refused("outcome MS-000001 removed reason=fake", as_="team1")
    assert message == "Unknown option reason=. Options here: note=."


# --- counter-notice due dates -----------------------------------------------------------------


def test_first_appeal_is_due_in_three_business_days_skipping_the_weekend(program: Harness) -> None:
    # Wednesday 2026-11-18 15:00 in New York: Thursday, Friday, then Monday.
    file_listings(program, 1)
    program.ok("outcome MS-000001 removed", as_="team1")
    program.delivered()
    program.ok("outcome MS-000001 counter_notice", as_="team1")
    appeal = [p for p in program.delivered() if p.kind == "counter_notice"]
    assert len(appeal) == 1 and appeal[0].channel == "org:acme" and appeal[0].case_id == "MS-000001"
    assert appeal[0].text == (
        "The seller appealed a removal in MS-000001 (round 1). Respond by 2026-11-23 15:00 EST "
        "or the item may be reinstated."
    )
    view = program.ok("case MS-000001", as_="brand1").render_plain()
    assert "Counter-notice, item 1 round 1: open, due 2026-11-23 15:00 EST" in view


def test_an_appeal_received_on_a_friday_is_due_on_wednesday(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("outcome MS-000001 removed", as_="team1")
    program.clock.advance(days=2)  # Friday 2026-11-20 15:00 in New York
    program.ok("outcome MS-000001 counter_notice", as_="team1")
    view = program.ok("case MS-000001", as_="brand1").render_plain()
    assert "round 1: open, due 2026-11-25 15:00 EST" in view


def test_later_appeal_rounds_are_due_in_twenty_seven_business_days(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("outcome MS-000001 removed", as_="team1")
    program.ok("outcome MS-000001 counter_notice", as_="team1")
    program.ok("outcome MS-000001 upheld", as_="team1")
    program.clock.advance(days=5)  # Monday 2026-11-23 15:00 in New York
    program.delivered()
    program.ok("outcome MS-000001 counter_notice", as_="team1")
    appeal = next(p for p in program.delivered() if p.kind == "counter_notice")
    # 27 business days after Monday 23 November: Wednesday 30 December.
    assert "(round 2). Respond by 2026-12-30 15:00 EST" in appeal.text
    program.ok("outcome MS-000001 upheld", as_="team1")
    program.clock.advance(days=3)  # Thursday 2026-11-26
    program.ok("outcome MS-000001 counter_notice", as_="team1")
    view = program.ok("case MS-000001", as_="team1").render_plain()
    assert "item 1 round 1: upheld, due 2026-11-23 15:00 EST" in view
    assert "item 1 round 2: upheld, due 2026-12-30 15:00 EST" in view
    assert "item 1 round 3: open, due 2027-01-04 15:00 EST" in view


def test_the_due_date_keeps_the_new_york_time_of_day_in_the_evening(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("outcome MS-000001 removed", as_="team1")
    program.clock.advance(hours=7)  # 03:00 UTC Thursday, still Wednesday 22:00 in New York
    program.ok("outcome MS-000001 counter_notice", as_="team1")
    view = program.ok("case MS-000001", as_="brand1").render_plain()
    assert "round 1: open, due 2026-11-23 22:00 EST" in view


# --- returning a case to the brand ------------------------------------------------------------


def test_need_info_returns_the_case_to_the_brand_in_its_thread(program: Harness) -> None:
    file_listings(program, 2)
    threads = opened_threads(program)
    reply = program.ok('outcome MS-000001 need_info note="Which trademark class covers these?"', as_="team1")
    assert reply.text == "MS-000001 is now returned."
    delivered = program.delivered()
    [returned] = [posted for posted in delivered if posted.kind == "case_returned"]
    assert returned.channel == "org:acme" and returned.kind == "case_returned"
    assert returned.case_id == "MS-000001" and returned.thread_ref == threads["org:acme"]
    assert returned.text == (
        "The team returned MS-000001 for more information: Which trademark class covers these? "
        "Answer with `case MS-000001 reply <message>`."
    )
    assert program.ok("cases", as_="brand1").lines == [
        "MS-000001 2026-11-18 2 Taobao listings · returned · 0/2 decided"
    ]
    [team_line] = [posted for posted in delivered if posted.kind == "case_status"]
    assert team_line.channel == "team" and team_line.thread_ref == threads["team"]
    assert team_line.text == "console:team1: the case is now returned (Which trademark class covers these?)."
    summaries = {posted.channel: posted.text for posted in program.poster.updated if posted.kind == "case_summary"}
    assert summaries["team"].startswith("MS-000001 · returned · "), "the team's case message shows the status"
    assert summaries["org:acme"].startswith("MS-000001 · returned · ")


def test_need_info_without_a_note_still_tells_the_brand_what_to_do(program: Harness) -> None:
    file_listings(program, 1)
    program.delivered()
    program.ok("outcome MS-000001 need_info", as_="team1")
    [returned] = [posted for posted in program.delivered() if posted.kind == "case_returned"]
    assert "The team needs more information about this case." in returned.text
    assert "case MS-000001 reply <message>" in returned.text


def test_need_info_twice_returns_the_case_once_and_tells_the_brand_once(program: Harness) -> None:
    file_listings(program, 1)
    program.delivered()
    program.ok('outcome MS-000001 need_info note="Which class?"', as_="team1")
    assert [p.kind for p in program.delivered()].count("case_returned") == 1
    summaries_updated = len(program.poster.updated)
    program.clock.advance(hours=1)
    message = program.refused('outcome MS-000001 need_info note="Which class?"', as_="team1")
    assert message == (
        "Nothing to record: MS-000001 is already returned (since 2026-11-18 15:00 EST, by console:team1)."
    )
    assert program.delivered() == []
    assert len(program.poster.updated) == summaries_updated
    view = program.ok("case MS-000001 history", as_="team1").render_plain()
    assert view.count("case submitted -> returned") == 1


def test_a_repeated_need_info_with_another_note_is_refused_and_says_how_to_send_the_note(program: Harness) -> None:
    file_listings(program, 1)
    program.ok('outcome MS-000001 need_info note="Which class?"', as_="team1")
    program.delivered()
    message = program.refused('outcome MS-000001 need_info note="And the invoice, please"', as_="team1")
    assert message.startswith("Nothing to record: MS-000001 is already returned (since ")
    assert message.endswith("Your note was not recorded: `case MS-000001 reply <message>` sends it to the brand.")
    assert program.delivered() == []


def test_in_review_twice_is_recorded_once(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("outcome MS-000001 in_review", as_="team1")
    program.delivered()
    message = program.refused("outcome MS-000001 in_review", as_="team1")
    assert message.startswith("Nothing to record: MS-000001 is already in_review (since ")
    assert program.delivered() == []


def test_the_brands_reply_sends_a_returned_case_back_to_the_team(program: Harness) -> None:
    file_listings(program, 1)
    threads = opened_threads(program)
    program.ok('outcome MS-000001 need_info note="class?"', as_="team1")
    program.delivered()
    reply = program.ok("case MS-000001 reply Class 25, registration attached to our file", as_="brand1")
    assert reply.text == "MS-000001 is back with the team with your answer."
    [message] = program.delivered()
    assert message.channel == "team" and message.thread_ref == threads["team"]
    assert message.text == "console:brand1: Class 25, registration attached to our file"
    view = program.ok("case MS-000001", as_="team1").render_plain()
    assert "MS-000001 · submitted" in view
    assert "console:brand1: case returned -> submitted (Class 25, registration attached to our file)" in view


def test_a_reply_on_a_case_that_was_not_returned_is_only_a_message(program: Harness) -> None:
    file_listings(program, 1)
    program.delivered()
    reply = program.ok("case MS-000001 reply Any news?", as_="brand1")
    assert reply.text == "Sent to the team in MS-000001."
    assert [(p.channel, p.text) for p in program.delivered()] == [("team", "console:brand1: Any news?")]
    assert "MS-000001 · submitted" in program.ok("case MS-000001", as_="brand1").text


def test_need_info_is_refused_once_an_item_is_decided(program: Harness) -> None:
    file_listings(program, 2)
    program.ok("outcome MS-000001 1 removed", as_="team1")
    message = program.refused("outcome MS-000001 need_info", as_="team1")
    assert message == (
        "MS-000001 is partially_actioned: only a case with no decided item can be returned. "
        "Talk to the brand with `case MS-000001 reply <message>`."
    )


def test_in_review_marks_an_undecided_case_and_decisions_take_over_afterwards(program: Harness) -> None:
    file_listings(program, 2)
    assert program.ok("outcome MS-000001 in_review", as_="team1").text == "MS-000001 is now in_review."
    assert "MS-000001 · in_review" in program.ok("case MS-000001", as_="brand1").text
    program.ok("outcome MS-000001 1 removed", as_="team1")
    assert "MS-000001 · partially_actioned" in program.ok("case MS-000001", as_="brand1").text
    message = program.refused("outcome MS-000001 in_review", as_="team1")
    assert "MS-000001 is partially_actioned" in message


# --- the complaint's status follows its items ------------------------------------------------


def test_the_case_status_follows_its_items(program: Harness) -> None:
    file_listings(program, 3)
    assert program.ok("outcome MS-000001 1 removed", as_="team1").text.endswith("the case is partially_actioned.")
    program.ok("withdraw MS-000001 2", as_="brand1")
    assert program.ok("outcome MS-000001 3 not_found", as_="team1").text.endswith("the case is actioned.")
    assert program.ok("outcome MS-000001 1 counter_notice", as_="team1").text.endswith(
        "the case is partially_actioned."
    )
    assert program.ok("outcome MS-000001 1 reinstated", as_="team1").text.endswith("the case is actioned.")


def test_a_case_whose_items_are_all_withdrawn_is_withdrawn(program: Harness) -> None:
    file_listings(program, 2)
    program.ok("withdraw MS-000001 1", as_="brand1")
    assert "MS-000001 · submitted" in program.ok("case MS-000001", as_="brand1").text
    program.ok("withdraw MS-000001 2", as_="brand1")
    assert "MS-000001 · withdrawn" in program.ok("case MS-000001", as_="brand1").text
    message = program.refused("outcome MS-000001 all removed", as_="team1")
    assert (
        message
        == "No item of MS-000001 can become removed: it is withdrawn, which can change to nothing (it is final)."
    )


# --- notices ----------------------------------------------------------------------------------


def test_each_outcome_is_posted_in_the_team_and_brand_case_threads(program: Harness) -> None:
    file_listings(program, 2)
    threads = opened_threads(program)
    program.ok('outcome MS-000001 1 removed note="seller confirmed"', as_="team1")
    posted = program.delivered()
    assert [(p.channel, p.text, p.thread_ref) for p in posted] == [
        ("team", "console:team1: item 1 removed (seller confirmed).", threads["team"]),
        (
            "org:acme",
            "Outcome for MS-000001: item 1 removed (seller confirmed); the case is partially_actioned.",
            threads["org:acme"],
        ),
    ]


def test_the_outcomes_channel_hears_once_when_a_case_becomes_actioned(program: Harness) -> None:
    file_listings(program, 3)
    program.delivered()
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.ok("outcome MS-000001 2 not_found", as_="team1")
    assert [p for p in program.delivered() if p.channel == "outcomes"] == []
    program.ok("outcome MS-000001 3 removed", as_="team1")
    announced = [p for p in program.delivered() if p.channel == "outcomes"]
    assert [(p.kind, p.text, p.case_id) for p in announced] == [
        ("case_actioned", "MS-000001 (ACME Corp, 3 Taobao listings) actioned: 1 not_found, 2 removed.", None)
    ]


def test_a_refused_outcome_posts_nothing(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("outcome MS-000001 removed", as_="team1")
    program.delivered()
    program.refused("outcome MS-000001 1 not_found", as_="team1")
    program.refused("outcome MS-000001 all removed", as_="team1")
    assert program.delivered() == []


# --- the audit history ------------------------------------------------------------------------


def test_the_case_history_shows_who_changed_what_and_when(program: Harness) -> None:
    file_listings(program, 2)
    program.clock.advance(hours=2)
    program.ok('outcome MS-000001 1 removed note="gone"', as_="team1")
    program.ok("admin member add console:team2 - team")
    program.clock.advance(days=1)
    program.ok("outcome MS-000001 2 not_removed", as_="team2")
    view = program.ok("case MS-000001", as_="brand1").render_plain()
    history = view.split("History:\n", 1)[1].splitlines()
    assert [line.strip() for line in history] == [
        "2026-11-18 15:00 EST console:brand1: case filed (2 listing items on Taobao)",
        "2026-11-18 17:00 EST console:team1: item 1 reported -> removed (gone)",
        "2026-11-18 17:00 EST console:team1: case submitted -> partially_actioned",
        "2026-11-19 17:00 EST console:team2: item 2 reported -> not_removed",
        "2026-11-19 17:00 EST console:team2: case partially_actioned -> actioned",
    ]


def test_need_info_on_chosen_items_is_refused_because_it_concerns_the_whole_case(program: Harness) -> None:
    file_listings(program, 3)
    message = program.refused("outcome MS-000001 2 need_info", as_="team1")
    assert message == 'need_info applies to the whole case. outcome MS-000001 need_info note="..."'
    assert "MS-000001 · submitted" in program.ok("case MS-000001", as_="brand1").text


def test_each_outcome_updates_the_case_message_in_both_channels(program: Harness) -> None:
    file_listings(program, 2)
    opened = {p.channel: p for p in program.delivered() if p.kind == "case_opened"}
    program.ok("outcome MS-000001 1 removed", as_="team1")
    posted = program.delivered()
    updated = {p.channel: p for p in program.poster.updated}
    assert set(updated) == {"team", "org:acme"}
    assert (
        updated["team"].text == "MS-000001 · partially_actioned · ACME Corp: 2 Taobao listings (1 removed, 1 reported)."
    )
    assert updated["team"].thread_ref == "msg-1" and opened["team"].thread_ref is None
    assert all(p.kind != "case_summary" for p in posted), "a summary replaces the first message, it is not added"
    program.ok("outcome MS-000001 2 not_found", as_="team1")
    program.delivered()
    assert program.poster.updated[-2].text.startswith("MS-000001 · actioned")


def test_no_proof_shown_is_refused_on_a_case_not_filed_under_the_luxury_rule(program: Harness) -> None:
    file_listings(program, 2)
    refusal = program.refused("outcome MS-000001 all no_proof_shown", as_="team1")
    assert refusal.startswith(
        "no_proof_shown is only for complaints filed with reason=no_proof under Taobao's luxury rule; "
        "MS-000001 was filed for counterfeit."
    )
    assert "0/2 decided" in program.ok("cases", as_="brand1").lines[0], "nothing was recorded"


def test_a_long_history_says_how_much_is_older_and_pages_back_to_the_filing(program: Harness) -> None:
    file_listings(program, 14)
    for position in range(1, 15):  # one entry an item, and the case's own changes
        program.ok(f"outcome MS-000001 {position} removed", as_="team1")
    program.ok("store strike https://shop12345.taobao.com", as_="team1")  # not this case's history
    view = program.ok("case MS-000001", as_="brand1").lines
    [heading] = [line for line in view if line.startswith("History")]
    total = int(heading.split(" of ", 1)[1].split(" ", 1)[0])
    assert heading == f"History, the latest 15 of {total} (`case MS-000001 history` shows all):"
    assert total > 15
    assert len(view) - view.index(heading) - 1 == 15
    first_page = program.ok("case MS-000001 history", as_="brand1")
    assert first_page.text.startswith(f"MS-000001 history, {total} entries, page 1 of 1:")
    assert "case filed (14 listing items on Taobao)" in first_page.lines[0], "the filing is never lost from view"
    assert program.refused("case MS-000001 history page=2", as_="brand1") == ("The history of MS-000001 has 1 page.")
    assert program.refused("case MS-000001 history", as_="brand2").startswith("There is no case MS-000001")


def test_an_appeal_reads_back_in_the_words_the_team_typed(program: Harness) -> None:
    file_listings(program, 1)
    program.ok("outcome MS-000001 removed", as_="team1")
    program.delivered()
    said = [program.ok("outcome MS-000001 counter_notice", as_="team1").text]
    said.append(program.ok("outcome MS-000001 upheld", as_="team1").text)
    said += [p.text for p in program.delivered()]
    said.append(program.ok("case MS-000001", as_="brand1").render_plain())
    said.append(program.ok("case MS-000001 history", as_="team1").render_plain())
    everything = "\n".join(said)
    assert "item 1 is now counter_notice;" in everything
    assert "item 1 is now upheld;" in everything
    assert "Counter-notice, item 1 round 1: upheld" in everything
    assert "removed -> counter_notice" in everything and "counter_notice -> upheld" in everything
    assert "1 upheld" in everything
    assert "counter_noticed" not in everything and "removal_upheld" not in everything
