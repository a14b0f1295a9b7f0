// FontAtlas — sections: UTF-8 · font discovery (fontconfig + FreeType) · rasterising and
// shelf packing · queries and measuring.
#include "render/FontAtlas.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include <fontconfig/fontconfig.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "model/Log.h"

namespace bcmap {
namespace {

constexpr char32_t kReplacement = 0xFFFD;
// Empty texels around every bitmap: bilinear sampling at a bitmap's outer texel reads one
// texel beyond it, and a second keeps scaled-down quads from picking up a neighbour.
constexpr int kGlyphPaddingPx = 2;
// GL 3.3 guarantees at least 1024; every driver we meet offers 4096 or more, and a map's
// few hundred glyphs need a fraction of that.
constexpr int kMaxAtlasSidePx = 4096;
// Characters a Baicheng font must have; 洮 (Tao'er river) and 赉 (Zhenlai) are rare
// enough that a general-purpose font without full GB2312 coverage lacks them.
constexpr std::array<char32_t, 4> kProbeCodepoints = {U'洮', U'赉', U'榆', U'镇'};

std::string hexCodepoint(char32_t cp) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(cp));
  return buf;
}

std::string ftErrorText(FT_Error e) {
  const char* s = FT_Error_String(e);  // null unless FreeType was built with messages
  return s ? std::string(s) : "FreeType error " + std::to_string(e);
}

bool isControl(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp < 0xA0); }

// ---------------------------------------------------------------------------------
// Font discovery

struct Candidate {
  std::string path;
  int index = 0;
  std::vector<std::string> families;
  int weight = FC_WEIGHT_REGULAR;
  bool mono = false;
  bool serif = false;
  int familyRank = 0;
};

std::string lower(std::string s) {
  for (char& c : s)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return s;
}

// Lower rank is better. Exact preferred names first; "Noto Sans CJK <region>" faces come
// next because the collection they live in also holds the SC face.
int familyRank(const std::vector<std::string>& families) {
  static const std::array<const char*, 4> kExact = {"noto sans cjk sc", "wenquanyi micro hei",
                                                    "source han sans sc", "source han sans cn"};
  int best = 100;
  for (const std::string& f : families) {
    const std::string l = lower(f);
    if (l == kExact[0]) best = std::min(best, 0);
    if (l.rfind("noto sans cjk", 0) == 0) best = std::min(best, 1);
    if (l == kExact[1]) best = std::min(best, 2);
    if (l == kExact[2] || l == kExact[3]) best = std::min(best, 3);
  }
  return best;
}

bool containsWord(const std::string& haystack, const char* word) {
  return lower(haystack).find(lower(word)) != std::string::npos;
}

// "Noto Sans CJK JP" -> "Noto Sans CJK SC": the same design's Simplified Chinese face.
std::string scSibling(const std::string& family) {
  const size_t space = family.rfind(' ');
  if (space == std::string::npos) return family + " SC";
  return family.substr(0, space) + " SC";
}

bool hasSimplifiedToken(const std::string& family) {
  return family.find(" SC") != std::string::npos || family.find(" CN") != std::string::npos;
}

struct FtLibrary {
  FT_Library lib = nullptr;
  FtLibrary() {
    if (FT_Init_FreeType(&lib) != 0) lib = nullptr;
  }
  ~FtLibrary() {
    if (lib) FT_Done_FreeType(lib);
  }
  FtLibrary(const FtLibrary&) = delete;
  FtLibrary& operator=(const FtLibrary&) = delete;
};

struct FtFaceHandle {
  FT_Face face = nullptr;
  FtFaceHandle(FT_Library lib, const std::string& path, int index) {
    if (FT_New_Face(lib, path.c_str(), index, &face) != 0) face = nullptr;
  }
  ~FtFaceHandle() {
    if (face) FT_Done_Face(face);
  }
  FtFaceHandle(const FtFaceHandle&) = delete;
  FtFaceHandle& operator=(const FtFaceHandle&) = delete;
};

// Checks the candidate with FreeType, moving to the SC face of a pan-CJK collection.
std::optional<FontFace> resolveFace(FT_Library lib, const Candidate& c) {
  FtFaceHandle first(lib, c.path, c.index);
  if (!first.face) return std::nullopt;
  FontFace out{c.path, c.index, first.face->family_name ? first.face->family_name : "",
               first.face->style_name ? first.face->style_name : ""};
  const FT_Long faceCount = first.face->num_faces;
  if (faceCount > 1 && !hasSimplifiedToken(out.family)) {
    const std::string wanted = scSibling(out.family);
    int fallback = -1;
    bool found = false;
    for (FT_Long i = 0; i < faceCount && !found; ++i) {
      FtFaceHandle f(lib, c.path, static_cast<int>(i));
      if (!f.face || !f.face->family_name) continue;
      const std::string fam = f.face->family_name;
      const std::string sty = f.face->style_name ? f.face->style_name : "";
      if (fam == wanted && sty == out.style) {
        out = {c.path, static_cast<int>(i), fam, sty};
        found = true;
      } else if (fallback < 0 && hasSimplifiedToken(fam) && sty == out.style) {
        fallback = static_cast<int>(i);
      }
    }
    if (!found && fallback >= 0) {
      FtFaceHandle f(lib, c.path, fallback);
      out = {c.path, fallback, f.face->family_name, f.face->style_name ? f.face->style_name : ""};
    }
  }
  FtFaceHandle chosen(lib, out.path, out.faceIndex);
  if (!chosen.face) return std::nullopt;
  for (char32_t cp : kProbeCodepoints)
    if (FT_Get_Char_Index(chosen.face, cp) == 0) return std::nullopt;
  return out;
}

}  // namespace

// ---------------------------------------------------------------------------------
// UTF-8

std::u32string FontAtlas::decodeUtf8(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  size_t i = 0;
  const size_t n = s.size();
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  while (i < n) {
    const unsigned b0 = byte(i);
    if (b0 < 0x80) {
      out.push_back(b0);
      ++i;
      continue;
    }
    // Unicode Table 3-7: the lead byte fixes the length and the range of the second byte.
    int len = 0;
    unsigned lo = 0x80, hi = 0xBF;
    char32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
      len = 2, cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      len = 3, cp = b0 & 0x0F;
      if (b0 == 0xE0) lo = 0xA0;  // no overlongs
      if (b0 == 0xED) hi = 0x9F;  // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
      len = 4, cp = b0 & 0x07;
      if (b0 == 0xF0) lo = 0x90;  // no overlongs
      if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
      out.push_back(kReplacement);
      ++i;
      continue;
    }
    size_t k = 1;
    for (; k < static_cast<size_t>(len); ++k) {
      if (i + k >= n) break;
      const unsigned b = byte(i + k);
      const unsigned bLo = k == 1 ? lo : 0x80, bHi = k == 1 ? hi : 0xBF;
      if (b < bLo || b > bHi) break;
      cp = (cp << 6) | (b & 0x3F);
    }
    if (k == static_cast<size_t>(len)) {
      out.push_back(cp);
      i += k;
    } else {
      // One U+FFFD for the maximal subpart; the offending byte starts the next try.
      out.push_back(kReplacement);
      i += k;
    }
  }
  return out;
}

std::string FontAtlas::encodeUtf8(std::u32string_view text) {
  std::string out;
  out.reserve(text.size() * 3);
  for (char32_t cp : text) {
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = kReplacement;
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }
  return out;
}

std::vector<char32_t> FontAtlas::baseCodepoints() {
  std::vector<char32_t> cps;
  for (char32_t c = 0x20; c < 0x7F; ++c) cps.push_back(c);
  // Scale bars, coordinates, dates, attributions and bilingual names use these.
  for (char32_t c : std::u32string_view(U"°·—–‘’“”、，（）：²×±…"))
    cps.push_back(c);
  cps.push_back(kReplacement);
  return cps;
}

void FontAtlas::appendCodepoints(std::string_view utf8, std::vector<char32_t>* out) {
  std::unordered_set<char32_t> seen(out->begin(), out->end());
  for (char32_t cp : decodeUtf8(utf8))
    if (!isControl(cp) && seen.insert(cp).second) out->push_back(cp);
}

// ---------------------------------------------------------------------------------
// Font discovery

std::optional<FontFace> FontAtlas::findCjkFont(std::string* err, FontWeight weight) {
  auto fail = [&](std::string m) -> std::optional<FontFace> {
    if (err) *err = std::move(m);
    return std::nullopt;
  };
  if (!FcInit()) return fail("FontAtlas: fontconfig failed to initialise");
  FcPattern* pat = FcPatternCreate();
  FcPatternAddString(pat, FC_LANG, reinterpret_cast<const FcChar8*>("zh-cn"));
  FcPatternAddBool(pat, FC_SCALABLE, FcTrue);
  FcObjectSet* os =
      FcObjectSetBuild(FC_FILE, FC_INDEX, FC_FAMILY, FC_WEIGHT, FC_SPACING, static_cast<char*>(nullptr));
  FcFontSet* fs = FcFontList(nullptr, pat, os);
  FcObjectSetDestroy(os);
  FcPatternDestroy(pat);

  std::vector<Candidate> cands;
  for (int i = 0; fs && i < fs->nfont; ++i) {
    FcPattern* p = fs->fonts[i];
    FcChar8* file = nullptr;
    if (FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch || !file) continue;
    Candidate c;
    c.path = reinterpret_cast<const char*>(file);
    FcPatternGetInteger(p, FC_INDEX, 0, &c.index);
    FcChar8* fam = nullptr;
    for (int k = 0; FcPatternGetString(p, FC_FAMILY, k, &fam) == FcResultMatch; ++k)
      c.families.emplace_back(reinterpret_cast<const char*>(fam));
    double w = FC_WEIGHT_REGULAR;
    if (FcPatternGetDouble(p, FC_WEIGHT, 0, &w) != FcResultMatch) {
      int wi = FC_WEIGHT_REGULAR;
      if (FcPatternGetInteger(p, FC_WEIGHT, 0, &wi) == FcResultMatch) w = wi;
    }
    c.weight = static_cast<int>(w);
    int spacing = FC_PROPORTIONAL;
    c.mono = FcPatternGetInteger(p, FC_SPACING, 0, &spacing) == FcResultMatch && spacing >= FC_MONO;
    for (const std::string& f : c.families) {
      if (containsWord(f, "mono")) c.mono = true;
      if (containsWord(f, "serif") || containsWord(f, "ming") || containsWord(f, "song"))
        c.serif = true;
    }
    c.familyRank = familyRank(c.families);
    // Bold county labels need a real bold face, not an emboldened regular one.
    if (weight == FontWeight::Bold && c.weight < FC_WEIGHT_DEMIBOLD) continue;
    cands.push_back(std::move(c));
  }
  if (fs) FcFontSetDestroy(fs);
  if (cands.empty())
    return fail(weight == FontWeight::Bold
                    ? "FontAtlas: fontconfig found no bold font covering zh-cn"
                    : "FontAtlas: fontconfig found no font covering zh-cn (install fonts-noto-cjk)");

  const int target = weight == FontWeight::Bold ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR;
  auto key = [&](const Candidate& c) {
    return std::make_tuple(c.familyRank, c.mono, c.serif, std::abs(c.weight - target), c.path,
                           c.index);
  };
  std::sort(cands.begin(), cands.end(),
            [&](const Candidate& a, const Candidate& b) { return key(a) < key(b); });

  FtLibrary ft;
  if (!ft.lib) return fail("FontAtlas: FreeType failed to initialise");
  for (const Candidate& c : cands)
    if (auto face = resolveFace(ft.lib, c)) return face;
  return fail("FontAtlas: none of " + std::to_string(cands.size()) +
              " zh-cn fonts has the glyphs Baicheng's names need (e.g. 洮, 赉)");
}

// ---------------------------------------------------------------------------------
// The atlas

struct FontAtlas::Impl {
  FT_Library library = nullptr;
  FT_Face ftFace = nullptr;
  FontFace face;
  float pixelSize = 0;
  float ascent = 0, descent = 0, lineHeight = 0;
  std::vector<char32_t> wanted;  // available code points the image holds, sorted
  std::unordered_set<char32_t> have;  // the same, for lookups (a frame's labels ask for every glyph)
  std::unordered_set<char32_t> unavailable;
  std::unordered_map<char32_t, Glyph> glyphs;
  std::vector<uint8_t> image;
  int width = 0, height = 0;
  uint64_t generation = 0;

  ~Impl() { close(); }

  void close() {
    if (ftFace) FT_Done_Face(ftFace);
    if (library) FT_Done_FreeType(library);
    ftFace = nullptr;
    library = nullptr;
    glyphs.clear();
    wanted.clear();
    have.clear();
    unavailable.clear();
    image.clear();
    width = height = 0;
  }

  static constexpr FT_Int32 kLoadFlags = FT_LOAD_NO_BITMAP | FT_LOAD_TARGET_LIGHT;

  // Noto Sans CJK has no U+FFFD; its .notdef (glyph 0, a box) is the conventional mark
  // for a character the font cannot draw, so it stands in.
  FT_UInt glyphIndex(char32_t cp) const { return FT_Get_Char_Index(ftFace, cp); }

  // Splits `cps` into new available ones (appended to wanted) and unavailable ones.
  // Returns true if wanted grew.
  bool known(char32_t cp) const { return isControl(cp) || have.count(cp) || unavailable.count(cp); }

  bool accept(const std::vector<char32_t>& cps) {
    bool grew = false;
    for (char32_t cp : cps) {
      if (known(cp)) continue;
      // U+FFFD is always drawable: the face's own, or its .notdef box (glyphIndex()).
      if (cp != kReplacement && FT_Get_Char_Index(ftFace, cp) == 0) {
        unavailable.insert(cp);
        logWarning("FontAtlas: font '" + face.family + "' has no glyph for " + hexCodepoint(cp) +
                   "; it is drawn as the replacement mark");
        continue;
      }
      have.insert(cp);
      wanted.push_back(cp);
      grew = true;
    }
    std::sort(wanted.begin(), wanted.end());
    return grew;
  }

  bool rasterise(std::string* err) {
    struct Bitmap {
      Glyph g;
      std::vector<uint8_t> pixels;
    };
    std::vector<Bitmap> bitmaps;
    bitmaps.reserve(wanted.size());
    for (char32_t cp : wanted) {
      const FT_UInt index = glyphIndex(cp);
      FT_Error e = FT_Load_Glyph(ftFace, index, kLoadFlags);
      if (e == 0) e = FT_Render_Glyph(ftFace->glyph, FT_RENDER_MODE_NORMAL);
      if (e != 0) {
        if (err)
          *err = "FontAtlas: " + face.path + ": cannot render " + hexCodepoint(cp) + ": " +
                 ftErrorText(e);
        return false;
      }
      const FT_GlyphSlot slot = ftFace->glyph;
      const FT_Bitmap& bm = slot->bitmap;
      Bitmap b;
      b.g.codepoint = cp;
      b.g.advancePx = static_cast<float>(slot->advance.x) / 64.0f;
      b.g.bearingXPx = slot->bitmap_left;
      b.g.bearingYPx = slot->bitmap_top;
      b.g.widthPx = static_cast<int>(bm.width);
      b.g.heightPx = static_cast<int>(bm.rows);
      b.pixels.resize(static_cast<size_t>(bm.width) * bm.rows);
      for (unsigned y = 0; y < bm.rows; ++y) {
        const unsigned char* row = bm.buffer + static_cast<ptrdiff_t>(y) * bm.pitch;
        for (unsigned x = 0; x < bm.width; ++x) {
          uint8_t v = 0;
          if (bm.pixel_mode == FT_PIXEL_MODE_GRAY)
            v = bm.num_grays == 256 ? row[x]
                                    : static_cast<uint8_t>(row[x] * 255 / std::max(1, bm.num_grays - 1));
          else if (bm.pixel_mode == FT_PIXEL_MODE_MONO)
            v = (row[x >> 3] & (0x80 >> (x & 7))) ? 255 : 0;
          b.pixels[static_cast<size_t>(y) * bm.width + x] = v;
        }
      }
      bitmaps.push_back(std::move(b));
    }

    // Shelf packing, tallest first so shelves waste little height.
    size_t area = 0;
    int widest = 0;
    for (const Bitmap& b : bitmaps) {
      area += static_cast<size_t>(b.g.widthPx + kGlyphPaddingPx) * (b.g.heightPx + kGlyphPaddingPx);
      widest = std::max(widest, b.g.widthPx + 2 * kGlyphPaddingPx);
    }
    int side = 64;
    // 1.2: shelves leave some height unused; aim for a roughly square image.
    while (side < kMaxAtlasSidePx && (static_cast<size_t>(side) * side < area * 12 / 10 || side < widest))
      side *= 2;
    std::vector<size_t> order(bitmaps.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
      return bitmaps[a].g.heightPx > bitmaps[b].g.heightPx;
    });
    int x = kGlyphPaddingPx, y = kGlyphPaddingPx, shelf = 0;
    for (size_t i : order) {
      Glyph& g = bitmaps[i].g;
      if (g.widthPx == 0 || g.heightPx == 0) continue;  // blank: no texels
      if (x + g.widthPx + kGlyphPaddingPx > side) {
        x = kGlyphPaddingPx;
        y += shelf + kGlyphPaddingPx;
        shelf = 0;
      }
      g.atlasX = x;
      g.atlasY = y;
      x += g.widthPx + kGlyphPaddingPx;
      shelf = std::max(shelf, g.heightPx);
    }
    int usedHeight = y + shelf + kGlyphPaddingPx;
    usedHeight = (usedHeight + 3) / 4 * 4;  // keeps rows 4-aligned for any unpack alignment
    if (usedHeight > kMaxAtlasSidePx || widest > kMaxAtlasSidePx) {
      if (err)
        *err = "FontAtlas: " + std::to_string(bitmaps.size()) + " glyphs at " +
               std::to_string(pixelSize) + " px do not fit a " + std::to_string(kMaxAtlasSidePx) +
               " px square atlas";
      return false;
    }

    width = side;
    height = usedHeight;
    image.assign(static_cast<size_t>(width) * height, 0);
    glyphs.clear();
    for (Bitmap& b : bitmaps) {
      Glyph& g = b.g;
      for (int row = 0; row < g.heightPx; ++row)
        std::memcpy(&image[static_cast<size_t>(g.atlasY + row) * width + g.atlasX],
                    &b.pixels[static_cast<size_t>(row) * g.widthPx], static_cast<size_t>(g.widthPx));
      g.u0 = static_cast<float>(g.atlasX) / width;
      g.v0 = static_cast<float>(g.atlasY) / height;
      g.u1 = static_cast<float>(g.atlasX + g.widthPx) / width;
      g.v1 = static_cast<float>(g.atlasY + g.heightPx) / height;
      glyphs.emplace(g.codepoint, g);
    }
    ++generation;
    return true;
  }
};

FontAtlas::FontAtlas() : impl_(std::make_unique<Impl>()) {}
FontAtlas::~FontAtlas() = default;
FontAtlas::FontAtlas(FontAtlas&&) noexcept = default;
FontAtlas& FontAtlas::operator=(FontAtlas&&) noexcept = default;

bool FontAtlas::build(const FontFace& face, float pixelSize,
                      const std::vector<char32_t>& codepoints, std::string* err) {
  Impl& d = *impl_;
  d.close();
  d.face = face;
  d.pixelSize = pixelSize;
  auto fail = [&](std::string m) {
    if (err) *err = std::move(m);
    d.close();
    ++d.generation;
    return false;
  };
  if (!(pixelSize >= 1.0f && pixelSize <= 512.0f))
    return fail("FontAtlas: pixel size " + std::to_string(pixelSize) + " is outside 1..512");
  if (FT_Error e = FT_Init_FreeType(&d.library); e != 0) {
    d.library = nullptr;
    return fail("FontAtlas: FreeType failed to initialise: " + ftErrorText(e));
  }
  if (FT_Error e = FT_New_Face(d.library, face.path.c_str(), face.faceIndex, &d.ftFace); e != 0) {
    d.ftFace = nullptr;
    return fail("FontAtlas: " + face.path + " face " + std::to_string(face.faceIndex) +
                ": cannot open: " + ftErrorText(e));
  }
  if (d.face.family.empty() && d.ftFace->family_name) d.face.family = d.ftFace->family_name;
  if (d.face.style.empty() && d.ftFace->style_name) d.face.style = d.ftFace->style_name;
  // 26.6 fixed point at 72 dpi: one point is one pixel, so fractional sizes stay exact.
  if (FT_Error e = FT_Set_Char_Size(d.ftFace, 0, static_cast<FT_F26Dot6>(std::lround(pixelSize * 64)),
                                    72, 72);
      e != 0)
    return fail("FontAtlas: " + face.path + ": cannot set size " + std::to_string(pixelSize) +
                " px: " + ftErrorText(e));
  const FT_Size_Metrics& m = d.ftFace->size->metrics;
  d.ascent = static_cast<float>(m.ascender) / 64.0f;
  d.descent = -static_cast<float>(m.descender) / 64.0f;
  d.lineHeight = static_cast<float>(m.height) / 64.0f;

  std::vector<char32_t> cps = codepoints;
  cps.push_back(kReplacement);
  cps.push_back(U' ');
  d.accept(cps);
  std::string why;
  if (!d.rasterise(&why)) return fail(why);
  return true;
}

bool FontAtlas::addCodepoints(const std::vector<char32_t>& codepoints, std::string* err) {
  Impl& d = *impl_;
  if (!d.ftFace) {
    if (err) *err = "FontAtlas: addCodepoints before a successful build()";
    return false;
  }
  if (!d.accept(codepoints)) return true;
  return d.rasterise(err);
}

bool FontAtlas::addText(std::string_view utf8, std::string* err) {
  // Called with every frame's label text: nothing is allocated beyond the decoding unless a
  // code point is new to the atlas (it built two hash sets of every glyph each call).
  std::vector<char32_t> fresh;
  if (impl_->ftFace)
    for (char32_t cp : decodeUtf8(utf8))
      if (!impl_->known(cp)) fresh.push_back(cp);
  if (impl_->ftFace && fresh.empty()) return true;
  return addCodepoints(fresh, err);
}

// ---------------------------------------------------------------------------------
// Queries

const Glyph* FontAtlas::glyph(char32_t cp) const {
  auto it = impl_->glyphs.find(cp);
  return it == impl_->glyphs.end() ? nullptr : &it->second;
}

const Glyph* FontAtlas::replacementGlyph() const { return glyph(kReplacement); }

bool FontAtlas::hasGlyph(char32_t cp) const {
  return impl_->ftFace && FT_Get_Char_Index(impl_->ftFace, cp) != 0;
}

std::vector<char32_t> FontAtlas::missing(std::u32string_view text) const {
  std::vector<char32_t> out;
  std::unordered_set<char32_t> seen;
  for (char32_t cp : text)
    if (!isControl(cp) && !glyph(cp) && seen.insert(cp).second) out.push_back(cp);
  return out;
}

TextMetrics FontAtlas::measure(std::string_view utf8) const { return measure(decodeUtf8(utf8)); }

TextMetrics FontAtlas::measure(std::u32string_view text) const {
  const Impl& d = *impl_;
  TextMetrics m;
  m.ascentPx = d.ascent;
  m.descentPx = d.descent;
  float pen = 0;
  for (char32_t cp : text) {
    if (isControl(cp)) continue;
    const Glyph* g = glyph(cp);
    if (g) {
      if (g->widthPx > 0 && g->heightPx > 0) {
        m.ink.add(pen + g->bearingXPx, -g->bearingYPx);
        m.ink.add(pen + g->bearingXPx + g->widthPx, -g->bearingYPx + g->heightPx);
      }
      pen += g->advancePx;
      continue;
    }
    // Not in the atlas yet: ask FreeType for the outline's box without rasterising.
    if (d.ftFace && !d.unavailable.count(cp)) {
      const FT_UInt index = FT_Get_Char_Index(d.ftFace, cp);
      if (index != 0 && FT_Load_Glyph(d.ftFace, index, Impl::kLoadFlags) == 0) {
        const FT_Glyph_Metrics& gm = d.ftFace->glyph->metrics;
        if (gm.width > 0 && gm.height > 0) {
          // 26.6 outline box rounded outwards to whole pixels, y flipped to point down.
          const float left = std::floor(static_cast<float>(gm.horiBearingX) / 64.0f);
          const float right = std::ceil(static_cast<float>(gm.horiBearingX + gm.width) / 64.0f);
          const float top = std::ceil(static_cast<float>(gm.horiBearingY) / 64.0f);
          const float bottom = std::floor(static_cast<float>(gm.horiBearingY - gm.height) / 64.0f);
          m.ink.add(pen + left, -top);
          m.ink.add(pen + right, -bottom);
        }
        pen += static_cast<float>(d.ftFace->glyph->advance.x) / 64.0f;
        continue;
      }
    }
    if (const Glyph* r = replacementGlyph()) {
      if (r->widthPx > 0) {
        m.ink.add(pen + r->bearingXPx, -r->bearingYPx);
        m.ink.add(pen + r->bearingXPx + r->widthPx, -r->bearingYPx + r->heightPx);
      }
      pen += r->advancePx;
    }
  }
  m.widthPx = pen;
  return m;
}

bool FontAtlas::empty() const { return impl_->image.empty(); }
int FontAtlas::width() const { return impl_->width; }
int FontAtlas::height() const { return impl_->height; }
const uint8_t* FontAtlas::pixels() const { return impl_->image.empty() ? nullptr : impl_->image.data(); }
size_t FontAtlas::glyphCount() const { return impl_->glyphs.size(); }
float FontAtlas::pixelSize() const { return impl_->pixelSize; }
float FontAtlas::ascentPx() const { return impl_->ascent; }
float FontAtlas::descentPx() const { return impl_->descent; }
float FontAtlas::lineHeightPx() const { return impl_->lineHeight; }
const FontFace& FontAtlas::face() const { return impl_->face; }
uint64_t FontAtlas::generation() const { return impl_->generation; }

}  // namespace bcmap
