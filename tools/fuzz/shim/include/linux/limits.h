/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt fuzzing: libc includes <linux/limits.h> too, so the real UAPI header
 * comes along; the rest is in kitt_shim.h.
 */
#include_next <linux/limits.h>
#include "../../kitt_shim.h"
