CREATE TYPE "public"."audit_action" AS ENUM('READ_PERSONAL', 'CREATE', 'UPDATE', 'DELETE', 'TRANSITION', 'ACCESS_DENIED');--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigint PRIMARY KEY NOT NULL,
	"occurred_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"request_id" text,
	"actor_subject" text,
	"actor_organization_id" integer,
	"actor_roles" text[] DEFAULT '{}' NOT NULL,
	"purpose" text,
	"action" "audit_action" NOT NULL,
	"entity_type" text NOT NULL,
	"entity_id" integer NOT NULL,
	"fields" text[] DEFAULT '{}' NOT NULL,
	"prev_hash" text NOT NULL,
	"hash" text NOT NULL,
	CONSTRAINT "audit_log_hash_uq" UNIQUE("hash"),
	CONSTRAINT "audit_log_id_ck" CHECK ("audit_log"."id" > 0)
);
--> statement-breakpoint
CREATE INDEX "audit_log_entity_idx" ON "audit_log" USING btree ("entity_type","entity_id","id");--> statement-breakpoint
CREATE INDEX "audit_log_actor_idx" ON "audit_log" USING btree ("actor_subject","id");--> statement-breakpoint
CREATE INDEX "audit_log_occurred_idx" ON "audit_log" USING btree ("occurred_at");--> statement-breakpoint
CREATE INDEX "audit_log_purpose_idx" ON "audit_log" USING btree ("purpose","id");