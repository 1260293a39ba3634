-- No subcontracting (严禁服务转包, §3(6)), kept by the database whatever the application does:
-- a contract's capacity belongs to its provider, and a referral goes to its resource's provider.
CREATE FUNCTION "resources_contract_provider_check"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	contract_provider integer;
BEGIN
	IF NEW.contract_id IS NULL THEN
		RETURN NEW;
	END IF;
	SELECT provider_id INTO contract_provider FROM purchase_contracts WHERE id = NEW.contract_id;
	IF contract_provider IS DISTINCT FROM NEW.provider_id THEN
		RAISE EXCEPTION 'no subcontracting: resource % of contract % must belong to the contract''s provider', NEW.id, NEW.contract_id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'resources_contract_provider_ck';
	END IF;
	IF NEW.cost <> 'CONTRACT_FUNDED' THEN
		RAISE EXCEPTION 'resource % carries contract % and must be CONTRACT_FUNDED', NEW.id, NEW.contract_id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'resources_contract_cost_ck';
	END IF;
	RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "resources_contract_provider"
	BEFORE INSERT OR UPDATE OF contract_id, provider_id, cost ON "resources"
	FOR EACH ROW EXECUTE FUNCTION "resources_contract_provider_check"();
--> statement-breakpoint
-- A contract's provider is fixed: a stand-in takes over through the takeover plan, never by
-- rewriting who signed.
CREATE FUNCTION "purchase_contracts_provider_fixed"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF NEW.provider_id IS DISTINCT FROM OLD.provider_id THEN
		RAISE EXCEPTION 'the provider of contract % cannot change', OLD.id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'purchase_contracts_provider_fixed_ck';
	END IF;
	RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "purchase_contracts_provider_fixed"
	BEFORE UPDATE OF provider_id ON "purchase_contracts"
	FOR EACH ROW EXECUTE FUNCTION "purchase_contracts_provider_fixed"();
--> statement-breakpoint
-- A referral's provider is its resource's provider, and its resource never changes: a referral
-- leaves a provider only as TRANSFERRED, with a new referral to the stand-in (the takeover plan).
-- A contract's resources take new referrals only while the contract is ACTIVE.
CREATE FUNCTION "referrals_provider_check"() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	resource_provider integer;
	resource_contract integer;
	contract_state text;
BEGIN
	IF TG_OP = 'UPDATE' AND NEW.resource_id IS DISTINCT FROM OLD.resource_id THEN
		RAISE EXCEPTION 'referral % cannot move to another resource: transfer it through the takeover plan', OLD.id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'referrals_resource_fixed_ck';
	END IF;
	SELECT provider_id, contract_id INTO resource_provider, resource_contract FROM resources WHERE id = NEW.resource_id;
	IF resource_provider IS DISTINCT FROM NEW.provider_id THEN
		RAISE EXCEPTION 'no subcontracting: referral % must go to the provider of resource %', NEW.id, NEW.resource_id
			USING ERRCODE = 'check_violation', CONSTRAINT = 'referrals_resource_provider_ck';
	END IF;
	IF TG_OP = 'INSERT' AND resource_contract IS NOT NULL THEN
		SELECT status::text INTO contract_state FROM purchase_contracts WHERE id = resource_contract;
		IF contract_state <> 'ACTIVE' THEN
			RAISE EXCEPTION 'resource % belongs to contract %, which is %', NEW.resource_id, resource_contract, contract_state
				USING ERRCODE = 'check_violation', CONSTRAINT = 'referrals_contract_active_ck';
		END IF;
	END IF;
	RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "referrals_provider"
	BEFORE INSERT OR UPDATE OF resource_id, provider_id ON "referrals"
	FOR EACH ROW EXECUTE FUNCTION "referrals_provider_check"();
