// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: module init and exit. The module parameters are in modparams.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

#include "kitt.h"

static int __init kitt_init(void)
{
	int ret;

	ret = kitt_modparams_check();
	if (ret)
		return ret;

	kitt_tpg_set_fabric(&kitt_iscsi_fabric);
	ret = kitt_task_init();
	if (ret)
		return ret;
	ret = kitt_backend_init();
	if (ret)
		goto out_task;
	ret = kitt_conn_init();
	if (ret)
		goto out_backend;
	ret = kitt_sysfs_init();
	if (ret)
		goto out_conn;
	ret = kitt_configfs_init();
	if (ret)
		goto out_sysfs;

	pr_info("kitt iSCSI target loaded\n");
	return 0;

out_sysfs:
	kitt_sysfs_exit();
out_conn:
	kitt_conn_exit();
out_backend:
	kitt_backend_exit();
out_task:
	kitt_task_exit();
	return ret;
}

/* Every connection is gone by now: each holds a module reference. */
static void __exit kitt_exit(void)
{
	kitt_configfs_exit();
	kitt_sysfs_exit();
	kitt_conn_exit();
	kitt_backend_exit();
	kitt_task_exit();
	pr_info("kitt iSCSI target unloaded\n");
}

module_init(kitt_init);
module_exit(kitt_exit);

MODULE_DESCRIPTION("kitt: Kernel iSCSI Target over TCP");
MODULE_AUTHOR("The kitt developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(KITT_VERSION);
