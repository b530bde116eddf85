"""Shared helpers of the benchmark scripts: bursts of interactions, percentiles, table rows."""

from __future__ import annotations

import asyncio
import functools
import gc
import os
import platform
import statistics
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

Row = tuple[str, str, str]  # (measure, figure, ratio to its floor or target)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (values need not be sorted)."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


async def burst(count: int, fire: Callable[[int], Awaitable[Any]]) -> tuple[float, list[float]]:
    """Start `count` operations at once; returns (operations per second, latencies in ms).

    The throughput is the count divided by the time from the first start to the last end.
    """
    latencies: list[float] = []

    async def one(index: int) -> None:
        started = time.perf_counter()
        await fire(index)
        latencies.append((time.perf_counter() - started) * 1000)

    started = time.perf_counter()
    await asyncio.gather(*(one(i) for i in range(count)))
    elapsed = time.perf_counter() - started
    return count / elapsed, latencies


class ViewWatcher:
    """Lets a simulated person wait until discord.py has registered the view of a message, as a
    real person waits for the message to show before clicking.

    discord.py registers a view once it has read the HTTP answer that carried the message, and
    silently drops a click that arrives before; under a burst of 1,000 the client can be seconds
    behind the emulator, so the emulator's fixed pause between answer and click is not enough.
    Registrations are signalled (no polling: a thousand polling tasks would eat the CPU that is
    being measured).
    """

    def __init__(self, client: Any) -> None:
        self.store = client._connection._view_store
        self.waiters: dict[int, asyncio.Future[None]] = {}
        original = self.store.add_view

        def add_view(view: Any, message_id: int | None = None) -> None:
            original(view, message_id)
            waiter = self.waiters.pop(message_id, None) if message_id is not None else None
            if waiter is not None and not waiter.done():
                waiter.set_result(None)

        self.store.add_view = add_view

    async def ready(self, message_id: int, timeout: float = 300) -> None:  # noqa: ASYNC109
        if self.store.is_message_tracked(message_id):
            return
        waiter = self.waiters.setdefault(message_id, asyncio.get_running_loop().create_future())
        await asyncio.wait_for(asyncio.shield(waiter), timeout)


@dataclass
class Bursts:
    """Figures of a series of bursts: median throughput, pooled latencies, CPU per operation."""

    rate: float
    latencies: list[float]
    cpu_ms: float  # CPU time of this process (every thread) per operation

    def describe(self, unit: str, per: str) -> str:
        return (
            f"{self.rate:,.0f} {unit}/s; p50 {percentile(self.latencies, 0.5):,.0f} ms, "
            f"p99 {percentile(self.latencies, 0.99):,.0f} ms; CPU {self.cpu_ms:.1f} ms per {per}"
        )


async def bursts(
    rounds: int,
    count: int,
    prepare: Callable[[], Awaitable[Any]],
    fire: Callable[[Any, int], Awaitable[Any]],
) -> Bursts:
    """`rounds` bursts (each after `prepare()`, whose result is passed to `fire`): the median
    throughput, the latencies of every round pooled (a shared machine is noisy), and the CPU
    time per operation (load generator, emulator and bot together, as for the floor)."""
    rates: list[float] = []
    latencies: list[float] = []
    cpu = 0.0
    for _ in range(rounds):
        context = await prepare()
        gc.collect()
        started = time.process_time()
        rate, found = await burst(count, functools.partial(fire, context))
        cpu += time.process_time() - started
        rates.append(rate)
        latencies.extend(found)
    return Bursts(statistics.median(rates), latencies, cpu * 1000 / (rounds * count))


def ratio(value: float, floor: float, target: float | None = None) -> str:
    text = f"{value / floor:.2f} of the floor"
    if target is not None:
        text += f" ({'meets' if value / floor >= target else 'below'} the {target:g} target)"
    return text


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        with open("/proc/meminfo", encoding="ascii") as info:
            kilobytes = int(info.readline().split()[1])
            memory = f", {kilobytes / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )
