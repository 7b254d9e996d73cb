"""Managing contact persons (editor and up): the list, a new one, changing one (with a photo),
deleting one. Which offering names whom is chosen on the offering's own form."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user

from ..audit import history
from ..catalogue.contacts import (ContactData, PhotoRejected, check_photo, contact_or_404,
                                  contacts_with_offering_counts, create_contact, delete_contact,
                                  update_contact)
from ..extensions import db
from ..filters import counted
from .access import bp, staff_required
from .contact_forms import ContactForm
from .models import Role


def _data(form: ContactForm) -> ContactData:
    return ContactData(name=form.name.data, role=form.role.data or "", email=form.email.data or "",
                       phone=form.phone.data or "")


def _photo(form: ContactForm) -> bytes | None:
    """The uploaded photo, checked (PhotoRejected), or None when none was chosen."""
    storage = form.photo.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    # one byte more than allowed: enough to know it is too big, never the whole upload
    data = storage.stream.read(int(current_app.config["CONTACT_PHOTO_MAX_BYTES"]) + 1)
    check_photo(data)
    return data


def _save(form: ContactForm, contact=None):
    """Validate, store and commit; the contact, or None with the errors on the form."""
    if not form.validate_on_submit():
        return None
    try:
        photo = _photo(form)
        if contact is None:
            contact = create_contact(_data(form), photo, actor=current_user)
        else:
            update_contact(contact, _data(form), photo, remove_photo=form.remove_photo.data, actor=current_user)
    except PhotoRejected as error:
        db.session.rollback()
        form.photo.errors = [error.message]
        return None
    db.session.commit()
    return contact


def _form_page(form: ContactForm, contact, status: int, **context):
    max_mb = f"{int(current_app.config['CONTACT_PHOTO_MAX_BYTES']) / 1_000_000:g}".replace(".", ",")
    return render_template("staff/contact_form.html", form=form, contact=contact, max_mb=max_mb,
                           **context), status


@bp.get("/contactpersonen")
@staff_required(Role.EDITOR)
def contacts():
    return render_template("staff/contacts.html", rows=contacts_with_offering_counts())


@bp.route("/contactpersonen/nieuw", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def contact_new():
    form = ContactForm()
    contact = _save(form)
    if contact:
        flash(f"De contactpersoon ‘{contact.name}’ is aangemaakt.", "success")
        return redirect(url_for("staff.contacts"))
    return _form_page(form, None, 422 if request.method == "POST" else 200)


@bp.route("/contactpersonen/<int:contact_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def contact_edit(contact_id: int):
    contact = contact_or_404(contact_id)
    form = ContactForm(obj=contact)
    if _save(form, contact):
        flash("De contactpersoon is bijgewerkt.", "success")
        return redirect(url_for("staff.contacts"))
    return _form_page(form, contact, 422 if request.method == "POST" else 200,
                      entries=history(("contact_person", [contact.id])))


@bp.post("/contactpersonen/<int:contact_id>/verwijderen")
@staff_required(Role.EDITOR)
def contact_delete(contact_id: int):
    contact = contact_or_404(contact_id)
    name = contact.name
    offerings = delete_contact(contact, actor=current_user)
    db.session.commit()
    flash(f"De contactpersoon ‘{name}’ is verwijderd."
          + (f" {counted(offerings, 'aanbod', 'aanbod')} heeft nu geen contactpersoon." if offerings else ""),
          "success")
    return redirect(url_for("staff.contacts"))
