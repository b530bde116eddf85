"""`/mes-donnees` (GDPR), one extension: what is stored about oneself, consent, reminders, erasure.

- `_cog` — `/mes-donnees voir | exporter | visibilite | rappels | effacer`, all ephemeral
- `_views` — the visibility and reminders settings, the erasure confirmation
- `_erasure` — after an erasure's commit: posts rebuilt, messages scrubbed, roles, bureau card
- `_render` — the texts of `voir` and of the visibility setting (pure)

The rules are in `rtes_bot.services.privacy`; what each table holds and what erasure does, in
`docs/privacy.md`.
"""

from __future__ import annotations

from cogs.privacy._cog import Privacy
from rtes_bot.bot import RtesBot


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Privacy(bot))
