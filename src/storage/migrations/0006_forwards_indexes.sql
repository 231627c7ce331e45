-- The send path writes each index of forwards twice per delivery (the PENDING row, then its
-- outcome). Two of them serve no query: forwards_adbot_cycle repeats the leading columns of
-- UNIQUE (adbot_id, cycle_no, target, session_id), which answers a cycle's rows by itself, and
-- nothing looks rows up by outcome (forwards_pending).
DROP INDEX forwards_adbot_cycle;
DROP INDEX forwards_pending;
