#include "render/ImageIo.h"

// Debian's libstb ships the implementations in libstb.so: include the headers only.
#include <stb_image.h>
#include <stb_image_write.h>

#include <cerrno>
#include <cstring>

namespace bcmap {

bool writePng(const std::string& path, int w, int h, const std::vector<uint8_t>& rgbaTopDown,
              std::string* err) {
  if (w < 1 || h < 1 || rgbaTopDown.size() != size_t(w) * size_t(h) * 4) {
    if (err)
      *err = path + ": cannot write PNG: " + std::to_string(rgbaTopDown.size()) +
             " bytes is not " + std::to_string(w) + "x" + std::to_string(h) + " RGBA";
    return false;
  }
  if (!stbi_write_png(path.c_str(), w, h, 4, rgbaTopDown.data(), w * 4)) {
    if (err) *err = path + ": cannot write PNG (" + std::strerror(errno) + ")";
    return false;
  }
  return true;
}

std::optional<RgbaImage> readPng(const std::string& path, std::string* err) {
  int w = 0, h = 0, channels = 0;
  stbi_uc* data = stbi_load(path.c_str(), &w, &h, &channels, 4);
  if (!data) {
    if (err) *err = path + ": cannot read PNG (" + stbi_failure_reason() + ")";
    return std::nullopt;
  }
  RgbaImage image;
  image.width = w;
  image.height = h;
  image.rgba.assign(data, data + size_t(w) * size_t(h) * 4);
  stbi_image_free(data);
  return image;
}

}  // namespace bcmap
