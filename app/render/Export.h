// Export: a view of the map written to a file — a PNG (drawn offscreen, with its DPI in a
// pHYs chunk), a vector SVG of the same frame (the layers' geometry in pixels, then the
// text and decorations MapFrame recorded for it), or a numbered PNG sequence over days with
// the date counter on (an animation's frames).
//
// DPI scales text, line widths and symbols (FrameOptions::pixelRatio = dpi / 96); the image
// size and the extent stay those of the View. The attribution with its sample notice is
// always on in an export.
//
// Every function needs a current OpenGL 3.3 core context (the window's, or a
// HeadlessContext); the framebuffer and viewport bound before are bound again after. The
// forms taking a MapFrame reuse it (its fonts and GPU buffers; the viewer passes its own);
// the others make one. Errors: false and `err` naming the file and the reason.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/View.h"
#include "render/MapFrame.h"

namespace bcmap {

class LayerStore;

enum class ImageFormat : uint8_t { Invalid = 0, Png = 1, Svg = 2 };

// Png or Svg from "png" / "svg" (any case); Invalid otherwise.
ImageFormat parseImageFormat(const std::string& name);
// From a path's extension: ".svg" (any case) is Svg, anything else Png.
ImageFormat imageFormatFromPath(const std::string& path);

// Screen DPI: an export at this DPI draws text and symbols as the window does at scale 1.
inline constexpr double kBaseDpi = 96.0;
// The DPIs an export accepts. 600 draws labels at 6.25x their size (106 px county names).
inline constexpr double kMinDpi = 24.0, kMaxDpi = 600.0;

// A view for an export of widthPx x heightPx showing (at least) what `shown` shows: same
// centre, scaled so the whole of shown's extent fits. With a legend (drawn at `dpi`) the
// extent is framed in the width left of the legend's panel (fitLeftOfLegend).
View exportView(const View& shown, int widthPx, int heightPx, bool legend = false, double dpi = kBaseDpi);
// `view` (its size kept) fitted to `target` in the part left of the legend panel's
// reserved width at `pixelRatio` (legendReservedWidthPx): the panel, top right, covers none
// of the target. `bcmap render --legend` and the export dialog frame alike.
View fitLeftOfLegend(View view, const Bounds& target, double pixelRatio);

bool exportPng(MapFrame& frame, LayerStore& store, const std::string& crs, const View& view,
               const FrameOptions& options, double dpi, const std::string& path, std::string* err);
bool exportPng(LayerStore& store, const std::string& crs, const View& view, const FrameOptions& options,
               double dpi, const std::string& path, std::string* err);

bool exportSvg(MapFrame& frame, LayerStore& store, const std::string& crs, const View& view,
               const FrameOptions& options, double dpi, const std::string& path, std::string* err);
bool exportSvg(LayerStore& store, const std::string& crs, const View& view, const FrameOptions& options,
               double dpi, const std::string& path, std::string* err);

// Png or Svg by `format`.
bool exportImage(MapFrame& frame, LayerStore& store, const std::string& crs, const View& view,
                 const FrameOptions& options, ImageFormat format, double dpi, const std::string& path,
                 std::string* err);

// Called after each frame of a sequence with (frames written, frames in all); false stops
// the export (it then returns false with err "cancelled").
using ExportProgress = std::function<bool(int done, int total)>;

// PNGs <dir>/<prefix>-0001.png, -0002.png, ... for the days firstDay, firstDay + stepDays,
// ... up to lastDay, each with the date counter on (options.day is replaced). The folder is
// made when missing. `written` (if given) gets the paths in order.
bool exportSequence(MapFrame& frame, LayerStore& store, const std::string& crs, const View& view,
                    const FrameOptions& options, double dpi, int32_t firstDay, int32_t lastDay,
                    int32_t stepDays, const std::string& dir, const std::string& prefix, std::string* err,
                    std::vector<std::string>* written = nullptr, const ExportProgress& progress = {});
bool exportSequence(LayerStore& store, const std::string& crs, const View& view, const FrameOptions& options,
                    double dpi, int32_t firstDay, int32_t lastDay, int32_t stepDays, const std::string& dir,
                    const std::string& prefix, std::string* err, std::vector<std::string>* written = nullptr);

// The number of frames exportSequence writes (0 when the range or step is invalid).
int sequenceFrameCount(int32_t firstDay, int32_t lastDay, int32_t stepDays);

}  // namespace bcmap
