// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: SCSI block commands (SBC-3 subset).
 *
 * The handlers check the CDB and describe the block I/O the task layer
 * performs: the LBA range, how many blocks, how many bytes move and in
 * which direction. READ CAPACITY and GET LBA STATUS are answered here.
 * The helpers at the end run after the data-out phase: the compare of
 * VERIFY / COMPARE AND WRITE and the UNMAP parameter list.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include "kitt_scsi.h"
#include "kitt_compat.h"

#ifndef WRITE_ATOMIC_16
#define WRITE_ATOMIC_16		0x9c	/* <scsi/scsi_proto.h> has it from 6.11 */
#endif

#ifndef PRE_FETCH_16
#define PRE_FETCH_16		0x90
#endif
#ifndef ORWRITE_16
#define ORWRITE_16		0x8b
#endif
#ifndef READ_DEFECT_DATA_12
#define READ_DEFECT_DATA_12	0xb7
#endif

/* The limits the block limits VPD page (spc.c) reports. */

/**
 * kitt_sbc_caw_max_blocks() - the COMPARE AND WRITE limit of a LU, as
 *	the block limits VPD page reports it.
 * @lu: the LU
 *
 * Return: KITT_SBC_MAX_CAW_BLOCKS, or less when @lu->max_xfer_blocks
 * cannot carry twice as many blocks; at least 1.
 */
u32 kitt_sbc_caw_max_blocks(const struct kitt_lu_info *lu)
{
	u32 max = KITT_SBC_MAX_CAW_BLOCKS;

	if (lu->max_xfer_blocks)
		max = min(max, lu->max_xfer_blocks / 2);
	return max ?: 1;
}

/**
 * kitt_sbc_ws_max_blocks() - the WRITE SAME limit of a LU.
 * @lu: the LU
 *
 * Return: @lu->max_ws_blocks, or KITT_SBC_DEFAULT_WS_BLOCKS when unset.
 */
u32 kitt_sbc_ws_max_blocks(const struct kitt_lu_info *lu)
{
	return lu->max_ws_blocks ?: KITT_SBC_DEFAULT_WS_BLOCKS;
}

/**
 * kitt_sbc_lba_ok() - check that @nr blocks at @lba lie on the medium.
 * @cmd: the command, gets LBA OUT OF RANGE otherwise
 * @lu: the LU
 * @lba: first block
 * @nr: number of blocks, may be 0 (then @lba may equal the capacity)
 *
 * Return: true when the range is inside the capacity.
 */
static bool kitt_sbc_lba_ok(struct kitt_scsi_cmd *cmd,
			    const struct kitt_lu_info *lu, u64 lba, u64 nr)
{
	if (lba > lu->nr_blocks || nr > lu->nr_blocks - lba) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_LBA_OUT_OF_RANGE,
			       0);
		return false;
	}
	return true;
}

/*
 * LBA and transfer length of the 10, 12 and 16 byte forms, and the
 * offset of the length field for the sense field pointer.
 */
static void kitt_sbc_lba_len(const u8 *cdb, u64 *lba, u32 *nr, u16 *len_byte)
{
	switch (cdb[0] >> 5) {
	case 1:				/* 10-byte CDBs */
	case 2:
		*lba = get_unaligned_be32(&cdb[2]);
		*nr = get_unaligned_be16(&cdb[7]);
		*len_byte = 7;
		break;
	case 5:				/* 12-byte CDBs */
		*lba = get_unaligned_be32(&cdb[2]);
		*nr = get_unaligned_be32(&cdb[6]);
		*len_byte = 6;
		break;
	default:			/* 16-byte CDBs */
		*lba = get_unaligned_be64(&cdb[2]);
		*nr = get_unaligned_be32(&cdb[10]);
		*len_byte = 10;
		break;
	}
}

/*
 * Checks shared by the data commands: transfer length against the LU's
 * limit and the 32-bit EDTL, then the LBA range.
 */
static bool kitt_sbc_check_range(struct kitt_scsi_cmd *cmd,
				 const struct kitt_lu_info *lu, u64 lba,
				 u32 nr, u16 len_byte)
{
	if ((lu->max_xfer_blocks && nr > lu->max_xfer_blocks) ||
	    ((u64)nr << lu->block_shift) > U32_MAX) {
		kitt_scsi_invalid_cdb(cmd, len_byte, 7);
		return false;
	}
	return kitt_sbc_lba_ok(cmd, lu, lba, nr);
}

/*
 * Describe a block I/O of @blocks at @lba moving @xfer_len bytes (as the
 * CDB says) in @dir; clamp to what EDTL really carries.
 */
static void kitt_sbc_set_io(struct kitt_scsi_cmd *cmd,
			    const struct kitt_lu_info *lu,
			    enum kitt_scsi_action action,
			    enum kitt_scsi_dir dir, u64 lba, u32 blocks,
			    u32 xfer_len)
{
	cmd->action = action;
	cmd->dir = dir;
	cmd->lba = lba;
	cmd->cdb_blocks = blocks;
	cmd->xfer_len = xfer_len;
	cmd->data_len = min(xfer_len, kitt_scsi_dir_edtl(cmd));
	switch (dir) {
	case KITT_SCSI_DIR_IN:		/* read whole blocks, send a part */
		cmd->nr_blocks = DIV_ROUND_UP(cmd->data_len,
					      1U << lu->block_shift);
		break;
	case KITT_SCSI_DIR_OUT:		/* write only whole blocks */
		cmd->nr_blocks = cmd->data_len >> lu->block_shift;
		break;
	default:
		cmd->nr_blocks = blocks;
		break;
	}
}

/* RDPROTECT / WRPROTECT / VRPROTECT: kitt has no protection info. */
static bool kitt_sbc_no_protect(struct kitt_scsi_cmd *cmd)
{
	if (cmd->cdb[1] & 0xe0) {
		kitt_scsi_invalid_cdb(cmd, 1, 7);
		return false;
	}
	return true;
}

static void kitt_sbc_rw(struct kitt_scsi_cmd *cmd,
			const struct kitt_lu_info *lu, bool write)
{
	const u8 *cdb = cmd->cdb;
	u16 len_byte;
	u64 lba;
	u32 nr;

	if (cdb[0] == READ_6 || cdb[0] == WRITE_6) {
		lba = get_unaligned_be24(&cdb[1]) & 0x1fffff;
		nr = cdb[4] ?: 256;
		len_byte = 4;
	} else {
		if (!kitt_sbc_no_protect(cmd))
			return;
		kitt_sbc_lba_len(cdb, &lba, &nr, &len_byte);
		cmd->fua = cdb[1] & 0x08;
	}
	if (!kitt_sbc_check_range(cmd, lu, lba, nr, len_byte))
		return;
	kitt_sbc_set_io(cmd, lu, write ? KITT_SCSI_ACT_WRITE : KITT_SCSI_ACT_READ,
			write ? KITT_SCSI_DIR_OUT : KITT_SCSI_DIR_IN, lba, nr,
			nr << lu->block_shift);
	if (write && !lu->wce)
		cmd->fua = true;		/* write-through */
}

/*
 * WRITE ATOMIC(16): a write the device applies whole or not at all. The
 * LBA range first (libiscsi checks out-of-range lengths of any size),
 * then what atomic writes allow: no ATOMIC BOUNDARY, a length and an LBA
 * that are multiples of the granularity, at most the maximum.
 */
static void kitt_sbc_write_atomic(struct kitt_scsi_cmd *cmd,
				  const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	u64 lba = get_unaligned_be64(&cdb[2]);
	u32 nr = get_unaligned_be16(&cdb[12]);
	u32 gran = lu->atomic_gran_blocks ?: 1;

	if (!kitt_sbc_no_protect(cmd) || !kitt_sbc_lba_ok(cmd, lu, lba, nr))
		return;
	if (get_unaligned_be16(&cdb[10])) {	/* ATOMIC BOUNDARY: none offered */
		kitt_scsi_invalid_cdb(cmd, 10, 7);
		return;
	}
	if (nr % gran || nr > lu->atomic_max_blocks) {
		kitt_scsi_invalid_cdb(cmd, 12, 7);
		return;
	}
	if (lba % gran) {
		kitt_scsi_invalid_cdb(cmd, 2, 7);
		return;
	}
	kitt_sbc_set_io(cmd, lu, KITT_SCSI_ACT_WRITE, KITT_SCSI_DIR_OUT, lba, nr,
			nr << lu->block_shift);
	/* All of it or nothing: a short Data-Out cannot be written atomically */
	if (cmd->data_len != cmd->xfer_len) {
		kitt_scsi_invalid_cdb(cmd, 12, 7);
		return;
	}
	cmd->fua = (cdb[1] & 0x08) || !lu->wce;
	cmd->atomic = true;
}

static void kitt_sbc_read(struct kitt_scsi_cmd *cmd,
			  const struct kitt_lu_info *lu)
{
	kitt_sbc_rw(cmd, lu, false);
}

static void kitt_sbc_write(struct kitt_scsi_cmd *cmd,
			   const struct kitt_lu_info *lu)
{
	kitt_sbc_rw(cmd, lu, true);
}

/* ORWRITE(16): read, OR the data in, write back (SBC-3 5.8) */
static void kitt_sbc_orwrite(struct kitt_scsi_cmd *cmd,
			     const struct kitt_lu_info *lu)
{
	u16 len_byte;
	u64 lba;
	u32 nr;

	if (!kitt_sbc_no_protect(cmd))		/* ORPROTECT */
		return;
	kitt_sbc_lba_len(cmd->cdb, &lba, &nr, &len_byte);
	if (!kitt_sbc_check_range(cmd, lu, lba, nr, len_byte))
		return;
	kitt_sbc_set_io(cmd, lu, KITT_SCSI_ACT_ORWRITE, KITT_SCSI_DIR_OUT,
			lba, nr, nr << lu->block_shift);
	cmd->fua = (cmd->cdb[1] & 0x08) || !lu->wce;
}

/*
 * READ DEFECT DATA (10) and (12): the list is empty in whatever format
 * was asked for; the header says which lists it stands for.
 */
static void kitt_sbc_read_defect_data(struct kitt_scsi_cmd *cmd,
				      const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	bool ten = cdb[0] == READ_DEFECT_DATA;
	u8 flags = ten ? cdb[2] : cdb[1];
	u8 *buf = cmd->buf;
	u32 len = ten ? 4 : 8;

	memset(buf, 0, len);
	buf[1] = flags & 0x1f;		/* PLISTV, GLISTV, the format */
	kitt_scsi_set_data_in(cmd, len, ten ? get_unaligned_be16(&cdb[7]) :
			      get_unaligned_be32(&cdb[6]));
}

static void kitt_sbc_verify(struct kitt_scsi_cmd *cmd,
			    const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	u8 bytchk = (cdb[1] >> 1) & 0x03;
	u32 bs = 1U << lu->block_shift;
	u16 len_byte;
	u64 lba;
	u32 nr;

	if (!kitt_sbc_no_protect(cmd))
		return;
	if (bytchk == 2) {			/* reserved */
		kitt_scsi_invalid_cdb(cmd, 1, 2);
		return;
	}
	kitt_sbc_lba_len(cdb, &lba, &nr, &len_byte);
	if (!kitt_sbc_check_range(cmd, lu, lba, nr, len_byte))
		return;
	cmd->bytchk = bytchk;
	switch (bytchk) {
	case 0:					/* medium only, no data */
		kitt_sbc_set_io(cmd, lu, KITT_SCSI_ACT_VERIFY,
				KITT_SCSI_DIR_NONE, lba, nr, 0);
		break;
	case 1:					/* compare nr blocks */
		kitt_sbc_set_io(cmd, lu, KITT_SCSI_ACT_VERIFY,
				KITT_SCSI_DIR_OUT, lba, nr, nr * bs);
		break;
	default:				/* one block against each */
		kitt_sbc_set_io(cmd, lu, KITT_SCSI_ACT_VERIFY,
				KITT_SCSI_DIR_OUT, lba, nr, nr ? bs : 0);
		cmd->nr_blocks = cmd->data_len == bs ? nr : 0;
		break;
	}
}

static void kitt_sbc_write_verify(struct kitt_scsi_cmd *cmd,
				  const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	u8 bytchk = (cdb[1] >> 1) & 0x03;
	u16 len_byte;
	u64 lba;
	u32 nr;

	if (!kitt_sbc_no_protect(cmd))
		return;
	if (bytchk > 1) {
		kitt_scsi_invalid_cdb(cmd, 1, 2);
		return;
	}
	kitt_sbc_lba_len(cdb, &lba, &nr, &len_byte);
	if (!kitt_sbc_check_range(cmd, lu, lba, nr, len_byte))
		return;
	kitt_sbc_set_io(cmd, lu, KITT_SCSI_ACT_WRITE_VERIFY, KITT_SCSI_DIR_OUT,
			lba, nr, nr << lu->block_shift);
	cmd->bytchk = bytchk;
	cmd->fua = true;
}

/* The range of SYNCHRONIZE CACHE and PRE-FETCH: checked, 0 blocks allowed. */
static bool kitt_sbc_cache_range(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu,
				 u64 *lba, u32 *nr)
{
	u16 len_byte;

	kitt_sbc_lba_len(cmd->cdb, lba, nr, &len_byte);
	return kitt_sbc_lba_ok(cmd, lu, *lba, *nr);
}

static void kitt_sbc_sync_cache(struct kitt_scsi_cmd *cmd,
				const struct kitt_lu_info *lu)
{
	u64 lba;
	u32 nr;

	if (!kitt_sbc_cache_range(cmd, lu, &lba, &nr))
		return;
	cmd->action = KITT_SCSI_ACT_FLUSH;
	cmd->lba = lba;
	cmd->cdb_blocks = nr;
}

static void kitt_sbc_prefetch(struct kitt_scsi_cmd *cmd,
			      const struct kitt_lu_info *lu)
{
	u64 lba;
	u32 nr;

	/* Nothing to stage: GOOD once the range is valid */
	kitt_sbc_cache_range(cmd, lu, &lba, &nr);
}

static void kitt_sbc_write_same(struct kitt_scsi_cmd *cmd,
				const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	u32 bs = 1U << lu->block_shift;
	u8 b1 = cdb[1];
	u64 lba, total;
	u16 len_byte;
	bool ndob;
	u32 nr;

	if (!kitt_sbc_no_protect(cmd))
		return;
	if (b1 & 0x10) {			/* ANCHOR: ANC_SUP is 0 */
		kitt_scsi_invalid_cdb(cmd, 1, 4);
		return;
	}
	if ((b1 & 0x08) && !lu->discard) {	/* UNMAP needs LBPWS */
		kitt_scsi_invalid_cdb(cmd, 1, 3);
		return;
	}
	if (b1 & 0x06) {			/* PBDATA, LBDATA */
		kitt_scsi_invalid_cdb(cmd, 1, (b1 & 0x04) ? 2 : 1);
		return;
	}
	ndob = cdb[0] == WRITE_SAME_16 && (b1 & 0x01);
	kitt_sbc_lba_len(cdb, &lba, &nr, &len_byte);
	/* WSNZ is 0: zero blocks means every block from @lba to the last */
	total = nr ?: (lba < lu->nr_blocks ? lu->nr_blocks - lba : 1);
	if (!kitt_sbc_lba_ok(cmd, lu, lba, total))
		return;
	if (total > kitt_sbc_ws_max_blocks(lu)) {
		kitt_scsi_invalid_cdb(cmd, len_byte, 7);
		return;
	}
	if (ndob) {
		/* NDOB: no Data-Out buffer, the block is all zeros */
		if (cmd->edtl && (cmd->pdu_write || cmd->pdu_read)) {
			kitt_scsi_invalid_cdb(cmd, 1, 0);
			return;
		}
		kitt_sbc_set_io(cmd, lu, KITT_SCSI_ACT_WRITE_SAME, KITT_SCSI_DIR_NONE,
				lba, total, 0);
	} else {
		cmd->dir = KITT_SCSI_DIR_OUT;
		if (kitt_scsi_dir_edtl(cmd) != bs) {	/* exactly one block */
			kitt_sense_set(cmd, ILLEGAL_REQUEST,
				       KITT_ASC_INVALID_FIELD_IN_CDB, 0);
			return;
		}
		kitt_sbc_set_io(cmd, lu, KITT_SCSI_ACT_WRITE_SAME, KITT_SCSI_DIR_OUT,
				lba, total, bs);
	}
	cmd->ndob = ndob;
	cmd->nr_blocks = total;
	cmd->unmap = b1 & 0x08;
	cmd->fua = !lu->wce;
}

static void kitt_sbc_unmap_cdb(struct kitt_scsi_cmd *cmd,
			       const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	u32 len = get_unaligned_be16(&cdb[7]);

	if (cdb[1] & 0x01) {			/* ANCHOR */
		kitt_scsi_invalid_cdb(cmd, 1, 0);
		return;
	}
	if (!len)
		return;				/* nothing to unmap: GOOD */
	if (len < 8) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST,
			       KITT_ASC_PARAM_LIST_LEN_ERROR, 0);
		return;
	}
	if (len > KITT_SCSI_MAX_PARAM_LEN) {
		kitt_scsi_invalid_cdb(cmd, 7, 7);
		return;
	}
	cmd->action = KITT_SCSI_ACT_DATA_OUT_PARAM;
	cmd->dir = KITT_SCSI_DIR_OUT;
	cmd->xfer_len = len;
	cmd->data_len = min(len, kitt_scsi_dir_edtl(cmd));
}

static void kitt_sbc_caw(struct kitt_scsi_cmd *cmd,
			 const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	u64 lba = get_unaligned_be64(&cdb[2]);
	u32 nr = cdb[13];
	u32 xfer;

	if (!kitt_sbc_no_protect(cmd))
		return;
	if (nr > kitt_sbc_caw_max_blocks(lu)) {
		kitt_scsi_invalid_cdb(cmd, 13, 7);
		return;
	}
	if (!kitt_sbc_lba_ok(cmd, lu, lba, nr))
		return;
	/*
	 * The Data-Out buffer must hold exactly the compare and the write
	 * halves, also for zero blocks (no compare, no write: GOOD only
	 * without data): a mismatch means the initiator meant another
	 * length, as when 256 blocks wrap to 0 in the one-byte field.
	 */
	xfer = (2 * nr) << lu->block_shift;
	cmd->dir = KITT_SCSI_DIR_OUT;
	if (kitt_scsi_dir_edtl(cmd) != xfer) {
		kitt_scsi_invalid_cdb(cmd, 13, 7);
		return;
	}
	if (!nr) {
		cmd->dir = KITT_SCSI_DIR_NONE;
		return;
	}
	kitt_sbc_set_io(cmd, lu, KITT_SCSI_ACT_COMPARE_AND_WRITE,
			KITT_SCSI_DIR_OUT, lba, nr, xfer);
	cmd->nr_blocks = nr;
	cmd->fua = (cdb[1] & 0x08) || !lu->wce;
}

static void kitt_sbc_read_capacity(struct kitt_scsi_cmd *cmd,
				   const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	u64 last = lu->nr_blocks ? lu->nr_blocks - 1 : 0;

	if (!(cdb[8] & 0x01) && get_unaligned_be32(&cdb[2])) {	/* PMI 0 */
		kitt_scsi_invalid_cdb(cmd, 2, 7);
		return;
	}
	memset(cmd->buf, 0, 8);
	put_unaligned_be32(min_t(u64, last, U32_MAX), cmd->buf);
	put_unaligned_be32(1U << lu->block_shift, &cmd->buf[4]);
	kitt_scsi_set_data_in(cmd, 8, 8);
}

static void kitt_sbc_read_capacity16(struct kitt_scsi_cmd *cmd,
				     const struct kitt_lu_info *lu)
{
	u8 *buf = cmd->buf;

	memset(buf, 0, 32);
	put_unaligned_be64(lu->nr_blocks ? lu->nr_blocks - 1 : 0, buf);
	put_unaligned_be32(1U << lu->block_shift, &buf[8]);
	buf[13] = lu->phys_exp & 0x0f;		/* LBPPBE */
	if (lu->discard) {
		buf[14] = 0x80;			/* LBPME */
		if (lu->lbprz)
			buf[14] |= 0x40;	/* LBPRZ */
	}
	kitt_scsi_set_data_in(cmd, 32, get_unaligned_be32(&cmd->cdb[10]));
}

static void kitt_sbc_get_lba_status(struct kitt_scsi_cmd *cmd,
				    const struct kitt_lu_info *lu)
{
	u64 lba = get_unaligned_be64(&cmd->cdb[2]);
	u8 *buf = cmd->buf;

	if (lba >= lu->nr_blocks) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_LBA_OUT_OF_RANGE,
			       0);
		return;
	}
	memset(buf, 0, 8);
	put_unaligned_be32(4, buf);		/* no descriptor yet */
	if (lu->lba_status) {			/* the backend knows: ask it */
		cmd->action = KITT_SCSI_ACT_LBA_STATUS;
		cmd->dir = KITT_SCSI_DIR_IN;
		cmd->lba = lba;
		cmd->xfer_len = get_unaligned_be32(&cmd->cdb[10]);
		return;
	}
	/* One descriptor: everything from @lba on is "mapped or unknown" */
	kitt_sbc_lba_status_desc(cmd, lba, lu->nr_blocks - lba, true);
	kitt_sbc_lba_status_end(cmd);
}

/* Descriptors GET LBA STATUS returns: what the buffer and the allocation length hold. */
static u32 kitt_sbc_lba_status_room(const struct kitt_scsi_cmd *cmd)
{
	u32 alloc = get_unaligned_be32(&cmd->cdb[10]);

	return max_t(u32, 1, min_t(u32, alloc > 8 ? (alloc - 8) / 16 : 0,
				   (KITT_SCSI_BUF_SIZE - 8) / 16));
}

/**
 * kitt_sbc_lba_status_desc() - append a GET LBA STATUS descriptor
 * @cmd: the command (its buffer holds the data built so far)
 * @lba: the extent's first block
 * @nr: its length (split at 2^32 - 1 blocks, the field's limit)
 * @mapped: it is mapped (or kitt cannot tell); else deallocated
 *
 * Return: true when there is room for another descriptor.
 */
bool kitt_sbc_lba_status_desc(struct kitt_scsi_cmd *cmd, u64 lba, u64 nr, bool mapped)
{
	u32 n = (get_unaligned_be32(cmd->buf) - 4) / 16, room = kitt_sbc_lba_status_room(cmd);
	u8 *d;

	while (nr && n < room) {
		u32 len = min_t(u64, nr, U32_MAX);

		d = &cmd->buf[8 + 16 * n++];
		memset(d, 0, 16);
		put_unaligned_be64(lba, d);
		put_unaligned_be32(len, &d[8]);
		d[12] = mapped ? 0x0 : 0x1;	/* mapped or unknown / deallocated */
		lba += len;
		nr -= len;
	}
	put_unaligned_be32(4 + 16 * n, cmd->buf);
	return n < room;
}

/**
 * kitt_sbc_lba_status_end() - GET LBA STATUS: send the descriptors built
 * @cmd: the command
 */
void kitt_sbc_lba_status_end(struct kitt_scsi_cmd *cmd)
{
	kitt_scsi_set_data_in(cmd, get_unaligned_be32(cmd->buf) + 4,
			      get_unaligned_be32(&cmd->cdb[10]));
}

/**
 * kitt_sbc_compare() - compare medium data with Data-Out data.
 * @cmd: the command (VERIFY or COMPARE AND WRITE)
 * @medium: bytes read from the medium
 * @data: bytes received from the initiator
 * @len: bytes to compare
 * @offset: offset of @data in the Data-Out buffer (callers comparing in
 *	pieces pass the running offset)
 *
 * On a difference @cmd gets MISCOMPARE / MISCOMPARE DURING VERIFY
 * OPERATION with the offset of the first differing byte in INFORMATION.
 *
 * Return: 0 when equal, -EILSEQ on a miscompare.
 */
int kitt_sbc_compare(struct kitt_scsi_cmd *cmd, const u8 *medium,
		     const u8 *data, u32 len, u32 offset)
{
	u32 i;

	if (!memcmp(medium, data, len))
		return 0;
	for (i = 0; i < len && medium[i] == data[i]; i++)
		;
	kitt_sense_set_info(cmd, MISCOMPARE, KITT_ASC_MISCOMPARE_VERIFY, 0,
			    offset + i);
	return -EILSEQ;
}

/**
 * kitt_sbc_unmap_check() - validate an UNMAP parameter list.
 * @cmd: the UNMAP command
 * @lu: the LU
 * @param: the parameter list
 * @len: bytes received
 *
 * Checks the header lengths, the descriptor count against
 * KITT_SBC_MAX_UNMAP_DESC, every range against the capacity and the
 * total against @lu->max_unmap_blocks. A trailing partial descriptor is
 * ignored. On success the action is UNMAP with cmd->nr_desc set.
 *
 * Return: 0, or -EINVAL when @cmd now carries CHECK CONDITION.
 */
int kitt_sbc_unmap_check(struct kitt_scsi_cmd *cmd,
			 const struct kitt_lu_info *lu, const u8 *param,
			 u32 len)
{
	u32 data_len, bd_len, nr_desc, i, nr;
	u64 total = 0, lba;

	cmd->action = KITT_SCSI_ACT_NONE;
	if (len < 8)
		goto len_error;
	data_len = get_unaligned_be16(param);
	bd_len = get_unaligned_be16(&param[2]);
	if (data_len > len - 2 || bd_len > len - 8)
		goto len_error;
	nr_desc = bd_len / 16;
	if (nr_desc > KITT_SBC_MAX_UNMAP_DESC) {
		kitt_scsi_invalid_param(cmd, 2, 7);
		return -EINVAL;
	}
	for (i = 0; i < nr_desc; i++) {
		kitt_sbc_unmap_desc(param, i, &lba, &nr);
		if (!kitt_sbc_lba_ok(cmd, lu, lba, nr))
			return -EINVAL;
		total += nr;
		if (lu->max_unmap_blocks && total > lu->max_unmap_blocks) {
			kitt_scsi_invalid_param(cmd, 8 + 16 * i + 8, 7);
			return -EINVAL;
		}
	}
	cmd->nr_desc = nr_desc;
	cmd->action = KITT_SCSI_ACT_UNMAP;
	return 0;

len_error:
	kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_PARAM_LIST_LEN_ERROR, 0);
	return -EINVAL;
}

/**
 * kitt_sbc_unmap_desc() - read UNMAP block descriptor @idx.
 * @param: a parameter list that passed kitt_sbc_unmap_check()
 * @idx: below cmd->nr_desc
 * @lba: set to the first block
 * @nr: set to the number of blocks (may be 0)
 */
void kitt_sbc_unmap_desc(const u8 *param, u32 idx, u64 *lba, u32 *nr)
{
	const u8 *d = &param[8 + 16 * idx];

	*lba = get_unaligned_be64(d);
	*nr = get_unaligned_be32(&d[8]);
}

/* ------------------------------------------------------------------ */
/* The SBC table                                                      */
/* ------------------------------------------------------------------ */

#define WR		KITT_OP_WRITES

const struct kitt_scsi_op kitt_sbc_ops[] = {
	{ READ_6, 0, 0, 6, kitt_sbc_read,
	  { READ_6, 0x1f, 0xff, 0xff, 0xff, 0 } },
	{ WRITE_6, 0, WR, 6, kitt_sbc_write,
	  { WRITE_6, 0x1f, 0xff, 0xff, 0xff, 0 } },
	{ READ_CAPACITY, 0, KITT_OP_BUF, 10, kitt_sbc_read_capacity,
	  { READ_CAPACITY, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0x01, 0 } },
	{ READ_10, 0, 0, 10, kitt_sbc_read,
	  { READ_10, 0x18, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0 } },
	{ WRITE_10, 0, WR, 10, kitt_sbc_write,
	  { WRITE_10, 0x18, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0 } },
	{ WRITE_VERIFY, 0, WR, 10, kitt_sbc_write_verify,
	  { WRITE_VERIFY, 0x12, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0 } },
	{ VERIFY, 0, 0, 10, kitt_sbc_verify,
	  { VERIFY, 0x16, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0 } },
	{ PRE_FETCH, 0, 0, 10, kitt_sbc_prefetch,
	  { PRE_FETCH, 0x02, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0 } },
	{ SYNCHRONIZE_CACHE, 0, 0, 10, kitt_sbc_sync_cache,
	  { SYNCHRONIZE_CACHE, 0x02, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0 } },
	{ WRITE_SAME, 0, WR, 10, kitt_sbc_write_same,
	  { WRITE_SAME, 0x08, 0xff, 0xff, 0xff, 0xff, 0, 0xff, 0xff, 0 } },
	{ UNMAP, 0, WR | KITT_OP_DISCARD, 10, kitt_sbc_unmap_cdb,
	  { UNMAP, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0 } },
	{ READ_16, 0, 0, 16, kitt_sbc_read,
	  { READ_16, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ COMPARE_AND_WRITE, 0, WR, 16, kitt_sbc_caw,
	  { COMPARE_AND_WRITE, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0, 0, 0, 0xff, 0, 0 } },
	{ WRITE_16, 0, WR, 16, kitt_sbc_write,
	  { WRITE_16, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ WRITE_ATOMIC_16, 0, WR | KITT_OP_ATOMIC, 16, kitt_sbc_write_atomic,
	  { WRITE_ATOMIC_16, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ WRITE_VERIFY_16, 0, WR, 16, kitt_sbc_write_verify,
	  { WRITE_VERIFY_16, 0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ VERIFY_16, 0, 0, 16, kitt_sbc_verify,
	  { VERIFY_16, 0x16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ PRE_FETCH_16, 0, 0, 16, kitt_sbc_prefetch,
	  { PRE_FETCH_16, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ SYNCHRONIZE_CACHE_16, 0, 0, 16, kitt_sbc_sync_cache,
	  { SYNCHRONIZE_CACHE_16, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ WRITE_SAME_16, 0, WR, 16, kitt_sbc_write_same,
	  { WRITE_SAME_16, 0x09, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, KITT_OP_SA | KITT_OP_BUF,
	  16, kitt_sbc_read_capacity16,
	  { SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 0, 0, 0, 0, 0, 0,
	    0, 0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, KITT_OP_SA | KITT_OP_BUF,
	  16, kitt_sbc_get_lba_status,
	  { SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ READ_12, 0, 0, 12, kitt_sbc_read,
	  { READ_12, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ WRITE_12, 0, WR, 12, kitt_sbc_write,
	  { WRITE_12, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ WRITE_VERIFY_12, 0, WR, 12, kitt_sbc_write_verify,
	  { WRITE_VERIFY_12, 0x12, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ VERIFY_12, 0, 0, 12, kitt_sbc_verify,
	  { VERIFY_12, 0x16, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ ORWRITE_16, 0, WR, 16, kitt_sbc_orwrite,
	  { ORWRITE_16, 0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ READ_DEFECT_DATA, 0, KITT_OP_BUF, 10, kitt_sbc_read_defect_data,
	  { READ_DEFECT_DATA, 0, 0x1f, 0, 0, 0, 0, 0xff, 0xff, 0 } },
	{ READ_DEFECT_DATA_12, 0, KITT_OP_BUF, 12, kitt_sbc_read_defect_data,
	  { READ_DEFECT_DATA_12, 0x1f, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0 } },
};

const unsigned int kitt_sbc_nr_ops = ARRAY_SIZE(kitt_sbc_ops);
