// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: statistics of targets, portal groups, portals and LUNs, shown
 * under /sys/kernel/kitt/targets/ (sessions and connections count their
 * own, sysfs.c):
 *
 *	logins					every login, by outcome
 *	targets/<name>/logins			logins to the target
 *	targets/<name>/tpgt_<n>/logins		logins to the portal group
 *	targets/<name>/tpgt_<n>/task_management	functions received, by kind
 *	targets/<name>/tpgt_<n>/portals/<addr>/logins
 *	targets/<name>/tpgt_<n>/luns/<n>/statistics	commands, bytes, errors
 *	targets/<name>/tpgt_<n>/luns/<n>/latency_us	a histogram of latency
 *
 * Each directory is a struct kitt_stats_node of its own, referenced by its
 * object and by whoever counts into it, so that a counter is never freed
 * under a login or a command that still holds it. The LUN counters are
 * per CPU: the data path only adds to its own CPU's copy.
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
 * @tmfs: task management functions by function (portal groups)
 * @lun: the per-CPU counters of a LUN, or NULL
 * @luns: a portal group's luns/ directory
 * @portals: a portal group's portals/ directory
 */
struct kitt_stats_node {
	struct kobject kobj;
	atomic64_t logins[KITT_LOGIN_NR_OUTCOMES];
	atomic64_t tmfs[KITT_STAT_NR_TMFS];
	struct kitt_lun_stats __percpu *lun;
	struct kobject *luns;
	struct kobject *portals;
};

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

static ssize_t task_management_show(struct kobject *kobj, struct kobj_attribute *attr,
				    char *buf)
{
	struct kitt_stats_node *node = to_node(kobj);
	int i, len = 0;

	for (i = 0; i < KITT_STAT_NR_TMFS; i++)
		if (kitt_tmf_names[i])
			len += sysfs_emit_at(buf, len, "%s %lld\n", kitt_tmf_names[i],
					     atomic64_read(&node->tmfs[i]));
	return len;
}

/* The sum over the CPUs of a LUN's counters. */
static void kitt_lun_stats_sum(struct kitt_stats_node *node, struct kitt_lun_stats *sum)
{
	int cpu, i;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct kitt_lun_stats *c = per_cpu_ptr(node->lun, cpu);

		for (i = 0; i < KITT_STAT_NR_CMD_KINDS; i++)
			sum->cmds[i] += READ_ONCE(c->cmds[i]);
		sum->read_bytes += READ_ONCE(c->read_bytes);
		sum->write_bytes += READ_ONCE(c->write_bytes);
		for (i = 0; i < KITT_STAT_NR_ERRORS; i++)
			sum->errors[i] += READ_ONCE(c->errors[i]);
		sum->in_flight += READ_ONCE(c->in_flight);
		for (i = 0; i < KITT_LAT_BUCKETS; i++)
			sum->latency[i] += READ_ONCE(c->latency[i]);
		sum->latency_sum_ns += READ_ONCE(c->latency_sum_ns);
	}
}

static ssize_t statistics_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct kitt_lun_stats *sum;
	int i, len = 0;

	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	kitt_lun_stats_sum(to_node(kobj), sum);
	for (i = 0; i < KITT_STAT_NR_CMD_KINDS; i++)
		len += sysfs_emit_at(buf, len, "%s %llu\n", kitt_cmd_kind_names[i], sum->cmds[i]);
	len += sysfs_emit_at(buf, len, "read_bytes %llu\nwrite_bytes %llu\n", sum->read_bytes,
			     sum->write_bytes);
	for (i = 0; i < KITT_STAT_NR_ERRORS; i++)
		len += sysfs_emit_at(buf, len, "errors_%s %llu\n", kitt_error_names[i],
				     sum->errors[i]);
	/* In flight: counted up on one CPU and down on another. */
	len += sysfs_emit_at(buf, len, "in_flight %ld\n", max(sum->in_flight, 0L));
	kfree(sum);
	return len;
}

static ssize_t latency_us_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	struct kitt_lun_stats *sum;
	u64 count = 0;
	int i, len = 0;

	sum = kmalloc(sizeof(*sum), GFP_KERNEL);
	if (!sum)
		return -ENOMEM;
	kitt_lun_stats_sum(to_node(kobj), sum);
	for (i = 0; i < KITT_LAT_BUCKETS; i++) {
		count += sum->latency[i];
		if (i < KITT_LAT_BUCKETS - 1)
			len += sysfs_emit_at(buf, len, "%u %llu\n", kitt_lat_bounds_us[i],
					     sum->latency[i]);
		else
			len += sysfs_emit_at(buf, len, "+Inf %llu\n", sum->latency[i]);
	}
	len += sysfs_emit_at(buf, len, "sum_us %llu\ncount %llu\n",
			     div_u64(sum->latency_sum_ns, NSEC_PER_USEC), count);
	kfree(sum);
	return len;
}

static struct kobj_attribute kitt_logins_attr = __ATTR_RO(logins);
static struct kobj_attribute kitt_tmf_attr = __ATTR_RO(task_management);
static struct kobj_attribute kitt_lun_stat_attr = __ATTR_RO(statistics);
static struct kobj_attribute kitt_lun_lat_attr = __ATTR_RO(latency_us);

static struct attribute *kitt_login_node_attrs[] = {
	&kitt_logins_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kitt_login_node);

static struct attribute *kitt_tpg_node_attrs[] = {
	&kitt_logins_attr.attr,
	&kitt_tmf_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kitt_tpg_node);

static struct attribute *kitt_lun_node_attrs[] = {
	&kitt_lun_stat_attr.attr,
	&kitt_lun_lat_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(kitt_lun_node);

static void kitt_stats_node_release(struct kobject *kobj)
{
	struct kitt_stats_node *node = to_node(kobj);

	free_percpu(node->lun);
	kfree(node);
}

static const struct kobj_type kitt_login_node_ktype = {
	.release	= kitt_stats_node_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= kitt_login_node_groups,
};

static const struct kobj_type kitt_tpg_node_ktype = {
	.release	= kitt_stats_node_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= kitt_tpg_node_groups,
};

static const struct kobj_type kitt_lun_node_ktype = {
	.release	= kitt_stats_node_release,
	.sysfs_ops	= &kobj_sysfs_ops,
	.default_groups	= kitt_lun_node_groups,
};

/*
 * A new directory @name under @parent. Statistics are not worth failing
 * a configuration change for: without memory the object has none (NULL),
 * and every counting function takes NULL.
 */
static struct kitt_stats_node *kitt_stats_node_add(const struct kobj_type *ktype,
						   struct kobject *parent, const char *name)
{
	struct kitt_stats_node *node;

	if (!parent)
		return NULL;
	node = kzalloc(sizeof(*node), GFP_KERNEL);
	if (!node)
		return NULL;
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
	return kitt_stats_node_add(&kitt_login_node_ktype, kitt_targets_kobj, name);
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

	snprintf(name, sizeof(name), "tpgt_%u", tpgt);
	node = kitt_stats_node_add(&kitt_tpg_node_ktype, target ? &target->kobj : NULL, name);
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
	return kitt_stats_node_add(&kitt_login_node_ktype, tpg->portals, name);
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
	return kitt_stats_node_add(&kitt_lun_node_ktype, tpg->luns, name);
}

/**
 * kitt_stats_node_del() - remove a directory and drop its object's
 *	reference; counters held by others stay valid until they put them
 * @node: the node, or NULL
 */
void kitt_stats_node_del(struct kitt_stats_node *node)
{
	if (!node)
		return;
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
 * kitt_stats_tmf() - count a task management function of a portal group
 * @node: the portal group's node, or NULL
 * @function: the function (ISCSI_TM_FUNC_*)
 */
void kitt_stats_tmf(struct kitt_stats_node *node, u8 function)
{
	if (!node)
		return;
	if (function >= KITT_STAT_NR_TMFS || !kitt_tmf_names[function])
		function = 0;
	atomic64_inc(&node->tmfs[function]);
}

/**
 * kitt_stats_lun_start() - a command of a LUN is in flight
 * @node: the LUN's node, or NULL
 */
void kitt_stats_lun_start(struct kitt_stats_node *node)
{
	if (node)
		this_cpu_inc(node->lun->in_flight);
}

/**
 * kitt_stats_lun_end() - a command started with kitt_stats_lun_start()
 *	is gone
 * @node: the LUN's node, or NULL
 */
void kitt_stats_lun_end(struct kitt_stats_node *node)
{
	if (node)
		this_cpu_dec(node->lun->in_flight);
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
 * kitt_stats_lun_done() - count a completed command of a LUN
 * @node: the LUN's node, or NULL
 * @kind: KITT_STAT_CMD_READ, _WRITE or _OTHER
 * @bytes: data moved (read or written)
 * @error: kitt_stats_error_kind() of its status
 * @latency_ns: from its arrival to its response
 *
 * Context: any; the counters are this CPU's.
 */
void kitt_stats_lun_done(struct kitt_stats_node *node, enum kitt_stat_cmd_kind kind,
			 u32 bytes, int error, u64 latency_ns)
{
	struct kitt_lun_stats __percpu *s;

	if (!node)
		return;
	s = node->lun;
	this_cpu_inc(s->cmds[kind]);
	if (kind == KITT_STAT_CMD_READ)
		this_cpu_add(s->read_bytes, bytes);
	else if (kind == KITT_STAT_CMD_WRITE)
		this_cpu_add(s->write_bytes, bytes);
	if (error >= 0 && error < KITT_STAT_NR_ERRORS)
		this_cpu_inc(s->errors[error]);
	this_cpu_inc(s->latency[kitt_stats_latency_bucket(latency_ns)]);
	this_cpu_add(s->latency_sum_ns, latency_ns);
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
