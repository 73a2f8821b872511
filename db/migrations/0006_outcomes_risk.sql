CREATE TABLE "participant_outcomes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"reference_high_grade" boolean,
	"who_grade" integer,
	"reference_study_id" uuid,
	"reference_labels_sha256" text,
	"progression_free_6m" boolean,
	"assessed_on" date NOT NULL,
	"note" text,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"supersedes_id" uuid,
	CONSTRAINT "participant_outcomes_supersedes_uq" UNIQUE("supersedes_id")
);
--> statement-breakpoint
ALTER TABLE "segmentations" ADD COLUMN "risk_high_grade" real;--> statement-breakpoint
ALTER TABLE "participant_outcomes" ADD CONSTRAINT "participant_outcomes_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_outcomes" ADD CONSTRAINT "participant_outcomes_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_outcomes" ADD CONSTRAINT "participant_outcomes_reference_study_id_studies_id_fk" FOREIGN KEY ("reference_study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_outcomes" ADD CONSTRAINT "participant_outcomes_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "participant_outcomes_participant_idx" ON "participant_outcomes" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "participant_outcomes_trial_idx" ON "participant_outcomes" USING btree ("trial_id");--> statement-breakpoint
-- Follow-up outcomes are never changed in place: a correction is a new row that supersedes the old one.
ALTER TABLE "participant_outcomes" ADD CONSTRAINT "participant_outcomes_supersedes_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."participant_outcomes"("id");--> statement-breakpoint
ALTER TABLE "participant_outcomes" ADD CONSTRAINT "participant_outcomes_who_grade_check" CHECK ("who_grade" IS NULL OR "who_grade" BETWEEN 1 AND 4);--> statement-breakpoint
ALTER TABLE "segmentations" ADD CONSTRAINT "segmentations_risk_check" CHECK ("risk_high_grade" IS NULL OR ("risk_high_grade" >= 0 AND "risk_high_grade" <= 1));--> statement-breakpoint
CREATE OR REPLACE FUNCTION participant_outcomes_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'participant_outcomes are corrected by a new row, never changed: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER participant_outcomes_append_only BEFORE UPDATE OR DELETE ON participant_outcomes
  FOR EACH ROW EXECUTE FUNCTION participant_outcomes_refuse_change();
