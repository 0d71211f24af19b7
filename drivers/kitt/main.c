// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: module init and exit, module parameters.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

#include "kitt.h"

unsigned int kitt_debug_mask;
module_param_named(debug_mask, kitt_debug_mask, uint, 0644);
MODULE_PARM_DESC(debug_mask,
		 "Debug areas to log: 1 portal, 2 conn, 4 pdu, 8 login, 16 session, 32 scsi, 64 bdev, 128 config (default 0)");

unsigned int kitt_default_port = 3260;
module_param_named(port, kitt_default_port, uint, 0444);
MODULE_PARM_DESC(port, "TCP port for portals named without one (default 3260)");

static int __init kitt_init(void)
{
	int ret;

	if (!kitt_default_port || kitt_default_port > 65535) {
		pr_err("port %u is out of range\n", kitt_default_port);
		return -EINVAL;
	}

	ret = kitt_runtime_init();
	if (ret)
		return ret;

	ret = kitt_configfs_init();
	if (ret)
		goto out_runtime;

	pr_info("kitt iSCSI target loaded\n");
	return 0;

out_runtime:
	kitt_runtime_exit();
	return ret;
}

static void __exit kitt_exit(void)
{
	kitt_configfs_exit();
	kitt_runtime_exit();
	pr_info("kitt iSCSI target unloaded\n");
}

module_init(kitt_init);
module_exit(kitt_exit);

MODULE_DESCRIPTION("kitt: Kernel iSCSI Target over TCP");
MODULE_AUTHOR("The kitt developers");
MODULE_LICENSE("GPL");
