// Placeholder: replaced by the base helper.
#ifndef IREE_BASE_CONFIG_H_
#define IREE_BASE_CONFIG_H_
#include <stddef.h>
#include <stdint.h>
typedef size_t iree_host_size_t;
#endif  // IREE_BASE_CONFIG_H_
