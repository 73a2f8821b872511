CREATE TABLE "follow_up_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"visit_date" date NOT NULL,
	"vital_status" text NOT NULL,
	"death_date" date,
	"progression" boolean NOT NULL,
	"progression_date" date,
	"progression_basis" text,
	"note" text,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"supersedes_id" uuid,
	CONSTRAINT "follow_up_visits_supersedes_uq" UNIQUE("supersedes_id")
);
--> statement-breakpoint
ALTER TABLE "follow_up_visits" ADD CONSTRAINT "follow_up_visits_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_visits" ADD CONSTRAINT "follow_up_visits_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "follow_up_visits" ADD CONSTRAINT "follow_up_visits_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "follow_up_visits_participant_idx" ON "follow_up_visits" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "follow_up_visits_trial_idx" ON "follow_up_visits" USING btree ("trial_id");--> statement-breakpoint
-- Follow-up contacts are never changed in place: a correction is a new row that supersedes the old one.
ALTER TABLE "follow_up_visits" ADD CONSTRAINT "follow_up_visits_supersedes_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."follow_up_visits"("id");--> statement-breakpoint
ALTER TABLE "follow_up_visits" ADD CONSTRAINT "follow_up_visits_death_check" CHECK (("vital_status" = 'dead') = ("death_date" IS NOT NULL) AND ("death_date" IS NULL OR "death_date" <= "visit_date"));--> statement-breakpoint
ALTER TABLE "follow_up_visits" ADD CONSTRAINT "follow_up_visits_progression_check" CHECK ("progression" = ("progression_date" IS NOT NULL) AND "progression" = ("progression_basis" IS NOT NULL) AND ("progression_date" IS NULL OR "progression_date" <= "visit_date"));--> statement-breakpoint
CREATE OR REPLACE FUNCTION follow_up_visits_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'follow_up_visits are corrected by a new row, never changed: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER follow_up_visits_append_only BEFORE UPDATE OR DELETE ON follow_up_visits
  FOR EACH ROW EXECUTE FUNCTION follow_up_visits_refuse_change();
