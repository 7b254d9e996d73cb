"""waiting-list offers: the offer table, any-date waiting on a booking, offer links

Revision ID: offers_0001
Revises: cert_0001
"""
from alembic import op
import sqlalchemy as sa

revision = "offers_0001"
down_revision = "cert_0001"
branch_labels = None
depends_on = None

# SQLite rebuilds the table in a batch: keep its ids never reused (news_0001)
KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}


def upgrade():
    op.create_table(
        "offer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=12), nullable=False),
        sa.Column("by_staff", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("reminder_sent_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["booking_id"], ["booking.id"], name=op.f("fk_offer_booking_id_booking"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["edition_id"], ["edition.id"], name=op.f("fk_offer_edition_id_edition"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_offer")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("offer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_offer_booking_id"), ["booking_id"], unique=False)
        batch_op.create_index("ix_offer_edition_state", ["edition_id", "state"], unique=False)
        batch_op.create_index("ix_offer_state_expires", ["state", "expires_at"], unique=False)
    with op.batch_alter_table("booking", table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column("wait_any_date", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column("wait_city", sa.String(length=100), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("wait_month", sa.String(length=7), nullable=False, server_default=""))
    with op.batch_alter_table("personal_link", table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column("offer_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_personal_link_offer_id"), ["offer_id"], unique=False)
        batch_op.create_foreign_key(batch_op.f("fk_personal_link_offer_id_offer"), "offer", ["offer_id"], ["id"],
                                    ondelete="SET NULL")


def downgrade():
    with op.batch_alter_table("personal_link", table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_personal_link_offer_id_offer"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_personal_link_offer_id"))
        batch_op.drop_column("offer_id")
    with op.batch_alter_table("booking", table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.drop_column("wait_month")
        batch_op.drop_column("wait_city")
        batch_op.drop_column("wait_any_date")
    op.drop_table("offer")
