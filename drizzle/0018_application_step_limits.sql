-- Working days each step may take. The whole chain (1 + 3 + 10 + 5 + 10 = 29) stays within the
-- 30 working days from intake that the national review rules (社会救助审核确认办法) allow; the
-- publicity step's 10 include the 7-day publicity period. Administrators change these as data.
INSERT INTO "application_step_limits" ("status", "working_days") VALUES
  ('RECEIVED', 1),
  ('ACCEPTED', 3),
  ('UNDER_VERIFICATION', 10),
  ('REVIEW', 5),
  ('PUBLICITY', 10);
