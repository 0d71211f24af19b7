// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for chap.c. The expected responses were computed outside
 * the kernel from RFC 1994's definition, R = H(I || secret || C), with
 * Python's hashlib over the fixed identifiers, secrets and challenges
 * below.
 */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "kitt_login.h"
#include "kitt_test.h"

#define SECRET		"kitt-secret-12345"
#define MSECRET		"mutual-secret-678"
#define TGT_NAME	"iqn.2024-01.org.kitt:tgt"

/* Target challenges */
static const u8 ch16[16] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
	0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
};

static const u8 ch32[32] = {
	0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27,
	0x28, 0x29, 0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f,
	0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
	0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
};

#define CH16_HEX	"0x000102030405060708090a0b0c0d0e0f"
#define CH32_HEX	"0x202122232425262728292a2b2c2d2e2f" \
			"303132333435363738393a3b3c3d3e3f"

/* MD5(0x2a || SECRET || ch16) */
#define MD5_R		"0x0fbd80e7819846b1b505002c323cc7e2"
#define MD5_R_B64	"0bD72A54GYRrG1BQAsMjzH4g=="
/* SHA1(0x2a || SECRET || ch32[0..19]) */
#define SHA1_R		"0x675c59b5be1dbbd34ba2c57e292583744d87ece8"
/* SHA-256(0xa5 || SECRET || ch32) */
#define SHA256_R	"0x77b315efa5a8307c88c4eea109af8dd2" \
			"eda70a397aaf498b971a41fed28dde2d"
#define SHA256_R_B64	"0bd7MV76WoMHyIxO6hCa+N0u2nCjl6r0mLlxpB/tKN3i0="
/* SHA3-256(0xa5 || SECRET || ch32) */
#define SHA3_R		"0x7eab9889841d78f7f0e7404cf476899c" \
			"f6d28d7fd111a2c630bc4157547ad647"

/* The initiator's challenge for mutual CHAP, sent with CHAP_I=119 (0x77) */
#define ICHAL		"0xf0e1d2c3b4a5968778695a4b3c2d1e0f"
/* MD5(0x77 || MSECRET || ICHAL) and SHA-256(0x77 || MSECRET || ICHAL) */
#define MUTUAL_MD5_R	"0xd181eccdb32ab3c8432a0ebcf371d6dd"
#define MUTUAL_SHA256_R	"0x69397972d6bdf3f673478b91fd42bc87" \
			"ddfe9202d646dbfc0a969533a3a02809"

struct chap_ctx {
	struct kitt_chap chap;
	struct kitt_chap_cred cred;
	struct kitt_text_buf tb;
	char buf[512];
};

static int chap_test_init(struct kunit *test)
{
	struct chap_ctx *ctx = kunit_kzalloc(test, sizeof(*ctx), GFP_KERNEL);

	if (!ctx)
		return -ENOMEM;
	kitt_chap_init(&ctx->chap);
	kitt_text_buf_init(&ctx->tb, ctx->buf, sizeof(ctx->buf));
	strscpy(ctx->cred.userid, "alice", sizeof(ctx->cred.userid));
	strscpy(ctx->cred.password, SECRET, sizeof(ctx->cred.password));
	test->priv = ctx;
	return 0;
}

/* Runs even when an assertion ended the test early. */
static void chap_test_exit(struct kunit *test)
{
	struct chap_ctx *ctx = test->priv;

	kitt_chap_free(&ctx->chap);
}

static void chap_set_mutual(struct chap_ctx *ctx)
{
	strscpy(ctx->cred.userid_mutual, TGT_NAME, sizeof(ctx->cred.userid_mutual));
	strscpy(ctx->cred.password_mutual, MSECRET, sizeof(ctx->cred.password_mutual));
}

static void chap_reset_rsp(struct chap_ctx *ctx)
{
	kitt_text_buf_init(&ctx->tb, ctx->buf, sizeof(ctx->buf));
}

/* Check that @tb holds exactly the "key=value" strings of @pairs, in order. */
static void chap_expect_rsp(struct kunit *test, const struct kitt_text_buf *tb,
			    const char *const *pairs, unsigned int n)
{
	u32 off = 0;
	unsigned int i;

	for (i = 0; i < n; i++) {
		size_t len = strlen(pairs[i]) + 1;

		KUNIT_ASSERT_LE_MSG(test, off + len, tb->len, "missing %s", pairs[i]);
		KUNIT_EXPECT_STREQ(test, tb->buf + off, pairs[i]);
		off += len;
	}
	KUNIT_EXPECT_EQ(test, off, tb->len);
}

/* Start with a fixed CHAP_I and CHAP_C and check the three keys sent. */
static void chap_start_fixed(struct kunit *test, const char *chap_a, u8 id,
			     const u8 *c, u8 clen, const char *const *expect)
{
	struct chap_ctx *ctx = test->priv;

	kitt_chap_set_test_challenge(&ctx->chap, id, c, clen);
	KUNIT_ASSERT_EQ(test, kitt_chap_start(&ctx->chap, chap_a, &ctx->tb), 0);
	KUNIT_EXPECT_NULL(test, ctx->chap.err);
	chap_expect_rsp(test, &ctx->tb, expect, 3);
	chap_reset_rsp(ctx);
}

static void chap_md5_vector(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;

	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, ctx->chap.alg, KITT_CHAP_MD5);
	KUNIT_EXPECT_EQ(test, ctx->chap.digest_len, 16);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       NULL, NULL, &ctx->tb), 0);
	KUNIT_EXPECT_EQ(test, ctx->chap.state, KITT_CHAP_DONE);
	KUNIT_EXPECT_NULL(test, ctx->chap.err);
	/* one-way CHAP: nothing to send back */
	KUNIT_EXPECT_EQ(test, ctx->tb.len, 0U);
}

static void chap_md5_base64(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;

	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R_B64,
					       NULL, NULL, &ctx->tb), 0);
}

static void chap_md5_uppercase(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;

	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice",
					       "0X0FBD80E7819846B1B505002C323CC7E2",
					       NULL, NULL, &ctx->tb), 0);
}

static void chap_sha1_vector(struct kunit *test)
{
	static const char *const sent[] = {
		"CHAP_A=6", "CHAP_I=42",
		"CHAP_C=0x202122232425262728292a2b2c2d2e2f30313233",
	};
	struct chap_ctx *ctx = test->priv;

	chap_start_fixed(test, "6", 0x2a, ch32, 20, sent);
	KUNIT_EXPECT_EQ(test, ctx->chap.digest_len, 20);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", SHA1_R,
					       NULL, NULL, &ctx->tb), 0);
}

static void chap_sha256_vector(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=7", "CHAP_I=165", "CHAP_C=" CH32_HEX };
	struct chap_ctx *ctx = test->priv;

	chap_start_fixed(test, "7", 0xa5, ch32, 32, sent);
	KUNIT_EXPECT_EQ(test, ctx->chap.digest_len, 32);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", SHA256_R,
					       NULL, NULL, &ctx->tb), 0);
}

static void chap_sha256_base64(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=7", "CHAP_I=165", "CHAP_C=" CH32_HEX };
	struct chap_ctx *ctx = test->priv;

	chap_start_fixed(test, "7", 0xa5, ch32, 32, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", SHA256_R_B64,
					       NULL, NULL, &ctx->tb), 0);
}

static void chap_sha3_vector(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=8", "CHAP_I=165", "CHAP_C=" CH32_HEX };
	struct chap_ctx *ctx = test->priv;

	chap_start_fixed(test, "8", 0xa5, ch32, 32, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", SHA3_R,
					       NULL, NULL, &ctx->tb), 0);
}

static void chap_alg_choice(struct kunit *test)
{
	static const struct {
		const char *list;
		u8 alg;
	} cases[] = {
		{ "7,5", KITT_CHAP_SHA256 },		/* the initiator's order */
		{ "5,7", KITT_CHAP_MD5 },
		{ "8,7,6,5", KITT_CHAP_SHA3_256 },
		{ "99,abc,,6", KITT_CHAP_SHA1 },	/* unknown and junk skipped */
		{ "55,5", KITT_CHAP_MD5 },		/* "55" is not MD5 */
		{ "0x7", KITT_CHAP_SHA256 },		/* a hex numerical value */
		{ "300,5", KITT_CHAP_MD5 },		/* out of range skipped */
		{ "5,", KITT_CHAP_MD5 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct kitt_chap chap;
		char buf[256];
		struct kitt_text_buf tb;
		char want[16];

		kitt_chap_init(&chap);
		kitt_text_buf_init(&tb, buf, sizeof(buf));
		KUNIT_EXPECT_EQ_MSG(test, kitt_chap_start(&chap, cases[i].list, &tb), 0,
				    "CHAP_A=%s", cases[i].list);
		KUNIT_EXPECT_EQ_MSG(test, chap.alg, cases[i].alg, "CHAP_A=%s", cases[i].list);
		snprintf(want, sizeof(want), "CHAP_A=%u", cases[i].alg);
		KUNIT_EXPECT_STREQ(test, tb.buf, want);
		kitt_chap_free(&chap);
	}
}

static void chap_alg_reject(struct kunit *test)
{
	static const char *const lists[] = { "1", "55", "4,9,129", "MD5", "5x", ",", "-5" };
	static const char *const sent[] = { "CHAP_A=Reject" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lists); i++) {
		struct kitt_chap chap;
		char buf[64];
		struct kitt_text_buf tb;

		kitt_chap_init(&chap);
		kitt_text_buf_init(&tb, buf, sizeof(buf));
		KUNIT_EXPECT_EQ_MSG(test, kitt_chap_start(&chap, lists[i], &tb), -EACCES,
				    "CHAP_A=%s", lists[i]);
		KUNIT_EXPECT_NOT_NULL(test, chap.err);
		chap_expect_rsp(test, &tb, sent, 1);
		/* no second chance */
		KUNIT_EXPECT_EQ(test, kitt_chap_start(&chap, "5", &tb), -EPROTO);
		kitt_chap_free(&chap);
	}
}

static void chap_start_errors(struct kunit *test)
{
	struct chap_ctx *ctx = test->priv;
	char small[24];
	struct kitt_text_buf tb;

	KUNIT_EXPECT_EQ(test, kitt_chap_start(&ctx->chap, NULL, &ctx->tb), -ENOENT);
	KUNIT_EXPECT_EQ(test, kitt_chap_start(&ctx->chap, "", &ctx->tb), -EINVAL);
	KUNIT_EXPECT_EQ(test, ctx->tb.len, 0U);

	/* the challenge does not fit the response */
	kitt_text_buf_init(&tb, small, sizeof(small));
	KUNIT_EXPECT_EQ(test, kitt_chap_start(&ctx->chap, "5", &tb), -ENOSPC);
	KUNIT_EXPECT_NE(test, ctx->chap.state, KITT_CHAP_CHALLENGED);
}

static void chap_random_challenge(struct kunit *test)
{
	static const struct {
		const char *alg;
		unsigned int len;
	} cases[] = {
		{ "5", 16 }, { "6", 20 }, { "7", 32 }, { "8", 32 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		struct kitt_chap chap;
		char buf[256];
		struct kitt_text_buf tb;
		const char *c;
		u8 raw[KITT_CHAP_DIGEST_MAX];

		kitt_chap_init(&chap);
		kitt_text_buf_init(&tb, buf, sizeof(buf));
		KUNIT_ASSERT_EQ(test, kitt_chap_start(&chap, cases[i].alg, &tb), 0);
		KUNIT_EXPECT_EQ(test, chap.challenge_len, cases[i].len);
		/* the third pair is CHAP_C=0x<hex of the challenge> */
		c = tb.buf + strlen(tb.buf) + 1;
		c += strlen(c) + 1;
		KUNIT_ASSERT_EQ(test, strncmp(c, "CHAP_C=0x", 9), 0);
		KUNIT_EXPECT_EQ(test, strlen(c + 9), 2 * (size_t)cases[i].len);
		KUNIT_EXPECT_EQ(test, kitt_text_parse_binary(c + 7, raw, sizeof(raw)),
				(int)cases[i].len);
		KUNIT_EXPECT_EQ(test, memcmp(raw, chap.challenge, cases[i].len), 0);
		kitt_chap_free(&chap);
	}
}

static void chap_wrong_response(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;

	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	/* last digit changed */
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice",
					       "0x0fbd80e7819846b1b505002c323cc7e3",
					       NULL, NULL, &ctx->tb), -EACCES);
	KUNIT_EXPECT_NOT_NULL(test, ctx->chap.err);
	/* the right answer comes too late: one answer per challenge */
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       NULL, NULL, &ctx->tb), -EPROTO);
	KUNIT_EXPECT_EQ(test, ctx->chap.state, KITT_CHAP_FAILED);
}

static void chap_wrong_name(struct kunit *test)
{
	static const char *const names[] = { "bob", "alic", "alice2", "Alice", "" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		static const char *const sent[] = {
			"CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX,
		};
		struct chap_ctx *ctx = test->priv;

		kitt_chap_free(&ctx->chap);
		kitt_chap_init(&ctx->chap);
		chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
		KUNIT_EXPECT_EQ_MSG(test, kitt_chap_verify(&ctx->chap, &ctx->cred, names[i],
							   MD5_R, NULL, NULL, &ctx->tb),
				    -EACCES, "CHAP_N=%s", names[i]);
	}
}

static void chap_wrong_secret(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;

	strscpy(ctx->cred.password, SECRET "x", sizeof(ctx->cred.password));
	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       NULL, NULL, &ctx->tb), -EACCES);
}

static void chap_bad_response(struct kunit *test, const char *r)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;

	kitt_chap_free(&ctx->chap);
	kitt_chap_init(&ctx->chap);
	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ_MSG(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", r,
						   NULL, NULL, &ctx->tb),
			    -EACCES, "CHAP_R=%.40s", r);
}

static void chap_bad_responses(struct kunit *test)
{
	static const char *const bad[] = {
		"0x0fbd80e7819846b1b505002c323cc7",	/* 15 bytes */
		MD5_R "00",				/* 17 bytes */
		"0x",					/* empty */
		"0b",
		"0x0fbd80e7819846b1b505002c323cc7eg",	/* not hex */
		"0fbd80e7819846b1b505002c323cc7e2",	/* no prefix */
		"0bD72A54GYRrG1BQAsMjzH4g=",		/* bad padding */
		"",
	};
	unsigned int i;
	char *huge;

	for (i = 0; i < ARRAY_SIZE(bad); i++)
		chap_bad_response(test, bad[i]);

	/* far more than any digest: a failure, never an overflow */
	huge = kunit_kzalloc(test, 4100, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, huge);
	huge[0] = '0';
	huge[1] = 'x';
	memset(huge + 2, 'a', 4096);
	chap_bad_response(test, huge);
	huge[1] = 'b';
	memset(huge + 2, 'A', 4096);
	chap_bad_response(test, huge);
}

static void chap_missing_keys(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;

	/* before any challenge */
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       NULL, NULL, &ctx->tb), -EPROTO);

	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, NULL, MD5_R,
					       NULL, NULL, &ctx->tb), -ENOENT);

	kitt_chap_free(&ctx->chap);
	kitt_chap_init(&ctx->chap);
	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", NULL,
					       NULL, NULL, &ctx->tb), -ENOENT);

	kitt_chap_free(&ctx->chap);
	kitt_chap_init(&ctx->chap);
	chap_set_mutual(ctx);
	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       "119", NULL, &ctx->tb), -ENOENT);

	kitt_chap_free(&ctx->chap);
	kitt_chap_init(&ctx->chap);
	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       NULL, ICHAL, &ctx->tb), -ENOENT);
}

static void chap_no_credentials(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;

	ctx->cred.password[0] = '\0';
	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       NULL, NULL, &ctx->tb), -EACCES);
}

static void chap_mutual_md5(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	static const char *const answer[] = {
		"CHAP_N=" TGT_NAME, "CHAP_R=" MUTUAL_MD5_R,
	};
	struct chap_ctx *ctx = test->priv;

	chap_set_mutual(ctx);
	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       "119", ICHAL, &ctx->tb), 0);
	chap_expect_rsp(test, &ctx->tb, answer, 2);
	KUNIT_EXPECT_EQ(test, ctx->chap.state, KITT_CHAP_DONE);
}

static void chap_mutual_sha256(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=7", "CHAP_I=165", "CHAP_C=" CH32_HEX };
	static const char *const answer[] = {
		"CHAP_N=" TGT_NAME, "CHAP_R=" MUTUAL_SHA256_R,
	};
	struct chap_ctx *ctx = test->priv;

	chap_set_mutual(ctx);
	chap_start_fixed(test, "7", 0xa5, ch32, 32, sent);
	/* CHAP_I in hex, CHAP_C in base64: 8OHSw7Sllod4aVpLPC0eDw== */
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", SHA256_R,
					       "0x77", "0b8OHSw7Sllod4aVpLPC0eDw==",
					       &ctx->tb), 0);
	chap_expect_rsp(test, &ctx->tb, answer, 2);
}

static void chap_mutual_not_asked(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;

	/* configured, but one-way CHAP is the initiator's choice */
	chap_set_mutual(ctx);
	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       NULL, NULL, &ctx->tb), 0);
	KUNIT_EXPECT_EQ(test, ctx->tb.len, 0U);
}

static void chap_mutual_not_configured(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;

	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       "119", ICHAL, &ctx->tb), -EACCES);
	KUNIT_EXPECT_EQ(test, ctx->tb.len, 0U);
	KUNIT_EXPECT_EQ(test, ctx->chap.state, KITT_CHAP_FAILED);
}

static void chap_mutual_reflection(struct kunit *test)
{
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;

	chap_set_mutual(ctx);
	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	/* the target's own challenge sent back, in another encoding */
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       "42", "0bAAECAwQFBgcICQoLDA0ODw==",
					       &ctx->tb), -EACCES);
	KUNIT_EXPECT_EQ(test, ctx->tb.len, 0U);
}

static void chap_mutual_bad_values(struct kunit *test)
{
	static const struct {
		const char *i;
		const char *c;
		int err;
	} cases[] = {
		{ "256", ICHAL, -EINVAL },		/* CHAP_I is one byte */
		{ "abc", ICHAL, -EINVAL },
		{ "", ICHAL, -EINVAL },
		{ "0x", ICHAL, -EINVAL },
		{ "119", "0x", -EINVAL },		/* empty challenge */
		{ "119", "f0e1", -EINVAL },		/* no prefix */
		{ "119", NULL, -EINVAL },		/* 1025 bytes, filled below */
	};
	static const char *const sent[] = { "CHAP_A=5", "CHAP_I=42", "CHAP_C=" CH16_HEX };
	struct chap_ctx *ctx = test->priv;
	char *big;
	unsigned int i;

	big = kunit_kzalloc(test, 2 + 2 * 1025 + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, big);
	big[0] = '0';
	big[1] = 'x';
	memset(big + 2, '5', 2 * 1025);

	chap_set_mutual(ctx);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *c = cases[i].c ?: big;

		kitt_chap_free(&ctx->chap);
		kitt_chap_init(&ctx->chap);
		chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
		KUNIT_EXPECT_EQ_MSG(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice",
							   MD5_R, cases[i].i, c, &ctx->tb),
				    cases[i].err, "case %u", i);
		KUNIT_EXPECT_EQ(test, ctx->tb.len, 0U);
	}

	/* exactly 1024 bytes is fine */
	big[2 + 2 * 1024] = '\0';
	kitt_chap_free(&ctx->chap);
	kitt_chap_init(&ctx->chap);
	chap_start_fixed(test, "5", 0x2a, ch16, 16, sent);
	KUNIT_EXPECT_EQ(test, kitt_chap_verify(&ctx->chap, &ctx->cred, "alice", MD5_R,
					       "119", big, &ctx->tb), 0);
	/* MD5(0x77 || MSECRET || 1024 bytes of 0x55) */
	KUNIT_EXPECT_STREQ(test, ctx->tb.buf + strlen(ctx->tb.buf) + 1,
			   "CHAP_R=0x3a9c051aac18cc7215c3cbb80faeea80");
}

static void chap_decode_hex(struct kunit *test)
{
	u8 out[4];
	int i;

	memset(out, 0xee, sizeof(out));
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x0102", out, sizeof(out)), 2);
	KUNIT_EXPECT_EQ(test, out[0], 0x01);
	KUNIT_EXPECT_EQ(test, out[1], 0x02);
	KUNIT_EXPECT_EQ(test, out[2], 0xee);

	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0X0a0B", out, sizeof(out)), 2);
	KUNIT_EXPECT_EQ(test, out[0], 0x0a);
	KUNIT_EXPECT_EQ(test, out[1], 0x0b);

	/* odd digit count: an implied leading zero */
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0xabc", out, sizeof(out)), 2);
	KUNIT_EXPECT_EQ(test, out[0], 0x0a);
	KUNIT_EXPECT_EQ(test, out[1], 0xbc);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x7", out, sizeof(out)), 1);
	KUNIT_EXPECT_EQ(test, out[0], 0x07);

	/* exactly the size, then one nibble more */
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x01020304", out, 4), 4);
	memset(out, 0xee, sizeof(out));
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x010203045", out, 4), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x0102030405", out, 4), -EOVERFLOW);

	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x", out, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x0g", out, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x01 ", out, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0x-1", out, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("1234", out, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0", out, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("", out, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary(NULL, out, 4), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0y12", out, 4), -EINVAL);

	/* nothing written on failure */
	for (i = 0; i < 4; i++)
		KUNIT_EXPECT_EQ(test, out[i], 0xee);
}

static void chap_decode_base64(struct kunit *test)
{
	u8 out[8];
	int i;

	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQ==", out, sizeof(out)), 1);
	KUNIT_EXPECT_EQ(test, out[0], 0x01);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0BAQI=", out, sizeof(out)), 2);
	KUNIT_EXPECT_EQ(test, out[0], 0x01);
	KUNIT_EXPECT_EQ(test, out[1], 0x02);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQID", out, sizeof(out)), 3);
	KUNIT_EXPECT_EQ(test, out[2], 0x03);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0b//////8=", out, sizeof(out)), 5);
	for (i = 0; i < 5; i++)
		KUNIT_EXPECT_EQ(test, out[i], 0xff);
	/* without the padding */
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQ", out, sizeof(out)), 1);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQI", out, sizeof(out)), 2);
	/* '+' and '/' */
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0b+/+/", out, sizeof(out)), 3);
	KUNIT_EXPECT_EQ(test, out[0], 0xfb);
	KUNIT_EXPECT_EQ(test, out[1], 0xff);
	KUNIT_EXPECT_EQ(test, out[2], 0xbf);

	memset(out, 0xee, sizeof(out));
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0b", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0b==", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bA", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQ=", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQ===", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bA=Q=", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAR==", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQJ=", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQ*D", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQ\nD", out, 8), -EINVAL);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQIDBAUGBwgJ", out, 8), -EOVERFLOW);
	KUNIT_EXPECT_EQ(test, kitt_text_parse_binary("0bAQID", out, 2), -EOVERFLOW);
	for (i = 0; i < 8; i++)
		KUNIT_EXPECT_EQ(test, out[i], 0xee);
}

static void chap_alg_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, kitt_chap_alg_name(KITT_CHAP_MD5), "MD5");
	KUNIT_EXPECT_STREQ(test, kitt_chap_alg_name(KITT_CHAP_SHA1), "SHA1");
	KUNIT_EXPECT_STREQ(test, kitt_chap_alg_name(KITT_CHAP_SHA256), "SHA-256");
	KUNIT_EXPECT_STREQ(test, kitt_chap_alg_name(KITT_CHAP_SHA3_256), "SHA3-256");
	KUNIT_EXPECT_STREQ(test, kitt_chap_alg_name(0), "unknown");
}

static struct kunit_case kitt_chap_test_cases[] = {
	KUNIT_CASE(chap_md5_vector),
	KUNIT_CASE(chap_md5_base64),
	KUNIT_CASE(chap_md5_uppercase),
	KUNIT_CASE(chap_sha1_vector),
	KUNIT_CASE(chap_sha256_vector),
	KUNIT_CASE(chap_sha256_base64),
	KUNIT_CASE(chap_sha3_vector),
	KUNIT_CASE(chap_alg_choice),
	KUNIT_CASE(chap_alg_reject),
	KUNIT_CASE(chap_start_errors),
	KUNIT_CASE(chap_random_challenge),
	KUNIT_CASE(chap_wrong_response),
	KUNIT_CASE(chap_wrong_name),
	KUNIT_CASE(chap_wrong_secret),
	KUNIT_CASE(chap_bad_responses),
	KUNIT_CASE(chap_missing_keys),
	KUNIT_CASE(chap_no_credentials),
	KUNIT_CASE(chap_mutual_md5),
	KUNIT_CASE(chap_mutual_sha256),
	KUNIT_CASE(chap_mutual_not_asked),
	KUNIT_CASE(chap_mutual_not_configured),
	KUNIT_CASE(chap_mutual_reflection),
	KUNIT_CASE(chap_mutual_bad_values),
	KUNIT_CASE(chap_decode_hex),
	KUNIT_CASE(chap_decode_base64),
	KUNIT_CASE(chap_alg_names),
	{}
};

static struct kunit_suite kitt_chap_test_suite = {
	.name = "kitt_chap",
	.init = chap_test_init,
	.exit = chap_test_exit,
	.test_cases = kitt_chap_test_cases,
};

kunit_test_suite(kitt_chap_test_suite);
