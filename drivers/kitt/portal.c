// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: listening sockets.
 *
 * Every portal (targets/<iqn>/tpgt_<n>/portals/<addr>) holds a reference
 * on the listener for its address; portal groups that name the same
 * address share one listener, and a login picks its target by TargetName.
 * A listener is a TCP socket and a kernel thread blocked in accept; each
 * accepted socket goes to the runtime (kitt_conn_accept()).
 *
 * Sockets are bound with SO_REUSEADDR and SO_REUSEPORT, and IPv6 ones
 * with IPV6_V6ONLY, so a wildcard and a specific address on the same port
 * can both listen (the kernel hands a connection to the most specific
 * listener), and [::] and 0.0.0.0 coexist. Since kitt keeps one socket per
 * address, SO_REUSEPORT never puts two kitt sockets on one address.
 *
 * Stopping a listener shuts its socket down, which makes accept return,
 * and then stops the thread: no signals, no polling.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/inet.h>
#include <linux/netdevice.h>
#include <linux/sched.h>
#include <net/sock.h>
#include <net/ipv6.h>

#include "kitt.h"

#define KITT_LISTEN_BACKLOG	128

/**
 * struct kitt_listener - a listening socket shared by portals.
 * @node: entry in kitt_listeners
 * @refs: portals using it, under kitt_listeners_lock
 * @addr: the bound address
 * @sock: the listening socket
 * @thread: the accept thread
 * @stopping: set before the socket is shut down; the thread then waits
 *	for kthread_stop() instead of accepting again
 * @gate: the connections accepted here that are still in login
 */
struct kitt_listener {
	struct list_head node;
	unsigned int refs;
	struct sockaddr_storage addr;
	struct socket *sock;
	struct task_struct *thread;
	bool stopping;
	struct kitt_login_gate gate;
};

/*
 * kitt_listeners_lock protects kitt_listeners and every listener's refs.
 * It is held while a listener starts and while it stops (including the
 * wait for its connections in kitt_conn_close_listener()), so an address
 * is never bound twice; the runtime never takes it.
 */
static DEFINE_MUTEX(kitt_listeners_lock);
static LIST_HEAD(kitt_listeners);

/* kitt_max_login_conns, 0 meaning no limit. */
static bool kitt_listener_has_login_room(struct kitt_listener *l)
{
	unsigned int max = READ_ONCE(kitt_max_login_conns);

	return !max || atomic_read(&l->gate.count) < max;
}

static int kitt_listener_thread(void *arg)
{
	struct kitt_listener *l = arg;
	struct socket *newsock;
	int ret;

	while (!kthread_should_stop()) {
		/*
		 * Connections in login hold a thread and buffers until they
		 * finish or time out: past kitt_max_login_conns, new ones
		 * wait in the listen backlog.
		 */
		wait_event_interruptible(l->gate.wait, kitt_listener_has_login_room(l) ||
					 kthread_should_stop());
		if (kthread_should_stop())
			break;
		ret = kernel_accept(l->sock, &newsock, 0);
		if (!ret) {
			kitt_dbg(KITT_DBG_PORTAL, "portal %pISpc: connection accepted\n", &l->addr);
			kitt_conn_accept(l, &l->addr, &l->gate, newsock);
			continue;
		}
		if (READ_ONCE(l->stopping))
			break;
		switch (ret) {
		case -ECONNABORTED:
		case -EPROTO:
		case -EPERM:
		case -EINTR:
		case -ERESTARTSYS:
			/* That one connection failed; accept the next. */
			break;
		default:
			/* Out of memory or file handles: back off a little. */
			pr_warn_ratelimited("portal %pISpc: accept failed: %d\n", &l->addr, ret);
			schedule_timeout_interruptible(HZ / 10);
			break;
		}
	}

	/* Stay until kthread_stop(), which needs the task to exist. */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static int kitt_listener_bind(struct kitt_listener *l)
{
	int addrlen = l->addr.ss_family == AF_INET ? sizeof(struct sockaddr_in) :
						     sizeof(struct sockaddr_in6);
	int ret;

	ret = sock_create_kern(&init_net, l->addr.ss_family, SOCK_STREAM, IPPROTO_TCP,
			       &l->sock);
	if (ret) {
		pr_err("portal %pISpc: cannot create a socket: %d\n", &l->addr, ret);
		return ret;
	}
	sock_set_reuseaddr(l->sock->sk);
	sock_set_reuseport(l->sock->sk);
	if (l->addr.ss_family == AF_INET6) {
		ret = ip6_sock_set_v6only(l->sock->sk);
		if (ret)
			goto out_release;
	}

	ret = kernel_bind(l->sock, (struct sockaddr *)&l->addr, addrlen);
	if (ret) {
		if (ret == -EADDRINUSE)
			pr_err("portal %pISpc: address already in use by another program\n",
			       &l->addr);
		else if (ret == -EADDRNOTAVAIL)
			pr_err("portal %pISpc: not an address of this host\n", &l->addr);
		else
			pr_err("portal %pISpc: bind failed: %d\n", &l->addr, ret);
		goto out_release;
	}
	ret = kernel_listen(l->sock, KITT_LISTEN_BACKLOG);
	if (ret) {
		pr_err("portal %pISpc: listen failed: %d\n", &l->addr, ret);
		goto out_release;
	}
	return 0;

out_release:
	sock_release(l->sock);
	l->sock = NULL;
	return ret;
}

static struct kitt_listener *kitt_listener_start(const struct sockaddr_storage *addr)
{
	struct kitt_listener *l;
	int ret;

	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return ERR_PTR(-ENOMEM);
	l->addr = *addr;
	l->refs = 1;
	atomic_set(&l->gate.count, 0);
	init_waitqueue_head(&l->gate.wait);

	ret = kitt_listener_bind(l);
	if (ret)
		goto out_free;

	l->thread = kthread_run(kitt_listener_thread, l, "kitt_np%u",
				ntohs(kitt_addr_port(addr)));
	if (IS_ERR(l->thread)) {
		ret = PTR_ERR(l->thread);
		pr_err("portal %pISpc: cannot start the listener thread: %d\n", addr, ret);
		goto out_sock;
	}
	kitt_dbg(KITT_DBG_PORTAL, "portal %pISpc: listening\n", addr);
	return l;

out_sock:
	sock_release(l->sock);
out_free:
	kfree(l);
	return ERR_PTR(ret);
}

static void kitt_listener_stop(struct kitt_listener *l)
{
	WRITE_ONCE(l->stopping, true);
	/* Makes a blocked (or the next) kernel_accept() return -EINVAL. */
	kernel_sock_shutdown(l->sock, SHUT_RDWR);
	kthread_stop(l->thread);
	/* Connections accepted here, logged in or not. */
	kitt_conn_close_listener(l);
	sock_release(l->sock);
	kitt_dbg(KITT_DBG_PORTAL, "portal %pISpc: stopped\n", &l->addr);
}

/*
 * kitt_listener_get() - find or start the listener for an address
 * @addr: the portal address
 *
 * Return: the listener with a reference held, or an ERR_PTR: the errno
 * of socket creation, bind (-EADDRINUSE, -EADDRNOTAVAIL, ...) or listen.
 */
static struct kitt_listener *kitt_listener_get(const struct sockaddr_storage *addr)
{
	struct kitt_listener *l;

	mutex_lock(&kitt_listeners_lock);
	list_for_each_entry(l, &kitt_listeners, node) {
		if (kitt_addr_equal(&l->addr, addr)) {
			l->refs++;
			goto out;
		}
	}
	l = kitt_listener_start(addr);
	if (!IS_ERR(l))
		list_add_tail(&l->node, &kitt_listeners);
out:
	mutex_unlock(&kitt_listeners_lock);
	return l;
}

/*
 * kitt_listener_put() - drop a portal's reference
 * @l: the listener
 *
 * The last reference stops the listener, closes every connection accepted
 * through it and frees it. Sleeps; call without configuration locks.
 */
static void kitt_listener_put(struct kitt_listener *l)
{
	mutex_lock(&kitt_listeners_lock);
	if (--l->refs) {
		mutex_unlock(&kitt_listeners_lock);
		return;
	}
	list_del(&l->node);
	kitt_listener_stop(l);
	mutex_unlock(&kitt_listeners_lock);
	kfree(l);
}

static bool kitt_tpg_uses_listener(struct kitt_tpg *tpg, struct kitt_listener *l)
{
	struct kitt_portal *p;
	bool found = false;

	mutex_lock(&tpg->lock);
	list_for_each_entry(p, &tpg->portals, node) {
		if (p->listener == l) {
			found = true;
			break;
		}
	}
	mutex_unlock(&tpg->lock);
	return found;
}

/*
 * kitt_portal_close_conns() - close what came in through a removed portal
 * @tpg: the portal group
 * @portal: the portal, already unlinked from @tpg->portals
 *
 * Closes @tpg's connections accepted by the portal's listener; for a
 * wildcard portal also those accepted by specific listeners of the same
 * family and port (which served @tpg through the wildcard), unless @tpg
 * still has a portal on that specific address. Sleeps; call without
 * configuration locks.
 */
static void kitt_portal_close_conns(struct kitt_tpg *tpg, struct kitt_portal *portal)
{
	struct kitt_listener *l, *prev = NULL;

	kitt_session_close_tpg(tpg, portal->listener);
	if (!kitt_addr_is_wildcard(&portal->addr))
		return;

	/*
	 * A listener stays on the list while we hold a reference, so the walk
	 * can go on from it after the lock was dropped.
	 */
	mutex_lock(&kitt_listeners_lock);
	list_for_each_entry(l, &kitt_listeners, node) {
		if (!kitt_addr_covers(&portal->addr, &l->addr))
			continue;
		l->refs++;
		mutex_unlock(&kitt_listeners_lock);
		if (prev)
			kitt_listener_put(prev);
		if (!kitt_tpg_uses_listener(tpg, l))
			kitt_session_close_tpg(tpg, l);
		prev = l;
		mutex_lock(&kitt_listeners_lock);
	}
	mutex_unlock(&kitt_listeners_lock);
	if (prev)
		kitt_listener_put(prev);
}

static void kitt_fabric_close_sessions(struct kitt_tpg *tpg, const char *initiator)
{
	if (initiator)
		kitt_session_close_initiator(tpg, initiator);
	else
		kitt_session_close_tpg(tpg, NULL);
}

static void kitt_fabric_lu_changed(const struct kitt_device *dev, enum kitt_ua_cond cond)
{
	kitt_session_ua_dev(dev, cond, NULL);
}

static void kitt_fabric_alua_changed(const struct kitt_target *target,
				     const struct kitt_device * const *devs, unsigned int nr_devs)
{
	kitt_session_ua_alua(target, devs, nr_devs, NULL);
}

/* The iSCSI/TCP transport, as the object model (tpg.c) reaches it. */
const struct kitt_fabric_ops kitt_iscsi_fabric = {
	.listener_get	= kitt_listener_get,
	.listener_put	= kitt_listener_put,
	.close_portal	= kitt_portal_close_conns,
	.close_sessions	= kitt_fabric_close_sessions,
	.luns_changed	= kitt_session_luns_changed,
	.lu_changed	= kitt_fabric_lu_changed,
	.alua_changed	= kitt_fabric_alua_changed,
	.acl_luns_changed = kitt_session_acl_luns_changed,
};
