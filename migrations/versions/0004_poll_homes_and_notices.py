"""where polls live, and the DMs about them

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06

- `guild_settings.polls_channel_id`: #scrutins, created by `/admin installer` — the home of polls
  tied to neither a proposal nor a field, and where every opening is announced.
- `poll.opening_notified_at`: the opening was announced (claimed once).
- `reminder_sent` becomes `poll_notice`: one row per DM owed or sent to an élu about a poll, of
  a kind (`ouverture`, `rappel`), `sent_at` empty while it is queued. Reminders already sent are
  kept as sent `rappel` notices.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import rtes_bot.models.base

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('guild_settings', schema=None, recreate='never') as batch_op:
        batch_op.add_column(sa.Column('polls_channel_id', sa.BigInteger(), nullable=True))
    with op.batch_alter_table('poll', schema=None, recreate='never') as batch_op:
        batch_op.add_column(
            sa.Column(
                'opening_notified_at',
                rtes_bot.models.base.UTCDateTime(timezone=True),
                nullable=True,
            )
        )
    op.create_table('poll_notice',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('elu_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('sent_at', rtes_bot.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['elu_id'], ['elu.id'], name=op.f('fk_poll_notice_elu_id_elu'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_poll_notice_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'elu_id', 'kind', name=op.f('pk_poll_notice'))
    )
    with op.batch_alter_table('poll_notice', schema=None) as batch_op:
        batch_op.create_index('ix_poll_notice_elu_id', ['elu_id'], unique=False)
    op.execute(
        "INSERT INTO poll_notice (poll_id, elu_id, kind, sent_at) "
        "SELECT poll_id, elu_id, 'rappel', sent_at FROM reminder_sent"
    )
    # Polls opened before this version were never announced: they must not be now.
    op.execute("UPDATE poll SET opening_notified_at = opens_at")
    op.drop_table('reminder_sent')


def downgrade() -> None:
    op.create_table('reminder_sent',
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('elu_id', sa.Integer(), nullable=False),
    sa.Column('sent_at', rtes_bot.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['elu_id'], ['elu.id'], name=op.f('fk_reminder_sent_elu_id_elu'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], name=op.f('fk_reminder_sent_poll_id_poll'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('poll_id', 'elu_id', name=op.f('pk_reminder_sent'))
    )
    # Sent reminders survive; queued notices and opening notices have no place in 0003.
    op.execute(
        "INSERT INTO reminder_sent (poll_id, elu_id, sent_at) "
        "SELECT poll_id, elu_id, sent_at FROM poll_notice "
        "WHERE kind = 'rappel' AND sent_at IS NOT NULL"
    )
    with op.batch_alter_table('poll_notice', schema=None) as batch_op:
        batch_op.drop_index('ix_poll_notice_elu_id')
    op.drop_table('poll_notice')
    # ALTER TABLE … DROP COLUMN, never a copy of the table: on SQLite (foreign keys on) dropping
    # the old `poll` table would cascade to the liste d'émargement, the ballots and the proxies.
    with op.batch_alter_table('poll', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('opening_notified_at')
    with op.batch_alter_table('guild_settings', schema=None, recreate='never') as batch_op:
        batch_op.drop_column('polls_channel_id')
