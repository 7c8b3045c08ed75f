-- Streams the load tester started (docs/METRICS.md, "Test load"): every session of a registered
-- stream id is test load, whether or not the gateway forwarded is_test_load in its events.
-- Written by naap-loadtest before it starts a stream; a repeated registration collapses.

CREATE TABLE IF NOT EXISTS test_load_streams
(
    stream_id      String,
    run_id         String,
    registered_at  DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(registered_at)
ORDER BY stream_id;
