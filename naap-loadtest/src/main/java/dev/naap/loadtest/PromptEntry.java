package dev.naap.loadtest;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One line of a prompt dataset: its id, the prompt text, an optional style tag, and the
 * StreamDiffusion params sent to the gateway (the line without {@code id} and {@code style}).
 */
public record PromptEntry(String id, String prompt, String style, ObjectNode params) {

  /** The params to send, with {@code model_id} set to {@code model}; a fresh copy each time. */
  public ObjectNode paramsFor(String model) {
    ObjectNode p = params.deepCopy();
    if (model != null && !model.isEmpty()) {
      p.put("model_id", model);
    }
    return p;
  }
}
