"""The one catalog: every key in French and English, consistent placeholders, and every command,
option and choice within Discord's limits in both languages."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from rtes_bot.bot import RtesBot, extension_names
from rtes_bot.catalog import CATALOG, ENGLISH, FRENCH, t
from rtes_bot.permissions import COMMAND_ACCESS
from rtes_bot.settings import Settings
from rtes_bot.ui import CatalogTranslator
from tests.support import paths

NAME_PATTERN = re.compile(r"^[-_\w]{1,32}$")
ROOT = paths.ROOT


def _placeholders(text: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(text) if field}


def test_every_key_has_french_and_english_text() -> None:
    for key, entry in CATALOG.items():
        assert entry[FRENCH].strip(), key
        assert entry[ENGLISH].strip(), key


def test_french_and_english_take_the_same_parameters() -> None:
    for key, entry in CATALOG.items():
        assert _placeholders(entry[FRENCH]) == _placeholders(entry[ENGLISH]), key


def test_unknown_locale_falls_back_to_french() -> None:
    assert t("erreur.inattendue", "de") == CATALOG["erreur.inattendue"][FRENCH]
    assert t("erreur.inattendue", "en-GB") == CATALOG["erreur.inattendue"][ENGLISH]


def test_every_catalog_key_used_in_code_exists() -> None:
    """Keys written literally in the code (t("…"), L("…"), errors) are all in the catalog."""
    pattern = re.compile(
        r"""(?:\bt|\bL|Error|NotAllowed|NotFound|InvalidInput|Conflict|reply_key)\(\s*(?:[\w.]+,\s*)?["']([a-z][\w-]*(?:\.[\w-]+)+)["']"""
    )
    missing = []
    for folder in ("rtes_bot", "cogs"):
        for path in (ROOT / folder).rglob("*.py"):
            for key in pattern.findall(path.read_text(encoding="utf-8")):
                if key not in CATALOG and not key.endswith("."):
                    missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert missing == []


@pytest.fixture
async def tree_payloads(tmp_path: Path) -> list[dict]:
    settings = Settings(_env_file=None, data_dir=tmp_path, discord_token="x")
    bot = RtesBot(settings, apply_migrations=False)
    for name in extension_names():
        await bot.load_extension(name)
    translator = CatalogTranslator()
    payloads = [
        await command.get_translated_payload(bot.tree, translator)
        for command in bot.tree.get_commands()
    ]
    await bot.close()
    return payloads


def _walk(payload: dict, path: str = ""):
    yield path, payload
    for option in payload.get("options", []):
        yield from _walk(option, f"{path} {option['name']}".strip())


async def test_every_command_name_and_description_fits_discord_limits(
    tree_payloads: list[dict],
) -> None:
    assert len(tree_payloads) <= 100
    for command in tree_payloads:
        for path, item in _walk(command, command["name"]):
            names = [item["name"], *item.get("name_localizations", {}).values()]
            for name in names:
                assert NAME_PATTERN.match(name) and name == name.lower(), (path, name)
            if "description" in item:
                descriptions = [
                    item["description"],
                    *item.get("description_localizations", {}).values(),
                ]
                for description in descriptions:
                    assert 1 <= len(description) <= 100, (path, description)
            assert len(item.get("options", [])) <= 25, path
            choices = item.get("choices", [])
            assert len(choices) <= 25, path
            for choice in choices:
                for label in [choice["name"], *choice.get("name_localizations", {}).values()]:
                    assert 1 <= len(label) <= 100, (path, label)


async def test_every_command_is_localised_in_english(tree_payloads: list[dict]) -> None:
    for command in tree_payloads:
        for path, item in _walk(command, command["name"]):
            assert item.get("name_localizations", {}).get("en-US"), path
            if item.get("description"):
                assert item.get("description_localizations", {}).get("en-US"), path


async def test_every_command_has_an_access_rule_and_a_help_line(tree_payloads: list[dict]) -> None:
    names: list[str] = []
    for command in tree_payloads:
        subs = [o for o in command.get("options", []) if o["type"] in (1, 2)]
        if not subs:
            names.append(command["name"])
        for sub in subs:
            if sub["type"] == 1:
                names.append(f"{command['name']} {sub['name']}")
            else:
                names.extend(
                    f"{command['name']} {sub['name']} {leaf['name']}" for leaf in sub["options"]
                )
    for name in names:
        assert name in COMMAND_ACCESS, name
        assert "cmd." + name.replace(" ", ".") + ".desc" in CATALOG, name


def test_the_ballot_ui_and_the_poll_buttons_have_their_texts_within_discord_limits() -> None:
    """Keys the ballot UI builds from the method (not seen by the literal scan above), and every
    label of a button or select of the poll message, the ballot UI, « Changer mon vote » and
    « Vouliez-vous dire » fits Discord (button labels 80, select placeholders 150)."""
    from rtes_bot.counting import METHODS, PollSpec, method_of

    buttons = ["vote.bouton.changer", "vote.ui.valider", "vote.ui.recommencer"]
    buttons += ["vote.ui.precedent", "scrutin.bouton.voter", "scrutin.bouton.clos"]
    for name in METHODS:
        method = method_of(name)
        assert f"vote.ui.aide.{name}" in CATALOG, name
        assert f"vote.syntaxe.{name}" in CATALOG, name
        if method.ui_kind in ("select-one", "select-many"):
            assert f"vote.ui.placeholder.{name}" in CATALOG, name
        buttons += [f"counting.choice.{choice}" for choice in method.one_click_choices]
        spec = PollSpec(name, [] if not method.needs_options else ["A", "B"])
        for value in method.grade_values(spec):
            for locale in ("fr", "en-US"):
                assert method.grade_label(value, locale).strip(), (name, value)
    assert buttons.count("counting.choice.pour") == 1  # pour-contre only has one-click buttons
    for locale in ("fr", "en-US"):
        for key in buttons:
            assert 1 <= len(t(key, locale)) <= 80, (key, locale)
        assert len(t("vote.ui.suivant", locale, page=9, total=9)) <= 80
        assert len(t("vote.ui.rang", locale, rang=t("vote.ui.nieme", locale, rang=25))) <= 150
        for method in ("choix-unique", "approbation"):
            assert len(t(f"vote.ui.placeholder.{method}", locale)) <= 150


def test_the_new_vote_refusals_name_the_fixed_list_and_the_proxy_rule() -> None:
    """The refusals of the ballot box (product: the electorate is fixed at opening; whoever holds
    a proxy cannot give their own vote) say so in both languages."""
    fixed = {"fr": "ouverture", "en-US": "open"}
    for key in ("vote.hors-liste", "vote.hors-liste-numero", "vote.hors-domaine"):
        for locale, word in fixed.items():
            assert word in t(key, locale, numero=1), (key, locale)
    for locale in ("fr", "en-US"):
        assert "/procuration retirer" in t("vote.procuration-donnee-id", locale)
        assert "/procuration retirer" in t("vote.mandataire-a-donne", locale)
        assert "1" in t("procuration.mandant-detient", locale, numero=1)
    assert t("vote.bouton.changer", "fr") == "Changer mon vote"
    assert "Vouliez-vous dire **B** ?" in t(
        "vote.vouliez-vous-dire", "fr", erreur="x", suggestion="B"
    )
