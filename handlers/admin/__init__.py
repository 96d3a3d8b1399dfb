"""Administration: organisations, members and roles, IP rights, channels and team platforms (`admin`)."""

from handlers.kit.i18n import N_
from handlers.kit.registry import group

group(
    "admin",
    summary=N_("organisations, members, IP rights, channels and the team's platforms (admins)"),
    order=("org", "member", "team", "right", "channel", "channels"),
)
