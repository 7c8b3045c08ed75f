package dev.naap.ingest;

/** One message as received, before validation: the original bytes and where they came from. */
public record Message(byte[] value, Origin origin) {}
