"""Settings as a deployment gives them: environment and `.env`, checked, with documented defaults."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from storage.vocabulary import Platform

ENV_EXAMPLE = Path(__file__).resolve().parents[2] / ".env.example"
MARKETSAFE = Path(sys.executable).with_name("marketsafe")
SETTING_NAMES = {name.upper() for name in Settings.model_fields}


@pytest.fixture(autouse=True)
def no_outside_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No setting from the surrounding environment, and a working directory without a `.env`."""
    for name in list(os.environ):
        if name.upper() in SETTING_NAMES:
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write_env_file(directory: Path, text: str) -> None:
    (directory / ".env").write_text(text, encoding="utf-8")


def test_defaults_match_the_documented_contract() -> None:
    settings = Settings()
    assert settings.database_url == "sqlite:///marketsafe.db"
    assert settings.slack_port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.marketsafe_timezone == "America/New_York"
    assert settings.admins == frozenset()
    assert not settings.slack_enabled and not settings.discord_enabled
    rules = settings.rules()
    assert rules.timezone == ZoneInfo("America/New_York")
    assert rules.strike_threshold(Platform.ALIEXPRESS) == 3
    assert rules.holidays == frozenset()


def test_values_come_from_the_env_file_and_the_environment_wins(
    no_outside_settings: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_env_file(
        no_outside_settings,
        "DATABASE_URL=postgresql+psycopg://marketsafe@db:5432/marketsafe\nSLACK_PORT=8080\n"
        "MARKETSAFE_TIMEZONE=Asia/Shanghai\n",
    )
    monkeypatch.setenv("SLACK_PORT", "9090")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://marketsafe@db:5432/marketsafe"
    assert settings.slack_port == 9090
    assert settings.rules().timezone == ZoneInfo("Asia/Shanghai")


def test_empty_values_in_the_env_file_count_as_unset(no_outside_settings: Path) -> None:
    blanked = "\n".join(f"{name}=" for name in sorted(SETTING_NAMES)) + "\n"
    write_env_file(no_outside_settings, blanked)
    settings = Settings()
    assert settings.database_url == "sqlite:///marketsafe.db"
    assert settings.slack_port == 3000
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.marketsafe_timezone == "America/New_York"
    assert settings.slack_bot_token is None and settings.discord_bot_token is None
    assert settings.discord_guild_id is None
    assert not settings.slack_enabled and not settings.discord_enabled
    assert settings.channel_defaults("slack") == {} and settings.channel_defaults("discord") == {}


def test_the_env_example_as_shipped_starts_no_chat_platform(no_outside_settings: Path) -> None:
    write_env_file(no_outside_settings, ENV_EXAMPLE.read_text(encoding="utf-8"))
    settings = Settings()
    assert not settings.slack_enabled and not settings.discord_enabled
    assert settings.database_url == "sqlite:///marketsafe.db"


def test_empty_environment_variables_count_as_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "")
    monkeypatch.setenv("SLACK_PORT", "")
    settings = Settings()
    assert settings.slack_bot_token is None and settings.slack_port == 3000
    assert not settings.slack_enabled


def test_slack_needs_both_token_and_signing_secret_and_discord_its_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1-2-abc")
    assert not Settings().slack_enabled
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "0123456789abcdef")
    assert Settings().slack_enabled
    monkeypatch.setenv("DISCORD_BOT_TOKEN", "MTIz.abc.def")
    assert Settings().discord_enabled


def test_tokens_are_not_shown_when_settings_are_printed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-1111-2222-very-secret")
    monkeypatch.setenv("DISCORD_BOT_TOKEN", "discord-very-secret")
    shown = repr(Settings()) + str(Settings())
    assert "very-secret" not in shown


def test_an_unknown_time_zone_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKETSAFE_TIMEZONE", "Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as raised:
        Settings()
    message = str(raised.value)
    assert "marketsafe_timezone" in message
    assert "unknown time zone 'Mars/Olympus_Mons'" in message and "IANA" in message


@pytest.mark.parametrize("entry", ["U0123", "slack:", "teams:U0123", "slack:U0123,discord"])
def test_a_malformed_admin_entry_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, entry: str) -> None:
    monkeypatch.setenv("MARKETSAFE_ADMINS", entry)
    with pytest.raises(ValidationError) as raised:
        Settings()
    message = str(raised.value)
    assert "marketsafe_admins" in message and "is not platform:user (e.g. slack:U0123)" in message


def test_admins_are_read_as_platform_user_identities(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKETSAFE_ADMINS", " slack:U0123ABCD, discord:81234567890 ,console:ops,")
    assert Settings().admins == frozenset({"slack:U0123ABCD", "discord:81234567890", "console:ops"})


def test_strike_thresholds_and_holidays_become_program_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MARKETSAFE_STRIKE_THRESHOLDS", "aliexpress=3, Taobao=5,tmall_global=2")
    monkeypatch.setenv("MARKETSAFE_DEFAULT_STRIKE_THRESHOLD", "4")
    monkeypatch.setenv("MARKETSAFE_HOLIDAYS", "2026-12-25, 2027-01-01,")
    monkeypatch.setenv("MARKETSAFE_TIMEZONE", "Asia/Shanghai")
    rules = Settings().rules()
    assert rules.strike_thresholds == {Platform.ALIEXPRESS: 3, Platform.TAOBAO: 5, Platform.TMALL_GLOBAL: 2}
    assert rules.strike_threshold(Platform.TAOBAO) == 5
    assert rules.strike_threshold(Platform.TMALL) == 4
    assert rules.holidays == frozenset({date(2026, 12, 25), date(2027, 1, 1)})
    assert rules.timezone == ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("value", ["aliexpress", "aliexpress=three", "ebay=3"])
def test_a_malformed_strike_threshold_is_a_clear_error(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("MARKETSAFE_STRIKE_THRESHOLDS", value)
    with pytest.raises(ValidationError, match=f"(?s)marketsafe_strike_thresholds.*'{value}' is not platform=count"):
        Settings()


@pytest.mark.parametrize("value", ["0", "101", "many"])
def test_the_default_strike_threshold_must_be_a_sensible_count(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("MARKETSAFE_DEFAULT_STRIKE_THRESHOLD", value)
    with pytest.raises(ValidationError, match="marketsafe_default_strike_threshold"):
        Settings()


def test_channel_mappings_give_each_platform_its_channels(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_CHANNELS", "team=C0123TEAM, Working-Group=C0456WG,")
    monkeypatch.setenv("DISCORD_CHANNELS", "team=112233445566778899,outcomes=998877665544332211")
    settings = Settings()
    assert settings.channel_defaults("slack") == {"team": "C0123TEAM", "working-group": "C0456WG"}
    assert settings.channel_defaults("discord") == {"team": "112233445566778899", "outcomes": "998877665544332211"}
    assert settings.deprecation_warning() is None


@pytest.mark.parametrize(
    ("name", "value", "complaint"),
    [
        ("SLACK_CHANNELS", "team=C0123TEAM,teem=C0456TEAM", "'teem=C0456TEAM': 'teem' is not a logical channel"),
        ("SLACK_CHANNELS", "team=C0123TEAM,outcomes=#outcomes", "'outcomes=#outcomes': '#outcomes' is not a slack"),
        ("SLACK_CHANNELS", "team", "'team' is not logical-channel=channel-id, e.g. team=C0123ABCD"),
        ("SLACK_CHANNELS", "team=C0123TEAM,team=C0456TEAM", "'team=C0456TEAM': 'team' is given twice"),
        ("DISCORD_CHANNELS", "team=1122334455", "'team=1122334455': '1122334455' is not a discord channel id"),
        ("DISCORD_CHANNELS", "outcomes=C0123TEAM", "'outcomes=C0123TEAM': 'C0123TEAM' is not a discord"),
        ("DISCORD_CHANNEL_TEAM", "team-chat", "'team-chat' is not a discord channel id"),
    ],
)
def test_a_bad_channel_entry_is_refused_naming_it(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str, complaint: str
) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as raised:
        Settings()
    message = str(raised.value)
    assert name.lower() in message and complaint in message


def test_the_deprecated_channel_settings_still_work_and_name_their_replacement(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_CHANNEL_TEAM", "C0123TEAM")
    monkeypatch.setenv("SLACK_CHANNEL_WORKING_GROUP", "C0456WG")
    monkeypatch.setenv("SLACK_CHANNELS", "outcomes=C0789OUT")
    monkeypatch.setenv("DISCORD_CHANNEL_TEAM", "112233445566778899")
    monkeypatch.setenv("DISCORD_CHANNEL_OUTCOMES", "")
    settings = Settings()
    expected = {"outcomes": "C0789OUT", "team": "C0123TEAM", "working-group": "C0456WG"}
    assert settings.channel_defaults("slack") == expected
    assert settings.channel_defaults("discord") == {"team": "112233445566778899"}
    assert settings.deprecation_warning() == (
        "SLACK_CHANNEL_TEAM, SLACK_CHANNEL_WORKING_GROUP are deprecated: "
        "use SLACK_CHANNELS=outcomes=C0789OUT,team=C0123TEAM,working-group=C0456WG; "
        "DISCORD_CHANNEL_TEAM is deprecated: use DISCORD_CHANNELS=team=112233445566778899"
    )


def test_a_start_with_a_deprecated_channel_setting_logs_one_warning_naming_its_replacement(tmp_path: Path) -> None:
    result = start_once(tmp_path, SLACK_CHANNEL_TEAM="C0123TEAM", SLACK_CHANNEL_OUTCOMES="C0789OUT")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if " WARNING " in line]
    assert len(warnings) == 1, result.stderr
    assert warnings[0].endswith(
        "SLACK_CHANNEL_OUTCOMES, SLACK_CHANNEL_TEAM are deprecated: use SLACK_CHANNELS=outcomes=C0789OUT,team=C0123TEAM"
    )


def test_a_start_with_the_mappings_logs_no_warning(tmp_path: Path) -> None:
    result = start_once(tmp_path, SLACK_CHANNELS="team=C0123TEAM", DISCORD_CHANNELS="team=112233445566778899")
    assert result.returncode == 0, result.stderr
    assert " WARNING " not in result.stderr


def test_a_deprecated_setting_that_names_the_same_channel_as_the_mapping_is_accepted(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_CHANNELS", "team=C0123TEAM")
    monkeypatch.setenv("SLACK_CHANNEL_TEAM", "C0123TEAM")
    assert Settings().channel_defaults("slack") == {"team": "C0123TEAM"}


def test_a_deprecated_setting_and_the_mapping_naming_different_channels_are_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DISCORD_CHANNELS", "announcements=112233445566778899,team=998877665544332211")
    monkeypatch.setenv("DISCORD_CHANNEL_TEAM", "112233445566778899")
    with pytest.raises(ValidationError) as raised:
        Settings()
    assert (
        "DISCORD_CHANNELS gives team=998877665544332211 but DISCORD_CHANNEL_TEAM=112233445566778899; "
        "remove DISCORD_CHANNEL_TEAM (deprecated, replaced by DISCORD_CHANNELS)"
    ) in str(raised.value)


def env_example_names() -> set[str]:
    names = set()
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*([A-Z][A-Z0-9_]*)\s*=", line)
        if match:
            names.add(match.group(1))
    return names


def test_every_setting_is_documented_in_env_example_and_nothing_else_is() -> None:
    documented = env_example_names()
    assert SETTING_NAMES - documented == set(), "settings missing from .env.example"
    assert documented - SETTING_NAMES == set(), ".env.example names settings the bot does not read"


def test_every_setting_in_env_example_has_a_comment_above_it() -> None:
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    current_comment = False
    for line in lines:
        if line.startswith("#"):
            current_comment = True
        elif not line.strip():
            current_comment = False
        else:
            assert current_comment, f"{line.split('=')[0]} has no comment"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MARKETSAFE_TIMEZONE", "Mars/Olympus_Mons"),
        ("MARKETSAFE_ADMINS", "U0123"),
        ("MARKETSAFE_STRIKE_THRESHOLDS", "aliexpress"),
        ("MARKETSAFE_HOLIDAYS", "25/12/2026"),
        ("MARKETSAFE_LOG_LEVEL", "LOUD"),
        ("SLACK_CHANNELS", "team=C0123TEAM,teem=C0456TEAM"),
    ],
)
def test_a_malformed_setting_stops_the_bot_with_a_message_naming_it(tmp_path: Path, name: str, value: str) -> None:
    result = start_once(tmp_path, **{name: value})
    assert result.returncode != 0
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("Error: invalid settings:")
    assert name.lower() in result.stderr.lower()
    assert value in result.stderr


def start_once(directory: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    """`marketsafe db upgrade` (a start that stops once the database is ready) with only these settings."""
    env = {
        key: val
        for key, val in os.environ.items()
        if not key.startswith(("SLACK_", "DISCORD_", "MARKETSAFE_")) and key != "DATABASE_URL"
    }
    env |= {"DATABASE_URL": f"sqlite:///{directory / 'bot.db'}"} | settings
    return subprocess.run(
        [str(MARKETSAFE), "db", "upgrade"],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("notaurl", "DATABASE_URL: Value error, not a database URL"),
        ("mysql://marketsafe:s3cret@db/marketsafe", "the bot runs on sqlite or postgresql+psycopg, not mysql"),
        ("postgresql+psycopg2://marketsafe:s3cret@db/marketsafe", "not postgresql+psycopg2"),
    ],
)
def test_a_database_url_the_bot_cannot_use_is_refused_without_showing_it(tmp_path: Path, url: str, said: str) -> None:
    result = start_once(tmp_path, DATABASE_URL=url)
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("Error: invalid settings: DATABASE_URL") and said in result.stderr
    assert "s3cret" not in result.stderr


@pytest.mark.parametrize("scheme", ["postgres", "postgresql"])
def test_a_plain_postgresql_url_is_read_with_psycopg(monkeypatch: pytest.MonkeyPatch, scheme: str) -> None:
    monkeypatch.setenv("DATABASE_URL", f"{scheme}://marketsafe:p%40ss@db.internal:5432/marketsafe")
    assert Settings().database_url == "postgresql+psycopg://marketsafe:p%40ss@db.internal:5432/marketsafe"


def test_an_unreachable_database_stops_the_start_with_one_line_and_no_password(tmp_path: Path) -> None:
    result = start_once(tmp_path, DATABASE_URL="postgresql+psycopg://marketsafe:s3cret@127.0.0.1:1/marketsafe")
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Error: cannot open the database postgresql+psycopg://marketsafe:***@127.0.0.1:1/")
    assert "Connection refused" in result.stderr
    assert "s3cret" not in result.stderr and "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1
