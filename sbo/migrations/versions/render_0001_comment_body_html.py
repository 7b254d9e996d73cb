"""comment body html (issue 18)

A comment's public HTML (escaped, e-mail addresses hidden, paragraphs, links) kept in a column,
set whenever its text is: the article page with 2,000 comments no longer runs the text pass for
each comment on every render. Existing comments are filled here, in batches.

Revision ID: render_0001
Revises: evalu_0001
"""
from alembic import op
import sqlalchemy as sa

from sbo.news.models import body_html

revision = "render_0001"
down_revision = "scale_0003"
branch_labels = None
depends_on = None

comment = sa.table("comment", sa.column("id", sa.Integer), sa.column("body", sa.Text),
                   sa.column("body_html", sa.Text))


def upgrade():
    # plain ALTER TABLE (no batch copy: that would lose the expression index on lower(e-mail))
    op.add_column("comment", sa.Column("body_html", sa.Text(), nullable=True))
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(sa.select(comment.c.id, comment.c.body).where(comment.c.id > last)
                                  .order_by(comment.c.id).limit(5000)).all()
        if not rows:
            break
        connection.execute(comment.update().where(comment.c.id == sa.bindparam("row_id"))
                           .values(body_html=sa.bindparam("html")),
                           [{"row_id": row.id, "html": body_html(row.body)} for row in rows])
        last = rows[-1].id


def downgrade():
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_column("body_html")
