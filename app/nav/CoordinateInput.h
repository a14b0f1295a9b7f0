// CoordinateInput: what a user types into "go to" (转到 Go to), and the text "copy
// coordinate" puts on the clipboard.
//
// Accepted (spaces, commas — also the full-width "，" — or semicolons between the values):
//   123.5, 45.6   123.5 45.6       lon lat (decimal degrees)
//   45.6, 123.5                    lat lon: taken so when only that order is in range
//   45.6N 123.5E   N45.6 E123.5    hemisphere letters (N S E W, or 北纬 南纬 东经 西经), any order
//   45°36'N 123°30'E               degrees, minutes, seconds (° ' " ′ ″, or 度 分 秒)
//   13746000 5716000               projected x y in the display CRS: numbers that are no
//                                  lon/lat (|lon| > 180 or |lat| > 90 in both orders)
// A parenthesised note at the end is ignored, so a copied coordinate pastes back.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/FeatureTable.h"

namespace bcmap {

class Transformer;

enum class CoordinateKind : uint8_t { None = 0, LonLat = 1, Projected = 2 };

struct ParsedCoordinate {
  CoordinateKind kind = CoordinateKind::None;
  Vec2 value{NAN, NAN};  // LonLat: (lon, lat) degrees; Projected: display CRS (x, y)
};

// Why a text was refused (UI words, Chinese then English; UiFont needs their glyphs).
namespace coordinate_error {
inline constexpr const char* kEmpty = "请输入坐标 · enter a coordinate";
inline constexpr const char* kUnexpected = "无法识别的字符 · unexpected character";
inline constexpr const char* kCount = "需要两个值：经度 纬度，或 x y · expected two values: lon lat, or x y";
inline constexpr const char* kDms = "分、秒须跟在度后且小于 60 · minutes and seconds follow degrees and stay below 60";
inline constexpr const char* kHemisphere = "需要一个南北纬、一个东西经 · expected one of N/S and one of E/W";
inline constexpr const char* kSign = "负号与方向字母只用其一 · use a minus sign or a hemisphere letter, not both";
inline constexpr const char* kRange = "超出经纬度范围 · outside the lon/lat range";
inline constexpr const char* kOutside = "不在显示坐标系的范围内 · outside the display CRS";
inline constexpr std::array<const char*, 8> kAll = {kEmpty, kUnexpected, kCount, kDms,
                                                    kHemisphere, kSign, kRange, kOutside};
}  // namespace coordinate_error

// Parses `text`. `displayIsGeographic`: the display CRS is lon/lat itself, so there is no
// projected reading and out-of-range numbers are an error. nullopt with `err` (one of
// coordinate_error::kAll) when the text is not a coordinate.
std::optional<ParsedCoordinate> parseCoordinate(std::string_view text, bool displayIsGeographic, std::string* err);

// A go-to target in both reference systems.
struct GoToTarget {
  Vec2 world;   // display CRS
  Vec2 lonLat;  // degrees
};
// Reads `text` (parseCoordinate) and places it in the display CRS and in lon/lat with
// `displayToLonLat` (display CRS -> EPSG:4326). nullopt with `err` when the text is no
// coordinate (coordinate_error::*) or PROJ cannot place it (kOutside).
std::optional<GoToTarget> resolveGoTo(std::string_view text, const Transformer& displayToLonLat, bool displayIsGeographic,
                                      std::string* err);

// "123.500000, 45.600000": lon, lat with 6 decimals (0.1 m), the form parseCoordinate reads.
std::string formatLonLat(Vec2 lonLat);
// Display-CRS x, y: 2 decimals for metres (1 cm), 6 for a geographic CRS.
std::string formatDisplayXy(Vec2 xy, bool displayIsGeographic);
// What "copy coordinate" copies: "123.500000, 45.600000 (EPSG:3857 13747236.12, 5717264.35)";
// the lon/lat alone when the display CRS is geographic. "" for a non-finite lon/lat.
std::string formatCursorCoordinate(Vec2 lonLat, Vec2 displayXy, std::string_view displayCrs, bool displayIsGeographic);

}  // namespace bcmap
