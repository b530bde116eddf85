"""`/admin audit`: the bureau exports the guild's audit log (CSV or JSON); others are refused."""

from __future__ import annotations

import csv
import io
import json

from cogs.audit import events_csv, events_json
from rtes_bot.catalog import t
from rtes_bot.models import AuditEvent, utcnow
from tests.support.proposals import deposit, install, post, proposal_row


async def test_bureau_exports_the_audit_log_as_csv_and_json(rig) -> None:
    await install(rig)
    alice = await rig.elu("Alice Martin")
    await deposit(rig, alice.user, "Titre", "Texte")
    proposal = await proposal_row(rig, 1)
    await rig.emu.click(rig.guild, alice.user, post(rig, proposal), f"rtes:soutenir:{proposal.id}")

    as_csv = await rig.emu.slash(rig.guild, rig.admin, "admin", subcommand="audit")
    assert as_csv.ephemeral and as_csv.text == t("audit.export", "fr", nombre=2)
    (attachment,) = as_csv.message.attachments
    assert attachment.filename == f"audit-{rig.guild.id}.csv"
    rows = list(csv.DictReader(io.StringIO(attachment.data.decode("utf-8-sig"))))
    assert [row["action"] for row in rows] == ["proposition.deposee", "proposition.soutenue"]
    assert rows[0]["actor_id"] == str(alice.user.id)
    assert json.loads(rows[0]["details"])["titre"] == "Titre"

    as_json = await rig.emu.slash(
        rig.guild, rig.admin, "admin", subcommand="audit", options={"format": "json"}
    )
    (attachment,) = as_json.message.attachments
    events = json.loads(attachment.data)
    assert [event["action"] for event in events] == ["proposition.deposee", "proposition.soutenue"]
    assert events[1]["actor_id"] == str(alice.user.id)  # 64-bit ids as strings
    assert events[1]["subject_id"] == proposal.id


async def test_only_the_bureau_may_export_the_audit_log(rig) -> None:
    alice = await rig.elu("Alice Martin")
    refused = await rig.emu.slash(rig.guild, alice.user, "admin", subcommand="audit")
    assert refused.ephemeral and refused.text == t("acces.bureau-requis", "fr")
    assert refused.message.attachments == []


def test_csv_export_neutralises_spreadsheet_formulas() -> None:
    event = AuditEvent(
        id=1,
        guild_id=1,
        actor_id=None,
        action='=HYPERLINK("http://x")',
        subject_type="proposal",
        subject_id=3,
        details={"titre": "+1"},
        created_at=utcnow(),
    )
    rows = list(csv.reader(io.StringIO(events_csv([event]).decode("utf-8-sig"))))
    assert rows[1][5].startswith("'=")
    assert rows[1][3] == rows[1][4] == ""  # no actor
    assert json.loads(events_json([event]))[0]["action"] == '=HYPERLINK("http://x")'
