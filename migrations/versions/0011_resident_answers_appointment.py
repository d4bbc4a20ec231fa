"""resident answers appointment

A resident can confirm a planned session or ask to move it, by answering the SMS (1 or 2) or on the
status page; the session remembers when, so the volunteer and the coordinator see it.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01 22:18:40.282780

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed_by_resident_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('move_asked_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('help_sessions', schema=None) as batch_op:
        batch_op.drop_column('move_asked_at')
        batch_op.drop_column('confirmed_by_resident_at')
