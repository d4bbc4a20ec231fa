"""dashboard indexes

Indexes behind the local and network dashboards (digibuddy/reports/queries.py), measured with
`make benchmark-dashboard` (1,000,000 sessions): a network's requests of a period read from one index,
the open queue of every network, the requests that hold escalation reasons, a request's first offer,
its first MATCHED event, its sessions in time order (replacing the plain index on
help_sessions.request_id) and a session's outcome figures. INCLUDE columns are PostgreSQL only; SQLite
gets the same keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.create_index('ix_help_requests_network_created', ['network_id', 'created_at'], unique=False,
                              postgresql_include=['id', 'intake_channel', 'resident_id'])
        batch_op.create_index('ix_help_requests_status_network_created', ['status', 'network_id', 'created_at'],
                              unique=False)
        batch_op.create_index('ix_help_requests_escalated', ['network_id', 'created_at'], unique=False,
                              postgresql_where=sa.text("json_typeof(escalation_reasons) <> 'null'"),
                              sqlite_where=sa.text("json_type(escalation_reasons) <> 'null'"))

    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.create_index('ix_request_events_matched', ['request_id', 'at'], unique=False,
                              postgresql_where=sa.text("to_status = 'matched'"),
                              sqlite_where=sa.text("to_status = 'matched'"))

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.create_index('ix_offers_request_created', ['request_id', 'created_at'], unique=False)

    with op.batch_alter_table('help_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_help_sessions_request_starts', ['request_id', 'starts_at'], unique=False,
                              postgresql_include=['status', 'volunteer_id', 'id'])
        batch_op.drop_index('ix_help_sessions_request_id')

    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.create_index('ix_outcomes_session_figures', ['session_id'], unique=False,
                              postgresql_include=['result', 'referred_to', 'minutes_spent', 'confidence_before',
                                                  'confidence_after', 'follow_up_needed'])


def downgrade():
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_index('ix_outcomes_session_figures')

    with op.batch_alter_table('help_sessions', schema=None) as batch_op:
        batch_op.create_index('ix_help_sessions_request_id', ['request_id'], unique=False)
        batch_op.drop_index('ix_help_sessions_request_starts')

    with op.batch_alter_table('offers', schema=None) as batch_op:
        batch_op.drop_index('ix_offers_request_created')

    with op.batch_alter_table('request_events', schema=None) as batch_op:
        batch_op.drop_index('ix_request_events_matched')

    with op.batch_alter_table('help_requests', schema=None) as batch_op:
        batch_op.drop_index('ix_help_requests_escalated')
        batch_op.drop_index('ix_help_requests_status_network_created')
        batch_op.drop_index('ix_help_requests_network_created')
