// MapRendererPasses.cpp — the draw passes drawLayer (MapRenderer.cpp) puts together, one GL
// program each: drawFill (polygon fills), drawSegments (outlines, lines and the fill's
// antialiased fringe), drawLineMarkers and drawPoints (points and line end markers, as
// sprites or instanced quads).
#include "render/MapRendererGpu.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

namespace bcmap {

using map_gpu::Locations;
using map_gpu::PointInstance;
using map_gpu::byteOffset;
using map_gpu::pointAttributes;
using map_gpu::segmentAttributes;
using map_gpu::setColorUniform;
using map_gpu::setFrameUniforms;

void MapRenderer::drawFill(const GpuLayer& g, const FrameUniforms& u, float opacity,
                           std::optional<uint32_t> feature, const Rgba* overrideColor) {
  if (!g.fillVao) return;
  size_t first = 0, count = g.stats.fillIndices;
  if (feature) {
    first = g.featureIndexStart[*feature];
    count = g.featureIndexStart[*feature + 1] - first;
  }
  if (count == 0) return;
  const Locations& loc = programs_->polygonLoc;
  programs_->polygon.use();
  setFrameUniforms(loc, u.scale, u.offsetPx, u.viewportPx, u.viewportOriginPx, u.time);
  glUniform1f(loc.opacity, opacity);
  glUniform1i(loc.useOverride, overrideColor ? 1 : 0);
  if (overrideColor) setColorUniform(loc.overrideColor, *overrideColor);
  glBindVertexArray(g.fillVao);
  glDrawElements(GL_TRIANGLES, GLsizei(count), GL_UNSIGNED_INT, byteOffset(first * sizeof(uint32_t)));
}

void MapRenderer::drawSegments(const GpuLayer& g, const FrameUniforms& u, float opacity,
                               std::optional<uint32_t> feature, float widthPx,
                               const Rgba* overrideColor, SegmentPass pass) {
  if (!g.segmentVao || !(widthPx > 0 || pass == SegmentPass::FillFringe)) return;
  size_t first = 0, count = g.stats.segments;
  if (feature) {
    first = g.featureSegmentStart[*feature];
    count = g.featureSegmentStart[*feature + 1] - first;
  }
  if (count == 0) return;
  const Locations& loc = programs_->lineLoc;
  programs_->line.use();
  setFrameUniforms(loc, u.scale, u.offsetPx, u.viewportPx, u.viewportOriginPx, u.time);
  // Lines under 1 px keep a 1 px footprint and fade instead (a thinner coverage ramp would
  // break up into dashes).
  if (pass == SegmentPass::FillFringe) {
    // Zero width: coverage is 0.5 on the edge and falls to 0 half a pixel outside, which is
    // what the (aliased) fill is missing outside its edge; inside, the opaque fill drawn
    // next covers it. Translucent features are skipped in line.vert: the fill would not
    // hide the fringe inside the edge, which would show as a darker rim.
    glUniform1f(loc.halfWidthPx, 0.0f);
    glUniform1f(loc.widthAlpha, 1.0f);
  } else {
    glUniform1f(loc.halfWidthPx, std::max(widthPx, 1.0f) * 0.5f);
    glUniform1f(loc.widthAlpha, std::min(widthPx, 1.0f));
  }
  glUniform1i(loc.opaqueOnly, pass == SegmentPass::FillFringe ? 1 : 0);
  glUniform1f(loc.opacity, opacity);
  glUniform1i(loc.useOverride, overrideColor ? 1 : 0);
  if (overrideColor) setColorUniform(loc.overrideColor, *overrideColor);
  glBindVertexArray(g.segmentVao);
  if (first != 0) {
    glBindBuffer(GL_ARRAY_BUFFER, g.segmentVbo);
    segmentAttributes(first);
  }
  glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, GLsizei(count));
  if (first != 0) segmentAttributes(0);
}

void MapRenderer::drawLineMarkers(GpuLayer& g, const FrameUniforms& u, float opacity, float pixelRatio,
                                  std::optional<uint32_t> feature, float sizeAddPx, const Rgba* overrideColor) {
  if (g.stats.markers == 0 || !pointProgramReady()) return;
  for (const PointSet* set : {&g.startMarkers, &g.endMarkers}) {
    PointRange r{0, set->count};
    if (feature) {
      if (*feature + 1 >= set->featureStart.size()) continue;
      r = {set->featureStart[*feature], set->featureStart[*feature + 1] - set->featureStart[*feature]};
    }
    drawPoints(g, *set, u, opacity, pixelRatio, {r}, sizeAddPx, overrideColor);
  }
}

bool MapRenderer::pointSprites(const PointSet& set, float pixelRatio, float sizeAddPx) const {
  // Sprites when the largest symbol (with its antialiasing ramp) fits the driver's points.
  const float largestRadiusPx = (set.maxSizePx * pixelRatio + sizeAddPx) * 0.5f * symbolExtent(set.symbol) + 0.5f;
  return 2.0f * largestRadiusPx <= programs_->maxPointSizePx;
}

void MapRenderer::drawPoints(GpuLayer& g, const PointSet& set, const FrameUniforms& u, float opacity,
                             float pixelRatio, const std::vector<PointRange>& ranges, float sizeAddPx,
                             const Rgba* overrideColor, const std::vector<uint32_t>* below) {
  if (!set.vao || (ranges.empty() && !(below && !below->empty()))) return;
  const Locations& loc = programs_->pointLoc;
  programs_->point.use();
  const float extent = symbolExtent(set.symbol);
  const float largestRadiusPx = (set.maxSizePx * pixelRatio + sizeAddPx) * 0.5f * extent + 0.5f;
  const bool sprites = pointSprites(set, pixelRatio, sizeAddPx);
  GLint viewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_VIEWPORT, viewport);
  const GLboolean scissorWasOn = glIsEnabled(GL_SCISSOR_TEST);
  if (sprites) {
    // Points are clipped by their centre, so a disc whose centre is just off screen would
    // vanish: widen the viewport by the largest radius and scissor to the real one. The
    // viewport centre stays put, so pixel positions do not change.
    const auto m = GLint(std::ceil(largestRadiusPx)) + 1;
    if (!scissorWasOn) {
      glEnable(GL_SCISSOR_TEST);
      glScissor(viewport[0], viewport[1], viewport[2], viewport[3]);
    }
    glViewport(viewport[0] - m, viewport[1] - m, viewport[2] + 2 * m, viewport[3] + 2 * m);
    glEnable(GL_PROGRAM_POINT_SIZE);
    const float vp[2] = {float(viewport[2] + 2 * m), float(viewport[3] + 2 * m)};
    const float origin[2] = {float(viewport[0] - m), float(viewport[1] - m)};
    setFrameUniforms(loc, u.scale, u.offsetPx, vp, origin, u.time);
  } else {
    setFrameUniforms(loc, u.scale, u.offsetPx, u.viewportPx, u.viewportOriginPx, u.time);
  }
  glUniform1i(loc.sprite, sprites ? 1 : 0);
  glUniform1i(loc.symbol, set.symbol);
  glUniform1f(loc.symbolExtent, extent);
  glUniform1f(loc.sizeScale, pixelRatio);
  glUniform1f(loc.sizeAddPx, sizeAddPx);
  glUniform1f(loc.ringWidthPx, pixelRatio);  // 1 px at pixelRatio 1
  glUniform1f(loc.opacity, opacity);
  glUniform1i(loc.useOverride, overrideColor ? 1 : 0);
  if (overrideColor) setColorUniform(loc.overrideColor, *overrideColor);
  glBindVertexArray(set.vao);
  glBindBuffer(GL_ARRAY_BUFFER, set.vbo);
  if (set.layout != map_gpu::PointLayout::Instances) {
    // Generic attribute values are context state, not VAO state: set them for every draw.
    const PointInstance& c = set.constant;
    glVertexAttrib1f(1, c.size);
    glVertexAttrib4f(2, c.rgba[0] / 255.0f, c.rgba[1] / 255.0f, c.rgba[2] / 255.0f, c.rgba[3] / 255.0f);
    if (set.layout == map_gpu::PointLayout::Positions) glVertexAttribI4i(3, c.startDay, c.endDay, 0, 0);
  }
  if (sprites) {
    pointAttributes(0, set.layout, true);
    if (below && !below->empty()) {
      // The element buffer binding is VAO state: only this draw uses it.
      if (!g.fringeIbo) glGenBuffers(1, &g.fringeIbo);
      glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, g.fringeIbo);
      glBufferData(GL_ELEMENT_ARRAY_BUFFER, GLsizeiptr(below->size() * sizeof(uint32_t)), below->data(), GL_STREAM_DRAW);
      glDrawElements(GL_POINTS, GLsizei(below->size()), GL_UNSIGNED_INT, nullptr);
      g.lastDraw.pointsDrawn += below->size();
      ++g.lastDraw.drawCalls;
    }
    for (const PointRange& r : ranges) {
      if (r.count == 0) continue;
      glDrawArrays(GL_POINTS, GLint(r.first), GLsizei(r.count));
      g.lastDraw.pointsDrawn += r.count;
      ++g.lastDraw.drawCalls;
    }
    pointAttributes(0, set.layout, false);
    glViewport(viewport[0], viewport[1], viewport[2], viewport[3]);
    if (!scissorWasOn) glDisable(GL_SCISSOR_TEST);
    return;
  }
  // GL 3.3 has no base instance: a range that does not start at 0 re-points the attributes.
  for (const PointRange& r : ranges) {
    if (r.count == 0) continue;
    if (r.first != 0) pointAttributes(r.first, set.layout);
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, GLsizei(r.count));
    if (r.first != 0) pointAttributes(0, set.layout);
    g.lastDraw.pointsDrawn += r.count;
    ++g.lastDraw.drawCalls;
  }
}

}  // namespace bcmap
