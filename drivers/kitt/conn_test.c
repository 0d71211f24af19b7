// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for the connection's data page pool (conn.c): pages come
 * back for reuse only when nothing but the pool holds them any more (TCP
 * keeps a reference to a page it sent until the data is acknowledged),
 * the ring keeps its order, and a full ring frees what it cannot keep.
 */

#include <kunit/test.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "kitt.h"

static struct kitt_conn *kitt_ct_conn(struct kunit *test)
{
	struct kitt_conn *conn = kunit_kzalloc(test, sizeof(*conn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, conn);
	spin_lock_init(&conn->pool_lock);
	conn->pool = kcalloc(KITT_CONN_POOL_PAGES, sizeof(*conn->pool), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, conn->pool);
	test->priv = conn;
	return conn;
}

static struct page *kitt_ct_get(struct kunit *test, struct kitt_conn *conn)
{
	struct page *page = kitt_conn_page_get(conn);

	KUNIT_ASSERT_NOT_NULL(test, page);
	return page;
}

/* A page given back and free of other users is the next one handed out. */
static void conn_pool_reuse(struct kunit *test)
{
	struct kitt_conn *conn = kitt_ct_conn(test);
	struct page *a = kitt_ct_get(test, conn), *b;

	KUNIT_EXPECT_EQ(test, conn->pool_count, 0U);
	kitt_conn_page_put(conn, a);
	KUNIT_EXPECT_EQ(test, conn->pool_count, 1U);
	b = kitt_ct_get(test, conn);
	KUNIT_EXPECT_PTR_EQ(test, b, a);
	KUNIT_EXPECT_EQ(test, conn->pool_count, 0U);
	KUNIT_EXPECT_EQ(test, page_ref_count(b), 1);
	kitt_conn_page_put(conn, b);
}

/* A page the socket still holds stays in the pool until it is let go. */
static void conn_pool_in_flight(struct kunit *test)
{
	struct kitt_conn *conn = kitt_ct_conn(test);
	struct page *a = kitt_ct_get(test, conn), *b, *c;

	get_page(a);			/* as TCP does for a page it sends */
	kitt_conn_page_put(conn, a);
	b = kitt_ct_get(test, conn);
	KUNIT_EXPECT_PTR_NE(test, b, a);
	KUNIT_EXPECT_EQ(test, conn->pool_count, 1U);
	KUNIT_EXPECT_PTR_EQ(test, conn->pool[conn->pool_head], a);

	put_page(a);			/* acknowledged */
	c = kitt_ct_get(test, conn);
	KUNIT_EXPECT_PTR_EQ(test, c, a);
	KUNIT_EXPECT_EQ(test, conn->pool_count, 0U);
	kitt_conn_page_put(conn, b);
	kitt_conn_page_put(conn, c);
	KUNIT_EXPECT_EQ(test, conn->pool_count, 2U);
}

/* A busy page at the head moves to the back; the free one behind it is used. */
static void conn_pool_skip_busy(struct kunit *test)
{
	struct kitt_conn *conn = kitt_ct_conn(test);
	struct page *a = kitt_ct_get(test, conn), *b = kitt_ct_get(test, conn), *c;

	get_page(a);
	kitt_conn_page_put(conn, a);
	kitt_conn_page_put(conn, b);
	c = kitt_ct_get(test, conn);
	KUNIT_EXPECT_PTR_EQ(test, c, b);
	KUNIT_EXPECT_EQ(test, conn->pool_count, 1U);
	KUNIT_EXPECT_PTR_EQ(test, conn->pool[conn->pool_head], a);
	put_page(a);
	kitt_conn_page_put(conn, c);
	KUNIT_EXPECT_EQ(test, conn->pool_count, 2U);
	/* The ring keeps its order: a first, then c. */
	KUNIT_EXPECT_PTR_EQ(test, kitt_ct_get(test, conn), a);
	KUNIT_EXPECT_PTR_EQ(test, kitt_ct_get(test, conn), c);
	kitt_conn_page_put(conn, a);
	kitt_conn_page_put(conn, c);
}

/* A full ring frees the page it is given instead of keeping it. */
static void conn_pool_full(struct kunit *test)
{
	struct kitt_conn *conn = kitt_ct_conn(test);
	struct page *extra;
	unsigned int i;

	for (i = 0; i < KITT_CONN_POOL_PAGES; i++)
		kitt_conn_page_put(conn, alloc_page(GFP_KERNEL));
	KUNIT_EXPECT_EQ(test, conn->pool_count, KITT_CONN_POOL_PAGES);
	extra = alloc_page(GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, extra);
	get_page(extra);		/* keep it alive to look at it */
	kitt_conn_page_put(conn, extra);
	KUNIT_EXPECT_EQ(test, conn->pool_count, KITT_CONN_POOL_PAGES);
	KUNIT_EXPECT_EQ(test, page_ref_count(extra), 1);
	put_page(extra);
}

/* Whatever a case leaves in its pool goes back to the page allocator. */
static void kitt_ct_exit(struct kunit *test)
{
	if (test->priv)
		kitt_conn_pool_free(test->priv);
}

static struct kunit_case kitt_conn_test_cases[] = {
	KUNIT_CASE(conn_pool_reuse),
	KUNIT_CASE(conn_pool_in_flight),
	KUNIT_CASE(conn_pool_skip_busy),
	KUNIT_CASE(conn_pool_full),
	{}
};

static struct kunit_suite kitt_conn_test_suite = {
	.name = "kitt_conn",
	.exit = kitt_ct_exit,
	.test_cases = kitt_conn_test_cases,
};

kunit_test_suite(kitt_conn_test_suite);
