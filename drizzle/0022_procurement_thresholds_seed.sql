-- Seed procurement-method thresholds: configuration data, changed with setProcurementThreshold.
-- The figures are seed values to be confirmed against the Shanghai centralised procurement
-- catalogue in force (上海市政府集中采购目录及标准): service projects of 4,000,000 yuan or more
-- must be procured by public tender (公开招标数额标准); below it any of the five methods.
INSERT INTO "procurement_thresholds" ("min_budget_fen", "allowed_methods", "source", "updated_by") VALUES
  (0, '{OPEN_TENDER,INVITED_TENDER,COMPETITIVE_NEGOTIATION,COMPETITIVE_CONSULTATION,SINGLE_SOURCE}', 'Seed value, configurable: below the public-tender amount any method may be used', 'seed'),
  (400000000, '{OPEN_TENDER}', 'Seed value, configurable: Shanghai public-tender amount for services (公开招标数额标准), 4,000,000 yuan, to be confirmed', 'seed');
