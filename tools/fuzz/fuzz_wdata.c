// SPDX-License-Identifier: GPL-2.0
/*
 * kitt fuzzing: task_data.c - the write data bookkeeping of one command:
 * which Data-Out PDUs are accepted, which R2Ts are asked for.
 *
 * Input: the negotiated values and the command (EDTL, bytes kept,
 * immediate data, F bit), then a script of operations as task.c performs
 * them: open R2Ts, send them, and receive Data-Out PDUs - some made up
 * from the input, some the "right" next PDU of an open sequence, which
 * must be accepted. A model of the bytes received checks that nothing is
 * accepted twice or outside the command, and that the command is
 * complete only when every byte it keeps has arrived.
 */
#include "fuzz.h"

#define FZ_TTT_FREE	0xffffffff
#define FZ_MAX_RANGES	512

struct fz_wd {
	struct kitt_wdata w;
	struct kitt_sess_params p;
	u32 next_ttt;
	/* byte ranges accepted, below keep_len */
	u32 nr;
	u32 start[FZ_MAX_RANGES];
	u32 end[FZ_MAX_RANGES];
	u64 sum;
};

static u32 fz_new_ttt(void *arg)
{
	struct fz_wd *m = arg;

	m->next_ttt++;
	if (m->next_ttt == FZ_TTT_FREE)
		m->next_ttt = 0;
	return m->next_ttt;
}

static void fz_wd_invariants(const struct fz_wd *m)
{
	const struct kitt_wdata *w = &m->w;
	unsigned int i, open = 0;

	FZ_CHECK(w->received <= w->keep_len && w->keep_len <= w->edtl,
		 "received %u keep %u edtl %u", w->received, w->keep_len, w->edtl);
	FZ_CHECK(w->received == m->sum, "received %u, model %llu", w->received,
		 (unsigned long long)m->sum);
	FZ_CHECK(w->unsol_next <= w->unsol_end && w->unsol_end <= w->edtl,
		 "unsolicited %u..%u of %u", w->unsol_next, w->unsol_end, w->edtl);
	for (i = 0; i < KITT_MAX_R2T; i++) {
		const struct kitt_r2t_slot *r = &w->r2t[i];

		if (r->ttt == FZ_TTT_FREE)
			continue;
		open++;
		FZ_CHECK(r->len && (u64)r->offset + r->len <= w->keep_len,
			 "R2T %u+%u beyond %u", r->offset, r->len, w->keep_len);
		FZ_CHECK(r->received <= r->len, "R2T received %u of %u", r->received, r->len);
		FZ_CHECK(r->len <= max_t(u32, m->p.max_burst_length, 512), "R2T of %u", r->len);
		FZ_CHECK(r->offset >= min(w->unsol_end, w->keep_len),
			 "R2T at %u inside the unsolicited burst (%u)", r->offset, w->unsol_end);
	}
	FZ_CHECK(open <= clamp_t(u32, m->p.max_outstanding_r2t, 1, KITT_MAX_R2T),
		 "%u R2Ts open", open);
	if (kitt_wdata_complete(w))
		FZ_CHECK(w->received == w->keep_len, "complete with %u of %u bytes",
			 w->received, w->keep_len);
}

/* Record [offset, offset + len) below keep_len; it must be new. */
static void fz_wd_received(struct fz_wd *m, u32 offset, u32 len)
{
	u32 keep = m->w.keep_len, s, e, i;

	if (offset >= keep || !len)
		return;
	s = offset;
	e = (u64)offset + len > keep ? keep : offset + len;
	for (i = 0; i < m->nr; i++)
		FZ_CHECK(e <= m->start[i] || s >= m->end[i],
			 "bytes %u..%u accepted twice (had %u..%u)", s, e, m->start[i], m->end[i]);
	if (m->nr < FZ_MAX_RANGES) {
		m->start[m->nr] = s;
		m->end[m->nr] = e;
		m->nr++;
	}
	m->sum += e - s;
}

static void fz_wd_data_out(struct fz_wd *m, u32 ttt, u32 offset, u32 len, u32 datasn,
			   bool final, bool must_accept)
{
	const char *why;
	int slot;

	why = kitt_wdata_check(&m->w, ttt, offset, len, datasn, final, &slot);
	FZ_CHECK(!must_accept || !why, "the right PDU (TTT %x offset %u len %u DataSN %u F %d) "
		 "was refused: %s", ttt, offset, len, datasn, final, why);
	if (why)
		return;
	FZ_CHECK(slot >= -1 && slot < KITT_MAX_R2T, "slot %d", slot);
	FZ_CHECK((slot < 0) == (ttt == FZ_TTT_FREE), "slot %d for TTT %x", slot, ttt);
	FZ_CHECK((u64)offset + len <= m->w.edtl, "accepted %u+%u beyond EDTL %u", offset, len,
		 m->w.edtl);
	fz_wd_received(m, offset, len);
	kitt_wdata_accept(&m->w, slot, offset, len, final);
}

/* The next PDU of an open sequence, as a well-behaved initiator sends it. */
static void fz_wd_right(struct fz_wd *m, u8 which, u32 want)
{
	struct kitt_wdata *w = &m->w;
	const struct kitt_r2t_slot *r;
	unsigned int i;
	u32 left, len;

	if (which & 0x80) {
		if (w->unsol_done)
			return;
		left = w->unsol_end - w->unsol_next;
		len = want ? min(want, left) : left;
		fz_wd_data_out(m, FZ_TTT_FREE, w->unsol_next, len, w->unsol_datasn,
			       len == left, true);
		return;
	}
	for (i = 0; i < KITT_MAX_R2T; i++) {
		r = &w->r2t[(which + i) % KITT_MAX_R2T];
		if (r->ttt == FZ_TTT_FREE || !r->sent)
			continue;
		left = r->len - r->received;
		len = want ? min(want, left) : left;
		fz_wd_data_out(m, r->ttt, r->offset + r->received, len, r->exp_datasn,
			       len == left, true);
		return;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kitt_r2t_slot out[KITT_MAX_R2T];
	struct fz_wd *m = calloc(1, sizeof(*m));
	u32 edtl, keep, imm, steps = 0, n, i;
	const char *why;
	struct fz f;
	u8 fl, op;

	if (!m)
		abort();
	fz_init(&f, data, size);
	fl = fz_u8(&f);
	/* values negotiation can produce (params.c keeps them in range) */
	kitt_sess_params_init(&m->p);
	m->p.immediate_data = fl & 1;
	m->p.initial_r2t = fl & 2;
	m->p.max_burst_length = clamp_t(u32, fz_u32(&f) & KITT_MAX_DSL, 512, KITT_MAX_DSL);
	m->p.first_burst_length = clamp_t(u32, fz_u32(&f) & KITT_MAX_DSL, 512,
					  m->p.max_burst_length);
	m->p.max_outstanding_r2t = 1 + fz_u8(&f);
	edtl = fz_u32(&f);
	if (fl & 0x10)
		edtl &= 0xfffff;	/* mostly commands of a sensible size */
	keep = fl & 0x20 ? fz_u32(&f) : edtl;
	imm = fz_u32(&f) & 0xffffff;
	if (imm > edtl)
		imm = edtl;		/* the PDU layer refuses more */
	if (!edtl)
		edtl = 1;

	why = kitt_wdata_check_cmd(&m->p, edtl, imm);
	if (why) {
		FZ_CHECK(imm, "refused a command without immediate data: %s", why);
		goto out;
	}
	kitt_wdata_init(&m->w, &m->p, edtl, keep, imm, fl & 4);
	fz_wd_received(m, 0, imm);
	fz_wd_invariants(m);

	while (f.left && steps++ < 256) {
		op = fz_u8(&f);
		switch (op & 3) {
		case 0:
			n = kitt_wdata_issue_r2ts(&m->w, &m->p, fz_new_ttt, m);
			FZ_CHECK(n <= KITT_MAX_R2T, "%u R2Ts", n);
			break;
		case 1:
			n = kitt_wdata_take_r2ts(&m->w, out);
			for (i = 1; i < n; i++)
				FZ_CHECK(iscsi_sna_lt(out[i - 1].r2tsn, out[i].r2tsn),
					 "R2Ts out of R2TSN order");
			break;
		case 2: {
			/* a made-up Data-Out */
			u32 ttt = op & 4 ? FZ_TTT_FREE : op & 8 ? m->w.r2t[op >> 4].ttt : fz_u32(&f);
			u32 offset = fz_u32(&f), len = fz_u32(&f) & 0xffffff, datasn = fz_u8(&f);

			fz_wd_data_out(m, ttt, offset, len, datasn, op & 0x80, false);
			break;
		}
		default:
			fz_wd_right(m, op, op & 4 ? fz_u32(&f) & 0xffffff : 0);
			break;
		}
		fz_wd_invariants(m);
	}
out:
	free(m);
	return 0;
}
