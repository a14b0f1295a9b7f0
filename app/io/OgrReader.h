// OgrReader: the feature-by-feature read of an open OGR layer, and what the plan needs to
// know about the layer (its schema and its CRS). readVector (VectorReader.cpp) opens the
// source, plans the read (ReadPlan.h) and picks this reader or the Arrow stream one.
#pragma once

#include <optional>
#include <string>

#include "io/GdalSupport.h"
#include "io/ReadPlan.h"
#include "io/TableBuilder.h"

namespace bcmap {

// The layer's fields (OGR Integer and Integer64 -> Integer, Real -> Real, Date and DateTime
// -> Date, anything else String) and its declared geometry kind.
SourceSchema ogrSchemaOf(OGRLayerH layer);

// The CRS the layer declares ("AUTH:CODE" when it names one, else WKT2; EPSG:4326 when it
// declares none). nullopt with *err set when it cannot be written down.
std::optional<SourceCrs> ogrSourceCrs(OGRLayerH layer, const std::string& prefix, std::string* err);

// Tells OGR not to fetch the fields the plan does not read (cheaper reads). Not to be used
// with an attribute filter: it may test any field, and ignored fields would read as unset.
void ignoreUnreadFields(OGRLayerH layer, const ReadPlan& plan);

// Reads every feature of the layer into `out`. False with *err set on an error, including
// a GDAL failure `capture` caught while reading.
bool readOgrFeatures(OGRLayerH layer, const ReadPlan& plan, TableBuilder& out, ErrorCapture& capture,
                     std::string* err);

}  // namespace bcmap
