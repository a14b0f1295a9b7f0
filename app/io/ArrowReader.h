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

// Layers of at least this many features read typed date fields through the Arrow stream.
// GDAL's stream gives a typed date as a day number without checking it, so an impossible
// day ("2018-02-30", which GDAL types as a date) arrives as the next month's (2018-03-02)
// where the feature path refuses it, naming the feature. Smaller layers keep that check;
// for big ones the feature path costs too much: 1M points with a date field took 2.5 s to
// render instead of 1.3 s (bench/RESULTS.md, issue 11).
inline constexpr long long kArrowTypedDatesMinFeatures = 100000;

// Whether the Arrow stream can give this plan's values as the feature path does (typed
// dates: see kArrowTypedDatesMinFeatures; featureCount -1: not known); when not, the
// layer is read feature by feature without trying.
bool arrowStreamFits(OGRLayerH layer, const ReadPlan& plan, long long featureCount);

// Reads every feature of the layer into `out`. Error: *err is set; Fallback: `out` holds a
// partial table the caller throws away.
ArrowOutcome readArrowStream(OGRLayerH layer, const ReadPlan& plan, TableBuilder& out, std::string* err);

}  // namespace bcmap
