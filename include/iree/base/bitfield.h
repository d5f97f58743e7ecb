// Formatting of flag bitfields as "A|B|1Ch" strings.
#ifndef IREE_BASE_BITFIELD_H_
#define IREE_BASE_BITFIELD_H_

#include "iree/base/attributes.h"
#include "iree/base/string_builder.h"
#include "iree/base/string_view.h"

#ifdef __cplusplus
extern "C" {
#endif

// True when |lhs| has at least one of the bits of |rhs|.
#define iree_any_bit_set(lhs, rhs) (((lhs) & (rhs)) != 0)
// True when |lhs| has every bit of |rhs|.
#define iree_all_bits_set(lhs, rhs) (((lhs) & (rhs)) == (rhs))

// iree_bitfield_format (append to a builder) and iree_bitfield_format_inline
// (format into caller temp storage) are declared in iree/generated/api.h.
// Mappings are tried in table order and each bit is named at most once, so
// list combined masks before their parts; leftover bits print as hex + 'h'.

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_BITFIELD_H_
