#version 330 core
// Polygon fill (MapRenderer): one vertex per (feature, ring vertex); each feature has its
// own copies so its colour and time span can be per vertex. Positions are floats relative
// to the layer's local origin; the view arrives as a scale and a pixel offset computed in
// double on the CPU, so large projected coordinates (EPSG:3857 x ~ 1.4e7) do not jitter.

layout(location = 0) in vec2 a_pos;    // layer-local units
layout(location = 1) in vec4 a_color;  // RGBA8 normalized, straight alpha
layout(location = 2) in ivec2 a_span;  // [startDay, endDay]; open ends are INT_MIN / INT_MAX

uniform float u_scale;      // pixels per unit (1 / unitsPerPixel)
uniform vec2 u_offsetPx;    // (layer origin - view centre) / unitsPerPixel, y up
uniform vec2 u_viewportPx;  // framebuffer size of the view
// Time filter (MapRenderer.h, GpuTimeBounds): shown when the start (INT_MIN when open) is in
// [u_startMin, u_startMax] and the end is at least u_endMin; the CPU makes the bounds for
// the filter's mode.
uniform int u_startMin;
uniform int u_startMax;
uniform int u_endMin;

flat out vec4 v_color;

bool shownByTime(ivec2 span) {
  return span.x >= u_startMin && span.x <= u_startMax && span.y >= u_endMin;
}

void main() {
  if (!shownByTime(a_span)) {
    // Outside the clip volume: every vertex of the feature moves here, so its triangles
    // are clipped away without a branch in the draw call.
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    v_color = vec4(0.0);
    return;
  }
  vec2 px = a_pos * u_scale + u_offsetPx;
  gl_Position = vec4(px * 2.0 / u_viewportPx, 0.0, 1.0);
  v_color = a_color;
}
