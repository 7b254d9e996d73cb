"""catalogue facet counts and next dates, kept on write (issue 18)

The catalogue's month and place facets and its order by next date read every upcoming edition
(66,000 at 20,000 offerings: /aanbod 56 -> 263 ms). Now `offering.next_start_date` holds each
offering's next date, `catalogue_facet_count` the number of published offerings per (type,
theme, month, place), `catalogue_facet_offering` what each offering was counted with, and
`catalogue_total` the dashboard's totals; sbo/catalogue/facets.py keeps them in step on every
write and counts the offerings whose date passed again once a day. Filled here from the data.

Revision ID: scale_0003
Revises: evalu_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "scale_0003"
down_revision = "evalu_0001"
branch_labels = None
depends_on = None


def upgrade():
    # plain ALTER TABLE, not batch mode: a batch copy of offering would drop the search triggers
    op.add_column("offering", sa.Column("next_start_date", sa.Date(), nullable=False,
                                        server_default="9999-12-31"))
    op.create_index("ix_offering_published_next", "offering", ["published", "next_start_date", "title", "id"])
    op.create_index("ix_offering_published_type_next", "offering",
                    ["published", "type", "next_start_date", "title", "id"])
    op.create_index("ix_offering_next_start_date", "offering", ["next_start_date"])
    op.create_table(
        "catalogue_facet_count",
        sa.Column("theme_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("place", sa.String(100), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("theme_id", "month", "place", "type", name=op.f("pk_catalogue_facet_count")),
    )
    op.create_index("ix_catalogue_facet_count_month_place", "catalogue_facet_count", ["month", "place"])
    op.create_table(
        "catalogue_facet_offering",
        sa.Column("offering_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("published", sa.Boolean(), nullable=False),
        sa.Column("type", sa.String(20), nullable=False),
        sa.Column("theme_ids", sa.Text(), nullable=False),
        sa.Column("slots", sa.Text(), nullable=False),
        sa.Column("upcoming", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("offering_id", name=op.f("pk_catalogue_facet_offering")),
    )
    op.create_table(
        "catalogue_total",
        sa.Column("key", sa.String(20), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_catalogue_total")),
    )
    from sbo.catalogue.facets import rebuild
    rebuild(op.get_bind())  # as of today in Dutch time (sbo.clock)


def downgrade():
    op.drop_table("catalogue_total")
    op.drop_table("catalogue_facet_offering")
    op.drop_index("ix_catalogue_facet_count_month_place", table_name="catalogue_facet_count")
    op.drop_table("catalogue_facet_count")
    op.drop_index("ix_offering_next_start_date", table_name="offering")
    op.drop_index("ix_offering_published_type_next", table_name="offering")
    op.drop_index("ix_offering_published_next", table_name="offering")
    op.execute("ALTER TABLE offering DROP COLUMN next_start_date")
