/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt: Kernel iSCSI Target over TCP - the module's private API.
 *
 * Layers, from the wire inwards:
 *   portal.c   listening sockets, shared by every portal group naming them
 *   conn.c     connection lifecycle, receive and transmit threads
 *   pdu.c      BHS/AHS/padding/digest framing and validation        (pure)
 *   text.c     key=value tokenizer and builder                       (pure)
 *   params.c   RFC 7143 key table and negotiation rules              (pure)
 *   chap.c     CHAP authentication                                   (pure)
 *   login.c    login state machine                                   (pure core)
 *   session.c  sessions, command window, task management, logout
 *   task.c     per-command data transfer bookkeeping (R2T, Data-Out, Data-In)
 *   spc.c sbc.c SCSI command set: decode and answer CDBs                (pure)
 *   bdev.c     block backend: open by path, bios
 *   configfs.c the configuration tree, sysfs.c live sessions
 *
 * This header holds the runtime: logging and module parameters, the
 * configuration objects, portals, connections, sessions, tasks and sysfs,
 * grouped by the file that implements them. The layers under it have a
 * header each, which the pure files include alone:
 *   kitt_pdu.h      pdu.c: the wire format beyond <scsi/iscsi_proto.h>,
 *                   header checks, AHS, digests
 *   kitt_login.h    text.c, params.c, chap.c and the state machine of
 *                   login.c: key=value text, negotiation, CHAP
 *   kitt_wdata.h    task_data.c: R2T and Data-Out bookkeeping of a command
 *   kitt_scsi.h     spc.c, sbc.c: the SCSI command set; pr.c: reservations
 *   kitt_backend.h  backend.c, bdev.c, file.c, sbc_io.c: the backing store
 * and kitt_compat.h wraps what differs between kernel versions.
 */
#ifndef KITT_H
#define KITT_H

#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/configfs.h>
#include <linux/socket.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/ratelimit.h>
#include <linux/kobject.h>
#include <linux/completion.h>
#include <linux/refcount.h>
#include <linux/sizes.h>
#include <linux/workqueue.h>

#include "kitt_pdu.h"
#include "kitt_login.h"
#include "kitt_scsi.h"
#include "kitt_backend.h"
#include "kitt_wdata.h"

/*
 * kitt's release: the module's version, kittctl's, and the Debian
 * packages' (scripts/make-deb.sh reads it from here).
 */
#define KITT_VERSION		"1.0.0"

struct kitt_stats_node;		/* stats.c */

/* ------------------------------------------------------------------ */
/* modparams.c: logging, module parameters                            */
/* ------------------------------------------------------------------ */

/* Debug areas, switchable at run time through the debug_mask parameter. */
#define KITT_DBG_PORTAL		BIT(0)
#define KITT_DBG_CONN		BIT(1)
#define KITT_DBG_PDU		BIT(2)
#define KITT_DBG_LOGIN		BIT(3)
#define KITT_DBG_SESSION	BIT(4)
#define KITT_DBG_SCSI		BIT(5)
#define KITT_DBG_BDEV		BIT(6)
#define KITT_DBG_CONFIG		BIT(7)

extern unsigned int kitt_debug_mask;
extern unsigned int kitt_default_port;
/* Defaults of new portal groups' attrib/ (module parameters) */
extern unsigned int kitt_default_cmdsn_depth;
extern unsigned int kitt_default_nopin_interval;
extern unsigned int kitt_default_nopin_timeout;
extern unsigned int kitt_default_login_timeout;
extern unsigned int kitt_default_send_timeout;
extern char *kitt_pr_dir;
extern unsigned int kitt_max_login_conns;
extern unsigned int kitt_max_login_per_host;
extern unsigned int kitt_max_conns;
extern unsigned int kitt_max_conns_per_host;
extern unsigned int kitt_discovery_idle_timeout;
extern unsigned int kitt_max_discovery_conns;
extern atomic_t kitt_discovery_conns;
extern bool kitt_pin_threads;
int kitt_modparams_check(void);

#define kitt_dbg(area, fmt, ...)					\
	do {								\
		if (unlikely(kitt_debug_mask & (area)))			\
			pr_info(fmt, ##__VA_ARGS__);			\
	} while (0)

/* ------------------------------------------------------------------ */
/* Configuration objects (configfs.c), backend (bdev.c), portals       */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-CONFIG-BEGIN */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>

/*
 * Configuration objects: the configfs tree (configfs.c), the backstores
 * (bdev.c) and the shared listening sockets (portal.c).
 *
 * Locking, outermost first:
 *   kitt_config_lock   the target list, each target's portal group list,
 *                      tpg->gone, the discovery credentials; held by login
 *                      while it looks up a target, portal group and ACL
 *                      and attaches its connection to the portal group
 *   tpg->lock          everything inside one portal group (see below)
 *   dev->lock          a device's settings and open state
 * kitt_listeners_lock (portal.c) is taken with none of these held. It is
 * held while a listener stops, which waits for the listener's connections
 * to end: the runtime never takes it. Nothing that waits for connections
 * or sessions to end (kitt_tpg_remove(), kitt_portal_remove(), ...) is
 * called with any of the locks above held, so the runtime may take
 * kitt_config_lock and tpg->lock from its threads.
 */
#define KITT_MAX_LUNS		256
#define KITT_PATH_MAX		256

/* attrib/ defaults and ranges (seconds for the timers) */
#define KITT_CMDSN_DEPTH_DEF	128
#define KITT_CMDSN_DEPTH_MAX	1024
#define KITT_NOPIN_INTERVAL_DEF	15
#define KITT_NOPIN_TIMEOUT_DEF	30
#define KITT_LOGIN_TIMEOUT_DEF	15
#define KITT_SEND_TIMEOUT_DEF	30
#define KITT_TIMER_MAX		3600

struct kitt_tpg;
struct kitt_backend_ops;
struct kitt_pr;

/**
 * struct kitt_device - a backstore: a block device or a regular file,
 *	opened by path.
 * @group: configfs group devices/<name>
 * @lock: protects @path, @enabled, @read_only, @serial, @naa_id, the
 *	open handle and the geometry against configfs writes
 * @name: the directory name
 * @path: block device or file path, set before enable
 * @enabled: the device is open
 * @read_only: open read-only; writes answer DATA PROTECT
 * @wce: write cache enabled (MODE SENSE caching page); READ_ONCE, may
 *	change at any time
 * @serial: unit serial number (VPD 80)
 * @naa_id: 64-bit NAA identifier (VPD 83): NAA 3 (locally assigned)
 *	derived from the host and device names unless set through wwn
 * @direct: a file is read and written with O_DIRECT (else through the
 *	page cache); block devices ignore it
 * @ops: the backend that opened it (bdev.c, file.c), NULL if disabled
 * @priv: the backend's open handle
 * @discard: the backend can discard (UNMAP, WRITE SAME with UNMAP)
 * @range_lock: protects @ranges and @rmw_ranges
 * @ranges: writes in flight (struct kitt_range), and the read-modify-
 *	writes of COMPARE AND WRITE and ORWRITE, which exclude every write
 *	that overlaps them
 * @rmw_ranges: read-modify-writes in @ranges
 * @pr: reservation state (pr.c), made by the first command that needs
 *	it, freed with the device
 * @range_wait: woken when a range leaves @ranges
 * @block_shift: log2 of the logical block size
 * @phys_block_shift: log2 of the physical block size
 * @atomic_min: the smallest atomic write (bytes), 0 = none (REQ_ATOMIC)
 * @atomic_max: the largest atomic write (bytes)
 * @nr_blocks: capacity in logical blocks
 * @export_count: LUN links pointing here; enable refuses 0, and path,
 *	read_only, serial and wwn refuse changes, while it is non-zero
 * @stats: READ and WRITE commands and bytes the device carried, per CPU
 *
 * The data path reads @bdev, @block_shift, @nr_blocks, @read_only,
 * @serial and @naa_id without @lock through a LUN: they cannot change
 * while the device is exported.
 */
struct kitt_device {
	struct config_group group;
	struct mutex lock;		/* see @lock above */
	char name[KITT_NAME_MAX];
	char path[KITT_PATH_MAX];
	bool enabled;
	bool read_only;
	bool wce;
	char serial[KITT_SERIAL_MAX];
	u64 naa_id;
	bool direct;
	const struct kitt_backend_ops *ops;
	void *priv;
	bool discard;
	spinlock_t range_lock;		/* see @range_lock above */
	struct list_head ranges;
	unsigned int rmw_ranges;
	wait_queue_head_t range_wait;
	struct kitt_pr *pr;
	unsigned int block_shift;
	unsigned int phys_block_shift;
	u32 atomic_min;
	u32 atomic_max;
	u64 nr_blocks;
	atomic_t export_count;
	struct kitt_dev_stats __percpu *stats;
};

/**
 * struct kitt_dev_stats - one CPU's counters of a device
 * @read_cmds: @write_cmds: READ and WRITE commands that reached it
 * @read_bytes: @write_bytes: the bytes they moved
 */
struct kitt_dev_stats {
	u64 read_cmds;
	u64 write_cmds;
	u64 read_bytes;
	u64 write_bytes;
};

/**
 * struct kitt_lun - a LUN of a portal group, pointing at a device.
 * @lun: the LUN number
 * @dev: the device (pinned by the configfs link while this exists)
 * @tpg: owning portal group
 * @refs: in-flight users plus one for the mapping; the last put
 *	completes @released
 * @released: drop_link waits on this before the device is unexported
 * @rcu: freed after a grace period
 * @stats: its statistics (NULL without memory for them); valid while a
 *	reference is held
 */
struct kitt_lun {
	u64 lun;
	struct kitt_device *dev;
	struct kitt_tpg *tpg;
	struct kitt_stats_node *stats;
	refcount_t refs;
	struct completion released;
	struct rcu_head rcu;
};

/* No LUN of the portal group: an unused entry of a struct kitt_lun_map. */
#define KITT_LUN_NONE		U16_MAX

/**
 * struct kitt_lun_map - the LUNs an ACL shows its initiator, by the LUN
 *	numbers the initiator uses; replaced whole (RCU) on each change
 * @rcu: freed after a grace period
 * @tpg_lun: the portal group's LUN behind each, or KITT_LUN_NONE
 * @wp: those the initiator may only read
 */
struct kitt_lun_map {
	struct rcu_head rcu;
	u16 tpg_lun[KITT_MAX_LUNS];
	DECLARE_BITMAP(wp, KITT_MAX_LUNS);
};

/**
 * struct kitt_acl_luns - what an ACL lets its sessions see, shared with
 *	them (a session may outlive its ACL's removal by a moment)
 * @refs: the ACL's and each session's (and each logging-in connection's)
 * @map: NULL while the ACL's lun_map is "all" (every LUN of the portal
 *	group, writable as the device is), else the map. Written under the
 *	portal group's lock, read under RCU.
 * @rcu: freed after a grace period
 */
struct kitt_acl_luns {
	refcount_t refs;
	struct kitt_lun_map __rcu *map;
	struct rcu_head rcu;
};

/**
 * struct kitt_acl_lun - acls/<iqn>/luns/<lun>/: one entry of an ACL's map
 * @item: its configfs item
 * @acl: the ACL
 * @node: entry in @acl->mapped, under the portal group's lock
 * @lun: the LUN number the initiator sees
 * @tpg_lun: the portal group's LUN it shows (default @lun)
 * @write_protect: the initiator may only read it
 */
struct kitt_acl_lun {
	struct config_item item;
	struct kitt_acl *acl;
	struct list_head node;
	u16 lun;
	u16 tpg_lun;
	bool write_protect;
};

/**
 * struct kitt_acl - an initiator allowed into a portal group.
 * @group: configfs group acls/<initiator-iqn>
 * @auth_group: configfs group acls/<iqn>/auth
 * @luns_group: configfs group acls/<iqn>/luns
 * @tpg: owning portal group
 * @node: entry in @tpg->acls; added under @tpg->lock, removed under
 *	kitt_config_lock and @tpg->lock (so kitt_acl_find() results stay
 *	valid while kitt_config_lock is held)
 * @initiator: the initiator name
 * @cred: CHAP credentials, under @tpg->lock
 * @mapped: struct kitt_acl_lun entries, under @tpg->lock
 * @masked: lun_map is "mapped": the initiator sees only @mapped
 * @luns: the map its sessions use, built from @mapped and @masked
 */
struct kitt_acl {
	struct config_group group;
	struct config_group auth_group;
	struct config_group luns_group;
	struct kitt_tpg *tpg;
	struct list_head node;
	char initiator[KITT_NAME_MAX];
	struct kitt_chap_cred cred;
	struct list_head mapped;
	bool masked;
	struct kitt_acl_luns *luns;
};

/**
 * struct kitt_tpg_attrib - attrib/ of a portal group. Written under
 * tpg->lock; each field may be read with READ_ONCE(). Changes apply to
 * logins that start afterwards (and to the NOP-In timers at once).
 * @generate_node_acls: any initiator may log in (no ACL needed)
 * @authentication: CHAP is required
 * @cmdsn_depth: command window per session, 1..KITT_CMDSN_DEPTH_MAX
 * @nopin_interval: seconds of silence before a NOP-In ping, 0 = off
 * @nopin_timeout: seconds to wait for the answer to a ping
 * @login_timeout: seconds a login may take
 */
struct kitt_tpg_attrib {
	bool generate_node_acls;
	bool authentication;
	u32 cmdsn_depth;
	u32 nopin_interval;
	u32 nopin_timeout;
	u32 login_timeout;
	u32 send_timeout;
};

/**
 * struct kitt_tpg_alua - alua/ of a portal group: the asymmetric access
 *	state of its target port (one port, one target port group, both
 *	numbered by the tag). Written under tpg->lock; read with READ_ONCE().
 * @state: enum kitt_alua_state; every LUN of the group is in it
 * @status: REPORT TARGET PORT GROUPS status code of the last change
 * @pref: reported as the preferred group (PREF)
 * @explicit: SET TARGET PORT GROUPS may change it (TPGS 11b)
 */
struct kitt_tpg_alua {
	u8 state;
	u8 status;
	bool pref;
	bool explicit;
};

/**
 * struct kitt_tpg - a target portal group.
 * @group: configfs group targets/<iqn>/tpgt_<n>
 * @portals_group: portals/
 * @luns_group: luns/
 * @acls_group: acls/
 * @attrib_group: attrib/
 * @params_group: params/
 * @alua_group: alua/
 * @target: owning target
 * @tpgt: the portal group tag, 1..65535
 * @gone: being removed; set under kitt_config_lock, after which login
 *	must not attach anything to it
 * @lock: protects @enabled, @acls, @portals, @attrib, @params, ACL
 *	credentials and changes to @luns (readers of @luns use RCU)
 * @enabled: logins accepted (existing sessions survive disabling)
 * @luns: mapped LUNs, RCU-protected; see kitt_lun_get()
 * @portals: struct kitt_portal list
 * @acls: struct kitt_acl list
 * @attrib: attrib/
 * @params: params/, the target's offer
 * @alua: alua/, the access state of the port
 * @sessions: live sessions, owned by the runtime (kitt_sessions_lock)
 * @node: entry in @target->tpgs, under kitt_config_lock
 * @stats: its statistics, or NULL; set while it is listed, and until its
 *	sessions are gone
 */
struct kitt_tpg {
	struct config_group group;
	struct config_group portals_group;
	struct config_group luns_group;
	struct config_group acls_group;
	struct config_group attrib_group;
	struct config_group params_group;
	struct config_group alua_group;
	struct kitt_target *target;
	u16 tpgt;
	bool gone;
	struct mutex lock;		/* see @lock above */
	bool enabled;
	struct kitt_lun __rcu *luns[KITT_MAX_LUNS];
	struct list_head portals;
	struct list_head acls;
	struct kitt_tpg_attrib attrib;
	struct kitt_param_offer params;
	struct kitt_tpg_alua alua;
	struct list_head sessions;
	struct list_head node;
	struct kitt_stats_node *stats;
};

/**
 * struct kitt_target - a target, named by its IQN (or EUI/NAA name).
 * @group: configfs group targets/<name>
 * @name: the target name
 * @tpgs: portal groups, under kitt_config_lock
 * @node: entry in kitt_targets, under kitt_config_lock
 * @stats: its statistics, or NULL; under kitt_config_lock
 */
struct kitt_target {
	struct config_group group;
	char name[KITT_NAME_MAX];
	struct list_head tpgs;
	struct list_head node;
	struct kitt_stats_node *stats;
};

struct kitt_listener;

/**
 * struct kitt_portal - a portal of a portal group: tpgt_<n>/portals/<addr>.
 * @group: configfs group
 * @tpg: owning portal group
 * @addr: the address and port
 * @listener: the shared listening socket serving this address
 * @node: entry in @tpg->portals; added under @tpg->lock, removed under
 *	kitt_config_lock and @tpg->lock
 * @stats: its statistics, or NULL; under @tpg->lock
 */
struct kitt_portal {
	struct config_group group;
	struct kitt_tpg *tpg;
	struct sockaddr_storage addr;
	struct kitt_listener *listener;
	struct list_head node;
	struct kitt_stats_node *stats;
};

extern struct mutex kitt_config_lock;
extern struct list_head kitt_targets;
/* discovery/auth/, under kitt_config_lock */
extern struct kitt_chap_cred kitt_discovery_cred;
extern bool kitt_discovery_enforce;

int kitt_configfs_init(void);
void kitt_configfs_exit(void);
/* RFC 7143 4.2.7 name forms: iqn., eui. (16 hex), naa. (16 or 32 hex). */
bool kitt_valid_iscsi_name(const char *name);

/**
 * struct kitt_fabric_ops - what the object model (tpg.c) asks of the
 *	transport (portal.c) when objects go; registered at module load
 * @listener_get: find or start the listener for a portal's address;
 *	ERR_PTR (the bind error) on failure
 * @listener_put: a portal lets go of its listener; the last put stops it
 *	and closes its connections
 * @close_portal: close the connections of a portal group that came in
 *	through a portal being removed
 * @close_sessions: close the sessions of a portal group (of one initiator
 *	only, when @initiator is not NULL) and wait until they are freed
 * @luns_changed: LUN @lun of a portal group was mapped or unmapped: tell
 *	its sessions (REPORTED LUNS DATA HAS CHANGED)
 * @lu_changed: a device's capacity or mode parameters changed: raise the
 *	unit attention @cond on every nexus of it
 * @alua_changed: the access state of a portal group of @target changed:
 *	raise ASYMMETRIC ACCESS STATE CHANGED on each nexus of the target
 *	whose LU is one of the @nr_devs devices that group maps
 * @acl_luns_changed: the LUNs an ACL shows changed: tell the sessions
 *	that use @luns (REPORTED LUNS DATA HAS CHANGED)
 *
 * All are called with no config lock held and may sleep.
 */
struct kitt_fabric_ops {
	struct kitt_listener *(*listener_get)(const struct sockaddr_storage *addr);
	void (*listener_put)(struct kitt_listener *l);
	void (*close_portal)(struct kitt_tpg *tpg, struct kitt_portal *portal);
	void (*close_sessions)(struct kitt_tpg *tpg, const char *initiator);
	void (*luns_changed)(struct kitt_tpg *tpg, u64 lun);
	void (*lu_changed)(const struct kitt_device *dev, enum kitt_ua_cond cond);
	void (*alua_changed)(const struct kitt_target *target,
			     const struct kitt_device * const *devs, unsigned int nr_devs);
	void (*acl_luns_changed)(struct kitt_tpg *tpg, const struct kitt_acl_luns *luns);
};

/*
 * tpg.c: the object model. Each object is made in two steps, alloc (no
 * side effect, name already checked) then add (visible to logins; may
 * fail with -EEXIST and the like, and the caller frees), and taken apart
 * in two: remove (hidden, its connections closed; sleeps) then free.
 */
void kitt_tpg_set_fabric(const struct kitt_fabric_ops *ops);
struct kitt_device *kitt_device_alloc(const char *name);
void kitt_device_free(struct kitt_device *dev);
int kitt_device_set_path(struct kitt_device *dev, const char *path);
int kitt_device_set_flag(struct kitt_device *dev, bool *flag, bool val);
int kitt_device_enable(struct kitt_device *dev, bool enable);
int kitt_device_rescan(struct kitt_device *dev);
int kitt_device_resize(struct kitt_device *dev, u64 bytes);
void kitt_device_set_wce(struct kitt_device *dev, bool wce);
struct kitt_target *kitt_target_alloc(const char *name);
int kitt_target_add(struct kitt_target *target);
void kitt_target_remove(struct kitt_target *target);
struct kitt_tpg *kitt_tpg_alloc(struct kitt_target *target, u16 tpgt);
int kitt_tpg_add(struct kitt_tpg *tpg);
void kitt_tpg_remove(struct kitt_tpg *tpg);
void kitt_tpg_free(struct kitt_tpg *tpg);
void kitt_tpg_enable(struct kitt_tpg *tpg, bool enable);
int kitt_tpg_set_alua_state(struct kitt_tpg *tpg, u8 state);
unsigned int kitt_tpg_alua_groups(struct kitt_target *target, const struct kitt_device *dev,
				  struct kitt_alua_group *groups, unsigned int max);
int kitt_tpg_alua_stpg(struct kitt_target *target, const struct kitt_device *dev,
		       const u16 *ids, const u8 *states, unsigned int n, unsigned int *bad,
		       const struct kitt_device **devs, unsigned int *nr_devs);
struct kitt_acl *kitt_acl_alloc(struct kitt_tpg *tpg, const char *initiator);
int kitt_acl_add(struct kitt_acl *acl);
void kitt_acl_remove(struct kitt_acl *acl);
void kitt_acl_free(struct kitt_acl *acl);
struct kitt_portal *kitt_portal_alloc(struct kitt_tpg *tpg, const char *name);
int kitt_portal_add(struct kitt_portal *portal);
void kitt_portal_remove(struct kitt_portal *portal);
void kitt_portal_free(struct kitt_portal *portal);
int kitt_lun_map(struct kitt_tpg *tpg, u32 nr, struct kitt_device *dev);
void kitt_lun_unmap(struct kitt_tpg *tpg, struct kitt_device *dev);

/*
 * Lookups used by login; callers hold kitt_config_lock, and the results
 * stay valid until they drop it; kitt_acl_find() also needs tpg->lock
 * (the ACL list and credentials). Names compare without regard to case.
 * kitt_tpg_find() picks the portal group of @t that has a portal on
 * exactly listener @l's address @addr, else one with a wildcard portal
 * (0.0.0.0 or [::]) on the same port and family; gone groups are skipped
 * but disabled ones are returned (login checks tpg->enabled under
 * tpg->lock to say why it refuses). *@portal is set to the portal that
 * matched.
 */
struct kitt_target *kitt_target_find(const char *name);
struct kitt_tpg *kitt_tpg_find(struct kitt_target *t, const struct kitt_listener *l,
			       const struct sockaddr_storage *addr, struct kitt_portal **portal);
struct kitt_acl *kitt_acl_find(struct kitt_tpg *tpg, const char *initiator);

/*
 * Data path LUN lookup; takes a reference on success, which keeps the
 * LUN and its device usable until kitt_lun_put(). Callable in any
 * context (RCU inside).
 */
struct kitt_lun *kitt_lun_get(struct kitt_tpg *tpg, struct kitt_acl_luns *luns, u64 lun,
			      bool *wp);
void kitt_lun_put(struct kitt_lun *lun);
struct kitt_lun *kitt_lun_rcu(struct kitt_tpg *tpg, struct kitt_acl_luns *luns, u64 lun,
			      bool *wp);
bool kitt_lun_map_shows(struct kitt_acl_luns *luns, u16 tpg_lun, u64 lun);

/* An ACL's LUN map (tpg.c); see Documentation/configfs.rst. */
struct kitt_acl_luns *kitt_acl_luns_get(struct kitt_acl *acl);
void kitt_acl_luns_put(struct kitt_acl_luns *luns);
struct kitt_acl_lun *kitt_acl_lun_alloc(struct kitt_acl *acl, u16 lun);
int kitt_acl_lun_add(struct kitt_acl_lun *al);
void kitt_acl_lun_remove(struct kitt_acl_lun *al);
int kitt_acl_lun_set(struct kitt_acl_lun *al, u32 tpg_lun, int write_protect);
int kitt_acl_set_masked(struct kitt_acl *acl, bool masked);

/*
 * addr.c: portal addresses. Parse "<ipv4>[:<port>]" or "[<ipv6>[%<scope>]][:<port>]" (port
 * kitt_default_port when absent); 0 or -EINVAL.
 */
int kitt_parse_portal_addr(const char *name, struct sockaddr_storage *ss);
bool kitt_addr_equal(const struct sockaddr_storage *a,
		     const struct sockaddr_storage *b);
bool kitt_addr_is_wildcard(const struct sockaddr_storage *a);
__be16 kitt_addr_port(const struct sockaddr_storage *a);
/* @wild is a wildcard on the same family and port as @a (a specific address). */
bool kitt_addr_covers(const struct sockaddr_storage *wild,
		      const struct sockaddr_storage *a);
/*
 * portal.c: shared listeners, one per address, refcounted by portals;
 * reached from tpg.c through kitt_iscsi_fabric (listener_get/put, and
 * close_portal for the connections that came through a removed portal).
 */
extern const struct kitt_fabric_ops kitt_iscsi_fabric;
/* KITT-SECTION-CONFIG-END */

/* ------------------------------------------------------------------ */
/* stats.c: statistics of the objects above and of the runtime      */
/* ------------------------------------------------------------------ */

/* Latency histogram buckets: up to 50 us ... 5 s, and beyond. */
#define KITT_LAT_BUCKETS	17

enum kitt_stat_cmd_kind {
	KITT_STAT_CMD_READ,
	KITT_STAT_CMD_WRITE,
	KITT_STAT_CMD_OTHER,
	KITT_STAT_NR_CMD_KINDS
};

/* Commands that did not end GOOD, by status and sense key. */
enum kitt_stat_error {
	KITT_STAT_ERR_NOT_READY,
	KITT_STAT_ERR_MEDIUM,
	KITT_STAT_ERR_HARDWARE,
	KITT_STAT_ERR_ILLEGAL_REQUEST,
	KITT_STAT_ERR_UNIT_ATTENTION,
	KITT_STAT_ERR_DATA_PROTECT,
	KITT_STAT_ERR_ABORTED_COMMAND,
	KITT_STAT_ERR_MISCOMPARE,
	KITT_STAT_ERR_OTHER_SENSE,
	KITT_STAT_ERR_BUSY,
	KITT_STAT_ERR_TASK_SET_FULL,
	KITT_STAT_ERR_RESERVATION_CONFLICT,
	KITT_STAT_NR_ERRORS
};

/* Task management functions, indexed by ISCSI_TM_FUNC_* (0: unknown). */
#define KITT_STAT_NR_TMFS	(ISCSI_TM_FUNC_TASK_REASSIGN + 1)

/**
 * struct kitt_io_stats - one CPU's command counters of a LUN or a
 *	connection
 * @cmds: completed commands by enum kitt_stat_cmd_kind
 * @read_bytes: @write_bytes: data moved by the completed commands
 * @errors: those that did not end GOOD, by enum kitt_stat_error
 * @in_flight: commands started minus ended on this CPU (the sum counts)
 */
struct kitt_io_stats {
	u64 cmds[KITT_STAT_NR_CMD_KINDS];
	u64 read_bytes;
	u64 write_bytes;
	u64 errors[KITT_STAT_NR_ERRORS];
	long in_flight;
};

/**
 * struct kitt_lun_stats - one CPU's counters of a LUN
 * @io: its commands
 * @latency: completed commands by latency bucket
 * @latency_sum_ns: their total latency
 */
struct kitt_lun_stats {
	struct kitt_io_stats io;
	u64 latency[KITT_LAT_BUCKETS];
	u64 latency_sum_ns;
};

/**
 * struct kitt_conn_pcpu - one CPU's counters of a connection
 * @io: its commands
 * @rx_pdus: @tx_pdus: PDUs received and sent
 * @rx_bytes: @tx_bytes: bytes received and sent
 * @digest_errors: PDUs received with a bad header or data digest
 */
struct kitt_conn_pcpu {
	struct kitt_io_stats io;
	u64 rx_pdus;
	u64 tx_pdus;
	u64 rx_bytes;
	u64 tx_bytes;
	u64 digest_errors;
};

/**
 * struct kitt_stats_totals - command counters added up over CPUs and
 *	objects, as a statistics file shows them
 * @cmds: @read_bytes: @write_bytes: @errors: as in struct kitt_io_stats
 * @tmfs: task management functions, by ISCSI_TM_FUNC_* (0: unknown)
 * @in_flight: commands in the target now
 */
struct kitt_stats_totals {
	u64 cmds[KITT_STAT_NR_CMD_KINDS];
	u64 read_bytes;
	u64 write_bytes;
	u64 errors[KITT_STAT_NR_ERRORS];
	u64 tmfs[KITT_STAT_NR_TMFS];
	long in_flight;
};

/**
 * struct kitt_stats_sum - the counters of an object that its connections
 *	count for it (a session, a portal)
 * @conns: its live connections (struct kitt_conn_stats), under the
 *	statistics lock
 * @retired: what those that went counted, likewise
 */
struct kitt_stats_sum {
	struct list_head conns;
	struct kitt_stats_totals retired;
};

/**
 * struct kitt_conn_stats - a connection's counters. Its commands count
 * here and in their LUN only; the session and the portal it came in
 * through (and so the portal group and the target) add its counters up
 * when read, and keep them when it goes.
 * @pcpu: per CPU: the data path adds to its own CPU's copy
 * @tmfs: task management functions received, by function (rare: atomic)
 * @sess_node: entry in @sess->conns, under the statistics lock
 * @portal_node: entry in the portal's list, likewise
 * @sess: the session's sum, or NULL; likewise
 * @portal: the portal's node (a reference), or NULL; likewise
 */
struct kitt_conn_stats {
	struct kitt_conn_pcpu __percpu *pcpu;
	atomic64_t tmfs[KITT_STAT_NR_TMFS];
	struct list_head sess_node;
	struct list_head portal_node;
	struct kitt_stats_sum *sess;
	struct kitt_stats_node *portal;
};

int kitt_stats_init(struct kobject *kitt_kobj);
void kitt_stats_exit(struct kobject *kitt_kobj);
struct kitt_stats_node *kitt_stats_target_add(const char *name);
struct kitt_stats_node *kitt_stats_tpg_add(struct kitt_stats_node *target, u16 tpgt);
struct kitt_stats_node *kitt_stats_portal_add(struct kitt_stats_node *tpg,
					      const struct sockaddr_storage *addr);
struct kitt_stats_node *kitt_stats_lun_add(struct kitt_stats_node *tpg, u32 lun);
void kitt_stats_node_del(struct kitt_stats_node *node);
struct kitt_stats_node *kitt_stats_node_get(struct kitt_stats_node *node);
void kitt_stats_node_put(struct kitt_stats_node *node);
void kitt_stats_login(struct kitt_stats_node *node, enum kitt_login_outcome outcome);
void kitt_stats_tmf(struct kitt_conn_stats *cs, struct kitt_stats_node *lun, u8 function);
void kitt_stats_lun_start(struct kitt_stats_node *node);
void kitt_stats_lun_end(struct kitt_stats_node *node);
void kitt_stats_cmd_start(struct kitt_conn_stats *cs);
void kitt_stats_cmd_end(struct kitt_conn_stats *cs);
void kitt_stats_cmd_done(struct kitt_stats_node *lun, struct kitt_conn_stats *cs,
			 enum kitt_stat_cmd_kind kind, u32 bytes, int error, u64 latency_ns);
int kitt_stats_error_kind(u8 status, const u8 *sense, u32 sense_len);
unsigned int kitt_stats_latency_bucket(u64 ns);
void kitt_stats_io_add(struct kitt_stats_totals *t, const struct kitt_io_stats *c);
void kitt_stats_totals_fold(struct kitt_stats_totals *dst, const struct kitt_stats_totals *src);
int kitt_stats_io_print(const struct kitt_stats_totals *t, char *buf, size_t size);
int kitt_stats_tmfs_print(const struct kitt_stats_totals *t, char *buf, size_t size);
void kitt_stats_sum_init(struct kitt_stats_sum *sum);
ssize_t kitt_stats_sum_show(struct kitt_stats_sum *sum, bool tmfs, char *buf);
int kitt_stats_conn_init(struct kitt_conn_stats *cs);
void kitt_stats_conn_attach(struct kitt_conn_stats *cs, struct kitt_stats_sum *sess,
			    struct kitt_stats_node *portal);
void kitt_stats_conn_detach(struct kitt_conn_stats *cs);
void kitt_stats_conn_exit(struct kitt_conn_stats *cs);
void kitt_stats_conn_bytes(struct kitt_conn_stats *cs, u64 *rx, u64 *tx);
ssize_t kitt_stats_conn_show(struct kitt_conn_stats *cs, bool tmfs, char *buf);

/* ------------------------------------------------------------------ */
/* Runtime: connections, sessions, tasks (conn.c session.c task.c)    */
/* ------------------------------------------------------------------ */
/* KITT-SECTION-RUNTIME-BEGIN */
/*
 * Runtime state: connections, sessions and tasks. Nothing here is
 * configuration; it is shown under /sys/kernel/kitt/ (sysfs.c).
 *
 * Threads: each connection has a receive thread (login, then PDU
 * dispatch and command execution) and, once in full feature phase, a
 * transmit thread that sends everything the target says. Bio completions
 * and the receive thread hand work to the transmit thread through
 * conn->tx_queue; the receive thread also sends, between PDUs: what it
 * queued itself when no input waits, and short responses it gathered
 * while input did (kitt_conn_flush(), kitt_conn_kick()).
 *
 * Locking, outermost first (none of the configuration locks above is
 * held with any of these, except that login takes kitt_config_lock and
 * tpg->lock from a receive thread that holds nothing):
 *   kitt_conns_lock      (conn.c, mutex) the list of connections and
 *                        the pinned connections per CPU; held while
 *                        kitt_conn_close_matching() shuts sockets
 *                        down, never while waiting for them
 *   kitt_sessions_lock   (mutex) session creation, lookup and removal
 *   conn->send_lock      (mutex) one sender at a time, in queue order
 *   sess->lock           (spinlock, irq) the command window, the
 *                        session's connections and parked commands
 *   sess->tasks_lock     (spinlock) the ITT table, task context only
 *   task->lock           (spinlock, irq) a task's state and write data
 *                        bookkeeping; never held with sess->tasks_lock
 *   conn->tx_lock, conn->pool_lock, conn->inflight_wait.lock,
 *   dev->range_lock      (spinlocks, irq) innermost; nothing is taken
 *                        inside them
 * Bio completions take only spinlocks. A sender (under send_lock) takes
 * sess->lock to fill in the window, task->lock and the ITT table's lock
 * one at a time, and conn->tx_lock to dequeue.
 */
struct kitt_conn;
struct kitt_session;
struct kitt_task;

/**
 * struct kitt_login_gate - the connections in login through one listener
 * @count: accepted and not yet past their login (or gone)
 * @wait: woken when @count drops; the listener waits here before it
 *	accepts more than kitt_max_login_conns
 */
struct kitt_login_gate {
	atomic_t count;
	wait_queue_head_t wait;
};

/*
 * Called by the listener thread for each accepted socket; takes
 * ownership of @sock (releases it on failure). @addr is @l's address;
 * @gate counts the connection while it is in login.
 */
void kitt_conn_accept(struct kitt_listener *l, const struct sockaddr_storage *addr,
		      struct kitt_login_gate *gate, struct socket *sock);
/*
 * Close every connection accepted through @l (logged in or not) and
 * wait until they are gone. Called when the last portal using @l goes.
 */
void kitt_conn_close_listener(struct kitt_listener *l);
/*
 * Close every session of @tpg and wait until they are freed. Called
 * before a portal group is removed. Connections of @tpg that arrived
 * through @l only, when @l is non-NULL (a portal of @tpg was removed).
 */
void kitt_session_close_tpg(struct kitt_tpg *tpg, struct kitt_listener *l);
/* Close the sessions of @initiator in @tpg (its ACL was removed). */
void kitt_session_close_initiator(struct kitt_tpg *tpg, const char *initiator);
void kitt_session_ua_dev(const struct kitt_device *dev, enum kitt_ua_cond cond,
			 const struct kitt_session *skip);
void kitt_session_luns_changed(struct kitt_tpg *tpg, u64 lun);
void kitt_session_acl_luns_changed(struct kitt_tpg *tpg, const struct kitt_acl_luns *luns);
void kitt_session_ua_alua(const struct kitt_target *target,
			  const struct kitt_device * const *devs, unsigned int nr_devs,
			  const struct kitt_session *skip);
void kitt_session_ua_port(const struct kitt_device *dev, const struct kitt_pr_ua *ua);

struct kitt_tx_item;

/**
 * struct kitt_tx_ops - what the transmit side does with a queued item
 * @send: send it, then let go of it; returns 0 or a send error (the
 *	connection then ends)
 * @drop: let go of it unsent (the connection is ending)
 */
struct kitt_tx_ops {
	int (*send)(struct kitt_conn *conn, struct kitt_tx_item *item);
	void (*drop)(struct kitt_conn *conn, struct kitt_tx_item *item);
};

/**
 * struct kitt_tx_item - an entry of a connection's transmit queue.
 * @node: entry in conn->tx_queue, under conn->tx_lock
 * @ops: how to send it: a control PDU (conn.c), R2Ts or a task's response
 *	(task.c)
 * @ctl_len: for a control PDU, the bytes allocated for its data (at least
 *	what it sends): control PDUs count against KITT_CONN_CTL_QUEUE_MAX and
 *	KITT_CONN_CTL_BYTES_MAX
 * @ctl: it is a control PDU
 * @data_in: for a response, the bytes its read data takes of the socket's send
 *	buffer (kitt_conn_data_in_room(); kitt_conn_flush() sends it from the
 *	receive thread only if it fits)
 */
struct kitt_tx_item {
	struct list_head node;
	const struct kitt_tx_ops *ops;
	u32 ctl_len;
	u32 data_in;
	bool ctl;
};

/**
 * struct kitt_ctl_pdu - a control PDU built by the receive thread.
 * @tx: queue entry
 * @bhs: the header; StatSN, ExpCmdSN and MaxCmdSN are filled in at send
 *	time when @stat_fields is set
 * @stat_fields: fill the StatSN/ExpCmdSN/MaxCmdSN fields at send time
 * @advance_statsn: this PDU consumes a StatSN
 * @close_after: shut the connection down once this PDU is sent (Logout)
 * @data_len: bytes of @data to send
 * @alloc_len: bytes allocated for @data (a Text response may use less)
 * @data: the data segment (kmalloc'ed, sent by copy)
 */
struct kitt_ctl_pdu {
	struct kitt_tx_item tx;
	struct iscsi_hdr bhs;
	bool stat_fields;
	bool advance_statsn;
	bool close_after;
	u32 data_len;
	u32 alloc_len;
	u8 data[];
};

/*
 * What a peer can make kitt hold (Documentation/admin-guide.rst, "Limits"):
 * control PDUs queued on a connection before its receive thread stops
 * reading (NOP-In, Text, Reject, TMF and Logout responses), and their data
 * bytes; the room a Text response is built in; SCSI commands with the I bit
 * outstanding per session (non-immediate ones are bounded by the command
 * window, attrib/cmdsn_depth); and how long unmapping a LUN waits for the
 * commands that use it before it closes their connections.
 */
#define KITT_CONN_CTL_QUEUE_MAX		64
#define KITT_CONN_CTL_BYTES_MAX		SZ_1M
#define KITT_TEXT_RSP_MAX		SZ_64K
#define KITT_MAX_IMMEDIATE_CMDS		16
/* Chains of a session's ITT table (sess->tasks): 512 bytes. */
#define KITT_TASK_HASH_BITS		6
#define KITT_TASK_HASH_SIZE		BIT(KITT_TASK_HASH_BITS)
#define KITT_LUN_DRAIN_TIMEOUT		(5 * HZ)

/* Connection states */
enum kitt_conn_state {
	KITT_CONN_LOGIN,
	KITT_CONN_FULL_FEATURE,
	KITT_CONN_CLOSING,
};

/**
 * struct kitt_conn - one TCP connection.
 * @sock: the socket
 * @listener: where it was accepted (a reference is not held: listeners
 *	close their connections before they go)
 * @listen_addr: @listener's address (a portal group's portals name it)
 * @sess: the session, set when login completes (or at leading login)
 * @tpg: the session's portal group, kept for matching without touching
 *	@sess (connections are matched under the connection list lock)
 * @initiator: the session's InitiatorName, likewise
 * @acl_luns: the LUN map of the ACL the login found (a reference), until
 *	a new session takes it over; NULL without an ACL
 * @state: enum kitt_conn_state; written by the receive thread
 * @cid: connection ID from the login request
 * @rx_thread: receive thread, frees the connection when it ends
 * @tx_thread: transmit thread in full feature phase
 * @cpu: the CPU both threads run on in full feature phase, or -1
 *	(kitt_pin_threads)
 * @discovery_counted: counted in kitt_discovery_conns (max_discovery_conns)
 * @tx_lock: protects @tx_queue
 * @tx_queue: struct kitt_tx_item waiting to be sent
 * @tx_wait: the transmit thread sleeps here
 * @send_lock: held by whoever sends queued items (the transmit thread, or
 *	the receive thread between PDUs), so PDUs go out whole and in order
 * @tx_failed: a send failed; the rest is dropped
 * @stat_sn: next StatSN; used by the transmit thread only (and by the
 *	receive thread during login, before the transmit thread exists)
 * @exp_stat_sn: last ExpStatSN the initiator acknowledged
 * @header_digest: CRC32C on headers (both ways)
 * @data_digest: CRC32C on data segments (both ways)
 * @max_recv_dsl: largest data segment the initiator may send us
 * @max_xmit_dsl: largest data segment we may send
 * @rx_buf: data segment buffer for control PDUs (@max_recv_dsl bytes)
 * @rx_stash: bytes read from the socket and not yet consumed
 *	(KITT_RX_STASH_SIZE); @rx_stash_off: where they start;
 *	@rx_stash_len: how many; receive thread only
 * @rx_scan: where PDU boundaries fall in what was read (sizes refills)
 * @rx_hash: running CRC32C of the data segment being received (with data
 *	digests); @rx_hashing: received bytes go into it
 * @pool_lock: protects the page pool
 * @pool: ring of KITT_CONN_POOL_PAGES data pages for reuse
 *	(kitt_conn_page_get()); @pool_head: oldest entry; @pool_count: entries
 * @inflight: tasks of this connection that may still touch it (bios in
 *	flight, queued for transmit); teardown waits for zero
 * @inflight_wait: woken when @inflight drops to zero
 * @node: entry in the global connection list, under kitt_conns_lock
 * @sess_node: entry in sess->conns, under sess->lock
 * @rx_deadline: jiffies by which reads must be done, 0 for none: the
 *	login's end; in a discovery session, the next request's arrival
 *	(discovery_idle_timeout after the last one)
 * @login_start: jiffies when the connection was accepted
 * @login_stats: the statistics of the target, portal group and portal the
 *	login reached (references, dropped when the login ends)
 * @nopin_ttt: TTT of the outstanding target NOP-In ping, or 0xffffffff
 * @nopin_sent: jiffies when that ping went out
 * @last_rx: jiffies of the last PDU received
 * @local: local address; @peer: the initiator's address
 * @id: number for logs and sysfs
 * @stats: its counters, shown in sysfs (stats.c)
 * @kobj: sessions/<id>/connections/<cid>; @kobj_added: it is shown
 */
struct kitt_conn {
	struct socket *sock;
	struct kitt_listener *listener;
	struct sockaddr_storage listen_addr;
	struct kitt_session *sess;
	struct kitt_tpg *tpg;
	struct kitt_acl_luns *acl_luns;
	char initiator[KITT_NAME_MAX];
	int state;
	u16 cid;
	struct task_struct *rx_thread;
	struct task_struct *tx_thread;
	int cpu;
	bool discovery_counted;
	spinlock_t tx_lock;		/* protects tx_queue */
	struct mutex send_lock;		/* one sender at a time, in queue order */
	bool tx_failed;
	struct list_head tx_queue;
	wait_queue_head_t tx_wait;
	unsigned int ctl_queued;	/* control PDUs in tx_queue, under tx_lock */
	unsigned int tx_queued;		/* items in tx_queue, under tx_lock */
	u32 tx_data_in;			/* read data bytes in tx_queue, on the wire */
	u32 ctl_bytes;			/* and their data bytes */
	wait_queue_head_t tx_room_wait;	/* the receive thread waits for room */
	bool shut;			/* kitt_conn_shutdown() was called */
	struct kitt_login_gate *login_gate;	/* while in login */
	u32 stat_sn;
	u32 exp_stat_sn;
	bool header_digest;
	bool data_digest;
	u32 max_recv_dsl;
	u32 max_xmit_dsl;
	u8 *rx_buf;
	u32 rx_buf_size;
	u8 *rx_stash;
	u32 rx_stash_off;
	u32 rx_stash_len;
	struct kitt_rx_scan rx_scan;
	struct ahash_request *rx_hash;
	bool rx_hashing;
	spinlock_t pool_lock;		/* protects pool, pool_head, pool_count */
	struct page **pool;
	unsigned int pool_head;
	unsigned int pool_count;
	atomic_t inflight;
	wait_queue_head_t inflight_wait;
	struct list_head node;
	struct list_head sess_node;
	unsigned long rx_deadline;
	unsigned long login_start;
	struct kitt_stats_node *login_stats[3];
	u32 nopin_ttt;
	unsigned long nopin_sent;
	unsigned long last_rx;
	struct sockaddr_storage local;
	struct sockaddr_storage peer;
	u32 id;
	struct kitt_conn_stats stats;
	struct kobject kobj;
	bool kobj_added;
};

/**
 * struct kitt_rx_pdu - a received PDU header, validated.
 * @bhs: the Basic Header Segment
 * @ahs: Additional Header Segments
 * @ahs_len: bytes of @ahs
 * @info: what the validation found (data length, ...)
 * @replay: a request that waited behind a CmdSN gap: its data segment is
 *	in conn->rx_buf already and its CmdSN consumed
 */
struct kitt_rx_pdu {
	struct iscsi_hdr bhs;
	struct kitt_pdu_info info;
	u32 ahs_len;
	u8 ahs[KITT_MAX_AHS_LEN];
	bool replay;
};

/*
 * Requests other than SCSI commands that may wait behind a CmdSN gap, per
 * session, and the data each may bring; more end the connection.
 */
#define KITT_CTL_PARKED_MAX	16
#define KITT_CTL_PARKED_DATA	SZ_8K

/**
 * struct kitt_ctl_parked - a NOP-Out, Text, Logout or Task Management
 *	request that arrived ahead of ExpCmdSN, kept until the gap fills
 * @node: entry in sess->pending_ctl, under sess->lock
 * @cmd_sn: its CmdSN
 * @len: bytes of @data, at most KITT_CTL_PARKED_DATA
 * @plug: no request: a CmdSN counted as received without its command
 *	(kitt_session_plug_cmdsn()), consumed in turn and nothing run
 * @rx: its header
 * @data: its data segment
 */
struct kitt_ctl_parked {
	struct list_head node;
	u32 cmd_sn;
	u32 len;
	bool plug;
	struct kitt_rx_pdu rx;
	u8 data[];
};

/* The receive stash: its size, and the read size that bypasses it. */
#define KITT_RX_STASH_SIZE	SZ_16K
#define KITT_RX_STASH_DIRECT	PAGE_SIZE
/* Data pages a connection keeps for reuse (4 MB with 4 KB pages). */
#define KITT_CONN_POOL_PAGES	1024

/* conn.c */
void kitt_conn_shutdown(struct kitt_conn *conn);
struct iov_iter;
int kitt_conn_recv_iter(struct kitt_conn *conn, struct iov_iter *to);
struct page *kitt_conn_page_get(struct kitt_conn *conn);
void kitt_conn_page_put(struct kitt_conn *conn, struct page *page);
void kitt_conn_pool_free(struct kitt_conn *conn);
int kitt_conn_data_begin(struct kitt_conn *conn);
int kitt_conn_recv_digest(struct kitt_conn *conn, u32 len);
int kitt_conn_recv_segment(struct kitt_conn *conn, void *buf, u32 len);
int kitt_conn_recv_header(struct kitt_conn *conn, struct kitt_rx_pdu *pdu, bool login);
int kitt_conn_skip_data(struct kitt_conn *conn, u32 len);
struct kvec;
int kitt_conn_send_kvec(struct kitt_conn *conn, struct kvec *iov, unsigned int n, bool more);
unsigned int kitt_conn_trailer(struct kitt_conn *conn, struct kvec *iov, u32 len, u32 crc,
			       __le32 *digest);
int kitt_conn_send_iov(struct kitt_conn *conn, const struct iscsi_hdr *bhs,
		       const void *data, u32 len, bool more);
struct bio_vec;
int kitt_conn_send_pages(struct kitt_conn *conn, const struct bio_vec *bv,
			 unsigned int nr, size_t len, bool more);
void kitt_conn_queue(struct kitt_conn *conn, struct kitt_tx_item *item);
u32 kitt_conn_data_in_room(struct kitt_conn *conn, u32 len, u32 burst);
void kitt_conn_queue_ctl(struct kitt_conn *conn, struct kitt_ctl_pdu *pdu);
void kitt_conn_flush(struct kitt_conn *conn);
void kitt_conn_kick(struct kitt_conn *conn);
int kitt_conn_wait_room(struct kitt_conn *conn);
void kitt_conn_inflight_put(struct kitt_conn *conn);
void kitt_ctl_pdu_free(struct kitt_ctl_pdu *pdu);
struct kitt_ctl_pdu *kitt_ctl_pdu_alloc(u32 len, gfp_t gfp);
struct kitt_ctl_pdu *kitt_ctl_rsp_alloc(u8 opcode, itt_t itt, u32 len);
void kitt_conn_fill_stat(struct kitt_conn *conn, __be32 *statsn, bool advance,
			 __be32 *exp_cmdsn, __be32 *max_cmdsn);
int kitt_conn_set_rx_buf(struct kitt_conn *conn, u32 size);
int kitt_conn_set_digests(struct kitt_conn *conn, bool header_digest, bool data_digest);
int kitt_conn_init(void);
void kitt_conn_exit(void);
void kitt_conn_close_matching(bool (*match)(struct kitt_conn *conn, void *arg), void *arg);
unsigned int kitt_conn_visit_ffp(bool (*fn)(struct kitt_conn *conn, void *arg), void *arg);

/**
 * struct kitt_session - an iSCSI session (normal or discovery).
 * @kobj: /sys/kernel/kitt/sessions/<id>; its release frees the session
 * @conns_kobj: its connections/ directory
 * @tpg: the portal group (NULL for discovery sessions); it outlives the
 *	session: removal closes its sessions and waits
 * @initiator: InitiatorName
 * @target: TargetName (empty for discovery)
 * @isid: the initiator's session ID
 * @tsih: our session handle
 * @discovery: a discovery session
 * @params: the negotiated values
 * @lock: protects the command window, @conns, @pending, @pending_ctl,
 *	@ctl_parked, @closing, @copy_status
 * @exp_cmd_sn: next CmdSN expected
 * @cmdsn_depth: window size: MaxCmdSN = ExpCmdSN + depth - 1
 * @conns: struct kitt_conn, through conn->sess_node
 * @nr_conns: entries in @conns
 * @pending: commands that arrived ahead of ExpCmdSN
 * @pending_ctl: NOP-Out, Text, Logout and Task Management requests that
 *	arrived ahead of ExpCmdSN (struct kitt_ctl_parked, session.c)
 * @ctl_parked: how many are in @pending_ctl, at most KITT_CTL_PARKED_MAX
 * @tasks_lock: protects @tasks; only task context takes it (interrupts
 *	stay on)
 * @tasks: the ITT table, for Data-Out, TMF and duplicates: struct
 *	kitt_task by hashed ITT (task->itt_node), each chain in ITT order. A
 *	fixed array, so that a command costs no allocation here; its chains
 *	hold at most the session's commands (the command window and
 *	KITT_MAX_IMMEDIATE_CMDS)
 * @itt_salt: random, mixed into the hash of an ITT so that a peer cannot
 *	choose ITTs that fill one chain
 * @next_ttt: Target Transfer Tags handed out in R2Ts
 * @closing: being torn down; no new connections or commands
 * @node: entry in the session list, under kitt_sessions_lock
 * @id: number in sysfs and logs
 * @stats: its counters, which its connections keep (stats.c)
 * @copy_status: outcomes of EXTENDED COPY kept for COPY STATUS, by list
 *	identifier; the oldest is replaced (copy.c)
 * @copy_status_next: the entry to replace next
 * @acl_luns: the LUNs its ACL shows (a reference), or NULL: every LUN of
 *	@tpg (no ACL, or a discovery session)
 * @ua: unit attentions pending per I_T_L nexus, by LUN: bit masks of
 *	BIT(enum kitt_ua_cond), changed with atomic bit operations
 */
struct kitt_session {
	struct kobject kobj;
	struct kobject *conns_kobj;
	struct kitt_tpg *tpg;
	char initiator[KITT_NAME_MAX];
	char target[KITT_NAME_MAX];
	u8 isid[6];
	u16 tsih;
	bool discovery;
	struct kitt_sess_params params;
	spinlock_t lock;		/* command window, conns, pending */
	u32 exp_cmd_sn;
	u32 cmdsn_depth;
	u32 cmds_active;	/* commands that took a window slot, unanswered */
	u32 imm_active;		/* immediate SCSI commands, unanswered */
	struct list_head conns;
	unsigned int nr_conns;
	struct list_head pending;
	struct list_head pending_ctl;
	unsigned int ctl_parked;
	spinlock_t tasks_lock;		/* the ITT table */
	struct hlist_head tasks[KITT_TASK_HASH_SIZE];
	u32 itt_salt;
	atomic_t next_ttt;
	bool closing;
	struct list_head node;
	u32 id;
	struct kitt_stats_sum stats;
	struct kitt_xcopy_status copy_status[KITT_XCOPY_KEPT_STATUS];
	unsigned int copy_status_next;
	struct kitt_acl_luns *acl_luns;
	unsigned long ua[KITT_MAX_LUNS];
};

/*
 * kitt_session_nexus() - the I_T nexus of a session, as reservations see
 * it; the strings point into @sess. (Inline: copy.c and task.c both use
 * it, and a call from copy.c into either would close a call cycle.)
 */
static inline void kitt_session_nexus(struct kitt_session *sess, struct kitt_pr_nexus *n)
{
	n->initiator = sess->initiator;
	n->isid = sess->isid;
	n->target = sess->target;
	n->tpgt = sess->tpg ? sess->tpg->tpgt : 0;
}

/*
 * kitt_session_lun_rcu() - the LUN a session sees as @lun, under RCU
 * (through its ACL's map), or NULL.
 */
static inline struct kitt_lun *kitt_session_lun_rcu(struct kitt_session *sess, u64 lun)
{
	bool wp;

	return sess->tpg ? kitt_lun_rcu(sess->tpg, sess->acl_luns, lun, &wp) : NULL;
}

/* Serialises session creation, lookup and removal. */
extern struct mutex kitt_sessions_lock;
extern struct list_head kitt_sessions;

/* session.c */
void kitt_session_window(struct kitt_session *sess, u32 *exp, u32 *max);
long kitt_session_nopin_check(struct kitt_conn *conn);
int kitt_session_rx_loop(struct kitt_conn *conn);
void kitt_session_conn_stop(struct kitt_conn *conn);
void kitt_session_conn_gone(struct kitt_conn *conn);
struct kitt_session *kitt_session_alloc(void);
void kitt_session_put(struct kitt_session *sess);

/**
 * struct kitt_itt_cursor - where a walk of a session's ITT table is
 * @bucket: the chain it is in
 * @after: the ITT it passed last in that chain, if @started
 * @started: @after is valid
 *
 * Zero-initialised, it starts at the beginning.
 */
struct kitt_itt_cursor {
	unsigned int bucket;
	u32 after;
	bool started;
};

int kitt_session_task_add(struct kitt_session *sess, struct kitt_task *task);
struct kitt_task *kitt_session_task_find(struct kitt_session *sess, itt_t itt);
void kitt_session_task_del(struct kitt_task *task);
unsigned int kitt_session_task_batch(struct kitt_session *sess, struct kitt_itt_cursor *c,
				     bool (*match)(struct kitt_task *task, const void *arg),
				     const void *arg, struct kitt_task **batch, unsigned int max);
unsigned int kitt_session_collect(struct kitt_session ***out,
				  bool (*match)(struct kitt_session *sess, const void *arg),
				  const void *arg, const struct kitt_session *skip);
bool kitt_session_maps_dev(struct kitt_session *sess, const void *dev);
bool kitt_session_is_port(struct kitt_session *sess, const void *pr_ua);
int kitt_session_publish(struct kitt_session *sess);
struct kitt_session *kitt_session_find_tsih(u16 tsih);
void kitt_session_reinstate(struct kitt_session *sess);
int kitt_session_cmdsn(struct kitt_conn *conn, u32 cmdsn, bool immediate);
int kitt_session_ctl_window(struct kitt_conn *conn, struct kitt_rx_pdu *rx, u32 cmdsn,
			    u32 len);
struct kitt_ctl_parked *kitt_session_next_ctl(struct kitt_session *sess);
int kitt_session_park_ctl(struct kitt_session *sess, struct kitt_ctl_parked *p);
void kitt_session_plug_cmdsn(struct kitt_session *sess, u32 cmdsn);
struct kitt_task *kitt_session_next_pending(struct kitt_session *sess);
bool kitt_session_park(struct kitt_session *sess, struct kitt_task *task);
int kitt_session_cmd_slot(struct kitt_conn *conn, u32 cmdsn, bool immediate,
			  struct kitt_task *task);
void kitt_session_cmd_retire(struct kitt_task *task);
int kitt_session_reject(struct kitt_conn *conn, const struct iscsi_hdr *bhs, u8 reason);
void kitt_io_wake(void);
void kitt_io_wait_task(struct kitt_task *task);

enum kitt_cmdsn_verdict {
	KITT_CMDSN_EXEC,	/* in order (or immediate): run it now */
	KITT_CMDSN_LATER,	/* ahead of ExpCmdSN, inside the window */
	KITT_CMDSN_DROP,	/* outside the window: drop silently */
	KITT_CMDSN_BUSY,	/* immediate, KITT_MAX_IMMEDIATE_CMDS in the target */
};

/* copy.c: the copy manager (EXTENDED COPY between a session's LUNs) */
void kitt_copy_run(struct kitt_task *task, const u8 *param);
void kitt_copy_status(struct kitt_task *task);

/* conn_login.c: the login phase of a new connection */
int kitt_login_run(struct kitt_conn *conn);

/**
 * struct kitt_text_asker - the session behind a Text Request, as
 *	discovery.c sees it
 * @discovery: a discovery session (may ask SendTargets=All)
 * @initiator: its InitiatorName
 * @target: its TargetName (a normal session sees only its own)
 * @local: the connection's local address, answered for wildcard portals
 */
struct kitt_text_asker {
	bool discovery;
	const char *initiator;
	const char *target;
	const struct sockaddr_storage *local;
};

/* discovery.c: the keys of a Text Request in full feature phase. */
int kitt_discovery_text_keys(const struct kitt_text_asker *who, const char *data, u32 len,
			     struct kitt_text_buf *rsp);

/* sysfs.c */
int kitt_sysfs_init(void);
void kitt_sysfs_exit(void);
int kitt_sysfs_session_add(struct kitt_session *sess);
void kitt_sysfs_session_del(struct kitt_session *sess);
void kitt_sysfs_conn_add(struct kitt_conn *conn);
void kitt_sysfs_conn_del(struct kitt_conn *conn);
extern const struct sysfs_ops kitt_sysfs_session_ops;
extern const struct attribute_group *kitt_sysfs_session_groups[];
extern atomic_t kitt_live_conns;
extern atomic_t kitt_live_sessions;

/* Task states */
enum kitt_task_state {
	KITT_TASK_NEW,
	KITT_TASK_DATA_OUT,	/* waiting for write data */
	KITT_TASK_EXEC,		/* bios in flight */
	KITT_TASK_RESPONSE,	/* queued for transmit */
	KITT_TASK_DONE,
};

/**
 * struct kitt_task - one SCSI command in flight.
 * @tx: transmit queue entry (R2Ts, then the response)
 * @conn: the connection it arrived on (holds an inflight count)
 * @sess: the session
 * @lun: the LUN (a reference), NULL when unmapped
 * @lun_wp: the ACL shows @lun read-only
 * @state: enum kitt_task_state
 * @itt: Initiator Task Tag
 * @cmd_sn: its CmdSN
 * @immediate: the I bit was set
 * @holds_slot: takes a slot of the command window until it is answered
 *	(kitt_session_cmd_retire()), under sess->lock
 * @holds_imm: counts against KITT_MAX_IMMEDIATE_CMDS until answered
 * @lun_raw: LUN field as received
 * @edtl: Expected Data Transfer Length
 * @write: the command moves data to the target
 * @read: the command moves data to the initiator
 * @scsi: the decoded command and its status and sense
 * @pages: data buffer pages (write data received or read data to send)
 * @nr_pages: entries of @pages
 * @buf_len: bytes of the data buffer
 * @inline_pages: @pages storage for small transfers
 * @pooled: @pages belong to the connection's page pool (READ and WRITE)
 * @wd: write data bookkeeping (under @lock)
 * @r2t_queued: R2Ts wait in the transmit queue
 * @data_len: read bytes to send (<= @buf_len, <= @edtl)
 * @io_pending: 1 while the backend has the task's I/O
 * @io_error: its error
 * @io: the asynchronous read, write or flush on the backend
 * @aborted: a task management function ended it; send nothing
 * @tas: another I_T nexus aborted it (a LOGICAL UNIT RESET, PREEMPT AND
 *	ABORT): its response is TASK ABORTED (TAS 1) and, when marked before
 *	its checks in kitt_exec_srcu, it never runs; set under @lock
 * @node: entry in sess->pending while waiting for its CmdSN
 * @itt_node: entry in sess->tasks, under sess->tasks_lock; unhashed once
 *	the task has left the table, and never entered again
 * @refs: references (see task.c)
 * @lock: protects the R2T and Data-Out bookkeeping between the receive
 *	and transmit threads
 * @emul_page: page for emulated Data-In (INQUIRY, MODE SENSE, ...)
 * @cdb_len: bytes of @cdb_buf in use
 * @data_sn: DataSN count of the Data-In sent, for ExpDataSN
 * @cdb_buf: the CDB, extended by the AHS if any
 */
struct kitt_task {
	struct kitt_tx_item tx;
	refcount_t refs;
	spinlock_t lock;		/* R2T and Data-Out bookkeeping */
	struct page *emul_page;
	unsigned int cdb_len;
	u32 data_sn;
	struct kitt_conn *conn;
	struct kitt_session *sess;
	struct kitt_lun *lun;
	bool lun_wp;
	u64 start_ns;
	int state;
	itt_t itt;
	u32 cmd_sn;
	bool immediate;
	bool holds_slot;
	bool holds_imm;
	struct scsi_lun lun_raw;
	u32 edtl;
	bool write;
	bool read;
	struct kitt_scsi_cmd scsi;
	struct page **pages;
	unsigned int nr_pages;
	u32 buf_len;
	struct page *inline_pages[4];
	bool pooled;
	struct kitt_wdata wd;
	bool r2t_queued;
	u32 data_len;
	atomic_t io_pending;
	int io_error;
	struct kitt_dev_io io;
	bool aborted;
	bool tas;
	struct list_head node;
	struct hlist_node itt_node;
	u8 cdb_buf[KITT_MAX_CDB_LEN];
};

/* task.c */
int kitt_task_init(void);
void kitt_task_exit(void);
int kitt_task_scsi_cmd(struct kitt_conn *conn, struct kitt_rx_pdu *pdu);
int kitt_task_data_out(struct kitt_conn *conn, struct kitt_rx_pdu *pdu);
int kitt_task_tmf(struct kitt_conn *conn, struct kitt_rx_pdu *pdu);
void kitt_task_abort_conn(struct kitt_conn *conn);
void kitt_task_run_pending(struct kitt_session *sess);
void kitt_task_session_end(struct kitt_session *sess);
/* KITT-SECTION-RUNTIME-END */

#endif /* KITT_H */
