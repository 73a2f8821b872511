CREATE TABLE "imaging_visits" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"visit_code" text NOT NULL,
	"study_id" uuid,
	"due_on" date NOT NULL,
	"scanned_on" date,
	"window_status" text NOT NULL,
	"registration" jsonb,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "imaging_visits_participant_visit_uq" UNIQUE("participant_id","visit_code"),
	CONSTRAINT "imaging_visits_study_uq" UNIQUE("study_id")
);
--> statement-breakpoint
CREATE TABLE "rano_assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"visit_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"scan_date" date NOT NULL,
	"suggested_category" text,
	"suggested_rule" text,
	"measurements" jsonb,
	"category" text NOT NULL,
	"override_reason" text,
	"signature_id" uuid NOT NULL,
	"supersedes_id" uuid,
	"correction_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rano_assessments_supersedes_uq" UNIQUE("supersedes_id")
);
--> statement-breakpoint
ALTER TABLE "imaging_visits" ADD CONSTRAINT "imaging_visits_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imaging_visits" ADD CONSTRAINT "imaging_visits_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imaging_visits" ADD CONSTRAINT "imaging_visits_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "imaging_visits" ADD CONSTRAINT "imaging_visits_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rano_assessments" ADD CONSTRAINT "rano_assessments_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rano_assessments" ADD CONSTRAINT "rano_assessments_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rano_assessments" ADD CONSTRAINT "rano_assessments_visit_id_imaging_visits_id_fk" FOREIGN KEY ("visit_id") REFERENCES "public"."imaging_visits"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rano_assessments" ADD CONSTRAINT "rano_assessments_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rano_assessments" ADD CONSTRAINT "rano_assessments_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rano_assessments" ADD CONSTRAINT "rano_assessments_signature_id_electronic_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."electronic_signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "imaging_visits_trial_idx" ON "imaging_visits" USING btree ("trial_id");--> statement-breakpoint
CREATE INDEX "rano_assessments_participant_idx" ON "rano_assessments" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "rano_assessments_trial_idx" ON "rano_assessments" USING btree ("trial_id");
--> statement-breakpoint
-- Signed RANO assessments are never changed (review_refuse_change comes from migration 0007).
CREATE TRIGGER rano_assessments_immutable BEFORE UPDATE OR DELETE ON rano_assessments
  FOR EACH ROW EXECUTE FUNCTION review_refuse_change();
--> statement-breakpoint
CREATE TRIGGER rano_assessments_no_truncate BEFORE TRUNCATE ON rano_assessments
  FOR EACH STATEMENT EXECUTE FUNCTION review_refuse_change();
--> statement-breakpoint
ALTER TABLE rano_assessments ADD CONSTRAINT rano_assessments_override_check
  CHECK (category IN ('CR', 'PR', 'SD', 'PD') AND (suggested_category IS NULL OR suggested_category = category OR length(trim(coalesce(override_reason, ''))) > 0));
--> statement-breakpoint
ALTER TABLE imaging_visits ADD CONSTRAINT imaging_visits_missed_check
  CHECK ((window_status = 'missed') = (study_id IS NULL) AND (study_id IS NULL) = (scanned_on IS NULL));
