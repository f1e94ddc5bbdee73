"""The A/R journal: claims and their billed documents, accounts, journal entries and postings, balance
assertions, posted remittances and their claim payments, the exception and denial queues.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column(
            "party", sa.String(length=160), nullable=False, comment="payer id or patient key; '' for none"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("kind", "party", name=op.f("uq_accounts_kind_party")),
    )
    op.create_table(
        "claims",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("claim_id", sa.String(length=38), nullable=False, comment="CLM01 patient control number"),
        sa.Column("patient_key", sa.String(length=160), nullable=False),
        sa.Column("first_service_date", sa.Date(), nullable=True),
        sa.Column("last_service_date", sa.Date(), nullable=True),
        sa.Column("total_charge", sa.BigInteger(), nullable=False),
        sa.Column("billed_on", sa.Date(), nullable=False, comment="date its charges were posted"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claims")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_claims_claim_id")),
    )
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claims_billed_on"), ["billed_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_claims_patient_key"), ["patient_key"], unique=False)

    op.create_table(
        "remittances",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("trace_number", sa.String(length=50), nullable=False, comment="TRN02"),
        sa.Column(
            "payer_key", sa.String(length=80), nullable=False, comment="TRN03, else N1*PR id, else payer name"
        ),
        sa.Column("payer_id", sa.String(length=80), nullable=True),
        sa.Column("payer_name", sa.String(length=200), nullable=False),
        sa.Column("payment_amount", sa.BigInteger(), nullable=False, comment="BPR02"),
        sa.Column("payment_method", sa.String(length=3), nullable=False, comment="BPR04"),
        sa.Column("payment_date", sa.Date(), nullable=True, comment="BPR16"),
        sa.Column("production_date", sa.Date(), nullable=True, comment="DTM*405"),
        sa.Column("source_name", sa.String(length=255), nullable=False),
        sa.Column("source_sha256", sa.String(length=64), nullable=False),
        sa.Column("claims_count", sa.Integer(), nullable=False),
        sa.Column("header", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("posted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittances")),
        sa.UniqueConstraint("trace_number", "payer_key", name=op.f("uq_remittances_trace_number_payer_key")),
    )
    op.create_table(
        "balance_assertions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("claim_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("narration", sa.String(length=500), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_balance_assertions_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["claim_pk"], ["claims.id"], name=op.f("fk_balance_assertions_claim_pk_claims")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_balance_assertions")),
    )
    with op.batch_alter_table("balance_assertions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_balance_assertions_account_id"), ["account_id"], unique=False)

    op.create_table(
        "claim_documents",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("claim_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "responsibility",
            sa.String(length=10),
            nullable=False,
            comment="SBR01: primary, secondary, tertiary",
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("payer_id", sa.String(length=80), nullable=False),
        sa.Column("payer_name", sa.String(length=200), nullable=False),
        sa.Column("member_id", sa.String(length=80), nullable=False),
        sa.Column("frequency", sa.String(length=1), nullable=False),
        sa.Column("payer_claim_number", sa.String(length=50), nullable=True),
        sa.Column(
            "clean",
            sa.Boolean(),
            nullable=True,
            comment="passed the claim edits with no finding (None: not checked)",
        ),
        sa.Column("document", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("billed_on", sa.Date(), nullable=False, comment="date it was billed to this payer"),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_pk"], ["claims.id"], name=op.f("fk_claim_documents_claim_pk_claims")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_documents")),
        sa.UniqueConstraint(
            "claim_pk",
            "responsibility",
            "version",
            name=op.f("uq_claim_documents_claim_pk_responsibility_version"),
        ),
    )
    with op.batch_alter_table("claim_documents", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_documents_claim_pk"), ["claim_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_documents_member_id"), ["member_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_claim_documents_payer_claim_number"), ["payer_claim_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_claim_documents_payer_id"), ["payer_id"], unique=False)

    op.create_table(
        "journal_entries",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("claim_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("narration", sa.String(length=500), nullable=False),
        sa.Column("carc_group", sa.String(length=2), nullable=True),
        sa.Column("carc_reason", sa.String(length=5), nullable=True),
        sa.Column("remittance_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("reverses_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["claim_pk"], ["claims.id"], name=op.f("fk_journal_entries_claim_pk_claims")),
        sa.ForeignKeyConstraint(
            ["remittance_id"], ["remittances.id"], name=op.f("fk_journal_entries_remittance_id_remittances")
        ),
        sa.ForeignKeyConstraint(
            ["reverses_id"],
            ["journal_entries.id"],
            name=op.f("fk_journal_entries_reverses_id_journal_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_entries")),
        sa.UniqueConstraint("reverses_id", name=op.f("uq_journal_entries_reverses_id")),
    )
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_journal_entries_claim_pk"), ["claim_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_journal_entries_date"), ["date"], unique=False)
        batch_op.create_index(batch_op.f("ix_journal_entries_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_journal_entries_remittance_id"), ["remittance_id"], unique=False)

    op.create_table(
        "remittance_claims",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("remittance_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "position", sa.Integer(), nullable=False, comment="0-based order of the CLP in the remittance"
        ),
        sa.Column("claim_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("clp_claim_id", sa.String(length=38), nullable=False, comment="CLP01 as the payer sent it"),
        sa.Column("payer_claim_number", sa.String(length=50), nullable=True, comment="CLP07"),
        sa.Column("status", sa.String(length=2), nullable=False, comment="CLP02"),
        sa.Column("responsibility", sa.String(length=10), nullable=True),
        sa.Column("charge", sa.BigInteger(), nullable=False),
        sa.Column("paid", sa.BigInteger(), nullable=False),
        sa.Column("patient_responsibility", sa.BigInteger(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("document", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_pk"], ["claims.id"], name=op.f("fk_remittance_claims_claim_pk_claims")
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"], ["remittances.id"], name=op.f("fk_remittance_claims_remittance_id_remittances")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_remittance_claims")),
    )
    with op.batch_alter_table("remittance_claims", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_remittance_claims_claim_pk"), ["claim_pk"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_remittance_claims_payer_claim_number"), ["payer_claim_number"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_remittance_claims_remittance_id"), ["remittance_id"], unique=False
        )

    op.create_table(
        "ar_exceptions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("remittance_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("remittance_claim_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("claim_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=500), nullable=True),
        sa.Column("resolution_entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(["claim_pk"], ["claims.id"], name=op.f("fk_ar_exceptions_claim_pk_claims")),
        sa.ForeignKeyConstraint(
            ["remittance_claim_id"],
            ["remittance_claims.id"],
            name=op.f("fk_ar_exceptions_remittance_claim_id_remittance_claims"),
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"], ["remittances.id"], name=op.f("fk_ar_exceptions_remittance_id_remittances")
        ),
        sa.ForeignKeyConstraint(
            ["resolution_entry_id"],
            ["journal_entries.id"],
            name=op.f("fk_ar_exceptions_resolution_entry_id_journal_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ar_exceptions")),
    )
    with op.batch_alter_table("ar_exceptions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ar_exceptions_claim_pk"), ["claim_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_ar_exceptions_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_ar_exceptions_remittance_id"), ["remittance_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ar_exceptions_status"), ["status"], unique=False)

    op.create_table(
        "denials",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("claim_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("remittance_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "remittance_claim_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("procedure", sa.String(length=10), nullable=True),
        sa.Column("category", sa.String(length=30), nullable=False),
        sa.Column("carc_group", sa.String(length=2), nullable=False),
        sa.Column("carc_reason", sa.String(length=5), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("adjustments", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("remarks", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("payer_key", sa.String(length=80), nullable=False),
        sa.Column("denied_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.String(length=500), nullable=True),
        sa.Column("resolution_entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.ForeignKeyConstraint(["claim_pk"], ["claims.id"], name=op.f("fk_denials_claim_pk_claims")),
        sa.ForeignKeyConstraint(
            ["remittance_claim_id"],
            ["remittance_claims.id"],
            name=op.f("fk_denials_remittance_claim_id_remittance_claims"),
        ),
        sa.ForeignKeyConstraint(
            ["remittance_id"], ["remittances.id"], name=op.f("fk_denials_remittance_id_remittances")
        ),
        sa.ForeignKeyConstraint(
            ["resolution_entry_id"],
            ["journal_entries.id"],
            name=op.f("fk_denials_resolution_entry_id_journal_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_denials")),
    )
    with op.batch_alter_table("denials", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_denials_category"), ["category"], unique=False)
        batch_op.create_index(batch_op.f("ix_denials_claim_pk"), ["claim_pk"], unique=False)
        batch_op.create_index(batch_op.f("ix_denials_remittance_id"), ["remittance_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_denials_status"), ["status"], unique=False)

    op.create_table(
        "journal_postings",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("entry_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("account_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("claim_pk", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True, comment="1-based service line of the claim"),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_journal_postings_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["claim_pk"], ["claims.id"], name=op.f("fk_journal_postings_claim_pk_claims")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["journal_entries.id"], name=op.f("fk_journal_postings_entry_id_journal_entries")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_journal_postings")),
    )
    with op.batch_alter_table("journal_postings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_journal_postings_account_id"), ["account_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_journal_postings_claim_pk_account_id"), ["claim_pk", "account_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_journal_postings_entry_id"), ["entry_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("journal_postings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_postings_entry_id"))
        batch_op.drop_index(batch_op.f("ix_journal_postings_claim_pk_account_id"))
        batch_op.drop_index(batch_op.f("ix_journal_postings_account_id"))

    op.drop_table("journal_postings")
    with op.batch_alter_table("denials", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_denials_status"))
        batch_op.drop_index(batch_op.f("ix_denials_remittance_id"))
        batch_op.drop_index(batch_op.f("ix_denials_claim_pk"))
        batch_op.drop_index(batch_op.f("ix_denials_category"))

    op.drop_table("denials")
    with op.batch_alter_table("ar_exceptions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ar_exceptions_status"))
        batch_op.drop_index(batch_op.f("ix_ar_exceptions_remittance_id"))
        batch_op.drop_index(batch_op.f("ix_ar_exceptions_kind"))
        batch_op.drop_index(batch_op.f("ix_ar_exceptions_claim_pk"))

    op.drop_table("ar_exceptions")
    with op.batch_alter_table("remittance_claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_remittance_claims_remittance_id"))
        batch_op.drop_index(batch_op.f("ix_remittance_claims_payer_claim_number"))
        batch_op.drop_index(batch_op.f("ix_remittance_claims_claim_pk"))

    op.drop_table("remittance_claims")
    with op.batch_alter_table("journal_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_entries_remittance_id"))
        batch_op.drop_index(batch_op.f("ix_journal_entries_kind"))
        batch_op.drop_index(batch_op.f("ix_journal_entries_date"))
        batch_op.drop_index(batch_op.f("ix_journal_entries_claim_pk"))

    op.drop_table("journal_entries")
    with op.batch_alter_table("claim_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_documents_payer_id"))
        batch_op.drop_index(batch_op.f("ix_claim_documents_payer_claim_number"))
        batch_op.drop_index(batch_op.f("ix_claim_documents_member_id"))
        batch_op.drop_index(batch_op.f("ix_claim_documents_claim_pk"))

    op.drop_table("claim_documents")
    with op.batch_alter_table("balance_assertions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_balance_assertions_account_id"))

    op.drop_table("balance_assertions")
    op.drop_table("remittances")
    with op.batch_alter_table("claims", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claims_patient_key"))
        batch_op.drop_index(batch_op.f("ix_claims_billed_on"))

    op.drop_table("claims")
    op.drop_table("accounts")
