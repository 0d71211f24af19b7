// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for configfs.c's name checks: iSCSI names in the forms of
 * RFC 7143 4.2.7 (iqn., eui., naa.), good and bad; and for the lookup
 * through an ACL's LUN map (tpg.c).
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

/* The LUN an initiator sees: the group's own without a map, else the map's. */
static void configfs_lun_map_lookup(struct kunit *test)
{
	struct kitt_tpg *tpg = kunit_kzalloc(test, sizeof(*tpg), GFP_KERNEL);
	struct kitt_lun_map *map = kunit_kzalloc(test, sizeof(*map), GFP_KERNEL);
	struct kitt_acl_luns luns = {};
	static struct kitt_lun l0, l2;
	bool wp = true;

	KUNIT_ASSERT_NOT_NULL(test, tpg);
	KUNIT_ASSERT_NOT_NULL(test, map);
	RCU_INIT_POINTER(tpg->luns[0], &l0);
	RCU_INIT_POINTER(tpg->luns[2], &l2);

	rcu_read_lock();
	/* No ACL map (or lun_map "all"): every LUN as itself, writable. */
	KUNIT_EXPECT_PTR_EQ(test, kitt_lun_rcu(tpg, NULL, 0, &wp), &l0);
	KUNIT_EXPECT_FALSE(test, wp);
	KUNIT_EXPECT_NULL(test, kitt_lun_rcu(tpg, NULL, 1, &wp));
	KUNIT_EXPECT_PTR_EQ(test, kitt_lun_rcu(tpg, &luns, 2, &wp), &l2);
	KUNIT_EXPECT_NULL(test, kitt_lun_rcu(tpg, NULL, KITT_MAX_LUNS, &wp));
	KUNIT_EXPECT_NULL(test, kitt_lun_rcu(tpg, NULL, U64_MAX, &wp));

	/* A map: its LUN 0 is the group's 2 read-only, 1 is 0, 7 is unmapped 5. */
	memset(map->tpg_lun, 0xff, sizeof(map->tpg_lun));
	map->tpg_lun[0] = 2;
	__set_bit(0, map->wp);
	map->tpg_lun[1] = 0;
	map->tpg_lun[7] = 5;
	RCU_INIT_POINTER(luns.map, map);
	KUNIT_EXPECT_PTR_EQ(test, kitt_lun_rcu(tpg, &luns, 0, &wp), &l2);
	KUNIT_EXPECT_TRUE(test, wp);
	KUNIT_EXPECT_PTR_EQ(test, kitt_lun_rcu(tpg, &luns, 1, &wp), &l0);
	KUNIT_EXPECT_FALSE(test, wp);
	KUNIT_EXPECT_NULL(test, kitt_lun_rcu(tpg, &luns, 2, &wp));
	KUNIT_EXPECT_NULL(test, kitt_lun_rcu(tpg, &luns, 7, &wp));
	KUNIT_EXPECT_NULL(test, kitt_lun_rcu(tpg, &luns, KITT_MAX_LUNS - 1, &wp));
	KUNIT_EXPECT_NULL(test, kitt_lun_rcu(tpg, &luns, KITT_MAX_LUNS, &wp));
	rcu_read_unlock();

	/* Which number shows a group's LUN, mapped in the group or not. */
	KUNIT_EXPECT_TRUE(test, kitt_lun_map_shows(&luns, 2, 0));
	KUNIT_EXPECT_FALSE(test, kitt_lun_map_shows(&luns, 2, 2));
	KUNIT_EXPECT_TRUE(test, kitt_lun_map_shows(&luns, 5, 7));
	KUNIT_EXPECT_FALSE(test, kitt_lun_map_shows(&luns, 1, 1));
	KUNIT_EXPECT_FALSE(test, kitt_lun_map_shows(&luns, 0, KITT_MAX_LUNS));
	KUNIT_EXPECT_TRUE(test, kitt_lun_map_shows(NULL, 3, 3));
	KUNIT_EXPECT_FALSE(test, kitt_lun_map_shows(NULL, 3, 4));
	RCU_INIT_POINTER(luns.map, NULL);
	KUNIT_EXPECT_TRUE(test, kitt_lun_map_shows(&luns, 1, 1));
}

static struct kunit_case kitt_configfs_test_cases[] = {
	KUNIT_CASE(configfs_iscsi_names_valid),
	KUNIT_CASE(configfs_iscsi_names_invalid),
	KUNIT_CASE(configfs_lun_map_lookup),
	{}
};

static struct kunit_suite kitt_configfs_test_suite = {
	.name = "kitt_configfs",
	.test_cases = kitt_configfs_test_cases,
};

kunit_test_suite(kitt_configfs_test_suite);
