"""certificates of attendance (issue 16)

Revision ID: cert_0001
Revises: perf_0002
"""
from alembic import op
import sqlalchemy as sa

revision = "cert_0001"
down_revision = "perf_0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "certificate",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("mailed_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_reason", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"],
                                name=op.f("fk_certificate_enrolment_id_enrolment"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_certificate")),
        sa.UniqueConstraint("code", name=op.f("uq_certificate_code")),
        sa.UniqueConstraint("enrolment_id", name=op.f("uq_certificate_enrolment_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_certificate_issued_at"), "certificate", ["issued_at"], unique=False)


def downgrade():
    op.drop_index(op.f("ix_certificate_issued_at"), table_name="certificate")
    op.drop_table("certificate")
