"""pytest plugin (loaded by ``-p tests.support.bytecode`` in pyproject's addopts): the tests
read and write compiled bytecode, outside the source tree, even where PYTHONDONTWRITEBYTECODE=1.

Without bytecode every interpreter compiles every module it imports (discord.py, SQLAlchemy, the
bot) at every start: about 1.5 s more for each bot process the process tests start, each CLI
run, each xdist worker, and every in-process bot start reloads its extensions from source. A
deployed bot runs from bytecode, so this only removes waiting.

The cache is ``$XDG_CACHE_HOME/rtes-bot/pycache`` (``~/.cache/…`` by default) as
``PYTHONPYCACHEPREFIX``: nothing is written beside the sources. Left alone when
PYTHONPYCACHEPREFIX is already set, or when ``RTES_TEST_BYTECODE=0``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rtes-bot" / "pycache"


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config) -> None:
    if os.environ.get("RTES_TEST_BYTECODE") == "0" or os.environ.get("PYTHONPYCACHEPREFIX"):
        return
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no writable cache: compile as before
    # This process (its later imports: the conftest, the bot, the cogs)...
    sys.pycache_prefix = str(folder)
    sys.dont_write_bytecode = False
    # ...and every process it starts (xdist workers, bot processes, CLI runs).
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
