"""Names of organisation and direct-message channels are built and read in one place."""

from __future__ import annotations

from storage.vocabulary import Channel, dm_channel, dm_recipient, org_channel, org_slug


def test_an_organisation_channel_is_named_after_its_slug_and_read_back() -> None:
    assert org_channel("acme") == "org:acme"
    assert org_slug(org_channel("acme")) == "acme"
    assert org_slug(Channel.TEAM) is None
    assert org_slug(dm_channel("slack", "U0123")) is None


def test_a_direct_message_channel_names_platform_and_user_and_is_read_back() -> None:
    assert dm_channel("slack", "U0123") == "dm:slack:U0123"
    assert dm_recipient(dm_channel("discord", "112233445566778899")) == ("discord", "112233445566778899")
    assert dm_recipient(org_channel("acme")) is None
    assert dm_recipient(Channel.WORKING_GROUP) is None
