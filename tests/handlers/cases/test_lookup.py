"""`lookup`: what the program knows of one listing or storefront, across every case, seen from each side."""

from __future__ import annotations

from support.harness import Harness

LISTING = "https://item.taobao.com/item.htm?id=123"
STORE = "https://www.aliexpress.com/store/1101234567"


def test_a_member_sees_its_own_case_with_outcome_and_appeals(program: Harness) -> None:
    program.ok(f"complaint {LISTING}", as_="brand1")
    program.ok("outcome MS-000001 1 removed", as_="team1")
    program.ok("outcome MS-000001 1 counter_notice", as_="team1")
    reply = program.ok("lookup https://h5.m.taobao.com/awp/core/detail.htm?id=123&spm=x", as_="brand1")
    assert reply.text == f"What the program knows of {LISTING}:"
    assert reply.lines[0] == f"Taobao listing: {LISTING}"
    assert reply.lines[1].startswith("  MS-000001 item 1: counter_notice; case ")
    assert reply.lines[2].startswith("    seller's counter-notice, round 1: open (due ")


def test_another_organisations_member_sees_only_that_another_member_reported_it_and_its_outcome(
    program: Harness,
) -> None:
    program.ok(f"complaint {LISTING}", as_="brand1")
    program.ok("outcome MS-000001 1 removed", as_="team1")
    reply = program.ok(f"lookup {LISTING}", as_="brand2")
    assert reply.lines == [f"Taobao listing: {LISTING}", "  Reported by another member: removed."]
    shown = reply.render_plain()
    assert "MS-000001" not in shown and "ACME" not in shown and "brand1" not in shown


def test_the_team_sees_every_case_holding_the_item_and_whose_it_is(program: Harness) -> None:
    program.ok(f"complaint {LISTING}", as_="brand1")
    program.ok("outcome MS-000001 1 not_found", as_="team1")
    program.ok(f"complaint {LISTING}", as_="brand2")  # decided before: filed again by another member
    reply = program.ok("lookup 123", as_="team1")
    shown = reply.render_plain()
    assert "MS-000001 item 1 (ACME Corp): not_found" in shown
    assert "MS-000002 item 1 (Globex Ltd): reported" in shown


def test_a_storefront_shows_its_status_strikes_and_rogueblock_to_whom_pursues_it(program: Harness) -> None:
    program.ok(f"complaint {STORE}", as_="brand1")
    for _ in range(3):
        program.ok(f"store strike {STORE}", as_="team1")
    program.ok(f"store close {STORE}", as_="team1")
    program.ok(f"store refer {STORE}", as_="team1")
    for who in ("brand1", "team1"):
        line = program.ok(f"lookup {STORE}", as_=who).lines[2]
        assert line.startswith("  Storefront: closed on ")
        assert line.endswith(", 3 active strikes (closes at 3); RogueBlock: referred.")
    reply = program.ok(f"lookup {STORE}", as_="brand2")
    assert reply.lines[0] == f"AliExpress storefront: {STORE}"
    assert reply.lines[1] == "  Reported by another member: reported."
    # Another organisation sees the public status, not how it is pursued (as `store show` keeps it).
    assert reply.lines[2].startswith("  Storefront: closed on ")
    assert "strike" not in reply.lines[2] and "RogueBlock" not in reply.render_plain()


def test_an_unknown_item_and_a_foreign_link_are_answered(program: Harness) -> None:
    assert program.refused(f"lookup {LISTING}", as_="brand1") == (
        f"The program has no record of {LISTING}: no complaint or strike names it."
    )
    assert "not a supported marketplace" in program.refused("lookup https://example.com/x", as_="brand1")
    assert (
        program.refused("lookup 999", as_="brand1")
        == "No listing or storefront with the id 999 is known to the program."
    )


def test_someone_outside_the_program_cannot_look_up(program: Harness) -> None:
    program.ok(f"complaint {LISTING}", as_="brand1")
    assert "in the program" in program.refused(f"lookup {LISTING}", as_="stranger")
