-- Issue 15, the engine's reactions to Telegram by scope: a frozen account (status FROZEN,
-- retired like a banned one), an account that may join no more groups (CHANNELS_TOO_MUCH: it
-- keeps sending to the groups it is in), the 3-strikes rule for unknown errors of one group (3
-- failures in 3 different cycles drop it for that account), and a slot whose tries Telegram
-- never answered, whose random_id its next cycle's slot keeps.
--
-- The CHECK on tg_sessions.status gains FROZEN. SQLite cannot alter a CHECK: the table is
-- rebuilt (copied aside, dropped, made again and filled back). The rows of account_groups and
-- forwards that reference it only wait for their parents inside this transaction
-- (defer_foreign_keys, which ends at the commit).
--@sqlite
PRAGMA defer_foreign_keys = ON;
--@sqlite
CREATE TABLE tg_sessions_before_0007 AS SELECT * FROM tg_sessions;
--@sqlite
DROP TABLE tg_sessions;
--@sqlite
CREATE TABLE tg_sessions (
  id {{PK}},
  phone_number TEXT NOT NULL,
  api_id INTEGER NOT NULL,
  api_hash_enc TEXT NOT NULL,
  dc_id INTEGER NOT NULL,
  server_address TEXT NOT NULL,
  port INTEGER NOT NULL,
  auth_key_enc TEXT NOT NULL,
  auth_key_id TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'UNUSED'
    CHECK (status IN ('UNUSED', 'ASSIGNED', 'COOLING', 'LIMITED', 'FROZEN', 'BANNED', 'DEAD',
                      'RETIRED')),
  assigned_to_adbot_id BIGINT REFERENCES adbots(id),
  assigned_to_user_id BIGINT REFERENCES users(id),
  flood_until BIGINT,
  sends_today INTEGER NOT NULL DEFAULT 0,
  joins_today INTEGER NOT NULL DEFAULT 0,
  counters_day BIGINT NOT NULL DEFAULT 0,
  tg_user_id BIGINT,
  tg_username TEXT,
  status_reason TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  no_joins_since BIGINT
);
--@sqlite
INSERT INTO tg_sessions (id, phone_number, api_id, api_hash_enc, dc_id, server_address, port,
  auth_key_enc, auth_key_id, status, assigned_to_adbot_id, assigned_to_user_id, flood_until,
  sends_today, joins_today, counters_day, tg_user_id, tg_username, status_reason, created_at,
  updated_at)
SELECT id, phone_number, api_id, api_hash_enc, dc_id, server_address, port, auth_key_enc,
  auth_key_id, status, assigned_to_adbot_id, assigned_to_user_id, flood_until, sends_today,
  joins_today, counters_day, tg_user_id, tg_username, status_reason, created_at, updated_at
FROM tg_sessions_before_0007;
--@sqlite
DROP TABLE tg_sessions_before_0007;
--@sqlite
CREATE INDEX tg_sessions_status ON tg_sessions (status, id);
--@sqlite
CREATE INDEX tg_sessions_adbot ON tg_sessions (assigned_to_adbot_id);

--@postgresql
ALTER TABLE tg_sessions DROP CONSTRAINT tg_sessions_status_check;
--@postgresql
ALTER TABLE tg_sessions ADD CONSTRAINT tg_sessions_status_check
  CHECK (status IN ('UNUSED', 'ASSIGNED', 'COOLING', 'LIMITED', 'FROZEN', 'BANNED', 'DEAD',
                    'RETIRED'));
-- Set when Telegram answered CHANNELS_TOO_MUCH: no more joins from this account.
--@postgresql
ALTER TABLE tg_sessions ADD COLUMN no_joins_since BIGINT;

-- Unknown 400/403 replies of one group for one account, and the cycle of the last one counted.
ALTER TABLE account_groups ADD COLUMN strikes INTEGER NOT NULL DEFAULT 0;
ALTER TABLE account_groups ADD COLUMN strike_cycle BIGINT;

-- 1: Telegram never answered this slot's tries; the same slot of the next cycle is sent with
-- this random_id (a try may have been delivered: Telegram dedupes by it).
ALTER TABLE forwards ADD COLUMN carry INTEGER NOT NULL DEFAULT 0;
