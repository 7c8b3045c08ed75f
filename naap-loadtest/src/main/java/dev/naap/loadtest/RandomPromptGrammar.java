package dev.naap.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The seeded grammar behind {@code random-prompts-v*}: SUBJECT ACTION PLACE, STYLE, LIGHT with
 * StreamDiffusion params drawn alongside. {@link SplittableRandom} is specified to give the same
 * sequence for a seed on every JVM, so a seed and a count reproduce a dataset byte for byte
 * (docs/DATASETS.md). Thread-safe (stateless).
 */
public final class RandomPromptGrammar {
  private static final List<String> SUBJECTS = List.of("a red fox", "an old sailor", "a paper boat",
      "a clockwork robot", "a snow owl", "a street cat", "a glass dragon", "a lone astronaut",
      "a marble statue", "a hot air balloon", "a tiny cottage", "a jazz band", "a koi fish",
      "a knight", "a lighthouse", "a vintage car", "a giant tortoise", "a ballerina", "a samurai",
      "a bonsai tree", "a steam train", "a polar bear", "a violinist", "a mushroom village",
      "a city of towers", "a wooden ship", "a hummingbird", "a wizard", "a desert nomad",
      "a crystal deer");
  private static final List<String> ACTIONS = List.of("standing", "sleeping", "dancing",
      "floating", "running", "reading", "singing", "waiting", "glowing", "drifting", "climbing",
      "resting", "flying", "exploring", "dreaming");
  private static final List<String> PLACES = List.of("in a misty forest", "on a rainy street",
      "under a starry sky", "in a desert canyon", "on a frozen lake", "in a neon city",
      "inside an old library", "on a windy cliff", "in a flower meadow", "beneath the ocean",
      "on the surface of the moon", "in a bamboo grove", "at a night market", "in a ruined temple",
      "on a mountain ridge", "in a greenhouse", "by a quiet harbor", "in a snowy village",
      "among the clouds", "in a sunflower field", "inside a cathedral", "on a train platform",
      "in an autumn park", "at the edge of a waterfall", "in a candlelit hall");
  private static final List<String> STYLES = List.of("oil painting", "watercolor",
      "anime cel shading", "pencil sketch", "35mm film photo", "ukiyo-e woodblock print",
      "low poly 3d render", "claymation", "art nouveau poster", "charcoal drawing",
      "pixel art", "stained glass", "comic book ink", "impressionist painting", "cinematic still",
      "paper cutout collage", "vaporwave", "isometric illustration", "gouache", "chinese ink wash");
  private static final List<String> LIGHTS = List.of("golden hour", "soft morning light",
      "dramatic rim light", "moonlight", "neon glow", "overcast light", "candlelight",
      "harsh noon sun", "blue hour", "volumetric fog", "studio lighting", "sunset backlight");
  private static final List<String> NEGATIVES = List.of("blurry, low quality, flat, 2d",
      "blurry, low quality, deformed, watermark", "low quality, text, watermark, jpeg artifacts");
  private static final List<List<Integer>> T_INDEX = List.of(List.of(12, 20, 32),
      List.of(16, 28, 40), List.of(20, 32, 44), List.of(26, 35, 45), List.of(32, 45));
  private static final List<Double> GUIDANCE = List.of(1.0, 1.1, 1.2, 1.4);
  private static final List<Double> DELTA = List.of(0.5, 0.6, 0.7, 0.8);

  private final ObjectMapper mapper = new ObjectMapper();

  /** {@code count} distinct entries from {@code seed}, as the lines of a dataset file. */
  public byte[] generate(long seed, int count) {
    int combinations =
        SUBJECTS.size() * ACTIONS.size() * PLACES.size() * STYLES.size() * LIGHTS.size();
    if (count < 1 || count > Math.min(DatasetValidator.MAX_ENTRIES, combinations / 2)) {
      throw new IllegalArgumentException(
          "count: expected 1.." + DatasetValidator.MAX_ENTRIES + ", got " + count);
    }
    SplittableRandom rng = new SplittableRandom(seed);
    Set<String> seen = new HashSet<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (seen.size() < count) {
      String prompt = pick(rng, SUBJECTS) + " " + pick(rng, ACTIONS) + " " + pick(rng, PLACES)
          + ", " + pick(rng, STYLES) + ", " + pick(rng, LIGHTS);
      ObjectNode params = params(rng);
      if (!seen.add(prompt)) {
        continue;
      }
      ObjectNode line = mapper.createObjectNode();
      line.put("id", String.format("random-%05d", seen.size()));
      line.put("prompt", prompt);
      line.setAll(params);
      out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
      out.write('\n');
    }
    return out.toByteArray();
  }

  private ObjectNode params(SplittableRandom rng) {
    ObjectNode p = mapper.createObjectNode();
    p.put("negative_prompt", pick(rng, NEGATIVES));
    p.put("num_inference_steps", 50);
    p.put("guidance_scale", pick(rng, GUIDANCE));
    p.put("delta", pick(rng, DELTA));
    var t = p.putArray("t_index_list");
    pick(rng, T_INDEX).forEach(t::add);
    p.put("seed", rng.nextLong(1_000_000));
    p.put("width", 512);
    p.put("height", 512);
    return p;
  }

  private static <T> T pick(SplittableRandom rng, List<T> from) {
    return from.get(rng.nextInt(from.size()));
  }
}
