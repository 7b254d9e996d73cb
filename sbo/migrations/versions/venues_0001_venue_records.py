"""venues as records: the venue table, edition.venue_id and edition.online_platform

Revision ID: venues_0001
Revises: deadline_0001
"""
from alembic import op
import sqlalchemy as sa

revision = "venues_0001"
down_revision = "deadline_0001"
branch_labels = None
depends_on = None

# SQLite rebuilds the table in a batch: keep its ids never reused (news_0001)
KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}


def upgrade():
    op.create_table(
        "venue",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("street_address", sa.String(length=200), nullable=False),
        sa.Column("postal_code", sa.String(length=10), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("route", sa.Text(), nullable=False),
        sa.Column("parking", sa.Text(), nullable=False),
        sa.Column("step_free", sa.Boolean(), nullable=False),
        sa.Column("hearing_loop", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_venue")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("edition", table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column("online_platform", sa.String(length=60), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("venue_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_edition_venue_id"), ["venue_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_edition_venue_id_venue"), "venue", ["venue_id"], ["id"],
                                    ondelete="RESTRICT")


def downgrade():
    with op.batch_alter_table("edition", table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_edition_venue_id_venue"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_edition_venue_id"))
        batch_op.drop_column("venue_id")
        batch_op.drop_column("online_platform")
    op.drop_table("venue")
