// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for configfs.c's name checks: iSCSI names in the forms of
 * RFC 7143 4.2.7 (iqn., eui., naa.), good and bad.
 */
#include <kunit/test.h>

#include "kitt.h"

static void configfs_iscsi_names_valid(struct kunit *test)
{
	static const char * const good[] = {
		"iqn.2024-01.org.kitt",
		"iqn.2024-01.org.kitt:a",
		"iqn.2024-12.org.kitt:a.b-c:d:",
		"iqn.1993-08.org.debian:01:1234abcd",
		"iqn.2007-10.com.github:sahlberg:libiscsi:iscsi-test",
		"iqn.2003-01.org.linux-iscsi.host.x8664:sn.f1d3c4e5",
		"iqn.2024-01.a",
		"eui.02004567A425678D",
		"eui.0123456789abcdef",
		"naa.52004567BA64678D",
		"naa.60012345678901234567890123456789",
	};
	char longest[KITT_NAME_MAX];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(good); i++)
		KUNIT_EXPECT_TRUE_MSG(test, kitt_valid_iscsi_name(good[i]), "%s", good[i]);

	/* 223 bytes is the limit (RFC 7143 4.2.7) */
	memset(longest, 'x', sizeof(longest));
	memcpy(longest, "iqn.2024-01.org.kitt:", 21);
	longest[223] = '\0';
	KUNIT_EXPECT_TRUE(test, kitt_valid_iscsi_name(longest));
}

static void configfs_iscsi_names_invalid(struct kunit *test)
{
	static const char * const bad[] = {
		"", "foo", "iqn", "iqn.", "iqn.2024", "iqn.2024-01", "iqn.2024-01.",
		"iqn.2024-13.org.kitt", "iqn.2024-00.org.kitt", "iqn.2024-1.org.kitt",
		"iqn.24-01.org.kitt", "iqn.2024_01.org.kitt", "iqn.2024-01-org.kitt",
		"iqn.2024-01.org.kitt:", "iqn.2024-01.:x", "iqn.2024-01..org",
		"iqn.2024-01.org..kitt", "iqn.2024-01.org.kitt.", "iqn.2024-01..",
		"IQN.2024-01.org.kitt", "iqn.2024-01.Org.kitt", "iqn.2024-01.org.kitt:A",
		"iqn.2024-01.org_kitt", "iqn.2024-01.org.kitt:a_b", "iqn.2024-01.org.kitt:a b",
		"iqn.2024-01.org.kitt:a/b", "iqn.2024-01.org.k\xc3\xa9",
		"eui.", "eui.123", "eui.0123456789abcdeg", "eui.0123456789abcdef0",
		"EUI.0123456789abcdef", "naa.0123", "naa.0123456789abcdef0",
		"naa.0123456789abcdef0123456789abcdeg", "naa.0123456789abcdef012345678",
	};
	char toolong[KITT_NAME_MAX + 1];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_FALSE_MSG(test, kitt_valid_iscsi_name(bad[i]), "%s", bad[i]);

	memset(toolong, 'x', sizeof(toolong));
	memcpy(toolong, "iqn.2024-01.org.kitt:", 21);
	toolong[224] = '\0';
	KUNIT_EXPECT_FALSE(test, kitt_valid_iscsi_name(toolong));
}

static struct kunit_case kitt_configfs_test_cases[] = {
	KUNIT_CASE(configfs_iscsi_names_valid),
	KUNIT_CASE(configfs_iscsi_names_invalid),
	{}
};

static struct kunit_suite kitt_configfs_test_suite = {
	.name = "kitt_configfs",
	.test_cases = kitt_configfs_test_cases,
};

kunit_test_suite(kitt_configfs_test_suite);
