package dev.naap.sim;

/**
 * The live-video-to-video pipelines (go-livepeer calls them the model id) with their share of
 * demand and of supply in the default network.
 */
enum Pipeline {
  STREAMDIFFUSION("streamdiffusion", "stabilityai/sd-turbo", 0.38, 0.38),
  STREAMDIFFUSION_SDXL("streamdiffusion-sdxl", "stabilityai/sdxl-turbo", 0.27, 0.30),
  STREAMDIFFUSION_SDXL_FACEID("streamdiffusion-sdxl-faceid", "stabilityai/sdxl-turbo", 0.22, 0.25),
  COMFYUI("comfyui", "", 0.13, 0.07);

  final String id;
  final String baseModel;
  final double demandShare;
  final double supplyShare;

  Pipeline(String id, String baseModel, double demandShare, double supplyShare) {
    this.id = id;
    this.baseModel = baseModel;
    this.demandShare = demandShare;
    this.supplyShare = supplyShare;
  }
}
