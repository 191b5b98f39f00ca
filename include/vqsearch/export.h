// File: vqsearch/export.h
//
// VQS_EXPORT marks what the shared library libvqsearch.so exports. The library is
// compiled with -fvisibility=hidden, so everything unmarked (the internal:: classes, the
// kernels) stays private to it and free to change between versions. Programs linking
// the static library see no difference.

#ifndef VQSEARCH_EXPORT_H_
#define VQSEARCH_EXPORT_H_

#define VQS_EXPORT __attribute__((visibility("default")))

#endif  // VQSEARCH_EXPORT_H_
