"""Demo trainers and programmes: the offerings' "Name – role" lines of demo_data.py become
trainer records with a short bio, and their programme lines items spread over the days of the
first edition, with times and a trainer each. All people are invented."""
from __future__ import annotations

import re
from datetime import datetime, time, timedelta

from sqlalchemy import select

from ..extensions import db
from ..slugs import slugify
from .programme import ProgrammeItem
from .trainers import Trainer

# A few bios written out; the others are put together from their role (BIO_LINES).
BIOS = {
    "Marieke van Doorn": "Marieke van Doorn werkt al vijftien jaar in het veiligheidsdomein, eerst bij de politie en nu "
                         "als adviseur openbare orde bij een middelgrote gemeente. Ze bereidt driehoeksoverleggen voor "
                         "en schreef mee aan twee integrale veiligheidsplannen.\n\nIn haar lessen draait het om de "
                         "vraag wat een burgemeester morgen moet besluiten, en hoe je dat helder op papier krijgt.",
    "Jeroen Hofstede": "Jeroen Hofstede was twintig jaar politieman, waarvan acht als teamchef in een stadswijk. Daarna "
                       "studeerde hij bestuurskunde en adviseert hij gemeenten over samenwerking tussen politie en "
                       "bestuur.\n\nHij neemt de deelnemers mee in de praktijk van crisisbeheersing: wie belt wie, "
                       "en wat moet er op tafel liggen als het misgaat.",
    "Bas Vermeulen": "Bas Vermeulen begeleidt als crowd safety manager festivals, sportevenementen en "
                     "koningsdagen. Hij rekent bezoekersstromen door en oefent met organisatoren wat te doen bij "
                     "onweer, drukte of een ontruiming.",
    "Jolanda Peters": "Jolanda Peters adviseert bij de veiligheidsregio gemeenten over vergunningaanvragen voor "
                      "evenementen. Ze kent de risicoanalyses van binnen en buiten en vertelt graag over wat "
                      "evaluaties van eerdere evenementen opleverden.",
    "mr. Erik Zwart": "Erik Zwart is jurist en adviseert sinds 2013 gemeenten en provincies over Bibob-onderzoeken. "
                      "Hij schreef beleidsregels voor horeca, vastgoed en subsidies en begeleidt bestuursorganen "
                      "bij lastige dossiers tot aan de rechter.",
}
BIO_LINES = (
    "{name} werkt als {role} en brengt voorbeelden uit de eigen praktijk mee naar de les.",
    "Als {role} ziet {first} dagelijks hoe beleid in de uitvoering uitpakt; dat is ook de rode draad van de lessen.",
    "{name} is {role}. Deelnemers waarderen de open manier van lesgeven en de ruimte voor eigen casussen.",
)
SEPARATOR = re.compile(r"\s+[–-]\s+")
DAY_START, DAY_MINUTES = time(9, 30), 7 * 60


def _bio(name: str, role: str) -> str:
    if name in BIOS:
        return BIOS[name]
    first = name.split()[-2] if name.split()[0].endswith(".") and len(name.split()) > 2 else name.split()[0]
    line = BIO_LINES[sum(map(ord, name)) % len(BIO_LINES)]
    return line.format(name=name, role=role or "trainer", first=first)


def trainers_for(lines: str, known: dict[str, Trainer]) -> list[Trainer]:
    """The trainers of "Name – role" lines: the existing records by slug, new ones for the rest."""
    found = []
    for line in filter(None, (line.strip() for line in lines.splitlines())):
        name, role = (SEPARATOR.split(line, maxsplit=1) + [""])[:2]
        slug = slugify(name, 120)
        if slug not in known:
            known[slug] = db.session.scalar(select(Trainer).where(Trainer.slug == slug)) or Trainer(
                slug=slug, name=name, role=role, bio=_bio(name, role))
        found.append(known[slug])
    return found


def _slots(count: int) -> list[tuple[time, time]]:
    """`count` equal slots of a teaching day from 09:30, rounded to quarters of an hour."""
    minutes = DAY_MINUTES // count // 15 * 15
    start = datetime.combine(datetime.min, DAY_START)
    return [((start + timedelta(minutes=minutes * n)).time(), (start + timedelta(minutes=minutes * (n + 1))).time())
            for n in range(count)]


def programme_for(lines: str, days: int, trainers: list[Trainer]) -> list[ProgrammeItem]:
    """The programme lines spread over `days` days in order, each day's items in time slots,
    led in turn by the trainers."""
    titles = [line.strip() for line in lines.splitlines() if line.strip()]
    days = max(1, min(days, len(titles)))
    per_day = [titles[len(titles) * d // days:len(titles) * (d + 1) // days] for d in range(days)]
    items = []
    for day, day_titles in enumerate(per_day, start=1):
        for position, (title, (start, end)) in enumerate(zip(day_titles, _slots(len(day_titles))), start=1):
            lead = [trainers[len(items) % len(trainers)]] if trainers else []
            items.append(ProgrammeItem(day=day, position=position, title=title, start_time=start, end_time=end,
                                       trainers=lead))
    return items
