"""User accounts, their memberships of local networks, and staff invitations."""

import enum
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_app_context
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.db import PhoneNumber, enum_type, utcnow
from ..extensions import db


def password_hash_method() -> str:
    """scrypt (memory-hard, the Werkzeug default) unless the app's PASSWORD_HASH_METHOD says otherwise: the
    settings fix scrypt, and only the test suite overrides it with a cheap method (a hash is ~0.2 s)."""
    if has_app_context():
        return current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
    return "scrypt"


class Role(enum.StrEnum):
    VOLUNTEER = "volunteer"
    COUNTER = "counter"
    COORDINATOR = "coordinator"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    name: Mapped[str] = mapped_column(sa.String(120))
    phone: Mapped[str | None] = mapped_column(PhoneNumber)
    locale: Mapped[str] = mapped_column(sa.String(8), default="nl")
    is_admin: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    active: Mapped[bool] = mapped_column(sa.Boolean, default=True)
    # Set: log-in asks for a code from an authenticator app (two_factor.py).
    totp_secret: Mapped[str | None] = mapped_column(sa.String(64))
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)  # the last code's time step: no replay
    # The secret of an app being set up, kept here (not in the session cookie) until its first right code.
    totp_setup_secret: Mapped[str | None] = mapped_column(sa.String(64))
    # Part of every session's user id: moving it on ends every session of this user (end_sessions).
    session_generation: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Set once the retention job cleared the name, phone number and e-mail address (a volunteer who left).
    anonymised_at: Mapped[datetime | None]

    memberships = relationship(
        "Membership", back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    volunteer_profile = relationship("VolunteerProfile", back_populates="user", uselist=False)

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=password_hash_method())

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    def get_id(self) -> str:
        """What a session stores to know its user: the id and the session generation (Flask-Login's
        alternative id), so that a session from before end_sessions() no longer finds its user."""
        return f"{self.id}:{self.session_generation or 0}"

    def end_sessions(self) -> None:
        """Every session of this user, on every device and every copied cookie, stops working."""
        self.session_generation = (self.session_generation or 0) + 1

    @property
    def volunteer_access_ended(self) -> bool:
        """A suspended digibuddy, or one who left, who holds no other role: they may no longer log in."""
        if self.is_admin or any(m.role != Role.VOLUNTEER for m in self.memberships):
            return False  # staff: no need to load a volunteer profile on every request
        profile = self.volunteer_profile
        return profile is not None and profile.access_ended

    @property
    def is_active(self) -> bool:  # Flask-Login refuses log-in for inactive users
        return bool(self.active) and not self.volunteer_access_ended

    def network_ids(self, *roles: Role) -> set[int]:
        return {m.network_id for m in self.memberships if not roles or m.role in roles}

    def has_role(self, role: Role, network_id: int | None = None) -> bool:
        return any(
            m.role == role and (network_id is None or m.network_id == network_id) for m in self.memberships
        )

    @property
    def needs_two_factor(self) -> bool:
        """Coordinators and the central administrator see personal data of many people: where the second
        step is required (TWO_FACTOR_REQUIRED), they must set it up before anything else."""
        return self.is_admin or self.has_role(Role.COORDINATOR)

    @property
    def roles(self) -> set[Role]:
        return {m.role for m in self.memberships}

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name else ""

    def __repr__(self):
        return f"<User {self.email}>"


class Membership(db.Model):
    """A user's role in one local network; a user may hold several."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("local_networks.id"), index=True)
    role: Mapped[Role] = mapped_column(enum_type(Role, "membership_role"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User", back_populates="memberships")
    network = relationship("LocalNetwork", lazy="joined")

    __table_args__ = (sa.UniqueConstraint("user_id", "network_id", "role"),)


class Invitation(db.Model):
    """An invitation link for staff (counter staff or coordinator) of one network, valid until it expires."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    network_id: Mapped[int] = mapped_column(sa.ForeignKey("local_networks.id"), index=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    name: Mapped[str] = mapped_column(sa.String(120))
    role: Mapped[Role] = mapped_column(enum_type(Role, "invitation_role"))
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    accepted_at: Mapped[datetime | None]
    accepted_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))

    network = relationship("LocalNetwork")
    invited_by = relationship("User", foreign_keys=[invited_by_id])


class PasswordReset(db.Model):
    """A "forgot my password" link: works once, until it expires; only a hash of its token is stored."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

    user = relationship("User")


class LoginChallenge(db.Model):
    """A user who passed the password and still owes the code of their app: the session holds only the
    token, the attempts are counted here."""

    __tablename__ = "login_challenges"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    next_url: Mapped[str | None] = mapped_column(sa.String(500))
    tries: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user = relationship("User")
