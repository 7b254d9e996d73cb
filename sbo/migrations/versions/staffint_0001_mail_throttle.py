"""mail throttle: when a mail of a kind last went to a typed-in address

Revision ID: staffint_0001
Revises: 20b53cfbcc40
Create Date: 2026-12-04 19:10:00

"""
from alembic import op
import sqlalchemy as sa


revision = "staffint_0001"
down_revision = "catalogue_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "mail_throttle",
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("address", sa.String(length=320), nullable=False),
        sa.Column("last_sent_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "address", name=op.f("pk_mail_throttle")),
    )


def downgrade():
    op.drop_table("mail_throttle")
