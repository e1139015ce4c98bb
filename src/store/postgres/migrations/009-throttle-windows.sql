-- Request quotas (--throttle): one row per (account, region, action) or per
-- action, holding what every server has leased of the current fixed window
-- (see the SQLite migration 010 and service/throttle.ts).
CREATE TABLE throttle_windows (
  key TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  used BIGINT NOT NULL
);
