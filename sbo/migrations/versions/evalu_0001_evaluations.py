"""course evaluations (issue 16)

Revision ID: evalu_0001
Revises: offers_0001
"""
from alembic import op
import sqlalchemy as sa

revision = "evalu_0001"
down_revision = "offers_0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "evaluation_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=43), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("reminded_at", sa.DateTime(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"],
                                name=op.f("fk_evaluation_invitation_enrolment_id_enrolment"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_invitation")),
        sa.UniqueConstraint("enrolment_id", name=op.f("uq_evaluation_invitation_enrolment_id")),
        sa.UniqueConstraint("key", name=op.f("uq_evaluation_invitation_key")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_evaluation_invitation_sent_at"), "evaluation_invitation", ["sent_at"], unique=False)
    op.create_table(
        "evaluation_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("offering_id", sa.Integer(), nullable=False),
        sa.Column("enrolment_id", sa.Integer(), nullable=True),
        sa.Column("overall", sa.SmallInteger(), nullable=False),
        sa.Column("trainers", sa.SmallInteger(), nullable=False),
        sa.Column("content", sa.SmallInteger(), nullable=False),
        sa.Column("recommend", sa.Boolean(), nullable=False),
        sa.Column("remark", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["edition_id"], ["edition.id"],
                                name=op.f("fk_evaluation_response_edition_id_edition"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["offering_id"], ["offering.id"],
                                name=op.f("fk_evaluation_response_offering_id_offering"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"],
                                name=op.f("fk_evaluation_response_enrolment_id_enrolment"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation_response")),
        sa.UniqueConstraint("enrolment_id", name=op.f("uq_evaluation_response_enrolment_id")),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f("ix_evaluation_response_edition_id"), "evaluation_response", ["edition_id"], unique=False)
    op.create_index(op.f("ix_evaluation_response_offering_id"), "evaluation_response", ["offering_id"], unique=False)
    op.create_index(op.f("ix_evaluation_response_submitted_at"), "evaluation_response", ["submitted_at"], unique=False)


def downgrade():
    op.drop_table("evaluation_response")
    op.drop_table("evaluation_invitation")
