// Placeholder: replaced by the base helper.
#ifndef IREE_BASE_ATTRIBUTES_H_
#define IREE_BASE_ATTRIBUTES_H_
#endif  // IREE_BASE_ATTRIBUTES_H_
