// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for kitt's login state machine (login.c), driven with fake
 * configuration lookups: legal and illegal stage transitions, status
 * classes and details, CHAP, continuation and negotiated values.
 */
#include <kunit/test.h>
#include <linux/string.h>

#include "kitt_login.h"
#include "kitt_test.h"

#define T_TARGET	"iqn.2026-01.org.kitt:disk1"
#define T_INIT		"iqn.2026-01.org.kitt:host1"
#define T_SECRET	"secretsecret12"
/* The names every first login request carries */
#define IDS		"InitiatorName=" T_INIT "\0TargetName=" T_TARGET
#define OTHER		"InitiatorName=iqn.2026-01.org.other:x\0TargetName=" T_TARGET

struct fake_env {
	bool auth_required;
	bool chap_configured;
	bool open;		/* generate_node_acls */
	int attach_ret;
	int attached;
};

static int fake_resolve(struct kitt_login *lg, void *ctx)
{
	struct fake_env *env = ctx;

	if (lg->discovery) {
		kitt_params_offer_init(&lg->offer);
		lg->cmdsn_depth = 32;
		return 0;
	}
	if (strcmp(lg->target, T_TARGET))
		return -ENOENT;
	if (strcmp(lg->initiator, T_INIT) && !env->open)
		return -EACCES;
	kitt_params_offer_init(&lg->offer);
	lg->auth_required = env->auth_required;
	if (env->chap_configured) {
		strscpy(lg->cred.userid, "user", sizeof(lg->cred.userid));
		strscpy(lg->cred.password, T_SECRET, sizeof(lg->cred.password));
	}
	lg->cmdsn_depth = 128;
	lg->tpgt = 1;
	return 0;
}

static int fake_attach(struct kitt_login *lg, void *ctx)
{
	struct fake_env *env = ctx;

	if (env->attach_ret) {
		lg->status_class = ISCSI_STATUS_CLS_INITIATOR_ERR;
		lg->status_detail = ISCSI_LOGIN_STATUS_NO_SESSION;
		return env->attach_ret;
	}
	env->attached++;
	lg->tsih = 7;
	return 0;
}

static const struct kitt_login_ops fake_ops = {
	.resolve = fake_resolve,
	.attach = fake_attach,
};

struct login_ctx {
	struct fake_env env;
	struct kitt_login lg;
	struct iscsi_login_rsp rsp;
	struct kitt_text_buf tb;
	char out[KITT_LOGIN_MAX_DSL];
};

/* Contexts of the running test, freed by the suite's exit hook. */
struct login_ctx_list {
	struct login_ctx *ctx[8];
	unsigned int nr;
};

static struct login_ctx *login_ctx_new(struct kunit *test)
{
	struct login_ctx_list *list = test->priv;
	struct login_ctx *c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_LT(test, list->nr, ARRAY_SIZE(list->ctx));
	kitt_login_init(&c->lg, &fake_ops, &c->env);
	list->ctx[list->nr++] = c;
	return c;
}

static int login_test_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct login_ctx_list), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

static void login_test_exit(struct kunit *test)
{
	struct login_ctx_list *list = test->priv;
	unsigned int i;

	for (i = 0; i < list->nr; i++)
		kitt_login_free(&list->ctx[i]->lg);
}

/* Send one request with @flags and the NUL-separated pairs in @text. */
static int login_send(struct kunit *test, struct login_ctx *c, u8 flags, u16 tsih,
		      const char *text, u32 len)
{
	struct iscsi_login_req req = { };
	static const u8 isid[6] = { 0x80, 0, 0, 0x12, 0x34, 0x56 };

	req.opcode = ISCSI_OP_LOGIN | ISCSI_OP_IMMEDIATE;
	req.flags = flags;
	memcpy(req.isid, isid, sizeof(isid));
	req.tsih = cpu_to_be16(tsih);
	req.cid = cpu_to_be16(1);
	req.cmdsn = cpu_to_be32(10);
	kitt_text_buf_init(&c->tb, c->out, sizeof(c->out));
	return kitt_login_step(&c->lg, &req, text, len, &c->rsp, &c->tb);
}

#define SEND(c, flags, lit) login_send(test, c, flags, 0, lit, sizeof(lit))

#define F_T	ISCSI_FLAG_LOGIN_TRANSIT
#define F_C	ISCSI_FLAG_LOGIN_CONTINUE
#define SEC_TO_OP	(F_T | (0 << 2) | 1)
#define SEC_TO_FFP	(F_T | (0 << 2) | 3)
#define OP_TO_FFP	(F_T | (1 << 2) | 3)
#define SEC_STAY	(0 << 2)

/* Does the response text hold "key=value"? */
static bool rsp_has(struct login_ctx *c, const char *pair)
{
	u32 pos = 0, n = strlen(pair);

	while (pos < c->tb.len) {
		const char *p = c->tb.buf + pos;
		u32 l = strnlen(p, c->tb.len - pos);

		if (l == n && !memcmp(p, pair, n))
			return true;
		pos += l + 1;
	}
	return false;
}

/* Find the value of @key in the response, or NULL. */
static const char *rsp_val(struct login_ctx *c, const char *key)
{
	u32 pos = 0, n = strlen(key);

	while (pos < c->tb.len) {
		const char *p = c->tb.buf + pos;
		u32 l = strnlen(p, c->tb.len - pos);

		if (l > n && !memcmp(p, key, n) && p[n] == '=')
			return p + n + 1;
		pos += l + 1;
	}
	return NULL;
}

static void login_no_auth_two_stages(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, IDS "\0SessionType=Normal\0AuthMethod=None"),
			KITT_LOGIN_MORE);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, 0);
	KUNIT_EXPECT_TRUE(test, rsp_has(c, "AuthMethod=None"));
	KUNIT_EXPECT_EQ(test, c->rsp.flags, SEC_TO_OP);

	KUNIT_EXPECT_EQ(test, SEND(c, OP_TO_FFP, "HeaderDigest=CRC32C,None\0DataDigest=None\0"
				   "MaxRecvDataSegmentLength=65536\0InitialR2T=No\0"
				   "ImmediateData=Yes\0MaxBurstLength=262144\0"
				   "FirstBurstLength=65536"),
			KITT_LOGIN_DONE);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, 0);
	KUNIT_EXPECT_EQ(test, c->rsp.flags, OP_TO_FFP);
	KUNIT_EXPECT_EQ(test, be16_to_cpu(c->rsp.tsih), 7);
	KUNIT_EXPECT_EQ(test, c->env.attached, 1);
	KUNIT_EXPECT_TRUE(test, rsp_has(c, "HeaderDigest=CRC32C"));
	KUNIT_EXPECT_TRUE(test, rsp_has(c, "DataDigest=None"));
	KUNIT_EXPECT_TRUE(test, c->lg.params.header_digest);
	KUNIT_EXPECT_FALSE(test, c->lg.params.data_digest);
	KUNIT_EXPECT_EQ(test, c->lg.params.max_xmit_dsl, 65536U);
	KUNIT_EXPECT_FALSE(test, c->lg.params.initial_r2t);
	KUNIT_EXPECT_TRUE(test, c->lg.params.immediate_data);
	KUNIT_EXPECT_NOT_NULL(test, rsp_val(c, "MaxRecvDataSegmentLength"));
}

static void login_skip_security(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	KUNIT_EXPECT_EQ(test, SEND(c, OP_TO_FFP, IDS "\0MaxBurstLength=131072"),
			KITT_LOGIN_DONE);
	KUNIT_EXPECT_EQ(test, c->lg.params.max_burst_length, 131072U);
	KUNIT_EXPECT_TRUE(test, rsp_has(c, "MaxBurstLength=131072"));
}

static void login_skip_security_refused(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	c->env.auth_required = true;
	c->env.chap_configured = true;
	KUNIT_EXPECT_EQ(test, SEND(c, OP_TO_FFP, IDS),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_AUTH_FAILED);
	KUNIT_EXPECT_EQ(test, c->env.attached, 0);
}

static void login_auth_none_refused_when_required(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	c->env.auth_required = true;
	c->env.chap_configured = true;
	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, IDS "\0AuthMethod=None"),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_AUTH_FAILED);
	KUNIT_EXPECT_EQ(test, c->tb.len, 0U);
}

static void login_unknown_target(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, "InitiatorName=" T_INIT
				   "\0TargetName=iqn.2026-01.org.kitt:nope\0AuthMethod=None"),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_TGT_NOT_FOUND);
}

static void login_no_acl(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, OTHER "\0AuthMethod=None"),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_TGT_FORBIDDEN);
}

static void login_missing_names(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, "TargetName=" T_TARGET "\0AuthMethod=None"),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_MISSING_FIELDS);

	c = login_ctx_new(test);
	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, "InitiatorName=" T_INIT "\0AuthMethod=None"),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_MISSING_FIELDS);
}

#define BAD_BLANK	"iqn.2026-01.org.x:a b"
#define BAD_BREAK	"iqn.2026-01.org.x:a\nreg"

/* An InitiatorName with a blank or a line break: an initiator error. */
static void login_bad_initiator_name(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_FFP, "InitiatorName=" BAD_BLANK
				   "\0SessionType=Discovery\0AuthMethod=None"),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_INIT_ERR);

	c = login_ctx_new(test);
	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_FFP, "InitiatorName=" BAD_BREAK
				   "\0SessionType=Discovery\0AuthMethod=None"),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_INIT_ERR);
}

static void login_discovery_needs_no_target(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_FFP, "InitiatorName=" T_INIT
				   "\0SessionType=Discovery\0AuthMethod=None"),
			KITT_LOGIN_DONE);
	KUNIT_EXPECT_TRUE(test, c->lg.discovery);
}

static void login_bad_session_type(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, "InitiatorName=" T_INIT
				   "\0SessionType=Bogus\0AuthMethod=None"),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_NO_SESSION_TYPE);
}

static void login_unsupported_version(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);
	struct iscsi_login_req req = { };
	static const char text[] = IDS;

	req.opcode = ISCSI_OP_LOGIN;
	req.flags = SEC_TO_OP;
	req.min_version = 2;
	req.max_version = 2;
	kitt_text_buf_init(&c->tb, c->out, sizeof(c->out));
	KUNIT_EXPECT_EQ(test, kitt_login_step(&c->lg, &req, text, sizeof(text), &c->rsp, &c->tb),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_NO_VERSION);
}

static void login_illegal_transitions(struct kunit *test)
{
	struct login_ctx *c;

	/* T and C together */
	c = login_ctx_new(test);
	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP | F_C, "InitiatorName=" T_INIT),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_INIT_ERR);

	/* NSG 2 is reserved */
	c = login_ctx_new(test);
	KUNIT_EXPECT_EQ(test, SEND(c, F_T | 2, "InitiatorName=" T_INIT), KITT_LOGIN_FAILED);

	/* NSG not after CSG */
	c = login_ctx_new(test);
	KUNIT_EXPECT_EQ(test, SEND(c, F_T | (1 << 2) | 0, "InitiatorName=" T_INIT),
			KITT_LOGIN_FAILED);

	/* CSG 3 is not a login stage */
	c = login_ctx_new(test);
	KUNIT_EXPECT_EQ(test, SEND(c, (3 << 2), "InitiatorName=" T_INIT), KITT_LOGIN_FAILED);

	/* Going back to the security stage after leaving it */
	c = login_ctx_new(test);
	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, IDS "\0AuthMethod=None"), KITT_LOGIN_MORE);
	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, "MaxBurstLength=65536"), KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->env.attached, 0);
}

static void login_duplicate_key(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	KUNIT_EXPECT_EQ(test,
			SEND(c, OP_TO_FFP, IDS "\0MaxBurstLength=65536\0MaxBurstLength=65536"),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_INIT_ERR);
}

static void login_continuation(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	/* The first PDU ends in the middle of a pair. */
	static const char part1[] = "InitiatorName=" T_INIT "\0Target";

	KUNIT_EXPECT_EQ(test, login_send(test, c, (1 << 2) | F_C, 0, part1, sizeof(part1) - 1),
			KITT_LOGIN_MORE);
	KUNIT_EXPECT_EQ(test, c->rsp.flags, 1 << 2);
	KUNIT_EXPECT_EQ(test, c->tb.len, 0U);
	KUNIT_EXPECT_EQ(test, SEND(c, OP_TO_FFP, "Name=" T_TARGET "\0MaxBurstLength=65536"),
			KITT_LOGIN_DONE);
	KUNIT_EXPECT_STREQ(test, c->lg.target, T_TARGET);
	KUNIT_EXPECT_EQ(test, c->lg.params.max_burst_length, 65536U);
}

static void login_unknown_key_not_understood(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	KUNIT_EXPECT_EQ(test, SEND(c, OP_TO_FFP, IDS "\0X-com.example.Thing=1"),
			KITT_LOGIN_DONE);
	KUNIT_EXPECT_TRUE(test, rsp_has(c, "X-com.example.Thing=NotUnderstood"));
}

static void login_session_does_not_exist(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);
	static const char text[] = IDS;

	c->env.attach_ret = -ENOENT;
	KUNIT_EXPECT_EQ(test, login_send(test, c, OP_TO_FFP, 5, text, sizeof(text)),
			KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_NO_SESSION);
}

static void login_chap_one_way(struct kunit *test)
{
	static const u8 challenge[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	struct login_ctx *c = login_ctx_new(test);

	c->env.auth_required = true;
	c->env.chap_configured = true;
	kitt_chap_set_test_challenge(&c->lg.chap, 1, challenge, sizeof(challenge));

	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, IDS "\0AuthMethod=CHAP,None"), KITT_LOGIN_MORE);
	KUNIT_EXPECT_TRUE(test, rsp_has(c, "AuthMethod=CHAP"));
	/* CHAP not done: the target stays in the security stage, no failure. */
	KUNIT_EXPECT_EQ(test, c->rsp.flags, SEC_STAY);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, 0);

	KUNIT_EXPECT_EQ(test, SEND(c, SEC_STAY, "CHAP_A=5"), KITT_LOGIN_MORE);
	KUNIT_EXPECT_TRUE(test, rsp_has(c, "CHAP_A=5"));
	KUNIT_EXPECT_TRUE(test, rsp_has(c, "CHAP_I=1"));
	KUNIT_EXPECT_NOT_NULL(test, rsp_val(c, "CHAP_C"));

	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, "CHAP_N=user\0"
				   "CHAP_R=0xc69b78dc6ac14bd854fdade1fcb18a77"), KITT_LOGIN_MORE);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, 0);
	KUNIT_EXPECT_EQ(test, c->rsp.flags, SEC_TO_OP);
	KUNIT_EXPECT_TRUE(test, c->lg.authenticated);

	KUNIT_EXPECT_EQ(test, SEND(c, OP_TO_FFP, "MaxBurstLength=65536"), KITT_LOGIN_DONE);
}

static void login_chap_wrong_secret(struct kunit *test)
{
	static const u8 challenge[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
	struct login_ctx *c = login_ctx_new(test);

	c->env.auth_required = true;
	c->env.chap_configured = true;
	kitt_chap_set_test_challenge(&c->lg.chap, 1, challenge, sizeof(challenge));
	KUNIT_EXPECT_EQ(test, SEND(c, SEC_STAY, IDS "\0AuthMethod=CHAP"), KITT_LOGIN_MORE);
	KUNIT_EXPECT_EQ(test, SEND(c, SEC_STAY, "CHAP_A=5"), KITT_LOGIN_MORE);
	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, "CHAP_N=user\0"
				   "CHAP_R=0x8c5077896eb8c6b53067e530bfd44d4a"), KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, ISCSI_STATUS_CLS_INITIATOR_ERR);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_AUTH_FAILED);
	KUNIT_EXPECT_FALSE(test, c->lg.authenticated);
	KUNIT_EXPECT_EQ(test, c->env.attached, 0);
}

static void login_chap_oversized_response(struct kunit *test)
{
	static const u8 challenge[16] = { 0 };
	struct login_ctx *c = login_ctx_new(test);
	static char text[600];
	int n;

	c->env.auth_required = true;
	c->env.chap_configured = true;
	kitt_chap_set_test_challenge(&c->lg.chap, 1, challenge, sizeof(challenge));
	KUNIT_EXPECT_EQ(test, SEND(c, SEC_STAY, IDS "\0AuthMethod=CHAP\0CHAP_A=5"),
			KITT_LOGIN_MORE);
	n = scnprintf(text, sizeof(text), "CHAP_N=user");
	n++;
	n += scnprintf(text + n, sizeof(text) - n, "CHAP_R=0x");
	memset(text + n, 'a', 512);
	n += 512;
	text[n++] = '\0';
	KUNIT_EXPECT_EQ(test, login_send(test, c, SEC_TO_OP, 0, text, n), KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_class, ISCSI_STATUS_CLS_INITIATOR_ERR);
}

static void login_chap_without_credentials(struct kunit *test)
{
	struct login_ctx *c = login_ctx_new(test);

	c->env.auth_required = true;
	KUNIT_EXPECT_EQ(test, SEND(c, SEC_TO_OP, IDS "\0AuthMethod=CHAP,None"), KITT_LOGIN_FAILED);
	KUNIT_EXPECT_EQ(test, c->rsp.status_detail, ISCSI_LOGIN_STATUS_AUTH_FAILED);
}

static struct kunit_case kitt_login_cases[] = {
	KUNIT_CASE(login_no_auth_two_stages),
	KUNIT_CASE(login_skip_security),
	KUNIT_CASE(login_skip_security_refused),
	KUNIT_CASE(login_auth_none_refused_when_required),
	KUNIT_CASE(login_unknown_target),
	KUNIT_CASE(login_no_acl),
	KUNIT_CASE(login_missing_names),
	KUNIT_CASE(login_bad_initiator_name),
	KUNIT_CASE(login_discovery_needs_no_target),
	KUNIT_CASE(login_bad_session_type),
	KUNIT_CASE(login_unsupported_version),
	KUNIT_CASE(login_illegal_transitions),
	KUNIT_CASE(login_duplicate_key),
	KUNIT_CASE(login_continuation),
	KUNIT_CASE(login_unknown_key_not_understood),
	KUNIT_CASE(login_session_does_not_exist),
	KUNIT_CASE(login_chap_one_way),
	KUNIT_CASE(login_chap_wrong_secret),
	KUNIT_CASE(login_chap_oversized_response),
	KUNIT_CASE(login_chap_without_credentials),
	{}
};

static struct kunit_suite kitt_login_suite = {
	.name = "kitt_login",
	.init = login_test_init,
	.exit = login_test_exit,
	.test_cases = kitt_login_cases,
};

kunit_test_suite(kitt_login_suite);
