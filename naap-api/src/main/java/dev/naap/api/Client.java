package dev.naap.api;

/**
 * Who a request counts against: an API key, a dashboard visitor or an anonymous address, with the
 * quota per window that applies.
 *
 * @param key the rate-limit key ({@code key:…}, {@code dashboard:…} or {@code ip:…})
 * @param policy the name of the quota policy in the {@code RateLimit} headers
 * @param quota requests per window
 * @param unknownKey the request sent an API key this server does not know: it counts against its
 *     address, then is refused
 */
record Client(String key, String policy, int quota, boolean unknownKey) {}
