"""The program the Discord tests play in: one brand, one team member, channels mapped."""

from __future__ import annotations

from bot.router import Incoming, Router
from handlers.kit.context import Caller
from support.fake_discord import FakeDiscord

OPERATOR = Caller("console", "operator")


def set_up_program(router: Router, fake: FakeDiscord, brand: int, team: int) -> None:
    """Acme with a verified right, a Discord brand member and a team member, channels mapped."""
    for line in (
        'admin org add acme "ACME Corp" country=US size=large',
        'admin right add acme trademark 1234567 mark="ACME" jurisdiction=CN expires=2030-12-31',
        "admin right verify 1",
        f"admin member add discord:{brand} acme member",
        f"admin member add discord:{team} - team",
        f"admin team discord:{team} platforms=taobao",
        f"admin channel team discord {fake.team_channel_id}",
        f"admin channel org:acme discord {fake.brand_channel_id}",
    ):
        reply = router.handle(Incoming(OPERATOR, line))
        assert not reply.is_error, (line, reply.text)
