// MapRendererGpu.cpp — sections: uniforms, vertex attribute layouts, GL object lifetimes.
// (MapRendererGpu.h says which unit of MapRenderer holds what.)
#include "render/MapRendererGpu.h"

#include <algorithm>

namespace bcmap {
namespace map_gpu {

// ---- uniforms --------------------------------------------------------------------------------

void Locations::query(const ShaderProgram& p) {
  scale = p.uniform("u_scale");
  offsetPx = p.uniform("u_offsetPx");
  viewportPx = p.uniform("u_viewportPx");
  viewportOriginPx = p.uniform("u_viewportOriginPx");
  startMin = p.uniform("u_startMin");
  startMax = p.uniform("u_startMax");
  endMin = p.uniform("u_endMin");
  opacity = p.uniform("u_opacity");
  useOverride = p.uniform("u_useOverride");
  overrideColor = p.uniform("u_overrideColor");
  halfWidthPx = p.uniform("u_halfWidthPx");
  widthAlpha = p.uniform("u_widthAlpha");
  opaqueOnly = p.uniform("u_opaqueOnly");
  sizeScale = p.uniform("u_sizeScale");
  sizeAddPx = p.uniform("u_sizeAddPx");
  ringWidthPx = p.uniform("u_ringWidthPx");
  sprite = p.uniform("u_sprite");
  symbol = p.uniform("u_symbol");
  symbolExtent = p.uniform("u_symbolExtent");
}

void setColorUniform(GLint location, Rgba c) {
  glUniform4f(location, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f);
}

void setFrameUniforms(const Locations& loc, const float scale, const float* offsetPx,
                      const float* viewportPx, const float* viewportOriginPx, const GpuTimeBounds& time) {
  glUniform1f(loc.scale, scale);
  glUniform2f(loc.offsetPx, offsetPx[0], offsetPx[1]);
  glUniform2f(loc.viewportPx, viewportPx[0], viewportPx[1]);
  glUniform2f(loc.viewportOriginPx, viewportOriginPx[0], viewportOriginPx[1]);
  glUniform1i(loc.startMin, time.startMin);
  glUniform1i(loc.startMax, time.startMax);
  glUniform1i(loc.endMin, time.endMin);
}

// ---- vertex attribute layouts ---------------------------------------------------------------

void fillAttributes(size_t firstVertex) {
  const GLsizei stride = sizeof(FillVertex);
  const size_t base = firstVertex * sizeof(FillVertex);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(FillVertex, x)));
  glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        byteOffset(base + offsetof(FillVertex, rgba)));
  glVertexAttribIPointer(2, 2, GL_INT, stride, byteOffset(base + offsetof(FillVertex, startDay)));
  for (GLuint i = 0; i < 3; ++i) glEnableVertexAttribArray(i);
}

void segmentAttributes(size_t firstInstance) {
  const GLsizei stride = sizeof(SegmentInstance);
  const size_t base = firstInstance * sizeof(SegmentInstance);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(SegmentInstance, p0)));
  glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(SegmentInstance, p1)));
  glVertexAttribPointer(2, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(SegmentInstance, prev)));
  glVertexAttribPointer(3, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(SegmentInstance, next)));
  glVertexAttribPointer(4, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        byteOffset(base + offsetof(SegmentInstance, rgba)));
  glVertexAttribIPointer(5, 2, GL_INT, stride, byteOffset(base + offsetof(SegmentInstance, startDay)));
  for (GLuint i = 0; i < 6; ++i) {
    glEnableVertexAttribArray(i);
    glVertexAttribDivisor(i, 1);
  }
}

size_t pointStride(PointLayout layout) {
  switch (layout) {
    case PointLayout::Positions: return sizeof(PointPosition);
    case PointLayout::PositionsTime: return sizeof(PointPositionTime);
    case PointLayout::Instances: break;
  }
  return sizeof(PointInstance);
}

void pointAttributes(size_t first, PointLayout layout, bool sprites) {
  const GLuint divisor = sprites ? 0 : 1;
  if (layout == PointLayout::Positions) {
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(PointPosition),
                          byteOffset(first * sizeof(PointPosition)));
    glEnableVertexAttribArray(0);
    glVertexAttribDivisor(0, divisor);
    for (GLuint i = 1; i < 4; ++i) glDisableVertexAttribArray(i);
    return;
  }
  if (layout == PointLayout::PositionsTime) {
    const GLsizei stride = sizeof(PointPositionTime);
    const size_t base = first * sizeof(PointPositionTime);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(PointPositionTime, x)));
    glVertexAttribIPointer(3, 2, GL_INT, stride, byteOffset(base + offsetof(PointPositionTime, startDay)));
    for (GLuint i : {0u, 3u}) {
      glEnableVertexAttribArray(i);
      glVertexAttribDivisor(i, divisor);
    }
    for (GLuint i : {1u, 2u}) glDisableVertexAttribArray(i);
    return;
  }
  const GLsizei stride = sizeof(PointInstance);
  const size_t base = first * sizeof(PointInstance);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(PointInstance, x)));
  glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, stride, byteOffset(base + offsetof(PointInstance, size)));
  glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride,
                        byteOffset(base + offsetof(PointInstance, rgba)));
  glVertexAttribIPointer(3, 2, GL_INT, stride, byteOffset(base + offsetof(PointInstance, startDay)));
  for (GLuint i = 0; i < 4; ++i) {
    glEnableVertexAttribArray(i);
    glVertexAttribDivisor(i, divisor);
  }
}

}  // namespace map_gpu

// ---- GL object lifetimes ---------------------------------------------------------------------

using map_gpu::PointInstance;
using map_gpu::makeArrayBuffer;
using map_gpu::pointAttributes;

MapRenderer::PointSet::~PointSet() {
  if (vao) glDeleteVertexArrays(1, &vao);
  if (vbo) glDeleteBuffers(1, &vbo);
}

void MapRenderer::PointSet::upload(const std::vector<PointInstance>& instances) {
  count = instances.size();
  if (instances.empty()) return;
  glGenVertexArrays(1, &vao);
  glBindVertexArray(vao);
  vbo = makeArrayBuffer(instances);
  pointAttributes(0, map_gpu::PointLayout::Instances);
  glBindVertexArray(0);
  for (const PointInstance& p : instances) maxSizePx = std::max(maxSizePx, p.size);
}

MapRenderer::GpuLayer::~GpuLayer() {
  const GLuint vaos[] = {fillVao, segmentVao};
  const GLuint buffers[] = {fillVbo, fillIbo, segmentVbo, fringeIbo};
  for (GLuint v : vaos)
    if (v) glDeleteVertexArrays(1, &v);
  for (GLuint b : buffers)
    if (b) glDeleteBuffers(1, &b);
}

}  // namespace bcmap
