"""phone numbers in E.164

Phone numbers were stored as typed ('0470 12 34 56', '09/210.10.10'); they are now stored in E.164
(+32470123456), parsed with the phonenumbers package with Belgium as the region of numbers written
without a country code. Text that is no valid number is left as it was (it is shown as typed). Pending SMS
in the outbox get the same form, so the provider receives a number it accepts.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:10:00

"""
from alembic import op
import phonenumbers
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

COLUMNS = [('residents', 'phone'), ('users', 'phone'), ('local_networks', 'phone'), ('locations', 'phone')]


def _e164(value):
    try:
        number = phonenumbers.parse(value, 'BE')
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _normalise(conn, table, column, where=''):
    rows = conn.execute(sa.text(f'SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL {where}')).all()
    for row_id, value in rows:
        stored = _e164(value)
        if stored and stored != value:
            conn.execute(
                sa.text(f'UPDATE {table} SET {column} = :value WHERE id = :id'), {'value': stored, 'id': row_id}
            )


def upgrade():
    conn = op.get_bind()
    for table, column in COLUMNS:
        _normalise(conn, table, column)
    _normalise(conn, 'outbox_messages', 'recipient', "AND channel = 'sms' AND status = 'pending'")


def downgrade():
    # E.164 is a valid way to write every number: nothing to undo.
    pass
