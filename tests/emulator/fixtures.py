"""pytest fixtures: ``emulator``, ``socket_guard``, ``error_log``.

Use from the top-level ``tests/conftest.py`` with ``pytest_plugins = ["tests.emulator.fixtures"]``.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator, Iterator

import pytest
import pytest_asyncio

from .harness import ErrorLogCollector
from .harness import socket_guard as _socket_guard
from .server import DiscordEmulator


@pytest_asyncio.fixture
async def emulator() -> AsyncIterator[DiscordEmulator]:
    """A started emulator, installed into discord.py; stopped and uninstalled afterwards."""
    emu = DiscordEmulator()
    await emu.start()
    emu.install()
    try:
        yield emu
    finally:
        await emu.stop()


@pytest.fixture
def socket_guard() -> Iterator[list[str]]:
    """Refuses non-loopback connections / DNS lookups for the test; yields refused hosts."""
    with _socket_guard() as refused:
        yield refused


@pytest.fixture
def error_log() -> Iterator[ErrorLogCollector]:
    """Collects ERROR log records; the test fails at teardown if any remain (``.clear()`` them if expected).

    Garbage left by earlier tests is collected first, outside the collector: a connection an
    earlier test left behind (and that its database's drop then cut) logs its error when the
    garbage collector finds it, which would otherwise be whenever — inside an unrelated test."""
    gc.collect()
    collector = ErrorLogCollector().install()
    try:
        yield collector
    finally:
        collector.uninstall()
    collector.assert_clean()
