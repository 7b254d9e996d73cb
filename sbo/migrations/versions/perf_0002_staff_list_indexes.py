"""staff list page indexes (issue 18: staff list pages)

Measured on the bench data (SQLite, 2,000 offerings, 8,000 editions, 200,000 comments):
- /beheer/aanbod lists every offering by title: (title, id), which scale_0001 creates, reads the
  page of 25 in order instead of sorting all wide offering rows (19.6 ms -> 0.03 ms);
- the moderation queue, newest first per status: (status, created_at, id) reads the page in
  order instead of sorting 19,800 pending comments (15 ms -> 0.1 ms);
- the dashboard's count of upcoming editions: (start_date, status) counts in the index
  instead of reading 6,500 edition rows (15 ms -> 0.3 ms).

Revision ID: perf_0002
Revises: scale_0002
"""
from alembic import op

revision = "perf_0002"
down_revision = "scale_0002"
branch_labels = None
depends_on = None


INDEXES = [
    ("ix_comment_status_created", "comment", ["status", "created_at", "id"]),
    ("ix_edition_start_status", "edition", ["start_date", "status"]),
]


def upgrade():
    # plain CREATE INDEX, not batch mode: a batch copy of offering would drop the search triggers
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade():
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
