"""Run the real `rtes-bot` as a separate process, pointed at a local Discord emulator.

    python -m tests.support.bot_process PORT

The configuration comes from the environment (DISCORD_TOKEN, DATABASE_URL, GUILD_IDS, SECRET_KEY,
DATA_DIR), exactly as for `rtes-bot run`. Only discord.py's two URLs are redirected here, from the
outside, as an operator's wrapper would: the bot itself never touches them.
"""

from __future__ import annotations

import sys

import discord
import yarl


def main() -> None:
    port = int(sys.argv[1])
    discord.http.Route.BASE = f"http://127.0.0.1:{port}/api/v10"
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(f"ws://127.0.0.1:{port}/")
    from rtes_bot.cli import main as cli_main

    sys.argv = ["rtes-bot", "run"]
    cli_main()


if __name__ == "__main__":
    main()
