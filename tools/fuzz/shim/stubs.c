// SPDX-License-Identifier: GPL-2.0
/*
 * kitt fuzzing: link stubs for the parts of kitt that are not pure.
 *
 * login.c holds, beside kitt_login_step(), the code that runs a login on a
 * connection (kitt_login_run(), the configuration lookups, SendTargets);
 * it refers to the connection, session and configuration layers, which
 * are not built here. The harnesses never call that code: every stub
 * stops the run if it is reached.
 */
#include "kitt_shim.h"
#include "../../../drivers/kitt/kitt.h"

#define KITT_STUB(name) kitt_shim_warn(__FILE__, __LINE__, "stub " #name " called")

struct mutex kitt_config_lock;
struct mutex kitt_sessions_lock;
LIST_HEAD(kitt_targets);
LIST_HEAD(kitt_sessions);
struct kitt_chap_cred kitt_discovery_cred;
bool kitt_discovery_enforce;

struct kitt_target *kitt_target_find(const char *name)
{
	KITT_STUB(kitt_target_find);
}

struct kitt_tpg *kitt_tpg_find(struct kitt_target *t, const struct kitt_listener *l,
			       const struct sockaddr_storage *addr)
{
	KITT_STUB(kitt_tpg_find);
}

struct kitt_acl *kitt_acl_find(struct kitt_tpg *tpg, const char *initiator)
{
	KITT_STUB(kitt_acl_find);
}

struct kitt_session *kitt_session_alloc(void)
{
	KITT_STUB(kitt_session_alloc);
}

struct kitt_session *kitt_session_find_tsih(u16 tsih)
{
	KITT_STUB(kitt_session_find_tsih);
}

int kitt_session_publish(struct kitt_session *sess)
{
	KITT_STUB(kitt_session_publish);
}

void kitt_session_put(struct kitt_session *sess)
{
	KITT_STUB(kitt_session_put);
}

void kitt_session_reinstate(struct kitt_session *sess)
{
	KITT_STUB(kitt_session_reinstate);
}

int kitt_conn_recv_header(struct kitt_conn *conn, struct kitt_rx_pdu *pdu, bool login)
{
	KITT_STUB(kitt_conn_recv_header);
}

int kitt_conn_recv_segment(struct kitt_conn *conn, void *buf, u32 len)
{
	KITT_STUB(kitt_conn_recv_segment);
}

int kitt_conn_send_iov(struct kitt_conn *conn, const struct iscsi_hdr *bhs,
		       const void *data, u32 len, bool more)
{
	KITT_STUB(kitt_conn_send_iov);
}

int kitt_conn_set_rx_buf(struct kitt_conn *conn, u32 size)
{
	KITT_STUB(kitt_conn_set_rx_buf);
}

void kitt_sysfs_conn_add(struct kitt_conn *conn)
{
	KITT_STUB(kitt_sysfs_conn_add);
}
