ALTER TABLE "studies" ADD COLUMN "model_id" uuid;--> statement-breakpoint
ALTER TABLE "studies" ADD CONSTRAINT "studies_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Studies ingested before the column existed were segmented with the pinned model of their trial (no model switch existed then).
UPDATE "studies" SET "model_id" = "trials"."pinned_model_id" FROM "trials" WHERE "trials"."id" = "studies"."trial_id";
