"""data request: the opaque single-use links of /mijn-gegevens

Revision ID: privacy_0001
Revises: news_0001
Create Date: 2026-12-04 22:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = "privacy_0001"
down_revision = "news_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "data_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_request")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_data_request_token_hash")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_data_request_expires_at"), ["expires_at"], unique=False)


def downgrade():
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_data_request_expires_at"))
    op.drop_table("data_request")
