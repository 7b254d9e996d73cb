"""Issue 18: the queue's rows are drawn in Python (moderation._rows_html) from plain rows; they
are what the template loop drew from the comments (kept here as the reference), to the byte."""
from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

from flask import render_template_string
from markupsafe import Markup

from sbo.clock import utcnow
from sbo.news import queries
from sbo.news.models import CommentStatus
from sbo.staff import moderation
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
        <span class="staff-meta">bij <a href="{{ links.article(c.article.slug) }}">{{ c.article.title }}</a>{% if c.parent_id %} · antwoord op een andere reactie{% endif %}</span>
      </td>
      <td data-label="Ontvangen" class="staff-date">{{ c.created_at|datumtijd }}</td>
      <td data-label="Reden" class="staff-reason">{{ reason(c.held_reason) or '–' }}</td>
      <td class="staff-comment-actions">
        {{ buttons(c.id, c.author_name) }}
      </td>
    </tr>
  {% endfor %}
"""

# the buttons as the loop drew them with post_button()'s HTML before links.buttons()
OLD_BUTTONS = """{% set csrf = csrf_token() %}
        {% for action in actions %}
          {% set text %}{{ action.label }}<span class="visually-hidden"> (reactie van {{ author_name }})</span>{% endset %}
          {% if action.name == 'delete' %}
          <a class="button button-small button-danger" href="{{ links('delete', comment_id) }}">{{ text }}</a>
          {% else %}
          <form method="post" action="{{ links(action.name, comment_id) }}" class="inline-form">
  <input type="hidden" name="csrf_token" value="{{ csrf }}">
  <button type="submit" class="button button-small{{ '' if action.name == 'approve' else ' button-secondary' }}">{{ text }}</button>
</form>
          {% endif %}
        {% endfor %}"""


def _squeezed(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


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
        make_comment(article, "spam", parent=root, author_name="Sara", is_staff=True, held_reason="vreemd<",
                     body="Kort & goed.", ip_address="", now=now - timedelta(minutes=3, seconds=40))
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
            links = moderation._RowLinks(state, [action.name for action in actions], actions, "tok<en>")
            selected = frozenset({rows[0].id})
            new = moderation._rows_html(rows, links, selected)
            old = render_template_string(
                OLD_ROWS, page=SimpleNamespace(items=comments), selected=selected, links=links, reason=held_reason_label,
                buttons=lambda comment_id, author_name: Markup(links.buttons(comment_id, author_name)))
            assert isinstance(new, Markup) and "\n  " + new == old  # (the template's last newline is dropped)
            for c in comments:
                row = str(new)[str(new).index(f'<tr id="reactie-{c.id}">'):]
                row = row[:row.index("</tr>")]
                drawn = render_template_string(OLD_BUTTONS, actions=actions, links=links, comment_id=c.id,
                                               author_name=c.author_name, csrf_token=lambda: "tok<en>")
                assert _squeezed(drawn) in _squeezed(row)
