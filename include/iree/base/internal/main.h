// Entry point convention for portable tools: a tool defines iree_main and a
// platform-specific main() forwards to it.
#ifndef IREE_BASE_INTERNAL_MAIN_H_
#define IREE_BASE_INTERNAL_MAIN_H_

#ifdef __cplusplus
extern "C" {
#endif

int iree_main(int argc, char** argv);

#ifdef __cplusplus
}  // extern "C"
#endif

#endif  // IREE_BASE_INTERNAL_MAIN_H_
