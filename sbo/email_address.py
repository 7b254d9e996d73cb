"""One e-mail address check for every form that takes an address: the shape (email-validator,
no DNS lookup), and nothing that a mail header could read as something else.

An address such as `=?utf-8?q?ceo=40evil.example?=@example.org` is valid by RFC 5322 (`=` and
`?` are allowed in the local part), but a mail client decodes it as the RFC 2047 encoded-word
`ceo@evil.example`, so the To: line of our own mail would name another address. CR and LF would
start a new header line. Such addresses are refused at input, with a message at the field.

Case: an address is compared in one form, `normalise_email` (stripped, lower case; the same as
SQL `lower(column)` on a stored, stripped address). What is stored keeps what the domain keeps
today: enrolments, interest registrations and staff accounts store that lower-case form (the
enrolment forms first put a valid address in email-validator's normal form, `typed_email`);
comments store the address as typed, and are looked up by `lower(author_email)`."""
from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from wtforms.validators import ValidationError

EMAIL_MESSAGE = "Dit is geen geldig e-mailadres."
UNSAFE_MESSAGE = ("Dit e-mailadres kunnen we niet gebruiken: het bevat de tekens “=?” of een "
                  "regelovergang. Controleer het adres en probeer het opnieuw.")


def is_unsafe(value: str) -> bool:
    """An encoded-word opener, or any control character (CR, LF, tab, NUL …)."""
    return "=?" in value or any(ord(char) < 32 or ord(char) == 127 for char in value)


def normalise_email(value: str) -> str:
    """The form every domain compares an address in: surrounding spaces off, lower case
    (" Mila@Example.org " → "mila@example.org")."""
    return value.strip().lower()


def typed_email(value: str | None) -> str | None:
    """WTForms filter of an e-mail field whose address is stored normalised: a valid address in
    email-validator's normal form (no DNS), then `normalise_email`. Input the validator refuses
    is returned stripped, as typed, for the validator to report."""
    if not value:
        return value
    value = value.strip()
    if is_unsafe(value):
        return value
    try:
        return normalise_email(validate_email(value, check_deliverability=False).normalized)
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
