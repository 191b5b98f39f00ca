// The C API's report of the active instruction set.

#include "vqsearch/c_api.h"
#include "vqsearch/isa.h"

// IsaName's views point at string literals, so their data is NUL-terminated.
const char* vqs_active_isa(void) { return vqsearch::IsaName(vqsearch::ActiveIsa()).data(); }
