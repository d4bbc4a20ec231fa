"""practice library

Practice sheets get a review status (proposed, published, archived) instead of a published flag, tags by
topic group, target group and channel, a contact person and links; practice_uses records the networks that
use a sheet. Full-text search that understands Dutch: on PostgreSQL a GIN index over the sheet's weighted
`dutch` text search document, on SQLite an FTS5 table of the sheets' Dutch stems (digibuddy/practices/search.py),
filled here with the existing sheets.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 22:22:16.822506

"""
from alembic import op
import sqlalchemy as sa

from digibuddy.practices import search


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('practice_uses',
    sa.Column('practice_id', sa.Integer(), nullable=False),
    sa.Column('network_id', sa.Integer(), nullable=False),
    sa.Column('marked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['marked_by_id'], ['users.id'], name=op.f('fk_practice_uses_marked_by_id')),
    sa.ForeignKeyConstraint(['network_id'], ['local_networks.id'], name=op.f('fk_practice_uses_network_id')),
    sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], name=op.f('fk_practice_uses_practice_id'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('practice_id', 'network_id', name=op.f('pk_practice_uses'))
    )
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('topic_groups', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('target_groups', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('channels', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('contact_name', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('contact_details', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('links', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('status', sa.Enum('proposed', 'published', 'archived', name='practice_status', native_enum=False, create_constraint=True), nullable=False, server_default='proposed'))
        batch_op.add_column(sa.Column('updated_at', sa.DateTime(), nullable=False, server_default=sa.func.current_timestamp()))
        batch_op.add_column(sa.Column('published_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('published_at', sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_practices_network_id'), ['network_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_practices_published_by_id'), 'users', ['published_by_id'], ['id'])
    op.execute("UPDATE practices SET status = CASE WHEN published THEN 'published' ELSE 'proposed' END, "
               "updated_at = created_at, published_at = CASE WHEN published THEN created_at END")
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.drop_column('published')

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"CREATE INDEX {search.PG_INDEX} ON practices USING gin (({search.PG_DOCUMENT}))")
    else:
        op.execute(f"CREATE VIRTUAL TABLE {search.SQLITE_TABLE} USING fts5(title, summary, body)")
        rows = op.get_bind().execute(sa.text("SELECT id, title, summary, body FROM practices")).all()
        for practice_id, title, summary, body in rows:
            op.get_bind().execute(
                sa.text(f"INSERT INTO {search.SQLITE_TABLE} (rowid, title, summary, body) VALUES (:i, :t, :s, :b)"),
                {"i": practice_id, "t": " ".join(search.stems(title)), "s": " ".join(search.stems(summary)),
                 "b": " ".join(search.stems(body))},
            )


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(f"DROP INDEX {search.PG_INDEX}")
    with op.batch_alter_table('practices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('published', sa.BOOLEAN(), nullable=False, server_default=sa.true()))
        batch_op.drop_constraint(batch_op.f('ck_practices_practice_status'), type_='check')
        batch_op.drop_constraint(batch_op.f('fk_practices_published_by_id'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_practices_network_id'))
        batch_op.drop_column('published_at')
        batch_op.drop_column('published_by_id')
        batch_op.drop_column('updated_at')
        batch_op.drop_column('status')
        batch_op.drop_column('links')
        batch_op.drop_column('contact_details')
        batch_op.drop_column('contact_name')
        batch_op.drop_column('channels')
        batch_op.drop_column('target_groups')
        batch_op.drop_column('topic_groups')

    op.drop_table('practice_uses')
    if op.get_bind().dialect.name != 'postgresql':
        op.execute(f"DROP TABLE {search.SQLITE_TABLE}")
