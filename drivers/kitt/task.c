// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: SCSI tasks: from the SCSI Command PDU through write data (immediate,
 * unsolicited and solicited by R2T), execution on the block device, to
 * Data-In and the status; and task management.
 *
 * Ownership: a task has one "flow" reference that moves along with it:
 * receive thread (command, data) -> bios (execution) -> transmit queue
 * (response). Each queued R2T holds a reference of its own, and so does
 * anyone who looks a task up (TMF). The session's ITT table holds no
 * reference: a task leaves it when it ends or is aborted.
 *
 * Aborts and responses: the transmit side marks a task DONE under
 * task->lock before it sends the response; an abort (TMF, connection
 * end) that finds it DONE leaves it alone, one that comes first makes the
 * transmit side drop the response. So the initiator never sees both a
 * status and "Function complete" for the same task.
 *
 * The write data bookkeeping (which Data-Out PDUs are acceptable, which
 * R2Ts to send) is pure and lives in task_data.c; reservations in pr.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/highmem.h>
#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/srcu.h>
#include <linux/uio.h>
#include <linux/timekeeping.h>
#include <scsi/scsi_proto.h>

#include "kitt.h"
#include "kitt_trace.h"
#include "kitt_compat.h"

static struct kmem_cache *kitt_task_cache;
static const struct kitt_tx_ops kitt_task_r2t_ops;

/* Pages one socket read of write data may fill (128 KB with 4 KB pages). */
#define KITT_RECV_VECS	32
/* Pages one zero-copy send of read data takes (64 KB). */
#define KITT_SEND_VECS	16

/**
 * kitt_task_init() - create the task cache
 *
 * Return: 0 or -ENOMEM.
 */
int kitt_task_init(void)
{
	kitt_task_cache = KMEM_CACHE(kitt_task, SLAB_HWCACHE_ALIGN);
	return kitt_task_cache ? 0 : -ENOMEM;
}

/**
 * kitt_task_exit() - destroy the task cache
 */
void kitt_task_exit(void)
{
	kmem_cache_destroy(kitt_task_cache);
}

/* READ and WRITE (6, 10, 12, 16): the commands of the block I/O path. */
static bool kitt_task_is_rw(u8 opcode)
{
	switch (opcode) {
	case 0x08: case 0x0a: case 0x28: case 0x2a:
	case 0xa8: case 0xaa: case 0x88: case 0x8a:
		return true;
	default:
		return false;
	}
}

/* Free @nr pages of @pages: to @pool's page pool if given. */
static void kitt_task_free_pages(struct page **pages, unsigned int nr, struct kitt_conn *pool)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		if (!pages[i])
			continue;
		if (pool)
			kitt_conn_page_put(pool, pages[i]);
		else
			put_page(pages[i]);
	}
}

static void kitt_task_release(struct kitt_task *task)
{
	struct kitt_conn *conn = task->conn;

	/* Nothing may find a task that is gone. */
	WARN_ON_ONCE(!hlist_unhashed(&task->itt_node));

	if (task->pages) {
		kitt_task_free_pages(task->pages, task->nr_pages, task->pooled ? conn : NULL);
		if (task->pages != task->inline_pages)
			kvfree(task->pages);
	}
	if (task->emul_page)
		put_page(task->emul_page);
	if (task->lun) {
		kitt_stats_lun_end(task->lun->stats);
		kitt_lun_put(task->lun);
	}
	kitt_session_cmd_retire(task);
	kmem_cache_free(kitt_task_cache, task);
	kitt_stats_cmd_end(&conn->stats);
	kitt_conn_inflight_put(conn);
}

static void kitt_task_get(struct kitt_task *task)
{
	refcount_inc(&task->refs);
}

/*
 * kitt_task_put() - drop a task reference
 * @task: the task
 */
static void kitt_task_put(struct kitt_task *task)
{
	if (refcount_dec_and_test(&task->refs))
		kitt_task_release(task);
}

/**
 * kitt_task_alloc_pages() - allocate a page array for @len bytes
 * @len: buffer size
 * @nr: number of pages, out
 * @inline_pages: storage to use when it is big enough, or NULL
 * @nr_inline: entries of @inline_pages
 * @pool: take the pages from this connection's pool (not cleared), or
 *	NULL for new, cleared pages
 *
 * Return: the array or NULL.
 */
static struct page **kitt_task_alloc_pages(u32 len, unsigned int *nr,
					   struct page **inline_pages, unsigned int nr_inline,
					   struct kitt_conn *pool)
{
	unsigned int i, n = DIV_ROUND_UP(len, PAGE_SIZE);
	struct page **pages;

	if (inline_pages && n <= nr_inline) {
		pages = inline_pages;
	} else {
		pages = kvcalloc(n, sizeof(*pages), GFP_NOIO);
		if (!pages)
			return NULL;
	}
	for (i = 0; i < n; i++) {
		pages[i] = pool ? kitt_conn_page_get(pool) : alloc_page(GFP_NOIO);
		if (!pages[i])
			goto out_free;
	}
	*nr = n;
	return pages;

out_free:
	kitt_task_free_pages(pages, i, pool);
	if (pages != inline_pages)
		kvfree(pages);
	return NULL;
}

/*
 * The data buffer of @task, @len bytes. READ and WRITE buffers come from
 * the connection's pool: the block device or the initiator fills every
 * byte of them before they are used (sbc.c sizes them so).
 */
static int kitt_task_alloc_buf(struct kitt_task *task, u32 len)
{
	if (!len)
		return 0;
	task->pooled = kitt_task_is_rw(task->cdb_buf[0]);
	task->pages = kitt_task_alloc_pages(len, &task->nr_pages, task->inline_pages,
					    ARRAY_SIZE(task->inline_pages),
					    task->pooled ? task->conn : NULL);
	if (!task->pages)
		return -ENOMEM;
	task->buf_len = len;
	return 0;
}

/*
 * kitt_task_copy_from_buf() - copy bytes out of the task's data buffer
 * @task: the task
 * @offset: where in the buffer
 * @dst: destination
 * @len: how many (must be inside the buffer)
 */
static void kitt_task_copy_from_buf(struct kitt_task *task, u32 offset, void *dst, u32 len)
{
	kitt_pages_copy_from(task->pages, offset, dst, len);
}

/**
 * kitt_task_recv_data() - receive a data segment into the task's buffer
 * @conn: the connection
 * @task: the task, or NULL to discard
 * @offset: buffer offset of the first byte
 * @len: DataSegmentLength
 *
 * Bytes past the buffer's end are received and discarded.
 *
 * Return: 0, -EBADMSG on a data digest error, or a receive error.
 */
static int kitt_task_recv_data(struct kitt_conn *conn, struct kitt_task *task,
			       u32 offset, u32 len)
{
	struct kvec vec[KITT_RECV_VECS];
	struct iov_iter to;
	u8 scratch[256];
	u32 left = len;
	unsigned int nr;
	int ret;

	ret = kitt_conn_data_begin(conn);
	if (ret)
		return ret;
	while (left) {
		u32 n = 0;

		if (task && offset < task->buf_len) {
			/* Into the buffer: as many pages as one read may take. */
			u32 want = min(left, task->buf_len - offset);

			for (nr = 0; nr < ARRAY_SIZE(vec) && n < want; nr++) {
				u32 pos = offset + n, off = pos & ~PAGE_MASK;
				struct page *page = task->pages[pos >> PAGE_SHIFT];

				vec[nr].iov_base = page_address(page) + off;
				vec[nr].iov_len = min_t(u32, want - n, PAGE_SIZE - off);
				n += vec[nr].iov_len;
			}
		} else {
			/* Past the buffer's end: read and drop. */
			n = min_t(u32, left, sizeof(scratch));
			vec[0].iov_base = scratch;
			vec[0].iov_len = n;
			nr = 1;
		}
		iov_iter_kvec(&to, READ, vec, nr, n);
		ret = kitt_conn_recv_iter(conn, &to);
		if (ret)
			return ret;
		offset += n;
		left -= n;
	}
	return kitt_conn_recv_digest(conn, len);
}

/* ------------------------------------------------------------------ */
/* Sending: R2T, Data-In, SCSI Response                               */
/* ------------------------------------------------------------------ */

static void kitt_task_queue(struct kitt_task *task)
{
	kitt_conn_queue(task->conn, &task->tx);
}

/*
 * A command is inside kitt_exec_srcu from its abort and reservation
 * checks until its bios are submitted (or its emulation is done): a
 * PREEMPT AND ABORT or LOGICAL UNIT RESET from another nexus marks the
 * commands, waits for those already past their checks, then for their
 * bios (kitt_task_abort_others()).
 */
DEFINE_STATIC_SRCU(kitt_exec_srcu);

/* Queue the task for an R2T round unless it already waits for one. */
static void kitt_task_queue_r2t(struct kitt_task *task)
{
	bool queue = false;

	spin_lock_irq(&task->lock);
	if (!task->r2t_queued) {
		task->r2t_queued = true;
		task->tx.ops = &kitt_task_r2t_ops;
		queue = true;
	}
	spin_unlock_irq(&task->lock);
	if (queue) {
		kitt_task_get(task);
		kitt_task_queue(task);
	}
}

static int kitt_task_send_r2ts(struct kitt_conn *conn, struct kitt_task *task)
{
	struct kitt_r2t_slot todo[KITT_MAX_R2T];
	unsigned int i, n = 0;
	struct iscsi_r2t_rsp hdr;
	int ret = 0;

	spin_lock_irq(&task->lock);
	task->r2t_queued = false;
	if (!task->aborted)
		n = kitt_wdata_take_r2ts(&task->wd, todo);
	spin_unlock_irq(&task->lock);

	for (i = 0; i < n && !ret; i++) {
		memset(&hdr, 0, sizeof(hdr));
		hdr.opcode = ISCSI_OP_R2T;
		hdr.flags = ISCSI_FLAG_CMD_FINAL;
		hdr.lun = task->lun_raw;
		hdr.itt = task->itt;
		hdr.ttt = cpu_to_be32(todo[i].ttt);
		kitt_conn_fill_stat(conn, &hdr.statsn, false, &hdr.exp_cmdsn, &hdr.max_cmdsn);
		hdr.r2tsn = cpu_to_be32(todo[i].r2tsn);
		hdr.data_offset = cpu_to_be32(todo[i].offset);
		hdr.data_length = cpu_to_be32(todo[i].len);
		ret = kitt_conn_send_iov(conn, (struct iscsi_hdr *)&hdr, NULL, 0, i + 1 < n);
	}
	return ret;
}

/* Send @len bytes of the buffer from @offset as one Data-In payload. */
static int kitt_task_send_payload(struct kitt_conn *conn, struct kitt_task *task,
				  u32 offset, u32 len)
{
	bool trailer = kitt_pad4(len) || conn->data_digest;
	u32 crc = KITT_CRC32C_SEED, left = len;
	struct kvec iov[2];
	__le32 digest;
	int ret;

	while (left) {
		struct bio_vec bv[KITT_SEND_VECS];
		unsigned int nr;
		u32 n = 0;

		for (nr = 0; nr < ARRAY_SIZE(bv) && n < left; nr++) {
			u32 pos = offset + n, off = pos & ~PAGE_MASK;
			u32 chunk = min_t(u32, left - n, PAGE_SIZE - off);
			struct page *page = task->pages[pos >> PAGE_SHIFT];

			bvec_set_page(&bv[nr], page, chunk, off);
			if (conn->data_digest)
				crc = kitt_crc32c_page(crc, page, off, chunk);
			n += chunk;
		}
		ret = kitt_conn_send_pages(conn, bv, nr, n, trailer || n < left);
		if (ret)
			return ret;
		offset += n;
		left -= n;
	}
	if (!trailer)
		return 0;
	return kitt_conn_send_kvec(conn, iov, kitt_conn_trailer(conn, iov, len, crc, &digest),
				   false);
}

static void kitt_task_residual(struct kitt_task *task, u8 *flags, __be32 *count)
{
	u8 res = 0;
	u32 n = 0;

	kitt_scsi_cmd_residual(&task->scsi, &res, &n);
	*flags |= res;
	*count = cpu_to_be32(n);
}

static int kitt_task_send_data_in(struct kitt_conn *conn, struct kitt_task *task,
				  bool with_status)
{
	u32 burst = task->sess->params.max_burst_length;
	u32 seg = conn->max_xmit_dsl;
	u32 offset = 0, burst_left = burst, datasn = 0;
	struct iscsi_data_rsp hdr;
	int ret;

	while (offset < task->data_len) {
		u32 len = min3(task->data_len - offset, seg, burst_left);
		bool last = offset + len == task->data_len;

		memset(&hdr, 0, sizeof(hdr));
		hdr.opcode = ISCSI_OP_SCSI_DATA_IN;
		burst_left -= len;
		if (last || !burst_left) {
			hdr.flags |= ISCSI_FLAG_CMD_FINAL;
			burst_left = burst;
		}
		hton24(hdr.dlength, len);
		hdr.lun = task->lun_raw;
		hdr.itt = task->itt;
		hdr.ttt = cpu_to_be32(ISCSI_RESERVED_TAG);
		if (last && with_status) {
			hdr.flags |= ISCSI_FLAG_CMD_FINAL | ISCSI_FLAG_DATA_STATUS;
			hdr.cmd_status = task->scsi.status;
			kitt_task_residual(task, &hdr.flags, &hdr.residual_count);
			kitt_conn_fill_stat(conn, &hdr.statsn, true, &hdr.exp_cmdsn,
					    &hdr.max_cmdsn);
		} else {
			u32 exp, max;

			kitt_session_window(task->sess, &exp, &max);
			hdr.exp_cmdsn = cpu_to_be32(exp);
			hdr.max_cmdsn = cpu_to_be32(max);
		}
		hdr.datasn = cpu_to_be32(datasn++);
		hdr.offset = cpu_to_be32(offset);
		ret = kitt_conn_send_iov(conn, (struct iscsi_hdr *)&hdr, NULL, 0, true);
		if (ret)
			return ret;
		ret = kitt_task_send_payload(conn, task, offset, len);
		if (ret)
			return ret;
		offset += len;
	}
	task->data_sn = datasn;
	return 0;
}

static int kitt_task_send_status(struct kitt_conn *conn, struct kitt_task *task)
{
	struct iscsi_scsi_rsp hdr;
	u8 sense[2 + KITT_SENSE_LEN];
	u32 slen = 0;

	memset(&hdr, 0, sizeof(hdr));
	hdr.opcode = ISCSI_OP_SCSI_CMD_RSP;
	hdr.flags = ISCSI_FLAG_CMD_FINAL;
	hdr.response = ISCSI_STATUS_CMD_COMPLETED;
	hdr.cmd_status = task->scsi.status;
	hdr.itt = task->itt;
	if (task->scsi.sense_len) {
		slen = task->scsi.sense_len;
		put_unaligned_be16(slen, sense);
		memcpy(sense + 2, task->scsi.sense, slen);
		slen += 2;
	}
	hton24(hdr.dlength, slen);
	kitt_task_residual(task, &hdr.flags, &hdr.residual_count);
	kitt_conn_fill_stat(conn, &hdr.statsn, true, &hdr.exp_cmdsn, &hdr.max_cmdsn);
	hdr.exp_datasn = cpu_to_be32(task->data_sn);
	return kitt_conn_send_iov(conn, (struct iscsi_hdr *)&hdr, sense, slen, false);
}

static int kitt_task_send_response(struct kitt_conn *conn, struct kitt_task *task)
{
	bool phase_collapse = task->scsi.status == SAM_STAT_GOOD && !task->scsi.sense_len;
	int ret;

	if (task->data_len) {
		ret = kitt_task_send_data_in(conn, task, phase_collapse);
		if (ret || phase_collapse)
			return ret;
	}
	return kitt_task_send_status(conn, task);
}

/* The transmit side's handler for a queued R2T round. */
static int kitt_task_tx_r2t(struct kitt_conn *conn, struct kitt_tx_item *item)
{
	struct kitt_task *task = container_of(item, struct kitt_task, tx);
	int ret;

	ret = kitt_task_send_r2ts(conn, task);
	kitt_task_put(task);
	return ret;
}

static void kitt_task_drop_r2t(struct kitt_conn *conn, struct kitt_tx_item *item)
{
	struct kitt_task *task = container_of(item, struct kitt_task, tx);

	spin_lock_irq(&task->lock);
	task->r2t_queued = false;
	spin_unlock_irq(&task->lock);
	kitt_task_put(task);
}

static const struct kitt_tx_ops kitt_task_r2t_ops = {
	.send	= kitt_task_tx_r2t,
	.drop	= kitt_task_drop_r2t,
};

static u64 kitt_task_decode_lun(const struct scsi_lun *raw);

/* Count a command that completed: in its connection's and its LUN's statistics. */
static void kitt_task_count(struct kitt_task *task, u64 latency_ns)
{
	const struct kitt_scsi_cmd *cmd = &task->scsi;
	enum kitt_stat_cmd_kind kind = KITT_STAT_CMD_OTHER;
	bool good = cmd->status == SAM_STAT_GOOD;
	u32 bytes = 0;

	if (kitt_task_is_rw(task->cdb_buf[0])) {
		/* Each WRITE opcode is its READ's plus 2: 0x28, 0x2a ... */
		if (task->cdb_buf[0] & 0x02) {
			kind = KITT_STAT_CMD_WRITE;
			bytes = good ? cmd->data_len : 0;
		} else {
			kind = KITT_STAT_CMD_READ;
			bytes = good ? task->data_len : 0;
		}
	}
	kitt_stats_cmd_done(task->lun ? task->lun->stats : NULL, &task->conn->stats, kind, bytes,
			    kitt_stats_error_kind(cmd->status, cmd->sense, cmd->sense_len),
			    latency_ns);
}

/* The transmit side's handler for a task's response. */
static int kitt_task_tx_rsp(struct kitt_conn *conn, struct kitt_tx_item *item)
{
	struct kitt_task *task = container_of(item, struct kitt_task, tx);
	bool aborted, tas;
	int ret = 0;

	/*
	 * A response: the task's flow reference ends here. From DONE on, an
	 * abort no longer takes the task (kitt_task_abort()): its status is
	 * going out, ahead of any TMF response queued after this point.
	 */
	spin_lock_irq(&task->lock);
	aborted = task->aborted;
	tas = task->tas;
	task->state = KITT_TASK_DONE;
	spin_unlock_irq(&task->lock);
	if (tas) {
		/* Aborted by another nexus: TASK ABORTED, no data (TAS 1) */
		task->scsi.status = SAM_STAT_TASK_ABORTED;
		task->scsi.sense_len = 0;
		task->scsi.xfer_len = 0;
		task->data_len = 0;
	}
	/* Its window slot opens in the MaxCmdSN that the response carries. */
	kitt_session_cmd_retire(task);
	kitt_dbg(KITT_DBG_SCSI, "conn %u: ITT 0x%x done: status 0x%x data %u aborted %d\n",
		 conn->id, kitt_itt(task->itt), task->scsi.status, task->data_len,
		 aborted);
	kitt_session_task_del(task);
	if (!aborted) {
		u64 latency_ns = ktime_get_ns() - task->start_ns;

		kitt_task_count(task, latency_ns);
		if (trace_kitt_cmd_done_enabled())
			trace_kitt_cmd_done(task->sess->id, kitt_itt(task->itt),
					    kitt_task_decode_lun(&task->lun_raw),
					    task->cdb_buf[0], task->data_len, task->scsi.status,
					    task->scsi.sense, task->scsi.sense_len, latency_ns);
		ret = kitt_task_send_response(conn, task);
	}
	kitt_task_put(task);
	return ret;
}

static void kitt_task_drop_rsp(struct kitt_conn *conn, struct kitt_tx_item *item)
{
	struct kitt_task *task = container_of(item, struct kitt_task, tx);

	kitt_session_task_del(task);
	kitt_task_put(task);
}

static const struct kitt_tx_ops kitt_task_rsp_ops = {
	.send	= kitt_task_tx_rsp,
	.drop	= kitt_task_drop_rsp,
};

/*
 * kitt_task_complete() - the command is finished: queue its response
 * @task: the task; its flow reference goes to the transmit queue
 *
 * Safe from bio completion context.
 */
static void kitt_task_complete(struct kitt_task *task)
{
	task->state = KITT_TASK_RESPONSE;
	task->tx.ops = &kitt_task_rsp_ops;
	/* What its Data-In PDUs take of the socket's send buffer. */
	if (task->data_len)
		task->tx.data_in = kitt_conn_data_in_room(task->conn, task->data_len,
							  task->sess->params.max_burst_length);
	kitt_task_queue(task);
}

/* ------------------------------------------------------------------ */
/* Execution: decode, block I/O, emulated commands                    */
/* ------------------------------------------------------------------ */

static void kitt_task_lu_info(struct kitt_task *task, struct kitt_lu_info *lu)
{
	struct kitt_device *dev = task->lun->dev;
	struct kitt_tpg *tpg = task->sess->tpg;

	memset(lu, 0, sizeof(*lu));
	lu->nr_blocks = dev->nr_blocks;
	lu->block_shift = dev->block_shift;
	lu->phys_exp = dev->phys_block_shift - dev->block_shift;
	/* Atomic writes up to the device's largest unit and MAXIMUM TRANSFER LENGTH */
	lu->read_only = dev->read_only || task->lun_wp;
	if (dev->atomic_min && !lu->read_only) {
		lu->atomic_gran_blocks = dev->atomic_min >> dev->block_shift;
		lu->atomic_max_blocks = min_t(u32, dev->atomic_max, KITT_MAX_XFER_BYTES) >>
					dev->block_shift;
		lu->atomic_max_blocks = rounddown(lu->atomic_max_blocks, lu->atomic_gran_blocks);
	}
	lu->wce = READ_ONCE(dev->wce);
	lu->discard = dev->discard;
	lu->lba_status = !!dev->ops->map_status;
	lu->max_xfer_blocks = KITT_MAX_XFER_BYTES >> dev->block_shift;
	lu->max_unmap_blocks = 0;
	lu->serial = dev->serial;
	lu->naa_id = dev->naa_id;
	lu->target_name = task->sess->target;
	lu->tpgt = tpg->tpgt;
	lu->rel_port_id = tpg->tpgt;
	lu->tpg_id = tpg->tpgt;
	lu->alua_state = READ_ONCE(tpg->alua.state);
	lu->alua_explicit = READ_ONCE(tpg->alua.explicit);
}

/* The LUN number of a PDU's LUN field, or U64_MAX for a form kitt does not use. */
static u64 kitt_task_decode_lun(const struct scsi_lun *raw)
{
	u64 lun;

	return kitt_scsi_lun_decode(raw->scsi_lun, &lun) ? U64_MAX : lun;
}

/**
 * kitt_task_prepare() - look the LUN up and decode the CDB
 * @task: the task
 *
 * Sets up the data buffer for the write data the command will take
 * (task->buf_len bytes) and the page for emulated Data-In.
 */
static void kitt_task_prepare(struct kitt_task *task)
{
	struct kitt_scsi_cmd *cmd = &task->scsi;
	struct kitt_lu_info lu;
	u64 lun = kitt_task_decode_lun(&task->lun_raw);

	cmd->cdb = task->cdb_buf;
	cmd->cdb_len = task->cdb_len;
	cmd->edtl = task->edtl;
	cmd->pdu_read = task->read;
	cmd->pdu_write = task->write;

	if (!kitt_task_is_rw(task->cdb_buf[0])) {
		task->emul_page = alloc_page(GFP_NOIO | __GFP_ZERO);
		if (!task->emul_page)
			goto no_memory;
		cmd->buf = page_address(task->emul_page);
		cmd->buf_size = PAGE_SIZE;
	}

	if (lun != U64_MAX && task->sess->tpg)
		task->lun = kitt_lun_get(task->sess->tpg, task->sess->acl_luns, lun,
					 &task->lun_wp);
	if (task->lun) {
		unsigned long *ua = &task->sess->ua[lun];

		kitt_stats_lun_start(task->lun->stats);
		/* No callback tells a holder of a resize: look at each command. */
		if (unlikely(kitt_backend_capacity_changed(task->lun->dev)))
			kitt_session_ua_dev(task->lun->dev, KITT_UA_CAPACITY_CHANGED, NULL);
		kitt_task_lu_info(task, &lu);
		cmd->ua_pending = READ_ONCE(*ua);
		kitt_scsi_decode(cmd, &lu);
		if (cmd->ua_cleared != KITT_UA_NONE)
			clear_bit(cmd->ua_cleared, ua);
	} else {
		kitt_scsi_decode_nolun(cmd);
	}

	if (cmd->dir == KITT_SCSI_DIR_OUT && cmd->data_len && task->write) {
		if (kitt_task_alloc_buf(task, cmd->data_len))
			goto no_memory;
	}
	return;

no_memory:
	cmd->action = KITT_SCSI_ACT_NONE;
	cmd->data_len = 0;
	kitt_scsi_set_io_error(cmd, -ENOMEM, false);
}

static void kitt_task_io_done(struct kitt_task *task)
{
	struct kitt_scsi_cmd *cmd = &task->scsi;
	struct kitt_dev_stats __percpu *ds = task->lun->dev->stats;

	if (task->io_error) {
		kitt_scsi_set_io_error(cmd, task->io_error, cmd->action != KITT_SCSI_ACT_READ);
		task->data_len = 0;
	} else if (cmd->action == KITT_SCSI_ACT_READ) {
		task->data_len = cmd->data_len;
		this_cpu_inc(ds->read_cmds);
		this_cpu_add(ds->read_bytes, task->data_len);
	} else if (cmd->data_len) {
		this_cpu_inc(ds->write_cmds);
		this_cpu_add(ds->write_bytes, cmd->data_len);
	}
	kitt_io_wake();
	kitt_task_complete(task);
}

static void kitt_task_end_io(struct kitt_dev_io *io, int error)
{
	struct kitt_task *task = container_of(io, struct kitt_task, io);

	task->io_error = error;
	atomic_set(&task->io_pending, 0);
	kitt_task_io_done(task);
}

/**
 * kitt_task_submit() - read, write or flush the task's buffer asynchronously
 * @task: the task; its flow reference passes to the backend
 * @op: what to do
 * @len: bytes from the start of the buffer (whole blocks); 0 for a flush
 *
 * Completion queues the response. Nothing touches @task after the
 * backend has it: brd and null_blk complete inside the submission.
 */
static void kitt_task_submit(struct kitt_task *task, enum kitt_io_op op, u32 len)
{
	struct kitt_dev_io *io = &task->io;

	io->dev = task->lun->dev;
	io->op = op;
	io->fua = task->scsi.fua;
	io->atomic = task->scsi.atomic;
	io->lba = task->scsi.lba;
	io->pages = task->pages;
	io->len = len;
	io->end_io = kitt_task_end_io;
	atomic_set(&task->io_pending, 1);
	kitt_backend_submit(io);
}

static void kitt_task_report_luns(struct kitt_task *task)
{
	unsigned int i, n = 0;
	u64 *luns;

	luns = kmalloc_array(KITT_MAX_LUNS, sizeof(*luns), GFP_NOIO);
	if (!luns) {
		kitt_scsi_set_io_error(&task->scsi, -ENOMEM, false);
		return;
	}
	rcu_read_lock();
	for (i = 0; i < KITT_MAX_LUNS; i++)
		if (kitt_session_lun_rcu(task->sess, i))
			luns[n++] = i;
	rcu_read_unlock();
	kitt_spc_report_luns(&task->scsi, luns, n);
	kfree(luns);
}

/* REPORT TARGET PORT GROUPS: the portal groups of the target that map the LU. */
static void kitt_task_rtpg(struct kitt_task *task)
{
	struct kitt_alua_group *groups;
	unsigned int n;

	groups = kmalloc_array(KITT_ALUA_MAX_GROUPS, sizeof(*groups), GFP_NOIO);
	if (!groups) {
		kitt_scsi_set_io_error(&task->scsi, -ENOMEM, false);
		return;
	}
	n = kitt_tpg_alua_groups(task->sess->tpg->target, task->lun->dev, groups,
				 KITT_ALUA_MAX_GROUPS);
	kitt_alua_rtpg(&task->scsi, groups, n);
	kfree(groups);
}

/*
 * SET TARGET PORT GROUPS, all or nothing; the other nexuses of the LUs of
 * the groups that changed get ASYMMETRIC ACCESS STATE CHANGED.
 */
static void kitt_task_stpg(struct kitt_task *task, const u8 *param)
{
	struct kitt_scsi_cmd *cmd = &task->scsi;
	struct kitt_target *target = task->sess->tpg->target;
	u16 ids[KITT_ALUA_MAX_GROUPS];
	u8 states[KITT_ALUA_MAX_GROUPS];
	const struct kitt_device **devs;
	unsigned int i, n = min_t(u32, cmd->nr_desc, KITT_ALUA_MAX_GROUPS), bad, nr_devs;

	devs = kmalloc_array(KITT_MAX_LUNS, sizeof(*devs), GFP_NOIO);
	if (!devs) {
		kitt_scsi_set_io_error(cmd, -ENOMEM, false);
		return;
	}
	for (i = 0; i < n; i++)
		kitt_alua_stpg_desc(param, i, &ids[i], &states[i]);
	if (kitt_tpg_alua_stpg(target, task->lun->dev, ids, states, n, &bad, devs, &nr_devs))
		kitt_scsi_invalid_param(cmd, 4 + 4 * bad + 2, 7);
	else if (nr_devs)
		kitt_session_ua_alua(target, devs, nr_devs, task->sess);
	kfree(devs);
}

/* GET LBA STATUS from the backend: an extent a descriptor, from cmd->lba on. */
static void kitt_task_lba_status(struct kitt_task *task)
{
	struct kitt_device *dev = task->lun->dev;
	struct kitt_scsi_cmd *cmd = &task->scsi;
	u64 lba = cmd->lba, nr;
	bool mapped;
	int ret;

	while (lba < dev->nr_blocks) {
		ret = kitt_backend_map_status(dev, lba, &nr, &mapped);
		if (ret) {
			kitt_scsi_set_io_error(cmd, ret, false);
			return;
		}
		if (!kitt_sbc_lba_status_desc(cmd, lba, nr, mapped))
			break;
		lba += nr;
	}
	kitt_sbc_lba_status_end(cmd);
}

/*
 * kitt_task_for_each() - call @fn on each task of @sess that @match
 * accepts (@match runs under the task table's lock; @fn with a reference
 * held and no lock, so it may sleep). Tasks are taken in batches, each
 * batch resuming after the last task seen. Returns how many @fn saw.
 */
static unsigned int kitt_task_for_each(struct kitt_session *sess,
				       bool (*match)(struct kitt_task *task, const void *arg),
				       const void *arg,
				       void (*fn)(struct kitt_task *task, void *ctx), void *ctx)
{
	struct kitt_itt_cursor cursor = {};
	struct kitt_task *batch[32];
	unsigned int n, i, total = 0;

	do {
		n = kitt_session_task_batch(sess, &cursor, match, arg, batch, ARRAY_SIZE(batch));
		for (i = 0; i < n; i++) {
			fn(batch[i], ctx);
			kitt_task_put(batch[i]);
		}
		total += n;
	} while (n == ARRAY_SIZE(batch));
	return total;
}

/* A task of the LU @dev (its LUN is looked up once it is decoded). */
static bool kitt_task_on_dev(struct kitt_task *task, const void *dev)
{
	struct kitt_lun *lun = READ_ONCE(task->lun);

	return lun && lun->dev == dev;
}

/*
 * Mark a task of another nexus to end in TASK ABORTED. Whatever state it
 * is in, it has not passed its check in kitt_task_exec_checked() without
 * the aborter's synchronize_srcu() waiting for it: one that gets there
 * later sees the mark and touches nothing.
 */
static void kitt_task_mark_tas(struct kitt_task *task, void *marked)
{
	spin_lock_irq(&task->lock);
	if (!task->aborted && !task->tas && task->state != KITT_TASK_DONE) {
		WRITE_ONCE(task->tas, true);
		(*(unsigned int *)marked)++;
	}
	spin_unlock_irq(&task->lock);
}

static void kitt_task_wait_io(struct kitt_task *task, void *unused)
{
	kitt_io_wait_task(task);
}

/**
 * kitt_task_abort_others() - abort the tasks other nexuses have on a LU
 * @dev: the LU
 * @match: which sessions (kitt_session_maps_dev(), kitt_session_is_port())
 * @arg: its argument
 * @self: the session that asked: its own tasks are its caller's business
 *
 * For a LOGICAL UNIT RESET, a target reset or a CLEAR TASK SET (one task
 * set for all nexuses, TST 000b), and for PREEMPT AND ABORT once the
 * reservation has changed: every command of those sessions on @dev ends
 * in TASK ABORTED, and none of them touches @dev after this returns.
 * Those whose bios are in flight are waited for; those still receiving
 * data or waiting for their CmdSN go on doing so in their own receive
 * thread, and then answer TASK ABORTED without running.
 *
 * Context: the receive thread, outside kitt_exec_srcu; may sleep.
 */
static void kitt_task_abort_others(const struct kitt_device *dev,
				   bool (*match)(struct kitt_session *sess, const void *arg),
				   const void *arg, struct kitt_session *self)
{
	struct kitt_session **list;
	unsigned int n, i, marked;

	n = kitt_session_collect(&list, match, arg, self);
	if (!n) {
		kfree(list);
		return;
	}
	for (i = 0; i < n; i++) {
		marked = 0;
		kitt_task_for_each(list[i], kitt_task_on_dev, dev, kitt_task_mark_tas, &marked);
		if (marked)
			pr_info_ratelimited("session %u of %s: %u command(s) on %s aborted by another nexus\n",
					    list[i]->id, list[i]->initiator, marked, dev->name);
	}
	/* Those past their check before the marks have now submitted their bios */
	synchronize_srcu(&kitt_exec_srcu);
	for (i = 0; i < n; i++) {
		kitt_task_for_each(list[i], kitt_task_on_dev, dev, kitt_task_wait_io, NULL);
		kitt_session_put(list[i]);
	}
	kfree(list);
}

static void kitt_task_data_out_param(struct kitt_task *task)
{
	struct kitt_scsi_cmd *cmd = &task->scsi;
	struct kitt_pr_ua *ua;
	LIST_HEAD(uas);
	struct kitt_pr_nexus n;
	struct kitt_lu_info lu;
	u32 len = cmd->data_len;
	u8 *param;

	param = kmalloc(max_t(u32, len, 1), GFP_NOIO);
	if (!param) {
		kitt_scsi_set_io_error(cmd, -ENOMEM, false);
		return;
	}
	kitt_task_copy_from_buf(task, 0, param, len);
	kitt_task_lu_info(task, &lu);
	kitt_scsi_data_out(cmd, &lu, param, len);
	switch (cmd->action) {
	case KITT_SCSI_ACT_SET_WCE:
		/* SPC-4 5.14: the other nexuses learn that it changed */
		if (xchg(&task->lun->dev->wce, cmd->wce) != cmd->wce)
			kitt_session_ua_dev(task->lun->dev, KITT_UA_MODE_CHANGED, task->sess);
		break;
	case KITT_SCSI_ACT_UNMAP:
		kitt_sbc_io_unmap(task->lun->dev, cmd, param);
		break;
	case KITT_SCSI_ACT_PR_OUT:
		kitt_session_nexus(task->sess, &n);
		kitt_pr_out(task->lun->dev, &n, cmd, param, len, &uas);
		list_for_each_entry(ua, &uas, node) {
			kitt_session_ua_port(task->lun->dev, ua);
			/* PREEMPT AND ABORT: the preempted nexuses' tasks go too */
			if ((cmd->cdb[1] & 0x1f) == KITT_PRO_PREEMPT_AND_ABORT &&
			    cmd->status == SAM_STAT_GOOD && ua->cond == KITT_UA_REG_PREEMPTED)
				kitt_task_abort_others(task->lun->dev, kitt_session_is_port, ua,
						       task->sess);
		}
		kitt_pr_ua_free(&uas);
		break;
	case KITT_SCSI_ACT_XCOPY:
		kitt_copy_run(task, param);
		break;
	case KITT_SCSI_ACT_STPG:
		kitt_task_stpg(task, param);
		break;
	default:
		break;
	}
	kfree(param);
}

/* Run a command whose data is all in; see kitt_task_exec(). */
static void kitt_task_exec_checked(struct kitt_task *task)
{
	struct kitt_scsi_cmd *cmd = &task->scsi;
	struct kitt_pr_nexus n;
	u32 len;

	/* Another nexus aborted it (kitt_task_abort_others()): TASK ABORTED. */
	if (unlikely(READ_ONCE(task->tas))) {
		cmd->action = KITT_SCSI_ACT_NONE;
		cmd->xfer_len = 0;
		cmd->data_len = 0;
		kitt_task_complete(task);
		return;
	}
	kitt_session_nexus(task->sess, &n);
	if (cmd->status == SAM_STAT_GOOD && task->lun) {
		if (!kitt_pr_check(task->lun->dev, &n, cmd->cdb)) {
			cmd->status = SAM_STAT_RESERVATION_CONFLICT;
			cmd->action = KITT_SCSI_ACT_NONE;
			cmd->xfer_len = 0;
			cmd->data_len = 0;
		}
	}
	if (cmd->status != SAM_STAT_GOOD) {
		kitt_task_complete(task);
		return;
	}
	/*
	 * Anything but a READ or WRITE may wait for I/O here (VERIFY, WRITE
	 * SAME, COMPARE AND WRITE, ...), and so may a WRITE behind a
	 * read-modify-write of its blocks: responses the receive thread
	 * gathered go out first.
	 */
	if ((cmd->action != KITT_SCSI_ACT_READ && cmd->action != KITT_SCSI_ACT_WRITE) ||
	    (cmd->action == KITT_SCSI_ACT_WRITE && READ_ONCE(task->lun->dev->rmw_ranges)))
		kitt_conn_kick(task->conn);
	switch (cmd->action) {
	case KITT_SCSI_ACT_RESERVE:
		kitt_pr_reserve_spc2(task->lun->dev, &n, cmd);
		break;
	case KITT_SCSI_ACT_RELEASE:
		kitt_pr_release_spc2(task->lun->dev, &n, cmd);
		break;
	case KITT_SCSI_ACT_PR_IN:
	case KITT_SCSI_ACT_COPY_STATUS:
	case KITT_SCSI_ACT_LBA_STATUS:
		if (cmd->action == KITT_SCSI_ACT_PR_IN)
			kitt_pr_in(task->lun->dev, cmd);
		else if (cmd->action == KITT_SCSI_ACT_COPY_STATUS)
			kitt_copy_status(task);
		else
			kitt_task_lba_status(task);
		fallthrough;
	case KITT_SCSI_ACT_EMULATE_IN:
	case KITT_SCSI_ACT_REPORT_LUNS:
	case KITT_SCSI_ACT_RTPG:
		if (cmd->action == KITT_SCSI_ACT_REPORT_LUNS)
			kitt_task_report_luns(task);
		else if (cmd->action == KITT_SCSI_ACT_RTPG)
			kitt_task_rtpg(task);
		if (cmd->status != SAM_STAT_GOOD || !cmd->data_len || task->pages)
			break;
		/* Send the emulated data straight from its page. */
		task->inline_pages[0] = task->emul_page;
		task->emul_page = NULL;
		task->pages = task->inline_pages;
		task->nr_pages = 1;
		task->buf_len = PAGE_SIZE;
		task->data_len = min_t(u32, cmd->data_len, PAGE_SIZE);
		break;
	case KITT_SCSI_ACT_READ:
		len = cmd->nr_blocks << task->lun->dev->block_shift;
		if (!len)
			break;
		if (kitt_task_alloc_buf(task, len)) {
			kitt_scsi_set_io_error(cmd, -ENOMEM, false);
			break;
		}
		kitt_task_submit(task, KITT_IO_READ, len);
		return;
	case KITT_SCSI_ACT_WRITE:
		len = cmd->nr_blocks << task->lun->dev->block_shift;
		if (!len)
			break;
		kitt_task_submit(task, KITT_IO_WRITE, len);
		return;
	case KITT_SCSI_ACT_FLUSH:
		kitt_task_submit(task, KITT_IO_FLUSH, 0);
		return;
	case KITT_SCSI_ACT_WRITE_VERIFY:
		kitt_sbc_io_write_verify(task->lun->dev, cmd, task->pages);
		break;
	case KITT_SCSI_ACT_VERIFY:
		kitt_sbc_io_verify(task->lun->dev, cmd, task->pages);
		break;
	case KITT_SCSI_ACT_WRITE_SAME:
		kitt_sbc_io_write_same(task->lun->dev, cmd, task->pages);
		break;
	case KITT_SCSI_ACT_COMPARE_AND_WRITE:
		kitt_sbc_io_compare_and_write(task->lun->dev, cmd, task->pages);
		break;
	case KITT_SCSI_ACT_ORWRITE:
		kitt_sbc_io_orwrite(task->lun->dev, cmd, task->pages);
		break;
	case KITT_SCSI_ACT_DATA_OUT_PARAM:
		kitt_task_data_out_param(task);
		break;
	default:
		break;
	}
	kitt_task_complete(task);
}

/* ------------------------------------------------------------------ */
/* Receiving: SCSI Command, immediate and Data-Out data, R2T          */
/* ------------------------------------------------------------------ */

static u32 kitt_task_new_ttt(void *arg)
{
	struct kitt_session *sess = arg;

	return atomic_inc_return(&sess->next_ttt) & 0x7fffffff;
}

/* Hand out R2Ts for the rest of the write data, up to MaxOutstandingR2T. */
static void kitt_task_issue_r2ts(struct kitt_task *task)
{
	unsigned int n;

	spin_lock_irq(&task->lock);
	n = kitt_wdata_issue_r2ts(&task->wd, &task->sess->params, kitt_task_new_ttt,
				  task->sess);
	spin_unlock_irq(&task->lock);
	if (n)
		kitt_task_queue_r2t(task);
}

/**
 * kitt_task_exec() - run a command whose data is all in
 * @task: the task; its flow reference moves on to the bios or the
 *	transmit queue
 *
 * PERSISTENT RESERVE OUT runs outside kitt_exec_srcu: a PREEMPT AND ABORT
 * waits there for the commands of the nexuses it preempts.
 */
static void kitt_task_exec(struct kitt_task *task)
{
	int idx;

	if (task->cdb_buf[0] == PERSISTENT_RESERVE_OUT) {
		kitt_task_exec_checked(task);
		return;
	}
	idx = srcu_read_lock(&kitt_exec_srcu);
	kitt_task_exec_checked(task);
	srcu_read_unlock(&kitt_exec_srcu, idx);
}

static bool kitt_task_data_complete(struct kitt_task *task)
{
	bool done;

	spin_lock_irq(&task->lock);
	done = kitt_wdata_complete(&task->wd);
	spin_unlock_irq(&task->lock);
	return done;
}

/* All write data is in (or none was needed): run the command. */
static void kitt_task_data_done(struct kitt_task *task)
{
	task->state = KITT_TASK_EXEC;
	kitt_task_exec(task);
}

/**
 * kitt_task_start() - a command's CmdSN has come: begin its data phase
 * @task: the task (flow reference held by the caller, passed on)
 */
static void kitt_task_start(struct kitt_task *task)
{
	if (task->state == KITT_TASK_DATA_OUT && !kitt_task_data_complete(task)) {
		kitt_task_issue_r2ts(task);
		return;
	}
	kitt_task_data_done(task);
}

/**
 * kitt_task_scsi_cmd() - handle a SCSI Command PDU
 * @conn: the connection
 * @rx: the PDU header, validated
 *
 * Return: 0, or a negative errno that ends the connection.
 */
int kitt_task_scsi_cmd(struct kitt_conn *conn, struct kitt_rx_pdu *rx)
{
	struct iscsi_scsi_req *req = (struct iscsi_scsi_req *)&rx->bhs;
	struct kitt_session *sess = conn->sess;
	u32 imm_len = rx->info.data_len;
	struct kitt_sess_params *p = &sess->params;
	struct kitt_task *task;
	struct kitt_ahs ahs;
	const char *why;
	int verdict, ret;

	conn->exp_stat_sn = be32_to_cpu(req->exp_statsn);
	ret = kitt_pdu_parse_ahs(rx->ahs, rx->ahs_len, &ahs);
	why = ret ? "bad AHS" : kitt_wdata_check_cmd(p, be32_to_cpu(req->data_length), imm_len);
	if (why) {
		pr_info_ratelimited("conn %u: bad SCSI Command ITT 0x%x: %s\n",
				    conn->id, kitt_itt(req->itt), why);
		ret = kitt_conn_skip_data(conn, imm_len);
		return ret ?: kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_PROTOCOL_ERROR);
	}

	task = kmem_cache_zalloc(kitt_task_cache, GFP_NOIO);
	if (task)
		task->start_ns = ktime_get_ns();
	if (!task)
		return -ENOMEM;
	refcount_set(&task->refs, 1);
	spin_lock_init(&task->lock);
	INIT_LIST_HEAD(&task->node);
	INIT_LIST_HEAD(&task->tx.node);
	atomic_inc(&conn->inflight);
	kitt_stats_cmd_start(&conn->stats);
	task->conn = conn;
	task->sess = sess;
	task->state = KITT_TASK_NEW;
	task->itt = req->itt;
	task->cmd_sn = be32_to_cpu(req->cmdsn);
	task->immediate = rx->bhs.opcode & ISCSI_OP_IMMEDIATE;
	task->lun_raw = req->lun;
	task->edtl = be32_to_cpu(req->data_length);
	task->write = req->flags & ISCSI_FLAG_CMD_WRITE;
	task->read = req->flags & ISCSI_FLAG_CMD_READ;
	kitt_wdata_init(&task->wd, p, 0, 0, 0, true);
	atomic_set(&task->io_pending, 0);

	ret = kitt_pdu_get_cdb(req, &ahs, task->cdb_buf, sizeof(task->cdb_buf));
	if (ret < 0) {
		kitt_task_put(task);
		ret = kitt_conn_skip_data(conn, imm_len);
		return ret ?: kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_PROTOCOL_ERROR);
	}
	task->cdb_len = ret;

	/* The window bounds the commands a session has in the target. */
	verdict = kitt_session_cmd_slot(conn, task->cmd_sn, task->immediate, task);
	kitt_dbg(KITT_DBG_SCSI, "conn %u: ITT 0x%x CmdSN %u op 0x%02x EDTL %u imm %u: %d\n",
		 conn->id, kitt_itt(task->itt), task->cmd_sn, task->cdb_buf[0], task->edtl,
		 imm_len, verdict);
	if (verdict == KITT_CMDSN_DROP || verdict == KITT_CMDSN_BUSY) {
		kitt_task_put(task);
		ret = kitt_conn_skip_data(conn, imm_len);
		if (ret || verdict == KITT_CMDSN_DROP)
			return ret;
		pr_info_ratelimited("conn %u: %u immediate commands in the target, rejecting ITT 0x%x\n",
				    conn->id, KITT_MAX_IMMEDIATE_CMDS, kitt_itt(req->itt));
		return kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_IMM_CMD_REJECT);
	}

	/* An ITT in use is refused; the task that has it is left alone. */
	if (kitt_session_task_add(sess, task)) {
		kitt_task_put(task);
		ret = kitt_conn_skip_data(conn, imm_len);
		return ret ?: kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_TASK_IN_PROGRESS);
	}

	/* Decode now: it tells how much write data to keep. */
	kitt_task_prepare(task);

	if (task->write && task->edtl) {
		task->state = KITT_TASK_DATA_OUT;
		kitt_wdata_init(&task->wd, p, task->edtl, task->buf_len, imm_len,
				req->flags & ISCSI_FLAG_CMD_FINAL);
	}
	ret = kitt_task_recv_data(conn, task->buf_len ? task : NULL, 0, imm_len);
	if (ret) {
		kitt_session_task_del(task);
		kitt_task_put(task);
		return ret;
	}

	if (verdict == KITT_CMDSN_LATER) {
		if (!kitt_session_park(sess, task)) {
			kitt_dbg(KITT_DBG_SESSION, "conn %u: CmdSN %u already waits, dropped\n",
				 conn->id, task->cmd_sn);
			kitt_session_task_del(task);
			kitt_task_put(task);
		}
		return 0;
	}
	kitt_task_start(task);
	kitt_task_run_pending(sess);
	return 0;
}

/**
 * kitt_task_run_pending() - run parked commands whose CmdSN has come
 * @sess: the session
 *
 * Called after a command, of any kind, that may have advanced ExpCmdSN.
 */
void kitt_task_run_pending(struct kitt_session *sess)
{
	struct kitt_task *task;

	while ((task = kitt_session_next_pending(sess)))
		kitt_task_start(task);
}

/**
 * kitt_task_data_out() - handle a SCSI Data-Out PDU
 * @conn: the connection
 * @rx: the PDU header, validated
 *
 * Return: 0, or a negative errno that ends the connection.
 */
int kitt_task_data_out(struct kitt_conn *conn, struct kitt_rx_pdu *rx)
{
	struct iscsi_data *hdr = (struct iscsi_data *)&rx->bhs;
	u32 len = rx->info.data_len, offset = be32_to_cpu(hdr->offset);
	u32 datasn = be32_to_cpu(hdr->datasn), ttt = be32_to_cpu(hdr->ttt);
	bool final = hdr->flags & ISCSI_FLAG_CMD_FINAL;
	struct kitt_session *sess = conn->sess;
	struct kitt_task *task;
	const char *why;
	int slot, ret;

	conn->exp_stat_sn = be32_to_cpu(hdr->exp_statsn);
	spin_lock(&sess->tasks_lock);
	task = kitt_session_task_find(sess, hdr->itt);
	if (task && (task->conn != conn || !refcount_inc_not_zero(&task->refs)))
		task = NULL;
	spin_unlock(&sess->tasks_lock);
	if (!task) {
		/* The task ended already (e.g. an early CHECK CONDITION): discard. */
		kitt_dbg(KITT_DBG_SESSION, "conn %u: Data-Out for unknown ITT 0x%x\n",
			 conn->id, kitt_itt(hdr->itt));
		return kitt_conn_skip_data(conn, len);
	}

	spin_lock_irq(&task->lock);
	if (task->state != KITT_TASK_DATA_OUT && task->state != KITT_TASK_NEW)
		why = "task not waiting for data";
	else
		why = kitt_wdata_check(&task->wd, ttt, offset, len, datasn, final, &slot);
	spin_unlock_irq(&task->lock);

	if (why) {
		pr_info_ratelimited("conn %u: bad Data-Out for ITT 0x%x: %s\n",
				    conn->id, kitt_itt(hdr->itt), why);
		kitt_task_put(task);
		ret = kitt_conn_skip_data(conn, len);
		return ret ?: kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_PROTOCOL_ERROR);
	}

	ret = kitt_task_recv_data(conn, task, offset, len);
	if (ret) {
		kitt_task_put(task);
		return ret;
	}

	spin_lock_irq(&task->lock);
	kitt_wdata_accept(&task->wd, slot, offset, len, final);
	spin_unlock_irq(&task->lock);

	/* The receive thread owns the flow while the task waits for data. */
	if (final && task->state == KITT_TASK_DATA_OUT && list_empty(&task->node)) {
		if (kitt_task_data_complete(task))
			kitt_task_data_done(task);
		else
			kitt_task_issue_r2ts(task);
	}
	kitt_task_put(task);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Aborts and task management                                         */
/* ------------------------------------------------------------------ */

/*
 * End @task without a response. The caller holds a reference of its own.
 * A task still in the receive thread's hands (waiting for data or for its
 * CmdSN) loses its flow reference here and leaves the task table; one
 * with bios in flight or queued for transmit is dropped by the transmit
 * thread when it gets there, and stays in the table (where another
 * nexus's abort finds it and waits for its bios) until the caller has
 * waited for them: see kitt_task_abort_wait().
 *
 * Returns false when it is too late: the transmit side has taken the
 * task's response (state DONE) and the initiator will see its status.
 */
static bool kitt_task_abort(struct kitt_task *task)
{
	bool owned;

	spin_lock_irq(&task->lock);
	if (task->aborted || task->state == KITT_TASK_DONE) {
		owned = task->aborted;
		spin_unlock_irq(&task->lock);
		return owned;
	}
	task->aborted = true;
	owned = task->state == KITT_TASK_DATA_OUT || task->state == KITT_TASK_NEW;
	spin_unlock_irq(&task->lock);

	if (owned) {
		bool parked;

		kitt_session_task_del(task);
		spin_lock_irq(&task->sess->lock);
		parked = !list_empty(&task->node);
		list_del_init(&task->node);
		spin_unlock_irq(&task->sess->lock);
		/* Its CmdSN stays received, or the commands after it would wait forever. */
		if (parked)
			kitt_session_plug_cmdsn(task->sess, task->cmd_sn);
		kitt_task_put(task);
	}
	return true;
}

struct kitt_abort_filter {
	struct kitt_conn *conn;		/* only tasks of this connection */
	itt_t except_itt;		/* never this one (the TMF itself) */
	bool before;			/* non-immediate tasks only before cmdsn: */
	u32 cmdsn;			/* a TMF in order spares those after it */
	bool by_lun;
	struct scsi_lun lun;		/* by_lun: this LUN field, */
	const struct kitt_device *dev;	/* or a LUN (of an ACL's) showing this LU */
};

static bool kitt_task_filter_match(struct kitt_task *task, const void *filter)
{
	const struct kitt_abort_filter *f = filter;

	return (!f->conn || task->conn == f->conn) && task->itt != f->except_itt &&
	       (!f->before || task->immediate || iscsi_sna_lt(task->cmd_sn, f->cmdsn)) &&
	       (!f->by_lun || !memcmp(&task->lun_raw, &f->lun, sizeof(f->lun)) ||
		kitt_task_on_dev(task, f->dev)) &&
	       !task->aborted;
}

/* Abort @task, wait for its bios, then let its ITT go. */
static void kitt_task_abort_wait(struct kitt_task *task, void *unused)
{
	kitt_task_abort(task);
	kitt_io_wait_task(task);
	kitt_session_task_del(task);
}

static unsigned int kitt_task_abort_matching(struct kitt_session *sess,
					     const struct kitt_abort_filter *f)
{
	return kitt_task_for_each(sess, kitt_task_filter_match, f, kitt_task_abort_wait, NULL);
}

/**
 * kitt_task_abort_conn() - end every task of a closing connection
 * @conn: the connection
 */
void kitt_task_abort_conn(struct kitt_conn *conn)
{
	struct kitt_abort_filter f = { .conn = conn, .except_itt = RESERVED_ITT };
	struct kitt_session *sess = conn->sess;
	struct kitt_task *task, *tmp;
	LIST_HEAD(parked);

	/*
	 * Waiting for the bios of those in flight: until they end, another
	 * nexus's PREEMPT AND ABORT or LU reset must still find them.
	 */
	kitt_task_abort_matching(sess, &f);

	/* Parked commands of this connection left the ITT table above. */
	spin_lock_irq(&sess->lock);
	list_for_each_entry_safe(task, tmp, &sess->pending, node)
		if (task->conn == conn)
			list_move(&task->node, &parked);
	spin_unlock_irq(&sess->lock);
	list_for_each_entry_safe(task, tmp, &parked, node) {
		list_del_init(&task->node);
		if (!task->aborted)
			kitt_task_put(task);
	}
}

/*
 * A LU is reset: its RESERVE reservation ends and every nexus, the one
 * that asked included, gets BUS DEVICE RESET FUNCTION OCCURRED.
 */
static void kitt_task_reset_lu(struct kitt_device *dev)
{
	kitt_pr_reset(dev);
	kitt_session_ua_dev(dev, KITT_UA_RESET, NULL);
}

/*
 * A target reset resets every LU @sess sees (of its portal group, as its
 * ACL shows them), for all nexuses.
 */
static void kitt_task_reset_luns(struct kitt_session *sess)
{
	struct kitt_lun *lun;
	unsigned int i;
	bool wp;

	for (i = 0; sess->tpg && i < KITT_MAX_LUNS; i++) {
		lun = kitt_lun_get(sess->tpg, sess->acl_luns, i, &wp);
		if (lun) {
			kitt_task_abort_others(lun->dev, kitt_session_maps_dev, lun->dev, sess);
			kitt_task_reset_lu(lun->dev);
			kitt_lun_put(lun);
		}
	}
}

/**
 * kitt_task_session_end() - the session's I_T nexus is gone
 * @sess: the session, after its last connection
 *
 * Ends its RESERVE(6)/(10) reservations (persistent ones stay).
 */
void kitt_task_session_end(struct kitt_session *sess)
{
	struct kitt_pr_nexus n;

	if (sess->discovery)
		return;
	kitt_session_nexus(sess, &n);
	kitt_pr_nexus_gone(&n);
}

static int kitt_task_tmf_respond(struct kitt_conn *conn, const struct iscsi_tm *req,
				 u8 response, bool close_after)
{
	struct kitt_ctl_pdu *pdu = kitt_ctl_rsp_alloc(ISCSI_OP_SCSI_TMFUNC_RSP, req->itt, 0);
	struct iscsi_tm_rsp *rsp;

	if (!pdu)
		return -ENOMEM;
	rsp = (struct iscsi_tm_rsp *)&pdu->bhs;
	rsp->response = response;
	pdu->close_after = close_after;
	kitt_conn_queue_ctl(conn, pdu);
	return 0;
}

static u8 kitt_task_tmf_abort_task(struct kitt_conn *conn, const struct iscsi_tm *req)
{
	struct kitt_session *sess = conn->sess;
	u32 ref = be32_to_cpu(req->refcmdsn);
	struct kitt_task *task;
	u32 exp, max;

	spin_lock(&sess->tasks_lock);
	task = kitt_session_task_find(sess, req->rtt);
	if (task && (memcmp(&task->lun_raw, &req->lun, sizeof(req->lun)) ||
		     !refcount_inc_not_zero(&task->refs)))
		task = NULL;
	spin_unlock(&sess->tasks_lock);

	if (task) {
		bool aborted = false;

		if (task->cmd_sn == ref || task->immediate) {
			aborted = kitt_task_abort(task);
			if (aborted) {
				kitt_io_wait_task(task);
				kitt_session_task_del(task);
			}
		}
		kitt_task_put(task);
		/* Not aborted: its status went out first, as if it had finished. */
		return aborted ? ISCSI_TMF_RSP_COMPLETE : ISCSI_TMF_RSP_NO_TASK;
	}
	/*
	 * RFC 7143 11.5.1: a task we never saw whose RefCmdSN is inside the
	 * window and older than the TMF itself is considered received, and
	 * the abort complete. A RefCmdSN below ExpCmdSN names a command that
	 * arrived (one connection delivers in order) and has finished: its
	 * status went out before this response, so the task does not exist.
	 */
	kitt_session_window(sess, &exp, &max);
	if (iscsi_sna_lte(exp, ref) && iscsi_sna_lte(ref, max) &&
	    iscsi_sna_lt(ref, be32_to_cpu(req->cmdsn))) {
		/* Received, so ExpCmdSN passes it: the initiator plugs its gap. */
		kitt_session_plug_cmdsn(sess, ref);
		return ISCSI_TMF_RSP_COMPLETE;
	}
	return ISCSI_TMF_RSP_NO_TASK;
}

/* Count a TMF for its connection (and so its session), and for the LUN it names. */
static void kitt_task_tmf_count(struct kitt_conn *conn, const struct iscsi_tm *req, u8 function)
{
	struct kitt_session *sess = conn->sess;
	struct kitt_lun *lun = NULL;
	bool wp;

	/* The target resets' LUN field is reserved. */
	if (sess->tpg && function != ISCSI_TM_FUNC_TARGET_WARM_RESET &&
	    function != ISCSI_TM_FUNC_TARGET_COLD_RESET)
		lun = kitt_lun_get(sess->tpg, sess->acl_luns, kitt_task_decode_lun(&req->lun),
				   &wp);
	kitt_stats_tmf(&conn->stats, lun ? lun->stats : NULL, function);
	if (lun)
		kitt_lun_put(lun);
}

/**
 * kitt_task_tmf() - handle a Task Management Function Request
 * @conn: the connection
 * @rx: the PDU
 *
 * Aborted tasks send nothing; the response goes out once their bios have
 * completed, so nothing an aborted command does reaches the medium after
 * the initiator has been told it is gone.
 *
 * Return: 0 or a negative errno that ends the connection.
 */
int kitt_task_tmf(struct kitt_conn *conn, struct kitt_rx_pdu *rx)
{
	struct iscsi_tm *req = (struct iscsi_tm *)&rx->bhs;
	u8 function = req->flags & ISCSI_FLAG_TM_FUNC_MASK;
	struct kitt_abort_filter f = { .except_itt = req->itt };
	struct kitt_session *sess = conn->sess;
	struct kitt_lun *lun;
	u8 response;
	bool wp;
	int ret;

	if (!rx->replay) {
		ret = kitt_conn_skip_data(conn, rx->info.data_len);
		if (ret)
			return ret;
	}
	conn->exp_stat_sn = be32_to_cpu(req->exp_statsn);
	/* Its data segment (none is defined) is not kept should it wait. */
	ret = kitt_session_ctl_window(conn, rx, be32_to_cpu(req->cmdsn), 0);
	if (ret != KITT_CMDSN_EXEC)
		return ret < 0 ? ret : 0;
	/*
	 * Without the I bit it runs in CmdSN order: the commands sent after
	 * it (waiting behind a gap it waited behind too) are not its to end.
	 */
	if (!(rx->bhs.opcode & ISCSI_OP_IMMEDIATE)) {
		f.before = true;
		f.cmdsn = be32_to_cpu(req->cmdsn);
	}

	switch (function) {
	case ISCSI_TM_FUNC_ABORT_TASK:
		response = kitt_task_tmf_abort_task(conn, req);
		break;
	case ISCSI_TM_FUNC_ABORT_TASK_SET:
	case ISCSI_TM_FUNC_CLEAR_TASK_SET:
	case ISCSI_TM_FUNC_LOGICAL_UNIT_RESET:
		lun = kitt_lun_get(sess->tpg, sess->acl_luns, kitt_task_decode_lun(&req->lun),
				   &wp);
		if (!lun) {
			response = ISCSI_TMF_RSP_NO_LUN;
			break;
		}
		f.by_lun = true;
		f.lun = req->lun;
		f.dev = lun->dev;
		kitt_task_abort_matching(sess, &f);
		/* One task set for all nexuses (TST 000b): theirs go as well */
		if (function != ISCSI_TM_FUNC_ABORT_TASK_SET)
			kitt_task_abort_others(lun->dev, kitt_session_maps_dev, lun->dev, sess);
		if (function == ISCSI_TM_FUNC_LOGICAL_UNIT_RESET)
			kitt_task_reset_lu(lun->dev);
		kitt_lun_put(lun);
		response = ISCSI_TMF_RSP_COMPLETE;
		break;
	case ISCSI_TM_FUNC_TARGET_WARM_RESET:
	case ISCSI_TM_FUNC_TARGET_COLD_RESET:
		kitt_task_abort_matching(sess, &f);
		kitt_task_reset_luns(sess);
		response = ISCSI_TMF_RSP_COMPLETE;
		break;
	case ISCSI_TM_FUNC_CLEAR_ACA:
		response = ISCSI_TMF_RSP_NOT_SUPPORTED;
		break;
	case ISCSI_TM_FUNC_TASK_REASSIGN:
		/* ErrorRecoveryLevel 0: no connection recovery. */
		response = ISCSI_TMF_RSP_NO_FAILOVER;
		break;
	default:
		response = ISCSI_TMF_RSP_REJECTED;
		break;
	}
	pr_info_ratelimited("session %u: task management function %u from %s: response %u\n",
			    sess->id, function, sess->initiator, response);
	kitt_task_tmf_count(conn, req, function);
	trace_kitt_tmf(sess->id, function, kitt_task_decode_lun(&req->lun),
		       kitt_itt(req->rtt), response);
	/* A cold reset also ends the connection, once the response is out. */
	return kitt_task_tmf_respond(conn, req, response,
				     function == ISCSI_TM_FUNC_TARGET_COLD_RESET &&
				     response == ISCSI_TMF_RSP_COMPLETE);
}
