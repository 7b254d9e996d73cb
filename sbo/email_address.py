"""One e-mail address check for every form that takes an address: the shape (email-validator,
no DNS lookup), and nothing that a mail header could read as something else.

An address such as `=?utf-8?q?ceo=40evil.example?=@example.org` is valid by RFC 5322 (`=` and
`?` are allowed in the local part), but a mail client decodes it as the RFC 2047 encoded-word
`ceo@evil.example`, so the To: line of our own mail would name another address. CR and LF would
start a new header line. Such addresses are refused at input, with a message at the field."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from wtforms.validators import ValidationError

EMAIL_MESSAGE = "Dit is geen geldig e-mailadres."
UNSAFE_MESSAGE = ("Dit e-mailadres kunnen we niet gebruiken: het bevat de tekens “=?” of een "
                  "regelovergang. Controleer het adres en probeer het opnieuw.")


def is_unsafe(value: str) -> bool:
    """An encoded-word opener, or any control character (CR, LF, tab, NUL …)."""
    return "=?" in value or any(ord(char) < 32 or ord(char) == 127 for char in value)


def normalise_email(value: str | None) -> str | None:
    """email-validator's normal form (no DNS), in lower case so duplicates are found. Input it
    refuses is returned stripped, for the validator to report."""
    if not value:
        return value
    value = value.strip()
    if is_unsafe(value):
        return value
    try:
        return validate_email(value, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return value


class SafeEmail:
    """WTForms validator: a valid address without encoded-words or line breaks."""

    def __init__(self, message: str = EMAIL_MESSAGE, unsafe_message: str = UNSAFE_MESSAGE):
        self.message = message
        self.unsafe_message = unsafe_message
        self.field_flags = {}

    def __call__(self, form, field) -> None:
        value = field.data or ""
        if not value:
            return
        if is_unsafe(value):
            raise ValidationError(self.unsafe_message)
        try:
            validate_email(value, check_deliverability=False)
        except EmailNotValidError:
            raise ValidationError(self.message)
