package dev.naap.loadtest;

import java.time.Instant;

/**
 * One test's row in {@code test_load_results} (docs/LOADTEST.md, "Results"). Measurements are
 * null when the test did not get far enough to take them, never 0.
 *
 * @param orchestrator the orchestrator the test was pinned to ({@code ""}: the gateway's choice)
 * @param servedBy the orchestrator URL the status reported, {@code ""} when none did
 * @param startupMs from the start request to the first status showing output (an upper bound)
 * @param promptChangeMs median over the test's prompt changes, from {@code /update} to the first
 *     status showing the new params with output flowing (an upper bound on prompt to first frame)
 * @param promptAppliedMs median estimate of {@code /update} to the runner applying the params
 * @param outputFps mean inference FPS over the status samples with output
 * @param fpsJitter standard deviation over mean of those samples
 * @param latencyMs request to answer, for request/response pipelines
 */
public record TestResult(String runId, String plan, String testId, String kind,
    String orchestrator, String servedBy, String pipeline, String model, String dataset,
    String promptId, String prompt, Instant startedAt, Instant endedAt, Outcome outcome,
    ErrorClass errorClass, String errorMessage, Long startupMs, Long promptChangeMs,
    Long promptAppliedMs, int promptChangesSent, int promptChangesSeen, Double outputFps,
    Double fpsJitter, int statusSamples, Long latencyMs) {}
