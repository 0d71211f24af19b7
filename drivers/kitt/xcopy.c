// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: third-party copy, the command set's side (SPC-4 6.4, 6.18, 7.8.17).
 *
 * EXTENDED COPY (LID1) with identification descriptor targets (0xE4, by
 * NAA designator) and block-to-block segments (0x02), RECEIVE COPY
 * RESULTS (COPY STATUS, OPERATING PARAMETERS) and the Third-party Copy
 * VPD page. Pure functions over buffers: decoding and validating the
 * parameter list, and building the data the commands return. Finding
 * the copy targets among the session's LUNs and moving the blocks is the
 * task layer's (copy.c).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>
#include "kitt_scsi.h"
#include "kitt_compat.h"

#define KITT_XCOPY_HDR_LEN		16
#define KITT_XCOPY_TD_LEN		32	/* a target descriptor */
#define KITT_XCOPY_SEG_B2B_LEN		28	/* a block-to-block segment */
#define KITT_XCOPY_TD_IDENT		0xe4
#define KITT_XCOPY_SEG_B2B		0x02

/* RECEIVE COPY RESULTS service actions */
#define KITT_RCR_COPY_STATUS		0x00
#define KITT_RCR_OP_PARAMS		0x03

#define KITT_ASCQ_TOO_MANY_TARGETS	0x06
#define KITT_ASCQ_BAD_TARGET_TYPE	0x07
#define KITT_ASCQ_TOO_MANY_SEGMENTS	0x08
#define KITT_ASCQ_BAD_SEGMENT_TYPE	0x09

/**
 * kitt_xcopy_check() - validate an EXTENDED COPY (LID1) parameter list
 * @cmd: the command; gets the action KITT_SCSI_ACT_XCOPY with
 *	cmd->nr_desc segments and cmd->list_id, or CHECK CONDITION
 * @param: the parameter list
 * @len: its length
 *
 * Checks the list's shape, in the order the limits are reported: the
 * lengths against what arrived and against KITT_XCOPY_MAX_DESC_LIST, the
 * descriptor counts, then each descriptor's type and the segments'
 * target indexes. Whether the targets exist, and their ranges, are for
 * the copy itself.
 *
 * Return: true when the list is good.
 */
bool kitt_xcopy_check(struct kitt_scsi_cmd *cmd, const u8 *param, u32 len)
{
	u32 tdl, sdl, inl, ntd, nseg = 0, off, i;

	if (len < KITT_XCOPY_HDR_LEN) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_PARAM_LIST_LEN_ERROR, 0);
		return false;
	}
	tdl = get_unaligned_be16(&param[2]);
	sdl = get_unaligned_be32(&param[8]);
	inl = get_unaligned_be32(&param[12]);
	if ((u64)KITT_XCOPY_HDR_LEN + tdl + sdl + inl > len ||
	    (u64)tdl + sdl > KITT_XCOPY_MAX_DESC_LIST) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_PARAM_LIST_LEN_ERROR, 0);
		return false;
	}
	if (inl) {				/* no inline data: none is used */
		kitt_scsi_invalid_param(cmd, 12, 7);
		return false;
	}
	if (tdl % KITT_XCOPY_TD_LEN) {
		kitt_scsi_invalid_param(cmd, 2, 7);
		return false;
	}
	ntd = tdl / KITT_XCOPY_TD_LEN;
	if (ntd > KITT_XCOPY_MAX_TARGETS) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_INVALID_FIELD_IN_PARAM,
			       KITT_ASCQ_TOO_MANY_TARGETS);
		return false;
	}
	/* Count the segments first: too many is reported before their types */
	for (off = 0; off + 4 <= sdl; nseg++)
		off += 4 + get_unaligned_be16(&param[KITT_XCOPY_HDR_LEN + tdl + off + 2]);
	if (nseg > KITT_XCOPY_MAX_SEGMENTS) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_INVALID_FIELD_IN_PARAM,
			       KITT_ASCQ_TOO_MANY_SEGMENTS);
		return false;
	}
	for (i = 0; i < ntd; i++) {
		const u8 *td = &param[KITT_XCOPY_HDR_LEN + i * KITT_XCOPY_TD_LEN];

		if (td[0] != KITT_XCOPY_TD_IDENT) {
			kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_INVALID_FIELD_IN_PARAM,
				       KITT_ASCQ_BAD_TARGET_TYPE);
			return false;
		}
		/* Peripheral device type 0 (block) only; designator in 20 bytes */
		if ((td[1] & 0x1f) || td[7] > 20) {
			kitt_scsi_invalid_param(cmd, KITT_XCOPY_HDR_LEN + i * KITT_XCOPY_TD_LEN +
						((td[1] & 0x1f) ? 1 : 7), 7);
			return false;
		}
	}
	for (i = 0, off = 0; i < nseg; i++) {
		const u8 *seg = &param[KITT_XCOPY_HDR_LEN + tdl + off];
		u32 dlen = get_unaligned_be16(&seg[2]);

		if (seg[0] != KITT_XCOPY_SEG_B2B) {
			kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_INVALID_FIELD_IN_PARAM,
				       KITT_ASCQ_BAD_SEGMENT_TYPE);
			return false;
		}
		if (dlen != KITT_XCOPY_SEG_B2B_LEN - 4 || off + 4 + dlen > sdl) {
			kitt_scsi_invalid_param(cmd, KITT_XCOPY_HDR_LEN + tdl + off + 2, 7);
			return false;
		}
		/* A segment naming a target that is not in the list */
		if (get_unaligned_be16(&seg[4]) >= ntd ||
		    get_unaligned_be16(&seg[6]) >= ntd) {
			kitt_sense_set(cmd, COPY_ABORTED, KITT_ASC_COPY_TARGET_UNREACHABLE,
				       KITT_ASCQ_COPY_TARGET_UNREACHABLE);
			return false;
		}
		off += 4 + dlen;
	}
	cmd->action = KITT_SCSI_ACT_XCOPY;
	cmd->nr_desc = nseg;
	cmd->list_id = param[0];
	cmd->list_id_hold = ((param[1] >> 3) & 0x03) == 0;
	return true;
}

/**
 * kitt_xcopy_target() - read target descriptor @idx of a checked list
 * @param: a parameter list that passed kitt_xcopy_check()
 * @idx: the descriptor's index
 * @t: filled in
 */
void kitt_xcopy_target(const u8 *param, u32 idx, struct kitt_xcopy_target *t)
{
	const u8 *td = &param[KITT_XCOPY_HDR_LEN + idx * KITT_XCOPY_TD_LEN];

	memset(t, 0, sizeof(*t));
	t->nul = td[1] & 0x20;
	/* An NAA designator of the LU (association 0), 8 bytes, binary */
	t->naa = (td[4] & 0x0f) == 1 && (td[5] & 0x3f) == 0x03 && td[7] == 8;
	if (t->naa)
		t->naa_id = get_unaligned_be64(&td[8]);
	t->block_len = get_unaligned_be24(&td[29]);
}

/**
 * kitt_xcopy_segment() - read segment @idx of a checked list
 * @param: a parameter list that passed kitt_xcopy_check()
 * @idx: the segment's index (all are 28-byte block-to-block segments)
 * @s: filled in
 */
void kitt_xcopy_segment(const u8 *param, u32 idx, struct kitt_xcopy_segment *s)
{
	u32 tdl = get_unaligned_be16(&param[2]);
	const u8 *seg = &param[KITT_XCOPY_HDR_LEN + tdl + idx * KITT_XCOPY_SEG_B2B_LEN];

	s->src = get_unaligned_be16(&seg[4]);
	s->dst = get_unaligned_be16(&seg[6]);
	s->nr_blocks = get_unaligned_be16(&seg[10]);
	s->src_lba = get_unaligned_be64(&seg[12]);
	s->dst_lba = get_unaligned_be64(&seg[20]);
	s->dst_blocks = seg[1] & 0x02;		/* DC: counted in destination blocks */
}

/**
 * kitt_xcopy_naa() - the NAA designator VPD page 0x83 reports for a LU
 * @naa_id: the device's configured identifier
 *
 * Return: @naa_id when it is an 8-byte NAA form (2, 3 or 5), else the
 * locally assigned (NAA 3) form of its low 60 bits.
 */
u64 kitt_xcopy_naa(u64 naa_id)
{
	switch (naa_id >> 60) {
	case 2:
	case 3:
	case 5:
		return naa_id;
	default:
		return 3ULL << 60 | (naa_id & GENMASK_ULL(59, 0));
	}
}

/* RECEIVE COPY RESULTS, OPERATING PARAMETERS: the limits kitt_xcopy_check() applies. */
static u32 kitt_rcr_op_params(u8 *buf, u32 block_shift)
{
	static const u8 codes[] = { KITT_XCOPY_SEG_B2B, KITT_XCOPY_TD_IDENT };
	u32 len = 44 + sizeof(codes);

	memset(buf, 0, len);
	put_unaligned_be32(len - 4, &buf[0]);
	buf[4] = 0x01;				/* SNLID: list identifiers are kept */
	put_unaligned_be16(KITT_XCOPY_MAX_TARGETS, &buf[8]);
	put_unaligned_be16(KITT_XCOPY_MAX_SEGMENTS, &buf[10]);
	put_unaligned_be32(KITT_XCOPY_MAX_DESC_LIST, &buf[12]);
	put_unaligned_be32(KITT_XCOPY_MAX_SEG_BYTES, &buf[16]);
	put_unaligned_be16(1, &buf[34]);	/* total concurrent copies */
	buf[36] = 1;				/* maximum concurrent copies */
	buf[37] = block_shift;			/* data segment granularity */
	buf[43] = sizeof(codes);
	memcpy(&buf[44], codes, sizeof(codes));
	return len;
}

/**
 * kitt_spc_receive_copy_results() - decode RECEIVE COPY RESULTS
 * @cmd: the command
 * @lu: the LU
 *
 * OPERATING PARAMETERS is answered here; COPY STATUS becomes the action
 * KITT_SCSI_ACT_COPY_STATUS with cmd->list_id, as the copies' status is
 * the session's (kitt_xcopy_status_data() builds the answer).
 */
void kitt_spc_receive_copy_results(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	u32 alloc = get_unaligned_be32(&cdb[10]);

	switch (cdb[1] & 0x1f) {
	case KITT_RCR_OP_PARAMS:
		kitt_scsi_set_data_in(cmd, kitt_rcr_op_params(cmd->buf, lu->block_shift), alloc);
		break;
	case KITT_RCR_COPY_STATUS:
		cmd->action = KITT_SCSI_ACT_COPY_STATUS;
		cmd->list_id = cdb[2];
		cmd->dir = KITT_SCSI_DIR_IN;
		cmd->xfer_len = alloc;
		break;
	default:
		kitt_scsi_invalid_cdb(cmd, 1, 4);
		break;
	}
}

/**
 * kitt_xcopy_status_data() - answer COPY STATUS from a kept status
 * @cmd: the command decoded to KITT_SCSI_ACT_COPY_STATUS
 * @st: the status kept for cmd->list_id, or NULL when there is none
 *	(INVALID FIELD IN CDB on the list identifier)
 */
void kitt_xcopy_status_data(struct kitt_scsi_cmd *cmd, const struct kitt_xcopy_status *st)
{
	u8 *buf = cmd->buf;

	if (!st) {
		kitt_scsi_invalid_cdb(cmd, 2, 7);
		cmd->action = KITT_SCSI_ACT_NONE;
		cmd->xfer_len = 0;
		cmd->data_len = 0;
		return;
	}
	memset(buf, 0, 12);
	put_unaligned_be32(8, &buf[0]);
	buf[4] = st->failed ? 0x01 : 0x00;	/* completed, with or without errors */
	put_unaligned_be16(st->segments, &buf[5]);
	buf[7] = 0x01;				/* transfer count in KiB */
	put_unaligned_be32(min_t(u64, st->bytes >> 10, U32_MAX), &buf[8]);
	kitt_scsi_set_data_in(cmd, 12, cmd->xfer_len);
}

/**
 * kitt_spc_extended_copy() - decode EXTENDED COPY (LID1)
 * @cmd: the command
 * @lu: the LU
 *
 * The parameter list comes as Data-Out (kitt_scsi_data_out() then calls
 * kitt_xcopy_check()); a length of zero copies nothing.
 */
void kitt_spc_extended_copy(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu)
{
	u32 len = get_unaligned_be32(&cmd->cdb[10]);

	if (!len)
		return;
	if (len > KITT_SCSI_MAX_PARAM_LEN) {
		kitt_scsi_invalid_cdb(cmd, 10, 7);
		return;
	}
	kitt_scsi_set_data_out(cmd, len);
}

/* Append a Third-party Copy descriptor of @type with @len bytes (padded to 4). */
static u32 kitt_vpd_3pc_desc(u8 *p, u16 type, u32 len)
{
	len = round_up(len, 4);
	put_unaligned_be16(type, &p[0]);
	put_unaligned_be16(len, &p[2]);
	return 4 + len;
}

/**
 * kitt_vpd_third_party_copy() - VPD page 0x8F
 * @lu: the LU
 * @buf: the page, zeroed, at least 256 bytes
 *
 * Return: the page's length.
 */
u32 kitt_vpd_third_party_copy(const struct kitt_lu_info *lu, u8 *buf)
{
	static const u8 cmds[] = {
		EXTENDED_COPY, 1, 0x00,			/* LID1 */
		RECEIVE_COPY_RESULTS, 2, KITT_RCR_COPY_STATUS, KITT_RCR_OP_PARAMS,
	};
	u8 *p = &buf[4];

	/* Supported commands */
	p[4] = sizeof(cmds);
	memcpy(&p[5], cmds, sizeof(cmds));
	p += kitt_vpd_3pc_desc(p, 0x0001, 1 + sizeof(cmds));
	/* Parameter data */
	put_unaligned_be16(KITT_XCOPY_MAX_TARGETS, &p[8]);
	put_unaligned_be16(KITT_XCOPY_MAX_SEGMENTS, &p[10]);
	put_unaligned_be32(KITT_XCOPY_MAX_DESC_LIST, &p[12]);
	p += kitt_vpd_3pc_desc(p, 0x0004, 0x1c);
	/* Supported descriptors */
	p[4] = 2;
	p[5] = KITT_XCOPY_SEG_B2B;
	p[6] = KITT_XCOPY_TD_IDENT;
	p += kitt_vpd_3pc_desc(p, 0x0008, 3);
	/* General copy operations */
	put_unaligned_be32(1, &p[4]);			/* total concurrent copies */
	put_unaligned_be32(1, &p[8]);			/* identified concurrent */
	put_unaligned_be32(KITT_XCOPY_MAX_SEG_BYTES, &p[12]);
	p[16] = lu->block_shift;			/* data segment granularity */
	p += kitt_vpd_3pc_desc(p, 0x8001, 0x20);

	put_unaligned_be16(p - &buf[4], &buf[2]);
	return p - buf;
}
