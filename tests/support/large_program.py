"""A program at its largest realistic size, to check that the longest answers arrive whole.

`build(router, people, ...)` fills the database through the real router, as people on one platform
would: a 300-item case (and a 340-link paste with merged, flagged, held and rejected links),
hundreds of open cases, 50 meetings with long Chinese titles, 150 applications in 15 groups,
40 proposals and 30 practices of 4,000 characters each. `ASKED` lists the commands whose answers
the platform tests read, and `pieces` says what each answer must show, in order.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.router import Incoming, Router
from handlers.kit.context import Caller
from handlers.kit.replies import Reply

BIG_CASE = "MS-000002"  # the rival's case is MS-000001
BIG_CASE_PAGES = 12  # 300 items, 25 a page
NEW_LINKS = 300
OPEN_CASES = 200  # besides the two above, one link each
MEETINGS = 50
GROUPS = [(region, size) for region in ("US", "DE", "CN", "JP", "BR") for size in ("small", "medium", "large")]
APPLICANTS_PER_GROUP = 10
PROPOSALS, PRACTICES = 40, 30
THREAD_MESSAGE = 5_000
# The answers read, as (who asks, what): each page of the big case, the team's case list, the
# calendar, the applications, the working group's lists, proposals and practices, the agenda and
# the glossary.
ASKED: list[tuple[str, str]] = [
    *(("brand", f"case {BIG_CASE} page={page}") for page in range(1, BIG_CASE_PAGES + 1)),
    ("team", "cases"),
    ("brand", "calendar"),
    ("team", "applications"),
    *(("brand", f"propose list page={page}") for page in (1, 2, 3)),
    *(("brand", f"practices list page={page}") for page in (1, 2)),
    *(("brand", f"propose show P-{n:04d}") for n in (1, 2, PROPOSALS)),
    *(("brand", f"practices show BP-{n:04d}") for n in (1, PRACTICES)),
    ("brand", "propose agenda"),
    ("brand", "language glossary"),
]


@dataclass(frozen=True)
class People:
    """Who acts, on one platform: `user(n)` makes the n-th applicant's identity."""

    admin: Caller
    brand: Caller
    team: Caller
    rival: Caller
    user: Callable[[int], Caller]


def listing(n: int) -> str:
    return f"https://item.taobao.com/item.htm?id={7_000_000 + n}"


def big_paste() -> str:
    """300 new listings, 15 pasted twice, 10 in the rival's open case, 10 short links, 5 refused."""
    new = [listing(n) for n in range(NEW_LINKS)]
    again = [listing(n) + "&spm=a21bo.1" for n in range(15)]
    rivals = [listing(10_000 + n) for n in range(10)]
    short = [f"https://m.tb.cn/h.{n:05d}Xyz" for n in range(10)]
    refused = [f"https://item.taobao.com/item.htm?id={'9' * 25}{n}" for n in range(5)]
    return " ".join([*new, *again, *rivals, *short, *refused])


def chinese_title(n: int) -> str:
    return f"第{n:02d}次工作组会议：关于阿里巴巴知识产权保护平台投诉流程、假冒商品下架时效与卖家申诉处理的讨论" * 2


def long_text(n: int, what: str) -> str:
    """About 4,000 characters in paragraphs, numbered so that every line can be found."""
    lines = [f"{what} {n} line {k:02d}: " + "counterfeit listings are removed within 24 hours " * 2 for k in range(36)]
    text = "\n".join(lines)
    return text[:4000].rsplit(" ", 1)[0]


def run(router: Router, caller: Caller, line: str) -> Reply:
    reply = router.handle(Incoming(caller, line))
    assert not reply.is_error, f"{line[:80]!r}: {reply.text}"
    return reply


def build(router: Router, people: People, working_group: str, platform: str) -> None:
    """Everything above, added to a platform test's program (acme with a verified right, its brand
    member, a team member, the team's and acme's channels mapped); `working_group` is the channel
    id the working group's notices go to."""
    admin = people.admin
    run(router, admin, 'admin org add beta "Beta Co" country=DE size=large')
    added = run(router, admin, 'admin right add beta trademark 7654321 mark="BETA" jurisdiction=CN expires=2030-12-31')
    right = re.search(r"#(\d+)", added.text)
    assert right is not None, added.text
    for line in (
        f"admin right verify {right[1]}",
        f"admin member add {people.rival.ref} beta member",
        f"admin team {people.team.ref} platforms=taobao,aliexpress",
        f"admin channel working-group {platform} {working_group}",
    ):
        run(router, admin, line)
    run(router, people.rival, "complaint " + " ".join(listing(10_000 + n) for n in range(10)))
    for n in range(MEETINGS):
        day = f"2031-{1 + n // 28:02d}-{1 + n % 28:02d}"
        run(router, admin, f'calendar add meeting {day} 10:00 "{chinese_title(n)}"')
    for number, (country, size) in enumerate(GROUPS):
        for k in range(APPLICANTS_PER_GROUP):
            applicant = people.user(number * APPLICANTS_PER_GROUP + k)
            run(
                router,
                applicant,
                f'apply legal_name="Applicant {number:02d}-{k} Trading Co" country={country} size={size} '
                f'contact="Lee {k}, lee{k}@example.com" role=rights_holder good_faith=no marks="MARK{number}{k}"',
            )
    for n in range(PROPOSALS):
        run(router, people.brand, f'propose title="Proposal {n:02d} on faster takedowns" {long_text(n, "proposal")}')
    for n in range(PRACTICES):
        run(router, people.brand, f'practices share title="Practice {n:02d} for evidence" {long_text(n, "practice")}')


def file_open_cases(router: Router, people: People) -> None:
    """Hundreds of open cases, one listing each (AliExpress, after the big case's Taobao ones)."""
    for n in range(OPEN_CASES):
        run(router, people.brand, f"complaint https://www.aliexpress.com/item/{5_000_000 + n}.html")


# -- what an answer must show -----------------------------------------------------------------------


def pieces(reply: Reply) -> list[str]:
    """Everything a reply says, as the lines a person reads, in order."""
    found = reply.text.splitlines()
    for name, value in reply.fields:
        found += [name, *value.splitlines()]
    found += reply.lines
    return [piece.strip() for piece in found if piece.strip()]


def compact(text: str) -> str:
    """Text without any whitespace: parts split at a space or a line break still read the same."""
    return re.sub(r"\s+", "", text)


def missing(reply: Reply, shown: str) -> Iterator[str]:
    """The pieces of `reply` that `shown` (everything the platform received, in order, unescaped)
    lacks, or shows out of order."""
    everything = compact(shown)
    position = 0
    for piece in pieces(reply):
        found = everything.find(compact(piece), position)
        if found < 0:
            yield piece
        else:
            position = found + len(compact(piece))
