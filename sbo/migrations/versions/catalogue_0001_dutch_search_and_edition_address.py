"""Dutch full-text search over theme names and places; street address of an edition

- search: SQLite's FTS5 index now holds Dutch stems (triggers call dutch_stems(), a function
  every connection of the app registers), PostgreSQL's GIN index uses the 'dutch'
  configuration; every offering's search text is recomputed to include its theme names and
  the places of its upcoming editions.
- edition.street_address and edition.postal_code, for the schema.org PostalAddress.

Revision ID: catalogue_0001
Revises: 20b53cfbcc40
"""
from alembic import op
import sqlalchemy as sa

from sbo.catalogue.search import reindex

revision = "catalogue_0001"
down_revision = "20b53cfbcc40"
branch_labels = None
depends_on = None

# the search objects as 20b53cfbcc40 left them (for the downgrade)
OLD_SQLITE = [
    "DROP TRIGGER IF EXISTS offering_fts_insert",
    "DROP TRIGGER IF EXISTS offering_fts_update",
    """CREATE TRIGGER offering_fts_insert AFTER INSERT ON offering BEGIN
           INSERT INTO offering_fts(rowid, title, body) VALUES (new.id, new.search_title, new.search_body);
       END""",
    """CREATE TRIGGER offering_fts_update AFTER UPDATE OF search_title, search_body ON offering BEGIN
           DELETE FROM offering_fts WHERE rowid = old.id;
           INSERT INTO offering_fts(rowid, title, body) VALUES (new.id, new.search_title, new.search_body);
       END""",
    "DELETE FROM offering_fts",
    "INSERT INTO offering_fts(rowid, title, body) SELECT id, search_title, search_body FROM offering",
]
OLD_PG = [
    "DROP INDEX IF EXISTS ix_offering_search",
    "CREATE INDEX ix_offering_search ON offering USING gin ("
    "(setweight(to_tsvector('simple'::regconfig, search_title), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, search_body), 'B')))",
]


def upgrade():
    with op.batch_alter_table("edition") as batch:
        batch.add_column(sa.Column("street_address", sa.String(length=200), nullable=False, server_default=""))
        batch.add_column(sa.Column("postal_code", sa.String(length=10), nullable=False, server_default=""))
    reindex(op.get_bind())  # new texts, then install_search: the Dutch triggers and index


def downgrade():
    bind = op.get_bind()
    for statement in OLD_SQLITE if bind.dialect.name == "sqlite" else OLD_PG:
        bind.exec_driver_sql(statement)
    with op.batch_alter_table("edition") as batch:
        batch.drop_column("postal_code")
        batch.drop_column("street_address")
