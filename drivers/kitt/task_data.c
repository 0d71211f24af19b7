// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: write data bookkeeping of a SCSI command (RFC 7143 sections 4.2.5
 * and 11.7 - 11.8), as pure functions over a struct kitt_wdata: no locks,
 * no allocation, no I/O. task.c calls them under task->lock and does the
 * receiving and sending.
 *
 * A write's data arrives in up to three ways, in this order of offsets:
 *   - immediate data, in the SCSI Command PDU itself (ImmediateData=Yes);
 *   - unsolicited Data-Out PDUs (TTT 0xffffffff) up to FirstBurstLength,
 *     when InitialR2T=No and the command's F bit is clear;
 *   - solicited Data-Out PDUs, each sequence answering one R2T of at most
 *     MaxBurstLength bytes, with at most MaxOutstandingR2T R2Ts open.
 * Each sequence numbers its PDUs by DataSN from 0, and its offsets must
 * follow each other without holes (DataPDUInOrder and
 * DataSequenceInOrder are Yes: kitt offers nothing else).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/minmax.h>
#include <linux/sort.h>

#include "kitt_login.h"
#include "kitt_wdata.h"

#define KITT_TTT_FREE	0xffffffff

/**
 * kitt_wdata_check_cmd() - may a SCSI Command carry this immediate data?
 * @p: the session's negotiated values
 * @edtl: Expected Data Transfer Length
 * @imm_len: immediate data in the SCSI Command PDU
 *
 * The PDU layer has checked the header alone (the W bit, @imm_len <=
 * @edtl, the F bit when all data came with the command); this adds what
 * depends on the negotiated values.
 *
 * Return: NULL, or why not (reject the command).
 */
const char *kitt_wdata_check_cmd(const struct kitt_sess_params *p, u32 edtl, u32 imm_len)
{
	if (!imm_len)
		return NULL;
	if (!p->immediate_data)
		return "immediate data while ImmediateData=No";
	if (imm_len > p->first_burst_length)
		return "immediate data beyond FirstBurstLength";
	if (imm_len > edtl)
		return "immediate data beyond the expected transfer length";
	return NULL;
}

/**
 * kitt_wdata_init() - set up a write command's bookkeeping
 * @w: the bookkeeping, any content
 * @p: the session's negotiated values
 * @edtl: Expected Data Transfer Length (non-zero; the W bit is set)
 * @keep_len: bytes of write data the command uses; more is not solicited
 * @imm_len: immediate data in the SCSI Command PDU, accepted by
 *	kitt_wdata_check_cmd()
 * @final: the command's F bit: no unsolicited Data-Out follows
 */
void kitt_wdata_init(struct kitt_wdata *w, const struct kitt_sess_params *p,
		     u32 edtl, u32 keep_len, u32 imm_len, bool final)
{
	unsigned int i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < KITT_MAX_R2T; i++)
		w->r2t[i].ttt = KITT_TTT_FREE;
	w->edtl = edtl;
	w->keep_len = min(keep_len, edtl);
	/*
	 * Unsolicited Data-Out follows only when the F bit is clear, and
	 * InitialR2T=Yes allows none (an initiator that clears F anyway
	 * gets R2Ts for the rest). Its amount is fixed (RFC 7143 13.14):
	 * min(FirstBurstLength, EDTL) with the immediate data included.
	 */
	if (final || p->initial_r2t)
		w->unsol_end = imm_len;
	else
		w->unsol_end = max(imm_len, min(edtl, p->first_burst_length));
	w->unsol_next = imm_len;
	w->unsol_done = w->unsol_end == imm_len;
	w->r2t_next = min(w->unsol_end, w->keep_len);
	w->received = min(imm_len, w->keep_len);
}

/**
 * kitt_wdata_check() - may this Data-Out PDU be accepted?
 * @w: the bookkeeping
 * @ttt: its Target Transfer Tag (0xffffffff: unsolicited)
 * @offset: its BufferOffset
 * @len: its DataSegmentLength
 * @datasn: its DataSN
 * @final: its F bit
 * @slot: set to the R2T slot it answers, or -1 for unsolicited data
 *
 * Return: NULL when it is the next PDU of an open sequence and stays
 * inside it, else why not (a protocol error: reject the PDU).
 */
const char *kitt_wdata_check(const struct kitt_wdata *w, u32 ttt, u32 offset,
			     u32 len, u32 datasn, bool final, int *slot)
{
	const struct kitt_r2t_slot *r;
	u64 end = (u64)offset + len;
	unsigned int i;

	*slot = -1;
	if (ttt == KITT_TTT_FREE) {
		if (w->unsol_done)
			return "unsolicited data after the burst ended";
		if (offset != w->unsol_next)
			return "unexpected BufferOffset";
		if (datasn != w->unsol_datasn)
			return "unexpected DataSN";
		if (end > w->unsol_end)
			return "unsolicited data beyond FirstBurstLength";
		if (final && end != w->unsol_end)
			return "unsolicited burst ends short of FirstBurstLength";
		if (!final && end == w->unsol_end)
			return "F bit clear on the last unsolicited PDU";
		return NULL;
	}
	for (i = 0; i < KITT_MAX_R2T; i++) {
		if (w->r2t[i].ttt == ttt && w->r2t[i].sent) {
			*slot = i;
			break;
		}
	}
	if (*slot < 0)
		return "unknown Target Transfer Tag";
	r = &w->r2t[*slot];
	if (offset != r->offset + r->received)
		return "unexpected BufferOffset";
	if (datasn != r->exp_datasn)
		return "unexpected DataSN";
	if (end > (u64)r->offset + r->len)
		return "data beyond the R2T";
	if (final && end != (u64)r->offset + r->len)
		return "sequence ends short of the R2T";
	if (!final && end == (u64)r->offset + r->len)
		return "F bit clear on the last PDU of the R2T";
	return NULL;
}

/**
 * kitt_wdata_accept() - account for a Data-Out PDU that passed the check
 * @w: the bookkeeping
 * @slot: as kitt_wdata_check() set it
 * @offset: the PDU's BufferOffset
 * @len: its DataSegmentLength
 * @final: its F bit
 *
 * A completed R2T frees its slot.
 */
void kitt_wdata_accept(struct kitt_wdata *w, int slot, u32 offset, u32 len,
		       bool final)
{
	if (offset < w->keep_len)
		w->received += min(len, w->keep_len - offset);
	if (slot < 0) {
		w->unsol_next += len;
		w->unsol_datasn++;
		if (final)
			w->unsol_done = true;
		return;
	}
	w->r2t[slot].received += len;
	w->r2t[slot].exp_datasn++;
	if (final)
		w->r2t[slot].ttt = KITT_TTT_FREE;
}

/**
 * kitt_wdata_complete() - has all write data arrived?
 * @w: the bookkeeping
 *
 * Return: true when the unsolicited burst is over, everything up to
 * @w->keep_len was solicited and no R2T is open.
 */
bool kitt_wdata_complete(const struct kitt_wdata *w)
{
	unsigned int i;

	if (!w->unsol_done || w->r2t_next < w->keep_len)
		return false;
	for (i = 0; i < KITT_MAX_R2T; i++)
		if (w->r2t[i].ttt != KITT_TTT_FREE)
			return false;
	return true;
}

/**
 * kitt_wdata_issue_r2ts() - open R2Ts for the data not yet solicited
 * @w: the bookkeeping
 * @p: the session's negotiated values (MaxBurstLength, MaxOutstandingR2T)
 * @new_ttt: returns a fresh Target Transfer Tag, never 0xffffffff
 * @arg: its argument
 *
 * Each R2T asks for the next MaxBurstLength bytes (or what is left below
 * @w->keep_len), with the next R2TSN, while fewer than MaxOutstandingR2T
 * (at most KITT_MAX_R2T) are open. They are marked unsent.
 *
 * Return: the number of R2Ts opened.
 */
unsigned int kitt_wdata_issue_r2ts(struct kitt_wdata *w,
				   const struct kitt_sess_params *p,
				   u32 (*new_ttt)(void *arg), void *arg)
{
	unsigned int i, n = 0, open = 0;
	u32 max = clamp_t(u32, p->max_outstanding_r2t, 1, KITT_MAX_R2T);
	u32 burst = max_t(u32, p->max_burst_length, 512);

	for (i = 0; i < KITT_MAX_R2T; i++)
		if (w->r2t[i].ttt != KITT_TTT_FREE)
			open++;
	for (i = 0; i < KITT_MAX_R2T && open < max && w->r2t_next < w->keep_len; i++) {
		struct kitt_r2t_slot *r = &w->r2t[i];

		if (r->ttt != KITT_TTT_FREE)
			continue;
		r->ttt = new_ttt(arg);
		r->offset = w->r2t_next;
		r->len = min(w->keep_len - w->r2t_next, burst);
		r->received = 0;
		r->exp_datasn = 0;
		r->r2tsn = w->r2t_sn++;
		r->sent = false;
		w->r2t_next += r->len;
		open++;
		n++;
	}
	return n;
}

static int kitt_wdata_cmp_r2tsn(const void *a, const void *b)
{
	const struct kitt_r2t_slot *x = a, *y = b;

	if (x->r2tsn == y->r2tsn)
		return 0;
	return iscsi_sna_lt(x->r2tsn, y->r2tsn) ? -1 : 1;
}

/**
 * kitt_wdata_take_r2ts() - the R2Ts to send now
 * @w: the bookkeeping
 * @out: copies of the open R2Ts not sent yet, in R2TSN order
 *
 * Marks them sent: from now on Data-Out answering them is accepted.
 *
 * Return: how many were copied to @out.
 */
unsigned int kitt_wdata_take_r2ts(struct kitt_wdata *w,
				  struct kitt_r2t_slot out[KITT_MAX_R2T])
{
	unsigned int i, n = 0;

	for (i = 0; i < KITT_MAX_R2T; i++) {
		if (w->r2t[i].ttt != KITT_TTT_FREE && !w->r2t[i].sent) {
			w->r2t[i].sent = true;
			out[n++] = w->r2t[i];
		}
	}
	sort(out, n, sizeof(*out), kitt_wdata_cmp_r2tsn, NULL);
	return n;
}
