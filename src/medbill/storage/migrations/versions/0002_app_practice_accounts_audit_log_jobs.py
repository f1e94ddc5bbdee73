"""The app: payers, providers, patients and coverage, encounters and their codes, the claim worklist,
batches and acknowledgements, uploaded ERA files; users, sessions, API tokens, the audit log, jobs.

The audit log is append-only: a trigger refuses UPDATE and DELETE of its rows on both backends.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False, comment="read | create | update | ..."),
        sa.Column("resource", sa.String(length=30), nullable=False),
        sa.Column("resource_id", sa.String(length=80), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("client", sa.String(length=64), nullable=False, comment="IP address"),
        sa.Column("user_agent", sa.String(length=200), nullable=False),
        sa.Column("request", sa.String(length=300), nullable=False, comment="method and path"),
        sa.Column("detail", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_resource"), ["resource"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_username"), ["username"], unique=False)

    op.create_table(
        "batches",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("claim_count", sa.Integer(), nullable=False),
        sa.Column("total_charge", sa.BigInteger(), nullable=False),
        sa.Column("interchange_control", sa.String(length=9), nullable=False),
        sa.Column("x12", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batches")),
    )
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batches_status"), ["status"], unique=False)

    op.create_table(
        "era_files",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("results", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("uploaded_by", sa.String(length=80), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_era_files")),
    )
    with op.batch_alter_table("era_files", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_era_files_sha256"), ["sha256"], unique=False)

    op.create_table(
        "jobs",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False, comment="queued | running | done | failed"),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("message", sa.String(length=500), nullable=False),
        sa.Column("params", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("result", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("backend", sa.String(length=10), nullable=False, comment="rq | thread"),
        sa.Column("created_by", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_jobs")),
    )
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_jobs_status"), ["status"], unique=False)

    op.create_table(
        "patients",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("mrn", sa.String(length=40), nullable=False, comment="medical record number"),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=False),
        sa.Column("middle_name", sa.String(length=100), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("address", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_patients")),
        sa.UniqueConstraint("mrn", name=op.f("uq_patients_mrn")),
    )
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_patients_last_name"), ["last_name"], unique=False)

    op.create_table(
        "payers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "payer_code", sa.String(length=80), nullable=False, comment="id as the clearinghouse knows it"
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("type", sa.String(length=20), nullable=False),
        sa.Column("address", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payers")),
        sa.UniqueConstraint("payer_code", name=op.f("uq_payers_payer_code")),
    )
    with op.batch_alter_table("payers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_payers_name"), ["name"], unique=False)

    op.create_table(
        "providers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("npi", sa.String(length=10), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False, comment="organization | individual"),
        sa.Column("name", sa.String(length=200), nullable=False, comment="organisation name or last name"),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("taxonomy", sa.String(length=10), nullable=True),
        sa.Column("tax_id", sa.String(length=11), nullable=True),
        sa.Column("address", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_providers")),
        sa.UniqueConstraint("npi", name=op.f("uq_providers_npi")),
    )
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_providers_name"), ["name"], unique=False)

    op.create_table(
        "users",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("username", sa.String(length=80), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("password_hash", sa.String(length=200), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_api_tokens_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_tokens")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_api_tokens_token_hash")),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "batch_acknowledgments",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("kind", sa.String(length=6), nullable=False, comment="999 | 277CA"),
        sa.Column("accepted", sa.Boolean(), nullable=False),
        sa.Column("summary", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("x12", sa.Text(), nullable=False),
        sa.Column("received_by", sa.String(length=80), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["batches.id"], name=op.f("fk_batch_acknowledgments_batch_id_batches")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_batch_acknowledgments")),
    )
    with op.batch_alter_table("batch_acknowledgments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_batch_acknowledgments_batch_id"), ["batch_id"], unique=False)

    op.create_table(
        "coverages",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("patient_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("payer_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("responsibility", sa.String(length=10), nullable=False),
        sa.Column("member_id", sa.String(length=80), nullable=False),
        sa.Column("group_number", sa.String(length=50), nullable=True),
        sa.Column(
            "relationship",
            sa.String(length=20),
            nullable=False,
            comment="patient's relationship to the subscriber",
        ),
        sa.Column(
            "subscriber",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=True,
            comment="when not the patient",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_coverages_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(["payer_id"], ["payers.id"], name=op.f("fk_coverages_payer_id_payers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_coverages")),
        sa.UniqueConstraint(
            "patient_id", "responsibility", name=op.f("uq_coverages_patient_id_responsibility")
        ),
    )
    with op.batch_alter_table("coverages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverages_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverages_payer_id"), ["payer_id"], unique=False)

    op.create_table(
        "encounters",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("patient_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "rendering_provider_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column(
            "billing_provider_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("service_date", sa.Date(), nullable=False),
        sa.Column("setting", sa.String(length=12), nullable=False, comment="outpatient | inpatient"),
        sa.Column("place_of_service", sa.String(length=2), nullable=False),
        sa.Column("visit_type", sa.String(length=12), nullable=False, comment="new | established (E/M)"),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column(
            "em",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=True,
            comment="E/M level and its reason",
        ),
        sa.Column(
            "mentions",
            sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
            nullable=True,
            comment="mentions found by the coder",
        ),
        sa.Column("coded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["billing_provider_id"],
            ["providers.id"],
            name=op.f("fk_encounters_billing_provider_id_providers"),
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_encounters_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["rendering_provider_id"],
            ["providers.id"],
            name=op.f("fk_encounters_rendering_provider_id_providers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounters")),
    )
    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_encounters_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_encounters_service_date"), ["service_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_encounters_status"), ["status"], unique=False)

    op.create_table(
        "user_sessions",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "client", sa.String(length=64), nullable=False, comment="IP address the session was opened from"
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_user_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "claim_work",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("claim_id", sa.String(length=38), nullable=False, comment="CLM01"),
        sa.Column("encounter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("patient_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("payer_code", sa.String(length=80), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("document", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("total_charge", sa.BigInteger(), nullable=False),
        sa.Column("findings", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("clean", sa.Boolean(), nullable=True),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("price", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=True),
        sa.Column("batch_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["batch_id"], ["batches.id"], name=op.f("fk_claim_work_batch_id_batches")),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounters.id"], name=op.f("fk_claim_work_encounter_id_encounters")
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_claim_work_patient_id_patients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim_work")),
        sa.UniqueConstraint("claim_id", name=op.f("uq_claim_work_claim_id")),
    )
    with op.batch_alter_table("claim_work", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_work_batch_id"), ["batch_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_work_encounter_id"), ["encounter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_work_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_work_payer_code"), ["payer_code"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_work_status"), ["status"], unique=False)

    op.create_table(
        "encounter_codes",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("encounter_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("system", sa.String(length=10), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column(
            "status", sa.String(length=12), nullable=False, comment="mention status: present, negated, ..."
        ),
        sa.Column("evidence", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"), nullable=False),
        sa.Column("rationale", sa.String(length=500), nullable=False),
        sa.Column("origin", sa.String(length=8), nullable=False, comment="engine | coder"),
        sa.Column(
            "decision",
            sa.String(length=10),
            nullable=False,
            comment="pending | accepted | rejected | replaced",
        ),
        sa.Column("replaced_by_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["encounter_id"], ["encounters.id"], name=op.f("fk_encounter_codes_encounter_id_encounters")
        ),
        sa.ForeignKeyConstraint(
            ["replaced_by_id"],
            ["encounter_codes.id"],
            name=op.f("fk_encounter_codes_replaced_by_id_encounter_codes"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_encounter_codes")),
    )
    with op.batch_alter_table("encounter_codes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_encounter_codes_encounter_id"), ["encounter_id"], unique=False)

    _protect_audit_log()


def downgrade() -> None:
    _unprotect_audit_log()
    with op.batch_alter_table("encounter_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_encounter_codes_encounter_id"))

    op.drop_table("encounter_codes")
    with op.batch_alter_table("claim_work", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_work_status"))
        batch_op.drop_index(batch_op.f("ix_claim_work_payer_code"))
        batch_op.drop_index(batch_op.f("ix_claim_work_patient_id"))
        batch_op.drop_index(batch_op.f("ix_claim_work_encounter_id"))
        batch_op.drop_index(batch_op.f("ix_claim_work_batch_id"))

    op.drop_table("claim_work")
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_user_sessions_user_id"))

    op.drop_table("user_sessions")
    with op.batch_alter_table("encounters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_encounters_status"))
        batch_op.drop_index(batch_op.f("ix_encounters_service_date"))
        batch_op.drop_index(batch_op.f("ix_encounters_patient_id"))

    op.drop_table("encounters")
    with op.batch_alter_table("coverages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_coverages_payer_id"))
        batch_op.drop_index(batch_op.f("ix_coverages_patient_id"))

    op.drop_table("coverages")
    with op.batch_alter_table("batch_acknowledgments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batch_acknowledgments_batch_id"))

    op.drop_table("batch_acknowledgments")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    with op.batch_alter_table("providers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_providers_name"))

    op.drop_table("providers")
    with op.batch_alter_table("payers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_payers_name"))

    op.drop_table("payers")
    with op.batch_alter_table("patients", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_patients_last_name"))

    op.drop_table("patients")
    with op.batch_alter_table("jobs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_jobs_status"))

    op.drop_table("jobs")
    with op.batch_alter_table("era_files", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_era_files_sha256"))

    op.drop_table("era_files")
    with op.batch_alter_table("batches", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_batches_status"))

    op.drop_table("batches")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_username"))
        batch_op.drop_index(batch_op.f("ix_audit_log_resource"))
        batch_op.drop_index(batch_op.f("ix_audit_log_patient_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))
        batch_op.drop_index(batch_op.f("ix_audit_log_action"))

    op.drop_table("audit_log")


APPEND_ONLY = "the audit log is append-only"


def _protect_audit_log() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION medbill_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION medbill_audit_log_append_only()"
        )
        return
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )


def _unprotect_audit_log() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS medbill_audit_log_append_only()")
        return
    for event in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS audit_log_no_{event}")
