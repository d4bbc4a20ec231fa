"""central defaults and bounds for network settings

The central administrator sets each network setting's default and the bounds within which a network may
choose its own (central_settings). A network's own value becomes optional: NULL follows the central
default. A network that kept the value the code gave every new network (24 hours, 3 rounds, 24 months,
12 months, no overflow) never chose it, so it now follows the centre; any other value stays its own.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-02 04:45:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None

# The values the code gave every network before the centre could set them.
FORMER_DEFAULTS = {
    'offer_timeout_hours': 24,
    'max_offer_rounds': 3,
    'retention_months': 24,
    'extract_max_age_months': 12,
}


def upgrade():
    op.create_table('central_settings',
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('minimum', sa.Float(), nullable=False),
    sa.Column('maximum', sa.Float(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('minimum <= value AND value <= maximum', name=op.f('ck_central_settings_value_within_bounds')),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_central_settings_changed_by_id')),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_central_settings'))
    )
    with op.batch_alter_table('local_networks', schema=None) as batch_op:
        for column in FORMER_DEFAULTS:
            batch_op.alter_column(column, existing_type=sa.INTEGER(), nullable=True)
        batch_op.alter_column('allow_overflow', existing_type=sa.BOOLEAN(), nullable=True)
    networks = sa.table(
        'local_networks',
        sa.column('allow_overflow', sa.Boolean()),
        *(sa.column(column, sa.Integer()) for column in FORMER_DEFAULTS),
    )
    for column, value in FORMER_DEFAULTS.items():
        op.execute(networks.update().where(networks.c[column] == value).values({column: None}))
    op.execute(networks.update().where(networks.c.allow_overflow.is_(False)).values(allow_overflow=None))


def downgrade():
    networks = sa.table(
        'local_networks',
        sa.column('allow_overflow', sa.Boolean()),
        *(sa.column(column, sa.Integer()) for column in FORMER_DEFAULTS),
    )
    for column, value in FORMER_DEFAULTS.items():
        op.execute(networks.update().where(networks.c[column].is_(None)).values({column: value}))
    op.execute(networks.update().where(networks.c.allow_overflow.is_(None)).values(allow_overflow=False))
    with op.batch_alter_table('local_networks', schema=None) as batch_op:
        batch_op.alter_column('allow_overflow', existing_type=sa.BOOLEAN(), nullable=False)
        for column in reversed(list(FORMER_DEFAULTS)):
            batch_op.alter_column(column, existing_type=sa.INTEGER(), nullable=False)
    op.drop_table('central_settings')
