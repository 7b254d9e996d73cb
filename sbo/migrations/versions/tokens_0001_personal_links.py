"""personal links: opaque tokens of the links in enrolment and interest mails, stored hashed

The signed links before this carried [id, e-mail address]. Their tokens cannot be rebuilt from
the database (only hashes are kept of the new ones), so nothing is filled in here: links in mails
already sent keep working through sbo.tokens.read_legacy_token, each within its own lifetime,
until LEGACY_LINKS_UNTIL (sbo/config.py); after that date that code goes.

Revision ID: tokens_0001
Revises: audit_0001
Create Date: 2026-12-04 22:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = "tokens_0001"
down_revision = "audit_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "personal_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=24), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("registration_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("handed_over_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["booking_id"], ["booking.id"],
                                name=op.f("fk_personal_link_booking_id_booking"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"],
                                name=op.f("fk_personal_link_enrolment_id_enrolment"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["registration_id"], ["interest_registration.id"],
                                name=op.f("fk_personal_link_registration_id_interest_registration"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_personal_link_token_hash")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("personal_link", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_personal_link_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_personal_link_enrolment_id"), ["enrolment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_personal_link_registration_id"), ["registration_id"],
                              unique=False)


def downgrade():
    with op.batch_alter_table("personal_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_link_registration_id"))
        batch_op.drop_index(batch_op.f("ix_personal_link_enrolment_id"))
        batch_op.drop_index(batch_op.f("ix_personal_link_booking_id"))
    op.drop_table("personal_link")
