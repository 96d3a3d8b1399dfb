"""Administration: organisations, members and roles, IP rights, channels and team platforms (`admin`)."""

from handlers.kit.registry import group

group(
    "admin",
    summary="organisations, members, IP rights, channels and the team's platforms (admins)",
    order=("org", "member", "team", "right", "channel", "channels"),
)
