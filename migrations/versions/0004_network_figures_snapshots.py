"""network figures snapshots

Saved results of the network dashboard's queries, one row per date range (digibuddy/reports/snapshots.py).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 11:57:58.025652

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade():
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



def downgrade():
    with op.batch_alter_table('network_figures_snapshots', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_network_figures_snapshots_last_viewed_at'))

    op.drop_table('network_figures_snapshots')
