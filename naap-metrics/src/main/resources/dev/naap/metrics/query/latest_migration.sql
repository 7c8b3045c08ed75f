-- The latest schema migration applied (0: none): what readiness asks first.
SELECT max(version) AS latest_migration FROM schema_migrations
