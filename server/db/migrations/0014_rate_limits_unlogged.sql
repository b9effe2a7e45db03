-- Rate-limit counters need no crash safety: after a crash PostgreSQL empties an unlogged table, which
-- only restarts the windows. Unlogged, the upsert that every search, export and login makes writes no
-- WAL and its commit waits for no disk flush (issue 6 §4).
ALTER TABLE "rate_limits" SET UNLOGGED;
