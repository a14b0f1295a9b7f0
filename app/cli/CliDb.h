// `bcmap db prepare SOURCE [--schema NAME]`: builds the overviews of a PostGIS point table
// once (io/DbQuery.h has what they are and how a render picks them), or says they are
// current. The connection goes through the network guard like any database source: the
// host is the one the user named on this command line.
#pragma once

#include "cli/Cli.h"

namespace bcmap {

// Exit 0: built, or current already (printed with the bands and the time); 2: the source
// cannot be parsed, reached or prepared (the reason on stderr, never the password).
int runDb(const CliOptions& o);

}  // namespace bcmap
