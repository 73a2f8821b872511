CREATE TABLE "pacs_study_sources" (
	"study_id" uuid PRIMARY KEY NOT NULL,
	"study_instance_uid" text NOT NULL,
	"series" jsonb NOT NULL,
	"retrieved_by" uuid,
	"retrieved_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "pacs_study_sources" ADD CONSTRAINT "pacs_study_sources_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "pacs_study_sources" ADD CONSTRAINT "pacs_study_sources_retrieved_by_users_id_fk" FOREIGN KEY ("retrieved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;