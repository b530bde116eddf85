"""Benchmark of the vote count (a script, not a test): ``uv run python benchmarks/bench_counting.py``.

Each method on 10,000 and 100,000 weighted ballots with 10 options (random, mostly distinct
ballots: the worst case for aggregation), parsing 10,000 ballot texts, and one chart.
Target: every method under 200 ms at 10,000 ballots and under 2 s at 100,000.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from rtes_bot.counting import Ballot, PollSpec, chart_png, count, parse_ballot_text
from rtes_bot.counting.ballots import dense_ranks

OPTIONS = [f"Option {chr(65 + i)}" for i in range(10)]


def make_ballots(method: str, number: int, rng: random.Random) -> list[Ballot]:
    def content() -> Any:
        if method == "pour-contre":
            return rng.choice(["pour", "contre", "abstention"])
        if method == "choix-unique":
            return [rng.randrange(10)]
        if method == "approbation":
            return sorted(rng.sample(range(10), rng.randint(0, 10)))
        if method == "classement":
            order = rng.sample(range(10), rng.randint(1, 10))
            ranks, rank = {}, 0
            for i, option in enumerate(order):
                if i == 0 or rng.random() < 0.8:
                    rank += 1
                ranks[str(option)] = rank
            return dense_ranks(ranks)
        top = 6 if method == "jugement-majoritaire" else 5
        return {str(i): rng.randint(0, top) for i in range(10) if rng.random() < 0.9}

    return [Ballot(content(), rng.randint(1, 20)) for _ in range(number)]


def timed(function: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    rng = random.Random(2026)
    cases = [
        ("pour-contre", False),
        ("choix-unique", False),
        ("approbation", False),
        ("classement", False),
        ("classement", True),
        ("jugement-majoritaire", False),
        ("notes", False),
    ]
    print(f"{'method':<28}{'10,000 ballots':>16}{'100,000 ballots':>18}")
    for method, irv in cases:
        spec = PollSpec(method, OPTIONS, irv=irv, seed="bench")
        figures = []
        for number in (10_000, 100_000):
            ballots = make_ballots(method, number, rng)
            figures.append(timed(lambda spec=spec, ballots=ballots: count(spec, ballots)))
        name = (
            "classement (IRV)"
            if irv
            else ("classement (Schulze)" if method == "classement" else method)
        )
        print(f"{name:<28}{figures[0] * 1000:>13.1f} ms{figures[1] * 1000:>15.1f} ms")

    texts = []
    for _ in range(10_000):
        order = rng.sample(OPTIONS, rng.randint(1, 10))
        texts.append(" > ".join(order))
    spec = PollSpec("classement", OPTIONS)
    parse = timed(lambda: [parse_ballot_text(spec, text) for text in texts])
    print(f"{'parse 10,000 ranking texts':<28}{parse * 1000:>13.1f} ms")

    mj = PollSpec("jugement-majoritaire", OPTIONS)
    result = count(mj, make_ballots("jugement-majoritaire", 10_000, rng))
    first = timed(lambda: chart_png(mj, result), repeat=1)
    again = timed(lambda: chart_png(mj, result))
    print(f"{'chart (first, with import)':<28}{first * 1000:>13.1f} ms")
    print(f"{'chart (next)':<28}{again * 1000:>13.1f} ms")


if __name__ == "__main__":
    main()
