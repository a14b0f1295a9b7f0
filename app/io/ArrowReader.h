// ArrowReader: reads an open OGR layer through GDAL's Arrow stream (OGR_L_GetArrowStream),
// much faster than feature by feature for point layers. It reads what the plan asks with
// the types it knows and otherwise says Fallback, after which readVector starts again on
// the feature path (OgrReader.h); both give the same table.
#pragma once

#include <string>

#include "io/GdalSupport.h"
#include "io/ReadPlan.h"
#include "io/TableBuilder.h"

namespace bcmap {

enum class ArrowOutcome { Done, Fallback, Error };

// Whether the Arrow stream can give this plan's values as the feature path does; when not,
// the layer is read feature by feature without trying.
bool arrowStreamFits(OGRLayerH layer, const ReadPlan& plan);

// Reads every feature of the layer into `out`. Error: *err is set; Fallback: `out` holds a
// partial table the caller throws away.
ArrowOutcome readArrowStream(OGRLayerH layer, const ReadPlan& plan, TableBuilder& out, std::string* err);

}  // namespace bcmap
