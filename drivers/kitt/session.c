// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: sessions, the command window, full feature phase dispatch, NOP,
 * Text, Logout and task management.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/random.h>
#include <linux/idr.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>

#include "kitt.h"
#include "kitt_trace.h"

/* Serialises session creation and lookup, and guards kitt_sessions. */
DEFINE_MUTEX(kitt_sessions_lock);
LIST_HEAD(kitt_sessions);
static DEFINE_IDA(kitt_tsih_ida);
static DEFINE_IDA(kitt_session_ida);
/* Woken whenever a task's bios all complete; TMF waits here. */
static DECLARE_WAIT_QUEUE_HEAD(kitt_io_wait);

/* The last reference is gone: no connections and no tasks are left. */
static void kitt_session_release(struct kobject *kobj)
{
	struct kitt_session *sess = container_of(kobj, struct kitt_session, kobj);

	trace_kitt_session_end(sess->id, sess->tsih);
	WARN_ON_ONCE(!hash_empty(sess->tasks));
	ida_free(&kitt_tsih_ida, sess->tsih);
	ida_free(&kitt_session_ida, sess->id);
	kitt_acl_luns_put(sess->acl_luns);
	kfree(sess);
	atomic_dec(&kitt_live_sessions);
}

/* A session is a kobject: its sysfs directory (sysfs.c) may outlive it. */
static const struct kobj_type kitt_session_ktype = {
	.release = kitt_session_release,
	.sysfs_ops = &kitt_sysfs_session_ops,
	.default_groups = kitt_sysfs_session_groups,
};

/**
 * kitt_session_alloc() - a new, unpublished session
 *
 * Return: the session (one reference) or NULL.
 */
struct kitt_session *kitt_session_alloc(void)
{
	struct kitt_session *sess;
	int id, tsih;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return NULL;
	id = ida_alloc_min(&kitt_session_ida, 1, GFP_KERNEL);
	if (id < 0)
		goto out_free;
	tsih = ida_alloc_range(&kitt_tsih_ida, 1, 0xffff, GFP_KERNEL);
	if (tsih < 0)
		goto out_id;
	sess->id = id;
	sess->tsih = tsih;
	spin_lock_init(&sess->lock);
	INIT_LIST_HEAD(&sess->conns);
	INIT_LIST_HEAD(&sess->pending);
	INIT_LIST_HEAD(&sess->pending_ctl);
	INIT_LIST_HEAD(&sess->node);
	kitt_stats_sum_init(&sess->stats);
	spin_lock_init(&sess->tasks_lock);
	hash_init(sess->tasks);
	sess->itt_salt = get_random_u32();
	atomic_set(&sess->next_ttt, 1);
	kobject_init(&sess->kobj, &kitt_session_ktype);
	atomic_inc(&kitt_live_sessions);
	return sess;

out_id:
	ida_free(&kitt_session_ida, id);
out_free:
	kfree(sess);
	return NULL;
}

/*
 * The ITT table: the chain of @itt. The initiator picks ITTs (open-iscsi
 * counts up from 0, with a session age in the top bits); the hash spreads
 * any pattern, and its per-session salt keeps a peer from choosing ITTs
 * that share a chain.
 */
static struct hlist_head *kitt_session_itt_chain(struct kitt_session *sess, u32 itt)
{
	return &sess->tasks[hash_32(itt ^ sess->itt_salt, KITT_TASK_HASH_BITS)];
}

/**
 * kitt_session_task_add() - enter a task in its session's ITT table
 * @sess: the session
 * @task: the task, with task->itt set, never in the table before
 *
 * Its chain is kept in ITT order, so that kitt_session_task_batch() can
 * resume a walk after an ITT. Allocates nothing.
 *
 * Context: task context (takes sess->tasks_lock).
 * Return: 0, or -EBUSY if a task of @sess has that ITT already.
 */
int kitt_session_task_add(struct kitt_session *sess, struct kitt_task *task)
{
	u32 itt = kitt_itt(task->itt);
	struct hlist_head *chain = kitt_session_itt_chain(sess, itt);
	struct kitt_task *t, *prev = NULL;
	int ret = 0;

	spin_lock(&sess->tasks_lock);
	hlist_for_each_entry(t, chain, itt_node) {
		if (kitt_itt(t->itt) >= itt)
			break;
		prev = t;
	}
	if (t && kitt_itt(t->itt) == itt)
		ret = -EBUSY;
	else if (prev)
		hlist_add_behind(&task->itt_node, &prev->itt_node);
	else
		hlist_add_head(&task->itt_node, chain);
	spin_unlock(&sess->tasks_lock);
	return ret;
}

/**
 * kitt_session_task_find() - the task of a session with an ITT
 * @sess: the session
 * @itt: the Initiator Task Tag
 *
 * Context: with sess->tasks_lock held; take a reference before letting go.
 * Return: the task or NULL.
 */
struct kitt_task *kitt_session_task_find(struct kitt_session *sess, itt_t itt)
{
	u32 want = kitt_itt(itt);
	struct kitt_task *task;

	lockdep_assert_held(&sess->tasks_lock);
	hlist_for_each_entry(task, kitt_session_itt_chain(sess, want), itt_node) {
		u32 have = kitt_itt(task->itt);

		if (have >= want)
			return have == want ? task : NULL;
	}
	return NULL;
}

/**
 * kitt_session_task_del() - take a task out of its session's ITT table
 * @task: the task; nothing happens if it is not (or no longer) there
 *
 * Context: task context (takes sess->tasks_lock).
 */
void kitt_session_task_del(struct kitt_task *task)
{
	struct kitt_session *sess = task->sess;

	spin_lock(&sess->tasks_lock);
	if (!hlist_unhashed(&task->itt_node))
		hlist_del_init(&task->itt_node);
	spin_unlock(&sess->tasks_lock);
}

/**
 * kitt_session_task_batch() - the next tasks of a walk of the ITT table
 * @sess: the session
 * @c: where the walk is; zeroed to start
 * @match: which tasks to take (called under sess->tasks_lock)
 * @arg: its argument
 * @batch: where the tasks go, each with a reference the caller drops
 * @max: room in @batch
 *
 * The walk goes chain by chain, each in ITT order, and the next call
 * resumes after the last task this one passed: of the tasks added between
 * calls, those further along the walk are seen and those where it has
 * been are not; none is taken twice. One call visits each task it passes
 * once.
 *
 * Context: task context (takes sess->tasks_lock).
 * Return: how many tasks went into @batch; fewer than @max when the walk
 * is done.
 */
unsigned int kitt_session_task_batch(struct kitt_session *sess, struct kitt_itt_cursor *c,
				     bool (*match)(struct kitt_task *task, const void *arg),
				     const void *arg, struct kitt_task **batch, unsigned int max)
{
	struct kitt_task *task;
	unsigned int n = 0;

	spin_lock(&sess->tasks_lock);
	for (; c->bucket < KITT_TASK_HASH_SIZE; c->bucket++, c->started = false) {
		hlist_for_each_entry(task, &sess->tasks[c->bucket], itt_node) {
			u32 itt = kitt_itt(task->itt);

			if (c->started && itt <= c->after)
				continue;
			if (n == max)
				goto out;
			c->after = itt;
			c->started = true;
			if (match(task, arg) && refcount_inc_not_zero(&task->refs))
				batch[n++] = task;
		}
	}
out:
	spin_unlock(&sess->tasks_lock);
	return n;
}

/**
 * kitt_session_put() - drop a session reference
 * @sess: the session
 */
void kitt_session_put(struct kitt_session *sess)
{
	kobject_put(&sess->kobj);
}

/**
 * kitt_session_publish() - make a logged-in session visible
 * @sess: the session; caller holds kitt_sessions_lock
 *
 * Return: 0 or a negative errno.
 */
int kitt_session_publish(struct kitt_session *sess)
{
	int ret;

	lockdep_assert_held(&kitt_sessions_lock);
	ret = kitt_sysfs_session_add(sess);
	if (ret)
		return ret;
	list_add_tail(&sess->node, &kitt_sessions);
	return 0;
}

/**
 * kitt_session_find_tsih() - look a live session up by TSIH
 * @tsih: the handle
 *
 * Caller holds kitt_sessions_lock.
 *
 * Return: the session or NULL.
 */
struct kitt_session *kitt_session_find_tsih(u16 tsih)
{
	struct kitt_session *sess;

	lockdep_assert_held(&kitt_sessions_lock);
	list_for_each_entry(sess, &kitt_sessions, node)
		if (sess->tsih == tsih && !sess->closing)
			return sess;
	return NULL;
}

static bool kitt_conn_match_session(struct kitt_conn *conn, void *arg)
{
	return conn->sess == arg;
}

/**
 * kitt_session_reinstate() - close an old session and wait until it is gone
 * @sess: the session being replaced (RFC 7143 6.3.5 session reinstatement);
 *	the caller holds a reference and does not hold kitt_sessions_lock
 */
void kitt_session_reinstate(struct kitt_session *sess)
{
	kitt_conn_close_matching(kitt_conn_match_session, sess);
}

struct kitt_tpg_match {
	struct kitt_tpg *tpg;
	struct kitt_listener *l;
};

static bool kitt_conn_match_tpg(struct kitt_conn *conn, void *arg)
{
	struct kitt_tpg_match *m = arg;

	return conn->tpg == m->tpg && (!m->l || conn->listener == m->l);
}

/**
 * kitt_session_close_tpg() - close the sessions of a portal group
 * @tpg: the portal group
 * @l: only connections through this listener, or NULL for all
 */
void kitt_session_close_tpg(struct kitt_tpg *tpg, struct kitt_listener *l)
{
	struct kitt_tpg_match m = { .tpg = tpg, .l = l };

	kitt_conn_close_matching(kitt_conn_match_tpg, &m);
}

struct kitt_init_match {
	struct kitt_tpg *tpg;
	const char *initiator;
};

static bool kitt_conn_match_initiator(struct kitt_conn *conn, void *arg)
{
	struct kitt_init_match *m = arg;

	return conn->tpg == m->tpg && !strcasecmp(conn->initiator, m->initiator);
}

/**
 * kitt_session_close_initiator() - end an initiator's sessions in a portal group
 * @tpg: the portal group
 * @initiator: the InitiatorName whose ACL was removed
 */
void kitt_session_close_initiator(struct kitt_tpg *tpg, const char *initiator)
{
	struct kitt_init_match m = { .tpg = tpg, .initiator = initiator };

	kitt_conn_close_matching(kitt_conn_match_initiator, &m);
}

/* ------------------------------------------------------------------ */
/* Unit attentions and asynchronous events                            */
/* ------------------------------------------------------------------ */

/* @cond on each LUN of @sess that maps @dev; kitt_sessions_lock held. */
static void kitt_session_ua_luns(struct kitt_session *sess, const struct kitt_device *dev,
				 enum kitt_ua_cond cond)
{
	struct kitt_lun *lun;
	unsigned int i;

	lockdep_assert_held(&kitt_sessions_lock);
	if (sess->discovery || !sess->tpg)
		return;
	rcu_read_lock();
	for (i = 0; i < KITT_MAX_LUNS; i++) {
		lun = kitt_session_lun_rcu(sess, i);
		if (lun && lun->dev == dev)
			set_bit(cond, &sess->ua[i]);
	}
	rcu_read_unlock();
}

/**
 * kitt_session_ua_dev() - raise a unit attention on every nexus of a device
 * @dev: the logical unit
 * @cond: the condition
 * @skip: the session whose command made the change (it is not told), or
 *	NULL to tell every session
 *
 * Every session whose portal group maps @dev, in any target, gets @cond
 * on that LUN; its next command there (other than INQUIRY, REPORT LUNS
 * and REQUEST SENSE) reports it.
 *
 * Context: may sleep; takes kitt_sessions_lock.
 */
void kitt_session_ua_dev(const struct kitt_device *dev, enum kitt_ua_cond cond,
			 const struct kitt_session *skip)
{
	struct kitt_session *sess;

	mutex_lock(&kitt_sessions_lock);
	list_for_each_entry(sess, &kitt_sessions, node)
		if (sess != skip)
			kitt_session_ua_luns(sess, dev, cond);
	mutex_unlock(&kitt_sessions_lock);
}

/**
 * kitt_session_ua_port() - raise a unit attention for one initiator port
 * @dev: the logical unit
 * @ua: the condition and the I_T nexus (from kitt_pr_out())
 *
 * The sessions of that initiator port (InitiatorName and ISID) through
 * that target port (TargetName and portal group tag, or any portal group
 * of the target for an ALL_TG_PT registration) get it on each LUN
 * that maps @dev; a nexus with no session now learns nothing (kitt keeps
 * no state for nexuses that are gone).
 *
 * Context: may sleep; takes kitt_sessions_lock.
 */
void kitt_session_ua_port(const struct kitt_device *dev, const struct kitt_pr_ua *ua)
{
	struct kitt_session *sess;

	mutex_lock(&kitt_sessions_lock);
	list_for_each_entry(sess, &kitt_sessions, node)
		if (kitt_session_is_port(sess, ua))
			kitt_session_ua_luns(sess, dev, ua->cond);
	mutex_unlock(&kitt_sessions_lock);
}

/**
 * kitt_session_is_port() - is a session the I_T nexus of a reservation's
 *	unit attention?
 * @sess: the session
 * @pr_ua: a struct kitt_pr_ua
 *
 * Return: true when @sess is that initiator port (InitiatorName and ISID)
 * through that target port (or any of the target's, for ALL_TG_PT).
 */
bool kitt_session_is_port(struct kitt_session *sess, const void *pr_ua)
{
	const struct kitt_pr_ua *ua = pr_ua;

	return sess->tpg && (ua->all_tg_pt || sess->tpg->tpgt == ua->tpgt) &&
	       (ua->any_isid || !memcmp(sess->isid, ua->isid, sizeof(sess->isid))) &&
	       !strcasecmp(sess->initiator, ua->initiator) && !strcmp(sess->target, ua->target);
}

/**
 * kitt_session_maps_dev() - does a session's portal group map a device?
 * @sess: the session
 * @dev: a struct kitt_device, compared only
 *
 * Whatever its ACL shows now: a change of the ACL's map does not wait for
 * the commands already running, so a session may still have some on a
 * device its ACL no longer shows (aborts across nexuses must find them).
 *
 * Return: true when one of its portal group's LUNs is @dev.
 */
bool kitt_session_maps_dev(struct kitt_session *sess, const void *dev)
{
	struct kitt_lun *lun;
	bool found = false;
	unsigned int i;

	if (sess->discovery || !sess->tpg)
		return false;
	rcu_read_lock();
	for (i = 0; i < KITT_MAX_LUNS && !found; i++) {
		lun = rcu_dereference(sess->tpg->luns[i]);
		found = lun && lun->dev == dev;
	}
	rcu_read_unlock();
	return found;
}

/**
 * kitt_session_collect() - the live sessions that match, referenced
 * @out: set to an array of them (kfree() it after kitt_session_put() on
 *	each), or NULL
 * @match: the test, called under kitt_sessions_lock
 * @arg: its argument
 * @skip: a session left out, or NULL
 *
 * Sessions that log in meanwhile may be missed.
 *
 * Return: the number of sessions in *@out.
 * Context: may sleep; takes kitt_sessions_lock.
 */
unsigned int kitt_session_collect(struct kitt_session ***out,
				  bool (*match)(struct kitt_session *sess, const void *arg),
				  const void *arg, const struct kitt_session *skip)
{
	struct kitt_session *sess, **list;
	unsigned int n = 0, room = 0;

	*out = NULL;
	mutex_lock(&kitt_sessions_lock);
	list_for_each_entry(sess, &kitt_sessions, node)
		room++;
	mutex_unlock(&kitt_sessions_lock);
	if (!room)
		return 0;
	list = kmalloc_array(room, sizeof(*list), GFP_NOIO);
	if (!list)
		return 0;
	mutex_lock(&kitt_sessions_lock);
	list_for_each_entry(sess, &kitt_sessions, node) {
		if (n == room)
			break;
		if (sess != skip && match(sess, arg)) {
			kobject_get(&sess->kobj);
			list[n++] = sess;
		}
	}
	mutex_unlock(&kitt_sessions_lock);
	*out = list;
	return n;
}

/**
 * kitt_session_ua_alua() - tell the nexuses of a target that an access
 *	state changed
 * @target: the target whose portal group changed
 * @devs: the devices that group maps
 * @nr_devs: how many
 * @skip: the session whose SET TARGET PORT GROUPS made the change, or NULL
 *
 * Each session of @target, through any of its portal groups, gets
 * ASYMMETRIC ACCESS STATE CHANGED on each LUN whose device is in @devs
 * (SPC-4 5.15.2.7): its target port groups are what changed. @devs are
 * compared, never dereferenced.
 *
 * Context: may sleep; takes kitt_sessions_lock.
 */
void kitt_session_ua_alua(const struct kitt_target *target,
			  const struct kitt_device * const *devs, unsigned int nr_devs,
			  const struct kitt_session *skip)
{
	struct kitt_session *sess;
	struct kitt_lun *lun;
	unsigned int i, j;

	mutex_lock(&kitt_sessions_lock);
	list_for_each_entry(sess, &kitt_sessions, node) {
		if (sess == skip || sess->discovery || !sess->tpg || sess->tpg->target != target)
			continue;
		rcu_read_lock();
		for (i = 0; i < KITT_MAX_LUNS; i++) {
			lun = kitt_session_lun_rcu(sess, i);
			for (j = 0; lun && j < nr_devs; j++) {
				if (lun->dev == devs[j]) {
					set_bit(KITT_UA_ALUA_CHANGED, &sess->ua[i]);
					break;
				}
			}
		}
		rcu_read_unlock();
	}
	mutex_unlock(&kitt_sessions_lock);
}

/*
 * What changed in the LUN inventory: the portal group's LUN @tpg_lun was
 * mapped or unmapped (@luns NULL), or the map @luns of an ACL changed.
 */
struct kitt_luns_event {
	struct kitt_tpg *tpg;
	const struct kitt_acl_luns *luns;
	u16 tpg_lun;
};

/*
 * Does the change reach @sess? A portal group's LUN reaches the sessions
 * whose ACL shows it (under some number); an ACL's map, its own sessions.
 */
static bool kitt_session_sees_change(struct kitt_session *sess, const struct kitt_luns_event *ev)
{
	unsigned int i;

	if (sess->tpg != ev->tpg || sess->discovery)
		return false;
	if (ev->luns)
		return sess->acl_luns == ev->luns;
	for (i = 0; i < KITT_MAX_LUNS; i++)
		if (kitt_lun_map_shows(sess->acl_luns, ev->tpg_lun, i))
			return true;
	return false;
}

/*
 * An Asynchronous Message carrying a SCSI event (RFC 7143 11.9.1): the
 * data segment is SenseLength and the sense data of @cond. Open-iSCSI
 * rescans the session's LUNs when the sense is REPORTED LUNS DATA HAS
 * CHANGED. A connection whose peer reads nothing gets no more of them
 * once its control queue is full: the unit attention stays pending.
 */
static bool kitt_session_async_event(struct kitt_conn *conn, void *arg)
{
	const struct kitt_luns_event *ev = arg;
	struct kitt_scsi_cmd cmd = {};
	struct kitt_ctl_pdu *pdu;
	struct iscsi_async *hdr;

	if (conn->tpg != ev->tpg || conn->sess->discovery ||
	    READ_ONCE(conn->ctl_queued) >= KITT_CONN_CTL_QUEUE_MAX ||
	    !kitt_session_sees_change(conn->sess, ev))
		return false;
	pdu = kitt_ctl_pdu_alloc(2 + KITT_SENSE_LEN, GFP_KERNEL);
	if (!pdu)
		return false;
	kitt_scsi_ua_sense(&cmd, KITT_UA_LUNS_CHANGED);
	put_unaligned_be16(KITT_SENSE_LEN, pdu->data);
	memcpy(pdu->data + 2, cmd.sense, KITT_SENSE_LEN);
	hdr = (struct iscsi_async *)&pdu->bhs;
	hdr->opcode = ISCSI_OP_ASYNC_EVENT;
	hdr->flags = ISCSI_FLAG_CMD_FINAL;
	memset(hdr->rsvd4, 0xff, sizeof(hdr->rsvd4) / 2);	/* reserved ITT */
	hdr->async_event = ISCSI_ASYNC_MSG_SCSI_EVENT;
	pdu->stat_fields = true;
	pdu->advance_statsn = true;
	kitt_conn_queue_ctl(conn, pdu);
	return true;
}

/*
 * REPORTED LUNS DATA HAS CHANGED on each LUN the sessions that see @ev
 * see now, but the one that came or went (it starts with nothing
 * pending), and nothing pending on those they no longer see. Then the
 * Asynchronous Messages. Returns how many connections were told.
 */
static unsigned int kitt_session_luns_event(const struct kitt_luns_event *ev)
{
	struct kitt_session *sess;
	unsigned int i;

	mutex_lock(&kitt_sessions_lock);
	list_for_each_entry(sess, &kitt_sessions, node) {
		if (!kitt_session_sees_change(sess, ev))
			continue;
		rcu_read_lock();
		for (i = 0; i < KITT_MAX_LUNS; i++) {
			if ((!ev->luns && kitt_lun_map_shows(sess->acl_luns, ev->tpg_lun, i)) ||
			    !kitt_session_lun_rcu(sess, i))
				WRITE_ONCE(sess->ua[i], 0);
			else
				set_bit(KITT_UA_LUNS_CHANGED, &sess->ua[i]);
		}
		rcu_read_unlock();
	}
	mutex_unlock(&kitt_sessions_lock);
	return kitt_conn_visit_ffp(kitt_session_async_event, (void *)ev);
}

/**
 * kitt_session_luns_changed() - a LUN of a portal group came or went
 * @tpg: the portal group
 * @lun: the LUN number mapped or unmapped
 *
 * The sessions of @tpg that see that LUN (all of them, unless their ACL
 * maps only some LUNs) get REPORTED LUNS DATA HAS CHANGED on their other
 * LUNs (the new or gone one starts with nothing pending) and an
 * Asynchronous Message with that sense on each connection.
 *
 * Context: may sleep; no config lock held.
 */
void kitt_session_luns_changed(struct kitt_tpg *tpg, u64 lun)
{
	struct kitt_luns_event ev = { .tpg = tpg, .tpg_lun = lun };
	unsigned int n;

	if (lun >= KITT_MAX_LUNS)
		return;
	n = kitt_session_luns_event(&ev);
	kitt_dbg(KITT_DBG_SESSION, "%s tpgt %u: LUN %llu changed, %u connections told\n",
		 tpg->target->name, tpg->tpgt, lun, n);
}

/**
 * kitt_session_acl_luns_changed() - the LUNs an ACL shows changed
 * @tpg: the ACL's portal group
 * @luns: the ACL's map
 *
 * The sessions of that ACL, and only they, get REPORTED LUNS DATA HAS
 * CHANGED on each LUN they now see, and the Asynchronous Message.
 *
 * Context: may sleep; no config lock held.
 */
void kitt_session_acl_luns_changed(struct kitt_tpg *tpg, const struct kitt_acl_luns *luns)
{
	struct kitt_luns_event ev = { .tpg = tpg, .luns = luns };
	unsigned int n;

	n = kitt_session_luns_event(&ev);
	kitt_dbg(KITT_DBG_SESSION, "%s tpgt %u: an ACL's LUN map changed, %u connections told\n",
		 tpg->target->name, tpg->tpgt, n);
}

/*
 * MaxCmdSN, under sess->lock. The window closes while commands run: each
 * command that took a slot keeps it until its response goes out, so at
 * most cmdsn_depth commands are in the target at once (those parked
 * behind a CmdSN gap lie inside the window too). Since a slot is taken
 * exactly when ExpCmdSN advances past its command, MaxCmdSN never moves
 * back.
 */
static u32 kitt_session_max_cmdsn(struct kitt_session *sess)
{
	lockdep_assert_held(&sess->lock);
	return sess->exp_cmd_sn + sess->cmdsn_depth - 1 - sess->cmds_active;
}

/**
 * kitt_session_window() - the command window to report
 * @sess: the session
 * @exp: ExpCmdSN
 * @max: MaxCmdSN
 */
void kitt_session_window(struct kitt_session *sess, u32 *exp, u32 *max)
{
	unsigned long flags;

	spin_lock_irqsave(&sess->lock, flags);
	*exp = sess->exp_cmd_sn;
	*max = kitt_session_max_cmdsn(sess);
	spin_unlock_irqrestore(&sess->lock, flags);
}

/*
 * Place a command in the window. An in-order command advances ExpCmdSN;
 * a SCSI command (@task) then holds its window slot, or with the I bit
 * one of the KITT_MAX_IMMEDIATE_CMDS, until kitt_session_cmd_retire().
 */
static int kitt_session_check_cmdsn(struct kitt_session *sess, u32 cmdsn, bool immediate,
				    struct kitt_task *task)
{
	int verdict;

	spin_lock_irq(&sess->lock);
	if (immediate) {
		verdict = KITT_CMDSN_EXEC;
		if (task && sess->imm_active >= KITT_MAX_IMMEDIATE_CMDS) {
			verdict = KITT_CMDSN_BUSY;
		} else if (task) {
			sess->imm_active++;
			task->holds_imm = true;
		}
	} else if (cmdsn == sess->exp_cmd_sn &&
		   iscsi_sna_lte(cmdsn, kitt_session_max_cmdsn(sess))) {
		sess->exp_cmd_sn++;
		verdict = KITT_CMDSN_EXEC;
		if (task) {
			sess->cmds_active++;
			task->holds_slot = true;
		}
	} else if (iscsi_sna_lt(sess->exp_cmd_sn, cmdsn) &&
		   iscsi_sna_lte(cmdsn, kitt_session_max_cmdsn(sess))) {
		verdict = KITT_CMDSN_LATER;
	} else {
		verdict = KITT_CMDSN_DROP;
	}
	spin_unlock_irq(&sess->lock);
	return verdict;
}

/**
 * kitt_session_cmd_slot() - place a SCSI command in the window
 * @conn: the connection
 * @cmdsn: its CmdSN
 * @immediate: the I bit
 * @task: the command; takes a slot of the window (or of the immediate
 *	commands) when it may run now
 *
 * Return: an enum kitt_cmdsn_verdict.
 */
int kitt_session_cmd_slot(struct kitt_conn *conn, u32 cmdsn, bool immediate,
			  struct kitt_task *task)
{
	int v = kitt_session_check_cmdsn(conn->sess, cmdsn, immediate, task);

	if (v == KITT_CMDSN_DROP)
		kitt_dbg(KITT_DBG_SESSION, "conn %u: CmdSN %u outside the window, dropped\n",
			 conn->id, cmdsn);
	return v;
}

/**
 * kitt_session_cmdsn() - window check for PDUs that are not SCSI commands
 * @conn: the connection
 * @cmdsn: CmdSN of the PDU
 * @immediate: the I bit
 *
 * NOP-Out, Text, Task Management and Logout are answered at once, so
 * they take no slot.
 *
 * Return: an enum kitt_cmdsn_verdict.
 */
int kitt_session_cmdsn(struct kitt_conn *conn, u32 cmdsn, bool immediate)
{
	return kitt_session_cmd_slot(conn, cmdsn, immediate, NULL);
}

/**
 * kitt_session_cmd_retire() - a command gives its window slot back
 * @task: the task; its response is going out, or it ends without one
 *
 * Safe from any context, and more than once.
 */
void kitt_session_cmd_retire(struct kitt_task *task)
{
	struct kitt_session *sess = task->sess;
	unsigned long flags;

	if (!READ_ONCE(task->holds_slot) && !READ_ONCE(task->holds_imm))
		return;
	spin_lock_irqsave(&sess->lock, flags);
	if (task->holds_slot) {
		task->holds_slot = false;
		sess->cmds_active--;
	}
	if (task->holds_imm) {
		task->holds_imm = false;
		sess->imm_active--;
	}
	spin_unlock_irqrestore(&sess->lock, flags);
}

/* Is a command or a control request with @cmdsn waiting? Under sess->lock. */
static bool kitt_session_parked(struct kitt_session *sess, u32 cmdsn)
{
	struct kitt_ctl_parked *p;
	struct kitt_task *t;

	lockdep_assert_held(&sess->lock);
	list_for_each_entry(t, &sess->pending, node)
		if (t->cmd_sn == cmdsn)
			return true;
	list_for_each_entry(p, &sess->pending_ctl, node)
		if (p->cmd_sn == cmdsn)
			return true;
	return false;
}

/**
 * kitt_session_next_pending() - a parked command whose turn has come
 * @sess: the session
 *
 * Return: the task (its CmdSN consumed) or NULL.
 */
struct kitt_task *kitt_session_next_pending(struct kitt_session *sess)
{
	struct kitt_task *task, *found = NULL;

	spin_lock_irq(&sess->lock);
	list_for_each_entry(task, &sess->pending, node) {
		if (task->cmd_sn == sess->exp_cmd_sn) {
			list_del_init(&task->node);
			sess->exp_cmd_sn++;
			sess->cmds_active++;
			task->holds_slot = true;
			found = task;
			break;
		}
	}
	spin_unlock_irq(&sess->lock);
	return found;
}

/**
 * kitt_session_park() - keep a command until the CmdSN gap before it fills
 * @sess: the session
 * @task: the command, its CmdSN inside the window
 *
 * Each CmdSN is parked once: a command whose CmdSN is already waiting is
 * a duplicate (RFC 7143 4.2.2.1), and the caller drops it. So at most
 * cmdsn_depth commands wait here.
 *
 * Return: true if parked, false for a duplicate.
 */
bool kitt_session_park(struct kitt_session *sess, struct kitt_task *task)
{
	bool dup;

	spin_lock_irq(&sess->lock);
	dup = kitt_session_parked(sess, task->cmd_sn);
	if (!dup)
		list_add_tail(&task->node, &sess->pending);
	spin_unlock_irq(&sess->lock);
	return !dup;
}

/**
 * kitt_session_park_ctl() - keep a control request until the gap before it fills
 * @sess: the session
 * @p: the request, its CmdSN inside the window
 *
 * Like kitt_session_park(): each CmdSN waits once, and at most
 * KITT_CTL_PARKED_MAX requests wait.
 *
 * Return: 0 if parked, -EEXIST for a duplicate, -ENOSPC when full.
 */
int kitt_session_park_ctl(struct kitt_session *sess, struct kitt_ctl_parked *p)
{
	int ret = 0;

	spin_lock_irq(&sess->lock);
	if (kitt_session_parked(sess, p->cmd_sn))
		ret = -EEXIST;
	else if (sess->ctl_parked >= KITT_CTL_PARKED_MAX)
		ret = -ENOSPC;
	if (!ret) {
		list_add_tail(&p->node, &sess->pending_ctl);
		sess->ctl_parked++;
	}
	spin_unlock_irq(&sess->lock);
	return ret;
}

/**
 * kitt_session_next_ctl() - a parked control request whose turn has come
 * @sess: the session
 *
 * Return: the request (its CmdSN consumed, the caller's to run and free)
 * or NULL.
 */
struct kitt_ctl_parked *kitt_session_next_ctl(struct kitt_session *sess)
{
	struct kitt_ctl_parked *p, *found = NULL;

	spin_lock_irq(&sess->lock);
	list_for_each_entry(p, &sess->pending_ctl, node) {
		if (p->cmd_sn == sess->exp_cmd_sn) {
			list_del_init(&p->node);
			sess->ctl_parked--;
			sess->exp_cmd_sn++;
			found = p;
			break;
		}
	}
	spin_unlock_irq(&sess->lock);
	return found;
}

/**
 * kitt_session_plug_cmdsn() - count a CmdSN as received without its command
 * @sess: the session
 * @cmdsn: at or past ExpCmdSN: a command aborted while it waited behind a
 *	gap, or one the initiator aborted before it arrived (RFC 7143 11.5.1)
 *
 * ExpCmdSN passes it once the commands before it have come, so that those
 * after it do not wait for it forever. Bounded with the control requests
 * that wait (KITT_CTL_PARKED_MAX); past that the gap stays, for the
 * initiator's own recovery to end.
 */
void kitt_session_plug_cmdsn(struct kitt_session *sess, u32 cmdsn)
{
	struct kitt_ctl_parked *p = kzalloc(sizeof(*p), GFP_KERNEL);

	if (!p)
		return;
	p->cmd_sn = cmdsn;
	p->plug = true;
	if (kitt_session_park_ctl(sess, p))
		kfree(p);
}

/* Free the control requests still waiting: the connection ends. */
static void kitt_session_drop_ctl(struct kitt_session *sess)
{
	struct kitt_ctl_parked *p, *tmp;
	LIST_HEAD(gone);

	spin_lock_irq(&sess->lock);
	list_splice_init(&sess->pending_ctl, &gone);
	sess->ctl_parked = 0;
	spin_unlock_irq(&sess->lock);
	list_for_each_entry_safe(p, tmp, &gone, node)
		kfree(p);
}

static void kitt_session_ack_statsn(struct kitt_conn *conn, __be32 exp_statsn)
{
	conn->exp_stat_sn = be32_to_cpu(exp_statsn);
}

/**
 * kitt_session_reject() - queue a Reject carrying the offending header
 * @conn: the connection
 * @bhs: the rejected PDU's header
 * @reason: RFC 7143 11.17.1 reason code
 *
 * Return: 0 or -ENOMEM.
 */
int kitt_session_reject(struct kitt_conn *conn, const struct iscsi_hdr *bhs, u8 reason)
{
	struct kitt_ctl_pdu *pdu = kitt_ctl_pdu_alloc(ISCSI_HDR_LEN, GFP_KERNEL);
	struct iscsi_reject *rej;

	if (!pdu)
		return -ENOMEM;
	rej = (struct iscsi_reject *)&pdu->bhs;
	kitt_pdu_init_reject(rej, reason);
	memcpy(pdu->data, bhs, ISCSI_HDR_LEN);
	pdu->stat_fields = true;
	pdu->advance_statsn = true;
	pr_info_ratelimited("conn %u: rejected PDU opcode 0x%02x, reason 0x%02x\n",
			    conn->id, bhs->opcode & ISCSI_OPCODE_MASK, reason);
	kitt_conn_queue_ctl(conn, pdu);
	return 0;
}

/*
 * The data segment of a NOP-Out, Text or Logout request into conn->rx_buf;
 * a replayed one has it there already.
 */
static int kitt_session_ctl_data(struct kitt_conn *conn, struct kitt_rx_pdu *rx)
{
	if (rx->replay)
		return 0;
	return kitt_conn_recv_segment(conn, conn->rx_buf, rx->info.data_len);
}

/**
 * kitt_session_ctl_window() - place a control request in the command window
 * @conn: the connection
 * @rx: a NOP-Out, Text, Logout or Task Management request, its data
 *	segment (@len bytes, or none) read into conn->rx_buf
 * @cmdsn: its CmdSN
 * @len: bytes of its data segment to keep should it wait
 *
 * Such a request takes no slot: it is answered at once. One ahead of
 * ExpCmdSN waits, with its data, until the gap before it fills, then runs
 * and consumes its CmdSN in turn (RFC 7143 3.2.2.1), as a SCSI command
 * does; run at once it would overtake the commands before it and leave its
 * CmdSN a gap that holds every later command. KITT_CTL_PARKED_MAX wait at
 * most, with KITT_CTL_PARKED_DATA bytes of data each; a request past that
 * ends the connection, as a Reject would leave its CmdSN a hole.
 *
 * Return: KITT_CMDSN_EXEC when it runs now (a replayed one always does),
 * another verdict when it does not (dropped, kept or refused), or a
 * negative errno that ends the connection.
 */
int kitt_session_ctl_window(struct kitt_conn *conn, struct kitt_rx_pdu *rx, u32 cmdsn,
			    u32 len)
{
	struct kitt_ctl_parked *p;
	int v, ret;

	if (rx->replay)
		return KITT_CMDSN_EXEC;
	v = kitt_session_cmdsn(conn, cmdsn, rx->bhs.opcode & ISCSI_OP_IMMEDIATE);
	if (v != KITT_CMDSN_LATER)
		return v;
	if (len > KITT_CTL_PARKED_DATA)
		goto refuse;
	p = kmalloc(struct_size(p, data, len), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->cmd_sn = cmdsn;
	p->len = len;
	p->plug = false;
	p->rx = *rx;
	memcpy(p->data, conn->rx_buf, len);
	ret = kitt_session_park_ctl(conn->sess, p);
	if (!ret) {
		kitt_dbg(KITT_DBG_SESSION, "conn %u: opcode 0x%02x CmdSN %u waits for a gap\n",
			 conn->id, rx->bhs.opcode & ISCSI_OPCODE_MASK, cmdsn);
		return KITT_CMDSN_LATER;
	}
	kfree(p);
	if (ret == -EEXIST)
		return KITT_CMDSN_DROP;
refuse:
	/*
	 * Refused, its CmdSN would stay a hole that every later command
	 * waits behind: end the connection instead (the initiator's
	 * recovery at ErrorRecoveryLevel 0).
	 */
	pr_warn_ratelimited("conn %u: too many requests, or too much data, behind a CmdSN gap at CmdSN %u: closing\n",
			    conn->id, cmdsn);
	return -EPROTO;
}

static int kitt_session_nop_out(struct kitt_conn *conn, struct kitt_rx_pdu *rx)
{
	struct iscsi_nopout *req = (struct iscsi_nopout *)&rx->bhs;
	u32 len = rx->info.data_len;
	struct kitt_ctl_pdu *pdu;
	struct iscsi_nopin *rsp;
	int ret;

	ret = kitt_session_ctl_data(conn, rx);
	if (ret)
		return ret;
	kitt_session_ack_statsn(conn, req->exp_statsn);

	if (req->itt == RESERVED_ITT) {
		/* An answer to our ping; it needs no answer itself. */
		if (be32_to_cpu(req->ttt) == conn->nopin_ttt)
			conn->nopin_ttt = 0xffffffff;
		return 0;
	}
	ret = kitt_session_ctl_window(conn, rx, be32_to_cpu(req->cmdsn), rx->info.data_len);
	if (ret != KITT_CMDSN_EXEC)
		return ret < 0 ? ret : 0;
	/* The echo must fit the initiator's own MaxRecvDataSegmentLength. */
	if (len > conn->max_xmit_dsl)
		return kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_PROTOCOL_ERROR);

	pdu = kitt_ctl_rsp_alloc(ISCSI_OP_NOOP_IN, req->itt, len);
	if (!pdu)
		return -ENOMEM;
	rsp = (struct iscsi_nopin *)&pdu->bhs;
	rsp->lun = req->lun;
	rsp->ttt = cpu_to_be32(ISCSI_RESERVED_TAG);
	memcpy(pdu->data, conn->rx_buf, len);
	kitt_conn_queue_ctl(conn, pdu);
	return 0;
}

/**
 * kitt_session_nopin_check() - send keepalive pings, end dead connections
 * @conn: the connection (transmit thread)
 *
 * Return: jiffies until the next check is due.
 */
long kitt_session_nopin_check(struct kitt_conn *conn)
{
	struct kitt_tpg *tpg = conn->sess->tpg;
	unsigned long interval, timeout, now = jiffies;
	struct kitt_ctl_pdu *pdu;
	struct iscsi_nopin *nop;

	if (!tpg || !READ_ONCE(tpg->attrib.nopin_interval))
		return MAX_SCHEDULE_TIMEOUT;
	interval = READ_ONCE(tpg->attrib.nopin_interval) * HZ;
	timeout = max_t(unsigned long, READ_ONCE(tpg->attrib.nopin_timeout) * HZ, HZ);

	if (conn->nopin_ttt != 0xffffffff) {
		if (time_after_eq(now, conn->nopin_sent + timeout)) {
			pr_warn_ratelimited("conn %u: initiator %s did not answer a NOP-In within %lus, closing\n",
					    conn->id, conn->sess->initiator, timeout / HZ);
			kitt_conn_shutdown(conn);
			return MAX_SCHEDULE_TIMEOUT;
		}
		return conn->nopin_sent + timeout - now;
	}
	if (time_before(now, READ_ONCE(conn->last_rx) + interval))
		return READ_ONCE(conn->last_rx) + interval - now;

	pdu = kitt_ctl_pdu_alloc(0, GFP_KERNEL);
	if (!pdu)
		return HZ;
	nop = (struct iscsi_nopin *)&pdu->bhs;
	nop->opcode = ISCSI_OP_NOOP_IN;
	nop->flags = ISCSI_FLAG_CMD_FINAL;
	nop->itt = RESERVED_ITT;
	conn->nopin_ttt = atomic_inc_return(&conn->sess->next_ttt) & 0x7fffffff;
	nop->ttt = cpu_to_be32(conn->nopin_ttt);
	conn->nopin_sent = now;
	pdu->stat_fields = true;
	kitt_conn_queue_ctl(conn, pdu);
	return timeout;
}

struct kitt_sess_others {
	struct kitt_session *sess;
	struct kitt_conn *self;
	u16 cid;
	bool by_cid;
};

static bool kitt_conn_match_others(struct kitt_conn *conn, void *arg)
{
	struct kitt_sess_others *o = arg;

	return conn->sess == o->sess && conn != o->self &&
	       (!o->by_cid || conn->cid == o->cid);
}

static int kitt_session_logout(struct kitt_conn *conn, struct kitt_rx_pdu *rx)
{
	struct iscsi_logout *req = (struct iscsi_logout *)&rx->bhs;
	u8 reason = rx->bhs.flags & ISCSI_FLAG_LOGOUT_REASON_MASK;
	struct kitt_session *sess = conn->sess;
	struct kitt_ctl_pdu *pdu;
	struct iscsi_logout_rsp *rsp;
	bool close_self = false;
	u8 response = ISCSI_LOGOUT_SUCCESS;
	int ret;

	ret = kitt_session_ctl_data(conn, rx);
	if (ret)
		return ret;
	kitt_session_ack_statsn(conn, req->exp_statsn);
	ret = kitt_session_ctl_window(conn, rx, be32_to_cpu(req->cmdsn), rx->info.data_len);
	if (ret != KITT_CMDSN_EXEC)
		return ret < 0 ? ret : 0;

	switch (reason) {
	case ISCSI_LOGOUT_REASON_CLOSE_SESSION:
		spin_lock_irq(&sess->lock);
		sess->closing = true;
		spin_unlock_irq(&sess->lock);
		close_self = true;
		break;
	case ISCSI_LOGOUT_REASON_CLOSE_CONNECTION:
		if (be16_to_cpu(req->cid) == conn->cid) {
			close_self = true;
		} else {
			struct kitt_conn *other;
			bool found = false;

			spin_lock_irq(&sess->lock);
			list_for_each_entry(other, &sess->conns, sess_node)
				if (other->cid == be16_to_cpu(req->cid))
					found = true;
			spin_unlock_irq(&sess->lock);
			if (found) {
				struct kitt_sess_others o = {
					.sess = sess, .self = conn,
					.cid = be16_to_cpu(req->cid), .by_cid = true,
				};

				kitt_conn_close_matching(kitt_conn_match_others, &o);
			} else {
				response = ISCSI_LOGOUT_CID_NOT_FOUND;
			}
		}
		break;
	case ISCSI_LOGOUT_REASON_RECOVERY:
		response = ISCSI_LOGOUT_RECOVERY_UNSUPPORTED;
		break;
	default:
		return kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_PROTOCOL_ERROR);
	}

	pdu = kitt_ctl_rsp_alloc(ISCSI_OP_LOGOUT_RSP, req->itt, 0);
	if (!pdu)
		return -ENOMEM;
	rsp = (struct iscsi_logout_rsp *)&pdu->bhs;
	rsp->response = response;
	rsp->t2wait = cpu_to_be16(sess->params.default_time2wait);
	rsp->t2retain = cpu_to_be16(0);
	pdu->close_after = close_self;
	kitt_dbg(KITT_DBG_SESSION, "session %u: logout reason %u from %s\n",
		 sess->id, reason, sess->initiator);
	kitt_conn_queue_ctl(conn, pdu);
	if (reason == ISCSI_LOGOUT_REASON_CLOSE_SESSION && sess->nr_conns > 1) {
		/* Other connections of the session go too. */
		struct kitt_sess_others others = { .sess = sess, .self = conn };

		kitt_conn_close_matching(kitt_conn_match_others, &others);
	}
	return 0;
}

static int kitt_session_snack(struct kitt_conn *conn, struct kitt_rx_pdu *rx)
{
	int ret = kitt_conn_skip_data(conn, rx->info.data_len);

	if (ret)
		return ret;
	/* ErrorRecoveryLevel 0: SNACK is not supported. */
	return kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_DATA_SNACK_REJECT);
}

/*
 * A Text Request in full feature phase (discovery.c answers its keys).
 * Requests that span PDUs are refused (no key kitt serves needs them);
 * the answer is built in place, in at most KITT_TEXT_RSP_MAX bytes or the
 * initiator's MaxRecvDataSegmentLength. Returns 0, or a negative errno
 * that ends the connection.
 */
static int kitt_session_text(struct kitt_conn *conn, struct kitt_rx_pdu *rx)
{
	struct kitt_session *sess = conn->sess;
	const struct kitt_text_asker who = {
		.discovery = sess->discovery,
		.initiator = sess->initiator,
		.target = sess->target,
		.local = &conn->local,
	};
	struct iscsi_text *req = (struct iscsi_text *)&rx->bhs;
	u32 len = rx->info.data_len;
	struct kitt_ctl_pdu *pdu;
	struct iscsi_text_rsp *rsp;
	struct kitt_text_buf tb;
	u32 room;
	int ret;

	ret = kitt_session_ctl_data(conn, rx);
	if (ret)
		return ret;
	conn->exp_stat_sn = be32_to_cpu(req->exp_statsn);
	ret = kitt_session_ctl_window(conn, rx, be32_to_cpu(req->cmdsn), rx->info.data_len);
	if (ret != KITT_CMDSN_EXEC)
		return ret < 0 ? ret : 0;
	if (!(rx->bhs.flags & ISCSI_FLAG_CMD_FINAL) ||
	    (req->ttt != cpu_to_be32(ISCSI_RESERVED_TAG) && len)) {
		/* Multi-PDU text requests are not needed by any key we serve. */
		return kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_CMD_NOT_SUPPORTED);
	}

	room = min_t(u32, conn->max_xmit_dsl, KITT_TEXT_RSP_MAX);
	pdu = kitt_ctl_rsp_alloc(ISCSI_OP_TEXT_RSP, req->itt, room);
	if (!pdu)
		return -ENOMEM;
	kitt_text_buf_init(&tb, (char *)pdu->data, room);
	ret = kitt_discovery_text_keys(&who, conn->rx_buf, len, &tb);
	if (ret) {
		kitt_ctl_pdu_free(pdu);
		return kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_PROTOCOL_ERROR);
	}
	pdu->data_len = tb.len;
	hton24(pdu->bhs.dlength, tb.len);
	rsp = (struct iscsi_text_rsp *)&pdu->bhs;
	rsp->ttt = cpu_to_be32(ISCSI_RESERVED_TAG);
	kitt_conn_queue_ctl(conn, pdu);
	return 0;
}

static int kitt_session_dispatch(struct kitt_conn *conn, struct kitt_rx_pdu *rx)
{
	u8 opcode = rx->bhs.opcode & ISCSI_OPCODE_MASK;

	/* Task management and logout may wait: nothing gathered waits with them. */
	if (opcode != ISCSI_OP_SCSI_CMD && opcode != ISCSI_OP_SCSI_DATA_OUT)
		kitt_conn_kick(conn);
	switch (opcode) {
	case ISCSI_OP_SCSI_CMD:
		return kitt_task_scsi_cmd(conn, rx);
	case ISCSI_OP_SCSI_DATA_OUT:
		return kitt_task_data_out(conn, rx);
	case ISCSI_OP_NOOP_OUT:
		return kitt_session_nop_out(conn, rx);
	case ISCSI_OP_SCSI_TMFUNC:
		return kitt_task_tmf(conn, rx);
	case ISCSI_OP_TEXT:
		return kitt_session_text(conn, rx);
	case ISCSI_OP_LOGOUT:
		return kitt_session_logout(conn, rx);
	case ISCSI_OP_SNACK:
		return kitt_session_snack(conn, rx);
	default:
		/* kitt_pdu_check() let through only the opcodes above. */
		return -EPROTO;
	}
}

/*
 * Run what waited behind a CmdSN gap and whose turn has come, in CmdSN
 * order: SCSI commands, and control requests replayed from their copy.
 */
static int kitt_session_run_pending(struct kitt_conn *conn)
{
	struct kitt_session *sess = conn->sess;
	struct kitt_ctl_parked *p;
	int ret;

	for (;;) {
		kitt_task_run_pending(sess);
		p = kitt_session_next_ctl(sess);
		if (!p)
			return 0;
		if (p->plug) {
			kfree(p);
			continue;
		}
		/* It came through this connection's rx_buf: its data fits. */
		memcpy(conn->rx_buf, p->data, p->len);
		p->rx.replay = true;
		ret = kitt_session_dispatch(conn, &p->rx);
		kfree(p);
		if (ret)
			return ret;
	}
}

/**
 * kitt_session_rx_loop() - receive and dispatch PDUs in full feature phase
 * @conn: the connection
 *
 * Return: why the loop ended (a negative errno).
 */
int kitt_session_rx_loop(struct kitt_conn *conn)
{
	struct kitt_rx_pdu *rx;
	int ret;

	rx = kmalloc(sizeof(*rx), GFP_KERNEL);
	if (!rx)
		return -ENOMEM;
	for (;;) {
		/*
		 * A discovery session gets no NOP-In pings (it has no portal
		 * group to set them): one that sends no whole request for
		 * discovery_idle_timeout is closed instead, however it
		 * trickles bytes.
		 */
		if (conn->sess->discovery)
			conn->rx_deadline = jiffies +
				(unsigned long)READ_ONCE(kitt_discovery_idle_timeout) * HZ;
		ret = kitt_conn_recv_header(conn, rx, false);
		if (ret && ret != -EAGAIN)
			break;
		/*
		 * -EAGAIN: the PDU was rejected and skipped. Its Reject is
		 * queued like any answer, and counts against the same bound.
		 */
		if (!ret) {
			ret = kitt_session_dispatch(conn, rx);
			if (ret)
				break;
			/* A NOP, Text or TMF may have filled a CmdSN gap. */
			if (!list_empty_careful(&conn->sess->pending) ||
			    !list_empty_careful(&conn->sess->pending_ctl))
				ret = kitt_session_run_pending(conn);
			if (ret)
				break;
		}
		kitt_conn_flush(conn);
		ret = kitt_conn_wait_room(conn);
		if (ret)
			break;
	}
	kfree(rx);
	return ret;
}

/**
 * kitt_session_conn_stop() - a connection is closing: end its tasks
 * @conn: the connection
 *
 * Tasks waiting for data or for a CmdSN gap are released; tasks with bios
 * in flight finish on their own and are dropped by the transmit thread.
 */
void kitt_session_conn_stop(struct kitt_conn *conn)
{
	kitt_task_abort_conn(conn);
	kitt_session_drop_ctl(conn->sess);
}

/**
 * kitt_session_conn_gone() - detach a closed connection from its session
 * @conn: the connection
 *
 * The last connection of a session takes the session with it
 * (ErrorRecoveryLevel 0: nothing is kept for reinstatement).
 */
void kitt_session_conn_gone(struct kitt_conn *conn)
{
	struct kitt_session *sess = conn->sess;
	bool last;

	kitt_sysfs_conn_del(conn);
	mutex_lock(&kitt_sessions_lock);
	spin_lock_irq(&sess->lock);
	if (!list_empty(&conn->sess_node)) {
		list_del_init(&conn->sess_node);
		sess->nr_conns--;
	}
	last = !sess->nr_conns;
	if (last)
		sess->closing = true;
	spin_unlock_irq(&sess->lock);
	if (last && !list_empty(&sess->node)) {
		list_del_init(&sess->node);
		kitt_sysfs_session_del(sess);
	}
	mutex_unlock(&kitt_sessions_lock);
	if (last) {
		/* The I_T nexus is gone: so are its RESERVE reservations. */
		kitt_task_session_end(sess);
		kitt_dbg(KITT_DBG_SESSION, "session %u of %s closed\n", sess->id, sess->initiator);
	}
	conn->sess = NULL;
	/* Each connection holds a session reference. */
	kitt_session_put(sess);
}

/**
 * kitt_io_wake() - wake task management waiting for bios to finish
 *
 * Called for every completed command; the queue is almost always empty,
 * and wq_has_sleeper() spares the I/O path its lock.
 */
void kitt_io_wake(void)
{
	if (wq_has_sleeper(&kitt_io_wait))
		wake_up_all(&kitt_io_wait);
}

/**
 * kitt_io_wait_task() - wait until a task has no bios in flight
 * @task: the task (the caller holds a reference)
 */
void kitt_io_wait_task(struct kitt_task *task)
{
	wait_event(kitt_io_wait, atomic_read(&task->io_pending) == 0);
}
