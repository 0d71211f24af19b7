// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: statistics of targets, portal groups, portals, LUNs, sessions and
 * connections. The configured objects' are shown under
 * /sys/kernel/kitt/targets/, the runtime's under sessions/ (sysfs.c):
 *
 *	logins					every login, by outcome
 *	targets/<name>/{logins,statistics,task_management}
 *	targets/<name>/tpgt_<n>/{logins,statistics,task_management}
 *	targets/<name>/tpgt_<n>/portals/<addr>/{logins,statistics,task_management}
 *	targets/<name>/tpgt_<n>/luns/<n>/{statistics,task_management}
 *	targets/<name>/tpgt_<n>/luns/<n>/latency_us	a histogram of latency
 *
 * statistics: commands by kind, bytes read and written, errors by kind,
 * commands in flight; task_management: functions received, by function.
 *
 * Each directory is a struct kitt_stats_node of its own, referenced by its
 * object and by whoever counts into it, so that a counter is never freed
 * under a login or a command that still holds it.
 *
 * A command counts twice, in per-CPU counters: its LUN's and its
 * connection's (struct kitt_conn_stats). Nothing else is touched on the
 * data path. The rest add up when read: a session and a portal sum their
 * connections, a portal group its portals, a target its portal groups;
 * and what goes (a connection, a removed portal or portal group) leaves
 * its counts with what summed it, so no total ever goes down.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kobject.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "kitt.h"

/* Upper bounds of the latency buckets, in microseconds (the last: +Inf). */
static const u32 kitt_lat_bounds_us[KITT_LAT_BUCKETS - 1] = {
	50, 100, 250, 500, 1000, 2500, 5000, 10000, 25000, 50000, 100000,
	250000, 500000, 1000000, 2500000, 5000000,
};

static const char * const kitt_cmd_kind_names[KITT_STAT_NR_CMD_KINDS] = {
	[KITT_STAT_CMD_READ]	= "read_commands",
	[KITT_STAT_CMD_WRITE]	= "write_commands",
	[KITT_STAT_CMD_OTHER]	= "other_commands",
};

static const char * const kitt_error_names[KITT_STAT_NR_ERRORS] = {
	[KITT_STAT_ERR_NOT_READY]		= "not_ready",
	[KITT_STAT_ERR_MEDIUM]			= "medium_error",
	[KITT_STAT_ERR_HARDWARE]		= "hardware_error",
	[KITT_STAT_ERR_ILLEGAL_REQUEST]		= "illegal_request",
	[KITT_STAT_ERR_UNIT_ATTENTION]		= "unit_attention",
	[KITT_STAT_ERR_DATA_PROTECT]		= "data_protect",
	[KITT_STAT_ERR_ABORTED_COMMAND]		= "aborted_command",
	[KITT_STAT_ERR_MISCOMPARE]		= "miscompare",
	[KITT_STAT_ERR_OTHER_SENSE]		= "other_sense",
	[KITT_STAT_ERR_BUSY]			= "busy",
	[KITT_STAT_ERR_TASK_SET_FULL]		= "task_set_full",
	[KITT_STAT_ERR_RESERVATION_CONFLICT]	= "reservation_conflict",
};

static const char * const kitt_tmf_names[KITT_STAT_NR_TMFS] = {
	[ISCSI_TM_FUNC_ABORT_TASK]		= "abort_task",
	[ISCSI_TM_FUNC_ABORT_TASK_SET]		= "abort_task_set",
	[ISCSI_TM_FUNC_CLEAR_ACA]		= "clear_aca",
	[ISCSI_TM_FUNC_CLEAR_TASK_SET]		= "clear_task_set",
	[ISCSI_TM_FUNC_LOGICAL_UNIT_RESET]	= "logical_unit_reset",
	[ISCSI_TM_FUNC_TARGET_WARM_RESET]	= "target_warm_reset",
	[ISCSI_TM_FUNC_TARGET_COLD_RESET]	= "target_cold_reset",
	[ISCSI_TM_FUNC_TASK_REASSIGN]		= "task_reassign",
	[0]					= "other",
};

/**
 * struct kitt_stats_node - one directory of counters
 * @kobj: its sysfs directory, and its reference count
 * @logins: logins by outcome (targets, portal groups, portals)
 * @tmfs: task management functions naming the LUN, by function (LUNs)
 * @lun: the per-CPU counters of a LUN, or NULL
 * @luns: a portal group's luns/ directory
 * @portals: a portal group's portals/ directory
 * @parent: the node whose counters include this one's (a portal's portal
 *	group, a portal group's target; a reference), or NULL; under
 *	kitt_stats_lock, cleared when the node is removed
 * @children: the nodes whose @parent this is, under kitt_stats_lock
 * @sibling: entry in @parent->children
 * @sum: a portal's connections, and what removed children and gone
 *	connections counted
 */
struct kitt_stats_node {
	struct kobject kobj;
	atomic64_t logins[KITT_LOGIN_NR_OUTCOMES];
	atomic64_t tmfs[KITT_STAT_NR_TMFS];
	struct kitt_lun_stats __percpu *lun;
	struct kobject *luns;
	struct kobject *portals;
	struct kitt_stats_node *parent;
	struct list_head children;
	struct list_head sibling;
	struct kitt_stats_sum sum;
};

/*
 * The summing links: node->parent, ->children and ->sibling, the lists of
 * struct kitt_stats_sum and their retired totals, and each connection's
 * ->sess and ->portal. Taken by readers, by configuration changes and by
 * connections starting and ending; never on the data path.
 */
static DEFINE_MUTEX(kitt_stats_lock);

static struct kobject *kitt_targets_kobj;
/* Every login, the discovery ones and those to no known target included. */
static atomic64_t kitt_all_logins[KITT_LOGIN_NR_OUTCOMES];

static struct kitt_stats_node *to_node(struct kobject *kobj)
{
	return container_of(kobj, struct kitt_stats_node, kobj);
}

static ssize_t kitt_logins_emit(const atomic64_t *logins, char *buf)
{
	int i, len = 0;

	for (i = 0; i < KITT_LOGIN_NR_OUTCOMES; i++)
		len += sysfs_emit_at(buf, len, "%s %lld\n", kitt_login_outcome_names[i],
				     atomic64_read(&logins[i]));
	return len;
}

static ssize_t logins_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return kitt_logins_emit(to_node(kobj)->logins, buf);
}

/**
 * kitt_stats_io_add() - add one CPU's command counters to a total
 * @t: the total
 * @c: the CPU's copy (read while it may change: each field once)
 */
void kitt_stats_io_add(struct kitt_stats_totals *t, const struct kitt_io_stats *c)
{
	int i;

	for (i = 0; i < KITT_STAT_NR_CMD_KINDS; i++)
		t->cmds[i] += READ_ONCE(c->cmds[i]);
	t->read_bytes += READ_ONCE(c->read_bytes);
	t->write_bytes += READ_ONCE(c->write_bytes);
	for (i = 0; i < KITT_STAT_NR_ERRORS; i++)
		t->errors[i] += READ_ONCE(c->errors[i]);
	t->in_flight += READ_ONCE(c->in_flight);
}

/**
 * kitt_stats_totals_fold() - add the counters of an object that goes to
 *	the totals of the one that keeps them
 * @dst: the keeper's totals
 * @src: the object's
 *
 * Commands in flight are not kept: @dst->in_flight does not change.
 */
void kitt_stats_totals_fold(struct kitt_stats_totals *dst, const struct kitt_stats_totals *src)
{
	int i;

	for (i = 0; i < KITT_STAT_NR_CMD_KINDS; i++)
		dst->cmds[i] += src->cmds[i];
	dst->read_bytes += src->read_bytes;
	dst->write_bytes += src->write_bytes;
	for (i = 0; i < KITT_STAT_NR_ERRORS; i++)
		dst->errors[i] += src->errors[i];
	for (i = 0; i < KITT_STAT_NR_TMFS; i++)
		dst->tmfs[i] += src->tmfs[i];
}

/**
 * kitt_stats_io_print() - the text of a statistics file
 * @t: the totals
 * @buf: where it goes
 * @size: bytes of @buf
 *
 * "name value" lines: read_commands, write_commands, other_commands,
 * read_bytes, write_bytes, errors_<kind> for each kind, in_flight.
 *
 * Return: the length written.
 */
int kitt_stats_io_print(const struct kitt_stats_totals *t, char *buf, size_t size)
{
	int i, len = 0;

	for (i = 0; i < KITT_STAT_NR_CMD_KINDS; i++)
		len += scnprintf(buf + len, size - len, "%s %llu\n", kitt_cmd_kind_names[i],
				 t->cmds[i]);
	len += scnprintf(buf + len, size - len, "read_bytes %llu\nwrite_bytes %llu\n",
			 t->read_bytes, t->write_bytes);
	for (i = 0; i < KITT_STAT_NR_ERRORS; i++)
		len += scnprintf(buf + len, size - len, "errors_%s %llu\n", kitt_error_names[i],
				 t->errors[i]);
	/* Counted up on one CPU and down on another: the sum may lag. */
	len += scnprintf(buf + len, size - len, "in_flight %ld\n", max(t->in_flight, 0L));
	return len;
}

/**
 * kitt_stats_tmfs_print() - the text of a task_management file
 * @t: the totals
 * @buf: where it goes
 * @size: bytes of @buf
 *
 * Return: the length written; "function count" lines.
 */
int kitt_stats_tmfs_print(const struct kitt_stats_totals *t, char *buf, size_t size)
{
	int i, len = 0;

	for (i = 0; i < KITT_STAT_NR_TMFS; i++)
		if (kitt_tmf_names[i])
			len += scnprintf(buf + len, size - len, "%s %llu\n", kitt_tmf_names[i],
					 t->tmfs[i]);
	return len;
}

/* A connection's counters, added to @t. */
static void kitt_stats_conn_total(struct kitt_conn_stats *cs, struct kitt_stats_totals *t)
{
	int cpu, i;

	for_each_possible_cpu(cpu)
		kitt_stats_io_add(t, &per_cpu_ptr(cs->pcpu, cpu)->io);
	for (i = 0; i < KITT_STAT_NR_TMFS; i++)
		t->tmfs[i] += atomic64_read(&cs->tmfs[i]);
}

/*
 * The counters of a sum's connections, live and gone, added to @t: a
 * portal's (listed through their portal_node) or a session's (sess_node).
 */
static void kitt_stats_sum_total(struct kitt_stats_sum *sum, bool portal,
				 struct kitt_stats_totals *t)
{
	struct kitt_conn_stats *cs;

	lockdep_assert_held(&kitt_stats_lock);
	kitt_stats_totals_fold(t, &sum->retired);
	if (portal) {
		list_for_each_entry(cs, &sum->conns, portal_node)
			kitt_stats_conn_total(cs, t);
	} else {
		list_for_each_entry(cs, &sum->conns, sess_node)
			kitt_stats_conn_total(cs, t);
	}
}

/*
 * A node's counters, added to @t: a LUN's own, a portal's connections',
 * a portal group's portals', a target's portal groups', and what those
 * that went before counted.
 */
static void kitt_stats_node_total(struct kitt_stats_node *node, struct kitt_stats_totals *t)
{
	struct kitt_stats_node *child;
	int cpu, i;

	lockdep_assert_held(&kitt_stats_lock);
	if (node->lun)
		for_each_possible_cpu(cpu)
			kitt_stats_io_add(t, &per_cpu_ptr(node->lun, cpu)->io);
	for (i = 0; i < KITT_STAT_NR_TMFS; i++)
		t->tmfs[i] += atomic64_read(&node->tmfs[i]);
	kitt_stats_sum_total(&node->sum, true, t);
	/* At most two levels deep: target, portal group, portal. */
	list_for_each_entry(child, &node->children, sibling)
		kitt_stats_node_total(child, t);
}

static ssize_t kitt_stats_node_show(struct kitt_stats_node *node, bool tmfs, char *buf)
{
	struct kitt_stats_totals t = {};

	mutex_lock(&kitt_stats_lock);
	kitt_stats_node_total(node, &t);
	mutex_unlock(&kitt_stats_lock);
	if (tmfs)
		return kitt_stats_tmfs_print(&t, buf, PAGE_SIZE);
	return kitt_stats_io_print(&t, buf, PAGE_SIZE);
}

static ssize_t task_management_show(struct kobject *kobj, struct kobj_attribute *attr,
				    char *buf)
{
	return kitt_stats_node_show(to_node(kobj), true, buf);
}

static ssize_t statistics_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return kitt_stats_node_show(to_node(kobj), false, buf);
}

static ssize_t latency_us_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct kitt_stats_node *node = to_node(kobj);
	u64 latency[KITT_LAT_BUCKETS] = {}, sum_ns = 0, count = 0;
	int cpu, i, len = 0;

	for_each_possible_cpu(cpu) {
		const struct kitt_lun_stats *c = per_cpu_ptr(node->lun, cpu);

		for (i = 0; i < KITT_LAT_BUCKETS; i++)
			latency[i] += READ_ONCE(c->latency[i]);
		sum_ns += READ_ONCE(c->latency_sum_ns);
	}
	for (i = 0; i < KITT_LAT_BUCKETS; i++) {
		count += latency[i];
		if (i < KITT_LAT_BUCKETS - 1)
			len += sysfs_emit_at(buf, len, "%u %llu\n", kitt_lat_bounds_us[i],
					     latency[i]);
		else
			len += sysfs_emit_at(buf, len, "+Inf %llu\n", latency[i]);
	}
	len += sysfs_emit_at(buf, len, "sum_us %llu\ncount %llu\n",
			     div_u64(sum_ns, NSEC_PER_USEC), count);
	return len;
}

static struct kobj_attribute kitt_logins_attr = __ATTR_RO(logins);
static struct kobj_attribute kitt_tmf_attr = __ATTR_RO(task_management);
static struct kobj_attribute kitt_stat_attr = __ATTR_RO(statistics);
static struct kobj_attribute kitt_lun_lat_attr = __ATTR_RO(latency_us);

/* targets/<name>/, tpgt_<n>/ and portals/<addr>/ */
static struct attribute *kitt_obj_node_attrs[] = {
	&kitt_logins_attr.attr,
	&kitt_stat_attr.attr,
	&kitt_tmf_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kitt_obj_node);

static struct attribute *kitt_lun_node_attrs[] = {
	&kitt_stat_attr.attr,
	&kitt_lun_lat_attr.attr,
	&kitt_tmf_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kitt_lun_node);

static void kitt_stats_node_release(struct kobject *kobj)
{
	struct kitt_stats_node *node = to_node(kobj);

	free_percpu(node->lun);
	kfree(node);
}

static const struct kobj_type kitt_obj_node_ktype = {
	.release	= kitt_stats_node_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= kitt_obj_node_groups,
};

static const struct kobj_type kitt_lun_node_ktype = {
	.release	= kitt_stats_node_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= kitt_lun_node_groups,
};

/**
 * kitt_stats_sum_init() - an empty sum
 * @sum: the sum
 */
void kitt_stats_sum_init(struct kitt_stats_sum *sum)
{
	INIT_LIST_HEAD(&sum->conns);
	memset(&sum->retired, 0, sizeof(sum->retired));
}

/*
 * A new directory @name under @parent, whose counters @sum_into adds up
 * (NULL: none). Statistics are not worth failing a configuration change
 * for: without memory the object has none (NULL), and every counting
 * function takes NULL.
 */
static struct kitt_stats_node *kitt_stats_node_add(const struct kobj_type *ktype,
						   struct kobject *parent,
						   struct kitt_stats_node *sum_into,
						   const char *name)
{
	struct kitt_stats_node *node;

	if (!parent)
		return NULL;
	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return NULL;
	INIT_LIST_HEAD(&node->children);
	INIT_LIST_HEAD(&node->sibling);
	kitt_stats_sum_init(&node->sum);
	if (ktype == &kitt_lun_node_ktype) {
		node->lun = alloc_percpu(struct kitt_lun_stats);
		if (!node->lun) {
			kfree(node);
			return NULL;
		}
	}
	kobject_init(&node->kobj, ktype);
	if (kobject_add(&node->kobj, parent, "%s", name)) {
		kobject_put(&node->kobj);
		return NULL;
	}
	if (sum_into) {
		mutex_lock(&kitt_stats_lock);
		node->parent = kitt_stats_node_get(sum_into);
		list_add_tail(&node->sibling, &sum_into->children);
		mutex_unlock(&kitt_stats_lock);
	}
	return node;
}

/**
 * kitt_stats_target_add() - the directory of a target's statistics
 * @name: the target's name
 *
 * Return: the node (drop it with kitt_stats_node_del()), or NULL.
 */
struct kitt_stats_node *kitt_stats_target_add(const char *name)
{
	return kitt_stats_node_add(&kitt_obj_node_ktype, kitt_targets_kobj, NULL, name);
}

/**
 * kitt_stats_tpg_add() - the directory of a portal group's statistics
 * @target: its target's node, or NULL
 * @tpgt: the portal group tag
 *
 * Return: the node, or NULL.
 */
struct kitt_stats_node *kitt_stats_tpg_add(struct kitt_stats_node *target, u16 tpgt)
{
	struct kitt_stats_node *node;
	char name[16];

	if (!target)
		return NULL;
	snprintf(name, sizeof(name), "tpgt_%u", tpgt);
	node = kitt_stats_node_add(&kitt_obj_node_ktype, &target->kobj, target, name);
	if (!node)
		return NULL;
	node->luns = kobject_create_and_add("luns", &node->kobj);
	node->portals = kobject_create_and_add("portals", &node->kobj);
	return node;
}

/**
 * kitt_stats_portal_add() - the directory of a portal's statistics
 * @tpg: its portal group's node, or NULL
 * @addr: the portal's address; the directory is "1.2.3.4:3260" or
 *	"[::1]:3260"
 *
 * Return: the node, or NULL.
 */
struct kitt_stats_node *kitt_stats_portal_add(struct kitt_stats_node *tpg,
					      const struct sockaddr_storage *addr)
{
	char name[64];

	if (!tpg)
		return NULL;
	snprintf(name, sizeof(name), "%pISpc", addr);
	return kitt_stats_node_add(&kitt_obj_node_ktype, tpg->portals, tpg, name);
}

/**
 * kitt_stats_lun_add() - the directory of a LUN's statistics
 * @tpg: its portal group's node, or NULL
 * @lun: the LUN number
 *
 * Return: the node, or NULL.
 */
struct kitt_stats_node *kitt_stats_lun_add(struct kitt_stats_node *tpg, u32 lun)
{
	char name[16];

	if (!tpg)
		return NULL;
	snprintf(name, sizeof(name), "%u", lun);
	return kitt_stats_node_add(&kitt_lun_node_ktype, tpg->luns, NULL, name);
}

/**
 * kitt_stats_node_del() - remove a directory and drop its object's
 *	reference; counters held by others stay valid until they put them
 * @node: the node, or NULL
 *
 * What the node counted so far stays in the node that added it up (a
 * portal's in its portal group, a portal group's in its target).
 */
void kitt_stats_node_del(struct kitt_stats_node *node)
{
	struct kitt_stats_node *parent;

	if (!node)
		return;
	mutex_lock(&kitt_stats_lock);
	parent = node->parent;
	if (parent) {
		struct kitt_stats_totals t = {};

		kitt_stats_node_total(node, &t);
		kitt_stats_totals_fold(&parent->sum.retired, &t);
		list_del_init(&node->sibling);
		node->parent = NULL;
	}
	mutex_unlock(&kitt_stats_lock);
	kitt_stats_node_put(parent);
	kobject_put(node->luns);
	kobject_put(node->portals);
	node->luns = NULL;
	node->portals = NULL;
	kobject_del(&node->kobj);
	kobject_put(&node->kobj);
}

/**
 * kitt_stats_node_get() - hold a node for counting later
 * @node: the node, or NULL
 *
 * Return: @node.
 */
struct kitt_stats_node *kitt_stats_node_get(struct kitt_stats_node *node)
{
	if (node)
		kobject_get(&node->kobj);
	return node;
}

/**
 * kitt_stats_node_put() - drop a reference from kitt_stats_node_get()
 * @node: the node, or NULL
 */
void kitt_stats_node_put(struct kitt_stats_node *node)
{
	if (node)
		kobject_put(&node->kobj);
}

/**
 * kitt_stats_login() - count a login's outcome
 * @node: a target's, portal group's or portal's node; NULL counts it in
 *	/sys/kernel/kitt/logins, which every login goes to once
 * @outcome: how it ended
 */
void kitt_stats_login(struct kitt_stats_node *node, enum kitt_login_outcome outcome)
{
	if (outcome >= KITT_LOGIN_NR_OUTCOMES)
		return;
	atomic64_inc(node ? &node->logins[outcome] : &kitt_all_logins[outcome]);
}

/**
 * kitt_stats_tmf() - count a task management function
 * @cs: the connection it arrived on
 * @lun: the node of the LUN it names, or NULL
 * @function: the function (ISCSI_TM_FUNC_*)
 */
void kitt_stats_tmf(struct kitt_conn_stats *cs, struct kitt_stats_node *lun, u8 function)
{
	if (function >= KITT_STAT_NR_TMFS || !kitt_tmf_names[function])
		function = 0;
	atomic64_inc(&cs->tmfs[function]);
	if (lun)
		atomic64_inc(&lun->tmfs[function]);
}

/**
 * kitt_stats_lun_start() - a command of a LUN is in flight
 * @node: the LUN's node, or NULL
 */
void kitt_stats_lun_start(struct kitt_stats_node *node)
{
	if (node)
		this_cpu_inc(node->lun->io.in_flight);
}

/**
 * kitt_stats_lun_end() - a command started with kitt_stats_lun_start()
 *	is gone
 * @node: the LUN's node, or NULL
 */
void kitt_stats_lun_end(struct kitt_stats_node *node)
{
	if (node)
		this_cpu_dec(node->lun->io.in_flight);
}

/* The sense key of fixed or descriptor format sense data. */
static u8 kitt_stats_sense_key(const u8 *sense, u32 len)
{
	if (len < 3)
		return NO_SENSE;
	if ((sense[0] & 0x7f) >= 0x72)
		return sense[1] & 0x0f;
	return sense[2] & 0x0f;
}

/**
 * kitt_stats_error_kind() - the error counter of a command's status
 * @status: the SCSI status
 * @sense: its sense data (CHECK CONDITION)
 * @sense_len: bytes of @sense
 *
 * Return: the KITT_STAT_ERR_* counter, or -1 for a status that is no
 * error (GOOD, CONDITION MET).
 */
int kitt_stats_error_kind(u8 status, const u8 *sense, u32 sense_len)
{
	switch (status) {
	case SAM_STAT_GOOD:
	case SAM_STAT_CONDITION_MET:
		return -1;
	case SAM_STAT_BUSY:
		return KITT_STAT_ERR_BUSY;
	case SAM_STAT_TASK_SET_FULL:
		return KITT_STAT_ERR_TASK_SET_FULL;
	case SAM_STAT_RESERVATION_CONFLICT:
		return KITT_STAT_ERR_RESERVATION_CONFLICT;
	case SAM_STAT_CHECK_CONDITION:
		break;
	default:
		return KITT_STAT_ERR_OTHER_SENSE;
	}
	switch (kitt_stats_sense_key(sense, sense_len)) {
	case NOT_READY:
		return KITT_STAT_ERR_NOT_READY;
	case MEDIUM_ERROR:
		return KITT_STAT_ERR_MEDIUM;
	case HARDWARE_ERROR:
		return KITT_STAT_ERR_HARDWARE;
	case ILLEGAL_REQUEST:
		return KITT_STAT_ERR_ILLEGAL_REQUEST;
	case UNIT_ATTENTION:
		return KITT_STAT_ERR_UNIT_ATTENTION;
	case DATA_PROTECT:
		return KITT_STAT_ERR_DATA_PROTECT;
	case ABORTED_COMMAND:
		return KITT_STAT_ERR_ABORTED_COMMAND;
	case MISCOMPARE:
		return KITT_STAT_ERR_MISCOMPARE;
	default:
		return KITT_STAT_ERR_OTHER_SENSE;
	}
}

/**
 * kitt_stats_latency_bucket() - the histogram bucket of a latency
 * @ns: the latency in nanoseconds
 *
 * Return: the index of the first bucket whose bound is at least @ns.
 */
unsigned int kitt_stats_latency_bucket(u64 ns)
{
	unsigned int lo = 0, hi = KITT_LAT_BUCKETS - 1;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (ns <= (u64)kitt_lat_bounds_us[mid] * NSEC_PER_USEC)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/**
 * kitt_stats_cmd_start() - a command of a connection is in the target
 * @cs: the connection's counters
 */
void kitt_stats_cmd_start(struct kitt_conn_stats *cs)
{
	this_cpu_inc(cs->pcpu->io.in_flight);
}

/**
 * kitt_stats_cmd_end() - a command counted by kitt_stats_cmd_start() is
 *	gone
 * @cs: the connection's counters
 *
 * Context: any.
 */
void kitt_stats_cmd_end(struct kitt_conn_stats *cs)
{
	this_cpu_dec(cs->pcpu->io.in_flight);
}

/* One completed command in one CPU's counters. */
static void kitt_stats_io_done(struct kitt_io_stats __percpu *io, enum kitt_stat_cmd_kind kind,
			       u32 bytes, int error)
{
	this_cpu_inc(io->cmds[kind]);
	if (kind == KITT_STAT_CMD_READ)
		this_cpu_add(io->read_bytes, bytes);
	else if (kind == KITT_STAT_CMD_WRITE)
		this_cpu_add(io->write_bytes, bytes);
	if (error >= 0 && error < KITT_STAT_NR_ERRORS)
		this_cpu_inc(io->errors[error]);
}

/**
 * kitt_stats_cmd_done() - count a completed command
 * @lun: its LUN's node, or NULL
 * @cs: the counters of the connection it arrived on
 * @kind: KITT_STAT_CMD_READ, _WRITE or _OTHER
 * @bytes: data moved (read or written)
 * @error: kitt_stats_error_kind() of its status
 * @latency_ns: from its arrival to its response
 *
 * The session, portal, portal group and target add the connection's
 * counters up when they are read: the command touches only this CPU's
 * copies of the LUN's and the connection's counters.
 *
 * Context: any.
 */
void kitt_stats_cmd_done(struct kitt_stats_node *lun, struct kitt_conn_stats *cs,
			 enum kitt_stat_cmd_kind kind, u32 bytes, int error, u64 latency_ns)
{
	kitt_stats_io_done(&cs->pcpu->io, kind, bytes, error);
	if (!lun)
		return;
	kitt_stats_io_done(&lun->lun->io, kind, bytes, error);
	this_cpu_inc(lun->lun->latency[kitt_stats_latency_bucket(latency_ns)]);
	this_cpu_add(lun->lun->latency_sum_ns, latency_ns);
}

/**
 * kitt_stats_sum_show() - a session's statistics or task_management file
 * @sum: the session's counters
 * @tmfs: the task management functions, not the commands
 * @buf: the sysfs page
 *
 * Return: the length.
 */
ssize_t kitt_stats_sum_show(struct kitt_stats_sum *sum, bool tmfs, char *buf)
{
	struct kitt_stats_totals t = {};

	mutex_lock(&kitt_stats_lock);
	kitt_stats_sum_total(sum, false, &t);
	mutex_unlock(&kitt_stats_lock);
	if (tmfs)
		return kitt_stats_tmfs_print(&t, buf, PAGE_SIZE);
	return kitt_stats_io_print(&t, buf, PAGE_SIZE);
}

/**
 * kitt_stats_conn_init() - a new connection's counters, at zero
 * @cs: the counters
 *
 * Return: 0 or -ENOMEM.
 */
int kitt_stats_conn_init(struct kitt_conn_stats *cs)
{
	int i;

	cs->pcpu = alloc_percpu(struct kitt_conn_pcpu);
	if (!cs->pcpu)
		return -ENOMEM;
	for (i = 0; i < KITT_STAT_NR_TMFS; i++)
		atomic64_set(&cs->tmfs[i], 0);
	INIT_LIST_HEAD(&cs->sess_node);
	INIT_LIST_HEAD(&cs->portal_node);
	cs->sess = NULL;
	cs->portal = NULL;
	return 0;
}

/**
 * kitt_stats_conn_attach() - a logged-in connection counts for its session
 *	and the portal it came in through
 * @cs: its counters
 * @sess: the session's
 * @portal: the portal's node, or NULL (a discovery session); referenced
 *	until kitt_stats_conn_detach()
 */
void kitt_stats_conn_attach(struct kitt_conn_stats *cs, struct kitt_stats_sum *sess,
			    struct kitt_stats_node *portal)
{
	mutex_lock(&kitt_stats_lock);
	cs->sess = sess;
	list_add_tail(&cs->sess_node, &sess->conns);
	if (portal) {
		cs->portal = kitt_stats_node_get(portal);
		list_add_tail(&cs->portal_node, &portal->sum.conns);
	}
	mutex_unlock(&kitt_stats_lock);
}

/**
 * kitt_stats_conn_detach() - a connection whose commands are all gone
 *	leaves its session and portal, which keep what it counted
 * @cs: its counters; nothing may count into them any more
 *
 * Safe on a connection that was never attached.
 */
void kitt_stats_conn_detach(struct kitt_conn_stats *cs)
{
	struct kitt_stats_node *portal;
	struct kitt_stats_totals t = {};

	mutex_lock(&kitt_stats_lock);
	kitt_stats_conn_total(cs, &t);
	if (cs->sess) {
		kitt_stats_totals_fold(&cs->sess->retired, &t);
		list_del_init(&cs->sess_node);
		cs->sess = NULL;
	}
	portal = cs->portal;
	if (portal) {
		kitt_stats_totals_fold(&portal->sum.retired, &t);
		list_del_init(&cs->portal_node);
		cs->portal = NULL;
	}
	mutex_unlock(&kitt_stats_lock);
	kitt_stats_node_put(portal);
}

/**
 * kitt_stats_conn_exit() - free a connection's counters
 * @cs: the counters, detached (or never attached)
 */
void kitt_stats_conn_exit(struct kitt_conn_stats *cs)
{
	free_percpu(cs->pcpu);
	cs->pcpu = NULL;
}

/**
 * kitt_stats_conn_bytes() - the bytes a connection received and sent
 * @cs: its counters
 * @rx: the bytes received
 * @tx: the bytes sent
 */
void kitt_stats_conn_bytes(struct kitt_conn_stats *cs, u64 *rx, u64 *tx)
{
	int cpu;

	*rx = 0;
	*tx = 0;
	for_each_possible_cpu(cpu) {
		const struct kitt_conn_pcpu *c = per_cpu_ptr(cs->pcpu, cpu);

		*rx += READ_ONCE(c->rx_bytes);
		*tx += READ_ONCE(c->tx_bytes);
	}
}

/**
 * kitt_stats_conn_show() - a connection's statistics or task_management
 *	file
 * @cs: its counters
 * @tmfs: the task management functions, not the commands
 * @buf: the sysfs page
 *
 * The statistics are those of a LUN, then rx_pdus, tx_pdus, rx_bytes,
 * tx_bytes and digest_errors.
 *
 * Return: the length.
 */
ssize_t kitt_stats_conn_show(struct kitt_conn_stats *cs, bool tmfs, char *buf)
{
	struct kitt_stats_totals t = {};
	u64 wire[5] = {};
	int cpu, len;

	kitt_stats_conn_total(cs, &t);
	if (tmfs)
		return kitt_stats_tmfs_print(&t, buf, PAGE_SIZE);
	for_each_possible_cpu(cpu) {
		const struct kitt_conn_pcpu *c = per_cpu_ptr(cs->pcpu, cpu);

		wire[0] += READ_ONCE(c->rx_pdus);
		wire[1] += READ_ONCE(c->tx_pdus);
		wire[2] += READ_ONCE(c->rx_bytes);
		wire[3] += READ_ONCE(c->tx_bytes);
		wire[4] += READ_ONCE(c->digest_errors);
	}
	len = kitt_stats_io_print(&t, buf, PAGE_SIZE);
	len += sysfs_emit_at(buf, len,
			     "rx_pdus %llu\ntx_pdus %llu\nrx_bytes %llu\ntx_bytes %llu\ndigest_errors %llu\n",
			     wire[0], wire[1], wire[2], wire[3], wire[4]);
	return len;
}

static ssize_t all_logins_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return kitt_logins_emit(kitt_all_logins, buf);
}

static struct kobj_attribute kitt_all_logins_attr = __ATTR(logins, 0444, all_logins_show, NULL);

/**
 * kitt_stats_init() - create /sys/kernel/kitt/targets and logins
 * @kitt_kobj: /sys/kernel/kitt
 *
 * Return: 0 or -ENOMEM.
 */
int kitt_stats_init(struct kobject *kitt_kobj)
{
	kitt_targets_kobj = kobject_create_and_add("targets", kitt_kobj);
	if (!kitt_targets_kobj)
		return -ENOMEM;
	if (sysfs_create_file(kitt_kobj, &kitt_all_logins_attr.attr)) {
		kobject_put(kitt_targets_kobj);
		return -ENOMEM;
	}
	return 0;
}

/**
 * kitt_stats_exit() - remove them
 * @kitt_kobj: /sys/kernel/kitt
 */
void kitt_stats_exit(struct kobject *kitt_kobj)
{
	sysfs_remove_file(kitt_kobj, &kitt_all_logins_attr.attr);
	kobject_put(kitt_targets_kobj);
	kitt_targets_kobj = NULL;
}
