// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kitt's statistics: how a login's final status and a
 * command's status are classified, and which latency bucket counts a
 * command.
 */
#include <kunit/test.h>
#include <scsi/scsi_proto.h>

#include "kitt.h"

static void stats_login_outcome(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kitt_login_outcome(ISCSI_STATUS_CLS_SUCCESS, 0),
			KITT_LOGIN_ACCEPTED);
	KUNIT_EXPECT_EQ(test, kitt_login_outcome(ISCSI_STATUS_CLS_INITIATOR_ERR,
						 ISCSI_LOGIN_STATUS_AUTH_FAILED),
			KITT_LOGIN_AUTH_FAILED);
	KUNIT_EXPECT_EQ(test, kitt_login_outcome(ISCSI_STATUS_CLS_INITIATOR_ERR,
						 ISCSI_LOGIN_STATUS_TGT_FORBIDDEN),
			KITT_LOGIN_FORBIDDEN);
	KUNIT_EXPECT_EQ(test, kitt_login_outcome(ISCSI_STATUS_CLS_INITIATOR_ERR,
						 ISCSI_LOGIN_STATUS_TGT_NOT_FOUND),
			KITT_LOGIN_TARGET_NOT_FOUND);
	KUNIT_EXPECT_EQ(test, kitt_login_outcome(ISCSI_STATUS_CLS_INITIATOR_ERR,
						 ISCSI_LOGIN_STATUS_ISID_ERROR),
			KITT_LOGIN_TOO_MANY_CONNECTIONS);
	KUNIT_EXPECT_EQ(test, kitt_login_outcome(ISCSI_STATUS_CLS_INITIATOR_ERR,
						 ISCSI_LOGIN_STATUS_INVALID_REQUEST),
			KITT_LOGIN_INVALID_REQUEST);
	/* A detail kitt does not know: the class's generic error. */
	KUNIT_EXPECT_EQ(test, kitt_login_outcome(ISCSI_STATUS_CLS_INITIATOR_ERR, 0x7f),
			KITT_LOGIN_INITIATOR_ERROR);
	KUNIT_EXPECT_EQ(test, kitt_login_outcome(ISCSI_STATUS_CLS_TARGET_ERR,
						 ISCSI_LOGIN_STATUS_SVC_UNAVAILABLE),
			KITT_LOGIN_SERVICE_UNAVAILABLE);
	KUNIT_EXPECT_EQ(test, kitt_login_outcome(ISCSI_STATUS_CLS_TARGET_ERR,
						 ISCSI_LOGIN_STATUS_NO_RESOURCES),
			KITT_LOGIN_OUT_OF_RESOURCES);
	KUNIT_EXPECT_EQ(test, kitt_login_outcome(ISCSI_STATUS_CLS_TARGET_ERR, 0x55),
			KITT_LOGIN_TARGET_ERROR);
	KUNIT_EXPECT_EQ(test, kitt_login_outcome(ISCSI_STATUS_CLS_REDIRECT, 1),
			KITT_LOGIN_TARGET_ERROR);
}

static void stats_outcome_names(struct kunit *test)
{
	int i;

	/* Every outcome has a name: sysfs and Prometheus show them. */
	for (i = 0; i < KITT_LOGIN_NR_OUTCOMES; i++)
		KUNIT_EXPECT_NOT_ERR_OR_NULL(test, kitt_login_outcome_names[i]);
	KUNIT_EXPECT_STREQ(test, kitt_login_outcome_names[KITT_LOGIN_AUTH_FAILED],
			   "authentication_failed");
	KUNIT_EXPECT_STREQ(test, kitt_login_outcome_names[KITT_LOGIN_HOST_LIMIT],
			   "host_login_limit");
}

static void stats_error_kind(struct kunit *test)
{
	u8 fixed[18] = { 0x70, 0, MEDIUM_ERROR, [7] = 10, [12] = 0x11 };
	u8 desc[8] = { 0x72, ILLEGAL_REQUEST, 0x24, 0 };

	KUNIT_EXPECT_EQ(test, kitt_stats_error_kind(SAM_STAT_GOOD, NULL, 0), -1);
	KUNIT_EXPECT_EQ(test, kitt_stats_error_kind(SAM_STAT_CONDITION_MET, NULL, 0), -1);
	KUNIT_EXPECT_EQ(test, kitt_stats_error_kind(SAM_STAT_CHECK_CONDITION, fixed,
						    sizeof(fixed)),
			KITT_STAT_ERR_MEDIUM);
	KUNIT_EXPECT_EQ(test, kitt_stats_error_kind(SAM_STAT_CHECK_CONDITION, desc,
						    sizeof(desc)),
			KITT_STAT_ERR_ILLEGAL_REQUEST);
	fixed[2] = DATA_PROTECT;
	KUNIT_EXPECT_EQ(test, kitt_stats_error_kind(SAM_STAT_CHECK_CONDITION, fixed,
						    sizeof(fixed)),
			KITT_STAT_ERR_DATA_PROTECT);
	fixed[2] = MISCOMPARE;
	KUNIT_EXPECT_EQ(test, kitt_stats_error_kind(SAM_STAT_CHECK_CONDITION, fixed,
						    sizeof(fixed)),
			KITT_STAT_ERR_MISCOMPARE);
	/* No sense data: counted, as a sense of no known kind. */
	KUNIT_EXPECT_EQ(test, kitt_stats_error_kind(SAM_STAT_CHECK_CONDITION, fixed, 2),
			KITT_STAT_ERR_OTHER_SENSE);
	KUNIT_EXPECT_EQ(test, kitt_stats_error_kind(SAM_STAT_BUSY, NULL, 0),
			KITT_STAT_ERR_BUSY);
	KUNIT_EXPECT_EQ(test, kitt_stats_error_kind(SAM_STAT_TASK_SET_FULL, NULL, 0),
			KITT_STAT_ERR_TASK_SET_FULL);
	KUNIT_EXPECT_EQ(test, kitt_stats_error_kind(SAM_STAT_RESERVATION_CONFLICT, NULL, 0),
			KITT_STAT_ERR_RESERVATION_CONFLICT);
}

static void stats_latency_bucket(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, kitt_stats_latency_bucket(0), 0U);
	KUNIT_EXPECT_EQ(test, kitt_stats_latency_bucket(50 * NSEC_PER_USEC), 0U);
	KUNIT_EXPECT_EQ(test, kitt_stats_latency_bucket(50 * NSEC_PER_USEC + 1), 1U);
	KUNIT_EXPECT_EQ(test, kitt_stats_latency_bucket(100 * NSEC_PER_USEC), 1U);
	KUNIT_EXPECT_EQ(test, kitt_stats_latency_bucket(1 * NSEC_PER_MSEC), 4U);
	KUNIT_EXPECT_EQ(test, kitt_stats_latency_bucket(5 * NSEC_PER_SEC), 15U);
	/* Beyond the last bound: the +Inf bucket. */
	KUNIT_EXPECT_EQ(test, kitt_stats_latency_bucket(5 * NSEC_PER_SEC + 1),
			(unsigned int)KITT_LAT_BUCKETS - 1);
	KUNIT_EXPECT_EQ(test, kitt_stats_latency_bucket(U64_MAX),
			(unsigned int)KITT_LAT_BUCKETS - 1);
}

static struct kunit_case kitt_stats_test_cases[] = {
	KUNIT_CASE(stats_login_outcome),
	KUNIT_CASE(stats_outcome_names),
	KUNIT_CASE(stats_error_kind),
	KUNIT_CASE(stats_latency_bucket),
	{}
};

static struct kunit_suite kitt_stats_test_suite = {
	.name = "kitt_stats",
	.test_cases = kitt_stats_test_cases,
};

kunit_test_suite(kitt_stats_test_suite);
