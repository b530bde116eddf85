"""Run the real `rtes-bot` as a separate process, pointed at a local Discord emulator.

    python -m tests.support.bot_process PORT [COMMAND…]

COMMAND is the `rtes-bot` command line to run (default: `run`; e.g. `check`). The configuration comes from the environment (DISCORD_TOKEN, DATABASE_URL, GUILD_IDS, SECRET_KEY,
DATA_DIR), exactly as for `rtes-bot run`. Only discord.py's two URLs are redirected here, from the
outside, as an operator's wrapper would: the bot itself never touches them. And, as the in-process
rig does, the wait for more guilds after READY is cut short (the emulator sends every GUILD_CREATE
right after READY): the process is ready sooner, nothing else changes.
"""

from __future__ import annotations

import sys
from typing import Any

import discord
import yarl

#: seconds discord.py waits after READY for further GUILD_CREATEs (the bot's default is 0.5;
#: tests/support/rig.py's make_bot uses 0.1 too)
GUILD_READY_TIMEOUT = 0.1


def main() -> None:
    port = int(sys.argv[1])
    discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/")
    from rtes_bot.bot import RtesBot
    from rtes_bot.cli import main as cli_main

    init = RtesBot.__init__

    def quick_ready(self: RtesBot, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("guild_ready_timeout", GUILD_READY_TIMEOUT)
        init(self, *args, **kwargs)

    RtesBot.__init__ = quick_ready  # type: ignore[method-assign]

    sys.argv = ["rtes-bot", *(sys.argv[2:] or ["run"])]
    cli_main()


if __name__ == "__main__":
    main()
