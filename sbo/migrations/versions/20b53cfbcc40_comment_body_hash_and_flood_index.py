"""comment body hash and flood index

The spam checks of a new comment find the same text on the same article through
(article_id, body_hash), and recent comments from one address through (ip_address, created_at).

Revision ID: 20b53cfbcc40
Revises: 48bdd698b901
Create Date: 2026-11-28 18:32:26.179299

"""
from alembic import op
import sqlalchemy as sa

from sbo.news.models import body_hash


# revision identifiers, used by Alembic.
revision = '20b53cfbcc40'
down_revision = '48bdd698b901'
branch_labels = None
depends_on = None

# plain ALTER TABLE and CREATE/DROP INDEX, not batch mode: SQLite can do these in place, and a
# batch copy of the table would lose the expression index ix_comment_author_email_lower
comment = sa.table("comment", sa.column("id", sa.Integer), sa.column("body", sa.Text),
                   sa.column("body_hash", sa.String))


def upgrade():
    op.add_column('comment', sa.Column('body_hash', sa.String(length=16), nullable=True))
    connection = op.get_bind()
    last = 0
    while True:  # existing comments, in batches
        rows = connection.execute(sa.select(comment.c.id, comment.c.body).where(comment.c.id > last)
                                  .order_by(comment.c.id).limit(5000)).all()
        if not rows:
            break
        connection.execute(comment.update().where(comment.c.id == sa.bindparam("row_id"))
                           .values(body_hash=sa.bindparam("digest")),
                           [{"row_id": row.id, "digest": body_hash(row.body)} for row in rows])
        last = rows[-1].id
    op.drop_index('ix_comment_ip_address', table_name='comment')
    op.create_index('ix_comment_article_body_hash', 'comment', ['article_id', 'body_hash'], unique=False)
    op.create_index('ix_comment_ip_created', 'comment', ['ip_address', 'created_at'], unique=False)


def downgrade():
    op.drop_index('ix_comment_ip_created', table_name='comment')
    op.drop_index('ix_comment_article_body_hash', table_name='comment')
    op.create_index('ix_comment_ip_address', 'comment', ['ip_address'], unique=False)
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_column('body_hash')
