-- Seed standards for verifications requested in 2025 and 2026. THESE ARE SEED VALUES THE CITY
-- CIVIL AFFAIRS BUREAU MUST CONFIRM (an administrator changes them with setVerificationStandard):
-- * minimum living standard: 1,510 yuan per person per month, the figure Shanghai has applied
--   since mid-2024 as far as the hub's authors know; whether and when it was raised in 2025 or
--   2026 was not confirmed, so both years carry it from 1 January.
-- * per-capita asset limit (deposits, securities, business capital): 150,000 yuan, a placeholder.
-- * dwellings: at most 1; vehicles: none worth more than 50,000 yuan; both placeholders.
INSERT INTO "verification_standards" ("year", "effective_from", "minimum_living_standard_fen", "asset_limit_per_capita_fen", "max_dwellings", "vehicle_value_limit_fen", "note") VALUES
  (2025, '2025-01-01', 151000, 15000000, 1, 5000000, 'Seed values: to be confirmed by the city civil affairs bureau'),
  (2026, '2026-01-01', 151000, 15000000, 1, 5000000, 'Seed values: to be confirmed by the city civil affairs bureau');
