// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: live sessions under /sys/kernel/kitt/sessions/<id>/.
 *
 * Sessions are runtime state, so they live here and not in configfs: a
 * login never has to take a configfs directory lock that an rmdir may
 * hold while it waits for sessions to close.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/sysfs.h>
#include <linux/slab.h>

#include "kitt.h"

static struct kobject *kitt_kobj;
static struct kset *kitt_sessions_kset;

/* Live runtime objects, for leak checks: /sys/kernel/kitt/live */
atomic_t kitt_live_conns = ATOMIC_INIT(0);
atomic_t kitt_live_sessions = ATOMIC_INIT(0);

static ssize_t live_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "connections %d\nsessions %d\n",
			  atomic_read(&kitt_live_conns), atomic_read(&kitt_live_sessions));
}

static struct kobj_attribute kitt_live_attr = __ATTR_RO(live);

struct kitt_sess_attr {
	struct attribute attr;
	ssize_t (*show)(struct kitt_session *sess, char *buf);
	int key;	/* enum kitt_key for negotiated keys, -1 otherwise */
};

static ssize_t kitt_sess_attr_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct kitt_session *sess = container_of(kobj, struct kitt_session, kobj);
	struct kitt_sess_attr *a = container_of(attr, struct kitt_sess_attr, attr);

	if (a->key >= 0)
		return kitt_sess_params_show(&sess->params, a->key, buf, PAGE_SIZE);
	return a->show(sess, buf);
}

const struct sysfs_ops kitt_sysfs_session_ops = {
	.show = kitt_sess_attr_show,
};

static ssize_t initiator_show(struct kitt_session *sess, char *buf)
{
	return sysfs_emit(buf, "%s\n", sess->initiator);
}

static ssize_t target_show(struct kitt_session *sess, char *buf)
{
	return sysfs_emit(buf, "%s\n", sess->target);
}

static ssize_t tpgt_show(struct kitt_session *sess, char *buf)
{
	return sysfs_emit(buf, "%u\n", sess->tpg ? sess->tpg->tpgt : 0);
}

static ssize_t isid_show(struct kitt_session *sess, char *buf)
{
	return sysfs_emit(buf, "%6phN\n", sess->isid);
}

static ssize_t tsih_show(struct kitt_session *sess, char *buf)
{
	return sysfs_emit(buf, "%u\n", sess->tsih);
}

static ssize_t type_show(struct kitt_session *sess, char *buf)
{
	return sysfs_emit(buf, "%s\n", sess->discovery ? "Discovery" : "Normal");
}

static ssize_t cmdsn_depth_show(struct kitt_session *sess, char *buf)
{
	return sysfs_emit(buf, "%u\n", sess->cmdsn_depth);
}

static ssize_t statistics_show(struct kitt_session *sess, char *buf)
{
	return kitt_stats_sum_show(&sess->stats, false, buf);
}

static ssize_t task_management_show(struct kitt_session *sess, char *buf)
{
	return kitt_stats_sum_show(&sess->stats, true, buf);
}

#define KITT_SESS_ATTR(_name)						\
	static struct kitt_sess_attr kitt_sess_attr_##_name = {	\
		.attr = { .name = __stringify(_name), .mode = 0444 },	\
		.show = _name##_show,					\
		.key = -1,						\
	}

#define KITT_SESS_KEY(_var, _name, _key)				\
	static struct kitt_sess_attr kitt_sess_key_##_var = {		\
		.attr = { .name = _name, .mode = 0444 },		\
		.key = _key,						\
	}

KITT_SESS_ATTR(initiator);
KITT_SESS_ATTR(target);
KITT_SESS_ATTR(tpgt);
KITT_SESS_ATTR(isid);
KITT_SESS_ATTR(tsih);
KITT_SESS_ATTR(type);
KITT_SESS_ATTR(cmdsn_depth);
KITT_SESS_ATTR(statistics);
KITT_SESS_ATTR(task_management);

KITT_SESS_KEY(hd, "HeaderDigest", KITT_KEY_HEADER_DIGEST);
KITT_SESS_KEY(dd, "DataDigest", KITT_KEY_DATA_DIGEST);
KITT_SESS_KEY(mc, "MaxConnections", KITT_KEY_MAX_CONNECTIONS);
KITT_SESS_KEY(ir2t, "InitialR2T", KITT_KEY_INITIAL_R2T);
KITT_SESS_KEY(imm, "ImmediateData", KITT_KEY_IMMEDIATE_DATA);
KITT_SESS_KEY(mrdsl, "MaxRecvDataSegmentLength", KITT_KEY_MAX_RECV_DSL);
KITT_SESS_KEY(mxdsl, "MaxXmitDataSegmentLength", KITT_KEY_MAX_XMIT_DSL);
KITT_SESS_KEY(mbl, "MaxBurstLength", KITT_KEY_MAX_BURST_LENGTH);
KITT_SESS_KEY(fbl, "FirstBurstLength", KITT_KEY_FIRST_BURST_LENGTH);
KITT_SESS_KEY(t2w, "DefaultTime2Wait", KITT_KEY_DEFAULT_TIME2WAIT);
KITT_SESS_KEY(t2r, "DefaultTime2Retain", KITT_KEY_DEFAULT_TIME2RETAIN);
KITT_SESS_KEY(mor2t, "MaxOutstandingR2T", KITT_KEY_MAX_OUTSTANDING_R2T);
KITT_SESS_KEY(dpio, "DataPDUInOrder", KITT_KEY_DATA_PDU_IN_ORDER);
KITT_SESS_KEY(dsio, "DataSequenceInOrder", KITT_KEY_DATA_SEQUENCE_IN_ORDER);
KITT_SESS_KEY(erl, "ErrorRecoveryLevel", KITT_KEY_ERROR_RECOVERY_LEVEL);

static struct attribute *kitt_sess_attrs[] = {
	&kitt_sess_attr_initiator.attr,
	&kitt_sess_attr_target.attr,
	&kitt_sess_attr_tpgt.attr,
	&kitt_sess_attr_isid.attr,
	&kitt_sess_attr_tsih.attr,
	&kitt_sess_attr_type.attr,
	&kitt_sess_attr_cmdsn_depth.attr,
	&kitt_sess_attr_statistics.attr,
	&kitt_sess_attr_task_management.attr,
	&kitt_sess_key_hd.attr,
	&kitt_sess_key_dd.attr,
	&kitt_sess_key_mc.attr,
	&kitt_sess_key_ir2t.attr,
	&kitt_sess_key_imm.attr,
	&kitt_sess_key_mrdsl.attr,
	&kitt_sess_key_mxdsl.attr,
	&kitt_sess_key_mbl.attr,
	&kitt_sess_key_fbl.attr,
	&kitt_sess_key_t2w.attr,
	&kitt_sess_key_t2r.attr,
	&kitt_sess_key_mor2t.attr,
	&kitt_sess_key_dpio.attr,
	&kitt_sess_key_dsio.attr,
	&kitt_sess_key_erl.attr,
	NULL,
};

static const struct attribute_group kitt_sess_group = {
	.attrs = kitt_sess_attrs,
};

/* The files of sessions/<id>/, for the session's kobj_type (session.c). */
const struct attribute_group *kitt_sysfs_session_groups[] = {
	&kitt_sess_group,
	NULL,
};

/* ---- sessions/<id>/connections/<cid>/ ---- */

struct kitt_conn_attr {
	struct attribute attr;
	ssize_t (*show)(struct kitt_conn *conn, char *buf);
};

static ssize_t kitt_conn_attr_show(struct kobject *kobj, struct attribute *attr, char *buf)
{
	struct kitt_conn *conn = container_of(kobj, struct kitt_conn, kobj);

	return container_of(attr, struct kitt_conn_attr, attr)->show(conn, buf);
}

static const struct sysfs_ops kitt_conn_sysfs_ops = {
	.show = kitt_conn_attr_show,
};

static ssize_t cid_show(struct kitt_conn *conn, char *buf)
{
	return sysfs_emit(buf, "%u\n", conn->cid);
}

static ssize_t local_show(struct kitt_conn *conn, char *buf)
{
	return sysfs_emit(buf, "%pISpc\n", &conn->local);
}

static ssize_t peer_show(struct kitt_conn *conn, char *buf)
{
	return sysfs_emit(buf, "%pISpc\n", &conn->peer);
}

static ssize_t conn_statistics_show(struct kitt_conn *conn, char *buf)
{
	return kitt_stats_conn_show(&conn->stats, false, buf);
}

static ssize_t conn_tmf_show(struct kitt_conn *conn, char *buf)
{
	return kitt_stats_conn_show(&conn->stats, true, buf);
}

static ssize_t conn_hd_show(struct kitt_conn *conn, char *buf)
{
	return sysfs_emit(buf, "%s\n", conn->header_digest ? "CRC32C" : "None");
}

static ssize_t conn_dd_show(struct kitt_conn *conn, char *buf)
{
	return sysfs_emit(buf, "%s\n", conn->data_digest ? "CRC32C" : "None");
}

static ssize_t conn_mrdsl_show(struct kitt_conn *conn, char *buf)
{
	return sysfs_emit(buf, "%u\n", conn->max_recv_dsl);
}

static ssize_t conn_mxdsl_show(struct kitt_conn *conn, char *buf)
{
	return sysfs_emit(buf, "%u\n", conn->max_xmit_dsl);
}

#define KITT_CONN_ATTR(_var, _name, _show)				\
	static struct kitt_conn_attr kitt_conn_attr_##_var = {		\
		.attr = { .name = _name, .mode = 0444 },		\
		.show = _show,						\
	}

KITT_CONN_ATTR(cid, "cid", cid_show);
KITT_CONN_ATTR(local, "local", local_show);
KITT_CONN_ATTR(peer, "peer", peer_show);
KITT_CONN_ATTR(stats, "statistics", conn_statistics_show);
KITT_CONN_ATTR(tmf, "task_management", conn_tmf_show);
KITT_CONN_ATTR(hd, "HeaderDigest", conn_hd_show);
KITT_CONN_ATTR(dd, "DataDigest", conn_dd_show);
KITT_CONN_ATTR(mrdsl, "MaxRecvDataSegmentLength", conn_mrdsl_show);
KITT_CONN_ATTR(mxdsl, "MaxXmitDataSegmentLength", conn_mxdsl_show);

static struct attribute *kitt_conn_attrs[] = {
	&kitt_conn_attr_cid.attr,
	&kitt_conn_attr_local.attr,
	&kitt_conn_attr_peer.attr,
	&kitt_conn_attr_stats.attr,
	&kitt_conn_attr_tmf.attr,
	&kitt_conn_attr_hd.attr,
	&kitt_conn_attr_dd.attr,
	&kitt_conn_attr_mrdsl.attr,
	&kitt_conn_attr_mxdsl.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kitt_conn);

/*
 * The connection's memory belongs to its receive thread, which removes
 * the directory (waiting for readers) before it frees the connection.
 */
static void kitt_conn_kobj_release(struct kobject *kobj)
{
}

static const struct kobj_type kitt_conn_ktype = {
	.release = kitt_conn_kobj_release,
	.sysfs_ops = &kitt_conn_sysfs_ops,
	.default_groups = kitt_conn_groups,
};

/**
 * kitt_sysfs_session_add() - show a session under sessions/<id>
 * @sess: the session
 *
 * Return: 0 or a negative errno.
 */
int kitt_sysfs_session_add(struct kitt_session *sess)
{
	int ret;

	sess->kobj.kset = kitt_sessions_kset;
	ret = kobject_add(&sess->kobj, NULL, "%u", sess->id);
	if (ret)
		return ret;
	sess->conns_kobj = kobject_create_and_add("connections", &sess->kobj);
	if (!sess->conns_kobj) {
		kobject_del(&sess->kobj);
		return -ENOMEM;
	}
	return 0;
}

/**
 * kitt_sysfs_session_del() - remove a session's directory
 * @sess: the session; its memory lives on until the last reference
 */
void kitt_sysfs_session_del(struct kitt_session *sess)
{
	kobject_put(sess->conns_kobj);
	sess->conns_kobj = NULL;
	kobject_del(&sess->kobj);
}

/**
 * kitt_sysfs_conn_add() - show a connection under its session
 * @conn: the connection, attached to a published session
 */
void kitt_sysfs_conn_add(struct kitt_conn *conn)
{
	kobject_init(&conn->kobj, &kitt_conn_ktype);
	if (kobject_add(&conn->kobj, conn->sess->conns_kobj, "%u", conn->cid)) {
		kobject_put(&conn->kobj);
		return;
	}
	conn->kobj_added = true;
}

/**
 * kitt_sysfs_conn_del() - remove a connection's directory
 * @conn: the connection
 */
void kitt_sysfs_conn_del(struct kitt_conn *conn)
{
	if (!conn->kobj_added)
		return;
	kobject_del(&conn->kobj);
	kobject_put(&conn->kobj);
	conn->kobj_added = false;
}

/**
 * kitt_sysfs_init() - create /sys/kernel/kitt: sessions/, live, and the
 *	statistics (stats.c)
 *
 * Return: 0 or -ENOMEM.
 */
int kitt_sysfs_init(void)
{
	kitt_kobj = kobject_create_and_add("kitt", kernel_kobj);
	if (!kitt_kobj)
		return -ENOMEM;
	kitt_sessions_kset = kset_create_and_add("sessions", NULL, kitt_kobj);
	if (!kitt_sessions_kset)
		goto out_put;
	if (sysfs_create_file(kitt_kobj, &kitt_live_attr.attr))
		goto out_kset;
	if (kitt_stats_init(kitt_kobj))
		goto out_live;
	return 0;

out_live:
	sysfs_remove_file(kitt_kobj, &kitt_live_attr.attr);
out_kset:
	kset_unregister(kitt_sessions_kset);
out_put:
	kobject_put(kitt_kobj);
	return -ENOMEM;
}

/**
 * kitt_sysfs_exit() - remove /sys/kernel/kitt
 */
void kitt_sysfs_exit(void)
{
	kitt_stats_exit(kitt_kobj);
	sysfs_remove_file(kitt_kobj, &kitt_live_attr.attr);
	kset_unregister(kitt_sessions_kset);
	kobject_put(kitt_kobj);
}
