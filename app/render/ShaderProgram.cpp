#include "render/ShaderProgram.h"

#include <fstream>
#include <sstream>
#include <utility>

namespace bcmap {

namespace {

std::string infoLog(GLuint object, bool isProgram) {
  GLint length = 0;
  if (isProgram)
    glGetProgramiv(object, GL_INFO_LOG_LENGTH, &length);
  else
    glGetShaderiv(object, GL_INFO_LOG_LENGTH, &length);
  if (length <= 1) return "(no log)";
  std::string log(size_t(length), '\0');
  GLsizei written = 0;
  if (isProgram)
    glGetProgramInfoLog(object, length, &written, log.data());
  else
    glGetShaderInfoLog(object, length, &written, log.data());
  log.resize(size_t(written));
  while (!log.empty() && (log.back() == '\n' || log.back() == '\0')) log.pop_back();
  return log;
}

GLuint compile(GLenum stage, std::string_view name, std::string* err) {
  const std::string source = shaderSource(name, err);
  if (source.empty()) return 0;
  const GLuint shader = glCreateShader(stage);
  const char* text = source.c_str();
  const GLint length = GLint(source.size());
  glShaderSource(shader, 1, &text, &length);
  glCompileShader(shader);
  GLint ok = GL_FALSE;
  glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
  if (ok != GL_TRUE) {
    if (err) *err = "shaders/" + std::string(name) + ": compile failed:\n" + infoLog(shader, false);
    glDeleteShader(shader);
    return 0;
  }
  return shader;
}

}  // namespace

std::string shaderSource(std::string_view name, std::string* err) {
#ifdef BCMAP_SHADER_DIR
  const std::string path = std::string(BCMAP_SHADER_DIR) + "/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (err) *err = path + ": cannot open shader file";
    return {};
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().empty() && err) *err = path + ": shader file is empty";
  return text.str();
#else
  const char* text = shaders::get(name);
  if (!text || !*text) {
    if (err)
      *err = "shaders/" + std::string(name) +
             ": not embedded (add it to bcmap_embed_shaders in app/render/CMakeLists.txt)";
    return {};
  }
  return text;
#endif
}

ShaderProgram::~ShaderProgram() { release(); }

ShaderProgram::ShaderProgram(ShaderProgram&& other) noexcept
    : program_(std::exchange(other.program_, 0)) {}

ShaderProgram& ShaderProgram::operator=(ShaderProgram&& other) noexcept {
  if (this != &other) {
    release();
    program_ = std::exchange(other.program_, 0);
  }
  return *this;
}

void ShaderProgram::release() {
  if (program_ != 0) glDeleteProgram(program_);
  program_ = 0;
}

bool ShaderProgram::build(std::string_view vertName, std::string_view fragName,
                          std::string* err) {
  release();
  const GLuint vert = compile(GL_VERTEX_SHADER, vertName, err);
  if (vert == 0) return false;
  const GLuint frag = compile(GL_FRAGMENT_SHADER, fragName, err);
  if (frag == 0) {
    glDeleteShader(vert);
    return false;
  }
  const GLuint program = glCreateProgram();
  glAttachShader(program, vert);
  glAttachShader(program, frag);
  glLinkProgram(program);
  // The program keeps what it needs; the shader objects can go now.
  glDetachShader(program, vert);
  glDetachShader(program, frag);
  glDeleteShader(vert);
  glDeleteShader(frag);
  GLint ok = GL_FALSE;
  glGetProgramiv(program, GL_LINK_STATUS, &ok);
  if (ok != GL_TRUE) {
    if (err)
      *err = "shaders/" + std::string(vertName) + " + shaders/" + std::string(fragName) +
             ": link failed:\n" + infoLog(program, true);
    glDeleteProgram(program);
    return false;
  }
  program_ = program;
  return true;
}

}  // namespace bcmap
