"""`stats`: monthly figures computed from what was filed and decided, and the accuracy warnings."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.kit.replies import Reply
from support.harness import Harness

TAOBAO = "https://item.taobao.com/item.htm?id={}"
SUCCESS_WARNING = "Warning: takedown success is under 90%; check the accuracy of complaints."
APPEAL_WARNING = "Warning: over 5% of appeals were lost; review complaints before filing."


def file_listings(bot: Harness, count: int, as_: str = "brand1", first: int = 1) -> None:
    bot.ok("complaint " + " ".join(TAOBAO.format(n) for n in range(first, first + count)), as_=as_)


def row(reply: Reply, month: str) -> list[str]:
    """The figures of one month: month, listings reported, storefronts reported, removed, takedown rate,
    stores closed, median."""
    [line] = [line for line in reply.lines if line.startswith(month)]
    return line.split(maxsplit=6)


def warnings(reply: Reply) -> list[str]:
    return [line for line in reply.lines if line.startswith("Warning")]


# --- the figures ------------------------------------------------------------------------------


def test_figures_come_from_what_was_filed_and_decided(program: Harness) -> None:
    file_listings(program, 4)
    program.clock.advance(days=1)
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.clock.advance(days=1)
    program.ok("outcome MS-000001 2 removed", as_="team1")
    program.ok("outcome MS-000001 4 not_removed", as_="team1")
    program.clock.advance(days=3)
    program.ok("outcome MS-000001 3 removed", as_="team1")
    reply = program.ok("stats", as_="team1")
    assert reply.text == "The whole program: figures for 2026-06 to 2026-11"
    assert reply.lines[0] == (
        "month    listings reported  storefronts reported  removed  takedown  stores closed  median to removal"
    )
    # Removals after 1, 2 and 5 days: the median is 2 days.
    assert row(reply, "2026-11") == ["2026-11", "4", "0", "3", "75.0%", "0", "2d 0h"]


def test_the_median_of_an_even_number_of_removals_is_the_mean_of_the_middle_two(program: Harness) -> None:
    file_listings(program, 2)
    program.clock.advance(days=1)
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.clock.advance(days=1)
    program.ok("outcome MS-000001 2 removed", as_="team1")
    assert row(program.ok("stats", as_="team1"), "2026-11") == ["2026-11", "2", "0", "2", "100.0%", "0", "1d 12h"]


def test_items_not_removed_are_decided_but_not_in_the_median(program: Harness) -> None:
    file_listings(program, 3)
    program.clock.advance(hours=5)
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.clock.advance(days=10)
    program.ok("outcome MS-000001 2-3 not_found", as_="team1")
    assert row(program.ok("stats", as_="team1"), "2026-11") == ["2026-11", "3", "0", "1", "33.3%", "0", "5h 0m"]


def test_undecided_and_withdrawn_items_are_reported_but_not_decided(program: Harness) -> None:
    file_listings(program, 3)
    program.ok("withdraw MS-000001 3", as_="brand1")
    reply = program.ok("stats", as_="brand1")
    assert row(reply, "2026-11") == ["2026-11", "3", "0", "0", "-", "0", "-"]
    assert "Takedown success, last 3 months: - of 0 decided" in reply.lines


def test_months_with_no_activity_show_zeros(program: Harness) -> None:
    reply = program.ok("stats", as_="team1")
    assert [line.split()[0] for line in reply.lines[1:7]] == [
        "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
    ]  # fmt: skip
    for month in ("2026-06", "2026-11"):
        assert row(reply, month) == [month, "0", "0", "0", "-", "0", "-"]
    assert "Takedown success, last 3 months: - of 0 decided" in reply.lines
    assert "Appeals lost, last 3 months: - of 0 decided" in reply.lines
    assert warnings(reply) == []


def test_months_and_until_choose_the_months_shown(program: Harness) -> None:
    file_listings(program, 2)
    program.ok("outcome MS-000001 removed", as_="team1")
    reply = program.ok("stats months=3 until=2027-01", as_="team1")
    assert reply.text == "The whole program: figures for 2026-11 to 2027-01"
    assert row(reply, "2026-11")[:5] == ["2026-11", "2", "0", "2", "100.0%"]
    assert row(reply, "2026-12") == ["2026-12", "0", "0", "0", "-", "0", "-"]
    assert row(reply, "2027-01") == ["2027-01", "0", "0", "0", "-", "0", "-"]
    one = program.ok("stats months=1", as_="team1")
    assert one.text == "The whole program: figures for 2026-11 to 2026-11"
    assert [line for line in one.lines if line[:4].isdigit()] == [one.lines[1]]
    assert program.ok("stats months=12", as_="team1").text.endswith("figures for 2025-12 to 2026-11")


def test_bad_months_and_until_values_are_refused(program: Harness) -> None:
    assert program.refused("stats months=0", as_="team1").startswith("'0' is not a valid number of months.")
    assert "from 1 to 120" in program.refused("stats months=121", as_="team1")
    assert program.refused("stats until=2026-13", as_="team1").startswith("'2026-13' is not a month.")
    assert program.refused("stats until=november", as_="team1").startswith("'november' is not a month.")
    assert program.refused("stats org=acme month=2026-11", as_="team1").startswith("Unknown option month=.")


# --- whose figures ----------------------------------------------------------------------------


def test_a_member_sees_only_their_organisations_figures(program: Harness) -> None:
    file_listings(program, 2)
    file_listings(program, 3, as_="brand2", first=10)
    program.ok("outcome MS-000002 all removed", as_="team1")
    acme = program.ok("stats", as_="brand1")
    assert acme.text == "ACME Corp: figures for 2026-06 to 2026-11"
    assert row(acme, "2026-11") == ["2026-11", "2", "0", "0", "-", "0", "-"]
    globex = program.ok("stats", as_="brand2")
    assert globex.text == "Globex Ltd: figures for 2026-06 to 2026-11"
    assert row(globex, "2026-11")[:5] == ["2026-11", "3", "0", "3", "100.0%"]


def test_a_member_is_refused_other_organisations_and_the_whole_program(program: Harness) -> None:
    for asked in ("stats org=globex", "stats org=nobody", "stats overall"):
        message = program.refused(asked, as_="brand1")
        assert message.startswith("Only the IACC/Alibaba team can see figures beyond your own organisation.")


def test_a_member_may_name_their_own_organisation(program: Harness) -> None:
    assert program.ok("stats org=acme", as_="brand1").text == "ACME Corp: figures for 2026-06 to 2026-11"


def test_overall_and_one_organisation_at_once_are_refused(program: Harness) -> None:
    for who in ("team1", "brand1"):
        assert program.refused("stats overall org=acme", as_=who) == (
            "`overall` is the whole program and org= one organisation: choose one. `help stats` shows the usage."
        )


def test_the_team_sees_the_whole_program_or_one_organisation(program: Harness) -> None:
    file_listings(program, 2)
    file_listings(program, 3, as_="brand2", first=10)
    program.ok("outcome MS-000002 all removed", as_="team1")
    program.ok("outcome MS-000001 all not_found", as_="team1")
    assert row(program.ok("stats", as_="team1"), "2026-11")[:5] == ["2026-11", "5", "0", "3", "60.0%"]
    assert row(program.ok("stats overall", as_="team1"), "2026-11")[:5] == ["2026-11", "5", "0", "3", "60.0%"]
    globex = program.ok("stats org=globex", as_="team1")
    assert globex.text.startswith("Globex Ltd: ")
    assert row(globex, "2026-11")[:5] == ["2026-11", "3", "0", "3", "100.0%"]
    assert program.refused("stats org=initech", as_="team1") == "There is no organisation 'initech'."


def test_people_outside_the_program_get_no_figures(program: Harness) -> None:
    assert "need to be in the program" in program.refused("stats", as_="stranger")


# --- the program's time zone ------------------------------------------------------------------


def test_months_follow_the_program_time_zone(program: Harness) -> None:
    # 02:00 UTC on 1 December is 21:00 on 30 November in New York.
    program.clock.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    file_listings(program, 2)
    program.clock.now = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.clock.now = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # 01:00 on 1 December in New York
    program.ok("outcome MS-000001 2 removed", as_="team1")
    file_listings(program, 1, first=3)
    reply = program.ok("stats months=2 until=2026-12", as_="team1")
    assert row(reply, "2026-11") == ["2026-11", "2", "0", "1", "100.0%", "0", "1h 0m"]
    assert row(reply, "2026-12") == ["2026-12", "1", "0", "1", "100.0%", "0", "4h 0m"]


def test_storefronts_reported_are_counted_apart_from_listings(program: Harness) -> None:
    program.ok(f"complaint {TAOBAO.format(1)} {TAOBAO.format(2)} https://shop123456.taobao.com/", as_="brand1")
    assert row(program.ok("stats", as_="brand1"), "2026-11")[:3] == ["2026-11", "2", "1"]


# --- storefronts closed -----------------------------------------------------------------------


def test_storefronts_closed_count_for_the_organisations_that_named_them(program: Harness) -> None:
    shop = "https://shop123456.taobao.com/"
    program.ok(f"complaint {shop}", as_="brand1")
    for _ in range(3):
        program.ok(f"store strike {shop}", as_="team1")
    # Closed at 02:00 UTC on 1 December: still November in New York.
    program.clock.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    program.ok(f"store close {shop}", as_="team1")
    until = "months=2 until=2026-12"
    assert row(program.ok(f"stats {until}", as_="brand1"), "2026-11")[5] == "1"
    assert row(program.ok(f"stats {until}", as_="brand1"), "2026-12")[5] == "0"
    assert row(program.ok(f"stats {until}", as_="brand2"), "2026-11")[5] == "0"
    assert row(program.ok(f"stats {until}", as_="team1"), "2026-11")[5] == "1"


# --- accuracy warnings ------------------------------------------------------------------------


def test_exactly_90_percent_success_gives_no_warning(program: Harness) -> None:
    file_listings(program, 10)
    program.ok("outcome MS-000001 1-9 removed", as_="team1")
    program.ok("outcome MS-000001 10 not_removed", as_="team1")
    reply = program.ok("stats", as_="brand1")
    assert "Takedown success, last 3 months: 90.0% of 10 decided" in reply.lines
    assert warnings(reply) == []


def test_success_under_90_percent_warns_the_member_and_the_team(program: Harness) -> None:
    file_listings(program, 11)
    program.ok("outcome MS-000001 1-9 removed", as_="team1")
    program.ok("outcome MS-000001 10-11 not_found", as_="team1")
    reply = program.ok("stats", as_="brand1")
    assert "Takedown success, last 3 months: 81.8% of 11 decided" in reply.lines
    assert warnings(reply) == [SUCCESS_WARNING]
    assert warnings(program.ok("stats org=acme", as_="team1")) == [SUCCESS_WARNING]
    assert warnings(program.ok("stats", as_="brand2")) == []


def test_exactly_5_percent_of_appeals_lost_gives_no_warning(program: Harness) -> None:
    file_listings(program, 20)
    program.ok("outcome MS-000001 all removed", as_="team1")
    program.ok("outcome MS-000001 all counter_notice", as_="team1")
    program.ok("outcome MS-000001 1 reinstated", as_="team1")
    program.ok("outcome MS-000001 2-20 upheld", as_="team1")
    reply = program.ok("stats", as_="brand1")
    assert "Appeals lost, last 3 months: 5.0% of 20 decided" in reply.lines
    assert "Takedown success, last 3 months: 95.0% of 20 decided" in reply.lines
    assert warnings(reply) == []


def test_over_5_percent_of_appeals_lost_warns(program: Harness) -> None:
    file_listings(program, 20)
    program.ok("outcome MS-000001 all removed", as_="team1")
    program.ok("outcome MS-000001 all counter_notice", as_="team1")
    program.ok("outcome MS-000001 1-2 reinstated", as_="team1")
    program.ok("outcome MS-000001 3-20 upheld", as_="team1")
    reply = program.ok("stats", as_="brand1")
    assert "Appeals lost, last 3 months: 10.0% of 20 decided" in reply.lines
    # A reinstated listing is no longer a removal: 18 of 20 is still exactly 90%.
    assert "Takedown success, last 3 months: 90.0% of 20 decided" in reply.lines
    assert warnings(reply) == [APPEAL_WARNING]


def test_appeals_still_open_do_not_count_as_lost_or_won(program: Harness) -> None:
    file_listings(program, 2)
    program.ok("outcome MS-000001 all removed", as_="team1")
    program.ok("outcome MS-000001 all counter_notice", as_="team1")
    reply = program.ok("stats", as_="brand1")
    assert "Appeals lost, last 3 months: - of 0 decided" in reply.lines
    assert row(reply, "2026-11")[:5] == ["2026-11", "2", "0", "2", "100.0%"]
    assert warnings(reply) == []


def test_both_warnings_appear_together(program: Harness) -> None:
    file_listings(program, 4)
    program.ok("outcome MS-000001 all removed", as_="team1")
    program.ok("outcome MS-000001 all counter_notice", as_="team1")
    program.ok("outcome MS-000001 1 reinstated", as_="team1")
    program.ok("outcome MS-000001 2-4 upheld", as_="team1")
    program.ok(f"complaint {TAOBAO.format(9)}", as_="brand1")
    program.ok("outcome MS-000002 not_removed", as_="team1")
    assert warnings(program.ok("stats", as_="brand1")) == [SUCCESS_WARNING, APPEAL_WARNING]


def test_warnings_look_only_at_the_last_three_months(program: Harness) -> None:
    file_listings(program, 2)
    program.ok("outcome MS-000001 all not_found", as_="team1")
    assert warnings(program.ok("stats until=2027-01", as_="brand1")) == [SUCCESS_WARNING]
    later = program.ok("stats until=2027-02", as_="brand1")
    assert "Takedown success, last 3 months: - of 0 decided" in later.lines
    assert warnings(later) == []
    program.clock.now = datetime(2027, 3, 1, 17, 0, tzinfo=UTC)
    assert warnings(program.ok("stats", as_="brand1")) == []


def test_an_unknown_word_is_refused_rather_than_ignored(program: Harness) -> None:
    message = program.refused("stats lastyear", as_="team1")
    assert message == "'lastyear' is not a choice here. Use `overall` or the options in `help stats`."


# --- first decisions per platform -------------------------------------------------------------


def service(reply: Reply, platform: str) -> list[str]:
    """A platform's service figures: items, share within 24 h, within 72 h, median to first decision."""
    start = reply.lines.index("First decisions, of the items reported in the last 3 months:")
    [line] = [line for line in reply.lines[start + 2 :] if line.startswith(platform)]
    return line.removeprefix(platform).split(maxsplit=3)


def test_shares_decided_within_24_and_72_hours_and_the_median_first_decision_per_platform(program: Harness) -> None:
    file_listings(program, 4)
    program.ok("complaint https://detail.tmall.com/item.htm?id=9", as_="brand1")
    program.clock.advance(hours=5)
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.clock.advance(hours=25)  # 30 h after the report
    program.ok("outcome MS-000001 2 not_found", as_="team1")
    program.clock.advance(hours=60)  # 90 h
    program.ok("outcome MS-000001 3 removed", as_="team1")
    program.ok("outcome MS-000001 1 counter_notice", as_="team1")  # a later change is not a first decision
    program.ok("withdraw MS-000002 1", as_="brand1")
    reply = program.ok("stats", as_="team1")
    # Taobao: 4 items, 1 within 24 h, 2 within 72 h; first decisions after 5, 30 and 90 hours.
    assert service(reply, "Taobao") == ["4", "25.0%", "50.0%", "1d 6h"]
    assert service(reply, "Tmall") == ["1", "0.0%", "0.0%", "-"]
    assert "First decisions, of the items reported in the last 3 months:" not in program.ok("stats", as_="brand2").lines


def test_service_figures_are_scoped_to_the_organisation(program: Harness) -> None:
    file_listings(program, 2)
    file_listings(program, 1, as_="brand2", first=10)
    program.clock.advance(hours=1)
    program.ok("outcome MS-000002 1 removed", as_="team1")
    acme = program.ok("stats", as_="brand1")
    globex = program.ok("stats", as_="brand2")
    assert service(acme, "Taobao") == ["2", "0.0%", "0.0%", "-"]
    assert service(globex, "Taobao") == ["1", "100.0%", "100.0%", "1h 0m"]
