"""the ballot box: liste d'émargement, sealed ballots, published ballots in content order

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06

- `participation` becomes `emargement` (the electorate fixed at opening, with a `voted` flag).
- Ballots of closed polls are rewritten into the new `ballot` table in content order (secret
  polls: one unit row per unit of weight, no voter; public polls: one row per voter).
- Ballots of polls still open stay in `ballot_v1` (HMAC-keyed) until the bot, which alone has the
  key, seals them at its next start.
- `proxy.used_at` goes (a proxy is used when the grantor's vote is cast: `emargement.voted`).
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sort_key(content: Any) -> str:
    return json.dumps(content, sort_keys=True, separators=(",", ":"))


def upgrade() -> None:
    bind = op.get_bind()
    op.create_table('emargement',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('voter_ref', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('elu_id', sa.Integer(), nullable=True),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('voted', sa.Boolean(), nullable=False),
    sa.Column('struck', sa.Boolean(), nullable=False),
    sa.Column('delegate_elu_id', sa.Integer(), nullable=True),
    sa.Column('cast_by_elu_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['cast_by_elu_id'], ['elu.id'], name=op.f('fk_emargement_cast_by_elu_id_elu'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['delegate_elu_id'], ['elu.id'], name=op.f('fk_emargement_delegate_elu_id_elu'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['elu_id'], ['elu.id'], name=op.f('fk_emargement_elu_id_elu'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_emargement_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'voter_ref', name=op.f('pk_emargement')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('emargement', schema=None) as batch_op:
        batch_op.create_index('ix_emargement_elu_id', ['elu_id'], unique=False)
        batch_op.create_index('ix_emargement_delegate_elu_id', ['delegate_elu_id'], unique=False)

    op.create_table('sealed_ballot',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('sealed', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_sealed_ballot_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sealed_ballot'))
    )
    with op.batch_alter_table('sealed_ballot', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sealed_ballot_poll_id'), ['poll_id'], unique=False)

    op.create_table('ballot_v1',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('ballot_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_ballot_v1_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'ballot_key', name=op.f('pk_ballot_v1')),
    sqlite_with_rowid=False
    )

    # -- data: participations → émargement; old ballots → published rows or ballot_v1
    polls = {
        row.id: row
        for row in bind.execute(sa.text("SELECT id, status, secret FROM poll"))
    }
    old_table = sa.table(
        'ballot', sa.column('poll_id'), sa.column('ballot_key'), sa.column('content', sa.JSON),
        sa.column('weight'), sa.column('public_voter_ref'),
    )
    old_ballots = bind.execute(
        sa.select(
            old_table.c.poll_id, old_table.c.ballot_key, old_table.c.content,
            old_table.c.weight, old_table.c.public_voter_ref,
        )
    ).all()
    participations = bind.execute(
        sa.text("SELECT poll_id, voter_ref, cast_by_elu_id FROM participation")
    ).all()

    op.drop_table('participation')
    op.drop_table('ballot')
    op.create_table('ballot',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('weight', sa.Integer(), nullable=False),
    sa.Column('voter_ref', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_ballot_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'position', name=op.f('pk_ballot')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('proxy', schema=None) as batch_op:
        batch_op.drop_column('used_at')

    emargement = sa.table(
        'emargement', sa.column('poll_id'), sa.column('voter_ref'), sa.column('elu_id'),
        sa.column('weight'), sa.column('voted'), sa.column('struck'),
        sa.column('delegate_elu_id'), sa.column('cast_by_elu_id'),
    )
    ballot = sa.table(
        'ballot', sa.column('poll_id'), sa.column('position'), sa.column('content', sa.JSON),
        sa.column('weight'), sa.column('voter_ref'),
    )
    legacy = sa.table(
        'ballot_v1', sa.column('poll_id'), sa.column('ballot_key'),
        sa.column('content', sa.JSON), sa.column('weight'),
    )
    entries = []
    for poll_id, voter_ref, cast_by in participations:
        elu_id = int(voter_ref.split(":", 1)[1]) if voter_ref.startswith("elu:") else cast_by
        entries.append({
            "poll_id": poll_id, "voter_ref": voter_ref, "elu_id": elu_id, "weight": 1,
            "voted": True, "struck": False, "delegate_elu_id": None, "cast_by_elu_id": cast_by,
        })
    # Weights of collectivité votes (their ballots' weight is not joinable without the key).
    weights = dict(bind.execute(sa.text("SELECT id, weight FROM collectivite")).all())
    for entry in entries:
        if entry["voter_ref"].startswith("col:"):
            entry["weight"] = int(weights.get(int(entry["voter_ref"][4:]), 1))
    if entries:
        op.bulk_insert(emargement, entries)

    published: dict[int, list[tuple[Any, int, str | None]]] = {}
    kept = []
    for poll_id, key, content, weight, public_ref in old_ballots:
        poll = polls.get(poll_id)
        if poll is None:
            continue
        if poll.status == 'open':
            kept.append({"poll_id": poll_id, "ballot_key": key, "content": content, "weight": weight})
        elif poll.secret:
            published.setdefault(poll_id, []).extend((content, 1, None) for _ in range(weight))
        else:
            published.setdefault(poll_id, []).append((content, weight, public_ref))
    rows = []
    for poll_id, items in published.items():
        if polls[poll_id].secret:
            items.sort(key=lambda item: _sort_key(item[0]))  # content order, as a closing writes
        else:
            items.sort(key=lambda item: item[2] or "")  # by voter, as a closing writes
        rows.extend(
            {"poll_id": poll_id, "position": i, "content": c, "weight": w, "voter_ref": r}
            for i, (c, w, r) in enumerate(items)
        )
    if rows:
        op.bulk_insert(ballot, rows)
    if kept:
        op.bulk_insert(legacy, kept)


def downgrade() -> None:
    raise NotImplementedError(
        "0003 cannot be undone: secret ballots are sealed with the server's key and published "
        "ballots no longer carry the HMAC keys of version 0002; restore a backup instead"
    )
