/* bcmap layer plugin ABI — the C boundary between the bcmap host and a layer plugin.
 *
 * Index
 *   1. Versioning and the ABI changelog
 *   2. Plain values (status, geometry kinds, field types, colours, dates)
 *   3. Features: schema and batches (plugin -> host)
 *   4. Host services (logging, the GDAL vector reader)
 *   5. Style and legend declarations
 *   6. Settings declarations
 *   7. The plugin vtable and the one exported entry function
 *
 * Rules that hold for every call:
 *   - Every struct starts with `struct_size`. The side that fills a struct sets it to
 *     sizeof() as it was compiled; the side that reads a struct reads only the fields that
 *     fit in struct_size. Minor ABI versions only ever append fields, and never into the
 *     tail padding of the previous version (which its struct_size already covers).
 *   - Arrays of structs: the host steps through an array a plugin returns (categories,
 *     classes, legend entries, settings, field maps, values) by its elements' struct_size, so
 *     an older plugin's shorter elements read right. A plugin built against newer headers
 *     running in an older host must hand over elements of that host's size (the C++ wrapper
 *     does, for the legend: a host that never called attach() gets 1.0-sized entries).
 *     Structs the host hands to plugins in arrays (bcmap_field_v1, bcmap_value_v1) never grow.
 *   - The host owns every pointer it passes; it is valid for the duration of that call only.
 *     The plugin owns every pointer it returns; it stays valid until the next call on the
 *     same instance or until destroy().
 *   - No exception crosses this boundary. The C++ wrapper (bcmap_plugin.hpp) catches and
 *     returns BCMAP_ERROR with a message.
 *   - The host calls a plugin instance from one thread at a time (the loader thread while
 *     loading, the UI thread afterwards), never concurrently.
 *   - Plugins never call OpenGL, ImGui or GDAL. The host projects, renders, picks, labels.
 *
 * ABI changelog
 *   1.0 (2026-11-29) first version.
 *   1.1 (2026-11-29) bcmap_loader_v1.read_vector_rows (a source's rows handed to the plugin);
 *                    bcmap_style_v1.point_symbol, line_markers, line_end_marker_px;
 *                    bcmap_layer_info_v1.hidden_by_default.
 *   1.2 (2026-11-29) bcmap_style_v1.label_priority, label_max_scale (which labels win a
 *                    place, and from which zoom on they show).
 *   (2026-12-06, no ABI change) the host refuses a struct whose struct_size is below that
 *                    struct's 1.0 size, with a message naming the plugin and the struct.
 *   1.3 (2026-12-06) bcmap_plugin_v1.attach (the host tells an instance its own folder and
 *                    the data folder, right after create); bcmap_loader_v1.plugin_dir;
 *                    bcmap_style_v1.size_field, size_reference_value, size_reference_px,
 *                    size_min_px (proportional symbols); bcmap_legend_entry_v1.size_px
 *                    (a size legend: sized swatches).
 *   1.4 (2026-12-07) bcmap_vector_request_v1.detect_time (the host finds the time fields of
 *                    a source the plugin cannot know beforehand, e.g. a file the user opens).
 */
#ifndef BCMAP_PLUGIN_H
#define BCMAP_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- 1. Versioning ------------------------------------------------------------------ */
#define BCMAP_ABI_MAJOR 1u
#define BCMAP_ABI_MINOR 4u
/* The name of the single exported entry function. */
#define BCMAP_ENTRY_SYMBOL "bcmap_plugin_entry_v1"

#if defined(__GNUC__)
#define BCMAP_EXPORT __attribute__((visibility("default")))
#else
#define BCMAP_EXPORT
#endif

/* ---- 2. Plain values ---------------------------------------------------------------- */
typedef enum bcmap_status {
  BCMAP_OK = 0,
  BCMAP_ERROR = 1
} bcmap_status;

typedef enum bcmap_geometry_kind {
  BCMAP_GEOM_NONE = 0,
  BCMAP_GEOM_POINT = 1,
  BCMAP_GEOM_LINE = 2,
  BCMAP_GEOM_POLYGON = 3
} bcmap_geometry_kind;

typedef enum bcmap_field_type {
  BCMAP_FIELD_INVALID = 0,
  BCMAP_FIELD_INTEGER = 1, /* int64 */
  BCMAP_FIELD_REAL = 2,    /* double */
  BCMAP_FIELD_STRING = 3,  /* UTF-8 */
  BCMAP_FIELD_DATE = 4     /* days since 1970-01-01 in int_value */
} bcmap_field_type;

typedef enum bcmap_log_level {
  BCMAP_LOG_DEBUG = 0,
  BCMAP_LOG_INFO = 1,
  BCMAP_LOG_WARNING = 2,
  BCMAP_LOG_ERROR = 3
} bcmap_log_level;

/* Non-premultiplied sRGB colour, 0..255 per channel. */
typedef struct bcmap_rgba {
  uint8_t r, g, b, a;
} bcmap_rgba;

/* "No date": an open start or end of a time span. */
#define BCMAP_NO_DAY INT32_MIN

/* ---- 3. Features -------------------------------------------------------------------- */
typedef struct bcmap_field_v1 {
  uint32_t struct_size;
  const char* name; /* column name, UTF-8 */
  uint32_t type;    /* bcmap_field_type */
} bcmap_field_v1;

typedef struct bcmap_value_v1 {
  uint32_t struct_size;
  uint32_t is_null;      /* non-zero: the value is missing */
  int64_t int_value;     /* INTEGER, DATE */
  double real_value;     /* REAL */
  const char* str_value; /* STRING: the value, UTF-8, NUL-terminated. Values the host
                            passes to the plugin carry the text form here for every type
                            (dates as YYYY-MM-DD), so a plugin may read str_value alone. */
} bcmap_value_v1;

/* A batch of features, all of the layer's geometry kind. Geometry is described by counts:
 *   feature f has parts_per_feature[f] parts (NULL: one part each);
 *   each part has rings_per_part[p] rings (NULL: one ring each) - for polygons the first
 *     ring is the outer ring and the rest are holes; lines and points have one ring a part;
 *   each ring has vertices_per_ring[r] vertices (NULL: one vertex each - points);
 *   xy holds 2 doubles (x, y in the layer's source CRS, in the CRS's visual axis order:
 *     for EPSG:4326 longitude first) per vertex, in order.
 * values is row-major: feature_count rows of field_count values, in the declared field
 * order. ids (optional) are stable feature ids shown by identify; NULL: the host numbers
 * the features. start_day/end_day (optional) are the feature's time span, in days since
 * 1970-01-01, BCMAP_NO_DAY for open ends. */
typedef struct bcmap_batch_v1 {
  uint32_t struct_size;
  uint32_t feature_count;
  const uint32_t* parts_per_feature;
  const uint32_t* rings_per_part;
  const uint32_t* vertices_per_ring;
  const double* xy;
  const bcmap_value_v1* values;
  const char* const* ids;
  const int32_t* start_day;
  const int32_t* end_day;
} bcmap_batch_v1;

/* ---- 4. Host services --------------------------------------------------------------- */
/* A request to the host's GDAL service: open a vector source and stream its features into
 * the layer that is loading. Field mapping renames source fields to the layer's fields. */
typedef struct bcmap_field_map_v1 {
  uint32_t struct_size;
  const char* layer_field;  /* name the layer uses */
  const char* source_field; /* name in the file */
} bcmap_field_map_v1;

typedef struct bcmap_vector_request_v1 {
  uint32_t struct_size;
  const char* path;            /* a local path; relative paths are resolved against the
                                  host's data folder (geodata/) */
  const char* layer_name;      /* NULL: the first layer of the source */
  const char* attribute_filter;/* OGR SQL WHERE clause, or NULL */
  const bcmap_field_map_v1* field_map;
  uint32_t field_map_count;
  const char* source_crs;      /* NULL: the CRS the file declares (EPSG:4326 if none) */
  uint32_t gcj02;              /* non-zero: coordinates are GCJ-02, convert to WGS 84 */
  const char* start_field;     /* optional date field giving the start of the time span */
  const char* end_field;       /* optional date field giving the end */
  const char* id_field;        /* optional field giving stable ids */
  /* ---- ABI 1.4 ---- check struct_size before use (a 1.3 plugin's request ends before it). */
  uint32_t detect_time;        /* non-zero: where start_field (end_field) is NULL, the host
                                  picks one: the source's first date field, or a text field
                                  with a common date name (date, start_date, 日期, ...) whose
                                  values read as dates; end likewise (end, end_date, 结束日期) */
} bcmap_vector_request_v1;

/* Passed to load(). Valid during load() only. */
typedef struct bcmap_loader_v1 {
  uint32_t struct_size;
  void* ctx; /* host's; pass it back */
  /* Declare the attribute columns. Call once, before the first batch. */
  bcmap_status (*declare_fields)(void* ctx, const bcmap_field_v1* fields, uint32_t count);
  /* Hand a batch of features to the host. The host copies it before returning. */
  bcmap_status (*emit_batch)(void* ctx, const bcmap_batch_v1* batch);
  /* Read a vector source through GDAL straight into the layer (fields declared from the
   * file, after mapping). On failure returns BCMAP_ERROR and writes a message that names
   * the file and the reason into err (NUL-terminated, at most err_size bytes). */
  bcmap_status (*read_vector)(void* ctx, const bcmap_vector_request_v1* request, char* err,
                              size_t err_size);
  void (*log)(void* ctx, uint32_t level, const char* message);
  /* The host's data folder (geodata/), absolute, UTF-8. */
  const char* data_dir;

  /* ---- ABI 1.1 ---- check struct_size before use (a 1.0 host does not have it). */
  /* Reads a vector source through GDAL and hands its rows to the plugin instead of the
   * layer: `on_batch` is called (on the calling thread, before read_vector_rows returns)
   * with the source's fields (after mapping) and batches of its features; geometry in the
   * source CRS reported in `crs` (auth:code or WKT). The plugin may aggregate them and
   * emit features of its own. Pointers passed to on_batch are valid during that call only.
   * on_batch returning BCMAP_ERROR stops the read with that error. */
  bcmap_status (*read_vector_rows)(void* ctx, const bcmap_vector_request_v1* request,
                                   bcmap_status (*on_batch)(void* user, const char* crs,
                                                            const bcmap_field_v1* fields,
                                                            uint32_t field_count,
                                                            const bcmap_batch_v1* batch),
                                   void* user, char* err, size_t err_size);

  /* ---- ABI 1.3 ---- check struct_size before use. */
  /* The plugin's own folder, absolute, UTF-8: where it was installed (for a folder plugin
   * NAME/NAME.so that is NAME/), not where the host loaded a private copy from. Bundled
   * data lives here. The same string bcmap_host_context_v1.plugin_dir gave. */
  const char* plugin_dir;
} bcmap_loader_v1;

/* Passed to attach() right after create(), before any other call on the instance. Valid
 * during attach() only: copy what you keep. */
typedef struct bcmap_host_context_v1 {
  uint32_t struct_size;
  uint32_t host_abi_major;
  uint32_t host_abi_minor;
  const char* plugin_dir; /* the plugin's own (original) folder, absolute, UTF-8 */
  const char* data_dir;   /* the host's data folder (geodata/), absolute, UTF-8 */
} bcmap_host_context_v1;

/* ---- 5. Style and legend ------------------------------------------------------------ */
typedef enum bcmap_symbol {
  BCMAP_SYMBOL_CIRCLE = 0,
  BCMAP_SYMBOL_SQUARE = 1,
  BCMAP_SYMBOL_DIAMOND = 2,
  BCMAP_SYMBOL_TRIANGLE = 3,
  BCMAP_SYMBOL_STAR = 4
} bcmap_symbol;

/* Line layers: markers the host draws at a line's ends (bits of line_markers). */
#define BCMAP_LINE_MARKER_START 1u /* a disc at the first vertex, sized per feature */
#define BCMAP_LINE_MARKER_END 2u   /* point_symbol at the last vertex, line_end_marker_px */

typedef enum bcmap_style_kind {
  BCMAP_STYLE_SINGLE = 0,
  BCMAP_STYLE_CATEGORIZED = 1, /* by the string form of field */
  BCMAP_STYLE_GRADUATED = 2    /* by numeric field, class i is [lower, upper) ; last closed */
} bcmap_style_kind;

typedef struct bcmap_category_v1 {
  uint32_t struct_size;
  const char* value; /* string form of the field value */
  bcmap_rgba fill;
  const char* label; /* legend text, UTF-8; NULL: the value */
} bcmap_category_v1;

typedef struct bcmap_class_v1 {
  uint32_t struct_size;
  double lower, upper;
  bcmap_rgba fill;
  const char* label;
} bcmap_class_v1;

typedef struct bcmap_style_v1 {
  uint32_t struct_size;
  uint32_t kind;           /* bcmap_style_kind */
  const char* field;       /* CATEGORIZED/GRADUATED */
  bcmap_rgba fill;         /* SINGLE, and the fallback for unmatched values */
  bcmap_rgba stroke;       /* outline / line colour */
  float stroke_width_px;   /* outline or line width in pixels at 96 dpi */
  float point_size_px;     /* point diameter in pixels at 96 dpi */
  float opacity;           /* 0..1, the layer's default opacity */
  const bcmap_category_v1* categories;
  uint32_t category_count;
  const bcmap_class_v1* classes;
  uint32_t class_count;
  const char* label_field;           /* primary label (e.g. name_zh), NULL: no labels */
  const char* label_secondary_field; /* second line (e.g. name_en), or NULL */

  /* ---- ABI 1.1 ---- */
  uint32_t point_symbol;    /* bcmap_symbol: points, and the END marker of lines */
  uint32_t line_markers;    /* lines: BCMAP_LINE_MARKER_* bits */
  float line_end_marker_px; /* size of the END marker */

  /* ---- ABI 1.2 ---- a 1.1 plugin's struct_size ends before these: the host reads 0.
   * The double comes first: on 64-bit targets a 1.1 struct ends in 4 bytes of padding after
   * line_end_marker_px, and a field placed there would lie inside a 1.1 struct_size. */
  double label_max_scale;  /* labels show only while the map's scale denominator is at
                              most this (180000: from 1:180 000 in); 0: at every scale */
  int32_t label_priority;  /* labels of higher priority are placed first and win where
                              labels would overlap (e.g. counties 100, villages 10) */

  /* ---- ABI 1.3 ---- proportional symbols. A pointer comes first, for the same reason as
   * the double above (a 1.2 struct ends in 4 bytes of padding). With size_field set, a
   * point's disc (a line's START marker) has an area proportional to the feature's value
   * of that numeric field: a value of size_reference_value is drawn size_reference_px
   * across (96 dpi); null, zero or negative values get size_min_px. style_feature's size,
   * where given, wins. */
  const char* size_field;      /* numeric field; NULL: no size by field */
  double size_reference_value; /* > 0 */
  float size_reference_px;     /* diameter for size_reference_value */
  float size_min_px;           /* the smallest diameter drawn (0: 2 px) */
} bcmap_style_v1;

/* Per-feature style override, from the optional style_feature callback. */
typedef struct bcmap_feature_style_v1 {
  uint32_t struct_size;
  uint32_t has_fill;
  bcmap_rgba fill;
  uint32_t has_size;
  float point_size_px; /* points: the diameter; lines: the START marker's diameter */
} bcmap_feature_style_v1;

typedef struct bcmap_legend_entry_v1 {
  uint32_t struct_size;
  const char* label; /* UTF-8 */
  bcmap_rgba fill;
  bcmap_rgba stroke;
  uint32_t geometry_kind; /* which swatch to draw */

  /* ---- ABI 1.3 ---- a double: a 1.0 entry ends in 4 bytes of padding on 64-bit. */
  double size_px; /* > 0: draw the swatch (a disc for points) this many px across, 96 dpi:
                     entries with sizes make a size legend. 0: the usual swatch. */
} bcmap_legend_entry_v1;

/* ---- 6. Settings -------------------------------------------------------------------- */
typedef enum bcmap_setting_type {
  BCMAP_SETTING_BOOL = 0,
  BCMAP_SETTING_INT = 1,
  BCMAP_SETTING_FLOAT = 2,
  BCMAP_SETTING_ENUM = 3,
  BCMAP_SETTING_COLOR = 4, /* "#rrggbb" or "#rrggbbaa" */
  BCMAP_SETTING_DATE = 5,  /* "YYYY-MM-DD" */
  BCMAP_SETTING_PATH = 6,
  BCMAP_SETTING_TEXT = 7
} bcmap_setting_type;

typedef struct bcmap_setting_v1 {
  uint32_t struct_size;
  const char* key;           /* stable, used in sessions */
  const char* label;         /* shown in the UI */
  uint32_t type;             /* bcmap_setting_type */
  const char* default_value; /* string form */
  double min_value, max_value;   /* INT/FLOAT */
  const char* const* options;    /* ENUM choices */
  uint32_t option_count;
  uint32_t reload;           /* non-zero: changing it reloads the features */
} bcmap_setting_v1;

/* ---- 7. The plugin ------------------------------------------------------------------ */
typedef struct bcmap_layer_info_v1 {
  uint32_t struct_size;
  const char* id;        /* stable, [a-z0-9_]+ */
  const char* name_zh;
  const char* name_en;
  const char* version;
  uint32_t geometry_kind; /* bcmap_geometry_kind */
  const char* source_crs; /* e.g. "EPSG:4326" */
  uint32_t has_time;
  uint32_t is_sample;     /* non-zero: the layer shows sample (generated) data */
  const char* attribution;/* source and licence of the data, one line */

  /* ---- ABI 1.1 ---- */
  uint32_t hidden_by_default; /* non-zero: listed but not drawn until the user turns it on
                                 (overlays that would cover others, e.g. choropleths) */
} bcmap_layer_info_v1;

typedef struct bcmap_plugin_v1 bcmap_plugin_v1;

/* Every callback takes the instance made by create(). err/err_size: on BCMAP_ERROR the
 * plugin writes a NUL-terminated message into err (at most err_size bytes). All callbacks
 * are called by the host, one at a time, on the loader thread or the UI thread. */
struct bcmap_plugin_v1 {
  uint32_t struct_size;
  uint32_t abi_major;
  uint32_t abi_minor;

  void* (*create)(void);
  void (*destroy)(void* instance);

  /* Fills *info. Strings stay valid until destroy(). */
  bcmap_status (*describe)(void* instance, bcmap_layer_info_v1* info, char* err,
                           size_t err_size);
  /* Declared settings. Pointers stay valid until destroy(). */
  bcmap_status (*settings)(void* instance, const bcmap_setting_v1** settings,
                           uint32_t* count, char* err, size_t err_size);
  /* A setting changed (also called once per stored value before the first load). */
  bcmap_status (*update)(void* instance, const char* key, const char* value, char* err,
                         size_t err_size);
  /* Produce the features, through the loader. May take long; runs on the loader thread. */
  bcmap_status (*load)(void* instance, const bcmap_loader_v1* loader, char* err,
                       size_t err_size);
  /* The declared style. Pointers stay valid until the next call on this instance. */
  bcmap_status (*style)(void* instance, bcmap_style_v1* style, char* err, size_t err_size);
  /* Optional (may be NULL): per-feature override, called once per feature after load,
   * never per frame. values: one per field, in field order. */
  bcmap_status (*style_feature)(void* instance, uint64_t feature_index,
                                const bcmap_value_v1* values, uint32_t value_count,
                                bcmap_feature_style_v1* out, char* err, size_t err_size);
  /* Legend entries. Pointers stay valid until the next call on this instance. */
  bcmap_status (*legend)(void* instance, const bcmap_legend_entry_v1** entries,
                         uint32_t* count, char* err, size_t err_size);
  /* Tooltip text for a feature: values in field order; writes UTF-8 into text. */
  bcmap_status (*describe_feature)(void* instance, uint64_t feature_index,
                                   const bcmap_field_v1* fields,
                                   const bcmap_value_v1* values, uint32_t value_count,
                                   char* text, size_t text_size, char* err,
                                   size_t err_size);

  /* ---- ABI 1.3 ---- optional (NULL, or beyond a 1.2 plugin's struct_size: not called).
   * Called once right after create(), before describe(): the instance's own folder and
   * the host's data folder. A plugin resolves its bundled files against plugin_dir
   * (dladdr would name the private copy the viewer loads for hot reload). */
  bcmap_status (*attach)(void* instance, const bcmap_host_context_v1* context, char* err,
                         size_t err_size);
};

/* The one exported function. The host passes the ABI it speaks; the plugin returns its
 * static vtable (never NULL). The host checks abi_major before calling anything else and
 * refuses a major it does not speak. */
typedef const bcmap_plugin_v1* (*bcmap_plugin_entry_fn)(uint32_t host_abi_major,
                                                        uint32_t host_abi_minor);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* BCMAP_PLUGIN_H */
