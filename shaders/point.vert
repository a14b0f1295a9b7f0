#version 330 core
// Points (MapRenderer): one instance per point, a screen-aligned quad from gl_VertexID
// (triangle strip), shaded as an antialiased disc in point.frag. Size is the diameter in
// pixels, already multiplied by the DPI scale through u_sizeScale.

layout(location = 0) in vec2 a_pos;    // layer-local units
layout(location = 1) in float a_size;  // diameter in px at pixelRatio 1
layout(location = 2) in vec4 a_color;  // RGBA8 normalized, straight alpha
layout(location = 3) in ivec2 a_span;  // [startDay, endDay]; open ends are INT_MIN / INT_MAX

uniform float u_scale;      // pixels per unit
uniform vec2 u_offsetPx;    // (layer origin - view centre) / unitsPerPixel, y up
uniform vec2 u_viewportPx;
uniform int u_filterDay;
uniform int u_day;
uniform float u_sizeScale;  // pixelRatio
uniform float u_sizeAddPx;  // added to the diameter (highlight ring)

flat out vec2 v_center;     // pixels from the viewport centre, y up
flat out float v_radius;
flat out vec4 v_color;

void main() {
  v_color = a_color;
  v_center = a_pos * u_scale + u_offsetPx;
  v_radius = max(a_size * u_sizeScale + u_sizeAddPx, 1.0) * 0.5;
  if (u_filterDay != 0 && (u_day < a_span.x || u_day > a_span.y)) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // outside the clip volume: dropped
    return;
  }
  int corner = gl_VertexID & 3;
  vec2 offset = vec2((corner & 1) == 0 ? -1.0 : 1.0, corner < 2 ? -1.0 : 1.0);
  // Coverage ends at radius + 0.5 px (point.frag); a wider quad costs llvmpipe dearly
  // (1 px of margin instead of 0.5 made 1M 4 px points 2.4x slower).
  vec2 px = v_center + offset * (v_radius + 0.5);
  gl_Position = vec4(px * 2.0 / u_viewportPx, 0.0, 1.0);
}
