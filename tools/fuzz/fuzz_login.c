// SPDX-License-Identifier: GPL-2.0
/*
 * kitt fuzzing: login.c - kitt_login_step(), the login state machine,
 * over a sequence of Login Requests, with fake configuration lookups as
 * login_test.c has them (one target, one initiator in its ACL).
 *
 * Input: an environment byte (CHAP required or configured, open access,
 * attach failing, lookup errors), the random seed (CHAP challenges), then
 * up to 16 requests, each: flags (T, C, CSG, NSG), versions, a byte
 * changing TSIH / ISID / CID, a 2-byte data segment length and the data.
 */
#include "fuzz.h"

#define FZ_TARGET	"iqn.2026-01.org.kitt:disk1"
#define FZ_INIT		"iqn.2026-01.org.kitt:host1"
#define FZ_MAX_STEPS	16

struct fz_env {
	u8 flags;
	int attached;
};

#define ENV_AUTH_REQUIRED	0x01
#define ENV_CHAP		0x02
#define ENV_OPEN		0x04
#define ENV_ATTACH_FAILS	0x08
#define ENV_RESOLVE_EAGAIN	0x10
#define ENV_RESOLVE_ENOMEM	0x20
#define ENV_MUTUAL		0x40
#define ENV_DISC_AUTH		0x80

static int fz_resolve(struct kitt_login *lg, void *ctx)
{
	struct fz_env *env = ctx;

	if (env->flags & ENV_RESOLVE_EAGAIN)
		return -EAGAIN;
	if (env->flags & ENV_RESOLVE_ENOMEM)
		return -ENOMEM;
	kitt_params_offer_init(&lg->offer);
	if (lg->discovery) {
		lg->auth_required = env->flags & ENV_DISC_AUTH;
		lg->cmdsn_depth = 32;
	} else {
		if (strcmp(lg->target, FZ_TARGET))
			return -ENOENT;
		if (strcmp(lg->initiator, FZ_INIT) && !(env->flags & ENV_OPEN))
			return -EACCES;
		lg->auth_required = env->flags & ENV_AUTH_REQUIRED;
		lg->cmdsn_depth = 128;
		lg->tpgt = 1;
	}
	if (env->flags & ENV_CHAP) {
		strcpy(lg->cred.userid, "user");
		strcpy(lg->cred.password, "secretsecret12");
	}
	if (env->flags & ENV_MUTUAL) {
		strcpy(lg->cred.userid_mutual, "target");
		strcpy(lg->cred.password_mutual, "mutualsecret16");
	}
	return 0;
}

static int fz_attach(struct kitt_login *lg, void *ctx)
{
	struct fz_env *env = ctx;

	env->attached++;
	if (env->flags & ENV_ATTACH_FAILS) {
		lg->status_class = ISCSI_STATUS_CLS_INITIATOR_ERR;
		lg->status_detail = ISCSI_LOGIN_STATUS_NO_SESSION;
		lg->why = "session does not exist";
		return -ENOENT;
	}
	if (!lg->tsih)
		lg->tsih = 7;
	return 0;
}

static const struct kitt_login_ops fz_ops = {
	.resolve = fz_resolve,
	.attach = fz_attach,
};

static void fz_login_done(const struct kitt_login *lg, const struct fz_env *env)
{
	const struct kitt_sess_params *p = &lg->params;

	FZ_CHECK(env->attached == 1, "attached %d times", env->attached);
	FZ_CHECK(lg->identified && lg->initiator[0], "full feature phase without a name");
	if (!lg->discovery)
		FZ_CHECK(!strcmp(lg->target, FZ_TARGET) &&
			 (!strcmp(lg->initiator, FZ_INIT) || (env->flags & ENV_OPEN)),
			 "logged in to %s as %s", lg->target, lg->initiator);
	if (lg->auth_required)
		FZ_CHECK(lg->auth_method == KITT_AUTH_CHAP && lg->authenticated,
			 "CHAP required but not done (method %d)", lg->auth_method);
	if (lg->auth_method == KITT_AUTH_CHAP)
		FZ_CHECK(lg->authenticated && lg->chap.state == KITT_CHAP_DONE,
			 "AuthMethod=CHAP but not authenticated");
	FZ_CHECK(p->discovery == lg->discovery, "session type");
	FZ_CHECK(p->max_recv_dsl >= 512 && p->max_recv_dsl <= KITT_MAX_DSL &&
		 p->max_xmit_dsl >= 512 && p->max_xmit_dsl <= KITT_MAX_DSL,
		 "segment lengths %u %u", p->max_recv_dsl, p->max_xmit_dsl);
	FZ_CHECK(p->max_burst_length >= 512 && p->first_burst_length >= 512 &&
		 p->max_burst_length <= KITT_MAX_DSL && p->first_burst_length <= KITT_MAX_DSL,
		 "bursts %u %u", p->max_burst_length, p->first_burst_length);
	FZ_CHECK(p->max_outstanding_r2t >= 1 && p->max_connections >= 1, "R2T/connections");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const u8 isid[6] = { 0x80, 0, 0, 0x12, 0x34, 0x56 };
	struct iscsi_login_req req;
	struct iscsi_login_rsp rsp;
	struct kitt_text_buf text;
	struct fz_env env = { };
	struct kitt_login *lg;
	char *out, *seg;
	u32 len, step;
	struct fz f;
	int ret = KITT_LOGIN_MORE;
	u8 ids;

	fz_init(&f, data, size);
	env.flags = fz_u8(&f);
	kitt_shim_reset(fz_u8(&f));
	lg = calloc(1, sizeof(*lg));
	out = malloc(KITT_LOGIN_MAX_DSL);
	if (!lg || !out)
		abort();
	kitt_login_init(lg, &fz_ops, &env);

	for (step = 0; step < FZ_MAX_STEPS && ret == KITT_LOGIN_MORE && f.left; step++) {
		memset(&req, 0, sizeof(req));
		req.opcode = ISCSI_OP_LOGIN | ISCSI_OP_IMMEDIATE;
		req.flags = fz_u8(&f);
		req.max_version = fz_u8(&f);
		req.min_version = req.max_version & 0x0f ? 0 : req.max_version >> 4;
		ids = fz_u8(&f);
		memcpy(req.isid, isid, sizeof(isid));
		if (ids & 1)
			req.isid[5] ^= 1;
		req.tsih = cpu_to_be16(ids & 2 ? 7 : 0);
		req.cid = cpu_to_be16(ids & 4);
		req.itt = (__force itt_t)cpu_to_be32(step);
		req.cmdsn = cpu_to_be32(1);
		/* a data segment of up to the login limit, in a block of its own */
		seg = (char *)fz_dup(&f, fz_u16(&f) % (KITT_LOGIN_MAX_DSL + 1), &len);
		hton24(req.dlength, len);
		kitt_text_buf_init(&text, out, KITT_LOGIN_MAX_DSL);

		ret = kitt_login_step(lg, &req, seg, len, &rsp, &text);
		free(seg);
		FZ_LOG("step %u: flags 0x%02x, %u bytes -> %d, stage %u, status 0x%02x%02x%s%s\n",
		       step, req.flags, len, ret, lg->stage, rsp.status_class, rsp.status_detail,
		       lg->why ? ": " : "", lg->why ?: "");

		FZ_CHECK(ret == KITT_LOGIN_MORE || ret == KITT_LOGIN_DONE ||
			 ret == KITT_LOGIN_FAILED, "login_step %d", ret);
		FZ_CHECK(rsp.opcode == ISCSI_OP_LOGIN_RSP && rsp.itt == req.itt &&
			 !memcmp(rsp.isid, req.isid, 6), "response header");
		FZ_CHECK(text.len <= text.size, "text %u of %u", text.len, text.size);
		if (ret == KITT_LOGIN_FAILED) {
			FZ_CHECK(rsp.status_class && lg->why && !text.len,
				 "failure: class %u why %s text %u", rsp.status_class,
				 lg->why ?: "NULL", text.len);
			break;
		}
		FZ_CHECK(!rsp.status_class && !rsp.status_detail, "status on success");
		fz_check_text(text.buf, text.len);
		if (rsp.flags & ISCSI_FLAG_LOGIN_TRANSIT)
			FZ_CHECK((rsp.flags & ISCSI_FLAG_LOGIN_NEXT_STAGE_MASK) == lg->stage,
				 "transit to %u, stage %u", rsp.flags & 3, lg->stage);
		if (ret == KITT_LOGIN_DONE) {
			FZ_CHECK(lg->stage == ISCSI_FULL_FEATURE_PHASE, "done in stage %u",
				 lg->stage);
			fz_login_done(lg, &env);
		} else {
			FZ_CHECK(lg->stage != ISCSI_FULL_FEATURE_PHASE, "more in full feature phase");
		}
	}

	kitt_login_free(lg);
	free(lg);
	free(out);
	return 0;
}
