CREATE TABLE "simulated_reads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"participant_id" uuid NOT NULL,
	"model_risk" real NOT NULL,
	"reader" text NOT NULL,
	"with_ai" boolean NOT NULL,
	"probability_high_grade" real NOT NULL,
	"suspected_grade" text NOT NULL,
	"ai_action" text,
	"seconds_to_decision" real NOT NULL,
	"reader_model" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "simulated_reads_participant_uq" UNIQUE("participant_id")
);
--> statement-breakpoint
ALTER TABLE "simulated_reads" ADD CONSTRAINT "simulated_reads_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "simulated_reads" ADD CONSTRAINT "simulated_reads_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "simulated_reads_trial_idx" ON "simulated_reads" USING btree ("trial_id");