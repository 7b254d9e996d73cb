"""Demo news: articles in our own words (facts from the seed page), with documents, related
offerings and articles, and a few comments. Idempotent: articles are keyed by slug.
Run after the catalogue demo, so the offerings named here can be linked (missing ones are skipped)."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select

from ..catalogue.models import Offering
from ..clock import is_working_day, to_local, to_utc
from ..clock import utcnow
from ..extensions import db
from .models import Article, Comment, CommentStatus
from .services import add_document, set_related_articles, set_related_offerings

REPORT_BODY = """\
Het kabinet heeft de Tweede Kamer de rapportage over de integrale aanpak van terrorisme gestuurd.
Die beschrijft wat de overheid van **juni 2022 tot 1 mei 2024** heeft gedaan om terrorisme tegen te gaan.

## Vier aandachtsgebieden

De rapportage volgt de indeling van de Nationale Contraterrorismestrategie:

1. **Verwerven** – inzicht krijgen in personen en netwerken van wie dreiging uitgaat;
2. **Voorkomen** – radicalisering en extremisme in een vroeg stadium keren;
3. **Voorbereiden** – zorgen dat overheid en partners klaarstaan als het toch misgaat;
4. **Vervolgen** – daders berechten en straffeloosheid tegengaan.

Samen vormen ze de *brede benadering*: preventie, repressie en nazorg in één aanpak.

## Dreiging nam toe

| Moment | Dreigingsniveau |
|---|---|
| Tot december 2023 | 3 – voorstelbaar |
| Vanaf december 2023 | 4 – substantieel |

In **december 2023** verhoogde de NCTV het dreigingsniveau naar 4, *substantieel*: er is een
reële kans op een aanslag in Nederland. Jihadistische dreiging vanuit het buitenland, online
radicalisering van jongeren en anti-institutioneel extremisme speelden daarbij een rol.

## Wat betekent dit voor gemeenten?

Gemeenten en lokale partners krijgen steun bij het herkennen van extremisme en bij de aanpak van
onrust in de wijk. Wie hier in de praktijk mee werkt, vindt hieronder opleidingen die aansluiten.
"""

DRUGS_BODY = """\
Steeds meer mensen zeggen last te hebben van drugsgebruik in hun eigen buurt. In **2023** gaven
ongeveer **490 duizend inwoners** van Nederland aan daar veel overlast van te ervaren.

## Waar gaat het om?

- rondhangende gebruikers bij portieken en speelplekken;
- achtergelaten spullen zoals lachgascilinders;
- dealen op straat en het gevoel van onveiligheid dat daarbij hoort.

## Aanpak in de wijk

Overlast vraagt om samenwerking tussen gemeente, politie, woningcorporatie en zorg. Een
wijkaanpak werkt het best als bewoners worden betrokken en hulp en handhaving samengaan.
"""

ARTICLES = [
    dict(slug="rapportage-integrale-aanpak-terrorisme-2024",
         title="Rapportage integrale aanpak terrorisme 2024 naar de Kamer",
         lead="De Tweede Kamer heeft de rapportage over de aanpak van terrorisme van juni 2022 tot 1 mei 2024 ontvangen. "
              "Vier aandachtsgebieden staan centraal: verwerven, voorkomen, voorbereiden en vervolgen.",
         body=REPORT_BODY, published=date(2024, 7, 4),
         offerings=["Beleidsmedewerker Openbare Orde en Veiligheid",
                    "Wet- en regelgeving in Openbare Orde en Veiligheid",
                    "Omgaan met maatschappelijke onrust, polarisatie & radicalisering",
                    "Adviseur Zorg en Veiligheid"]),
    dict(slug="overlast-drugsgebruik-in-woonbuurt-neemt-toe",
         title="Meer mensen ervaren overlast van drugsgebruik in hun buurt",
         lead="In 2023 zeiden zo'n 490 duizend inwoners van Nederland veel overlast te ervaren van drugsgebruik in hun woonbuurt.",
         body=DRUGS_BODY, published=datetime(2024, 6, 12, 10, 0),
         offerings=["Aanpak complexe woonoverlast", "Coördinator Evenementenveiligheid"]),
    dict(slug="bestuurlijke-aanpak-ondermijning-in-de-praktijk",
         title="Ondermijning bestuurlijk aanpakken: zo begin je",
         lead="Criminele geldstromen raken steeds vaker aan gewone bedrijven in de gemeente. Vijf stappen om als gemeente weerbaarder te worden.",
         body="Ondermijning is niet alleen een zaak van politie en justitie. Met de **Wet Bibob**, "
              "vergunningverlening en goed zicht op panden kan een gemeente veel voorkomen.\n\n"
              "## Vijf stappen\n\n1. Breng kwetsbare sectoren in beeld.\n2. Maak afspraken met ketenpartners.\n"
              "3. Gebruik de Wet Bibob bij vergunningen.\n4. Train medewerkers aan de balie.\n"
              "5. Deel signalen via het RIEC.\n",
         days_ago=6, offerings=["Bibob coördinator", "Bestuurlijke aanpak van ondermijning"]),
    dict(slug="jonge-aanwas-samen-optrekken",
         title="Jonge aanwas: school, jongerenwerk en politie trekken samen op",
         lead="Jongeren die de criminaliteit in rollen, vragen om een aanpak waarin partners elkaar snel weten te vinden.",
         body="Steeds jongere kinderen komen in aanraking met criminele netwerken. Een gezamenlijke aanpak "
              "begint bij *vroeg signaleren* op school en in de wijk.\n\nLees ook ons bericht over "
              "[overlast van drugsgebruik in woonbuurten](/nieuws/overlast-drugsgebruik-in-woonbuurt-neemt-toe).\n",
         days_ago=12, offerings=["Aanpak van jeugdcriminaliteit en jeugdgroepen"]),
    dict(slug="lessen-uit-het-festivalseizoen",
         title="Vijf lessen uit het festivalseizoen voor evenementenveiligheid",
         lead="Drukte, hitte en drugsgebruik: wat organisatoren en gemeenten dit jaar leerden.",
         body="Na een druk festivalseizoen zetten we de belangrijkste lessen op een rij.\n\n"
              "- Plan bezoekersstromen per uur, niet per dag.\n- Houd rekening met extreem weer.\n"
              "- Zorg voor duidelijke afspraken met zorgpartners.\n- Oefen het ontruimingsplan.\n"
              "- Evalueer binnen twee weken.\n",
         days_ago=20, offerings=["Coördinator Evenementenveiligheid"]),
    dict(slug="onbegrepen-gedrag-in-de-wijk",
         title="Personen met onbegrepen gedrag: wat werkt in de wijk?",
         lead="Wijkteams, politie en zorg zoeken samen naar een passende aanpak voor mensen met verward of onbegrepen gedrag.",
         body="Meldingen over onbegrepen gedrag nemen toe. Een goede aanpak combineert zorg en veiligheid "
              "en begint bij een vast aanspreekpunt in de wijk.\n",
         days_ago=30, offerings=["Personen met onbegrepen gedrag"]),
    dict(slug="programma-najaarscongres-bekend",
         title="Programma najaarscongres bekend",
         lead="Het programma van ons najaarscongres wordt binnenkort gepubliceerd.",
         body="Dit bericht staat ingepland en is nog niet openbaar.\n", days_ago=-7, offerings=[]),
]

COMMENTS = {
    "rapportage-integrale-aanpak-terrorisme-2024": [
        ("Marieke de Vries", "Helder overzicht. Fijn dat de rol van gemeenten bij anti-institutioneel extremisme expliciet wordt benoemd.", [
            ("Jeroen Bakker", "Eens. Bij ons loopt nu een pilot met het wijkteam; de kennisoverdracht helpt echt.", []),
        ]),
        ("Samira El Amrani", "Is er ook iets bekend over de extremismestrategie die in de rapportage wordt aangekondigd?", []),
    ],
    "overlast-drugsgebruik-in-woonbuurt-neemt-toe": [
        ("Peter Jansen", "Herkenbaar in onze wijk. Vooral de lachgascilinders zijn een probleem.", []),
    ],
    "bestuurlijke-aanpak-ondermijning-in-de-praktijk": [
        ("Linda Smit", "Stap 4 wordt vaak vergeten. Baliemedewerkers zien signalen als eerste.", [
            ("Tom Visser", "Bij ons hebben we daar een korte training voor ontwikkeld, dat werkte goed.", []),
        ]),
    ],
}


def publication_moment(day: date) -> datetime:
    """09:00 Dutch time (stored as UTC) on the day, or on the working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return to_utc(day, time(9, 0))


def _offerings(titles: list[str]) -> list[Offering]:
    found = []
    for title in titles:
        offering = db.session.scalar(select(Offering).where(func.lower(Offering.title) == title.lower()))
        if offering is not None:
            found.append(offering)
    return found


def _add_comments(article: Article, items, parent: Comment | None, when: datetime) -> int:
    created = 0
    for i, (name, body, replies) in enumerate(items):
        at = when + timedelta(hours=3 * (i + 1) + (parent.depth if parent else 0))
        email = name.lower().replace(" ", ".") + "@voorbeeld.nl"
        comment = Comment(article_id=article.id, parent_id=parent.id if parent else None,
                          thread_id=parent.thread_id if parent else None,
                          depth=parent.depth + 1 if parent else 1, author_name=name,
                          author_email=email, body=body, status=CommentStatus.APPROVED,
                          approval_mailed=True, created_at=at, approved_at=at, status_changed_at=at)
        db.session.add(comment)
        db.session.flush()
        comment.thread_id = comment.thread_id or comment.id
        created += 1 + _add_comments(article, replies, comment, at)
    return created


def _demo_pdf(title: str) -> bytes:
    text = title.encode("latin-1", "replace")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for n, obj in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


def seed(now: datetime | None = None) -> int:
    """Create the demo articles that do not exist yet. Returns the number of new records."""
    now = now or utcnow()
    created = 0
    by_slug: dict[str, Article] = {}
    for spec in ARTICLES:
        article = db.session.scalar(select(Article).where(Article.slug == spec["slug"]))
        if article is not None:
            by_slug[spec["slug"]] = article
            continue
        published = publication_moment(spec.get("published")
                                       or to_local(now).date() - timedelta(days=spec["days_ago"]))
        offerings = _offerings(spec["offerings"])
        article = Article(slug=spec["slug"], title=spec["title"], lead=spec["lead"], body=spec["body"],
                          published_at=published, created_at=published, updated_at=published)
        article.themes = list({t.id: t for o in offerings for t in o.themes}.values())
        db.session.add(article)
        db.session.flush()
        set_related_offerings(article, offerings)
        created += 1
        by_slug[spec["slug"]] = article
        if article.slug == "rapportage-integrale-aanpak-terrorisme-2024":
            add_document(article, "Samenvatting rapportage integrale aanpak terrorisme",
                         data=_demo_pdf("Samenvatting rapportage integrale aanpak terrorisme (demo)"),
                         filename="samenvatting-rapportage-aanpak-terrorisme.pdf", file_type="PDF")
            created += 1
        created += _add_comments(article, COMMENTS.get(article.slug, []), None, published)
        if article.slug == "bestuurlijke-aanpak-ondermijning-in-de-praktijk":
            db.session.add(Comment(
                article_id=article.id, depth=1, author_name="Anoniem", author_email="wacht@voorbeeld.nl",
                body="Zijn de slides van het congres ergens te vinden?", status=CommentStatus.PENDING,
                created_at=published + timedelta(days=1), status_changed_at=published + timedelta(days=1)))
            db.session.flush()
            pending = db.session.scalar(select(Comment).where(Comment.author_email == "wacht@voorbeeld.nl"))
            pending.thread_id = pending.id
            created += 1
    report = by_slug["rapportage-integrale-aanpak-terrorisme-2024"]
    drugs = by_slug["overlast-drugsgebruik-in-woonbuurt-neemt-toe"]
    if not report.related_links:
        set_related_articles(report, [drugs])
    if not drugs.related_links:
        set_related_articles(drugs, [report])
    db.session.flush()
    return created
