package dev.naap.events;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads shared by the family readers: data shape, clocks, orchestrator info, test-load flag. */
final class Payloads {
  /** 2015-01-01T00:00:00Z: no go-livepeer event is older. */
  static final long MIN_PLAUSIBLE_MS = 1_420_070_400_000L;

  /** 2100-01-01T00:00:00Z (exclusive): a larger value is a unit error (µs or ns). */
  static final long MAX_PLAUSIBLE_MS = 4_102_444_800_000L;

  private Payloads() {}

  /** {@code data} as an object, or DATA_SHAPE when the family sends an object and this is not. */
  static Fields object(Envelope envelope, JsonNode data) {
    if (!data.isObject()) {
      throw new RejectException(
          RejectReason.DATA_SHAPE,
          "data: " + envelope.type() + " sends an object, got " + Fields.typeName(data));
    }
    return Fields.root(data, "data");
  }

  /** {@code data} as an array, or DATA_SHAPE when the family sends an array and this is not. */
  static JsonNode array(Envelope envelope, JsonNode data) {
    if (!data.isArray()) {
      throw new RejectException(
          RejectReason.DATA_SHAPE,
          "data: " + envelope.type() + " sends an array, got " + Fields.typeName(data));
    }
    return data;
  }

  /**
   * {@code data.timestamp} in unix ms, or null when absent, null or 0 (Go zero value). A value
   * outside 2015..2100 is rejected: it is a unit error that would misplace the event in time.
   */
  static Long timestampMs(Fields data) {
    Long ts = data.optLong("timestamp");
    if (ts == null || ts == 0) {
      return null;
    }
    if (!plausible(ts)) {
      throw data.invalid("timestamp", ts + " is not a unix-ms time between 2015 and 2100");
    }
    return ts;
  }

  /**
   * A runner time as epoch milliseconds: runners report some times in milliseconds and others as
   * float seconds (e.g. {@code last_restart_time}); a value below 1e11 cannot be a plausible time
   * in milliseconds and is taken to be in seconds. Null stays null.
   */
  static Long runnerTimeMs(Double value) {
    if (value == null) {
      return null;
    }
    return Math.round(value < 1e11 ? value * 1000 : value);
  }

  static boolean plausible(long epochMs) {
    return epochMs >= MIN_PLAUSIBLE_MS && epochMs < MAX_PLAUSIBLE_MS;
  }

  /** {@code data.orchestrator_info}, or {@link OrchestratorInfo#EMPTY}. */
  static OrchestratorInfo orchestratorInfo(Fields data) {
    Fields info = data.obj("orchestrator_info");
    if (!info.present()) {
      return OrchestratorInfo.EMPTY;
    }
    return new OrchestratorInfo(
        info.lowerStr("address"), info.str("url"), info.str("gpu_id"), info.str("region"));
  }

  /** {@code data.is_test_load}: a boolean; false when absent. */
  static boolean testLoad(Fields data) {
    return data.bool("is_test_load");
  }
}
