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
from dataclasses import dataclass, field
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


@dataclass
class Bursts:
    """Figures of a series of bursts: median throughput, pooled latencies, CPU per operation."""

    rate: float
    latencies: list[float]
    cpu_ms: float  # CPU time of this process (every thread) per operation
    rates: list[float] = field(default_factory=list)  # each burst's throughput

    @staticmethod
    def merge(parts: list[Bursts]) -> Bursts:
        """Bursts measured apart (rounds interleaved with other measures) as one series."""
        rates = [rate for part in parts for rate in (part.rates or [part.rate])]
        return Bursts(
            statistics.median(rates),
            [latency for part in parts for latency in part.latencies],
            statistics.fmean(part.cpu_ms for part in parts),
            rates,
        )

    def spread(self) -> str:
        """The lowest and highest burst throughput, when there were several bursts."""
        if len(self.rates) < 2:
            return ""
        return f" (bursts: {min(self.rates):,.0f}–{max(self.rates):,.0f}/s)"

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
    return Bursts(statistics.median(rates), latencies, cpu * 1000 / (rounds * count), rates)


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
