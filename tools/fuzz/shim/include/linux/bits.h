/* SPDX-License-Identifier: GPL-2.0 */
/* kitt fuzzing: <linux/bits.h> is provided by kitt_shim.h. */
#include "../../kitt_shim.h"
