// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: the copy manager. EXTENDED COPY moves blocks between LUNs inside
 * the target; xcopy.c checked the parameter list, here its targets are
 * found and the segments copied, synchronously, in the receive thread.
 *
 * A target descriptor names a LU by its NAA designator, and only the
 * LUNs of the session's own portal group are searched: a copy reaches
 * nothing the initiator could not read or write itself. Each segment
 * passes the checks a READ of its source and a WRITE of its destination
 * would: the reservations of the session's I_T nexus and the write
 * protection, and both ranges must lie on their media.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <scsi/scsi_proto.h>

#include "kitt.h"
#include "kitt_compat.h"

/*
 * The LUN @sess sees whose device reports @naa in VPD 0x83, with a
 * reference; *@wp: its ACL shows it read-only.
 */
static struct kitt_lun *kitt_copy_find_lun(struct kitt_session *sess, u64 naa, bool *wp)
{
	struct kitt_lun *lun, *found = NULL;
	unsigned int i;
	bool ro;

	*wp = false;
	for (i = 0; i < KITT_MAX_LUNS; i++) {
		lun = kitt_lun_get(sess->tpg, sess->acl_luns, i, &ro);
		if (!lun)
			continue;
		/* An ACL may show the LU twice: read-only if either says so. */
		if (kitt_xcopy_naa(lun->dev->naa_id) == naa && (!found || found->dev == lun->dev)) {
			*wp |= ro;
			if (!found) {
				found = lun;
				continue;
			}
		}
		kitt_lun_put(lun);
	}
	return found;
}

/* Would a READ (or a WRITE) of this nexus to @dev (@wp: shown read-only) run? */
static bool kitt_copy_access(struct kitt_scsi_cmd *cmd, struct kitt_device *dev, bool wp,
			     const struct kitt_pr_nexus *n, bool write)
{
	u8 cdb[16] = { write ? WRITE_16 : READ_16 };

	if (!kitt_pr_check(dev, n, cdb)) {
		cmd->status = SAM_STAT_RESERVATION_CONFLICT;
		return false;
	}
	if (write && (dev->read_only || wp)) {
		kitt_sense_set(cmd, DATA_PROTECT, KITT_ASC_WRITE_PROTECTED, 0);
		return false;
	}
	return true;
}

/*
 * Copy @nr blocks from @src at @src_lba to @dst at @dst_lba through
 * @pages (KITT_MAX_XFER_BYTES). Overlapping ranges of one device are
 * copied from the end when the destination lies after the source.
 */
static int kitt_copy_blocks(struct kitt_device *src, u64 src_lba, struct kitt_device *dst,
			    u64 dst_lba, u64 nr, struct page **pages)
{
	u32 chunk = KITT_MAX_XFER_BYTES >> src->block_shift;
	bool backwards = src == dst && dst_lba > src_lba && dst_lba < src_lba + nr;
	bool fua = !READ_ONCE(dst->wce);
	struct kitt_range range;
	u64 done = 0;
	int ret = 0;

	kitt_range_lock(dst, &range, dst_lba, nr, false);
	while (done < nr && !ret) {
		u32 n = min_t(u64, nr - done, chunk);
		u64 off = backwards ? nr - done - n : done;

		ret = kitt_backend_rw_sync(src, KITT_IO_READ, false, src_lba + off, pages,
					   n << src->block_shift);
		if (!ret)
			ret = kitt_backend_rw_sync(dst, KITT_IO_WRITE, fua, dst_lba + off, pages,
						   n << dst->block_shift);
		done += n;
	}
	kitt_range_unlock(dst, &range);
	return ret;
}

/* The kept outcome of list identifier @list_id, or -1; sess->lock held. */
static int kitt_copy_find(struct kitt_session *sess, u8 list_id)
{
	unsigned int i;

	lockdep_assert_held(&sess->lock);
	for (i = 0; i < KITT_XCOPY_KEPT_STATUS; i++)
		if (sess->copy_status[i].valid && sess->copy_status[i].list_id == list_id)
			return i;
	return -1;
}

/* Keep the outcome of a copy for COPY STATUS (list identifier usage 00b). */
static void kitt_copy_keep(struct kitt_session *sess, const struct kitt_xcopy_status *st)
{
	unsigned int slot;
	int i;

	spin_lock_irq(&sess->lock);
	i = kitt_copy_find(sess, st->list_id);
	slot = i < 0 ? sess->copy_status_next : i;
	if (slot == sess->copy_status_next)
		sess->copy_status_next = (slot + 1) % KITT_XCOPY_KEPT_STATUS;
	sess->copy_status[slot] = *st;
	spin_unlock_irq(&sess->lock);
}

/**
 * kitt_copy_run() - carry out a checked EXTENDED COPY
 * @task: the task; task->scsi was decoded to KITT_SCSI_ACT_XCOPY
 * @param: its parameter list
 *
 * Sets the command's status: GOOD, COPY ABORTED (a target that cannot be
 * found, a range off its medium), RESERVATION CONFLICT, DATA PROTECT, an
 * I/O error's sense, or INVALID FIELD IN PARAMETER LIST (a block length
 * that is not the LU's, a segment longer than KITT_XCOPY_MAX_SEG_BYTES).
 */
void kitt_copy_run(struct kitt_task *task, const u8 *param)
{
	struct kitt_lun *luns[KITT_XCOPY_MAX_TARGETS] = {};
	bool wp[KITT_XCOPY_MAX_TARGETS] = {};
	struct kitt_scsi_cmd *cmd = &task->scsi;
	struct kitt_session *sess = task->sess;
	struct kitt_xcopy_status st = { .list_id = cmd->list_id, .valid = true };
	u32 ntd = get_unaligned_be16(&param[2]) / 32, i;
	struct kitt_xcopy_segment seg;
	struct kitt_xcopy_target t;
	struct page **pages = NULL;
	unsigned int nr_pages = 0;
	struct kitt_pr_nexus n;
	int ret;

	kitt_session_nexus(sess, &n);

	for (i = 0; i < ntd; i++) {
		kitt_xcopy_target(param, i, &t);
		if (t.naa && !t.nul)
			luns[i] = kitt_copy_find_lun(sess, t.naa_id, &wp[i]);
		if (!luns[i]) {
			kitt_sense_set(cmd, COPY_ABORTED, KITT_ASC_COPY_TARGET_UNREACHABLE,
				       KITT_ASCQ_COPY_TARGET_UNREACHABLE);
			goto out;
		}
		if (t.block_len != 1U << luns[i]->dev->block_shift) {
			kitt_scsi_invalid_param(cmd, 16 + i * 32 + 29, 7);
			goto out;
		}
	}
	pages = kitt_pages_alloc(KITT_MAX_XFER_BYTES, &nr_pages);
	if (!pages) {
		kitt_scsi_set_io_error(cmd, -ENOMEM, true);
		goto out;
	}
	for (i = 0; i < cmd->nr_desc; i++) {
		struct kitt_device *src, *dst;

		kitt_xcopy_segment(param, i, &seg);
		src = luns[seg.src]->dev;
		dst = luns[seg.dst]->dev;
		if (src->block_shift != dst->block_shift ||
		    ((u64)seg.nr_blocks << src->block_shift) > KITT_XCOPY_MAX_SEG_BYTES) {
			kitt_scsi_invalid_param(cmd, 16 + ntd * 32 + i * 28 + 10, 7);
			break;
		}
		if (!kitt_copy_access(cmd, src, wp[seg.src], &n, false) ||
		    !kitt_copy_access(cmd, dst, wp[seg.dst], &n, true))
			break;
		if (seg.src_lba > src->nr_blocks || seg.nr_blocks > src->nr_blocks - seg.src_lba ||
		    seg.dst_lba > dst->nr_blocks || seg.nr_blocks > dst->nr_blocks - seg.dst_lba) {
			kitt_sense_set_info(cmd, COPY_ABORTED, KITT_ASC_NO_ADDITIONAL_SENSE, 0, i);
			break;
		}
		if (seg.nr_blocks) {
			ret = kitt_copy_blocks(src, seg.src_lba, dst, seg.dst_lba, seg.nr_blocks,
					       pages);
			if (ret) {
				kitt_scsi_set_io_error(cmd, ret, true);
				break;
			}
		}
		st.segments++;
		st.bytes += (u64)seg.nr_blocks << src->block_shift;
	}
out:
	kitt_pages_free(pages, nr_pages);
	for (i = 0; i < ntd; i++)
		if (luns[i])
			kitt_lun_put(luns[i]);
	st.failed = cmd->status != SAM_STAT_GOOD;
	if (cmd->list_id_hold)
		kitt_copy_keep(sess, &st);
}

/**
 * kitt_copy_status() - RECEIVE COPY RESULTS, COPY STATUS
 * @task: the task; task->scsi was decoded to KITT_SCSI_ACT_COPY_STATUS
 *
 * Answers from the outcome this session kept for the list identifier.
 */
void kitt_copy_status(struct kitt_task *task)
{
	struct kitt_session *sess = task->sess;
	struct kitt_xcopy_status st;
	int i;

	spin_lock_irq(&sess->lock);
	i = kitt_copy_find(sess, task->scsi.list_id);
	if (i >= 0)
		st = sess->copy_status[i];
	spin_unlock_irq(&sess->lock);
	kitt_xcopy_status_data(&task->scsi, i >= 0 ? &st : NULL);
}
