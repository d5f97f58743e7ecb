// Hand-written C types for the generated API header (see docs/DESIGN.md).
#ifndef IREE_ABI_THREADING_TYPES_H_
#define IREE_ABI_THREADING_TYPES_H_

#endif  // IREE_ABI_THREADING_TYPES_H_
