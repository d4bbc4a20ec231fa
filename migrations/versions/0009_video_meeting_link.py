"""video meeting link

The link of a video session, sent only to the resident and the volunteer.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 22:18:29.944081

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('help_sessions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('meeting_url', sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table('help_sessions', schema=None) as batch_op:
        batch_op.drop_column('meeting_url')
