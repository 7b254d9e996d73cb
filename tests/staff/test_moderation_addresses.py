"""Issue 13: the moderator sees an e-mail address typed into a comment marked (<mark>) in the
queue, on the delete confirmation and on the comment's own page; the site hides it."""
from __future__ import annotations

from sbo.extensions import db
from sbo.news.markdown import HIDDEN_ADDRESS
from tests.factories import make_article, make_comment

ADDRESS = "anna@gemeente.example.nl"
MARKED = f'<mark class="comment-address" title="Op de site: {HIDDEN_ADDRESS}">{ADDRESS}'


def test_the_queue_and_the_detail_page_mark_the_address(app, logged_in):
    with app.app_context():
        comment = make_comment(make_article(), status="pending", body=f"Mail mij op {ADDRESS} a.u.b.")
        db.session.commit()
        comment_id = comment.id
    client, _ = logged_in("editor")
    for path in ("/beheer/reacties", f"/beheer/reacties/{comment_id}",
                 f"/beheer/reacties/{comment_id}/verwijderen"):
        html = client.get(path).get_data(as_text=True)
        assert MARKED in html, path
        assert "verborgen op de site" in html
