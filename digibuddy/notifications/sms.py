"""SMS providers behind one small interface. The default backend writes each message to the log;
a real provider is plugged in with SMS_BACKEND=package.module:ClassName."""

import importlib
import logging
from abc import ABC, abstractmethod

log = logging.getLogger("digibuddy.sms")


class SmsBackend(ABC):
    """What a provider implements: deliver one message or raise (the outbox then retries it later)."""

    @abstractmethod
    def send(self, recipient: str, body: str, message_id: str) -> None: ...


class LogSmsBackend(SmsBackend):
    """Writes the SMS to the application log (development, and networks without an SMS contract)."""

    def send(self, recipient: str, body: str, message_id: str) -> None:
        log.info("SMS %s to %s: %s", message_id, recipient, body)


def backend_from_config(value: str | None) -> SmsBackend:
    if not value or value == "log":
        return LogSmsBackend()
    module_name, _, class_name = value.partition(":")
    return getattr(importlib.import_module(module_name), class_name)()
