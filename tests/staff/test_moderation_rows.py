"""Issue 18: the queue's rows are drawn in Python (moderation._rows_html) from plain rows, a line
a cell. They hold what the template loop drew from the comments (kept here as the reference),
apart from whitespace and the action buttons: those no longer sit in a form of their own with
its own CSRF token, they post the page's one form (form= and formaction=, HTML5)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

from flask import render_template_string
from markupsafe import Markup

from sbo.clock import utcnow
from sbo.news import queries
from sbo.news.models import CommentStatus
from sbo.staff import moderation
from sbo.staff.lists import esc
from sbo.staff.moderation_services import ACTIONS, TAB_ACTIONS, held_reason_label
from tests.factories import make_article, make_comment

# templates/staff/comments.html's row loop before the rows were drawn in Python
OLD_ROWS = """
  {% for c in page.items %}
    <tr id="reactie-{{ c.id }}">
      <td class="staff-pick">
        <input type="checkbox" name="ids" value="{{ c.id }}" id="kies-{{ c.id }}" form="bulk-form"{% if c.id in selected %} checked{% endif %}>
        <label for="kies-{{ c.id }}" class="visually-hidden">Reactie van {{ c.author_name }} kiezen</label>
      </td>
      <td data-label="Afzender" class="staff-author">
        <a class="staff-author-name" href="{{ links('detail', c.id) }}">{{ c.author_name }}</a>{% if c.is_staff %} <span class="tag">SBO</span>{% endif %}
        <span class="staff-meta">{{ c.author_email }}</span>
        {% if c.ip_address %}<span class="staff-meta">IP {{ c.ip_address }}</span>{% endif %}
        {% if c.author_url %}<span class="staff-meta"><a href="{{ c.author_url }}" rel="nofollow noopener noreferrer">{{ c.author_url|truncate(40, true, '…') }}</a></span>{% endif %}
      </td>
      <td data-label="Reactie" class="staff-excerpt">
        <span class="staff-excerpt-text">{{ c.body|truncate(200, false, '…')|adressen_gemarkeerd }}</span>
        <span class="staff-meta">bij <a href="{{ url_for('news.detail', slug=c.article.slug) }}">{{ c.article.title }}</a>{% if c.parent_id %} · antwoord op een andere reactie{% endif %}</span>
      </td>
      <td data-label="Ontvangen" class="staff-date">{{ c.created_at|datumtijd }}</td>
      <td data-label="Reden" class="staff-reason">{{ reason(c.held_reason) or '–' }}</td>
      <td class="staff-comment-actions">
        {{ buttons(c.id, c.author_name) }}
      </td>
    </tr>
  {% endfor %}
"""

# one row as drawn, to the byte ({id} is the comment's id)
EXPECTED_ROW = (
    '<tr id="reactie-{id}">\n'
    '<td class="staff-pick"><input type="checkbox" name="ids" value="{id}" id="kies-{id}" form="bulk-form">'
    '<label for="kies-{id}" class="visually-hidden">Reactie van Sara &amp; &#39;Co&#39; kiezen</label></td>\n'
    '<td data-label="Afzender" class="staff-author"><a class="staff-author-name" href="/beheer/reacties/{id}">'
    'Sara &amp; &#39;Co&#39;</a> <span class="tag">SBO</span><span class="staff-meta">sara@voorbeeld.nl</span></td>\n'
    '<td data-label="Reactie" class="staff-excerpt"><span class="staff-excerpt-text">Kort &amp; &lt;goed&gt;.</span>'
    '<span class="staff-meta">bij <a href="/nieuws/wonen-zorg">Wonen &amp; &lt;zorg&gt; &#34;samen&#34;</a>'
    ' · antwoord op een andere reactie</span></td>\n'
    '<td data-label="Ontvangen" class="staff-date">4 maart 2026 om 10:05</td>\n'
    '<td data-label="Reden" class="staff-reason">vreemd&lt;</td>\n'
    '<td class="staff-comment-actions">'
    '<button type="submit" form="actie-form" formaction="/beheer/reacties/{id}/geen-spam?status=spam" '
    'class="button button-small button-secondary">Geen spam<span class="visually-hidden"> (reactie van Sara &amp; &#39;Co&#39;)</span></button>'
    '<button type="submit" form="actie-form" formaction="/beheer/reacties/{id}/prullenbak?status=spam" '
    'class="button button-small button-secondary">Naar prullenbak<span class="visually-hidden"> (reactie van Sara &amp; &#39;Co&#39;)</span></button>'
    '<a class="button button-small button-danger" href="/beheer/reacties/{id}/verwijderen?status=spam">'
    'Definitief verwijderen<span class="visually-hidden"> (reactie van Sara &amp; &#39;Co&#39;)</span></a>'
    '</td>\n</tr>\n')


class _Actions(HTMLParser):
    """The action buttons and links of one row: (tag, attributes, text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._open = [], None

    def handle_starttag(self, tag, attrs):
        if tag in ("button", "a") and "button" in (dict(attrs).get("class") or "").split():
            self._open = [tag, dict(attrs), ""]

    def handle_data(self, data):
        if self._open:
            self._open[2] += data

    def handle_endtag(self, tag):
        if self._open and tag == self._open[0]:
            self.found.append(tuple(self._open))
            self._open = None


def _squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def _actions_cell(row: str) -> str:
    start = row.index('<td class="staff-comment-actions">')
    return row[start:row.index("</td>", start) + 5]


def test_the_rows_are_what_the_template_loop_drew(app, setup_data):
    with setup_data():
        article = make_article(title="Wonen & <zorg> \"samen\"", slug="wonen-zorg")
        other = make_article(title="Tweede 'stuk'")
        now = utcnow()
        root = make_comment(article, "spam", author_name="<b>Piet</b> & 'Co'",
                            author_email="piet+x@voorbeeld.nl", ip_address="192.0.2.7", held_reason="links",
                            author_url="https://example.org/een/heel/lang/pad?met=query&en=\"quotes\"",
                            body="Mail me op piet (at) voorbeeld.nl of <script>x</script> " + "lang " * 60,
                            now=now - timedelta(minutes=3, seconds=5))
        sara = make_comment(article, "spam", parent=root, author_name="Sara & 'Co'", is_staff=True,
                            author_email="sara@voorbeeld.nl", held_reason="vreemd<", body="Kort & <goed>.",
                            ip_address="", now=datetime(2026, 3, 4, 9, 5)).id
        make_comment(other, "spam", author_name="Jan", body="Zie https://example.org/a?b=1&c=2", now=now)
        for n in range(3):
            make_comment(other, "pending", body=f"Wachtend {n}", now=now - timedelta(hours=n))
    for status in (CommentStatus.SPAM, CommentStatus.PENDING):
        with app.test_request_context(f"/beheer/reacties?status={status.value}&q=&page=1"):
            rows, counts = queries.moderation_rows(status, None, 1, 25)
            comments = list(queries.comments_by_ids([row.id for row in rows]))
            assert [c.id for c in comments] == [row.id for row in rows]
            actions = [ACTIONS[name] for name in TAB_ACTIONS[status]]
            state = moderation._state_args(status, "", 1)
            links = moderation._RowLinks(state, [action.name for action in actions], actions)
            selected = frozenset({rows[0].id})
            new = moderation._rows_html(rows, links, selected)
            assert isinstance(new, Markup) and "  " not in new and "\n\n" not in new
            # apart from whitespace, what the loop drew with the same buttons
            old = render_template_string(
                OLD_ROWS, page=SimpleNamespace(items=comments), selected=selected, links=links, reason=held_reason_label,
                buttons=lambda comment_id, author_name: Markup(links.buttons(comment_id, esc(author_name))))
            assert _squeezed(new) == _squeezed(old)
            # and the buttons: each posts the page's one form to its action's URL, with the label
            # and the author for a screen reader; to delete, the link to the question
            assert "<form" not in new and "csrf_token" not in new
            for c in comments:
                row = str(new)[str(new).index(f'<tr id="reactie-{c.id}">'):]
                row = row[:row.index("</tr>")]
                parser = _Actions()
                parser.feed(_actions_cell(row))
                assert len(parser.found) == len(actions)
                for action, (tag, attrs, text) in zip(actions, parser.found):
                    assert text == f"{action.label} (reactie van {c.author_name})"
                    if action.name == "delete":
                        assert tag == "a" and attrs["href"] == links("delete", c.id)
                        assert attrs["class"] == "button button-small button-danger"
                        continue
                    assert tag == "button" and attrs["type"] == "submit"
                    assert attrs["form"] == moderation.ROW_FORM
                    assert attrs["formaction"] == links(action.name, c.id)
                    assert attrs["class"] == "button button-small" + (
                        "" if action.name == "approve" else " button-secondary")
            if status == CommentStatus.SPAM:
                row = str(new)[str(new).index(f'<tr id="reactie-{sara}">'):]
                assert row[:row.index("</tr>") + 6] == EXPECTED_ROW.replace("{id}", str(sara))


def test_the_page_has_one_form_for_the_row_buttons(logged_in, setup_data):
    """The rows' buttons post the one form with the page's CSRF token (no form of its own each)."""
    client, _ = logged_in("moderator")
    with setup_data():
        article = make_article()
        for n in range(3):
            make_comment(article, "pending")
    html = client.get("/beheer/reacties").get_data(as_text=True)
    form = re.findall(r'<form id="actie-form" method="post"><input type="hidden" name="csrf_token" value="[^"]+"></form>', html)
    assert len(form) == 1
    assert html.count('form="actie-form" formaction="') == 9
    rows = html[html.index("<tbody>"):html.index("</tbody>")]
    assert "<form" not in rows and "csrf_token" not in rows
    assert html.count('name="csrf_token"') == html.count("<form") - 1  # every form posts one, the search gets
