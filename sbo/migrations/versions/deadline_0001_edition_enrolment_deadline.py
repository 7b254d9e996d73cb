"""edition enrolment deadline (issue 17)

An optional last day to enrol per edition; when empty the configured default
(ENROLMENT_DEADLINE_DAYS before the start) applies.

Revision ID: deadline_0001
Revises: incompany_0001
"""
import sqlalchemy as sa
from alembic import op

revision = "deadline_0001"
down_revision = "incompany_0001"
branch_labels = None
depends_on = None


def upgrade():
    # a plain ADD COLUMN (SQLite adds a nullable column in place, no batch copy of the table)
    op.add_column("edition", sa.Column("enrolment_deadline", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("edition") as batch:
        batch.drop_column("enrolment_deadline")
