"""index of the escalation events

The recruitment advice on both dashboards reads the requests escalated in the last three months; without an
index that is a scan of the whole event log (about 1.4 s at 8.5 million events).

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-02 14:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.create_index('ix_request_events_escalated', ['at', 'request_id'], unique=False,
                              postgresql_where=sa.text("to_status = 'escalated'"),
                              sqlite_where=sa.text("to_status = 'escalated'"))


def downgrade():
    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.drop_index('ix_request_events_escalated',
                            postgresql_where=sa.text("to_status = 'escalated'"),
                            sqlite_where=sa.text("to_status = 'escalated'"))
