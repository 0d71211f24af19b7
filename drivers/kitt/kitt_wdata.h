/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt: write data bookkeeping of one SCSI command (task_data.c, pure):
 * which Data-Out PDUs it accepts and which R2Ts it asks for. task.c
 * keeps one struct kitt_wdata per task, under task->lock.
 */
#ifndef KITT_WDATA_H
#define KITT_WDATA_H

#include <linux/types.h>

struct kitt_sess_params;

#define KITT_MAX_R2T		16

/**
 * struct kitt_r2t_slot - one outstanding R2T of a write task.
 * @ttt: its Target Transfer Tag (0xffffffff: slot free)
 * @offset: BufferOffset it asked for
 * @len: DesiredDataTransferLength
 * @received: bytes received for it so far
 * @exp_datasn: next DataSN within it
 * @r2tsn: its R2TSN
 * @sent: the R2T PDU went out
 */
struct kitt_r2t_slot {
	u32 ttt;
	u32 offset;
	u32 len;
	u32 received;
	u32 exp_datasn;
	u32 r2tsn;
	bool sent;
};

/**
 * struct kitt_wdata - write data bookkeeping of one command: which
 *	Data-Out PDUs it accepts and which R2Ts it asks for (task_data.c,
 *	pure; task.c keeps it under task->lock).
 * @edtl: Expected Data Transfer Length of the command
 * @keep_len: bytes the command uses (<= @edtl); R2Ts ask for no more,
 *	unsolicited bytes beyond it are received and dropped
 * @received: bytes received below @keep_len
 * @unsol_end: end offset of the unsolicited burst (immediate data plus
 *	unsolicited Data-Out, at most FirstBurstLength)
 * @unsol_next: next offset expected in unsolicited Data-Out
 * @unsol_datasn: next DataSN expected in unsolicited Data-Out
 * @unsol_done: the unsolicited burst is complete
 * @r2t_next: next offset to solicit
 * @r2t_sn: next R2TSN
 * @r2t: outstanding R2Ts; a free slot has TTT 0xffffffff
 */
struct kitt_wdata {
	u32 edtl;
	u32 keep_len;
	u32 received;
	u32 unsol_end;
	u32 unsol_next;
	u32 unsol_datasn;
	bool unsol_done;
	u32 r2t_next;
	u32 r2t_sn;
	struct kitt_r2t_slot r2t[KITT_MAX_R2T];
};

const char *kitt_wdata_check_cmd(const struct kitt_sess_params *p, u32 edtl,
				 u32 imm_len);
void kitt_wdata_init(struct kitt_wdata *w, const struct kitt_sess_params *p,
		     u32 edtl, u32 keep_len, u32 imm_len, bool final);
const char *kitt_wdata_check(const struct kitt_wdata *w, u32 ttt, u32 offset,
			     u32 len, u32 datasn, bool final, int *slot);
void kitt_wdata_accept(struct kitt_wdata *w, int slot, u32 offset, u32 len,
		       bool final);
bool kitt_wdata_complete(const struct kitt_wdata *w);
unsigned int kitt_wdata_issue_r2ts(struct kitt_wdata *w,
				   const struct kitt_sess_params *p,
				   u32 (*new_ttt)(void *arg), void *arg);
unsigned int kitt_wdata_take_r2ts(struct kitt_wdata *w,
				  struct kitt_r2t_slot out[KITT_MAX_R2T]);

#endif /* KITT_WDATA_H */
