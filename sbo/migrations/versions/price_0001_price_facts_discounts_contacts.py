"""price as a buyer reads it: offering.vat_status, .included and .included_note; the
contact_person, offering_contact and discount tables

Revision ID: price_0001
Revises: venues_0001
"""
from alembic import op
import sqlalchemy as sa

revision = "price_0001"
down_revision = "attend_0001"
branch_labels = None
depends_on = None

def upgrade():
    op.create_table(
        "contact_person",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=120), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("phone", sa.String(length=30), nullable=False),
        sa.Column("photo", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact_person")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "discount",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offering_id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("percent", sa.Numeric(precision=5, scale=2), nullable=True),
        sa.Column("amount", sa.Numeric(precision=10, scale=2), nullable=True),
        sa.Column("min_participants", sa.Integer(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("kind IN ('group', 'early_bird')", name=op.f("ck_discount_kind_known")),
        sa.CheckConstraint("(percent IS NULL) <> (amount IS NULL)", name=op.f("ck_discount_percent_or_amount")),
        sa.CheckConstraint("percent IS NULL OR (percent > 0 AND percent <= 100)",
                           name=op.f("ck_discount_percent_in_range")),
        sa.CheckConstraint("amount IS NULL OR amount > 0", name=op.f("ck_discount_amount_positive")),
        sa.CheckConstraint("kind <> 'group' OR min_participants >= 2", name=op.f("ck_discount_group_has_minimum")),
        sa.CheckConstraint("kind <> 'early_bird' OR valid_until IS NOT NULL",
                           name=op.f("ck_discount_early_bird_has_date")),
        sa.ForeignKeyConstraint(["edition_id"], ["edition.id"], name=op.f("fk_discount_edition_id_edition"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["offering_id"], ["offering.id"], name=op.f("fk_discount_offering_id_offering"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_discount")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_discount_edition_id"), "discount", ["edition_id"], unique=False)
    op.create_index(op.f("ix_discount_offering_id"), "discount", ["offering_id"], unique=False)
    # plain ADD COLUMN, not batch mode: a batch copy of offering would drop the search triggers
    # and, on SQLite, cascade the drop of the old table to the editions (hence offering_contact)
    op.add_column("offering", sa.Column("vat_status", sa.String(length=12), nullable=False, server_default="excl"))
    op.add_column("offering", sa.Column("included", sa.String(length=100), nullable=False, server_default=""))
    op.add_column("offering", sa.Column("included_note", sa.String(length=200), nullable=False, server_default=""))
    op.create_table(
        "offering_contact",
        sa.Column("offering_id", sa.Integer(), nullable=False),
        sa.Column("contact_person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["contact_person_id"], ["contact_person.id"],
                                name=op.f("fk_offering_contact_contact_person_id_contact_person"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["offering_id"], ["offering.id"], name=op.f("fk_offering_contact_offering_id_offering"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("offering_id", name=op.f("pk_offering_contact")),
    )
    op.create_index(op.f("ix_offering_contact_contact_person_id"), "offering_contact", ["contact_person_id"],
                    unique=False)


def downgrade():
    op.drop_index(op.f("ix_offering_contact_contact_person_id"), table_name="offering_contact")
    op.drop_table("offering_contact")
    for column in ("included_note", "included", "vat_status"):
        op.drop_column("offering", column)  # SQLite 3.35+ drops a column in place
    op.drop_index(op.f("ix_discount_offering_id"), table_name="discount")
    op.drop_index(op.f("ix_discount_edition_id"), table_name="discount")
    op.drop_table("discount")
    op.drop_table("contact_person")
