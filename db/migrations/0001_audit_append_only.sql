-- The audit trail is append-only: the database itself refuses to change or remove a row,
-- whatever the application does. (A superuser can still disable triggers; the hash chain is what
-- makes such tampering detectable.)
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
--> statement-breakpoint
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('admin', 'coordinator', 'clinician', 'statistician', 'monitor'));
--> statement-breakpoint
ALTER TABLE trials ADD CONSTRAINT trials_status_check CHECK (status IN ('design', 'test', 'live', 'closed'));
