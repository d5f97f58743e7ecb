//! `iree/base/internal`: the platform layer (threads, synchronization, wait
//! handles, files, dynamic libraries, math, ...).
