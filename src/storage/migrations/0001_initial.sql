-- The schema of DESIGN.md section 3. One dialect for both databases: {{PK}} becomes the
-- backend's auto-increment primary key; instants are BIGINT milliseconds since the Unix epoch
-- (the API shows them as ISO-8601 UTC); money is {{DECIMAL}} (NUMERIC on PostgreSQL, exact text
-- on SQLite); booleans are INTEGER 0/1; secrets are base64 text of their ciphertext.

CREATE TABLE users (
  id {{PK}},
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL DEFAULT 'USER' CHECK (role IN ('USER', 'ADMIN')),
  access_code_hash TEXT NOT NULL,
  license_key TEXT NOT NULL UNIQUE,
  status TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'SUSPENDED')),
  created_at BIGINT NOT NULL,
  last_login_at BIGINT
);

CREATE TABLE refresh_tokens (
  id {{PK}},
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  family_id TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  rotated_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);

-- Failure counters for sign-in, sign-up and recovery, shared by every server.
CREATE TABLE rate_limits (
  bucket TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  hits INTEGER NOT NULL,
  blocked_until BIGINT
);

CREATE TABLE products (
  id {{PK}},
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  tier TEXT NOT NULL CHECK (tier IN ('STARTER', 'ENTERPRISE')),
  sessions_count INTEGER NOT NULL CHECK (sessions_count > 0),
  posting_interval_seconds INTEGER NOT NULL CHECK (posting_interval_seconds > 0),
  price {{DECIMAL}} NOT NULL,
  currency TEXT NOT NULL DEFAULT 'USD',
  validity_days INTEGER NOT NULL CHECK (validity_days > 0),
  distribution TEXT NOT NULL DEFAULT 'EVEN' CHECK (distribution IN ('EVEN', 'ALL')),
  max_groups INTEGER NOT NULL DEFAULT 100,
  daily_cap_per_account INTEGER NOT NULL DEFAULT 500,
  active INTEGER NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- adbot_id (a renewal's adbot) has no FOREIGN KEY: adbots reference orders, and SQLite cannot
-- add a constraint after the fact.
CREATE TABLE orders (
  id {{PK}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  product_id BIGINT NOT NULL REFERENCES products(id),
  adbot_id BIGINT,
  amount {{DECIMAL}} NOT NULL,
  currency TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'PENDING'
    CHECK (status IN ('PENDING', 'PAID', 'FAILED', 'EXPIRED', 'REFUNDED')),
  product_snapshot TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  paid_at BIGINT,
  expires_at BIGINT
);
CREATE INDEX orders_user ON orders (user_id, id);
CREATE INDEX orders_status ON orders (status, created_at);

CREATE TABLE payments (
  id {{PK}},
  order_id BIGINT NOT NULL REFERENCES orders(id),
  provider TEXT NOT NULL,
  provider_payment_id TEXT,
  pay_address TEXT,
  pay_amount {{DECIMAL}},
  pay_currency TEXT,
  payin_extra_id TEXT,
  actually_paid {{DECIMAL}},
  status TEXT NOT NULL DEFAULT 'waiting',
  flagged INTEGER NOT NULL DEFAULT 0,
  flag_reason TEXT,
  valid_until BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (provider, provider_payment_id)
);
CREATE INDEX payments_order ON payments (order_id);
CREATE INDEX payments_status ON payments (status, updated_at);

CREATE TABLE payment_events (
  id {{PK}},
  provider TEXT NOT NULL,
  provider_payment_id TEXT,
  status TEXT,
  verified INTEGER NOT NULL,
  verdict TEXT NOT NULL,
  body TEXT NOT NULL,
  signature TEXT,
  received_at BIGINT NOT NULL,
  processed_at BIGINT,
  outcome TEXT
);
-- Idempotency over verified events only: a forged body that arrives first blocks nothing.
CREATE UNIQUE INDEX payment_events_verified_once
  ON payment_events (provider, provider_payment_id, status) WHERE verified = 1;

CREATE TABLE adbots (
  id {{PK}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  order_id BIGINT NOT NULL REFERENCES orders(id),
  product_id BIGINT NOT NULL REFERENCES products(id),
  status TEXT NOT NULL DEFAULT 'STOPPED'
    CHECK (status IN ('STOPPED', 'RUNNING', 'QUEUED', 'EXPIRED', 'SUSPENDED')),
  sessions_needed INTEGER NOT NULL DEFAULT 0,
  posting_interval_seconds INTEGER NOT NULL,
  distribution TEXT NOT NULL DEFAULT 'EVEN' CHECK (distribution IN ('EVEN', 'ALL')),
  max_groups INTEGER NOT NULL DEFAULT 100,
  daily_cap_per_account INTEGER NOT NULL DEFAULT 500,
  validity_start BIGINT,
  validity_end BIGINT,
  post_link TEXT,
  cycle_no BIGINT NOT NULL DEFAULT 0,
  cycle_started_at BIGINT,
  next_run_at BIGINT,
  lease_owner TEXT,
  lease_until BIGINT,
  expiry_notice_at BIGINT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX adbots_user ON adbots (user_id, id);
CREATE INDEX adbots_due ON adbots (status, next_run_at);
CREATE INDEX adbots_validity ON adbots (status, validity_end);

CREATE TABLE adbot_groups (
  id {{PK}},
  adbot_id BIGINT NOT NULL REFERENCES adbots(id) ON DELETE CASCADE,
  target TEXT NOT NULL,
  position INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'ACTIVE',
  last_error TEXT,
  UNIQUE (adbot_id, target)
);

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
    CHECK (status IN ('UNUSED', 'ASSIGNED', 'COOLING', 'LIMITED', 'BANNED', 'DEAD', 'RETIRED')),
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
  updated_at BIGINT NOT NULL
);
CREATE INDEX tg_sessions_status ON tg_sessions (status, id);
CREATE INDEX tg_sessions_adbot ON tg_sessions (assigned_to_adbot_id);

CREATE TABLE account_groups (
  session_id BIGINT NOT NULL REFERENCES tg_sessions(id),
  target TEXT NOT NULL,
  peer_type TEXT,
  peer_id BIGINT,
  access_hash BIGINT,
  state TEXT NOT NULL DEFAULT 'UNKNOWN',
  next_allowed_at BIGINT,
  recheck_at BIGINT,
  last_error TEXT,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (session_id, target)
);

CREATE TABLE forwards (
  id {{PK}},
  adbot_id BIGINT NOT NULL REFERENCES adbots(id),
  cycle_no BIGINT NOT NULL,
  target TEXT NOT NULL,
  session_id BIGINT NOT NULL REFERENCES tg_sessions(id),
  random_id BIGINT NOT NULL,
  outcome TEXT NOT NULL DEFAULT 'PENDING'
    CHECK (outcome IN ('PENDING', 'SENT', 'SKIPPED', 'CAPPED', 'DROPPED', 'UNKNOWN', 'FAILED')),
  message_id BIGINT,
  detail TEXT,
  created_at BIGINT NOT NULL,
  at BIGINT NOT NULL,
  UNIQUE (adbot_id, cycle_no, target, session_id)
);
CREATE INDEX forwards_pending ON forwards (outcome, adbot_id);
CREATE INDEX forwards_at ON forwards (at);

CREATE TABLE adbot_events (
  id {{PK}},
  adbot_id BIGINT NOT NULL REFERENCES adbots(id) ON DELETE CASCADE,
  at BIGINT NOT NULL,
  kind TEXT NOT NULL,
  session_id BIGINT,
  target TEXT,
  wait_seconds INTEGER,
  detail TEXT
);
CREATE INDEX adbot_events_adbot ON adbot_events (adbot_id, id);
CREATE INDEX adbot_events_at ON adbot_events (at);

CREATE TABLE adbot_stats (
  adbot_id BIGINT PRIMARY KEY REFERENCES adbots(id) ON DELETE CASCADE,
  posts BIGINT NOT NULL DEFAULT 0,
  success BIGINT NOT NULL DEFAULT 0,
  failures BIGINT NOT NULL DEFAULT 0,
  flood_waits BIGINT NOT NULL DEFAULT 0,
  last_activity BIGINT
);

CREATE TABLE notifications (
  id {{PK}},
  user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  read_at BIGINT
);
CREATE INDEX notifications_user ON notifications (user_id, id);

CREATE TABLE audit_log (
  id {{PK}},
  actor_user_id BIGINT,
  action TEXT NOT NULL,
  target_type TEXT,
  target_id BIGINT,
  detail TEXT NOT NULL DEFAULT '{}',
  client_address TEXT,
  at BIGINT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (id);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id, id);

-- Groups no adbot may post to. An opt-out is effective at once ('PENDING'); an admin confirms
-- ('ACTIVE') or rejects ('REJECTED', no longer enforced).
CREATE TABLE group_blocklist (
  id {{PK}},
  target TEXT NOT NULL UNIQUE,
  reason TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT 'ADMIN' CHECK (source IN ('ADMIN', 'OPT_OUT')),
  status TEXT NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'PENDING', 'REJECTED')),
  contact TEXT,
  created_at BIGINT NOT NULL,
  decided_by BIGINT,
  decided_at BIGINT
);
