-- Recovery: a second, short-lived code beside the current one, so that asking for recovery
-- cannot be used to lock a user out of the code they still have.
ALTER TABLE users ADD COLUMN recovery_code_hash TEXT;
ALTER TABLE users ADD COLUMN recovery_expires_at BIGINT;
