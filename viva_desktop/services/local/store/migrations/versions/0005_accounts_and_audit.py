"""Account scopes of per-caller records, per-account outbox, and the audit trail (issue 13).

Until this revision the store kept one copy per server profile, so on a shared laptop or a
team store one person's credit history and juror cases showed as another's. Now:

- `credit_transactions` and `moderation_cases` (what the server answers per caller) carry the
  `account` (server user id) they were read as, unique per `(profile, account, id)`, and
  their sort indexes become `(profile, account, column, pk)`;
- `sync_state` is kept per account for those entities (`account` is "" for shared ones);
- `accounts` maps user ids to e-mails and remembers the last account used on a profile;
- `audit_log` records every write the app makes.

Existing rows are attributed where the data says whose they are: a credit transaction
carries its owner's `userId`; a record with a queued offline edit belongs to the account that
queued it. Other per-caller rows are marked unknown (""), shown to nobody, and re-read at the
next sync (their sync state is reset). Queued edits keep their account untouched.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from viva_desktop.services.local.store.types import JSONType, SurrogateKey, UTCDateTime

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SCOPED = ("credit_transactions", "moderation_cases")
ID = sa.String(200)
# Their sort indexes (revision 0004) gain the account: a view reads one account's rows.
SORTED: dict[str, tuple[str, ...]] = {
    "credit_transactions": (
        "user_id",
        "reason",
        "created_at",
        "amount",
        "balance",
        "related_id",
        "expires_at",
    ),
    "moderation_cases": (
        "content_type",
        "status",
        "deadline",
        "created_at",
        "reporter_id",
        "final_decision",
        "content_id",
    ),
}


def upgrade() -> None:
    for table in SCOPED:
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("account", ID, nullable=False, server_default=""))
            batch.drop_constraint(f"uq_{table}_profile_id", type_="unique")
            batch.create_unique_constraint(
                f"uq_{table}_profile_account_id", ["profile", "account", "id"]
            )
    _attribute_existing_rows()
    for table, columns in SORTED.items():
        for column in columns:
            op.drop_index(f"ix_{table}_profile_{column}_pk", table_name=table)
            op.create_index(
                f"ix_{table}_profile_account_{column}_pk",
                table,
                ["profile", "account", column, "pk"],
            )

    with op.batch_alter_table("sync_state") as batch:
        batch.add_column(sa.Column("account", ID, nullable=False, server_default=""))
        batch.drop_constraint("pk_sync_state", type_="primary")
        batch.create_primary_key("pk_sync_state", ["profile", "entity", "account"])
    # Whose run these were is not known: the next sync of each account starts afresh.
    state = sa.table("sync_state", sa.column("entity", sa.String))
    op.execute(sa.delete(state).where(state.c.entity.in_(SCOPED)))

    op.create_table(
        "accounts",
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("user_id", ID, nullable=False),
        sa.Column("email", sa.String(320)),
        sa.Column("name", sa.String(300)),
        sa.Column("role", sa.String(40)),
        sa.Column("email_verified", sa.Boolean),
        sa.Column("last_used_at", UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("profile", "user_id", name="pk_accounts"),
    )
    op.create_table(
        "audit_log",
        sa.Column("pk", SurrogateKey, primary_key=True, autoincrement=True),
        sa.Column("profile", sa.String(100), nullable=False),
        sa.Column("server", sa.String(500)),
        sa.Column("account", ID),
        sa.Column("account_email", sa.String(320)),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("entity", sa.String(60), nullable=False),
        sa.Column("record_id", ID),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("before", JSONType),
        sa.Column("after", JSONType),
        sa.Column("outcome", sa.String(20), nullable=False),
        sa.Column("message", sa.Text),
        sa.Column("request_id", sa.String(100)),
        sa.Column("outbox_seq", sa.BigInteger),
        sa.Column("replayed", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("pk", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_profile_at_pk", "audit_log", ["profile", "at", "pk"])
    op.create_index(
        "ix_audit_log_profile_entity_record_id_at",
        "audit_log",
        ["profile", "entity", "record_id", "at"],
    )
    op.create_index("ix_audit_log_profile_account_at", "audit_log", ["profile", "account", "at"])


def _attribute_existing_rows() -> None:
    """Give existing per-caller rows their owner where the data tells it."""
    outbox = sa.table(
        "outbox",
        sa.column("profile", sa.String),
        sa.column("entity", sa.String),
        sa.column("target_id", sa.String),
        sa.column("account", sa.String),
        sa.column("seq", sa.Integer),
    )
    for name in SCOPED:
        table = sa.table(
            name,
            sa.column("profile", sa.String),
            sa.column("id", sa.String),
            sa.column("account", sa.String),
            sa.column("local_changes", sa.String),
            *([sa.column("user_id", sa.String)] if name == "credit_transactions" else []),
        )
        # A queued edit's record belongs to the account that queued it (its newest entry).
        queued_by = (
            sa.select(outbox.c.account)
            .where(
                outbox.c.profile == table.c.profile,
                outbox.c.entity == name,
                outbox.c.target_id == table.c.id,
                outbox.c.account.is_not(None),
            )
            .order_by(outbox.c.seq.desc())
            .limit(1)
            .scalar_subquery()
        )
        op.execute(
            sa.update(table)
            .where(table.c.local_changes.is_not(None))
            .values(account=sa.func.coalesce(queued_by, ""))
        )
        if name == "credit_transactions":
            # The transactions list holds only the caller's own: `userId` is the reader.
            op.execute(
                sa.update(table)
                .where(table.c.account == "", table.c.user_id.is_not(None))
                .values(account=table.c.user_id)
            )


def downgrade() -> None:
    op.drop_index("ix_audit_log_profile_account_at", table_name="audit_log")
    op.drop_index("ix_audit_log_profile_entity_record_id_at", table_name="audit_log")
    op.drop_index("ix_audit_log_profile_at_pk", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("accounts")
    state = sa.table("sync_state", sa.column("entity", sa.String))
    op.execute(sa.delete(state).where(state.c.entity.in_(SCOPED)))
    with op.batch_alter_table("sync_state") as batch:
        batch.drop_constraint("pk_sync_state", type_="primary")
        batch.create_primary_key("pk_sync_state", ["profile", "entity"])
        batch.drop_column("account")
    for table, columns in SORTED.items():
        for column in columns:
            op.drop_index(f"ix_{table}_profile_account_{column}_pk", table_name=table)
            op.create_index(f"ix_{table}_profile_{column}_pk", table, ["profile", column, "pk"])
    for table in SCOPED:
        # One copy per profile again: the per-account copies are re-read at the next sync.
        op.execute(sa.table(table).delete())
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_profile_account_id", type_="unique")
            batch.create_unique_constraint(f"uq_{table}_profile_id", ["profile", "id"])
            batch.drop_column("account")
