"""learning-network events with registration, waiting list and attendance

Events get an online link, an audience, a registration deadline, an organising network (none: the knowledge
centre), a sequence for calendar updates and a cancellation; two more kinds (info session, webinar).
Registrations get their own id, a status (place, waiting list, cancelled), the network they registered from,
how a wait ended and the attendance. Existing registrations keep their place.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-02 05:15:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

KINDS = "kind IN ('learning_network', 'training', 'info_session', 'webinar')"


def upgrade():
    with op.batch_alter_table("network_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("online_url", sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column("audience", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("registration_deadline", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("network_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("sequence", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("cancelled_at", sa.DateTime(), nullable=True))
        batch_op.alter_column("place", existing_type=sa.String(length=200), nullable=True)
        batch_op.drop_constraint(batch_op.f("ck_network_events_network_event_kind"), type_="check")
        batch_op.create_check_constraint("network_event_kind", KINDS)
        batch_op.create_check_constraint("capacity_positive", "capacity IS NULL OR capacity >= 1")
        batch_op.create_index(batch_op.f("ix_network_events_network_id"), ["network_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_network_events_network_id"), "local_networks", ["network_id"], ["id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_network_events_created_by_id"), "users", ["created_by_id"], ["id"]
        )
    # Events recorded before had no audience: they were meant for everyone.
    op.execute("""UPDATE network_events SET audience = '["coordinator", "counter", "volunteer"]'""")
    with op.batch_alter_table("network_events", schema=None) as batch_op:
        batch_op.alter_column("audience", existing_type=sa.JSON(), nullable=False)

    connection = op.get_bind()
    # Typed, so that SQLite's text timestamps come back as datetimes for the insert below.
    old = connection.execute(
        sa.text("SELECT event_id, user_id, created_at FROM event_registrations").columns(
            event_id=sa.Integer(), user_id=sa.Integer(), created_at=sa.DateTime()
        )
    ).all()
    op.drop_table("event_registrations")
    registrations = op.create_table(
        "event_registrations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("network_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "registered",
                "waiting",
                "cancelled",
                name="event_registration_status",
                native_enum=False,
                create_constraint=True,
                length=10,
            ),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("placed_at", sa.DateTime(), nullable=True),
        sa.Column("cancelled_at", sa.DateTime(), nullable=True),
        sa.Column(
            "wait_end",
            sa.Enum(
                "promoted",
                "left",
                "expired",
                "cancelled",
                name="event_wait_end",
                native_enum=False,
                create_constraint=True,
                length=9,
            ),
            nullable=True,
        ),
        sa.Column(
            "attendance",
            sa.Enum(
                "attended",
                "absent",
                name="event_attendance",
                native_enum=False,
                create_constraint=True,
                length=8,
            ),
            nullable=True,
        ),
        sa.Column("attendance_recorded_at", sa.DateTime(), nullable=True),
        sa.Column("attendance_recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("unlinked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attendance_recorded_by_id"],
            ["users.id"],
            name=op.f("fk_event_registrations_attendance_recorded_by_id"),
        ),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["network_events.id"],
            name=op.f("fk_event_registrations_event_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["network_id"], ["local_networks.id"], name=op.f("fk_event_registrations_network_id")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_registrations_user_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_registrations")),
        sa.UniqueConstraint("event_id", "user_id", name="one_registration_per_person"),
    )
    with op.batch_alter_table("event_registrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_registrations_event_id"), ["event_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_registrations_network_id"), ["network_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_event_registrations_user_id"), ["user_id"], unique=False)
    if old:
        # Each keeps their place, counted for the first network where they hold a role.
        networks = dict(
            connection.execute(
                sa.text("SELECT user_id, MIN(network_id) FROM memberships GROUP BY user_id")
            ).all()
        )
        op.bulk_insert(
            registrations,
            [
                {
                    "event_id": event_id,
                    "user_id": user_id,
                    "network_id": networks.get(user_id),
                    "status": "registered",
                    "created_at": created_at,
                    "placed_at": created_at,
                }
                for event_id, user_id, created_at in old
            ],
        )


def downgrade():
    connection = op.get_bind()
    kept = connection.execute(
        sa.text(
            "SELECT event_id, user_id, created_at FROM event_registrations "
            "WHERE status = 'registered' AND user_id IS NOT NULL"
        ).columns(event_id=sa.Integer(), user_id=sa.Integer(), created_at=sa.DateTime())
    ).all()
    op.drop_table("event_registrations")
    registrations = op.create_table(
        "event_registrations",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"],
            ["network_events.id"],
            name=op.f("fk_event_registrations_event_id"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_event_registrations_user_id")),
        sa.PrimaryKeyConstraint("event_id", "user_id", name=op.f("pk_event_registrations")),
    )
    if kept:
        op.bulk_insert(registrations, [{"event_id": e, "user_id": u, "created_at": c} for e, u, c in kept])
    op.execute("DELETE FROM network_events WHERE kind IN ('info_session', 'webinar')")
    op.execute("UPDATE network_events SET place = '' WHERE place IS NULL")
    with op.batch_alter_table("network_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_network_events_created_by_id"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_network_events_network_id"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_network_events_network_id"))
        batch_op.drop_constraint(batch_op.f("ck_network_events_capacity_positive"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_network_events_network_event_kind"), type_="check")
        batch_op.create_check_constraint("network_event_kind", "kind IN ('learning_network', 'training')")
        batch_op.alter_column("place", existing_type=sa.String(length=200), nullable=False)
        for column in (
            "cancelled_at",
            "updated_at",
            "created_by_id",
            "sequence",
            "network_id",
            "registration_deadline",
            "audience",
            "online_url",
        ):
            batch_op.drop_column(column)
