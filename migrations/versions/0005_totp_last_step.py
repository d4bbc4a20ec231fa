"""totp last step

The time step of the last one-time code a user logged in with, so that no code works twice
(digibuddy/accounts/two_factor.py).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 12:44:11.816014

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('totp_last_step', sa.BigInteger(), nullable=True))



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_step')

