CREATE TABLE "randomization_simulations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"trial_id" uuid NOT NULL,
	"design_hash" text NOT NULL,
	"settings" jsonb NOT NULL,
	"seed" text NOT NULL,
	"result" jsonb NOT NULL,
	"result_sha256" text NOT NULL,
	"run_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "randomization_secrets" ADD COLUMN "simulation_id" uuid;--> statement-breakpoint
ALTER TABLE "randomization_simulations" ADD CONSTRAINT "randomization_simulations_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "randomization_simulations" ADD CONSTRAINT "randomization_simulations_run_by_users_id_fk" FOREIGN KEY ("run_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "randomization_simulations_trial_idx" ON "randomization_simulations" USING btree ("trial_id","created_at");--> statement-breakpoint
ALTER TABLE "randomization_secrets" ADD CONSTRAINT "randomization_secrets_simulation_id_randomization_simulations_id_fk" FOREIGN KEY ("simulation_id") REFERENCES "public"."randomization_simulations"("id") ON DELETE no action ON UPDATE no action;