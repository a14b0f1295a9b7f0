#version 330 core
// Wide line coverage: distance from the pixel centre to the segment, a 1 px ramp at the
// edge (antialiasing by coverage, no MSAA). Where the capsules of neighbouring segments
// overlap (around a join), the pixel belongs to the nearer segment (ties to the earlier),
// so translucent lines and antialiased edges are not blended twice at joins.

uniform vec2 u_viewportPx;
uniform vec2 u_viewportOriginPx;  // window position of the viewport's lower-left corner
uniform float u_halfWidthPx;
uniform float u_widthAlpha;       // < 1 for lines thinner than 1 px
uniform float u_opacity;
uniform int u_useOverride;        // 1: draw u_overrideColor (outline colour, highlight)
uniform vec4 u_overrideColor;     // straight alpha

flat in vec2 v_a;
flat in vec2 v_b;
flat in vec2 v_prev;
flat in vec2 v_next;
flat in int v_flags;
flat in vec4 v_color;

out vec4 fragColor;

float segmentDistance(vec2 p, vec2 a, vec2 b) {
  vec2 pa = p - a;
  vec2 ba = b - a;
  float len2 = dot(ba, ba);
  float h = len2 > 0.0 ? clamp(dot(pa, ba) / len2, 0.0, 1.0) : 0.0;
  return length(pa - ba * h);
}

void main() {
  vec2 p = gl_FragCoord.xy - u_viewportOriginPx - u_viewportPx * 0.5;
  float d = segmentDistance(p, v_a, v_b);
  if ((v_flags & 1) != 0 && segmentDistance(p, v_prev, v_a) <= d) discard;
  if ((v_flags & 2) != 0 && segmentDistance(p, v_b, v_next) < d) discard;
  float coverage = clamp(u_halfWidthPx + 0.5 - d, 0.0, 1.0) * u_widthAlpha;
  if (coverage <= 0.0) discard;
  vec4 c = u_useOverride != 0 ? u_overrideColor : v_color;
  float a = c.a * u_opacity * coverage;
  fragColor = vec4(c.rgb * a, a);
}
