// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: the answer to a Text Request in full feature phase, and
 * SendTargets: which
 * targets, and which of their portal addresses, an initiator may see
 * (RFC 7143 13.3 and appendix C). A discovery session sees every target
 * whose enabled portal groups let it in (an ACL, or open access); a
 * normal session sees its own target. The PDUs are session.c's.
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

static int kitt_send_targets_one(const struct kitt_text_asker *who, struct kitt_target *target,
				 struct kitt_text_buf *rsp)
{
	struct kitt_portal *portal;
	struct kitt_tpg *tpg;
	bool named = false;
	int ret = 0;

	list_for_each_entry(tpg, &target->tpgs, node) {
		mutex_lock(&tpg->lock);
		if (!kitt_tpg_visible(tpg, who->initiator)) {
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
					addr = *who->local;
			} else {
				struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&addr;

				port = ntohs(sin6->sin6_port);
				if (ipv6_addr_any(&sin6->sin6_addr))
					addr = *who->local;
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
static int kitt_discovery_send_targets(const struct kitt_text_asker *who, const char *value,
				       struct kitt_text_buf *rsp)
{
	struct kitt_target *target;
	int ret = 0;

	mutex_lock(&kitt_config_lock);
	if (who->discovery && !strcmp(value, "All")) {
		list_for_each_entry(target, &kitt_targets, node) {
			ret = kitt_send_targets_one(who, target, rsp);
			if (ret)
				break;
		}
	} else {
		const char *name = value[0] ? value : who->target;

		if (!who->discovery && strcmp(name, who->target))
			name = NULL;	/* a normal session sees its own target only */
		target = name ? kitt_target_find(name) : NULL;
		if (target)
			ret = kitt_send_targets_one(who, target, rsp);
	}
	mutex_unlock(&kitt_config_lock);
	return ret;
}

/**
 * kitt_discovery_text_keys() - answer the keys of a Text Request
 * @who: the session that asks
 * @data: the request's data segment
 * @len: its length
 * @rsp: where the answer goes
 *
 * SendTargets is answered from the configuration; other keys of RFC 7143
 * get Reject (they are not negotiated in full feature phase here), and
 * unknown ones NotUnderstood.
 *
 * Return: 0, -ENOSPC when the answer does not fit @rsp, or another
 * negative errno for a malformed request (the caller sends a Reject).
 */
int kitt_discovery_text_keys(const struct kitt_text_asker *who, const char *data, u32 len,
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
			ret = kitt_discovery_send_targets(who, pair.val, rsp);
		else if (kitt_params_key_lookup(pair.key) < 0)
			ret = kitt_text_add(rsp, pair.key, "NotUnderstood");
		else
			ret = kitt_text_add(rsp, pair.key, "Reject");
		if (ret)
			return ret;
	}
	return ret;
}
