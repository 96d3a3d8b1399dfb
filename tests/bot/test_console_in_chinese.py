"""The console's own words (a case message's update, the actions under a notice or a reply) are in
the language of the channel a notice is for, and of the one acting for a reply."""

from __future__ import annotations

import io

from bot.console import Console
from bot.router import Router
from handlers.kit.context import ProgramRules
from storage.database import Database
from support.clock import FakeClock

SCRIPT = """\
admin org add acme "ACME Corp" country=US size=large
admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN expires=2030-12-31
admin right verify 1
admin member add console:brand1 acme member
admin member add console:team1 - team
admin channel team slack C0123ABCD lang=zh
/as team1
lang zh
/as brand1
complaint https://item.taobao.com/item.htm?id=1001
/as team1
outcome MS-000001 all removed
case MS-000001
/as operator
case MS-000001"""


def test_the_consoles_own_words_follow_the_channels_and_the_readers_language(
    database: Database, clock: FakeClock
) -> None:
    out = io.StringIO()
    router = Router(database, ProgramRules(), frozenset({"console:operator"}), clock=clock)
    console = Console(router, database, out)
    for line in SCRIPT.splitlines():
        console.run_line(line)
    lines = out.getvalue().splitlines()

    team = [line for line in lines if line.startswith("[#team > MS-000001]")]
    brand = [line for line in lines if line.startswith("[#org:acme > MS-000001]")]
    assert any(line.startswith("[#team > MS-000001] （案件消息已更新） MS-000001") for line in team)
    assert any(line.startswith("[#org:acme > MS-000001] (case message updated) MS-000001") for line in brand)
    # Under the team's case message (for #team, in Chinese), its buttons as commands to type.
    notice_actions = [line for line in lines if line.startswith("    ") and "outcome MS-000001 all removed" in line]
    assert notice_actions and all(line.startswith("    操作：outcome MS-000001 all removed") for line in notice_actions)
    # Under `case` for team1 (who chose Chinese), then for the operator (English).
    reply_actions = [
        line for line in lines if line[2:3] != " " and line.startswith("  ") and "outcome MS-000001 all removed" in line
    ]
    assert [line.split("outcome")[0] for line in reply_actions] == ["  操作：", "  actions: "]
