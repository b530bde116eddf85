"""The poll lifecycle, one extension: `/scrutin`, `/voter`, `/procuration`, the ballot UI and the
poll message's buttons, the publisher and the scheduler.

- `_commands` — `/scrutin ouvrir | liste | resultats | cloturer | exporter`
- `_voting` — `/voter` and `/procuration`
- `_views` — the buttons (one-click Pour/Contre/Abstention, Voter, Changer mon vote), the ballot UI
- `_publisher` — the poll message, closing and announcing (`bot.publisher`)
- `_scheduler` — closings on time, announcements, reminders

Everything goes through the bot's ballot box (`rtes_bot.ballot_box`): `open_poll`, `cast_vote`,
`close_poll`.
"""

from __future__ import annotations

from cogs.polls._commands import PollCommands
from cogs.polls._publisher import Publisher
from cogs.polls._scheduler import Scheduler
from cogs.polls._voting import Voting
from rtes_bot.bot import RtesBot


async def setup(bot: RtesBot) -> None:
    publisher = Publisher(bot)
    bot.publisher = publisher
    scheduler = Scheduler(bot, publisher)
    publisher.scheduler = scheduler
    await bot.add_cog(PollCommands(bot))
    await bot.add_cog(Voting(bot))
    await bot.add_cog(scheduler)


async def teardown(bot: RtesBot) -> None:
    if isinstance(bot.publisher, Publisher):
        await bot.publisher.close()
    bot.publisher = None
