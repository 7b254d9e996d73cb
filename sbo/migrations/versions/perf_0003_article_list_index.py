"""the news list's index (issue 18: a hundred times the size)

The public news list shows the published articles newest first, (published_at, id). With an
index on published_at alone, PostgreSQL read every article row before a page and sorted each
day's by id: at 10,000 articles the last page took 7.3 ms against 4.3 for the first. On
(published_at, id) the page's ids are cut in the index (sbo.news.services.articles_page); it
also serves what the index on published_at served.

Revision ID: perf_0003
Revises: render_0001
"""
from alembic import op

revision = "perf_0003"
down_revision = "render_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_article_published_id", "article", ["published_at", "id"])
    op.drop_index("ix_article_published_at", table_name="article")


def downgrade():
    op.create_index("ix_article_published_at", "article", ["published_at"])
    op.drop_index("ix_article_published_id", table_name="article")
