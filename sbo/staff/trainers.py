"""Trainers and the programme of an offering (editor and up): the trainer list, a new trainer,
changing one (with a photo), removing one; per offering the programme items per day (add,
change, move, remove) and which trainers teach it."""
from __future__ import annotations

from pathlib import Path

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from ..audit import history
from ..catalogue import queries as catalogue
from ..catalogue.programme import ItemData, add_item, delete_item, item_or_404, move_item, update_item
from ..catalogue.trainers import (PhotoRejected, Trainer, TrainerData, create_trainer, delete_trainer,
                                  photo_path, remove_photo, set_offering_trainers, set_photo, trainer_or_404,
                                  trainers_by_name, trainers_with_offering_counts, update_trainer)
from ..extensions import db
from ..slugs import SlugTaken
from .access import bp, staff_required
from .models import Role
from .saving import SLUG_TAKEN
from .trainer_forms import ItemForm, OfferingTrainersForm, TrainerForm


@bp.get("/trainers")
@staff_required(Role.EDITOR)
def trainers():
    return render_template("staff/trainers.html", rows=trainers_with_offering_counts())


def _save_trainer(form: TrainerForm, trainer: Trainer | None) -> Trainer | None:
    """Create or change the trainer and store an uploaded photo, in one transaction. A taken
    slug or a rejected photo rolls everything back and becomes the message at its field."""
    data = TrainerData(name=form.name.data, role=form.role.data or "", bio=form.bio.data or "",
                       slug=form.slug.data or "")
    upload = form.photo.data if getattr(form.photo.data, "filename", "") else None
    written: Path | None = None
    old: Path | None = None
    try:
        if trainer is None:
            trainer = create_trainer(data, actor=current_user)
        else:
            update_trainer(trainer, data, actor=current_user)
        if upload is not None:
            limit = int(current_app.config["TRAINER_PHOTO_MAX_BYTES"])
            old = set_photo(trainer, upload.filename, upload.stream.read(limit + 1), actor=current_user)
            written = photo_path(trainer)
        db.session.commit()
    except PhotoRejected as error:
        db.session.rollback()
        form.photo.errors = [error.message]
        return None
    except (SlugTaken, IntegrityError):
        db.session.rollback()
        _unlink(written)
        form.slug.errors.append(SLUG_TAKEN)
        return None
    except Exception:
        db.session.rollback()
        _unlink(written)
        raise
    _unlink(old)
    return trainer


def _unlink(path: Path | None) -> None:
    if path is not None:
        path.unlink(missing_ok=True)


@bp.route("/trainers/nieuw", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def trainer_new():
    form = TrainerForm()
    if form.validate_on_submit():
        trainer = _save_trainer(form, None)
        if trainer:
            flash(f"De trainer ‘{trainer.name}’ is aangemaakt.", "success")
            return redirect(url_for("staff.trainers"))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/trainer_form.html", form=form, trainer=None), status


@bp.route("/trainers/<int:trainer_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def trainer_edit(trainer_id: int):
    trainer = trainer_or_404(trainer_id)
    form = TrainerForm(obj=trainer)
    if form.validate_on_submit() and _save_trainer(form, trainer):
        flash("De trainer is bijgewerkt.", "success")
        return redirect(url_for("staff.trainer_edit", trainer_id=trainer.id))
    status = 422 if request.method == "POST" else 200
    return render_template("staff/trainer_form.html", form=form, trainer=trainer,
                           entries=history(("trainer", [trainer.id]))), status


@bp.post("/trainers/<int:trainer_id>/foto-verwijderen")
@staff_required(Role.EDITOR)
def trainer_photo_remove(trainer_id: int):
    trainer = trainer_or_404(trainer_id)
    old = remove_photo(trainer, actor=current_user)
    db.session.commit()
    _unlink(old)
    flash("De foto is verwijderd.", "success")
    return redirect(url_for("staff.trainer_edit", trainer_id=trainer.id))


@bp.post("/trainers/<int:trainer_id>/verwijderen")
@staff_required(Role.EDITOR)
def trainer_delete(trainer_id: int):
    trainer = trainer_or_404(trainer_id)
    name = trainer.name
    old = delete_trainer(trainer, actor=current_user)
    db.session.commit()
    _unlink(old)
    flash(f"De trainer ‘{name}’ is verwijderd, ook uit het programma.", "success")
    return redirect(url_for("staff.trainers"))


# == the programme of an offering ==
def _trainer_choices(*forms) -> None:
    choices = [SelectChoice(t.id, t.name) for t in trainers_by_name()]
    for form in forms:
        form.trainers.choices = choices


def _item_data(form: ItemForm) -> ItemData:
    return ItemData(day=form.day.data, title=form.title.data, start_time=form.start_time.data,
                    end_time=form.end_time.data, description=form.description.data or "",
                    trainer_ids=tuple(form.trainers.data or ()))


def _programme_page(offering, item_form: ItemForm, trainers_form: OfferingTrainersForm, status: int = 200):
    return render_template("staff/programme.html", offering=offering, form=item_form,
                           trainers_form=trainers_form), status


@bp.get("/aanbod/<int:offering_id>/programma")
@staff_required(Role.EDITOR)
def programme(offering_id: int):
    offering = catalogue.offering_or_404(offering_id)
    form, trainers_form = ItemForm(formdata=None), OfferingTrainersForm(prefix="team", formdata=None)
    _trainer_choices(form, trainers_form)
    trainers_form.trainers.data = [t.id for t in offering.trainers]
    days = [item.day for item in offering.programme_items]
    form.day.data = max(days, default=1)
    return _programme_page(offering, form, trainers_form)


@bp.post("/aanbod/<int:offering_id>/programma")
@staff_required(Role.EDITOR)
def programme_add(offering_id: int):
    offering = catalogue.offering_or_404(offering_id)
    form, trainers_form = ItemForm(), OfferingTrainersForm(prefix="team", formdata=None)
    _trainer_choices(form, trainers_form)
    if form.validate_on_submit():
        add_item(offering, _item_data(form), actor=current_user)
        db.session.commit()
        flash(f"‘{form.title.data}’ staat in het programma van dag {form.day.data}.", "success")
        return redirect(url_for("staff.programme", offering_id=offering.id) + "#programma")
    trainers_form.trainers.data = [t.id for t in offering.trainers]
    return _programme_page(offering, form, trainers_form, 422)


@bp.post("/aanbod/<int:offering_id>/programma/trainers")
@staff_required(Role.EDITOR)
def programme_trainers(offering_id: int):
    offering = catalogue.offering_or_404(offering_id)
    form, trainers_form = ItemForm(formdata=None), OfferingTrainersForm(prefix="team")
    _trainer_choices(form, trainers_form)
    if trainers_form.validate_on_submit():
        changed = set_offering_trainers(offering, trainers_form.trainers.data or [], actor=current_user)
        db.session.commit()
        flash("De trainers zijn opgeslagen." if changed else "Er was niets gewijzigd.", "success")
        return redirect(url_for("staff.programme", offering_id=offering.id))
    return _programme_page(offering, form, trainers_form, 422)


@bp.route("/programma/<int:item_id>", methods=["GET", "POST"])
@staff_required(Role.EDITOR)
def programme_item(item_id: int):
    item = item_or_404(item_id)
    form = ItemForm(obj=item)
    _trainer_choices(form)
    if request.method == "GET":
        form.trainers.data = [t.id for t in item.trainers]
    if form.validate_on_submit():
        update_item(item, _item_data(form), actor=current_user)
        db.session.commit()
        flash("Het onderdeel is bijgewerkt.", "success")
        return redirect(url_for("staff.programme", offering_id=item.offering_id) + "#programma")
    status = 422 if request.method == "POST" else 200
    return render_template("staff/programme_item.html", form=form, item=item, offering=item.offering), status


@bp.post("/programma/<int:item_id>/verplaatsen")
@staff_required(Role.EDITOR)
def programme_item_move(item_id: int):
    item = item_or_404(item_id)
    move_item(item, up=request.form.get("richting") == "omhoog", actor=current_user)
    db.session.commit()
    return redirect(url_for("staff.programme", offering_id=item.offering_id) + f"#onderdeel-{item.id}")


@bp.post("/programma/<int:item_id>/verwijderen")
@staff_required(Role.EDITOR)
def programme_item_delete(item_id: int):
    item = item_or_404(item_id)
    offering_id, title = item.offering_id, item.title
    delete_item(item, actor=current_user)
    db.session.commit()
    flash(f"‘{title}’ is uit het programma verwijderd.", "success")
    return redirect(url_for("staff.programme", offering_id=offering_id) + "#programma")
