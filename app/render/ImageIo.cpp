#include "render/ImageIo.h"

// Writing goes through libpng at its fastest settings; reading through stb_image (Debian's
// libstb ships the implementations in libstb.so: include the header only).
#include <png.h>
#include <stb_image.h>
#include <zlib.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>

#include "io/AtomicFile.h"

namespace bcmap {

namespace {

struct PngError {
  char message[256] = {0};
};

void pngError(png_structp png, png_const_charp message) {
  auto* e = static_cast<PngError*>(png_get_error_ptr(png));
  std::snprintf(e->message, sizeof e->message, "%s", message);
  png_longjmp(png, 1);
}
void pngWarning(png_structp, png_const_charp) {}

// The encoded bytes go to memory, then to the file in one crash-safe write (AtomicFile.h).
// No longjmp out of a catch: a failed append is noted and checked after the encoder ends.
struct PngSink {
  std::string bytes;
  bool outOfMemory = false;
};
void appendPngBytes(png_structp png, png_bytep data, png_size_t length) {
  auto* sink = static_cast<PngSink*>(png_get_io_ptr(png));
  if (sink->outOfMemory) return;
  try {
    sink->bytes.append(reinterpret_cast<const char*>(data), length);
  } catch (...) {
    sink->outOfMemory = true;
  }
}
void flushPngBytes(png_structp) {}

// libpng reports errors by longjmp: nothing in this frame may need a destructor.
bool writePngRows(PngSink* out, int w, int h, const uint8_t* rgba, png_uint_32 pixelsPerMetre, PngError* error) {
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, error, &pngError, &pngWarning);
  if (!png) return false;
  png_infop info = png_create_info_struct(png);
  if (!info || setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, info ? &info : nullptr);
    return false;
  }
  png_set_write_fn(png, out, &appendPngBytes, &flushPngBytes);
  // Speed over size: a frame is written once and the encoder was most of `bcmap render`'s
  // time (stb_image_write: 130-220 ms for 1600x1000). Run-length deflate of the "up"
  // differences codes flat fills and dense dot texture alike in 10-20 ms, and the files
  // come out smaller than stb's (counties: 131 KB against 177 KB).
  png_set_compression_level(png, 1);
  png_set_compression_strategy(png, Z_RLE);
  png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_UP);
  png_set_IHDR(png, info, png_uint_32(w), png_uint_32(h), 8, PNG_COLOR_TYPE_RGBA, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  if (pixelsPerMetre > 0) png_set_pHYs(png, info, pixelsPerMetre, pixelsPerMetre, PNG_RESOLUTION_METER);
  png_write_info(png, info);
  for (int y = 0; y < h; ++y) png_write_row(png, rgba + size_t(y) * size_t(w) * 4);
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return true;
}

}  // namespace

bool writePng(const std::string& path, int w, int h, const std::vector<uint8_t>& rgbaTopDown,
              std::string* err, double dpi) {
  if (w < 1 || h < 1 || rgbaTopDown.size() != size_t(w) * size_t(h) * 4) {
    if (err)
      *err = path + ": cannot write PNG: " + std::to_string(rgbaTopDown.size()) +
             " bytes is not " + std::to_string(w) + "x" + std::to_string(h) + " RGBA";
    return false;
  }
  // 1 inch = 0.0254 m exactly; 96 dpi is 3780 px/m (3779.5 rounded).
  const png_uint_32 pixelsPerMetre =
      dpi > 0 && std::isfinite(dpi) && dpi < 1e6 ? png_uint_32(std::lround(dpi / 0.0254)) : 0;
  PngError error;
  PngSink sink;
  if (!writePngRows(&sink, w, h, rgbaTopDown.data(), pixelsPerMetre, &error) || sink.outOfMemory) {
    if (err)
      *err = path + ": cannot write PNG (" +
             (error.message[0] ? std::string(error.message) : sink.outOfMemory ? "out of memory" : "libpng failed") + ")";
    return false;
  }
  // A crash or kill mid-write leaves the earlier file whole (issue 12).
  std::string why;
  if (!writeFileAtomically(path, sink.bytes, &why, FolderPolicy::MustExist)) {
    if (err) *err = path + ": cannot write PNG (" + why + ")";
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
