"""topic catalogue managed centrally

The central administrator edits, retires and merges topics: a DigComp proficiency level and a hint per
topic, the topic a retired one was merged into, when the centre last edited a row (so that `flask refdata
load` leaves it alone), and the history of every change (change_records).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:12:34.655523

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('change_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=True),
    sa.Column('network_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['network_id'], ['local_networks.id'], name=op.f('fk_change_records_network_id')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_change_records_user_id')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_change_records'))
    )
    with op.batch_alter_table('change_records', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_change_records_at'), ['at'], unique=False)
        batch_op.create_index('ix_change_records_subject', ['subject_type', 'subject_id'], unique=False)

    with op.batch_alter_table('topic_groups', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(), nullable=True))

    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digcomp_level', sa.SmallInteger(), nullable=False, server_default='2'))
        batch_op.add_column(sa.Column('hints', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('merged_into_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_topics_merged_into_id'), 'topics', ['merged_into_id'], ['id'])
        batch_op.create_check_constraint('digcomp_level_range', 'digcomp_level BETWEEN 1 AND 8')



def downgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_topics_digcomp_level_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_topics_merged_into_id'), type_='foreignkey')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('merged_into_id')
        batch_op.drop_column('hints')
        batch_op.drop_column('digcomp_level')

    with op.batch_alter_table('topic_groups', schema=None) as batch_op:
        batch_op.drop_column('edited_at')

    with op.batch_alter_table('change_records', schema=None) as batch_op:
        batch_op.drop_index('ix_change_records_subject')
        batch_op.drop_index(batch_op.f('ix_change_records_at'))

    op.drop_table('change_records')
