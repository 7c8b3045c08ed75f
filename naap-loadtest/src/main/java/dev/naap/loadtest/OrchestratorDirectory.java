package dev.naap.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which orchestrators advertise a target, read from a gateway's {@code /getNetworkCapabilities}
 * answer: {@code capabilities.constraints.PerCapability.<id>.models.<key>}, where live video is
 * capability 35 keyed by pipeline and request/response pipelines are keyed by model id.
 */
public final class OrchestratorDirectory {
  /** go-livepeer's capability ids of the pipelines the tester knows. */
  static final Map<String, String> CAPABILITIES = Map.of("text-to-image", "27",
      "image-to-image", "28", "image-to-video", "29", "upscale", "30", "audio-to-text", "31",
      "segment-anything-2", "32", "llm", "33", "image-to-text", "34", "text-to-speech", "36");
  private static final String LIVE_VIDEO_TO_VIDEO = "35";

  private OrchestratorDirectory() {}

  /**
   * The service URIs ({@code orch_uri}) of the orchestrators advertising {@code target}, sorted.
   */
  public static TreeSet<String> advertising(JsonNode capabilities, TestPlan.Target target) {
    boolean live = target.kind() == TestPlan.Kind.LIVE;
    String capability = live ? LIVE_VIDEO_TO_VIDEO : CAPABILITIES.get(target.pipeline());
    TreeSet<String> out = new TreeSet<>();
    if (capability == null) {
      return out;
    }
    for (JsonNode o : capabilities.path("orchestrators")) {
      JsonNode models = o.path("capabilities").path("constraints").path("PerCapability")
          .path(capability).path("models");
      boolean offers = live ? models.has(target.pipeline()) || models.has(target.model())
          : models.has(target.model());
      String uri = o.path("orch_uri").asText("");
      if (offers && !uri.isEmpty()) {
        out.add(uri);
      }
    }
    return out;
  }
}
