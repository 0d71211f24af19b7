// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: sense data, status and residuals, shared by the command sets
 * (spc.c, sbc.c, pr.c): fixed-format sense (SPC-4 4.5.3) with the
 * information and sense-key specific fields, the CHECK CONDITIONs of an
 * invalid field in a CDB or parameter list, errors of the backing store,
 * and the residual counts of RFC 7143 11.4.5.1.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include "kitt_pdu.h"
#include "kitt_scsi.h"
#include "kitt_compat.h"

/* ------------------------------------------------------------------ */
/* Sense data and status                                              */
/* ------------------------------------------------------------------ */

/**
 * kitt_sense_set() - make @cmd end in CHECK CONDITION with fixed format
 *	sense data.
 * @cmd: the command
 * @key: sense key (ILLEGAL_REQUEST, ...)
 * @asc: additional sense code
 * @ascq: additional sense code qualifier
 *
 * Only status and sense change; the caller decides what else stops.
 */
void kitt_sense_set(struct kitt_scsi_cmd *cmd, u8 key, u8 asc, u8 ascq)
{
	memset(cmd->sense, 0, sizeof(cmd->sense));
	cmd->sense[0] = 0x70;			/* current error, fixed */
	cmd->sense[2] = key & 0x0f;
	cmd->sense[7] = KITT_SENSE_LEN - 8;	/* additional length */
	cmd->sense[12] = asc;
	cmd->sense[13] = ascq;
	cmd->sense_len = KITT_SENSE_LEN;
	cmd->status = SAM_STAT_CHECK_CONDITION;
}

/**
 * kitt_sense_set_info() - CHECK CONDITION with the INFORMATION field.
 * @cmd: the command
 * @key: sense key
 * @asc: additional sense code
 * @ascq: additional sense code qualifier
 * @info: INFORMATION (e.g. the offset of a miscompare); VALID is set
 */
void kitt_sense_set_info(struct kitt_scsi_cmd *cmd, u8 key, u8 asc, u8 ascq,
			 u32 info)
{
	kitt_sense_set(cmd, key, asc, ascq);
	cmd->sense[0] |= 0x80;
	put_unaligned_be32(info, &cmd->sense[3]);
}

/**
 * kitt_sense_set_field() - CHECK CONDITION with a sense-key specific
 *	field pointer.
 * @cmd: the command
 * @key: sense key
 * @asc: additional sense code
 * @ascq: additional sense code qualifier
 * @in_cdb: the pointer is into the CDB (C/D = 1), else into the
 *	parameter list
 * @byte: byte offset of the field
 * @bit: most significant bit of the field (0-7), or -1 for none
 */
void kitt_sense_set_field(struct kitt_scsi_cmd *cmd, u8 key, u8 asc, u8 ascq,
			  bool in_cdb, u16 byte, int bit)
{
	u8 sks = 0x80;				/* SKSV */

	kitt_sense_set(cmd, key, asc, ascq);
	if (in_cdb)
		sks |= 0x40;			/* C/D */
	if (bit >= 0 && bit <= 7)
		sks |= 0x08 | bit;		/* BPV, bit pointer */
	cmd->sense[15] = sks;
	put_unaligned_be16(byte, &cmd->sense[16]);
}

/**
 * kitt_scsi_invalid_cdb() - ILLEGAL REQUEST / INVALID FIELD IN CDB
 *	pointing at @byte and @bit of the CDB.
 * @cmd: the command
 * @byte: byte of the offending field
 * @bit: its most significant bit, -1 for the whole byte
 */
void kitt_scsi_invalid_cdb(struct kitt_scsi_cmd *cmd, u16 byte, int bit)
{
	kitt_sense_set_field(cmd, ILLEGAL_REQUEST,
			     KITT_ASC_INVALID_FIELD_IN_CDB, 0, true, byte, bit);
}

/**
 * kitt_scsi_invalid_param() - ILLEGAL REQUEST / INVALID FIELD IN
 *	PARAMETER LIST pointing at @byte and @bit of the parameter list.
 * @cmd: the command
 * @byte: byte of the offending field
 * @bit: its most significant bit, -1 for the whole byte
 */
void kitt_scsi_invalid_param(struct kitt_scsi_cmd *cmd, u16 byte, int bit)
{
	kitt_sense_set_field(cmd, ILLEGAL_REQUEST,
			     KITT_ASC_INVALID_FIELD_IN_PARAM, 0, false, byte,
			     bit);
}

/**
 * kitt_scsi_set_io_error() - map a failed block I/O to status and sense.
 * @cmd: the command
 * @err: negative errno from blk_status_to_errno()
 * @write: the failed I/O was a write (or discard / write-zeroes)
 *
 * -EIO and -ENODATA (medium) give MEDIUM ERROR with UNRECOVERED READ
 * ERROR for reads and WRITE ERROR for writes; -ENOSPC (thin pool full)
 * DATA PROTECT / SPACE ALLOCATION FAILED WRITE PROTECT; -EOPNOTSUPP
 * ILLEGAL REQUEST / INVALID COMMAND OPERATION CODE; -ENOMEM, -EAGAIN and
 * -EBUSY status BUSY (the initiator retries); anything else HARDWARE
 * ERROR / INTERNAL TARGET FAILURE.
 */
void kitt_scsi_set_io_error(struct kitt_scsi_cmd *cmd, int err, bool write)
{
	switch (err) {
	case -EIO:
	case -ENODATA:
		if (write)
			kitt_sense_set(cmd, MEDIUM_ERROR, KITT_ASC_WRITE_ERROR, 0);
		else
			kitt_sense_set(cmd, MEDIUM_ERROR,
				       KITT_ASC_UNRECOVERED_READ_ERROR, 0);
		break;
	case -ENOSPC:
		kitt_sense_set(cmd, DATA_PROTECT, KITT_ASC_WRITE_PROTECTED,
			       0x07);
		break;
	case -EOPNOTSUPP:
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_INVALID_OPCODE, 0);
		break;
	case -ENOMEM:
	case -EAGAIN:
	case -EBUSY:
		cmd->status = SAM_STAT_BUSY;
		cmd->sense_len = 0;
		break;
	default:
		kitt_sense_set(cmd, HARDWARE_ERROR,
			       KITT_ASC_INTERNAL_TARGET_FAILURE, 0);
		break;
	}
}

/* ------------------------------------------------------------------ */
/* Unit attentions (SAM-5 5.14, SPC-4 5.14)                           */
/* ------------------------------------------------------------------ */

static const u8 kitt_ua_codes[KITT_UA_NR][2] = {
	[KITT_UA_RESET]			= { 0x29, 0x03 },
	[KITT_UA_RES_PREEMPTED]		= { 0x2a, 0x03 },
	[KITT_UA_RES_RELEASED]		= { 0x2a, 0x04 },
	[KITT_UA_REG_PREEMPTED]		= { 0x2a, 0x05 },
	[KITT_UA_ALUA_CHANGED]		= { 0x2a, 0x06 },
	[KITT_UA_CAPACITY_CHANGED]	= { 0x2a, 0x09 },
	[KITT_UA_MODE_CHANGED]		= { 0x2a, 0x01 },
	[KITT_UA_LUNS_CHANGED]		= { 0x3f, 0x0e },
};

/**
 * kitt_scsi_ua_sense() - UNIT ATTENTION sense data of a condition
 * @cmd: the command; its status becomes CHECK CONDITION
 * @cond: the condition
 */
void kitt_scsi_ua_sense(struct kitt_scsi_cmd *cmd, enum kitt_ua_cond cond)
{
	kitt_sense_set(cmd, UNIT_ATTENTION, kitt_ua_codes[cond][0],
		       kitt_ua_codes[cond][1]);
}

/**
 * kitt_scsi_ua_first() - the unit attention a nexus reports first
 * @pending: mask of BIT(enum kitt_ua_cond)
 *
 * Return: the highest priority condition, or KITT_UA_NONE.
 */
int kitt_scsi_ua_first(u32 pending)
{
	int cond;

	for (cond = 0; cond < KITT_UA_NR; cond++)
		if (pending & BIT(cond))
			return cond;
	return KITT_UA_NONE;
}

/* ------------------------------------------------------------------ */
/* Residuals (RFC 7143 11.4.5.1)                                      */
/* ------------------------------------------------------------------ */

/**
 * kitt_scsi_residual() - residual flags and count of a SCSI Response.
 * @edtl: Expected Data Transfer Length of the command PDU
 * @xfer_len: bytes the SCSI command would transfer (cmd->xfer_len)
 * @flags: set to ISCSI_FLAG_CMD_OVERFLOW, ISCSI_FLAG_CMD_UNDERFLOW or 0
 * @count: set to the Residual Count (0 without a flag)
 *
 * Overflow: the command wanted more than EDTL, count is the excess;
 * underflow: less than EDTL was transferred, count is the shortfall.
 */
void kitt_scsi_residual(u32 edtl, u32 xfer_len, u8 *flags, u32 *count)
{
	if (xfer_len > edtl) {
		*flags = ISCSI_FLAG_CMD_OVERFLOW;
		*count = xfer_len - edtl;
	} else if (xfer_len < edtl) {
		*flags = ISCSI_FLAG_CMD_UNDERFLOW;
		*count = edtl - xfer_len;
	} else {
		*flags = 0;
		*count = 0;
	}
}

/**
 * kitt_scsi_cmd_residual() - kitt_scsi_residual() for a decoded command.
 * @cmd: the command, after decode (and execution)
 * @flags: set to the U/O flag of the SCSI Response, or 0
 * @count: set to the Residual Count
 */
void kitt_scsi_cmd_residual(const struct kitt_scsi_cmd *cmd, u8 *flags,
			    u32 *count)
{
	kitt_scsi_residual(cmd->edtl, cmd->xfer_len, flags, count);
}

/**
 * kitt_scsi_set_data_in() - finish an emulated command whose response of
 *	@full_len bytes is in cmd->buf.
 * @cmd: the command
 * @full_len: bytes the device server has to return
 * @alloc_len: the CDB's allocation length
 *
 * The device server transfers min(@full_len, @alloc_len), and no more
 * than its buffer holds (xfer_len, which the residual counts from); EDTL
 * may cut that further (data_len).
 */
void kitt_scsi_set_data_in(struct kitt_scsi_cmd *cmd, u32 full_len,
			   u32 alloc_len)
{
	cmd->action = KITT_SCSI_ACT_EMULATE_IN;
	cmd->dir = KITT_SCSI_DIR_IN;
	cmd->xfer_len = min3(full_len, alloc_len, cmd->buf_size);
	cmd->data_len = min3(cmd->xfer_len, kitt_scsi_dir_edtl(cmd),
			     cmd->buf_size);
}

/**
 * kitt_scsi_set_data_out() - expect a parameter list
 * @cmd: the command
 * @len: the list's length
 */
void kitt_scsi_set_data_out(struct kitt_scsi_cmd *cmd, u32 len)
{
	cmd->action = KITT_SCSI_ACT_DATA_OUT_PARAM;
	cmd->dir = KITT_SCSI_DIR_OUT;
	cmd->xfer_len = len;
	cmd->data_len = min(len, kitt_scsi_dir_edtl(cmd));
}
