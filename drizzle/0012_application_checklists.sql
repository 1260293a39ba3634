-- The materials of the one-time notice (一次性告知): the kinds of material an application may
-- need, and each national application type's checklist. Administrators edit both as data.
-- hub_source names the finder that looks for the material in the hub's own records
-- (数据多跑路、群众少跑腿, src/modules/applications/material-finders.ts); null: only the applicant has it.
INSERT INTO "material_kinds" ("code", "name_zh", "name_en", "description", "hub_source") VALUES
  ('IDENTITY_PROOF', '身份证明', 'Proof of identity', 'Resident ID cards of the applicant and every member of the household.', 'IDENTITY'),
  ('RESIDENCE_PROOF', '户籍证明', 'Proof of registered residence', 'Household register (户口簿) showing the registered residence in Shanghai.', 'RESIDENCE'),
  ('HOUSEHOLD_COMPOSITION', '家庭成员情况', 'Household composition', 'Who belongs to the household and how each member is related to its head.', 'HOUSEHOLD_COMPOSITION'),
  ('INCOME_PROOF', '收入证明', 'Proof of income', 'Wages, pensions, benefits and other income of every member over the last months.', NULL),
  ('ASSET_DECLARATION', '家庭财产申报', 'Declaration of household assets', 'Deposits, securities, real estate and vehicles held by members of the household.', NULL),
  ('VERIFICATION_AUTHORIZATION', '经济状况核对授权书', 'Authorisation for economic-status verification', 'Signed consent of every adult member to check income and assets with the departments that hold them.', NULL),
  ('DISABILITY_CERTIFICATE', '残疾证', 'Disability certificate', 'Certificate of disability (中华人民共和国残疾人证) of a disabled member.', 'DISABILITY'),
  ('ELDERLY_PROOF', '老年人年龄证明', 'Proof of old age', 'Proof that a member is 60 or older.', 'ELDERLY'),
  ('MINOR_PROOF', '未成年人证明', 'Proof of minority', 'Proof that a member is under 18.', 'MINOR'),
  ('SUPPORT_CONDITION_PROOF', '特困供养条件证明', 'Proof of the extreme-poverty support condition', 'Proof that the applicant is elderly, disabled or a minor without anyone able to support them.', 'EXTREME_POVERTY_CONDITION'),
  ('MEDICAL_BILLS', '医疗费用票据', 'Medical bills', 'Invoices and settlement statements of medical costs, after insurance.', NULL),
  ('DIAGNOSIS_PROOF', '疾病诊断证明', 'Medical diagnosis', 'Diagnosis of the serious illness by a hospital.', 'SERIOUS_ILLNESS'),
  ('DISASTER_PROOF', '灾情证明', 'Proof of disaster damage', 'Confirmation of the damage suffered in a natural disaster or accident.', NULL),
  ('SCHOOL_ENROLMENT', '学籍证明', 'Proof of school enrolment', 'Enrolment certificate of the student member from the school.', NULL),
  ('HOUSING_STATUS', '住房状况证明', 'Proof of housing conditions', 'Current housing of the household: ownership or lease, floor area, condition.', NULL),
  ('UNEMPLOYMENT_REGISTRATION', '失业登记证明', 'Unemployment registration', 'Registration as unemployed with the human resources and social security office.', 'UNEMPLOYMENT'),
  ('EMERGENCY_STATEMENT', '急难情况说明', 'Statement of the emergency', 'What happened, when, and what the household needs now.', NULL);
--> statement-breakpoint
INSERT INTO "application_checklist_items" ("type", "material_kind_id", "sort_order")
SELECT v.type::application_type, k.id, v.sort_order
FROM (VALUES
  ('MINIMUM_LIVING_ALLOWANCE', 'IDENTITY_PROOF', 10), ('MINIMUM_LIVING_ALLOWANCE', 'RESIDENCE_PROOF', 20), ('MINIMUM_LIVING_ALLOWANCE', 'HOUSEHOLD_COMPOSITION', 30),
  ('MINIMUM_LIVING_ALLOWANCE', 'INCOME_PROOF', 40), ('MINIMUM_LIVING_ALLOWANCE', 'ASSET_DECLARATION', 50), ('MINIMUM_LIVING_ALLOWANCE', 'VERIFICATION_AUTHORIZATION', 60),
  ('EXTREME_POVERTY_SUPPORT', 'IDENTITY_PROOF', 10), ('EXTREME_POVERTY_SUPPORT', 'RESIDENCE_PROOF', 20), ('EXTREME_POVERTY_SUPPORT', 'HOUSEHOLD_COMPOSITION', 30),
  ('EXTREME_POVERTY_SUPPORT', 'SUPPORT_CONDITION_PROOF', 40), ('EXTREME_POVERTY_SUPPORT', 'INCOME_PROOF', 50), ('EXTREME_POVERTY_SUPPORT', 'ASSET_DECLARATION', 60),
  ('EXTREME_POVERTY_SUPPORT', 'VERIFICATION_AUTHORIZATION', 70),
  ('DISASTER_RELIEF', 'IDENTITY_PROOF', 10), ('DISASTER_RELIEF', 'RESIDENCE_PROOF', 20), ('DISASTER_RELIEF', 'HOUSEHOLD_COMPOSITION', 30), ('DISASTER_RELIEF', 'DISASTER_PROOF', 40),
  ('MEDICAL', 'IDENTITY_PROOF', 10), ('MEDICAL', 'RESIDENCE_PROOF', 20), ('MEDICAL', 'HOUSEHOLD_COMPOSITION', 30), ('MEDICAL', 'DIAGNOSIS_PROOF', 40),
  ('MEDICAL', 'MEDICAL_BILLS', 50), ('MEDICAL', 'INCOME_PROOF', 60),
  ('EDUCATION', 'IDENTITY_PROOF', 10), ('EDUCATION', 'RESIDENCE_PROOF', 20), ('EDUCATION', 'HOUSEHOLD_COMPOSITION', 30), ('EDUCATION', 'SCHOOL_ENROLMENT', 40), ('EDUCATION', 'INCOME_PROOF', 50),
  ('HOUSING', 'IDENTITY_PROOF', 10), ('HOUSING', 'RESIDENCE_PROOF', 20), ('HOUSING', 'HOUSEHOLD_COMPOSITION', 30), ('HOUSING', 'HOUSING_STATUS', 40),
  ('HOUSING', 'INCOME_PROOF', 50), ('HOUSING', 'ASSET_DECLARATION', 60),
  ('EMPLOYMENT', 'IDENTITY_PROOF', 10), ('EMPLOYMENT', 'RESIDENCE_PROOF', 20), ('EMPLOYMENT', 'HOUSEHOLD_COMPOSITION', 30), ('EMPLOYMENT', 'UNEMPLOYMENT_REGISTRATION', 40),
  ('TEMPORARY_ASSISTANCE', 'IDENTITY_PROOF', 10), ('TEMPORARY_ASSISTANCE', 'RESIDENCE_PROOF', 20), ('TEMPORARY_ASSISTANCE', 'HOUSEHOLD_COMPOSITION', 30),
  ('TEMPORARY_ASSISTANCE', 'EMERGENCY_STATEMENT', 40), ('TEMPORARY_ASSISTANCE', 'INCOME_PROOF', 50)
) AS v(type, code, sort_order)
JOIN "material_kinds" k ON k.code = v.code;
