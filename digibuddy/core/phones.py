"""Phone numbers, parsed and checked with Google's libphonenumber data (the `phonenumbers` package):
stored in E.164 (+32470123456), Belgium as the region of numbers typed without a country code, shown in
the national format a Belgian reader expects (0470 12 34 56) or, for a foreign number, internationally."""

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat, PhoneNumberType

DEFAULT_REGION = "BE"
SMS_TYPES = frozenset({PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE})


class InvalidPhone(ValueError):
    """The text is not a phone number that can exist."""


def _parse(value: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(value, DEFAULT_REGION)
    except NumberParseException:
        return None


def normalise_phone(typed: str | None) -> str | None:
    """'0470 12 34 56', '0032 470/12.34.56' and '+32470123456' all become '+32470123456'; empty is None.
    Raises InvalidPhone for a number that cannot exist."""
    value = (typed or "").strip()
    if not value:
        return None
    number = _parse(value)
    if number is None or not phonenumbers.is_valid_number(number):
        raise InvalidPhone(value)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def stored_phone(value: str | None) -> str | None:
    """How a number is stored: E.164 when it is a valid number, else the text as it was (old data)."""
    try:
        return normalise_phone(value)
    except InvalidPhone:
        return value.strip() or None


def display_phone(stored: str | None) -> str:
    """The stored number as people write it: national for Belgian numbers, international otherwise.
    Text that is not a number (old data typed by hand) is shown as it is."""
    if not stored:
        return ""
    number = _parse(stored)
    if number is None or not phonenumbers.is_valid_number(number):
        return stored
    region = phonenumbers.region_code_for_number(number)
    fmt = PhoneNumberFormat.NATIONAL if region == DEFAULT_REGION else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, fmt)


def dial_uri(stored: str | None) -> str:
    """A tel: link that works from any phone."""
    if not stored:
        return ""
    number = _parse(stored)
    if number is None:
        return ""
    return "tel:" + phonenumbers.format_number(number, PhoneNumberFormat.E164)


def can_receive_sms(stored: str | None) -> bool:
    """A mobile number (a Belgian landline cannot receive an SMS)."""
    number = _parse(stored or "")
    return number is not None and phonenumbers.number_type(number) in SMS_TYPES
