ALTER TABLE "allocations" DROP CONSTRAINT "allocations_slot_uq";--> statement-breakpoint
ALTER TABLE "randomization_secrets" DROP CONSTRAINT "randomization_secrets_trial_mode_uq";--> statement-breakpoint
ALTER TABLE "randomization_strata" DROP CONSTRAINT "randomization_strata_pk";--> statement-breakpoint
ALTER TABLE "allocations" ADD COLUMN "period" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "randomization_secrets" ADD COLUMN "period" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "randomization_secrets" ADD COLUMN "parameters" jsonb;--> statement-breakpoint
-- Rows committed before periods existed committed to the design's randomization parameters, which
-- no amendment could change: copy them so each period carries its own parameters.
UPDATE "randomization_secrets" AS s SET "parameters" = t."design"->'randomization' FROM "trials" AS t WHERE t."id" = s."trial_id";--> statement-breakpoint
ALTER TABLE "randomization_secrets" ALTER COLUMN "parameters" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "randomization_strata" ADD COLUMN "period" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "allocations" ADD CONSTRAINT "allocations_period_slot_uq" UNIQUE("trial_id","mode","period","stratum_key","slot_index");--> statement-breakpoint
ALTER TABLE "randomization_secrets" ADD CONSTRAINT "randomization_secrets_trial_mode_period_uq" UNIQUE("trial_id","mode","period");--> statement-breakpoint
ALTER TABLE "randomization_strata" ADD CONSTRAINT "randomization_strata_period_pk" UNIQUE("trial_id","mode","period","stratum_key");