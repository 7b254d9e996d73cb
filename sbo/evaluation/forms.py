"""The evaluation form: three scores 1–10, would you recommend it, an open remark."""
from __future__ import annotations

import re

from wtforms import RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from ..forms import SiteForm

SCALE = [SelectChoice(str(n), str(n)) for n in range(1, 11)]
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain_text(value: str | None) -> str:
    """The remark as typed, without control characters (it is escaped wherever it is shown)."""
    return CONTROL.sub("", value or "").replace("\r\n", "\n").strip()


def _score(label: str, missing: str) -> RadioField:
    return RadioField(label, choices=SCALE, coerce=int, validators=[InputRequired(missing)])


class EvaluationForm(SiteForm):
    overall = _score("Welk cijfer geef je de opleiding als geheel?", "Kies een cijfer voor de opleiding als geheel.")
    trainers = _score("Welk cijfer geef je de trainer(s)?", "Kies een cijfer voor de trainer(s).")
    content = _score("Welk cijfer geef je de inhoud?", "Kies een cijfer voor de inhoud.")
    recommend = RadioField("Zou je deze opleiding aanraden aan een collega?", choices=[SelectChoice("ja", "Ja"), SelectChoice("nee", "Nee")],
                           validators=[InputRequired("Kies ja of nee.")])
    remark = TextAreaField("Wil je nog iets kwijt?", filters=[plain_text],
                           validators=[Length(max=4000, message="Je opmerking is te lang (hooguit 4000 tekens).")],
                           render_kw={"rows": 5})
