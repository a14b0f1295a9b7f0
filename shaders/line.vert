#version 330 core
// Wide screen-space lines (MapRenderer: polygon outlines and line layers). One instance per
// segment a->b; the four vertices of a quad come from gl_VertexID (triangle strip). The quad
// is the segment grown by half the width plus 0.5 px of antialiasing margin on every side;
// line.frag turns it into a capsule by distance to the segment, which gives round caps and
// round joins. prev/next are the neighbouring points of the same polyline (equal to a / b
// when there is none) so that each fragment is drawn by one segment only.

layout(location = 0) in vec2 a_p0;     // layer-local units
layout(location = 1) in vec2 a_p1;
layout(location = 2) in vec2 a_prev;   // == a_p0: no previous segment
layout(location = 3) in vec2 a_next;   // == a_p1: no next segment
layout(location = 4) in vec4 a_color;  // RGBA8 normalized, straight alpha
layout(location = 5) in ivec2 a_span;  // [startDay, endDay]; open ends are INT_MIN / INT_MAX

uniform float u_scale;      // pixels per unit
uniform vec2 u_offsetPx;    // (layer origin - view centre) / unitsPerPixel, y up
uniform vec2 u_viewportPx;
uniform int u_startMin;     // time filter: see polygon.vert
uniform int u_startMax;
uniform int u_endMin;
uniform float u_halfWidthPx;  // strokes: at least 0.5, thinner ones fade (u_widthAlpha);
                              // 0 for the fill's antialiasing fringe
uniform int u_opaqueOnly;     // 1: drop segments of translucent features (fill fringe)

flat out vec2 v_a;      // segment and neighbours in pixels from the viewport centre, y up
flat out vec2 v_b;
flat out vec2 v_prev;
flat out vec2 v_next;
flat out int v_flags;   // bit 0: has prev, bit 1: has next
flat out vec4 v_color;

bool shownByTime(ivec2 span) {
  return span.x >= u_startMin && span.x <= u_startMax && span.y >= u_endMin;
}

vec2 toPx(vec2 local) { return local * u_scale + u_offsetPx; }

void main() {
  v_color = a_color;
  v_flags = (a_prev != a_p0 ? 1 : 0) | (a_next != a_p1 ? 2 : 0);
  v_a = toPx(a_p0);
  v_b = toPx(a_p1);
  v_prev = toPx(a_prev);
  v_next = toPx(a_next);
  if (!shownByTime(a_span) || (u_opaqueOnly != 0 && a_color.a < 1.0)) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);  // outside the clip volume: dropped
    return;
  }
  vec2 d = v_b - v_a;
  float len = length(d);
  vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
  vec2 normal = vec2(-dir.y, dir.x);
  // Coverage ends at half the width + 0.5 px (line.frag), so that is all the quad needs;
  // every extra pixel of margin is paid for by every segment on llvmpipe.
  float r = u_halfWidthPx + 0.5;
  // Strip order: (a, -n) (a, +n) (b, -n) (b, +n).
  int corner = gl_VertexID & 3;
  float along = corner < 2 ? -1.0 : 1.0;
  float across = (corner & 1) == 0 ? -1.0 : 1.0;
  vec2 px = (corner < 2 ? v_a : v_b) + dir * (along * r) + normal * (across * r);
  gl_Position = vec4(px * 2.0 / u_viewportPx, 0.0, 1.0);
}
