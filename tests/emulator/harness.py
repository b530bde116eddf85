"""Test harness: run a discord.py client against the emulator, offline guard, error-log collector."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import discord

from .server import DiscordEmulator

DEFAULT_TOKEN = "emulator.token.rtes-bot"


@contextlib.asynccontextmanager
async def run_client(
    emu: DiscordEmulator,
    client_factory: Callable[[], discord.Client] | discord.Client,
    token: str = DEFAULT_TOKEN,
    timeout: float = 10,  # noqa: ASYNC109
) -> AsyncIterator[Any]:
    """Start ``client.start(token)`` as a task, wait until it is ready, close it on exit.

    ``client_factory`` is a Client instance or a zero-argument callable returning one
    (called after the emulator is installed).
    """
    emu.install()
    client = (
        client_factory()
        if callable(client_factory) and not isinstance(client_factory, discord.Client)
        else client_factory
    )
    task = asyncio.create_task(client.start(token), name="emulator-client")
    try:
        async with asyncio.timeout(timeout):
            ready = asyncio.create_task(client.wait_until_ready())
            done, _ = await asyncio.wait({ready, task}, return_when=asyncio.FIRST_COMPLETED)
            if task in done:
                ready.cancel()
                task.result()  # raises the start() failure
                raise RuntimeError("client.start() returned before the client was ready")
            while not all(client.get_guild(g) is not None for g in _served(client, emu)):  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        yield client
    finally:
        if not client.is_closed():
            await client.close()
        if not task.done():
            try:
                async with asyncio.timeout(5):
                    await task
            except (TimeoutError, asyncio.CancelledError):
                task.cancel()
        elif not task.cancelled() and task.exception() is not None:
            logging.getLogger("tests.emulator").error(
                "client task failed", exc_info=task.exception()
            )


def _served(client: discord.Client, emu: DiscordEmulator) -> list[int]:
    """The emulator's guilds that this client's shards receive (all when not sharded)."""
    count = client.shard_count
    if count is None:
        return list(emu.guilds)
    if isinstance(client, discord.AutoShardedClient):
        ids = list(client.shard_ids or range(count))
    else:
        ids = [client.shard_id or 0]
    return [g for g in emu.guilds if (g >> 22) % count in ids]


class NetworkAccessRefused(OSError):
    """Raised by the socket guard for any non-loopback connection or DNS lookup."""


def _is_loopback(host: Any) -> bool:
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode()
    host = str(host)
    if host in ("localhost", "localhost.", ""):
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def socket_guard() -> Iterator[list[str]]:
    """Refuse any non-loopback ``connect``/``getaddrinfo`` while active; yields the refused list."""
    refused: list[str] = []
    orig_connect = socket.socket.connect
    orig_connect_ex = socket.socket.connect_ex
    orig_gai = socket.getaddrinfo

    def check(address: Any) -> None:
        if isinstance(address, tuple) and address and not _is_loopback(address[0]):
            refused.append(str(address[0]))
            raise NetworkAccessRefused(
                f"socket guard: connection to {address!r} refused (tests stay offline)"
            )

    def connect(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            check(address)
        return orig_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> Any:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            check(address)
        return orig_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _is_loopback(host):
            refused.append(str(host))
            raise NetworkAccessRefused(
                f"socket guard: DNS lookup of {host!r} refused (tests stay offline)"
            )
        return orig_gai(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo
    try:
        yield refused
    finally:
        socket.socket.connect = orig_connect  # type: ignore[method-assign]
        socket.socket.connect_ex = orig_connect_ex  # type: ignore[method-assign]
        socket.getaddrinfo = orig_gai


class ErrorLogCollector(logging.Handler):
    """Collects ERROR (and above) records from every logger (discord, rtes_bot, ...)."""

    def __init__(self, level: int = logging.ERROR) -> None:
        super().__init__(level)
        self.records: list[logging.LogRecord] = []
        self.ignored: list[Callable[[logging.LogRecord], bool]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if any(pred(record) for pred in self.ignored):
            return
        self.records.append(record)

    def ignore(self, predicate: Callable[[logging.LogRecord], bool]) -> None:
        """Do not collect records matching ``predicate`` (for tests that provoke errors)."""
        self.ignored.append(predicate)

    def install(self) -> ErrorLogCollector:
        logging.getLogger().addHandler(self)
        # discord.py sets propagate on its own loggers only through setup_logging; be explicit
        for name in ("discord", "rtes_bot"):
            lg = logging.getLogger(name)
            if not lg.propagate and self not in lg.handlers:
                lg.addHandler(self)
        return self

    def uninstall(self) -> None:
        logging.getLogger().removeHandler(self)
        for name in ("discord", "rtes_bot"):
            lg = logging.getLogger(name)
            if self in lg.handlers:
                lg.removeHandler(self)

    def __enter__(self) -> ErrorLogCollector:
        return self.install()

    def __exit__(self, *exc: object) -> None:
        self.uninstall()

    def messages(self) -> list[str]:
        out = []
        for r in self.records:
            text = f"{r.name}: {r.getMessage()}"
            if r.exc_info and r.exc_info[1] is not None:
                text += f" [{type(r.exc_info[1]).__name__}: {r.exc_info[1]}]"
            out.append(text)
        return out

    def clear(self) -> None:
        self.records.clear()

    def assert_clean(self) -> None:
        if self.records:
            raise AssertionError("errors were logged:\n" + "\n".join(self.messages()))
