-- The evaluation formula every deployment starts with. SEED VALUES, TO BE CONFIRMED BY THE BUREAU:
-- beneficiary satisfaction weighted heavily (§3(5)4) at 0.4, service effect 0.3, management and
-- social impact 0.15 each; satisfaction from fewer than 5 ratings is drawn toward the neutral
-- middle. The bureau replaces it with setEvaluationFormula (a new row), never by editing this one.
INSERT INTO "evaluation_formulas" ("satisfaction_weight", "service_effect_weight", "management_weight", "social_impact_weight", "min_ratings", "note", "created_by")
VALUES (0.4, 0.3, 0.15, 0.15, 5, 'Seed value, to be confirmed by the bureau', 'seed');
