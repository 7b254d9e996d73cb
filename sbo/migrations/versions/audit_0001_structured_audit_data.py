"""audit_entry: structured `data` (JSON) instead of the free-text `detail`

The services write ids, counts, dates and changed field names (sbo.audit.log_action); the log
page and the history boxes make the Dutch text from action + data. An existing row keeps what
it said: its detail text moves to data = {"text": detail} (an empty detail becomes {}), which
sbo.audit.describe shows as it is. Downgrade puts data["text"] back into detail (structured
entries get an empty detail).

Revision ID: audit_0001
Revises: privacy_0001
"""
from alembic import op
import sqlalchemy as sa


revision = "audit_0001"
down_revision = "privacy_0001"  # brief: news_0001; privacy_0001 landed on it first (one head)
branch_labels = None
depends_on = None

# SQLite: batch mode rebuilds the table; keep the AUTOINCREMENT news_0001 gave it (ignored elsewhere).
KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}


def upgrade():
    with op.batch_alter_table("audit_entry", table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column("data", sa.JSON(), nullable=True))
    entries = sa.table("audit_entry", sa.column("id", sa.Integer), sa.column("detail", sa.Text),
                       sa.column("data", sa.JSON))
    conn = op.get_bind()
    for entry_id, detail in conn.execute(sa.select(entries.c.id, entries.c.detail)).all():
        conn.execute(entries.update().where(entries.c.id == entry_id)
                     .values(data={"text": detail} if detail else {}))
    with op.batch_alter_table("audit_entry", table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.alter_column("data", existing_type=sa.JSON(), nullable=False)
        batch_op.drop_column("detail")


def downgrade():
    with op.batch_alter_table("audit_entry", table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column("detail", sa.Text(), nullable=True))
    entries = sa.table("audit_entry", sa.column("id", sa.Integer), sa.column("detail", sa.Text),
                       sa.column("data", sa.JSON))
    conn = op.get_bind()
    for entry_id, data in conn.execute(sa.select(entries.c.id, entries.c.data)).all():
        text = (data or {}).get("text", "") if isinstance(data, dict) else ""
        conn.execute(entries.update().where(entries.c.id == entry_id).values(detail=text))
    with op.batch_alter_table("audit_entry", table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.alter_column("detail", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("data")
