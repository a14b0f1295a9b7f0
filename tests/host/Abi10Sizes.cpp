// sizeof of each struct as the ABI 1.0 header (abi_1_0/, from git history) declares it, for
// AbiStructSizeTest to hold the host's abi10:: constants against. A file of its own: the 1.0
// header and today's share their include guard and macro names. Its types live in a
// namespace so they are not a second definition of today's.
#include <cstddef>
#include <cstdint>
#include <stddef.h>
#include <stdint.h>

#include <map>
#include <string>

namespace bcmap_abi10 {
#include "abi_1_0/bcmap/bcmap_plugin.h"
}  // namespace bcmap_abi10

namespace bcmap {

std::map<std::string, uint32_t> abi10Sizeofs() {
  using namespace bcmap_abi10;
  return {{"bcmap_field_v1", sizeof(bcmap_field_v1)},
          {"bcmap_value_v1", sizeof(bcmap_value_v1)},
          {"bcmap_batch_v1", sizeof(bcmap_batch_v1)},
          {"bcmap_field_map_v1", sizeof(bcmap_field_map_v1)},
          {"bcmap_vector_request_v1", sizeof(bcmap_vector_request_v1)},
          {"bcmap_category_v1", sizeof(bcmap_category_v1)},
          {"bcmap_class_v1", sizeof(bcmap_class_v1)},
          {"bcmap_style_v1", sizeof(bcmap_style_v1)},
          {"bcmap_feature_style_v1", sizeof(bcmap_feature_style_v1)},
          {"bcmap_legend_entry_v1", sizeof(bcmap_legend_entry_v1)},
          {"bcmap_setting_v1", sizeof(bcmap_setting_v1)},
          {"bcmap_layer_info_v1", sizeof(bcmap_layer_info_v1)},
          {"bcmap_loader_v1", sizeof(bcmap_loader_v1)},
          {"bcmap_plugin_v1", sizeof(bcmap_plugin_v1)}};
}

}  // namespace bcmap
