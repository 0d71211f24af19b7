// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: reservations of a logical unit: persistent reservations (SPC-4
 * 5.13, PERSISTENT RESERVE IN / OUT) and the older RESERVE / RELEASE (6)
 * and (10) of SPC-2.
 *
 * The state hangs off its device (dev->pr, a struct kitt_pr), created on
 * first use and freed with the device; every state is also on one list,
 * walked when a nexus ends (its RESERVE reservations end with it). An
 * I_T nexus is the
 * initiator port (InitiatorName and ISID) with the target port (TargetName
 * and portal group tag); the task layer describes it with a struct
 * kitt_pr_nexus. A registration made with ALL_TG_PT covers its initiator
 * port through every portal group of the target (one entry). Registrations
 * and the persistent reservation survive the loss of their nexus (they
 * are persistent). With APTPL they also survive a reload of kitt and a
 * reboot: each change is written to one of two files under kitt_pr_dir,
 * named by the device's NAA identifier, in turn, each complete with a
 * sequence number and an end mark, so that a crash while one is written
 * leaves the other; enabling the device reads the newer one back. A RESERVE(6)/(10) reservation
 * ends with its nexus, and with a LUN or target reset.
 *
 * Every command of a nexus that does not hold the reservation is checked
 * against it (kitt_pr_check()); while no device has any registration or
 * reservation the check costs one atomic read.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include "kitt.h"
#include "kitt_compat.h"

#ifndef PRE_FETCH_16
#define PRE_FETCH_16		0x90
#endif

/* PERSISTENT RESERVE OUT service actions */
#define KITT_PRO_REGISTER		0x00
#define KITT_PRO_RESERVE		0x01
#define KITT_PRO_RELEASE		0x02
#define KITT_PRO_CLEAR			0x03
#define KITT_PRO_PREEMPT		0x04
#define KITT_PRO_REGISTER_IGNORE	0x06
#define KITT_PRO_REGISTER_MOVE		0x07

/* PERSISTENT RESERVE IN service actions */
#define KITT_PRI_READ_KEYS		0x00
#define KITT_PRI_READ_RESERVATION	0x01
#define KITT_PRI_REPORT_CAPABILITIES	0x02
#define KITT_PRI_READ_FULL_STATUS	0x03

/* Reservation types */
#define KITT_PR_WE			0x01
#define KITT_PR_EA			0x03
#define KITT_PR_WE_RO			0x05
#define KITT_PR_EA_RO			0x06
#define KITT_PR_WE_AR			0x07
#define KITT_PR_EA_AR			0x08

/* Registrations per LU: each takes a small allocation. */
#define KITT_PR_MAX_REGS		128

/**
 * struct kitt_pr_reg - a registered I_T nexus.
 * @node: entry in pr->regs
 * @key: its reservation key (never 0)
 * @isid: initiator session ID
 * @tpgt: target portal group tag
 * @all_tg_pt: registered through every target port of the target
 *	(ALL_TG_PT): @tpgt does not matter
 * @any_isid: registered by name for every ISID (a TransportID of format
 *	00b in SPEC_I_PT): @isid does not matter
 * @initiator: InitiatorName
 * @target: TargetName
 */
struct kitt_pr_reg {
	struct list_head node;
	u64 key;
	u8 isid[6];
	u16 tpgt;
	bool all_tg_pt;
	bool any_isid;
	char initiator[KITT_NAME_MAX];
	char target[KITT_NAME_MAX];
};

/**
 * struct kitt_pr - the reservation state of one device (dev->pr).
 * @node: entry in kitt_pr_list
 * @save_lock: one PERSISTENT RESERVE OUT at a time, from its check to its
 *	state written (taken before @lock); with @lock, @save_seq and
 *	@save_slot. The file is written and synced with @lock dropped, so
 *	that the commands kitt_pr_check() lets through do not wait for it
 * @lock: protects everything below
 * @generation: PRgeneration
 * @regs: struct kitt_pr_reg
 * @nr_regs: entries of @regs
 * @holder: the registration holding the persistent reservation (for the
 *	all-registrants types, the one that took it), or NULL
 * @type: its type
 * @spc2: a RESERVE(6)/(10) reservation is held, by @spc2_nexus
 * @spc2_nexus: the holder of the RESERVE reservation
 * @active: counted in kitt_pr_active
 * @aptpl: the last REGISTER asked for persistence through power loss:
 *	every change is written to kitt_pr_dir
 * @save_seq: sequence number of the last state written
 * @save_slot: the file (0 or 1) the next state goes to
 */
struct kitt_pr {
	struct list_head node;
	struct mutex save_lock;		/* one PR OUT, its save included */
	struct mutex lock;		/* the state below */
	u32 generation;
	struct list_head regs;
	unsigned int nr_regs;
	struct kitt_pr_reg *holder;
	u8 type;
	bool spc2;
	struct kitt_pr_reg spc2_nexus;
	bool active;
	bool aptpl;
	u64 save_seq;
	u8 save_slot;
};

/*
 * Every device's state, for kitt_pr_nexus_gone(); the lock also orders
 * setting and clearing dev->pr.
 */
static_assert(KITT_PR_NAME_MAX == KITT_NAME_MAX);

static DEFINE_MUTEX(kitt_pr_lock);
static LIST_HEAD(kitt_pr_list);
/* States with a registration or a reservation: 0 means nothing to check. */
static atomic_t kitt_pr_active = ATOMIC_INIT(0);

/* The same initiator port (InitiatorName and ISID) of the same target. */
static bool kitt_pr_same_port(const struct kitt_pr_reg *r, const struct kitt_pr_nexus *n)
{
	return (r->any_isid || !memcmp(r->isid, n->isid, sizeof(r->isid))) &&
	       !strcasecmp(r->initiator, n->initiator) && !strcasecmp(r->target, n->target);
}

/* Does @r register nexus @n (its target port, or all of them)? */
static bool kitt_pr_same(const struct kitt_pr_reg *r, const struct kitt_pr_nexus *n)
{
	return (r->all_tg_pt || r->tpgt == n->tpgt) && kitt_pr_same_port(r, n);
}

static void kitt_pr_fill(struct kitt_pr_reg *r, const struct kitt_pr_nexus *n)
{
	memcpy(r->isid, n->isid, sizeof(r->isid));
	r->tpgt = n->tpgt;
	strscpy(r->initiator, n->initiator, sizeof(r->initiator));
	strscpy(r->target, n->target, sizeof(r->target));
}

/*
 * A unit attention for the initiator port of @r's nexus, listed on @uas
 * for the caller to raise once pr->lock is dropped. Best effort: without
 * memory the condition is only lost, the reservation change stands.
 */
static void kitt_pr_owe(struct list_head *uas, const struct kitt_pr_reg *r,
			enum kitt_ua_cond cond)
{
	struct kitt_pr_ua *ua;

	if (!uas)
		return;
	ua = kzalloc(sizeof(*ua), GFP_NOIO);
	if (!ua)
		return;
	ua->cond = cond;
	memcpy(ua->isid, r->isid, sizeof(ua->isid));
	ua->tpgt = r->tpgt;
	ua->all_tg_pt = r->all_tg_pt;
	ua->any_isid = r->any_isid;
	strscpy(ua->initiator, r->initiator, sizeof(ua->initiator));
	strscpy(ua->target, r->target, sizeof(ua->target));
	list_add_tail(&ua->node, uas);
}

/* Every registrant but @me is owed @cond. */
static void kitt_pr_owe_others(struct kitt_pr *pr, const struct kitt_pr_reg *me,
			       struct list_head *uas, enum kitt_ua_cond cond)
{
	struct kitt_pr_reg *r;

	list_for_each_entry(r, &pr->regs, node)
		if (r != me)
			kitt_pr_owe(uas, r, cond);
}

/**
 * kitt_pr_ua_free() - free what kitt_pr_out() listed
 * @uas: the list
 */
void kitt_pr_ua_free(struct list_head *uas)
{
	struct kitt_pr_ua *ua, *tmp;

	list_for_each_entry_safe(ua, tmp, uas, node) {
		list_del(&ua->node);
		kfree(ua);
	}
}

static void kitt_pr_clear_regs(struct kitt_pr *pr)
{
	struct kitt_pr_reg *r, *tmp;

	list_for_each_entry_safe(r, tmp, &pr->regs, node) {
		list_del(&r->node);
		kfree(r);
	}
	pr->nr_regs = 0;
	pr->holder = NULL;
	pr->type = 0;
}

/* Keep kitt_pr_active in step with the state; pr->lock held. */
static void kitt_pr_update_active(struct kitt_pr *pr)
{
	bool active = pr->nr_regs || pr->holder || pr->spc2;

	if (active == pr->active)
		return;
	pr->active = active;
	if (active)
		atomic_inc(&kitt_pr_active);
	else
		atomic_dec(&kitt_pr_active);
}

static void kitt_pr_reset_state(struct kitt_pr *pr)
{
	kitt_pr_clear_regs(pr);
	pr->spc2 = false;
	pr->generation = 0;
	kitt_pr_update_active(pr);
}

/* The state of @dev, created when @create; NULL if none. */
static struct kitt_pr *kitt_pr_get(struct kitt_device *dev, bool create)
{
	/* Pairs with the release below: a state seen is initialised. */
	struct kitt_pr *pr = smp_load_acquire(&dev->pr);

	if (pr || !create)
		return pr;
	pr = kzalloc(sizeof(*pr), GFP_NOIO);
	if (!pr)
		return NULL;
	mutex_init(&pr->save_lock);
	mutex_init(&pr->lock);
	INIT_LIST_HEAD(&pr->regs);
	mutex_lock(&kitt_pr_lock);
	if (dev->pr) {
		/* Another command of this device made it first. */
		mutex_unlock(&kitt_pr_lock);
		mutex_destroy(&pr->lock);
		kfree(pr);
		return dev->pr;
	}
	list_add(&pr->node, &kitt_pr_list);
	/* Publish it initialised to the lock-free readers above. */
	smp_store_release(&dev->pr, pr);
	mutex_unlock(&kitt_pr_lock);
	return pr;
}

/**
 * kitt_pr_device_gone() - free the reservation state of a device
 * @dev: a device being freed; no command uses it any more
 */
void kitt_pr_device_gone(struct kitt_device *dev)
{
	struct kitt_pr *pr;

	mutex_lock(&kitt_pr_lock);
	pr = dev->pr;
	if (pr) {
		list_del(&pr->node);
		dev->pr = NULL;
	}
	mutex_unlock(&kitt_pr_lock);
	if (!pr)
		return;
	mutex_lock(&pr->lock);
	kitt_pr_reset_state(pr);
	mutex_unlock(&pr->lock);
	mutex_destroy(&pr->lock);
	mutex_destroy(&pr->save_lock);
	kfree(pr);
}

/**
 * kitt_pr_nexus_gone() - an I_T nexus ended: drop its RESERVE reservations
 * @n: the nexus
 *
 * Persistent registrations and reservations stay.
 */
void kitt_pr_nexus_gone(const struct kitt_pr_nexus *n)
{
	struct kitt_pr *pr;

	if (!atomic_read(&kitt_pr_active))
		return;
	mutex_lock(&kitt_pr_lock);
	list_for_each_entry(pr, &kitt_pr_list, node) {
		mutex_lock(&pr->lock);
		if (pr->spc2 && kitt_pr_same(&pr->spc2_nexus, n)) {
			pr->spc2 = false;
			kitt_pr_update_active(pr);
		}
		mutex_unlock(&pr->lock);
	}
	mutex_unlock(&kitt_pr_lock);
}

/**
 * kitt_pr_reset() - a LUN or target reset: drop the RESERVE reservation
 * @dev: the device
 */
void kitt_pr_reset(struct kitt_device *dev)
{
	struct kitt_pr *pr;

	if (!atomic_read(&kitt_pr_active))
		return;
	pr = kitt_pr_get(dev, false);
	if (!pr)
		return;
	mutex_lock(&pr->lock);
	pr->spc2 = false;
	kitt_pr_update_active(pr);
	mutex_unlock(&pr->lock);
}

static struct kitt_pr_reg *kitt_pr_find(struct kitt_pr *pr, const struct kitt_pr_nexus *n)
{
	struct kitt_pr_reg *r;

	list_for_each_entry(r, &pr->regs, node)
		if (kitt_pr_same(r, n))
			return r;
	return NULL;
}

static bool kitt_pr_all_registrants(u8 type)
{
	return type == KITT_PR_WE_AR || type == KITT_PR_EA_AR;
}

/* Does @r (NULL: not registered) hold the persistent reservation? */
static bool kitt_pr_is_holder(const struct kitt_pr *pr, const struct kitt_pr_reg *r)
{
	if (!pr->holder || !r)
		return false;
	return kitt_pr_all_registrants(pr->type) || pr->holder == r;
}

/* How a command relates to a reservation (SPC-4 5.13.1 and SPC-2 5.5.1). */
enum kitt_pr_class {
	KITT_PR_ALLOWED,	/* allowed under any reservation */
	KITT_PR_READ,		/* reads the medium or state */
	KITT_PR_WRITE,		/* everything else */
};

static enum kitt_pr_class kitt_pr_classify(const u8 *cdb, bool spc2)
{
	switch (cdb[0]) {
	case INQUIRY:
	case REPORT_LUNS:
	case REQUEST_SENSE:
		return KITT_PR_ALLOWED;
	case RELEASE:
	case RELEASE_10:
		/* RELEASE from a non-holder is a no-op (SPC-2). */
		return spc2 ? KITT_PR_ALLOWED : KITT_PR_WRITE;
	case PERSISTENT_RESERVE_IN:
	case PERSISTENT_RESERVE_OUT:
	case MAINTENANCE_IN:
	case TEST_UNIT_READY:
	case READ_CAPACITY:
	case SERVICE_ACTION_IN_16:
		/* PR commands check themselves; SPC-2 holds them off. */
		return spc2 ? KITT_PR_WRITE : KITT_PR_ALLOWED;
	case READ_6:
	case READ_10:
	case READ_12:
	case READ_16:
	case VERIFY:
	case VERIFY_12:
	case VERIFY_16:
	case PRE_FETCH:
	case PRE_FETCH_16:
	case MODE_SENSE:
	case MODE_SENSE_10:
	case READ_DEFECT_DATA:
		return KITT_PR_READ;
	default:
		return KITT_PR_WRITE;
	}
}

/**
 * kitt_pr_check() - may this command run despite the reservations?
 * @dev: the device
 * @n: the I_T nexus it came through
 * @cdb: its CDB
 *
 * Return: true to run it, false for RESERVATION CONFLICT.
 */
bool kitt_pr_check(struct kitt_device *dev, const struct kitt_pr_nexus *n, const u8 *cdb)
{
	struct kitt_pr_reg *r;
	enum kitt_pr_class c;
	struct kitt_pr *pr;
	bool ok = true;

	if (likely(!atomic_read(&kitt_pr_active)))
		return true;
	pr = kitt_pr_get(dev, false);
	if (!pr)
		return true;
	mutex_lock(&pr->lock);
	if (pr->spc2) {
		if (!kitt_pr_same(&pr->spc2_nexus, n))
			ok = kitt_pr_classify(cdb, true) == KITT_PR_ALLOWED;
		goto out;
	}
	if (!pr->holder)
		goto out;
	r = kitt_pr_find(pr, n);
	if (kitt_pr_is_holder(pr, r))
		goto out;
	c = kitt_pr_classify(cdb, false);
	if (c == KITT_PR_ALLOWED)
		goto out;
	switch (pr->type) {
	case KITT_PR_WE:
		ok = c == KITT_PR_READ;
		break;
	case KITT_PR_EA:
		ok = false;
		break;
	case KITT_PR_WE_RO:
	case KITT_PR_WE_AR:
		ok = r || c == KITT_PR_READ;
		break;
	default:		/* EA_RO, EA_AR */
		ok = r;
		break;
	}
out:
	mutex_unlock(&pr->lock);
	return ok;
}

static void kitt_pr_conflict(struct kitt_scsi_cmd *cmd)
{
	cmd->status = SAM_STAT_RESERVATION_CONFLICT;
	cmd->sense_len = 0;
}

/**
 * kitt_pr_reserve_spc2() - RESERVE(6) or RESERVE(10)
 * @dev: the device
 * @n: the I_T nexus
 * @cmd: the command; its status is set
 */
void kitt_pr_reserve_spc2(struct kitt_device *dev, const struct kitt_pr_nexus *n,
			  struct kitt_scsi_cmd *cmd)
{
	struct kitt_pr *pr = kitt_pr_get(dev, true);

	if (!pr) {
		kitt_scsi_set_io_error(cmd, -ENOMEM, false);
		return;
	}
	mutex_lock(&pr->lock);
	if (pr->holder || pr->nr_regs ||
	    (pr->spc2 && !kitt_pr_same(&pr->spc2_nexus, n))) {
		kitt_pr_conflict(cmd);
	} else {
		kitt_pr_fill(&pr->spc2_nexus, n);
		pr->spc2 = true;
		kitt_pr_update_active(pr);
	}
	mutex_unlock(&pr->lock);
}

/**
 * kitt_pr_release_spc2() - RELEASE(6) or RELEASE(10)
 * @dev: the device
 * @n: the I_T nexus
 * @cmd: the command
 *
 * Releases the RESERVE reservation of @n; anything else is a no-op.
 */
void kitt_pr_release_spc2(struct kitt_device *dev, const struct kitt_pr_nexus *n,
			  struct kitt_scsi_cmd *cmd)
{
	struct kitt_pr *pr = kitt_pr_get(dev, false);

	if (!pr)
		return;
	mutex_lock(&pr->lock);
	if (pr->spc2 && kitt_pr_same(&pr->spc2_nexus, n)) {
		pr->spc2 = false;
		kitt_pr_update_active(pr);
	}
	mutex_unlock(&pr->lock);
}

/* iSCSI TransportID, format 01b (SPC-4 7.6.4.6): "name,i,0x<ISID>". */
static u32 kitt_pr_transport_id(const struct kitt_pr_reg *r, u8 *p, u32 room)
{
	char id[KITT_NAME_MAX + 24];
	u32 len, total;

	if (r->any_isid)
		len = strscpy(id, r->initiator, sizeof(id)) + 1;
	else
		len = scnprintf(id, sizeof(id), "%s,i,0x%6phN", r->initiator, r->isid) + 1;
	total = 4 + ALIGN(len, 4);
	if (room >= total) {
		memset(p, 0, total);
		/* format 00b (name) or 01b (initiator port), iSCSI */
		p[0] = (r->any_isid ? 0x00 : 0x40) | 0x05;
		put_unaligned_be16(total - 4, &p[2]);
		memcpy(&p[4], id, len);
	}
	return total;
}

static void kitt_pr_in_locked(struct kitt_pr *pr, struct kitt_scsi_cmd *cmd, u8 sa)
{
	u32 alloc = get_unaligned_be16(&cmd->cdb[7]), off = 8, room = cmd->buf_size;
	struct kitt_pr_reg *r;
	u8 *buf = cmd->buf;

	memset(buf, 0, min_t(u32, room, 64));
	switch (sa) {
	case KITT_PRI_READ_KEYS:
		put_unaligned_be32(pr->generation, &buf[0]);
		list_for_each_entry(r, &pr->regs, node) {
			if (off + 8 <= room)
				put_unaligned_be64(r->key, &buf[off]);
			off += 8;
		}
		put_unaligned_be32(off - 8, &buf[4]);
		break;
	case KITT_PRI_READ_RESERVATION:
		put_unaligned_be32(pr->generation, &buf[0]);
		if (pr->holder) {
			memset(&buf[8], 0, 16);
			if (!kitt_pr_all_registrants(pr->type))
				put_unaligned_be64(pr->holder->key, &buf[8]);
			buf[8 + 13] = pr->type;		/* scope 0: LU */
			off += 16;
		}
		put_unaligned_be32(off - 8, &buf[4]);
		break;
	case KITT_PRI_REPORT_CAPABILITIES:
		off = 8;
		put_unaligned_be16(8, &buf[0]);
		/* CRH 0: RESERVE conflicts with any registration */
		buf[2] = 0x08 | 0x04 | 0x01;	/* SIP_C, ATP_C, PTPL_C */
		buf[3] = 0x80;		/* TMV: the type mask below is valid */
		if (pr->aptpl)
			buf[3] |= 0x01;	/* PTPL_A */
		buf[4] = 0x80 | 0x40 | 0x20 | 0x08 | 0x02;
		buf[5] = 0x01;
		break;
	case KITT_PRI_READ_FULL_STATUS:
		put_unaligned_be32(pr->generation, &buf[0]);
		list_for_each_entry(r, &pr->regs, node) {
			u32 tid, need = 24;
			u8 *d = &buf[off];

			tid = kitt_pr_transport_id(r, NULL, 0);
			need += tid;
			if (off + need <= room) {
				memset(d, 0, 24);
				put_unaligned_be64(r->key, &d[0]);
				if (kitt_pr_is_holder(pr, r)) {
					d[12] = 0x01;		/* R_HOLDER */
					d[13] = pr->type;
				}
				/* ALL_TG_PT: every port, no relative port id */
				if (r->all_tg_pt)
					d[12] |= 0x02;
				else
					put_unaligned_be16(r->tpgt, &d[18]);
				put_unaligned_be32(tid, &d[20]);
				kitt_pr_transport_id(r, &d[24], room - off - 24);
			}
			off += need;
		}
		put_unaligned_be32(off - 8, &buf[4]);
		break;
	}
	kitt_scsi_set_data_in(cmd, off, alloc);
}

/**
 * kitt_pr_in() - build the PERSISTENT RESERVE IN parameter data
 * @dev: the device
 * @cmd: a command decoded to KITT_SCSI_ACT_PR_IN; the data goes to
 *	cmd->buf, cmd->data_len says how much to send; the action becomes
 *	EMULATE_IN
 */
void kitt_pr_in(struct kitt_device *dev, struct kitt_scsi_cmd *cmd)
{
	static struct kitt_pr empty = { .regs = LIST_HEAD_INIT(empty.regs) };
	struct kitt_pr *pr = kitt_pr_get(dev, false);

	if (!pr) {
		/* Nothing was ever registered: the empty state answers. */
		kitt_pr_in_locked(&empty, cmd, cmd->cdb[1] & 0x1f);
		return;
	}
	mutex_lock(&pr->lock);
	kitt_pr_in_locked(pr, cmd, cmd->cdb[1] & 0x1f);
	mutex_unlock(&pr->lock);
}

static bool kitt_pr_type_valid(u8 type)
{
	switch (type) {
	case KITT_PR_WE:
	case KITT_PR_EA:
	case KITT_PR_WE_RO:
	case KITT_PR_EA_RO:
	case KITT_PR_WE_AR:
	case KITT_PR_EA_AR:
		return true;
	default:
		return false;
	}
}

/* Remove @r; the reservation goes with its holder (SPC-4 5.13.11). */
static void kitt_pr_unregister(struct kitt_pr *pr, struct kitt_pr_reg *r)
{
	list_del(&r->node);
	pr->nr_regs--;
	if (pr->holder == r) {
		if (kitt_pr_all_registrants(pr->type) && pr->nr_regs) {
			pr->holder = list_first_entry(&pr->regs, struct kitt_pr_reg, node);
		} else {
			pr->holder = NULL;
			pr->type = 0;
		}
	}
	kfree(r);
}

/*
 * REGISTER and REGISTER AND IGNORE EXISTING KEY. A new registration with
 * @all_tg_pt covers the initiator port through every target port of the
 * target (one entry, reported with ALL_TG_PT); it conflicts with a
 * registration the port already has through any of them.
 */
static void kitt_pr_register(struct kitt_pr *pr, const struct kitt_pr_nexus *n,
			     struct kitt_scsi_cmd *cmd, u64 rk, u64 sark, bool ignore,
			     bool all_tg_pt, struct kitt_pr_reg **spare)
{
	struct kitt_pr_reg *r = kitt_pr_find(pr, n), *other;

	if (!r) {
		if (!ignore && rk) {
			kitt_pr_conflict(cmd);
			return;
		}
		if (!sark)
			return;
		if (all_tg_pt) {
			list_for_each_entry(other, &pr->regs, node) {
				if (kitt_pr_same_port(other, n)) {
					kitt_pr_conflict(cmd);
					return;
				}
			}
		}
		if (pr->nr_regs >= KITT_PR_MAX_REGS || !*spare) {
			kitt_sense_set(cmd, ILLEGAL_REQUEST, 0x55, 0x04);
			return;			/* INSUFFICIENT REGISTRATION RESOURCES */
		}
		r = *spare;
		*spare = NULL;
		kitt_pr_fill(r, n);
		r->all_tg_pt = all_tg_pt;
		r->key = sark;
		list_add_tail(&r->node, &pr->regs);
		pr->nr_regs++;
		pr->generation++;
		return;
	}
	if (!ignore && rk != r->key) {
		kitt_pr_conflict(cmd);
		return;
	}
	if (sark)
		r->key = sark;
	else
		kitt_pr_unregister(pr, r);
	pr->generation++;
}

/*
 * kitt_pr_parse_tid() - an iSCSI TransportID (SPC-4 7.6.4.6)
 * @p: it
 * @room: bytes at @p
 * @r: its initiator name and ISID go here; @r->any_isid is set for the
 *	name-only form (00b)
 *
 * Return: its length, or -EINVAL for another protocol, a form kitt does
 * not know, a length that overruns @room, a name without its NUL or one
 * that is not an iSCSI name's printable ASCII (kitt_text_name_ok(): the
 * name goes into the APTPL state file, one registration a line).
 */
static int kitt_pr_parse_tid(const u8 *p, u32 room, struct kitt_pr_reg *r)
{
	const char *id = (const char *)&p[4], *sep;
	u32 len, n;

	if (room < 4 || (p[0] & 0x0f) != 0x05 || (p[0] >> 6) > 1)
		return -EINVAL;
	len = get_unaligned_be16(&p[2]);
	if (len < 4 || len % 4 || len > room - 4)
		return -EINVAL;
	n = strnlen(id, len);
	if (n == len)
		return -EINVAL;
	r->any_isid = !(p[0] >> 6);
	if (r->any_isid) {
		if (n >= sizeof(r->initiator) || !kitt_text_name_ok(id, n))
			return -EINVAL;
		memcpy(r->initiator, id, n);
		r->initiator[n] = 0;
		return 4 + len;
	}
	/* "<name>,i,0x<12 hex digits of the ISID>" */
	sep = strnstr(id, ",i,0x", n);
	if (!sep)
		sep = strnstr(id, ",I,0x", n);
	if (!sep || sep - id >= sizeof(r->initiator) || !kitt_text_name_ok(id, sep - id) ||
	    id + n - (sep + 5) != 12 || hex2bin(r->isid, sep + 5, sizeof(r->isid)))
		return -EINVAL;
	memcpy(r->initiator, id, sep - id);
	r->initiator[sep - id] = 0;
	return 4 + len;
}

/*
 * SPEC_I_PT: REGISTER from an unregistered nexus with a list of
 * TransportIDs registers it and each initiator port listed, through the
 * same target port (or every one, with @all_tg_pt), all with @sark; all
 * or nothing. @param is the whole list, @len its length (at least 28).
 */
static void kitt_pr_register_spec(struct kitt_pr *pr, const struct kitt_pr_nexus *n,
				  struct kitt_scsi_cmd *cmd, u64 sark, bool all_tg_pt,
				  const u8 *param, u32 len)
{
	u32 tid_len = get_unaligned_be32(&param[24]), off = 28;
	struct kitt_pr_reg *r, *other, *me = NULL;
	unsigned int count = 1;
	struct kitt_pr_nexus tn;
	LIST_HEAD(new);
	int used;

	if (kitt_pr_find(pr, n) || !sark) {
		/* Only an unregistered nexus lists others, with a key */
		kitt_scsi_invalid_param(cmd, kitt_pr_find(pr, n) ? 20 : 8, sark ? 3 : 7);
		return;
	}
	if (tid_len > len - 28) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_PARAM_LIST_LEN_ERROR, 0);
		return;
	}
	me = kzalloc(sizeof(*me), GFP_NOIO);
	if (!me)
		goto no_room;
	kitt_pr_fill(me, n);
	me->key = sark;
	me->all_tg_pt = all_tg_pt;
	list_add_tail(&me->node, &new);
	while (off < 28 + tid_len) {
		r = kzalloc(sizeof(*r), GFP_NOIO);
		if (!r || ++count + pr->nr_regs > KITT_PR_MAX_REGS) {
			kfree(r);
			goto no_room;
		}
		list_add_tail(&r->node, &new);
		used = kitt_pr_parse_tid(&param[off], 28 + tid_len - off, r);
		if (used < 0) {
			kitt_scsi_invalid_param(cmd, off, -1);
			goto out;
		}
		strscpy(r->target, n->target, sizeof(r->target));
		r->tpgt = n->tpgt;
		r->all_tg_pt = all_tg_pt;
		r->key = sark;
		/* Named twice, or registered already: the list is refused */
		tn = (struct kitt_pr_nexus){ r->initiator, r->isid, r->target, r->tpgt };
		list_for_each_entry(other, &new, node) {
			if (other != r && (kitt_pr_same_port(other, &tn) ||
					   (r->any_isid && !strcasecmp(other->initiator,
								       r->initiator)))) {
				kitt_scsi_invalid_param(cmd, off, -1);
				goto out;
			}
		}
		list_for_each_entry(other, &pr->regs, node) {
			if (kitt_pr_same_port(other, &tn) ||
			    (r->any_isid && !strcasecmp(other->initiator, r->initiator))) {
				kitt_scsi_invalid_param(cmd, off, -1);
				goto out;
			}
		}
		off += used;
	}
	if (pr->nr_regs + count > KITT_PR_MAX_REGS)
		goto no_room;
	list_splice_tail_init(&new, &pr->regs);
	pr->nr_regs += count;
	pr->generation++;
	return;
no_room:
	/* INSUFFICIENT REGISTRATION RESOURCES */
	kitt_sense_set(cmd, ILLEGAL_REQUEST, 0x55, 0x04);
out:
	list_for_each_entry_safe(r, other, &new, node)
		kfree(r);
}

/*
 * REGISTER AND MOVE (SPC-4 5.13.8): the reservation holder @me hands the
 * reservation to another I_T nexus (a TransportID naming an initiator
 * port, and a relative target port of the same target), registering it
 * with the service action key; UNREG drops @me's registration.
 */
static void kitt_pr_register_move(struct kitt_pr *pr, struct kitt_pr_reg *me,
				  struct kitt_scsi_cmd *cmd, u64 sark, const u8 *param, u32 len,
				  struct kitt_pr_reg **spare)
{
	u32 tid_len = get_unaligned_be32(&param[20]);
	u16 rel_port = get_unaligned_be16(&param[18]);
	struct kitt_pr_reg *dst, *tid = *spare;
	struct kitt_pr_nexus tn;

	if (!kitt_pr_is_holder(pr, me) || kitt_pr_all_registrants(pr->type)) {
		kitt_pr_conflict(cmd);
		return;
	}
	if (!sark) {
		kitt_scsi_invalid_param(cmd, 8, 7);
		return;
	}
	if (!rel_port) {
		kitt_scsi_invalid_param(cmd, 18, 7);
		return;
	}
	if (tid_len > len - 24 || !tid) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_PARAM_LIST_LEN_ERROR, 0);
		return;
	}
	memset(tid, 0, sizeof(*tid));
	if (kitt_pr_parse_tid(&param[24], tid_len, tid) < 0 || tid->any_isid) {
		kitt_scsi_invalid_param(cmd, 24, -1);
		return;
	}
	strscpy(tid->target, me->target, sizeof(tid->target));
	tid->tpgt = rel_port;
	tn = (struct kitt_pr_nexus){ tid->initiator, tid->isid, tid->target, tid->tpgt };
	if (kitt_pr_same(me, &tn)) {
		kitt_scsi_invalid_param(cmd, 24, -1);	/* to itself */
		return;
	}
	dst = kitt_pr_find(pr, &tn);
	if (!dst) {
		if (pr->nr_regs >= KITT_PR_MAX_REGS) {
			kitt_sense_set(cmd, ILLEGAL_REQUEST, 0x55, 0x04);
			return;
		}
		dst = tid;
		*spare = NULL;
		list_add_tail(&dst->node, &pr->regs);
		pr->nr_regs++;
	}
	dst->key = sark;
	pr->holder = dst;
	if (param[17] & 0x02)				/* UNREG */
		kitt_pr_unregister(pr, me);
	pr->generation++;
}

/*
 * SPC-4 5.13.11.2.4: the nexuses that lose their registration are owed
 * REGISTRATIONS PREEMPTED; when the reservation changes type, the ones
 * still registered (other than the preempting one) RESERVATIONS RELEASED.
 */
static void kitt_pr_preempt(struct kitt_pr *pr, struct kitt_pr_reg *me,
			    struct kitt_scsi_cmd *cmd, u64 sark, u8 type,
			    struct list_head *uas)
{
	struct kitt_pr_reg *r, *tmp;
	bool found = false;

	if (pr->holder && kitt_pr_all_registrants(pr->type) && !sark) {
		/* Everyone else goes; the reservation becomes ours. */
		list_for_each_entry_safe(r, tmp, &pr->regs, node) {
			if (r != me) {
				kitt_pr_owe(uas, r, KITT_UA_REG_PREEMPTED);
				kitt_pr_unregister(pr, r);
			}
		}
		pr->holder = me;
		pr->type = type;
		pr->generation++;
		return;
	}
	if (!sark) {
		kitt_scsi_invalid_param(cmd, 8, 7);
		return;
	}
	if (pr->holder && !kitt_pr_all_registrants(pr->type) && pr->holder->key == sark) {
		/* Preempt the holder: its reservation becomes ours. */
		list_for_each_entry_safe(r, tmp, &pr->regs, node) {
			if (r->key == sark && r != me) {
				if (pr->holder == r)
					pr->holder = NULL;
				kitt_pr_owe(uas, r, KITT_UA_REG_PREEMPTED);
				kitt_pr_unregister(pr, r);
			}
		}
		if (pr->type != type)
			kitt_pr_owe_others(pr, me, uas, KITT_UA_RES_RELEASED);
		pr->holder = me;
		pr->type = type;
		pr->generation++;
		return;
	}
	list_for_each_entry_safe(r, tmp, &pr->regs, node) {
		if (r->key == sark) {
			found = true;
			if (r != me) {
				kitt_pr_owe(uas, r, KITT_UA_REG_PREEMPTED);
				kitt_pr_unregister(pr, r);
			}
		}
	}
	if (!found) {
		kitt_pr_conflict(cmd);
		return;
	}
	pr->generation++;
}

/* ------------------------------------------------------------------ */
/* APTPL: the state kept on disk                                      */
/* ------------------------------------------------------------------ */

/* Room for the header and KITT_PR_MAX_REGS registrations with long names. */
#define KITT_PR_FILE_MAX	(128 * 1024)
#define KITT_PR_MAGIC		"kitt-pr 1"

/* The text of @pr's state, @seq its sequence number; pr->lock held. */
static int kitt_pr_format(const struct kitt_pr *pr, u64 seq, char *buf, size_t size)
{
	const struct kitt_pr_reg *r;
	int holder = -1, i = 0;
	size_t n;

	n = scnprintf(buf, size, "%s\nseq %llu\naptpl %d\ngeneration %u\n", KITT_PR_MAGIC,
		      seq, pr->aptpl, pr->generation);
	list_for_each_entry(r, &pr->regs, node) {
		if (pr->holder == r)
			holder = i;
		n += scnprintf(buf + n, size - n, "reg %llx %u %d %6phN %s %s\n", r->key, r->tpgt,
			       r->all_tg_pt | r->any_isid << 1, r->isid, r->initiator,
			       r->target);
		i++;
	}
	if (holder >= 0)
		n += scnprintf(buf + n, size - n, "reservation %u %d\n", pr->type, holder);
	n += scnprintf(buf + n, size - n, "end\n");
	return n + 1 < size ? n : -ENOSPC;
}

/*
 * kitt_pr_parse() - read a state written by kitt_pr_format()
 * @text: the file's text, NUL terminated; it is cut up
 * @regs: the registrations are added here (struct kitt_pr_reg, which the
 *	caller frees on error too)
 * @seq: set to its sequence number
 * @generation: set to its PRgeneration
 * @aptpl: set to its APTPL
 * @holder: set to the index in @regs of the reservation holder, or -1
 * @type: set to the reservation type
 *
 * Return: the number of registrations, or -EINVAL for a file that is
 * not whole (no end mark) or not kitt's.
 */
static int kitt_pr_parse(char *text, struct list_head *regs, u64 *seq, u32 *generation,
			 bool *aptpl, int *holder, u8 *type)
{
	char isid[13], *line;
	struct kitt_pr_reg *r;
	int n = 0, flag, res = -1;
	bool magic = false, end = false;
	unsigned int tpgt, t;

	*holder = -1;
	*type = 0;
	*seq = 0;
	*generation = 0;
	*aptpl = false;
	while ((line = strsep(&text, "\n")) && !end) {
		if (!*line)
			continue;
		if (!magic) {
			if (strcmp(line, KITT_PR_MAGIC))
				return -EINVAL;
			magic = true;
		} else if (!strcmp(line, "end")) {
			end = true;
		} else if (sscanf(line, "seq %llu", seq) == 1) {
			continue;
		} else if (sscanf(line, "aptpl %d", &flag) == 1) {
			*aptpl = flag == 1;
		} else if (sscanf(line, "generation %u", generation) == 1) {
			continue;
		} else if (sscanf(line, "reservation %u %d", &t, &res) == 2) {
			if (!kitt_pr_type_valid(t) || res < 0 || res >= n)
				return -EINVAL;
			*type = t;
			*holder = res;
		} else if (!strncmp(line, "reg ", 4)) {
			if (n >= KITT_PR_MAX_REGS)
				return -EINVAL;
			r = kzalloc(sizeof(*r), GFP_KERNEL);
			if (!r)
				return -ENOMEM;
			list_add_tail(&r->node, regs);
			if (sscanf(line, "reg %llx %u %d %12s %223s %223s", &r->key, &tpgt, &flag,
				   isid, r->initiator, r->target) != 6 ||
			    !r->key || tpgt > U16_MAX || strlen(isid) != 12 ||
			    hex2bin(r->isid, isid, sizeof(r->isid)))
				return -EINVAL;
			if (flag & ~3)
				return -EINVAL;
			r->tpgt = tpgt;
			r->all_tg_pt = flag & 1;
			r->any_isid = flag & 2;
			n++;
		} else {
			return -EINVAL;
		}
	}
	return magic && end ? n : -EINVAL;
}

/* The path of @dev's state file @slot. */
static char *kitt_pr_path(const struct kitt_device *dev, unsigned int slot)
{
	return kasprintf(GFP_KERNEL, "%s/pr-%016llx.%u", kitt_pr_dir, dev->naa_id, slot);
}

/*
 * Write @pr's state to its next file and sync it. Called with
 * pr->save_lock and pr->lock held; formats the state, then drops pr->lock
 * for the write and the sync (a peer's PERSISTENT RESERVE OUT must not hold
 * up other initiators' commands for an fsync).
 */
static int kitt_pr_save(struct kitt_device *dev, struct kitt_pr *pr)
{
	struct file *f;
	char *path, *buf;
	loff_t pos = 0;
	int len, ret;

	lockdep_assert_held(&pr->save_lock);
	buf = kvmalloc(KITT_PR_FILE_MAX, GFP_KERNEL);
	path = kitt_pr_path(dev, pr->save_slot);
	ret = -ENOMEM;
	len = buf ? kitt_pr_format(pr, pr->save_seq + 1, buf, KITT_PR_FILE_MAX) : 0;
	mutex_unlock(&pr->lock);
	if (!buf || !path)
		goto out;
	ret = len;
	if (len < 0)
		goto out;
	f = filp_open(path, O_WRONLY | O_CREAT | O_TRUNC | O_LARGEFILE, 0600);
	ret = PTR_ERR_OR_ZERO(f);
	if (ret)
		goto out;
	ret = kernel_write(f, buf, len, &pos);
	if (ret == len)
		ret = vfs_fsync(f, 0);
	else if (ret >= 0)
		ret = -EIO;
	filp_close(f, NULL);
	if (!ret) {
		mutex_lock(&pr->lock);
		pr->save_seq++;
		pr->save_slot ^= 1;
		mutex_unlock(&pr->lock);
	}
out:
	if (ret)
		pr_warn_ratelimited("device %s: persistent reservations not saved to %s: %d\n",
				    dev->name, path ?: kitt_pr_dir, ret);
	kfree(path);
	kvfree(buf);
	return ret;
}

static void kitt_pr_free_regs(struct list_head *regs)
{
	struct kitt_pr_reg *r, *tmp;

	list_for_each_entry_safe(r, tmp, regs, node) {
		list_del(&r->node);
		kfree(r);
	}
}

/* Read file @slot of @dev into @buf; 0 with @buf NUL terminated. */
static int kitt_pr_read(const struct kitt_device *dev, unsigned int slot, char *buf)
{
	struct file *f;
	loff_t pos = 0;
	char *path;
	ssize_t n;

	path = kitt_pr_path(dev, slot);
	if (!path)
		return -ENOMEM;
	f = filp_open(path, O_RDONLY | O_LARGEFILE, 0);
	kfree(path);
	if (IS_ERR(f))
		return PTR_ERR(f);
	n = kernel_read(f, buf, KITT_PR_FILE_MAX - 1, &pos);
	filp_close(f, NULL);
	if (n < 0)
		return n;
	buf[n] = 0;
	return 0;
}

/* One parsed file: what kitt_pr_parse() found in it. */
struct kitt_pr_image {
	struct list_head regs;
	int nr_regs;
	u64 seq;
	u32 generation;
	bool aptpl;
	int holder;
	u8 type;
};

static int kitt_pr_image_parse(struct kitt_pr_image *img, char *text)
{
	INIT_LIST_HEAD(&img->regs);
	img->nr_regs = kitt_pr_parse(text, &img->regs, &img->seq, &img->generation,
				     &img->aptpl, &img->holder, &img->type);
	return img->nr_regs < 0 ? img->nr_regs : 0;
}

/*
 * Install @img as @dev's state unless it has one already (a state made
 * since counts more than one on disk); @next_slot is the file to write
 * next. The registrations left in @img are the caller's to free.
 */
static int kitt_pr_install(struct kitt_device *dev, struct kitt_pr_image *img,
			   unsigned int next_slot)
{
	struct kitt_pr_reg *r;
	struct kitt_pr *pr;
	int i = 0, ret = -EBUSY;

	pr = kitt_pr_get(dev, true);
	if (!pr)
		return -ENOMEM;
	mutex_lock(&pr->save_lock);
	mutex_lock(&pr->lock);
	if (list_empty(&pr->regs) && !pr->holder) {
		list_splice_init(&img->regs, &pr->regs);
		pr->nr_regs = img->nr_regs;
		list_for_each_entry(r, &pr->regs, node)
			if (i++ == img->holder)
				pr->holder = r;
		pr->type = pr->holder ? img->type : 0;
		pr->generation = img->generation;
		pr->aptpl = img->aptpl;
		pr->save_seq = img->seq;
		pr->save_slot = next_slot;
		kitt_pr_update_active(pr);
		ret = 0;
	}
	mutex_unlock(&pr->lock);
	mutex_unlock(&pr->save_lock);
	return ret;
}

/**
 * kitt_pr_save_text() - a device's reservation state as kitt keeps it
 * @dev: the device
 * @buf: the text goes here
 * @size: room in @buf
 *
 * For KUnit; the files hold the same text.
 *
 * Return: its length, or -ENOSPC.
 */
int kitt_pr_save_text(struct kitt_device *dev, char *buf, size_t size)
{
	static struct kitt_pr empty = { .regs = LIST_HEAD_INIT(empty.regs) };
	struct kitt_pr *pr = kitt_pr_get(dev, false);
	int ret;

	if (!pr)
		return kitt_pr_format(&empty, 0, buf, size);
	mutex_lock(&pr->lock);
	ret = kitt_pr_format(pr, pr->save_seq, buf, size);
	mutex_unlock(&pr->lock);
	return ret;
}

/**
 * kitt_pr_load_text() - give a device the state of kitt_pr_save_text()
 * @dev: a device with no registration
 * @text: the text, NUL terminated; it is cut up
 *
 * Return: 0, -EINVAL for a text that is not whole, -EBUSY when @dev has
 * a state already.
 */
int kitt_pr_load_text(struct kitt_device *dev, char *text)
{
	struct kitt_pr_image img;
	int ret;

	ret = kitt_pr_image_parse(&img, text);
	if (!ret)
		ret = kitt_pr_install(dev, &img, 0);
	kitt_pr_free_regs(&img.regs);
	return ret;
}

/**
 * kitt_pr_device_load() - restore the APTPL state of a device
 * @dev: a device being enabled
 *
 * Of the two files of @dev, the whole one with the higher sequence number
 * is taken, if it was written with APTPL set and @dev has no state yet.
 *
 * Context: may sleep.
 */
void kitt_pr_device_load(struct kitt_device *dev)
{
	struct kitt_pr_image img[2];
	int ret, best = -1;
	unsigned int slot;
	char *buf;

	buf = kvmalloc(KITT_PR_FILE_MAX, GFP_KERNEL);
	if (!buf)
		return;
	for (slot = 0; slot < 2; slot++) {
		INIT_LIST_HEAD(&img[slot].regs);
		ret = kitt_pr_read(dev, slot, buf);
		if (!ret)
			ret = kitt_pr_image_parse(&img[slot], buf);
		if (ret && ret != -ENOENT)
			pr_warn("device %s: persistent reservations in %s/pr-%016llx.%u unreadable: %d\n",
				dev->name, kitt_pr_dir, dev->naa_id, slot, ret);
		if (!ret && (best < 0 || img[slot].seq > img[best].seq))
			best = slot;
	}
	kvfree(buf);
	if (best >= 0 && img[best].aptpl && !kitt_pr_install(dev, &img[best], best ^ 1))
		pr_info("device %s: %d persistent registration(s)%s restored (APTPL)\n",
			dev->name, img[best].nr_regs,
			img[best].holder >= 0 ? " and the reservation" : "");
	kitt_pr_free_regs(&img[0].regs);
	kitt_pr_free_regs(&img[1].regs);
}

/* Can @dev's next state file be written? (before APTPL is accepted) */
static int kitt_pr_can_save(struct kitt_device *dev, struct kitt_pr *pr);

static int kitt_pr_can_save_noio(struct kitt_device *dev, struct kitt_pr *pr)
{
	unsigned int noio = memalloc_noio_save();
	int ret = kitt_pr_can_save(dev, pr);

	memalloc_noio_restore(noio);
	return ret;
}

static int kitt_pr_can_save(struct kitt_device *dev, struct kitt_pr *pr)
{
	struct file *f;
	char *path;

	path = kitt_pr_path(dev, pr->save_slot);
	if (!path)
		return -ENOMEM;
	f = filp_open(path, O_WRONLY | O_CREAT | O_LARGEFILE, 0600);
	if (IS_ERR(f)) {
		pr_warn_ratelimited("device %s: APTPL refused, cannot write %s: %ld\n",
				    dev->name, path, PTR_ERR(f));
		kfree(path);
		return PTR_ERR(f);
	}
	filp_close(f, NULL);
	kfree(path);
	return 0;
}

/**
 * kitt_pr_out() - carry a PERSISTENT RESERVE OUT out
 * @dev: the device
 * @n: the I_T nexus it came through
 * @cmd: the command (decoded, parameter list received); its status is set
 * @param: the parameter list
 * @len: its length (24: the basic list; the decoder checked it)
 * @uas: the unit attentions other nexuses are owed are added here (struct
 *	kitt_pr_ua; the caller raises them, then kitt_pr_ua_free()), or NULL
 */
void kitt_pr_out(struct kitt_device *dev, const struct kitt_pr_nexus *n,
		 struct kitt_scsi_cmd *cmd, const u8 *param, u32 len,
		 struct list_head *uas)
{
	u8 sa = cmd->cdb[1] & 0x1f, scope = cmd->cdb[2] >> 4, type = cmd->cdb[2] & 0x0f;
	struct kitt_pr_reg *spare, *me;
	bool was_aptpl = false, aptpl_refused = false;
	struct kitt_pr *pr;
	u64 rk, sark;

	if (len < 24) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_PARAM_LIST_LEN_ERROR, 0);
		return;
	}
	rk = get_unaligned_be64(&param[0]);
	sark = get_unaligned_be64(&param[8]);
	/* SPEC_I_PT: REGISTER only, with its list of TransportIDs */
	if (sa != KITT_PRO_REGISTER_MOVE && (param[20] & 0x08) &&
	    (sa != KITT_PRO_REGISTER || len < 28)) {
		kitt_scsi_invalid_param(cmd, 20, 3);
		return;
	}
	if (sa == KITT_PRO_RESERVE || sa == KITT_PRO_RELEASE ||
	    sa == KITT_PRO_PREEMPT || sa == KITT_PRO_PREEMPT_AND_ABORT) {
		if (scope) {
			kitt_scsi_invalid_cdb(cmd, 2, 7);
			return;
		}
		if (!kitt_pr_type_valid(type)) {
			kitt_scsi_invalid_cdb(cmd, 2, 3);
			return;
		}
	}
	spare = kzalloc(sizeof(*spare), GFP_NOIO);
	pr = kitt_pr_get(dev, true);
	if (!pr) {
		kfree(spare);
		kitt_scsi_set_io_error(cmd, -ENOMEM, true);
		return;
	}
	mutex_lock(&pr->save_lock);
	/* APTPL asks that the state be kept: it is refused if it cannot be. */
	if (((sa == KITT_PRO_REGISTER || sa == KITT_PRO_REGISTER_IGNORE) && (param[20] & 0x01)) ||
	    (sa == KITT_PRO_REGISTER_MOVE && (param[17] & 0x01)))
		aptpl_refused = kitt_pr_can_save_noio(dev, pr);
	mutex_lock(&pr->lock);
	if (pr->spc2 && !kitt_pr_same(&pr->spc2_nexus, n)) {
		kitt_pr_conflict(cmd);
		goto out;
	}
	was_aptpl = pr->aptpl;
	if (sa == KITT_PRO_REGISTER || sa == KITT_PRO_REGISTER_IGNORE) {
		if (aptpl_refused) {
			/* INSUFFICIENT REGISTRATION RESOURCES */
			kitt_sense_set(cmd, ILLEGAL_REQUEST, 0x55, 0x04);
			goto out;
		}
		/* ALL_TG_PT counts for these two only; the others ignore it */
		if (param[20] & 0x08)
			kitt_pr_register_spec(pr, n, cmd, sark, param[20] & 0x04, param, len);
		else
			kitt_pr_register(pr, n, cmd, rk, sark, sa == KITT_PRO_REGISTER_IGNORE,
					 param[20] & 0x04, &spare);
		/* The last APTPL received applies to the whole state (SPC-4 5.13.5) */
		if (cmd->status == SAM_STAT_GOOD)
			pr->aptpl = param[20] & 0x01;
		goto out;
	}
	me = kitt_pr_find(pr, n);
	if (!me || me->key != rk) {
		kitt_pr_conflict(cmd);
		goto out;
	}
	switch (sa) {
	case KITT_PRO_RESERVE:
		if (!pr->holder) {
			pr->holder = me;
			pr->type = type;
		} else if (!kitt_pr_is_holder(pr, me) || pr->type != type) {
			kitt_pr_conflict(cmd);
		}
		break;
	case KITT_PRO_RELEASE:
		if (!kitt_pr_is_holder(pr, me))
			break;
		if (pr->type != type) {
			/* INVALID RELEASE OF PERSISTENT RESERVATION */
			kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_INVALID_FIELD_IN_PARAM, 0x04);
			break;
		}
		/* 5.13.11.2.2: the others lose a registrants-only or all-registrants one */
		if (pr->type == KITT_PR_WE_RO || pr->type == KITT_PR_EA_RO ||
		    kitt_pr_all_registrants(pr->type))
			kitt_pr_owe_others(pr, me, uas, KITT_UA_RES_RELEASED);
		pr->holder = NULL;
		pr->type = 0;
		break;
	case KITT_PRO_CLEAR:
		kitt_pr_owe_others(pr, me, uas, KITT_UA_RES_PREEMPTED);
		kitt_pr_clear_regs(pr);
		pr->generation++;
		break;
	case KITT_PRO_PREEMPT:
	case KITT_PRO_PREEMPT_AND_ABORT:
		kitt_pr_preempt(pr, me, cmd, sark, type, uas);
		break;
	case KITT_PRO_REGISTER_MOVE:
		if (aptpl_refused) {
			kitt_sense_set(cmd, ILLEGAL_REQUEST, 0x55, 0x04);
			break;
		}
		kitt_pr_register_move(pr, me, cmd, sark, param, len, &spare);
		if (cmd->status == SAM_STAT_GOOD)
			pr->aptpl = param[17] & 0x01;
		break;
	default:
		kitt_scsi_invalid_cdb(cmd, 1, 4);
		break;
	}
out:
	kitt_pr_update_active(pr);
	/* Kept: the new state, or that it no longer is kept */
	if (cmd->status == SAM_STAT_GOOD && (pr->aptpl || was_aptpl)) {
		/* A command's context: no reclaim may wait on I/O kitt serves */
		unsigned int noio = memalloc_noio_save();

		kitt_pr_save(dev, pr);	/* drops pr->lock */
		memalloc_noio_restore(noio);
	} else {
		mutex_unlock(&pr->lock);
	}
	mutex_unlock(&pr->save_lock);
	kfree(spare);
}
