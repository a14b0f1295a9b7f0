#version 330 core
// FrameCache: copies the cached frame (premultiplied colour, drawn without blending).

uniform sampler2D u_frame;

in vec2 v_uv;
out vec4 fragColor;

void main() { fragColor = texture(u_frame, v_uv); }
