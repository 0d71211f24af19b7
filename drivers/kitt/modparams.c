// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: module parameters, the defaults of new portal groups and the
 * limits on connections in login (Documentation/admin-guide.rst).
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

unsigned int kitt_default_cmdsn_depth = KITT_CMDSN_DEPTH_DEF;
module_param_named(cmdsn_depth, kitt_default_cmdsn_depth, uint, 0444);
MODULE_PARM_DESC(cmdsn_depth, "Default command window per session, 1-1024 (default 128)");

unsigned int kitt_default_nopin_interval = KITT_NOPIN_INTERVAL_DEF;
module_param_named(nopin_interval, kitt_default_nopin_interval, uint, 0444);
MODULE_PARM_DESC(nopin_interval,
		 "Default seconds of silence before a NOP-In ping, 0 = off, at most 3600 (default 15)");

unsigned int kitt_default_nopin_timeout = KITT_NOPIN_TIMEOUT_DEF;
module_param_named(nopin_timeout, kitt_default_nopin_timeout, uint, 0444);
MODULE_PARM_DESC(nopin_timeout, "Default seconds to wait for a ping's answer, 1-3600 (default 30)");

unsigned int kitt_default_login_timeout = KITT_LOGIN_TIMEOUT_DEF;
module_param_named(login_timeout, kitt_default_login_timeout, uint, 0444);
MODULE_PARM_DESC(login_timeout, "Default seconds a login may take, 1-3600 (default 15)");

unsigned int kitt_default_send_timeout = KITT_SEND_TIMEOUT_DEF;
module_param_named(send_timeout, kitt_default_send_timeout, uint, 0444);
MODULE_PARM_DESC(send_timeout,
		 "Default seconds a send may wait for a peer that does not read (default 30)");

char *kitt_pr_dir = "/var/lib/kitt";
module_param_named(pr_dir, kitt_pr_dir, charp, 0444);
MODULE_PARM_DESC(pr_dir,
		 "Directory of the persistent reservations kept with APTPL (default /var/lib/kitt)");

bool kitt_pin_threads = true;
module_param_named(pin_threads, kitt_pin_threads, bool, 0644);
MODULE_PARM_DESC(pin_threads,
		 "Run both threads of a connection on one CPU, the one with the fewest such connections (default Y)");

unsigned int kitt_max_login_conns = 64;
module_param_named(max_login_conns, kitt_max_login_conns, uint, 0644);
MODULE_PARM_DESC(max_login_conns,
		 "Connections in login per listening address, 0 = no limit; more wait to be accepted (default 64)");

unsigned int kitt_max_login_per_host = 16;
module_param_named(max_login_per_host, kitt_max_login_per_host, uint, 0644);
MODULE_PARM_DESC(max_login_per_host,
		 "Connections in login from one address, 0 = no limit; more are closed (default 16)");

unsigned int kitt_max_conns = 1024;
module_param_named(max_conns, kitt_max_conns, uint, 0644);
MODULE_PARM_DESC(max_conns,
		 "Connections kitt holds at once, in any phase, 0 = no limit; more are closed (default 1024)");

unsigned int kitt_max_conns_per_host = 128;
module_param_named(max_conns_per_host, kitt_max_conns_per_host, uint, 0644);
MODULE_PARM_DESC(max_conns_per_host,
		 "Connections from one address at once, in any phase, 0 = no limit; more are closed (default 128)");

unsigned int kitt_max_discovery_conns = 64;
module_param_named(max_discovery_conns, kitt_max_discovery_conns, uint, 0644);
MODULE_PARM_DESC(max_discovery_conns,
		 "Discovery sessions at once, in login or after, 0 = no limit; more are refused (default 64)");

/* A writable number of seconds: out of 1-KITT_TIMER_MAX is -EINVAL, the old value kept. */
static int kitt_param_set_seconds(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, KITT_TIMER_MAX);
}

static const struct kernel_param_ops kitt_param_seconds_ops = {
	.set	= kitt_param_set_seconds,
	.get	= param_get_uint,
};

unsigned int kitt_discovery_idle_timeout = 60;
module_param_cb(discovery_idle_timeout, &kitt_param_seconds_ops, &kitt_discovery_idle_timeout,
		0644);
MODULE_PARM_DESC(discovery_idle_timeout,
		 "Seconds a discovery session may go without a request before it is closed, 1-3600 (default 60)");

/*
 * Defaults of the portal groups' params/ (the target's offer), as text;
 * unset leaves kitt's own default.
 */
static char *header_digest, *data_digest, *max_recv_dsl, *max_burst_length,
	    *first_burst_length, *immediate_data, *initial_r2t, *max_outstanding_r2t;
module_param(header_digest, charp, 0444);
MODULE_PARM_DESC(header_digest, "Default HeaderDigest offer (default CRC32C,None)");
module_param(data_digest, charp, 0444);
MODULE_PARM_DESC(data_digest, "Default DataDigest offer (default CRC32C,None)");
module_param(max_recv_dsl, charp, 0444);
MODULE_PARM_DESC(max_recv_dsl, "Default MaxRecvDataSegmentLength (default 262144)");
module_param(max_burst_length, charp, 0444);
MODULE_PARM_DESC(max_burst_length, "Default MaxBurstLength (default 262144)");
module_param(first_burst_length, charp, 0444);
MODULE_PARM_DESC(first_burst_length, "Default FirstBurstLength (default 65536)");
module_param(immediate_data, charp, 0444);
MODULE_PARM_DESC(immediate_data, "Default ImmediateData, Yes or No (default Yes)");
module_param(initial_r2t, charp, 0444);
MODULE_PARM_DESC(initial_r2t, "Default InitialR2T, Yes or No (default No)");
module_param(max_outstanding_r2t, charp, 0444);
MODULE_PARM_DESC(max_outstanding_r2t, "Default MaxOutstandingR2T (default 1)");

static int __init kitt_set_param_default(enum kitt_key key, const char *val)
{
	if (!val || !*val)
		return 0;
	if (kitt_params_default_store(key, val, strlen(val))) {
		pr_err("module parameter for %s: bad value '%s'\n", kitt_params_key_name(key), val);
		return -EINVAL;
	}
	return 0;
}

/**
 * kitt_modparams_check() - check the module parameters at load time
 *
 * The numeric defaults must be in range; the text ones become the
 * default offer of new portal groups (kitt_params_default_store()).
 *
 * Return: 0, or -EINVAL with the bad parameter named in the log.
 */
int __init kitt_modparams_check(void)
{
	int ret = 0;

	if (!kitt_default_port || kitt_default_port > 65535) {
		pr_err("port %u is out of range\n", kitt_default_port);
		return -EINVAL;
	}
	if (!kitt_default_cmdsn_depth || kitt_default_cmdsn_depth > KITT_CMDSN_DEPTH_MAX) {
		pr_err("cmdsn_depth %u is out of range\n", kitt_default_cmdsn_depth);
		return -EINVAL;
	}
	/* The ranges of the portal group attributes they are defaults of */
	if (!kitt_default_send_timeout || kitt_default_send_timeout > KITT_TIMER_MAX) {
		pr_err("send_timeout %u is out of range 1-%u\n", kitt_default_send_timeout,
		       KITT_TIMER_MAX);
		return -EINVAL;
	}
	if (!kitt_default_login_timeout || kitt_default_login_timeout > KITT_TIMER_MAX) {
		pr_err("login_timeout %u is out of range 1-%u\n", kitt_default_login_timeout,
		       KITT_TIMER_MAX);
		return -EINVAL;
	}
	if (!kitt_default_nopin_timeout || kitt_default_nopin_timeout > KITT_TIMER_MAX) {
		pr_err("nopin_timeout %u is out of range 1-%u\n", kitt_default_nopin_timeout,
		       KITT_TIMER_MAX);
		return -EINVAL;
	}
	if (kitt_default_nopin_interval > KITT_TIMER_MAX) {
		pr_err("nopin_interval %u is out of range 0-%u\n", kitt_default_nopin_interval,
		       KITT_TIMER_MAX);
		return -EINVAL;
	}
	ret = ret ?: kitt_set_param_default(KITT_KEY_HEADER_DIGEST, header_digest);
	ret = ret ?: kitt_set_param_default(KITT_KEY_DATA_DIGEST, data_digest);
	ret = ret ?: kitt_set_param_default(KITT_KEY_MAX_RECV_DSL, max_recv_dsl);
	ret = ret ?: kitt_set_param_default(KITT_KEY_MAX_BURST_LENGTH, max_burst_length);
	ret = ret ?: kitt_set_param_default(KITT_KEY_FIRST_BURST_LENGTH, first_burst_length);
	ret = ret ?: kitt_set_param_default(KITT_KEY_IMMEDIATE_DATA, immediate_data);
	ret = ret ?: kitt_set_param_default(KITT_KEY_INITIAL_R2T, initial_r2t);
	ret = ret ?: kitt_set_param_default(KITT_KEY_MAX_OUTSTANDING_R2T, max_outstanding_r2t);
	return ret;
}
