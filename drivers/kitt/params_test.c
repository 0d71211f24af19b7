// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for params.c: the key table, every negotiation rule (list,
 * AND, OR, min, max, declarative, Irrelevant, Reject), stages, duplicate
 * keys, the target's declaration, params/ offers and the sysfs printing.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kitt_login.h"
#include "kitt_test.h"

struct kitt_test_nego {
	struct kitt_param_offer offer;
	struct kitt_sess_params res;
	struct kitt_nego n;
	struct kitt_text_buf tb;
	char buf[2048];
	/* the last answer, NUL-terminated, or "" if nothing was added */
	char last[300];
};

static struct kitt_test_nego *kitt_test_nego_new(struct kunit *test,
						 bool leading, bool discovery)
{
	struct kitt_test_nego *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	kitt_params_offer_init(&t->offer);
	kitt_text_buf_init(&t->tb, t->buf, sizeof(t->buf));
	kitt_nego_init(&t->n, &t->offer, &t->res, leading, discovery);
	return t;
}

/* Negotiate key=val; the answer (if any) lands in t->last. */
static int kitt_test_key(struct kitt_test_nego *t, const char *key,
			 const char *val)
{
	u32 before = t->tb.len;
	int ret;

	ret = kitt_nego_key(&t->n, key, val, &t->tb);
	t->last[0] = '\0';
	if (t->tb.len > before)
		strscpy(t->last, t->buf + before, sizeof(t->last));
	return ret;
}

/* key=val must be answered with @answer ("" for no answer) */
static void kitt_test_answer(struct kunit *test, struct kitt_test_nego *t,
			     const char *key, const char *val, const char *answer)
{
	KUNIT_EXPECT_EQ_MSG(test, kitt_test_key(t, key, val), 0, "%s=%s", key, val);
	KUNIT_EXPECT_STREQ_MSG(test, t->last, answer, "%s=%s", key, val);
}

static void params_table(struct kunit *test)
{
	const struct kitt_key_info *info, *other;
	unsigned int k, j;

	for (k = 0; k < KITT_NR_KEYS; k++) {
		info = kitt_params_key_info(k);
		KUNIT_ASSERT_NOT_NULL(test, info);
		KUNIT_ASSERT_NOT_NULL_MSG(test, info->name, "key %u", k);
		KUNIT_EXPECT_PTR_EQ(test, kitt_params_key_name(k), info->name);
		if (info->flags & KITT_KF_LOCAL)
			KUNIT_EXPECT_EQ(test, kitt_params_key_lookup(info->name), -ENOENT);
		else
			KUNIT_EXPECT_EQ_MSG(test, kitt_params_key_lookup(info->name), k,
					    "%s", info->name);
		for (j = 0; j < k; j++) {
			other = kitt_params_key_info(j);
			KUNIT_EXPECT_NE_MSG(test, strcmp(info->name, other->name), 0,
					    "%s twice", info->name);
		}
		/* numbers: default and offer within the RFC range */
		if (info->type == KITT_KT_NUM_MIN || info->type == KITT_KT_NUM_MAX ||
		    (info->flags & KITT_KF_NUMERIC)) {
			KUNIT_EXPECT_LE_MSG(test, info->min, info->max, "%s", info->name);
			if (info->flags & KITT_KF_LOGIN)
				continue;
			KUNIT_EXPECT_GE_MSG(test, info->def, info->min, "%s", info->name);
			KUNIT_EXPECT_LE_MSG(test, info->def, info->max, "%s", info->name);
			if (info->flags & KITT_KF_LOCAL)
				continue;
			KUNIT_EXPECT_GE_MSG(test, info->offer, info->min, "%s", info->name);
			KUNIT_EXPECT_LE_MSG(test, info->offer, info->max, "%s", info->name);
		}
		/* lists: kitt supports the default */
		if (info->type == KITT_KT_LIST)
			KUNIT_EXPECT_TRUE_MSG(test, info->offer & info->def, "%s", info->name);
		/* every key kitt_nego answers is legal somewhere */
		if (!(info->flags & (KITT_KF_LOGIN | KITT_KF_LOCAL)))
			KUNIT_EXPECT_NE_MSG(test, info->phases, 0, "%s", info->name);
	}
	KUNIT_EXPECT_NULL(test, kitt_params_key_info(KITT_NR_KEYS));
	KUNIT_EXPECT_NULL(test, kitt_params_key_name(KITT_NR_KEYS));
	KUNIT_EXPECT_EQ(test, kitt_params_key_lookup("X-com.example.key"), -ENOENT);
	KUNIT_EXPECT_EQ(test, kitt_params_key_lookup("headerdigest"), -ENOENT);
	KUNIT_EXPECT_EQ(test, kitt_params_key_lookup(""), -ENOENT);
	KUNIT_EXPECT_EQ(test, kitt_params_key_lookup("iSCSIProtocolLevel"),
			KITT_KEY_PROTOCOL_LEVEL);
	KUNIT_EXPECT_EQ(test, kitt_params_key_lookup("CHAP_R"), KITT_KEY_CHAP_R);
	KUNIT_EXPECT_EQ(test, kitt_params_key_lookup("SRP_s"), KITT_KEY_SRP_S);

	/* spot checks of RFC 7143 13 */
	info = kitt_params_key_info(KITT_KEY_MAX_RECV_DSL);
	KUNIT_EXPECT_EQ(test, info->type, KITT_KT_DECLARATIVE);
	KUNIT_EXPECT_EQ(test, info->scope, KITT_SCOPE_CO);
	KUNIT_EXPECT_EQ(test, info->use, KITT_USE_ALL);
	KUNIT_EXPECT_EQ(test, info->min, 512U);
	KUNIT_EXPECT_EQ(test, info->max, 16777215U);
	KUNIT_EXPECT_EQ(test, info->def, 8192U);
	info = kitt_params_key_info(KITT_KEY_DEFAULT_TIME2WAIT);
	KUNIT_EXPECT_EQ(test, info->type, KITT_KT_NUM_MAX);
	KUNIT_EXPECT_EQ(test, info->max, 3600U);
	info = kitt_params_key_info(KITT_KEY_INITIAL_R2T);
	KUNIT_EXPECT_EQ(test, info->type, KITT_KT_BOOL_OR);
	KUNIT_EXPECT_EQ(test, info->use, KITT_USE_LO);
	KUNIT_EXPECT_EQ(test, info->scope, KITT_SCOPE_SW);
	info = kitt_params_key_info(KITT_KEY_IMMEDIATE_DATA);
	KUNIT_EXPECT_EQ(test, info->type, KITT_KT_BOOL_AND);
	info = kitt_params_key_info(KITT_KEY_HEADER_DIGEST);
	KUNIT_EXPECT_EQ(test, info->type, KITT_KT_LIST);
	KUNIT_EXPECT_EQ(test, info->use, KITT_USE_IO);
	KUNIT_EXPECT_EQ(test, info->scope, KITT_SCOPE_CO);
}

static void params_defaults(struct kunit *test)
{
	struct kitt_sess_params p;
	struct kitt_param_offer o;

	memset(&p, 0xff, sizeof(p));
	kitt_sess_params_init(&p);
	KUNIT_EXPECT_FALSE(test, p.header_digest);
	KUNIT_EXPECT_FALSE(test, p.data_digest);
	KUNIT_EXPECT_TRUE(test, p.initial_r2t);
	KUNIT_EXPECT_TRUE(test, p.immediate_data);
	KUNIT_EXPECT_TRUE(test, p.data_pdu_in_order);
	KUNIT_EXPECT_TRUE(test, p.data_sequence_in_order);
	KUNIT_EXPECT_FALSE(test, p.discovery);
	KUNIT_EXPECT_EQ(test, p.task_reporting, KITT_TASK_REPORTING_RFC3720);
	KUNIT_EXPECT_EQ(test, p.max_connections, 1U);
	KUNIT_EXPECT_EQ(test, p.max_recv_dsl, 8192U);
	KUNIT_EXPECT_EQ(test, p.max_xmit_dsl, 8192U);
	KUNIT_EXPECT_EQ(test, p.max_burst_length, 262144U);
	KUNIT_EXPECT_EQ(test, p.first_burst_length, 65536U);
	KUNIT_EXPECT_EQ(test, p.default_time2wait, 2U);
	KUNIT_EXPECT_EQ(test, p.default_time2retain, 20U);
	KUNIT_EXPECT_EQ(test, p.max_outstanding_r2t, 1U);
	KUNIT_EXPECT_EQ(test, p.error_recovery_level, 0U);
	KUNIT_EXPECT_EQ(test, p.protocol_level, 1U);

	/* kitt's offer differs from LIO's */
	kitt_params_offer_init(&o);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_MAX_RECV_DSL], 262144U);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_INITIAL_R2T], 0U);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_IMMEDIATE_DATA], 1U);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_FIRST_BURST_LENGTH], 65536U);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_MAX_BURST_LENGTH], 262144U);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_MAX_OUTSTANDING_R2T], 1U);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_HEADER_DIGEST],
			(u32)(KITT_DIGEST_CRC32C | KITT_DIGEST_NONE));
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_ERROR_RECOVERY_LEVEL], 0U);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_MAX_CONNECTIONS], 1U);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_DEFAULT_TIME2WAIT], 2U);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_DEFAULT_TIME2RETAIN], 20U);
}

static void params_list_digest(struct kunit *test)
{
	struct kitt_test_nego *t;

	/* the initiator's order wins */
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "HeaderDigest", "CRC32C,None", "HeaderDigest=CRC32C");
	KUNIT_EXPECT_TRUE(test, t->res.header_digest);
	kitt_test_answer(test, t, "DataDigest", "None,CRC32C", "DataDigest=None");
	KUNIT_EXPECT_FALSE(test, t->res.data_digest);

	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "HeaderDigest", "None", "HeaderDigest=None");
	kitt_test_answer(test, t, "DataDigest", "CRC32C", "DataDigest=CRC32C");
	KUNIT_EXPECT_TRUE(test, t->res.data_digest);

	/* unknown members are skipped */
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "HeaderDigest", "X-com.example.md,CRC32C",
			 "HeaderDigest=CRC32C");
	/* nothing in common: Reject, the default None stays */
	kitt_test_answer(test, t, "DataDigest", "X-com.example.md", "DataDigest=Reject");
	KUNIT_EXPECT_FALSE(test, t->res.data_digest);

	/* malformed lists: Reject */
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "HeaderDigest", "CRC32C,,None", "HeaderDigest=Reject");
	kitt_test_answer(test, t, "DataDigest", "", "DataDigest=Reject");
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "HeaderDigest", "CRC32C,", "HeaderDigest=Reject");
	KUNIT_EXPECT_FALSE(test, t->res.header_digest);
	kitt_test_answer(test, t, "DataDigest", "crc32c", "DataDigest=Reject");

	/* the target requires CRC32C: None cannot be agreed */
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_HEADER_DIGEST] = KITT_DIGEST_CRC32C;
	kitt_test_answer(test, t, "HeaderDigest", "None,CRC32C", "HeaderDigest=CRC32C");
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_HEADER_DIGEST] = KITT_DIGEST_CRC32C;
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "HeaderDigest", "None"), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, t->n.reason);
	KUNIT_EXPECT_STREQ(test, t->last, "");
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_DATA_DIGEST] = KITT_DIGEST_CRC32C;
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "DataDigest", "CRC32C,,"), -EINVAL);

	/* the target refuses CRC32C */
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_DATA_DIGEST] = KITT_DIGEST_NONE;
	kitt_test_answer(test, t, "DataDigest", "CRC32C,None", "DataDigest=None");
	kitt_test_answer(test, t, "HeaderDigest", "CRC32C,None", "HeaderDigest=CRC32C");
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_DATA_DIGEST] = KITT_DIGEST_NONE;
	kitt_test_answer(test, t, "DataDigest", "CRC32C", "DataDigest=Reject");
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);
}

static void params_list_task_reporting(struct kunit *test)
{
	struct kitt_test_nego *t;

	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "TaskReporting", "ResponseFence,FastAbort,RFC3720",
			 "TaskReporting=RFC3720");
	KUNIT_EXPECT_EQ(test, t->res.task_reporting, KITT_TASK_REPORTING_RFC3720);
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "TaskReporting", "FastAbort", "TaskReporting=Reject");
	KUNIT_EXPECT_EQ(test, t->res.task_reporting, KITT_TASK_REPORTING_RFC3720);
}

static void params_bool_and(struct kunit *test)
{
	struct kitt_test_nego *t;

	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "ImmediateData", "No", "ImmediateData=No");
	KUNIT_EXPECT_FALSE(test, t->res.immediate_data);
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "ImmediateData", "Yes", "ImmediateData=Yes");
	KUNIT_EXPECT_TRUE(test, t->res.immediate_data);
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_IMMEDIATE_DATA] = 0;
	kitt_test_answer(test, t, "ImmediateData", "Yes", "ImmediateData=No");
	KUNIT_EXPECT_FALSE(test, t->res.immediate_data);
	/* malformed: Reject, the default Yes stays */
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "ImmediateData", "yes", "ImmediateData=Reject");
	KUNIT_EXPECT_TRUE(test, t->res.immediate_data);
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "ImmediateData", "", "ImmediateData=Reject");
}

static void params_bool_or(struct kunit *test)
{
	struct kitt_test_nego *t;

	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "InitialR2T", "No", "InitialR2T=No");
	KUNIT_EXPECT_FALSE(test, t->res.initial_r2t);
	kitt_test_answer(test, t, "DataPDUInOrder", "No", "DataPDUInOrder=Yes");
	KUNIT_EXPECT_TRUE(test, t->res.data_pdu_in_order);
	kitt_test_answer(test, t, "DataSequenceInOrder", "Yes", "DataSequenceInOrder=Yes");
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "InitialR2T", "Yes", "InitialR2T=Yes");
	KUNIT_EXPECT_TRUE(test, t->res.initial_r2t);
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_INITIAL_R2T] = 1;
	kitt_test_answer(test, t, "InitialR2T", "No", "InitialR2T=Yes");
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_DATA_SEQUENCE_IN_ORDER] = 0;
	kitt_test_answer(test, t, "DataSequenceInOrder", "No", "DataSequenceInOrder=No");
	KUNIT_EXPECT_FALSE(test, t->res.data_sequence_in_order);
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "InitialR2T", "Maybe", "InitialR2T=Reject");
	KUNIT_EXPECT_TRUE(test, t->res.initial_r2t);
}

static void params_num_min(struct kunit *test)
{
	struct kitt_test_nego *t;

	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "MaxBurstLength", "65536", "MaxBurstLength=65536");
	KUNIT_EXPECT_EQ(test, t->res.max_burst_length, 65536U);
	kitt_test_answer(test, t, "MaxConnections", "4", "MaxConnections=1");
	kitt_test_answer(test, t, "ErrorRecoveryLevel", "2", "ErrorRecoveryLevel=0");
	kitt_test_answer(test, t, "DefaultTime2Retain", "0", "DefaultTime2Retain=0");
	KUNIT_EXPECT_EQ(test, t->res.default_time2retain, 0U);
	kitt_test_answer(test, t, "MaxOutstandingR2T", "16", "MaxOutstandingR2T=1");
	kitt_test_answer(test, t, "iSCSIProtocolLevel", "2", "iSCSIProtocolLevel=1");
	kitt_test_answer(test, t, "FirstBurstLength", "0x4000", "FirstBurstLength=16384");
	KUNIT_EXPECT_EQ(test, t->res.first_burst_length, 16384U);

	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_MAX_OUTSTANDING_R2T] = 16;
	t->offer.val[KITT_KEY_MAX_CONNECTIONS] = 8;
	kitt_test_answer(test, t, "MaxBurstLength", "16777215", "MaxBurstLength=262144");
	kitt_test_answer(test, t, "MaxOutstandingR2T", "8", "MaxOutstandingR2T=8");
	KUNIT_EXPECT_EQ(test, t->res.max_outstanding_r2t, 8U);
	kitt_test_answer(test, t, "MaxConnections", "65535", "MaxConnections=8");
	KUNIT_EXPECT_EQ(test, t->res.max_connections, 8U);
	kitt_test_answer(test, t, "iSCSIProtocolLevel", "0", "iSCSIProtocolLevel=0");
	KUNIT_EXPECT_EQ(test, t->res.protocol_level, 0U);
}

static void params_num_max(struct kunit *test)
{
	struct kitt_test_nego *t;

	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "DefaultTime2Wait", "0", "DefaultTime2Wait=2");
	KUNIT_EXPECT_EQ(test, t->res.default_time2wait, 2U);
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "DefaultTime2Wait", "3600", "DefaultTime2Wait=3600");
	KUNIT_EXPECT_EQ(test, t->res.default_time2wait, 3600U);
}

static void params_out_of_range(struct kunit *test)
{
	static const struct {
		const char *key, *val;
	} cases[] = {
		{ "MaxBurstLength", "511" },
		{ "FirstBurstLength", "16777216" },
		{ "ErrorRecoveryLevel", "3" },
		{ "MaxConnections", "0" },
		{ "MaxConnections", "65536" },
		{ "MaxOutstandingR2T", "0" },
		{ "DefaultTime2Wait", "3601" },
		{ "DefaultTime2Retain", "4294967296" },
		{ "iSCSIProtocolLevel", "32" },
	};
	struct kitt_test_nego *t;
	struct kitt_sess_params before;
	char want[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		t = kitt_test_nego_new(test, true, false);
		before = t->res;
		snprintf(want, sizeof(want), "%s=Reject", cases[i].key);
		kitt_test_answer(test, t, cases[i].key, cases[i].val, want);
		KUNIT_EXPECT_EQ_MSG(test, memcmp(&before, &t->res, sizeof(before)), 0,
				    "%s=%s changed the result", cases[i].key,
				    cases[i].val);
	}
}

static void params_malformed_number(struct kunit *test)
{
	static const char * const vals[] = {
		"", "abc", "0x", "012", "-1", "+512", " 512", "512 ", "1e6",
		"65536,1", "512~1024", "Irrelevant", "NotUnderstood",
	};
	struct kitt_test_nego *t;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(vals); i++) {
		t = kitt_test_nego_new(test, true, false);
		kitt_test_answer(test, t, "MaxBurstLength", vals[i], "MaxBurstLength=Reject");
		KUNIT_EXPECT_EQ(test, t->res.max_burst_length, 262144U);
	}
}

static void params_declarative(struct kunit *test)
{
	struct kitt_test_nego *t;

	/* the initiator's declaration: what kitt may send, no answer */
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "65536", "");
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 65536U);
	KUNIT_EXPECT_EQ(test, t->res.max_recv_dsl, 8192U);
	KUNIT_EXPECT_EQ(test, t->tb.len, 0U);

	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "0x1000", "");
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 4096U);
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "512", "");
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 512U);

	/* too small or unreadable: kitt cannot know what it may send */
	t = kitt_test_nego_new(test, true, false);
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "MaxRecvDataSegmentLength", "511"),
			-EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, t->n.reason);
	t = kitt_test_nego_new(test, true, false);
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "MaxRecvDataSegmentLength", "8k"),
			-EINVAL);
	t = kitt_test_nego_new(test, true, false);
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "MaxRecvDataSegmentLength", ""),
			-EINVAL);
	/* too large: Reject, and the safe default stays */
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "16777216",
			 "MaxRecvDataSegmentLength=Reject");
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 8192U);
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "99999999999999999999",
			 "MaxRecvDataSegmentLength=Reject");
}

static void params_finish(struct kunit *test)
{
	struct kitt_test_nego *t;

	/* kitt declares its MaxRecvDataSegmentLength once */
	t = kitt_test_nego_new(test, true, false);
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);
	KUNIT_EXPECT_STREQ(test, t->buf, "MaxRecvDataSegmentLength=262144");
	KUNIT_EXPECT_EQ(test, t->tb.len, 32U);
	KUNIT_EXPECT_EQ(test, t->res.max_recv_dsl, 262144U);
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);
	KUNIT_EXPECT_EQ(test, t->tb.len, 32U);

	/* the offer decides the value */
	t = kitt_test_nego_new(test, true, true);
	t->offer.val[KITT_KEY_MAX_RECV_DSL] = 65536;
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);
	KUNIT_EXPECT_STREQ(test, t->buf, "MaxRecvDataSegmentLength=65536");
	KUNIT_EXPECT_EQ(test, t->res.max_recv_dsl, 65536U);

	/* a login that goes from security straight to full feature */
	t = kitt_test_nego_new(test, true, true);
	kitt_nego_set_stage(&t->n, ISCSI_SECURITY_NEGOTIATION_STAGE);
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);
	KUNIT_EXPECT_EQ(test, t->tb.len, 0U);
	KUNIT_EXPECT_EQ(test, t->res.max_recv_dsl, 8192U);

	/* no room for the declaration */
	t = kitt_test_nego_new(test, true, false);
	kitt_text_buf_init(&t->tb, t->buf, 20);
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), -ENOSPC);
	KUNIT_EXPECT_EQ(test, t->res.max_recv_dsl, 8192U);
	KUNIT_EXPECT_TRUE(test, t->tb.overflow);
}

static void params_finish_digest_required(struct kunit *test)
{
	struct kitt_test_nego *t;

	/* the initiator never mentioned HeaderDigest: None is in effect */
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_HEADER_DIGEST] = KITT_DIGEST_CRC32C;
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, t->n.reason);
	KUNIT_EXPECT_EQ(test, t->tb.len, 0U);

	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_DATA_DIGEST] = KITT_DIGEST_CRC32C;
	kitt_test_answer(test, t, "DataDigest", "CRC32C", "DataDigest=CRC32C");
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);
}

static void params_irrelevant_discovery(struct kunit *test)
{
	static const char * const irrelevant[][2] = {
		{ "MaxConnections", "1" },
		{ "InitialR2T", "Yes" },
		{ "ImmediateData", "No" },
		{ "MaxBurstLength", "16384" },
		{ "FirstBurstLength", "garbage" },
		{ "MaxOutstandingR2T", "1" },
		{ "DataPDUInOrder", "Yes" },
		{ "DataSequenceInOrder", "Yes" },
		{ "TaskReporting", "RFC3720" },
		{ "iSCSIProtocolLevel", "1" },
	};
	struct kitt_sess_params before;
	struct kitt_test_nego *t;
	char want[64];
	unsigned int i;

	t = kitt_test_nego_new(test, true, true);
	KUNIT_EXPECT_TRUE(test, t->res.discovery);
	before = t->res;
	for (i = 0; i < ARRAY_SIZE(irrelevant); i++) {
		snprintf(want, sizeof(want), "%s=Irrelevant", irrelevant[i][0]);
		kitt_test_answer(test, t, irrelevant[i][0], irrelevant[i][1], want);
	}
	KUNIT_EXPECT_EQ(test, memcmp(&before, &t->res, sizeof(before)), 0);
	/* these still count in discovery sessions */
	kitt_test_answer(test, t, "HeaderDigest", "CRC32C,None", "HeaderDigest=CRC32C");
	kitt_test_answer(test, t, "ErrorRecoveryLevel", "0", "ErrorRecoveryLevel=0");
	kitt_test_answer(test, t, "DefaultTime2Wait", "5", "DefaultTime2Wait=5");
	kitt_test_answer(test, t, "DefaultTime2Retain", "0", "DefaultTime2Retain=0");
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "32768", "");
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 32768U);
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);
}

static void params_irrelevant_first_burst(struct kunit *test)
{
	struct kitt_test_nego *t;

	/* RFC 7143 13.14: no unsolicited data, no first burst */
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "InitialR2T", "Yes", "InitialR2T=Yes");
	kitt_test_answer(test, t, "ImmediateData", "No", "ImmediateData=No");
	kitt_test_answer(test, t, "FirstBurstLength", "262144", "FirstBurstLength=Irrelevant");
	KUNIT_EXPECT_EQ(test, t->res.first_burst_length, 65536U);
	kitt_test_answer(test, t, "MaxBurstLength", "4096", "MaxBurstLength=4096");
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);

	/* the target's offer alone can make it so */
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_INITIAL_R2T] = 1;
	t->offer.val[KITT_KEY_IMMEDIATE_DATA] = 0;
	kitt_test_answer(test, t, "InitialR2T", "No", "InitialR2T=Yes");
	kitt_test_answer(test, t, "ImmediateData", "Yes", "ImmediateData=No");
	kitt_test_answer(test, t, "FirstBurstLength", "8192", "FirstBurstLength=Irrelevant");

	/* unsolicited data allowed, or not known yet: relevant */
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "InitialR2T", "Yes", "InitialR2T=Yes");
	kitt_test_answer(test, t, "FirstBurstLength", "8192", "FirstBurstLength=8192");
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "ImmediateData", "No", "ImmediateData=No");
	kitt_test_answer(test, t, "FirstBurstLength", "8192", "FirstBurstLength=8192");
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "InitialR2T", "No", "InitialR2T=No");
	kitt_test_answer(test, t, "ImmediateData", "No", "ImmediateData=No");
	kitt_test_answer(test, t, "FirstBurstLength", "8192", "FirstBurstLength=8192");
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_INITIAL_R2T] = 1;
	kitt_test_answer(test, t, "ImmediateData", "Yes", "ImmediateData=Yes");
	kitt_test_answer(test, t, "FirstBurstLength", "8192", "FirstBurstLength=8192");
}

static void params_first_burst_limit(struct kunit *test)
{
	struct kitt_test_nego *t;

	/* FirstBurstLength never exceeds the MaxBurstLength agreed */
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "MaxBurstLength", "16384", "MaxBurstLength=16384");
	kitt_test_answer(test, t, "FirstBurstLength", "65536", "FirstBurstLength=16384");
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);

	/* ... nor the MaxBurstLength kitt offers */
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_MAX_BURST_LENGTH] = 32768;
	kitt_test_answer(test, t, "FirstBurstLength", "65536", "FirstBurstLength=32768");
	kitt_test_answer(test, t, "MaxBurstLength", "262144", "MaxBurstLength=32768");
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);

	/* the initiator lowers MaxBurstLength after FirstBurstLength */
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "FirstBurstLength", "65536", "FirstBurstLength=65536");
	kitt_test_answer(test, t, "MaxBurstLength", "8192", "MaxBurstLength=8192");
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, t->n.reason);
	KUNIT_EXPECT_EQ(test, t->tb.len, 43U);

	/* MaxBurstLength lowered, FirstBurstLength left out: it follows */
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "MaxBurstLength", "4096", "MaxBurstLength=4096");
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);
	KUNIT_EXPECT_EQ(test, t->res.first_burst_length, 4096U);
	KUNIT_EXPECT_EQ(test, t->res.max_burst_length, 4096U);
}

static void params_r2t_rule(struct kunit *test)
{
	struct kitt_test_nego *t;

	/* RFC 7143 13.19: ERL > 0 with in-order sequences: one R2T */
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_ERROR_RECOVERY_LEVEL] = 1;
	t->offer.val[KITT_KEY_MAX_OUTSTANDING_R2T] = 8;
	kitt_test_answer(test, t, "ErrorRecoveryLevel", "2", "ErrorRecoveryLevel=1");
	kitt_test_answer(test, t, "MaxOutstandingR2T", "4", "MaxOutstandingR2T=1");
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);

	/* ErrorRecoveryLevel agreed after MaxOutstandingR2T */
	t = kitt_test_nego_new(test, true, false);
	t->offer.val[KITT_KEY_ERROR_RECOVERY_LEVEL] = 1;
	t->offer.val[KITT_KEY_MAX_OUTSTANDING_R2T] = 8;
	kitt_test_answer(test, t, "MaxOutstandingR2T", "4", "MaxOutstandingR2T=4");
	kitt_test_answer(test, t, "ErrorRecoveryLevel", "1", "ErrorRecoveryLevel=1");
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), -EINVAL);
}

static void params_markers(struct kunit *test)
{
	struct kitt_test_nego *t;

	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "IFMarker", "No", "IFMarker=No");
	kitt_test_answer(test, t, "OFMarker", "Yes", "OFMarker=No");
	kitt_test_answer(test, t, "OFMarkInt", "2048~8192", "OFMarkInt=Reject");
	kitt_test_answer(test, t, "IFMarkInt", "2048", "IFMarkInt=Reject");
	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "IFMarker", "maybe", "IFMarker=Reject");
}

static void params_not_understood(struct kunit *test)
{
	static const char * const keys[] = {
		"X-com.example.Feature", "X#NodeArchitecture", "Unknown",
		"RDMAExtensions", "MaxXmitDataSegmentLength", "headerdigest",
	};
	struct kitt_test_nego *t;
	char want[80];
	unsigned int i;

	t = kitt_test_nego_new(test, true, false);
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		snprintf(want, sizeof(want), "%s=NotUnderstood", keys[i]);
		kitt_test_answer(test, t, keys[i], "Yes", want);
	}
	/* in every stage, any number of times */
	kitt_nego_set_stage(&t->n, ISCSI_SECURITY_NEGOTIATION_STAGE);
	kitt_test_answer(test, t, "X-com.example.Feature", "1",
			 "X-com.example.Feature=NotUnderstood");
	kitt_nego_init_text(&t->n, &t->offer, &t->res);
	kitt_test_answer(test, t, "X-com.example.Feature", "1",
			 "X-com.example.Feature=NotUnderstood");
}

static void params_login_keys(struct kunit *test)
{
	static const char * const keys[] = {
		"AuthMethod", "CHAP_A", "CHAP_I", "CHAP_C", "CHAP_N", "CHAP_R",
		"SRP_U", "KRB_AP_REQ", "InitiatorName", "TargetName",
		"SessionType", "InitiatorAlias", "TargetAlias", "SendTargets",
		"TargetAddress", "TargetPortalGroupTag",
	};
	struct kitt_test_nego *t;
	unsigned int i, stage;

	for (stage = 0; stage < 4; stage++) {
		if (stage == 2)
			continue;
		t = kitt_test_nego_new(test, true, false);
		kitt_nego_set_stage(&t->n, stage);
		for (i = 0; i < ARRAY_SIZE(keys); i++) {
			KUNIT_EXPECT_EQ_MSG(test, kitt_test_key(t, keys[i], "x"),
					    -ENOENT, "%s", keys[i]);
			/* twice: kitt_nego keeps no record of them */
			KUNIT_EXPECT_EQ(test, kitt_test_key(t, keys[i], "x"), -ENOENT);
		}
		KUNIT_EXPECT_EQ(test, t->tb.len, 0U);
	}
}

static void params_duplicate(struct kunit *test)
{
	struct kitt_test_nego *t;

	t = kitt_test_nego_new(test, true, false);
	kitt_test_answer(test, t, "HeaderDigest", "None", "HeaderDigest=None");
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "HeaderDigest", "CRC32C"), -EEXIST);
	KUNIT_EXPECT_NOT_NULL(test, t->n.reason);
	KUNIT_EXPECT_STREQ(test, t->last, "");
	KUNIT_EXPECT_FALSE(test, t->res.header_digest);

	/* a key answered with Reject or Irrelevant counts too */
	kitt_test_answer(test, t, "MaxBurstLength", "1", "MaxBurstLength=Reject");
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "MaxBurstLength", "4096"), -EEXIST);
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "4096", "");
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "MaxRecvDataSegmentLength", "8192"),
			-EEXIST);
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 4096U);
	t = kitt_test_nego_new(test, true, true);
	kitt_test_answer(test, t, "InitialR2T", "No", "InitialR2T=Irrelevant");
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "InitialR2T", "No"), -EEXIST);

	/* a new text negotiation sequence may declare again */
	t = kitt_test_nego_new(test, true, false);
	kitt_nego_init_text(&t->n, &t->offer, &t->res);
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "4096", "");
	kitt_nego_init_text(&t->n, &t->offer, &t->res);
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "16384", "");
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 16384U);
}

static void params_stages(struct kunit *test)
{
	struct kitt_test_nego *t;

	/* operational keys do not belong to the security stage */
	t = kitt_test_nego_new(test, true, false);
	kitt_nego_set_stage(&t->n, ISCSI_SECURITY_NEGOTIATION_STAGE);
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "HeaderDigest", "None"), -EPROTO);
	KUNIT_EXPECT_NOT_NULL(test, t->n.reason);
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "InitialR2T", "No"), -EPROTO);
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "IFMarker", "No"), -EPROTO);
	/* a declaration is fine anywhere */
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "65536", "");
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 65536U);
	/* the stage moves on, and the keys are new there */
	kitt_nego_set_stage(&t->n, ISCSI_OP_PARMS_NEGOTIATION_STAGE);
	kitt_test_answer(test, t, "HeaderDigest", "None", "HeaderDigest=None");

	/* full feature phase: login-only keys are not negotiable */
	t = kitt_test_nego_new(test, true, false);
	t->res.max_burst_length = 65536;
	kitt_nego_init_text(&t->n, &t->offer, &t->res);
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "MaxBurstLength", "4096"), -EPROTO);
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "HeaderDigest", "CRC32C"), -EPROTO);
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "OFMarker", "No"), -EPROTO);
	KUNIT_EXPECT_EQ(test, t->res.max_burst_length, 65536U);
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "131072", "");
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 131072U);
	/* and kitt declares nothing there */
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);
	KUNIT_EXPECT_EQ(test, t->tb.len, 0U);
}

static void params_non_leading(struct kunit *test)
{
	struct kitt_test_nego *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, t);
	kitt_params_offer_init(&t->offer);
	kitt_text_buf_init(&t->tb, t->buf, sizeof(t->buf));
	/* the session's values, negotiated by its leading login */
	kitt_sess_params_init(&t->res);
	t->res.max_burst_length = 4096;
	t->res.initial_r2t = false;
	t->res.header_digest = true;
	t->res.max_recv_dsl = 262144;
	t->res.max_xmit_dsl = 65536;
	kitt_nego_init(&t->n, &t->offer, &t->res, false, false);
	/* connection-only values start over, session-wide ones stay */
	KUNIT_EXPECT_FALSE(test, t->res.header_digest);
	KUNIT_EXPECT_EQ(test, t->res.max_recv_dsl, 8192U);
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 8192U);
	KUNIT_EXPECT_EQ(test, t->res.max_burst_length, 4096U);
	KUNIT_EXPECT_FALSE(test, t->res.initial_r2t);

	kitt_test_answer(test, t, "MaxBurstLength", "65536", "MaxBurstLength=Irrelevant");
	kitt_test_answer(test, t, "InitialR2T", "Yes", "InitialR2T=Irrelevant");
	KUNIT_EXPECT_EQ(test, t->res.max_burst_length, 4096U);
	KUNIT_EXPECT_FALSE(test, t->res.initial_r2t);
	kitt_test_answer(test, t, "HeaderDigest", "CRC32C", "HeaderDigest=CRC32C");
	KUNIT_EXPECT_TRUE(test, t->res.header_digest);
	kitt_test_answer(test, t, "MaxRecvDataSegmentLength", "16384", "");
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 16384U);
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);
	KUNIT_EXPECT_EQ(test, t->res.max_recv_dsl, 262144U);
}

static void params_overflow(struct kunit *test)
{
	struct kitt_test_nego *t;

	t = kitt_test_nego_new(test, true, false);
	kitt_text_buf_init(&t->tb, t->buf, 16);
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "HeaderDigest", "None"), -ENOSPC);
	KUNIT_EXPECT_TRUE(test, t->tb.overflow);
	KUNIT_EXPECT_EQ(test, t->tb.len, 0U);
	KUNIT_EXPECT_EQ(test, kitt_test_key(t, "X-com.example.k", "v"), -ENOSPC);
}

/* What open-iscsi sends in the operational stage of a normal session. */
static void params_open_iscsi_login(struct kunit *test)
{
	static const char * const req[][2] = {
		{ "HeaderDigest", "None" },
		{ "DataDigest", "None" },
		{ "DefaultTime2Wait", "2" },
		{ "DefaultTime2Retain", "0" },
		{ "IFMarker", "No" },
		{ "OFMarker", "No" },
		{ "ErrorRecoveryLevel", "0" },
		{ "InitialR2T", "No" },
		{ "ImmediateData", "Yes" },
		{ "MaxBurstLength", "16776192" },
		{ "FirstBurstLength", "262144" },
		{ "MaxOutstandingR2T", "1" },
		{ "MaxConnections", "1" },
		{ "DataPDUInOrder", "Yes" },
		{ "DataSequenceInOrder", "Yes" },
		{ "MaxRecvDataSegmentLength", "262144" },
	};
	static const char rsp[] =
		"HeaderDigest=None\0DataDigest=None\0DefaultTime2Wait=2\0"
		"DefaultTime2Retain=0\0IFMarker=No\0OFMarker=No\0"
		"ErrorRecoveryLevel=0\0InitialR2T=No\0ImmediateData=Yes\0"
		"MaxBurstLength=262144\0FirstBurstLength=65536\0"
		"MaxOutstandingR2T=1\0MaxConnections=1\0DataPDUInOrder=Yes\0"
		"DataSequenceInOrder=Yes\0MaxRecvDataSegmentLength=262144\0";
	struct kitt_test_nego *t;
	unsigned int i;

	t = kitt_test_nego_new(test, true, false);
	for (i = 0; i < ARRAY_SIZE(req); i++)
		KUNIT_EXPECT_EQ(test, kitt_test_key(t, req[i][0], req[i][1]), 0);
	KUNIT_EXPECT_EQ(test, kitt_nego_finish(&t->n, &t->tb), 0);
	KUNIT_EXPECT_EQ(test, t->tb.len, (u32)sizeof(rsp) - 1);
	KUNIT_EXPECT_EQ(test, memcmp(t->buf, rsp, sizeof(rsp) - 1), 0);
	KUNIT_EXPECT_EQ(test, kitt_text_find_duplicate(t->buf, t->tb.len, NULL), 0);

	KUNIT_EXPECT_FALSE(test, t->res.initial_r2t);
	KUNIT_EXPECT_TRUE(test, t->res.immediate_data);
	KUNIT_EXPECT_EQ(test, t->res.max_burst_length, 262144U);
	KUNIT_EXPECT_EQ(test, t->res.first_burst_length, 65536U);
	KUNIT_EXPECT_EQ(test, t->res.default_time2retain, 0U);
	KUNIT_EXPECT_EQ(test, t->res.max_recv_dsl, 262144U);
	KUNIT_EXPECT_EQ(test, t->res.max_xmit_dsl, 262144U);
}

static void params_show(struct kunit *test)
{
	struct kitt_sess_params p;
	char buf[64];

	kitt_sess_params_init(&p);
	p.header_digest = true;
	p.initial_r2t = false;
	p.max_recv_dsl = 262144;
	p.max_xmit_dsl = 65536;
	KUNIT_EXPECT_EQ(test, kitt_sess_params_show(&p, KITT_KEY_HEADER_DIGEST, buf,
						    sizeof(buf)), 7);
	KUNIT_EXPECT_STREQ(test, buf, "CRC32C\n");
	kitt_sess_params_show(&p, KITT_KEY_DATA_DIGEST, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "None\n");
	kitt_sess_params_show(&p, KITT_KEY_INITIAL_R2T, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "No\n");
	kitt_sess_params_show(&p, KITT_KEY_IMMEDIATE_DATA, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "Yes\n");
	kitt_sess_params_show(&p, KITT_KEY_MAX_RECV_DSL, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "262144\n");
	kitt_sess_params_show(&p, KITT_KEY_MAX_XMIT_DSL, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "65536\n");
	kitt_sess_params_show(&p, KITT_KEY_SESSION_TYPE, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "Normal\n");
	p.discovery = true;
	kitt_sess_params_show(&p, KITT_KEY_SESSION_TYPE, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "Discovery\n");
	kitt_sess_params_show(&p, KITT_KEY_TASK_REPORTING, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "RFC3720\n");
	kitt_sess_params_show(&p, KITT_KEY_PROTOCOL_LEVEL, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "1\n");
	kitt_sess_params_show(&p, KITT_KEY_DEFAULT_TIME2RETAIN, buf, sizeof(buf));
	KUNIT_EXPECT_STREQ(test, buf, "20\n");

	KUNIT_EXPECT_EQ(test, kitt_sess_params_show(&p, KITT_KEY_AUTH_METHOD, buf,
						    sizeof(buf)), -ENOENT);
	KUNIT_EXPECT_EQ(test, kitt_sess_params_show(&p, KITT_KEY_OF_MARKER, buf,
						    sizeof(buf)), -ENOENT);
	KUNIT_EXPECT_EQ(test, kitt_sess_params_show(&p, KITT_NR_KEYS, buf,
						    sizeof(buf)), -ENOENT);
	/* cut short, still terminated */
	KUNIT_EXPECT_EQ(test, kitt_sess_params_show(&p, KITT_KEY_MAX_RECV_DSL, buf,
						    4), 3);
	KUNIT_EXPECT_STREQ(test, buf, "262");
}

static void params_print(struct kunit *test)
{
	struct kitt_sess_params p;
	unsigned int k, lines = 0, keys = 0;
	ssize_t len;
	char *buf, *line;

	buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	kitt_sess_params_init(&p);
	p.data_digest = true;
	len = kitt_sess_params_print(&p, buf, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, len, (ssize_t)strlen(buf));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "HeaderDigest=None\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "DataDigest=CRC32C\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nMaxRecvDataSegmentLength=8192\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nMaxXmitDataSegmentLength=8192\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nInitialR2T=Yes\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nSessionType=Normal\n"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\niSCSIProtocolLevel=1\n"));
	KUNIT_EXPECT_NULL(test, strstr(buf, "Marker"));
	KUNIT_EXPECT_NULL(test, strstr(buf, "AuthMethod"));
	for (line = buf; *line; line++)
		lines += *line == '\n';
	for (k = 0; k < KITT_NR_KEYS; k++)
		keys += kitt_sess_params_has(k);
	KUNIT_EXPECT_EQ(test, lines, keys);
	KUNIT_EXPECT_EQ(test, keys, 18U);

	/* a small buffer: cut short and terminated */
	memset(buf, 'x', 40);
	len = kitt_sess_params_print(&p, buf, 30);
	KUNIT_EXPECT_EQ(test, len, 29);
	KUNIT_EXPECT_EQ(test, buf[29], '\0');
	KUNIT_EXPECT_EQ(test, buf[30], 'x');
}

/* store @s, expecting @ret; on failure the offer must not change */
static void kitt_test_store(struct kunit *test, struct kitt_param_offer *o,
			    enum kitt_key key, const char *s, int ret)
{
	struct kitt_param_offer before = *o;

	KUNIT_EXPECT_EQ_MSG(test, kitt_params_offer_store(o, key, s, strlen(s)), ret,
			    "%s <- \"%s\"", kitt_params_key_name(key), s);
	if (ret)
		KUNIT_EXPECT_EQ_MSG(test, memcmp(&before, o, sizeof(before)), 0,
				    "%s <- \"%s\" changed the offer",
				    kitt_params_key_name(key), s);
}

static void kitt_test_show(struct kunit *test, struct kitt_param_offer *o,
			   enum kitt_key key, const char *want)
{
	char *page = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, page);
	KUNIT_EXPECT_EQ(test, kitt_params_offer_show(o, key, page),
			(ssize_t)strlen(want));
	KUNIT_EXPECT_STREQ(test, page, want);
}

static void params_offer_store_list(struct kunit *test)
{
	struct kitt_param_offer o;

	kitt_params_offer_init(&o);
	kitt_test_show(test, &o, KITT_KEY_HEADER_DIGEST, "CRC32C,None\n");
	kitt_test_store(test, &o, KITT_KEY_HEADER_DIGEST, "CRC32C\n", 0);
	kitt_test_show(test, &o, KITT_KEY_HEADER_DIGEST, "CRC32C\n");
	kitt_test_store(test, &o, KITT_KEY_HEADER_DIGEST, "None", 0);
	kitt_test_show(test, &o, KITT_KEY_HEADER_DIGEST, "None\n");
	kitt_test_store(test, &o, KITT_KEY_DATA_DIGEST, "None,CRC32C\n", 0);
	kitt_test_show(test, &o, KITT_KEY_DATA_DIGEST, "CRC32C,None\n");

	kitt_test_store(test, &o, KITT_KEY_HEADER_DIGEST, "", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_HEADER_DIGEST, "\n", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_HEADER_DIGEST, "crc32c", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_HEADER_DIGEST, "CRC32C,,None", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_HEADER_DIGEST, "CRC32C,", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_HEADER_DIGEST, "CRC32C,Foo", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_HEADER_DIGEST, "CRC32C\n\n", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_HEADER_DIGEST, " CRC32C", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_HEADER_DIGEST, "CRC32C ", -EINVAL);
}

static void params_offer_store_bool(struct kunit *test)
{
	static const char * const bad[] = {
		"", "\n", "maybe", "YES", "Yes\n\n", "2", "y", "Yes ",
	};
	struct kitt_param_offer o;
	unsigned int i;

	kitt_params_offer_init(&o);
	kitt_test_show(test, &o, KITT_KEY_IMMEDIATE_DATA, "Yes\n");
	kitt_test_show(test, &o, KITT_KEY_INITIAL_R2T, "No\n");
	kitt_test_store(test, &o, KITT_KEY_IMMEDIATE_DATA, "No\n", 0);
	kitt_test_show(test, &o, KITT_KEY_IMMEDIATE_DATA, "No\n");
	kitt_test_store(test, &o, KITT_KEY_IMMEDIATE_DATA, "1", 0);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_IMMEDIATE_DATA], 1U);
	kitt_test_store(test, &o, KITT_KEY_IMMEDIATE_DATA, "0\n", 0);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_IMMEDIATE_DATA], 0U);
	kitt_test_store(test, &o, KITT_KEY_INITIAL_R2T, "yes\n", 0);
	kitt_test_show(test, &o, KITT_KEY_INITIAL_R2T, "Yes\n");
	kitt_test_store(test, &o, KITT_KEY_INITIAL_R2T, "no", 0);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_INITIAL_R2T], 0U);
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		kitt_test_store(test, &o, KITT_KEY_IMMEDIATE_DATA, bad[i], -EINVAL);
}

static void params_offer_store_number(struct kunit *test)
{
	static const char * const bad[] = {
		"", "\n", "511", "16777216", "4294967296", "99999999999999999999",
		"65536\n\n", "+65536", " 65536", "65536 ", "65536x", "0x10000",
		"-1", "64k",
	};
	struct kitt_param_offer o;
	unsigned int i;

	kitt_params_offer_init(&o);
	kitt_test_show(test, &o, KITT_KEY_MAX_RECV_DSL, "262144\n");
	kitt_test_store(test, &o, KITT_KEY_MAX_RECV_DSL, "65536\n", 0);
	kitt_test_show(test, &o, KITT_KEY_MAX_RECV_DSL, "65536\n");
	kitt_test_store(test, &o, KITT_KEY_MAX_RECV_DSL, "512", 0);
	kitt_test_store(test, &o, KITT_KEY_MAX_RECV_DSL, "16777215", 0);
	kitt_test_show(test, &o, KITT_KEY_MAX_RECV_DSL, "16777215\n");
	for (i = 0; i < ARRAY_SIZE(bad); i++)
		kitt_test_store(test, &o, KITT_KEY_MAX_RECV_DSL, bad[i], -EINVAL);

	kitt_test_store(test, &o, KITT_KEY_MAX_CONNECTIONS, "0", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_MAX_CONNECTIONS, "65536", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_MAX_CONNECTIONS, "4\n", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_MAX_CONNECTIONS, "1\n", 0);
	kitt_test_show(test, &o, KITT_KEY_MAX_CONNECTIONS, "1\n");
	kitt_test_store(test, &o, KITT_KEY_DEFAULT_TIME2WAIT, "3600\n", 0);
	kitt_test_store(test, &o, KITT_KEY_DEFAULT_TIME2WAIT, "3601", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_DEFAULT_TIME2RETAIN, "0", 0);
	kitt_test_show(test, &o, KITT_KEY_DEFAULT_TIME2RETAIN, "0\n");
	kitt_test_store(test, &o, KITT_KEY_MAX_OUTSTANDING_R2T, "0", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_MAX_OUTSTANDING_R2T, "16", 0);
	kitt_test_store(test, &o, KITT_KEY_FIRST_BURST_LENGTH, "131072\n", 0);
	kitt_test_store(test, &o, KITT_KEY_MAX_BURST_LENGTH, "1048576\n", 0);
	kitt_test_show(test, &o, KITT_KEY_MAX_BURST_LENGTH, "1048576\n");
}

static void params_offer_store_other(struct kunit *test)
{
	struct kitt_param_offer o;
	char page[16];
	unsigned int k, n = 0;

	kitt_params_offer_init(&o);
	/* keys that are not files in params/ */
	kitt_test_store(test, &o, KITT_KEY_ERROR_RECOVERY_LEVEL, "1", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_AUTH_METHOD, "None", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_DATA_PDU_IN_ORDER, "No", -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_params_offer_show(&o, KITT_KEY_SESSION_TYPE, page),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_params_offer_store(&o, KITT_NR_KEYS, "1", 1),
			-EINVAL);
	KUNIT_EXPECT_FALSE(test, kitt_params_key_configurable(KITT_NR_KEYS));
	for (k = 0; k < KITT_NR_KEYS; k++)
		n += kitt_params_key_configurable(k);
	KUNIT_EXPECT_EQ(test, n, 11U);
	/* only @len bytes count */
	kitt_test_store(test, &o, KITT_KEY_MAX_OUTSTANDING_R2T, "1", 0);
	KUNIT_EXPECT_EQ(test, kitt_params_offer_store(&o, KITT_KEY_MAX_OUTSTANDING_R2T,
						      "22\n", 1), 0);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_MAX_OUTSTANDING_R2T], 2U);
	/* an embedded NUL is not a shorter string */
	KUNIT_EXPECT_EQ(test, kitt_params_offer_store(&o, KITT_KEY_MAX_OUTSTANDING_R2T,
						      "3\0", 2), -EINVAL);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_MAX_OUTSTANDING_R2T], 2U);
	/* one connection per session: MaxConnections offers no more */
	kitt_test_store(test, &o, KITT_KEY_MAX_CONNECTIONS, "1\n", 0);
	kitt_test_store(test, &o, KITT_KEY_MAX_CONNECTIONS, "2", -EINVAL);
	kitt_test_store(test, &o, KITT_KEY_MAX_CONNECTIONS, "65535", -EINVAL);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_MAX_CONNECTIONS], 1U);
}

static void params_default_store(struct kunit *test)
{
	struct kitt_param_offer o;

	KUNIT_EXPECT_EQ(test, kitt_params_default_store(KITT_KEY_MAX_RECV_DSL,
							"131072\n", 7), 0);
	kitt_params_offer_init(&o);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_MAX_RECV_DSL], 131072U);
	KUNIT_EXPECT_EQ(test, kitt_params_default_store(KITT_KEY_MAX_RECV_DSL,
							"100", 3), -EINVAL);
	kitt_params_offer_init(&o);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_MAX_RECV_DSL], 131072U);
	/* back to kitt's default for the other tests */
	KUNIT_EXPECT_EQ(test, kitt_params_default_store(KITT_KEY_MAX_RECV_DSL,
							"262144", 6), 0);
	kitt_params_offer_init(&o);
	KUNIT_EXPECT_EQ(test, o.val[KITT_KEY_MAX_RECV_DSL], 262144U);
}

static struct kunit_case kitt_params_test_cases[] = {
	KUNIT_CASE(params_table),
	KUNIT_CASE(params_defaults),
	KUNIT_CASE(params_list_digest),
	KUNIT_CASE(params_list_task_reporting),
	KUNIT_CASE(params_bool_and),
	KUNIT_CASE(params_bool_or),
	KUNIT_CASE(params_num_min),
	KUNIT_CASE(params_num_max),
	KUNIT_CASE(params_out_of_range),
	KUNIT_CASE(params_malformed_number),
	KUNIT_CASE(params_declarative),
	KUNIT_CASE(params_finish),
	KUNIT_CASE(params_finish_digest_required),
	KUNIT_CASE(params_irrelevant_discovery),
	KUNIT_CASE(params_irrelevant_first_burst),
	KUNIT_CASE(params_first_burst_limit),
	KUNIT_CASE(params_r2t_rule),
	KUNIT_CASE(params_markers),
	KUNIT_CASE(params_not_understood),
	KUNIT_CASE(params_login_keys),
	KUNIT_CASE(params_duplicate),
	KUNIT_CASE(params_stages),
	KUNIT_CASE(params_non_leading),
	KUNIT_CASE(params_overflow),
	KUNIT_CASE(params_open_iscsi_login),
	KUNIT_CASE(params_show),
	KUNIT_CASE(params_print),
	KUNIT_CASE(params_offer_store_list),
	KUNIT_CASE(params_offer_store_bool),
	KUNIT_CASE(params_offer_store_number),
	KUNIT_CASE(params_offer_store_other),
	KUNIT_CASE(params_default_store),
	{}
};

static struct kunit_suite kitt_params_test_suite = {
	.name = "kitt_params",
	.test_cases = kitt_params_test_cases,
};

kunit_test_suite(kitt_params_test_suite);
