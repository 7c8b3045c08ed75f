package dev.naap.api;

import java.time.Instant;

/**
 * A downloadable dataset: a load-test prompt dataset, or a daily bulk export of public metrics.
 *
 * @param id stable identifier, {@code [A-Za-z0-9._-]}, at most 128 characters
 * @param kind what it is ({@code prompts}, {@code export})
 * @param title a short name
 * @param description what it holds
 * @param mediaType the media type of its content ({@code text/csv}, {@code application/x-ndjson})
 * @param records how many records it holds, null when not yet known
 * @param bytes the size of its content, null when not yet known
 * @param sha256 the SHA-256 of its content in hex, null when not yet known (listings of exports)
 * @param updatedAt when its content last changed, null when unknown
 */
public record Dataset(
    String id,
    String kind,
    String title,
    String description,
    String mediaType,
    Long records,
    Long bytes,
    String sha256,
    Instant updatedAt) {}
