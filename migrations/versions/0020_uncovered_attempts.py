"""uncovered attempts

Residents who try to ask for help online from a postcode no local network covers are counted per postcode
and day (a count, nothing about the person), so the central administration sees where help is missing.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-02 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'uncovered_attempts',
        sa.Column('postcode_code', sa.String(length=4), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.CheckConstraint('count >= 1', name=op.f('ck_uncovered_attempts_count_positive')),
        sa.ForeignKeyConstraint(
            ['postcode_code'], ['postcodes.code'], name=op.f('fk_uncovered_attempts_postcode_code')
        ),
        sa.PrimaryKeyConstraint('postcode_code', 'day', name=op.f('pk_uncovered_attempts')),
    )
    with op.batch_alter_table('uncovered_attempts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_uncovered_attempts_day'), ['day'], unique=False)


def downgrade():
    with op.batch_alter_table('uncovered_attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_uncovered_attempts_day'))
    op.drop_table('uncovered_attempts')
