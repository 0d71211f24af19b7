// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests of kitt's statistics: how a login's final status and a
 * command's status are classified, which latency bucket counts a
 * command, how counters add up and fold, the text of the statistics and
 * task_management files, and a connection counting for its session.
 */
#include <kunit/test.h>
#include <linux/percpu.h>
#include <linux/string.h>
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
	KUNIT_EXPECT_STREQ(test, kitt_login_outcome_names[KITT_LOGIN_CONN_LIMIT], "conn_limit");
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

static void stats_io_add(struct kunit *test)
{
	struct kitt_io_stats cpu0 = {
		.cmds = { 3, 1, 2 }, .read_bytes = 4096, .write_bytes = 512,
		.errors = { [KITT_STAT_ERR_MEDIUM] = 1 }, .in_flight = 2,
	};
	struct kitt_io_stats cpu1 = {
		.cmds = { 1 }, .read_bytes = 1024,
		.errors = { [KITT_STAT_ERR_MEDIUM] = 1, [KITT_STAT_ERR_BUSY] = 1 },
		/* Ended here, started on CPU 0. */
		.in_flight = -2,
	};
	struct kitt_stats_totals t = {};

	kitt_stats_io_add(&t, &cpu0);
	kitt_stats_io_add(&t, &cpu1);
	KUNIT_EXPECT_EQ(test, t.cmds[KITT_STAT_CMD_READ], 4ULL);
	KUNIT_EXPECT_EQ(test, t.cmds[KITT_STAT_CMD_WRITE], 1ULL);
	KUNIT_EXPECT_EQ(test, t.cmds[KITT_STAT_CMD_OTHER], 2ULL);
	KUNIT_EXPECT_EQ(test, t.read_bytes, 5120ULL);
	KUNIT_EXPECT_EQ(test, t.write_bytes, 512ULL);
	KUNIT_EXPECT_EQ(test, t.errors[KITT_STAT_ERR_MEDIUM], 2ULL);
	KUNIT_EXPECT_EQ(test, t.errors[KITT_STAT_ERR_BUSY], 1ULL);
	KUNIT_EXPECT_EQ(test, t.in_flight, 0L);
}

static void stats_totals_fold(struct kunit *test)
{
	struct kitt_stats_totals kept = { .cmds = { 1 }, .in_flight = 0 };
	struct kitt_stats_totals gone = {
		.cmds = { 2, 3, 4 }, .read_bytes = 10, .write_bytes = 20,
		.errors = { [KITT_STAT_ERR_ILLEGAL_REQUEST] = 5 },
		.tmfs = { [ISCSI_TM_FUNC_LOGICAL_UNIT_RESET] = 1 },
		.in_flight = 7,
	};

	kitt_stats_totals_fold(&kept, &gone);
	KUNIT_EXPECT_EQ(test, kept.cmds[KITT_STAT_CMD_READ], 3ULL);
	KUNIT_EXPECT_EQ(test, kept.cmds[KITT_STAT_CMD_WRITE], 3ULL);
	KUNIT_EXPECT_EQ(test, kept.cmds[KITT_STAT_CMD_OTHER], 4ULL);
	KUNIT_EXPECT_EQ(test, kept.read_bytes, 10ULL);
	KUNIT_EXPECT_EQ(test, kept.write_bytes, 20ULL);
	KUNIT_EXPECT_EQ(test, kept.errors[KITT_STAT_ERR_ILLEGAL_REQUEST], 5ULL);
	KUNIT_EXPECT_EQ(test, kept.tmfs[ISCSI_TM_FUNC_LOGICAL_UNIT_RESET], 1ULL);
	/* What went has nothing in flight any more. */
	KUNIT_EXPECT_EQ(test, kept.in_flight, 0L);
}

static void stats_io_print(struct kunit *test)
{
	struct kitt_stats_totals t = {
		.cmds = { 2, 1, 5 }, .read_bytes = 8192, .write_bytes = 4096,
		.errors = { [KITT_STAT_ERR_ILLEGAL_REQUEST] = 1,
			    [KITT_STAT_ERR_RESERVATION_CONFLICT] = 2 },
		.in_flight = 3,
	};
	static const char want[] =
		"read_commands 2\nwrite_commands 1\nother_commands 5\n"
		"read_bytes 8192\nwrite_bytes 4096\n"
		"errors_not_ready 0\nerrors_medium_error 0\nerrors_hardware_error 0\n"
		"errors_illegal_request 1\nerrors_unit_attention 0\nerrors_data_protect 0\n"
		"errors_aborted_command 0\nerrors_miscompare 0\nerrors_other_sense 0\n"
		"errors_busy 0\nerrors_task_set_full 0\nerrors_reservation_conflict 2\n"
		"in_flight 3\n";
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);
	int len;

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	len = kitt_stats_io_print(&t, buf, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, len, (int)strlen(want));
	KUNIT_EXPECT_STREQ(test, buf, want);

	/* A sum that lags (ended on a CPU not read yet) shows 0, not < 0. */
	t.in_flight = -1;
	kitt_stats_io_print(&t, buf, PAGE_SIZE);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "\nin_flight 0\n"));

	/* A short buffer: cut, never overrun. */
	memset(buf, 'x', PAGE_SIZE);
	len = kitt_stats_io_print(&t, buf, 20);
	KUNIT_EXPECT_EQ(test, len, 19);
	KUNIT_EXPECT_EQ(test, buf[19], '\0');
	KUNIT_EXPECT_EQ(test, buf[20], 'x');
}

static void stats_tmfs_print(struct kunit *test)
{
	struct kitt_stats_totals t = {
		.tmfs = { [ISCSI_TM_FUNC_ABORT_TASK] = 4, [ISCSI_TM_FUNC_LOGICAL_UNIT_RESET] = 1,
			  [0] = 2 },
	};
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	kitt_stats_tmfs_print(&t, buf, PAGE_SIZE);
	KUNIT_EXPECT_STREQ(test, buf,
			   "other 2\nabort_task 4\nabort_task_set 0\nclear_aca 0\n"
			   "clear_task_set 0\nlogical_unit_reset 1\ntarget_warm_reset 0\n"
			   "target_cold_reset 0\ntask_reassign 0\n");
}

/* The value of "name N" in @buf, or -1. */
static long long stats_line(const char *buf, const char *name)
{
	size_t n = strlen(name);
	long long v;

	while (buf && *buf) {
		if (!strncmp(buf, name, n) && buf[n] == ' ' &&
		    sscanf(buf + n + 1, "%lld", &v) == 1)
			return v;
		buf = strchr(buf, '\n');
		if (buf)
			buf++;
	}
	return -1;
}

/*
 * A connection counts for its session: while it lives the session adds
 * its counters up, and when it goes the session keeps them.
 */
static void stats_conn_session(struct kunit *test)
{
	struct kitt_stats_sum *sess = kunit_kzalloc(test, sizeof(*sess), GFP_KERNEL);
	struct kitt_conn_stats *cs = kunit_kzalloc(test, sizeof(*cs), GFP_KERNEL);
	char *buf = kunit_kzalloc(test, PAGE_SIZE, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, sess);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, cs);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	kitt_stats_sum_init(sess);
	KUNIT_ASSERT_EQ(test, kitt_stats_conn_init(cs), 0);
	kitt_stats_conn_attach(cs, sess, NULL);

	kitt_stats_cmd_start(cs);
	kitt_stats_cmd_start(cs);
	kitt_stats_cmd_done(NULL, cs, KITT_STAT_CMD_READ, 65536, -1, 1000);
	kitt_stats_cmd_end(cs);
	kitt_stats_cmd_done(NULL, cs, KITT_STAT_CMD_OTHER, 0, KITT_STAT_ERR_ILLEGAL_REQUEST, 1000);
	kitt_stats_tmf(cs, NULL, ISCSI_TM_FUNC_ABORT_TASK);
	kitt_stats_tmf(cs, NULL, 0x55);

	kitt_stats_sum_show(sess, false, buf);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "read_commands"), 1LL);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "other_commands"), 1LL);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "read_bytes"), 65536LL);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "errors_illegal_request"), 1LL);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "in_flight"), 1LL);
	kitt_stats_sum_show(sess, true, buf);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "abort_task"), 1LL);
	/* A function kitt does not know counts as "other". */
	KUNIT_EXPECT_EQ(test, stats_line(buf, "other"), 1LL);

	/* The connection's own file: the same, and its PDUs and bytes. */
	this_cpu_add(cs->pcpu->rx_bytes, 48);
	this_cpu_inc(cs->pcpu->rx_pdus);
	kitt_stats_conn_show(cs, false, buf);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "read_bytes"), 65536LL);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "rx_pdus"), 1LL);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "rx_bytes"), 48LL);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "digest_errors"), 0LL);

	kitt_stats_cmd_end(cs);
	kitt_stats_conn_detach(cs);
	kitt_stats_conn_exit(cs);
	KUNIT_EXPECT_TRUE(test, list_empty(&sess->conns));
	kitt_stats_sum_show(sess, false, buf);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "read_commands"), 1LL);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "read_bytes"), 65536LL);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "errors_illegal_request"), 1LL);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "in_flight"), 0LL);
	kitt_stats_sum_show(sess, true, buf);
	KUNIT_EXPECT_EQ(test, stats_line(buf, "abort_task"), 1LL);
}

static struct kunit_case kitt_stats_test_cases[] = {
	KUNIT_CASE(stats_login_outcome),
	KUNIT_CASE(stats_outcome_names),
	KUNIT_CASE(stats_error_kind),
	KUNIT_CASE(stats_latency_bucket),
	KUNIT_CASE(stats_io_add),
	KUNIT_CASE(stats_totals_fold),
	KUNIT_CASE(stats_io_print),
	KUNIT_CASE(stats_tmfs_print),
	KUNIT_CASE(stats_conn_session),
	{}
};

static struct kunit_suite kitt_stats_test_suite = {
	.name = "kitt_stats",
	.test_cases = kitt_stats_test_cases,
};

kunit_test_suite(kitt_stats_test_suite);
