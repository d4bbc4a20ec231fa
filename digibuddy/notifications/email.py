"""E-mail transports behind one small interface, chosen with MAIL_BACKEND: `smtp` (the default when a
MAIL_SERVER is configured, and always in production), `log` (development: the e-mail is written to the
log and stays readable on the development messages page), or package.module:ClassName."""

import logging
import smtplib
from abc import ABC, abstractmethod
from email.message import EmailMessage

from .backends import load_backend

log = logging.getLogger("digibuddy.email")


class EmailBackend(ABC):
    """What a transport implements: hand one e-mail over or raise (the outbox then retries it later)."""

    def __init__(self, config):
        self.config = config

    @abstractmethod
    def send(self, email: EmailMessage) -> None: ...


class SmtpEmailBackend(EmailBackend):
    def send(self, email: EmailMessage) -> None:
        config = self.config
        smtp_class = smtplib.SMTP_SSL if config.get("MAIL_USE_SSL") else smtplib.SMTP
        with smtp_class(
            config["MAIL_SERVER"], config["MAIL_PORT"], timeout=config.get("MAIL_TIMEOUT", 10)
        ) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
            smtp.send_message(email)


class LogEmailBackend(EmailBackend):
    """Writes the whole e-mail to the application log instead of sending it (development)."""

    def send(self, email: EmailMessage) -> None:
        log.info(
            "E-mail %s to %s: %s\n%s",
            email["Message-ID"],
            email["To"],
            email["Subject"],
            email.get_body(("plain",)).get_content() if email.is_multipart() else email.get_content(),
        )


def email_backend(config) -> EmailBackend:
    return load_backend(
        config.get("MAIL_BACKEND"), {"smtp": SmtpEmailBackend, "log": LogEmailBackend}, "smtp"
    )(config)
