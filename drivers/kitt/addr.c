// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: portal addresses: the names of portals/<addr> directories, and
 * how two addresses compare (equal, or a wildcard serving a specific
 * one). Pure functions over struct sockaddr_storage; the listening
 * sockets are in portal.c.
 *
 * The kernel's inet_pton_with_scope() is not used: it ignores a scope on
 * an address that is not link-local (so "[::1%nosuchif]" would pass) and
 * takes a port in any base, where a portal name is refused unless every
 * part of it is meaningful.
 */
#include <linux/ctype.h>
#include <linux/inet.h>
#include <linux/netdevice.h>
#include <net/ipv6.h>

#include "kitt.h"

static int kitt_parse_port(const char *s, size_t len, u16 *port)
{
	unsigned int val = 0;
	size_t i;

	if (!len || len > 5)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (!isdigit(s[i]))
			return -EINVAL;
		val = val * 10 + (s[i] - '0');
	}
	if (!val || val > 65535)
		return -EINVAL;
	*port = val;
	return 0;
}

static int kitt_parse_scope(const char *s, size_t len, u32 *scope)
{
	char name[IFNAMSIZ];
	struct net_device *ndev;

	if (!len || len >= IFNAMSIZ)
		return -EINVAL;
	memcpy(name, s, len);
	name[len] = '\0';
	if (!kstrtou32(name, 10, scope) && *scope)
		return 0;
	ndev = dev_get_by_name(&init_net, name);
	if (!ndev)
		return -EINVAL;
	*scope = ndev->ifindex;
	dev_put(ndev);
	return 0;
}

/**
 * kitt_parse_portal_addr() - parse a portal directory name
 * @name: "<ipv4>[:<port>]" or "[<ipv6>[%<scope>]][:<port>]"
 * @ss: the address, port included
 *
 * The port defaults to the port module parameter. IPv4-mapped IPv6
 * addresses are refused: IPv6 sockets are IPv6-only, name the IPv4 form.
 *
 * Return: 0, or -EINVAL when @name is not a portal address.
 */
int kitt_parse_portal_addr(const char *name, struct sockaddr_storage *ss)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	size_t len = strlen(name), alen = len, port_len = 0;
	const char *port = NULL, *colon, *end;
	u16 portnum = kitt_default_port;

	memset(ss, 0, sizeof(*ss));
	if (!len)
		return -EINVAL;

	if (name[0] == '[') {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
		const char *close = strnchr(name, len, ']');
		const char *pct;

		if (!close)
			return -EINVAL;
		if (close[1] == ':') {
			port = close + 2;
			port_len = len - (port - name);
		} else if (close[1]) {
			return -EINVAL;
		}
		alen = close - (name + 1);
		pct = strnchr(name + 1, alen, '%');
		if (pct) {
			if (kitt_parse_scope(pct + 1, close - (pct + 1), &sin6->sin6_scope_id))
				return -EINVAL;
			alen = pct - (name + 1);
		}
		if (!alen || !in6_pton(name + 1, alen, sin6->sin6_addr.s6_addr, -1, &end) ||
		    end != name + 1 + alen)
			return -EINVAL;
		if (ipv6_addr_v4mapped(&sin6->sin6_addr))
			return -EINVAL;
		if (port && kitt_parse_port(port, port_len, &portnum))
			return -EINVAL;
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(portnum);
		return 0;
	}

	colon = strnchr(name, len, ':');
	if (colon) {
		port = colon + 1;
		port_len = len - (port - name);
		alen = colon - name;
	}
	if (!alen || !in4_pton(name, alen, (u8 *)&sin->sin_addr.s_addr, -1, &end) ||
	    end != name + alen)
		return -EINVAL;
	if (port && kitt_parse_port(port, port_len, &portnum))
		return -EINVAL;
	sin->sin_family = AF_INET;
	sin->sin_port = htons(portnum);
	return 0;
}

/**
 * kitt_addr_equal() - same family, address, port (and IPv6 scope)
 * @a: an address
 * @b: another
 *
 * Return: true if they name the same socket address.
 */
bool kitt_addr_equal(const struct sockaddr_storage *a, const struct sockaddr_storage *b)
{
	if (a->ss_family != b->ss_family)
		return false;
	if (a->ss_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;

		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->ss_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;

		return x->sin6_port == y->sin6_port && x->sin6_scope_id == y->sin6_scope_id &&
		       ipv6_addr_equal(&x->sin6_addr, &y->sin6_addr);
	}
	return false;
}

/**
 * kitt_addr_is_wildcard() - 0.0.0.0 or [::]
 * @a: an address
 *
 * Return: true for the any-address of its family.
 */
bool kitt_addr_is_wildcard(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_addr.s_addr == htonl(INADDR_ANY);
	if (a->ss_family == AF_INET6)
		return ipv6_addr_any(&((const struct sockaddr_in6 *)a)->sin6_addr);
	return false;
}

/**
 * kitt_addr_port() - the port of an IPv4 or IPv6 address
 * @a: the address
 *
 * Return: the port, in network order.
 */
__be16 kitt_addr_port(const struct sockaddr_storage *a)
{
	if (a->ss_family == AF_INET)
		return ((const struct sockaddr_in *)a)->sin_port;
	return ((const struct sockaddr_in6 *)a)->sin6_port;
}

/**
 * kitt_addr_covers() - a wildcard portal also serves this address
 * @wild: a portal address
 * @a: a specific address
 *
 * Return: true if @wild is the wildcard of @a's family on @a's port and
 * @a is not itself a wildcard.
 */
bool kitt_addr_covers(const struct sockaddr_storage *wild, const struct sockaddr_storage *a)
{
	return wild->ss_family == a->ss_family && kitt_addr_is_wildcard(wild) &&
	       !kitt_addr_is_wildcard(a) && kitt_addr_port(wild) == kitt_addr_port(a);
}
