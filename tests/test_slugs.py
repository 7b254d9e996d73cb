"""sbo.slugs: one way to make, de-duplicate and check the slug of an offering, a theme or an
article."""
from __future__ import annotations

import re

import pytest

from sbo.catalogue.models import Offering, Theme
from sbo.extensions import db
from sbo.news.models import Article
from sbo.slugs import SLUG_PATTERN, SlugTaken, check_slug, slugify, unique_slug
from tests.factories import make_article, make_offering, make_theme


@pytest.mark.parametrize("text, slug", [
    ("Crisiscommunicatie & Media (2027)", "crisiscommunicatie-media-2027"),
    ("  Één café — Zorg/Welzijn  ", "een-cafe-zorg-welzijn"),
    ("!!!", "item"),
    ("", "item"),
])
def test_slugify(text, slug):
    assert slugify(text) == slug
    assert re.fullmatch(SLUG_PATTERN, slug)


def test_slugify_cuts_at_the_length_without_a_trailing_dash():
    assert slugify("abc def ghi", max_length=4) == "abc"
    assert len(slugify("woord " * 100)) <= 160
    assert len(slugify("woord " * 100, 80)) <= 80


def test_the_pattern_refuses_what_slugify_never_makes():
    for bad in ("Hoofdletter", "twee--streepjes", "-begin", "eind-", "spatie er in", "é"):
        assert not re.fullmatch(SLUG_PATTERN, bad)


@pytest.mark.parametrize("model, make", [(Offering, make_offering), (Theme, make_theme),
                                         (Article, make_article)])
def test_unique_and_check_per_model(app_ctx, model, make):
    row = make(slug="crisis")
    db.session.flush()
    assert unique_slug(model, "crisis", 160) == "crisis-2"
    assert unique_slug(model, "crisis", 160, exclude_id=row.id) == "crisis"
    assert unique_slug(model, "anders", 160) == "anders"
    with pytest.raises(SlugTaken):
        check_slug(model, "crisis", None)
    check_slug(model, "crisis", row.id)  # its own slug is no conflict
    check_slug(model, "anders", None)


def test_unique_slug_counts_on_and_keeps_the_length(app_ctx):
    make_theme(slug="a" * 10)
    make_theme(slug="a" * 8 + "-2")
    db.session.flush()
    assert unique_slug(Theme, "a" * 10, 10) == "a" * 8 + "-3"
