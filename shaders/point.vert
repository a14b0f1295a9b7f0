#version 330 core
// Points (MapRenderer), shaded as antialiased discs or symbols in point.frag. Two ways to cover a
// disc: u_sprite 1, one GL_POINTS vertex with gl_PointSize (llvmpipe runs the vertex stage
// once a point instead of four times: 3-4x less CPU for 1M points); u_sprite 0, one
// instance per point, a screen-aligned quad from gl_VertexID (triangle strip), for sizes
// above the driver's largest point. Size is the diameter in pixels, already multiplied by
// the DPI scale through u_sizeScale; for the other symbols, the diameter of the circle of
// the same area, and u_symbolExtent says how much farther than that circle they reach.

layout(location = 0) in vec2 a_pos;    // layer-local units
layout(location = 1) in float a_size;  // diameter in px at pixelRatio 1
layout(location = 2) in vec4 a_color;  // RGBA8 normalized, straight alpha
layout(location = 3) in ivec2 a_span;  // [startDay, endDay]; open ends are INT_MIN / INT_MAX

uniform float u_scale;      // pixels per unit
uniform vec2 u_offsetPx;    // (layer origin - view centre) / unitsPerPixel, y up
uniform vec2 u_viewportPx;
uniform int u_startMin;     // time filter: see polygon.vert
uniform int u_startMax;
uniform int u_endMin;
uniform float u_sizeScale;  // pixelRatio
uniform float u_sizeAddPx;  // added to the diameter (highlight ring)
uniform int u_sprite;       // 1: GL_POINTS with gl_PointSize; 0: instanced quads
uniform float u_symbolExtent;  // the symbol's reach in radii (MapRenderer.cpp kSymbolExtent)

flat out vec2 v_center;     // pixels from the viewport centre, y up
flat out float v_radius;
flat out vec4 v_color;

bool shownByTime(ivec2 span) {
  return span.x >= u_startMin && span.x <= u_startMax && span.y >= u_endMin;
}

void main() {
  v_color = a_color;
  v_center = a_pos * u_scale + u_offsetPx;
  v_radius = max(a_size * u_sizeScale + u_sizeAddPx, 1.0) * 0.5;
  if (!shownByTime(a_span)) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // outside the clip volume: dropped
    return;
  }
  if (u_sprite != 0) {
    // Points are clipped by their centre: MapRenderer widens the viewport by the largest
    // radius (and scissors to the real one) so discs straddling the edge are kept.
    gl_Position = vec4(v_center * 2.0 / u_viewportPx, 0.0, 1.0);
    gl_PointSize = 2.0 * (v_radius * u_symbolExtent + 0.5);
    return;
  }
  int corner = gl_VertexID & 3;
  vec2 offset = vec2((corner & 1) == 0 ? -1.0 : 1.0, corner < 2 ? -1.0 : 1.0);
  // Coverage ends at radius + 0.5 px (point.frag); a wider quad costs llvmpipe dearly
  // (1 px of margin instead of 0.5 made 1M 4 px points 2.4x slower).
  vec2 px = v_center + offset * (v_radius * u_symbolExtent + 0.5);
  gl_Position = vec4(px * 2.0 / u_viewportPx, 0.0, 1.0);
}
