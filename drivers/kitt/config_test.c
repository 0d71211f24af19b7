// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the configuration tree's parsers: iSCSI names and
 * portal addresses.
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/ipv6.h>

#include "kitt.h"

static void config_iscsi_names_valid(struct kunit *test)
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

static void config_iscsi_names_invalid(struct kunit *test)
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

static void config_portal_ipv4(struct kunit *test)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("127.0.0.1:3260", &ss), 0);
	KUNIT_EXPECT_EQ(test, sin->sin_family, AF_INET);
	KUNIT_EXPECT_EQ(test, ntohl(sin->sin_addr.s_addr), 0x7f000001U);
	KUNIT_EXPECT_EQ(test, ntohs(sin->sin_port), 3260);

	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("0.0.0.0:65535", &ss), 0);
	KUNIT_EXPECT_EQ(test, sin->sin_addr.s_addr, htonl(INADDR_ANY));
	KUNIT_EXPECT_EQ(test, ntohs(sin->sin_port), 65535);
	KUNIT_EXPECT_TRUE(test, kitt_addr_is_wildcard(&ss));

	/* No port: the port module parameter */
	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("10.1.2.3", &ss), 0);
	KUNIT_EXPECT_EQ(test, ntohl(sin->sin_addr.s_addr), 0x0a010203U);
	KUNIT_EXPECT_EQ(test, ntohs(sin->sin_port), kitt_default_port);
	KUNIT_EXPECT_FALSE(test, kitt_addr_is_wildcard(&ss));
}

static void config_portal_ipv6(struct kunit *test)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("[::1]:3260", &ss), 0);
	KUNIT_EXPECT_EQ(test, sin6->sin6_family, AF_INET6);
	KUNIT_EXPECT_TRUE(test, ipv6_addr_loopback(&sin6->sin6_addr));
	KUNIT_EXPECT_EQ(test, ntohs(sin6->sin6_port), 3260);
	KUNIT_EXPECT_EQ(test, sin6->sin6_scope_id, 0U);

	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("[::]:3261", &ss), 0);
	KUNIT_EXPECT_TRUE(test, kitt_addr_is_wildcard(&ss));
	KUNIT_EXPECT_EQ(test, ntohs(sin6->sin6_port), 3261);

	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("[2001:db8::1]", &ss), 0);
	KUNIT_EXPECT_EQ(test, ntohs(sin6->sin6_port), kitt_default_port);
	KUNIT_EXPECT_EQ(test, ntohl(sin6->sin6_addr.s6_addr32[0]), 0x20010db8U);

	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("[fe80::1%7]:3260", &ss), 0);
	KUNIT_EXPECT_EQ(test, sin6->sin6_scope_id, 7U);
}

static void config_portal_invalid(struct kunit *test)
{
	static const char * const bad[] = {
		"", "foo", ":3260", "127.0.0.1:", "127.0.0.1:0", "127.0.0.1:65536",
		"127.0.0.1:99999", "127.0.0.1:+1", "127.0.0.1:-1", "127.0.0.1:32a",
		"127.0.0.1:3260:1", "256.0.0.1:3260", "1.2.3:3260", "1.2.3.4.5:3260",
		" 127.0.0.1:3260", "127.0.0.1 :3260", "::1:3260", "::1", "[::1", "[::1]3260",
		"[::1]:", "[]:3260", "[::g]:3260", "[::1]:0", "[::ffff:127.0.0.1]:3260",
		"[::1%]:3260", "[::1%0]:3260", "[[::1]]:3260", "[::1]:3260]",
	};
	struct sockaddr_storage ss;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		KUNIT_EXPECT_EQ_MSG(test, kitt_parse_portal_addr(bad[i], &ss), -EINVAL, "%s",
				    bad[i]);
}

static void config_addr_equal_covers(struct kunit *test)
{
	struct sockaddr_storage any4, lo4, lo4b, other4, any6, lo6, any4_other;

	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("0.0.0.0:3260", &any4), 0);
	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("127.0.0.1:3260", &lo4), 0);
	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("127.0.0.1", &lo4b), 0);
	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("127.0.0.2:3260", &other4), 0);
	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("[::]:3260", &any6), 0);
	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("[0:0::1]:3260", &lo6), 0);
	KUNIT_ASSERT_EQ(test, kitt_parse_portal_addr("0.0.0.0:3261", &any4_other), 0);

	/* The same address in another spelling */
	KUNIT_EXPECT_TRUE(test, kitt_addr_equal(&lo4, &lo4b));
	KUNIT_EXPECT_FALSE(test, kitt_addr_equal(&lo4, &other4));
	KUNIT_EXPECT_FALSE(test, kitt_addr_equal(&any4, &any6));
	KUNIT_EXPECT_FALSE(test, kitt_addr_equal(&any4, &any4_other));

	/* A wildcard serves specific addresses of its family and port */
	KUNIT_EXPECT_TRUE(test, kitt_addr_covers(&any4, &lo4));
	KUNIT_EXPECT_TRUE(test, kitt_addr_covers(&any4, &other4));
	KUNIT_EXPECT_TRUE(test, kitt_addr_covers(&any6, &lo6));
	KUNIT_EXPECT_FALSE(test, kitt_addr_covers(&any6, &lo4));
	KUNIT_EXPECT_FALSE(test, kitt_addr_covers(&any4, &lo6));
	KUNIT_EXPECT_FALSE(test, kitt_addr_covers(&any4_other, &lo4));
	KUNIT_EXPECT_FALSE(test, kitt_addr_covers(&lo4, &lo4));
	KUNIT_EXPECT_FALSE(test, kitt_addr_covers(&any4, &any4));
}

static struct kunit_case kitt_config_cases[] = {
	KUNIT_CASE(config_iscsi_names_valid),
	KUNIT_CASE(config_iscsi_names_invalid),
	KUNIT_CASE(config_portal_ipv4),
	KUNIT_CASE(config_portal_ipv6),
	KUNIT_CASE(config_portal_invalid),
	KUNIT_CASE(config_addr_equal_covers),
	{}
};

static struct kunit_suite kitt_config_suite = {
	.name = "kitt_config",
	.test_cases = kitt_config_cases,
};

kunit_test_suite(kitt_config_suite);
