"""training modules written centrally, with versions and local modules

Every saved change of a module's content is a version (training_module_versions), and a pass names the
version passed. A module says for whom it is (audiences), how many days volunteers get to pass it again after
a material change, the last version a pass must be at least (material_version), when it was last edited here
(so that `flask refdata load` leaves it alone), and the local network of a local module. The modules that
exist become their own first version.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-02 04:41:44.143325

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('training_module_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('titles', sa.JSON(), nullable=False),
    sa.Column('bodies', sa.JSON(), nullable=False),
    sa.Column('quiz', sa.JSON(), nullable=False),
    sa.Column('required', sa.Boolean(), nullable=False),
    sa.Column('material', sa.Boolean(), nullable=False),
    sa.Column('retrain_by', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_training_module_versions_created_by_id')),
    sa.ForeignKeyConstraint(['module_id'], ['training_modules.id'], name=op.f('fk_training_module_versions_module_id'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_training_module_versions')),
    sa.UniqueConstraint('module_id', 'number', name='module_number')
    )
    with op.batch_alter_table('training_module_versions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_training_module_versions_module_id'), ['module_id'], unique=False)

    with op.batch_alter_table('training_completions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_training_completions_version_id'), ['version_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_training_completions_version_id'), 'training_module_versions', ['version_id'], ['id'])

    with op.batch_alter_table('training_modules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('network_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('audiences', sa.JSON(), nullable=False, server_default='["volunteer"]'))
        batch_op.add_column(sa.Column('version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('material_version', sa.Integer(), nullable=False, server_default='1'))
        batch_op.add_column(sa.Column('retrain_days', sa.Integer(), nullable=False, server_default='30'))
        batch_op.add_column(sa.Column('edited_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_training_modules_network_id'), ['network_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_training_modules_network_id'), 'local_networks', ['network_id'], ['id'])
        batch_op.create_check_constraint('retrain_days_range', 'retrain_days BETWEEN 1 AND 365')
        batch_op.create_check_constraint('material_version_range', 'material_version BETWEEN 1 AND version')

    # The modules as they are become version 1, and every pass so far is a pass of it.
    conn = op.get_bind()
    modules = sa.table(
        'training_modules',
        sa.column('id', sa.Integer),
        sa.column('titles', sa.JSON),
        sa.column('bodies', sa.JSON),
        sa.column('quiz', sa.JSON),
        sa.column('required', sa.Boolean),
    )
    versions = sa.table(
        'training_module_versions',
        sa.column('id', sa.Integer),
        sa.column('module_id', sa.Integer),
        sa.column('number', sa.Integer),
        sa.column('titles', sa.JSON),
        sa.column('bodies', sa.JSON),
        sa.column('quiz', sa.JSON),
        sa.column('required', sa.Boolean),
        sa.column('material', sa.Boolean),
        sa.column('created_at', sa.DateTime),
    )
    completions = sa.table(
        'training_completions', sa.column('module_id', sa.Integer), sa.column('version_id', sa.Integer)
    )
    now = sa.func.current_timestamp()
    for row in conn.execute(sa.select(modules)).all():
        conn.execute(
            versions.insert().values(
                module_id=row.id,
                number=1,
                titles=row.titles,
                bodies=row.bodies,
                quiz=row.quiz,
                required=row.required,
                material=True,
                created_at=now,
            )
        )
    first = (
        sa.select(versions.c.id)
        .where(versions.c.module_id == completions.c.module_id, versions.c.number == 1)
        .scalar_subquery()
    )
    conn.execute(completions.update().values(version_id=first))


def downgrade():
    with op.batch_alter_table('training_modules', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_training_modules_material_version_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('ck_training_modules_retrain_days_range'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_training_modules_network_id'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_training_modules_network_id'))
        batch_op.drop_column('edited_at')
        batch_op.drop_column('retrain_days')
        batch_op.drop_column('material_version')
        batch_op.drop_column('version')
        batch_op.drop_column('audiences')
        batch_op.drop_column('network_id')

    with op.batch_alter_table('training_completions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_training_completions_version_id'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_training_completions_version_id'))
        batch_op.drop_column('version_id')

    with op.batch_alter_table('training_module_versions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_training_module_versions_module_id'))

    op.drop_table('training_module_versions')
