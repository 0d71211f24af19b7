// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for addr.c: portal directory names (IPv4, IPv6 with and
 * without a scope, ports, and every malformed form refused), and how
 * addresses compare (equal, a wildcard covering a specific address).
 */
#include <kunit/test.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <net/ipv6.h>

#include "kitt.h"

static void addr_portal_ipv4(struct kunit *test)
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

static void addr_portal_ipv6(struct kunit *test)
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

static void addr_portal_invalid(struct kunit *test)
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

static void addr_equal_covers(struct kunit *test)
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

static struct kunit_case kitt_addr_test_cases[] = {
	KUNIT_CASE(addr_portal_ipv4),
	KUNIT_CASE(addr_portal_ipv6),
	KUNIT_CASE(addr_portal_invalid),
	KUNIT_CASE(addr_equal_covers),
	{}
};

static struct kunit_suite kitt_addr_test_suite = {
	.name = "kitt_addr",
	.test_cases = kitt_addr_test_cases,
};

kunit_test_suite(kitt_addr_test_suite);
