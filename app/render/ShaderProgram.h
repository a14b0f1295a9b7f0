// ShaderProgram: a linked GLSL program built from two files in shaders/. The files are
// embedded at build time (cmake/EmbedShaders.cmake generates bcmap::shaders::get); a build
// with BCMAP_SHADERS_FROM_DISK=ON reads them from the source tree instead, for live editing.
// Needs a current OpenGL 3.3 core context for every call except shaderSource().
#pragma once

#include <epoxy/gl.h>

#include <string>
#include <string_view>

namespace bcmap::shaders {
// Generated: the text of an embedded shader file ("polygon.vert"), or nullptr if unknown.
const char* get(std::string_view name);
}  // namespace bcmap::shaders

namespace bcmap {

// The source of shader file `name` (disk when BCMAP_SHADER_DIR is compiled in, else the
// embedded copy). Empty and `err` set ("shaders/<name>: ...") when it cannot be found.
std::string shaderSource(std::string_view name, std::string* err);

class ShaderProgram {
 public:
  ShaderProgram() = default;
  ~ShaderProgram();
  ShaderProgram(const ShaderProgram&) = delete;
  ShaderProgram& operator=(const ShaderProgram&) = delete;
  ShaderProgram(ShaderProgram&& other) noexcept;
  ShaderProgram& operator=(ShaderProgram&& other) noexcept;

  // Compiles `vertName` and `fragName` (file names in shaders/) and links them. On failure
  // returns false; `err` names the file and carries the driver's info log.
  bool build(std::string_view vertName, std::string_view fragName, std::string* err);
  // Deletes the GL program (call while its context is current; the destructor does too).
  void release();

  bool valid() const { return program_ != 0; }
  GLuint id() const { return program_; }
  void use() const { glUseProgram(program_); }
  // -1 when the uniform does not exist or was optimized away (GL ignores -1 on set).
  GLint uniform(const char* name) const { return glGetUniformLocation(program_, name); }

 private:
  GLuint program_ = 0;
};

}  // namespace bcmap
