"""The `/admin` group, shared by the features that add their bureau commands to it::

    from cogs.admin._group import admin_group_of

    async def setup(bot):
        admin_group_of(bot).add_command(my_subcommand)   # an app_commands.Command or Group

``admin_group_of`` returns the group already on this bot's tree (creating it if no extension
added it yet), so the order in which extensions load does not matter.
"""

from __future__ import annotations

from discord import app_commands
from discord.ext import commands

from rtes_bot.ui import L

ADMIN_NAME = "admin"


def admin_group_of(bot: commands.Bot) -> app_commands.Group:
    """The `/admin` group on this bot's command tree (added on first use)."""
    existing = bot.tree.get_command(ADMIN_NAME)
    if isinstance(existing, app_commands.Group):
        return existing
    group = app_commands.Group(
        name=L("cmd.admin"), description=L("cmd.admin.desc"), guild_only=True
    )
    bot.tree.add_command(group)
    return group
