"""Onboarding, one extension: an élu's registration and the bureau's decision on it.

- `_cog` — `/adhesion`, the welcome DM when someone joins, marking those who leave
- `_wizard` — the applicant's steps: start button, form, collectivité, fields and consent,
  charter, submission
- `_moderation` — the bureau's card with its Valider / Refuser buttons and the refusal modal
- `_render` — the texts and embeds (pure)
- `_side_effects` — DMs and roles after the commit (`apply_field_roles` serves `/domaines`)
"""

from __future__ import annotations

from cogs.onboarding._cog import Onboarding
from rtes_bot.bot import RtesBot


async def setup(bot: RtesBot) -> None:
    await bot.add_cog(Onboarding(bot))
