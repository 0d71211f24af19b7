// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: the login phase of a connection. kitt_login_run() reads Login
 * Requests from the socket, feeds them to the state machine
 * (kitt_login_step(), login.c) and sends its answers; the state machine's
 * ops look the target, portal group and ACL up in the object model
 * (tpg.c) and create, reinstate or join the session (session.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kitt.h"
#include "kitt_trace.h"

/* Count the login's outcome in @node too, once it ends. */
static void kitt_login_hold_stats(struct kitt_conn *conn, unsigned int i,
				  struct kitt_stats_node *node)
{
	kitt_stats_node_put(conn->login_stats[i]);
	conn->login_stats[i] = kitt_stats_node_get(node);
}

static int kitt_login_resolve(struct kitt_login *lg, void *ctx)
{
	struct kitt_conn *conn = ctx;
	struct kitt_portal *portal = NULL;
	struct kitt_target *target;
	struct kitt_tpg *tpg;
	struct kitt_acl *acl;
	int ret = 0;

	mutex_lock(&kitt_config_lock);
	if (lg->discovery) {
		/*
		 * Discovery needs no CHAP by default: its sessions have a cap
		 * of their own, so that they cannot take all of max_conns.
		 */
		if (!conn->discovery_counted) {
			unsigned int max = READ_ONCE(kitt_max_discovery_conns);

			if (atomic_inc_return(&kitt_discovery_conns) > max && max) {
				atomic_dec(&kitt_discovery_conns);
				pr_warn_ratelimited("%pISc: kitt holds %u discovery sessions (max_discovery_conns), refusing one\n",
						    &conn->peer, max);
				ret = -EBUSY;
				goto out;
			}
			conn->discovery_counted = true;
		}
		lg->auth_required = kitt_discovery_enforce;
		lg->cred = kitt_discovery_cred;
		kitt_params_offer_init(&lg->offer);
		lg->cmdsn_depth = 32;
		goto out;
	}
	target = kitt_target_find(lg->target);
	tpg = target ? kitt_tpg_find(target, conn->listener, &conn->listen_addr, &portal) : NULL;
	if (target)
		kitt_login_hold_stats(conn, 0, target->stats);
	if (!tpg) {
		ret = -ENOENT;
		goto out;
	}
	kitt_login_hold_stats(conn, 1, tpg->stats);
	kitt_login_hold_stats(conn, 2, portal ? portal->stats : NULL);
	mutex_lock(&tpg->lock);
	if (!tpg->enabled) {
		ret = -EAGAIN;
		goto out_tpg;
	}
	acl = kitt_acl_find(tpg, lg->initiator);
	if (!acl && !tpg->attrib.generate_node_acls) {
		ret = -EACCES;
		goto out_tpg;
	}
	if (acl)
		lg->cred = acl->cred;
	lg->auth_required = tpg->attrib.authentication;
	lg->offer = tpg->params;
	lg->cmdsn_depth = tpg->attrib.cmdsn_depth;
	lg->tpgt = tpg->tpgt;
	if (tpg->attrib.login_timeout)
		conn->rx_deadline = conn->login_start + tpg->attrib.login_timeout * HZ;
	/* From here the portal group's removal closes this connection. */
	strscpy(conn->initiator, lg->initiator, sizeof(conn->initiator));
	kitt_acl_luns_put(conn->acl_luns);
	conn->acl_luns = acl ? kitt_acl_luns_get(acl) : NULL;
	conn->tpg = tpg;
	lg->tpg = tpg;
out_tpg:
	mutex_unlock(&tpg->lock);
out:
	mutex_unlock(&kitt_config_lock);
	return ret;
}

/*
 * The session of the same I_T nexus, if any; iSCSI names compare without
 * case (RFC 7143 4.2.7.1), as ACLs and targets are looked up. Caller holds
 * kitt_sessions_lock.
 */
static struct kitt_session *kitt_login_find_same(struct kitt_login *lg)
{
	struct kitt_session *sess;

	list_for_each_entry(sess, &kitt_sessions, node)
		if (!sess->closing && sess->tpg == lg->tpg && sess->discovery == lg->discovery &&
		    !memcmp(sess->isid, lg->isid, sizeof(lg->isid)) &&
		    !strcasecmp(sess->initiator, lg->initiator) &&
		    !strcasecmp(sess->target, lg->target))
			return sess;
	return NULL;
}

static void kitt_login_add_conn(struct kitt_session *sess, struct kitt_conn *conn)
{
	spin_lock_irq(&sess->lock);
	list_add_tail(&conn->sess_node, &sess->conns);
	sess->nr_conns++;
	spin_unlock_irq(&sess->lock);
	conn->sess = sess;
}

static int kitt_login_attach(struct kitt_login *lg, void *ctx)
{
	struct kitt_conn *conn = ctx;
	struct kitt_session *sess, *old;
	int ret;

	mutex_lock(&kitt_sessions_lock);
	if (lg->tsih) {
		sess = kitt_session_find_tsih(lg->tsih);
		if (!sess || sess->discovery != lg->discovery || sess->tpg != lg->tpg ||
		    memcmp(sess->isid, lg->isid, sizeof(lg->isid)) ||
		    strcasecmp(sess->initiator, lg->initiator)) {
			kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
					ISCSI_LOGIN_STATUS_NO_SESSION, "session does not exist");
			ret = -ENOENT;
			goto out_unlock;
		}
		if (sess->nr_conns >= sess->params.max_connections) {
			kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
					ISCSI_LOGIN_STATUS_ISID_ERROR, "too many connections");
			ret = -EBUSY;
			goto out_unlock;
		}
		kobject_get(&sess->kobj);
		kitt_login_add_conn(sess, conn);
		mutex_unlock(&kitt_sessions_lock);
		return 0;
	}

	/* Session reinstatement: the same I_T nexus replaces its old session. */
	while ((old = kitt_login_find_same(lg))) {
		kobject_get(&old->kobj);
		mutex_unlock(&kitt_sessions_lock);
		pr_info("session %u of %s reinstated by a new login\n", old->id, old->initiator);
		kitt_session_reinstate(old);
		kitt_session_put(old);
		mutex_lock(&kitt_sessions_lock);
	}

	sess = kitt_session_alloc();
	if (!sess) {
		kitt_login_fail(lg, ISCSI_STATUS_CLS_TARGET_ERR,
				ISCSI_LOGIN_STATUS_NO_RESOURCES, "out of memory");
		ret = -ENOMEM;
		goto out_unlock;
	}
	sess->tpg = lg->tpg;
	/* The login's ACL map becomes the session's. */
	sess->acl_luns = conn->acl_luns;
	conn->acl_luns = NULL;
	sess->discovery = lg->discovery;
	strscpy(sess->initiator, lg->initiator, sizeof(sess->initiator));
	strscpy(sess->target, lg->target, sizeof(sess->target));
	memcpy(sess->isid, lg->isid, sizeof(sess->isid));
	sess->params = lg->params;
	sess->exp_cmd_sn = lg->cmdsn;
	sess->cmdsn_depth = lg->cmdsn_depth ?: 1;
	ret = kitt_session_publish(sess);
	if (!ret)
		trace_kitt_session_start(sess->id, sess->tsih, sess->initiator,
					 sess->discovery ? "" : sess->target,
					 lg->tpgt, sess->discovery);
	if (ret) {
		kitt_session_put(sess);
		kitt_login_fail(lg, ISCSI_STATUS_CLS_TARGET_ERR,
				ISCSI_LOGIN_STATUS_NO_RESOURCES, "cannot publish the session");
		goto out_unlock;
	}
	lg->tsih = sess->tsih;
	/* The session's first reference belongs to this connection. */
	kitt_login_add_conn(sess, conn);
	mutex_unlock(&kitt_sessions_lock);
	return 0;

out_unlock:
	mutex_unlock(&kitt_sessions_lock);
	return ret;
}

static const struct kitt_login_ops kitt_login_conn_ops = {
	.resolve = kitt_login_resolve,
	.attach = kitt_login_attach,
};

static int kitt_login_send(struct kitt_conn *conn, struct kitt_login *lg,
			   struct iscsi_login_rsp *rsp, struct kitt_text_buf *text)
{
	rsp->statsn = cpu_to_be32(conn->stat_sn++);
	rsp->exp_cmdsn = cpu_to_be32(lg->cmdsn);
	rsp->max_cmdsn = cpu_to_be32(lg->cmdsn + max_t(u32, lg->cmdsn_depth, 1) - 1);
	hton24(rsp->dlength, text->len);
	return kitt_conn_send_iov(conn, (struct iscsi_hdr *)rsp, text->buf, text->len, false);
}

/*
 * Count a finished login: in /sys/kernel/kitt/logins, and in the target,
 * portal group and portal it reached.
 */
static void kitt_login_count(struct kitt_conn *conn, struct kitt_login *lg,
			     enum kitt_login_outcome outcome)
{
	unsigned int i;

	trace_kitt_login_done(conn->id, lg->initiator, lg->discovery ? "" : lg->target,
			      lg->tpgt, kitt_login_outcome_names[outcome], lg->why ?: "");

	kitt_stats_login(NULL, outcome);
	for (i = 0; i < ARRAY_SIZE(conn->login_stats); i++) {
		if (!conn->login_stats[i])
			continue;
		kitt_stats_login(conn->login_stats[i], outcome);
		kitt_stats_node_put(conn->login_stats[i]);
		conn->login_stats[i] = NULL;
	}
}

static void kitt_login_log_failure(struct kitt_conn *conn, struct kitt_login *lg)
{
	pr_warn_ratelimited("login from %s (%pISc) to %s failed: %s (status 0x%02x%02x)\n",
			    lg->initiator[0] ? lg->initiator : "<unnamed initiator>",
			    &conn->peer,
			    lg->discovery ? "discovery" :
			    (lg->target[0] ? lg->target : "<no target>"),
			    lg->why ?: "error", lg->status_class, lg->status_detail);
}

/**
 * kitt_login_run() - run the login phase of a new connection
 * @conn: the connection
 *
 * Return: 0 when the connection is in full feature phase, or a negative
 * errno (the caller closes the connection).
 */
int kitt_login_run(struct kitt_conn *conn)
{
	enum kitt_login_outcome outcome = KITT_LOGIN_DROPPED;
	struct iscsi_login_rsp rsp;
	struct iscsi_login_req *req;
	struct kitt_text_buf text;
	struct kitt_login *lg;
	struct kitt_rx_pdu *rx;
	char *out;
	int ret, state = KITT_LOGIN_MORE;

	lg = kzalloc(sizeof(*lg), GFP_KERNEL);
	rx = kmalloc(sizeof(*rx), GFP_KERNEL);
	out = kmalloc(KITT_LOGIN_MAX_DSL, GFP_KERNEL);
	if (!lg || !rx || !out) {
		ret = -ENOMEM;
		goto out_free;
	}
	kitt_login_init(lg, &kitt_login_conn_ops, conn);

	while (state == KITT_LOGIN_MORE) {
		ret = kitt_conn_recv_header(conn, rx, true);
		if (ret)
			goto out_login;
		ret = kitt_conn_recv_segment(conn, conn->rx_buf, rx->info.data_len);
		if (ret)
			goto out_login;
		req = (struct iscsi_login_req *)&rx->bhs;
		if (!lg->started)
			conn->stat_sn = be32_to_cpu(req->exp_statsn);
		kitt_text_buf_init(&text, out, KITT_LOGIN_MAX_DSL);
		state = kitt_login_step(lg, req, conn->rx_buf, rx->info.data_len, &rsp, &text);
		trace_kitt_login_step(conn->id, lg->initiator, lg->target,
				      ISCSI_LOGIN_CURRENT_STAGE(rsp.flags),
				      ISCSI_LOGIN_NEXT_STAGE(rsp.flags),
				      rsp.flags & ISCSI_FLAG_LOGIN_TRANSIT, rsp.status_class,
				      rsp.status_detail);
		if (state == KITT_LOGIN_FAILED)
			kitt_login_log_failure(conn, lg);
		ret = kitt_login_send(conn, lg, &rsp, &text);
		if (ret)
			goto out_login;
	}
	/* The final response is out. */
	if (state == KITT_LOGIN_FAILED) {
		outcome = kitt_login_outcome(lg->status_class, lg->status_detail);
		ret = -EACCES;
		goto out_login;
	}
	outcome = KITT_LOGIN_ACCEPTED;
	/* Its commands count for the session and the portal from now on. */
	kitt_stats_conn_attach(&conn->stats, &conn->sess->stats, conn->login_stats[2]);

	conn->cid = lg->cid;
	conn->max_recv_dsl = lg->params.max_recv_dsl;
	conn->max_xmit_dsl = lg->params.max_xmit_dsl;
	ret = kitt_conn_set_digests(conn, lg->params.header_digest, lg->params.data_digest);
	if (!ret)
		ret = kitt_conn_set_rx_buf(conn, conn->max_recv_dsl);
	if (!ret)
		kitt_sysfs_conn_add(conn);
	if (!ret)
		pr_info("%s login from %s (%pISc) to %s: session %u, TSIH %u\n",
			lg->discovery ? "discovery" : "normal", lg->initiator, &conn->peer,
			lg->discovery ? "-" : lg->target, conn->sess->id, lg->tsih);

out_login:
	kitt_login_count(conn, lg, outcome);
	kitt_login_free(lg);
out_free:
	kfree(out);
	kfree(rx);
	kfree(lg);
	return ret;
}
