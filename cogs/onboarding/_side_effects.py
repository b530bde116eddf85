"""Discord side effects of membership, run after the commit: private messages and roles.

Shared by the features that change a member's roles or write to them (`/domaines choisir`
imports :func:`apply_field_roles`). A refusal from Discord is logged, never shown as an error:
the database already holds the truth.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Iterable
from typing import Any

import discord

from rtes_bot.services import fields as fields_service
from rtes_bot.ui import NO_MENTIONS

log = logging.getLogger("rtes_bot.onboarding")


async def safe(action: Awaitable[Any]) -> None:
    """A Discord side effect after the commit: failures are logged, not shown as errors."""
    try:
        await action
    except discord.HTTPException:
        log.warning("Discord refused a membership side effect", exc_info=True)


def _on_server(member: discord.Member, role_ids: Iterable[int | None]) -> list[discord.Object]:
    """The roles among ``role_ids`` that still exist on the member's server."""
    return [discord.Object(r) for r in role_ids if r and member.guild.get_role(r)]


async def give_roles(member: discord.Member, role_ids: Iterable[int | None], reason: str) -> None:
    """Add the roles that still exist on the server, in one request (none when there are none)."""
    roles = _on_server(member, role_ids)
    if roles:
        await safe(member.add_roles(*roles, reason=reason))


async def apply_field_roles(member: discord.Member, change: fields_service.FieldChange) -> None:
    """A member's fields of action changed: add and remove the matching roles."""
    await give_roles(member, change.roles_to_add, "domaines d'action")
    to_remove = _on_server(member, change.roles_to_remove)
    if to_remove:
        await safe(member.remove_roles(*to_remove, reason="domaines d'action"))


async def send_dm(
    bot: Any, user_id: int, content: str, view: discord.ui.View | None = None
) -> bool:
    """A private message; False when the person does not accept DMs."""
    try:
        user = bot.get_user(user_id) or await bot.fetch_user(user_id)
        if view is not None:
            await user.send(content, view=view, allowed_mentions=NO_MENTIONS)
        else:
            await user.send(content, allowed_mentions=NO_MENTIONS)
    except discord.HTTPException:
        log.info("Could not send a DM to %s", user_id)
        return False
    return True
