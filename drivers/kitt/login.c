// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: the login phase (RFC 7143 sections 6 and 11.12-11.13).
 *
 * kitt_login_step() is the state machine: it takes one Login Request
 * (header and data segment) and produces the Login Response, calling out
 * through struct kitt_login_ops only to find the target and to create or
 * join the session. It touches no socket, so KUnit drives it with fake
 * ops; conn_login.c feeds it from a connection.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <linux/string.h>
#include <linux/jiffies.h>

#include "kitt_login.h"

/* Longest login text kitt accepts across C-bit continuations. */
#define KITT_LOGIN_TEXT_MAX	(64 * 1024)

/**
 * kitt_login_fail() - set the login's failure status, if none is set yet
 * @lg: the login
 * @class: status class (ISCSI_STATUS_CLS_*)
 * @detail: status detail
 * @why: the reason, for the log line
 */
void kitt_login_fail(struct kitt_login *lg, u8 class, u8 detail, const char *why)
{
	if (lg->status_class)
		return;
	lg->status_class = class;
	lg->status_detail = detail;
	lg->why = why;
}

/* The names of enum kitt_login_outcome, as sysfs and kittctl show them. */
const char * const kitt_login_outcome_names[KITT_LOGIN_NR_OUTCOMES] = {
	[KITT_LOGIN_ACCEPTED]			= "accepted",
	[KITT_LOGIN_INITIATOR_ERROR]		= "initiator_error",
	[KITT_LOGIN_AUTH_FAILED]		= "authentication_failed",
	[KITT_LOGIN_FORBIDDEN]			= "authorization_failure",
	[KITT_LOGIN_TARGET_NOT_FOUND]		= "target_not_found",
	[KITT_LOGIN_TARGET_REMOVED]		= "target_removed",
	[KITT_LOGIN_UNSUPPORTED_VERSION]	= "unsupported_version",
	[KITT_LOGIN_TOO_MANY_CONNECTIONS]	= "too_many_connections",
	[KITT_LOGIN_MISSING_PARAMETER]		= "missing_parameter",
	[KITT_LOGIN_CANNOT_INCLUDE]		= "cannot_include_in_session",
	[KITT_LOGIN_SESSION_TYPE]		= "session_type_not_supported",
	[KITT_LOGIN_NO_SESSION]			= "session_does_not_exist",
	[KITT_LOGIN_INVALID_REQUEST]		= "invalid_during_login",
	[KITT_LOGIN_TARGET_ERROR]		= "target_error",
	[KITT_LOGIN_SERVICE_UNAVAILABLE]	= "service_unavailable",
	[KITT_LOGIN_OUT_OF_RESOURCES]		= "out_of_resources",
	[KITT_LOGIN_DROPPED]			= "dropped",
	[KITT_LOGIN_HOST_LIMIT]			= "host_login_limit",
	[KITT_LOGIN_CONN_LIMIT]			= "conn_limit",
};

/**
 * kitt_login_outcome() - classify a final Login Response status
 * @status_class: the response's Status-Class (0: success)
 * @status_detail: its Status-Detail
 *
 * Return: the outcome; a detail kitt does not know counts as the generic
 * error of its class.
 */
enum kitt_login_outcome kitt_login_outcome(u8 status_class, u8 status_detail)
{
	static const u8 initiator_errors[] = {
		[ISCSI_LOGIN_STATUS_INIT_ERR]		= KITT_LOGIN_INITIATOR_ERROR,
		[ISCSI_LOGIN_STATUS_AUTH_FAILED]	= KITT_LOGIN_AUTH_FAILED,
		[ISCSI_LOGIN_STATUS_TGT_FORBIDDEN]	= KITT_LOGIN_FORBIDDEN,
		[ISCSI_LOGIN_STATUS_TGT_NOT_FOUND]	= KITT_LOGIN_TARGET_NOT_FOUND,
		[ISCSI_LOGIN_STATUS_TGT_REMOVED]	= KITT_LOGIN_TARGET_REMOVED,
		[ISCSI_LOGIN_STATUS_NO_VERSION]		= KITT_LOGIN_UNSUPPORTED_VERSION,
		[ISCSI_LOGIN_STATUS_ISID_ERROR]		= KITT_LOGIN_TOO_MANY_CONNECTIONS,
		[ISCSI_LOGIN_STATUS_MISSING_FIELDS]	= KITT_LOGIN_MISSING_PARAMETER,
		[ISCSI_LOGIN_STATUS_CONN_ADD_FAILED]	= KITT_LOGIN_CANNOT_INCLUDE,
		[ISCSI_LOGIN_STATUS_NO_SESSION_TYPE]	= KITT_LOGIN_SESSION_TYPE,
		[ISCSI_LOGIN_STATUS_NO_SESSION]		= KITT_LOGIN_NO_SESSION,
		[ISCSI_LOGIN_STATUS_INVALID_REQUEST]	= KITT_LOGIN_INVALID_REQUEST,
	};

	switch (status_class) {
	case ISCSI_STATUS_CLS_SUCCESS:
		return KITT_LOGIN_ACCEPTED;
	case ISCSI_STATUS_CLS_INITIATOR_ERR:
		if (status_detail < ARRAY_SIZE(initiator_errors))
			return initiator_errors[status_detail];
		return KITT_LOGIN_INITIATOR_ERROR;
	case ISCSI_STATUS_CLS_TARGET_ERR:
		if (status_detail == ISCSI_LOGIN_STATUS_SVC_UNAVAILABLE)
			return KITT_LOGIN_SERVICE_UNAVAILABLE;
		if (status_detail == ISCSI_LOGIN_STATUS_NO_RESOURCES)
			return KITT_LOGIN_OUT_OF_RESOURCES;
		return KITT_LOGIN_TARGET_ERROR;
	default:
		return KITT_LOGIN_TARGET_ERROR;
	}
}

/**
 * kitt_login_init() - start a login
 * @lg: the state, zeroed by the caller
 * @ops: environment callbacks
 * @ctx: their argument
 */
void kitt_login_init(struct kitt_login *lg, const struct kitt_login_ops *ops, void *ctx)
{
	lg->ops = ops;
	lg->ctx = ctx;
	lg->stage = ISCSI_SECURITY_NEGOTIATION_STAGE;
	kitt_chap_init(&lg->chap);
	kitt_sess_params_init(&lg->params);
}

/**
 * kitt_login_free() - release what a login holds
 * @lg: the state
 */
void kitt_login_free(struct kitt_login *lg)
{
	kitt_chap_free(&lg->chap);
	kvfree(lg->text);
	lg->text = NULL;
	memzero_explicit(&lg->cred, sizeof(lg->cred));
}

/* Identity: after the keys of the first PDU are known. */
static void kitt_login_identify(struct kitt_login *lg)
{
	int ret;

	if (!lg->initiator[0]) {
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
				ISCSI_LOGIN_STATUS_MISSING_FIELDS, "no InitiatorName");
		return;
	}
	if (!lg->discovery && !lg->target[0]) {
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
				ISCSI_LOGIN_STATUS_MISSING_FIELDS, "no TargetName");
		return;
	}
	ret = lg->ops->resolve(lg, lg->ctx);
	if (ret == -ENOENT)
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
				ISCSI_LOGIN_STATUS_TGT_NOT_FOUND, "unknown target");
	else if (ret == -EACCES)
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
				ISCSI_LOGIN_STATUS_TGT_FORBIDDEN, "no ACL for the initiator");
	else if (ret == -EAGAIN)
		kitt_login_fail(lg, ISCSI_STATUS_CLS_TARGET_ERR,
				ISCSI_LOGIN_STATUS_SVC_UNAVAILABLE, "portal group disabled");
	else if (ret)
		kitt_login_fail(lg, ISCSI_STATUS_CLS_TARGET_ERR,
				ISCSI_LOGIN_STATUS_NO_RESOURCES, "out of resources");
	else
		lg->identified = true;
	if (lg->identified)
		kitt_nego_init(&lg->nego, &lg->offer, &lg->params, !lg->tsih, lg->discovery);
}

/* Pick the AuthMethod from the initiator's list (its order wins). */
static void kitt_login_auth_method(struct kitt_login *lg, const char *val,
				   struct kitt_text_buf *rsp)
{
	bool can_chap = lg->cred.userid[0] && lg->cred.password[0];
	const char *pos = val, *item;
	u32 len;
	int ret;

	lg->auth_method = KITT_AUTH_REJECT;
	while ((ret = kitt_text_list_next(&pos, &item, &len)) == 1) {
		if (len == 4 && !memcmp(item, "None", 4) && !lg->auth_required) {
			lg->auth_method = KITT_AUTH_NONE;
			break;
		}
		if (len == 4 && !memcmp(item, "CHAP", 4) && can_chap) {
			lg->auth_method = KITT_AUTH_CHAP;
			break;
		}
	}
	switch (lg->auth_method) {
	case KITT_AUTH_NONE:
		kitt_text_add(rsp, "AuthMethod", "None");
		break;
	case KITT_AUTH_CHAP:
		kitt_text_add(rsp, "AuthMethod", "CHAP");
		break;
	default:
		kitt_text_add(rsp, "AuthMethod", "Reject");
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR, ISCSI_LOGIN_STATUS_AUTH_FAILED,
				lg->auth_required && !can_chap ?
				"CHAP required but no credentials configured" :
				"no acceptable AuthMethod");
		break;
	}
}

static void kitt_login_chap_error(struct kitt_login *lg, int ret)
{
	const char *why = lg->chap.err ?: "CHAP failed";

	switch (ret) {
	case -EACCES:
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
				ISCSI_LOGIN_STATUS_AUTH_FAILED, why);
		break;
	case -ENOENT:
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
				ISCSI_LOGIN_STATUS_MISSING_FIELDS, why);
		break;
	case -ENOMEM:
		kitt_login_fail(lg, ISCSI_STATUS_CLS_TARGET_ERR,
				ISCSI_LOGIN_STATUS_NO_RESOURCES, why);
		break;
	case -ENOSPC:
		kitt_login_fail(lg, ISCSI_STATUS_CLS_TARGET_ERR,
				ISCSI_LOGIN_STATUS_TARGET_ERROR, why);
		break;
	default:
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
				ISCSI_LOGIN_STATUS_AUTH_FAILED, why);
		break;
	}
}

struct kitt_chap_keys {
	const char *a, *n, *r, *i, *c;
};

/* The security stage's CHAP exchange, with the keys of this request. */
static void kitt_login_chap(struct kitt_login *lg, const struct kitt_chap_keys *k,
			    struct kitt_text_buf *rsp)
{
	int ret;

	if (lg->auth_method != KITT_AUTH_CHAP) {
		if (k->a || k->n || k->r || k->i || k->c)
			kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
					ISCSI_LOGIN_STATUS_INIT_ERR,
					"CHAP keys without AuthMethod=CHAP");
		return;
	}
	switch (lg->chap.state) {
	case KITT_CHAP_INIT:
		if (!k->a)
			return;	/* AuthMethod alone: CHAP_A comes next */
		ret = kitt_chap_start(&lg->chap, k->a, rsp);
		if (ret)
			kitt_login_chap_error(lg, ret);
		break;
	case KITT_CHAP_CHALLENGED:
		if (!k->n && !k->r) {
			kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
					ISCSI_LOGIN_STATUS_MISSING_FIELDS, "CHAP_N/CHAP_R missing");
			return;
		}
		ret = kitt_chap_verify(&lg->chap, &lg->cred, k->n, k->r, k->i, k->c, rsp);
		if (ret)
			kitt_login_chap_error(lg, ret);
		else
			lg->authenticated = true;
		break;
	default:
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
				ISCSI_LOGIN_STATUS_AUTH_FAILED, "CHAP keys after authentication");
		break;
	}
}

static void kitt_login_copy_name(char *dst, const char *val, u32 len)
{
	strscpy(dst, val, min_t(u32, len + 1, KITT_NAME_MAX));
}

/* Walk the request's keys. */
static void kitt_login_keys(struct kitt_login *lg, const char *text, u32 len,
			    struct kitt_text_buf *rsp)
{
	struct kitt_chap_keys chap = { };
	struct kitt_text_cursor cur;
	struct kitt_text_pair pair;
	const char *auth = NULL;
	int ret, key;

	ret = kitt_text_find_duplicate(text, len, &pair);
	if (ret == -ENOMEM) {
		kitt_login_fail(lg, ISCSI_STATUS_CLS_TARGET_ERR, ISCSI_LOGIN_STATUS_NO_RESOURCES,
				"out of memory");
		return;
	}
	if (ret) {
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR, ISCSI_LOGIN_STATUS_INIT_ERR,
				ret == -EEXIST ? "a key appears twice" : "malformed login text");
		return;
	}

	/* Identity keys first: negotiation depends on the session type. */
	kitt_text_cursor_init(&cur, text, len);
	while (kitt_text_next(&cur, &pair) == 1) {
		if (!strcmp(pair.key, "InitiatorName")) {
			if (lg->identified && strcmp(lg->initiator, pair.val))
				kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
						ISCSI_LOGIN_STATUS_INIT_ERR,
						"InitiatorName changed");
			else if (pair.val_len >= KITT_NAME_MAX ||
				 !kitt_text_name_ok(pair.val, pair.val_len))
				kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
						ISCSI_LOGIN_STATUS_INIT_ERR, "bad InitiatorName");
			else
				kitt_login_copy_name(lg->initiator, pair.val, pair.val_len);
		} else if (!strcmp(pair.key, "TargetName")) {
			if (lg->identified && strcmp(lg->target, pair.val))
				kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
						ISCSI_LOGIN_STATUS_INIT_ERR, "TargetName changed");
			else if (!pair.val_len || pair.val_len >= KITT_NAME_MAX)
				kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
						ISCSI_LOGIN_STATUS_TGT_NOT_FOUND, "bad TargetName");
			else
				kitt_login_copy_name(lg->target, pair.val, pair.val_len);
		} else if (!strcmp(pair.key, "SessionType")) {
			bool disc = !strcmp(pair.val, "Discovery");

			/* Fixed once identified: the target lookup depends on it. */
			if (!disc && strcmp(pair.val, "Normal"))
				kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
						ISCSI_LOGIN_STATUS_NO_SESSION_TYPE,
						"bad SessionType");
			else if (lg->identified && disc != lg->discovery)
				kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
						ISCSI_LOGIN_STATUS_INIT_ERR, "SessionType changed");
			else if (disc)
				lg->discovery = true;
		}
	}
	if (lg->status_class)
		return;
	if (!lg->identified) {
		kitt_login_identify(lg);
		if (lg->status_class)
			return;
	}
	if (lg->discovery)
		lg->target[0] = '\0';

	kitt_nego_set_stage(&lg->nego, lg->stage);
	kitt_text_cursor_init(&cur, text, len);
	while (!lg->status_class && kitt_text_next(&cur, &pair) == 1) {
		if (!strcmp(pair.key, "InitiatorName") || !strcmp(pair.key, "TargetName") ||
		    !strcmp(pair.key, "SessionType") || !strcmp(pair.key, "InitiatorAlias"))
			continue;
		if (!strcmp(pair.key, "AuthMethod")) {
			auth = pair.val;
			continue;
		}
		if (!strcmp(pair.key, "CHAP_A")) {
			chap.a = pair.val;
			continue;
		}
		if (!strcmp(pair.key, "CHAP_N")) {
			chap.n = pair.val;
			continue;
		}
		if (!strcmp(pair.key, "CHAP_R")) {
			chap.r = pair.val;
			continue;
		}
		if (!strcmp(pair.key, "CHAP_I")) {
			chap.i = pair.val;
			continue;
		}
		if (!strcmp(pair.key, "CHAP_C")) {
			chap.c = pair.val;
			continue;
		}
		ret = kitt_nego_key(&lg->nego, pair.key, pair.val, rsp);
		if (ret == -ENOENT) {
			key = kitt_params_key_lookup(pair.key);
			/* Keys only the target sends, or not for login: Reject. */
			ret = kitt_text_add(rsp, pair.key, key >= 0 ? "Reject" : "NotUnderstood");
		}
		if (ret == -ENOSPC)
			kitt_login_fail(lg, ISCSI_STATUS_CLS_TARGET_ERR,
					ISCSI_LOGIN_STATUS_TARGET_ERROR, "login response too long");
		else if (ret)
			kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
					ISCSI_LOGIN_STATUS_INIT_ERR,
					lg->nego.reason ?: "bad operational key");
	}
	if (lg->status_class)
		return;

	if (lg->stage == ISCSI_SECURITY_NEGOTIATION_STAGE) {
		if (auth) {
			if (lg->auth_method != KITT_AUTH_UNSET) {
				kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
						ISCSI_LOGIN_STATUS_INIT_ERR,
						"AuthMethod sent twice");
				return;
			}
			kitt_login_auth_method(lg, auth, rsp);
		}
		kitt_login_chap(lg, &chap, rsp);
	} else if (auth || chap.a || chap.n || chap.r || chap.i || chap.c) {
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR, ISCSI_LOGIN_STATUS_INIT_ERR,
				"security keys outside the security stage");
	}
}

/* May the login leave the security stage now? */
static bool kitt_login_security_done(struct kitt_login *lg)
{
	switch (lg->auth_method) {
	case KITT_AUTH_NONE:
		return true;
	case KITT_AUTH_CHAP:
		return lg->authenticated;
	default:
		/* No AuthMethod offered: only where none is required. */
		return !lg->auth_required;
	}
}

/**
 * kitt_login_step() - answer one Login Request
 * @lg: the login state
 * @req: the request header
 * @data: its data segment
 * @len: bytes of @data
 * @rsp: the response header to fill (StatSN and the window are left to
 *	the caller)
 * @text: the response's data segment
 *
 * Return: KITT_LOGIN_MORE (send the response, wait for the next request),
 * KITT_LOGIN_DONE (send it, then full feature phase) or KITT_LOGIN_FAILED
 * (send it, then close; lg->why says why).
 */
int kitt_login_step(struct kitt_login *lg, const struct iscsi_login_req *req,
		    const char *data, u32 len, struct iscsi_login_rsp *rsp,
		    struct kitt_text_buf *text)
{
	u8 csg = ISCSI_LOGIN_CURRENT_STAGE(req->flags);
	u8 nsg = ISCSI_LOGIN_NEXT_STAGE(req->flags);
	bool transit = req->flags & ISCSI_FLAG_LOGIN_TRANSIT;
	bool cont = req->flags & ISCSI_FLAG_LOGIN_CONTINUE;
	bool next = false;
	int ret;

	memset(rsp, 0, sizeof(*rsp));
	rsp->opcode = ISCSI_OP_LOGIN_RSP;
	memcpy(rsp->isid, req->isid, sizeof(rsp->isid));
	rsp->tsih = req->tsih;
	rsp->itt = req->itt;

	if (!lg->started) {
		lg->started = true;
		memcpy(lg->isid, req->isid, sizeof(lg->isid));
		lg->tsih = be16_to_cpu(req->tsih);
		lg->cid = be16_to_cpu(req->cid);
		lg->cmdsn = be32_to_cpu(req->cmdsn);
		lg->exp_statsn = be32_to_cpu(req->exp_statsn);
		if (csg == ISCSI_OP_PARMS_NEGOTIATION_STAGE)
			lg->stage = ISCSI_OP_PARMS_NEGOTIATION_STAGE;
		if (req->min_version > 0x00) {
			kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
					ISCSI_LOGIN_STATUS_NO_VERSION,
					"unsupported iSCSI version");
			goto out;
		}
	} else if (memcmp(lg->isid, req->isid, sizeof(lg->isid)) ||
		   lg->tsih != be16_to_cpu(req->tsih) || lg->cid != be16_to_cpu(req->cid)) {
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR, ISCSI_LOGIN_STATUS_INIT_ERR,
				"ISID, TSIH or CID changed during login");
		goto out;
	}

	if (csg != lg->stage || (transit && cont) ||
	    (transit && (nsg <= csg || nsg == 2))) {
		kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR, ISCSI_LOGIN_STATUS_INIT_ERR,
				"bad stage or transit bits");
		goto out;
	}

	/* Text continued across PDUs (C bit) is gathered first. */
	if (len) {
		if (lg->text_len + len > KITT_LOGIN_TEXT_MAX) {
			kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
					ISCSI_LOGIN_STATUS_INIT_ERR, "login text too long");
			goto out;
		}
		if (!lg->text) {
			lg->text = kvmalloc(KITT_LOGIN_TEXT_MAX, GFP_KERNEL);
			if (!lg->text) {
				kitt_login_fail(lg, ISCSI_STATUS_CLS_TARGET_ERR,
						ISCSI_LOGIN_STATUS_NO_RESOURCES, "out of memory");
				goto out;
			}
		}
		memcpy(lg->text + lg->text_len, data, len);
		lg->text_len += len;
	}
	if (cont) {
		rsp->flags = KITT_FLAG_LOGIN_CSG(lg->stage);
		return KITT_LOGIN_MORE;
	}

	if (lg->text_len || !lg->identified)
		kitt_login_keys(lg, lg->text ?: "", lg->text_len, text);
	lg->text_len = 0;
	if (lg->status_class)
		goto out;

	if (lg->stage == ISCSI_OP_PARMS_NEGOTIATION_STAGE && !lg->security_checked) {
		/* The login skipped (or ended) the security stage. */
		lg->security_checked = true;
		if (!kitt_login_security_done(lg)) {
			kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
					ISCSI_LOGIN_STATUS_AUTH_FAILED, "authentication required");
			goto out;
		}
	}

	if (transit) {
		if (lg->stage == ISCSI_SECURITY_NEGOTIATION_STAGE) {
			/* Mid-CHAP the target just stays: the initiator sends more. */
			next = kitt_login_security_done(lg);
			if (next)
				lg->security_checked = true;
		} else {
			next = true;
		}
	}
	if (next && nsg == ISCSI_FULL_FEATURE_PHASE) {
		ret = kitt_nego_finish(&lg->nego, text);
		if (ret) {
			kitt_login_fail(lg, ISCSI_STATUS_CLS_INITIATOR_ERR,
					ISCSI_LOGIN_STATUS_INIT_ERR,
					lg->nego.reason ?: "negotiation failed");
			goto out;
		}
		ret = lg->ops->attach(lg, lg->ctx);
		if (ret)
			goto out;	/* attach set the status */
		rsp->tsih = cpu_to_be16(lg->tsih);
	} else if (next && nsg == ISCSI_OP_PARMS_NEGOTIATION_STAGE &&
		   lg->stage == ISCSI_SECURITY_NEGOTIATION_STAGE) {
		/* Entering the operational stage; the check above is done. */
	}
	if (text->overflow) {
		kitt_login_fail(lg, ISCSI_STATUS_CLS_TARGET_ERR, ISCSI_LOGIN_STATUS_TARGET_ERROR,
				"login response too long");
		goto out;
	}

	rsp->flags = KITT_FLAG_LOGIN_CSG(lg->stage);
	if (next) {
		rsp->flags |= ISCSI_FLAG_LOGIN_TRANSIT | nsg;
		lg->stage = nsg;
	}
	return lg->stage == ISCSI_FULL_FEATURE_PHASE ? KITT_LOGIN_DONE : KITT_LOGIN_MORE;

out:
	rsp->flags = KITT_FLAG_LOGIN_CSG(lg->stage);
	rsp->status_class = lg->status_class;
	rsp->status_detail = lg->status_detail;
	text->len = 0;
	return KITT_LOGIN_FAILED;
}
