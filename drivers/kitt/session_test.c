// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the command window (session.c): a SCSI command holds a
 * slot from the moment ExpCmdSN passes it until its response goes out, so
 * the window closes while commands run and a peer can never have more
 * than cmdsn_depth commands in the target; immediate commands have a
 * bound of their own; each CmdSN waits behind a gap at most once; and
 * MaxCmdSN never moves back. And the ITT table: an ITT in use is refused,
 * chains stay in ITT order whatever the insertion order, and a walk that
 * lets the lock go between steps returns every task that stayed exactly
 * once.
 */

#include <kunit/test.h>
#include <linux/hash.h>
#include <linux/random.h>
#include <linux/slab.h>

#include "kitt.h"

struct kitt_st {
	struct kitt_conn conn;
	struct kitt_session sess;
};

static struct kitt_st *kitt_st_new(struct kunit *test, u32 depth, u32 exp)
{
	struct kitt_st *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, st);
	spin_lock_init(&st->sess.lock);
	spin_lock_init(&st->sess.tasks_lock);
	INIT_LIST_HEAD(&st->sess.pending);
	INIT_LIST_HEAD(&st->sess.pending_ctl);
	st->sess.cmdsn_depth = depth;
	st->sess.exp_cmd_sn = exp;
	st->conn.sess = &st->sess;
	return st;
}

static struct kitt_task *kitt_st_task(struct kunit *test, struct kitt_st *st, u32 cmdsn)
{
	struct kitt_task *task = kunit_kzalloc(test, sizeof(*task), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, task);
	task->sess = &st->sess;
	task->cmd_sn = cmdsn;
	INIT_LIST_HEAD(&task->node);
	return task;
}

static u32 kitt_st_max(struct kitt_st *st)
{
	u32 exp, max;

	kitt_session_window(&st->sess, &exp, &max);
	return max;
}

/* In-order commands fill the window; answering one opens a slot. */
static void session_window_closes(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test, 4, 10);
	struct kitt_task *t[5];
	unsigned int i;

	KUNIT_EXPECT_EQ(test, kitt_st_max(st), 13U);
	for (i = 0; i < 4; i++) {
		t[i] = kitt_st_task(test, st, 10 + i);
		KUNIT_EXPECT_EQ(test, kitt_session_cmd_slot(&st->conn, 10 + i, false, t[i]),
				KITT_CMDSN_EXEC);
		KUNIT_EXPECT_TRUE(test, t[i]->holds_slot);
		/* MaxCmdSN stays where it was while the commands run. */
		KUNIT_EXPECT_EQ(test, kitt_st_max(st), 13U);
	}
	KUNIT_EXPECT_EQ(test, st->sess.exp_cmd_sn, 14U);
	KUNIT_EXPECT_EQ(test, st->sess.cmds_active, 4U);

	/* Closed: MaxCmdSN = ExpCmdSN - 1, and the next command is dropped. */
	t[4] = kitt_st_task(test, st, 14);
	KUNIT_EXPECT_EQ(test, kitt_session_cmd_slot(&st->conn, 14, false, t[4]),
			KITT_CMDSN_DROP);
	KUNIT_EXPECT_FALSE(test, t[4]->holds_slot);
	KUNIT_EXPECT_EQ(test, st->sess.exp_cmd_sn, 14U);

	kitt_session_cmd_retire(t[1]);
	KUNIT_EXPECT_FALSE(test, t[1]->holds_slot);
	KUNIT_EXPECT_EQ(test, kitt_st_max(st), 14U);
	/* Retiring twice gives back nothing more. */
	kitt_session_cmd_retire(t[1]);
	KUNIT_EXPECT_EQ(test, kitt_st_max(st), 14U);
	KUNIT_EXPECT_EQ(test, kitt_session_cmd_slot(&st->conn, 14, false, t[4]),
			KITT_CMDSN_EXEC);
	KUNIT_EXPECT_EQ(test, kitt_st_max(st), 14U);

	for (i = 0; i < 5; i++)
		kitt_session_cmd_retire(t[i]);
	KUNIT_EXPECT_EQ(test, st->sess.cmds_active, 0U);
	KUNIT_EXPECT_EQ(test, kitt_st_max(st), 18U);
}

/* NOP-Out, Text, TMF and Logout consume a CmdSN but hold no slot. */
static void session_window_control_pdus(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test, 2, 0xfffffffe);

	KUNIT_EXPECT_EQ(test, kitt_session_cmdsn(&st->conn, 0xfffffffe, false), KITT_CMDSN_EXEC);
	KUNIT_EXPECT_EQ(test, kitt_session_cmdsn(&st->conn, 0xffffffff, false), KITT_CMDSN_EXEC);
	KUNIT_EXPECT_EQ(test, kitt_session_cmdsn(&st->conn, 0, false), KITT_CMDSN_EXEC);
	KUNIT_EXPECT_EQ(test, st->sess.exp_cmd_sn, 1U);
	KUNIT_EXPECT_EQ(test, st->sess.cmds_active, 0U);
	KUNIT_EXPECT_EQ(test, kitt_st_max(st), 2U);
	/* Behind ExpCmdSN or past MaxCmdSN: dropped. */
	KUNIT_EXPECT_EQ(test, kitt_session_cmdsn(&st->conn, 0, false), KITT_CMDSN_DROP);
	KUNIT_EXPECT_EQ(test, kitt_session_cmdsn(&st->conn, 3, false), KITT_CMDSN_DROP);
	KUNIT_EXPECT_EQ(test, kitt_session_cmdsn(&st->conn, 2, false), KITT_CMDSN_LATER);
	/* Immediate: always in, whatever the CmdSN. */
	KUNIT_EXPECT_EQ(test, kitt_session_cmdsn(&st->conn, 12345, true), KITT_CMDSN_EXEC);
	KUNIT_EXPECT_EQ(test, st->sess.exp_cmd_sn, 1U);
}

/* At most KITT_MAX_IMMEDIATE_CMDS immediate SCSI commands at once. */
static void session_immediate_bound(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test, 8, 1);
	struct kitt_task *t[KITT_MAX_IMMEDIATE_CMDS + 1];
	unsigned int i;

	for (i = 0; i <= KITT_MAX_IMMEDIATE_CMDS; i++)
		t[i] = kitt_st_task(test, st, 1);
	for (i = 0; i < KITT_MAX_IMMEDIATE_CMDS; i++)
		KUNIT_EXPECT_EQ(test, kitt_session_cmd_slot(&st->conn, 1, true, t[i]),
				KITT_CMDSN_EXEC);
	KUNIT_EXPECT_EQ(test, kitt_session_cmd_slot(&st->conn, 1, true, t[i]),
			KITT_CMDSN_BUSY);
	KUNIT_EXPECT_FALSE(test, t[i]->holds_imm);
	/* They take no window slot and leave ExpCmdSN alone. */
	KUNIT_EXPECT_EQ(test, st->sess.exp_cmd_sn, 1U);
	KUNIT_EXPECT_EQ(test, kitt_st_max(st), 8U);
	/* Control PDUs with the I bit are not counted. */
	KUNIT_EXPECT_EQ(test, kitt_session_cmdsn(&st->conn, 1, true), KITT_CMDSN_EXEC);

	kitt_session_cmd_retire(t[3]);
	KUNIT_EXPECT_EQ(test, kitt_session_cmd_slot(&st->conn, 1, true, t[i]),
			KITT_CMDSN_EXEC);
	for (i = 0; i <= KITT_MAX_IMMEDIATE_CMDS; i++)
		kitt_session_cmd_retire(t[i]);
	KUNIT_EXPECT_EQ(test, st->sess.imm_active, 0U);
}

/* A CmdSN waits behind a gap once; when the gap fills it takes a slot. */
static void session_park_once(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test, 4, 5);
	struct kitt_task *a = kitt_st_task(test, st, 7);
	struct kitt_task *dup = kitt_st_task(test, st, 7);
	struct kitt_task *gap = kitt_st_task(test, st, 5);
	struct kitt_task *b = kitt_st_task(test, st, 6);

	KUNIT_EXPECT_EQ(test, kitt_session_cmd_slot(&st->conn, 7, false, a), KITT_CMDSN_LATER);
	KUNIT_EXPECT_TRUE(test, kitt_session_park(&st->sess, a));
	KUNIT_EXPECT_EQ(test, kitt_session_cmd_slot(&st->conn, 7, false, dup), KITT_CMDSN_LATER);
	KUNIT_EXPECT_FALSE(test, kitt_session_park(&st->sess, dup));
	KUNIT_EXPECT_TRUE(test, list_empty(&dup->node));
	KUNIT_EXPECT_FALSE(test, a->holds_slot);
	KUNIT_EXPECT_PTR_EQ(test, kitt_session_next_pending(&st->sess), NULL);

	KUNIT_EXPECT_EQ(test, kitt_session_cmd_slot(&st->conn, 5, false, gap), KITT_CMDSN_EXEC);
	KUNIT_EXPECT_PTR_EQ(test, kitt_session_next_pending(&st->sess), NULL);
	KUNIT_EXPECT_EQ(test, kitt_session_cmd_slot(&st->conn, 6, false, b), KITT_CMDSN_EXEC);
	KUNIT_EXPECT_PTR_EQ(test, kitt_session_next_pending(&st->sess), a);
	KUNIT_EXPECT_TRUE(test, a->holds_slot);
	KUNIT_EXPECT_EQ(test, st->sess.exp_cmd_sn, 8U);
	KUNIT_EXPECT_EQ(test, st->sess.cmds_active, 3U);
	KUNIT_EXPECT_EQ(test, kitt_st_max(st), 8U);
	kitt_session_cmd_retire(a);
	kitt_session_cmd_retire(b);
	kitt_session_cmd_retire(gap);
	KUNIT_EXPECT_EQ(test, kitt_st_max(st), 11U);
}

static struct kitt_ctl_parked *kitt_st_ctl(struct kunit *test, u32 cmdsn)
{
	struct kitt_ctl_parked *p = kunit_kzalloc(test, sizeof(*p), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	p->cmd_sn = cmdsn;
	INIT_LIST_HEAD(&p->node);
	return p;
}

/*
 * A control request ahead of a gap waits, and runs in CmdSN order between
 * the commands around it, consuming its CmdSN; each CmdSN waits once,
 * whether a command or a request has it; KITT_CTL_PARKED_MAX wait at most.
 */
static void session_park_ctl(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test, 64, 10);
	struct kitt_task *gap = kitt_st_task(test, st, 10);
	struct kitt_task *after = kitt_st_task(test, st, 12);
	struct kitt_task *dup_task = kitt_st_task(test, st, 11);
	struct kitt_ctl_parked *nop = kitt_st_ctl(test, 11);
	struct kitt_ctl_parked *p;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, kitt_session_cmdsn(&st->conn, 11, false), KITT_CMDSN_LATER);
	KUNIT_EXPECT_EQ(test, kitt_session_park_ctl(&st->sess, nop), 0);
	/* The same CmdSN again, as a request or as a command: a duplicate. */
	KUNIT_EXPECT_EQ(test, kitt_session_park_ctl(&st->sess, kitt_st_ctl(test, 11)), -EEXIST);
	KUNIT_EXPECT_FALSE(test, kitt_session_park(&st->sess, dup_task));
	KUNIT_EXPECT_TRUE(test, kitt_session_park(&st->sess, after));
	/* Not before its turn: ExpCmdSN is still 10. */
	KUNIT_EXPECT_PTR_EQ(test, kitt_session_next_ctl(&st->sess), NULL);
	KUNIT_EXPECT_PTR_EQ(test, kitt_session_next_pending(&st->sess), NULL);
	KUNIT_EXPECT_EQ(test, st->sess.exp_cmd_sn, 10U);

	KUNIT_EXPECT_EQ(test, kitt_session_cmd_slot(&st->conn, 10, false, gap), KITT_CMDSN_EXEC);
	/* 11 is the request's: the command at 12 still waits. */
	KUNIT_EXPECT_PTR_EQ(test, kitt_session_next_pending(&st->sess), NULL);
	KUNIT_EXPECT_PTR_EQ(test, kitt_session_next_ctl(&st->sess), nop);
	KUNIT_EXPECT_EQ(test, st->sess.exp_cmd_sn, 12U);
	KUNIT_EXPECT_EQ(test, st->sess.ctl_parked, 0U);
	KUNIT_EXPECT_PTR_EQ(test, kitt_session_next_ctl(&st->sess), NULL);
	KUNIT_EXPECT_PTR_EQ(test, kitt_session_next_pending(&st->sess), after);
	KUNIT_EXPECT_EQ(test, st->sess.exp_cmd_sn, 13U);
	/* It took no slot: only the two commands hold one. */
	KUNIT_EXPECT_EQ(test, st->sess.cmds_active, 2U);

	/* A bound on how many wait. */
	for (i = 0; i < KITT_CTL_PARKED_MAX; i++) {
		p = kitt_st_ctl(test, 20 + i);
		KUNIT_EXPECT_EQ(test, kitt_session_park_ctl(&st->sess, p), 0);
	}
	p = kitt_st_ctl(test, 20 + i);
	KUNIT_EXPECT_EQ(test, kitt_session_park_ctl(&st->sess, p), -ENOSPC);
	KUNIT_EXPECT_TRUE(test, list_empty(&p->node));
	KUNIT_EXPECT_EQ(test, st->sess.ctl_parked, (unsigned int)KITT_CTL_PARKED_MAX);
	/* Taken out in turn as the gap fills, each consuming its CmdSN. */
	st->sess.exp_cmd_sn = 20;
	for (i = 0; i < KITT_CTL_PARKED_MAX; i++) {
		p = kitt_session_next_ctl(&st->sess);
		KUNIT_ASSERT_NOT_NULL(test, p);
		KUNIT_EXPECT_EQ(test, p->cmd_sn, 20 + i);
	}
	KUNIT_EXPECT_EQ(test, st->sess.ctl_parked, 0U);
	KUNIT_EXPECT_EQ(test, st->sess.exp_cmd_sn, 20U + KITT_CTL_PARKED_MAX);
	kitt_session_cmd_retire(gap);
	kitt_session_cmd_retire(after);
}

/*
 * Whatever a peer sends, in order or not, and whenever commands finish:
 * MaxCmdSN never moves back, and never more than cmdsn_depth commands
 * hold a slot.
 */
static void session_window_random(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test, 8, 0xfffffff0);
	struct kitt_task *held[64];
	unsigned int nheld = 0, i;
	u32 max = kitt_st_max(st), seed = 1;

	for (i = 0; i < 5000; i++) {
		u32 r, cmdsn, now;

		seed = seed * 1103515245 + 12345;
		r = seed >> 8;
		if (r % 3 == 0 && nheld) {
			unsigned int k = (r >> 4) % nheld;

			kitt_session_cmd_retire(held[k]);
			held[k] = held[--nheld];
		} else {
			struct kitt_task *t;

			cmdsn = st->sess.exp_cmd_sn + (r >> 4) % 12 - 2;
			t = kitt_st_task(test, st, cmdsn);
			if (kitt_session_cmd_slot(&st->conn, cmdsn, !(r & 0xf0), t) ==
			    KITT_CMDSN_EXEC && (t->holds_slot || t->holds_imm)) {
				KUNIT_ASSERT_LT(test, nheld, (unsigned int)ARRAY_SIZE(held));
				held[nheld++] = t;
			}
		}
		now = kitt_st_max(st);
		KUNIT_ASSERT_TRUE_MSG(test, iscsi_sna_lte(max, now), "MaxCmdSN %u after %u",
				      now, max);
		max = now;
		KUNIT_ASSERT_LE(test, st->sess.cmds_active, 8U);
		KUNIT_ASSERT_LE(test, st->sess.imm_active, (u32)KITT_MAX_IMMEDIATE_CMDS);
		KUNIT_ASSERT_TRUE(test, iscsi_sna_lte(st->sess.exp_cmd_sn - 1, now));
	}
	while (nheld)
		kitt_session_cmd_retire(held[--nheld]);
	KUNIT_EXPECT_EQ(test, st->sess.cmds_active, 0U);
	KUNIT_EXPECT_EQ(test, st->sess.imm_active, 0U);
}

/*
 * A task of the ITT table's tests, with ITT @itt and one reference. The
 * test sessions are zeroed, so their hash salt is 0: hash_32() of an ITT
 * names its chain.
 */
static struct kitt_task *kitt_st_itt_task(struct kunit *test, struct kitt_st *st, u32 itt)
{
	struct kitt_task *task = kitt_st_task(test, st, 0);

	task->itt = (__force itt_t)cpu_to_be32(itt);
	refcount_set(&task->refs, 1);
	return task;
}

static struct kitt_task *kitt_st_find(struct kitt_st *st, u32 itt)
{
	struct kitt_task *task;

	spin_lock(&st->sess.tasks_lock);
	task = kitt_session_task_find(&st->sess, (__force itt_t)cpu_to_be32(itt));
	spin_unlock(&st->sess.tasks_lock);
	return task;
}

/* Found while in the table, refused while there, gone once deleted. */
static void session_itt_add_find(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test, 8, 1);
	struct kitt_task *a = kitt_st_itt_task(test, st, 7);
	struct kitt_task *b = kitt_st_itt_task(test, st, 0x10000007);
	struct kitt_task *dup = kitt_st_itt_task(test, st, 7);

	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, 7), NULL);
	KUNIT_EXPECT_EQ(test, kitt_session_task_add(&st->sess, a), 0);
	KUNIT_EXPECT_EQ(test, kitt_session_task_add(&st->sess, b), 0);
	KUNIT_EXPECT_EQ(test, kitt_session_task_add(&st->sess, dup), -EBUSY);
	KUNIT_EXPECT_TRUE(test, hlist_unhashed(&dup->itt_node));
	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, 7), a);
	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, 0x10000007), b);
	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, 8), NULL);

	/* Deleting twice, or a task never entered, is harmless. */
	kitt_session_task_del(a);
	kitt_session_task_del(a);
	kitt_session_task_del(dup);
	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, 7), NULL);
	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, 0x10000007), b);
	/* The ITT is free again. */
	KUNIT_EXPECT_EQ(test, kitt_session_task_add(&st->sess, dup), 0);
	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, 7), dup);
	kitt_session_task_del(dup);
	kitt_session_task_del(b);
}

/* The same pseudo-random sequence on every run (session_window_random's). */
static u32 kitt_st_rand(u32 *state)
{
	*state = *state * 1664525 + 1013904223;
	return *state >> 8;
}

/*
 * ITTs that share a chain, entered in shuffled order: the chain is sorted,
 * each is found, and ITTs of that chain not in it (below, between, above
 * those that are, or deleted) are not.
 */
static void session_itt_one_chain(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test, 8, 1);
	u32 all[27], itts[24], bucket = hash_32(5, KITT_TASK_HASH_BITS), v, prev = 0;
	struct kitt_task *tasks[ARRAY_SIZE(itts)], *t;
	unsigned int n = 0, i, j, seen = 0;
	u32 rnd = 14;

	for (v = 5; n < ARRAY_SIZE(all); v++)
		if (hash_32(v, KITT_TASK_HASH_BITS) == bucket)
			all[n++] = v;
	/* Left out: the smallest, one in the middle, the largest. */
	for (i = 0, n = 0; i < ARRAY_SIZE(all); i++)
		if (i != 0 && i != 13 && i != ARRAY_SIZE(all) - 1)
			itts[n++] = all[i];
	for (i = n - 1; i > 0; i--) {
		j = kitt_st_rand(&rnd) % (i + 1);
		swap(itts[i], itts[j]);
	}
	for (i = 0; i < n; i++) {
		tasks[i] = kitt_st_itt_task(test, st, itts[i]);
		KUNIT_ASSERT_EQ(test, kitt_session_task_add(&st->sess, tasks[i]), 0);
	}
	hlist_for_each_entry(t, &st->sess.tasks[bucket], itt_node) {
		if (seen)
			KUNIT_EXPECT_GT(test, kitt_itt(t->itt), prev);
		prev = kitt_itt(t->itt);
		seen++;
	}
	KUNIT_EXPECT_EQ(test, seen, n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, itts[i]), tasks[i]);
	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, all[0]), NULL);
	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, all[13]), NULL);
	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, all[ARRAY_SIZE(all) - 1]), NULL);
	KUNIT_EXPECT_EQ(test, kitt_session_task_add(&st->sess,
						    kitt_st_itt_task(test, st, itts[3])), -EBUSY);
	kitt_session_task_del(tasks[5]);
	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, itts[5]), NULL);
	KUNIT_EXPECT_PTR_EQ(test, kitt_st_find(st, itts[6]), tasks[6]);
	for (i = 0; i < n; i++)
		kitt_session_task_del(tasks[i]);
	KUNIT_EXPECT_TRUE(test, hlist_empty(&st->sess.tasks[bucket]));
}

static bool kitt_st_match_all(struct kitt_task *task, const void *arg)
{
	return true;
}

/* The walk's view of the tasks of session_itt_walk. */
struct kitt_st_walk {
	struct kitt_task **tasks;	/* all made, originals first */
	unsigned int *taken;		/* times each was in a batch */
	bool *gone_early;		/* deleted before the walk took it */
	unsigned int n, originals;
};

static unsigned int kitt_st_index(struct kunit *test, struct kitt_st_walk *w,
				  struct kitt_task *t)
{
	unsigned int k;

	for (k = 0; k < w->n && w->tasks[k] != t; k++)
		;
	KUNIT_ASSERT_LT(test, k, w->n);
	return k;
}

/*
 * A walk in batches of three, the lock let go in between, while some of
 * what it took leaves the table and some stays, tasks it has not reached
 * are deleted, and newcomers take freed ITTs (behind the walk or ahead of
 * it): every original task that stayed is taken exactly once, those
 * deleted ahead of it never, newcomers at most once.
 */
static void session_itt_walk(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test, 8, 1);
	const unsigned int originals = 160, max = 400;
	struct kitt_itt_cursor cursor = {};
	struct kitt_task *batch[3], *t;
	struct kitt_st_walk w = {};
	unsigned int i, k, got, rounds = 0;
	u32 rnd = 7, freed[8], nfreed = 0;

	w.tasks = kunit_kcalloc(test, max, sizeof(*w.tasks), GFP_KERNEL);
	w.taken = kunit_kcalloc(test, max, sizeof(*w.taken), GFP_KERNEL);
	w.gone_early = kunit_kcalloc(test, max, sizeof(*w.gone_early), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w.tasks);
	KUNIT_ASSERT_NOT_NULL(test, w.taken);
	KUNIT_ASSERT_NOT_NULL(test, w.gone_early);
	/* open-iscsi's 0-127, and some that share chains with them. */
	for (i = 0; w.n < originals; i++)
		if (i < 128 || hash_32(i, KITT_TASK_HASH_BITS) < 8)
			w.tasks[w.n++] = kitt_st_itt_task(test, st, i);
	w.originals = w.n;
	for (i = 0; i < w.n; i++)
		KUNIT_ASSERT_EQ(test, kitt_session_task_add(&st->sess, w.tasks[i]), 0);

	do {
		got = kitt_session_task_batch(&st->sess, &cursor, kitt_st_match_all, NULL,
					      batch, ARRAY_SIZE(batch));
		KUNIT_ASSERT_LE(test, got, (unsigned int)ARRAY_SIZE(batch));
		for (i = 0; i < got; i++) {
			k = kitt_st_index(test, &w, batch[i]);
			w.taken[k]++;
			refcount_dec(&batch[i]->refs);
			/* Every other one leaves; its ITT goes to a newcomer later. */
			if (kitt_st_rand(&rnd) & 1) {
				kitt_session_task_del(batch[i]);
				if (nfreed < ARRAY_SIZE(freed))
					freed[nfreed++] = kitt_itt(batch[i]->itt);
			}
		}
		/* One not reached yet leaves, if still there. */
		k = kitt_st_rand(&rnd) % w.originals;
		if (!w.taken[k] && !hlist_unhashed(&w.tasks[k]->itt_node)) {
			kitt_session_task_del(w.tasks[k]);
			w.gone_early[k] = true;
		}
		/* A newcomer with a freed ITT, or a new one. */
		if (w.n < max && (rounds++ & 1)) {
			u32 itt = nfreed ? freed[--nfreed] : 1000000 + w.n;

			t = kitt_st_itt_task(test, st, itt);
			KUNIT_ASSERT_EQ(test, kitt_session_task_add(&st->sess, t), 0);
			w.tasks[w.n++] = t;
		}
	} while (got == ARRAY_SIZE(batch));

	for (i = 0; i < w.n; i++) {
		u32 itt = kitt_itt(w.tasks[i]->itt);

		if (i >= w.originals)
			KUNIT_EXPECT_LE_MSG(test, w.taken[i], 1U, "newcomer ITT %u", itt);
		else if (w.gone_early[i])
			KUNIT_EXPECT_EQ_MSG(test, w.taken[i], 0U, "ITT %u", itt);
		else
			KUNIT_EXPECT_EQ_MSG(test, w.taken[i], 1U, "ITT %u", itt);
		kitt_session_task_del(w.tasks[i]);
	}
	for (i = 0; i < KITT_TASK_HASH_SIZE; i++)
		KUNIT_EXPECT_TRUE(test, hlist_empty(&st->sess.tasks[i]));
}

static struct kunit_case kitt_session_cases[] = {
	KUNIT_CASE(session_window_closes),
	KUNIT_CASE(session_window_control_pdus),
	KUNIT_CASE(session_immediate_bound),
	KUNIT_CASE(session_park_once),
	KUNIT_CASE(session_park_ctl),
	KUNIT_CASE(session_window_random),
	KUNIT_CASE(session_itt_add_find),
	KUNIT_CASE(session_itt_one_chain),
	KUNIT_CASE(session_itt_walk),
	{}
};

static struct kunit_suite kitt_session_suite = {
	.name = "kitt_session",
	.test_cases = kitt_session_cases,
};

kunit_test_suite(kitt_session_suite);
