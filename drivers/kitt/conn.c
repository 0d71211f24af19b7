// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: connection lifecycle (stub until the runtime lands).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/net.h>

#include "kitt.h"

/**
 * kitt_conn_accept() - take over a freshly accepted socket
 * @l: the listener it arrived on
 * @sock: the socket; ownership passes to kitt
 */
void kitt_conn_accept(struct kitt_listener *l, struct socket *sock)
{
	sock_release(sock);
}

/**
 * kitt_conn_close_listener() - close every connection accepted through @l
 * @l: the listener going away
 */
void kitt_conn_close_listener(struct kitt_listener *l)
{
}

/**
 * kitt_session_close_tpg() - close the sessions of a portal group
 * @tpg: the portal group
 * @l: only connections through this listener, or NULL for all
 */
void kitt_session_close_tpg(struct kitt_tpg *tpg, struct kitt_listener *l)
{
}

/**
 * kitt_runtime_init() - set up caches and sysfs for sessions
 *
 * Return: 0 or a negative errno.
 */
int kitt_runtime_init(void)
{
	return 0;
}

/**
 * kitt_runtime_exit() - undo kitt_runtime_init()
 */
void kitt_runtime_exit(void)
{
}
