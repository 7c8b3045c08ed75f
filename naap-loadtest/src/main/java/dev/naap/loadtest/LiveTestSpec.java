package dev.naap.loadtest;

/**
 * One live test to run: its run, its stream id (also the test id), the orchestrator pin, the
 * target, the dataset and the index of its first prompt, and the plan's timings.
 */
public record LiveTestSpec(String runId, String testId, String orchestratorPin,
    TestPlan.Target target, Dataset dataset, long promptIndex, TestPlan plan) {}
