-- The rules audit log is append-only: the database itself refuses to change or remove an
-- entry (src/modules/rules/audit.ts chains the entries; this makes tampering need a superuser
-- who disables the triggers, which verification then detects).
CREATE OR REPLACE FUNCTION rules_audit_log_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'rules_audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
DROP TRIGGER IF EXISTS rules_audit_log_no_update ON rules_audit_log;
CREATE TRIGGER rules_audit_log_no_update BEFORE UPDATE OR DELETE ON rules_audit_log FOR EACH ROW EXECUTE FUNCTION rules_audit_log_refuse();
DROP TRIGGER IF EXISTS rules_audit_log_no_truncate ON rules_audit_log;
CREATE TRIGGER rules_audit_log_no_truncate BEFORE TRUNCATE ON rules_audit_log FOR EACH STATEMENT EXECUTE FUNCTION rules_audit_log_refuse();
