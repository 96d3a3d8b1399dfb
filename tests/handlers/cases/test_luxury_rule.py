"""Taobao's rule for luxury goods: no proof of authenticity, no listing."""

from __future__ import annotations

from storage.vocabulary import ReasonCode
from support.harness import Harness

TAOBAO = "https://item.taobao.com/item.htm?id={}"


def test_no_proof_is_refused_for_a_brand_not_marked_luxury(program: Harness) -> None:
    message = program.refused(f"complaint reason=no_proof {TAOBAO.format(1)}", as_="brand1")
    assert message.startswith("reason=no_proof applies to luxury brands, and IP right #1 (ACME) is not marked luxury.")


def test_a_luxury_brand_files_no_proof_against_taobao_listings_only(program: Harness) -> None:
    assert "is now a luxury brand" in program.ok("admin right luxury 1 yes").text
    reply = program.ok(
        f"complaint reason=no_proof {TAOBAO.format(1)} https://detail.tmall.com/item.htm?id=2 "
        "https://shop123456.taobao.com/",
        as_="brand1",
    )
    assert reply.text == "Registered 1 item in MS-000001 (1 Taobao listing)."
    assert reply.lines == [
        "2 links rejected:",
        "  - https://detail.tmall.com/item.htm?id=2: this is a Tmall link, and reason=no_proof (Taobao's luxury "
        "rule) applies to Taobao listings only",
        "  - https://shop123456.taobao.com/: this reason applies to listings, not storefronts",
    ]
    assert "no proof of authenticity" in program.ok("case MS-000001", as_="brand1").render_plain()
    assert "Taobao listings only" in program.refused(
        f"complaint reason=no_proof platform=tmall {TAOBAO.format(3)}", as_="brand1"
    )


def test_seller_showed_no_proof_is_a_removal(program: Harness) -> None:
    program.ok("admin right luxury 1 yes")
    program.ok(f"complaint reason=no_proof {TAOBAO.format(1)}", as_="brand1")
    reply = program.ok("outcome MS-000001 1 no_proof_shown", as_="team1")
    assert reply.text == "MS-000001: item 1 is now removed; the case is actioned."
    assert "seller showed no proof of authenticity" in program.ok("case MS-000001", as_="brand1").render_plain()
    stats = program.ok("stats", as_="brand1").render_plain()
    assert "Takedown success, last 3 months: 100.0% of 1 decided" in stats


def test_help_complaint_lists_every_reason_with_when_no_proof_applies(program: Harness) -> None:
    usage = " ".join(program.ok("help complaint", as_="brand1").lines)
    listed = usage.split("reason is one of ", 1)[1]
    for code in ReasonCode:
        assert f"{code.value} (" in listed or f"{code.value}," in listed, code
    assert "no_proof (Taobao's luxury rule: Taobao listings of a right marked luxury" in usage
