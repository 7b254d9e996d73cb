"""catalogue listing indexes (issue 18: the uncached render path)

Covering indexes for /aanbod: the type facet and the title order read (type, published) and
(published, title) instead of the wide offering rows; the next upcoming date per offering is one
seek in (offering_id, start_date, status, online, city), and the month and place facets read the
upcoming editions from that index without touching the table.

Revision ID: perf_0001
Revises: tokens_0001
"""
from alembic import op

revision = "perf_0001"
down_revision = "tokens_0001"
branch_labels = None
depends_on = None

INDEXES = [
    ("ix_offering_type_published", "offering", ["type", "published"]),
    ("ix_offering_published_title", "offering", ["published", "title"]),
    ("ix_edition_offering_start", "edition", ["offering_id", "start_date", "status", "online", "city"]),
]


def upgrade():
    # plain CREATE INDEX, not batch mode: a batch copy of offering would drop the search triggers
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
