"""comments: closed per article, visitor secrets, staff link, digest, single-use form; AUTOINCREMENT

- article.comments_closed: staff close the comments of one article (there is no default limit);
- comment.visitor_token_hash: the hashed secret the posting browser holds (its pending comment,
  and later proof that it is the same person); comment.staff_user_id: a staff reply's author;
  comment.moderators_notified_at: when the moderators' digest listed it;
- comment_form_use: each signed start time of the comment form is good for one post;
- SQLite: every table with an integer primary key of its own is rebuilt with AUTOINCREMENT, so
  that an id is never handed out twice (SQLite otherwise reuses the highest id after a delete).
  The rebuild follows SQLite's documented procedure (foreign keys off, copy, drop, rename,
  indexes and triggers again) and keeps every column, constraint, index and trigger as it is.
  PostgreSQL: sequences never reuse an id; nothing to do.

Revision ID: news_0001
Revises: 20b53cfbcc40
"""
import re

from alembic import op
import sqlalchemy as sa


revision = "news_0001"
down_revision = "auth_0001"
branch_labels = None
depends_on = None

_TABLE_PK = re.compile(r",\s*(?:CONSTRAINT\s+\"?\w+\"?\s+)?PRIMARY KEY\s*\(\s*\"?(\w+)\"?\s*\)", re.IGNORECASE)


def _with_autoincrement(sql: str, new_name: str) -> str | None:
    """The CREATE TABLE statement of a table with a one-column INTEGER primary key declared as
    a table constraint (as SQLAlchemy writes it), rewritten to AUTOINCREMENT under a new name;
    None for any other table."""
    if "AUTOINCREMENT" in sql.upper() or not sql.upper().startswith("CREATE TABLE"):
        return None
    found = _TABLE_PK.search(sql)
    if found is None:
        return None
    column = found.group(1)
    definition = re.compile(r"(\(\s*|,\s*)(\"?" + re.escape(column) + r"\"?\s+INTEGER(?:\s+NOT NULL)?)(?=\s*,)",
                            re.IGNORECASE)
    if not definition.search(sql):
        return None
    sql = sql[:found.start()] + sql[found.end():]
    sql = definition.sub(lambda m: m.group(1) + m.group(2) + " PRIMARY KEY AUTOINCREMENT", sql, count=1)
    return re.sub(r"^CREATE TABLE\s+(\"[^\"]+\"|\S+)", f'CREATE TABLE "{new_name}"', sql, count=1)


def _sqlite_autoincrement() -> None:
    context = op.get_context()
    with context.autocommit_block():
        conn = op.get_bind()
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # only outside a transaction
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            tables = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                "AND name != 'alembic_version' ORDER BY name").all()
            for name, sql in tables:
                new_name = f"_news_0001_{name}"
                create = _with_autoincrement(sql or "", new_name)
                if create is None:
                    continue
                extras = [row[0] for row in conn.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') "
                    "AND sql IS NOT NULL ORDER BY type, name", (name,))]
                columns = ", ".join(f'"{row[1]}"' for row in conn.exec_driver_sql(f'PRAGMA table_info("{name}")'))
                conn.exec_driver_sql(create)
                conn.exec_driver_sql(f'INSERT INTO "{new_name}" ({columns}) SELECT {columns} FROM "{name}"')
                conn.exec_driver_sql(f'DROP TABLE "{name}"')
                conn.exec_driver_sql(f'ALTER TABLE "{new_name}" RENAME TO "{name}"')
                for statement in extras:
                    conn.exec_driver_sql(statement)
            problems = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
            if problems:
                raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:5]}")
            conn.exec_driver_sql("COMMIT")
        except BaseException:
            conn.exec_driver_sql("ROLLBACK")
            raise
        finally:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")


def upgrade():
    op.add_column("article", sa.Column("comments_closed", sa.Boolean(), nullable=False,
                                       server_default=sa.false()))
    # plain ALTER TABLE, not batch mode: a batch copy of comment would lose its expression index
    op.add_column("comment", sa.Column("staff_user_id", sa.Integer(), nullable=True))
    op.add_column("comment", sa.Column("visitor_token_hash", sa.String(length=64), nullable=True))
    op.add_column("comment", sa.Column("moderators_notified_at", sa.DateTime(), nullable=True))
    op.create_index("ix_comment_moderators_notified_at", "comment", ["moderators_notified_at"], unique=False)
    # comments that were waiting before the digest existed were mailed one by one already
    op.execute("UPDATE comment SET moderators_notified_at = created_at WHERE status = 'pending'")
    op.create_table(
        "comment_form_use",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("nonce", sa.String(length=32), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_comment_form_use")),
        sa.UniqueConstraint("nonce", name=op.f("uq_comment_form_use_nonce")),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_comment_form_use_used_at", "comment_form_use", ["used_at"], unique=False)
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_autoincrement()


def downgrade():
    # AUTOINCREMENT stays on SQLite: it changes no data and does no harm
    op.drop_index("ix_comment_form_use_used_at", table_name="comment_form_use")
    op.drop_table("comment_form_use")
    op.drop_index("ix_comment_moderators_notified_at", table_name="comment")
    with op.batch_alter_table("comment", schema=None) as batch_op:
        batch_op.drop_column("moderators_notified_at")
        batch_op.drop_column("visitor_token_hash")
        batch_op.drop_column("staff_user_id")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("comments_closed")
