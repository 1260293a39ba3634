-- Proof of income is taken from the records HR and social security contributed to the hub for the
-- household within the year (数据多跑路、群众少跑腿), when there are any.
UPDATE "material_kinds" SET "hub_source" = 'HR_INCOME_RECORDS' WHERE "code" = 'INCOME_PROOF' AND "hub_source" IS NULL;
