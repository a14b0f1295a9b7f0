// Session: the viewer's side of the session file (host/SessionFile.h has the file itself):
// what the window captures into it and restores from it.
//
// Which file: `bcmap --session FILE` names one; otherwise the viewer's own
// (sessionFilePath(): $BCMAP_SESSION, else $XDG_CONFIG_HOME/bcmap/session.json, else
// ~/.config/bcmap/session.json). The viewer reads it at start (when it exists) and writes
// it on Ctrl+S and on exit. The headless commands read one only when given --session.
//
// What the command line overrides: `--layers` wins over the saved visibility; `--crs` wins
// over the saved display CRS and view. FILE arguments add layers and leave both as saved,
// unless a FILE lies outside the view (host/AppSession.h: sessionStart, fileOutsideView).
// The saved selection is restored layer by layer as the layers finish loading.
#pragma once

#include <string>

#include "host/SessionFile.h"
#include "ui/ViewerState.h"

namespace bcmap {

// The viewer's state as a session: plugin and file layers (applied setting values, not
// drafts), user styles, the selection, the view, time and panels.
SessionData captureSession(ViewerState& st);

// Restores the display CRS (false when PROJ does not know it any more; the state is then
// unchanged). Call before the view is first framed.
bool restoreDisplayCrs(const SessionData& s, ViewerState& st);
// Restores the view's centre and resolution when the session's CRS is the one shown now.
bool restoreView(const SessionData& s, ViewerState& st);
// Restores the time slider (paused) and its mode.
void restoreTime(const SessionData& s, ViewerState& st);
// Restores the panels' toggles and the UI scale.
void restorePanels(const SessionData& s, ViewerState& st);
// The docks' widths and collapsed states, and where the legend is (ui/Layout.h).
void restoreDock(const SessionData& s, ViewerState& st);

}  // namespace bcmap
