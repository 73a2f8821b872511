CREATE TABLE "analysis_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"content_sha256" text NOT NULL,
	"amendment_reason" text,
	"signature_id" uuid NOT NULL,
	"locked_by" uuid NOT NULL,
	"locked_at" timestamp with time zone NOT NULL,
	CONSTRAINT "analysis_plans_version_uq" UNIQUE("trial_id","version")
);
--> statement-breakpoint
CREATE TABLE "dsmb_recommendations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"look" integer NOT NULL,
	"recommendation" text NOT NULL,
	"rationale" text NOT NULL,
	"analysis_plan_id" uuid NOT NULL,
	"report_sha256" text NOT NULL,
	"signature_id" uuid NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "analysis_plans" ADD CONSTRAINT "analysis_plans_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_plans" ADD CONSTRAINT "analysis_plans_signature_id_electronic_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."electronic_signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "analysis_plans" ADD CONSTRAINT "analysis_plans_locked_by_users_id_fk" FOREIGN KEY ("locked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dsmb_recommendations" ADD CONSTRAINT "dsmb_recommendations_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dsmb_recommendations" ADD CONSTRAINT "dsmb_recommendations_analysis_plan_id_analysis_plans_id_fk" FOREIGN KEY ("analysis_plan_id") REFERENCES "public"."analysis_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dsmb_recommendations" ADD CONSTRAINT "dsmb_recommendations_signature_id_electronic_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."electronic_signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dsmb_recommendations" ADD CONSTRAINT "dsmb_recommendations_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dsmb_recommendations_trial_idx" ON "dsmb_recommendations" USING btree ("trial_id");--> statement-breakpoint
ALTER TABLE users DROP CONSTRAINT users_role_check;
--> statement-breakpoint
ALTER TABLE users ADD CONSTRAINT users_role_check
  CHECK (role IN ('admin', 'coordinator', 'clinician', 'statistician', 'monitor', 'dsmb'));
--> statement-breakpoint
CREATE OR REPLACE FUNCTION monitoring_records_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER analysis_plans_append_only BEFORE UPDATE OR DELETE ON analysis_plans
  FOR EACH ROW EXECUTE FUNCTION monitoring_records_refuse_change();
--> statement-breakpoint
CREATE TRIGGER analysis_plans_no_truncate BEFORE TRUNCATE ON analysis_plans
  FOR EACH STATEMENT EXECUTE FUNCTION monitoring_records_refuse_change();
--> statement-breakpoint
CREATE TRIGGER dsmb_recommendations_append_only BEFORE UPDATE OR DELETE ON dsmb_recommendations
  FOR EACH ROW EXECUTE FUNCTION monitoring_records_refuse_change();
--> statement-breakpoint
CREATE TRIGGER dsmb_recommendations_no_truncate BEFORE TRUNCATE ON dsmb_recommendations
  FOR EACH STATEMENT EXECUTE FUNCTION monitoring_records_refuse_change();
