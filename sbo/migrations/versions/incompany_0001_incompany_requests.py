"""incompany: in-company / maatwerk requests and the staff's notes on them

Revision ID: incompany_0001
Revises: perf_0001
"""
from alembic import op
import sqlalchemy as sa


revision = "incompany_0001"
down_revision = "perf_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "incompany_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offering_id", sa.Integer(), nullable=True),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("contact_name", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("participants", sa.Integer(), nullable=False),
        sa.Column("preferred_period", sa.String(length=120), nullable=False),
        sa.Column("preferred_place", sa.String(length=120), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["offering_id"], ["offering.id"],
                                name=op.f("fk_incompany_request_offering_id_offering"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["owner_id"], ["staff_user.id"],
                                name=op.f("fk_incompany_request_owner_id_staff_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incompany_request")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("incompany_request", schema=None) as batch_op:
        for column in ("offering_id", "email", "status", "owner_id", "updated_at"):
            batch_op.create_index(batch_op.f(f"ix_incompany_request_{column}"), [column], unique=False)

    op.create_table(
        "incompany_note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["request_id"], ["incompany_request.id"],
                                name=op.f("fk_incompany_note_request_id_incompany_request"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["author_id"], ["staff_user.id"],
                                name=op.f("fk_incompany_note_author_id_staff_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incompany_note")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("incompany_note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_incompany_note_request_id"), ["request_id"], unique=False)


def downgrade():
    with op.batch_alter_table("incompany_note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incompany_note_request_id"))
    op.drop_table("incompany_note")
    with op.batch_alter_table("incompany_request", schema=None) as batch_op:
        for column in ("offering_id", "email", "status", "owner_id", "updated_at"):
            batch_op.drop_index(batch_op.f(f"ix_incompany_request_{column}"))
    op.drop_table("incompany_request")
