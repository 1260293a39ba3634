-- Allowance formulas every deployment starts with. SEED VALUES, TO BE CONFIRMED BY THE BUREAU:
-- the standard is Shanghai's published minimum living standard of 1,510 yuan per person per
-- month (from July 2024) as the project understood it; the extreme-poverty multiple is the
-- national floor (basic living support at least 1.3 × the local minimum living standard); the
-- per-member supplements are placeholders for classified assistance (分类施保). The bureau
-- replaces them by inserting rows with a later effective month, never by editing these.
INSERT INTO "allowance_formulas" ("application_type", "effective_from", "method", "standard_monthly_fen", "standard_multiple_permille", "supplement_permille", "source") VALUES
  ('MINIMUM_LIVING_ALLOWANCE', '2024-07', 'GAP_TO_STANDARD', 151000, 1000,
   '{"DISABILITY": 200, "SERIOUS_ILLNESS": 200, "ELDERLY": 100, "MINOR": 100}',
   'Seed value, to be confirmed by the bureau: standard 1,510 yuan; supplements 20 % (disability, serious illness) and 10 % (60 and over, under 18) of the standard'),
  ('EXTREME_POVERTY_SUPPORT', '2024-07', 'FIXED_PER_MEMBER', 151000, 1300,
   '{}',
   'Seed value, to be confirmed by the bureau: basic living support 1.3 × the standard of 1,510 yuan per member');
