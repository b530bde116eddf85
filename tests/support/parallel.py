"""pytest plugin (loaded by ``-p tests.support.parallel`` in pyproject's addopts): the plain
``uv run pytest`` runs the suite in parallel with pytest-xdist.

Unless the command line already says how to distribute (``-n``, ``--numprocesses``, ``--dist``,
``--pdb``…), it adds ``-n WORKERS --dist worksteal``: idle workers take tests queued for busy
ones, so the long process tests do not leave the end of the run to one worker. ``WORKERS`` is
``RTES_TEST_WORKERS`` when set, else :data:`DEFAULT_WORKERS`.

Serial runs, for debugging: ``uv run pytest -n 0`` (one process, ``--pdb`` works) or
``uv run pytest -p no:xdist`` (without the plugin at all).
"""

from __future__ import annotations

import os

import pytest

#: Many tests wait on sockets, databases and child processes rather than on the CPU, so more
#: workers than cores pays off (measured on 2 cores: see README, "Running the tests").
DEFAULT_WORKERS = 4

_EXPLICIT = ("-n", "--numprocesses", "--dist", "-d", "--tx", "--pdb", "--trace")


def _explicit(args: list[str]) -> bool:
    for arg in args:
        if arg == "--":
            return False
        name = arg.split("=", 1)[0]
        if name in _EXPLICIT or (name.startswith("-n") and name[2:].isdigit()):
            return True
        if name in ("--collect-only", "--co", "--version", "-h", "--help", "--fixtures"):
            return True
    return False


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, args: list[str]) -> None:
    if os.environ.get("PYTEST_XDIST_WORKER"):
        return  # inside a worker: the controller already decided
    if not early_config.pluginmanager.has_plugin("xdist"):
        return  # `-p no:xdist`: serial
    if _explicit(args):
        return
    workers = os.environ.get("RTES_TEST_WORKERS") or str(DEFAULT_WORKERS)
    args[:] = ["-n", workers, "--dist", "worksteal", *args]
