ALTER TABLE "studies" ADD COLUMN "preprocessing" jsonb;--> statement-breakpoint
ALTER TABLE "study_uploads" ADD COLUMN "mapping" jsonb;