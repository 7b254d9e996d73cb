"""Booking consent: a booking holds its seats until the booker confirms by mail.

booking.confirmed_at and booking.hold_expires_at; bookings made before this change count as
confirmed (their participants were already mailed).

Revision ID: consent_0001
Revises: 20b53cfbcc40
"""
from alembic import op
import sqlalchemy as sa

revision = "consent_0001"
down_revision = "staffint_0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("hold_expires_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_booking_hold_expires_at"), ["hold_expires_at"], unique=False)
    op.execute("UPDATE booking SET confirmed_at = created_at WHERE confirmed_at IS NULL")


def downgrade():
    with op.batch_alter_table("booking", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_booking_hold_expires_at"))
        batch_op.drop_column("hold_expires_at")
        batch_op.drop_column("confirmed_at")
