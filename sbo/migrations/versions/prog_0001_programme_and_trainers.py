"""programme per day and trainers as records: programme_item, trainer and their link tables;
the free-text offering.programme (lines -> day-1 items) and offering.speakers ("Name – role"
lines -> trainers, one per distinct name) are moved over, then dropped

Revision ID: prog_0001
Revises: venues_0001
"""
import re
import unicodedata

from alembic import op
import sqlalchemy as sa

from sbo.catalogue.search import reindex

revision = "prog_0001"
down_revision = "price_0001"
branch_labels = None
depends_on = None

SPEAKER_SEPARATOR = re.compile(r"\s+[–—-]\s+")


def _lines(text: str) -> list[str]:
    lines = [line.strip().lstrip("-•").strip() for line in (text or "").splitlines()]
    return [line for line in lines if line]


def _slug(name: str, taken: set[str]) -> str:
    """A unique slug of at most 120 characters (frozen copy of sbo.slugs at this revision)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:110].rstrip("-") or "trainer"
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def upgrade():
    op.create_table(
        "trainer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("bio", sa.Text(), nullable=False),
        sa.Column("photo_name", sa.String(length=80), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_trainer")),
        sa.UniqueConstraint("slug", name=op.f("uq_trainer_slug")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "offering_trainer",
        sa.Column("offering_id", sa.Integer(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["offering_id"], ["offering.id"], name=op.f("fk_offering_trainer_offering_id_offering"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["trainer_id"], ["trainer.id"], name=op.f("fk_offering_trainer_trainer_id_trainer"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("offering_id", "trainer_id", name=op.f("pk_offering_trainer")),
    )
    op.create_index(op.f("ix_offering_trainer_trainer_id"), "offering_trainer", ["trainer_id"], unique=False)
    op.create_table(
        "programme_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offering_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.CheckConstraint("day >= 1", name=op.f("ck_programme_item_day_positive")),
        sa.ForeignKeyConstraint(["offering_id"], ["offering.id"], name=op.f("fk_programme_item_offering_id_offering"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_programme_item")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_programme_item_offering_id"), "programme_item", ["offering_id"], unique=False)
    op.create_table(
        "programme_item_trainer",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("trainer_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["item_id"], ["programme_item.id"],
                                name=op.f("fk_programme_item_trainer_item_id_programme_item"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["trainer_id"], ["trainer.id"],
                                name=op.f("fk_programme_item_trainer_trainer_id_trainer"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("item_id", "trainer_id", name=op.f("pk_programme_item_trainer")),
    )
    op.create_index(op.f("ix_programme_item_trainer_trainer_id"), "programme_item_trainer", ["trainer_id"],
                    unique=False)
    _move_free_text(op.get_bind())
    # plain ALTER TABLE DROP COLUMN (SQLite 3.35+), not a batch copy: rebuilding `offering`
    # would cascade the delete to its editions and lose the full-text triggers
    op.drop_column("offering", "programme")
    op.drop_column("offering", "speakers")
    reindex(op.get_bind())  # the search texts now hold the item titles and trainer names


def _move_free_text(conn) -> None:
    offering = sa.table("offering", sa.column("id"), sa.column("programme"), sa.column("speakers"))
    item = sa.table("programme_item", sa.column("offering_id"), sa.column("day"), sa.column("position"),
                    sa.column("title"), sa.column("description"))
    trainer = sa.table("trainer", sa.column("id"), sa.column("slug"), sa.column("name"), sa.column("role"),
                       sa.column("bio"), sa.column("created_at", sa.DateTime),
                       sa.column("updated_at", sa.DateTime))
    link = sa.table("offering_trainer", sa.column("offering_id"), sa.column("trainer_id"))
    now = sa.func.current_timestamp()
    trainers: dict[str, int] = {}
    slugs: set[str] = set()
    for offering_id, programme, speakers in conn.execute(
            sa.select(offering.c.id, offering.c.programme, offering.c.speakers).order_by(offering.c.id)):
        items = [{"offering_id": offering_id, "day": 1, "position": n, "title": line[:200], "description": ""}
                 for n, line in enumerate(_lines(programme), start=1)]
        if items:
            conn.execute(item.insert(), items)
        linked = set()
        for line in _lines(speakers):
            name, role = (SPEAKER_SEPARATOR.split(line, maxsplit=1) + [""])[:2]
            name, role = name.strip()[:200], role.strip()[:200]
            key = name.casefold()
            if key not in trainers:
                slug = _slug(name, slugs)
                conn.execute(trainer.insert().values(slug=slug, name=name, role=role, bio="",
                                                     created_at=now, updated_at=now))
                trainers[key] = conn.execute(sa.select(trainer.c.id).where(trainer.c.slug == slug)).scalar()
            if trainers[key] not in linked:
                linked.add(trainers[key])
                conn.execute(link.insert().values(offering_id=offering_id, trainer_id=trainers[key]))


def downgrade():
    op.add_column("offering", sa.Column("programme", sa.Text(), nullable=False, server_default=""))
    op.add_column("offering", sa.Column("speakers", sa.Text(), nullable=False, server_default=""))
    op.drop_index(op.f("ix_programme_item_trainer_trainer_id"), table_name="programme_item_trainer")
    op.drop_table("programme_item_trainer")
    op.drop_index(op.f("ix_programme_item_offering_id"), table_name="programme_item")
    op.drop_table("programme_item")
    op.drop_index(op.f("ix_offering_trainer_trainer_id"), table_name="offering_trainer")
    op.drop_table("offering_trainer")
    op.drop_table("trainer")
