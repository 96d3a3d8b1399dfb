"""Settings from the environment and `.env`; `.env.example` documents every one."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from handlers.kit.context import ProgramRules
from storage.vocabulary import Channel, Platform

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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
    marketsafe_strike_thresholds: str = "aliexpress=3"
    marketsafe_default_strike_threshold: int = Field(default=3, ge=1, le=100)
    marketsafe_holidays: str = ""
    marketsafe_log_level: str = "INFO"

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

    @field_validator("marketsafe_log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.upper() not in LOG_LEVELS:
            raise ValueError(f"unknown log level {value!r} (use one of {', '.join(LOG_LEVELS)})")
        return value.upper()

    @property
    def admins(self) -> frozenset[str]:
        return frozenset(filter(None, (part.strip() for part in self.marketsafe_admins.split(","))))

    @property
    def slack_enabled(self) -> bool:
        return self.slack_bot_token is not None and self.slack_signing_secret is not None

    @property
    def discord_enabled(self) -> bool:
        return self.discord_bot_token is not None

    def channel_defaults(self, platform: str) -> dict[str, str]:
        """Logical channel -> channel id given in the environment for one platform."""
        found = {}
        for channel in Channel:
            # Environment variable names cannot hold `-`: `working-group` is SLACK_CHANNEL_WORKING_GROUP.
            value = getattr(self, f"{platform}_channel_{channel.replace('-', '_')}", None)
            if value:
                found[channel.value] = value
        return found

    def rules(self) -> ProgramRules:
        return ProgramRules(
            timezone=ZoneInfo(self.marketsafe_timezone),
            strike_thresholds=parse_thresholds(self.marketsafe_strike_thresholds),
            default_strike_threshold=self.marketsafe_default_strike_threshold,
            holidays=parse_holidays(self.marketsafe_holidays),
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


def parse_holidays(value: str) -> frozenset[date]:
    days = set()
    for entry in filter(None, (part.strip() for part in value.split(","))):
        try:
            days.add(date.fromisoformat(entry))
        except ValueError:
            raise ValueError(f"{entry!r} is not a date written YYYY-MM-DD") from None
    return frozenset(days)
