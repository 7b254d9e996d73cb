"""staff sessions, password resets, login throttling, shared rate-limit counters

rate_limit_counter: Flask-Limiter's counters in the database every worker shares (issue 12,
item 7). staff_session: one row per staff login, which logout, a password change and "Overal
uitloggen" delete; password_reset: single-use reset links (item 5). login_attempt.device and
staff_alert: throttling without lock-out and one alert per period (item 8). Existing remember cookies
held the bare account id and stop working: staff log in once more.

Revision ID: auth_0001
Revises: 20b53cfbcc40
"""
from alembic import op
import sqlalchemy as sa


revision = "auth_0001"
down_revision = "consent_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "rate_limit_counter",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_counter")),
    )
    with op.batch_alter_table("rate_limit_counter", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rate_limit_counter_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "staff_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("remember", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"], name=op.f("fk_staff_session_user_id_staff_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_session")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_staff_session_token_hash")),
    )
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_session_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_session_user_id"), ["user_id"], unique=False)

    op.create_table(
        "password_reset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["staff_user.id"],
                                name=op.f("fk_password_reset_created_by_id_staff_user"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["staff_user.id"], name=op.f("fk_password_reset_user_id_staff_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_password_reset")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_password_reset_token_hash")),
    )
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_password_reset_user_id"), ["user_id"], unique=False)

    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.add_column(sa.Column("device", sa.String(length=32), nullable=True))
        batch_op.create_index(batch_op.f("ix_login_attempt_device"), ["device"], unique=False)

    op.create_table(
        "staff_alert",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_staff_alert")),
    )


def downgrade():
    op.drop_table("staff_alert")
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_login_attempt_device"))
        batch_op.drop_column("device")
    with op.batch_alter_table("password_reset", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_password_reset_user_id"))
    op.drop_table("password_reset")
    with op.batch_alter_table("staff_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_session_user_id"))
        batch_op.drop_index(batch_op.f("ix_staff_session_expires_at"))
    op.drop_table("staff_session")
    with op.batch_alter_table("rate_limit_counter", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rate_limit_counter_expires_at"))
    op.drop_table("rate_limit_counter")
