"""offering indexes (issue 18: a hundred times the size)

Every catalogue facet and the home page's theme counts filter on `offering_id IN (SELECT id FROM
offering WHERE published)`. PostgreSQL answered that with a sequential scan of the wide offering
table (descriptions and search text inline): at 20,000 offerings 5,000 pages, ~16 ms per facet.
With (published, id) it is an index-only scan of ~60 pages (~3 ms).

The staff offering list (`ORDER BY title, id LIMIT 25`) sorted all 20,000 wide rows (48 ms);
with (title, id) it reads the page from the index (0.1 ms; page 100: 2 ms).

Revision ID: scale_0001
Revises: venues_0001
"""
from alembic import op

revision = "scale_0001"
down_revision = "prog_0001"
branch_labels = None
depends_on = None


def upgrade():
    # plain CREATE INDEX, not batch mode: a batch copy of offering would drop the search triggers
    op.create_index("ix_offering_published_id", "offering", ["published", "id"])
    op.create_index("ix_offering_title_id", "offering", ["title", "id"])


def downgrade():
    op.drop_index("ix_offering_title_id", table_name="offering")
    op.drop_index("ix_offering_published_id", table_name="offering")
