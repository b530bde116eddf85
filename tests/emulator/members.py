"""Users, members and roles: creation as a server admin would, joins and leaves, role
assignment under the role hierarchy, member lists and searches.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import discord
from aiohttp import web

from .base import (
    ADMINISTRATOR,
    I_GUILDS,
    I_MEMBERS,
    MANAGE_ROLES,
    Req,
    http_error,
    json_response,
    no_content,
    not_found,
)
from .models import (
    Guild,
    Member,
    Role,
    User,
    snowflake,
)


class MembersMixin:
    """Users, members and roles of :class:`~tests.emulator.server.DiscordEmulator`."""

    def create_user(
        self,
        username: str,
        global_name: str | None = None,
        *,
        bot: bool = False,
        locale: str = "fr",
    ) -> User:
        user = User(snowflake(), username, global_name=global_name, bot=bot, locale=locale)
        self.users[user.id] = user
        return user

    def create_role(self, guild: Guild, name: str, *, permissions: int = 0, color: int = 0) -> Role:
        """Create a role as an admin would (position 1, below the bot's role); dispatches GUILD_ROLE_CREATE."""
        role = Role(
            snowflake(),
            guild.id,
            name,
            permissions=permissions,
            color=color,
            position=1,
        )
        # like Discord's API: a new role goes just above @everyone, below the bot's role
        for other in guild.roles.values():
            if other.position >= 1:
                other.position += 1
        guild.roles[role.id] = role
        if self.connected:
            self._spawn(
                self.dispatch(
                    "GUILD_ROLE_CREATE",
                    {"guild_id": str(guild.id), "role": role.payload()},
                    I_GUILDS,
                )
            )
        return role

    def _admin_role(self, guild: Guild) -> Role:
        role = next((r for r in guild.roles.values() if r.name == "Administrateur"), None)
        return role or self.create_role(guild, "Administrateur", permissions=ADMINISTRATOR)

    def _resolve_roles(self, guild: Guild, roles: Iterable[Role | int | str]) -> list[int]:
        out = []
        for r in roles:
            if isinstance(r, Role):
                out.append(r.id)
            elif isinstance(r, int):
                out.append(r)
            else:
                role = guild.role(r)
                if role is None:
                    raise KeyError(f"no role named {r!r} in {guild.name}")
                out.append(role.id)
        return out

    def add_member(
        self,
        guild: Guild,
        user: User,
        roles: Iterable[Role | int | str] = (),
        administrator: bool = False,
    ) -> Member:
        role_ids = self._resolve_roles(guild, roles)
        if administrator:
            role_ids.append(self._admin_role(guild).id)
        member = Member(user, guild.id, roles=role_ids, administrator=administrator)
        guild.members[user.id] = member
        self.users[user.id] = user
        self._touch()
        if self.connected:
            self._spawn(self._dispatch_member_add(guild, member))
        return member

    async def _dispatch_member_add(self, guild: Guild, member: Member) -> None:
        await self.dispatch(
            "GUILD_MEMBER_ADD", {"guild_id": str(guild.id), **member.payload()}, I_MEMBERS
        )

    async def member_join(
        self, guild: Guild, user: User, roles: Iterable[Role | int | str] = ()
    ) -> Member:
        role_ids = self._resolve_roles(guild, roles)
        member = Member(user, guild.id, roles=role_ids)
        guild.members[user.id] = member
        self.users[user.id] = user
        self._touch()
        await self._dispatch_member_add(guild, member)
        return member

    async def member_leave(self, guild: Guild, user: User) -> None:
        guild.members.pop(user.id, None)
        self._touch()
        await self.dispatch(
            "GUILD_MEMBER_REMOVE", {"guild_id": str(guild.id), "user": user.payload()}, I_MEMBERS
        )

    async def set_member_roles(
        self, guild: Guild, user: User, roles: Iterable[Role | int | str]
    ) -> None:
        member = guild.members[user.id]
        member.roles = self._resolve_roles(guild, roles)
        await self._member_update(guild, member)

    def find_role(self, guild: Guild, name: str) -> Role | None:
        return guild.role(name)

    def bot_role(self, guild: Guild) -> Role:
        """The bot's managed role (its permissions are the invite's)."""
        return next(
            r for r in guild.roles.values() if r.managed and r.tags and r.tags.get("bot_id")
        )

    async def set_role_permissions(self, guild: Guild, role: Role, permissions: int) -> None:
        """An admin changes a role's permissions (e.g. takes one from the bot's role)."""
        role.permissions = permissions
        self._touch()
        await self.dispatch(
            "GUILD_ROLE_UPDATE", {"guild_id": str(guild.id), "role": role.payload()}, I_GUILDS
        )

    def member_roles(self, guild: Guild, user: User) -> list[Role]:
        member = guild.members.get(user.id)
        if member is None:
            return []
        return [guild.roles[r] for r in member.roles if r in guild.roles]

    def member_role_names(self, guild: Guild, user: User) -> set[str]:
        return {r.name for r in self.member_roles(guild, user)}

    def _role(self, guild: Guild, role_id: str) -> Role:
        role = guild.roles.get(int(role_id)) if role_id.isdigit() else None
        if role is None:
            raise not_found("Role", 10011)
        return role

    def _member(self, guild: Guild, user_id: str) -> Member:
        member = guild.members.get(int(user_id)) if user_id.isdigit() else None
        if member is None:
            raise not_found("Member", 10007)
        return member

    async def _get_me(self, req: Req) -> web.Response:
        return json_response(
            {**self.bot.payload(), "verified": True, "mfa_enabled": False, "flags": 0}
        )

    async def _get_user(self, req: Req, user_id: str) -> web.Response:
        user = self.users.get(int(user_id)) if user_id.isdigit() else None
        if user is None:
            raise not_found("User", 10013)
        return json_response(user.payload())

    async def _get_roles(self, req: Req, guild_id: str) -> web.Response:
        return json_response([r.payload() for r in self._guild(guild_id).roles.values()])

    async def _get_role(self, req: Req, guild_id: str, role_id: str) -> web.Response:
        g = self._guild(guild_id)
        return json_response(self._role(g, role_id).payload())

    def _apply_role(self, role: Role, body: dict[str, Any]) -> None:
        if body.get("permissions") is not None:
            # as Discord: a role cannot be given a permission the bot lacks
            g = self.guilds[role.guild_id]
            if int(body["permissions"]) & ~self._bot_perms(g) and g.owner_id != self.bot.id:
                raise http_error(403, 50013, "Missing Permissions")
        if "name" in body and body["name"] is not None:
            if len(body["name"]) > 100:
                raise http_error(
                    400, 50035, "Invalid Form Body", {"name": "Must be 100 or fewer in length."}
                )
            role.name = body["name"]
        if body.get("permissions") is not None:
            role.permissions = int(body["permissions"])
        if body.get("colors"):
            role.color = int(body["colors"].get("primary_color") or 0)
        elif body.get("color") is not None:
            role.color = int(body["color"])
        for key in ("hoist", "mentionable"):
            if body.get(key) is not None:
                setattr(role, key, bool(body[key]))

    def _bot_top(self, g: Guild) -> int:
        return max(
            (g.roles[r].position for r in g.members[self.bot.id].roles if r in g.roles), default=0
        )

    async def _create_role(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, MANAGE_ROLES)
        if len(g.roles) >= 250:
            raise http_error(400, 30005, "Maximum number of guild roles reached (250)")
        role = Role(snowflake(), g.id, "new role", position=1)
        self._apply_role(role, req.json or {})
        for other in g.roles.values():
            if other.position >= 1:
                other.position += 1
        g.roles[role.id] = role
        self._touch()
        await self.dispatch(
            "GUILD_ROLE_CREATE", {"guild_id": str(g.id), "role": role.payload()}, I_GUILDS
        )
        return json_response(role.payload())

    async def _edit_role(self, req: Req, guild_id: str, role_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, MANAGE_ROLES)
        role = self._role(g, role_id)
        if role.managed and set(req.json or {}) - {"position"}:
            raise http_error(400, 50028, "Invalid role")
        if role.position >= self._bot_top(g) and role.id != g.id and not g.owner_id == self.bot.id:
            raise http_error(403, 50013, "Missing Permissions")
        self._apply_role(role, req.json or {})
        self._touch()
        await self.dispatch(
            "GUILD_ROLE_UPDATE", {"guild_id": str(g.id), "role": role.payload()}, I_GUILDS
        )
        return json_response(role.payload())

    async def _role_positions(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, MANAGE_ROLES)
        for item in req.json or []:
            role = self._role(g, str(item["id"]))
            role.position = int(item["position"])
            await self.dispatch(
                "GUILD_ROLE_UPDATE", {"guild_id": str(g.id), "role": role.payload()}, I_GUILDS
            )
        return json_response([r.payload() for r in g.roles.values()])

    async def _delete_role(self, req: Req, guild_id: str, role_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, MANAGE_ROLES)
        role = self._role(g, role_id)
        if role.id == g.id or role.managed:
            raise http_error(400, 50028, "Invalid role")
        del g.roles[role.id]
        for m in g.members.values():
            if role.id in m.roles:
                m.roles.remove(role.id)
        self._touch()
        await self.dispatch(
            "GUILD_ROLE_DELETE", {"guild_id": str(g.id), "role_id": str(role.id)}, I_GUILDS
        )
        return no_content()

    async def _member_update(self, g: Guild, member: Member) -> None:
        self._touch()
        await self.dispatch(
            "GUILD_MEMBER_UPDATE", {"guild_id": str(g.id), **member.payload()}, I_MEMBERS
        )

    async def _list_members(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        limit = min(int(req.query.get("limit", 1)), 1000)
        after = int(req.query.get("after", 0))
        ms = sorted((m for m in g.members.values() if m.user.id > after), key=lambda m: m.user.id)
        return json_response([m.payload() for m in ms[:limit]])

    async def _search_members(self, req: Req, guild_id: str) -> web.Response:
        g = self._guild(guild_id)
        q = req.query.get("query", "").lower()
        ms = [
            m
            for m in g.members.values()
            if m.user.username.lower().startswith(q) or (m.nick or "").lower().startswith(q)
        ]
        return json_response([m.payload() for m in ms[: int(req.query.get("limit", 1))]])

    async def _get_member(self, req: Req, guild_id: str, user_id: str) -> web.Response:
        g = self._guild(guild_id)
        return json_response(self._member(g, user_id).payload())

    def _check_assignable(self, g: Guild, role: Role) -> None:
        self._require(g, MANAGE_ROLES)
        if role.managed or role.id == g.id:
            raise http_error(400, 50028, "Invalid role")
        if role.position >= self._bot_top(g) and g.owner_id != self.bot.id:
            raise http_error(403, 50013, "Missing Permissions")

    async def _edit_member(self, req: Req, guild_id: str, user_id: str) -> web.Response:
        g = self._guild(guild_id)
        member = self._member(g, user_id)
        body = req.json or {}
        if "roles" in body:
            new = [int(r) for r in body["roles"] or []]
            for rid in set(new) ^ set(member.roles):
                role = g.roles.get(rid)
                if role is None:
                    raise not_found("Role", 10011)
                if not (role.managed and rid in member.roles):
                    self._check_assignable(g, role)
            member.roles = new
        if "nick" in body:
            member.nick = body["nick"]
        await self._member_update(g, member)
        return json_response(member.payload())

    async def _kick_member(self, req: Req, guild_id: str, user_id: str) -> web.Response:
        g = self._guild(guild_id)
        self._require(g, discord.Permissions(kick_members=True).value)
        member = self._member(g, user_id)
        await self.member_leave(g, member.user)
        return no_content()

    async def _add_role(self, req: Req, guild_id: str, user_id: str, role_id: str) -> web.Response:
        g = self._guild(guild_id)
        member = self._member(g, user_id)
        role = self._role(g, role_id)
        self._check_assignable(g, role)
        if role.id not in member.roles:
            member.roles.append(role.id)
            await self._member_update(g, member)
        return no_content()

    async def _remove_role(
        self, req: Req, guild_id: str, user_id: str, role_id: str
    ) -> web.Response:
        g = self._guild(guild_id)
        member = self._member(g, user_id)
        role = self._role(g, role_id)
        self._check_assignable(g, role)
        if role.id in member.roles:
            member.roles.remove(role.id)
            await self._member_update(g, member)
        return no_content()
