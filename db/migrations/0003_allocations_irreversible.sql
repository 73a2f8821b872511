-- A live allocation is irreversible: the database refuses to change any allocation, and to delete a
-- live one. (Test-mode allocations are deleted when a trial goes live.)
CREATE OR REPLACE FUNCTION allocations_refuse_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' OR OLD.mode = 'live' THEN
    RAISE EXCEPTION 'allocations are irreversible: % of a % allocation refused', TG_OP, OLD.mode USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER allocations_irreversible BEFORE UPDATE OR DELETE ON allocations
  FOR EACH ROW EXECUTE FUNCTION allocations_refuse_change();
--> statement-breakpoint
ALTER TABLE participants ADD CONSTRAINT participants_status_check CHECK (status IN ('enrolled', 'randomized', 'excluded'));
--> statement-breakpoint
ALTER TABLE participants ADD CONSTRAINT participants_mode_check CHECK (mode IN ('test', 'live'));
