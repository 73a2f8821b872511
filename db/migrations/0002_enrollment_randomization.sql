CREATE TABLE "allocations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"participant_id" uuid NOT NULL,
	"trial_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"stratum_key" text NOT NULL,
	"slot_index" integer NOT NULL,
	"arm" text NOT NULL,
	"algorithm_version" text NOT NULL,
	"provenance" jsonb NOT NULL,
	"allocated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"allocated_by" uuid,
	CONSTRAINT "allocations_participant_uq" UNIQUE("participant_id"),
	CONSTRAINT "allocations_slot_uq" UNIQUE("trial_id","mode","stratum_key","slot_index")
);
--> statement-breakpoint
CREATE TABLE "participant_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"participant_id" uuid NOT NULL,
	"trial_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"reason" text NOT NULL,
	"note" text,
	"occurred_on" date NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"recorded_by" uuid
);
--> statement-breakpoint
CREATE TABLE "participants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"study_id" text NOT NULL,
	"covariates" jsonb NOT NULL,
	"eligibility" jsonb NOT NULL,
	"consent_date" date,
	"status" text DEFAULT 'enrolled' NOT NULL,
	"exclusion_reason" text,
	"exclusion_note" text,
	"enrolled_at" timestamp with time zone DEFAULT now() NOT NULL,
	"enrolled_by" uuid,
	CONSTRAINT "participants_trial_study_uq" UNIQUE("trial_id","study_id")
);
--> statement-breakpoint
CREATE TABLE "randomization_secrets" (
	"trial_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"seed" "bytea" NOT NULL,
	"algorithm_version" text NOT NULL,
	"commitment_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "randomization_secrets_trial_mode_uq" UNIQUE("trial_id","mode")
);
--> statement-breakpoint
CREATE TABLE "randomization_strata" (
	"trial_id" uuid NOT NULL,
	"mode" text NOT NULL,
	"stratum_key" text NOT NULL,
	"allocated" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "randomization_strata_pk" UNIQUE("trial_id","mode","stratum_key")
);
--> statement-breakpoint
CREATE TABLE "unblindings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"participant_id" uuid NOT NULL,
	"trial_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"unblinded_by" uuid NOT NULL,
	"unblinded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acknowledged_by_monitor" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
ALTER TABLE "trials" ADD COLUMN "design" jsonb;--> statement-breakpoint
ALTER TABLE "trials" ADD COLUMN "live_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_allocated_by_users_id_fk" FOREIGN KEY ("allocated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_events" ADD CONSTRAINT "participant_events_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_events" ADD CONSTRAINT "participant_events_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participant_events" ADD CONSTRAINT "participant_events_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_site_id_sites_id_fk" FOREIGN KEY ("site_id") REFERENCES "public"."sites"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "participants" ADD CONSTRAINT "participants_enrolled_by_users_id_fk" FOREIGN KEY ("enrolled_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "randomization_secrets" ADD CONSTRAINT "randomization_secrets_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "randomization_strata" ADD CONSTRAINT "randomization_strata_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unblindings" ADD CONSTRAINT "unblindings_participant_id_participants_id_fk" FOREIGN KEY ("participant_id") REFERENCES "public"."participants"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unblindings" ADD CONSTRAINT "unblindings_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unblindings" ADD CONSTRAINT "unblindings_unblinded_by_users_id_fk" FOREIGN KEY ("unblinded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "allocations_trial_idx" ON "allocations" USING btree ("trial_id","mode");--> statement-breakpoint
CREATE INDEX "participant_events_participant_idx" ON "participant_events" USING btree ("participant_id");--> statement-breakpoint
CREATE INDEX "participants_trial_site_idx" ON "participants" USING btree ("trial_id","site_id");