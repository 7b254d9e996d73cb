"""registers, accreditations, registration numbers and attendance (issue 16)

Revision ID: attend_0001
Revises: venues_0001
"""
from alembic import op
import sqlalchemy as sa

revision = "attend_0001"
down_revision = "venues_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "register",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("short_name", sa.String(length=40), nullable=False),
        sa.Column("number_pattern", sa.String(length=200), nullable=False),
        sa.Column("number_hint", sa.String(length=200), nullable=False),
        sa.Column("provider_details", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_register")),
        sa.UniqueConstraint("name", name=op.f("uq_register_name")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "accreditation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("offering_id", sa.Integer(), nullable=False),
        sa.Column("register_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("net_hours", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("points >= 0 AND net_hours >= 0", name=op.f("ck_accreditation_accreditation_not_negative")),
        sa.ForeignKeyConstraint(["offering_id"], ["offering.id"], name=op.f("fk_accreditation_offering_id_offering"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["register_id"], ["register.id"], name=op.f("fk_accreditation_register_id_register"),
                                ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accreditation")),
        sa.UniqueConstraint("offering_id", "register_id", name="uq_accreditation_offering_register"),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_accreditation_register_id"), "accreditation", ["register_id"], unique=False)
    op.create_table(
        "registration_number",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("register_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"],
                                name=op.f("fk_registration_number_enrolment_id_enrolment"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["register_id"], ["register.id"],
                                name=op.f("fk_registration_number_register_id_register"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_registration_number")),
        sa.UniqueConstraint("enrolment_id", "register_id", name="uq_registration_number_enrolment_register"),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_registration_number_register_id"), "registration_number", ["register_id"],
                    unique=False)
    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("arrived_at", sa.DateTime(), nullable=False),
        sa.Column("left_early_at", sa.DateTime(), nullable=True),
        sa.Column("marked_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"], name=op.f("fk_attendance_enrolment_id_enrolment"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["marked_by"], ["staff_user.id"], name=op.f("fk_attendance_marked_by_staff_user"),
                                ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["session_id"], ["session_date.id"],
                                name=op.f("fk_attendance_session_id_session_date"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint("enrolment_id", "session_id", name="uq_attendance_enrolment_session"),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_attendance_marked_by"), "attendance", ["marked_by"], unique=False)
    op.create_index(op.f("ix_attendance_session_id"), "attendance", ["session_id"], unique=False)


def downgrade():
    op.drop_table("attendance")
    op.drop_table("registration_number")
    op.drop_table("accreditation")
    op.drop_table("register")
