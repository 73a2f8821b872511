CREATE TABLE "ai_availability_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"site_id" uuid,
	"action" text NOT NULL,
	"reason" text NOT NULL,
	"signature_id" uuid NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "oversight_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"site_id" uuid,
	"metric" text NOT NULL,
	"detection_key" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"observed_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"acknowledgement_comment" text,
	CONSTRAINT "oversight_alerts_detection_uq" UNIQUE("detection_key")
);
--> statement-breakpoint
ALTER TABLE "ai_availability_events" ADD CONSTRAINT "ai_availability_events_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_availability_events" ADD CONSTRAINT "ai_availability_events_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_availability_events" ADD CONSTRAINT "ai_availability_events_signature_id_electronic_signatures_id_fk" FOREIGN KEY ("signature_id") REFERENCES "public"."electronic_signatures"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_availability_events" ADD CONSTRAINT "ai_availability_events_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oversight_alerts" ADD CONSTRAINT "oversight_alerts_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oversight_alerts" ADD CONSTRAINT "oversight_alerts_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "oversight_alerts" ADD CONSTRAINT "oversight_alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ai_availability_events_trial_idx" ON "ai_availability_events" USING btree ("trial_id");--> statement-breakpoint
CREATE INDEX "oversight_alerts_trial_idx" ON "oversight_alerts" USING btree ("trial_id");--> statement-breakpoint
CREATE OR REPLACE FUNCTION ai_availability_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'ai_availability_events is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER ai_availability_events_append_only BEFORE UPDATE OR DELETE ON ai_availability_events
  FOR EACH ROW EXECUTE FUNCTION ai_availability_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ai_availability_events_no_truncate BEFORE TRUNCATE ON ai_availability_events
  FOR EACH STATEMENT EXECUTE FUNCTION ai_availability_refuse_change();
