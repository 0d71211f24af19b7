// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: the RFC 7143 key table and operational parameter negotiation
 * (RFC 7143 5.2, 6.2, 12, 13). Pure code: the login layer feeds it the
 * initiator's key=value pairs and sends the answers it writes.
 *
 * kitt only answers: it never proposes a negotiated key, so an initiator
 * that leaves a key out gets the RFC default. The one thing kitt states
 * unasked is its own MaxRecvDataSegmentLength (a declaration).
 */
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/errno.h>
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/ctype.h>
#include <linux/mm.h>

#include "kitt_login.h"
#include "kitt_test.h"

#define KITT_DSL_MIN	512

/* Member numbers of the digest lists: KITT_DIGEST_* is BIT(member) */
#define KITT_DIG_CRC32C	0
#define KITT_DIG_NONE	1
static_assert(BIT(KITT_DIG_CRC32C) == KITT_DIGEST_CRC32C);
static_assert(BIT(KITT_DIG_NONE) == KITT_DIGEST_NONE);

#define KEY(_k, _name, _type, _scope, _use, _phases, _senders, _flags,	\
	    _min, _max, _def, _offer)					\
	[_k] = {							\
		.name = _name, .type = _type, .scope = _scope,		\
		.use = _use, .phases = _phases, .senders = _senders,	\
		.flags = _flags, .min = _min, .max = _max, .def = _def,	\
		.offer = _offer,					\
	}

#define SEC(_k, _name)							\
	KEY(_k, _name, KITT_KT_SECURITY, KITT_SCOPE_CO, KITT_USE_SPO,	\
	    KITT_PH_SEC, KITT_SEND_I | KITT_SEND_T, KITT_KF_LOGIN, 0, 0, 0, 0)

#define PH_LOGIN	(KITT_PH_SEC | KITT_PH_OP)
#define PH_ALL		(KITT_PH_SEC | KITT_PH_OP | KITT_PH_FFP)
#define SEND_IT		(KITT_SEND_I | KITT_SEND_T)

static const struct kitt_key_info kitt_keys[KITT_NR_KEYS] = {
	/* 13.1 */
	KEY(KITT_KEY_HEADER_DIGEST, "HeaderDigest", KITT_KT_LIST,
	    KITT_SCOPE_CO, KITT_USE_IO, KITT_PH_OP, SEND_IT, KITT_KF_CONFIG,
	    0, 0, KITT_DIGEST_NONE, KITT_DIGEST_CRC32C | KITT_DIGEST_NONE),
	KEY(KITT_KEY_DATA_DIGEST, "DataDigest", KITT_KT_LIST,
	    KITT_SCOPE_CO, KITT_USE_IO, KITT_PH_OP, SEND_IT, KITT_KF_CONFIG,
	    0, 0, KITT_DIGEST_NONE, KITT_DIGEST_CRC32C | KITT_DIGEST_NONE),
	/* 13.2 */
	KEY(KITT_KEY_MAX_CONNECTIONS, "MaxConnections", KITT_KT_NUM_MIN,
	    KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT,
	    KITT_KF_CONFIG | KITT_KF_IRR_DISC, 1, 65535, 1, 1),
	/* 13.3 - 13.9: names, addresses and discovery; login.c */
	KEY(KITT_KEY_SEND_TARGETS, "SendTargets", KITT_KT_DECLARATIVE,
	    KITT_SCOPE_SW, KITT_USE_FFPO, KITT_PH_FFP, KITT_SEND_I,
	    KITT_KF_LOGIN, 0, 0, 0, 0),
	KEY(KITT_KEY_TARGET_NAME, "TargetName", KITT_KT_DECLARATIVE,
	    KITT_SCOPE_SW, KITT_USE_IO, PH_ALL, SEND_IT, KITT_KF_LOGIN,
	    0, 0, 0, 0),
	KEY(KITT_KEY_INITIATOR_NAME, "InitiatorName", KITT_KT_DECLARATIVE,
	    KITT_SCOPE_SW, KITT_USE_IO, PH_LOGIN, KITT_SEND_I, KITT_KF_LOGIN,
	    0, 0, 0, 0),
	KEY(KITT_KEY_TARGET_ALIAS, "TargetAlias", KITT_KT_DECLARATIVE,
	    KITT_SCOPE_SW, KITT_USE_ALL, PH_ALL, KITT_SEND_T, KITT_KF_LOGIN,
	    0, 0, 0, 0),
	KEY(KITT_KEY_INITIATOR_ALIAS, "InitiatorAlias", KITT_KT_DECLARATIVE,
	    KITT_SCOPE_SW, KITT_USE_ALL, PH_ALL, KITT_SEND_I, KITT_KF_LOGIN,
	    0, 0, 0, 0),
	KEY(KITT_KEY_TARGET_ADDRESS, "TargetAddress", KITT_KT_DECLARATIVE,
	    KITT_SCOPE_SW, KITT_USE_ALL, PH_ALL, KITT_SEND_T, KITT_KF_LOGIN,
	    0, 0, 0, 0),
	KEY(KITT_KEY_TARGET_PORTAL_GROUP_TAG, "TargetPortalGroupTag",
	    KITT_KT_DECLARATIVE, KITT_SCOPE_SW, KITT_USE_IO, PH_LOGIN,
	    KITT_SEND_T, KITT_KF_LOGIN | KITT_KF_NUMERIC, 0, 65535, 0, 0),
	/* 13.10 - 13.20 */
	KEY(KITT_KEY_INITIAL_R2T, "InitialR2T", KITT_KT_BOOL_OR,
	    KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT,
	    KITT_KF_CONFIG | KITT_KF_IRR_DISC, 0, 1, 1, 0),
	KEY(KITT_KEY_IMMEDIATE_DATA, "ImmediateData", KITT_KT_BOOL_AND,
	    KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT,
	    KITT_KF_CONFIG | KITT_KF_IRR_DISC, 0, 1, 1, 1),
	KEY(KITT_KEY_MAX_RECV_DSL, "MaxRecvDataSegmentLength",
	    KITT_KT_DECLARATIVE, KITT_SCOPE_CO, KITT_USE_ALL, PH_ALL, SEND_IT,
	    KITT_KF_CONFIG | KITT_KF_NUMERIC, KITT_DSL_MIN, KITT_MAX_DSL,
	    8192, 262144),
	KEY(KITT_KEY_MAX_BURST_LENGTH, "MaxBurstLength", KITT_KT_NUM_MIN,
	    KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT,
	    KITT_KF_CONFIG | KITT_KF_IRR_DISC, KITT_DSL_MIN, KITT_MAX_DSL,
	    262144, 262144),
	KEY(KITT_KEY_FIRST_BURST_LENGTH, "FirstBurstLength", KITT_KT_NUM_MIN,
	    KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT,
	    KITT_KF_CONFIG | KITT_KF_IRR_DISC, KITT_DSL_MIN, KITT_MAX_DSL,
	    65536, 65536),
	KEY(KITT_KEY_DEFAULT_TIME2WAIT, "DefaultTime2Wait", KITT_KT_NUM_MAX,
	    KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT, KITT_KF_CONFIG,
	    0, 3600, 2, 2),
	KEY(KITT_KEY_DEFAULT_TIME2RETAIN, "DefaultTime2Retain",
	    KITT_KT_NUM_MIN, KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT,
	    KITT_KF_CONFIG, 0, 3600, 20, 20),
	KEY(KITT_KEY_MAX_OUTSTANDING_R2T, "MaxOutstandingR2T",
	    KITT_KT_NUM_MIN, KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT,
	    KITT_KF_CONFIG | KITT_KF_IRR_DISC, 1, 65535, 1, 1),
	KEY(KITT_KEY_DATA_PDU_IN_ORDER, "DataPDUInOrder", KITT_KT_BOOL_OR,
	    KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT, KITT_KF_IRR_DISC,
	    0, 1, 1, 1),
	KEY(KITT_KEY_DATA_SEQUENCE_IN_ORDER, "DataSequenceInOrder",
	    KITT_KT_BOOL_OR, KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT,
	    KITT_KF_IRR_DISC, 0, 1, 1, 1),
	KEY(KITT_KEY_ERROR_RECOVERY_LEVEL, "ErrorRecoveryLevel",
	    KITT_KT_NUM_MIN, KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT,
	    0, 0, 2, 0, 0),
	/* 13.21: declared by the initiator in its first login request */
	KEY(KITT_KEY_SESSION_TYPE, "SessionType", KITT_KT_DECLARATIVE,
	    KITT_SCOPE_SW, KITT_USE_LO, PH_LOGIN, KITT_SEND_I, KITT_KF_LOGIN,
	    0, 1, 0, 0),
	/* 13.23, 13.24 */
	KEY(KITT_KEY_TASK_REPORTING, "TaskReporting", KITT_KT_LIST,
	    KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT, KITT_KF_IRR_DISC,
	    0, 0, BIT(KITT_TASK_REPORTING_RFC3720),
	    BIT(KITT_TASK_REPORTING_RFC3720)),
	KEY(KITT_KEY_PROTOCOL_LEVEL, "iSCSIProtocolLevel", KITT_KT_NUM_MIN,
	    KITT_SCOPE_SW, KITT_USE_LO, KITT_PH_OP, SEND_IT, KITT_KF_IRR_DISC,
	    0, 31, 1, 1),
	/* RFC 3720 markers, obsoleted by RFC 7143 13.25 */
	KEY(KITT_KEY_OF_MARKER, "OFMarker", KITT_KT_BOOL_AND, KITT_SCOPE_CO,
	    KITT_USE_IO, KITT_PH_OP, SEND_IT, KITT_KF_OBSOLETE, 0, 1, 0, 0),
	KEY(KITT_KEY_IF_MARKER, "IFMarker", KITT_KT_BOOL_AND, KITT_SCOPE_CO,
	    KITT_USE_IO, KITT_PH_OP, SEND_IT, KITT_KF_OBSOLETE, 0, 1, 0, 0),
	KEY(KITT_KEY_OF_MARK_INT, "OFMarkInt", KITT_KT_NUM_MIN, KITT_SCOPE_CO,
	    KITT_USE_IO, KITT_PH_OP, SEND_IT, KITT_KF_OBSOLETE, 1, 65535,
	    2048, 2048),
	KEY(KITT_KEY_IF_MARK_INT, "IFMarkInt", KITT_KT_NUM_MIN, KITT_SCOPE_CO,
	    KITT_USE_IO, KITT_PH_OP, SEND_IT, KITT_KF_OBSOLETE, 1, 65535,
	    2048, 2048),
	/* 12.1: security negotiation */
	SEC(KITT_KEY_AUTH_METHOD, "AuthMethod"),
	SEC(KITT_KEY_CHAP_A, "CHAP_A"),
	SEC(KITT_KEY_CHAP_I, "CHAP_I"),
	SEC(KITT_KEY_CHAP_C, "CHAP_C"),
	SEC(KITT_KEY_CHAP_N, "CHAP_N"),
	SEC(KITT_KEY_CHAP_R, "CHAP_R"),
	SEC(KITT_KEY_SRP_U, "SRP_U"),
	SEC(KITT_KEY_SRP_TARGET_AUTH, "SRP_TARGET_AUTH"),
	SEC(KITT_KEY_SRP_GROUP, "SRP_GROUP"),
	SEC(KITT_KEY_SRP_A, "SRP_A"),
	SEC(KITT_KEY_SRP_B, "SRP_B"),
	SEC(KITT_KEY_SRP_M, "SRP_M"),
	SEC(KITT_KEY_SRP_HM, "SRP_HM"),
	SEC(KITT_KEY_SRP_S, "SRP_s"),
	SEC(KITT_KEY_KRB_AP_REQ, "KRB_AP_REQ"),
	SEC(KITT_KEY_KRB_AP_REP, "KRB_AP_REP"),
	/* kitt's name for the initiator's MaxRecvDataSegmentLength */
	KEY(KITT_KEY_MAX_XMIT_DSL, "MaxXmitDataSegmentLength",
	    KITT_KT_DECLARATIVE, KITT_SCOPE_CO, KITT_USE_ALL, 0, 0,
	    KITT_KF_LOCAL | KITT_KF_NUMERIC, KITT_DSL_MIN, KITT_MAX_DSL,
	    8192, 0),
};

/* Members of the list-valued keys, by bit number */
static const char * const kitt_digest_names[] = {
	[KITT_DIG_CRC32C] = "CRC32C",
	[KITT_DIG_NONE] = "None",
};

static const char * const kitt_task_reporting_names[] = {
	[KITT_TASK_REPORTING_RFC3720] = "RFC3720",
	[KITT_TASK_REPORTING_RESPONSE_FENCE] = "ResponseFence",
	[KITT_TASK_REPORTING_FAST_ABORT] = "FastAbort",
};

/* Module-wide default offer: the table's, unless overridden at load. */
static u32 kitt_default_val[KITT_NR_KEYS];
static DECLARE_BITMAP(kitt_default_set, KITT_NR_KEYS);

static const char * const *kitt_list_names(enum kitt_key key, unsigned int *n)
{
	if (key == KITT_KEY_TASK_REPORTING) {
		*n = ARRAY_SIZE(kitt_task_reporting_names);
		return kitt_task_reporting_names;
	}
	*n = ARRAY_SIZE(kitt_digest_names);
	return kitt_digest_names;
}

/* The member number of @item in @key's list, or -1. */
static int kitt_list_member(enum kitt_key key, const char *item, u32 len)
{
	const char * const *names;
	unsigned int n, i;

	names = kitt_list_names(key, &n);
	for (i = 0; i < n; i++)
		if (strlen(names[i]) == len && !memcmp(names[i], item, len))
			return i;
	return -1;
}

/**
 * kitt_params_key_info() - the table entry of a key.
 * @key: the key
 *
 * Return: the entry, or NULL if @key is out of range.
 */
const struct kitt_key_info *kitt_params_key_info(enum kitt_key key)
{
	if ((unsigned int)key >= KITT_NR_KEYS)
		return NULL;
	return &kitt_keys[key];
}

/**
 * kitt_params_key_name() - the wire name of a key.
 * @key: the key
 *
 * Return: the name, or NULL if @key is out of range.
 */
const char *kitt_params_key_name(enum kitt_key key)
{
	const struct kitt_key_info *info = kitt_params_key_info(key);

	return info ? info->name : NULL;
}

/**
 * kitt_params_key_lookup() - classify a key received on the wire.
 * @name: the key, NUL-terminated
 *
 * Return: the enum kitt_key of a key RFC 7143 defines, or -ENOENT.
 */
int kitt_params_key_lookup(const char *name)
{
	unsigned int k;

	for (k = 0; k < KITT_NR_KEYS; k++) {
		if (kitt_keys[k].flags & KITT_KF_LOCAL)
			continue;
		if (!strcmp(kitt_keys[k].name, name))
			return k;
	}
	return -ENOENT;
}

/**
 * kitt_params_key_configurable() - is a key a file in params/?
 * @key: the key
 *
 * Return: true for the keys a portal group's offer may change.
 */
bool kitt_params_key_configurable(enum kitt_key key)
{
	const struct kitt_key_info *info = kitt_params_key_info(key);

	return info && (info->flags & KITT_KF_CONFIG);
}

/**
 * kitt_params_offer_init() - the default offer of a new portal group.
 * @offer: the offer to fill in
 *
 * Takes kitt's compile-time offer for every key, overridden by any
 * kitt_params_default_store().
 */
void kitt_params_offer_init(struct kitt_param_offer *offer)
{
	unsigned int k;

	for (k = 0; k < KITT_NR_KEYS; k++)
		offer->val[k] = test_bit(k, kitt_default_set) ?
				kitt_default_val[k] : kitt_keys[k].offer;
}

/**
 * kitt_params_offer_show() - print one offered value.
 * @offer: the offer
 * @key: a configurable key
 * @page: a page-sized buffer
 *
 * Lists print the members offered in kitt's preference order.
 *
 * Return: bytes written, or -EINVAL for a key that is not configurable.
 */
ssize_t kitt_params_offer_show(const struct kitt_param_offer *offer,
			       enum kitt_key key, char *page)
{
	const struct kitt_key_info *info = kitt_params_key_info(key);
	const char * const *names;
	unsigned int n, i;
	ssize_t len = 0;
	u32 v;

	if (!info || !(info->flags & KITT_KF_CONFIG))
		return -EINVAL;
	v = offer->val[key];

	switch (info->type) {
	case KITT_KT_LIST:
		names = kitt_list_names(key, &n);
		for (i = 0; i < n; i++)
			if (v & BIT(i))
				len += scnprintf(page + len, PAGE_SIZE - len,
						 "%s%s", len ? "," : "",
						 names[i]);
		len += scnprintf(page + len, PAGE_SIZE - len, "\n");
		return len;
	case KITT_KT_BOOL_AND:
	case KITT_KT_BOOL_OR:
		return scnprintf(page, PAGE_SIZE, "%s\n", v ? "Yes" : "No");
	default:
		return scnprintf(page, PAGE_SIZE, "%u\n", v);
	}
}

/* Parse a value written to params/<key> (or a module parameter). */
static int kitt_params_parse(enum kitt_key key, const char *buf, size_t len,
			     u32 *out)
{
	const struct kitt_key_info *info = kitt_params_key_info(key);
	char tmp[KITT_TEXT_VALUE_MAX + 1];
	const char *pos, *item;
	u32 v = 0, ilen;
	int m, ret;

	if (!info || !(info->flags & KITT_KF_CONFIG))
		return -EINVAL;
	if (len && buf[len - 1] == '\n')
		len--;
	if (!len || len >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf, len);
	tmp[len] = '\0';
	if (strlen(tmp) != len || strchr(tmp, '\n'))
		return -EINVAL;

	switch (info->type) {
	case KITT_KT_LIST:
		pos = tmp;
		while ((ret = kitt_text_list_next(&pos, &item, &ilen)) > 0) {
			m = kitt_list_member(key, item, ilen);
			if (m < 0 || !(info->offer & BIT(m)))
				return -EINVAL;
			v |= BIT(m);
		}
		if (ret < 0 || !v)
			return -EINVAL;
		break;
	case KITT_KT_BOOL_AND:
	case KITT_KT_BOOL_OR:
		if (!strcmp(tmp, "Yes") || !strcmp(tmp, "yes") ||
		    !strcmp(tmp, "1"))
			v = 1;
		else if (strcmp(tmp, "No") && strcmp(tmp, "no") &&
			 strcmp(tmp, "0"))
			return -EINVAL;
		break;
	default:
		if (!isdigit(tmp[0]))
			return -EINVAL;
		ret = kstrtou32(tmp, 10, &v);
		if (ret || v < info->min || v > info->max)
			return -EINVAL;
		/* One connection per session until MC/S is proven safe. */
		if (key == KITT_KEY_MAX_CONNECTIONS && v > KITT_MAX_CONNECTIONS)
			return -EINVAL;
		break;
	}
	*out = v;
	return 0;
}

/**
 * kitt_params_offer_store() - change one offered value.
 * @offer: the offer
 * @key: a configurable key
 * @buf: the text written (RFC spellings; booleans also yes/no/1/0;
 *	numbers in decimal; lists of supported members)
 * @len: its length; one trailing newline is ignored
 *
 * Return: 0, or -EINVAL leaving the offer unchanged.
 */
int kitt_params_offer_store(struct kitt_param_offer *offer, enum kitt_key key,
			    const char *buf, size_t len)
{
	u32 v;
	int ret;

	ret = kitt_params_parse(key, buf, len, &v);
	if (ret)
		return ret;
	offer->val[key] = v;
	return 0;
}

/**
 * kitt_params_default_store() - change the module-wide default offer.
 * @key: a configurable key
 * @buf: the value, as for kitt_params_offer_store()
 * @len: its length
 *
 * For module parameters: call before any portal group exists.
 *
 * Return: 0, or -EINVAL leaving the default unchanged.
 */
int kitt_params_default_store(enum kitt_key key, const char *buf, size_t len)
{
	u32 v;
	int ret;

	ret = kitt_params_parse(key, buf, len, &v);
	if (ret)
		return ret;
	kitt_default_val[key] = v;
	set_bit(key, kitt_default_set);
	return 0;
}

/*
 * The value of @key in @p: a number, 0/1 for booleans and the session
 * type (1 = Discovery), the member number for lists.
 */
static u32 kitt_sess_get(const struct kitt_sess_params *p, enum kitt_key key)
{
	switch (key) {
	case KITT_KEY_HEADER_DIGEST:
		return p->header_digest ? KITT_DIG_CRC32C : KITT_DIG_NONE;
	case KITT_KEY_DATA_DIGEST:
		return p->data_digest ? KITT_DIG_CRC32C : KITT_DIG_NONE;
	case KITT_KEY_MAX_CONNECTIONS:
		return p->max_connections;
	case KITT_KEY_INITIAL_R2T:
		return p->initial_r2t;
	case KITT_KEY_IMMEDIATE_DATA:
		return p->immediate_data;
	case KITT_KEY_MAX_RECV_DSL:
		return p->max_recv_dsl;
	case KITT_KEY_MAX_XMIT_DSL:
		return p->max_xmit_dsl;
	case KITT_KEY_MAX_BURST_LENGTH:
		return p->max_burst_length;
	case KITT_KEY_FIRST_BURST_LENGTH:
		return p->first_burst_length;
	case KITT_KEY_DEFAULT_TIME2WAIT:
		return p->default_time2wait;
	case KITT_KEY_DEFAULT_TIME2RETAIN:
		return p->default_time2retain;
	case KITT_KEY_MAX_OUTSTANDING_R2T:
		return p->max_outstanding_r2t;
	case KITT_KEY_DATA_PDU_IN_ORDER:
		return p->data_pdu_in_order;
	case KITT_KEY_DATA_SEQUENCE_IN_ORDER:
		return p->data_sequence_in_order;
	case KITT_KEY_ERROR_RECOVERY_LEVEL:
		return p->error_recovery_level;
	case KITT_KEY_SESSION_TYPE:
		return p->discovery;
	case KITT_KEY_TASK_REPORTING:
		return p->task_reporting;
	case KITT_KEY_PROTOCOL_LEVEL:
		return p->protocol_level;
	default:
		return 0;
	}
}

static void kitt_sess_set(struct kitt_sess_params *p, enum kitt_key key, u32 v)
{
	switch (key) {
	case KITT_KEY_HEADER_DIGEST:
		p->header_digest = v == KITT_DIG_CRC32C;
		break;
	case KITT_KEY_DATA_DIGEST:
		p->data_digest = v == KITT_DIG_CRC32C;
		break;
	case KITT_KEY_MAX_CONNECTIONS:
		p->max_connections = v;
		break;
	case KITT_KEY_INITIAL_R2T:
		p->initial_r2t = v;
		break;
	case KITT_KEY_IMMEDIATE_DATA:
		p->immediate_data = v;
		break;
	case KITT_KEY_MAX_RECV_DSL:
		p->max_recv_dsl = v;
		break;
	case KITT_KEY_MAX_XMIT_DSL:
		p->max_xmit_dsl = v;
		break;
	case KITT_KEY_MAX_BURST_LENGTH:
		p->max_burst_length = v;
		break;
	case KITT_KEY_FIRST_BURST_LENGTH:
		p->first_burst_length = v;
		break;
	case KITT_KEY_DEFAULT_TIME2WAIT:
		p->default_time2wait = v;
		break;
	case KITT_KEY_DEFAULT_TIME2RETAIN:
		p->default_time2retain = v;
		break;
	case KITT_KEY_MAX_OUTSTANDING_R2T:
		p->max_outstanding_r2t = v;
		break;
	case KITT_KEY_DATA_PDU_IN_ORDER:
		p->data_pdu_in_order = v;
		break;
	case KITT_KEY_DATA_SEQUENCE_IN_ORDER:
		p->data_sequence_in_order = v;
		break;
	case KITT_KEY_ERROR_RECOVERY_LEVEL:
		p->error_recovery_level = v;
		break;
	case KITT_KEY_SESSION_TYPE:
		p->discovery = v;
		break;
	case KITT_KEY_TASK_REPORTING:
		p->task_reporting = v;
		break;
	case KITT_KEY_PROTOCOL_LEVEL:
		p->protocol_level = v;
		break;
	default:
		break;
	}
}

/**
 * kitt_sess_params_has() - does a key have a value in kitt_sess_params?
 * @key: the key
 *
 * Return: true for the negotiated keys shown in sysfs.
 */
bool kitt_sess_params_has(enum kitt_key key)
{
	switch (key) {
	case KITT_KEY_HEADER_DIGEST:
	case KITT_KEY_DATA_DIGEST:
	case KITT_KEY_MAX_CONNECTIONS:
	case KITT_KEY_INITIAL_R2T:
	case KITT_KEY_IMMEDIATE_DATA:
	case KITT_KEY_MAX_RECV_DSL:
	case KITT_KEY_MAX_XMIT_DSL:
	case KITT_KEY_MAX_BURST_LENGTH:
	case KITT_KEY_FIRST_BURST_LENGTH:
	case KITT_KEY_DEFAULT_TIME2WAIT:
	case KITT_KEY_DEFAULT_TIME2RETAIN:
	case KITT_KEY_MAX_OUTSTANDING_R2T:
	case KITT_KEY_DATA_PDU_IN_ORDER:
	case KITT_KEY_DATA_SEQUENCE_IN_ORDER:
	case KITT_KEY_ERROR_RECOVERY_LEVEL:
	case KITT_KEY_SESSION_TYPE:
	case KITT_KEY_TASK_REPORTING:
	case KITT_KEY_PROTOCOL_LEVEL:
		return true;
	default:
		return false;
	}
}

/**
 * kitt_sess_params_init() - set every parameter to its RFC default.
 * @p: the parameters
 */
void kitt_sess_params_init(struct kitt_sess_params *p)
{
	unsigned int k;
	u32 def;

	memset(p, 0, sizeof(*p));
	for (k = 0; k < KITT_NR_KEYS; k++) {
		if (!kitt_sess_params_has(k))
			continue;
		def = kitt_keys[k].def;
		if (kitt_keys[k].type == KITT_KT_LIST)
			def = ilog2(def);
		kitt_sess_set(p, k, def);
	}
}

/* The value text of @key in @p. */
static const char *kitt_sess_text(const struct kitt_sess_params *p,
				  enum kitt_key key, char *num, size_t size)
{
	const struct kitt_key_info *info = &kitt_keys[key];
	const char * const *names;
	u32 v = kitt_sess_get(p, key);
	unsigned int n;

	if (key == KITT_KEY_SESSION_TYPE)
		return v ? "Discovery" : "Normal";
	switch (info->type) {
	case KITT_KT_LIST:
		names = kitt_list_names(key, &n);
		return v < n ? names[v] : "?";
	case KITT_KT_BOOL_AND:
	case KITT_KT_BOOL_OR:
		return v ? "Yes" : "No";
	default:
		snprintf(num, size, "%u", v);
		return num;
	}
}

/**
 * kitt_sess_params_show() - one negotiated value, for a sysfs file.
 * @p: the parameters
 * @key: a key of kitt_sess_params_has()
 * @buf: where "<value>\n" goes, NUL-terminated
 * @size: capacity of @buf
 *
 * Return: the length written, or -ENOENT for a key without a value.
 */
ssize_t kitt_sess_params_show(const struct kitt_sess_params *p,
			      enum kitt_key key, char *buf, size_t size)
{
	char num[16];

	if (!kitt_sess_params_has(key))
		return -ENOENT;
	return scnprintf(buf, size, "%s\n",
			 kitt_sess_text(p, key, num, sizeof(num)));
}

#if IS_ENABLED(CONFIG_KITT_KUNIT_TEST)
/**
 * kitt_sess_params_print() - every negotiated value as "Key=Value\n".
 * @p: the parameters
 * @buf: the output, NUL-terminated, cut short if @size is too small
 * @size: capacity of @buf
 *
 * Return: the length written.
 */
ssize_t kitt_sess_params_print(const struct kitt_sess_params *p, char *buf,
			       size_t size)
{
	ssize_t len = 0;
	unsigned int k;
	char num[16];

	for (k = 0; k < KITT_NR_KEYS; k++) {
		if (!kitt_sess_params_has(k))
			continue;
		len += scnprintf(buf + len, size - len, "%s=%s\n",
				 kitt_keys[k].name,
				 kitt_sess_text(p, k, num, sizeof(num)));
	}
	return len;
}
#endif /* CONFIG_KITT_KUNIT_TEST */

/**
 * kitt_nego_init() - start the operational negotiation of a login.
 * @n: the negotiation state
 * @offer: the target's offer
 * @result: the parameters to negotiate
 * @leading: the login creates a session
 * @discovery: SessionType=Discovery
 *
 * A leading login resets @result to the RFC defaults. Otherwise @result
 * must be a copy of the session's parameters; only the connection-only
 * ones (digests, data segment lengths) are reset.
 */
void kitt_nego_init(struct kitt_nego *n, const struct kitt_param_offer *offer,
		    struct kitt_sess_params *result, bool leading,
		    bool discovery)
{
	memset(n, 0, sizeof(*n));
	n->offer = offer;
	n->result = result;
	n->leading = leading;
	n->stage = ISCSI_OP_PARMS_NEGOTIATION_STAGE;

	if (leading) {
		kitt_sess_params_init(result);
	} else {
		result->header_digest = false;
		result->data_digest = false;
		result->max_recv_dsl = kitt_keys[KITT_KEY_MAX_RECV_DSL].def;
		result->max_xmit_dsl = kitt_keys[KITT_KEY_MAX_XMIT_DSL].def;
	}
	result->discovery = discovery;
}

#if IS_ENABLED(CONFIG_KITT_KUNIT_TEST)
/**
 * kitt_nego_init_text() - start a text negotiation in full feature phase.
 * @n: the negotiation state
 * @offer: the target's offer
 * @result: the parameters in effect, updated by declarations
 */
void kitt_nego_init_text(struct kitt_nego *n,
			 const struct kitt_param_offer *offer,
			 struct kitt_sess_params *result)
{
	memset(n, 0, sizeof(*n));
	n->offer = offer;
	n->result = result;
	n->stage = ISCSI_FULL_FEATURE_PHASE;
	n->declared = true;
}
#endif /* CONFIG_KITT_KUNIT_TEST */

/**
 * kitt_nego_set_stage() - say which stage the next keys belong to.
 * @n: the negotiation state
 * @stage: ISCSI_SECURITY_NEGOTIATION_STAGE, ISCSI_OP_PARMS_NEGOTIATION_STAGE
 *	or ISCSI_FULL_FEATURE_PHASE
 */
void kitt_nego_set_stage(struct kitt_nego *n, u8 stage)
{
	n->stage = stage;
}

static int kitt_nego_fail(struct kitt_nego *n, int err, const char *why)
{
	n->reason = why;
	return err;
}

/* RFC 7143 6.2.1: pick the first member of the proposer's list we offer. */
static int kitt_nego_list(struct kitt_nego *n, enum kitt_key key,
			  const char *val, struct kitt_text_buf *rsp)
{
	const struct kitt_key_info *info = &kitt_keys[key];
	u32 offer = n->offer->val[key], ilen;
	const char *pos = val, *item;
	const char * const *names;
	int pick = -1, m, ret;
	unsigned int nr;

	/* Check the whole list before choosing: malformed means Reject. */
	while ((ret = kitt_text_list_next(&pos, &item, &ilen)) > 0) {
		m = kitt_list_member(key, item, ilen);
		if (pick < 0 && m >= 0 && (offer & BIT(m)))
			pick = m;
	}
	if (ret < 0 || pos == val)
		pick = -1;

	if (pick < 0) {
		/* The default stays: fail if the target does not accept it. */
		if (!(offer & info->def))
			return kitt_nego_fail(n, -EINVAL,
					      "no value both sides accept");
		return kitt_text_add(rsp, info->name, "Reject");
	}
	kitt_sess_set(n->result, key, pick);
	names = kitt_list_names(key, &nr);
	return kitt_text_add(rsp, info->name, names[pick]);
}

static int kitt_nego_bool(struct kitt_nego *n, enum kitt_key key,
			  const char *val, struct kitt_text_buf *rsp)
{
	const struct kitt_key_info *info = &kitt_keys[key];
	bool ours = n->offer->val[key], yes;

	if (kitt_text_parse_bool(val, &yes))
		return kitt_text_add(rsp, info->name, "Reject");
	if (info->type == KITT_KT_BOOL_AND)
		yes = yes && ours;
	else
		yes = yes || ours;
	kitt_sess_set(n->result, key, yes);
	return kitt_text_add(rsp, info->name, yes ? "Yes" : "No");
}

/*
 * RFC 7143 13.14: FirstBurstLength is irrelevant when InitialR2T=Yes and
 * ImmediateData=No. Known for sure once ImmediateData=No was agreed and
 * InitialR2T=Yes was agreed or is forced by kitt's offer (OR); a key the
 * initiator has not sent yet could still change the outcome.
 */
static bool kitt_nego_no_unsolicited(const struct kitt_nego *n)
{
	const struct kitt_sess_params *p = n->result;
	bool r2t = n->offer->val[KITT_KEY_INITIAL_R2T] ||
		   (test_bit(KITT_KEY_INITIAL_R2T, n->seen) && p->initial_r2t);

	return r2t && test_bit(KITT_KEY_IMMEDIATE_DATA, n->seen) &&
	       !p->immediate_data;
}

static int kitt_nego_number(struct kitt_nego *n, enum kitt_key key,
			    const char *val, struct kitt_text_buf *rsp)
{
	const struct kitt_key_info *info = &kitt_keys[key];
	struct kitt_sess_params *p = n->result;
	u32 ours = n->offer->val[key], v;

	if (key == KITT_KEY_FIRST_BURST_LENGTH && kitt_nego_no_unsolicited(n))
		return kitt_text_add(rsp, info->name, "Irrelevant");

	if (kitt_text_parse_u32(val, info->min, info->max, &v))
		return kitt_text_add(rsp, info->name, "Reject");
	v = info->type == KITT_KT_NUM_MIN ? min(v, ours) : max(v, ours);

	switch (key) {
	case KITT_KEY_FIRST_BURST_LENGTH:
		/* 13.14: FirstBurstLength MUST NOT exceed MaxBurstLength */
		v = min(v, test_bit(KITT_KEY_MAX_BURST_LENGTH, n->seen) ?
			   p->max_burst_length :
			   n->offer->val[KITT_KEY_MAX_BURST_LENGTH]);
		break;
	case KITT_KEY_MAX_OUTSTANDING_R2T:
		/* 13.19: one R2T at a time when sequences are recovered */
		if (p->error_recovery_level && p->data_sequence_in_order)
			v = 1;
		break;
	default:
		break;
	}
	kitt_sess_set(p, key, v);
	return kitt_text_addf(rsp, info->name, "%u", v);
}

/* The initiator's MaxRecvDataSegmentLength: what kitt may send. */
static int kitt_nego_declared(struct kitt_nego *n, enum kitt_key key,
			      const char *val, struct kitt_text_buf *rsp)
{
	const struct kitt_key_info *info = &kitt_keys[key];
	u64 v;
	int ret;

	ret = kitt_text_parse_number(val, &v);
	if (ret == -EINVAL)
		return kitt_nego_fail(n, -EINVAL,
				      "malformed MaxRecvDataSegmentLength");
	if (!ret && v < info->min)
		return kitt_nego_fail(n, -EINVAL,
				      "MaxRecvDataSegmentLength below 512");
	if (ret || v > info->max)
		/* larger than the RFC allows: the old value is still safe */
		return kitt_text_add(rsp, info->name, "Reject");
	n->result->max_xmit_dsl = v;
	return 0;
}

/* RFC 7143 13.25: obsolete marker keys */
static int kitt_nego_marker(struct kitt_nego *n, enum kitt_key key,
			    const char *val, struct kitt_text_buf *rsp)
{
	const struct kitt_key_info *info = &kitt_keys[key];
	bool yes;

	/* MarkInt keys MUST be answered with Reject. */
	if (info->type != KITT_KT_BOOL_AND || kitt_text_parse_bool(val, &yes))
		return kitt_text_add(rsp, info->name, "Reject");
	/* Markers: "No" (allowed by 13.25, and what RFC 3720 peers expect) */
	return kitt_text_add(rsp, info->name, "No");
}

/**
 * kitt_nego_key() - answer one key=value pair of the initiator.
 * @n: the negotiation state
 * @key: the key, NUL-terminated
 * @val: the value, NUL-terminated
 * @rsp: where the answer goes
 *
 * Return: 0 when the key is dealt with (an answer may have been added),
 * -ENOENT for keys the login layer handles, -EPROTO for a key not legal
 * in this stage, -EEXIST for a key seen before, -EINVAL for a value that
 * makes negotiation fail, -ENOSPC when @rsp is full. @n->reason explains
 * -EPROTO, -EEXIST and -EINVAL.
 */
int kitt_nego_key(struct kitt_nego *n, const char *key, const char *val,
		  struct kitt_text_buf *rsp)
{
	const struct kitt_key_info *info;
	int k;

	k = kitt_params_key_lookup(key);
	if (k < 0)	/* RFC 7143 6.2: unknown, X- and X# keys */
		return kitt_text_add(rsp, key, "NotUnderstood");
	info = &kitt_keys[k];
	if (info->flags & KITT_KF_LOGIN)
		return -ENOENT;
	if (!(info->phases & BIT(n->stage)))
		return kitt_nego_fail(n, -EPROTO, "key not allowed in this stage");
	if (__test_and_set_bit(k, n->seen))
		return kitt_nego_fail(n, -EEXIST, "key negotiated twice");

	/* Session-wide values come from the leading login only. */
	if (info->use == KITT_USE_LO && !n->leading)
		return kitt_text_add(rsp, info->name, "Irrelevant");
	if ((info->flags & KITT_KF_IRR_DISC) && n->result->discovery)
		return kitt_text_add(rsp, info->name, "Irrelevant");
	if (info->flags & KITT_KF_OBSOLETE)
		return kitt_nego_marker(n, k, val, rsp);

	switch (info->type) {
	case KITT_KT_LIST:
		return kitt_nego_list(n, k, val, rsp);
	case KITT_KT_BOOL_AND:
	case KITT_KT_BOOL_OR:
		return kitt_nego_bool(n, k, val, rsp);
	case KITT_KT_NUM_MIN:
	case KITT_KT_NUM_MAX:
		return kitt_nego_number(n, k, val, rsp);
	default:
		return kitt_nego_declared(n, k, val, rsp);
	}
}

/**
 * kitt_nego_finish() - close the negotiation of a login stage.
 * @n: the negotiation state
 * @rsp: where kitt's declaration goes
 *
 * Checks the rules that span keys and, in the operational stage, declares
 * kitt's MaxRecvDataSegmentLength once (until then the initiator may send
 * only the default 8192 bytes). In full feature phase it does nothing.
 *
 * Return: 0, -EINVAL (with @n->reason) when the values agreed cannot
 * work together, or -ENOSPC.
 */
int kitt_nego_finish(struct kitt_nego *n, struct kitt_text_buf *rsp)
{
	struct kitt_sess_params *p = n->result;
	u32 dsl = n->offer->val[KITT_KEY_MAX_RECV_DSL];
	int ret;

	if (n->stage == ISCSI_FULL_FEATURE_PHASE)
		return 0;

	/* A digest the target requires must be what was agreed. */
	if (!(n->offer->val[KITT_KEY_HEADER_DIGEST] &
	      (p->header_digest ? KITT_DIGEST_CRC32C : KITT_DIGEST_NONE)))
		return kitt_nego_fail(n, -EINVAL, "HeaderDigest not agreed");
	if (!(n->offer->val[KITT_KEY_DATA_DIGEST] &
	      (p->data_digest ? KITT_DIGEST_CRC32C : KITT_DIGEST_NONE)))
		return kitt_nego_fail(n, -EINVAL, "DataDigest not agreed");

	if (!p->discovery && test_bit(KITT_KEY_FIRST_BURST_LENGTH, n->seen) &&
	    !(p->initial_r2t && !p->immediate_data) &&
	    p->first_burst_length > p->max_burst_length)
		return kitt_nego_fail(n, -EINVAL,
				      "FirstBurstLength exceeds MaxBurstLength");
	/*
	 * RFC 7143 13.14: FirstBurstLength never exceeds MaxBurstLength. An
	 * initiator that lowers MaxBurstLength below the default 65536 and
	 * leaves FirstBurstLength out gets it lowered to match.
	 */
	if (!test_bit(KITT_KEY_FIRST_BURST_LENGTH, n->seen) &&
	    p->first_burst_length > p->max_burst_length)
		p->first_burst_length = p->max_burst_length;
	if (p->error_recovery_level && p->data_sequence_in_order &&
	    p->max_outstanding_r2t != 1)
		return kitt_nego_fail(n, -EINVAL,
				      "MaxOutstandingR2T must be 1 at this ErrorRecoveryLevel");

	if (n->stage == ISCSI_OP_PARMS_NEGOTIATION_STAGE && !n->declared) {
		ret = kitt_text_addf(rsp, kitt_keys[KITT_KEY_MAX_RECV_DSL].name,
				     "%u", dsl);
		if (ret)
			return ret;
		p->max_recv_dsl = dsl;
		n->declared = true;
	}
	return 0;
}
