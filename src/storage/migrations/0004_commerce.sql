-- Commerce: provisioning happens once per order, and an adbot waiting for stock remembers the
-- validity it was paid for (it starts when the stock arrives).
CREATE UNIQUE INDEX adbots_order_once ON adbots (order_id);
ALTER TABLE adbots ADD COLUMN queued_validity_days INTEGER NOT NULL DEFAULT 0;
CREATE INDEX adbots_queued ON adbots (status, id);
CREATE INDEX payments_flagged ON payments (flagged, id);
CREATE INDEX notifications_unread ON notifications (user_id, read_at);
