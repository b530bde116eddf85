"""Proposals deliberated in the fields' forums, one extension: `/proposition …`, the Soutenir /
Amender buttons of a post, amendments accepted or refused by the author.

- `_cog` — `/proposition deposer | amender | voir | liste | retirer`, recovery at start
- `_views` — the persistent buttons, the deposit and amendment modals, the field choice
- `_forum` — posts and threads: create, refresh (status tag), write in, publish after the commit;
  other features call `refresh_proposal_post` and `post_in_proposal_thread`
- `_render` — embeds, texts, thread names, status tags (pure)
- `_prelude` — who acts, on which proposal: the start of every command and button

The domain rules are in `rtes_bot.services.proposals`.
"""

from __future__ import annotations

from cogs.proposals._cog import Proposals
from rtes_bot.bot import RtesBot


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Proposals(bot))
