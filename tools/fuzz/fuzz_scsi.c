// SPDX-License-Identifier: GPL-2.0
/*
 * kitt fuzzing: spc.c, sbc.c and xcopy.c - kitt_scsi_decode() of any CDB
 * for a LU described by the input, then the steps the task layer takes
 * after it:
 * the parameter list (MODE SELECT, UNMAP, PERSISTENT RESERVE OUT,
 * EXTENDED COPY), REPORT LUNS, the comparisons of VERIFY and COMPARE AND
 * WRITE, residuals.
 *
 * Input: 32 bytes describing the LU, 8 bytes of command inputs (EDTL,
 * R/W bits, CDB length), the CDB, then the data the initiator sends.
 * Every output is checked against the contract in kitt_scsi.h: what a
 * decode promises about ranges and lengths is what the task layer
 * relies on when it builds bios and buffers.
 */
#include "fuzz.h"
#include <scsi/scsi_proto.h>

/* Target names: usual, empty, EUI, and as long as configfs allows (223). */
static char fz_long_name[KITT_NAME_MAX];
static const char * const fz_names[] = {
	"iqn.2026-01.org.kitt:disk1", "", "eui.0123456789abcdef", fz_long_name,
};

static bool fz_medium_action(enum kitt_scsi_action a)
{
	return a == KITT_SCSI_ACT_READ || a == KITT_SCSI_ACT_WRITE ||
	       a == KITT_SCSI_ACT_WRITE_VERIFY || a == KITT_SCSI_ACT_VERIFY ||
	       a == KITT_SCSI_ACT_WRITE_SAME || a == KITT_SCSI_ACT_COMPARE_AND_WRITE ||
	       a == KITT_SCSI_ACT_ORWRITE;
}

static bool fz_writes_medium(enum kitt_scsi_action a)
{
	return a == KITT_SCSI_ACT_WRITE || a == KITT_SCSI_ACT_WRITE_VERIFY ||
	       a == KITT_SCSI_ACT_WRITE_SAME || a == KITT_SCSI_ACT_COMPARE_AND_WRITE ||
	       a == KITT_SCSI_ACT_ORWRITE || a == KITT_SCSI_ACT_UNMAP;
}

static const u8 alua_states[] = {
	KITT_ALUA_ACTIVE_OPTIMIZED, KITT_ALUA_ACTIVE_NONOPTIMIZED, KITT_ALUA_STANDBY,
	KITT_ALUA_UNAVAILABLE, KITT_ALUA_TRANSITIONING,
};

static void fz_scsi_lu(struct fz *f, struct kitt_lu_info *lu, char *product, char *serial)
{
	u8 sel = fz_u8(f), fl = fz_u8(f);

	switch (sel & 3) {
	case 0: lu->nr_blocks = fz_u16(f); break;
	case 1: lu->nr_blocks = fz_u32(f); break;
	case 2: lu->nr_blocks = fz_u64(f); break;
	default: lu->nr_blocks = (u64)fz_u32(f) << 16; break;
	}
	lu->block_shift = 9 + (sel >> 2 & 7);
	lu->phys_exp = sel >> 5;
	lu->read_only = fl & 1;
	lu->wce = fl & 2;
	lu->discard = fl & 4;
	lu->lbprz = fl & 8;
	lu->lba_status = sel & 0x80;
	lu->max_xfer_blocks = fl & 0x10 ? fz_u16(f) : 0;
	lu->opt_xfer_blocks = fz_u16(f);
	lu->max_unmap_blocks = fl & 0x20 ? fz_u32(f) : 0;
	lu->unmap_granularity = fz_u8(f);
	lu->max_ws_blocks = fl & 0x40 ? fz_u16(f) : 0;
	if (sel & 0x40) {			/* atomic writes: a power-of-2 unit */
		lu->atomic_gran_blocks = 1U << (fz_u8(f) & 7);
		lu->atomic_max_blocks = lu->atomic_gran_blocks * (fz_u8(f) + 1);
	}
	/* configfs lets through names of these lengths; a few kinds of each */
	memset(product, 'P', 16);
	memset(serial, 'S', KITT_SERIAL_MAX);
	fz_bytes(f, product, 4);
	product[fz_u8(f) % 17] = '\0';
	lu->product = product[0] & 1 ? product : NULL;
	fz_bytes(f, serial, 8);
	serial[fz_u8(f) % KITT_SERIAL_MAX] = '\0';
	lu->serial = fl & 0x80 ? serial : NULL;
	lu->naa_id = fz_u64(f);
	if (!fz_long_name[0]) {
		memset(fz_long_name, 'n', KITT_NAME_MAX - 1);
		memcpy(fz_long_name, "iqn.2026-01.org.kitt:", 21);
	}
	lu->target_name = fz_names[sel & 3];
	lu->tpgt = fz_u16(f);
	lu->rel_port_id = fz_u16(f) ?: 1;
	lu->tpg_id = fz_u16(f);
	/* Mostly active: the other states refuse most commands early */
	sel = fz_u8(f);
	lu->alua_state = sel & 0x80 ? alua_states[sel % ARRAY_SIZE(alua_states)] :
				      KITT_ALUA_ACTIVE_OPTIMIZED;
	lu->alua_explicit = sel & 0x40;
}

static void fz_scsi_check(const struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu)
{
	u64 bs = 1ULL << lu->block_shift, blocks_len = (u64)cmd->nr_blocks << lu->block_shift;

	FZ_CHECK(cmd->action <= KITT_SCSI_ACT_STPG, "action %d", cmd->action);
	FZ_CHECK(cmd->dir <= KITT_SCSI_DIR_OUT, "dir %d", cmd->dir);
	if (cmd->status != SAM_STAT_GOOD) {
		FZ_CHECK(cmd->action == KITT_SCSI_ACT_NONE && !cmd->data_len && !cmd->nr_blocks,
			 "status 0x%x with action %d data %u", cmd->status, cmd->action,
			 cmd->data_len);
		if (cmd->status == SAM_STAT_CHECK_CONDITION)
			FZ_CHECK(cmd->sense_len == KITT_SENSE_LEN &&
				 (cmd->sense[0] & 0x7f) == 0x70, "sense %u", cmd->sense_len);
		return;
	}
	FZ_CHECK(cmd->data_len <= cmd->xfer_len, "data_len %u > xfer_len %u", cmd->data_len,
		 cmd->xfer_len);
	FZ_CHECK(cmd->data_len <= kitt_scsi_dir_edtl(cmd), "data_len %u beyond EDTL %u",
		 cmd->data_len, kitt_scsi_dir_edtl(cmd));
	if (cmd->action == KITT_SCSI_ACT_EMULATE_IN)
		FZ_CHECK(cmd->data_len <= cmd->buf_size && cmd->buf, "emulated %u", cmd->data_len);
	if (cmd->action == KITT_SCSI_ACT_DATA_OUT_PARAM)
		FZ_CHECK(cmd->data_len <= KITT_SCSI_MAX_PARAM_LEN, "parameter list %u",
			 cmd->data_len);
	if (lu->read_only)
		FZ_CHECK(!fz_writes_medium(cmd->action), "read-only LU, action %d", cmd->action);
	if (!fz_medium_action(cmd->action))
		return;
	/* The medium is reached only through an active port */
	FZ_CHECK(lu->alua_state == KITT_ALUA_ACTIVE_OPTIMIZED ||
		 lu->alua_state == KITT_ALUA_ACTIVE_NONOPTIMIZED,
		 "action %d in ALUA state %u", cmd->action, lu->alua_state);
	FZ_CHECK(cmd->lba <= lu->nr_blocks && cmd->nr_blocks <= lu->nr_blocks - cmd->lba,
		 "blocks %llu+%u beyond %llu", (unsigned long long)cmd->lba, cmd->nr_blocks,
		 (unsigned long long)lu->nr_blocks);
	FZ_CHECK(cmd->nr_blocks <= cmd->cdb_blocks || cmd->action == KITT_SCSI_ACT_WRITE_SAME,
		 "nr_blocks %u > cdb_blocks %u", cmd->nr_blocks, cmd->cdb_blocks);
	if (lu->max_xfer_blocks && (cmd->action == KITT_SCSI_ACT_READ ||
				    cmd->action == KITT_SCSI_ACT_WRITE))
		FZ_CHECK(cmd->nr_blocks <= lu->max_xfer_blocks, "beyond MAXIMUM TRANSFER LENGTH");
	switch (cmd->action) {
	case KITT_SCSI_ACT_READ:
		/* whole blocks are read, the first data_len bytes sent */
		FZ_CHECK(blocks_len >= cmd->data_len && blocks_len < cmd->data_len + bs,
			 "READ of %u blocks for %u bytes", cmd->nr_blocks, cmd->data_len);
		break;
	case KITT_SCSI_ACT_WRITE:
	case KITT_SCSI_ACT_WRITE_VERIFY:
	case KITT_SCSI_ACT_ORWRITE:
		/* only whole blocks that arrived are written */
		FZ_CHECK(blocks_len <= cmd->data_len, "write of %u blocks from %u bytes",
			 cmd->nr_blocks, cmd->data_len);
		/* an atomic write: what the device's unit allows, all of its data */
		if (cmd->atomic)
			FZ_CHECK(cmd->action == KITT_SCSI_ACT_WRITE && lu->atomic_max_blocks &&
				 cmd->nr_blocks <= lu->atomic_max_blocks &&
				 !(cmd->nr_blocks % lu->atomic_gran_blocks) &&
				 !(cmd->lba % lu->atomic_gran_blocks) &&
				 cmd->data_len == cmd->xfer_len, "atomic write of %u blocks at %llu",
				 cmd->nr_blocks, (unsigned long long)cmd->lba);
		break;
	case KITT_SCSI_ACT_VERIFY:
		if (cmd->bytchk == 1)
			FZ_CHECK(blocks_len <= cmd->data_len, "verify %u blocks, %u bytes",
				 cmd->nr_blocks, cmd->data_len);
		else if (cmd->bytchk == 3 && cmd->nr_blocks)
			FZ_CHECK(cmd->data_len == bs, "verify against %u bytes", cmd->data_len);
		else if (!cmd->bytchk)
			FZ_CHECK(!cmd->data_len, "verify without data moves %u", cmd->data_len);
		break;
	case KITT_SCSI_ACT_WRITE_SAME:
		/* one block of data, or none with NDOB (a block of zeros) */
		FZ_CHECK(cmd->data_len == (cmd->ndob ? 0 : bs) && cmd->nr_blocks,
			 "WRITE SAME %u bytes, %u blocks, ndob %d", cmd->data_len, cmd->nr_blocks,
			 cmd->ndob);
		FZ_CHECK(!cmd->ndob || cmd->dir == KITT_SCSI_DIR_NONE, "NDOB with data");
		FZ_CHECK(cmd->nr_blocks <= kitt_sbc_ws_max_blocks(lu), "WRITE SAME %u blocks",
			 cmd->nr_blocks);
		FZ_CHECK(!cmd->unmap || lu->discard, "WRITE SAME UNMAP without discard");
		break;
	case KITT_SCSI_ACT_COMPARE_AND_WRITE:
		FZ_CHECK(cmd->nr_blocks && cmd->data_len == 2 * blocks_len &&
			 cmd->nr_blocks <= kitt_sbc_caw_max_blocks(lu),
			 "COMPARE AND WRITE %u blocks, %u bytes", cmd->nr_blocks, cmd->data_len);
		break;
	default:
		break;
	}
}

/* What the task layer does with the data of a decoded command. */
static void fz_scsi_data(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu,
			 struct fz *f)
{
	u32 len, i, nr, half, bs = 1U << lu->block_shift;
	u64 luns[16], lba, total = 0;
	u8 *param;
	int ret;

	switch (cmd->action) {
	case KITT_SCSI_ACT_DATA_OUT_PARAM:
		param = fz_dup(f, cmd->data_len, &len);
		ret = kitt_scsi_data_out(cmd, lu, param, len);
		FZ_CHECK(!ret, "data_out %d", ret);
		FZ_CHECK(cmd->action == KITT_SCSI_ACT_NONE || cmd->action == KITT_SCSI_ACT_SET_WCE ||
			 cmd->action == KITT_SCSI_ACT_UNMAP || cmd->action == KITT_SCSI_ACT_PR_OUT ||
			 cmd->action == KITT_SCSI_ACT_XCOPY || cmd->action == KITT_SCSI_ACT_STPG,
			 "action %d after the parameter list", cmd->action);
		if (cmd->status != SAM_STAT_GOOD)
			FZ_CHECK(cmd->action == KITT_SCSI_ACT_NONE &&
				 cmd->sense_len == KITT_SENSE_LEN, "failed list");
		if (cmd->action == KITT_SCSI_ACT_UNMAP) {
			FZ_CHECK(!lu->read_only && lu->discard, "UNMAP on this LU");
			FZ_CHECK(cmd->nr_desc <= KITT_SBC_MAX_UNMAP_DESC &&
				 8 + 16 * cmd->nr_desc <= len, "%u descriptors in %u bytes",
				 cmd->nr_desc, len);
			for (i = 0; i < cmd->nr_desc; i++) {
				kitt_sbc_unmap_desc(param, i, &lba, &nr);
				FZ_CHECK(lba <= lu->nr_blocks && nr <= lu->nr_blocks - lba,
					 "UNMAP descriptor %u out of range", i);
				total += nr;
			}
			if (lu->max_unmap_blocks)
				FZ_CHECK(total <= lu->max_unmap_blocks, "UNMAP of %llu blocks",
					 (unsigned long long)total);
		}
		if (cmd->action == KITT_SCSI_ACT_XCOPY) {
			struct kitt_xcopy_segment seg;
			struct kitt_xcopy_target t;
			u32 ntd = get_unaligned_be16(&param[2]) / 32;

			/* What copy.c reads: every target and segment, inside the list */
			FZ_CHECK(ntd <= KITT_XCOPY_MAX_TARGETS &&
				 cmd->nr_desc <= KITT_XCOPY_MAX_SEGMENTS &&
				 16 + 32 * ntd + 28 * cmd->nr_desc <= len,
				 "%u targets, %u segments in %u bytes", ntd, cmd->nr_desc, len);
			for (i = 0; i < ntd; i++)
				kitt_xcopy_target(param, i, &t);
			for (i = 0; i < cmd->nr_desc; i++) {
				kitt_xcopy_segment(param, i, &seg);
				FZ_CHECK(seg.src < ntd && seg.dst < ntd,
					 "segment %u names target %u -> %u of %u", i, seg.src,
					 seg.dst, ntd);
			}
		}
		if (cmd->action == KITT_SCSI_ACT_STPG) {
			u16 id;
			u8 state;

			/* What task.c reads: every descriptor, inside the list */
			FZ_CHECK(lu->alua_explicit && cmd->nr_desc <= KITT_ALUA_MAX_GROUPS &&
				 4 + 4 * cmd->nr_desc <= len, "STPG: %u descriptors in %u bytes",
				 cmd->nr_desc, len);
			for (i = 0; i < cmd->nr_desc; i++) {
				kitt_alua_stpg_desc(param, i, &id, &state);
				FZ_CHECK(state <= KITT_ALUA_UNAVAILABLE, "STPG to state %u", state);
			}
		}
		/* a second list is refused */
		FZ_CHECK(kitt_scsi_data_out(cmd, lu, param, len) == -EINVAL, "second list");
		free(param);
		break;
	case KITT_SCSI_ACT_LBA_STATUS:
		/* extents as a backend reports them, until the room runs out */
		FZ_CHECK(lu->lba_status && cmd->lba < lu->nr_blocks, "LBA STATUS at %llu",
			 (unsigned long long)cmd->lba);
		lba = cmd->lba;
		while (lba < lu->nr_blocks) {
			u64 n = fz_u8(f) & 1 ? fz_u64(f) % (lu->nr_blocks - lba) + 1 :
					       lu->nr_blocks - lba;

			if (!kitt_sbc_lba_status_desc(cmd, lba, n, fz_u8(f) & 1))
				break;
			lba += n;
		}
		kitt_sbc_lba_status_end(cmd);
		FZ_CHECK(get_unaligned_be32(cmd->buf) + 4 <= KITT_SCSI_BUF_SIZE &&
			 cmd->data_len <= cmd->buf_size && cmd->data_len <= cmd->xfer_len,
			 "LBA STATUS %u bytes", get_unaligned_be32(cmd->buf));
		break;
	case KITT_SCSI_ACT_COPY_STATUS: {
		struct kitt_xcopy_status st = {
			.list_id = cmd->list_id, .valid = true, .failed = fz_u8(f) & 1,
			.segments = fz_u16(f), .bytes = fz_u64(f),
		};

		kitt_xcopy_status_data(cmd, fz_u8(f) & 1 ? &st : NULL);
		FZ_CHECK(cmd->data_len <= cmd->buf_size && cmd->data_len <= cmd->xfer_len &&
			 cmd->data_len <= kitt_scsi_dir_edtl(cmd), "COPY STATUS %u", cmd->data_len);
		FZ_CHECK(cmd->status == SAM_STAT_GOOD || !cmd->data_len, "COPY STATUS failed with data");
		break;
	}
	case KITT_SCSI_ACT_RTPG: {
		struct kitt_alua_group g[KITT_ALUA_MAX_GROUPS];

		for (i = 0; i < ARRAY_SIZE(g); i++) {
			g[i].id = fz_u16(f);
			g[i].rel_port_id = fz_u16(f);
			g[i].state = fz_u8(f) & 0x0f;
			g[i].pref = fz_u8(f) & 1;
			g[i].status = fz_u8(f) % 3;
		}
		kitt_alua_rtpg(cmd, g, fz_u8(f) % (ARRAY_SIZE(g) + 1));
		FZ_CHECK(cmd->data_len <= cmd->buf_size && cmd->data_len <= cmd->xfer_len &&
			 cmd->data_len <= kitt_scsi_dir_edtl(cmd), "RTPG %u", cmd->data_len);
		break;
	}
	case KITT_SCSI_ACT_REPORT_LUNS:
		for (i = 0; i < ARRAY_SIZE(luns); i++)
			luns[i] = fz_u16(f) & 0x3fff;
		len = kitt_spc_report_luns(cmd, luns, fz_u8(f) % (ARRAY_SIZE(luns) + 1));
		FZ_CHECK(cmd->data_len <= cmd->buf_size && cmd->data_len <= cmd->xfer_len &&
			 cmd->data_len <= kitt_scsi_dir_edtl(cmd), "REPORT LUNS %u", cmd->data_len);
		break;
	case KITT_SCSI_ACT_VERIFY:
	case KITT_SCSI_ACT_COMPARE_AND_WRITE:
		if (!cmd->data_len)
			break;
		/* medium against the first block (or the compare half) received */
		half = cmd->action == KITT_SCSI_ACT_COMPARE_AND_WRITE ? cmd->data_len / 2 :
		       min(cmd->data_len, bs);
		param = fz_dup(f, 2 * half, &len);
		if (len == 2 * half) {
			ret = kitt_sbc_compare(cmd, param, param + half, half, fz_u16(f));
			FZ_CHECK(ret == 0 || (ret == -EILSEQ && cmd->sense_len), "compare %d", ret);
		}
		free(param);
		break;
	default:
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kitt_scsi_cmd cmd;
	struct kitt_lu_info lu = { };
	char product[17], serial[KITT_SERIAL_MAX];
	u8 sense[KITT_SENSE_LEN], lunf[8], flags, *cdb;
	u32 cdb_len, count;
	bool nolun;
	u64 lun;
	struct fz f;
	int ret;

	fz_init(&f, data, size);
	fz_scsi_lu(&f, &lu, product, serial);
	memset(&cmd, 0x5a, sizeof(cmd));	/* every output must be set */
	cmd.edtl = fz_u32(&f);
	flags = fz_u8(&f);
	cmd.pdu_read = flags & 1;
	cmd.pdu_write = flags & 2;
	nolun = (flags & 0x0c) == 0x0c;
	fz_bytes(&f, sense, sizeof(sense));
	cmd.ua_pending = flags & 0x10 ? sense[0] | (u32)sense[1] << 8 : 0;
	cmd.buf_size = flags & 0x20 ? fz_u16(&f) % (KITT_SCSI_BUF_SIZE + 1) : KITT_SCSI_BUF_SIZE;
	cmd.buf = flags & 0x40 ? NULL : malloc(cmd.buf_size ? cmd.buf_size : 1);
	/* the CDB: 16 bytes, or what an Extended CDB AHS makes of it */
	cdb_len = fz_u8(&f);
	cdb_len = flags & 0x80 ? 1 + cdb_len : ISCSI_CDB_SIZE;
	cdb = fz_dup(&f, cdb_len, &cdb_len);
	cmd.cdb = cdb;
	cmd.cdb_len = cdb_len;

	ret = nolun ? kitt_scsi_decode_nolun(&cmd) : kitt_scsi_decode(&cmd, &lu);
	if (!cdb_len) {
		FZ_CHECK(ret == -EINVAL, "decode without a CDB: %d", ret);
		goto out;
	}
	FZ_CHECK(!ret, "decode %d", ret);
	fz_scsi_check(&cmd, &lu);
	if (nolun)
		FZ_CHECK(!fz_medium_action(cmd.action), "medium action %d without a LU",
			 cmd.action);
	/* only a pending unit attention is cleared, and one is always reported */
	if (cmd.ua_cleared != KITT_UA_NONE)
		FZ_CHECK(cmd.ua_cleared >= 0 && cmd.ua_cleared < KITT_UA_NR &&
			 (cmd.ua_pending & (1U << cmd.ua_cleared)),
			 "cleared unit attention %d not pending", cmd.ua_cleared);
	if (!nolun && kitt_scsi_ua_first(cmd.ua_pending) != KITT_UA_NONE &&
	    cdb[0] != INQUIRY && cdb[0] != REPORT_LUNS && cdb[0] != REQUEST_SENSE)
		FZ_CHECK(cmd.status == SAM_STAT_CHECK_CONDITION && cmd.sense[2] == UNIT_ATTENTION,
			 "opcode %#x ran past a unit attention", cdb[0]);
	fz_scsi_data(&cmd, &lu, &f);

	/* a failed bio ends it with sense */
	if (fz_medium_action(cmd.action) && (flags & 0x04)) {
		kitt_scsi_set_io_error(&cmd, -(int)(fz_u8(&f) % 140), flags & 0x08);
		FZ_CHECK(cmd.status != SAM_STAT_GOOD, "I/O error left GOOD");
	}
	kitt_scsi_cmd_residual(&cmd, &flags, &count);

	/* LUN fields: what decodes encodes back the same */
	fz_bytes(&f, lunf, sizeof(lunf));
	if (!kitt_scsi_lun_decode(lunf, &lun)) {
		u8 again[8];

		if (!kitt_scsi_lun_encode(lun, again)) {
			u64 back;

			FZ_CHECK(!kitt_scsi_lun_decode(again, &back) && back == lun,
				 "LUN %llu does not round-trip", (unsigned long long)lun);
		}
	}
out:
	free(cdb);
	free(cmd.buf);
	return 0;
}
