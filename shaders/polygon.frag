#version 330 core
// Polygon fill: flat colour, premultiplied alpha (blend ONE, ONE_MINUS_SRC_ALPHA). Fill
// edges are not antialiased here; the outline pass (line.*) covers them.

uniform float u_opacity;       // layer opacity, 0..1
uniform int u_useOverride;     // 1: draw u_overrideColor instead (highlight tint)
uniform vec4 u_overrideColor;  // straight alpha

flat in vec4 v_color;
out vec4 fragColor;

void main() {
  vec4 c = u_useOverride != 0 ? u_overrideColor : v_color;
  float a = c.a * u_opacity;
  fragColor = vec4(c.rgb * a, a);
}
