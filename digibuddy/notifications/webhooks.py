"""What the SMS provider calls back: delivery reports (/sms/status) and residents' replies (/sms/inbound).

Both are signed by Twilio (X-Twilio-Signature, an HMAC of the URL and the posted fields with the auth
token); an unsigned or wrongly signed call is refused with 403 and changes nothing. The URL that was
signed is the public one (PUBLIC_BASE_URL), not the one the app sees behind the reverse proxy."""

import logging

from flask import Blueprint, Response, abort, current_app, request

from ..extensions import csrf
from .delivery import record_delivery_report

log = logging.getLogger("digibuddy.sms")
bp = Blueprint("sms", __name__, url_prefix="/sms")
REPLY_HANDLER = "digibuddy.sms_reply_handler"
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def _verified() -> None:
    from twilio.request_validator import RequestValidator

    token = current_app.config.get("TWILIO_AUTH_TOKEN")
    signature = request.headers.get("X-Twilio-Signature", "")
    base = (current_app.config.get("PUBLIC_BASE_URL") or request.url_root).rstrip("/")
    url = base + request.full_path.rstrip("?")
    if not token or not signature or not RequestValidator(token).validate(url, request.form, signature):
        log.warning("Refused an SMS callback to %s with a missing or wrong signature", request.path)
        abort(403)


@bp.route("/status", methods=["POST"])
@csrf.exempt
def status():
    _verified()
    provider_ref = request.form.get("MessageSid") or request.form.get("SmsSid")
    if provider_ref:
        record_delivery_report(
            provider_ref, request.form.get("MessageStatus", ""), request.form.get("ErrorCode") or None
        )
    return Response(status=204)


@bp.route("/inbound", methods=["POST"])
@csrf.exempt
def inbound():
    _verified()
    sender, text = request.form.get("From", ""), request.form.get("Body", "")
    handler = current_app.extensions.get(REPLY_HANDLER)
    if handler is not None and sender:
        handler(sender, text)
    return Response(EMPTY_TWIML, mimetype="text/xml")
