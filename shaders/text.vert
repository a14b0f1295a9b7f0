#version 330 core
// Map text (TextRenderer): glyph quads in framebuffer pixels, origin top-left, y down.

layout(location = 0) in vec2 a_posPx;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color;        // RGBA8 normalized, straight alpha
layout(location = 3) in float a_haloTexels;  // 0: fill; >0: halo radius in atlas texels
layout(location = 4) in vec4 a_uvRect;       // this glyph's bitmap in the atlas (u0, v0, u1, v1)

uniform vec2 u_viewportPx;  // framebuffer size

out vec2 v_uv;
flat out vec4 v_color;
flat out float v_haloTexels;
flat out vec4 v_uvRect;

void main() {
  vec2 ndc = vec2(a_posPx.x / u_viewportPx.x * 2.0 - 1.0, 1.0 - a_posPx.y / u_viewportPx.y * 2.0);
  gl_Position = vec4(ndc, 0.0, 1.0);
  v_uv = a_uv;
  v_color = a_color;
  v_haloTexels = a_haloTexels;
  v_uvRect = a_uvRect;
}
