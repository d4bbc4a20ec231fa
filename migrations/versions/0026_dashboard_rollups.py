"""dashboard roll-ups instead of saved network figures

Every dashboard figure is now added up from per-network, per-day roll-ups kept up to date as the rows
change (digibuddy/reports/rollups.py), so the network dashboard is calculated on every load and the saved
figures (network_figures_snapshots) go. The roll-ups are filled from the rows already there, set-based.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-02 14:10:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rollup_cells',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('figure', sa.String(length=12), nullable=False),
    sa.Column('k1', sa.String(length=200), nullable=True),
    sa.Column('k2', sa.String(length=40), nullable=True),
    sa.Column('k3', sa.String(length=200), nullable=True),
    *[sa.Column(f'n{i}', sa.BigInteger(), nullable=False) for i in range(1, 9)],
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rollup_cells'))
    )
    with op.batch_alter_table('rollup_cells', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_cells_day', ['day'], unique=False)
        batch_op.create_index('ix_rollup_cells_network_day', ['network_id', 'day'], unique=False)

    op.create_table('rollup_waits',
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('step', sa.String(length=8), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('network_id', 'day', 'step', 'minutes', name=op.f('pk_rollup_waits'))
    )
    with op.batch_alter_table('rollup_waits', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_waits_day', ['day'], unique=False)

    op.create_table('rollup_active',
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('network_id', 'day', 'volunteer_id', name=op.f('pk_rollup_active'))
    )
    with op.batch_alter_table('rollup_active', schema=None) as batch_op:
        batch_op.create_index('ix_rollup_active_day', ['day'], unique=False)

    op.create_table('rollup_dirty',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rollup_dirty'))
    )

    with op.batch_alter_table('network_figures_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_figures_snapshots_last_viewed_at'))
    op.drop_table('network_figures_snapshots')

    # Fill the roll-ups from the rows, set-based (the same statements as `flask reports rebuild-rollups`).
    from digibuddy.reports import rollups

    # The month roll-ups came later (0028, which fills them from these).
    rollups.rebuild_with(op.get_bind(), months=False)


def downgrade():
    op.create_table('network_figures_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('range_start', sa.Date(), nullable=False),
    sa.Column('range_end', sa.Date(), nullable=False),
    sa.Column('computed_at', sa.DateTime(), nullable=False),
    sa.Column('duration_ms', sa.Integer(), nullable=False),
    sa.Column('last_viewed_at', sa.DateTime(), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.CheckConstraint('duration_ms >= 0', name=op.f('ck_network_figures_snapshots_duration_not_negative')),
    sa.CheckConstraint('range_end >= range_start', name=op.f('ck_network_figures_snapshots_range_order')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_network_figures_snapshots')),
    sa.UniqueConstraint('range_start', 'range_end', name=op.f('uq_network_figures_snapshots_range_start_range_end'))
    )
    with op.batch_alter_table('network_figures_snapshots', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_network_figures_snapshots_last_viewed_at'), ['last_viewed_at'], unique=False)
    op.drop_table('rollup_dirty')
    op.drop_table('rollup_active')
    op.drop_table('rollup_waits')
    op.drop_table('rollup_cells')
