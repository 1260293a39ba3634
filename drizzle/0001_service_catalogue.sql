-- The service catalogue of policy §3(2) (《上海市关于政府购买社会救助服务项目目录》): the ten
-- items every deployment starts with. Administrators extend, rename and retire items as data.
INSERT INTO "service_categories" ("code", "group", "name_zh", "name_en", "description", "sort_order") VALUES
  ('BENEFICIARY_SCREENING', 'ADMINISTRATIVE', '对象排查', 'Beneficiary screening', 'Finding and reporting households in difficulty.', 10),
  ('MEANS_INVESTIGATION', 'ADMINISTRATIVE', '家计调查', 'Household means investigation', 'Investigating a household''s income, assets and living conditions.', 20),
  ('STAFF_TRAINING', 'ADMINISTRATIVE', '业务培训', 'Staff training', 'Training of assistance staff and community workers.', 30),
  ('POLICY_OUTREACH', 'ADMINISTRATIVE', '政策宣传', 'Policy outreach', 'Explaining assistance policies to residents.', 40),
  ('PERFORMANCE_EVALUATION', 'ADMINISTRATIVE', '绩效评价', 'Performance evaluation', 'Evaluating assistance work and purchased services.', 50),
  ('POLICY_RESEARCH', 'ADMINISTRATIVE', '政策研究', 'Policy research', 'Research supporting assistance policy.', 60),
  ('CASE_ASSESSMENT', 'DIRECT_SERVICE', '个案评估', 'Case assessment', 'Assessing a household''s situation and needs.', 110),
  ('CARE_NURSING', 'DIRECT_SERVICE', '照料护理', 'Care and nursing', 'Daily care, nursing and home help.', 120),
  ('CAPABILITY_DEVELOPMENT', 'DIRECT_SERVICE', '能力发展', 'Capability development', 'Skills, employment and self-reliance support.', 130),
  ('PSYCHOLOGICAL_COUNSELLING', 'DIRECT_SERVICE', '心理疏导', 'Psychological counselling', 'Emotional support and counselling.', 140);
