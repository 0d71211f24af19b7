// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: Text Requests in full feature phase, and SendTargets: which
 * targets, and which of their portal addresses, an initiator may see
 * (RFC 7143 13.3 and appendix C). A discovery session sees every target
 * whose enabled portal groups let it in (an ACL, or open access); a
 * normal session sees its own target.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include "kitt.h"

static bool kitt_tpg_visible(struct kitt_tpg *tpg, const char *initiator)
{
	return tpg->enabled && (tpg->attrib.generate_node_acls || kitt_acl_find(tpg, initiator));
}

static int kitt_send_targets_one(struct kitt_conn *conn, struct kitt_target *target,
				 const char *initiator, struct kitt_text_buf *rsp)
{
	struct kitt_portal *portal;
	struct kitt_tpg *tpg;
	bool named = false;
	int ret = 0;

	list_for_each_entry(tpg, &target->tpgs, node) {
		mutex_lock(&tpg->lock);
		if (!kitt_tpg_visible(tpg, initiator)) {
			mutex_unlock(&tpg->lock);
			continue;
		}
		list_for_each_entry(portal, &tpg->portals, node) {
			struct sockaddr_storage addr = portal->addr;
			u16 port;

			if (!named) {
				ret = kitt_text_add(rsp, "TargetName", target->name);
				named = true;
			}
			if (addr.ss_family == AF_INET) {
				struct sockaddr_in *sin = (struct sockaddr_in *)&addr;

				port = ntohs(sin->sin_port);
				if (sin->sin_addr.s_addr == htonl(INADDR_ANY))
					addr = conn->local;
			} else {
				struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&addr;

				port = ntohs(sin6->sin6_port);
				if (ipv6_addr_any(&sin6->sin6_addr))
					addr = conn->local;
			}
			if (ret)
				break;
			if (addr.ss_family == AF_INET)
				ret = kitt_text_addf(rsp, "TargetAddress", "%pI4:%u,%u",
						     &((struct sockaddr_in *)&addr)->sin_addr,
						     port, tpg->tpgt);
			else
				ret = kitt_text_addf(rsp, "TargetAddress", "[%pI6c]:%u,%u",
						     &((struct sockaddr_in6 *)&addr)->sin6_addr,
						     port, tpg->tpgt);
		}
		mutex_unlock(&tpg->lock);
	}
	return ret;
}

/*
 * SendTargets=@value: "All" (discovery sessions), a target name, or ""
 * (the session's own target). Returns 0 or -ENOSPC.
 */
static int kitt_discovery_send_targets(struct kitt_conn *conn, const char *value,
				       struct kitt_text_buf *rsp)
{
	struct kitt_session *sess = conn->sess;
	struct kitt_target *target;
	int ret = 0;

	mutex_lock(&kitt_config_lock);
	if (sess->discovery && !strcmp(value, "All")) {
		list_for_each_entry(target, &kitt_targets, node) {
			ret = kitt_send_targets_one(conn, target, sess->initiator, rsp);
			if (ret)
				break;
		}
	} else {
		const char *name = value[0] ? value : sess->target;

		if (!sess->discovery && strcmp(name, sess->target))
			name = NULL;	/* a normal session sees its own target only */
		target = name ? kitt_target_find(name) : NULL;
		if (target)
			ret = kitt_send_targets_one(conn, target, sess->initiator, rsp);
	}
	mutex_unlock(&kitt_config_lock);
	return ret;
}

/*
 * Answer the keys of a Text Request. Returns 0, or a negative errno for a
 * malformed request (Reject).
 */
static int kitt_discovery_text_keys(struct kitt_conn *conn, const char *data, u32 len,
				    struct kitt_text_buf *rsp)
{
	struct kitt_text_cursor cur;
	struct kitt_text_pair pair;
	int ret;

	ret = kitt_text_find_duplicate(data, len, &pair);
	if (ret)
		return ret;
	kitt_text_cursor_init(&cur, data, len);
	while ((ret = kitt_text_next(&cur, &pair)) == 1) {
		if (!strcmp(pair.key, "SendTargets"))
			ret = kitt_discovery_send_targets(conn, pair.val, rsp);
		else if (kitt_params_key_lookup(pair.key) < 0)
			ret = kitt_text_add(rsp, pair.key, "NotUnderstood");
		else
			ret = kitt_text_add(rsp, pair.key, "Reject");
		if (ret)
			return ret;
	}
	return ret;
}

/**
 * kitt_discovery_text() - answer a Text Request in full feature phase
 * @conn: the connection
 * @rx: the PDU header, validated
 *
 * Requests that span PDUs are refused (no key kitt serves needs them);
 * the answer is built in place, in at most KITT_TEXT_RSP_MAX bytes or
 * the initiator's MaxRecvDataSegmentLength.
 *
 * Return: 0, or a negative errno that ends the connection.
 */
int kitt_discovery_text(struct kitt_conn *conn, struct kitt_rx_pdu *rx)
{
	struct iscsi_text *req = (struct iscsi_text *)&rx->bhs;
	u32 len = rx->info.data_len;
	struct kitt_ctl_pdu *pdu;
	struct iscsi_text_rsp *rsp;
	struct kitt_text_buf tb;
	u32 room;
	int ret;

	ret = kitt_conn_recv_segment(conn, conn->rx_buf, len);
	if (ret)
		return ret;
	conn->exp_stat_sn = be32_to_cpu(req->exp_statsn);
	if (kitt_session_cmdsn(conn, be32_to_cpu(req->cmdsn),
			       rx->bhs.opcode & ISCSI_OP_IMMEDIATE) == KITT_CMDSN_DROP)
		return 0;
	if (!(rx->bhs.flags & ISCSI_FLAG_CMD_FINAL) ||
	    (req->ttt != cpu_to_be32(ISCSI_RESERVED_TAG) && len)) {
		/* Multi-PDU text requests are not needed by any key we serve. */
		return kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_CMD_NOT_SUPPORTED);
	}

	room = min_t(u32, conn->max_xmit_dsl, KITT_TEXT_RSP_MAX);
	pdu = kitt_ctl_pdu_alloc(room, GFP_KERNEL);
	if (!pdu)
		return -ENOMEM;
	kitt_text_buf_init(&tb, (char *)pdu->data, room);
	ret = kitt_discovery_text_keys(conn, conn->rx_buf, len, &tb);
	if (ret) {
		kitt_ctl_pdu_free(pdu);
		return kitt_session_reject(conn, &rx->bhs, ISCSI_REASON_PROTOCOL_ERROR);
	}
	pdu->data_len = tb.len;
	hton24(pdu->bhs.dlength, tb.len);
	rsp = (struct iscsi_text_rsp *)&pdu->bhs;
	rsp->opcode = ISCSI_OP_TEXT_RSP;
	rsp->flags = ISCSI_FLAG_CMD_FINAL;
	rsp->itt = req->itt;
	rsp->ttt = cpu_to_be32(ISCSI_RESERVED_TAG);
	pdu->stat_fields = true;
	pdu->advance_statsn = true;
	kitt_conn_queue_ctl(conn, pdu);
	return 0;
}
