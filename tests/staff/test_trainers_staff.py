"""Trainers from /beheer/trainers (create with a photo, bad input, permissions, audit, delete)
and the programme of an offering from /beheer/aanbod/<id>/programma (add, change, move,
remove items; choose the offering's trainers)."""
from __future__ import annotations

import io
import re
from datetime import time

from PIL import Image
from sqlalchemy import select

from sbo.catalogue.models import Offering, ProgrammeItem, Trainer
from sbo.catalogue.trainers import photo_folder
from sbo.extensions import db
from tests.factories import make_item, make_offering, make_trainer
from tests.helpers import csrf_from
from tests.staff.helpers import audit_actions

FORM = {"name": "Marieke van Doorn", "slug": "", "role": "adviseur openbare orde",
        "bio": "Marieke werkt al vijftien jaar in het veiligheidsdomein."}


def png(size=(40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (18, 53, 91)).save(buffer, "PNG")
    return buffer.getvalue()


def post_multipart(client, url, data, photo=None):
    token = csrf_from(client.get(url).get_data(as_text=True))
    payload = {"csrf_token": token, **data}
    if photo is not None:
        payload["photo"] = (io.BytesIO(photo[1]), photo[0])
    return client.post(url, data=payload, content_type="multipart/form-data")


def _trainers(app) -> list[Trainer]:
    with app.app_context():
        trainers = db.session.scalars(select(Trainer).order_by(Trainer.id)).all()
        db.session.expunge_all()
        return trainers


def test_create_a_trainer_with_a_photo(app, logged_in):
    client, _ = logged_in("editor")
    response = post_multipart(client, "/beheer/trainers/nieuw", FORM, photo=("portret.png", png()))
    assert response.status_code == 302 and response.location == "/beheer/trainers"
    [trainer] = _trainers(app)
    assert (trainer.slug, trainer.name, trainer.role) == ("marieke-van-doorn", "Marieke van Doorn",
                                                         "adviseur openbare orde")
    assert trainer.photo_name.endswith(".png")
    with app.app_context():
        assert (photo_folder() / trainer.photo_name).read_bytes() == png()
    photo = client.get("/trainers/marieke-van-doorn/foto")
    assert photo.status_code == 200 and photo.mimetype == "image/png"
    assert photo.headers["X-Content-Type-Options"] == "nosniff"
    assert "Marieke van Doorn" in client.get("/beheer/trainers").get_data(as_text=True)
    assert audit_actions(app, "trainer", trainer.id) == ["trainer.created", "trainer.updated"]


def test_bad_input_and_a_bad_photo_store_nothing(app, logged_in):
    client, _ = logged_in("editor")
    cases = [({"name": ""}, None, "Vul de naam in."),
             ({"name": "x" * 201}, None, "De naam mag hoogstens 200 tekens hebben."),
             ({"slug": "Niet Goed"}, None, "Gebruik alleen kleine letters"),
             ({}, ("foto.jpg", b"<html>geen foto</html>"), "Dit bestand is geen foto"),
             ({}, ("foto.gif", b"GIF89a"), "Kies een foto als JPG-, PNG- of WEBP-bestand."),
             ({}, ("foto.jpg", png()), "De inhoud van dit bestand past niet bij de extensie .jpg.")]
    for change, photo, message in cases:
        response = post_multipart(client, "/beheer/trainers/nieuw", {**FORM, **change}, photo=photo)
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), message
    assert _trainers(app) == []
    assert not photo_folder_files(app)


def photo_folder_files(app) -> list:
    with app.app_context():
        folder = photo_folder()
        return list(folder.iterdir()) if folder.exists() else []


def test_a_taken_slug_is_a_message_at_the_field(app, logged_in, setup_data):
    with setup_data():
        make_trainer(slug="erik-zwart", name="Erik Zwart")
    client, _ = logged_in("editor")
    response = post_multipart(client, "/beheer/trainers/nieuw", {**FORM, "slug": "erik-zwart"},
                              photo=("p.png", png()))
    assert response.status_code == 422 and "Dit webadres is al in gebruik." in response.get_data(as_text=True)
    assert len(_trainers(app)) == 1 and not photo_folder_files(app)


def test_edit_replace_the_photo_and_delete(app, logged_in, setup_data):
    with setup_data():
        offering = make_offering(slug="bibob")
        trainer = make_trainer([offering], name="Erik Zwart", slug="erik-zwart")
        make_item(offering, "De wet", trainers=[trainer])
    client, _ = logged_in("editor")
    url = f"/beheer/trainers/{trainer.id}"
    assert 'value="Erik Zwart"' in client.get(url).get_data(as_text=True)
    assert post_multipart(client, url, {**FORM, "name": "Erik Zwart", "slug": "erik-zwart"},
                          photo=("a.png", png())).status_code == 302
    first = _trainers(app)[0].photo_name
    assert post_multipart(client, url, {**FORM, "name": "Erik Zwart", "slug": "erik-zwart"},
                          photo=("b.png", png((50, 50)))).status_code == 302
    [edited] = _trainers(app)
    assert edited.photo_name != first and edited.role == "adviseur openbare orde"
    assert [p.name for p in photo_folder_files(app)] == [edited.photo_name]  # the old one is gone
    page = client.get(url).get_data(as_text=True)
    assert "gewijzigd: functie, biografie" in page and "gewijzigd: foto" in page
    response = client.post(f"{url}/verwijderen", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 302
    assert _trainers(app) == [] and photo_folder_files(app) == []
    with app.app_context():
        offering = db.session.scalar(select(Offering).where(Offering.slug == "bibob"))
        assert offering.trainers == [] and offering.programme_items[0].trainers == []
    assert audit_actions(app, "trainer", trainer.id)[-1] == "trainer.deleted"


def test_trainer_screens_are_for_editors_and_need_csrf(app, logged_in, client, setup_data):
    with setup_data():
        trainer_id = make_trainer().id
        offering_id = make_offering().id
    urls = ["/beheer/trainers", "/beheer/trainers/nieuw", f"/beheer/trainers/{trainer_id}",
            f"/beheer/aanbod/{offering_id}/programma"]
    for url in urls:
        assert client.get(url).status_code == 302  # to the login page
    moderator, _ = logged_in("moderator")
    for url in urls:
        assert moderator.get(url).status_code == 403
    editor, _ = logged_in("editor")
    for url in urls:
        assert editor.get(url).status_code == 200
    assert editor.post(f"/beheer/trainers/{trainer_id}/verwijderen").status_code == 400  # no CSRF token
    assert editor.get("/beheer/trainers/999999").status_code == 404
    assert len(_trainers(app)) == 1
    assert 'href="/beheer/trainers"' in editor.get("/beheer/").get_data(as_text=True)


def _items(app, offering_id: int) -> list[tuple]:
    with app.app_context():
        return [(i.day, i.position, i.title, i.start_time, [t.name for t in i.trainers]) for i in db.session.scalars(
            select(ProgrammeItem).where(ProgrammeItem.offering_id == offering_id)
            .order_by(ProgrammeItem.day, ProgrammeItem.position))]


def test_add_change_move_and_remove_programme_items(app, logged_in, post_form, setup_data):
    with setup_data():
        offering = make_offering(title="Bibob")
        zwart = make_trainer(name="Erik Zwart")
    client, _ = logged_in("editor")
    url = f"/beheer/aanbod/{offering.id}/programma"
    item = {"day": "1", "start_time": "09:30", "end_time": "10:30", "title": "De wet", "description": "",
            "trainers": str(zwart.id)}
    assert post_form(client, url, item).status_code == 302
    assert post_form(client, url, {**item, "title": "Het advies", "start_time": "", "end_time": "",
                                   "trainers": []}).status_code == 302
    assert post_form(client, url, {**item, "day": "2", "title": "De praktijk", "trainers": []}).status_code == 302
    assert _items(app, offering.id) == [(1, 1, "De wet", time(9, 30), ["Erik Zwart"]),
                                        (1, 2, "Het advies", None, []), (2, 1, "De praktijk", time(9, 30), [])]
    with app.app_context():  # who leads an item teaches the offering
        assert [t.name for t in db.session.get(Offering, offering.id).trainers] == ["Erik Zwart"]
        ids = {i.title: i.id for i in db.session.scalars(select(ProgrammeItem))}
    page = client.get(url).get_data(as_text=True)
    assert "Dag 1" in page and "Dag 2" in page and "09:30–10:30" in page
    token = csrf_from(page)
    move = client.post(f"/beheer/programma/{ids['Het advies']}/verplaatsen",
                       data={"csrf_token": token, "richting": "omhoog"})
    assert move.status_code == 302
    assert [i[2] for i in _items(app, offering.id)] == ["Het advies", "De wet", "De praktijk"]
    edit = post_form(client, f"/beheer/programma/{ids['De praktijk']}",
                     {**item, "day": "1", "title": "De praktijk", "trainers": []})
    assert edit.status_code == 302
    assert [i[:3] for i in _items(app, offering.id)][-1] == (1, 3, "De praktijk")  # the end of day 1
    remove = client.post(f"/beheer/programma/{ids['De wet']}/verwijderen", data={"csrf_token": token})
    assert remove.status_code == 302
    assert [i[2] for i in _items(app, offering.id)] == ["Het advies", "De praktijk"]
    assert audit_actions(app, "offering", offering.id) == [
        "programme.item_added", "programme.item_added", "programme.item_added", "programme.item_moved",
        "programme.item_changed", "programme.item_removed"]


def test_bad_programme_items_store_nothing(app, logged_in, post_form, setup_data):
    with setup_data():
        offering_id = make_offering().id
    client, _ = logged_in("editor")
    url = f"/beheer/aanbod/{offering_id}/programma"
    base = {"day": "1", "start_time": "", "end_time": "", "title": "De wet", "description": ""}
    cases = [({"title": " "}, "Vul de titel van het onderdeel in."),
             ({"day": "0"}, "Kies een dag van 1 tot en met 60."),
             ({"day": "twee"}, "Vul een heel getal in"),
             ({"start_time": "9 uur"}, "Vul een tijd in als uu:mm"),
             ({"start_time": "11:00", "end_time": "10:00"}, "De eindtijd moet na de begintijd liggen."),
             ({"end_time": "10:00"}, "Vul ook een begintijd in"),
             ({"trainers": "999999"}, "Kies trainers uit de lijst."),
             ({"trainers": "abc"}, "Kies trainers uit de lijst.")]
    for change, message in cases:
        response = post_form(client, url, {**base, **change})
        assert response.status_code == 422, change
        assert message in response.get_data(as_text=True), message
    assert _items(app, offering_id) == []


def test_choose_the_trainers_of_an_offering(app, logged_in, setup_data):
    with setup_data():
        offering_id = make_offering().id
        a, b = make_trainer(name="Anouk Verbeek").id, make_trainer(name="Bas Vermeulen").id
    client, _ = logged_in("editor")
    page = client.get(f"/beheer/aanbod/{offering_id}/programma").get_data(as_text=True)
    token = re.search(r'name="team-csrf_token"[^>]*value="([^"]+)"', page).group(1)
    url = f"/beheer/aanbod/{offering_id}/programma/trainers"
    response = client.post(url, data={"team-csrf_token": token, "team-trainers": [str(a), str(b)]})
    assert response.status_code == 302
    with app.app_context():
        assert [t.name for t in db.session.get(Offering, offering_id).trainers] == ["Anouk Verbeek", "Bas Vermeulen"]
    bad = client.post(url, data={"team-csrf_token": token, "team-trainers": ["999999"]})
    assert bad.status_code == 422 and "Kies trainers uit de lijst." in bad.get_data(as_text=True)
    client.post(url, data={"team-csrf_token": token, "team-trainers": [str(b)]})
    with app.app_context():
        assert [t.name for t in db.session.get(Offering, offering_id).trainers] == ["Bas Vermeulen"]
    assert audit_actions(app, "offering", offering_id) == ["offering.trainers_changed"] * 2
