/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt fuzzing: libc includes <linux/errno.h> too, so the real UAPI header
 * comes along; the rest is in kitt_shim.h.
 */
#include_next <linux/errno.h>
#include "../../kitt_shim.h"
