"""The bureau's `/admin` commands, one extension.

- `_group` — the `/admin` group, which other features extend (`admin_group_of`)
- `_cog` — `/admin installer`, `import-collectivites`, `referent`, `domaines …`
- `_installer` — carries the installation out on Discord (roles, channels, welcome message)
"""

from __future__ import annotations

from cogs.admin._cog import OWN_COMMANDS
from cogs.admin._group import admin_group_of
from rtes_bot.bot import RtesBot


async def setup(bot: RtesBot) -> None:
    group = admin_group_of(bot)
    for command in OWN_COMMANDS:
        group.add_command(command, override=True)
