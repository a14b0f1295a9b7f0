#version 330 core
// FrameCache: the cached map frame as one quad (triangle strip from gl_VertexID), placed
// where the cached view's corners fall in the current view.

uniform vec4 u_rectNdc;  // x0, y0 (bottom-left), x1, y1 (top-right) in normalized device coordinates

out vec2 v_uv;

void main() {
  int corner = gl_VertexID & 3;
  vec2 t = vec2((corner & 1) == 0 ? 0.0 : 1.0, corner < 2 ? 0.0 : 1.0);
  v_uv = t;  // the texture's row 0 is the frame's bottom row, as GL drew it
  gl_Position = vec4(mix(u_rectNdc.xy, u_rectNdc.zw, t), 0.0, 1.0);
}
