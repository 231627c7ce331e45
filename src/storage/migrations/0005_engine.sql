-- The engine's cycle bookkeeping: a cycle's plan (which account serves which group) is fixed
-- when the cycle starts, so a restart resumes the same plan and never double-sends a slot.
ALTER TABLE adbots ADD COLUMN cycle_state TEXT NOT NULL DEFAULT 'IDLE';
ALTER TABLE adbots ADD COLUMN cycle_plan TEXT;
ALTER TABLE adbots ADD COLUMN stop_reason TEXT;
CREATE INDEX adbots_lease ON adbots (status, lease_until);
CREATE INDEX adbot_groups_adbot ON adbot_groups (adbot_id, position);
CREATE INDEX forwards_adbot_cycle ON forwards (adbot_id, cycle_no);
