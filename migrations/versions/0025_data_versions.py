"""data versions of the tables that cached public pages show

One row per group of tables (the networks, the topic catalogue): a random token replaced in the same
transaction as any change to them, so that every process serves a cached page only while its data stands
(digibuddy/core/page_cache.py). The rows are made at start-up.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-02 14:20:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('data_versions',
    sa.Column('name', sa.String(length=40), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_data_versions'))
    )


def downgrade():
    op.drop_table('data_versions')
