"""month-level roll-ups beside the day ones

A dashboard over a year read every day row of every network (about 700,000 cells and the waiting-time
histograms of every day at 1M sessions); the day rows of each calendar month are now also kept added up per
month, so a range reads its whole months and only the days of its partial edge months. Filled from the day
roll-ups, set-based.

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-02 15:50:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_month_cells',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('figure', sa.String(length=12), nullable=False),
    sa.Column('k1', sa.String(length=200), nullable=True),
    sa.Column('k2', sa.String(length=40), nullable=True),
    sa.Column('k3', sa.String(length=200), nullable=True),
    *[sa.Column(f'n{i}', sa.BigInteger(), nullable=False) for i in range(1, 9)],
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rollup_month_cells'))
    )
    with op.batch_alter_table('rollup_month_cells', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_month_cells_month', ['month'], unique=False)
        batch_op.create_index('ix_rollup_month_cells_network_month', ['network_id', 'month'], unique=False)

    op.create_table('rollup_month_waits',
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('step', sa.String(length=8), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('network_id', 'month', 'step', 'minutes', name=op.f('pk_rollup_month_waits'))
    )
    with op.batch_alter_table('rollup_month_waits', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_month_waits_month', ['month'], unique=False)

    op.create_table('rollup_month_active',
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('network_id', 'month', 'volunteer_id', name=op.f('pk_rollup_month_active'))
    )
    with op.batch_alter_table('rollup_month_active', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_month_active_month', ['month'], unique=False)

    # Fill the month roll-ups from the day roll-ups (the same statements a fold runs for a changed month);
    # rollup_month_active is filled by migration 0032, which gave it the column of its days.
    from digibuddy.reports import rollups

    rollups.rebuild_months_with(op.get_bind(), ('rollup_month_cells', 'rollup_month_waits'))


def downgrade():
    op.drop_table('rollup_month_active')
    op.drop_table('rollup_month_waits')
    op.drop_table('rollup_month_cells')
