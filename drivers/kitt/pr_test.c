// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for pr.c: persistent reservations (registration, the six
 * reservation types and who may do what under them, RELEASE, CLEAR,
 * PREEMPT, PERSISTENT RESERVE IN data) and RESERVE/RELEASE of SPC-2.
 */

#include <kunit/test.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include "kitt.h"
#include "kitt_compat.h"

#define PRO_REGISTER	0x00
#define PRO_RESERVE	0x01
#define PRO_RELEASE	0x02
#define PRO_CLEAR	0x03
#define PRO_PREEMPT	0x04
#define PRO_IGNORE	0x06

static const u8 isid_a[6] = { 0x80, 0, 0, 0, 0, 1 };
static const u8 isid_b[6] = { 0x80, 0, 0, 0, 0, 2 };

struct kitt_prt {
	struct kunit *test;
	struct kitt_device *dev;
	struct kitt_pr_nexus a, b, c;
	struct kitt_scsi_cmd cmd;
	u8 cdb[16];
	u8 *buf;
	struct list_head uas;
};

static struct kitt_prt *kitt_prt_new(struct kunit *test)
{
	struct kitt_prt *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	t->test = test;
	INIT_LIST_HEAD(&t->uas);
	t->dev = kunit_kzalloc(test, sizeof(*t->dev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->dev);
	strscpy(t->dev->name, "prdev", sizeof(t->dev->name));
	t->dev->naa_id = 0x6001405123456789ULL;
	t->buf = kunit_kzalloc(test, KITT_SCSI_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->buf);
	t->a = (struct kitt_pr_nexus){ "iqn.2024-01.org.kitt:a", isid_a, "iqn.t", 1 };
	t->b = (struct kitt_pr_nexus){ "iqn.2024-01.org.kitt:b", isid_b, "iqn.t", 1 };
	/* Same initiator as a, another session: another I_T nexus */
	t->c = (struct kitt_pr_nexus){ "iqn.2024-01.org.kitt:a", isid_b, "iqn.t", 1 };
	return t;
}

static void kitt_prt_done(struct kitt_prt *t)
{
	kitt_pr_ua_free(&t->uas);
	kitt_pr_device_gone(t->dev);
}

/* PERSISTENT RESERVE OUT with the flags of byte 20; returns the SAM status. */
static u8 kitt_prt_out_flags(struct kitt_prt *t, const struct kitt_pr_nexus *n, u8 sa,
			     u8 type, u64 rk, u64 sark, u8 flags)
{
	u8 param[24] = {};

	memset(&t->cmd, 0, sizeof(t->cmd));
	memset(t->cdb, 0, sizeof(t->cdb));
	t->cdb[0] = PERSISTENT_RESERVE_OUT;
	t->cdb[1] = sa;
	t->cdb[2] = type;
	t->cdb[8] = 24;
	t->cmd.cdb = t->cdb;
	t->cmd.cdb_len = 10;
	put_unaligned_be64(rk, &param[0]);
	put_unaligned_be64(sark, &param[8]);
	param[20] = flags;
	kitt_pr_ua_free(&t->uas);
	kitt_pr_out(t->dev, n, &t->cmd, param, sizeof(param), &t->uas);
	return t->cmd.status;
}

/* PERSISTENT RESERVE OUT with a whole parameter list; returns the SAM status. */
static u8 kitt_prt_out_list(struct kitt_prt *t, const struct kitt_pr_nexus *n, u8 sa,
			    u8 type, const u8 *param, u32 len)
{
	memset(&t->cmd, 0, sizeof(t->cmd));
	memset(t->cdb, 0, sizeof(t->cdb));
	t->cdb[0] = PERSISTENT_RESERVE_OUT;
	t->cdb[1] = sa;
	t->cdb[2] = type;
	put_unaligned_be32(len, &t->cdb[5]);
	t->cmd.cdb = t->cdb;
	t->cmd.cdb_len = 10;
	kitt_pr_ua_free(&t->uas);
	kitt_pr_out(t->dev, n, &t->cmd, param, len, &t->uas);
	return t->cmd.status;
}

/* An iSCSI TransportID at @p: "name,i,0x<isid>", or the name alone. */
static u32 kitt_prt_tid(u8 *p, const char *name, const u8 *isid)
{
	char id[256];
	u32 len;

	if (isid)
		len = scnprintf(id, sizeof(id), "%s,i,0x%6phN", name, isid) + 1;
	else
		len = strscpy(id, name, sizeof(id)) + 1;
	len = ALIGN(len, 4);
	memset(p, 0, 4 + len);
	p[0] = (isid ? 0x40 : 0) | 0x05;
	put_unaligned_be16(len, &p[2]);
	memcpy(&p[4], id, strlen(id));
	return 4 + len;
}

static u8 kitt_prt_out(struct kitt_prt *t, const struct kitt_pr_nexus *n, u8 sa,
		       u8 type, u64 rk, u64 sark)
{
	return kitt_prt_out_flags(t, n, sa, type, rk, sark, 0);
}

/* PERSISTENT RESERVE IN into t->buf; returns the bytes to send. */
static u32 kitt_prt_in(struct kitt_prt *t, u8 sa)
{
	memset(&t->cmd, 0, sizeof(t->cmd));
	memset(t->cdb, 0, sizeof(t->cdb));
	memset(t->buf, 0xaa, KITT_SCSI_BUF_SIZE);
	t->cdb[0] = PERSISTENT_RESERVE_IN;
	t->cdb[1] = sa;
	t->cdb[7] = 0x10;		/* allocation length 4096 */
	t->cmd.cdb = t->cdb;
	t->cmd.cdb_len = 10;
	t->cmd.edtl = 4096;
	t->cmd.pdu_read = true;
	t->cmd.buf = t->buf;
	t->cmd.buf_size = KITT_SCSI_BUF_SIZE;
	kitt_pr_in(t->dev, &t->cmd);
	KUNIT_EXPECT_EQ(t->test, t->cmd.status, SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(t->test, t->cmd.action, KITT_SCSI_ACT_EMULATE_IN);
	return t->cmd.data_len;
}

static bool kitt_prt_may(struct kitt_prt *t, const struct kitt_pr_nexus *n, u8 opcode)
{
	u8 cdb[16] = { opcode };

	return kitt_pr_check(t->dev, n, cdb);
}

static void pr_register(struct kunit *test)
{
	struct kitt_prt *t = kitt_prt_new(test);

	/* Nothing registered: READ KEYS is empty, generation 0 */
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&t->buf[0]), 0U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&t->buf[4]), 0U);

	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_REGISTER, 0, 0, 0x1111), SAM_STAT_GOOD);
	/* Unregistered with a non-zero key: conflict */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_REGISTER, 0, 0x1111, 0x2222),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_IGNORE, 0, 0x9999, 0x2222),
			SAM_STAT_GOOD);
	/* Registered with the wrong key: conflict; the right one: new key */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_REGISTER, 0, 0x2222, 0x3333),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_REGISTER, 0, 0x1111, 0x3333),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 24U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&t->buf[0]), 3U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&t->buf[4]), 16U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&t->buf[8]), 0x3333ULL);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&t->buf[16]), 0x2222ULL);
	/* Unregister: key 0 */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_REGISTER, 0, 0x2222, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 16U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&t->buf[0]), 4U);
	/* Registrations alone restrict nothing */
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->b, WRITE_10));
	kitt_prt_done(t);
}

/* Who may read and write under each type (SPC-4 5.13.1). */
static void pr_access(struct kunit *test)
{
	static const struct {
		u8 type;
		bool reg_read, reg_write, unreg_read, unreg_write;
	} c[] = {
		{ 0x01, true, false, true, false },	/* Write Exclusive */
		{ 0x03, false, false, false, false },	/* Exclusive Access */
		{ 0x05, true, true, true, false },	/* WE, registrants only */
		{ 0x06, true, true, false, false },	/* EA, registrants only */
		{ 0x07, true, true, true, false },	/* WE, all registrants */
		{ 0x08, true, true, false, false },	/* EA, all registrants */
	};
	struct kitt_prt *t = kitt_prt_new(test);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(c); i++) {
		kitt_prt_out(t, &t->a, PRO_IGNORE, 0, 0, 0xa);
		kitt_prt_out(t, &t->b, PRO_IGNORE, 0, 0, 0xb);
		KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_RESERVE, c[i].type, 0xa, 0),
				SAM_STAT_GOOD);
		KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->a, READ_10));
		KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->a, WRITE_10));
		KUNIT_EXPECT_EQ_MSG(test, kitt_prt_may(t, &t->b, READ_16), c[i].reg_read,
				    "type %u", c[i].type);
		KUNIT_EXPECT_EQ_MSG(test, kitt_prt_may(t, &t->b, WRITE_16), c[i].reg_write,
				    "type %u", c[i].type);
		/* c is the same initiator as a, but another nexus */
		KUNIT_EXPECT_EQ_MSG(test, kitt_prt_may(t, &t->c, READ_16), c[i].unreg_read,
				    "type %u", c[i].type);
		KUNIT_EXPECT_EQ_MSG(test, kitt_prt_may(t, &t->c, WRITE_16), c[i].unreg_write,
				    "type %u", c[i].type);
		/* Always allowed */
		KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->c, INQUIRY));
		KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->c, PERSISTENT_RESERVE_IN));
		KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->c, REPORT_LUNS));

		/* READ RESERVATION: the key, 0 for all-registrants types */
		KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 1), 24U);
		KUNIT_EXPECT_EQ(test, get_unaligned_be64(&t->buf[8]), c[i].type >= 7 ? 0 : 0xaULL);
		KUNIT_EXPECT_EQ(test, t->buf[21], c[i].type);

		/* Another type from the holder conflicts; RELEASE of it is wrong */
		KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_RESERVE, c[i].type == 1 ? 3 : 1,
						   0xa, 0), SAM_STAT_RESERVATION_CONFLICT);
		KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_RELEASE, c[i].type == 1 ? 3 : 1,
						   0xa, 0), SAM_STAT_CHECK_CONDITION);
		KUNIT_EXPECT_EQ(test, t->cmd.sense[12], 0x26);
		KUNIT_EXPECT_EQ(test, t->cmd.sense[13], 0x04);
		KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_RELEASE, c[i].type, 0xa, 0),
				SAM_STAT_GOOD);
		KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->c, WRITE_16));
		KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 1), 8U);
		kitt_prt_out(t, &t->a, PRO_REGISTER, 0, 0xa, 0);
		kitt_prt_out(t, &t->b, PRO_REGISTER, 0, 0xb, 0);
	}
	/* Bad type, bad scope, unregistered RESERVE */
	kitt_prt_out(t, &t->a, PRO_IGNORE, 0, 0, 0xa);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_RESERVE, 0x02, 0xa, 0),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_RESERVE, 0x11, 0xa, 0),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_RESERVE, 0x01, 0xa, 0),
			SAM_STAT_RESERVATION_CONFLICT);
	kitt_prt_done(t);
}

static void pr_preempt_clear(struct kunit *test)
{
	struct kitt_prt *t = kitt_prt_new(test);

	kitt_prt_out(t, &t->a, PRO_IGNORE, 0, 0, 0xa);
	kitt_prt_out(t, &t->b, PRO_IGNORE, 0, 0, 0xb);
	kitt_prt_out(t, &t->c, PRO_IGNORE, 0, 0, 0xc);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_RESERVE, 0x03, 0xa, 0), SAM_STAT_GOOD);
	/* b preempts the holder: a loses its registration, b holds */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_PREEMPT, 0x01, 0xb, 0xa), SAM_STAT_GOOD);
	KUNIT_EXPECT_FALSE(test, kitt_prt_may(t, &t->a, WRITE_10));
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->a, READ_10));
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 1), 24U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&t->buf[8]), 0xbULL);
	KUNIT_EXPECT_EQ(test, t->buf[21], 0x01);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 24U);
	/* A key nobody has: conflict; key 0 outside all-registrants: bad */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_PREEMPT, 0x01, 0xb, 0x77),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_PREEMPT, 0x01, 0xb, 0),
			SAM_STAT_CHECK_CONDITION);
	/* b removes c without touching the reservation */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_PREEMPT, 0x01, 0xb, 0xc), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 16U);
	/* READ FULL STATUS: b holds, with its iSCSI TransportID */
	KUNIT_EXPECT_GT(test, kitt_prt_in(t, 3), 32U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&t->buf[8]), 0xbULL);
	KUNIT_EXPECT_EQ(test, t->buf[8 + 12], 0x01);
	KUNIT_EXPECT_EQ(test, t->buf[8 + 24], 0x45);
	KUNIT_EXPECT_STREQ(test, (char *)&t->buf[8 + 28],
			   "iqn.2024-01.org.kitt:b,i,0x800000000002");
	/* CLEAR by a registrant ends everything */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_CLEAR, 0, 0xa, 0),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_CLEAR, 0, 0xb, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 1), 8U);
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->a, WRITE_10));
	kitt_prt_done(t);
}

static void pr_capabilities(struct kunit *test)
{
	struct kitt_prt *t = kitt_prt_new(test);

	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 2), 8U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&t->buf[0]), 8);
	KUNIT_EXPECT_EQ(test, t->buf[2], 0x0d);		/* SIP_C, ATP_C, PTPL_C */
	KUNIT_EXPECT_EQ(test, t->buf[3] & 0x80, 0x80);
	KUNIT_EXPECT_EQ(test, t->buf[4], 0xea);
	KUNIT_EXPECT_EQ(test, t->buf[5], 0x01);
	kitt_prt_done(t);
}

/* ALL_TG_PT: one registration for the initiator port through every port. */
static void pr_all_tg_pt(struct kunit *test)
{
	struct kitt_prt *t = kitt_prt_new(test);
	struct kitt_pr_nexus a2 = t->a, b2 = t->b;
	struct kitt_pr_ua *ua;
	const u8 *d;

	a2.tpgt = 2;
	b2.tpgt = 2;
	KUNIT_EXPECT_EQ(test, kitt_prt_out_flags(t, &t->a, PRO_REGISTER, 0, 0, 0xa, 0x04),
			SAM_STAT_GOOD);
	/* Registered through port 2 as well: it may reserve there */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &a2, PRO_RESERVE, 1, 0xa, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->a, WRITE_10));
	KUNIT_EXPECT_FALSE(test, kitt_prt_may(t, &t->b, WRITE_10));
	/* Another ISID of the same initiator is another port: not registered */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->c, PRO_RESERVE, 1, 0xa, 0),
			SAM_STAT_RESERVATION_CONFLICT);
	/* One key, one descriptor: ALL_TG_PT, R_HOLDER, no relative port */
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 16U);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 3) > 8, true);
	d = &t->buf[8];
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&d[0]), 0xaULL);
	KUNIT_EXPECT_EQ(test, d[12], 0x03);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&d[18]), 0);

	/* A port registered through one target port cannot add ALL_TG_PT */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_REGISTER, 0, 0, 0xb), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out_flags(t, &b2, PRO_REGISTER, 0, 0, 0xc, 0x04),
			SAM_STAT_RESERVATION_CONFLICT);
	/* The flag is ignored by the other service actions */
	KUNIT_EXPECT_EQ(test, kitt_prt_out_flags(t, &t->b, PRO_PREEMPT, 1, 0xb, 0xa, 0x04),
			SAM_STAT_GOOD);
	/* a is told through every port: its unit attention names no port */
	KUNIT_ASSERT_FALSE(test, list_empty(&t->uas));
	ua = list_first_entry(&t->uas, struct kitt_pr_ua, node);
	KUNIT_EXPECT_EQ(test, ua->cond, KITT_UA_REG_PREEMPTED);
	KUNIT_EXPECT_TRUE(test, ua->all_tg_pt);
	KUNIT_EXPECT_FALSE(test, kitt_prt_may(t, &a2, WRITE_10));
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 16U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&t->buf[8]), 0xbULL);
	kitt_prt_done(t);
}

/* APTPL: the text kept on disk, read back; refused when it cannot be kept. */
static void pr_aptpl(struct kunit *test)
{
	struct kitt_prt *t = kitt_prt_new(test), *t2 = kitt_prt_new(test);
	struct kitt_pr_nexus a2 = t->a, stranger = t->b;
	char *text, *copy, *full;
	u32 len, len2;
	int n;

	text = kunit_kzalloc(test, 64 * 1024, GFP_KERNEL);
	copy = kunit_kzalloc(test, 64 * 1024, GFP_KERNEL);
	full = kunit_kzalloc(test, KITT_SCSI_BUF_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_TRUE(test, text && copy && full);
	a2.tpgt = 2;
	stranger.isid = isid_a;

	/* No directory to keep it in (UML has no /var/lib/kitt): refused */
	KUNIT_EXPECT_EQ(test, kitt_prt_out_flags(t, &t->a, PRO_REGISTER, 0, 0, 0xa, 0x01),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, t->cmd.sense[2], ILLEGAL_REQUEST);
	KUNIT_EXPECT_EQ(test, t->cmd.sense[12], 0x55);
	KUNIT_EXPECT_EQ(test, t->cmd.sense[13], 0x04);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 2), 8U);
	KUNIT_EXPECT_EQ(test, t->buf[2], 0x0d);		/* SIP_C, ATP_C, PTPL_C */
	KUNIT_EXPECT_EQ(test, t->buf[3] & 0x01, 0);	/* not PTPL_A */

	/* A state: three registrations, one through every port, a reservation */
	KUNIT_EXPECT_EQ(test, kitt_prt_out_flags(t, &t->a, PRO_REGISTER, 0, 0, 0xa, 0x04),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_REGISTER, 0, 0, 0xb), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->c, PRO_REGISTER, 0, 0, 0xc), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_RESERVE, 5, 0xb, 0), SAM_STAT_GOOD);
	len = kitt_prt_in(t, 3);
	memcpy(full, t->buf, len);
	n = kitt_pr_save_text(t->dev, text, 64 * 1024);
	KUNIT_ASSERT_GT(test, n, 0);
	KUNIT_EXPECT_NOT_NULL(test, strstr(text, "\nend\n"));
	KUNIT_EXPECT_EQ(test, kitt_pr_save_text(t->dev, copy, 64), -ENOSPC);

	/* Read back into another device: the same state, byte for byte */
	strscpy(copy, text, 64 * 1024);
	KUNIT_EXPECT_EQ(test, kitt_pr_load_text(t2->dev, copy), 0);
	len2 = kitt_prt_in(t2, 3);
	KUNIT_EXPECT_EQ(test, len2, len);
	KUNIT_EXPECT_EQ(test, memcmp(t2->buf, full, len), 0);
	/* Write exclusive, registrants only: a (through any port) may write */
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t2, &a2, WRITE_10));
	KUNIT_EXPECT_FALSE(test, kitt_prt_may(t2, &stranger, WRITE_10));
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t2, &stranger, READ_10));
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t2, &a2, PRO_REGISTER, 0, 0xa, 0xaa), SAM_STAT_GOOD);
	/* A device with a state of its own keeps it */
	strscpy(copy, text, 64 * 1024);
	KUNIT_EXPECT_EQ(test, kitt_pr_load_text(t2->dev, copy), -EBUSY);
	kitt_prt_done(t2);

	/* Texts that are not whole, or not kitt's, change nothing */
	t2 = kitt_prt_new(test);
	strscpy(copy, text, 64 * 1024);
	*strstr(copy, "end\n") = 0;
	KUNIT_EXPECT_EQ(test, kitt_pr_load_text(t2->dev, copy), -EINVAL);
	strscpy(copy, "kitt-pr 1\nreservation 5 0\nend\n", 64 * 1024);
	KUNIT_EXPECT_EQ(test, kitt_pr_load_text(t2->dev, copy), -EINVAL);
	strscpy(copy, "kitt-pr 1\nreg 0 1 0 800000000001 iqn.a iqn.t\nend\n", 64 * 1024);
	KUNIT_EXPECT_EQ(test, kitt_pr_load_text(t2->dev, copy), -EINVAL);
	strscpy(copy, "kitt-pr 1\nreg 5 1 0 8000000001 iqn.a iqn.t\nend\n", 64 * 1024);
	KUNIT_EXPECT_EQ(test, kitt_pr_load_text(t2->dev, copy), -EINVAL);
	strscpy(copy, "kitt-pr 2\nend\n", 64 * 1024);
	KUNIT_EXPECT_EQ(test, kitt_pr_load_text(t2->dev, copy), -EINVAL);
	strscpy(copy, "kitt-pr 1\nbogus 1\nend\n", 64 * 1024);
	KUNIT_EXPECT_EQ(test, kitt_pr_load_text(t2->dev, copy), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t2, 0), 8U);
	kitt_prt_done(t2);
	kitt_prt_done(t);
}

/* SPEC_I_PT: one REGISTER registers the sender and the ports it lists. */
static void pr_spec_i_pt(struct kunit *test)
{
	struct kitt_prt *t = kitt_prt_new(test);
	struct kitt_pr_nexus d1 = t->b, d2 = t->b;
	static const u8 isid_d[6] = { 0x80, 0, 0, 0, 0, 9 };
	u8 *param = kunit_kzalloc(test, 1024, GFP_KERNEL);
	u32 len = 28;
	const u8 *d;

	KUNIT_ASSERT_NOT_NULL(test, param);
	/* d: "iqn.2024-01.org.kitt:d", registered by name for any ISID */
	d1.initiator = "iqn.2024-01.org.kitt:d";
	d1.isid = isid_a;
	d2.initiator = "iqn.2024-01.org.kitt:d";
	d2.isid = isid_d;
	put_unaligned_be64(0x5, &param[8]);
	param[20] = 0x08;
	len += kitt_prt_tid(&param[len], t->b.initiator, isid_b);
	len += kitt_prt_tid(&param[len], "iqn.2024-01.org.kitt:d", NULL);
	put_unaligned_be32(len - 28, &param[24]);

	/* A list cut short, another protocol, a TransportID without its NUL */
	put_unaligned_be32(len - 27, &param[24]);
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, PRO_REGISTER, 0, param, len),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, t->cmd.sense[12], KITT_ASC_PARAM_LIST_LEN_ERROR);
	put_unaligned_be32(len - 28, &param[24]);
	param[28] = 0x41;
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, PRO_REGISTER, 0, param, len),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, t->cmd.sense[12], KITT_ASC_INVALID_FIELD_IN_PARAM);
	KUNIT_EXPECT_EQ(test, get_unaligned_be16(&t->cmd.sense[16]), 28);
	param[28] = 0x45;
	/* Not with REGISTER AND IGNORE EXISTING KEY */
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, PRO_IGNORE, 0, param, len),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U);		/* nothing registered */

	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, PRO_REGISTER, 0, param, len),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U + 3 * 8);
	/* Each holds the key: b, and d through any ISID */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &d2, PRO_RESERVE, 1, 0x5, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &d1, WRITE_10));
	KUNIT_EXPECT_FALSE(test, kitt_prt_may(t, &t->b, WRITE_10));
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &d1, PRO_RELEASE, 1, 0x5, 0), SAM_STAT_GOOD);
	/* READ FULL STATUS: d's TransportID, the third, is the name alone (00b) */
	kitt_prt_in(t, 3);
	d = &t->buf[8];
	d += 24 + get_unaligned_be32(&d[20]);
	d += 24 + get_unaligned_be32(&d[20]);
	KUNIT_EXPECT_EQ(test, d[24], 0x05);
	KUNIT_EXPECT_EQ(test, strcmp((const char *)&d[28], "iqn.2024-01.org.kitt:d"), 0);
	/* The sender may not list ports again, nor ports already registered */
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, PRO_REGISTER, 0, param, len),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->c, PRO_REGISTER, 0, param, len),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, t->cmd.sense[12], KITT_ASC_INVALID_FIELD_IN_PARAM);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U + 3 * 8);
	kitt_prt_done(t);
}

/* iSCSI names compare without case: the holder is the holder however spelt. */
static void pr_name_case(struct kunit *test)
{
	struct kitt_prt *t = kitt_prt_new(test);
	struct kitt_pr_nexus a_upper = t->a;

	a_upper.initiator = "IQN.2024-01.ORG.KITT:A";
	a_upper.target = "IQN.T";
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_REGISTER, 0, 0, 0xa), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_RESERVE, 1, 0xa, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &a_upper, WRITE_10));
	KUNIT_EXPECT_FALSE(test, kitt_prt_may(t, &t->b, WRITE_10));
	kitt_prt_done(t);
}

/*
 * A TransportID whose name carries a line break, a blank or a byte past
 * ASCII is refused: the name would go into the APTPL file as is, where a
 * line break makes a line of its own (a forged reservation).
 */
static void pr_tid_names(struct kunit *test)
{
	static const char *const bad[] = {
		"iqn.2024-01.org.kitt:x\nreservation 3 0\nend",
		"iqn.2024-01.org.kitt:x y",
		"iqn.2024-01.org.kitt:\x7f",
		"iqn.2024-01.org.kitt:\xc3\xa9",
	};
	struct kitt_prt *t = kitt_prt_new(test);
	u8 *param = kunit_kzalloc(test, 512, GFP_KERNEL);
	unsigned int i, form;
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, param);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		for (form = 0; form < 2; form++) {
			memset(param, 0, 512);
			put_unaligned_be64(0x5, &param[8]);
			param[20] = 0x08;	/* SPEC_I_PT */
			len = 28 + kitt_prt_tid(&param[28], bad[i], form ? isid_b : NULL);
			put_unaligned_be32(len - 28, &param[24]);
			KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, PRO_REGISTER, 0, param,
								len), SAM_STAT_CHECK_CONDITION);
			KUNIT_EXPECT_EQ(test, t->cmd.sense[12], KITT_ASC_INVALID_FIELD_IN_PARAM);
		}
	}
	/* Nothing registered, and a plain name still works. */
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U);
	memset(param, 0, 512);
	put_unaligned_be64(0x5, &param[8]);
	param[20] = 0x08;
	len = 28 + kitt_prt_tid(&param[28], "iqn.2024-01.org.kitt:x", NULL);
	put_unaligned_be32(len - 28, &param[24]);
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, PRO_REGISTER, 0, param, len),
			SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U + 2 * 8);
	kitt_prt_done(t);
}

/* REGISTER AND MOVE: the holder hands the reservation to another nexus. */
static void pr_register_move(struct kunit *test)
{
	struct kitt_prt *t = kitt_prt_new(test);
	u8 *param = kunit_kzalloc(test, 512, GFP_KERNEL);
	u32 len;

	KUNIT_ASSERT_NOT_NULL(test, param);
	/* move(rk, sark, unreg, rel_port, name, isid) */
#define MOVE(rk, sark, unreg, port, name, isid) ({				\
		memset(param, 0, 512);						\
		put_unaligned_be64(rk, &param[0]);				\
		put_unaligned_be64(sark, &param[8]);				\
		param[17] = (unreg) ? 0x02 : 0;					\
		put_unaligned_be16(port, &param[18]);				\
		len = kitt_prt_tid(&param[24], name, isid);			\
		put_unaligned_be32(len, &param[20]);				\
		24 + len; })

	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_REGISTER, 0, 0, 0xa), SAM_STAT_GOOD);
	len = MOVE(0xa, 0xb, false, 1, t->b.initiator, isid_b);
	/* Only the holder moves a reservation */
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, 0x07, 0, param, len),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_RESERVE, 1, 0xa, 0), SAM_STAT_GOOD);
	/* Refused: no key, no port, a name without an ISID, itself */
	len = MOVE(0xa, 0, false, 1, t->b.initiator, isid_b);
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, 0x07, 0, param, len),
			SAM_STAT_CHECK_CONDITION);
	len = MOVE(0xa, 0xb, false, 0, t->b.initiator, isid_b);
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, 0x07, 0, param, len),
			SAM_STAT_CHECK_CONDITION);
	len = MOVE(0xa, 0xb, false, 1, t->b.initiator, NULL);
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, 0x07, 0, param, len),
			SAM_STAT_CHECK_CONDITION);
	len = MOVE(0xa, 0xb, false, 1, t->a.initiator, isid_a);
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, 0x07, 0, param, len),
			SAM_STAT_CHECK_CONDITION);
	KUNIT_EXPECT_EQ(test, t->cmd.sense[12], KITT_ASC_INVALID_FIELD_IN_PARAM);
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->a, WRITE_10));

	/* a hands it to b: b registered with 0xb and holding it; a still registered */
	len = MOVE(0xa, 0xb, false, 1, t->b.initiator, isid_b);
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, 0x07, 0, param, len), SAM_STAT_GOOD);
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->b, WRITE_10));
	KUNIT_EXPECT_FALSE(test, kitt_prt_may(t, &t->a, WRITE_10));
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 1), 8U + 16);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&t->buf[8]), 0xbULL);
	KUNIT_EXPECT_EQ(test, t->buf[8 + 13], 1);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U + 16);
	/* ... and back, dropping b's registration (UNREG) */
	len = MOVE(0xb, 0xaa, true, 1, t->a.initiator, isid_a);
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->b, 0x07, 0, param, len), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U + 8);
	KUNIT_EXPECT_EQ(test, get_unaligned_be64(&t->buf[8]), 0xaaULL);
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->a, WRITE_10));
	/* Not an all-registrants reservation */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_RELEASE, 1, 0xaa, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, PRO_RESERVE, 7, 0xaa, 0), SAM_STAT_GOOD);
	len = MOVE(0xaa, 0xb, false, 1, t->b.initiator, isid_b);
	KUNIT_EXPECT_EQ(test, kitt_prt_out_list(t, &t->a, 0x07, 0, param, len),
			SAM_STAT_RESERVATION_CONFLICT);
#undef MOVE
	kitt_prt_done(t);
}

static void pr_spc2(struct kunit *test)
{
	struct kitt_prt *t = kitt_prt_new(test);
	struct kitt_scsi_cmd cmd = {};

	kitt_pr_reserve_spc2(t->dev, &t->a, &cmd);
	KUNIT_EXPECT_EQ(test, cmd.status, SAM_STAT_GOOD);
	kitt_pr_reserve_spc2(t->dev, &t->a, &cmd);
	KUNIT_EXPECT_EQ(test, cmd.status, SAM_STAT_GOOD);
	kitt_pr_reserve_spc2(t->dev, &t->b, &cmd);
	KUNIT_EXPECT_EQ(test, cmd.status, SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->a, MODE_SENSE));
	KUNIT_EXPECT_FALSE(test, kitt_prt_may(t, &t->b, MODE_SENSE));
	KUNIT_EXPECT_FALSE(test, kitt_prt_may(t, &t->b, TEST_UNIT_READY));
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->b, INQUIRY));
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->b, RELEASE));
	/* RELEASE from another nexus changes nothing */
	memset(&cmd, 0, sizeof(cmd));
	kitt_pr_release_spc2(t->dev, &t->b, &cmd);
	KUNIT_EXPECT_EQ(test, cmd.status, SAM_STAT_GOOD);
	KUNIT_EXPECT_FALSE(test, kitt_prt_may(t, &t->b, READ_10));
	/* PR OUT from another nexus conflicts too */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, PRO_IGNORE, 0, 0, 0xb),
			SAM_STAT_RESERVATION_CONFLICT);
	/* The nexus goes: so does its reservation */
	kitt_pr_nexus_gone(&t->a);
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->b, READ_10));
	kitt_pr_reserve_spc2(t->dev, &t->b, &cmd);
	KUNIT_EXPECT_EQ(test, cmd.status, SAM_STAT_GOOD);
	/* A reset ends it as well */
	kitt_pr_reset(t->dev);
	KUNIT_EXPECT_TRUE(test, kitt_prt_may(t, &t->a, WRITE_10));
	/* Registrations refuse RESERVE(6) */
	kitt_prt_out(t, &t->a, PRO_IGNORE, 0, 0, 0xa);
	kitt_pr_reserve_spc2(t->dev, &t->b, &cmd);
	KUNIT_EXPECT_EQ(test, cmd.status, SAM_STAT_RESERVATION_CONFLICT);
	kitt_prt_done(t);
}

/* The state belongs to the device: another device starts empty. */
static void pr_device_identity(struct kunit *test)
{
	struct kitt_prt *t = kitt_prt_new(test);
	struct kitt_device *first = t->dev;

	kitt_prt_out(t, &t->a, PRO_IGNORE, 0, 0, 0xa);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 16U);
	KUNIT_EXPECT_NOT_NULL(test, first->pr);
	/* Another device (with the same name and NAA ID) has its own */
	t->dev = kunit_kzalloc(test, sizeof(*t->dev), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t->dev);
	strscpy(t->dev->name, first->name, sizeof(t->dev->name));
	t->dev->naa_id = first->naa_id;
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U);
	KUNIT_EXPECT_EQ(test, get_unaligned_be32(&t->buf[0]), 0U);
	kitt_prt_done(t);
	/* The first one still has its registration until it is freed */
	t->dev = first;
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 16U);
	kitt_prt_done(t);
	KUNIT_EXPECT_NULL(test, first->pr);
	KUNIT_EXPECT_EQ(test, kitt_prt_in(t, 0), 8U);
}

/* The unit attentions of the last PERSISTENT RESERVE OUT, as "nexus:cond ..." */
static const char *kitt_prt_uas(struct kitt_prt *t)
{
	static char out[128];
	struct kitt_pr_ua *ua;
	size_t len = 0;

	out[0] = '\0';
	list_for_each_entry(ua, &t->uas, node) {
		char who = !strcmp(ua->initiator, t->b.initiator) ? 'b' :
			   ua->isid[5] == t->a.isid[5] ? 'a' : 'c';

		len += scnprintf(out + len, sizeof(out) - len, "%s%c:%d", len ? " " : "", who,
				 ua->cond);
		KUNIT_EXPECT_STREQ(t->test, ua->target, "iqn.t");
		KUNIT_EXPECT_EQ(t->test, ua->tpgt, 1);
	}
	return out;
}

/* SPC-4 5.13.11: who is told of a preempt, a release and a clear */
static void pr_unit_attentions(struct kunit *test)
{
	struct kitt_prt *t = kitt_prt_new(test);
	char want[64];

	/* Registering and reserving owe nobody anything */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, 0, 0, 0, 0xa), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, 0, 0, 0, 0xb), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->c, 0, 0, 0, 0xc), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, 1, 1, 0xa, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_STREQ(test, kitt_prt_uas(t), "");

	/* b preempts a (same type): a loses its registration, nobody else hears */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, 4, 1, 0xb, 0xa), SAM_STAT_GOOD);
	snprintf(want, sizeof(want), "a:%d", KITT_UA_REG_PREEMPTED);
	KUNIT_EXPECT_STREQ(test, kitt_prt_uas(t), want);

	/* b preempts itself into another type: the others' reservation is released */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, 0, 0, 0, 0xa), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, 4, 5, 0xb, 0xb), SAM_STAT_GOOD);
	snprintf(want, sizeof(want), "c:%d a:%d", KITT_UA_RES_RELEASED, KITT_UA_RES_RELEASED);
	KUNIT_EXPECT_STREQ(test, kitt_prt_uas(t), want);

	/* Releasing a registrants-only reservation tells the other registrants */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, 2, 5, 0xb, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_STREQ(test, kitt_prt_uas(t), want);
	/* Releasing a Write Exclusive one tells nobody */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, 1, 1, 0xb, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, 2, 1, 0xb, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_STREQ(test, kitt_prt_uas(t), "");
	/* A release by a non-holder releases nothing and tells nobody */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, 1, 5, 0xb, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, 2, 5, 0xa, 0), SAM_STAT_GOOD);
	KUNIT_EXPECT_STREQ(test, kitt_prt_uas(t), "");

	/* CLEAR: every other registrant's reservations are preempted */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->b, 3, 0, 0xb, 0), SAM_STAT_GOOD);
	snprintf(want, sizeof(want), "c:%d a:%d", KITT_UA_RES_PREEMPTED, KITT_UA_RES_PREEMPTED);
	KUNIT_EXPECT_STREQ(test, kitt_prt_uas(t), want);

	/* A refused PREEMPT (wrong key) owes nothing */
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, 0, 0, 0, 0xa), SAM_STAT_GOOD);
	KUNIT_EXPECT_EQ(test, kitt_prt_out(t, &t->a, 4, 1, 0xbad, 0xb),
			SAM_STAT_RESERVATION_CONFLICT);
	KUNIT_EXPECT_STREQ(test, kitt_prt_uas(t), "");
	kitt_prt_done(t);
}

static struct kunit_case kitt_pr_test_cases[] = {
	KUNIT_CASE(pr_register),
	KUNIT_CASE(pr_unit_attentions),
	KUNIT_CASE(pr_access),
	KUNIT_CASE(pr_preempt_clear),
	KUNIT_CASE(pr_capabilities),
	KUNIT_CASE(pr_all_tg_pt),
	KUNIT_CASE(pr_aptpl),
	KUNIT_CASE(pr_spec_i_pt),
	KUNIT_CASE(pr_tid_names),
	KUNIT_CASE(pr_name_case),
	KUNIT_CASE(pr_register_move),
	KUNIT_CASE(pr_spc2),
	KUNIT_CASE(pr_device_identity),
	{}
};

static struct kunit_suite kitt_pr_test_suite = {
	.name = "kitt_pr",
	.test_cases = kitt_pr_test_cases,
};

kunit_test_suite(kitt_pr_test_suite);
