"""Who is asking, from where, and the program rules in force: everything a handler may know."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.kit.errors import NotPermitted
from handlers.kit.i18n import _
from storage.vocabulary import Platform, Role

STAFF_ROLES = frozenset({Role.TEAM, Role.ADMIN})
BRAND_ROLES = frozenset({Role.MEMBER, Role.REPRESENTATIVE})


@dataclass(frozen=True, slots=True)
class Caller:
    """A chat identity: `slack:U0123`, `discord:4567`, `console:operator`."""

    platform: str
    user_id: str
    display_name: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.platform}:{self.user_id}"


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file that came with a command (a Slack file, a Discord attachment, a console path)."""

    name: str
    content: bytes


@dataclass(frozen=True, slots=True)
class ProgramRules:
    """Configurable program rules (settings), fixed for the life of the process."""

    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("America/New_York"))
    strike_thresholds: dict[Platform, int] = field(default_factory=dict)
    default_strike_threshold: int = 3
    holidays: frozenset[date] = frozenset()
    strike_lifetime: timedelta = timedelta(days=365)
    language: str = "en"  # MARKETSAFE_LANGUAGE: replies and notices when nothing else decides
    # MARKETSAFE_ADMINS: chat identities (`slack:U0123`) that are admins while the settings name them.
    admins: frozenset[str] = frozenset()

    def strike_threshold(self, platform: Platform) -> int:
        return self.strike_thresholds.get(platform, self.default_strike_threshold)


@dataclass(frozen=True, slots=True)
class Context:
    """The caller, their membership, where they spoke, and when."""

    caller: Caller
    now: datetime
    rules: ProgramRules
    member_id: int | None = None
    organisation_id: int | None = None
    organisation_slug: str | None = None
    role: Role | None = None
    channel: str | None = None
    thread: str | None = None
    attachments: tuple[Attachment, ...] = ()
    request_key: str | None = None
    language: str = "en"  # the caller's: their own choice, else their platform's locale, else the program's
    unchosen_language: str = "en"  # what `language` is without a choice of their own (`lang auto`)

    @property
    def today(self) -> date:
        """The program's date now (rights expire at the end of their day in the program's zone)."""
        return self.now.astimezone(self.rules.timezone).date()

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def require_staff(self, action: str) -> None:
        if not self.is_staff:
            raise NotPermitted(
                _("Only the IACC/Alibaba team can {action}.", action=_(action)),
                hint=_("Ask a team member in your case thread if you need this done."),
            )

    def require_admin(self, action: str) -> None:
        if not self.is_admin:
            raise NotPermitted(_("Only program admins can {action}.", action=_(action)))

    def require_organisation(self) -> int:
        """The caller's organisation id, or a clear refusal when they have none."""
        if self.organisation_id is None:
            raise NotPermitted(
                _("You are not a member of an organisation in the program yet."),
                hint=_("Ask a program admin to add you: `admin member add <you> <org> member`."),
            )
        return self.organisation_id
