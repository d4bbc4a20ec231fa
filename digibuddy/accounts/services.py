"""Log-in, invitations and accepting them: the state changes of the accounts area."""

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import delete as sa_delete
from sqlalchemy import func, select
from sqlalchemy import update as sa_update

from ..audit import services as audit
from ..core.db import utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..core.urls import public_url
from ..extensions import db
from ..notifications.messages import tell_address, tell_user
from . import two_factor
from .models import Invitation, LoginChallenge, Membership, PasswordReset, Role, User, password_hash_method

# A fixed hash (one per hash method) to compare against when the e-mail address is unknown, so that the
# answer takes as long as for a known address with a wrong password.
_DUMMY_HASHES = {}


def find_user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def authenticate(email: str, password: str) -> User | None:
    """The user with this e-mail address and password, also when their access ended (the caller says so:
    see access_refusal), else None."""
    user = find_user_by_email(email)
    if user is None:
        method = password_hash_method()
        if method not in _DUMMY_HASHES:
            probe = User(email="", name="")
            probe.set_password(secrets.token_hex(8))
            _DUMMY_HASHES[method] = probe.password_hash
        User(password_hash=_DUMMY_HASHES[method]).check_password(password)
        return None
    if not user.check_password(password):
        return None
    return user


def access_refusal(user: User) -> str | None:
    """Why this user may not log in, in words they understand; None when they may."""
    if not user.active:
        return _("Your account is switched off. Ask your coordinator if you think this is a mistake.")
    if user.volunteer_access_ended:
        return _(
            "Your access as a digibuddy has ended, so you cannot log in. Ask your coordinator if you "
            "have a question."
        )
    return None


def logged_in(user: User) -> None:
    """Every step of logging in passed."""
    user.last_login_at = utcnow()
    db.session.commit()


def logged_out(user: User) -> None:
    """Logging out ends every session of the user, also a copy of the cookie somewhere else."""
    user.end_sessions()
    db.session.commit()


def switch_off(user: User, actor: User, network_id: int | None) -> None:
    """The account can no longer log in, and every open session of it ends now."""
    user.active = False
    user.end_sessions()
    audit.record(actor, "account_off", "user", user.id, network_id)
    db.session.commit()


def switch_on(user: User, actor: User, network_id: int | None) -> None:
    user.active = True
    audit.record(actor, "account_on", "user", user.id, network_id)
    db.session.commit()


def may_switch_off(user: User, actor: User, roles: set[Role], network_ids: set[int]) -> bool:
    """Whether `actor` may switch the whole account off: never their own or the central administrator's,
    and only when every role the account holds is one of `roles` in one of `network_ids` (a coordinator
    manages their counter staff; the central administrator, with every network, coordinators too)."""
    return (
        user.id != actor.id
        and not user.is_admin
        and all(m.role in roles and m.network_id in network_ids for m in user.memberships)
    )


def remove_membership(membership: Membership, actor: User) -> None:
    """The user no longer holds this role in this network; their sessions end, so the role ends at once."""
    user = membership.user
    user.memberships.remove(membership)
    user.end_sessions()
    audit.record(
        actor, "membership_removed", "user", user.id, membership.network_id, detail=str(membership.role)
    )
    db.session.commit()


def check_code(user: User, code: str | None) -> bool:
    """The user's one-time code is right and not used before; uses it up."""
    step = two_factor.verify(user.totp_secret, code, user.totp_last_step)
    if step is None:
        return False
    user.totp_last_step = step
    db.session.commit()
    return True


def start_challenge(user: User, next_url: str | None) -> str:
    """The password was right and the code is owed: a new challenge (any older one of the user ends);
    returns the token the session keeps."""
    db.session.execute(sa_delete(LoginChallenge).where(LoginChallenge.user_id == user.id))
    token = secrets.token_urlsafe(32)
    db.session.add(
        LoginChallenge(
            user_id=user.id, token_hash=_token_hash(token), next_url=(next_url or "")[:500] or None
        )
    )
    db.session.commit()
    return token


def find_challenge(token, max_age_seconds: int) -> LoginChallenge | None:
    if not isinstance(token, str) or not token or len(token) > 100:
        return None
    challenge = db.session.scalar(
        select(LoginChallenge).where(LoginChallenge.token_hash == _token_hash(token))
    )
    if challenge is None or challenge.created_at < utcnow() - timedelta(seconds=max_age_seconds):
        return None
    return challenge


def wrong_code(challenge: LoginChallenge) -> int:
    """Count a wrong code in the database (at once, also when two tries arrive together); the count."""
    db.session.execute(
        sa_update(LoginChallenge)
        .where(LoginChallenge.id == challenge.id)
        .values(tries=LoginChallenge.tries + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.refresh(challenge)
    return challenge.tries


def end_challenge(challenge: LoginChallenge) -> None:
    db.session.delete(challenge)
    db.session.commit()


def setup_secret(user: User) -> str:
    """The secret of the app the user is setting up: the same until its first right code."""
    if not user.totp_setup_secret or len(user.totp_setup_secret) != 32:
        user.totp_setup_secret = two_factor.new_secret()
        db.session.commit()
    return user.totp_setup_secret


def enable_two_factor(user: User, secret: str, code: str | None) -> bool:
    """Turn the second step on with a secret the user's app shows the right code for."""
    step = two_factor.verify(secret, code, None)
    if step is None:
        return False
    user.totp_secret, user.totp_last_step = secret, step
    user.totp_setup_secret = None
    audit.record(user, "two_factor_on", "user", user.id, None)
    db.session.commit()
    return True


def disable_two_factor(user: User, actor: User) -> None:
    """Turn the second step off: by the user (after a right code) or by the central administrator, for
    someone who lost their phone. They set it up again at their next log-in where it is required."""
    user.totp_secret, user.totp_last_step = None, None
    action = "two_factor_off" if actor.id == user.id else "two_factor_reset"
    audit.record(actor, action, "user", user.id, None)
    db.session.commit()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def create_invitation(
    network, email: str, name: str, role: Role, invited_by: User | None, locale: str = "nl"
) -> tuple[Invitation, str]:
    """Create an invitation and queue its e-mail in the same transaction; returns it and its link token."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        network_id=network.id,
        email=email.strip(),
        name=name.strip(),
        role=role,
        token_hash=_token_hash(token),
        invited_by_id=invited_by.id if invited_by else None,
        expires_at=utcnow() + timedelta(days=current_app.config["INVITATION_VALID_DAYS"]),
    )
    db.session.add(invitation)
    db.session.flush()
    tell_address(
        invitation.email,
        locale,
        "invitation",
        key=f"invitation-{invitation.id}",
        network_id=network.id,
        network=network,
        invitation=invitation,
        link=url_for("accounts.accept_invitation", token=token, _external=True),
    )
    db.session.commit()
    return invitation, token


def find_valid_invitation(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == _token_hash(token)))
    if invitation is None or invitation.accepted_at is not None or invitation.expires_at < utcnow():
        return None
    return invitation


def accept_invitation(invitation: Invitation, name: str, password: str, locale: str) -> User:
    """Turn an invitation into an account (or add the role to an existing account with that e-mail)."""
    user = find_user_by_email(invitation.email)
    if user is None:
        user = User(email=invitation.email, name=name.strip(), locale=locale)
        user.set_password(password)
        db.session.add(user)
        db.session.flush()
    already = any(
        m.network_id == invitation.network_id and m.role == invitation.role for m in user.memberships
    )
    if not already:
        user.memberships.append(Membership(network_id=invitation.network_id, role=invitation.role))
    invitation.accepted_at = utcnow()
    invitation.accepted_user_id = user.id
    db.session.commit()
    return user


def coordinators_of(network_id: int) -> list[User]:
    """The active coordinators of a local network (the people told when something needs a person)."""
    return db.session.scalars(
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.network_id == network_id, Membership.role == Role.COORDINATOR, User.active.is_(True)
        )
        .order_by(User.id)
    ).all()


# ------------------------------------------------------------------------------------------- passwords
def request_password_reset(email: str) -> None:
    """Send a single-use link to choose a new password, valid PASSWORD_RESET_VALID_MINUTES. Nothing happens
    for an unknown address or an account that may not log in, and the caller answers the same either way."""
    user = find_user_by_email(email)
    if user is None or not user.is_active:
        return
    token = secrets.token_urlsafe(32)
    minutes = current_app.config["PASSWORD_RESET_VALID_MINUTES"]
    reset = PasswordReset(
        user_id=user.id, token_hash=_token_hash(token), expires_at=utcnow() + timedelta(minutes=minutes)
    )
    db.session.add(reset)
    db.session.flush()
    tell_user(
        user,
        "password_reset",
        key=f"password-reset-{reset.id}",
        link=public_url("accounts.password_reset", token=token),
        expires_at=reset.expires_at,
    )
    audit.record(None, "password_reset_asked", "user", user.id, None)
    db.session.commit()


def find_valid_reset(token: str) -> PasswordReset | None:
    """The reset a link names, while it is unused and not expired and its account may log in."""
    if not token or len(token) > 100:
        return None
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _token_hash(token)))
    if reset is None or reset.used_at is not None or reset.expires_at < utcnow() or not reset.user.is_active:
        return None
    return reset


def _new_password(user: User, password: str, action: str) -> None:
    """A new password ends every session of the user and every reset link they still had."""
    now = utcnow()
    user.set_password(password)
    user.end_sessions()
    for reset in db.session.scalars(
        select(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
    ):
        reset.used_at = now
    audit.record(user, action, "user", user.id, None)
    db.session.commit()


def reset_password(reset: PasswordReset, password: str) -> User:
    """Use the link: it works once. The second step of logging in stays as it was."""
    user = reset.user
    _new_password(user, password, "password_reset")
    return user


def change_password(user: User, current: str, password: str) -> None:
    if not user.check_password(current):
        raise DomainError(_("This is not your current password."), "current_password")
    if current == password:
        raise DomainError(_("Choose a password that differs from the current one."), "password")
    _new_password(user, password, "password_changed")
