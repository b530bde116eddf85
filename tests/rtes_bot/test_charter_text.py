"""A charter text split into its parts (pure): the packaged version 1 and markdown versions."""

from __future__ import annotations

import pytest

from rtes_bot import charter_text
from rtes_bot.errors import InvalidInput
from rtes_bot.services import charter


def test_the_text_splits_into_context_and_the_three_parts_of_the_charter() -> None:
    parts = charter_text.parts(charter.default_text())
    titles = [(p.title, p.is_charter) for p in parts]
    assert titles == [
        ("Réseau des Territoires pour l'Economie Solidaire", False),
        ("Historique", False),
        ("Vers un développement durable par une économie", True),
        ("Un développement des territoires fondé sur", True),
        ("Parmi les champs d’action", True),
    ]
    fields = parts[-1].paragraphs()
    assert len(fields) == 7
    assert fields[0] == "création et développement d’activités, finances solidaires\u00a0;"
    assert fields[-1] == "coopération internationale."
    # every line of content of the packaged text is in exactly one part (wiki chrome and empty headings aside)
    body = "\n".join(p.body for p in parts)
    for line in charter.default_text().splitlines():
        stripped = line.strip()
        if stripped and stripped not in {p.title for p in parts} | {
            "Charte",
            "Liens",
            "De Solecopedia",
            "Aller à : navigation, rechercher",
        }:
            assert stripped in body, stripped


def test_markdown_versions_split_on_headings_and_find_parts_by_name() -> None:
    text = "# Historique\n\nContexte.\n\n# Charte\n\n## Nos valeurs\n\n- la coopération\n- la solidarité\n\n## Nos actions\n\nAgir.\n"
    parts = charter_text.parts(text)
    assert [(p.title, p.is_charter) for p in parts] == [
        ("Historique", False),
        ("Nos valeurs", True),
        ("Nos actions", True),
    ]
    assert parts[1].paragraphs() == ["la coopération", "la solidarité"]
    assert charter_text.find_part(text, "nos-valeurs").title == "Nos valeurs"
    assert charter_text.find_part(text, "NOS ACTION").title == "Nos actions"
    with pytest.raises(InvalidInput) as refused:
        charter_text.find_part(text, "budget")
    assert refused.value.key == "charte.partie-inconnue"
