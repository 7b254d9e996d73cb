"""comment_status_count: the moderation tabs' counts, kept by triggers (issue 18)

Counting the comments per status read every comment (~400 ms at 2,000,000 comments) on every
staff page with the tabs; the table holds one row per status and triggers on comment keep it
(sbo/news/status_counts.py holds the trigger DDL, also used after create_all).

Revision ID: scale_0002
Revises: scale_0001
"""
import sqlalchemy as sa
from alembic import op

from sbo.news.status_counts import install

revision = "scale_0002"
down_revision = "scale_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "comment_status_count",
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("status", name=op.f("pk_comment_status_count")),
    )
    install(op.get_bind())  # the triggers, and the counts of the comments there are


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS comment_status_count_insert_delete ON comment")
        op.execute("DROP TRIGGER IF EXISTS comment_status_count_update ON comment")
        op.execute("DROP TRIGGER IF EXISTS comment_status_count_truncate ON comment")
        op.execute("DROP FUNCTION IF EXISTS comment_status_count_change()")
    else:
        for name in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS comment_status_count_{name}")
    op.drop_table("comment_status_count")
