// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: SCSI primary commands (SPC-4 subset) and the command decoder.
 *
 * Everything here is a pure function over the CDB, a struct kitt_lu_info
 * and caller-provided buffers. The decoder walks two tables (kitt_spc_ops
 * here, kitt_sbc_ops in sbc.c): the table gives the CDB length, whether
 * the command writes the medium and its handler; the walker checks what
 * is common to all (CDB length, NACA, write protection) and the handler
 * the rest.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include "kitt_pdu.h"
#include "kitt_scsi.h"
#include "kitt_compat.h"
#include "kitt_test.h"

/* T10 version descriptors claimed in standard INQUIRY data */
#define KITT_VD_SAM5		0x00a0
#define KITT_VD_ISCSI		0x0960
#define KITT_VD_SPC4		0x0460
#define KITT_VD_SBC3		0x04c0

#define KITT_STD_INQUIRY_LEN	96

/* Designation descriptor fields (SPC-4 7.8.6) */
#define KITT_CODESET_BINARY	0x01
#define KITT_CODESET_ASCII	0x02
#define KITT_CODESET_UTF8	0x03
#define KITT_PROTO_ISCSI	(SCSI_PROTOCOL_ISCSI << 4)
#define KITT_DESIG_PIV		0x80
#define KITT_ASSOC_LU		0x00
#define KITT_ASSOC_PORT		0x10
#define KITT_ASSOC_DEVICE	0x20
#define KITT_DESIG_T10		0x01
#define KITT_DESIG_NAA		0x03
#define KITT_DESIG_RELPORT	0x04
#define KITT_DESIG_TPG		0x05
#define KITT_DESIG_NAME		0x08

/* Mode parameter page control (MODE SENSE byte 2, bits 7-6) */
#define KITT_PC_CURRENT		0
#define KITT_PC_CHANGEABLE	1
#define KITT_PC_DEFAULT		2
#define KITT_PC_SAVED		3

#define KITT_MODE_ALL_PAGES	0x3f
#define KITT_MODE_WP		0x80	/* device-specific parameter */
#define KITT_MODE_DPOFUA	0x10
#define KITT_MODE_CACHING_WCE	0x04

/* Copy @src into @dst of @len bytes, space padded (SPC-4 4.4.1). */
static void kitt_scsi_ascii(u8 *dst, const char *src, size_t len)
{
	size_t n = src ? strnlen(src, len) : 0;

	memset(dst, ' ', len);
	memcpy(dst, src, n);
}

/* ------------------------------------------------------------------ */
/* LUN encoding (SAM-5 4.7)                                           */
/* ------------------------------------------------------------------ */

/**
 * kitt_scsi_lun_encode() - the 8-byte LUN field for LUN number @lun.
 * @lun: LUN number, below 16384
 * @out: 8 bytes
 *
 * Peripheral device addressing below 256, flat space addressing above.
 * Return: 0, or -ERANGE when @lun has no single-level encoding.
 */
int kitt_scsi_lun_encode(u64 lun, u8 *out)
{
	memset(out, 0, 8);
	if (lun < 256) {
		out[1] = lun;
	} else if (lun < 16384) {
		out[0] = 0x40 | (lun >> 8);
		out[1] = lun & 0xff;
	} else {
		return -ERANGE;
	}
	return 0;
}

/**
 * kitt_scsi_lun_decode() - the LUN number in an 8-byte LUN field.
 * @in: 8 bytes from a PDU
 * @lun: set to the LUN number
 *
 * Accepts single-level peripheral device (bus 0) and flat space
 * addressing, the two forms kitt_scsi_lun_encode() produces.
 * Return: 0, or -EINVAL for any other form (LOGICAL UNIT NOT SUPPORTED).
 */
int kitt_scsi_lun_decode(const u8 *in, u64 *lun)
{
	unsigned int i;

	for (i = 2; i < 8; i++)
		if (in[i])
			return -EINVAL;
	switch (in[0] >> 6) {
	case 0:				/* peripheral device, bus 0 only */
		if (in[0])
			return -EINVAL;
		*lun = in[1];
		return 0;
	case 1:				/* flat space */
		*lun = (u64)(in[0] & 0x3f) << 8 | in[1];
		return 0;
	default:
		return -EINVAL;
	}
}

/* ------------------------------------------------------------------ */
/* INQUIRY                                                            */
/* ------------------------------------------------------------------ */

static const u8 kitt_vpd_pages[] = { 0x00, 0x80, 0x83, 0x86, 0x8f, 0xb0,
				     0xb1, 0xb2 };

static u32 kitt_inquiry_std(const struct kitt_lu_info *lu, u8 *buf)
{
	static const u16 vd[] = { KITT_VD_SAM5, KITT_VD_ISCSI, KITT_VD_SPC4,
				  KITT_VD_SBC3 };
	unsigned int i;

	memset(buf, 0, KITT_STD_INQUIRY_LEN);
	buf[0] = TYPE_DISK;
	buf[2] = 0x06;				/* SPC-4 */
	buf[3] = 0x10 | 0x02;			/* HISUP, format 2 */
	buf[4] = KITT_STD_INQUIRY_LEN - 5;
	buf[5] = 0x08;				/* 3PC: EXTENDED COPY */
	if (lu)					/* TPGS: implicit ALUA, explicit too? */
		buf[5] |= lu->alua_explicit ? 0x30 : 0x10;
	buf[7] = 0x02;				/* CMDQUE */
	kitt_scsi_ascii(&buf[8], KITT_SCSI_VENDOR, 8);
	kitt_scsi_ascii(&buf[16], lu && lu->product && lu->product[0] ?
			lu->product : KITT_SCSI_PRODUCT, 16);
	kitt_scsi_ascii(&buf[32], KITT_SCSI_REVISION, 4);
	for (i = 0; i < ARRAY_SIZE(vd); i++)
		put_unaligned_be16(vd[i], &buf[58 + 2 * i]);
	return KITT_STD_INQUIRY_LEN;
}

/* The unit serial number: the configured one, else the NAA id in hex. */
static u32 kitt_lu_serial(const struct kitt_lu_info *lu, char *out, u32 size)
{
	if (lu->serial && lu->serial[0])
		return strscpy(out, lu->serial, size) < 0 ? size - 1 :
			strlen(out);
	return scnprintf(out, size, "%016llx", lu->naa_id);
}

static u32 kitt_vpd_serial(const struct kitt_lu_info *lu, u8 *buf)
{
	char serial[KITT_SERIAL_MAX + 1];
	u32 n = kitt_lu_serial(lu, serial, sizeof(serial));

	memcpy(&buf[4], serial, n);
	put_unaligned_be16(n, &buf[2]);
	return 4 + n;
}

/* Append one designation descriptor at @p; returns its length. */
static u32 kitt_vpd_desig(u8 *p, u8 proto_codeset, u8 piv_assoc_type,
			  const void *id, u32 len)
{
	p[0] = proto_codeset;
	p[1] = piv_assoc_type;
	p[2] = 0;
	p[3] = len;
	memcpy(&p[4], id, len);
	return 4 + len;
}

/* A SCSI name string descriptor: NUL terminated, padded to 4 bytes. */
static u32 kitt_vpd_name(u8 *p, u8 assoc, const char *name)
{
	size_t n = strnlen(name, KITT_NAME_MAX + 16);
	u32 len = round_up(n + 1, 4);

	memset(p, 0, 4 + len);
	p[0] = KITT_PROTO_ISCSI | KITT_CODESET_UTF8;
	p[1] = KITT_DESIG_PIV | assoc | KITT_DESIG_NAME;
	p[3] = len;
	memcpy(&p[4], name, n);
	return 4 + len;
}

static u32 kitt_vpd_devid(const struct kitt_lu_info *lu, u8 *buf)
{
	char serial[KITT_SERIAL_MAX + 1];
	char name[KITT_NAME_MAX + 16];
	u8 id[8 + KITT_SERIAL_MAX];
	u64 naa = lu->naa_id;
	u32 off = 4, n;

	/* NAA: an 8-byte form (2, 3 or 5) as is, else locally assigned */
	put_unaligned_be64(kitt_xcopy_naa(naa), id);
	off += kitt_vpd_desig(&buf[off], KITT_CODESET_BINARY,
			      KITT_ASSOC_LU | KITT_DESIG_NAA, id, 8);

	/* T10 vendor ID: vendor, then the unit serial number */
	n = kitt_lu_serial(lu, serial, sizeof(serial));
	kitt_scsi_ascii(id, KITT_SCSI_VENDOR, 8);
	memcpy(&id[8], serial, n);
	off += kitt_vpd_desig(&buf[off], KITT_CODESET_ASCII,
			      KITT_ASSOC_LU | KITT_DESIG_T10, id, 8 + n);

	/* Relative target port and target port group */
	memset(id, 0, 4);
	put_unaligned_be16(lu->rel_port_id, &id[2]);
	off += kitt_vpd_desig(&buf[off], KITT_PROTO_ISCSI | KITT_CODESET_BINARY,
			      KITT_DESIG_PIV | KITT_ASSOC_PORT |
			      KITT_DESIG_RELPORT, id, 4);
	put_unaligned_be16(lu->tpg_id, &id[2]);
	off += kitt_vpd_desig(&buf[off], KITT_PROTO_ISCSI | KITT_CODESET_BINARY,
			      KITT_DESIG_PIV | KITT_ASSOC_PORT | KITT_DESIG_TPG,
			      id, 4);

	/* SCSI name strings: the target port, then the target device */
	if (lu->target_name && lu->target_name[0]) {
		scnprintf(name, sizeof(name), "%s,t,0x%04x", lu->target_name,
			  lu->tpgt);
		off += kitt_vpd_name(&buf[off], KITT_ASSOC_PORT, name);
		off += kitt_vpd_name(&buf[off], KITT_ASSOC_DEVICE,
				     lu->target_name);
	}
	put_unaligned_be16(off - 4, &buf[2]);
	return off;
}

static u32 kitt_vpd_extended(const struct kitt_lu_info *lu, u8 *buf)
{
	buf[3] = 0x3c;
	buf[5] = 0x07;				/* HEADSUP, ORDSUP, SIMPSUP */
	buf[6] = 0x01;				/* V_SUP: volatile cache */
	return 64;
}

static u32 kitt_vpd_block_limits(const struct kitt_lu_info *lu, u8 *buf)
{
	buf[3] = 0x3c;
	/* WSNZ 0: a WRITE SAME of zero blocks runs to the last block */
	buf[5] = kitt_sbc_caw_max_blocks(lu);
	put_unaligned_be16(1U << lu->phys_exp, &buf[6]);
	put_unaligned_be32(lu->max_xfer_blocks, &buf[8]);
	put_unaligned_be32(lu->opt_xfer_blocks, &buf[12]);
	if (lu->discard) {
		put_unaligned_be32(lu->max_unmap_blocks ?: U32_MAX, &buf[20]);
		put_unaligned_be32(KITT_SBC_MAX_UNMAP_DESC, &buf[24]);
		put_unaligned_be32(lu->unmap_granularity ?: 1, &buf[28]);
	}
	put_unaligned_be64(kitt_sbc_ws_max_blocks(lu), &buf[36]);
	if (lu->atomic_max_blocks) {
		put_unaligned_be32(lu->atomic_max_blocks, &buf[44]);
		put_unaligned_be32(lu->atomic_gran_blocks, &buf[48]);	/* alignment */
		put_unaligned_be32(lu->atomic_gran_blocks, &buf[52]);	/* granularity */
	}
	return 64;
}

static u32 kitt_vpd_block_chars(const struct kitt_lu_info *lu, u8 *buf)
{
	buf[3] = 0x3c;
	put_unaligned_be16(0x0001, &buf[4]);		/* non-rotating medium */
	return 64;
}

static u32 kitt_vpd_provisioning(const struct kitt_lu_info *lu, u8 *buf)
{
	buf[3] = 0x04;
	if (lu->discard) {
		buf[5] = 0x80 | 0x40 | 0x20;	/* LBPU, LBPWS, LBPWS10 */
		if (lu->lbprz)
			buf[5] |= 0x04;		/* LBPRZ */
		buf[6] = 0x02;			/* thin provisioned */
	}
	return 8;
}

static void kitt_spc_inquiry(struct kitt_scsi_cmd *cmd,
			     const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	u32 alloc = get_unaligned_be16(&cdb[3]);
	u8 *buf = cmd->buf;
	u8 page = cdb[2];
	u32 len;

	if (cdb[1] & 0x02) {			/* CMDDT, obsolete */
		kitt_scsi_invalid_cdb(cmd, 1, 1);
		return;
	}
	if (!(cdb[1] & 0x01)) {
		if (page) {
			kitt_scsi_invalid_cdb(cmd, 2, 7);
			return;
		}
		len = kitt_inquiry_std(lu, buf);
		if (!lu)
			buf[0] = 0x7f;		/* PQ 011b, type 1Fh */
		kitt_scsi_set_data_in(cmd, len, alloc);
		return;
	}

	memset(buf, 0, 1024);
	buf[1] = page;
	if (!lu) {				/* no LU: an empty page */
		buf[0] = 0x7f;
		kitt_scsi_set_data_in(cmd, 4, alloc);
		return;
	}
	switch (page) {
	case 0x00:
		memcpy(&buf[4], kitt_vpd_pages, sizeof(kitt_vpd_pages));
		buf[3] = sizeof(kitt_vpd_pages);
		len = 4 + sizeof(kitt_vpd_pages);
		break;
	case 0x80:
		len = kitt_vpd_serial(lu, buf);
		break;
	case 0x83:
		len = kitt_vpd_devid(lu, buf);
		break;
	case 0x86:
		len = kitt_vpd_extended(lu, buf);
		break;
	case 0x8f:
		len = kitt_vpd_third_party_copy(lu, buf);
		break;
	case 0xb0:
		len = kitt_vpd_block_limits(lu, buf);
		break;
	case 0xb1:
		len = kitt_vpd_block_chars(lu, buf);
		break;
	case 0xb2:
		len = kitt_vpd_provisioning(lu, buf);
		break;
	default:
		kitt_scsi_invalid_cdb(cmd, 2, 7);
		return;
	}
	kitt_scsi_set_data_in(cmd, len, alloc);
}

/* ------------------------------------------------------------------ */
/* Mode pages                                                         */
/* ------------------------------------------------------------------ */

/*
 * Build mode page @page for page control @pc (current, changeable or
 * default) at @p. Returns its length, 0 if kitt has no such page. Only
 * WCE of the caching page is changeable.
 */
static u32 kitt_mode_page(u8 page, int pc, const struct kitt_lu_info *lu,
			  u8 *p)
{
	bool chg = pc == KITT_PC_CHANGEABLE;
	u32 len;

	switch (page) {
	case 0x01:				/* read-write error recovery */
		len = 12;
		memset(p, 0, len);
		break;
	case 0x08:				/* caching */
		len = 20;
		memset(p, 0, len);
		if (chg)
			p[2] = KITT_MODE_CACHING_WCE;
		else if (lu->wce)
			p[2] = KITT_MODE_CACHING_WCE;
		break;
	case 0x0a:				/* control */
		len = 12;
		memset(p, 0, len);
		if (!chg) {
			p[3] = 0x10;		/* QAM 1: unrestricted order */
			/* TAS: another nexus's abort ends a task in TASK ABORTED */
			p[5] = 0x40;
		}
		break;
	case 0x1c:				/* informational exceptions */
		len = 12;
		memset(p, 0, len);
		break;
	default:
		return 0;
	}
	p[0] = page;				/* PS 0: not saveable */
	p[1] = len - 2;
	return len;
}

static const u8 kitt_mode_pages[] = { 0x01, 0x08, 0x0a, 0x1c };

static void kitt_spc_mode_sense(struct kitt_scsi_cmd *cmd,
				const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	bool ten = cdb[0] == MODE_SENSE_10;
	bool dbd = cdb[1] & 0x08;
	bool llbaa = ten && (cdb[1] & 0x10);
	int pc = cdb[2] >> 6;
	u8 page = cdb[2] & 0x3f;
	u8 subpage = cdb[3];
	u32 hdr = ten ? 8 : 4;
	u32 alloc = ten ? get_unaligned_be16(&cdb[7]) : cdb[4];
	u8 *buf = cmd->buf;
	u32 off, bd_len = 0, i, n;

	if (pc == KITT_PC_SAVED) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST,
			       KITT_ASC_SAVING_PARAMS_UNSUP, 0);
		return;
	}
	if (subpage && subpage != 0xff) {
		kitt_scsi_invalid_cdb(cmd, 3, 7);
		return;
	}

	memset(buf, 0, 512);
	if (!dbd)
		bd_len = llbaa ? 16 : 8;
	off = hdr + bd_len;
	if (page == KITT_MODE_ALL_PAGES) {
		for (i = 0; i < ARRAY_SIZE(kitt_mode_pages); i++)
			off += kitt_mode_page(kitt_mode_pages[i], pc, lu,
					      &buf[off]);
	} else {
		n = kitt_mode_page(page, pc, lu, &buf[off]);
		if (!n) {
			kitt_scsi_invalid_cdb(cmd, 2, 5);
			return;
		}
		off += n;
	}

	/* Header: medium type 0, device-specific parameter, descriptors */
	if (ten) {
		put_unaligned_be16(off - 2, &buf[0]);
		buf[3] = (lu->read_only ? KITT_MODE_WP : 0) | KITT_MODE_DPOFUA;
		buf[4] = llbaa ? 0x01 : 0;	/* LONGLBA */
		put_unaligned_be16(bd_len, &buf[6]);
	} else {
		buf[0] = off - 1;
		buf[2] = (lu->read_only ? KITT_MODE_WP : 0) | KITT_MODE_DPOFUA;
		buf[3] = bd_len;
	}
	if (bd_len == 8 && pc != KITT_PC_CHANGEABLE) {
		put_unaligned_be32(min_t(u64, lu->nr_blocks, U32_MAX), &buf[hdr]);
		put_unaligned_be32(1U << lu->block_shift, &buf[hdr + 4]);
		buf[hdr + 4] = 0;		/* reserved, then 24 bits */
	} else if (bd_len == 16 && pc != KITT_PC_CHANGEABLE) {
		put_unaligned_be64(lu->nr_blocks, &buf[hdr]);
		put_unaligned_be32(1U << lu->block_shift, &buf[hdr + 12]);
	}
	kitt_scsi_set_data_in(cmd, off, alloc);
}

static void kitt_spc_mode_select_cdb(struct kitt_scsi_cmd *cmd,
				     const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	bool ten = cdb[0] == MODE_SELECT_10;
	u32 len = ten ? get_unaligned_be16(&cdb[7]) : cdb[4];

	if (cdb[1] & 0x01) {			/* SP: nothing is saveable */
		kitt_scsi_invalid_cdb(cmd, 1, 0);
		return;
	}
	if (len > KITT_SCSI_MAX_PARAM_LEN) {
		kitt_scsi_invalid_cdb(cmd, ten ? 7 : 4, 7);
		return;
	}
	if (!len)
		return;				/* nothing to change: GOOD */
	kitt_scsi_set_data_out(cmd, len);
}

/**
 * kitt_spc_mode_select() - check and apply a MODE SELECT parameter list.
 * @cmd: the command (its CDB is MODE SELECT(6) or (10))
 * @lu: the LU as it is now
 * @param: the parameter list received
 * @len: bytes received
 * @ten: MODE SELECT(10) header format
 *
 * Only WCE of the caching page may change, and not through a
 * write-protected LU (DATA PROTECT, WRITE PROTECTED); any other difference
 * from the current values is INVALID FIELD IN PARAMETER LIST. On success the
 * action is SET_WCE with cmd->wce when a caching page was present, else
 * NONE.
 *
 * Return: 0 when the list was accepted, -EINVAL when @cmd now carries
 * CHECK CONDITION.
 */
static int kitt_spc_mode_select(struct kitt_scsi_cmd *cmd,
				const struct kitt_lu_info *lu, const u8 *param,
				u32 len, bool ten)
{
	u32 hdr = ten ? 8 : 4;
	u8 cur[32], chg[32];
	bool caching = false;
	u32 bd_len, off, plen, i;
	u8 diff;

	cmd->action = KITT_SCSI_ACT_NONE;
	if (len < hdr)
		goto len_error;
	if (param[ten ? 2 : 1]) {		/* medium type */
		kitt_scsi_invalid_param(cmd, ten ? 2 : 1, 7);
		return -EINVAL;
	}
	bd_len = ten ? get_unaligned_be16(&param[6]) : param[3];
	if (bd_len != 0 && bd_len != (ten && (param[4] & 1) ? 16 : 8)) {
		kitt_scsi_invalid_param(cmd, ten ? 6 : 3, 7);
		return -EINVAL;
	}
	if (bd_len > len - hdr)
		goto len_error;
	if (bd_len) {
		const u8 *bd = &param[hdr];
		u64 nr = bd_len == 16 ? get_unaligned_be64(bd) : get_unaligned_be32(bd);
		u32 bs = bd_len == 16 ? get_unaligned_be32(&bd[12]) :
			 get_unaligned_be24(&bd[5]);
		u64 cap = bd_len == 16 ? lu->nr_blocks :
			  min_t(u64, lu->nr_blocks, U32_MAX);

		if (nr && nr != cap) {
			kitt_scsi_invalid_param(cmd, hdr, 7);
			return -EINVAL;
		}
		if (bs != 1U << lu->block_shift) {
			kitt_scsi_invalid_param(cmd, hdr + bd_len - 3, 7);
			return -EINVAL;
		}
	}

	off = hdr + bd_len;
	if (off < len && !(cmd->cdb[1] & 0x10)) {	/* pages need PF */
		kitt_scsi_invalid_cdb(cmd, 1, 4);
		return -EINVAL;
	}
	while (off < len) {
		u8 page = param[off] & 0x3f;

		if (len - off < 2)
			goto len_error;
		if (param[off] & 0x40) {	/* SPF: no subpages here */
			kitt_scsi_invalid_param(cmd, off, 6);
			return -EINVAL;
		}
		plen = kitt_mode_page(page, KITT_PC_CURRENT, lu, cur);
		if (!plen) {
			kitt_scsi_invalid_param(cmd, off, 5);
			return -EINVAL;
		}
		if (param[off + 1] != plen - 2) {
			kitt_scsi_invalid_param(cmd, off + 1, 7);
			return -EINVAL;
		}
		if (plen > len - off)
			goto len_error;
		kitt_mode_page(page, KITT_PC_CHANGEABLE, lu, chg);
		for (i = 2; i < plen; i++) {
			diff = (param[off + i] ^ cur[i]) & ~chg[i];
			if (diff) {
				kitt_scsi_invalid_param(cmd, off + i,
							fls(diff) - 1);
				return -EINVAL;
			}
		}
		if (page == 0x08) {
			/*
			 * The write cache is the device's, shared by every
			 * LUN and ACL mapping it: a write-protected one may
			 * not change it.
			 */
			if (lu->read_only && ((param[off + 2] ^ cur[2]) & KITT_MODE_CACHING_WCE)) {
				kitt_sense_set(cmd, DATA_PROTECT, KITT_ASC_WRITE_PROTECTED, 0);
				return -EINVAL;
			}
			caching = true;
			cmd->wce = param[off + 2] & KITT_MODE_CACHING_WCE;
		}
		off += plen;
	}
	if (caching)
		cmd->action = KITT_SCSI_ACT_SET_WCE;
	return 0;

len_error:
	kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_PARAM_LIST_LEN_ERROR, 0);
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* REPORT LUNS, REQUEST SENSE, TEST UNIT READY, START STOP, ...       */
/* ------------------------------------------------------------------ */

static void kitt_spc_report_luns_cdb(struct kitt_scsi_cmd *cmd,
				     const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;

	if (cdb[2] > 0x02) {			/* SELECT REPORT 0, 1, 2 */
		kitt_scsi_invalid_cdb(cmd, 2, 7);
		return;
	}
	if (get_unaligned_be32(&cdb[6]) < 16) {
		kitt_scsi_invalid_cdb(cmd, 6, 7);
		return;
	}
	cmd->action = KITT_SCSI_ACT_REPORT_LUNS;
	cmd->dir = KITT_SCSI_DIR_IN;
	/* The new list is what REPORTED LUNS DATA HAS CHANGED asked for */
	if (lu && (cmd->ua_pending & BIT(KITT_UA_LUNS_CHANGED)))
		cmd->ua_cleared = KITT_UA_LUNS_CHANGED;
}

/**
 * kitt_spc_report_luns() - build the REPORT LUNS parameter data.
 * @cmd: a command decoded to KITT_SCSI_ACT_REPORT_LUNS
 * @luns: the LUN numbers mapped in the portal group, ascending
 * @nr_luns: how many
 *
 * SELECT REPORT 1 (well-known LUs only) gives an empty list; otherwise,
 * with no LUN mapped, LUN 0 is reported so that initiators still scan.
 * LUN numbers of 16384 and above have no single-level form and are left
 * out. Entries that do not fit cmd->buf are cut, the LUN LIST LENGTH
 * still counts them. Sets the action to EMULATE_IN.
 *
 * Return: the full length of the parameter data.
 */
u32 kitt_spc_report_luns(struct kitt_scsi_cmd *cmd, const u64 *luns,
			 unsigned int nr_luns)
{
	static const u64 lun0;
	u32 alloc = get_unaligned_be32(&cmd->cdb[6]);
	u32 off = 8, n = 0, i;
	u8 entry[8];

	if (cmd->cdb[2] == 0x01) {
		nr_luns = 0;
	} else if (!nr_luns) {
		luns = &lun0;
		nr_luns = 1;
	}
	memset(cmd->buf, 0, min_t(u32, cmd->buf_size, 8));
	for (i = 0; i < nr_luns; i++) {
		if (kitt_scsi_lun_encode(luns[i], entry))
			continue;
		if (off + 8 <= cmd->buf_size)
			memcpy(&cmd->buf[off], entry, 8);
		off += 8;
		n++;
	}
	if (cmd->buf_size >= 8)
		put_unaligned_be32(n * 8, cmd->buf);
	kitt_scsi_set_data_in(cmd, off, alloc);
	return off;
}

static void kitt_spc_request_sense(struct kitt_scsi_cmd *cmd,
				   const struct kitt_lu_info *lu)
{
	struct kitt_scsi_cmd tmp = {};

	if (cmd->cdb[1] & 0x01) {		/* DESC: fixed format only */
		kitt_scsi_invalid_cdb(cmd, 1, 0);
		return;
	}
	/*
	 * The sense data is parameter data here, the status stays GOOD; a
	 * pending unit attention is returned so, and cleared.
	 */
	cmd->ua_cleared = lu ? kitt_scsi_ua_first(cmd->ua_pending) : KITT_UA_NONE;
	if (!lu)
		kitt_sense_set(&tmp, ILLEGAL_REQUEST,
			       KITT_ASC_LUN_NOT_SUPPORTED, 0);
	else if (cmd->ua_cleared != KITT_UA_NONE)
		kitt_scsi_ua_sense(&tmp, cmd->ua_cleared);
	else
		kitt_sense_set(&tmp, NO_SENSE, KITT_ASC_NO_ADDITIONAL_SENSE, 0);
	memcpy(cmd->buf, tmp.sense, KITT_SENSE_LEN);
	kitt_scsi_set_data_in(cmd, KITT_SENSE_LEN, cmd->cdb[4]);
}

static void kitt_spc_test_unit_ready(struct kitt_scsi_cmd *cmd,
				     const struct kitt_lu_info *lu)
{
}

static void kitt_spc_start_stop(struct kitt_scsi_cmd *cmd,
				const struct kitt_lu_info *lu)
{
	u8 b4 = cmd->cdb[4];

	if (b4 & 0x02) {			/* LOEJ: nothing to eject */
		kitt_scsi_invalid_cdb(cmd, 4, 1);
		return;
	}
	/* Stopping with NO_FLUSH clear writes the cache back (SBC-3 5.25) */
	if (!(b4 & 0xf0) && !(b4 & 0x04) && !(b4 & 0x01))
		cmd->action = KITT_SCSI_ACT_FLUSH;
}

static void kitt_spc_prevent_allow(struct kitt_scsi_cmd *cmd,
				   const struct kitt_lu_info *lu)
{
}

/* ------------------------------------------------------------------ */
/* REPORT SUPPORTED OPERATION CODES                                   */
/* ------------------------------------------------------------------ */

static bool kitt_op_present(const struct kitt_scsi_op *op,
			    const struct kitt_lu_info *lu)
{
	if ((op->flags & KITT_OP_DISCARD) && !(lu && lu->discard))
		return false;
	if ((op->flags & KITT_OP_EXPLICIT_ALUA) && !(lu && lu->alua_explicit))
		return false;
	return !(op->flags & KITT_OP_ATOMIC) || (lu && lu->atomic_max_blocks);
}

/* Does any entry for @opcode use service actions? */
static bool kitt_opcode_has_sa(u8 opcode)
{
	unsigned int i;

	for (i = 0; i < kitt_spc_nr_ops; i++)
		if (kitt_spc_ops[i].opcode == opcode)
			return kitt_spc_ops[i].flags & KITT_OP_SA;
	for (i = 0; i < kitt_sbc_nr_ops; i++)
		if (kitt_sbc_ops[i].opcode == opcode)
			return kitt_sbc_ops[i].flags & KITT_OP_SA;
	return false;
}

/* The 12-byte command timeouts descriptor (all timeouts unspecified). */
static u32 kitt_rsoc_timeouts(u8 *p)
{
	memset(p, 0, 12);
	put_unaligned_be16(0x0a, p);
	return 12;
}

static void kitt_rsoc_usage(const struct kitt_scsi_op *op,
			    const struct kitt_lu_info *lu, u8 *p)
{
	memcpy(p, op->usage, op->cdb_len);
	/* WRITE SAME's UNMAP bit is honoured only with discard */
	if ((op->opcode == WRITE_SAME || op->opcode == WRITE_SAME_16) &&
	    !lu->discard)
		p[1] &= ~0x08;
}

static u32 kitt_rsoc_all(const struct kitt_lu_info *lu, bool rctd, u8 *buf)
{
	const struct kitt_scsi_op *tables[] = { kitt_spc_ops, kitt_sbc_ops };
	const unsigned int sizes[] = { kitt_spc_nr_ops, kitt_sbc_nr_ops };
	u32 off = 4, t, i;

	for (t = 0; t < ARRAY_SIZE(tables); t++) {
		for (i = 0; i < sizes[t]; i++) {
			const struct kitt_scsi_op *op = &tables[t][i];
			u8 *p = &buf[off];

			if (!kitt_op_present(op, lu))
				continue;
			memset(p, 0, 8);
			p[0] = op->opcode;
			if (op->flags & KITT_OP_SA) {
				put_unaligned_be16(op->sa, &p[2]);
				p[5] |= 0x01;	/* SERVACTV */
			}
			if (rctd)
				p[5] |= 0x02;	/* CTDP */
			put_unaligned_be16(op->cdb_len, &p[6]);
			off += 8;
			if (rctd)
				off += kitt_rsoc_timeouts(&buf[off]);
		}
	}
	put_unaligned_be32(off - 4, buf);
	return off;
}

static void kitt_spc_rsoc(struct kitt_scsi_cmd *cmd,
			  const struct kitt_lu_info *lu)
{
	const u8 *cdb = cmd->cdb;
	bool rctd = cdb[2] & 0x80;
	u8 options = cdb[2] & 0x07;
	u8 opcode = cdb[3];
	u16 sa = get_unaligned_be16(&cdb[4]);
	u32 alloc = get_unaligned_be32(&cdb[6]);
	const struct kitt_scsi_op *op = NULL;
	bool has_sa = kitt_opcode_has_sa(opcode);
	bool sa_unknown;
	u8 *buf = cmd->buf;
	u32 len;

	switch (options) {
	case 0:
		len = kitt_rsoc_all(lu, rctd, buf);
		kitt_scsi_set_data_in(cmd, len, alloc);
		return;
	case 1:				/* by opcode: not for SA opcodes */
		if (has_sa) {
			kitt_scsi_invalid_cdb(cmd, 2, 2);
			return;
		}
		op = kitt_scsi_find_op(opcode, 0, lu, &sa_unknown);
		break;
	case 2:				/* by opcode and SA */
		if (!has_sa && kitt_scsi_find_op(opcode, 0, lu, &sa_unknown)) {
			kitt_scsi_invalid_cdb(cmd, 2, 2);
			return;
		}
		if (has_sa && sa <= 0x1f)
			op = kitt_scsi_find_op(opcode, sa, lu, &sa_unknown);
		break;
	case 3:				/* SA when the opcode has them */
		if (!has_sa || sa <= 0x1f)
			op = kitt_scsi_find_op(opcode, has_sa ? sa : 0, lu,
					       &sa_unknown);
		break;
	default:
		kitt_scsi_invalid_cdb(cmd, 2, 2);
		return;
	}

	memset(buf, 0, 4 + 16 + 12);
	if (!op) {
		buf[1] = 0x01;			/* SUPPORT 001b: not supported */
		kitt_scsi_set_data_in(cmd, 4, alloc);
		return;
	}
	buf[1] = 0x03;				/* SUPPORT 011b: as standard */
	put_unaligned_be16(op->cdb_len, &buf[2]);
	kitt_rsoc_usage(op, lu, &buf[4]);
	len = 4 + op->cdb_len;
	if (rctd) {
		buf[1] |= 0x80;			/* CTDP */
		len += kitt_rsoc_timeouts(&buf[len]);
	}
	kitt_scsi_set_data_in(cmd, len, alloc);
}

/* ------------------------------------------------------------------ */
/* Reservations: decoded here, carried out by pr.c                    */
/* ------------------------------------------------------------------ */

static void kitt_spc_pr_in(struct kitt_scsi_cmd *cmd,
			   const struct kitt_lu_info *lu)
{
	cmd->action = KITT_SCSI_ACT_PR_IN;
	cmd->dir = KITT_SCSI_DIR_IN;
}

static void kitt_spc_pr_out(struct kitt_scsi_cmd *cmd,
			    const struct kitt_lu_info *lu)
{
	u32 len = get_unaligned_be32(&cmd->cdb[5]);
	u8 sa = cmd->cdb[1] & 0x1f;

	/*
	 * The basic 24 bytes; REGISTER with SPEC_I_PT and REGISTER AND MOVE
	 * add TransportIDs.
	 */
	if (len < 24 || len > KITT_SCSI_MAX_PARAM_LEN ||
	    (len != 24 && sa != 0x00 && sa != 0x07)) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST,
			       KITT_ASC_PARAM_LIST_LEN_ERROR, 0);
		return;
	}
	kitt_scsi_set_data_out(cmd, len);
}

static void kitt_spc_reserve(struct kitt_scsi_cmd *cmd,
			     const struct kitt_lu_info *lu)
{
	/* RESERVE(10): third-party reservations are not supported */
	if (cmd->cdb[0] == RESERVE_10 && (cmd->cdb[1] & 0x12)) {
		kitt_scsi_invalid_cdb(cmd, 1, cmd->cdb[1] & 0x10 ? 4 : 1);
		return;
	}
	cmd->action = KITT_SCSI_ACT_RESERVE;
}

static void kitt_spc_release(struct kitt_scsi_cmd *cmd,
			     const struct kitt_lu_info *lu)
{
	if (cmd->cdb[0] == RELEASE_10 && (cmd->cdb[1] & 0x12)) {
		kitt_scsi_invalid_cdb(cmd, 1, cmd->cdb[1] & 0x10 ? 4 : 1);
		return;
	}
	cmd->action = KITT_SCSI_ACT_RELEASE;
}

/* ------------------------------------------------------------------ */
/* The SPC table                                                      */
/* ------------------------------------------------------------------ */

const struct kitt_scsi_op kitt_spc_ops[] = {
	{ TEST_UNIT_READY, 0, 0, 6, kitt_spc_test_unit_ready,
	  { TEST_UNIT_READY, 0, 0, 0, 0, 0 } },
	{ REQUEST_SENSE, 0, KITT_OP_BUF, 6, kitt_spc_request_sense,
	  { REQUEST_SENSE, 0, 0, 0, 0xff, 0 } },
	{ INQUIRY, 0, KITT_OP_BUF, 6, kitt_spc_inquiry,
	  { INQUIRY, 0x01, 0xff, 0xff, 0xff, 0 } },
	{ MODE_SELECT, 0, 0, 6, kitt_spc_mode_select_cdb,
	  { MODE_SELECT, 0x10, 0, 0, 0xff, 0 } },
	{ MODE_SENSE, 0, KITT_OP_BUF, 6, kitt_spc_mode_sense,
	  { MODE_SENSE, 0x08, 0xff, 0xff, 0xff, 0 } },
	{ START_STOP, 0, 0, 6, kitt_spc_start_stop,
	  { START_STOP, 0x01, 0, 0x0f, 0xf5, 0 } },
	{ ALLOW_MEDIUM_REMOVAL, 0, 0, 6, kitt_spc_prevent_allow,
	  { ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 0x03, 0 } },
	{ MODE_SELECT_10, 0, 0, 10, kitt_spc_mode_select_cdb,
	  { MODE_SELECT_10, 0x10, 0, 0, 0, 0, 0, 0xff, 0xff, 0 } },
	{ MODE_SENSE_10, 0, KITT_OP_BUF, 10, kitt_spc_mode_sense,
	  { MODE_SENSE_10, 0x18, 0xff, 0xff, 0, 0, 0, 0xff, 0xff, 0 } },
	{ REPORT_LUNS, 0, KITT_OP_BUF, 12, kitt_spc_report_luns_cdb,
	  { REPORT_LUNS, 0, 0xff, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES,
	  KITT_OP_SA | KITT_OP_BUF, 12, kitt_spc_rsoc,
	  { MAINTENANCE_IN, MI_REPORT_SUPPORTED_OPERATION_CODES, 0x87, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0 } },
	{ MAINTENANCE_IN, MI_REPORT_TARGET_PGS, KITT_OP_SA | KITT_OP_BUF, 12,
	  kitt_alua_rtpg_cdb,
	  { MAINTENANCE_IN, 0xe0 | MI_REPORT_TARGET_PGS, 0, 0, 0, 0, 0xff, 0xff, 0xff,
	    0xff, 0, 0 } },
	{ MAINTENANCE_OUT, MO_SET_TARGET_PGS, KITT_OP_SA | KITT_OP_EXPLICIT_ALUA, 12,
	  kitt_alua_stpg_cdb,
	  { MAINTENANCE_OUT, MO_SET_TARGET_PGS, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0,
	    0 } },
	{ RESERVE, 0, 0, 6, kitt_spc_reserve, { RESERVE, 0, 0, 0, 0, 0 } },
	{ RELEASE, 0, 0, 6, kitt_spc_release, { RELEASE, 0, 0, 0, 0, 0 } },
	{ RESERVE_10, 0, 0, 10, kitt_spc_reserve,
	  { RESERVE_10, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
	{ RELEASE_10, 0, 0, 10, kitt_spc_release,
	  { RELEASE_10, 0, 0, 0, 0, 0, 0, 0, 0, 0 } },
	/* PERSISTENT RESERVE IN, READ KEYS */
	{ PERSISTENT_RESERVE_IN, 0x00, KITT_OP_SA | KITT_OP_BUF, 10, kitt_spc_pr_in,
	  { PERSISTENT_RESERVE_IN, 0x00, 0, 0, 0, 0, 0, 0xff, 0xff, 0 } },
	/* PERSISTENT RESERVE IN, READ RESERVATION */
	{ PERSISTENT_RESERVE_IN, 0x01, KITT_OP_SA | KITT_OP_BUF, 10, kitt_spc_pr_in,
	  { PERSISTENT_RESERVE_IN, 0x01, 0, 0, 0, 0, 0, 0xff, 0xff, 0 } },
	/* PERSISTENT RESERVE IN, REPORT CAPABILITIES */
	{ PERSISTENT_RESERVE_IN, 0x02, KITT_OP_SA | KITT_OP_BUF, 10, kitt_spc_pr_in,
	  { PERSISTENT_RESERVE_IN, 0x02, 0, 0, 0, 0, 0, 0xff, 0xff, 0 } },
	/* PERSISTENT RESERVE IN, READ FULL STATUS */
	{ PERSISTENT_RESERVE_IN, 0x03, KITT_OP_SA | KITT_OP_BUF, 10, kitt_spc_pr_in,
	  { PERSISTENT_RESERVE_IN, 0x03, 0, 0, 0, 0, 0, 0xff, 0xff, 0 } },
	/* PERSISTENT RESERVE OUT, REGISTER */
	{ PERSISTENT_RESERVE_OUT, 0x00, KITT_OP_SA, 10, kitt_spc_pr_out,
	  { PERSISTENT_RESERVE_OUT, 0x00, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0 } },
	/* PERSISTENT RESERVE OUT, RESERVE */
	{ PERSISTENT_RESERVE_OUT, 0x01, KITT_OP_SA, 10, kitt_spc_pr_out,
	  { PERSISTENT_RESERVE_OUT, 0x01, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0 } },
	/* PERSISTENT RESERVE OUT, RELEASE */
	{ PERSISTENT_RESERVE_OUT, 0x02, KITT_OP_SA, 10, kitt_spc_pr_out,
	  { PERSISTENT_RESERVE_OUT, 0x02, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0 } },
	/* PERSISTENT RESERVE OUT, CLEAR */
	{ PERSISTENT_RESERVE_OUT, 0x03, KITT_OP_SA, 10, kitt_spc_pr_out,
	  { PERSISTENT_RESERVE_OUT, 0x03, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0 } },
	/* PERSISTENT RESERVE OUT, PREEMPT */
	{ PERSISTENT_RESERVE_OUT, 0x04, KITT_OP_SA, 10, kitt_spc_pr_out,
	  { PERSISTENT_RESERVE_OUT, 0x04, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0 } },
	/* PERSISTENT RESERVE OUT, PREEMPT AND ABORT */
	{ PERSISTENT_RESERVE_OUT, 0x05, KITT_OP_SA, 10, kitt_spc_pr_out,
	  { PERSISTENT_RESERVE_OUT, 0x05, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0 } },
	/* EXTENDED COPY (LID1) */
	{ EXTENDED_COPY, 0x00, KITT_OP_SA, 16, kitt_spc_extended_copy,
	  { EXTENDED_COPY, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0, 0 } },
	/* RECEIVE COPY RESULTS, COPY STATUS and OPERATING PARAMETERS */
	{ RECEIVE_COPY_RESULTS, 0x00, KITT_OP_SA | KITT_OP_BUF, 16,
	  kitt_spc_receive_copy_results,
	  { RECEIVE_COPY_RESULTS, 0x00, 0xff, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
	    0, 0 } },
	{ RECEIVE_COPY_RESULTS, 0x03, KITT_OP_SA | KITT_OP_BUF, 16,
	  kitt_spc_receive_copy_results,
	  { RECEIVE_COPY_RESULTS, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff,
	    0, 0 } },
	/* PERSISTENT RESERVE OUT, REGISTER AND IGNORE EXISTING KEY */
	{ PERSISTENT_RESERVE_OUT, 0x06, KITT_OP_SA, 10, kitt_spc_pr_out,
	  { PERSISTENT_RESERVE_OUT, 0x06, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0 } },
	/* PERSISTENT RESERVE OUT, REGISTER AND MOVE */
	{ PERSISTENT_RESERVE_OUT, 0x07, KITT_OP_SA, 10, kitt_spc_pr_out,
	  { PERSISTENT_RESERVE_OUT, 0x07, 0xff, 0, 0, 0xff, 0xff, 0xff, 0xff, 0 } },
};

const unsigned int kitt_spc_nr_ops = ARRAY_SIZE(kitt_spc_ops);

/* ------------------------------------------------------------------ */
/* The decoder                                                        */
/* ------------------------------------------------------------------ */

/**
 * kitt_scsi_find_op() - look a command up in the SPC and SBC tables.
 * @opcode: operation code
 * @sa: service action (CDB byte 1, bits 4-0), ignored for opcodes
 *	without service actions
 * @lu: the LU (commands needing discard are absent without it), or NULL
 * @sa_unknown: set when @opcode is known but not with @sa
 *
 * Return: the table entry, or NULL.
 */
const struct kitt_scsi_op *kitt_scsi_find_op(u8 opcode, u8 sa,
					     const struct kitt_lu_info *lu,
					     bool *sa_unknown)
{
	const struct kitt_scsi_op *tables[] = { kitt_spc_ops, kitt_sbc_ops };
	const unsigned int sizes[] = { kitt_spc_nr_ops, kitt_sbc_nr_ops };
	unsigned int t, i;

	*sa_unknown = false;
	for (t = 0; t < ARRAY_SIZE(tables); t++) {
		for (i = 0; i < sizes[t]; i++) {
			const struct kitt_scsi_op *op = &tables[t][i];

			if (op->opcode != opcode || !kitt_op_present(op, lu))
				continue;
			if (!(op->flags & KITT_OP_SA) || op->sa == sa)
				return op;
			*sa_unknown = true;
		}
	}
	return NULL;
}

static void kitt_scsi_reset(struct kitt_scsi_cmd *cmd)
{
	cmd->action = KITT_SCSI_ACT_NONE;
	cmd->dir = KITT_SCSI_DIR_NONE;
	cmd->status = SAM_STAT_GOOD;
	cmd->sense_len = 0;
	cmd->lba = 0;
	cmd->cdb_blocks = 0;
	cmd->nr_blocks = 0;
	cmd->xfer_len = 0;
	cmd->data_len = 0;
	cmd->fua = false;
	cmd->unmap = false;
	cmd->ndob = false;
	cmd->atomic = false;
	cmd->list_id = 0;
	cmd->list_id_hold = false;
	cmd->bytchk = 0;
	cmd->wce = false;
	cmd->nr_desc = 0;
	cmd->ua_cleared = KITT_UA_NONE;
}

/* After a CHECK CONDITION (or BUSY) nothing moves and nothing runs. */
static void kitt_scsi_stop(struct kitt_scsi_cmd *cmd)
{
	cmd->action = KITT_SCSI_ACT_NONE;
	cmd->nr_blocks = 0;
	cmd->xfer_len = 0;
	cmd->data_len = 0;
}

/* Checks common to every entry; false when @cmd now has sense. */
static bool kitt_scsi_check_common(struct kitt_scsi_cmd *cmd,
				   const struct kitt_scsi_op *op,
				   const struct kitt_lu_info *lu)
{
	if (cmd->cdb_len < op->cdb_len) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST,
			       KITT_ASC_INVALID_FIELD_IN_CDB, 0);
		return false;
	}
	if (cmd->cdb[op->cdb_len - 1] & 0x04) {	/* NACA */
		kitt_scsi_invalid_cdb(cmd, op->cdb_len - 1, 2);
		return false;
	}
	if ((op->flags & KITT_OP_BUF) &&
	    (!cmd->buf || cmd->buf_size < KITT_SCSI_BUF_SIZE)) {
		kitt_sense_set(cmd, HARDWARE_ERROR,
			       KITT_ASC_INTERNAL_TARGET_FAILURE, 0);
		return false;
	}
	if ((op->flags & KITT_OP_WRITES) && lu && lu->read_only) {
		kitt_sense_set(cmd, DATA_PROTECT, KITT_ASC_WRITE_PROTECTED, 0);
		return false;
	}
	return true;
}

/**
 * kitt_scsi_decode() - decode a CDB for a mapped LU.
 * @cmd: the command, inputs filled in
 * @lu: the LU it addresses
 *
 * Fills every output of @cmd: the action for the task layer, the data
 * direction and lengths, and status with sense for commands that end
 * here (unknown opcode, bad field, LBA out of range, write protected,
 * a command the port's ALUA state refuses). Emulated commands are
 * complete on return (data in cmd->buf).
 *
 * Return: 0, or -EINVAL when @cmd has no CDB.
 */
int kitt_scsi_decode(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu)
{
	const struct kitt_scsi_op *op;
	bool sa_unknown;

	if (!cmd->cdb || !cmd->cdb_len || !lu)
		return -EINVAL;
	kitt_scsi_reset(cmd);
	op = kitt_scsi_find_op(cmd->cdb[0],
			       cmd->cdb_len > 1 ? cmd->cdb[1] & 0x1f : 0, lu,
			       &sa_unknown);
	if (kitt_scsi_ua_first(cmd->ua_pending) != KITT_UA_NONE &&
	    cmd->cdb[0] != INQUIRY && cmd->cdb[0] != REPORT_LUNS &&
	    cmd->cdb[0] != REQUEST_SENSE) {
		/* SAM-5 5.14: the unit attention goes before anything else */
		cmd->ua_cleared = kitt_scsi_ua_first(cmd->ua_pending);
		kitt_scsi_ua_sense(cmd, cmd->ua_cleared);
	} else if (!op) {
		if (sa_unknown)
			kitt_scsi_invalid_cdb(cmd, 1, 4);
		else
			kitt_sense_set(cmd, ILLEGAL_REQUEST,
				       KITT_ASC_INVALID_OPCODE, 0);
	} else if (!kitt_alua_allows(cmd, lu->alua_state)) {
		kitt_alua_refuse(cmd, lu->alua_state);
	} else if (kitt_scsi_check_common(cmd, op, lu)) {
		op->handler(cmd, lu);
	}
	if (cmd->status != SAM_STAT_GOOD)
		kitt_scsi_stop(cmd);
	return 0;
}

/**
 * kitt_scsi_decode_nolun() - decode a CDB sent to a LUN that is not
 *	mapped.
 * @cmd: the command, inputs filled in
 *
 * INQUIRY answers with peripheral qualifier 011b and device type 1Fh,
 * REPORT LUNS works as on any LUN (action REPORT_LUNS), REQUEST SENSE
 * returns LOGICAL UNIT NOT SUPPORTED as its parameter data; anything
 * else ends in CHECK CONDITION, ILLEGAL REQUEST / LOGICAL UNIT NOT
 * SUPPORTED.
 *
 * Return: 0, or -EINVAL when @cmd has no CDB.
 */
int kitt_scsi_decode_nolun(struct kitt_scsi_cmd *cmd)
{
	const struct kitt_scsi_op *op;
	bool sa_unknown;

	if (!cmd->cdb || !cmd->cdb_len)
		return -EINVAL;
	kitt_scsi_reset(cmd);
	switch (cmd->cdb[0]) {
	case INQUIRY:
	case REPORT_LUNS:
	case REQUEST_SENSE:
		op = kitt_scsi_find_op(cmd->cdb[0], 0, NULL, &sa_unknown);
		if (kitt_scsi_check_common(cmd, op, NULL))
			op->handler(cmd, NULL);
		break;
	default:
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_LUN_NOT_SUPPORTED,
			       0);
		break;
	}
	if (cmd->status != SAM_STAT_GOOD)
		kitt_scsi_stop(cmd);
	return 0;
}

/**
 * kitt_scsi_data_out() - second step of a DATA_OUT_PARAM command.
 * @cmd: the command decoded to KITT_SCSI_ACT_DATA_OUT_PARAM
 * @lu: the LU
 * @param: the parameter list received
 * @len: its length (at most cmd->data_len)
 *
 * MODE SELECT becomes SET_WCE or NONE, UNMAP becomes UNMAP with
 * cmd->nr_desc descriptors (read them with kitt_sbc_unmap_desc()),
 * EXTENDED COPY becomes XCOPY with cmd->nr_desc segments, SET TARGET
 * PORT GROUPS becomes STPG with cmd->nr_desc descriptors, or NONE with
 * CHECK CONDITION when the list is bad.
 *
 * Return: 0, or -EINVAL when @cmd was not waiting for a parameter list.
 */
int kitt_scsi_data_out(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu,
		       const u8 *param, u32 len)
{
	if (cmd->action != KITT_SCSI_ACT_DATA_OUT_PARAM)
		return -EINVAL;
	len = min(len, cmd->xfer_len);
	switch (cmd->cdb[0]) {
	case MODE_SELECT:
	case MODE_SELECT_10:
		kitt_spc_mode_select(cmd, lu, param, len,
				     cmd->cdb[0] == MODE_SELECT_10);
		break;
	case UNMAP:
		kitt_sbc_unmap_check(cmd, lu, param, len);
		break;
	case PERSISTENT_RESERVE_OUT:
		cmd->action = KITT_SCSI_ACT_PR_OUT;
		break;
	case EXTENDED_COPY:
		kitt_xcopy_check(cmd, param, len);
		break;
	case MAINTENANCE_OUT:
		kitt_alua_stpg_check(cmd, param, len);
		break;
	default:
		return -EINVAL;
	}
	if (cmd->status != SAM_STAT_GOOD)
		cmd->action = KITT_SCSI_ACT_NONE;
	return 0;
}
