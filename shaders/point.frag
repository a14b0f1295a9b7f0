#version 330 core
// Point disc: 1 px coverage ramp at the rim and a thin darker ring inside it so that
// light points stay visible on light backgrounds.

uniform vec2 u_viewportPx;
uniform vec2 u_viewportOriginPx;
uniform float u_opacity;
uniform float u_ringWidthPx;   // darker outline width (1 px x pixelRatio); 0: none
uniform int u_useOverride;     // 1: u_overrideColor, no ring (highlight halo)
uniform vec4 u_overrideColor;  // straight alpha

flat in vec2 v_center;
flat in float v_radius;
flat in vec4 v_color;

out vec4 fragColor;

void main() {
  vec2 p = gl_FragCoord.xy - u_viewportOriginPx - u_viewportPx * 0.5;
  float d = length(p - v_center);
  float coverage = clamp(v_radius + 0.5 - d, 0.0, 1.0);
  if (coverage <= 0.0) discard;
  vec3 rgb;
  float alpha;
  if (u_useOverride != 0) {
    rgb = u_overrideColor.rgb;
    alpha = u_overrideColor.a;
  } else {
    // The ring is at most a third of the radius, so small points keep their colour.
    float ring = min(u_ringWidthPx, v_radius / 3.0);
    float inner = clamp(v_radius - ring + 0.5 - d, 0.0, 1.0);
    rgb = mix(v_color.rgb * 0.55, v_color.rgb, inner);
    alpha = v_color.a;
  }
  float a = alpha * u_opacity * coverage;
  fragColor = vec4(rgb * a, a);
}
