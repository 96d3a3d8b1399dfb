"""RogueBlock: the team refers a closed storefront's seller to IACC's payment-processor program."""

from __future__ import annotations

from support.harness import Harness

STORE = "https://www.aliexpress.com/store/1101234567"


def close_store(program: Harness) -> None:
    for _ in range(3):
        program.ok(f"store strike {STORE}", as_="team1")
    program.ok(f"store close {STORE}", as_="team1")
    program.delivered()


def test_a_closed_storefronts_seller_is_referred_posted_and_counted(program: Harness) -> None:
    close_store(program)
    reply = program.ok(f'store refer {STORE} note="same seller as the Yiwu raid"', as_="team1")
    assert reply.text == f"Referred the seller of {STORE} to RogueBlock."
    (posted,) = [p for p in program.delivered() if p.channel == "rogueblock"]
    assert posted.text == f"Referred to RogueBlock: the seller of {STORE} (AliExpress): same seller as the Yiwu raid"
    shown = dict(program.ok(f"store show {STORE}", as_="team1").fields)
    assert shown["RogueBlock"] == "referred (referred 2026-11-18 15:00 EST)"
    assert "Sellers referred to RogueBlock: 2026-11: 1" in program.ok("stats", as_="team1").lines


def test_only_closed_storefronts_are_referred_and_only_once(program: Harness) -> None:
    program.ok(f"store strike {STORE}", as_="team1")
    assert "is not closed" in program.refused(f"store refer {STORE}", as_="team1")
    close_store(program)
    program.ok(f"store refer {STORE}", as_="team1")
    assert "was referred on 2026-11-18 15:00 EST (referred)" in program.refused(f"store refer {STORE}", as_="team1")
    assert "Only the IACC/Alibaba team" in program.refused(f"store refer {STORE}", as_="brand1")


def test_rogueblocks_answer_is_recorded_once(program: Harness) -> None:
    close_store(program)
    assert "after `store refer`" in program.refused(f"store referral {STORE} accepted", as_="team1")
    program.ok(f"store refer {STORE}", as_="team1")
    assert (
        program.ok(f"store referral {STORE} accepted", as_="team1").text
        == f"RogueBlock accepted the referral of {STORE}."
    )
    assert "is accepted" in program.refused(f"store referral {STORE} declined", as_="team1")
    for word in ("maybe", "referred"):
        assert program.refused(f"store referral {STORE} {word}", as_="team1") == (
            f"'{word}' is not a RogueBlock answer. Use one of: accepted, declined."
        )
