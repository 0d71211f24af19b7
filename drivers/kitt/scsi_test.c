// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for spc.c and sbc.c: decode of every supported command with
 * good and bad fields (exact sense and field pointers), LBA range edges,
 * EDTL clamping and residuals, INQUIRY / VPD / MODE SENSE contents, MODE
 * SELECT, REPORT LUNS, UNMAP and COMPARE AND WRITE helpers.
 */

#include <kunit/test.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include "kitt_pdu.h"
#include "kitt_scsi.h"
#include "kitt_compat.h"
#include "kitt_test.h"

#define BS		512
#define NR_BLOCKS	1000
/* A unit attention to report: POWER ON, RESET, OR BUS DEVICE RESET OCCURRED */

struct kitt_st {
	struct kunit *test;
	struct kitt_lu_info lu;
	struct kitt_scsi_cmd cmd;
	u8 cdb[16];
	u8 *buf;
	u32 ua;
};

static struct kitt_st *kitt_st_new(struct kunit *test)
{
	struct kitt_st *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, st);
	st->buf = kunit_kzalloc(test, KITT_SCSI_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, st->buf);
	st->test = test;
	st->lu.nr_blocks = NR_BLOCKS;
	st->lu.block_shift = 9;
	st->lu.wce = true;
	st->lu.discard = true;
	st->lu.lbprz = true;
	st->lu.max_xfer_blocks = 2048;
	st->lu.serial = "SN123";
	st->lu.naa_id = 0x3123456789abcdefULL;
	st->lu.target_name = "iqn.2025-01.org.example:t1";
	st->lu.tpgt = 1;
	st->lu.rel_port_id = 1;
	st->lu.tpg_id = 2;
	return st;
}

/* Fill the command inputs around st->cdb and decode it. */
static struct kitt_scsi_cmd *kitt_st_run_dir(struct kitt_st *st, u32 edtl,
					     bool r, bool w)
{
	struct kitt_scsi_cmd *cmd = &st->cmd;

	memset(cmd, 0x5a, sizeof(*cmd));	/* outputs must all be set */
	cmd->cdb = st->cdb;
	cmd->cdb_len = sizeof(st->cdb);
	cmd->edtl = edtl;
	cmd->pdu_read = r;
	cmd->pdu_write = w;
	cmd->buf = st->buf;
	cmd->buf_size = KITT_SCSI_BUF_SIZE;
	cmd->ua_pending = st->ua;
	KUNIT_ASSERT_EQ(st->test, kitt_scsi_decode(cmd, &st->lu), 0);
	return cmd;
}

static struct kitt_scsi_cmd *kitt_st_in(struct kitt_st *st, u32 edtl)
{
	return kitt_st_run_dir(st, edtl, edtl != 0, false);
}

static struct kitt_scsi_cmd *kitt_st_out(struct kitt_st *st, u32 edtl)
{
	return kitt_st_run_dir(st, edtl, false, edtl != 0);
}

static void kitt_st_cdb(struct kitt_st *st, const u8 *cdb, size_t len)
{
	memset(st->cdb, 0, sizeof(st->cdb));
	memcpy(st->cdb, cdb, len);
}

#define CDB(st, ...) do {						\
		const u8 __c[] = { __VA_ARGS__ };			\
		kitt_st_cdb(st, __c, sizeof(__c));			\
	} while (0)

static void kitt_st_good(struct kunit *test, const struct kitt_scsi_cmd *cmd)
{
	KUNIT_EXPECT_EQ_MSG(test, cmd->status, SAM_STAT_GOOD,
			    "opcode %02x sense %02x/%02x/%02x", cmd->cdb[0],
			    cmd->sense[2], cmd->sense[12], cmd->sense[13]);
	KUNIT_EXPECT_EQ(test, cmd->sense_len, 0);
}

static void kitt_st_sense(struct kunit *test, const struct kitt_scsi_cmd *cmd,
			  u8 key, u8 asc, u8 ascq)
{
	KUNIT_EXPECT_EQ(test, cmd->status, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd->sense_len, KITT_SENSE_LEN);
	KUNIT_EXPECT_EQ(test, cmd->sense[0] & 0x7f, 0x70);
	KUNIT_EXPECT_EQ(test, cmd->sense[2], key);
	KUNIT_EXPECT_EQ(test, cmd->sense[7], 10);
	KUNIT_EXPECT_EQ(test, cmd->sense[12], asc);
	KUNIT_EXPECT_EQ(test, cmd->sense[13], ascq);
	/* Nothing moves after a CHECK CONDITION from decode */
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 0);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, 0);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 0);
}

/* CHECK CONDITION for a parameter list: it was received, nothing runs. */
static void kitt_st_list_sense(struct kunit *test, const struct kitt_scsi_cmd *cmd,
			       u8 key, u8 asc, u8 ascq)
{
	KUNIT_EXPECT_EQ(test, cmd->status, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd->sense_len, KITT_SENSE_LEN);
	KUNIT_EXPECT_EQ(test, cmd->sense[2], key);
	KUNIT_EXPECT_EQ(test, cmd->sense[12], asc);
	KUNIT_EXPECT_EQ(test, cmd->sense[13], ascq);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
}

/* INVALID FIELD IN CDB with the field pointer at @byte / @bit. */
static void kitt_st_bad_cdb(struct kunit *test, const struct kitt_scsi_cmd *cmd,
			    u16 byte, int bit)
{
	kitt_st_sense(test, cmd, ILLEGAL_REQUEST, 0x24, 0x00);
	KUNIT_EXPECT_EQ(test, cmd->sense[15],
			0x80 | 0x40 | (bit >= 0 ? 0x08 | bit : 0));
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&cmd->sense[16]), byte);
}

/* INVALID FIELD IN PARAMETER LIST at @byte / @bit. */
static void kitt_st_bad_param(struct kunit *test,
			      const struct kitt_scsi_cmd *cmd, u16 byte,
			      int bit)
{
	KUNIT_EXPECT_EQ(test, cmd->status, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd->sense[2], ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, cmd->sense[12], 0x26);
	KUNIT_EXPECT_EQ(test, cmd->sense[13], 0x00);
	KUNIT_EXPECT_EQ(test, cmd->sense[15],
			0x80 | (bit >= 0 ? 0x08 | bit : 0));
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&cmd->sense[16]), byte);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
}

static void kitt_st_oob(struct kunit *test, const struct kitt_scsi_cmd *cmd)
{
	kitt_st_sense(test, cmd, ILLEGAL_REQUEST, 0x21, 0x00);
}

/* ------------------------------------------------------------------ */

static void scsi_sense_builder(struct kunit *test)
{
	struct kitt_scsi_cmd cmd = {};
	u8 r10[] = { 0x70, 0, ILLEGAL_REQUEST, 0, 0, 0, 0, 10, 0, 0, 0, 0,
		     0x24, 0, 0, 0, 0, 0 };

	kitt_sense_set(&cmd, ILLEGAL_REQUEST, 0x24, 0);
	KUNIT_EXPECT_EQ(test, cmd.status, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd.sense_len, KITT_SENSE_LEN);
	KUNIT_EXPECT_EQ(test, memcmp(cmd.sense, r10, sizeof(r10)), 0);

	kitt_sense_set_info(&cmd, MISCOMPARE, 0x1d, 0, 0x01020304);
	KUNIT_EXPECT_EQ(test, cmd.sense[0], 0xf0);
	KUNIT_EXPECT_EQ(test, cmd.sense[2], MISCOMPARE);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&cmd.sense[3]), 0x01020304);
	KUNIT_EXPECT_EQ(test, cmd.sense[12], 0x1d);
	KUNIT_EXPECT_EQ(test, cmd.sense[15], 0);

	kitt_sense_set_field(&cmd, ILLEGAL_REQUEST, 0x24, 0, true, 9, 2);
	KUNIT_EXPECT_EQ(test, cmd.sense[0], 0x70);	/* VALID cleared */
	KUNIT_EXPECT_EQ(test, cmd.sense[15], 0xca);	/* SKSV C/D BPV 2 */
	KUNIT_EXPECT_EQ(test, cmd.sense[16], 0);
	KUNIT_EXPECT_EQ(test, cmd.sense[17], 9);

	kitt_sense_set_field(&cmd, ILLEGAL_REQUEST, 0x26, 0, false, 0x123,
			     -1);
	KUNIT_EXPECT_EQ(test, cmd.sense[15], 0x80);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&cmd.sense[16]), 0x123);
}

static void scsi_residual(struct kunit *test)
{
	u32 count;
	u8 flags;

	kitt_scsi_residual(512, 512, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, 0);
	KUNIT_EXPECT_EQ(test, count, 0);
	kitt_scsi_residual(10000, 512, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, count, 10000 - 512);
	kitt_scsi_residual(200, 512, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_OVERFLOW);
	KUNIT_EXPECT_EQ(test, count, 312);
	kitt_scsi_residual(0, 512, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_OVERFLOW);
	KUNIT_EXPECT_EQ(test, count, 512);
	kitt_scsi_residual(U32_MAX, 0, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, count, U32_MAX);
}

/*
 * An emulated response larger than the buffer (PERSISTENT RESERVE IN
 * READ FULL STATUS with long names): only what the buffer holds goes out,
 * and the residual counts from that, not from the full length.
 */
static void scsi_residual_buffer(struct kunit *test)
{
	struct kitt_scsi_cmd cmd = { .edtl = 65536, .pdu_read = true,
				     .buf_size = KITT_SCSI_BUF_SIZE };
	u32 count;
	u8 flags;

	kitt_scsi_set_data_in(&cmd, 34000, 65535);
	KUNIT_EXPECT_EQ(test, cmd.xfer_len, (u32)KITT_SCSI_BUF_SIZE);
	KUNIT_EXPECT_EQ(test, cmd.data_len, (u32)KITT_SCSI_BUF_SIZE);
	kitt_scsi_cmd_residual(&cmd, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, count, 65536U - KITT_SCSI_BUF_SIZE);
	/* A smaller EDTL: an overflow, of what the buffer held past it. */
	cmd.edtl = 1024;
	kitt_scsi_set_data_in(&cmd, 34000, 65535);
	KUNIT_EXPECT_EQ(test, cmd.data_len, 1024U);
	kitt_scsi_cmd_residual(&cmd, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_OVERFLOW);
	KUNIT_EXPECT_EQ(test, count, KITT_SCSI_BUF_SIZE - 1024U);
}

static void scsi_io_error(struct kunit *test)
{
	struct kitt_scsi_cmd cmd = {};

	kitt_scsi_set_io_error(&cmd, -EIO, false);
	KUNIT_EXPECT_EQ(test, cmd.sense[2], MEDIUM_ERROR);
	KUNIT_EXPECT_EQ(test, cmd.sense[12], 0x11);
	kitt_scsi_set_io_error(&cmd, -EIO, true);
	KUNIT_EXPECT_EQ(test, cmd.sense[2], MEDIUM_ERROR);
	KUNIT_EXPECT_EQ(test, cmd.sense[12], 0x0c);
	kitt_scsi_set_io_error(&cmd, -ENODATA, false);
	KUNIT_EXPECT_EQ(test, cmd.sense[12], 0x11);
	kitt_scsi_set_io_error(&cmd, -ENOSPC, true);
	KUNIT_EXPECT_EQ(test, cmd.sense[2], DATA_PROTECT);
	KUNIT_EXPECT_EQ(test, cmd.sense[12], 0x27);
	KUNIT_EXPECT_EQ(test, cmd.sense[13], 0x07);
	kitt_scsi_set_io_error(&cmd, -EOPNOTSUPP, true);
	KUNIT_EXPECT_EQ(test, cmd.sense[2], ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, cmd.sense[12], 0x20);
	kitt_scsi_set_io_error(&cmd, -ETIMEDOUT, false);
	KUNIT_EXPECT_EQ(test, cmd.status, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd.sense[2], HARDWARE_ERROR);
	KUNIT_EXPECT_EQ(test, cmd.sense[12], 0x44);
	kitt_scsi_set_io_error(&cmd, -ENOMEM, false);
	KUNIT_EXPECT_EQ(test, cmd.status, SAM_STAT_BUSY);
	KUNIT_EXPECT_EQ(test, cmd.sense_len, 0);
}

static void scsi_unknown_opcode(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	CDB(st, 0xc0);
	cmd = kitt_st_in(st, 0);
	kitt_st_sense(test, cmd, ILLEGAL_REQUEST, 0x20, 0x00);
	KUNIT_EXPECT_EQ(test, cmd->sense[15], 0);

	CDB(st, WRITE_BUFFER);
	kitt_st_sense(test, kitt_st_in(st, 0), ILLEGAL_REQUEST, 0x20, 0);

	/* A known opcode with an unknown service action */
	CDB(st, SERVICE_ACTION_IN_16, 0x11);
	kitt_st_bad_cdb(test, kitt_st_in(st, 32), 1, 4);
	CDB(st, MAINTENANCE_IN, 0x05);		/* REPORT IDENTIFYING INFORMATION */
	kitt_st_bad_cdb(test, kitt_st_in(st, 32), 1, 4);

	/* UNMAP does not exist without discard */
	st->lu.discard = false;
	CDB(st, UNMAP, 0, 0, 0, 0, 0, 0, 0, 24, 0);
	kitt_st_sense(test, kitt_st_out(st, 24), ILLEGAL_REQUEST, 0x20, 0);

	/* Bad arguments */
	memset(&st->cmd, 0, sizeof(st->cmd));
	KUNIT_EXPECT_EQ(test, kitt_scsi_decode(&st->cmd, &st->lu), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_scsi_decode_nolun(&st->cmd), -EINVAL);
}

/* Reservations decode here; pr.c carries them out. */
static void scsi_reservations(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	u8 param[24] = {};
	u8 sa;

	for (sa = 0; sa <= 3; sa++) {
		CDB(st, PERSISTENT_RESERVE_IN, sa, 0, 0, 0, 0, 0, 0x02, 0x00, 0);
		cmd = kitt_st_in(st, 512);
		kitt_st_good(test, cmd);
		KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_PR_IN);
		KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_IN);
	}
	CDB(st, PERSISTENT_RESERVE_IN, 0x04, 0, 0, 0, 0, 0, 0x02, 0x00, 0);
	kitt_st_bad_cdb(test, kitt_st_in(st, 512), 1, 4);

	for (sa = 0; sa <= 6; sa++) {
		CDB(st, PERSISTENT_RESERVE_OUT, sa, 0x01, 0, 0, 0, 0, 0, 24, 0);
		cmd = kitt_st_out(st, 24);
		kitt_st_good(test, cmd);
		KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_DATA_OUT_PARAM);
		KUNIT_EXPECT_EQ(test, cmd->data_len, 24U);
		KUNIT_EXPECT_EQ(test, kitt_scsi_data_out(cmd, &st->lu, param, 24), 0);
		KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_PR_OUT);
	}
	/* REPLACE LOST RESERVATION is not offered */
	CDB(st, PERSISTENT_RESERVE_OUT, 0x08, 0, 0, 0, 0, 0, 0, 24, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 24), 1, 4);
	/* TransportIDs follow REGISTER (SPEC_I_PT) and REGISTER AND MOVE only */
	CDB(st, PERSISTENT_RESERVE_OUT, 0x01, 0, 0, 0, 0, 0, 0, 28, 0);
	kitt_st_sense(test, kitt_st_out(st, 28), ILLEGAL_REQUEST, 0x1a, 0);
	CDB(st, PERSISTENT_RESERVE_OUT, 0x00, 0, 0, 0, 0, 0, 0, 20, 0);
	kitt_st_sense(test, kitt_st_out(st, 20), ILLEGAL_REQUEST, 0x1a, 0);
	for (sa = 0; sa <= 7; sa += 7) {
		CDB(st, PERSISTENT_RESERVE_OUT, sa, 0, 0, 0, 0, 0, 0, 88, 0);
		cmd = kitt_st_out(st, 88);
		kitt_st_good(test, cmd);
		KUNIT_EXPECT_EQ(test, cmd->data_len, 88U);
	}

	CDB(st, RESERVE, 0, 0, 0, 0, 0);
	cmd = kitt_st_in(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_RESERVE);
	CDB(st, RELEASE_10, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	cmd = kitt_st_in(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_RELEASE);
	CDB(st, RESERVE_10, 0x10, 0, 0, 0, 0, 0, 0, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_in(st, 0), 1, 4);
	/* A read-only LU still takes reservations */
	st->lu.read_only = true;
	CDB(st, RESERVE_10, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	kitt_st_good(test, kitt_st_in(st, 0));
}

/* ORWRITE(16) and READ DEFECT DATA (10)/(12) */
static void scsi_orwrite_defects(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	CDB(st, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 4, 0, 0);
	cmd = kitt_st_out(st, 4 * BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_ORWRITE);
	KUNIT_EXPECT_EQ(test, cmd->lba, 10ULL);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 4U);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4U * BS);
	KUNIT_EXPECT_TRUE(test, cmd->fua);
	/* ORPROTECT, out of range, write protected */
	CDB(st, 0x8b, 0x20, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 4, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 4 * BS), 1, 7);
	CDB(st, 0x8b, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xe6, 0, 0, 0, 4, 0, 0);
	kitt_st_sense(test, kitt_st_out(st, 4 * BS), ILLEGAL_REQUEST, 0x21, 0);
	st->lu.read_only = true;
	CDB(st, 0x8b, 0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 4, 0, 0);
	kitt_st_sense(test, kitt_st_out(st, 4 * BS), DATA_PROTECT, 0x27, 0);

	CDB(st, READ_DEFECT_DATA, 0, 0x1d, 0, 0, 0, 0, 0, 32, 0);
	cmd = kitt_st_in(st, 32);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4U);
	KUNIT_EXPECT_EQ(test, st->buf[1], 0x1d);
	KUNIT_EXPECT_EQ(test, st->buf[2] | st->buf[3], 0);
	CDB(st, 0xb7, 0x0c, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0);
	cmd = kitt_st_in(st, 8);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 8U);
	KUNIT_EXPECT_EQ(test, st->buf[1], 0x0c);
}

static void scsi_naca(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);

	CDB(st, TEST_UNIT_READY, 0, 0, 0, 0, 0x04);
	kitt_st_bad_cdb(test, kitt_st_in(st, 0), 5, 2);
	CDB(st, READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0x04);
	kitt_st_bad_cdb(test, kitt_st_in(st, BS), 9, 2);
	CDB(st, READ_12, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x04);
	kitt_st_bad_cdb(test, kitt_st_in(st, BS), 11, 2);
	CDB(st, READ_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x04);
	kitt_st_bad_cdb(test, kitt_st_in(st, BS), 15, 2);
	/* LINK and vendor bits alone are accepted */
	CDB(st, TEST_UNIT_READY, 0, 0, 0, 0, 0xc0);
	kitt_st_good(test, kitt_st_in(st, 0));
}

static void scsi_misc_commands(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	CDB(st, TEST_UNIT_READY);
	cmd = kitt_st_in(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
	KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_NONE);

	/* START STOP UNIT: LOEJ refused, START accepted, stop flushes */
	CDB(st, START_STOP, 1, 0, 0, 0x03);
	kitt_st_bad_cdb(test, kitt_st_in(st, 0), 4, 1);
	CDB(st, START_STOP, 1, 0, 0, 0x01);
	cmd = kitt_st_in(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
	CDB(st, START_STOP, 0, 0, 0, 0x00);
	cmd = kitt_st_in(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_FLUSH);
	CDB(st, START_STOP, 0, 0, 0, 0x04);	/* NO_FLUSH */
	KUNIT_EXPECT_EQ(test, kitt_st_in(st, 0)->action, KITT_SCSI_ACT_NONE);
	CDB(st, START_STOP, 0, 0, 0, 0x30);	/* power condition */
	kitt_st_good(test, kitt_st_in(st, 0));

	CDB(st, ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 1);
	kitt_st_good(test, kitt_st_in(st, 0));
	CDB(st, ALLOW_MEDIUM_REMOVAL, 0, 0, 0, 0);
	kitt_st_good(test, kitt_st_in(st, 0));

	/* Emulated commands need the buffer */
	CDB(st, INQUIRY, 0, 0, 0, 36);
	memset(&st->cmd, 0, sizeof(st->cmd));
	st->cmd.cdb = st->cdb;
	st->cmd.cdb_len = 16;
	st->cmd.edtl = 36;
	st->cmd.pdu_read = true;
	KUNIT_ASSERT_EQ(test, kitt_scsi_decode(&st->cmd, &st->lu), 0);
	kitt_st_sense(test, &st->cmd, HARDWARE_ERROR, 0x44, 0);

	/* A CDB shorter than its opcode needs */
	CDB(st, READ_16);
	st->cmd.cdb_len = 10;
	st->cmd.buf = st->buf;
	st->cmd.buf_size = KITT_SCSI_BUF_SIZE;
	KUNIT_ASSERT_EQ(test, kitt_scsi_decode(&st->cmd, &st->lu), 0);
	kitt_st_sense(test, &st->cmd, ILLEGAL_REQUEST, 0x24, 0);
}

/* ------------------------------------------------------------------ */
/* Reads and writes                                                   */
/* ------------------------------------------------------------------ */

static void scsi_rw6(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	/* Length 0 means 256 blocks */
	CDB(st, READ_6, 0, 0, 10, 0);
	cmd = kitt_st_in(st, 256 * BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_READ);
	KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_IN);
	KUNIT_EXPECT_EQ(test, cmd->lba, 10);
	KUNIT_EXPECT_EQ(test, cmd->cdb_blocks, 256);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 256);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, 256 * BS);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 256 * BS);
	KUNIT_EXPECT_FALSE(test, cmd->fua);

	/* 21-bit LBA: the top three bits of byte 1 are not part of it */
	st->lu.nr_blocks = 0x200000;
	CDB(st, WRITE_6, 0xff, 0xff, 0xfe, 1);
	cmd = kitt_st_out(st, BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_WRITE);
	KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_OUT);
	KUNIT_EXPECT_EQ(test, cmd->lba, 0x1ffffe);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 1);

	/* Edges: the last block, one past it, 256 blocks over the end */
	st->lu.nr_blocks = NR_BLOCKS;
	CDB(st, READ_6, 0, (NR_BLOCKS - 1) >> 8, (NR_BLOCKS - 1) & 0xff, 1);
	kitt_st_good(test, kitt_st_in(st, BS));
	CDB(st, READ_6, 0, NR_BLOCKS >> 8, NR_BLOCKS & 0xff, 1);
	kitt_st_oob(test, kitt_st_in(st, BS));
	CDB(st, READ_6, 0, (NR_BLOCKS - 255) >> 8, (NR_BLOCKS - 255) & 0xff, 0);
	kitt_st_oob(test, kitt_st_in(st, 256 * BS));
	CDB(st, READ_6, 0, (NR_BLOCKS - 256) >> 8, (NR_BLOCKS - 256) & 0xff, 0);
	kitt_st_good(test, kitt_st_in(st, 256 * BS));

	/* READ(6) has no protection field: byte 1 high bits are LBA */
	st->lu.nr_blocks = 0x200000;
	CDB(st, READ_6, 0xe0, 0, 0, 1);
	kitt_st_good(test, kitt_st_in(st, BS));
}

static void scsi_rw_lba_edges(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	/* READ(10) of the last block, and of the last two plus one */
	CDB(st, READ_10, 0, 0, 0, 0x03, 0xe7, 0, 0, 1);
	cmd = kitt_st_in(st, BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->lba, NR_BLOCKS - 1);
	CDB(st, READ_10, 0, 0, 0, 0x03, 0xe7, 0, 0, 2);
	kitt_st_oob(test, kitt_st_in(st, 2 * BS));
	/* Zero blocks: at the capacity is fine, one past it is not */
	CDB(st, READ_10, 0, 0, 0, 0x03, 0xe8, 0, 0, 0);
	cmd = kitt_st_in(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 0);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 0);
	CDB(st, READ_10, 0, 0, 0, 0x03, 0xe9, 0, 0, 0);
	kitt_st_oob(test, kitt_st_in(st, 0));
	CDB(st, READ_10, 0, 0x80, 0, 0, 0, 0, 0, 0);
	kitt_st_oob(test, kitt_st_in(st, 0));
	CDB(st, READ_10, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 1);
	kitt_st_oob(test, kitt_st_in(st, BS));

	/* READ(12) and WRITE(12) */
	CDB(st, READ_12, 0, 0, 0, 0x03, 0xe0, 0, 0, 0, 8, 0, 0);
	cmd = kitt_st_in(st, 8 * BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 8);
	CDB(st, WRITE_12, 0, 0, 0, 0x03, 0xe0, 0, 0, 0, 9, 0, 0);
	kitt_st_oob(test, kitt_st_out(st, 9 * BS));

	/* READ(16): a 64-bit LBA whose sum with the length wraps */
	CDB(st, READ_16, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0, 0, 0, 2);
	kitt_st_oob(test, kitt_st_in(st, 2 * BS));
	CDB(st, WRITE_16, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xe0, 0, 0, 0, 8);
	cmd = kitt_st_out(st, 8 * BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->lba, 992);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 8);
	CDB(st, WRITE_16, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xe1, 0, 0, 0, 8);
	kitt_st_oob(test, kitt_st_out(st, 8 * BS));
}

static void scsi_rw_fields(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	u8 prot;

	/* RDPROTECT / WRPROTECT: no protection information */
	for (prot = 1; prot < 8; prot++) {
		CDB(st, READ_10, prot << 5, 0, 0, 0, 0, 0, 0, 1);
		kitt_st_bad_cdb(test, kitt_st_in(st, BS), 1, 7);
		CDB(st, WRITE_12, prot << 5, 0, 0, 0, 0, 0, 0, 0, 1);
		kitt_st_bad_cdb(test, kitt_st_out(st, BS), 1, 7);
		CDB(st, READ_16, prot << 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
		kitt_st_bad_cdb(test, kitt_st_in(st, BS), 1, 7);
	}

	/* DPO and FUA */
	CDB(st, WRITE_10, 0x18, 0, 0, 0, 0, 0, 0, 1);
	cmd = kitt_st_out(st, BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_TRUE(test, cmd->fua);
	CDB(st, READ_16, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	cmd = kitt_st_in(st, BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_FALSE(test, cmd->fua);
	CDB(st, WRITE_10, 0, 0, 0, 0, 0, 0, 0, 1);
	KUNIT_EXPECT_FALSE(test, kitt_st_out(st, BS)->fua);

	/* Write cache disabled: every medium write is FUA */
	st->lu.wce = false;
	KUNIT_EXPECT_TRUE(test, kitt_st_out(st, BS)->fua);
	CDB(st, WRITE_6, 0, 0, 0, 1);
	KUNIT_EXPECT_TRUE(test, kitt_st_out(st, BS)->fua);
	CDB(st, WRITE_SAME, 0, 0, 0, 0, 0, 0, 0, 1);
	KUNIT_EXPECT_TRUE(test, kitt_st_out(st, BS)->fua);
	CDB(st, COMPARE_AND_WRITE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	KUNIT_EXPECT_TRUE(test, kitt_st_out(st, 2 * BS)->fua);
	CDB(st, READ_10, 0, 0, 0, 0, 0, 0, 0, 1);
	KUNIT_EXPECT_FALSE(test, kitt_st_in(st, BS)->fua);
	st->lu.wce = true;

	/* Larger than the LU's transfer limit: field pointer at the length */
	CDB(st, READ_10, 0, 0, 0, 0, 0, 0, 0x08, 0x01);
	kitt_st_bad_cdb(test, kitt_st_in(st, 2049 * BS), 7, 7);
	CDB(st, READ_12, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x01);
	kitt_st_bad_cdb(test, kitt_st_in(st, 2049 * BS), 6, 7);
	CDB(st, WRITE_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x08, 0x01);
	kitt_st_bad_cdb(test, kitt_st_out(st, 2049 * BS), 10, 7);
	st->lu.nr_blocks = 4096;
	CDB(st, READ_10, 0, 0, 0, 0, 0, 0, 0x08, 0x00);
	kitt_st_good(test, kitt_st_in(st, 2048 * BS));
	/* No limit, but more than EDTL can name */
	st->lu.max_xfer_blocks = 0;
	st->lu.nr_blocks = 1ULL << 40;
	CDB(st, READ_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x80, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_in(st, 0), 10, 7);
	CDB(st, READ_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x7f, 0xff, 0xff);
	kitt_st_good(test, kitt_st_in(st, 0));

	/* Read-only: every medium write is refused, reads work */
	st->lu.read_only = true;
	st->lu.nr_blocks = NR_BLOCKS;
	CDB(st, WRITE_10, 0, 0, 0, 0, 0, 0, 0, 1);
	kitt_st_sense(test, kitt_st_out(st, BS), DATA_PROTECT, 0x27, 0);
	CDB(st, WRITE_6, 0, 0, 0, 1);
	kitt_st_sense(test, kitt_st_out(st, BS), DATA_PROTECT, 0x27, 0);
	/* ... before field checks: WRPROTECT set on a read-only LU */
	CDB(st, WRITE_16, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	kitt_st_sense(test, kitt_st_out(st, BS), DATA_PROTECT, 0x27, 0);
	CDB(st, READ_10, 0, 0, 0, 0, 0, 0, 0, 1);
	kitt_st_good(test, kitt_st_in(st, BS));
	CDB(st, SYNCHRONIZE_CACHE);
	kitt_st_good(test, kitt_st_in(st, 0));
}

static void scsi_rw_edtl(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	u32 count;
	u8 flags;

	/* READ(10) of one block, EDTL 200: send 200, overflow 312 */
	CDB(st, READ_10, 0, 0, 0, 0, 0, 0, 0, 1);
	cmd = kitt_st_in(st, 200);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 200);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, BS);
	kitt_scsi_cmd_residual(cmd, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_OVERFLOW);
	KUNIT_EXPECT_EQ(test, count, BS - 200);

	/* EDTL 10000: one block, underflow */
	cmd = kitt_st_in(st, 10000);
	KUNIT_EXPECT_EQ(test, cmd->data_len, BS);
	kitt_scsi_cmd_residual(cmd, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, count, 10000 - BS);

	/* EDTL 0: GOOD, nothing read, overflow of a block */
	cmd = kitt_st_in(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 0);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 0);
	kitt_scsi_cmd_residual(cmd, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_OVERFLOW);
	KUNIT_EXPECT_EQ(test, count, BS);

	/* READ with only the W bit: no Data-In at all */
	cmd = kitt_st_run_dir(st, BS, false, true);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 0);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 0);

	/* WRITE(10) of two blocks with EDTL of one: write one */
	CDB(st, WRITE_10, 0, 0, 0, 0, 0, 0, 0, 2);
	cmd = kitt_st_out(st, BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->cdb_blocks, 2);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, cmd->data_len, BS);
	kitt_scsi_cmd_residual(cmd, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_OVERFLOW);
	KUNIT_EXPECT_EQ(test, count, BS);

	/* WRITE of one block with EDTL 200: no whole block, nothing written */
	CDB(st, WRITE_10, 0, 0, 0, 0, 0, 0, 0, 1);
	cmd = kitt_st_out(st, 200);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 0);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 200);

	/* WRITE of one block with EDTL of two: write one, underflow */
	cmd = kitt_st_out(st, 2 * BS);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 1);
	KUNIT_EXPECT_EQ(test, cmd->data_len, BS);
	kitt_scsi_cmd_residual(cmd, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, count, BS);

	/* A CHECK CONDITION moves nothing: all of EDTL is residual */
	CDB(st, WRITE_10, 0, 0xff, 0, 0, 0, 0, 0, 1);
	cmd = kitt_st_out(st, BS);
	kitt_st_oob(test, cmd);
	kitt_scsi_cmd_residual(cmd, &flags, &count);
	KUNIT_EXPECT_EQ(test, flags, ISCSI_FLAG_CMD_UNDERFLOW);
	KUNIT_EXPECT_EQ(test, count, BS);

	/* 4096-byte blocks */
	st->lu.block_shift = 12;
	CDB(st, READ_10, 0, 0, 0, 0, 0, 0, 0, 3);
	cmd = kitt_st_in(st, 5000);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, 3 * 4096);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 2);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 5000);
}

static void scsi_verify(struct kunit *test)
{
	static const u8 ops[] = { VERIFY, VERIFY_12, VERIFY_16 };
	static const u8 len_byte[] = { 7, 6, 10 };
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		u8 lb = len_byte[i] + (ops[i] == VERIFY ? 1 : 3);

		/* BYTCHK 0: medium check, no data even if some is sent */
		kitt_st_cdb(st, &ops[i], 1);
		st->cdb[lb] = 4;
		cmd = kitt_st_out(st, BS);
		kitt_st_good(test, cmd);
		KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_VERIFY);
		KUNIT_EXPECT_EQ(test, cmd->bytchk, 0);
		KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_NONE);
		KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 4);
		KUNIT_EXPECT_EQ(test, cmd->xfer_len, 0);
		KUNIT_EXPECT_EQ(test, cmd->data_len, 0);

		/* BYTCHK 1 with DPO: compare four blocks */
		st->cdb[1] = 0x10 | 0x02;
		cmd = kitt_st_out(st, 4 * BS);
		kitt_st_good(test, cmd);
		KUNIT_EXPECT_EQ(test, cmd->bytchk, 1);
		KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_OUT);
		KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 4);
		KUNIT_EXPECT_EQ(test, cmd->xfer_len, 4 * BS);
		KUNIT_EXPECT_EQ(test, cmd->data_len, 4 * BS);

		/* BYTCHK 3: one block against each of four */
		st->cdb[1] = 0x06;
		cmd = kitt_st_out(st, BS);
		kitt_st_good(test, cmd);
		KUNIT_EXPECT_EQ(test, cmd->bytchk, 3);
		KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 4);
		KUNIT_EXPECT_EQ(test, cmd->xfer_len, BS);
		KUNIT_EXPECT_EQ(test, cmd->data_len, BS);

		/* BYTCHK 2 is reserved */
		st->cdb[1] = 0x04;
		kitt_st_bad_cdb(test, kitt_st_out(st, BS), 1, 2);

		/* VRPROTECT */
		st->cdb[1] = 0x22;
		kitt_st_bad_cdb(test, kitt_st_out(st, 4 * BS), 1, 7);

		/* Past the end */
		st->cdb[1] = 0x02;
		st->cdb[2] = 0xff;
		kitt_st_oob(test, kitt_st_out(st, 4 * BS));
	}

	/* VERIFY works on a read-only LU */
	st->lu.read_only = true;
	CDB(st, VERIFY, 0x02, 0, 0, 0, 0, 0, 0, 1);
	kitt_st_good(test, kitt_st_out(st, BS));
}

static void scsi_write_verify(struct kunit *test)
{
	static const u8 ops[] = { WRITE_VERIFY, WRITE_VERIFY_12,
				  WRITE_VERIFY_16 };
	static const u8 len_end[] = { 8, 9, 13 };
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ops); i++) {
		kitt_st_cdb(st, &ops[i], 1);
		st->cdb[len_end[i]] = 2;
		cmd = kitt_st_out(st, 2 * BS);
		kitt_st_good(test, cmd);
		KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_WRITE_VERIFY);
		KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 2);
		KUNIT_EXPECT_EQ(test, cmd->bytchk, 0);
		KUNIT_EXPECT_TRUE(test, cmd->fua);

		st->cdb[1] = 0x12;		/* DPO, BYTCHK 1 */
		cmd = kitt_st_out(st, 2 * BS);
		kitt_st_good(test, cmd);
		KUNIT_EXPECT_EQ(test, cmd->bytchk, 1);

		st->cdb[1] = 0x04;		/* BYTCHK 2 */
		kitt_st_bad_cdb(test, kitt_st_out(st, 2 * BS), 1, 2);
		st->cdb[1] = 0x06;		/* BYTCHK 3 */
		kitt_st_bad_cdb(test, kitt_st_out(st, 2 * BS), 1, 2);
		st->cdb[1] = 0x40;		/* WRPROTECT 2 */
		kitt_st_bad_cdb(test, kitt_st_out(st, 2 * BS), 1, 7);

		/* EDTL short of the CDB: like WRITE */
		st->cdb[1] = 0;
		cmd = kitt_st_out(st, BS);
		KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 1);

		st->lu.read_only = true;
		kitt_st_sense(test, kitt_st_out(st, 2 * BS), DATA_PROTECT,
			      0x27, 0);
		st->lu.read_only = false;
	}
}

static void scsi_sync_prefetch(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	CDB(st, SYNCHRONIZE_CACHE, 0x02, 0, 0, 0, 0, 0, 0, 0);
	cmd = kitt_st_in(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_FLUSH);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 0);
	CDB(st, SYNCHRONIZE_CACHE, 0, 0, 0, 0x03, 0xe8, 0, 0, 1);
	kitt_st_oob(test, kitt_st_in(st, 0));
	CDB(st, SYNCHRONIZE_CACHE_16, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xe0,
	    0, 0, 0, 8);
	KUNIT_EXPECT_EQ(test, kitt_st_in(st, 0)->action, KITT_SCSI_ACT_FLUSH);
	CDB(st, SYNCHRONIZE_CACHE_16, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xe0,
	    0, 0, 0, 9);
	kitt_st_oob(test, kitt_st_in(st, 0));

	CDB(st, PRE_FETCH, 0x02, 0, 0, 0, 0, 0x1f, 0, 8);
	cmd = kitt_st_in(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
	CDB(st, PRE_FETCH, 0, 0, 0, 0x03, 0xe8, 0, 0, 1);
	kitt_st_oob(test, kitt_st_in(st, 0));
	CDB(st, 0x90, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xe8, 0, 0, 0, 0);
	kitt_st_good(test, kitt_st_in(st, 0));
	CDB(st, 0x90, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xe9, 0, 0, 0, 0);
	kitt_st_oob(test, kitt_st_in(st, 0));
}

static void scsi_write_same(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	CDB(st, WRITE_SAME, 0, 0, 0, 0, 10, 0, 0, 100);
	cmd = kitt_st_out(st, BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_WRITE_SAME);
	KUNIT_EXPECT_EQ(test, cmd->lba, 10);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 100);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, BS);
	KUNIT_EXPECT_EQ(test, cmd->data_len, BS);
	KUNIT_EXPECT_FALSE(test, cmd->unmap);

	/* UNMAP bit with discard; ANCHOR, PBDATA, LBDATA refused */
	st->cdb[1] = 0x08;
	cmd = kitt_st_out(st, BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_TRUE(test, cmd->unmap);
	st->cdb[1] = 0x18;
	kitt_st_bad_cdb(test, kitt_st_out(st, BS), 1, 4);
	st->cdb[1] = 0x10;
	kitt_st_bad_cdb(test, kitt_st_out(st, BS), 1, 4);
	st->cdb[1] = 0x04;
	kitt_st_bad_cdb(test, kitt_st_out(st, BS), 1, 2);
	st->cdb[1] = 0x02;
	kitt_st_bad_cdb(test, kitt_st_out(st, BS), 1, 1);
	st->cdb[1] = 0x20;
	kitt_st_bad_cdb(test, kitt_st_out(st, BS), 1, 7);

	/* Data-Out must be exactly one block */
	st->cdb[1] = 0;
	kitt_st_sense(test, kitt_st_out(st, BS / 2), ILLEGAL_REQUEST, 0x24, 0);
	kitt_st_sense(test, kitt_st_out(st, 2 * BS), ILLEGAL_REQUEST, 0x24, 0);
	kitt_st_sense(test, kitt_st_in(st, BS), ILLEGAL_REQUEST, 0x24, 0);

	/* WSNZ is 0: zero blocks run from the LBA to the last block */
	CDB(st, WRITE_SAME, 0, 0, 0, 0, 0, 0, 0, 0);
	cmd = kitt_st_out(st, BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->lba, 0);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, NR_BLOCKS);
	CDB(st, WRITE_SAME, 0, 0, 0, 0x03, 0xe7, 0, 0, 0);
	cmd = kitt_st_out(st, BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 1);
	/* ... from an LBA past the last one: out of range (libiscsi's 0blocks) */
	CDB(st, WRITE_SAME, 0, 0, 0, 0x03, 0xe8, 0, 0, 0);
	kitt_st_oob(test, kitt_st_out(st, BS));
	CDB(st, WRITE_SAME, 0, 0, 0, 0x03, 0xe9, 0, 0, 0);
	kitt_st_oob(test, kitt_st_out(st, BS));
	CDB(st, WRITE_SAME, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 0);
	kitt_st_oob(test, kitt_st_out(st, BS));
	CDB(st, WRITE_SAME_16, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	kitt_st_oob(test, kitt_st_out(st, BS));
	/* The range */
	CDB(st, WRITE_SAME, 0, 0, 0, 0x03, 0xe7, 0, 0, 1);
	kitt_st_good(test, kitt_st_out(st, BS));
	CDB(st, WRITE_SAME, 0, 0, 0, 0x03, 0xe7, 0, 0, 2);
	kitt_st_oob(test, kitt_st_out(st, BS));
	CDB(st, WRITE_SAME, 0, 0x80, 0, 0, 0, 0, 0, 1);
	kitt_st_oob(test, kitt_st_out(st, BS));
	/* The default limit is 65535 blocks, as WRITE SAME(10) can carry */
	st->lu.nr_blocks = 1ULL << 32;
	CDB(st, WRITE_SAME_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff);
	kitt_st_good(test, kitt_st_out(st, BS));
	CDB(st, WRITE_SAME_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, BS), 10, 7);
	/* ... which a zero-length one to the end of a large LU exceeds */
	CDB(st, WRITE_SAME_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, BS), 10, 7);
	CDB(st, WRITE_SAME_16, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 0, 0, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, BS), 10, 7);
	CDB(st, WRITE_SAME_16, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 1, 0, 0, 0, 0);
	cmd = kitt_st_out(st, BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 0xffff);
	st->lu.max_ws_blocks = 16;
	CDB(st, WRITE_SAME_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17);
	kitt_st_bad_cdb(test, kitt_st_out(st, BS), 10, 7);

	/* NDOB: no Data-Out, a block of zeros; with data it is refused */
	CDB(st, WRITE_SAME_16, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4);
	cmd = kitt_st_out(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_TRUE(test, cmd->ndob);
	KUNIT_EXPECT_TRUE(test, cmd->unmap);
	KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_NONE);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_WRITE_SAME);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 4);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 0);
	CDB(st, WRITE_SAME_16, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	kitt_st_bad_cdb(test, kitt_st_out(st, BS), 1, 0);
	/* ... and the next command does not inherit it */
	CDB(st, WRITE_SAME_16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	cmd = kitt_st_out(st, BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_FALSE(test, cmd->ndob);

	/* Without discard the UNMAP bit is refused */
	st->lu.discard = false;
	CDB(st, WRITE_SAME_16, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1);
	kitt_st_bad_cdb(test, kitt_st_out(st, BS), 1, 3);

	/* Read-only beats the field checks */
	st->lu.read_only = true;
	kitt_st_sense(test, kitt_st_out(st, BS), DATA_PROTECT, 0x27, 0);
}

static void scsi_unmap(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	u8 param[8 + 16 * 3] = {};
	u64 lba;
	u32 nr;

	/* Length 0: nothing to do; below 8: length error; ANCHOR */
	CDB(st, UNMAP, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	cmd = kitt_st_out(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
	CDB(st, UNMAP, 0, 0, 0, 0, 0, 0, 0, 4, 0);
	kitt_st_sense(test, kitt_st_out(st, 4), ILLEGAL_REQUEST, 0x1a, 0);
	CDB(st, UNMAP, 1, 0, 0, 0, 0, 0, 0, 24, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 24), 1, 0);
	CDB(st, UNMAP, 0, 0, 0, 0, 0, 0, 0x20, 0x01, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 0x2001), 7, 7);

	/* Two descriptors and a partial third */
	CDB(st, UNMAP, 0, 0, 0, 0, 0, 0, 0, sizeof(param), 0);
	cmd = kitt_st_out(st, sizeof(param));
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_DATA_OUT_PARAM);
	KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_OUT);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, sizeof(param));
	KUNIT_EXPECT_EQ(test, cmd->data_len, sizeof(param));
	put_unaligned_be16(sizeof(param) - 2, param);
	put_unaligned_be16(16 * 2 + 8, &param[2]);
	put_unaligned_be64(5, &param[8]);
	put_unaligned_be32(10, &param[16]);
	put_unaligned_be64(NR_BLOCKS, &param[24]);	/* 0 blocks at the end */
	put_unaligned_be32(0, &param[32]);
	KUNIT_EXPECT_EQ(test, kitt_scsi_data_out(cmd, &st->lu, param,
						 sizeof(param)), 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_UNMAP);
	KUNIT_EXPECT_EQ(test, cmd->nr_desc, 2);
	kitt_sbc_unmap_desc(param, 0, &lba, &nr);
	KUNIT_EXPECT_EQ(test, lba, 5);
	KUNIT_EXPECT_EQ(test, nr, 10);
	kitt_sbc_unmap_desc(param, 1, &lba, &nr);
	KUNIT_EXPECT_EQ(test, lba, NR_BLOCKS);
	KUNIT_EXPECT_EQ(test, nr, 0);
	/* A second data_out is a caller error */
	KUNIT_EXPECT_EQ(test, kitt_scsi_data_out(cmd, &st->lu, param,
						 sizeof(param)), -EINVAL);

	/* A range past the end */
	cmd = kitt_st_out(st, sizeof(param));
	put_unaligned_be64(NR_BLOCKS - 1, &param[24]);
	put_unaligned_be32(2, &param[32]);
	kitt_scsi_data_out(cmd, &st->lu, param, sizeof(param));
	KUNIT_EXPECT_EQ(test, cmd->status, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd->sense[12], 0x21);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);

	/* The total over the LU's maximum */
	st->lu.max_unmap_blocks = 10;
	cmd = kitt_st_out(st, sizeof(param));
	put_unaligned_be32(1, &param[32]);
	kitt_scsi_data_out(cmd, &st->lu, param, sizeof(param));
	kitt_st_bad_param(test, cmd, 8 + 16 + 8, 7);
	st->lu.max_unmap_blocks = 0;

	/* Descriptor length beyond the list, header only, no descriptors */
	cmd = kitt_st_out(st, sizeof(param));
	put_unaligned_be16(16 * 3 + 8, &param[2]);
	kitt_scsi_data_out(cmd, &st->lu, param, sizeof(param));
	KUNIT_EXPECT_EQ(test, cmd->sense[12], 0x1a);
	cmd = kitt_st_out(st, sizeof(param));
	kitt_scsi_data_out(cmd, &st->lu, param, 7);
	KUNIT_EXPECT_EQ(test, cmd->sense[12], 0x1a);
	cmd = kitt_st_out(st, sizeof(param));
	put_unaligned_be16(6, param);
	put_unaligned_be16(0, &param[2]);
	kitt_scsi_data_out(cmd, &st->lu, param, 8);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_UNMAP);
	KUNIT_EXPECT_EQ(test, cmd->nr_desc, 0);

	/* Read-only */
	st->lu.read_only = true;
	kitt_st_sense(test, kitt_st_out(st, sizeof(param)), DATA_PROTECT,
		      0x27, 0);
}

/* An EXTENDED COPY list: @ntd 0xE4 descriptors naming @naa, @nseg segments. */
static u32 kitt_st_xcopy_list(u8 *p, u32 ntd, u32 nseg, u64 naa)
{
	u32 i, off = 16;

	memset(p, 0, 16 + 32 * ntd + 28 * nseg);
	p[0] = 7;				/* list identifier */
	put_unaligned_be16(32 * ntd, &p[2]);
	put_unaligned_be32(28 * nseg, &p[8]);
	for (i = 0; i < ntd; i++, off += 32) {
		p[off] = 0xe4;
		p[off + 4] = 0x01;		/* binary */
		p[off + 5] = 0x03;		/* LU, NAA */
		p[off + 7] = 8;
		put_unaligned_be64(naa, &p[off + 8]);
		put_unaligned_be24(512, &p[off + 29]);
	}
	for (i = 0; i < nseg; i++, off += 28) {
		p[off] = 0x02;
		put_unaligned_be16(0x18, &p[off + 2]);
		put_unaligned_be16(i + 1, &p[off + 10]);
		put_unaligned_be64(i, &p[off + 12]);
		put_unaligned_be64(100 + i, &p[off + 20]);
	}
	return off;
}

/* Decode EXTENDED COPY for a list of @len bytes and hand it the list. */
static struct kitt_scsi_cmd *kitt_st_xcopy(struct kitt_st *st, const u8 *p, u32 len)
{
	struct kitt_scsi_cmd *cmd;

	CDB(st, EXTENDED_COPY, 0, 0, 0, 0, 0, 0, 0, 0, 0, len >> 24, len >> 16, len >> 8, len,
	    0, 0);
	cmd = kitt_st_out(st, len);
	if (len) {
		KUNIT_EXPECT_EQ(st->test, cmd->action, KITT_SCSI_ACT_DATA_OUT_PARAM);
		KUNIT_EXPECT_EQ(st->test, kitt_scsi_data_out(cmd, &st->lu, p, len), 0);
	}
	return cmd;
}

static void scsi_xcopy(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_xcopy_segment seg;
	struct kitt_xcopy_target t;
	struct kitt_scsi_cmd *cmd;
	u32 len, big = 16 + 32 * (KITT_XCOPY_MAX_TARGETS + 1) + 28 * 32;
	u8 *p = kunit_kzalloc(test, big, GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, p);
	/* A good list: two targets, two segments */
	len = kitt_st_xcopy_list(p, 2, 2, 0x3123456789abcdefULL);
	p[16 + 64 + 28 + 7] = 1;		/* second segment: target 0 -> 1 */
	p[1] = 0x10;				/* LIST ID USAGE 10b: do not keep */
	cmd = kitt_st_xcopy(st, p, len);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_XCOPY);
	KUNIT_EXPECT_EQ(test, cmd->nr_desc, 2);
	KUNIT_EXPECT_EQ(test, cmd->list_id, 7);
	KUNIT_EXPECT_FALSE(test, cmd->list_id_hold);
	kitt_xcopy_target(p, 1, &t);
	KUNIT_EXPECT_TRUE(test, t.naa);
	KUNIT_EXPECT_FALSE(test, t.nul);
	KUNIT_EXPECT_EQ(test, t.naa_id, 0x3123456789abcdefULL);
	KUNIT_EXPECT_EQ(test, t.block_len, 512);
	kitt_xcopy_segment(p, 1, &seg);
	KUNIT_EXPECT_EQ(test, seg.src, 0);
	KUNIT_EXPECT_EQ(test, seg.dst, 1);
	KUNIT_EXPECT_EQ(test, seg.nr_blocks, 2);
	KUNIT_EXPECT_EQ(test, seg.src_lba, 1);
	KUNIT_EXPECT_EQ(test, seg.dst_lba, 101);
	p[1] = 0;
	cmd = kitt_st_xcopy(st, p, len);
	KUNIT_EXPECT_TRUE(test, cmd->list_id_hold);

	/* Length 0: nothing to copy; a list cut short: length error */
	kitt_st_good(test, kitt_st_xcopy(st, p, 0));
	kitt_st_list_sense(test, kitt_st_xcopy(st, p, 15), ILLEGAL_REQUEST, 0x1a, 0);
	kitt_st_list_sense(test, kitt_st_xcopy(st, p, len - 1), ILLEGAL_REQUEST, 0x1a, 0);
	kitt_st_list_sense(test, kitt_st_xcopy(st, p, 47), ILLEGAL_REQUEST, 0x1a, 0);

	/* Too many target or segment descriptors */
	len = kitt_st_xcopy_list(p, KITT_XCOPY_MAX_TARGETS + 1, 1, 1);
	kitt_st_list_sense(test, kitt_st_xcopy(st, p, len), ILLEGAL_REQUEST, 0x26, 0x06);
	len = kitt_st_xcopy_list(p, 1, KITT_XCOPY_MAX_SEGMENTS + 1, 1);
	kitt_st_list_sense(test, kitt_st_xcopy(st, p, len), ILLEGAL_REQUEST, 0x26, 0x08);
	/* ... and both, longer than the descriptor list may be: length first */
	len = kitt_st_xcopy_list(p, KITT_XCOPY_MAX_TARGETS + 1, 32, 1);
	KUNIT_EXPECT_GT(test, len - 16, KITT_XCOPY_MAX_DESC_LIST);
	kitt_st_list_sense(test, kitt_st_xcopy(st, p, len), ILLEGAL_REQUEST, 0x1a, 0);

	/* Unsupported descriptor types; a segment naming a missing target */
	len = kitt_st_xcopy_list(p, 1, 1, 1);
	p[16] = 0xe0;
	kitt_st_list_sense(test, kitt_st_xcopy(st, p, len), ILLEGAL_REQUEST, 0x26, 0x07);
	p[16] = 0xe4;
	p[48] = 0x03;
	kitt_st_list_sense(test, kitt_st_xcopy(st, p, len), ILLEGAL_REQUEST, 0x26, 0x09);
	p[48] = 0x02;
	p[48 + 7] = 1;
	kitt_st_list_sense(test, kitt_st_xcopy(st, p, len), COPY_ABORTED, 0x0d, 0x02);
	p[48 + 7] = 0;
	p[48 + 3] = 0x14;			/* wrong segment length */
	kitt_st_bad_param(test, kitt_st_xcopy(st, p, len), 48 + 2, 7);
	p[48 + 3] = 0x18;
	/* Inline data, a non-block device type, a long designator */
	p[15] = 4;
	kitt_st_list_sense(test, kitt_st_xcopy(st, p, len), ILLEGAL_REQUEST, 0x1a, 0);
	kitt_st_bad_param(test, kitt_st_xcopy(st, p, len + 4), 12, 7);
	p[15] = 0;
	p[17] = 0x05;
	kitt_st_bad_param(test, kitt_st_xcopy(st, p, len), 17, 7);
	p[17] = 0x20;				/* NUL: parsed, refused by the copy */
	kitt_st_good(test, kitt_st_xcopy(st, p, len));
	kitt_xcopy_target(p, 0, &t);
	KUNIT_EXPECT_TRUE(test, t.nul);
	p[17] = 0;
	p[23] = 21;
	kitt_st_bad_param(test, kitt_st_xcopy(st, p, len), 23, 7);
	p[23] = 16;				/* an NAA of 16 bytes: not matched */
	kitt_st_good(test, kitt_st_xcopy(st, p, len));
	kitt_xcopy_target(p, 0, &t);
	KUNIT_EXPECT_FALSE(test, t.naa);

	/* The list's length is bounded by the CDB check */
	CDB(st, EXTENDED_COPY, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x01, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 0x2001), 10, 7);
}

static void scsi_write_atomic(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	/* Without atomic writes the opcode does not exist */
	CDB(st, 0x9c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0);
	kitt_st_sense(test, kitt_st_out(st, 2 * BS), ILLEGAL_REQUEST, 0x20, 0);

	st->lu.atomic_max_blocks = 16;
	st->lu.atomic_gran_blocks = 2;
	cmd = kitt_st_out(st, 2 * BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_WRITE);
	KUNIT_EXPECT_TRUE(test, cmd->atomic);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 2);
	/* The range comes first, lengths of any size */
	CDB(st, 0x9c, 0, 0, 0, 0, 0, 0, 0, 0x03, 0xe7, 0, 0, 0, 3, 0, 0);
	kitt_st_oob(test, kitt_st_out(st, 3 * BS));
	CDB(st, 0x9c, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0, 0, 0, 4, 0, 0);
	kitt_st_oob(test, kitt_st_out(st, 4 * BS));
	/* Granularity, alignment, maximum, boundary, a short Data-Out */
	CDB(st, 0x9c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 3 * BS), 12, 7);
	CDB(st, 0x9c, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 2 * BS), 2, 7);
	CDB(st, 0x9c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 18, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 18 * BS), 12, 7);
	CDB(st, 0x9c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 2 * BS), 10, 7);
	CDB(st, 0x9c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 2 * BS), 12, 7);
	/* WRPROTECT refused; FUA taken; zero blocks: nothing to write */
	CDB(st, 0x9c, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 2 * BS), 1, 7);
	st->lu.wce = true;
	CDB(st, 0x9c, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0);
	KUNIT_EXPECT_TRUE(test, kitt_st_out(st, 2 * BS)->fua);
	CDB(st, 0x9c, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0);
	KUNIT_EXPECT_FALSE(test, kitt_st_out(st, 2 * BS)->fua);
	CDB(st, 0x9c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
	cmd = kitt_st_out(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 0);
	/* ... and the Block Limits page reports the limits */
	CDB(st, INQUIRY, 1, 0xb0, 0, 64);
	kitt_st_in(st, 64);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&st->buf[44]), 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&st->buf[48]), 2);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&st->buf[52]), 2);
	/* A read-only LU refuses it as any write */
	st->lu.read_only = true;
	CDB(st, 0x9c, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0);
	kitt_st_sense(test, kitt_st_out(st, 2 * BS), DATA_PROTECT, 0x27, 0);
}

static void scsi_receive_copy_results(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_xcopy_status status = {
		.list_id = 3, .valid = true, .segments = 2, .bytes = 8192,
	};
	struct kitt_scsi_cmd *cmd;
	u8 *b = st->buf;

	/* OPERATING PARAMETERS: the limits the checks apply */
	CDB(st, RECEIVE_COPY_RESULTS, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0);
	cmd = kitt_st_in(st, 1024);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 46);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[0]), 42);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[8]), KITT_XCOPY_MAX_TARGETS);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[10]), KITT_XCOPY_MAX_SEGMENTS);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[12]), KITT_XCOPY_MAX_DESC_LIST);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[16]), KITT_XCOPY_MAX_SEG_BYTES);
	KUNIT_EXPECT_EQ(test, b[43], 2);
	KUNIT_EXPECT_EQ(test, b[44], 0x02);
	KUNIT_EXPECT_EQ(test, b[45], 0xe4);
	/* The limits leave room for libiscsi's "one too many" lists */
	KUNIT_EXPECT_GE(test, KITT_XCOPY_MAX_DESC_LIST, 32 * (KITT_XCOPY_MAX_TARGETS + 1) + 28);
	KUNIT_EXPECT_GE(test, KITT_XCOPY_MAX_DESC_LIST, 32 + 28 * (KITT_XCOPY_MAX_SEGMENTS + 1));

	/* COPY STATUS: the session's; unknown list identifiers are refused */
	CDB(st, RECEIVE_COPY_RESULTS, 0x00, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0);
	cmd = kitt_st_in(st, 1024);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_COPY_STATUS);
	KUNIT_EXPECT_EQ(test, cmd->list_id, 3);
	kitt_xcopy_status_data(cmd, &status);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_EMULATE_IN);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 12);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[0]), 8);
	KUNIT_EXPECT_EQ(test, b[4], 0x00);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[5]), 2);
	KUNIT_EXPECT_EQ(test, b[7], 0x01);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[8]), 8);
	cmd = kitt_st_in(st, 1024);
	kitt_xcopy_status_data(cmd, NULL);
	kitt_st_bad_cdb(test, cmd, 2, 7);
	status.failed = true;
	cmd = kitt_st_in(st, 1024);
	kitt_xcopy_status_data(cmd, &status);
	KUNIT_EXPECT_EQ(test, b[4], 0x01);

	/* Other service actions are not offered */
	CDB(st, RECEIVE_COPY_RESULTS, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0);
	kitt_st_sense(test, kitt_st_in(st, 1024), ILLEGAL_REQUEST, 0x24, 0);

	/* VPD 0x8F: supported commands, parameter data, descriptors, general */
	CDB(st, INQUIRY, 1, 0x8f, 0, 255);
	cmd = kitt_st_in(st, 255);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, b[1], 0x8f);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[4]), 0x0001);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[6]), 8);
	KUNIT_EXPECT_EQ(test, b[8], 7);
	KUNIT_EXPECT_EQ(test, b[9], EXTENDED_COPY);
	KUNIT_EXPECT_EQ(test, b[12], RECEIVE_COPY_RESULTS);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[16]), 0x0004);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[18]), 0x1c);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[24]), KITT_XCOPY_MAX_TARGETS);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[48]), 0x0008);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[56]), 0x8001);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[58]), 0x20);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[2]), 56 + 36 - 4);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 56 + 36);
}

static void scsi_unmap_many(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	u32 len = 8 + 16 * (KITT_SBC_MAX_UNMAP_DESC + 1);
	struct kitt_scsi_cmd *cmd;
	u8 *param = kunit_kzalloc(test, len, GFP_KERNEL);
	u32 i;

	KUNIT_ASSERT_NOT_NULL(test, param);
	for (i = 0; i <= KITT_SBC_MAX_UNMAP_DESC; i++) {
		put_unaligned_be64(i, &param[8 + 16 * i]);
		put_unaligned_be32(1, &param[8 + 16 * i + 8]);
	}
	put_unaligned_be16(len - 2, param);
	put_unaligned_be16(len - 8, &param[2]);
	CDB(st, UNMAP, 0, 0, 0, 0, 0, 0, len >> 8, len & 0xff, 0);
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, param, len);
	kitt_st_bad_param(test, cmd, 2, 7);

	/* Exactly the maximum is fine */
	len -= 16;
	put_unaligned_be16(len - 2, param);
	put_unaligned_be16(len - 8, &param[2]);
	CDB(st, UNMAP, 0, 0, 0, 0, 0, 0, len >> 8, len & 0xff, 0);
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, param, len);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->nr_desc, KITT_SBC_MAX_UNMAP_DESC);
}

static void scsi_compare_and_write(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	u8 a[64], b[64];

	CDB(st, COMPARE_AND_WRITE, 0x08, 0, 0, 0, 0, 0, 0, 0, 9,
	    0, 0, 0, 2, 0, 0);
	cmd = kitt_st_out(st, 4 * BS);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_COMPARE_AND_WRITE);
	KUNIT_EXPECT_EQ(test, cmd->lba, 9);
	KUNIT_EXPECT_EQ(test, cmd->nr_blocks, 2);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, 4 * BS);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4 * BS);
	KUNIT_EXPECT_TRUE(test, cmd->fua);

	/* Data-Out must be exactly 2 * N blocks */
	kitt_st_bad_cdb(test, kitt_st_out(st, 2 * BS), 13, 7);
	kitt_st_bad_cdb(test, kitt_st_out(st, 6 * BS), 13, 7);

	/* N = 0 does nothing; N over the limit; the range */
	st->cdb[13] = 0;
	cmd = kitt_st_out(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
	/* ... but not with data: 256 blocks wrapped to 0 */
	kitt_st_bad_cdb(test, kitt_st_out(st, 512 * BS), 13, 7);
	st->cdb[13] = 255;
	kitt_st_good(test, kitt_st_out(st, 510 * BS));
	st->lu.max_xfer_blocks = 64;
	st->cdb[13] = 33;
	kitt_st_bad_cdb(test, kitt_st_out(st, 66 * BS), 13, 7);
	st->cdb[13] = 32;
	kitt_st_good(test, kitt_st_out(st, 64 * BS));
	st->cdb[9] = 0xe7;
	st->cdb[8] = 0x03;
	st->cdb[13] = 1;
	kitt_st_good(test, kitt_st_out(st, 2 * BS));
	st->cdb[13] = 2;
	kitt_st_oob(test, kitt_st_out(st, 4 * BS));
	st->cdb[1] = 0x20;
	kitt_st_bad_cdb(test, kitt_st_out(st, 4 * BS), 1, 7);

	/* The compare helper */
	memset(a, 'A', sizeof(a));
	memcpy(b, a, sizeof(b));
	KUNIT_EXPECT_EQ(test, kitt_sbc_compare(cmd, a, b, sizeof(a), 0), 0);
	b[37] = 'C';
	memset(cmd, 0, sizeof(*cmd));
	KUNIT_EXPECT_EQ(test, kitt_sbc_compare(cmd, a, b, sizeof(a), 1024),
			-EILSEQ);
	KUNIT_EXPECT_EQ(test, cmd->status, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd->sense[0], 0xf0);
	KUNIT_EXPECT_EQ(test, cmd->sense[2], MISCOMPARE);
	KUNIT_EXPECT_EQ(test, cmd->sense[12], 0x1d);
	KUNIT_EXPECT_EQ(test, cmd->sense[13], 0x00);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&cmd->sense[3]), 1024 + 37);
}

static void scsi_read_capacity(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	CDB(st, READ_CAPACITY);
	cmd = kitt_st_in(st, 8);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_EMULATE_IN);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(st->buf), NR_BLOCKS - 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&st->buf[4]), BS);
	CDB(st, READ_CAPACITY, 0, 0, 0, 0, 1);
	kitt_st_bad_cdb(test, kitt_st_in(st, 8), 2, 7);
	CDB(st, READ_CAPACITY, 0, 0, 0, 0, 1, 0, 0, 1);	/* PMI */
	kitt_st_good(test, kitt_st_in(st, 8));

	st->lu.nr_blocks = 1ULL << 32;
	CDB(st, READ_CAPACITY);
	kitt_st_in(st, 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(st->buf), 0xffffffff);
	st->lu.nr_blocks = 0xffffffff;
	kitt_st_in(st, 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(st->buf), 0xfffffffe);

	st->lu.nr_blocks = 1ULL << 33;
	st->lu.block_shift = 12;
	st->lu.phys_exp = 0;
	CDB(st, SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 32, 0, 0);
	cmd = kitt_st_in(st, 32);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 32);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(st->buf), (1ULL << 33) - 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&st->buf[8]), 4096);
	KUNIT_EXPECT_EQ(test, st->buf[12], 0);		/* no protection */
	KUNIT_EXPECT_EQ(test, st->buf[14], 0xc0);	/* LBPME, LBPRZ */

	/* Allocation lengths 0..15 are fine and cut the data */
	st->cdb[13] = 0;
	cmd = kitt_st_in(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 0);
	st->cdb[13] = 12;
	cmd = kitt_st_in(st, 12);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 12);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, 12);

	st->lu.discard = false;
	st->lu.phys_exp = 3;
	st->cdb[13] = 32;
	kitt_st_in(st, 32);
	KUNIT_EXPECT_EQ(test, st->buf[13], 3);
	KUNIT_EXPECT_EQ(test, st->buf[14], 0);
}

static void scsi_get_lba_status(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	CDB(st, SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, 0, 0, 0, 0, 0, 0,
	    0, 10, 0, 0, 0, 24, 0, 0);
	cmd = kitt_st_in(st, 24);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 24);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(st->buf), 20);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&st->buf[8]), 10);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&st->buf[16]), NR_BLOCKS - 10);
	KUNIT_EXPECT_EQ(test, st->buf[20], 0);		/* mapped */
	st->cdb[8] = 0x03;
	st->cdb[9] = 0xe7;
	kitt_st_good(test, kitt_st_in(st, 24));
	st->cdb[9] = 0xe8;
	kitt_st_oob(test, kitt_st_in(st, 24));

	/* A backend that knows: the task layer adds an extent at a time */
	st->lu.lba_status = true;
	CDB(st, SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, 0, 0, 0, 0, 0, 0,
	    0, 10, 0, 0, 0, 56, 0, 0);
	cmd = kitt_st_in(st, 56);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_LBA_STATUS);
	KUNIT_EXPECT_EQ(test, cmd->lba, 10);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 0);
	/* (56 - 8) / 16: room for three descriptors */
	KUNIT_EXPECT_TRUE(test, kitt_sbc_lba_status_desc(cmd, 10, 5, true));
	KUNIT_EXPECT_TRUE(test, kitt_sbc_lba_status_desc(cmd, 15, 100, false));
	KUNIT_EXPECT_FALSE(test, kitt_sbc_lba_status_desc(cmd, 115, 885, true));
	kitt_sbc_lba_status_end(cmd);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_EMULATE_IN);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 56);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(st->buf), 52);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&st->buf[24]), 15);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&st->buf[32]), 100);
	KUNIT_EXPECT_EQ(test, st->buf[36], 1);		/* deallocated */
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&st->buf[40]), 115);
	KUNIT_EXPECT_EQ(test, st->buf[52], 0);
	/* Extents past 2^32 - 1 blocks are split; a short allocation still gets one */
	st->lu.nr_blocks = 1ULL << 40;
	CDB(st, SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0x10, 0, 0, 0);
	cmd = kitt_st_in(st, 4096);
	KUNIT_EXPECT_FALSE(test, kitt_sbc_lba_status_desc(cmd, 0, 1ULL << 40, false));
	kitt_sbc_lba_status_end(cmd);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(st->buf), 4 + 16 * 255);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&st->buf[8 + 8]), U32_MAX);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&st->buf[8 + 16]), U32_MAX);
	CDB(st, SERVICE_ACTION_IN_16, SAI_GET_LBA_STATUS, 0, 0, 0, 0, 0, 0,
	    0, 0, 0, 0, 0, 8, 0, 0);
	cmd = kitt_st_in(st, 8);
	KUNIT_EXPECT_FALSE(test, kitt_sbc_lba_status_desc(cmd, 0, 7, false));
	kitt_sbc_lba_status_end(cmd);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(st->buf), 20);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 8);
}

/* ------------------------------------------------------------------ */
/* INQUIRY                                                            */
/* ------------------------------------------------------------------ */

static void scsi_inquiry_std(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	u8 *b = st->buf;

	CDB(st, INQUIRY, 0, 0, 0x01, 0x04);
	cmd = kitt_st_in(st, 260);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_EMULATE_IN);
	KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_IN);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 96);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, 96);
	KUNIT_EXPECT_EQ(test, b[0], 0x00);		/* PQ 0, disk */
	KUNIT_EXPECT_EQ(test, b[1], 0x00);		/* not removable */
	KUNIT_EXPECT_EQ(test, b[2], 0x06);		/* SPC-4 */
	KUNIT_EXPECT_EQ(test, b[3], 0x12);		/* HISUP, format 2 */
	KUNIT_EXPECT_EQ(test, b[4], 96 - 5);
	KUNIT_EXPECT_EQ(test, b[5], 0x18);		/* 3PC, TPGS implicit; no PROTECT */
	KUNIT_EXPECT_EQ(test, b[7], 0x02);		/* CMDQUE */
	KUNIT_EXPECT_EQ(test, memcmp(&b[8], "KITT    Block device    0001",
				     28), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[58]), 0x00a0);	/* SAM-5 */
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[60]), 0x0960);	/* iSCSI */
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[62]), 0x0460);	/* SPC-4 */
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[64]), 0x04c0);	/* SBC-3 */

	/* Allocation length cuts, 0 is not an error */
	CDB(st, INQUIRY, 0, 0, 0, 36);
	cmd = kitt_st_in(st, 36);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 36);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, 36);
	CDB(st, INQUIRY, 0, 0, 0, 0);
	cmd = kitt_st_in(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 0);
	/* EDTL smaller than the allocation length */
	CDB(st, INQUIRY, 0, 0, 0, 255);
	cmd = kitt_st_in(st, 40);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 40);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, 96);

	/* A product name from the LU, cut at 16 characters */
	st->lu.product = "a-very-long-product-name";
	CDB(st, INQUIRY, 0, 0, 0, 96);
	kitt_st_in(st, 96);
	KUNIT_EXPECT_EQ(test, memcmp(&b[16], "a-very-long-prod0001", 20), 0);

	/* EVPD 0 with a page code; CMDDT */
	CDB(st, INQUIRY, 0, 0x80, 0, 96);
	kitt_st_bad_cdb(test, kitt_st_in(st, 96), 2, 7);
	CDB(st, INQUIRY, 0x02, 0, 0, 96);
	kitt_st_bad_cdb(test, kitt_st_in(st, 96), 1, 1);
}

/* Find designator @type with @assoc in VPD page 83 data, or NULL. */
static const u8 *kitt_st_desig(const u8 *b, u8 assoc, u8 type)
{
	u32 len = get_unaligned_be16(&b[2]) + 4, off = 4;

	while (off + 4 <= len) {
		if ((b[off + 1] & 0x30) == assoc && (b[off + 1] & 0x0f) == type)
			return &b[off];
		off += 4 + b[off + 3];
	}
	return NULL;
}

static void scsi_inquiry_vpd(struct kunit *test)
{
	static const u8 pages[] = { 0x00, 0x80, 0x83, 0x86, 0x8f, 0xb0, 0xb1, 0xb2 };
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	const u8 *d;
	u8 *b = st->buf;
	u32 i;

	CDB(st, INQUIRY, 1, 0x00, 0, 255);
	cmd = kitt_st_in(st, 255);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4 + sizeof(pages));
	KUNIT_EXPECT_EQ(test, b[1], 0x00);
	KUNIT_EXPECT_EQ(test, b[3], sizeof(pages));
	KUNIT_EXPECT_EQ(test, memcmp(&b[4], pages, sizeof(pages)), 0);

	/* Every listed page answers with its code and a consistent length */
	for (i = 0; i < sizeof(pages); i++) {
		CDB(st, INQUIRY, 1, pages[i], 0x10, 0);
		cmd = kitt_st_in(st, 4096);
		kitt_st_good(test, cmd);
		KUNIT_EXPECT_EQ(test, b[0], 0x00);
		KUNIT_EXPECT_EQ(test, b[1], pages[i]);
		KUNIT_EXPECT_EQ(test, cmd->data_len, get_unaligned_be16(&b[2]) + 4);
	}

	CDB(st, INQUIRY, 1, 0x80, 0, 255);
	cmd = kitt_st_in(st, 255);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4 + 5);
	KUNIT_EXPECT_EQ(test, memcmp(&b[4], "SN123", 5), 0);

	CDB(st, INQUIRY, 1, 0x83, 0x01, 0);
	cmd = kitt_st_in(st, 256);
	kitt_st_good(test, cmd);
	d = kitt_st_desig(b, 0x00, 0x03);		/* NAA */
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, d[0], 0x01);		/* binary */
	KUNIT_EXPECT_EQ(test, d[3], 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&d[4]), 0x3123456789abcdefULL);
	d = kitt_st_desig(b, 0x00, 0x01);		/* T10 vendor id */
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, d[0], 0x02);		/* ASCII */
	KUNIT_EXPECT_EQ(test, d[3], 13);
	KUNIT_EXPECT_EQ(test, memcmp(&d[4], "KITT    SN123", 13), 0);
	d = kitt_st_desig(b, 0x10, 0x04);		/* relative port */
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, d[0], 0x51);		/* iSCSI, binary */
	KUNIT_EXPECT_EQ(test, d[1], 0x94);		/* PIV */
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&d[4]), 1);
	d = kitt_st_desig(b, 0x10, 0x05);		/* port group */
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&d[4]), 2);
	d = kitt_st_desig(b, 0x10, 0x08);		/* port name */
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, d[0], 0x53);		/* iSCSI, UTF-8 */
	KUNIT_EXPECT_EQ(test, d[3] % 4, 0);
	KUNIT_EXPECT_STREQ(test, (const char *)&d[4],
			   "iqn.2025-01.org.example:t1,t,0x0001");
	d = kitt_st_desig(b, 0x20, 0x08);		/* target name */
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, d[3], 28);
	KUNIT_EXPECT_STREQ(test, (const char *)&d[4],
			   "iqn.2025-01.org.example:t1");

	/* A 16-byte NAA type is folded into NAA 3; no serial: from NAA */
	st->lu.naa_id = 0x6001405abcdef012ULL;
	st->lu.serial = NULL;
	st->lu.target_name = NULL;
	kitt_st_in(st, 256);
	d = kitt_st_desig(b, 0x00, 0x03);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&d[4]), 0x3001405abcdef012ULL);
	d = kitt_st_desig(b, 0x00, 0x01);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_EQ(test, memcmp(&d[4], "KITT    6001405abcdef012", 24), 0);
	KUNIT_EXPECT_NULL(test, kitt_st_desig(b, 0x20, 0x08));

	/* Extended INQUIRY data */
	CDB(st, INQUIRY, 1, 0x86, 0, 64);
	kitt_st_in(st, 64);
	KUNIT_EXPECT_EQ(test, b[3], 0x3c);
	KUNIT_EXPECT_EQ(test, b[5], 0x07);

	/* Block limits */
	CDB(st, INQUIRY, 1, 0xb0, 0, 64);
	cmd = kitt_st_in(st, 64);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 64);
	KUNIT_EXPECT_EQ(test, b[3], 0x3c);
	KUNIT_EXPECT_EQ(test, b[4], 0);		/* WSNZ 0 */
	KUNIT_EXPECT_EQ(test, b[5], KITT_SBC_MAX_CAW_BLOCKS);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[6]), 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[8]), 2048);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[20]), 0xffffffff);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[24]), KITT_SBC_MAX_UNMAP_DESC);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[28]), 1);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&b[36]), KITT_SBC_DEFAULT_WS_BLOCKS);
	st->lu.discard = false;
	st->lu.max_xfer_blocks = 100;
	st->lu.max_ws_blocks = 77;
	kitt_st_in(st, 64);
	KUNIT_EXPECT_EQ(test, b[5], 50);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[20]), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[24]), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&b[36]), 77);

	/* Block device characteristics: non-rotating */
	CDB(st, INQUIRY, 1, 0xb1, 0, 64);
	kitt_st_in(st, 64);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[4]), 1);

	/* Logical block provisioning */
	CDB(st, INQUIRY, 1, 0xb2, 0, 64);
	cmd = kitt_st_in(st, 64);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 8);
	KUNIT_EXPECT_EQ(test, b[5], 0);
	st->lu.discard = true;
	kitt_st_in(st, 64);
	KUNIT_EXPECT_EQ(test, b[5], 0xe4);	/* LBPU LBPWS LBPWS10 LBPRZ */
	KUNIT_EXPECT_EQ(test, b[6], 0x02);

	CDB(st, INQUIRY, 1, 0x99, 0, 64);
	kitt_st_bad_cdb(test, kitt_st_in(st, 64), 2, 7);
}

static void scsi_nolun(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd = &st->cmd;
	static const u64 luns[] = { 3 };

	memset(cmd, 0, sizeof(*cmd));
	cmd->cdb = st->cdb;
	cmd->cdb_len = 16;
	cmd->edtl = 96;
	cmd->pdu_read = true;
	cmd->buf = st->buf;
	cmd->buf_size = KITT_SCSI_BUF_SIZE;

	CDB(st, INQUIRY, 0, 0, 0, 96);
	KUNIT_ASSERT_EQ(test, kitt_scsi_decode_nolun(cmd), 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 96);
	KUNIT_EXPECT_EQ(test, st->buf[0], 0x7f);
	KUNIT_EXPECT_EQ(test, st->buf[2], 0x06);

	CDB(st, INQUIRY, 1, 0x83, 0, 96);
	kitt_scsi_decode_nolun(cmd);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4);
	KUNIT_EXPECT_EQ(test, st->buf[0], 0x7f);
	KUNIT_EXPECT_EQ(test, st->buf[1], 0x83);

	CDB(st, INQUIRY, 0, 1, 0, 96);
	kitt_scsi_decode_nolun(cmd);
	kitt_st_bad_cdb(test, cmd, 2, 7);

	CDB(st, REQUEST_SENSE, 0, 0, 0, 18);
	kitt_scsi_decode_nolun(cmd);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 18);
	KUNIT_EXPECT_EQ(test, st->buf[0], 0x70);
	KUNIT_EXPECT_EQ(test, st->buf[2], ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, st->buf[12], 0x25);

	CDB(st, REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0);
	kitt_scsi_decode_nolun(cmd);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_REPORT_LUNS);
	KUNIT_EXPECT_EQ(test, kitt_spc_report_luns(cmd, luns, 1), 16);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_EMULATE_IN);
	KUNIT_EXPECT_EQ(test, st->buf[9], 3);

	CDB(st, TEST_UNIT_READY);
	kitt_scsi_decode_nolun(cmd);
	kitt_st_sense(test, cmd, ILLEGAL_REQUEST, 0x25, 0);
	CDB(st, READ_10, 0, 0, 0, 0, 0, 0, 0, 1);
	kitt_scsi_decode_nolun(cmd);
	kitt_st_sense(test, cmd, ILLEGAL_REQUEST, 0x25, 0);
	CDB(st, INQUIRY, 0, 0, 0, 96, 0x04);
	kitt_scsi_decode_nolun(cmd);
	kitt_st_bad_cdb(test, cmd, 5, 2);
}

/* ------------------------------------------------------------------ */
/* MODE SENSE / MODE SELECT                                           */
/* ------------------------------------------------------------------ */

static void scsi_mode_sense(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	u8 *b = st->buf;
	u32 off;

	/* MODE SENSE(6), all pages, with a block descriptor */
	CDB(st, MODE_SENSE, 0, 0x3f, 0, 255);
	cmd = kitt_st_in(st, 255);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4 + 8 + 12 + 20 + 12 + 12);
	KUNIT_EXPECT_EQ(test, b[0], cmd->data_len - 1);
	KUNIT_EXPECT_EQ(test, b[1], 0);
	KUNIT_EXPECT_EQ(test, b[2], 0x10);		/* DPOFUA, not WP */
	KUNIT_EXPECT_EQ(test, b[3], 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[4]), NR_BLOCKS);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[8]), BS);
	off = 12;
	KUNIT_EXPECT_EQ(test, b[off], 0x01);
	KUNIT_EXPECT_EQ(test, b[off + 1], 0x0a);
	off += 12;
	KUNIT_EXPECT_EQ(test, b[off], 0x08);
	KUNIT_EXPECT_EQ(test, b[off + 1], 0x12);
	KUNIT_EXPECT_EQ(test, b[off + 2], 0x04);	/* WCE */
	off += 20;
	KUNIT_EXPECT_EQ(test, b[off], 0x0a);
	KUNIT_EXPECT_EQ(test, b[off + 1], 0x0a);
	KUNIT_EXPECT_EQ(test, b[off + 3], 0x10);	/* QAM 1 */
	KUNIT_EXPECT_EQ(test, b[off + 4], 0x00);	/* SWP 0 */
	off += 12;
	KUNIT_EXPECT_EQ(test, b[off], 0x1c);
	KUNIT_EXPECT_EQ(test, b[off + 1], 0x0a);

	/* Allocation length 4: no residual when EDTL is 4 too */
	CDB(st, MODE_SENSE, 0, 0x3f, 0, 4);
	cmd = kitt_st_in(st, 4);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, 4);

	/* DBD, one page, write cache off, read-only */
	st->lu.wce = false;
	st->lu.read_only = true;
	CDB(st, MODE_SENSE, 0x08, 0x08, 0, 255);
	cmd = kitt_st_in(st, 255);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4 + 20);
	KUNIT_EXPECT_EQ(test, b[2], 0x90);		/* WP, DPOFUA */
	KUNIT_EXPECT_EQ(test, b[3], 0);
	KUNIT_EXPECT_EQ(test, b[4], 0x08);
	KUNIT_EXPECT_EQ(test, b[6], 0x00);

	/* Changeable values: only WCE */
	CDB(st, MODE_SENSE, 0x08, 0x48, 0, 255);
	kitt_st_in(st, 255);
	KUNIT_EXPECT_EQ(test, b[6], 0x04);
	CDB(st, MODE_SENSE, 0x08, 0x4a, 0, 255);
	kitt_st_in(st, 255);
	KUNIT_EXPECT_EQ(test, b[4], 0x0a);
	KUNIT_EXPECT_EQ(test, b[6] | b[7] | b[8] | b[9], 0);
	/* Default values */
	CDB(st, MODE_SENSE, 0x08, 0x88, 0, 255);
	kitt_st_good(test, kitt_st_in(st, 255));
	/* Saved values are not supported */
	CDB(st, MODE_SENSE, 0x08, 0xc8, 0, 255);
	kitt_st_sense(test, kitt_st_in(st, 255), ILLEGAL_REQUEST, 0x39, 0);

	/* Unknown page, subpages */
	CDB(st, MODE_SENSE, 0, 0x02, 0, 255);
	kitt_st_bad_cdb(test, kitt_st_in(st, 255), 2, 5);
	CDB(st, MODE_SENSE, 0, 0x08, 0x01, 255);
	kitt_st_bad_cdb(test, kitt_st_in(st, 255), 3, 7);
	CDB(st, MODE_SENSE, 0, 0x3f, 0xff, 255);
	kitt_st_good(test, kitt_st_in(st, 255));

	/* MODE SENSE(10) with a long LBA block descriptor */
	st->lu.nr_blocks = 1ULL << 33;
	CDB(st, MODE_SENSE_10, 0x10, 0x0a, 0, 0, 0, 0, 0x01, 0x00, 0);
	cmd = kitt_st_in(st, 256);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 8 + 16 + 12);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(b), 8 + 16 + 12 - 2);
	KUNIT_EXPECT_EQ(test, b[3], 0x90);
	KUNIT_EXPECT_EQ(test, b[4], 0x01);		/* LONGLBA */
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[6]), 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&b[8]), 1ULL << 33);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[20]), BS);
	KUNIT_EXPECT_EQ(test, b[24], 0x0a);
	/* ... short descriptor saturates */
	CDB(st, MODE_SENSE_10, 0, 0x0a, 0, 0, 0, 0, 0x01, 0x00, 0);
	cmd = kitt_st_in(st, 256);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[6]), 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[8]), 0xffffffff);
}

/* A MODE SELECT(6) parameter list: header, caching page, control page. */
static u32 kitt_st_select_list(u8 *p, bool wce)
{
	memset(p, 0, 4 + 20 + 12);
	p[4] = 0x08;
	p[5] = 0x12;
	p[6] = wce ? 0x04 : 0;
	p[24] = 0x0a;
	p[25] = 0x0a;
	p[27] = 0x10;			/* QAM 1 */
	p[29] = 0x40;			/* TAS */
	return 4 + 20 + 12;
}

static void scsi_mode_select(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	u8 p[64];
	u32 len;

	CDB(st, MODE_SELECT, 0x11, 0, 0, 36);
	kitt_st_bad_cdb(test, kitt_st_out(st, 36), 1, 0);	/* SP */
	CDB(st, MODE_SELECT, 0x10, 0, 0, 0);
	cmd = kitt_st_out(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
	CDB(st, MODE_SELECT_10, 0x10, 0, 0, 0, 0, 0, 0x20, 0x01, 0);
	kitt_st_bad_cdb(test, kitt_st_out(st, 0x2001), 7, 7);

	/* Turn the write cache off */
	len = kitt_st_select_list(p, false);
	CDB(st, MODE_SELECT, 0x10, 0, 0, len);
	cmd = kitt_st_out(st, len);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_DATA_OUT_PARAM);
	KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_OUT);
	KUNIT_EXPECT_EQ(test, cmd->data_len, len);
	KUNIT_EXPECT_EQ(test, kitt_scsi_data_out(cmd, &st->lu, p, len), 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_SET_WCE);
	KUNIT_EXPECT_FALSE(test, cmd->wce);

	/* ... and on again */
	kitt_st_select_list(p, true);
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_SET_WCE);
	KUNIT_EXPECT_TRUE(test, cmd->wce);

	/* Write-protected: the cache stays as it is (the device's, shared) */
	st->lu.read_only = true;
	kitt_st_select_list(p, !st->lu.wce);
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	kitt_st_list_sense(test, cmd, DATA_PROTECT, 0x27, 0);
	/* ... but a list that changes nothing is taken */
	kitt_st_select_list(p, st->lu.wce);
	cmd = kitt_st_out(st, len);
	KUNIT_EXPECT_EQ(test, kitt_scsi_data_out(cmd, &st->lu, p, len), 0);
	kitt_st_good(test, cmd);
	st->lu.read_only = false;
	kitt_st_select_list(p, true);

	/* The control page alone, unchanged: nothing to do */
	memmove(&p[4], &p[24], 12);
	CDB(st, MODE_SELECT, 0x10, 0, 0, 16);
	cmd = kitt_st_out(st, 16);
	kitt_scsi_data_out(cmd, &st->lu, p, 16);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
	/* ... with SWP set: not changeable */
	p[8] = 0x08;
	cmd = kitt_st_out(st, 16);
	kitt_scsi_data_out(cmd, &st->lu, p, 16);
	kitt_st_bad_param(test, cmd, 8, 3);
	/* ... nor is TAS */
	p[8] = 0;
	p[9] = 0;
	cmd = kitt_st_out(st, 16);
	kitt_scsi_data_out(cmd, &st->lu, p, 16);
	kitt_st_bad_param(test, cmd, 9, 6);

	/* RCD in the caching page: not changeable */
	kitt_st_select_list(p, true);
	p[6] |= 0x01;
	CDB(st, MODE_SELECT, 0x10, 0, 0, len);
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	kitt_st_bad_param(test, cmd, 6, 0);

	/* Unknown page, wrong page length, subpage format, cut list */
	kitt_st_select_list(p, true);
	p[4] = 0x02;
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	kitt_st_bad_param(test, cmd, 4, 5);
	kitt_st_select_list(p, true);
	p[5] = 0x10;
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	kitt_st_bad_param(test, cmd, 5, 7);
	kitt_st_select_list(p, true);
	p[4] |= 0x40;
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	kitt_st_bad_param(test, cmd, 4, 6);
	kitt_st_select_list(p, true);
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len - 1);
	KUNIT_EXPECT_EQ(test, cmd->sense[12], 0x1a);
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, 3);
	KUNIT_EXPECT_EQ(test, cmd->sense[12], 0x1a);
	/* A medium type */
	kitt_st_select_list(p, true);
	p[1] = 0x01;
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	kitt_st_bad_param(test, cmd, 1, 7);
	/* PF 0 with pages */
	kitt_st_select_list(p, true);
	st->cdb[1] = 0;
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	KUNIT_EXPECT_EQ(test, cmd->status, SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, cmd->sense[12], 0x24);
	KUNIT_EXPECT_EQ(test, cmd->sense[15], 0xcc);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&cmd->sense[16]), 1);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);

	/* MODE SELECT(10) with a block descriptor */
	memset(p, 0, sizeof(p));
	p[7] = 8;
	put_unaligned_be32(NR_BLOCKS, &p[8]);
	put_unaligned_be32(BS, &p[12]);
	p[16] = 0x08;
	p[17] = 0x12;
	len = 8 + 8 + 20;
	CDB(st, MODE_SELECT_10, 0x10, 0, 0, 0, 0, 0, 0, len, 0);
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_SET_WCE);
	KUNIT_EXPECT_FALSE(test, cmd->wce);
	/* ... another block size */
	put_unaligned_be32(4096, &p[12]);
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	kitt_st_bad_param(test, cmd, 13, 7);
	/* ... another capacity */
	put_unaligned_be32(BS, &p[12]);
	put_unaligned_be32(5, &p[8]);
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	kitt_st_bad_param(test, cmd, 8, 7);
	/* ... a descriptor length that is neither 0 nor 8 */
	put_unaligned_be32(0, &p[8]);
	p[7] = 4;
	cmd = kitt_st_out(st, len);
	kitt_scsi_data_out(cmd, &st->lu, p, len);
	kitt_st_bad_param(test, cmd, 6, 7);
}

/* ------------------------------------------------------------------ */
/* REPORT LUNS, REQUEST SENSE, REPORT SUPPORTED OPERATION CODES       */
/* ------------------------------------------------------------------ */

static void scsi_report_luns(struct kunit *test)
{
	static const u64 luns[] = { 0, 1, 5, 255, 300, 16383, 16384 };
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	u8 *b = st->buf;
	u8 raw[8];
	u64 lun;

	CDB(st, REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0, 15, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_in(st, 15), 6, 7);
	CDB(st, REPORT_LUNS, 0, 0x10, 0, 0, 0, 0, 0, 1, 0, 0, 0);
	kitt_st_bad_cdb(test, kitt_st_in(st, 256), 2, 7);

	CDB(st, REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0);
	cmd = kitt_st_in(st, 256);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_REPORT_LUNS);
	KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_IN);
	KUNIT_EXPECT_EQ(test, kitt_spc_report_luns(cmd, luns, ARRAY_SIZE(luns)),
			8 + 6 * 8);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_EMULATE_IN);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 8 + 6 * 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(b), 6 * 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&b[4]), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&b[8]), 0);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&b[16]), 0x0001000000000000ULL);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&b[24]), 0x0005000000000000ULL);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&b[32]), 0x00ff000000000000ULL);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&b[40]), 0x412c000000000000ULL);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&b[48]), 0x7fff000000000000ULL);

	/* Allocation length 16: the header and one entry */
	CDB(st, REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0);
	cmd = kitt_st_in(st, 16);
	kitt_spc_report_luns(cmd, luns, ARRAY_SIZE(luns));
	KUNIT_EXPECT_EQ(test, cmd->data_len, 16);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(b), 6 * 8);

	/* No LUN mapped: LUN 0 anyway; well-known only: empty */
	CDB(st, REPORT_LUNS, 0, 0x02, 0, 0, 0, 0, 0, 1, 0, 0, 0);
	cmd = kitt_st_in(st, 256);
	KUNIT_EXPECT_EQ(test, kitt_spc_report_luns(cmd, NULL, 0), 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(b), 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&b[8]), 0);
	CDB(st, REPORT_LUNS, 0, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0);
	cmd = kitt_st_in(st, 256);
	KUNIT_EXPECT_EQ(test, kitt_spc_report_luns(cmd, luns, 3), 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(b), 0);

	/* The LUN field codec */
	KUNIT_EXPECT_EQ(test, kitt_scsi_lun_encode(300, raw), 0);
	KUNIT_EXPECT_EQ(test, kitt_scsi_lun_decode(raw, &lun), 0);
	KUNIT_EXPECT_EQ(test, lun, 300);
	KUNIT_EXPECT_EQ(test, kitt_scsi_lun_encode(7, raw), 0);
	KUNIT_EXPECT_EQ(test, kitt_scsi_lun_decode(raw, &lun), 0);
	KUNIT_EXPECT_EQ(test, lun, 7);
	KUNIT_EXPECT_EQ(test, kitt_scsi_lun_encode(16384, raw), -ERANGE);
	memset(raw, 0, 8);
	raw[0] = 0x01;				/* bus 1 */
	KUNIT_EXPECT_EQ(test, kitt_scsi_lun_decode(raw, &lun), -EINVAL);
	raw[0] = 0x80;				/* logical unit addressing */
	KUNIT_EXPECT_EQ(test, kitt_scsi_lun_decode(raw, &lun), -EINVAL);
	raw[0] = 0;
	raw[4] = 1;				/* second level */
	KUNIT_EXPECT_EQ(test, kitt_scsi_lun_decode(raw, &lun), -EINVAL);
}

static void scsi_report_luns_many(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	u32 n = KITT_SCSI_BUF_SIZE / 8 + 10, i;
	struct kitt_scsi_cmd *cmd;
	u64 *luns = kunit_kcalloc(test, n, sizeof(*luns), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, luns);
	for (i = 0; i < n; i++)
		luns[i] = i;
	/*
	 * More entries than the buffer holds: cut, the length counts all;
	 * the residual counts what went out, the buffer's worth.
	 */
	CDB(st, REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0, 0);
	cmd = kitt_st_in(st, 0x10000);
	KUNIT_EXPECT_EQ(test, kitt_spc_report_luns(cmd, luns, n), 8 + n * 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(st->buf), n * 8);
	KUNIT_EXPECT_EQ(test, cmd->xfer_len, KITT_SCSI_BUF_SIZE);
	KUNIT_EXPECT_EQ(test, cmd->data_len, KITT_SCSI_BUF_SIZE);
}

static void scsi_request_sense(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	CDB(st, REQUEST_SENSE, 0, 0, 0, 252);
	cmd = kitt_st_in(st, 252);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 18);
	KUNIT_EXPECT_EQ(test, st->buf[0], 0x70);
	KUNIT_EXPECT_EQ(test, st->buf[2], NO_SENSE);
	KUNIT_EXPECT_EQ(test, st->buf[7], 10);
	KUNIT_EXPECT_EQ(test, st->buf[12], 0);
	CDB(st, REQUEST_SENSE, 0, 0, 0, 8);
	KUNIT_EXPECT_EQ(test, kitt_st_in(st, 8)->data_len, 8);

	KUNIT_EXPECT_EQ(test, cmd->ua_cleared, KITT_UA_NONE);

	/* A pending unit attention is the parameter data, and is cleared */
	st->ua = BIT(KITT_UA_LUNS_CHANGED) | BIT(KITT_UA_CAPACITY_CHANGED);
	CDB(st, REQUEST_SENSE, 0, 0, 0, 252);
	cmd = kitt_st_in(st, 252);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 18);
	KUNIT_EXPECT_EQ(test, st->buf[2], UNIT_ATTENTION);
	KUNIT_EXPECT_EQ(test, st->buf[12], 0x2a);
	KUNIT_EXPECT_EQ(test, st->buf[13], 0x09);
	KUNIT_EXPECT_EQ(test, cmd->ua_cleared, KITT_UA_CAPACITY_CHANGED);
	/* DESC=1 is refused and clears nothing */
	CDB(st, REQUEST_SENSE, 1, 0, 0, 252);
	cmd = kitt_st_in(st, 252);
	kitt_st_bad_cdb(test, cmd, 1, 0);
	KUNIT_EXPECT_EQ(test, cmd->ua_cleared, KITT_UA_NONE);
	st->ua = 0;
	CDB(st, REQUEST_SENSE, 1, 0, 0, 252);
	kitt_st_bad_cdb(test, kitt_st_in(st, 252), 1, 0);
}

/* SAM-5 5.14 / SPC-4 5.14: what reports and clears a unit attention */
static void scsi_unit_attention(struct kunit *test)
{
	static const struct {
		enum kitt_ua_cond cond;
		u8 asc, ascq;
	} codes[] = {
		{ KITT_UA_RESET, 0x29, 0x03 },
		{ KITT_UA_RES_PREEMPTED, 0x2a, 0x03 },
		{ KITT_UA_RES_RELEASED, 0x2a, 0x04 },
		{ KITT_UA_REG_PREEMPTED, 0x2a, 0x05 },
		{ KITT_UA_ALUA_CHANGED, 0x2a, 0x06 },
		{ KITT_UA_CAPACITY_CHANGED, 0x2a, 0x09 },
		{ KITT_UA_MODE_CHANGED, 0x2a, 0x01 },
		{ KITT_UA_LUNS_CHANGED, 0x3f, 0x0e },
	};
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	unsigned int i;

	KUNIT_EXPECT_EQ(test, kitt_scsi_ua_first(0), KITT_UA_NONE);
	KUNIT_EXPECT_EQ(test, kitt_scsi_ua_first(BIT(KITT_UA_NR)), KITT_UA_NONE);
	KUNIT_EXPECT_EQ(test, kitt_scsi_ua_first(BIT(KITT_UA_LUNS_CHANGED) |
						 BIT(KITT_UA_RESET)), KITT_UA_RESET);

	/* Each condition alone: TEST UNIT READY reports it with its code */
	for (i = 0; i < ARRAY_SIZE(codes); i++) {
		st->ua = BIT(codes[i].cond);
		CDB(st, TEST_UNIT_READY, 0, 0, 0, 0, 0);
		cmd = kitt_st_in(st, 0);
		kitt_st_sense(test, cmd, UNIT_ATTENTION, codes[i].asc, codes[i].ascq);
		KUNIT_EXPECT_EQ(test, cmd->ua_cleared, codes[i].cond);
	}

	/* A WRITE reports it before anything else and moves no data */
	st->ua = BIT(KITT_UA_MODE_CHANGED) | BIT(KITT_UA_RESET);
	CDB(st, WRITE_10, 0, 0, 0, 0, 0, 0, 0, 8, 0);
	cmd = kitt_st_run_dir(st, 4096, false, true);
	kitt_st_sense(test, cmd, UNIT_ATTENTION, 0x29, 0x03);
	KUNIT_EXPECT_EQ(test, cmd->ua_cleared, KITT_UA_RESET);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 0);
	/* Even before an unknown opcode or a bad LBA */
	st->cdb[0] = 0xff;
	kitt_st_sense(test, kitt_st_in(st, 0), UNIT_ATTENTION, 0x29, 0x03);
	st->ua = BIT(KITT_UA_MODE_CHANGED);
	CDB(st, READ_10, 0, 0xff, 0xff, 0xff, 0xff, 0, 0, 1, 0);
	kitt_st_sense(test, kitt_st_in(st, 512), UNIT_ATTENTION, 0x2a, 0x01);

	/* INQUIRY neither reports nor clears */
	CDB(st, INQUIRY, 0, 0, 0, 96, 0);
	cmd = kitt_st_in(st, 96);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->ua_cleared, KITT_UA_NONE);

	/* REPORT LUNS runs and clears only REPORTED LUNS DATA HAS CHANGED */
	CDB(st, REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0, 0x10, 0, 0);
	cmd = kitt_st_in(st, 16);
	KUNIT_EXPECT_EQ(test, cmd->status, SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_REPORT_LUNS);
	KUNIT_EXPECT_EQ(test, cmd->ua_cleared, KITT_UA_NONE);
	st->ua |= BIT(KITT_UA_LUNS_CHANGED);
	cmd = kitt_st_in(st, 16);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_REPORT_LUNS);
	KUNIT_EXPECT_EQ(test, cmd->ua_cleared, KITT_UA_LUNS_CHANGED);

	/* On an unmapped LUN nothing is pending: REQUEST SENSE says so */
	CDB(st, REQUEST_SENSE, 0, 0, 0, 18, 0);
	st->cmd.ua_pending = BIT(KITT_UA_RESET);
	KUNIT_ASSERT_EQ(test, kitt_scsi_decode_nolun(&st->cmd), 0);
	KUNIT_EXPECT_EQ(test, st->cmd.ua_cleared, KITT_UA_NONE);
	KUNIT_EXPECT_EQ(test, st->buf[12], KITT_ASC_LUN_NOT_SUPPORTED);
}

/* Does this LU have @op? (Discard and atomic commands depend on it.) */
static bool kitt_st_has_op(const struct kitt_scsi_op *op, const struct kitt_lu_info *lu)
{
	return (!(op->flags & KITT_OP_DISCARD) || lu->discard) &&
	       (!(op->flags & KITT_OP_ATOMIC) || lu->atomic_max_blocks) &&
	       (!(op->flags & KITT_OP_EXPLICIT_ALUA) || lu->alua_explicit);
}

static u32 kitt_st_nr_ops(const struct kitt_lu_info *lu)
{
	u32 n = 0, i;

	for (i = 0; i < kitt_spc_nr_ops; i++)
		n += kitt_st_has_op(&kitt_spc_ops[i], lu);
	for (i = 0; i < kitt_sbc_nr_ops; i++)
		n += kitt_st_has_op(&kitt_sbc_ops[i], lu);
	return n;
}

static void scsi_rsoc(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	u32 n = kitt_st_nr_ops(&st->lu), i;
	bool unmap = false, servactv = false;
	u8 *b = st->buf;

	/* All commands */
	CDB(st, MAINTENANCE_IN, 0x0c, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0);
	cmd = kitt_st_in(st, 0xffff);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4 + 8 * n);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(b), 8 * n);
	for (i = 0; i < n; i++) {
		const u8 *d = &b[4 + 8 * i];

		unmap |= d[0] == UNMAP;
		if (d[5] & 0x01)
			servactv = true;
		else
			KUNIT_EXPECT_EQ(test, get_unaligned_be16(&d[2]), 0);
		KUNIT_EXPECT_EQ(test, d[5] & 0x02, 0);	/* no CTDP */
		KUNIT_EXPECT_NE(test, get_unaligned_be16(&d[6]), 0);
	}
	KUNIT_EXPECT_TRUE(test, unmap);
	KUNIT_EXPECT_TRUE(test, servactv);

	/* With timeout descriptors */
	st->cdb[2] = 0x80;
	cmd = kitt_st_in(st, 0xffff);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4 + 20 * n);
	for (i = 0; i < n; i++) {
		const u8 *d = &b[4 + 20 * i];

		KUNIT_EXPECT_EQ(test, d[5] & 0x02, 0x02);
		KUNIT_EXPECT_EQ(test, get_unaligned_be16(&d[8]), 0x0a);
	}

	/* Without discard there is no UNMAP */
	st->lu.discard = false;
	st->cdb[2] = 0;
	n = kitt_st_nr_ops(&st->lu);
	cmd = kitt_st_in(st, 0xffff);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4 + 8 * n);
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_NE(test, b[4 + 8 * i], UNMAP);

	/* One command: READ(10), usage data with DPO and FUA */
	CDB(st, MAINTENANCE_IN, 0x0c, 0x01, READ_10, 0, 0, 0, 0, 0xff, 0xff,
	    0, 0);
	cmd = kitt_st_in(st, 0xffff);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4 + 10);
	KUNIT_EXPECT_EQ(test, b[1], 0x03);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[2]), 10);
	KUNIT_EXPECT_EQ(test, b[4], READ_10);
	KUNIT_EXPECT_EQ(test, b[5] & 0x18, 0x18);
	/* ... WRITE SAME(16) without discard: no UNMAP bit in usage */
	st->cdb[3] = WRITE_SAME_16;
	kitt_st_in(st, 0xffff);
	KUNIT_EXPECT_EQ(test, b[5] & 0x08, 0);
	/* ... VERIFY(10) with RCTD */
	st->cdb[2] = 0x81;
	st->cdb[3] = VERIFY;
	cmd = kitt_st_in(st, 0xffff);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4 + 10 + 12);
	KUNIT_EXPECT_EQ(test, b[1], 0x83);
	KUNIT_EXPECT_EQ(test, b[5] & 0x10, 0x10);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[14]), 0x0a);
	/* ... an unsupported opcode */
	st->cdb[2] = 0x01;
	st->cdb[3] = 0xc0;
	cmd = kitt_st_in(st, 0xffff);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4);
	KUNIT_EXPECT_EQ(test, b[1], 0x01);
	/* ... an opcode with service actions needs option 2 */
	st->cdb[3] = SERVICE_ACTION_IN_16;
	kitt_st_bad_cdb(test, kitt_st_in(st, 0xffff), 2, 2);
	st->cdb[2] = 0x02;
	st->cdb[5] = SAI_READ_CAPACITY_16;
	cmd = kitt_st_in(st, 0xffff);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, b[1], 0x03);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&b[2]), 16);
	KUNIT_EXPECT_EQ(test, b[4], SERVICE_ACTION_IN_16);
	KUNIT_EXPECT_EQ(test, b[5], SAI_READ_CAPACITY_16);
	st->cdb[5] = 0x11;
	kitt_st_in(st, 0xffff);
	KUNIT_EXPECT_EQ(test, b[1], 0x01);
	/* ... option 2 on an opcode without service actions */
	st->cdb[3] = READ_10;
	st->cdb[5] = 0;
	kitt_st_bad_cdb(test, kitt_st_in(st, 0xffff), 2, 2);
	/* ... option 3 takes both */
	st->cdb[2] = 0x03;
	kitt_st_in(st, 0xffff);
	KUNIT_EXPECT_EQ(test, b[1], 0x03);
	st->cdb[3] = MAINTENANCE_IN;
	st->cdb[5] = MI_REPORT_SUPPORTED_OPERATION_CODES;
	kitt_st_in(st, 0xffff);
	KUNIT_EXPECT_EQ(test, b[1], 0x03);
	KUNIT_EXPECT_EQ(test, b[5], MI_REPORT_SUPPORTED_OPERATION_CODES);
	/* ... reserved reporting options */
	st->cdb[2] = 0x04;
	kitt_st_bad_cdb(test, kitt_st_in(st, 0xffff), 2, 2);
}

/* ALUA: what each access state lets through, and the sense of a refusal. */
static void scsi_alua_states(struct kunit *test)
{
	static const u8 every[] = { INQUIRY, REPORT_LUNS, REQUEST_SENSE, MAINTENANCE_IN };
	static const u8 standby[] = { MODE_SENSE, MODE_SENSE_10, MODE_SELECT, LOG_SENSE,
				      PERSISTENT_RESERVE_IN, PERSISTENT_RESERVE_OUT,
				      READ_CAPACITY, MAINTENANCE_OUT };
	static const u8 none[] = { READ_10, WRITE_10, TEST_UNIT_READY, SYNCHRONIZE_CACHE,
				   UNMAP, WRITE_SAME_16 };
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd = &st->cmd;
	unsigned int i;
	u8 s;

	cmd->cdb = st->cdb;
	cmd->cdb_len = 16;
	for (i = 0; i < ARRAY_SIZE(every); i++) {
		CDB(st, every[i]);
		for (s = 0; s < 16; s++)
			KUNIT_EXPECT_TRUE(test, kitt_alua_allows(cmd, s));
	}
	for (i = 0; i < ARRAY_SIZE(standby); i++) {
		CDB(st, standby[i]);
		KUNIT_EXPECT_TRUE(test, kitt_alua_allows(cmd, KITT_ALUA_ACTIVE_NONOPTIMIZED));
		KUNIT_EXPECT_TRUE(test, kitt_alua_allows(cmd, KITT_ALUA_STANDBY));
		KUNIT_EXPECT_EQ(test, kitt_alua_allows(cmd, KITT_ALUA_UNAVAILABLE),
				standby[i] == MAINTENANCE_OUT);
		KUNIT_EXPECT_FALSE(test, kitt_alua_allows(cmd, KITT_ALUA_TRANSITIONING));
	}
	for (i = 0; i < ARRAY_SIZE(none); i++) {
		CDB(st, none[i]);
		KUNIT_EXPECT_TRUE(test, kitt_alua_allows(cmd, KITT_ALUA_ACTIVE_OPTIMIZED));
		KUNIT_EXPECT_TRUE(test, kitt_alua_allows(cmd, KITT_ALUA_ACTIVE_NONOPTIMIZED));
		KUNIT_EXPECT_FALSE(test, kitt_alua_allows(cmd, KITT_ALUA_STANDBY));
		KUNIT_EXPECT_FALSE(test, kitt_alua_allows(cmd, KITT_ALUA_UNAVAILABLE));
		KUNIT_EXPECT_FALSE(test, kitt_alua_allows(cmd, KITT_ALUA_TRANSITIONING));
	}
	/* READ CAPACITY (16) in standby, not the other SERVICE ACTION IN */
	CDB(st, SERVICE_ACTION_IN_16, SAI_READ_CAPACITY_16);
	KUNIT_EXPECT_TRUE(test, kitt_alua_allows(cmd, KITT_ALUA_STANDBY));
	CDB(st, SERVICE_ACTION_IN_16, 0x12);			/* GET LBA STATUS */
	KUNIT_EXPECT_FALSE(test, kitt_alua_allows(cmd, KITT_ALUA_STANDBY));

	/* Through the decoder: the sense of each state */
	CDB(st, READ_10, 0, 0, 0, 0, 0, 0, 0, 1, 0);
	st->lu.alua_state = KITT_ALUA_STANDBY;
	kitt_st_sense(test, kitt_st_in(st, BS), NOT_READY, 0x04, 0x0b);
	st->lu.alua_state = KITT_ALUA_UNAVAILABLE;
	kitt_st_sense(test, kitt_st_in(st, BS), NOT_READY, 0x04, 0x0c);
	st->lu.alua_state = KITT_ALUA_TRANSITIONING;
	kitt_st_sense(test, kitt_st_in(st, BS), NOT_READY, 0x04, 0x0a);
	st->lu.alua_state = KITT_ALUA_ACTIVE_NONOPTIMIZED;
	kitt_st_good(test, kitt_st_in(st, BS));
	KUNIT_EXPECT_EQ(test, st->cmd.action, KITT_SCSI_ACT_READ);
	/* A unit attention goes first; an unknown opcode is still unknown */
	st->lu.alua_state = KITT_ALUA_STANDBY;
	st->ua = BIT(KITT_UA_ALUA_CHANGED);
	kitt_st_sense(test, kitt_st_in(st, BS), UNIT_ATTENTION, 0x2a, 0x06);
	KUNIT_EXPECT_EQ(test, st->cmd.ua_cleared, KITT_UA_ALUA_CHANGED);
	st->ua = 0;
	CDB(st, 0xc7);
	kitt_st_sense(test, kitt_st_in(st, 0), ILLEGAL_REQUEST, 0x20, 0x00);
	/* INQUIRY in standby works and reports TPGS */
	CDB(st, INQUIRY, 0, 0, 0, 96, 0);
	kitt_st_good(test, kitt_st_in(st, 96));
	KUNIT_EXPECT_EQ(test, st->buf[5], 0x18);
	st->lu.alua_explicit = true;
	kitt_st_good(test, kitt_st_in(st, 96));
	KUNIT_EXPECT_EQ(test, st->buf[5], 0x38);
}

static void scsi_alua_state_names(struct kunit *test)
{
	u8 s = 0x55;

	KUNIT_EXPECT_EQ(test, kitt_alua_parse_state("standby\n", &s), 0);
	KUNIT_EXPECT_EQ(test, s, KITT_ALUA_STANDBY);
	KUNIT_EXPECT_EQ(test, kitt_alua_parse_state("active_nonoptimized", &s), 0);
	KUNIT_EXPECT_EQ(test, s, KITT_ALUA_ACTIVE_NONOPTIMIZED);
	KUNIT_EXPECT_EQ(test, kitt_alua_parse_state("15\n", &s), 0);
	KUNIT_EXPECT_EQ(test, s, KITT_ALUA_TRANSITIONING);
	KUNIT_EXPECT_EQ(test, kitt_alua_parse_state("0", &s), 0);
	KUNIT_EXPECT_EQ(test, s, KITT_ALUA_ACTIVE_OPTIMIZED);
	s = 0x55;
	KUNIT_EXPECT_EQ(test, kitt_alua_parse_state("4", &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_alua_parse_state("offline", &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_alua_parse_state("standbyx", &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_alua_parse_state("", &s), -EINVAL);
	KUNIT_EXPECT_EQ(test, s, 0x55);
	KUNIT_EXPECT_STREQ(test, kitt_alua_state_name(KITT_ALUA_UNAVAILABLE), "unavailable");
	KUNIT_EXPECT_STREQ(test, kitt_alua_state_name(KITT_ALUA_TRANSITIONING),
			   "transitioning");
	KUNIT_EXPECT_STREQ(test, kitt_alua_state_name(7), "unknown");
}

/* REPORT TARGET PORT GROUPS: both formats, exact bytes, truncation. */
static void scsi_alua_rtpg(struct kunit *test)
{
	static const struct kitt_alua_group g[] = {
		{ .id = 1, .rel_port_id = 1, .state = KITT_ALUA_ACTIVE_OPTIMIZED,
		  .pref = true },
		{ .id = 2, .rel_port_id = 2, .state = KITT_ALUA_STANDBY,
		  .status = KITT_ALUA_STATUS_BY_STPG },
	};
	static const u8 want[] = {
		0x00, 0x00, 0x00, 0x18,
		0x80, 0x8f, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
		0x02, 0x8f, 0x00, 0x02, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,
	};
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;

	CDB(st, MAINTENANCE_IN, MI_REPORT_TARGET_PGS, 0, 0, 0, 0, 0, 0, 0x10, 0, 0, 0);
	cmd = kitt_st_in(st, 0x1000);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_RTPG);
	KUNIT_EXPECT_EQ(test, cmd->dir, KITT_SCSI_DIR_IN);
	kitt_alua_rtpg(cmd, g, ARRAY_SIZE(g));
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_EMULATE_IN);
	KUNIT_EXPECT_EQ(test, cmd->data_len, sizeof(want));
	KUNIT_EXPECT_EQ(test, memcmp(st->buf, want, sizeof(want)), 0);

	/* Extended header: format 1, implicit transition time 0 */
	st->cdb[1] = 0x20 | MI_REPORT_TARGET_PGS;
	cmd = kitt_st_in(st, 0x1000);
	kitt_alua_rtpg(cmd, g, ARRAY_SIZE(g));
	KUNIT_EXPECT_EQ(test, cmd->data_len, sizeof(want) + 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(st->buf), 0x1c);
	KUNIT_EXPECT_EQ(test, st->buf[4], 0x10);
	KUNIT_EXPECT_EQ(test, st->buf[5], 0);
	KUNIT_EXPECT_EQ(test, memcmp(&st->buf[8], &want[4], sizeof(want) - 4), 0);

	/* Allocation length cuts the data, not the length it reports */
	st->cdb[1] = MI_REPORT_TARGET_PGS;
	st->cdb[8] = 0;
	st->cdb[9] = 8;
	cmd = kitt_st_in(st, 0x1000);
	kitt_alua_rtpg(cmd, g, ARRAY_SIZE(g));
	KUNIT_EXPECT_EQ(test, cmd->data_len, 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(st->buf), 0x18);
	/* ... and so does EDTL */
	st->cdb[8] = 0x10;
	st->cdb[9] = 0;
	cmd = kitt_st_in(st, 6);
	kitt_alua_rtpg(cmd, g, ARRAY_SIZE(g));
	KUNIT_EXPECT_EQ(test, cmd->data_len, 6);
	/* No group: the header alone */
	cmd = kitt_st_in(st, 0x1000);
	kitt_alua_rtpg(cmd, g, 0);
	KUNIT_EXPECT_EQ(test, cmd->data_len, 4);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(st->buf), 0);

	/* Reserved parameter data formats */
	st->cdb[1] = 0x40 | MI_REPORT_TARGET_PGS;
	kitt_st_bad_cdb(test, kitt_st_in(st, 0x1000), 1, 7);
}

/* SET TARGET PORT GROUPS: only with explicit ALUA; its parameter list. */
static void scsi_alua_stpg(struct kunit *test)
{
	struct kitt_st *st = kitt_st_new(test);
	struct kitt_scsi_cmd *cmd;
	u8 param[4 + 3 * 4] = { 0, 0, 0, 0,
				0x00, 0, 0x00, 0x01,
				0x02, 0, 0x00, 0x02,
				0xf3, 0, 0x12, 0x34 };	/* reserved bits ignored */
	u16 id;
	u8 state;

	CDB(st, MAINTENANCE_OUT, MO_SET_TARGET_PGS, 0, 0, 0, 0, 0, 0, 0, sizeof(param), 0, 0);
	kitt_st_sense(test, kitt_st_out(st, sizeof(param)), ILLEGAL_REQUEST, 0x20, 0x00);
	st->lu.alua_explicit = true;
	cmd = kitt_st_out(st, sizeof(param));
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_DATA_OUT_PARAM);
	KUNIT_EXPECT_EQ(test, cmd->data_len, sizeof(param));
	KUNIT_EXPECT_EQ(test, kitt_scsi_data_out(cmd, &st->lu, param, sizeof(param)), 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_STPG);
	KUNIT_EXPECT_EQ(test, cmd->nr_desc, 3);
	kitt_alua_stpg_desc(param, 0, &id, &state);
	KUNIT_EXPECT_EQ(test, id, 1);
	KUNIT_EXPECT_EQ(test, state, KITT_ALUA_ACTIVE_OPTIMIZED);
	kitt_alua_stpg_desc(param, 1, &id, &state);
	KUNIT_EXPECT_EQ(test, id, 2);
	KUNIT_EXPECT_EQ(test, state, KITT_ALUA_STANDBY);
	kitt_alua_stpg_desc(param, 2, &id, &state);
	KUNIT_EXPECT_EQ(test, id, 0x1234);
	KUNIT_EXPECT_EQ(test, state, KITT_ALUA_UNAVAILABLE);

	/* Transitioning cannot be asked for */
	param[8] = KITT_ALUA_TRANSITIONING;
	cmd = kitt_st_out(st, sizeof(param));
	kitt_scsi_data_out(cmd, &st->lu, param, sizeof(param));
	kitt_st_list_sense(test, cmd, ILLEGAL_REQUEST, 0x26, 0x00);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&cmd->sense[16]), 8);
	/* A list that is not whole descriptors */
	param[8] = KITT_ALUA_STANDBY;
	st->cdb[9] = sizeof(param) - 2;
	cmd = kitt_st_out(st, sizeof(param) - 2);
	kitt_scsi_data_out(cmd, &st->lu, param, sizeof(param) - 2);
	kitt_st_list_sense(test, cmd, ILLEGAL_REQUEST, 0x1a, 0x00);
	/* An empty list changes nothing */
	st->cdb[9] = 0;
	cmd = kitt_st_out(st, 0);
	kitt_st_good(test, cmd);
	KUNIT_EXPECT_EQ(test, cmd->action, KITT_SCSI_ACT_NONE);
	/* More descriptors than groups a target may report */
	put_unaligned_be32(4 + 4 * (KITT_ALUA_MAX_GROUPS + 1), &st->cdb[6]);
	kitt_st_bad_cdb(test, kitt_st_out(st, 4096), 6, 7);
	/* Unavailable takes it; transitioning does not */
	st->cdb[9] = sizeof(param);
	memset(&st->cdb[6], 0, 3);
	st->lu.alua_state = KITT_ALUA_UNAVAILABLE;
	kitt_st_good(test, kitt_st_out(st, sizeof(param)));
	st->lu.alua_state = KITT_ALUA_TRANSITIONING;
	kitt_st_sense(test, kitt_st_out(st, sizeof(param)), NOT_READY, 0x04, 0x0a);
}

/*
 * Every table entry: its usage data names its opcode (and service
 * action); an all-zero CDB decodes without crashing and either runs or
 * fails with ILLEGAL REQUEST, and never claims more data than fits.
 */
static void scsi_every_opcode(struct kunit *test)
{
	const struct kitt_scsi_op *tables[] = { kitt_spc_ops, kitt_sbc_ops };
	const unsigned int sizes[] = { kitt_spc_nr_ops, kitt_sbc_nr_ops };
	struct kitt_st *st = kitt_st_new(test);
	const struct kitt_scsi_op *op;
	struct kitt_scsi_cmd *cmd;
	unsigned int t, i;
	bool sa_unknown;

	/* A LU with every optional command */
	st->lu.alua_explicit = true;
	st->lu.atomic_max_blocks = 16;
	st->lu.atomic_gran_blocks = 1;
	for (t = 0; t < ARRAY_SIZE(tables); t++) {
		for (i = 0; i < sizes[t]; i++) {
			op = &tables[t][i];
			KUNIT_EXPECT_EQ(test, op->usage[0], op->opcode);
			if (op->flags & KITT_OP_SA)
				KUNIT_EXPECT_EQ(test, op->usage[1] & 0x1f,
						op->sa);
			KUNIT_EXPECT_EQ(test, op->usage[op->cdb_len - 1], 0);
			KUNIT_EXPECT_PTR_EQ(test,
					    kitt_scsi_find_op(op->opcode, op->sa,
							      &st->lu,
							      &sa_unknown),
					    op);

			CDB(st, op->opcode, op->sa);
			cmd = kitt_st_run_dir(st, 4096, true, true);
			if (cmd->status != SAM_STAT_GOOD)
				KUNIT_EXPECT_EQ(test, cmd->sense[2],
						ILLEGAL_REQUEST);
			KUNIT_EXPECT_LE(test, cmd->data_len, cmd->edtl);
			KUNIT_EXPECT_LE(test, cmd->data_len,
					KITT_SCSI_BUF_SIZE * 2);
		}
	}
}

static struct kunit_case kitt_scsi_test_cases[] = {
	KUNIT_CASE(scsi_sense_builder),
	KUNIT_CASE(scsi_residual),
	KUNIT_CASE(scsi_residual_buffer),
	KUNIT_CASE(scsi_io_error),
	KUNIT_CASE(scsi_unknown_opcode),
	KUNIT_CASE(scsi_reservations),
	KUNIT_CASE(scsi_orwrite_defects),
	KUNIT_CASE(scsi_naca),
	KUNIT_CASE(scsi_misc_commands),
	KUNIT_CASE(scsi_rw6),
	KUNIT_CASE(scsi_rw_lba_edges),
	KUNIT_CASE(scsi_rw_fields),
	KUNIT_CASE(scsi_rw_edtl),
	KUNIT_CASE(scsi_verify),
	KUNIT_CASE(scsi_write_verify),
	KUNIT_CASE(scsi_sync_prefetch),
	KUNIT_CASE(scsi_write_same),
	KUNIT_CASE(scsi_unmap),
	KUNIT_CASE(scsi_xcopy),
	KUNIT_CASE(scsi_write_atomic),
	KUNIT_CASE(scsi_receive_copy_results),
	KUNIT_CASE(scsi_unmap_many),
	KUNIT_CASE(scsi_compare_and_write),
	KUNIT_CASE(scsi_read_capacity),
	KUNIT_CASE(scsi_get_lba_status),
	KUNIT_CASE(scsi_inquiry_std),
	KUNIT_CASE(scsi_inquiry_vpd),
	KUNIT_CASE(scsi_nolun),
	KUNIT_CASE(scsi_mode_sense),
	KUNIT_CASE(scsi_mode_select),
	KUNIT_CASE(scsi_report_luns),
	KUNIT_CASE(scsi_report_luns_many),
	KUNIT_CASE(scsi_request_sense),
	KUNIT_CASE(scsi_unit_attention),
	KUNIT_CASE(scsi_rsoc),
	KUNIT_CASE(scsi_every_opcode),
	KUNIT_CASE(scsi_alua_states),
	KUNIT_CASE(scsi_alua_state_names),
	KUNIT_CASE(scsi_alua_rtpg),
	KUNIT_CASE(scsi_alua_stpg),
	{}
};

static struct kunit_suite kitt_scsi_test_suite = {
	.name = "kitt_scsi",
	.test_cases = kitt_scsi_test_cases,
};

kunit_test_suite(kitt_scsi_test_suite);
