package dev.naap.sim;

import java.util.List;
import java.util.Map;

/**
 * A small curated prompt list (written for NaaP; nothing is downloaded) and the pipeline-specific
 * {@code params} JSON that clients send on start and on {@code /update}.
 */
final class Prompts {

  static final List<String> PROMPTS = List.of(
      "a watercolor portrait in soft morning light",
      "cyberpunk city street at night, neon reflections, rain",
      "oil painting of a stormy sea, dramatic clouds",
      "studio ghibli style forest with floating lanterns",
      "claymation character, bright colors, stop motion look",
      "astronaut helmet reflecting a distant nebula",
      "marble statue, classical sculpture, museum lighting",
      "pixel art hero, 16-bit, vibrant palette",
      "charcoal sketch on rough paper, high contrast",
      "underwater coral reef, sun rays through water",
      "low poly mountains at sunset, pastel sky",
      "van gogh starry night brush strokes",
      "golden hour desert dunes, cinematic",
      "comic book ink style, halftone shading",
      "snowy cabin in the woods, cozy warm windows",
      "art deco poster, geometric gold lines",
      "anime portrait, cel shading, big expressive eyes",
      "stained glass window, cathedral light",
      "vaporwave sunset, chrome palm trees",
      "photorealistic tiger in tall grass",
      "paper cutout collage, layered shadows",
      "medieval knight in polished armor, castle hall",
      "bioluminescent jellyfish in dark water",
      "impressionist garden with water lilies",
      "retro 1970s film photo, warm grain",
      "origami birds flying over a city",
      "fantasy dragon made of autumn leaves",
      "minimalist line art on white background",
      "steampunk inventor workshop, brass gears",
      "flowers");

  private Prompts() {}

  /** Fresh params for a stream's start. */
  static Map<String, Object> initial(Pipeline p, Rng rng) {
    return withPrompt(p, rng.pick(PROMPTS), rng.between(1, 999_999), rng);
  }

  /** The params of a prompt change: a new prompt, sometimes a new seed. */
  static Map<String, Object> update(Pipeline p, Map<String, Object> previous, Rng rng) {
    Object seed = previous.getOrDefault("seed", 42L);
    return withPrompt(p, rng.pick(PROMPTS), rng.chance(0.3) ? rng.between(1, 999_999) : seed, rng);
  }

  private static Map<String, Object> withPrompt(Pipeline p, String prompt, Object seed, Rng rng) {
    Map<String, Object> m = Emitter.struct();
    if (p == Pipeline.COMFYUI) {
      Map<String, Object> graph = Emitter.struct();
      graph.put("1", Emitter.obj("class_type", "LoadTensor", "inputs", Emitter.goMap()));
      graph.put("2", Emitter.obj("class_type", "CLIPTextEncode",
          "inputs", Emitter.obj("text", prompt, "clip", List.of("3", 0))));
      graph.put("3", Emitter.obj("class_type", "CheckpointLoaderSimple",
          "inputs", Emitter.obj("ckpt_name", "sd_turbo.safetensors")));
      graph.put(
          "4",
          Emitter.obj(
              "class_type", "SaveTensor", "inputs", Emitter.obj("images", List.of("2", 0))));
      m.put("prompt", graph);
      return m;
    }
    m.put("model_id", p.baseModel);
    m.put("prompt", prompt);
    m.put("negative_prompt", "blurry, low quality, flat, 2d");
    m.put("num_inference_steps", 50);
    m.put("guidance_scale", rng.chance(0.8) ? 1.0 : 1.2);
    m.put("delta", 0.7);
    m.put("t_index_list", p == Pipeline.STREAMDIFFUSION ? List.of(12, 20, 32) : List.of(16, 32));
    m.put("seed", seed);
    m.put("width", 512);
    m.put("height", 512);
    if (p == Pipeline.STREAMDIFFUSION_SDXL_FACEID) {
      m.put("ip_adapter", Emitter.obj("enabled", true, "scale", 0.6, "type", "faceid"));
    }
    return m;
  }
}
