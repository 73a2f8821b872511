CREATE TABLE "case_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"status" text DEFAULT 'in_review' NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"signed_at" timestamp with time zone,
	CONSTRAINT "case_reviews_study_reviewer_uq" UNIQUE("study_id","reviewer_id")
);
--> statement-breakpoint
CREATE TABLE "clinician_decisions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_review_id" uuid NOT NULL,
	"trial_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"study_id" uuid NOT NULL,
	"reviewer_id" uuid NOT NULL,
	"tumour_present" boolean NOT NULL,
	"suspected_grade" text,
	"management_plan" text NOT NULL,
	"probability_high_grade" integer NOT NULL,
	"confidence" integer NOT NULL,
	"note" text,
	"segmentation_review_id" uuid,
	"signature_id" uuid NOT NULL,
	"time_on_task_ms" bigint,
	"supersedes_id" uuid,
	"correction_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "clinician_decisions_signature_uq" UNIQUE("signature_id"),
	CONSTRAINT "clinician_decisions_supersedes_uq" UNIQUE("supersedes_id")
);
--> statement-breakpoint
CREATE TABLE "electronic_signatures" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"signer_id" uuid NOT NULL,
	"signer_name" text NOT NULL,
	"signer_username" text NOT NULL,
	"meaning" text NOT NULL,
	"content_sha256" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "segmentation_reviews" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"case_review_id" uuid NOT NULL,
	"segmentation_id" uuid NOT NULL,
	"outcome" text NOT NULL,
	"original_labels_sha256" text NOT NULL,
	"edited_labels_sha256" text,
	"edited_volumes_ml" jsonb,
	"reason" text,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "case_reviews" ADD CONSTRAINT "case_reviews_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reviews" ADD CONSTRAINT "case_reviews_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reviews" ADD CONSTRAINT "case_reviews_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reviews" ADD CONSTRAINT "case_reviews_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "case_reviews" ADD CONSTRAINT "case_reviews_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinician_decisions" ADD CONSTRAINT "clinician_decisions_case_review_id_case_reviews_id_fk" FOREIGN KEY ("case_review_id") REFERENCES "public"."case_reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinician_decisions" ADD CONSTRAINT "clinician_decisions_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinician_decisions" ADD CONSTRAINT "clinician_decisions_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinician_decisions" ADD CONSTRAINT "clinician_decisions_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinician_decisions" ADD CONSTRAINT "clinician_decisions_reviewer_id_users_id_fk" FOREIGN KEY ("reviewer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinician_decisions" ADD CONSTRAINT "clinician_decisions_segmentation_review_id_segmentation_reviews_id_fk" FOREIGN KEY ("segmentation_review_id") REFERENCES "public"."segmentation_reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinician_decisions" ADD CONSTRAINT "clinician_decisions_signature_id_electronic_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."electronic_signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "clinician_decisions" ADD CONSTRAINT "clinician_decisions_supersedes_id_clinician_decisions_id_fk" FOREIGN KEY ("supersedes_id") REFERENCES "public"."clinician_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "electronic_signatures" ADD CONSTRAINT "electronic_signatures_signer_id_users_id_fk" FOREIGN KEY ("signer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segmentation_reviews" ADD CONSTRAINT "segmentation_reviews_case_review_id_case_reviews_id_fk" FOREIGN KEY ("case_review_id") REFERENCES "public"."case_reviews"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segmentation_reviews" ADD CONSTRAINT "segmentation_reviews_segmentation_id_segmentations_id_fk" FOREIGN KEY ("segmentation_id") REFERENCES "public"."segmentations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "segmentation_reviews" ADD CONSTRAINT "segmentation_reviews_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "case_reviews_reviewer_idx" ON "case_reviews" USING btree ("reviewer_id");--> statement-breakpoint
CREATE INDEX "clinician_decisions_case_idx" ON "clinician_decisions" USING btree ("case_review_id");--> statement-breakpoint
CREATE INDEX "clinician_decisions_trial_idx" ON "clinician_decisions" USING btree ("trial_id");--> statement-breakpoint
CREATE INDEX "segmentation_reviews_case_idx" ON "segmentation_reviews" USING btree ("case_review_id");--> statement-breakpoint
-- Signed records are immutable: the database itself refuses to change or remove a signature, a
-- signed decision or an AI segmentation review, whatever the application does. A correction is a
-- new decision row that supersedes the old one.
CREATE OR REPLACE FUNCTION review_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (signed records): % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER clinician_decisions_immutable BEFORE UPDATE OR DELETE ON clinician_decisions
  FOR EACH ROW EXECUTE FUNCTION review_refuse_change();
--> statement-breakpoint
CREATE TRIGGER clinician_decisions_no_truncate BEFORE TRUNCATE ON clinician_decisions
  FOR EACH STATEMENT EXECUTE FUNCTION review_refuse_change();
--> statement-breakpoint
CREATE TRIGGER electronic_signatures_immutable BEFORE UPDATE OR DELETE ON electronic_signatures
  FOR EACH ROW EXECUTE FUNCTION review_refuse_change();
--> statement-breakpoint
CREATE TRIGGER electronic_signatures_no_truncate BEFORE TRUNCATE ON electronic_signatures
  FOR EACH STATEMENT EXECUTE FUNCTION review_refuse_change();
--> statement-breakpoint
CREATE TRIGGER segmentation_reviews_immutable BEFORE UPDATE OR DELETE ON segmentation_reviews
  FOR EACH ROW EXECUTE FUNCTION review_refuse_change();
--> statement-breakpoint
CREATE TRIGGER segmentation_reviews_no_truncate BEFORE TRUNCATE ON segmentation_reviews
  FOR EACH STATEMENT EXECUTE FUNCTION review_refuse_change();
--> statement-breakpoint
-- A signed review stays signed (the worklist state is the one mutable part of a review).
CREATE OR REPLACE FUNCTION case_reviews_keep_signed() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (OLD.status = 'signed' AND (NEW.status <> 'signed' OR NEW.signed_at IS DISTINCT FROM OLD.signed_at OR NEW.opened_at <> OLD.opened_at)) THEN
    RAISE EXCEPTION 'case_reviews: % of a % review refused', TG_OP, OLD.status USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER case_reviews_signed_final BEFORE UPDATE OR DELETE ON case_reviews
  FOR EACH ROW EXECUTE FUNCTION case_reviews_keep_signed();
--> statement-breakpoint
ALTER TABLE case_reviews ADD CONSTRAINT case_reviews_status_check CHECK (status IN ('in_review', 'signed'));
--> statement-breakpoint
ALTER TABLE case_reviews ADD CONSTRAINT case_reviews_signed_check CHECK ((status = 'signed') = (signed_at IS NOT NULL));
--> statement-breakpoint
ALTER TABLE segmentation_reviews ADD CONSTRAINT segmentation_reviews_outcome_check
  CHECK (outcome IN ('accepted', 'edited', 'rejected') AND ((outcome = 'edited') = (edited_labels_sha256 IS NOT NULL)));
--> statement-breakpoint
ALTER TABLE clinician_decisions ADD CONSTRAINT clinician_decisions_values_check CHECK (
  probability_high_grade BETWEEN 0 AND 100
  AND confidence BETWEEN 1 AND 5
  AND management_plan IN ('resection', 'biopsy', 'radiotherapy', 'chemoradiotherapy', 'surveillance', 'other')
  AND (suspected_grade IS NULL OR suspected_grade IN ('low', 'high'))
  AND (tumour_present OR suspected_grade IS NULL)
  AND ((supersedes_id IS NULL) = (correction_reason IS NULL))
);
