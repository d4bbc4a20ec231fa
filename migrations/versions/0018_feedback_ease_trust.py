"""feedback: ease and trust

Feedback also asks how easy it was to get help this way and how much the resident trusts it (1-4 each);
feedback given before keeps both empty.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02 05:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ease', sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column('trust', sa.SmallInteger(), nullable=True))
        batch_op.create_check_constraint('ease_range', 'ease BETWEEN 1 AND 4')
        batch_op.create_check_constraint('trust_range', 'trust BETWEEN 1 AND 4')


def downgrade():
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_feedback_trust_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_feedback_ease_range'), type_='check')
        batch_op.drop_column('trust')
        batch_op.drop_column('ease')
