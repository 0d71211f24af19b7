// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pdu.c: header validation per opcode and phase, data
 * segment limits, AHS parsing, CRC32C digests and header builders.
 */

#include <kunit/test.h>
#include <linux/sizes.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/string.h>

#include "kitt_pdu.h"
#include "kitt_compat.h"
#include "kitt_test.h"

static const u8 kitt_test_initiator_ops[] = {
	ISCSI_OP_NOOP_OUT, ISCSI_OP_SCSI_CMD, ISCSI_OP_SCSI_TMFUNC,
	ISCSI_OP_LOGIN, ISCSI_OP_TEXT, ISCSI_OP_SCSI_DATA_OUT,
	ISCSI_OP_LOGOUT, ISCSI_OP_SNACK,
};

static const struct kitt_pdu_limits kitt_test_login_lim = {
	.max_data_len = KITT_LOGIN_MAX_DSL,
	.login = true,
};

static const struct kitt_pdu_limits kitt_test_ffp_lim = {
	.max_data_len = 65536,
};

static const struct kitt_pdu_limits kitt_test_disc_lim = {
	.max_data_len = 65536,
	.discovery = true,
};

static bool kitt_test_known_op(u8 op)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kitt_test_initiator_ops); i++)
		if (kitt_test_initiator_ops[i] == op)
			return true;
	return false;
}

/*
 * A header of @op that is valid in the phase it belongs to: a PDU that
 * kitt_pdu_check() must accept unless the phase or a test change says
 * otherwise.
 */
static void kitt_test_good_bhs(struct iscsi_hdr *bhs, u8 op)
{
	memset(bhs, 0, sizeof(*bhs));
	bhs->opcode = op;
	bhs->itt = (__force itt_t)cpu_to_be32(0x10);
	switch (op) {
	case ISCSI_OP_SCSI_CMD: {
		struct iscsi_scsi_req *req = (struct iscsi_scsi_req *)bhs;

		req->flags = ISCSI_FLAG_CMD_FINAL | ISCSI_FLAG_CMD_READ | 1;
		req->data_length = cpu_to_be32(4096);
		req->cdb[0] = 0x28;
		break;
	}
	case ISCSI_OP_LOGIN:
		bhs->opcode |= ISCSI_OP_IMMEDIATE;
		bhs->flags = ISCSI_FLAG_LOGIN_TRANSIT | ISCSI_FULL_FEATURE_PHASE;
		hton24(bhs->dlength, 300);
		break;
	case ISCSI_OP_TEXT:
		bhs->flags = ISCSI_FLAG_CMD_FINAL;
		hton24(bhs->dlength, 20);
		break;
	case ISCSI_OP_SCSI_DATA_OUT:
		bhs->flags = ISCSI_FLAG_CMD_FINAL;
		hton24(bhs->dlength, 8192);
		break;
	case ISCSI_OP_NOOP_OUT:
	case ISCSI_OP_SCSI_TMFUNC:
	case ISCSI_OP_LOGOUT:
	case ISCSI_OP_SNACK:
	default:
		bhs->opcode |= ISCSI_OP_IMMEDIATE;
		bhs->flags = ISCSI_FLAG_CMD_FINAL;
		break;
	}
}

static void pdu_login_phase(struct kunit *test)
{
	struct kitt_pdu_info info;
	struct iscsi_hdr bhs;
	unsigned int op;

	kitt_test_good_bhs(&bhs, ISCSI_OP_LOGIN);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_login_lim, &info),
			KITT_PDU_ACCEPT);
	KUNIT_EXPECT_EQ(test, info.opcode, ISCSI_OP_LOGIN);
	KUNIT_EXPECT_TRUE(test, info.immediate);
	KUNIT_EXPECT_EQ(test, info.data_len, 300U);
	KUNIT_EXPECT_EQ(test, info.pad_len, 0U);
	KUNIT_EXPECT_EQ(test, info.rest_len, 300U);
	KUNIT_EXPECT_NULL(test, info.why);

	/* Everything else, known or not, ends the connection during login. */
	for (op = 0; op <= ISCSI_OPCODE_MASK; op++) {
		if (op == ISCSI_OP_LOGIN)
			continue;
		kitt_test_good_bhs(&bhs, op);
		KUNIT_EXPECT_EQ_MSG(test, kitt_pdu_check(&bhs, &kitt_test_login_lim, &info),
				    KITT_PDU_DROP, "opcode 0x%02x", op);
		KUNIT_EXPECT_NOT_NULL(test, info.why);
	}

	/* AHS in a Login Request */
	kitt_test_good_bhs(&bhs, ISCSI_OP_LOGIN);
	bhs.hlength = 1;
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_login_lim, &info),
			KITT_PDU_DROP);

	/* 8192 bytes is the login limit; one more is too many */
	kitt_test_good_bhs(&bhs, ISCSI_OP_LOGIN);
	hton24(bhs.dlength, KITT_LOGIN_MAX_DSL);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_login_lim, &info),
			KITT_PDU_ACCEPT);
	hton24(bhs.dlength, KITT_LOGIN_MAX_DSL + 1);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_login_lim, &info),
			KITT_PDU_DROP);
	KUNIT_EXPECT_EQ(test, info.data_len, KITT_LOGIN_MAX_DSL + 1);
}

static void pdu_ffp_opcodes(struct kunit *test)
{
	struct kitt_pdu_info info;
	struct iscsi_hdr bhs;
	unsigned int op;

	for (op = 0; op <= ISCSI_OPCODE_MASK; op++) {
		enum kitt_pdu_verdict v;

		kitt_test_good_bhs(&bhs, op);
		v = kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info);
		KUNIT_EXPECT_EQ(test, info.opcode, op);
		if (op == ISCSI_OP_LOGIN) {
			KUNIT_EXPECT_EQ(test, v, KITT_PDU_REJECT);
			KUNIT_EXPECT_EQ(test, info.reason, ISCSI_REASON_PROTOCOL_ERROR);
		} else if (kitt_test_known_op(op)) {
			KUNIT_EXPECT_EQ_MSG(test, v, KITT_PDU_ACCEPT, "opcode 0x%02x: %s",
					    op, info.why ?: "");
		} else {
			KUNIT_EXPECT_EQ_MSG(test, v, KITT_PDU_REJECT, "opcode 0x%02x", op);
			KUNIT_EXPECT_EQ(test, info.reason, ISCSI_REASON_CMD_NOT_SUPPORTED);
		}
	}

	/* The I bit is part of byte 0, not of the opcode */
	kitt_test_good_bhs(&bhs, 0x3c);
	bhs.opcode |= ISCSI_OP_IMMEDIATE;
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
			KITT_PDU_REJECT);
	KUNIT_EXPECT_EQ(test, info.opcode, 0x3c);
	KUNIT_EXPECT_EQ(test, info.reason, ISCSI_REASON_CMD_NOT_SUPPORTED);
}

static void pdu_discovery(struct kunit *test)
{
	static const u8 allowed[] = {
		ISCSI_OP_TEXT, ISCSI_OP_LOGOUT, ISCSI_OP_NOOP_OUT,
	};
	static const u8 refused[] = {
		ISCSI_OP_SCSI_CMD, ISCSI_OP_SCSI_TMFUNC, ISCSI_OP_SCSI_DATA_OUT,
		ISCSI_OP_SNACK, ISCSI_OP_LOGIN,
	};
	struct kitt_pdu_info info;
	struct iscsi_hdr bhs;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(allowed); i++) {
		kitt_test_good_bhs(&bhs, allowed[i]);
		KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_disc_lim, &info),
				KITT_PDU_ACCEPT);
	}
	for (i = 0; i < ARRAY_SIZE(refused); i++) {
		kitt_test_good_bhs(&bhs, refused[i]);
		KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_disc_lim, &info),
				KITT_PDU_REJECT);
		KUNIT_EXPECT_EQ(test, info.reason, ISCSI_REASON_PROTOCOL_ERROR);
	}
}

static void pdu_oversize(struct kunit *test)
{
	struct kitt_pdu_limits lim = { .max_data_len = 8192 };
	struct kitt_pdu_info info;
	struct iscsi_hdr bhs;

	kitt_test_good_bhs(&bhs, ISCSI_OP_SCSI_DATA_OUT);
	hton24(bhs.dlength, 8192);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &lim, &info), KITT_PDU_ACCEPT);
	hton24(bhs.dlength, 8193);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &lim, &info), KITT_PDU_DROP);

	/* The largest value the field can hold */
	hton24(bhs.dlength, KITT_MAX_DSL);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &lim, &info), KITT_PDU_DROP);
	KUNIT_EXPECT_EQ(test, info.data_len, KITT_MAX_DSL);
	lim.max_data_len = KITT_MAX_DSL;
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &lim, &info), KITT_PDU_ACCEPT);

	/* Too long drops even when the opcode alone would only be rejected */
	lim.max_data_len = 8192;
	kitt_test_good_bhs(&bhs, 0x1c);
	hton24(bhs.dlength, 100000);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &lim, &info), KITT_PDU_DROP);
	kitt_test_good_bhs(&bhs, ISCSI_OP_SCSI_TMFUNC);
	hton24(bhs.dlength, 100000);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &lim, &info), KITT_PDU_DROP);
}

static void pdu_lengths(struct kunit *test)
{
	struct kitt_pdu_limits lim = {
		.max_data_len = 65536,
		.header_digest = true,
		.data_digest = true,
	};
	struct kitt_pdu_info info;
	struct iscsi_hdr bhs;

	kitt_test_good_bhs(&bhs, ISCSI_OP_SCSI_CMD);
	bhs.flags = ISCSI_FLAG_CMD_FINAL | ISCSI_FLAG_CMD_WRITE;
	bhs.hlength = 2;
	hton24(bhs.dlength, 5);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &lim, &info), KITT_PDU_ACCEPT);
	KUNIT_EXPECT_EQ(test, info.ahs_len, 8U);
	KUNIT_EXPECT_EQ(test, info.hdigest_len, 4U);
	KUNIT_EXPECT_EQ(test, info.data_len, 5U);
	KUNIT_EXPECT_EQ(test, info.pad_len, 3U);
	KUNIT_EXPECT_EQ(test, info.ddigest_len, 4U);
	KUNIT_EXPECT_EQ(test, info.rest_len, 8U + 4 + 5 + 3 + 4);

	/* No data: no data digest either */
	kitt_test_good_bhs(&bhs, ISCSI_OP_NOOP_OUT);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &lim, &info), KITT_PDU_ACCEPT);
	KUNIT_EXPECT_EQ(test, info.ddigest_len, 0U);
	KUNIT_EXPECT_EQ(test, info.rest_len, 4U);

	/* Lengths are filled in for a rejected PDU too, to skip it */
	kitt_test_good_bhs(&bhs, 0x1d);
	bhs.hlength = 1;
	hton24(bhs.dlength, 6);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &lim, &info), KITT_PDU_REJECT);
	KUNIT_EXPECT_EQ(test, info.rest_len, 4U + 4 + 6 + 2 + 4);

	/* Padding for every remainder */
	lim.header_digest = false;
	lim.data_digest = false;
	kitt_test_good_bhs(&bhs, ISCSI_OP_SCSI_DATA_OUT);
	hton24(bhs.dlength, 1);
	kitt_pdu_check(&bhs, &lim, &info);
	KUNIT_EXPECT_EQ(test, info.pad_len, 3U);
	hton24(bhs.dlength, 2);
	kitt_pdu_check(&bhs, &lim, &info);
	KUNIT_EXPECT_EQ(test, info.pad_len, 2U);
	hton24(bhs.dlength, 3);
	kitt_pdu_check(&bhs, &lim, &info);
	KUNIT_EXPECT_EQ(test, info.pad_len, 1U);
	hton24(bhs.dlength, 4);
	kitt_pdu_check(&bhs, &lim, &info);
	KUNIT_EXPECT_EQ(test, info.pad_len, 0U);
	KUNIT_EXPECT_EQ(test, info.rest_len, 4U);
}

static void pdu_segments_per_opcode(struct kunit *test)
{
	static const u8 no_data[] = {
		ISCSI_OP_SCSI_TMFUNC, ISCSI_OP_LOGOUT, ISCSI_OP_SNACK,
	};
	static const u8 no_ahs[] = {
		ISCSI_OP_NOOP_OUT, ISCSI_OP_SCSI_TMFUNC, ISCSI_OP_TEXT,
		ISCSI_OP_SCSI_DATA_OUT, ISCSI_OP_LOGOUT, ISCSI_OP_SNACK,
	};
	struct kitt_pdu_info info;
	struct iscsi_hdr bhs;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(no_data); i++) {
		kitt_test_good_bhs(&bhs, no_data[i]);
		hton24(bhs.dlength, 4);
		KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
				KITT_PDU_REJECT);
		KUNIT_EXPECT_EQ(test, info.reason, ISCSI_REASON_PROTOCOL_ERROR);
	}
	for (i = 0; i < ARRAY_SIZE(no_ahs); i++) {
		kitt_test_good_bhs(&bhs, no_ahs[i]);
		bhs.hlength = 1;
		KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
				KITT_PDU_REJECT);
		KUNIT_EXPECT_EQ(test, info.reason, ISCSI_REASON_PROTOCOL_ERROR);
	}
	/* NOP-Out may carry ping data, SCSI Command an AHS */
	kitt_test_good_bhs(&bhs, ISCSI_OP_NOOP_OUT);
	hton24(bhs.dlength, 64);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
			KITT_PDU_ACCEPT);
	kitt_test_good_bhs(&bhs, ISCSI_OP_SCSI_CMD);
	bhs.hlength = 255;
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
			KITT_PDU_ACCEPT);
	KUNIT_EXPECT_EQ(test, info.ahs_len, (u32)KITT_MAX_AHS_LEN);
}

static void pdu_flags_and_tags(struct kunit *test)
{
	static const u8 need_itt[] = {
		ISCSI_OP_SCSI_CMD, ISCSI_OP_SCSI_TMFUNC, ISCSI_OP_TEXT,
		ISCSI_OP_LOGOUT,
	};
	struct kitt_pdu_info info;
	struct iscsi_hdr bhs;
	unsigned int i;

	/* NOP-Out: F must be set */
	kitt_test_good_bhs(&bhs, ISCSI_OP_NOOP_OUT);
	bhs.flags = 0;
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
			KITT_PDU_REJECT);
	KUNIT_EXPECT_EQ(test, info.reason, ISCSI_REASON_PROTOCOL_ERROR);

	/* NOP-Out answering a NOP-In: reserved ITT with the I bit */
	kitt_test_good_bhs(&bhs, ISCSI_OP_NOOP_OUT);
	bhs.itt = RESERVED_ITT;
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
			KITT_PDU_ACCEPT);
	bhs.opcode &= ~ISCSI_OP_IMMEDIATE;
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
			KITT_PDU_REJECT);

	/* Non-immediate NOP-Out with data (libiscsi's ping) */
	kitt_test_good_bhs(&bhs, ISCSI_OP_NOOP_OUT);
	bhs.opcode &= ~ISCSI_OP_IMMEDIATE;
	hton24(bhs.dlength, 10);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
			KITT_PDU_ACCEPT);
	KUNIT_EXPECT_FALSE(test, info.immediate);

	/* Text: C requires F clear */
	kitt_test_good_bhs(&bhs, ISCSI_OP_TEXT);
	bhs.flags = ISCSI_FLAG_CMD_FINAL | 0x40;
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
			KITT_PDU_REJECT);
	bhs.flags = 0x40;
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
			KITT_PDU_ACCEPT);

	/* TMF and Logout without F are tolerated (a fixed bit, not an error) */
	kitt_test_good_bhs(&bhs, ISCSI_OP_SCSI_TMFUNC);
	bhs.flags = ISCSI_TM_FUNC_LOGICAL_UNIT_RESET;
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
			KITT_PDU_ACCEPT);

	/* 0xffffffff is never a command's ITT */
	for (i = 0; i < ARRAY_SIZE(need_itt); i++) {
		kitt_test_good_bhs(&bhs, need_itt[i]);
		bhs.itt = RESERVED_ITT;
		KUNIT_EXPECT_EQ(test, kitt_pdu_check(&bhs, &kitt_test_ffp_lim, &info),
				KITT_PDU_REJECT);
		KUNIT_EXPECT_EQ(test, info.reason, ISCSI_REASON_PROTOCOL_ERROR);
	}
}

static void pdu_immediate_bit(struct kunit *test)
{
	struct kitt_pdu_info info;
	struct iscsi_hdr bhs;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kitt_test_initiator_ops); i++) {
		u8 op = kitt_test_initiator_ops[i];
		bool meaningful = op != ISCSI_OP_SCSI_DATA_OUT && op != ISCSI_OP_SNACK;

		kitt_test_good_bhs(&bhs, op);
		bhs.opcode |= ISCSI_OP_IMMEDIATE;
		kitt_pdu_check(&bhs, op == ISCSI_OP_LOGIN ? &kitt_test_login_lim :
			       &kitt_test_ffp_lim, &info);
		KUNIT_EXPECT_EQ_MSG(test, info.immediate, meaningful, "opcode 0x%02x", op);
	}
}

static void pdu_scsi_cmd_rules(struct kunit *test)
{
	struct kitt_pdu_info info;
	struct iscsi_scsi_req req;
	struct iscsi_hdr *bhs = (struct iscsi_hdr *)&req;

#define CMD(f, edtl, dsl) do {						\
		kitt_test_good_bhs(bhs, ISCSI_OP_SCSI_CMD);		\
		req.flags = (f) | 1;					\
		req.data_length = cpu_to_be32(edtl);			\
		hton24(req.dlength, dsl);			\
	} while (0)
#define R ISCSI_FLAG_CMD_READ
#define W ISCSI_FLAG_CMD_WRITE
#define F ISCSI_FLAG_CMD_FINAL

	CMD(F | R, 512, 0);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_ACCEPT);
	/* read of 0 bytes with R set (libiscsi residual tests) */
	CMD(F | R, 0, 0);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_ACCEPT);
	/* no data at all */
	CMD(F, 0, 0);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_ACCEPT);
	/* write, all immediate */
	CMD(F | W, 4096, 4096);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_ACCEPT);
	/* write, some immediate, unsolicited Data-Out follows */
	CMD(W, 65536, 8192);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_ACCEPT);
	/* write, no immediate, unsolicited Data-Out follows */
	CMD(W, 65536, 0);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_ACCEPT);
	/* write of 0 bytes */
	CMD(F | W, 0, 0);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_ACCEPT);
	/* bidirectional: framing allows it, the task layer decides */
	CMD(F | R | W, 512, 512);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_ACCEPT);

	/* unsolicited data announced without W */
	CMD(R, 512, 0);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_REJECT);
	KUNIT_EXPECT_EQ(test, info.reason, ISCSI_REASON_PROTOCOL_ERROR);
	/* a transfer length without a direction */
	CMD(F, 512, 0);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_REJECT);
	/* immediate data on a read */
	CMD(F | R, 512, 512);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_REJECT);
	/* more immediate data than the whole transfer */
	CMD(F | W, 512, 1024);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_REJECT);
	/* everything sent, yet F clear */
	CMD(W, 512, 512);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_REJECT);
	CMD(W, 0, 0);
	KUNIT_EXPECT_EQ(test, kitt_pdu_check(bhs, &kitt_test_ffp_lim, &info), KITT_PDU_REJECT);

#undef CMD
#undef R
#undef W
#undef F
}

static void pdu_ahs_parse(struct kunit *test)
{
	struct iscsi_scsi_req req = { };
	u8 cdb[KITT_MAX_CDB_LEN];
	struct kitt_ahs ahs;
	u8 buf[64];
	int i;

	/* A 32-byte CDB: AHSLength 17, type 1, reserved, 16 bytes */
	memset(buf, 0, sizeof(buf));
	buf[1] = 17;
	buf[2] = ISCSI_AHSTYPE_CDB;
	for (i = 0; i < 16; i++)
		buf[4 + i] = 0xa0 + i;
	/* then a Bidirectional Read Length: AHSLength 5, type 2 */
	buf[21] = 5;
	buf[22] = ISCSI_AHSTYPE_RLENGTH;
	buf[24] = 0x00;
	buf[25] = 0x01;
	buf[26] = 0x02;
	buf[27] = 0x00;
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf, 28, &ahs), 0);
	KUNIT_EXPECT_PTR_EQ(test, ahs.ext_cdb, (const u8 *)&buf[4]);
	KUNIT_EXPECT_EQ(test, ahs.ext_cdb_len, 16U);
	KUNIT_EXPECT_TRUE(test, ahs.has_bidi);
	KUNIT_EXPECT_EQ(test, ahs.bidi_read_len, 0x10200U);

	for (i = 0; i < 16; i++)
		req.cdb[i] = i;
	KUNIT_EXPECT_EQ(test, kitt_pdu_get_cdb(&req, &ahs, cdb, sizeof(cdb)), 32);
	for (i = 0; i < 16; i++) {
		KUNIT_EXPECT_EQ(test, cdb[i], i);
		KUNIT_EXPECT_EQ(test, cdb[16 + i], 0xa0 + i);
	}
	KUNIT_EXPECT_EQ(test, kitt_pdu_get_cdb(&req, &ahs, cdb, 31), -ENOSPC);
	KUNIT_EXPECT_EQ(test, kitt_pdu_get_cdb(&req, NULL, cdb, 16), 16);

	/* Only the bidi AHS */
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf + 20, 8, &ahs), 0);
	KUNIT_EXPECT_NULL(test, ahs.ext_cdb);
	KUNIT_EXPECT_TRUE(test, ahs.has_bidi);

	/* Nothing at all */
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf, 0, &ahs), 0);
	KUNIT_EXPECT_FALSE(test, ahs.has_bidi);

	/* The first AHS claims more than there is */
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf, 16, &ahs), -EINVAL);
	KUNIT_EXPECT_NULL(test, ahs.ext_cdb);
	buf[0] = 0xff;
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf, 28, &ahs), -EINVAL);
	buf[0] = 0;

	/* Not a multiple of 4, or longer than TotalAHSLength can say */
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf, 27, &ahs), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf, KITT_MAX_AHS_LEN + 4, &ahs), -EINVAL);

	/* A bidi AHS of the wrong length */
	buf[21] = 4;
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf, 28, &ahs), -EINVAL);
	KUNIT_EXPECT_FALSE(test, ahs.has_bidi);
	KUNIT_EXPECT_NULL(test, ahs.ext_cdb);
	buf[21] = 5;

	/* The same type twice */
	memcpy(buf + 28, buf + 20, 8);
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf, 36, &ahs), -EINVAL);

	/* Reserved (0) and unknown types */
	memset(buf + 28, 0, 8);
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf, 32, &ahs), -EOPNOTSUPP);
	buf[30] = 3;
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf, 32, &ahs), -EOPNOTSUPP);

	/* Extended CDB adding nothing, and one beyond 260 bytes */
	memset(buf, 0, sizeof(buf));
	buf[1] = 1;
	buf[2] = ISCSI_AHSTYPE_CDB;
	KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(buf, 4, &ahs), -EINVAL);
	{
		u8 *big = kunit_kzalloc(test, KITT_MAX_AHS_LEN, GFP_KERNEL);
		u16 len = KITT_MAX_CDB_LEN - 15;	/* exactly 260 bytes */

		KUNIT_ASSERT_NOT_NULL(test, big);
		put_unaligned_be16(len, big);
		big[2] = ISCSI_AHSTYPE_CDB;
		KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(big, round_up(3 + len, 4), &ahs), 0);
		KUNIT_EXPECT_EQ(test, ahs.ext_cdb_len, (u32)(KITT_MAX_CDB_LEN - 16));
		KUNIT_EXPECT_EQ(test, kitt_pdu_get_cdb(&req, &ahs, cdb, sizeof(cdb)),
				KITT_MAX_CDB_LEN);
		len++;
		put_unaligned_be16(len, big);
		KUNIT_EXPECT_EQ(test, kitt_pdu_parse_ahs(big, round_up(3 + len, 4), &ahs),
				-EINVAL);
	}
}

/* RFC 3720 B.4 CRC examples, as the four digest bytes on the wire */
static void pdu_crc32c_vectors(struct kunit *test)
{
	static const u8 read_pdu[48] = {
		0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00,
		0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
		0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	};
	static const u8 zeros_crc[4] = { 0xaa, 0x36, 0x91, 0x8a };
	static const u8 ones_crc[4] = { 0x43, 0xab, 0xa8, 0x62 };
	static const u8 inc_crc[4] = { 0x4e, 0x79, 0xdd, 0x46 };
	static const u8 dec_crc[4] = { 0x5c, 0xdb, 0x3f, 0x11 };
	static const u8 read_crc[4] = { 0x56, 0x3a, 0x96, 0xd9 };
	u8 buf[32];
	__le32 d;
	int i;

	memset(buf, 0, sizeof(buf));
	d = kitt_crc32c_final(kitt_crc32c(KITT_CRC32C_SEED, buf, 32));
	KUNIT_EXPECT_EQ(test, memcmp(&d, zeros_crc, 4), 0);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(d), 0x8a9136aaU);

	memset(buf, 0xff, sizeof(buf));
	d = kitt_crc32c_final(kitt_crc32c(KITT_CRC32C_SEED, buf, 32));
	KUNIT_EXPECT_EQ(test, memcmp(&d, ones_crc, 4), 0);

	for (i = 0; i < 32; i++)
		buf[i] = i;
	d = kitt_crc32c_final(kitt_crc32c(KITT_CRC32C_SEED, buf, 32));
	KUNIT_EXPECT_EQ(test, memcmp(&d, inc_crc, 4), 0);

	for (i = 0; i < 32; i++)
		buf[i] = 31 - i;
	d = kitt_crc32c_final(kitt_crc32c(KITT_CRC32C_SEED, buf, 32));
	KUNIT_EXPECT_EQ(test, memcmp(&d, dec_crc, 4), 0);

	/* An iSCSI READ(10) command PDU: its header digest */
	d = kitt_pdu_header_digest((const struct iscsi_hdr *)read_pdu, NULL, 0);
	KUNIT_EXPECT_EQ(test, memcmp(&d, read_crc, 4), 0);

	/* The same PDU fed in pieces: BHS of 40 bytes and an "AHS" of 8 */
	d = kitt_crc32c_final(kitt_crc32c(kitt_crc32c(KITT_CRC32C_SEED, read_pdu, 40),
					  read_pdu + 40, 8));
	KUNIT_EXPECT_EQ(test, memcmp(&d, read_crc, 4), 0);
}

static void pdu_digest_padding(struct kunit *test)
{
	static const u8 data[8] = { 1, 2, 3, 4, 5 };
	static const u8 expect[4] = { 0x1c, 0x78, 0x8c, 0x67 };
	__le32 d, whole;
	u32 crc;

	/* 5 bytes of data are digested with their 3 bytes of padding */
	d = kitt_pdu_data_digest(data, 5);
	KUNIT_EXPECT_EQ(test, memcmp(&d, expect, 4), 0);
	whole = kitt_crc32c_final(kitt_crc32c(KITT_CRC32C_SEED, data, 8));
	KUNIT_EXPECT_EQ(test, le32_to_cpu(d), le32_to_cpu(whole));

	/* incrementally: 2 + 3 bytes, then the padding */
	crc = kitt_crc32c(KITT_CRC32C_SEED, data, 2);
	crc = kitt_crc32c(crc, data + 2, 3);
	crc = kitt_crc32c_pad(crc, 5);
	KUNIT_EXPECT_EQ(test, le32_to_cpu(kitt_crc32c_final(crc)), le32_to_cpu(d));

	/* a multiple of 4 has no padding */
	crc = kitt_crc32c(KITT_CRC32C_SEED, data, 8);
	KUNIT_EXPECT_EQ(test, kitt_crc32c_pad(crc, 8), crc);
}

static void pdu_digest_pages(struct kunit *test)
{
	struct page *pages = alloc_pages(GFP_KERNEL, 1);
	u8 *p;
	u32 a, b;
	size_t i;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	p = page_address(pages);
	for (i = 0; i < 2 * PAGE_SIZE; i++)
		p[i] = i * 7 + (i >> 8);

	/* across the page boundary */
	a = kitt_crc32c_page(KITT_CRC32C_SEED, pages, PAGE_SIZE - 10, 30);
	b = kitt_crc32c(KITT_CRC32C_SEED, p + PAGE_SIZE - 10, 30);
	KUNIT_EXPECT_EQ(test, a, b);

	/* an offset beyond the first page */
	a = kitt_crc32c_page(KITT_CRC32C_SEED, pages, PAGE_SIZE + 100, 200);
	b = kitt_crc32c(KITT_CRC32C_SEED, p + PAGE_SIZE + 100, 200);
	KUNIT_EXPECT_EQ(test, a, b);

	/* both pages whole, continuing a running CRC */
	a = kitt_crc32c(KITT_CRC32C_SEED, "xyz", 3);
	a = kitt_crc32c_page(a, pages, 0, 2 * PAGE_SIZE);
	b = kitt_crc32c(kitt_crc32c(KITT_CRC32C_SEED, "xyz", 3), p, 2 * PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, a, b);

	/* nothing */
	KUNIT_EXPECT_EQ(test, kitt_crc32c_page(123, pages, 5, 0), 123U);

	__free_pages(pages, 1);
}

/* A BHS with the given TotalAHSLength (words) and DataSegmentLength. */
static void kitt_test_scan_bhs(u8 *bhs, u8 ahs_words, u32 dsl)
{
	memset(bhs, 0, ISCSI_HDR_LEN);
	bhs[0] = ISCSI_OP_SCSI_CMD;
	bhs[4] = ahs_words;
	bhs[5] = dsl >> 16;
	bhs[6] = dsl >> 8;
	bhs[7] = dsl;
}

/* Data-In PDUs per read, as kitt_task_send_data_in() splits them. */
static void pdu_data_in_count(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(0, 8192, 262144), 0U);
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(1, 8192, 262144), 1U);
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(4096, 262144, 262144), 1U);
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(8192, 8192, 262144), 1U);
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(8193, 8192, 262144), 2U);
	/* A burst boundary ends a PDU too: 1000-byte bursts of 512 + 488. */
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(3000, 512, 1000), 6U);
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(3001, 512, 1000), 7U);
	/* The smallest values a peer may negotiate: 1 MiB in 2048 PDUs. */
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(SZ_1M, 512, 512), 2048U);
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(SZ_1M, 262144, 512), 2048U);
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(SZ_1M, 512, 262144), 2048U);
	/* The largest: one PDU of 16 MiB - 1, split by nothing. */
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(SZ_16M - 1, SZ_16M - 1, SZ_16M - 1), 1U);
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(SZ_16M, SZ_16M - 1, SZ_16M - 1), 2U);
	/* Zero: no limit, rather than a division by zero. */
	KUNIT_EXPECT_EQ(test, kitt_pdu_data_in_count(4096, 0, 0), 1U);
}

static void pdu_rx_scan(struct kunit *test)
{
	struct kitt_rx_scan s = { .direct = 4096 };
	u8 bhs[ISCSI_HDR_LEN];
	u32 i;

	/* At the start: a BHS; fed a byte at a time it still finds the length. */
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 48U);
	kitt_test_scan_bhs(bhs, 0, 510);
	for (i = 0; i < ISCSI_HDR_LEN; i++) {
		kitt_rx_scan_feed(&s, bhs + i, 1);
		if (i + 1 < ISCSI_HDR_LEN)
			KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), ISCSI_HDR_LEN - i - 1);
	}
	/* A small segment: 510 bytes and 2 of padding may go into the stash. */
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 512U);
	kitt_rx_scan_feed(&s, NULL, 500);
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 12U);
	kitt_rx_scan_feed(&s, NULL, 12);
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 48U);

	/* With digests and an AHS: the header's rest, then not the big data. */
	s.header_digest = true;
	s.data_digest = true;
	kitt_test_scan_bhs(bhs, 2, 8192);
	kitt_rx_scan_feed(&s, bhs, ISCSI_HDR_LEN);
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 8U + 4U);
	kitt_rx_scan_feed(&s, NULL, 12);
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 0U);
	KUNIT_EXPECT_EQ(test, s.data_left, 8192U + 4U);
	/* Read around the stash: then the next BHS. */
	kitt_rx_scan_feed(&s, NULL, 8192);
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 0U);
	kitt_rx_scan_feed(&s, NULL, 4);
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 48U);

	/* No data segment: header digest only, then the next BHS. */
	kitt_test_scan_bhs(bhs, 0, 0);
	kitt_rx_scan_feed(&s, bhs, ISCSI_HDR_LEN);
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 4U);
	kitt_rx_scan_feed(&s, NULL, 4);
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 48U);

	/* Several PDUs in one feed: the scanner ends inside the third BHS. */
	s.header_digest = false;
	s.data_digest = false;
	{
		u8 buf[3 * ISCSI_HDR_LEN + 4];

		kitt_test_scan_bhs(buf, 0, 0);
		kitt_test_scan_bhs(buf + ISCSI_HDR_LEN, 0, 3);
		memset(buf + 2 * ISCSI_HDR_LEN, 0, 4);
		kitt_test_scan_bhs(buf + 2 * ISCSI_HDR_LEN + 4, 0, 100000);
		kitt_rx_scan_feed(&s, buf, sizeof(buf) - 40);
		KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 40U);
		kitt_rx_scan_feed(&s, buf + sizeof(buf) - 40, 40);
		KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 0U);
		KUNIT_EXPECT_TRUE(test, s.big);
	}

	/* Set right after a parsed header: exactly its data, then a BHS. */
	kitt_rx_scan_data(&s, 5);
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 8U);
	kitt_rx_scan_data(&s, 0);
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 48U);
	kitt_rx_scan_data(&s, 4096);
	KUNIT_EXPECT_EQ(test, kitt_rx_scan_room(&s), 0U);

	/* The largest DataSegmentLength does not overflow. */
	s.data_digest = true;
	kitt_rx_scan_data(&s, KITT_MAX_DSL);
	KUNIT_EXPECT_EQ(test, s.data_left, KITT_MAX_DSL + 1 + 4);
}

static void pdu_builders(struct kunit *test)
{
	struct iscsi_reject rej;
	struct iscsi_hdr bhs;
	const u8 *p = (const u8 *)&bhs;
	unsigned int i;

	memset(&bhs, 0x5a, sizeof(bhs));
	kitt_pdu_init_rsp(&bhs, ISCSI_OP_NOOP_IN, ISCSI_FLAG_CMD_FINAL,
			  (__force itt_t)cpu_to_be32(0x1234));
	KUNIT_EXPECT_EQ(test, bhs.opcode, ISCSI_OP_NOOP_IN);
	KUNIT_EXPECT_EQ(test, bhs.flags, ISCSI_FLAG_CMD_FINAL);
	KUNIT_EXPECT_EQ(test, kitt_itt(bhs.itt), 0x1234U);
	KUNIT_EXPECT_EQ(test, ntoh24(bhs.dlength), 0U);
	/* everything after the ITT */
	for (i = 20; i < ISCSI_HDR_LEN; i++)
		KUNIT_EXPECT_EQ(test, p[i], 0);

	memset(&rej, 0x5a, sizeof(rej));
	kitt_pdu_init_reject(&rej, ISCSI_REASON_PROTOCOL_ERROR);
	KUNIT_EXPECT_EQ(test, rej.opcode, ISCSI_OP_REJECT);
	KUNIT_EXPECT_EQ(test, rej.flags, ISCSI_FLAG_CMD_FINAL);
	KUNIT_EXPECT_EQ(test, rej.reason, ISCSI_REASON_PROTOCOL_ERROR);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(rej.ffffffff), 0xffffffffU);
	KUNIT_EXPECT_EQ(test, ntoh24(rej.dlength), (u32)ISCSI_HDR_LEN);
	KUNIT_EXPECT_EQ(test, rej.hlength, 0);
	KUNIT_EXPECT_EQ(test, be32_to_cpu(rej.statsn), 0U);
}

static struct kunit_case kitt_pdu_test_cases[] = {
	KUNIT_CASE(pdu_login_phase),
	KUNIT_CASE(pdu_ffp_opcodes),
	KUNIT_CASE(pdu_discovery),
	KUNIT_CASE(pdu_oversize),
	KUNIT_CASE(pdu_lengths),
	KUNIT_CASE(pdu_segments_per_opcode),
	KUNIT_CASE(pdu_flags_and_tags),
	KUNIT_CASE(pdu_immediate_bit),
	KUNIT_CASE(pdu_scsi_cmd_rules),
	KUNIT_CASE(pdu_ahs_parse),
	KUNIT_CASE(pdu_crc32c_vectors),
	KUNIT_CASE(pdu_digest_padding),
	KUNIT_CASE(pdu_digest_pages),
	KUNIT_CASE(pdu_rx_scan),
	KUNIT_CASE(pdu_data_in_count),
	KUNIT_CASE(pdu_builders),
	{}
};

static struct kunit_suite kitt_pdu_test_suite = {
	.name = "kitt_pdu",
	.test_cases = kitt_pdu_test_cases,
};

kunit_test_suite(kitt_pdu_test_suite);
