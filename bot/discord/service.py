"""Everything Discord needs in one process: the client on its event loop, and the delivery worker
that posts the outbox to Discord from its own thread."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

import discord
import yarl

from bot.delivery import DELIVERY_INTERVAL, DeliveryWorker, deliver_forever
from bot.discord.client import MarketSafeClient
from bot.discord.poster import DiscordPoster
from bot.router import Router
from bot.settings import Settings
from storage.database import Database

log = logging.getLogger(__name__)


# What the bot does in a server, and so what its invite asks for: read and post in its channels,
# start case threads and post in them, read history (to find what it already posted), and embed
# links (case messages carry their details as embeds; without it they show without them).
BOT_PERMISSIONS = discord.Permissions(
    view_channel=True,
    send_messages=True,
    create_public_threads=True,
    send_messages_in_threads=True,
    read_message_history=True,
    embed_links=True,
)


def invite_url(application_id: int | str) -> str:
    """The link a server admin opens to add the bot with the permissions it needs."""
    return (
        f"https://discord.com/oauth2/authorize?client_id={application_id}"
        f"&scope=bot+applications.commands&permissions={BOT_PERMISSIONS.value}"
    )


def point_at(api_url: str) -> None:
    """Send discord.py's REST calls to `api_url` (a proxy, or a fake in tests)."""
    discord.http.Route.BASE = api_url.rstrip("/")


class DiscordService:
    def __init__(self, settings: Settings, router: Router, database: Database, **client_options: Any) -> None:
        assert settings.discord_bot_token is not None
        self.settings = settings
        self.client = MarketSafeClient(
            router, guild_id=settings.discord_guild_id, api_url=settings.discord_api_url or "", **client_options
        )
        self.worker = DeliveryWorker(
            database, DiscordPoster(self.client), channel_defaults=settings.channel_defaults("discord")
        )
        self.stopping = threading.Event()
        self.delivery: threading.Thread | None = None

    async def start(self) -> None:
        """Log in, connect to the gateway, and start delivering once the client is ready; runs
        until the client is closed."""
        assert self.settings.discord_bot_token is not None
        if self.settings.discord_api_url:
            point_at(self.settings.discord_api_url)
        await self.client.login(self.settings.discord_bot_token.get_secret_value())
        if self.settings.discord_api_url:
            _, url, _ = await self.client.http.get_bot_gateway()
            discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url.rstrip("/") + "/")
        connecting = asyncio.create_task(self.client.connect())
        ready = asyncio.create_task(self.client.wait_until_ready())
        done, _ = await asyncio.wait({connecting, ready}, return_when=asyncio.FIRST_COMPLETED)
        if ready in done:
            self.start_delivery()
        else:
            ready.cancel()
        await connecting

    def run(self) -> None:
        """Block serving Discord."""
        try:
            asyncio.run(self._run())
        finally:
            self.stop()

    async def _run(self) -> None:
        try:
            await self.start()
        finally:
            if not self.client.is_closed():
                await self.client.close()

    def start_delivery(self) -> threading.Thread:
        self.worker.start()
        self.delivery = threading.Thread(target=self._deliver_forever, name="discord-delivery", daemon=True)
        self.delivery.start()
        return self.delivery

    def _deliver_forever(self) -> None:
        deliver_forever(self.worker, self.stopping)

    def stop(self) -> None:
        self.stopping.set()
        if self.delivery is not None and self.delivery is not threading.current_thread():
            self.delivery.join(timeout=DELIVERY_INTERVAL + 30)
