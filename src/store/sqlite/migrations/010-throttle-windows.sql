-- Request quotas (--throttle): one row per (account, region, action) or per
-- action, holding what every server has leased of the current fixed window.
-- Servers lease allowances in chunks (service/throttle.ts), so this is
-- written once per chunk, not once per request.
CREATE TABLE throttle_windows (
  key TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  used INTEGER NOT NULL
) WITHOUT ROWID;
