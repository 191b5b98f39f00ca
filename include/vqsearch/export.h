// File: vqsearch/export.h
//
// VQS_EXPORT marks what the shared library exports: it is built with
// -fvisibility=hidden, so everything else (the internal:: classes, the kernels) stays
// private to it and free to change. The static libraries ignore the mark.

#ifndef VQSEARCH_EXPORT_H_
#define VQSEARCH_EXPORT_H_

#if defined(_WIN32)
#define VQS_EXPORT
#else
#define VQS_EXPORT __attribute__((visibility("default")))
#endif

#endif  // VQSEARCH_EXPORT_H_
