CREATE INDEX "referral_events_status_at_idx" ON "referral_events" USING btree ("to_status","at");--> statement-breakpoint
CREATE INDEX "referrals_created_idx" ON "referrals" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "application_steps_due_idx" ON "application_steps" USING btree ("due_on") WHERE "application_steps"."due_on" is not null;