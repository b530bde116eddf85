"""The assistant: free-text questions in a DM, by mentioning the bot, or with `/question`."""

from __future__ import annotations

from cogs.assistant._cog import Assistant
from rtes_bot.bot import RtesBot


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Assistant(bot))
