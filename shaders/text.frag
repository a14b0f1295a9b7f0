#version 330 core
// Map text: coverage from the R8 glyph atlas, premultiplied output (blend ONE,
// ONE_MINUS_SRC_ALPHA). A halo is the coverage dilated by a disc of v_haloTexels: the most
// covered texel within the radius, so the halo's outer edge keeps the glyph's own
// antialiasing and needs no distance field.

uniform sampler2D u_atlas;

in vec2 v_uv;
flat in vec4 v_color;
flat in float v_haloTexels;
flat in vec4 v_uvRect;

out vec4 fragColor;

// Fill: bilinear coverage, counting only this glyph's texels (and the one-texel fringe a
// bilinear sample reads), so scaled text never picks up a neighbour packed beside it.
float fillCoverage(vec2 uv, vec2 texel) {
  if (any(lessThan(uv, v_uvRect.xy - texel)) || any(greaterThan(uv, v_uvRect.zw + texel)))
    return 0.0;
  return texture(u_atlas, uv).r;
}

// Halo: every texel of this glyph within v_haloTexels of the fragment (in texel space)
// counts with its exact coverage, weighted by its centre's distance: full inside the
// radius, fading to zero one texel beyond. Texel centres rather than bilinear samples, so
// a one-texel stroke of scaled text still gets a solid halo.
float haloCoverage(vec2 atlasSize) {
  vec2 p = v_uv * atlasSize;  // texel space; texel t covers [t, t + 1)
  ivec2 lo = ivec2(floor(v_uvRect.xy * atlasSize + 0.5));
  ivec2 hi = ivec2(floor(v_uvRect.zw * atlasSize + 0.5)) - 1;
  float reach = v_haloTexels + 1.0;
  ivec2 t0 = max(ivec2(floor(p - reach)), lo);
  ivec2 t1 = min(ivec2(floor(p + reach)), hi);
  float a = 0.0;
  for (int ty = t0.y; ty <= t1.y; ++ty) {
    for (int tx = t0.x; tx <= t1.x; ++tx) {
      float w = clamp(reach - length(vec2(tx, ty) + 0.5 - p), 0.0, 1.0);
      if (w > 0.0) a = max(a, w * texelFetch(u_atlas, ivec2(tx, ty), 0).r);
    }
  }
  return a;
}

void main() {
  vec2 atlasSize = vec2(textureSize(u_atlas, 0));
  float a = v_haloTexels <= 0.0 ? fillCoverage(v_uv, 1.0 / atlasSize) : haloCoverage(atlasSize);
  if (a <= 0.0) discard;
  float alpha = v_color.a * a;
  fragColor = vec4(v_color.rgb * alpha, alpha);
}
