package dev.naap.api;

import dev.naap.metrics.query.MetricsQueries;

/** What the metric endpoints share: the query layer, the parser, the signer and the runner. */
record Services(MetricsQueries queries, QueryParser parser, Signer signer, QueryRunner runner) {}
