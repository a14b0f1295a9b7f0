// `bcmap new-plugin NAME [DIR]`: writes a standalone plugin project, DIR/NAME (default
// ./NAME), from the project template installed with bcmap (share/bcmap/plugin-template:
// plugins/sdk/project/ plus plugins/template/'s source and sample data). Every file name and
// text has the template's name replaced: template -> NAME, Template -> its CamelCase,
// TEMPLATE -> its capitals. The project builds against the installed SDK alone
// (find_package(bcmap)), and its test runs `bcmap check-plugin` on the built plugin.
#pragma once

#include <string>

namespace bcmap {

struct CliOptions;

// Exit codes: 0 written; 1 a bad NAME or the target exists (nothing is written then);
// 2 the template is missing or a file could not be written.
int runNewPlugin(const CliOptions& o);

// NAME is a layer id and a folder name: a lower-case letter, then lower-case letters,
// digits or '_', and not one of the SDK's own names. "" when it is fine, else why not.
std::string badPluginName(const std::string& name);

// The folder holding the project template: beside the executable (the build tree), else
// <prefix>/<datadir>/bcmap/plugin-template. Empty when neither exists.
std::string projectTemplateDir();

}  // namespace bcmap
