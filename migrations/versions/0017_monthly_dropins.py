"""monthly drop-in moments

A drop-in moment can recur every month on the first, second, third, fourth or last weekday.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-02 02:30:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('dropin_moments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('week_of_month', sa.SmallInteger(), nullable=True))
        batch_op.drop_constraint(batch_op.f('ck_dropin_moments_recurrence'), type_='check')
        batch_op.create_check_constraint('recurrence', "recurrence IN ('weekly', 'biweekly', 'monthly')")
        batch_op.create_check_constraint(
            'week_of_month_range', 'week_of_month IS NULL OR week_of_month IN (1, 2, 3, 4, -1)'
        )


def downgrade():
    op.execute("UPDATE dropin_moments SET recurrence = 'weekly' WHERE recurrence = 'monthly'")
    with op.batch_alter_table('dropin_moments', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_dropin_moments_week_of_month_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_dropin_moments_recurrence'), type_='check')
        batch_op.create_check_constraint('recurrence', "recurrence IN ('weekly', 'biweekly')")
        batch_op.drop_column('week_of_month')
