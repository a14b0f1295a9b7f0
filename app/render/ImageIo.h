// ImageIo: RGBA8 PNG files (stb_image_write / stb_image from Debian's libstb).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bcmap {

struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> rgba;  // top row first, 4 bytes a pixel, straight alpha
};

// Writes `rgbaTopDown` (w*h*4 bytes, top row first) as an RGBA PNG. False and `err`
// ("<path>: ...") on a size mismatch or when the file cannot be written. dpi > 0: a pHYs
// chunk says so (in pixels per metre, PNG's only unit), so print layouts place the image at
// its size in inches.
bool writePng(const std::string& path, int w, int h, const std::vector<uint8_t>& rgbaTopDown,
              std::string* err, double dpi = 0);

// Reads any PNG as RGBA8 (grey and RGB gain an opaque alpha). Empty and `err` on failure.
std::optional<RgbaImage> readPng(const std::string& path, std::string* err);

}  // namespace bcmap
