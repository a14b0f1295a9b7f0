#version 330 core
// Point symbols: 1 px coverage ramp at the edge and a thin darker ring inside it so that
// light points stay visible on light backgrounds. Each symbol is a signed distance (negative
// inside) in pixels; v_radius is the radius of the circle of the same area, so symbols of
// one size weigh the same on the map (MapRenderer.h). Symbols as in bcmap_symbol.

uniform vec2 u_viewportPx;
uniform vec2 u_viewportOriginPx;
uniform float u_opacity;
uniform float u_ringWidthPx;   // darker outline width (1 px x pixelRatio); 0: none
uniform int u_useOverride;     // 1: u_overrideColor, no ring (highlight halo)
uniform vec4 u_overrideColor;  // straight alpha
uniform int u_symbol;          // 0 circle, 1 square, 2 diamond, 3 triangle, 4 star

flat in vec2 v_center;
flat in float v_radius;
flat in vec4 v_color;

out vec4 fragColor;

const float kPi = 3.14159265;

// Distance from p to the segment a-b.
float segment(vec2 p, vec2 a, vec2 b) {
  vec2 pa = p - a, ba = b - a;
  return length(pa - ba * clamp(dot(pa, ba) / dot(ba, ba), 0.0, 1.0));
}

// Axis-aligned square of half side h (exact, corners included).
float square(vec2 p, float h) {
  vec2 q = abs(p) - vec2(h);
  return length(max(q, 0.0)) + min(max(q.x, q.y), 0.0);
}

// Equilateral triangle pointing up, centroid at the origin, circumradius R. Inside, the
// nearest edge's line gives the exact distance; outside, the nearest edge as a segment (the
// lines alone would round the tips outwards by up to half the ramp).
float triangle(vec2 p, float R) {
  vec2 a = vec2(0.0, R), b = vec2(-0.8660254 * R, -0.5 * R), c = vec2(0.8660254 * R, -0.5 * R);
  float lines = max(-p.y, max(dot(p, vec2(0.8660254, 0.5)), dot(p, vec2(-0.8660254, 0.5)))) - 0.5 * R;
  if (lines <= 0.0) return lines;
  return min(segment(p, a, b), min(segment(p, b, c), segment(p, c, a)));
}

// Five-pointed star, a tip up, outer radius R, inner radius R / 2. Folded into the half
// sector between a tip (angle 0 from up) and the next inner corner (36 degrees), where the
// nearest edge is the one joining them.
float star(vec2 p, float R) {
  const float sector = 2.0 * kPi / 5.0;
  float angle = abs(mod(atan(p.x, p.y) + 0.5 * sector, sector) - 0.5 * sector);
  vec2 q = length(p) * vec2(sin(angle), cos(angle));
  vec2 tip = vec2(0.0, R), inner = 0.5 * R * vec2(sin(0.5 * sector), cos(0.5 * sector));
  vec2 edge = inner - tip, qt = q - tip;
  float d = segment(q, tip, inner);
  // The centre is on the negative side of the edge (edge.x > 0, qt = (0, -R)).
  return edge.x * qt.y - edge.y * qt.x < 0.0 ? -d : d;
}

// Signed distance to the symbol whose same-area circle has radius r. The sizes: a square
// of area pi r^2 has half side r sqrt(pi) / 2; the diamond is that square turned 45
// degrees; the triangle's circumradius is r sqrt(4 pi / (3 sqrt 3)); the star's outer
// radius r sqrt(2 pi / (5 sin 36deg)) (kSymbolExtent in MapRenderer.cpp).
float symbolDistance(vec2 p, float r) {
  if (u_symbol == 1) return square(p, 0.8862269 * r);
  if (u_symbol == 2) return square(vec2(p.x + p.y, p.x - p.y) * 0.7071068, 0.8862269 * r);
  if (u_symbol == 3) return triangle(p, 1.5551364 * r);
  if (u_symbol == 4) return star(p, 1.4621915 * r);
  return length(p) - r;
}

void main() {
  vec2 p = gl_FragCoord.xy - u_viewportOriginPx - u_viewportPx * 0.5;
  float d = symbolDistance(p - v_center, v_radius);
  float coverage = clamp(0.5 - d, 0.0, 1.0);
  if (coverage <= 0.0) discard;
  vec3 rgb;
  float alpha;
  if (u_useOverride != 0) {
    rgb = u_overrideColor.rgb;
    alpha = u_overrideColor.a;
  } else {
    // The ring is at most a third of the radius, so small points keep their colour.
    float ring = min(u_ringWidthPx, v_radius / 3.0);
    float inner = clamp(0.5 - (d + ring), 0.0, 1.0);
    rgb = mix(v_color.rgb * 0.55, v_color.rgb, inner);
    alpha = v_color.a;
  }
  float a = alpha * u_opacity * coverage;
  fragColor = vec4(rgb * a, a);
}
