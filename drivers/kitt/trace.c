// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: the tracepoints of kitt_trace.h, instantiated here once.
 */
#include <linux/module.h>

#define CREATE_TRACE_POINTS
#include "kitt_trace.h"
