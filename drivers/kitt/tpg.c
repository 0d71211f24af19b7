// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: the object model. Devices, targets, portal groups, their portals,
 * ACLs and LUN maps: how they are made, linked, looked up and taken
 * apart. configfs.c parses what an administrator writes and calls in
 * here; login, discovery and the data path look objects up here.
 *
 * Nothing here calls the runtime directly. What removing an object must
 * do to live connections (close them, stop a listener) goes through the
 * fabric's ops (struct kitt_fabric_ops), which the transport registers at
 * module load, as nvmet's core reaches its transports.
 *
 * The locks (kitt_config_lock, tpg->lock, dev->lock) and what they
 * protect are described above struct kitt_device in kitt.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/nospec.h>
#include <linux/percpu.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "kitt.h"

/* The target list, portal group lists, tpg->gone, discovery credentials. */
DEFINE_MUTEX(kitt_config_lock);
LIST_HEAD(kitt_targets);
struct kitt_chap_cred kitt_discovery_cred;
bool kitt_discovery_enforce;

static const struct kitt_fabric_ops *kitt_fabric;

/**
 * kitt_tpg_set_fabric() - name the transport that serves portals
 * @ops: its operations; NULL at module unload, when nothing is left
 */
void kitt_tpg_set_fabric(const struct kitt_fabric_ops *ops)
{
	kitt_fabric = ops;
}

/* ------------------------------------------------------------------ */
/* Devices                                                             */
/* ------------------------------------------------------------------ */

/* Fixed key: the default identifiers must not change between boots. */
static const siphash_key_t kitt_naa_key = {{ 0x6b6974742d6e6161ULL, 0x6964656e74697479ULL }};

/*
 * Default NAA identifier: type 3 (locally assigned) with 60 bits hashed
 * from the host name and the device name, so that it is the same after a
 * reboot and differs between hosts with different names.
 */
static u64 kitt_default_naa_id(const char *name)
{
	char buf[__NEW_UTS_LEN + 1 + KITT_NAME_MAX];
	int len;
	u64 h;

	/* uts_sem is not exported; a racing sethostname() is harmless here. */
	len = scnprintf(buf, sizeof(buf), "%.*s/%s", __NEW_UTS_LEN, utsname()->nodename, name);
	h = siphash(buf, len, &kitt_naa_key);
	return (3ULL << 60) | (h & GENMASK_ULL(59, 0));
}

/**
 * kitt_device_alloc() - a new device, disabled, with no path
 * @name: its name (devices/<name>), already validated
 *
 * Return: the device, or NULL without memory.
 */
struct kitt_device *kitt_device_alloc(const char *name)
{
	struct kitt_device *dev;

	dev = kzalloc(sizeof(*dev), GFP_KERNEL);
	if (!dev)
		return NULL;
	dev->stats = alloc_percpu(struct kitt_dev_stats);
	if (!dev->stats) {
		kfree(dev);
		return NULL;
	}
	mutex_init(&dev->lock);
	kitt_backend_dev_init(dev);
	strscpy(dev->name, name, sizeof(dev->name));
	dev->wce = true;
	dev->naa_id = kitt_default_naa_id(name);
	snprintf(dev->serial, sizeof(dev->serial), "%016llx", dev->naa_id);
	atomic_set(&dev->export_count, 0);
	return dev;
}

/**
 * kitt_device_free() - close and free a device no LUN maps any more
 * @dev: the device
 */
void kitt_device_free(struct kitt_device *dev)
{
	mutex_lock(&dev->lock);
	if (dev->enabled) {
		kitt_backend_close(dev);
		dev->enabled = false;
	}
	mutex_unlock(&dev->lock);
	kitt_pr_device_gone(dev);
	mutex_destroy(&dev->lock);
	free_percpu(dev->stats);
	kfree(dev);
}

/**
 * kitt_device_set_path() - name the block device or file to open
 * @dev: the device
 * @path: an absolute path, or "" to clear it
 *
 * Return: 0, or -EBUSY when @dev is enabled with another path (the same
 * path again is fine: restoring a saved tree writes it).
 */
int kitt_device_set_path(struct kitt_device *dev, const char *path)
{
	int ret = 0;

	mutex_lock(&dev->lock);
	if (dev->enabled && strcmp(path, dev->path))
		ret = -EBUSY;
	else
		strscpy(dev->path, path, sizeof(dev->path));
	mutex_unlock(&dev->lock);
	return ret;
}

/**
 * kitt_device_set_flag() - change a setting that is fixed while the
 *	device is open (read_only, direct)
 * @dev: the device
 * @flag: the setting, a member of @dev
 * @val: its new value
 *
 * Return: 0, or -EBUSY when @dev is enabled and @val differs.
 */
int kitt_device_set_flag(struct kitt_device *dev, bool *flag, bool val)
{
	int ret = 0;

	mutex_lock(&dev->lock);
	if (dev->enabled && val != *flag)
		ret = -EBUSY;
	else
		WRITE_ONCE(*flag, val);
	mutex_unlock(&dev->lock);
	return ret;
}

/**
 * kitt_device_rescan() - take the backing store's size anew
 * @dev: the device
 *
 * Every command does this too; the configfs attribute ``rescan`` asks for
 * it at once, e.g. after lvextend or losetup -c. A change raises CAPACITY
 * DATA HAS CHANGED on every nexus of the device.
 *
 * Return: 0, or -EINVAL when the device is not enabled.
 */
int kitt_device_rescan(struct kitt_device *dev)
{
	bool changed;

	mutex_lock(&dev->lock);
	if (!dev->enabled) {
		mutex_unlock(&dev->lock);
		pr_err("device %s: not enabled, nothing to rescan\n", dev->name);
		return -EINVAL;
	}
	changed = kitt_backend_capacity_changed(dev);
	mutex_unlock(&dev->lock);
	if (changed)
		kitt_fabric->lu_changed(dev, KITT_UA_CAPACITY_CHANGED);
	return 0;
}

/**
 * kitt_device_resize() - resize a file-backed device's backing file
 * @dev: the device
 * @bytes: the new size
 *
 * Growing is always allowed. Shrinking is refused while LUNs map the
 * device: the blocks cut off may hold what initiators wrote (a file
 * system that has not been shrunk first); unmap the LUNs, then shrink.
 *
 * Return: 0; -EINVAL when not enabled, for a bad size or a block device
 * (kitt cannot resize one); -EBUSY for a shrink of a mapped device; or
 * the file system's error.
 */
int kitt_device_resize(struct kitt_device *dev, u64 bytes)
{
	u64 cur;
	int ret;

	mutex_lock(&dev->lock);
	if (!dev->enabled) {
		pr_err("device %s: enable it before resizing\n", dev->name);
		ret = -EINVAL;
		goto out;
	}
	ret = kitt_backend_can_resize(dev, bytes);
	if (ret)
		goto out;
	cur = READ_ONCE(dev->nr_blocks) << dev->block_shift;
	if (bytes < cur && atomic_read(&dev->export_count)) {
		pr_err("device %s: will not shrink from %llu to %llu bytes while %d LUN(s) map it: initiators may use the blocks past the new end\n",
		       dev->name, cur, bytes, atomic_read(&dev->export_count));
		ret = -EBUSY;
		goto out;
	}
	ret = kitt_backend_set_capacity(dev, bytes);
	if (!ret && kitt_backend_capacity_changed(dev)) {
		mutex_unlock(&dev->lock);
		kitt_fabric->lu_changed(dev, KITT_UA_CAPACITY_CHANGED);
		return 0;
	}
out:
	mutex_unlock(&dev->lock);
	return ret;
}

/**
 * kitt_device_set_wce() - the administrator turns the write cache on or off
 * @dev: the device
 * @wce: write cache enabled
 *
 * Every nexus of the device learns of it (MODE PARAMETERS CHANGED).
 */
void kitt_device_set_wce(struct kitt_device *dev, bool wce)
{
	if (xchg(&dev->wce, wce) != wce)
		kitt_fabric->lu_changed(dev, KITT_UA_MODE_CHANGED);
}

/**
 * kitt_device_enable() - open or close a device's backing store
 * @dev: the device
 * @enable: open it (by its path) or close it
 *
 * Return: 0; -EINVAL without a path; the backend's error from opening;
 * -EBUSY when closing a device that LUNs map.
 */
int kitt_device_enable(struct kitt_device *dev, bool enable)
{
	int ret = 0;

	mutex_lock(&dev->lock);
	if (enable == dev->enabled)
		goto out;
	if (enable) {
		if (!dev->path[0]) {
			pr_err("device %s: set path before enabling it\n", dev->name);
			ret = -EINVAL;
			goto out;
		}
		ret = kitt_backend_open(dev);
		if (!ret) {
			/* Reservations kept with APTPL come back with the device */
			kitt_pr_device_load(dev);
			WRITE_ONCE(dev->enabled, true);
		}
	} else {
		if (atomic_read(&dev->export_count)) {
			pr_err("device %s: cannot disable, mapped by %d LUN(s)\n", dev->name,
			       atomic_read(&dev->export_count));
			ret = -EBUSY;
			goto out;
		}
		kitt_backend_close(dev);
		WRITE_ONCE(dev->enabled, false);
	}
out:
	mutex_unlock(&dev->lock);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Targets and portal groups                                           */
/* ------------------------------------------------------------------ */

/**
 * kitt_target_find() - the target of a TargetName
 * @name: the name, compared without regard to case
 *
 * Context: kitt_config_lock held.
 * Return: the target or NULL.
 */
struct kitt_target *kitt_target_find(const char *name)
{
	struct kitt_target *t;

	lockdep_assert_held(&kitt_config_lock);
	list_for_each_entry(t, &kitt_targets, node)
		if (!strcasecmp(t->name, name))
			return t;
	return NULL;
}

/**
 * kitt_target_alloc() - a new target with no portal group
 * @name: its iSCSI name, already validated
 *
 * Return: the target, or NULL without memory.
 */
struct kitt_target *kitt_target_alloc(const char *name)
{
	struct kitt_target *target;

	target = kzalloc(sizeof(*target), GFP_KERNEL);
	if (!target)
		return NULL;
	strscpy(target->name, name, sizeof(target->name));
	INIT_LIST_HEAD(&target->tpgs);
	INIT_LIST_HEAD(&target->node);
	return target;
}

/**
 * kitt_target_add() - make a target visible to logins and discovery
 * @target: from kitt_target_alloc()
 *
 * Return: 0, or -EEXIST when a target has that name already.
 */
int kitt_target_add(struct kitt_target *target)
{
	int ret = 0;

	mutex_lock(&kitt_config_lock);
	if (kitt_target_find(target->name)) {
		ret = -EEXIST;
	} else {
		list_add_tail(&target->node, &kitt_targets);
		target->stats = kitt_stats_target_add(target->name);
	}
	mutex_unlock(&kitt_config_lock);
	if (!ret)
		kitt_dbg(KITT_DBG_CONFIG, "target %s created\n", target->name);
	return ret;
}

/**
 * kitt_target_remove() - hide a target whose portal groups are gone
 * @target: the target
 */
void kitt_target_remove(struct kitt_target *target)
{
	struct kitt_stats_node *stats;

	mutex_lock(&kitt_config_lock);
	list_del_init(&target->node);
	stats = target->stats;
	target->stats = NULL;
	mutex_unlock(&kitt_config_lock);
	kitt_stats_node_del(stats);
	kitt_dbg(KITT_DBG_CONFIG, "target %s removed\n", target->name);
}

/**
 * kitt_tpg_alloc() - a new portal group, disabled, with the module's
 *	defaults in attrib/ and params/
 * @target: its target
 * @tpgt: its tag, 1..65535
 *
 * Return: the portal group, or NULL without memory.
 */
struct kitt_tpg *kitt_tpg_alloc(struct kitt_target *target, u16 tpgt)
{
	struct kitt_tpg *tpg;

	tpg = kzalloc(sizeof(*tpg), GFP_KERNEL);
	if (!tpg)
		return NULL;
	tpg->target = target;
	tpg->tpgt = tpgt;
	mutex_init(&tpg->lock);
	INIT_LIST_HEAD(&tpg->portals);
	INIT_LIST_HEAD(&tpg->acls);
	INIT_LIST_HEAD(&tpg->sessions);
	INIT_LIST_HEAD(&tpg->node);
	tpg->attrib.cmdsn_depth = kitt_default_cmdsn_depth;
	tpg->attrib.nopin_interval = kitt_default_nopin_interval;
	tpg->attrib.nopin_timeout = kitt_default_nopin_timeout;
	tpg->attrib.send_timeout = kitt_default_send_timeout;
	tpg->attrib.login_timeout = kitt_default_login_timeout;
	kitt_params_offer_init(&tpg->params);
	tpg->alua.state = KITT_ALUA_ACTIVE_OPTIMIZED;
	return tpg;
}

/**
 * kitt_tpg_add() - add a portal group to its target
 * @tpg: from kitt_tpg_alloc()
 *
 * Return: 0, or -EEXIST when the target has a group with that tag.
 */
int kitt_tpg_add(struct kitt_tpg *tpg)
{
	struct kitt_tpg *other;

	mutex_lock(&kitt_config_lock);
	list_for_each_entry(other, &tpg->target->tpgs, node) {
		if (other->tpgt == tpg->tpgt) {
			mutex_unlock(&kitt_config_lock);
			return -EEXIST;
		}
	}
	list_add_tail(&tpg->node, &tpg->target->tpgs);
	tpg->stats = kitt_stats_tpg_add(tpg->target->stats, tpg->tpgt);
	mutex_unlock(&kitt_config_lock);
	kitt_dbg(KITT_DBG_CONFIG, "%s: tpgt %u created\n", tpg->target->name, tpg->tpgt);
	return 0;
}

/**
 * kitt_tpg_remove() - take a portal group out and end its sessions
 * @tpg: a group whose portals, LUNs and ACLs are gone
 *
 * Context: may sleep until the sessions are freed; no config lock held.
 */
void kitt_tpg_remove(struct kitt_tpg *tpg)
{
	mutex_lock(&kitt_config_lock);
	tpg->gone = true;
	list_del_init(&tpg->node);
	mutex_unlock(&kitt_config_lock);

	kitt_fabric->close_sessions(tpg, NULL);
	/* Its sessions counted into it until now; logins hold their own. */
	kitt_stats_node_del(tpg->stats);
	tpg->stats = NULL;
	kitt_dbg(KITT_DBG_CONFIG, "%s: tpgt %u removed\n", tpg->target->name, tpg->tpgt);
}

/**
 * kitt_tpg_free() - free a removed portal group
 * @tpg: the group
 */
void kitt_tpg_free(struct kitt_tpg *tpg)
{
	mutex_destroy(&tpg->lock);
	kfree(tpg);
}

/**
 * kitt_tpg_enable() - accept logins to a portal group, or stop
 * @tpg: the group
 * @enable: accept them; disabling keeps the sessions that exist
 */
void kitt_tpg_enable(struct kitt_tpg *tpg, bool enable)
{
	mutex_lock(&tpg->lock);
	if (enable != tpg->enabled)
		pr_info("%s tpgt %u: %s\n", tpg->target->name, tpg->tpgt,
			enable ? "enabled" : "disabled, existing sessions continue");
	WRITE_ONCE(tpg->enabled, enable);
	mutex_unlock(&tpg->lock);
}

/* ------------------------------------------------------------------ */
/* ALUA: the access state of a portal group's target port              */
/* ------------------------------------------------------------------ */

/* Does @tpg map @dev? Under RCU, kitt_config_lock or @tpg->lock. */
static bool kitt_tpg_maps(struct kitt_tpg *tpg, const struct kitt_device *dev)
{
	struct kitt_lun *lun;
	bool found = false;
	unsigned int i;

	rcu_read_lock();
	for (i = 0; i < KITT_MAX_LUNS && !found; i++) {
		lun = rcu_dereference(tpg->luns[i]);
		found = lun && lun->dev == dev;
	}
	rcu_read_unlock();
	return found;
}

/*
 * Add the devices @tpg maps to @devs (@max entries, *@n used), each
 * once; what does not fit is left out (it then misses a unit attention).
 */
static void kitt_tpg_collect_devs(struct kitt_tpg *tpg, const struct kitt_device **devs,
				  unsigned int max, unsigned int *n)
{
	struct kitt_lun *lun;
	unsigned int i, j;

	rcu_read_lock();
	for (i = 0; i < KITT_MAX_LUNS && *n < max; i++) {
		lun = rcu_dereference(tpg->luns[i]);
		if (!lun)
			continue;
		for (j = 0; j < *n && devs[j] != lun->dev; j++)
			;
		if (j == *n)
			devs[(*n)++] = lun->dev;
	}
	rcu_read_unlock();
}

/**
 * kitt_tpg_set_alua_state() - the administrator sets a port's access state
 * @tpg: the portal group
 * @state: enum kitt_alua_state
 *
 * An implicit transition (REPORT TARGET PORT GROUPS status 02h): every
 * nexus of the target to a LU the group maps gets ASYMMETRIC ACCESS
 * STATE CHANGED, when the state really changes.
 *
 * Return: 0, or -ENOMEM.
 * Context: may sleep; no config lock held.
 */
int kitt_tpg_set_alua_state(struct kitt_tpg *tpg, u8 state)
{
	const struct kitt_device **devs;
	unsigned int n = 0;
	bool changed;

	devs = kmalloc_array(KITT_MAX_LUNS, sizeof(*devs), GFP_KERNEL);
	if (!devs)
		return -ENOMEM;
	mutex_lock(&tpg->lock);
	changed = tpg->alua.state != state;
	if (changed) {
		WRITE_ONCE(tpg->alua.state, state);
		WRITE_ONCE(tpg->alua.status, KITT_ALUA_STATUS_IMPLICIT);
		kitt_tpg_collect_devs(tpg, devs, KITT_MAX_LUNS, &n);
	}
	mutex_unlock(&tpg->lock);
	if (changed) {
		pr_info("%s tpgt %u: ALUA access state %s\n", tpg->target->name, tpg->tpgt,
			kitt_alua_state_name(state));
		if (n)
			kitt_fabric->alua_changed(tpg->target, devs, n);
	}
	kfree(devs);
	return 0;
}

/**
 * kitt_tpg_alua_groups() - the target port groups of a LU
 * @target: the target the command came to
 * @dev: the LU's device
 * @groups: filled with one entry per portal group of @target mapping @dev
 * @max: room in @groups
 *
 * Return: the number of entries filled.
 * Context: may sleep; takes kitt_config_lock.
 */
unsigned int kitt_tpg_alua_groups(struct kitt_target *target, const struct kitt_device *dev,
				  struct kitt_alua_group *groups, unsigned int max)
{
	struct kitt_tpg *tpg;
	unsigned int n = 0;

	mutex_lock(&kitt_config_lock);
	list_for_each_entry(tpg, &target->tpgs, node) {
		if (n == max)
			break;
		if (tpg->gone || !kitt_tpg_maps(tpg, dev))
			continue;
		groups[n].id = tpg->tpgt;
		groups[n].rel_port_id = tpg->tpgt;
		groups[n].state = READ_ONCE(tpg->alua.state);
		groups[n].pref = READ_ONCE(tpg->alua.pref);
		groups[n].status = READ_ONCE(tpg->alua.status);
		n++;
	}
	mutex_unlock(&kitt_config_lock);
	return n;
}

/* The portal group of @target with tag @id, open to STPG, mapping @dev. */
static struct kitt_tpg *kitt_tpg_stpg_find(struct kitt_target *target,
					   const struct kitt_device *dev, u16 id)
{
	struct kitt_tpg *tpg;

	lockdep_assert_held(&kitt_config_lock);
	list_for_each_entry(tpg, &target->tpgs, node)
		if (tpg->tpgt == id)
			return !tpg->gone && READ_ONCE(tpg->alua.explicit) &&
			       kitt_tpg_maps(tpg, dev) ? tpg : NULL;
	return NULL;
}

/**
 * kitt_tpg_alua_stpg() - apply a SET TARGET PORT GROUPS
 * @target: the target the command came to
 * @dev: the LU's device
 * @ids: target port groups named by the descriptors
 * @states: the access state asked for in each
 * @n: descriptors
 * @bad: set to the first descriptor refused
 * @devs: filled with the devices of the groups that changed (KITT_MAX_LUNS
 *	entries), for the caller's unit attentions
 * @nr_devs: set to the entries filled
 *
 * All or nothing: each group must be a portal group of @target that maps
 * @dev and has explicit ALUA enabled (at most KITT_ALUA_MAX_GROUPS).
 *
 * Return: 0, or -EINVAL with *@bad set.
 * Context: may sleep; takes kitt_config_lock.
 */
int kitt_tpg_alua_stpg(struct kitt_target *target, const struct kitt_device *dev,
		       const u16 *ids, const u8 *states, unsigned int n, unsigned int *bad,
		       const struct kitt_device **devs, unsigned int *nr_devs)
{
	struct kitt_tpg *found[KITT_ALUA_MAX_GROUPS], *tpg;
	unsigned int i;

	*nr_devs = 0;
	if (n > ARRAY_SIZE(found)) {
		*bad = ARRAY_SIZE(found);
		return -EINVAL;
	}
	mutex_lock(&kitt_config_lock);
	for (i = 0; i < n; i++) {
		found[i] = kitt_tpg_stpg_find(target, dev, ids[i]);
		if (!found[i]) {
			mutex_unlock(&kitt_config_lock);
			*bad = i;
			return -EINVAL;
		}
	}
	for (i = 0; i < n; i++) {
		tpg = found[i];
		mutex_lock(&tpg->lock);
		if (tpg->alua.state != states[i]) {
			pr_info("%s tpgt %u: ALUA access state %s (SET TARGET PORT GROUPS)\n",
				target->name, tpg->tpgt, kitt_alua_state_name(states[i]));
			WRITE_ONCE(tpg->alua.state, states[i]);
			kitt_tpg_collect_devs(tpg, devs, KITT_MAX_LUNS, nr_devs);
		}
		WRITE_ONCE(tpg->alua.status, KITT_ALUA_STATUS_BY_STPG);
		mutex_unlock(&tpg->lock);
	}
	mutex_unlock(&kitt_config_lock);
	return 0;
}

/**
 * kitt_tpg_find() - the portal group a connection reached
 * @t: the target named in the login
 * @l: the listener that accepted the connection
 * @addr: @l's address
 * @portal: set to the portal of the group that matched, or NULL
 *
 * A portal on exactly @l's address wins; otherwise a wildcard portal
 * (0.0.0.0 or [::]) on the same port serves @l's specific address too.
 *
 * Context: kitt_config_lock held.
 * Return: the portal group (possibly disabled) or NULL.
 */
struct kitt_tpg *kitt_tpg_find(struct kitt_target *t, const struct kitt_listener *l,
			       const struct sockaddr_storage *addr, struct kitt_portal **portal)
{
	struct kitt_tpg *tpg, *wild = NULL;
	struct kitt_portal *p;

	lockdep_assert_held(&kitt_config_lock);
	*portal = NULL;
	list_for_each_entry(tpg, &t->tpgs, node) {
		mutex_lock(&tpg->lock);
		list_for_each_entry(p, &tpg->portals, node) {
			if (p->listener == l) {
				mutex_unlock(&tpg->lock);
				*portal = p;
				return tpg;
			}
			if (!wild && kitt_addr_covers(&p->addr, addr)) {
				wild = tpg;
				*portal = p;
			}
		}
		mutex_unlock(&tpg->lock);
	}
	return wild;
}

/* ------------------------------------------------------------------ */
/* ACLs                                                                */
/* ------------------------------------------------------------------ */

/**
 * kitt_acl_find() - the ACL of an initiator in a portal group
 * @tpg: the portal group
 * @initiator: InitiatorName, compared without regard to case
 *
 * Context: kitt_config_lock (keeps the ACL alive after @tpg->lock is
 * dropped) and @tpg->lock (guards the list and the ACL's credentials).
 * Return: the ACL or NULL.
 */
struct kitt_acl *kitt_acl_find(struct kitt_tpg *tpg, const char *initiator)
{
	struct kitt_acl *acl;

	lockdep_assert_held(&kitt_config_lock);
	lockdep_assert_held(&tpg->lock);
	list_for_each_entry(acl, &tpg->acls, node)
		if (!strcasecmp(acl->initiator, initiator))
			return acl;
	return NULL;
}

/**
 * kitt_acl_alloc() - a new ACL with no credentials
 * @tpg: its portal group
 * @initiator: the initiator name, already validated
 *
 * Return: the ACL, or NULL without memory.
 */
struct kitt_acl *kitt_acl_alloc(struct kitt_tpg *tpg, const char *initiator)
{
	struct kitt_acl *acl;

	acl = kzalloc(sizeof(*acl), GFP_KERNEL);
	if (!acl)
		return NULL;
	acl->luns = kzalloc(sizeof(*acl->luns), GFP_KERNEL);
	if (!acl->luns) {
		kfree(acl);
		return NULL;
	}
	refcount_set(&acl->luns->refs, 1);
	acl->tpg = tpg;
	INIT_LIST_HEAD(&acl->node);
	INIT_LIST_HEAD(&acl->mapped);
	strscpy(acl->initiator, initiator, sizeof(acl->initiator));
	return acl;
}

/**
 * kitt_acl_add() - let an initiator into its portal group
 * @acl: from kitt_acl_alloc()
 *
 * Return: 0, or -EEXIST when the group has an ACL for that name.
 */
int kitt_acl_add(struct kitt_acl *acl)
{
	struct kitt_tpg *tpg = acl->tpg;
	struct kitt_acl *other;

	mutex_lock(&tpg->lock);
	list_for_each_entry(other, &tpg->acls, node) {
		if (!strcasecmp(other->initiator, acl->initiator)) {
			mutex_unlock(&tpg->lock);
			return -EEXIST;
		}
	}
	list_add_tail(&acl->node, &tpg->acls);
	mutex_unlock(&tpg->lock);
	kitt_dbg(KITT_DBG_CONFIG, "%s tpgt %u: ACL %s added\n", tpg->target->name, tpg->tpgt,
		 acl->initiator);
	/*
	 * Sessions the initiator opened without an ACL (generate_node_acls)
	 * go: its credentials and LUN map apply from its next login.
	 */
	kitt_fabric->close_sessions(tpg, acl->initiator);
	return 0;
}

/**
 * kitt_acl_remove() - shut an initiator out, ending its sessions now
 * @acl: the ACL
 *
 * Context: may sleep until the sessions are freed; no config lock held.
 */
void kitt_acl_remove(struct kitt_acl *acl)
{
	struct kitt_tpg *tpg = acl->tpg;

	mutex_lock(&kitt_config_lock);
	mutex_lock(&tpg->lock);
	list_del_init(&acl->node);
	mutex_unlock(&tpg->lock);
	mutex_unlock(&kitt_config_lock);
	/* Access ends with the ACL: its sessions go now, not at the next login. */
	kitt_fabric->close_sessions(tpg, acl->initiator);
}

/**
 * kitt_acl_free() - free an ACL, secrets wiped
 * @acl: the ACL, removed or never added
 */
void kitt_acl_free(struct kitt_acl *acl)
{
	kitt_acl_luns_put(acl->luns);
	kfree_sensitive(acl);
}

/* ------------------------------------------------------------------ */
/* An ACL's LUN map: acls/<iqn>/lun_map and acls/<iqn>/luns/<lun>/     */
/* ------------------------------------------------------------------ */

/**
 * kitt_acl_luns_get() - a login takes the LUN map of the ACL it found
 * @acl: the ACL
 *
 * Context: @acl->tpg->lock held (with kitt_config_lock, as for
 * kitt_acl_find()).
 * Return: the map, referenced; kitt_acl_luns_put() drops it.
 */
struct kitt_acl_luns *kitt_acl_luns_get(struct kitt_acl *acl)
{
	lockdep_assert_held(&acl->tpg->lock);
	refcount_inc(&acl->luns->refs);
	return acl->luns;
}

/**
 * kitt_acl_luns_put() - drop a reference to an ACL's LUN map
 * @luns: the map, or NULL
 */
void kitt_acl_luns_put(struct kitt_acl_luns *luns)
{
	struct kitt_lun_map *map;

	if (!luns || !refcount_dec_and_test(&luns->refs))
		return;
	map = rcu_dereference_protected(luns->map, true);
	if (map)
		kfree_rcu(map, rcu);
	kfree_rcu(luns, rcu);
}

/*
 * Publish @acl's map after a change to its entries or its mode: @map
 * (allocated beforehand, so that nothing here fails) becomes the map, or
 * is freed when the ACL shows every LUN. Caller holds tpg->lock and then
 * calls kitt_acl_luns_changed().
 */
static void kitt_acl_publish(struct kitt_acl *acl, struct kitt_lun_map *map)
{
	struct kitt_lun_map *old;
	struct kitt_acl_lun *e;

	lockdep_assert_held(&acl->tpg->lock);
	old = rcu_dereference_protected(acl->luns->map, lockdep_is_held(&acl->tpg->lock));
	if (acl->masked) {
		memset(map->tpg_lun, 0xff, sizeof(map->tpg_lun));
		bitmap_zero(map->wp, KITT_MAX_LUNS);
		list_for_each_entry(e, &acl->mapped, node) {
			map->tpg_lun[e->lun] = e->tpg_lun;
			if (e->write_protect)
				__set_bit(e->lun, map->wp);
		}
		rcu_assign_pointer(acl->luns->map, map);
		map = NULL;
	} else {
		RCU_INIT_POINTER(acl->luns->map, NULL);
	}
	if (old)
		kfree_rcu(old, rcu);
	kfree(map);
}

/* Tell the ACL's sessions; no lock held. */
static void kitt_acl_luns_changed(struct kitt_acl *acl)
{
	struct kitt_tpg *tpg = acl->tpg;

	kitt_dbg(KITT_DBG_CONFIG, "%s tpgt %u: LUN map of %s changed\n", tpg->target->name,
		 tpg->tpgt, acl->initiator);
	kitt_fabric->acl_luns_changed(tpg, acl->luns);
}

/**
 * kitt_acl_lun_alloc() - a new entry of an ACL's map, showing @lun as the
 *	portal group's LUN @lun, writable
 * @acl: the ACL
 * @lun: the LUN number its initiator will see, below KITT_MAX_LUNS
 *
 * Return: the entry, or NULL without memory.
 */
struct kitt_acl_lun *kitt_acl_lun_alloc(struct kitt_acl *acl, u16 lun)
{
	struct kitt_acl_lun *al;

	al = kzalloc(sizeof(*al), GFP_KERNEL);
	if (!al)
		return NULL;
	al->acl = acl;
	al->lun = lun;
	al->tpg_lun = lun;
	INIT_LIST_HEAD(&al->node);
	return al;
}

/**
 * kitt_acl_lun_add() - add an entry to its ACL's map
 * @al: from kitt_acl_lun_alloc()
 *
 * The ACL's lun_map becomes "mapped" if it was "all": from now on its
 * initiator sees only the LUNs its entries show.
 *
 * Return: 0, -EEXIST when the ACL has an entry for that LUN, or -ENOMEM.
 * Context: may sleep; no config lock held.
 */
int kitt_acl_lun_add(struct kitt_acl_lun *al)
{
	struct kitt_acl *acl = al->acl;
	struct kitt_lun_map *map;
	struct kitt_acl_lun *e;

	map = kmalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	mutex_lock(&acl->tpg->lock);
	list_for_each_entry(e, &acl->mapped, node) {
		if (e->lun == al->lun) {
			mutex_unlock(&acl->tpg->lock);
			kfree(map);
			return -EEXIST;
		}
	}
	list_add_tail(&al->node, &acl->mapped);
	acl->masked = true;
	kitt_acl_publish(acl, map);
	mutex_unlock(&acl->tpg->lock);
	kitt_acl_luns_changed(acl);
	return 0;
}

/**
 * kitt_acl_lun_remove() - remove an entry from its ACL's map
 * @al: the entry; freed by the caller afterwards
 *
 * The initiator no longer sees that LUN (commands already running end
 * normally). The ACL stays "mapped" even when this was its last entry:
 * removing entries never shows more.
 *
 * Context: may sleep; no config lock held.
 */
void kitt_acl_lun_remove(struct kitt_acl_lun *al)
{
	struct kitt_acl *acl = al->acl;
	struct kitt_lun_map *map;

	mutex_lock(&acl->tpg->lock);
	list_del_init(&al->node);
	/*
	 * Cleared in place: a removal needs no memory, and cannot fail. The
	 * write-protect bit stays (a reader may see it with the old LUN;
	 * never the old LUN without it); the next rebuild drops it.
	 */
	map = rcu_dereference_protected(acl->luns->map, lockdep_is_held(&acl->tpg->lock));
	if (map)
		WRITE_ONCE(map->tpg_lun[al->lun], KITT_LUN_NONE);
	mutex_unlock(&acl->tpg->lock);
	kitt_acl_luns_changed(acl);
}

/**
 * kitt_acl_lun_set() - change an entry of an ACL's map
 * @al: the entry
 * @tpg_lun: the portal group's LUN it shows, or U32_MAX to keep it;
 *	below KITT_MAX_LUNS (the portal group need not map it yet)
 * @write_protect: 1 or 0, or -1 to keep it
 *
 * Return: 0, -EINVAL for a LUN number out of range, or -ENOMEM.
 * Context: may sleep; no config lock held.
 */
int kitt_acl_lun_set(struct kitt_acl_lun *al, u32 tpg_lun, int write_protect)
{
	struct kitt_acl *acl = al->acl;
	struct kitt_lun_map *map;
	bool changed;

	if (tpg_lun != U32_MAX && tpg_lun >= KITT_MAX_LUNS)
		return -EINVAL;
	map = kmalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	mutex_lock(&acl->tpg->lock);
	changed = (tpg_lun != U32_MAX && tpg_lun != al->tpg_lun) ||
		  (write_protect >= 0 && !!write_protect != al->write_protect);
	if (tpg_lun != U32_MAX)
		al->tpg_lun = tpg_lun;
	if (write_protect >= 0)
		al->write_protect = write_protect;
	/* Only a listed entry is in the map (a new one is listed when made). */
	if (changed && !list_empty(&al->node)) {
		kitt_acl_publish(acl, map);
		map = NULL;
	} else {
		changed = false;
	}
	mutex_unlock(&acl->tpg->lock);
	kfree(map);
	if (changed)
		kitt_acl_luns_changed(acl);
	return 0;
}

/**
 * kitt_acl_set_masked() - set an ACL's lun_map
 * @acl: the ACL
 * @masked: true: its initiator sees only the LUNs of its entries (maybe
 *	none); false: every LUN of the portal group
 *
 * Return: 0, -EBUSY when asked for every LUN while entries exist, or
 * -ENOMEM.
 * Context: may sleep; no config lock held.
 */
int kitt_acl_set_masked(struct kitt_acl *acl, bool masked)
{
	struct kitt_lun_map *map;
	bool changed = false;
	int ret = 0;

	map = kmalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	mutex_lock(&acl->tpg->lock);
	if (!masked && !list_empty(&acl->mapped)) {
		ret = -EBUSY;
	} else if (masked != acl->masked) {
		acl->masked = masked;
		kitt_acl_publish(acl, map);
		map = NULL;
		changed = true;
	}
	mutex_unlock(&acl->tpg->lock);
	kfree(map);
	if (ret)
		pr_err("%s tpgt %u: ACL %s: remove luns/* before lun_map is set to all\n",
		       acl->tpg->target->name, acl->tpg->tpgt, acl->initiator);
	else if (changed)
		kitt_acl_luns_changed(acl);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Portals                                                             */
/* ------------------------------------------------------------------ */

/**
 * kitt_portal_alloc() - a new portal of a portal group
 * @tpg: the group
 * @name: the directory name, "<ipv4>[:<port>]" or "[<ipv6>[%<scope>]][:<port>]"
 *
 * Return: the portal, ERR_PTR(-EINVAL) when @name is no portal address,
 * or ERR_PTR(-ENOMEM).
 */
struct kitt_portal *kitt_portal_alloc(struct kitt_tpg *tpg, const char *name)
{
	struct kitt_portal *portal;

	portal = kzalloc(sizeof(*portal), GFP_KERNEL);
	if (!portal)
		return ERR_PTR(-ENOMEM);
	portal->tpg = tpg;
	INIT_LIST_HEAD(&portal->node);
	if (kitt_parse_portal_addr(name, &portal->addr)) {
		pr_err("%s tpgt %u: invalid portal '%s' (want <ipv4>:<port> or [<ipv6>]:<port>)\n",
		       tpg->target->name, tpg->tpgt, name);
		kfree(portal);
		return ERR_PTR(-EINVAL);
	}
	return portal;
}

/*
 * A portal may be listed once per portal group, and in one portal group
 * per target (RFC 7143: a network portal belongs to one portal group of a
 * target). Called with kitt_config_lock and tpg->lock held.
 */
static int kitt_portal_check(struct kitt_tpg *tpg, const struct sockaddr_storage *addr)
{
	struct kitt_portal *p;
	struct kitt_tpg *other;

	lockdep_assert_held(&kitt_config_lock);
	lockdep_assert_held(&tpg->lock);
	list_for_each_entry(p, &tpg->portals, node) {
		if (kitt_addr_equal(&p->addr, addr)) {
			pr_err("%s tpgt %u: portal %pISpc is already listed\n",
			       tpg->target->name, tpg->tpgt, addr);
			return -EEXIST;
		}
	}
	list_for_each_entry(other, &tpg->target->tpgs, node) {
		if (other == tpg)
			continue;
		mutex_lock_nested(&other->lock, SINGLE_DEPTH_NESTING);
		list_for_each_entry(p, &other->portals, node) {
			if (kitt_addr_equal(&p->addr, addr)) {
				mutex_unlock(&other->lock);
				pr_err("%s tpgt %u: portal %pISpc belongs to tpgt %u of this target\n",
				       tpg->target->name, tpg->tpgt, addr, other->tpgt);
				return -EADDRINUSE;
			}
		}
		mutex_unlock(&other->lock);
	}
	return 0;
}

/* Check @portal under the locks; list it too once it has its listener. */
static int kitt_portal_try_list(struct kitt_portal *portal)
{
	struct kitt_tpg *tpg = portal->tpg;
	int ret;

	mutex_lock(&kitt_config_lock);
	mutex_lock(&tpg->lock);
	ret = kitt_portal_check(tpg, &portal->addr);
	if (!ret && portal->listener) {
		list_add_tail(&portal->node, &tpg->portals);
		portal->stats = kitt_stats_portal_add(tpg->stats, &portal->addr);
	}
	mutex_unlock(&tpg->lock);
	mutex_unlock(&kitt_config_lock);
	return ret;
}

/**
 * kitt_portal_add() - listen on a portal's address for its group
 * @portal: from kitt_portal_alloc()
 *
 * Return: 0; -EEXIST or -EADDRINUSE when the address is listed in this
 * group or another group of the target; the error of binding it.
 */
int kitt_portal_add(struct kitt_portal *portal)
{
	struct kitt_tpg *tpg = portal->tpg;
	struct kitt_listener *l;
	int ret;

	ret = kitt_portal_try_list(portal);
	if (ret)
		return ret;

	/* Binding may wait for a stopping listener: no config locks here. */
	l = kitt_fabric->listener_get(&portal->addr);
	if (IS_ERR(l))
		return PTR_ERR(l);
	portal->listener = l;

	/* Checked again: the locks were dropped. Listed if still good. */
	ret = kitt_portal_try_list(portal);
	if (ret) {
		kitt_fabric->listener_put(l);
		portal->listener = NULL;
		return ret;
	}
	kitt_dbg(KITT_DBG_CONFIG, "%s tpgt %u: portal %pISpc added\n", tpg->target->name,
		 tpg->tpgt, &portal->addr);
	return 0;
}

/**
 * kitt_portal_remove() - stop serving a portal and close what came in
 *	through it
 * @portal: an added portal
 *
 * Context: may sleep until the connections are gone; no config lock held.
 */
void kitt_portal_remove(struct kitt_portal *portal)
{
	struct kitt_tpg *tpg = portal->tpg;
	struct kitt_stats_node *stats;

	/* Logins look portals up under both locks: none finds it after this. */
	mutex_lock(&kitt_config_lock);
	mutex_lock(&tpg->lock);
	list_del_init(&portal->node);
	stats = portal->stats;
	portal->stats = NULL;
	mutex_unlock(&tpg->lock);
	mutex_unlock(&kitt_config_lock);
	kitt_stats_node_del(stats);

	kitt_fabric->close_portal(tpg, portal);
	kitt_fabric->listener_put(portal->listener);
	portal->listener = NULL;
	kitt_dbg(KITT_DBG_CONFIG, "%s tpgt %u: portal %pISpc removed\n", tpg->target->name,
		 tpg->tpgt, &portal->addr);
}

/**
 * kitt_portal_free() - free a removed portal
 * @portal: the portal
 */
void kitt_portal_free(struct kitt_portal *portal)
{
	kfree(portal);
}

/* ------------------------------------------------------------------ */
/* LUN maps                                                            */
/* ------------------------------------------------------------------ */

/**
 * kitt_lun_map() - map a device as a LUN of a portal group
 * @tpg: the group
 * @nr: the LUN number, below KITT_MAX_LUNS
 * @dev: the device
 *
 * Return: 0; -ENODEV when @dev is not enabled; -EEXIST when @nr is
 * mapped; -EBUSY when @dev is another LUN of @tpg; -ENOMEM.
 */
int kitt_lun_map(struct kitt_tpg *tpg, u32 nr, struct kitt_device *dev)
{
	struct kitt_lun *lun;
	int ret = 0, i;

	lun = kzalloc(sizeof(*lun), GFP_KERNEL);
	if (!lun)
		return -ENOMEM;
	lun->lun = nr;
	lun->dev = dev;
	lun->tpg = tpg;
	refcount_set(&lun->refs, 1);
	init_completion(&lun->released);

	/* Counted under dev->lock so that disabling the device cannot race. */
	mutex_lock(&dev->lock);
	if (!dev->enabled) {
		mutex_unlock(&dev->lock);
		pr_err("%s tpgt %u: device %s is not enabled\n", tpg->target->name, tpg->tpgt,
		       dev->name);
		ret = -ENODEV;
		goto out_free;
	}
	atomic_inc(&dev->export_count);
	mutex_unlock(&dev->lock);

	mutex_lock(&tpg->lock);
	for (i = 0; i < KITT_MAX_LUNS; i++) {
		struct kitt_lun *l = rcu_dereference_protected(tpg->luns[i],
							       lockdep_is_held(&tpg->lock));

		if (l && (i == nr || l->dev == dev)) {
			ret = i == nr ? -EEXIST : -EBUSY;
			if (ret == -EBUSY)
				pr_err("%s tpgt %u: device %s is already LUN %d\n",
				       tpg->target->name, tpg->tpgt, dev->name, i);
			break;
		}
	}
	if (!ret) {
		lun->stats = kitt_stats_lun_add(tpg->stats, nr);
		rcu_assign_pointer(tpg->luns[nr], lun);
	}
	mutex_unlock(&tpg->lock);
	if (ret)
		goto out_unexport;

	kitt_dbg(KITT_DBG_CONFIG, "%s tpgt %u: LUN %u is device %s\n", tpg->target->name,
		 tpg->tpgt, nr, dev->name);
	kitt_fabric->luns_changed(tpg, nr);
	return 0;

out_unexport:
	atomic_dec(&dev->export_count);
out_free:
	kfree(lun);
	return ret;
}

/**
 * kitt_lun_unmap() - unmap the LUN of a device and wait until unused
 * @tpg: the group
 * @dev: the device; a device is mapped once per group, so it names the LUN
 *
 * A peer may hold a LUN for as long as it likes (a write whose data it
 * never sends, a command parked behind a CmdSN gap): after
 * KITT_LUN_DRAIN_TIMEOUT the group's sessions are closed, which ends
 * those commands (the initiators log in again and find the LUN gone).
 *
 * Context: sleeps; no config lock held.
 */
void kitt_lun_unmap(struct kitt_tpg *tpg, struct kitt_device *dev)
{
	struct kitt_lun *lun = NULL;
	int i;

	mutex_lock(&tpg->lock);
	for (i = 0; i < KITT_MAX_LUNS; i++) {
		lun = rcu_dereference_protected(tpg->luns[i], lockdep_is_held(&tpg->lock));
		if (lun && lun->dev == dev) {
			RCU_INIT_POINTER(tpg->luns[i], NULL);
			break;
		}
		lun = NULL;
	}
	mutex_unlock(&tpg->lock);
	if (WARN_ON_ONCE(!lun))
		return;

	/* Drop the mapping's reference, then wait for commands using it. */
	kitt_lun_put(lun);
	if (!wait_for_completion_timeout(&lun->released, KITT_LUN_DRAIN_TIMEOUT)) {
		pr_warn("%s tpgt %u: LUN %llu still in use after %us, closing the sessions\n",
			tpg->target->name, tpg->tpgt, lun->lun, KITT_LUN_DRAIN_TIMEOUT / HZ);
		kitt_fabric->close_sessions(tpg, NULL);
		wait_for_completion(&lun->released);
	}
	atomic_dec(&dev->export_count);
	kitt_dbg(KITT_DBG_CONFIG, "%s tpgt %u: LUN %llu unmapped\n", tpg->target->name,
		 tpg->tpgt, lun->lun);
	kitt_fabric->luns_changed(tpg, lun->lun);
	kitt_stats_node_del(lun->stats);
	kfree_rcu(lun, rcu);
}

/**
 * kitt_lun_rcu() - the portal group's LUN an initiator sees as @lun
 * @tpg: the session's portal group
 * @luns: the LUN map of the session's ACL, or NULL (every LUN of @tpg)
 * @lun: the LUN number the initiator uses
 * @wp: set to whether the map makes it read-only
 *
 * Context: rcu_read_lock() held; the result is valid inside it.
 * Return: the LUN, or NULL when the initiator sees none there.
 */
struct kitt_lun *kitt_lun_rcu(struct kitt_tpg *tpg, struct kitt_acl_luns *luns, u64 lun,
			      bool *wp)
{
	const struct kitt_lun_map *map = luns ? rcu_dereference(luns->map) : NULL;

	*wp = false;
	if (lun >= KITT_MAX_LUNS)
		return NULL;
	lun = array_index_nospec(lun, KITT_MAX_LUNS);
	if (map) {
		*wp = test_bit(lun, map->wp);
		lun = READ_ONCE(map->tpg_lun[lun]);
		if (lun >= KITT_MAX_LUNS)
			return NULL;
		lun = array_index_nospec(lun, KITT_MAX_LUNS);
	}
	return rcu_dereference(tpg->luns[lun]);
}

/**
 * kitt_lun_map_shows() - does an initiator see a portal group's LUN as @lun?
 * @luns: the LUN map of its ACL, or NULL (it sees every LUN as itself)
 * @tpg_lun: the portal group's LUN number
 * @lun: the LUN number the initiator would use
 *
 * Whether the portal group maps anything at @tpg_lun does not matter.
 * Context: any; RCU inside.
 */
bool kitt_lun_map_shows(struct kitt_acl_luns *luns, u16 tpg_lun, u64 lun)
{
	const struct kitt_lun_map *map;
	bool shows;

	if (lun >= KITT_MAX_LUNS)
		return false;
	if (!luns)
		return lun == tpg_lun;
	rcu_read_lock();
	map = rcu_dereference(luns->map);
	shows = map ? READ_ONCE(map->tpg_lun[array_index_nospec(lun, KITT_MAX_LUNS)]) == tpg_lun :
		      lun == tpg_lun;
	rcu_read_unlock();
	return shows;
}

/**
 * kitt_lun_get() - look up a LUN for a command
 * @tpg: the session's portal group
 * @luns: the LUN map of the session's ACL, or NULL
 * @lun: the LUN number the initiator uses
 * @wp: set to whether the map makes it read-only
 *
 * Return: the LUN with a reference held, or NULL if none is mapped there.
 */
struct kitt_lun *kitt_lun_get(struct kitt_tpg *tpg, struct kitt_acl_luns *luns, u64 lun,
			      bool *wp)
{
	struct kitt_lun *l;

	rcu_read_lock();
	l = kitt_lun_rcu(tpg, luns, lun, wp);
	if (l && !refcount_inc_not_zero(&l->refs))
		l = NULL;
	rcu_read_unlock();
	return l;
}

/**
 * kitt_lun_put() - drop a reference taken by kitt_lun_get()
 * @lun: the LUN
 *
 * Callable from any context, including bio completion.
 */
void kitt_lun_put(struct kitt_lun *lun)
{
	if (refcount_dec_and_test(&lun->refs))
		complete(&lun->released);
}
