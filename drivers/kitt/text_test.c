// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for text.c: the answer builder, the key=value tokenizer
 * (good, malformed and incomplete segments; nothing moves on failure),
 * duplicate detection and the value parsers.
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kitt_login.h"
#include "kitt_test.h"

/* Segments are string literals that spell out their NULs. */
#define NEXT_FAILS(test, lit, err) \
	kitt_test_next_fails(test, lit, sizeof(lit) - 1, err)
#define FIND_DUP(lit, dup) kitt_text_find_duplicate(lit, sizeof(lit) - 1, dup)

static void text_buf_add(struct kunit *test)
{
	struct kitt_text_buf tb;
	char buf[16];

	memset(buf, 'x', sizeof(buf));
	kitt_text_buf_init(&tb, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, kitt_text_add(&tb, "A", "1"), 0);
	KUNIT_EXPECT_EQ(test, tb.len, 4U);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "A=1\0", 4), 0);
	/* exactly fills the rest: 7 + 1 + 3 + 1 = 12 */
	KUNIT_EXPECT_EQ(test, kitt_text_add(&tb, "Abcdefg", "xyz"), 0);
	KUNIT_EXPECT_EQ(test, tb.len, 16U);
	KUNIT_EXPECT_FALSE(test, tb.overflow);
	KUNIT_EXPECT_EQ(test, kitt_text_add(&tb, "B", ""), -ENOSPC);
	KUNIT_EXPECT_EQ(test, tb.len, 16U);
	KUNIT_EXPECT_TRUE(test, tb.overflow);
}

static void text_buf_add_overflow(struct kunit *test)
{
	struct kitt_text_buf tb;
	char buf[8];

	kitt_text_buf_init(&tb, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, kitt_text_add(&tb, "Key", "val"), 0);
	/* "K=vv\0" needs 5 bytes, 0 left */
	KUNIT_EXPECT_EQ(test, kitt_text_add(&tb, "K", "vv"), -ENOSPC);
	KUNIT_EXPECT_EQ(test, tb.len, 8U);
	KUNIT_EXPECT_TRUE(test, tb.overflow);

	kitt_text_buf_init(&tb, NULL, 100);
	KUNIT_EXPECT_EQ(test, kitt_text_add(&tb, "K", "v"), -ENOSPC);
	KUNIT_EXPECT_EQ(test, tb.len, 0U);
}

static void text_buf_addf(struct kunit *test)
{
	struct kitt_text_buf tb;
	char buf[24];

	kitt_text_buf_init(&tb, buf, sizeof(buf));
	KUNIT_EXPECT_EQ(test, kitt_text_addf(&tb, "MaxBurstLength", "%u", 262144), 0);
	KUNIT_EXPECT_EQ(test, tb.len, 22U);
	KUNIT_EXPECT_STREQ(test, buf, "MaxBurstLength=262144");
	/* "A=1\0" is 4 bytes, 2 left */
	KUNIT_EXPECT_EQ(test, kitt_text_addf(&tb, "A", "%d", 1), -ENOSPC);
	KUNIT_EXPECT_EQ(test, tb.len, 22U);
	KUNIT_EXPECT_TRUE(test, tb.overflow);

	/* the value alone does not fit */
	kitt_text_buf_init(&tb, buf, 6);
	KUNIT_EXPECT_EQ(test, kitt_text_addf(&tb, "A", "%s", "abcd"), -ENOSPC);
	KUNIT_EXPECT_EQ(test, tb.len, 0U);
	KUNIT_EXPECT_EQ(test, kitt_text_addf(&tb, "A", "%s", "abc"), 0);
	KUNIT_EXPECT_EQ(test, tb.len, 6U);
	KUNIT_EXPECT_EQ(test, memcmp(buf, "A=abc\0", 6), 0);
}

static void text_next_pairs(struct kunit *test)
{
	static const char seg[] = "HeaderDigest=CRC32C,None\0X-com.example.k=v=w\0";
	struct kitt_text_cursor c;
	struct kitt_text_pair p;

	kitt_text_cursor_init(&c, seg, sizeof(seg) - 1);
	KUNIT_ASSERT_EQ(test, kitt_text_next(&c, &p), 1);
	KUNIT_EXPECT_STREQ(test, p.key, "HeaderDigest");
	KUNIT_EXPECT_EQ(test, p.key_len, 12U);
	KUNIT_EXPECT_STREQ(test, p.val, "CRC32C,None");
	KUNIT_EXPECT_EQ(test, p.val_len, 11U);
	KUNIT_EXPECT_EQ(test, p.offset, 0U);
	KUNIT_EXPECT_PTR_EQ(test, p.val, seg + 13);
	KUNIT_EXPECT_EQ(test, c.pos, 25U);

	/* the value runs from the first '=' to the NUL */
	KUNIT_ASSERT_EQ(test, kitt_text_next(&c, &p), 1);
	KUNIT_EXPECT_STREQ(test, p.key, "X-com.example.k");
	KUNIT_EXPECT_STREQ(test, p.val, "v=w");
	KUNIT_EXPECT_EQ(test, p.offset, 25U);
	KUNIT_EXPECT_EQ(test, c.pos, c.len);

	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), 0);
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), 0);

	kitt_text_cursor_init(&c, NULL, 10);
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), 0);
}

static void text_next_empty_value(struct kunit *test)
{
	struct kitt_text_cursor c;
	struct kitt_text_pair p;

	kitt_text_cursor_init(&c, "TargetAlias=\0", 13);
	KUNIT_ASSERT_EQ(test, kitt_text_next(&c, &p), 1);
	KUNIT_EXPECT_STREQ(test, p.val, "");
	KUNIT_EXPECT_EQ(test, p.val_len, 0U);
}

/*
 * @seg must fail with @err after one good pair, leaving the cursor after
 * that pair and @pair as the good pair left it.
 */
static void kitt_test_next_fails(struct kunit *test, const char *seg, u32 len,
				 int err)
{
	struct kitt_text_cursor c;
	struct kitt_text_pair p, saved;

	kitt_text_cursor_init(&c, seg, len);
	KUNIT_ASSERT_EQ(test, kitt_text_next(&c, &p), 1);
	KUNIT_ASSERT_STREQ(test, p.key, "Good");
	saved = p;
	KUNIT_EXPECT_EQ_MSG(test, kitt_text_next(&c, &p), err, "segment %*pE",
			    (int)len, seg);
	KUNIT_EXPECT_EQ(test, c.pos, 7U);
	KUNIT_EXPECT_EQ(test, memcmp(&p, &saved, sizeof(p)), 0);
	/* failing again changes nothing either */
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), err);
	KUNIT_EXPECT_EQ(test, c.pos, 7U);
}

static void text_next_malformed(struct kunit *test)
{
	NEXT_FAILS(test, "Good=1\0Key\0", -EINVAL);
	NEXT_FAILS(test, "Good=1\0\0", -EINVAL);
	NEXT_FAILS(test, "Good=1\0=value\0", -EINVAL);
	NEXT_FAILS(test, "Good=1\0=\0", -EINVAL);
}

static void text_next_bad_bytes(struct kunit *test)
{
	NEXT_FAILS(test, "Good=1\0Ke y=1\0", -EILSEQ);
	/* "\0009" is a NUL and a digit */
	NEXT_FAILS(test, "Good=1\0009Key=1\0", -EILSEQ);
	NEXT_FAILS(test, "Good=1\0.Key=1\0", -EILSEQ);
	NEXT_FAILS(test, "Good=1\0Key!=1\0", -EILSEQ);
	NEXT_FAILS(test, "Good=1\0Key/a=1\0", -EILSEQ);
	NEXT_FAILS(test, "Good=1\0K\xc3\xa9y=1\0", -EILSEQ);
	NEXT_FAILS(test, "Good=1\0A#b=1\0", -EILSEQ);
	NEXT_FAILS(test, "Good=1\0XY#b=1\0", -EILSEQ);
	NEXT_FAILS(test, "Good=1\0Key=a\tb\0", -EILSEQ);
	NEXT_FAILS(test, "Good=1\0Key=a\nb\0", -EILSEQ);
	NEXT_FAILS(test, "Good=1\0Key=\x7f\0", -EILSEQ);
}

static void text_next_good_bytes(struct kunit *test)
{
	static const char seg[] =
		"X#NodeArchitecture=a\0iSCSIProtocolLevel=1\0A.b-c+d@e_f=g\0"
		"InitiatorAlias=caf\xc3\xa9 au lait\0"
		"TargetAddress=[fe80::1]:3260,1\0CHAP_R=0bAQID+/==\0";
	static const char * const keys[] = {
		"X#NodeArchitecture", "iSCSIProtocolLevel", "A.b-c+d@e_f",
		"InitiatorAlias", "TargetAddress", "CHAP_R",
	};
	struct kitt_text_cursor c;
	struct kitt_text_pair p;
	unsigned int i;

	kitt_text_cursor_init(&c, seg, sizeof(seg) - 1);
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		KUNIT_ASSERT_EQ(test, kitt_text_next(&c, &p), 1);
		KUNIT_EXPECT_STREQ(test, p.key, keys[i]);
	}
	KUNIT_EXPECT_STREQ(test, p.val, "0bAQID+/==");
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), 0);
}

/* "Good=1\0" + "<key of @klen bytes>=<value of @vlen bytes>\0" */
static char *kitt_test_long_pair(struct kunit *test, const char *key,
				 u32 klen, u32 vlen, u32 *len)
{
	char *s;
	u32 i;

	*len = 7 + klen + 1 + vlen + 1;
	s = kunit_kzalloc(test, *len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, s);
	memcpy(s, "Good=1\0", 7);
	for (i = 0; i < klen; i++)
		s[7 + i] = key ? key[i] : 'K';
	s[7 + klen] = '=';
	memset(s + 7 + klen + 1, 'v', vlen);
	return s;
}

static void text_next_lengths(struct kunit *test)
{
	struct kitt_text_cursor c;
	struct kitt_text_pair p;
	char *s;
	u32 len;

	/* key of 63 bytes is fine, 64 is not */
	s = kitt_test_long_pair(test, NULL, KITT_TEXT_KEY_MAX, 1, &len);
	kitt_text_cursor_init(&c, s, len);
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), 1);
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), 1);
	KUNIT_EXPECT_EQ(test, p.key_len, 63U);
	s = kitt_test_long_pair(test, NULL, KITT_TEXT_KEY_MAX + 1, 1, &len);
	kitt_test_next_fails(test, s, len, -ENAMETOOLONG);
	/* even when the data ends inside it */
	kitt_test_next_fails(test, s, 7 + KITT_TEXT_KEY_MAX + 1, -ENAMETOOLONG);

	/* value of 255 bytes is fine, 256 is not */
	s = kitt_test_long_pair(test, NULL, 3, KITT_TEXT_VALUE_MAX, &len);
	kitt_text_cursor_init(&c, s, len);
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), 1);
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), 1);
	KUNIT_EXPECT_EQ(test, p.val_len, 255U);
	s = kitt_test_long_pair(test, NULL, 3, KITT_TEXT_VALUE_MAX + 1, &len);
	kitt_test_next_fails(test, s, len, -E2BIG);
	kitt_test_next_fails(test, s, len - 1, -E2BIG);

	/* CHAP_C and CHAP_R carry large binary values */
	s = kitt_test_long_pair(test, "CHAP_C", 6, KITT_TEXT_LARGE_VALUE_MAX, &len);
	kitt_text_cursor_init(&c, s, len);
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), 1);
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), 1);
	KUNIT_EXPECT_EQ(test, p.val_len, 8192U);
	s = kitt_test_long_pair(test, "CHAP_R", 6, KITT_TEXT_LARGE_VALUE_MAX + 1, &len);
	kitt_test_next_fails(test, s, len, -E2BIG);
	s = kitt_test_long_pair(test, "CHAP_N", 6, KITT_TEXT_VALUE_MAX + 1, &len);
	kitt_test_next_fails(test, s, len, -E2BIG);

	KUNIT_EXPECT_EQ(test, kitt_text_value_max("CHAP_C"), 8192U);
	KUNIT_EXPECT_EQ(test, kitt_text_value_max("CHAP_I"), 255U);
	KUNIT_EXPECT_EQ(test, kitt_text_value_max("CHAP_CC"), 255U);
}

static void text_next_incomplete(struct kunit *test)
{
	struct kitt_text_cursor c;
	struct kitt_text_pair p;

	/* a pair cut short by the end of the data, at every point */
	NEXT_FAILS(test, "Good=1\0Key=val", -EAGAIN);
	NEXT_FAILS(test, "Good=1\0Key=", -EAGAIN);
	NEXT_FAILS(test, "Good=1\0Key", -EAGAIN);
	NEXT_FAILS(test, "Good=1\0K", -EAGAIN);
	/* malformed beats incomplete */
	NEXT_FAILS(test, "Good=1\0K y=val", -EILSEQ);
	NEXT_FAILS(test, "Good=1\0Key=v\tl", -EILSEQ);
	NEXT_FAILS(test, "Good=1\0=val", -EINVAL);

	/* the C bit: joining the rest completes the pair */
	kitt_text_cursor_init(&c, "Key=va", 6);
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), -EAGAIN);
	KUNIT_EXPECT_EQ(test, c.pos, 0U);
	kitt_text_cursor_init(&c, "Key=value\0", 10);
	KUNIT_EXPECT_EQ(test, kitt_text_next(&c, &p), 1);
}

static void text_find_duplicate(struct kunit *test)
{
	struct kitt_text_pair dup = { };

	KUNIT_EXPECT_EQ(test, FIND_DUP("A=1\0B=2\0AB=3\0BA=4\0",
				       &dup), 0);
	KUNIT_EXPECT_EQ(test, kitt_text_find_duplicate(NULL, 0, NULL), 0);
	KUNIT_EXPECT_EQ(test, FIND_DUP("A=1\0B=2\0C=3\0B=4\0",
				       &dup), -EEXIST);
	KUNIT_EXPECT_STREQ(test, dup.key, "B");
	KUNIT_EXPECT_STREQ(test, dup.val, "4");
	KUNIT_EXPECT_EQ(test, dup.offset, 12U);
	KUNIT_EXPECT_EQ(test, FIND_DUP("A=1\0A=1\0", NULL),
			-EEXIST);
	/* keys are case sensitive */
	KUNIT_EXPECT_EQ(test, FIND_DUP("Key=1\0KEY=1\0", NULL),
			0);
	/* malformed text is reported as such */
	KUNIT_EXPECT_EQ(test, FIND_DUP("A=1\0B\0A=1\0", NULL),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, FIND_DUP("A=1\0B=2", NULL),
			-EAGAIN);
	/* The first pair that repeats an earlier key, whichever key it is. */
	KUNIT_EXPECT_EQ(test, FIND_DUP("B=1\0A=1\0A=2\0B=2\0", &dup), -EEXIST);
	KUNIT_EXPECT_STREQ(test, dup.key, "A");
	KUNIT_EXPECT_STREQ(test, dup.val, "2");
	KUNIT_EXPECT_EQ(test, dup.offset, 8U);
	/* A repeat before malformed text is found first. */
	KUNIT_EXPECT_EQ(test, FIND_DUP("A=1\0A=2\0B\0", NULL), -EEXIST);
}

static void text_find_duplicate_many(struct kunit *test)
{
	u32 n, len = 0, size = (KITT_TEXT_MAX_PAIRS + 1) * 8;
	char *buf = kunit_kzalloc(test, size, GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (n = 0; n < KITT_TEXT_MAX_PAIRS; n++)
		len += snprintf(buf + len, size - len, "K%u=1", n) + 1;
	KUNIT_EXPECT_EQ(test, kitt_text_find_duplicate(buf, len, NULL), 0);
	len += snprintf(buf + len, size - len, "Z=1") + 1;
	KUNIT_EXPECT_EQ(test, kitt_text_find_duplicate(buf, len, NULL), -E2BIG);
}

/* Past the first 16 keys (kept on the stack) and up to the last pair. */
static void text_find_duplicate_late(struct kunit *test)
{
	u32 n, len = 0, size = (KITT_TEXT_MAX_PAIRS + 1) * 8;
	char *buf = kunit_kzalloc(test, size, GFP_KERNEL);
	struct kitt_text_pair dup = { };

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, buf);
	for (n = 0; n < 40; n++)
		len += snprintf(buf + len, size - len, "K%u=1", n) + 1;
	len += snprintf(buf + len, size - len, "K5=2") + 1;
	KUNIT_EXPECT_EQ(test, kitt_text_find_duplicate(buf, len, &dup), -EEXIST);
	KUNIT_EXPECT_STREQ(test, dup.key, "K5");
	KUNIT_EXPECT_STREQ(test, dup.val, "2");

	/* KITT_TEXT_MAX_PAIRS pairs, the last a repeat; one more: the repeat wins. */
	len = 0;
	for (n = 0; n < KITT_TEXT_MAX_PAIRS - 1; n++)
		len += snprintf(buf + len, size - len, "K%u=1", n) + 1;
	len += snprintf(buf + len, size - len, "K0=2") + 1;
	KUNIT_EXPECT_EQ(test, kitt_text_find_duplicate(buf, len, &dup), -EEXIST);
	KUNIT_EXPECT_STREQ(test, dup.val, "2");
	len += snprintf(buf + len, size - len, "Z=1") + 1;
	KUNIT_EXPECT_EQ(test, kitt_text_find_duplicate(buf, len, NULL), -EEXIST);
}

/* Names kitt keeps: printable ASCII, no blanks. */
static void text_name_ok(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, kitt_text_name_ok("iqn.2024-01.org.kitt:a", 22));
	KUNIT_EXPECT_TRUE(test, kitt_text_name_ok("eui.0123456789ABCDEF", 20));
	KUNIT_EXPECT_FALSE(test, kitt_text_name_ok("", 0));
	KUNIT_EXPECT_FALSE(test, kitt_text_name_ok("iqn.x y", 7));
	KUNIT_EXPECT_FALSE(test, kitt_text_name_ok("iqn.x\ny", 7));
	KUNIT_EXPECT_FALSE(test, kitt_text_name_ok("iqn.x\ty", 7));
	KUNIT_EXPECT_FALSE(test, kitt_text_name_ok("iqn.x\x7f", 6));
	KUNIT_EXPECT_FALSE(test, kitt_text_name_ok("iqn.\xc3\xa9", 6));
	/* Only @len bytes count. */
	KUNIT_EXPECT_TRUE(test, kitt_text_name_ok("iqn.x y", 5));
}

static void text_parse_number(struct kunit *test)
{
	static const struct {
		const char *s;
		int ret;
		u64 val;
	} cases[] = {
		{ "0", 0, 0 },
		{ "8192", 0, 8192 },
		{ "16777215", 0, 16777215 },
		{ "0x2000", 0, 0x2000 },
		{ "0X1f", 0, 0x1f },
		{ "0x0001", 0, 1 },
		{ "18446744073709551615", 0, U64_MAX },
		{ "0xFFFFFFFFFFFFFFFF", 0, U64_MAX },
		{ "18446744073709551616", -ERANGE },
		{ "99999999999999999999", -ERANGE },
		{ "0x10000000000000000", -ERANGE },
		{ "", -EINVAL },
		{ "0x", -EINVAL },
		{ "012", -EINVAL },
		{ "00", -EINVAL },
		{ "-1", -EINVAL },
		{ "+1", -EINVAL },
		{ " 1", -EINVAL },
		{ "1 ", -EINVAL },
		{ "12a", -EINVAL },
		{ "0xg", -EINVAL },
		{ "0b1", -EINVAL },
		{ "Yes", -EINVAL },
	};
	unsigned int i;
	u64 v, want;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		v = 0x5a5a;
		want = cases[i].val;
		if (cases[i].ret)
			want = 0x5a5a;	/* untouched */
		KUNIT_EXPECT_EQ_MSG(test, kitt_text_parse_number(cases[i].s, &v),
				    cases[i].ret, "\"%s\"", cases[i].s);
		KUNIT_EXPECT_EQ_MSG(test, v, want, "\"%s\"", cases[i].s);
	}
}

static void text_parse_u32(struct kunit *test)
{
	u32 v = 7;

	KUNIT_EXPECT_EQ(test, kitt_text_parse_u32("512", 512, 16777215, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 512U);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_u32("0xffffff", 512, 16777215, &v), 0);
	KUNIT_EXPECT_EQ(test, v, 16777215U);
	v = 7;
	KUNIT_EXPECT_EQ(test, kitt_text_parse_u32("511", 512, 16777215, &v), -ERANGE);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_u32("16777216", 512, 16777215, &v),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_u32("4294967296", 0, U32_MAX, &v),
			-ERANGE);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_u32("abc", 0, U32_MAX, &v), -EINVAL);
	KUNIT_EXPECT_EQ(test, v, 7U);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_u32("4294967295", 0, U32_MAX, &v), 0);
	KUNIT_EXPECT_EQ(test, v, U32_MAX);
}

static void text_parse_bool(struct kunit *test)
{
	static const char * const bad[] = {
		"yes", "YES", "no", "NO", "", "Yes ", "Y", "1", "0", "Noo", "True",
	};
	unsigned int i;
	bool b = false;

	KUNIT_EXPECT_EQ(test, kitt_text_parse_bool("Yes", &b), 0);
	KUNIT_EXPECT_TRUE(test, b);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_bool("No", &b), 0);
	KUNIT_EXPECT_FALSE(test, b);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		b = true;
		KUNIT_EXPECT_EQ_MSG(test, kitt_text_parse_bool(bad[i], &b), -EINVAL,
				    "\"%s\"", bad[i]);
		KUNIT_EXPECT_TRUE(test, b);
	}
}

static void text_parse_binary(struct kunit *test)
{
	u8 out[8];

	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x0102fF", out, 8), 3);
	KUNIT_EXPECT_EQ(test, memcmp(out, "\x01\x02\xff", 3), 0);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0X123", out, 8), 2);
	KUNIT_EXPECT_EQ(test, memcmp(out, "\x01\x23", 2), 0);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQID", out, 8), 3);
	KUNIT_EXPECT_EQ(test, memcmp(out, "\x01\x02\x03", 3), 0);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0BAQI=", out, 8), 2);
	KUNIT_EXPECT_EQ(test, memcmp(out, "\x01\x02", 2), 0);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQ==", out, 8), 1);
	KUNIT_EXPECT_EQ(test, out[0], 1);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0b+/+/", out, 8), 3);
	KUNIT_EXPECT_EQ(test, memcmp(out, "\xfb\xff\xbf", 3), 0);
	/* padding may be left out */
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQI", out, 8), 2);
	KUNIT_EXPECT_EQ(test, memcmp(out, "\x01\x02", 2), 0);

	/* fits exactly, then one byte too many */
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x0102030405060708", out, 8), 8);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x010203040506070809", out, 8),
			-EOVERFLOW);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQIDBAUGBwgJ", out, 8), -EOVERFLOW);

	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary(NULL, out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0xZZ", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x1Z", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0xZ12", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("1234", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0b", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQ=", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bA===", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bA=QI", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAR==", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQ!D", out, 8), -EINVAL);
}

static void text_list(struct kunit *test)
{
	const char *pos, *item;
	u32 len;

	pos = "CRC32C,None";
	KUNIT_ASSERT_EQ(test, kitt_text_list_next(&pos, &item, &len), 1);
	KUNIT_EXPECT_EQ(test, len, 6U);
	KUNIT_EXPECT_EQ(test, memcmp(item, "CRC32C", 6), 0);
	KUNIT_ASSERT_EQ(test, kitt_text_list_next(&pos, &item, &len), 1);
	KUNIT_EXPECT_EQ(test, len, 4U);
	KUNIT_EXPECT_EQ(test, memcmp(item, "None", 4), 0);
	KUNIT_EXPECT_EQ(test, kitt_text_list_next(&pos, &item, &len), 0);

	pos = "";
	KUNIT_EXPECT_EQ(test, kitt_text_list_next(&pos, &item, &len), 0);

	pos = ",a";
	KUNIT_EXPECT_EQ(test, kitt_text_list_next(&pos, &item, &len), -EINVAL);
	KUNIT_EXPECT_STREQ(test, pos, ",a");

	pos = "a,,b";
	KUNIT_EXPECT_EQ(test, kitt_text_list_next(&pos, &item, &len), 1);
	KUNIT_EXPECT_EQ(test, kitt_text_list_next(&pos, &item, &len), -EINVAL);
	KUNIT_EXPECT_STREQ(test, pos, ",b");

	pos = "a,";
	KUNIT_EXPECT_EQ(test, kitt_text_list_next(&pos, &item, &len), -EINVAL);
	KUNIT_EXPECT_STREQ(test, pos, "a,");

	KUNIT_EXPECT_TRUE(test, kitt_text_list_has("CRC32C,None", "None"));
	KUNIT_EXPECT_TRUE(test, kitt_text_list_has("None", "None"));
	KUNIT_EXPECT_FALSE(test, kitt_text_list_has("CRC32C,Non", "None"));
	KUNIT_EXPECT_FALSE(test, kitt_text_list_has("CRC32C,NoneX", "None"));
	KUNIT_EXPECT_FALSE(test, kitt_text_list_has("", "None"));
	KUNIT_EXPECT_FALSE(test, kitt_text_list_has(",,None", "None"));
}

static struct kunit_case kitt_text_test_cases[] = {
	KUNIT_CASE(text_buf_add),
	KUNIT_CASE(text_buf_add_overflow),
	KUNIT_CASE(text_buf_addf),
	KUNIT_CASE(text_next_pairs),
	KUNIT_CASE(text_next_empty_value),
	KUNIT_CASE(text_next_malformed),
	KUNIT_CASE(text_next_bad_bytes),
	KUNIT_CASE(text_next_good_bytes),
	KUNIT_CASE(text_next_lengths),
	KUNIT_CASE(text_next_incomplete),
	KUNIT_CASE(text_find_duplicate),
	KUNIT_CASE(text_find_duplicate_many),
	KUNIT_CASE(text_find_duplicate_late),
	KUNIT_CASE(text_name_ok),
	KUNIT_CASE(text_parse_number),
	KUNIT_CASE(text_parse_u32),
	KUNIT_CASE(text_parse_bool),
	KUNIT_CASE(text_parse_binary),
	KUNIT_CASE(text_list),
	{}
};

static struct kunit_suite kitt_text_test_suite = {
	.name = "kitt_text",
	.test_cases = kitt_text_test_cases,
};

kunit_test_suite(kitt_text_test_suite);
