// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for task_data.c: the write data bookkeeping of a SCSI
 * command: immediate data rules, the unsolicited burst (FirstBurstLength,
 * InitialR2T, the F bit), R2Ts (MaxBurstLength, MaxOutstandingR2T,
 * R2TSN order, TTTs) and the acceptance of each Data-Out PDU (TTT,
 * BufferOffset, DataSN, length, F bit). A failed check leaves the
 * bookkeeping unchanged.
 */

#include <kunit/test.h>
#include <linux/string.h>

#include "kitt.h"

#define KB	1024U
#define UNSOL	0xffffffffU

struct kitt_tt {
	struct kitt_sess_params p;
	struct kitt_wdata w;
	u32 next_ttt;
};

static u32 kitt_tt_ttt(void *arg)
{
	struct kitt_tt *t = arg;

	return t->next_ttt++;
}

/* Defaults as RFC 7143 states them, ImmediateData=Yes, InitialR2T=No. */
static struct kitt_tt *kitt_tt_new(struct kunit *test)
{
	struct kitt_tt *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->p.immediate_data = true;
	t->p.initial_r2t = false;
	t->p.first_burst_length = 64 * KB;
	t->p.max_burst_length = 256 * KB;
	t->p.max_outstanding_r2t = 1;
	t->p.max_recv_dsl = 8 * KB;
	t->next_ttt = 0x100;
	return t;
}

static unsigned int kitt_tt_open(const struct kitt_wdata *w)
{
	unsigned int i, n = 0;

	for (i = 0; i < KITT_MAX_R2T; i++)
		if (w->r2t[i].ttt != UNSOL)
			n++;
	return n;
}

/* Check and accept one PDU; KUNIT_EXPECT that it passes. */
static void kitt_tt_send(struct kunit *test, struct kitt_tt *t, u32 ttt, u32 offset,
			 u32 len, u32 datasn, bool final)
{
	const char *why;
	int slot;

	why = kitt_wdata_check(&t->w, ttt, offset, len, datasn, final, &slot);
	KUNIT_EXPECT_NULL_MSG(test, why, "ttt %x offset %u len %u datasn %u F %d: %s",
			      ttt, offset, len, datasn, final, why);
	if (!why)
		kitt_wdata_accept(&t->w, slot, offset, len, final);
}

/* The PDU must be refused with @reason, leaving the state as it was. */
static void kitt_tt_refuse(struct kunit *test, struct kitt_tt *t, u32 ttt, u32 offset,
			   u32 len, u32 datasn, bool final, const char *reason)
{
	struct kitt_wdata before = t->w;
	const char *why;
	int slot;

	why = kitt_wdata_check(&t->w, ttt, offset, len, datasn, final, &slot);
	KUNIT_ASSERT_NOT_NULL(test, why);
	KUNIT_EXPECT_STREQ(test, why, reason);
	KUNIT_EXPECT_EQ(test, memcmp(&before, &t->w, sizeof(before)), 0);
}

static void task_check_cmd(struct kunit *test)
{
	struct kitt_tt *t = kitt_tt_new(test);

	KUNIT_EXPECT_NULL(test, kitt_wdata_check_cmd(&t->p, 0, 0));
	KUNIT_EXPECT_NULL(test, kitt_wdata_check_cmd(&t->p, 4 * KB, 4 * KB));
	KUNIT_EXPECT_NULL(test, kitt_wdata_check_cmd(&t->p, 1024 * KB, 64 * KB));
	KUNIT_EXPECT_STREQ(test, kitt_wdata_check_cmd(&t->p, 1024 * KB, 64 * KB + 4),
			   "immediate data beyond FirstBurstLength");
	KUNIT_EXPECT_STREQ(test, kitt_wdata_check_cmd(&t->p, 4 * KB, 8 * KB),
			   "immediate data beyond the expected transfer length");
	t->p.immediate_data = false;
	KUNIT_EXPECT_NULL(test, kitt_wdata_check_cmd(&t->p, 4 * KB, 0));
	KUNIT_EXPECT_STREQ(test, kitt_wdata_check_cmd(&t->p, 4 * KB, 512),
			   "immediate data while ImmediateData=No");
}

/* All data came with the command: nothing to wait for, no R2T. */
static void task_all_immediate(struct kunit *test)
{
	struct kitt_tt *t = kitt_tt_new(test);

	kitt_wdata_init(&t->w, &t->p, 4 * KB, 4 * KB, 4 * KB, true);
	KUNIT_EXPECT_TRUE(test, t->w.unsol_done);
	KUNIT_EXPECT_EQ(test, t->w.received, 4 * KB);
	KUNIT_EXPECT_TRUE(test, kitt_wdata_complete(&t->w));
	KUNIT_EXPECT_EQ(test, kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t), 0U);
	kitt_tt_refuse(test, t, UNSOL, 4 * KB, 512, 0, true,
		       "unsolicited data after the burst ended");
}

/* InitialR2T=No, F clear: the burst is min(FirstBurstLength, EDTL). */
static void task_unsolicited_burst(struct kunit *test)
{
	struct kitt_tt *t = kitt_tt_new(test);
	u32 off;

	kitt_wdata_init(&t->w, &t->p, 256 * KB, 256 * KB, 8 * KB, false);
	KUNIT_EXPECT_EQ(test, t->w.unsol_end, 64 * KB);
	KUNIT_EXPECT_EQ(test, t->w.unsol_next, 8 * KB);
	KUNIT_EXPECT_FALSE(test, t->w.unsol_done);
	KUNIT_EXPECT_EQ(test, t->w.r2t_next, 64 * KB);
	KUNIT_EXPECT_FALSE(test, kitt_wdata_complete(&t->w));

	kitt_tt_refuse(test, t, UNSOL, 0, 8 * KB, 0, false, "unexpected BufferOffset");
	kitt_tt_refuse(test, t, UNSOL, 8 * KB, 8 * KB, 1, false, "unexpected DataSN");
	kitt_tt_refuse(test, t, UNSOL, 8 * KB, 64 * KB, 0, true,
		       "unsolicited data beyond FirstBurstLength");
	kitt_tt_refuse(test, t, UNSOL, 8 * KB, 8 * KB, 0, true,
		       "unsolicited burst ends short of FirstBurstLength");
	kitt_tt_refuse(test, t, UNSOL, 8 * KB, 56 * KB, 0, false,
		       "F bit clear on the last unsolicited PDU");

	for (off = 8 * KB; off < 64 * KB; off += 8 * KB)
		kitt_tt_send(test, t, UNSOL, off, 8 * KB, off / (8 * KB) - 1,
			     off + 8 * KB == 64 * KB);
	KUNIT_EXPECT_TRUE(test, t->w.unsol_done);
	KUNIT_EXPECT_EQ(test, t->w.received, 64 * KB);
	KUNIT_EXPECT_FALSE(test, kitt_wdata_complete(&t->w));

	/* A short EDTL ends the burst early. */
	kitt_wdata_init(&t->w, &t->p, 20 * KB, 20 * KB, 0, false);
	KUNIT_EXPECT_EQ(test, t->w.unsol_end, 20 * KB);
	kitt_tt_send(test, t, UNSOL, 0, 16 * KB, 0, false);
	kitt_tt_send(test, t, UNSOL, 16 * KB, 4 * KB, 1, true);
	KUNIT_EXPECT_TRUE(test, kitt_wdata_complete(&t->w));
}

/* InitialR2T=Yes or the F bit set: only immediate data comes unasked. */
static void task_no_unsolicited(struct kunit *test)
{
	struct kitt_tt *t = kitt_tt_new(test);

	t->p.initial_r2t = true;
	kitt_wdata_init(&t->w, &t->p, 128 * KB, 128 * KB, 8 * KB, false);
	KUNIT_EXPECT_EQ(test, t->w.unsol_end, 8 * KB);
	KUNIT_EXPECT_TRUE(test, t->w.unsol_done);
	KUNIT_EXPECT_EQ(test, t->w.r2t_next, 8 * KB);
	kitt_tt_refuse(test, t, UNSOL, 8 * KB, 8 * KB, 0, true,
		       "unsolicited data after the burst ended");

	t->p.initial_r2t = false;
	kitt_wdata_init(&t->w, &t->p, 128 * KB, 128 * KB, 0, true);
	KUNIT_EXPECT_EQ(test, t->w.unsol_end, 0U);
	KUNIT_EXPECT_TRUE(test, t->w.unsol_done);
	KUNIT_EXPECT_EQ(test, t->w.r2t_next, 0U);
	KUNIT_EXPECT_EQ(test, t->w.received, 0U);
}

/* R2Ts: MaxBurstLength each, MaxOutstandingR2T open, R2TSN from 0. */
static void task_r2t_issue(struct kunit *test)
{
	struct kitt_r2t_slot out[KITT_MAX_R2T];
	struct kitt_tt *t = kitt_tt_new(test);
	unsigned int i, n;

	t->p.initial_r2t = true;
	t->p.immediate_data = false;
	t->p.max_burst_length = 64 * KB;
	t->p.max_outstanding_r2t = 3;
	kitt_wdata_init(&t->w, &t->p, 200 * KB, 200 * KB, 0, true);
	n = kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t);
	KUNIT_EXPECT_EQ(test, n, 3U);
	KUNIT_EXPECT_EQ(test, kitt_tt_open(&t->w), 3U);
	/* Nothing more while three are open. */
	KUNIT_EXPECT_EQ(test, kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t), 0U);

	/* Not sent yet: Data-Out for them is not accepted. */
	kitt_tt_refuse(test, t, 0x100, 0, 8 * KB, 0, false, "unknown Target Transfer Tag");

	n = kitt_wdata_take_r2ts(&t->w, out);
	KUNIT_ASSERT_EQ(test, n, 3U);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, out[i].r2tsn, i);
		KUNIT_EXPECT_EQ(test, out[i].ttt, 0x100 + i);
		KUNIT_EXPECT_EQ(test, out[i].offset, i * 64 * KB);
		KUNIT_EXPECT_EQ(test, out[i].len, 64 * KB);
	}
	KUNIT_EXPECT_EQ(test, kitt_wdata_take_r2ts(&t->w, out), 0U);

	/* The second R2T completes first; the fourth takes its place. */
	kitt_tt_send(test, t, 0x101, 64 * KB, 64 * KB, 0, true);
	KUNIT_EXPECT_EQ(test, kitt_tt_open(&t->w), 2U);
	KUNIT_EXPECT_EQ(test, kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t), 1U);
	n = kitt_wdata_take_r2ts(&t->w, out);
	KUNIT_ASSERT_EQ(test, n, 1U);
	KUNIT_EXPECT_EQ(test, out[0].r2tsn, 3U);
	KUNIT_EXPECT_EQ(test, out[0].offset, 192 * KB);
	KUNIT_EXPECT_EQ(test, out[0].len, 8 * KB);
	KUNIT_EXPECT_EQ(test, t->w.r2t_next, 200 * KB);

	/* Everything solicited: no more R2Ts, complete when all come in. */
	kitt_tt_send(test, t, 0x100, 0, 64 * KB, 0, true);
	kitt_tt_send(test, t, 0x102, 128 * KB, 64 * KB, 0, true);
	KUNIT_EXPECT_FALSE(test, kitt_wdata_complete(&t->w));
	kitt_tt_send(test, t, 0x103, 192 * KB, 8 * KB, 0, true);
	KUNIT_EXPECT_TRUE(test, kitt_wdata_complete(&t->w));
	KUNIT_EXPECT_EQ(test, t->w.received, 200 * KB);
	KUNIT_EXPECT_EQ(test, kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t), 0U);
}

/* Each PDU of an R2T's sequence: offset, DataSN, length and F checked. */
static void task_r2t_sequence(struct kunit *test)
{
	struct kitt_r2t_slot out[KITT_MAX_R2T];
	struct kitt_tt *t = kitt_tt_new(test);

	t->p.initial_r2t = true;
	kitt_wdata_init(&t->w, &t->p, 32 * KB, 32 * KB, 8 * KB, true);
	KUNIT_EXPECT_EQ(test, kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t), 1U);
	KUNIT_ASSERT_EQ(test, kitt_wdata_take_r2ts(&t->w, out), 1U);
	KUNIT_EXPECT_EQ(test, out[0].offset, 8 * KB);
	KUNIT_EXPECT_EQ(test, out[0].len, 24 * KB);

	kitt_tt_refuse(test, t, 0x999, 8 * KB, 8 * KB, 0, false, "unknown Target Transfer Tag");
	kitt_tt_refuse(test, t, UNSOL, 8 * KB, 8 * KB, 0, false,
		       "unsolicited data after the burst ended");
	kitt_tt_refuse(test, t, 0x100, 0, 8 * KB, 0, false, "unexpected BufferOffset");
	kitt_tt_refuse(test, t, 0x100, 16 * KB, 8 * KB, 0, false, "unexpected BufferOffset");
	kitt_tt_refuse(test, t, 0x100, 8 * KB, 8 * KB, 1, false, "unexpected DataSN");
	kitt_tt_refuse(test, t, 0x100, 8 * KB, 32 * KB, 0, true, "data beyond the R2T");
	kitt_tt_send(test, t, 0x100, 8 * KB, 8 * KB, 0, false);
	kitt_tt_refuse(test, t, 0x100, 16 * KB, 8 * KB, 0, false, "unexpected DataSN");
	kitt_tt_refuse(test, t, 0x100, 16 * KB, 8 * KB, 1, true, "sequence ends short of the R2T");
	kitt_tt_refuse(test, t, 0x100, 16 * KB, 16 * KB, 1, false,
		       "F bit clear on the last PDU of the R2T");
	kitt_tt_send(test, t, 0x100, 16 * KB, 8 * KB, 1, false);
	kitt_tt_send(test, t, 0x100, 24 * KB, 8 * KB, 2, true);
	KUNIT_EXPECT_TRUE(test, kitt_wdata_complete(&t->w));
	/* The R2T is closed: a repeat of its last PDU is refused. */
	kitt_tt_refuse(test, t, 0x100, 24 * KB, 8 * KB, 2, true, "unknown Target Transfer Tag");
}

/* MaxOutstandingR2T is capped at KITT_MAX_R2T and never below one. */
static void task_r2t_limits(struct kunit *test)
{
	struct kitt_tt *t = kitt_tt_new(test);

	t->p.max_burst_length = 4 * KB;
	t->p.max_outstanding_r2t = 65535;
	kitt_wdata_init(&t->w, &t->p, 1024 * KB, 1024 * KB, 0, true);
	KUNIT_EXPECT_EQ(test, kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t),
			(unsigned int)KITT_MAX_R2T);
	KUNIT_EXPECT_EQ(test, t->w.r2t_next, KITT_MAX_R2T * 4 * KB);

	t->p.max_outstanding_r2t = 0;
	kitt_wdata_init(&t->w, &t->p, 1024 * KB, 1024 * KB, 0, true);
	KUNIT_EXPECT_EQ(test, kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t), 1U);
}

/* Only @keep_len is solicited; unsolicited bytes beyond it still count. */
static void task_keep_len(struct kunit *test)
{
	struct kitt_tt *t = kitt_tt_new(test);

	/* EDTL larger than the command needs (overflow). */
	kitt_wdata_init(&t->w, &t->p, 128 * KB, 100 * KB, 8 * KB, true);
	KUNIT_EXPECT_EQ(test, t->w.keep_len, 100 * KB);
	KUNIT_EXPECT_EQ(test, kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t), 1U);
	KUNIT_EXPECT_EQ(test, t->w.r2t[0].offset, 8 * KB);
	KUNIT_EXPECT_EQ(test, t->w.r2t[0].len, 92 * KB);

	/* keep_len below the unsolicited burst: no R2T at all. */
	kitt_wdata_init(&t->w, &t->p, 128 * KB, 16 * KB, 0, false);
	KUNIT_EXPECT_EQ(test, t->w.r2t_next, 16 * KB);
	KUNIT_EXPECT_EQ(test, kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t), 0U);
	kitt_tt_send(test, t, UNSOL, 0, 32 * KB, 0, false);
	kitt_tt_send(test, t, UNSOL, 32 * KB, 32 * KB, 1, true);
	KUNIT_EXPECT_EQ(test, t->w.received, 16 * KB);
	KUNIT_EXPECT_TRUE(test, kitt_wdata_complete(&t->w));

	/* A command that failed at decode keeps nothing but takes the burst. */
	kitt_wdata_init(&t->w, &t->p, 128 * KB, 0, 8 * KB, false);
	KUNIT_EXPECT_EQ(test, t->w.received, 0U);
	KUNIT_EXPECT_FALSE(test, kitt_wdata_complete(&t->w));
	kitt_tt_send(test, t, UNSOL, 8 * KB, 56 * KB, 0, true);
	KUNIT_EXPECT_TRUE(test, kitt_wdata_complete(&t->w));
	KUNIT_EXPECT_EQ(test, kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t), 0U);
}

/* R2Ts go out in R2TSN order even when freed slots are refilled out of order. */
static void task_r2t_order(struct kunit *test)
{
	struct kitt_r2t_slot out[KITT_MAX_R2T];
	struct kitt_tt *t = kitt_tt_new(test);
	unsigned int n;

	t->p.max_burst_length = 8 * KB;
	t->p.max_outstanding_r2t = 2;
	kitt_wdata_init(&t->w, &t->p, 64 * KB, 64 * KB, 0, true);
	kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t);
	KUNIT_ASSERT_EQ(test, kitt_wdata_take_r2ts(&t->w, out), 2U);
	/* Slot 1 completes: refilled with R2TSN 2; then slot 0: R2TSN 3. */
	kitt_tt_send(test, t, out[1].ttt, out[1].offset, 8 * KB, 0, true);
	kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t);
	kitt_tt_send(test, t, out[0].ttt, out[0].offset, 8 * KB, 0, true);
	kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t);
	KUNIT_EXPECT_EQ(test, t->w.r2t[0].r2tsn, 3U);
	KUNIT_EXPECT_EQ(test, t->w.r2t[1].r2tsn, 2U);
	n = kitt_wdata_take_r2ts(&t->w, out);
	KUNIT_ASSERT_EQ(test, n, 2U);
	KUNIT_EXPECT_EQ(test, out[0].r2tsn, 2U);
	KUNIT_EXPECT_EQ(test, out[0].offset, 16 * KB);
	KUNIT_EXPECT_EQ(test, out[1].r2tsn, 3U);
	KUNIT_EXPECT_EQ(test, out[1].offset, 24 * KB);
}

/* Offsets near 4 GiB do not wrap around the checks. */
static void task_offset_wrap(struct kunit *test)
{
	struct kitt_r2t_slot out[KITT_MAX_R2T];
	struct kitt_tt *t = kitt_tt_new(test);

	t->p.initial_r2t = true;
	kitt_wdata_init(&t->w, &t->p, 0xfffffff0, 0xfffffff0, 0, true);
	kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t);
	KUNIT_ASSERT_EQ(test, kitt_wdata_take_r2ts(&t->w, out), 1U);
	kitt_tt_refuse(test, t, out[0].ttt, 0, 0xffffffff, 0, true, "data beyond the R2T");
	/* An R2T near the end of the offset space: end would wrap to 0x1000. */
	t->w.r2t[0].offset = 0xfffff000;
	t->w.r2t[0].len = 0x800;
	kitt_tt_refuse(test, t, out[0].ttt, 0xfffff000, 0x2000, 0, true, "data beyond the R2T");

	kitt_wdata_init(&t->w, &t->p, 0xfffffff0, 0xfffffff0, 0, false);
	t->w.unsol_done = false;
	t->w.unsol_end = 64 * KB;
	kitt_tt_refuse(test, t, UNSOL, 0, 0xfffffff0, 0, true,
		       "unsolicited data beyond FirstBurstLength");
}

/*
 * A whole write, for several parameter sets: immediate, unsolicited and
 * solicited data in MaxRecvDataSegmentLength pieces, every byte once.
 */
static void task_whole_writes(struct kunit *test)
{
	static const struct {
		bool imm, initial_r2t, final;
		u32 fbl, mbl, mor2t, edtl, keep, mrdsl;
	} c[] = {
		{ true, false, false, 64 * KB, 256 * KB, 1, 1024 * KB, 1024 * KB, 8 * KB },
		{ true, true, true, 64 * KB, 16 * KB, 4, 300 * KB, 300 * KB, 8 * KB },
		{ false, true, true, 8 * KB, 512, 16, 64 * KB, 64 * KB, 512 },
		{ false, false, false, 16 * KB, 24 * KB, 2, 100 * KB + 512, 100 * KB, 4 * KB },
		{ true, false, false, 262144, 262144, 1, 262144, 262144, 262144 },
		{ true, false, true, 64 * KB, 64 * KB, 1, 512, 512, 8 * KB },
		{ false, false, false, 64 * KB, 64 * KB, 1, 16 * KB, 0, 8 * KB },
	};
	struct kitt_r2t_slot out[KITT_MAX_R2T];
	struct kitt_tt *t = kitt_tt_new(test);
	unsigned int i, k, n, r2ts, rounds;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		u32 imm = c[i].imm ? min3(c[i].fbl, c[i].edtl, c[i].mrdsl) : 0;
		u32 off, datasn = 0, exp_r2ts;

		t->p.immediate_data = c[i].imm;
		t->p.initial_r2t = c[i].initial_r2t;
		t->p.first_burst_length = c[i].fbl;
		t->p.max_burst_length = c[i].mbl;
		t->p.max_outstanding_r2t = c[i].mor2t;
		/* The F bit is set when all data comes with the command. */
		kitt_wdata_init(&t->w, &t->p, c[i].edtl, c[i].keep, imm,
				c[i].final || imm == c[i].edtl);
		for (off = imm; off < t->w.unsol_end; off += n) {
			n = min(c[i].mrdsl, t->w.unsol_end - off);
			kitt_tt_send(test, t, UNSOL, off, n, datasn++, off + n == t->w.unsol_end);
		}
		KUNIT_EXPECT_TRUE(test, t->w.unsol_done);
		r2ts = 0;
		rounds = 0;
		while (!kitt_wdata_complete(&t->w) && rounds++ < 10000) {
			kitt_wdata_issue_r2ts(&t->w, &t->p, kitt_tt_ttt, t);
			n = kitt_wdata_take_r2ts(&t->w, out);
			KUNIT_ASSERT_GT(test, n, 0U);
			KUNIT_EXPECT_LE(test, n, c[i].mor2t);
			for (k = 0; k < n; k++) {
				u32 end = out[k].offset + out[k].len, piece;

				KUNIT_EXPECT_LE(test, out[k].len, c[i].mbl);
				KUNIT_EXPECT_EQ(test, out[k].r2tsn, r2ts);
				r2ts++;
				datasn = 0;
				for (off = out[k].offset; off < end; off += piece) {
					piece = min(c[i].mrdsl, end - off);
					kitt_tt_send(test, t, out[k].ttt, off, piece, datasn++,
						     off + piece == end);
				}
			}
		}
		KUNIT_EXPECT_TRUE_MSG(test, kitt_wdata_complete(&t->w), "case %u", i);
		KUNIT_EXPECT_EQ_MSG(test, t->w.received, min(c[i].keep, c[i].edtl), "case %u", i);
		exp_r2ts = DIV_ROUND_UP(c[i].keep - min(c[i].keep, t->w.unsol_end), c[i].mbl);
		KUNIT_EXPECT_EQ_MSG(test, r2ts, exp_r2ts, "case %u", i);
	}
}

static struct kunit_case kitt_task_test_cases[] = {
	KUNIT_CASE(task_check_cmd),
	KUNIT_CASE(task_all_immediate),
	KUNIT_CASE(task_unsolicited_burst),
	KUNIT_CASE(task_no_unsolicited),
	KUNIT_CASE(task_r2t_issue),
	KUNIT_CASE(task_r2t_sequence),
	KUNIT_CASE(task_r2t_limits),
	KUNIT_CASE(task_keep_len),
	KUNIT_CASE(task_r2t_order),
	KUNIT_CASE(task_offset_wrap),
	KUNIT_CASE(task_whole_writes),
	{}
};

static struct kunit_suite kitt_task_test_suite = {
	.name = "kitt_task_data",
	.test_cases = kitt_task_test_cases,
};

kunit_test_suite(kitt_task_test_suite);
