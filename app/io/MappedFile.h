// MappedFile: a file mapped read-only into memory with simdjson's padding after it, for the
// fast GeoJSON reader (GeoJsonReader.h).
// simdjson reads up to SIMDJSON_PADDING bytes past the end. The file is mapped over an
// anonymous mapping that long: past the end of the file, the last file page and the
// anonymous pages after it read as zeros. (A file truncated by another process while it is
// read would fault; bcmap reads data files nobody rewrites under it.)
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <string>

namespace bcmap {

class MappedFile {
 public:
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  // False when the path is not a regular file that can be mapped.
  bool open(const std::string& path);

  simdjson::padded_string_view view() const {
    return simdjson::padded_string_view(static_cast<const char*>(base_), size_, mapped_);
  }

 private:
  void* base_ = nullptr;  // nullptr: nothing mapped
  size_t size_ = 0;
  size_t mapped_ = 0;
};

}  // namespace bcmap
