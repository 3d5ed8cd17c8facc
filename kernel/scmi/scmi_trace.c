// SPDX-License-Identifier: GPL-2.0
/* Instantiates the SCMI tracepoints declared in scmi_trace.h. */
#define CREATE_TRACE_POINTS
#include "scmi_trace.h"
