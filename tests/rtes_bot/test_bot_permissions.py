"""The bot's Discord permissions: one list (`rtes_bot.permissions.BOT_PERMISSIONS`), named in
both languages by the catalog, and the README's invite instructions say exactly that list and its
permission integer. (That the installer needs exactly these, and that the emulator's bot role
holds only these: tests/cogs/admin/test_installer_permissions.py.)"""

from __future__ import annotations

import re

import discord

from rtes_bot.catalog import has, t
from rtes_bot.permissions import BOT_PERMISSIONS, bot_permissions_value, invite_url
from tests.support import paths

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")


def test_every_permission_is_a_discord_flag_named_in_both_languages() -> None:
    assert len(set(BOT_PERMISSIONS)) == len(BOT_PERMISSIONS)
    for name in BOT_PERMISSIONS:
        assert name in discord.Permissions.VALID_FLAGS, name
        assert has(f"permission.{name}")
        assert t(f"permission.{name}", "fr") != t(f"permission.{name}", "en")
    value = discord.Permissions(bot_permissions_value())
    assert not value.administrator
    assert bin(value.value).count("1") == len(BOT_PERMISSIONS)  # no two names for one flag


def test_the_readme_invites_with_exactly_these_permissions() -> None:
    step = README[README.index("3. Under **OAuth2 > URL Generator**") : README.index("4. In the")]
    listed = re.findall(r"\*([A-Z][A-Za-z ]+)\*", " ".join(step.split()))
    wanted = [t(f"permission.{name}", "en") for name in BOT_PERMISSIONS]
    assert listed[: len(wanted)] == wanted  # in this order, then only "Administrator" (refused)
    assert set(listed[len(wanted) :]) <= {"Administrator"} | set(wanted)
    assert f"`{bot_permissions_value()}`" in step
    assert invite_url() in " ".join(step.split())
