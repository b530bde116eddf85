"""``rtes-bot recount``: recount an anonymised ballot file and print the explained result."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import click

from rtes_bot.counting.ballot_files import read_ballots
from rtes_bot.counting.core import count
from rtes_bot.counting.model import MAJORITIES, METHODS, CountError, PollSpec
from rtes_bot.counting.render import render_result, result_to_json


def _fraction(value: str) -> Fraction:
    """``25%``, ``0.25`` or ``1/4`` -> Fraction(1, 4)."""
    text = value.strip().replace(",", ".")
    if text.endswith("%"):
        return Fraction(text[:-1]) / 100
    return Fraction(text)


@click.command("recount")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--method", "method", type=click.Choice(METHODS), required=True)
@click.option("--irv", is_flag=True, help="classement: instant-runoff instead of Schulze.")
@click.option("--seed", default="", help="Seed of the IRV lot (published with the result).")
@click.option(
    "--quorum", default="0", help="Quorum as a share of the electorate: 25%, 0.25 or 1/4."
)
@click.option("--majority", type=click.Choice(MAJORITIES), default="simple", show_default=True)
@click.option(
    "--electorate", type=int, default=None, help="Electorate weight (for quorum and absolue)."
)
@click.option(
    "--default-option", default=None, help="classement (Schulze): the default option label."
)
@click.option(
    "--max-choices", type=int, default=None, help="approbation: maximum number of choices."
)
@click.option("--locale", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def recount(
    file: Path,
    method: str,
    irv: bool,
    seed: str,
    quorum: str,
    majority: str,
    electorate: int | None,
    default_option: str | None,
    max_choices: int | None,
    locale: str,
    as_json: bool,
) -> None:
    """Recount the ballots of FILE (CSV, or ABIF for classement) and explain the result."""
    try:
        options, ballots = read_ballots(file.read_text(encoding="utf-8"), method, file.name)
        spec = PollSpec(
            method=method,
            options=options,
            irv=irv,
            quorum=_fraction(quorum),
            majority=majority,
            electorate_weight=electorate,
            max_choices=max_choices,
            default_option=default_option,
            seed=seed,
        )
        result = count(spec, ballots)
    except (CountError, ValueError, ZeroDivisionError) as error:
        raise click.ClickException(str(error)) from error
    if as_json:
        click.echo(json.dumps(result_to_json(result), ensure_ascii=False, indent=2))
    else:
        click.echo(render_result(result, locale))
