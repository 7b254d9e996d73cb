"""Forms of the in-company queue: the request's status and owner, and a note."""
from __future__ import annotations

from wtforms import SelectField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, ValidationError

from ..forms import SiteForm
from ..incompany.models import RequestStatus

NOTE_MAX = 5000


class RequestUpdateForm(SiteForm):
    status = SelectField("Status", choices=[SelectChoice(s.value, s.label) for s in RequestStatus],
                         validators=[InputRequired("Kies een status.")],
                         invalid_choice_message="Kies een status uit de lijst.")
    owner = SelectField("Behandelaar", choices=[], validate_choice=True,
                        invalid_choice_message="Kies een behandelaar uit de lijst.")

    def __init__(self, *args, owners: list[tuple[int, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.owner.choices = [SelectChoice("", "Niemand")] + [SelectChoice(str(id_), name) for id_, name in owners]

    @property
    def owner_id(self) -> int | None:
        return int(self.owner.data) if self.owner.data else None


class RequestNoteForm(SiteForm):
    body = TextAreaField("Notitie", validators=[
        InputRequired("Vul de notitie in."),
        Length(max=NOTE_MAX, message=f"De notitie is te lang (maximaal {NOTE_MAX} tekens).")],
        render_kw={"rows": 4})

    def validate_body(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Vul de notitie in.")
