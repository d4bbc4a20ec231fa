"""The second step of logging in: a time-based one-time code (TOTP, RFC 6238) from an authenticator app.

Plain functions, no Flask: a secret is 32 base32 characters (160 bits); a code is accepted for the
30-second step it belongs to and one step either side (clocks drift), and never twice: the caller keeps
the last step used and passes it back, so a code seen over someone's shoulder cannot be replayed."""

import re
from datetime import UTC, datetime

import pyotp
import segno

ISSUER = "digibuddy"
STEP_SECONDS = 30
DRIFT_STEPS = 1
CODE_RE = re.compile(r"^\d{6}$")


def new_secret() -> str:
    return pyotp.random_base32(length=32)


def provisioning_uri(secret: str, account: str) -> str:
    """The otpauth:// link an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)


def grouped(secret: str) -> str:
    """The secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def normalise(code: str | None) -> str:
    """What a person types, without spaces or dashes: "123 456" and "123-456" are "123456"."""
    return re.sub(r"[\s-]", "", code or "")


def verify(secret: str, code: str | None, last_step: int | None, now: datetime | None = None) -> int | None:
    """The step the code belongs to when it is right and newer than last_step, else None."""
    code = normalise(code)
    if not secret or not CODE_RE.match(code):
        return None
    now = now or datetime.now(UTC)
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    totp = pyotp.TOTP(secret, interval=STEP_SECONDS)
    current = totp.timecode(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def qr_svg(uri: str, title: str) -> str:
    """The link as an SVG QR code, drawn on the server (no JavaScript), titled for screen readers."""
    svg = segno.make(uri, error="m").svg_inline(scale=5, border=4, title=title, omitsize=False)
    return svg.replace("<svg ", '<svg role="img" ', 1)
