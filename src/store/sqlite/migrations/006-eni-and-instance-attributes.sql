-- What clients set and read back (Terraform shows a permanent diff otherwise):
-- an ENI's traffic settings (queues, connection tracking, enhanced network), source/destination check and network card, an
-- instance's description, host name, system disk, billing and user data.
-- Defaults are what the real API answers for a resource created without them.
ALTER TABLE enis ADD COLUMN traffic_mode TEXT NOT NULL DEFAULT 'Standard';
ALTER TABLE enis ADD COLUMN queue_number INTEGER;
ALTER TABLE enis ADD COLUMN queue_pair_number INTEGER;
ALTER TABLE enis ADD COLUMN rx_queue_size INTEGER;
ALTER TABLE enis ADD COLUMN tx_queue_size INTEGER;
ALTER TABLE enis ADD COLUMN source_dest_check INTEGER NOT NULL DEFAULT 0;
ALTER TABLE enis ADD COLUMN network_card_index INTEGER;
ALTER TABLE enis ADD COLUMN tcp_closed_and_time_wait_timeout INTEGER;
ALTER TABLE enis ADD COLUMN tcp_established_timeout INTEGER;
ALTER TABLE enis ADD COLUMN udp_timeout INTEGER;
ALTER TABLE enis ADD COLUMN enable_sriov INTEGER;
ALTER TABLE enis ADD COLUMN enable_rss INTEGER;
ALTER TABLE enis ADD COLUMN enable_express INTEGER;
ALTER TABLE enis ADD COLUMN virtual_function_quantity INTEGER;
ALTER TABLE enis ADD COLUMN virtual_function_total_queue_number INTEGER;
ALTER TABLE instances ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN host_name TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN system_disk_category TEXT NOT NULL DEFAULT 'cloud_efficiency';
ALTER TABLE instances ADD COLUMN system_disk_size INTEGER NOT NULL DEFAULT 40;
ALTER TABLE instances ADD COLUMN system_disk_name TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN system_disk_description TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN system_disk_performance_level TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN instance_charge_type TEXT NOT NULL DEFAULT 'PostPaid';
ALTER TABLE instances ADD COLUMN internet_charge_type TEXT NOT NULL DEFAULT 'PayByTraffic';
ALTER TABLE instances ADD COLUMN internet_max_bandwidth_out INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instances ADD COLUMN internet_max_bandwidth_in INTEGER NOT NULL DEFAULT -1;
ALTER TABLE instances ADD COLUMN spot_strategy TEXT NOT NULL DEFAULT 'NoSpot';
ALTER TABLE instances ADD COLUMN spot_price_limit REAL NOT NULL DEFAULT 0;
ALTER TABLE instances ADD COLUMN period INTEGER;
ALTER TABLE instances ADD COLUMN period_unit TEXT;
ALTER TABLE instances ADD COLUMN auto_renew INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instances ADD COLUMN auto_renew_period INTEGER;
ALTER TABLE instances ADD COLUMN key_pair_name TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN ram_role_name TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN deletion_protection INTEGER NOT NULL DEFAULT 0;
ALTER TABLE instances ADD COLUMN credit_specification TEXT NOT NULL DEFAULT '';
ALTER TABLE instances ADD COLUMN user_data TEXT NOT NULL DEFAULT '';
