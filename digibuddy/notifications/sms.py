"""SMS providers behind one small interface, chosen with SMS_BACKEND:

* `log` (default): writes each message to the application log (development, networks without a contract);
* `twilio`: sends through Twilio's REST API with its official package, asks Twilio to report delivery to
  /sms/status, and receives replies on /sms/inbound (see webhooks.py);
* `package.module:ClassName`: any other SmsBackend subclass.

A backend is built with the application's configuration and does one thing: hand over one message and
return the provider's id for it, or raise SmsError (the outbox retries later) or PermanentSmsError (the
number or the message can never be delivered; the outbox marks it failed at once)."""

import importlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping

from ..core.phones import stored_phone

log = logging.getLogger("digibuddy.sms")
TWILIO_API = "https://api.twilio.com"


class SmsError(Exception):
    """The provider could not take the message now; trying again later may work."""


class PermanentSmsError(SmsError):
    """The provider refused the message for good (an invalid number, a blocked recipient)."""


class SmsBackend(ABC):
    def __init__(self, config: Mapping | None = None):
        self.config = config or {}

    @abstractmethod
    def send(self, recipient: str, body: str, message_id: str) -> str | None:
        """Hand over one message; return the provider's id for it (None if the provider gives none)."""


class LogSmsBackend(SmsBackend):
    """Writes the SMS to the application log."""

    def send(self, recipient: str, body: str, message_id: str) -> str | None:
        log.info("SMS %s to %s: %s", message_id, recipient, body)
        return None


class TwilioSmsBackend(SmsBackend):
    """Twilio's Programmable Messaging. Settings: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, and the sender,
    TWILIO_FROM (a number that can receive replies) or TWILIO_MESSAGING_SERVICE_SID. TWILIO_API_URL points
    the client at another address (a test server)."""

    # Twilio answers these for a number or message that will never go through; anything else is retried.
    PERMANENT_STATUSES = frozenset({400, 404})

    def __init__(self, config: Mapping | None = None):
        super().__init__(config)
        from twilio.rest import Client

        sid, token = self.config.get("TWILIO_ACCOUNT_SID"), self.config.get("TWILIO_AUTH_TOKEN")
        if not (sid and token):
            raise SmsError("SMS_BACKEND=twilio needs TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN")
        self.client = Client(sid, token)
        self.client.api.base_url = (self.config.get("TWILIO_API_URL") or TWILIO_API).rstrip("/")

    def _sender(self) -> dict:
        service = self.config.get("TWILIO_MESSAGING_SERVICE_SID")
        if service:
            return {"messaging_service_sid": service}
        return {"from_": self.config.get("TWILIO_FROM")}

    def _status_callback(self) -> str | None:
        base = (self.config.get("PUBLIC_BASE_URL") or "").rstrip("/")
        return f"{base}/sms/status" if base else None

    def send(self, recipient: str, body: str, message_id: str) -> str | None:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        try:
            message = self.client.messages.create(
                to=stored_phone(recipient),
                body=body,
                status_callback=self._status_callback(),
                **self._sender(),
            )
        except TwilioRestException as error:
            text = f"Twilio {error.status} error {error.code}: {error.msg}"
            if error.status in self.PERMANENT_STATUSES:
                raise PermanentSmsError(text) from error
            raise SmsError(text) from error
        except (TwilioException, OSError) as error:  # connection refused, timeout, bad answer
            raise SmsError(f"{error.__class__.__name__}: {error}") from error
        return message.sid


BACKENDS = {"log": LogSmsBackend, "twilio": TwilioSmsBackend}


def backend_from_config(config: Mapping) -> SmsBackend:
    name = config.get("SMS_BACKEND") or "log"
    if name in BACKENDS:
        return BACKENDS[name](config)
    module_name, _, class_name = name.partition(":")
    return getattr(importlib.import_module(module_name), class_name)(config)
