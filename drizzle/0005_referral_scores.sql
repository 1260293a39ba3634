ALTER TABLE "referrals" ADD COLUMN "score" double precision;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "score_parts" jsonb;