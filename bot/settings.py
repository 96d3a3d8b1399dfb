"""Settings from the environment and `.env`; `.env.example` documents every one."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationInfo, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from handlers.admin.channels import CHANNEL_IDS, FIXED_CHANNELS
from handlers.kit.context import ProgramRules
from storage.vocabulary import Language, Platform

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
LOG_FORMATS = ("text", "json")
# Where the health endpoints and /metrics listen when Slack's HTTP port does not serve them.
DEFAULT_HEALTH_PORT = 8080
CHANNEL_ID_EXAMPLES = {"slack": "C0123ABCD", "discord": "112233445566778899"}
# The settings that SLACK_CHANNELS and DISCORD_CHANNELS replace, one per platform and logical channel.
DEPRECATED_CHANNEL_FIELDS = {
    f"{platform}_channel_{logical.replace('-', '_')}": (platform, logical)
    for platform in CHANNEL_IDS
    for logical in FIXED_CHANNELS
}


# The databases the bot runs on, by SQLAlchemy's name for the driver it uses (psycopg 3 for PostgreSQL).
DATABASE_DRIVERS = ("sqlite", "postgresql+psycopg")
# Names of PostgreSQL URLs that platforms hand out (`postgres://...`), read with psycopg 3.
POSTGRESQL_ALIASES = ("postgres", "postgresql")


def checked_database_url(value: str) -> str:
    """DATABASE_URL as the bot opens it: a SQLite file, or PostgreSQL through psycopg 3 (a plain
    `postgres://` or `postgresql://` URL is read that way); anything else is refused, naming why."""
    example = "e.g. postgresql+psycopg://user:password@host:5432/name or sqlite:///marketsafe.db"
    try:
        url = make_url(value.strip())
    except ArgumentError:
        raise ValueError(f"not a database URL ({example})") from None
    if url.drivername in POSTGRESQL_ALIASES:
        url = url.set(drivername="postgresql+psycopg")
    if url.drivername not in DATABASE_DRIVERS:
        raise ValueError(f"the bot runs on {' or '.join(DATABASE_DRIVERS)}, not {url.drivername} ({example})")
    return url.render_as_string(hide_password=False)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True)

    database_url: str = "sqlite:///marketsafe.db"

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_port: int = 3000
    slack_api_url: str = "https://slack.com/api/"

    discord_bot_token: SecretStr | None = None
    discord_guild_id: int | None = None
    discord_api_url: str | None = None

    marketsafe_admins: str = ""
    marketsafe_timezone: str = "America/New_York"
    marketsafe_language: Language = Language.EN
    marketsafe_strike_thresholds: str = "aliexpress=3"
    marketsafe_default_strike_threshold: int = Field(default=3, ge=1, le=100)
    marketsafe_holidays: str = ""
    marketsafe_log_level: str = "INFO"
    marketsafe_log_format: str = "text"
    marketsafe_health_port: int | None = Field(default=None, ge=0, le=65535)
    marketsafe_export_dir: str = "exports"

    # Deprecated: one setting per logical channel, replaced by the mappings below.
    slack_channel_announcements: str | None = None
    slack_channel_outcomes: str | None = None
    slack_channel_team: str | None = None
    slack_channel_language: str | None = None
    slack_channel_working_group: str | None = None
    slack_channel_rogueblock: str | None = None
    discord_channel_announcements: str | None = None
    discord_channel_outcomes: str | None = None
    discord_channel_team: str | None = None
    discord_channel_language: str | None = None
    discord_channel_working_group: str | None = None
    discord_channel_rogueblock: str | None = None
    # Logical channel -> channel id, per platform: `team=C0123ABCD,outcomes=C0456EFGH`. Declared after
    # the deprecated settings so that their validators can compare the two.
    slack_channels: str = Field(default="", validate_default=True)
    discord_channels: str = Field(default="", validate_default=True)

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        return checked_database_url(value)

    @field_validator("marketsafe_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Asia/Shanghai)") from None
        return value

    @field_validator("marketsafe_admins")
    @classmethod
    def _admin_identities(cls, value: str) -> str:
        for entry in filter(None, (part.strip() for part in value.split(","))):
            platform, _, user = entry.partition(":")
            if platform not in ("slack", "discord", "console") or not user:
                raise ValueError(f"{entry!r} is not platform:user (e.g. slack:U0123)")
        return value

    @field_validator("marketsafe_strike_thresholds")
    @classmethod
    def _thresholds(cls, value: str) -> str:
        parse_thresholds(value)
        return value

    @field_validator("marketsafe_holidays")
    @classmethod
    def _holidays(cls, value: str) -> str:
        parse_holidays(value)
        return value

    @field_validator(*DEPRECATED_CHANNEL_FIELDS)
    @classmethod
    def _deprecated_channel_id(cls, value: str | None, info: ValidationInfo) -> str | None:
        if not value:
            return None
        platform, _ = DEPRECATED_CHANNEL_FIELDS[str(info.field_name)]
        check_channel_id(platform, value.strip())
        return value.strip()

    @field_validator("slack_channels", "discord_channels")
    @classmethod
    def _channel_mapping(cls, value: str, info: ValidationInfo) -> str:
        merged_channels(str(info.field_name).partition("_")[0], value, info.data)
        return value

    @field_validator("marketsafe_log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"unknown log level {value!r} (use one of {', '.join(LOG_LEVELS)})")
        return value.upper()

    @field_validator("marketsafe_log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        if value.lower() not in LOG_FORMATS:
            raise ValueError(f"unknown log format {value!r} (use one of {', '.join(LOG_FORMATS)})")
        return value.lower()

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(filter(None, (part.strip() for part in self.marketsafe_admins.split(","))))

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None and self.slack_signing_secret is not None

    @property
    def discord_enabled(self) -> bool:
        return self.discord_bot_token is not None

    @property
    def slack_http(self) -> bool:
        """Slack over HTTP (not Socket Mode): its port serves the health endpoints too."""
        return self.slack_enabled and self.slack_app_token is None

    @property
    def health_port(self) -> int:
        """Where /healthz, /readyz and /metrics answer: MARKETSAFE_HEALTH_PORT when set, else
        Slack's port in HTTP mode, else 8080."""
        if self.marketsafe_health_port is not None:
            return self.marketsafe_health_port
        return self.slack_port if self.slack_http else DEFAULT_HEALTH_PORT

    def channel_defaults(self, platform: str) -> dict[str, str]:
        """Logical channel -> channel id given in the environment for one platform."""
        return merged_channels(platform, getattr(self, f"{platform}_channels"), dict(self))

    def deprecation_warning(self) -> str | None:
        """What a start warns of when deprecated settings are set, with the setting that replaces them."""
        warnings = []
        for platform in CHANNEL_IDS:
            old = deprecated_channels(platform, dict(self))
            if old:
                names = ", ".join(name for name, _ in old.values())
                channels = self.channel_defaults(platform).items()
                mapping = ",".join(f"{logical}={external}" for logical, external in channels)
                verb = "is" if len(old) == 1 else "are"
                warnings.append(f"{names} {verb} deprecated: use {platform.upper()}_CHANNELS={mapping}")
        return "; ".join(warnings) or None

    def rules(self) -> ProgramRules:
        return ProgramRules(
            timezone=ZoneInfo(self.marketsafe_timezone),
            strike_thresholds=parse_thresholds(self.marketsafe_strike_thresholds),
            default_strike_threshold=self.marketsafe_default_strike_threshold,
            holidays=parse_holidays(self.marketsafe_holidays),
            language=self.marketsafe_language,
            admins=self.admins,
        )


def parse_thresholds(value: str) -> dict[Platform, int]:
    """`aliexpress=3,taobao=5` -> {Platform.ALIEXPRESS: 3, Platform.TAOBAO: 5}."""
    thresholds: dict[Platform, int] = {}
    for entry in filter(None, (part.strip() for part in value.split(","))):
        name, _, count = entry.partition("=")
        try:
            platform, threshold = Platform(name.strip().lower()), int(count)
        except ValueError:
            raise ValueError(f"{entry!r} is not platform=count, e.g. aliexpress=3") from None
        if threshold < 1:
            raise ValueError(f"{entry!r}: a threshold is at least 1")
        thresholds[platform] = threshold
    return thresholds


def parse_channels(value: str, platform: str) -> dict[str, str]:
    """`team=C0123ABCD,outcomes=C0456EFGH` -> {"team": "C0123ABCD", "outcomes": "C0456EFGH"}."""
    channels: dict[str, str] = {}
    for entry in filter(None, (part.strip() for part in value.split(","))):
        logical, equals, external = (part.strip() for part in entry.partition("="))
        logical = logical.lower()
        if not equals or not logical or not external:
            raise ValueError(f"{entry!r} is not logical-channel=channel-id, e.g. team={CHANNEL_ID_EXAMPLES[platform]}")
        if logical not in FIXED_CHANNELS:
            known = ", ".join(FIXED_CHANNELS)
            raise ValueError(f"{entry!r}: '{logical}' is not a logical channel (use one of {known})")
        try:
            check_channel_id(platform, external)
        except ValueError as error:
            raise ValueError(f"{entry!r}: {error}") from None
        if logical in channels:
            raise ValueError(f"{entry!r}: '{logical}' is given twice")
        channels[logical] = external
    return channels


def check_channel_id(platform: str, external: str) -> None:
    """Refuse a channel id that does not have the platform's shape, as `admin channel` does."""
    if not CHANNEL_IDS[platform].match(external):
        raise ValueError(f"'{external}' is not a {platform} channel id (it looks like {CHANNEL_ID_EXAMPLES[platform]})")


def deprecated_channels(platform: str, values: Mapping[str, object]) -> dict[str, tuple[str, str]]:
    """Logical channel -> (setting name, channel id) for the deprecated channel settings that are set."""
    found = {}
    for field, (field_platform, logical) in DEPRECATED_CHANNEL_FIELDS.items():
        value = values.get(field)
        if field_platform == platform and isinstance(value, str) and value:
            found[logical] = (field.upper(), value)
    return found


def merged_channels(platform: str, mapping: str, values: Mapping[str, object]) -> dict[str, str]:
    """A platform's mapping (`SLACK_CHANNELS`) with what its deprecated settings add; a deprecated
    setting that names another channel than the mapping is refused."""
    channels = parse_channels(mapping, platform)
    mapping_name = f"{platform.upper()}_CHANNELS"
    for logical, (name, external) in deprecated_channels(platform, values).items():
        given = channels.setdefault(logical, external)
        if given != external:
            raise ValueError(
                f"{mapping_name} gives {logical}={given} but {name}={external}; "
                f"remove {name} (deprecated, replaced by {mapping_name})"
            )
    return channels


def parse_holidays(value: str) -> frozenset[date]:
    days = set()
    for entry in filter(None, (part.strip() for part in value.split(","))):
        try:
            days.add(date.fromisoformat(entry))
        except ValueError:
            raise ValueError(f"{entry!r} is not a date written YYYY-MM-DD") from None
    return frozenset(days)
