package dev.naap.api;

/**
 * Who a request counts against: an API key, a dashboard visitor or an anonymous address, with the
 * quota per window that applies.
 *
 * @param key the rate-limit key ({@code key:…}, {@code dashboard:…} or {@code ip:…})
 * @param policy the name of the quota policy in the {@code RateLimit} headers
 * @param quota requests per window
 */
record Client(String key, String policy, int quota) {}
