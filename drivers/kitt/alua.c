// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: asymmetric logical unit access (SPC-4 5.15): which commands each
 * access state lets through, REPORT TARGET PORT GROUPS and SET TARGET
 * PORT GROUPS.
 *
 * In kitt an iSCSI portal group is one target port, and that port is a
 * target port group of its own: group identifier and relative target
 * port identifier are both the portal group tag. The task layer gathers
 * the groups of a LU (the portal groups of its target that map its
 * device) and applies a SET TARGET PORT GROUPS; everything here is pure.
 */
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <scsi/scsi_proto.h>

#include "kitt_pdu.h"
#include "kitt_scsi.h"
#include "kitt_compat.h"
#include "kitt_test.h"

/* RTPG supported-state bits: T_SUP, U_SUP, S_SUP, AN_SUP, AO_SUP */
#define KITT_ALUA_SUPPORTED	0x8f
#define KITT_RTPG_DESC_LEN	12	/* one group with one port */
#define KITT_RTPG_FMT_EXT	1	/* PARAMETER DATA FORMAT 001b */
#define KITT_STPG_DESC_LEN	4

static const struct {
	u8 state;
	const char *name;
} kitt_alua_names[] = {
	{ KITT_ALUA_ACTIVE_OPTIMIZED,	"active_optimized" },
	{ KITT_ALUA_ACTIVE_NONOPTIMIZED, "active_nonoptimized" },
	{ KITT_ALUA_STANDBY,		"standby" },
	{ KITT_ALUA_UNAVAILABLE,	"unavailable" },
	{ KITT_ALUA_TRANSITIONING,	"transitioning" },
};

/**
 * kitt_alua_state_name() - the configfs name of an access state
 * @state: enum kitt_alua_state
 *
 * Return: its name, or "unknown".
 */
const char *kitt_alua_state_name(u8 state)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(kitt_alua_names); i++)
		if (kitt_alua_names[i].state == state)
			return kitt_alua_names[i].name;
	return "unknown";
}

/**
 * kitt_alua_parse_state() - an access state as an administrator writes it
 * @s: its name (with or without a trailing newline), or its RTPG value
 *	in decimal (0, 1, 2, 3 or 15)
 * @state: set to the state
 *
 * Return: 0, or -EINVAL.
 */
int kitt_alua_parse_state(const char *s, u8 *state)
{
	unsigned int i;
	u8 v;

	for (i = 0; i < ARRAY_SIZE(kitt_alua_names); i++) {
		if (sysfs_streq(s, kitt_alua_names[i].name)) {
			*state = kitt_alua_names[i].state;
			return 0;
		}
	}
	if (kstrtou8(s, 10, &v))
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(kitt_alua_names); i++) {
		if (kitt_alua_names[i].state == v) {
			*state = v;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * kitt_alua_allows() - may a command run through a port in this state?
 * @cmd: the command (its CDB)
 * @state: the access state of the port it came in through
 *
 * SPC-4 5.15.2.4: both active states take everything. INQUIRY, REPORT
 * LUNS, REQUEST SENSE and the MAINTENANCE IN reports (REPORT TARGET PORT
 * GROUPS, REPORT SUPPORTED OPERATION CODES) work in every state. Standby
 * also takes the mode and log pages, the diagnostics, persistent
 * reservations, SET TARGET PORT GROUPS and (SBC-3 4.x) READ CAPACITY;
 * unavailable SET TARGET PORT GROUPS; transitioning nothing more.
 *
 * Return: true when the command may go on.
 */
bool kitt_alua_allows(const struct kitt_scsi_cmd *cmd, u8 state)
{
	u8 op = cmd->cdb[0];

	if (state == KITT_ALUA_ACTIVE_OPTIMIZED || state == KITT_ALUA_ACTIVE_NONOPTIMIZED)
		return true;
	switch (op) {
	case INQUIRY:
	case REPORT_LUNS:
	case REQUEST_SENSE:
	case MAINTENANCE_IN:
		return true;
	case MAINTENANCE_OUT:
		return state != KITT_ALUA_TRANSITIONING;
	default:
		break;
	}
	if (state != KITT_ALUA_STANDBY)
		return false;
	switch (op) {
	case MODE_SENSE:
	case MODE_SENSE_10:
	case MODE_SELECT:
	case MODE_SELECT_10:
	case LOG_SENSE:
	case LOG_SELECT:
	case RECEIVE_DIAGNOSTIC:
	case SEND_DIAGNOSTIC:
	case PERSISTENT_RESERVE_IN:
	case PERSISTENT_RESERVE_OUT:
	case READ_CAPACITY:
		return true;
	case SERVICE_ACTION_IN_16:
		return cmd->cdb_len > 1 && (cmd->cdb[1] & 0x1f) == SAI_READ_CAPACITY_16;
	default:
		return false;
	}
}

/**
 * kitt_alua_refuse() - the CHECK CONDITION of a command the state refuses
 * @cmd: the command
 * @state: the port's access state
 *
 * NOT READY with LOGICAL UNIT NOT ACCESSIBLE, and the ASCQ of the state:
 * ASYMMETRIC ACCESS STATE TRANSITION (04h/0Ah), TARGET PORT IN STANDBY
 * STATE (04h/0Bh) or TARGET PORT IN UNAVAILABLE STATE (04h/0Ch).
 */
void kitt_alua_refuse(struct kitt_scsi_cmd *cmd, u8 state)
{
	u8 ascq;

	switch (state) {
	case KITT_ALUA_STANDBY:
		ascq = KITT_ASCQ_ALUA_STANDBY;
		break;
	case KITT_ALUA_UNAVAILABLE:
		ascq = KITT_ASCQ_ALUA_UNAVAILABLE;
		break;
	default:
		ascq = KITT_ASCQ_ALUA_TRANSITION;
		break;
	}
	kitt_sense_set(cmd, NOT_READY, KITT_ASC_LU_NOT_READY, ascq);
}

/**
 * kitt_alua_rtpg_cdb() - decode REPORT TARGET PORT GROUPS
 * @cmd: the command
 * @lu: the LU
 *
 * PARAMETER DATA FORMAT 000b (length only) and 001b (extended header)
 * are known; the task layer builds the data with kitt_alua_rtpg().
 */
void kitt_alua_rtpg_cdb(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu)
{
	if ((cmd->cdb[1] >> 5) > KITT_RTPG_FMT_EXT) {
		kitt_scsi_invalid_cdb(cmd, 1, 7);
		return;
	}
	cmd->action = KITT_SCSI_ACT_RTPG;
	cmd->dir = KITT_SCSI_DIR_IN;
}

/**
 * kitt_alua_rtpg() - build the REPORT TARGET PORT GROUPS parameter data
 * @cmd: a command decoded to KITT_SCSI_ACT_RTPG
 * @groups: the LU's target port groups
 * @nr_groups: how many
 *
 * One descriptor per group, each with its one target port. Descriptors
 * that do not fit cmd->buf are cut; RETURN DATA LENGTH still counts
 * them. Sets the data length from the ALLOCATION LENGTH.
 */
void kitt_alua_rtpg(struct kitt_scsi_cmd *cmd, const struct kitt_alua_group *groups,
		    unsigned int nr_groups)
{
	bool ext = (cmd->cdb[1] >> 5) == KITT_RTPG_FMT_EXT;
	u32 alloc = get_unaligned_be32(&cmd->cdb[6]);
	u32 off = ext ? 8 : 4, i;
	u8 *p;

	if (cmd->buf_size < 8)
		return;
	memset(cmd->buf, 0, off);
	for (i = 0; i < nr_groups; i++, off += KITT_RTPG_DESC_LEN) {
		if (off + KITT_RTPG_DESC_LEN > cmd->buf_size)
			continue;
		p = &cmd->buf[off];
		memset(p, 0, KITT_RTPG_DESC_LEN);
		p[0] = (groups[i].pref ? 0x80 : 0) | (groups[i].state & 0x0f);
		p[1] = KITT_ALUA_SUPPORTED;
		put_unaligned_be16(groups[i].id, &p[2]);
		p[5] = groups[i].status;
		p[7] = 1;			/* TARGET PORT COUNT */
		put_unaligned_be16(groups[i].rel_port_id, &p[10]);
	}
	put_unaligned_be32(off - 4, cmd->buf);
	if (ext)
		cmd->buf[4] = KITT_RTPG_FMT_EXT << 4;	/* implicit transition time 0 */
	kitt_scsi_set_data_in(cmd, off, alloc);
}

/**
 * kitt_alua_stpg_cdb() - decode SET TARGET PORT GROUPS
 * @cmd: the command
 * @lu: the LU (its table entry exists only with explicit ALUA)
 *
 * A PARAMETER LIST LENGTH of zero changes nothing; one longer than the
 * header and KITT_ALUA_MAX_GROUPS descriptors is refused.
 */
void kitt_alua_stpg_cdb(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu)
{
	u32 len = get_unaligned_be32(&cmd->cdb[6]);

	if (len > 4 + KITT_ALUA_MAX_GROUPS * KITT_STPG_DESC_LEN) {
		kitt_scsi_invalid_cdb(cmd, 6, 7);
		return;
	}
	if (len)
		kitt_scsi_set_data_out(cmd, len);
}

/**
 * kitt_alua_stpg_check() - check a SET TARGET PORT GROUPS parameter list
 * @cmd: the command, waiting for its parameter list
 * @param: the list
 * @len: its length
 *
 * A header of four reserved bytes, then four-byte descriptors of an
 * access state and a group. Only the two active states, standby and
 * unavailable may be asked for. On success the action is STPG with
 * cmd->nr_desc descriptors (read them with kitt_alua_stpg_desc()).
 *
 * Return: true, or false with CHECK CONDITION set.
 */
bool kitt_alua_stpg_check(struct kitt_scsi_cmd *cmd, const u8 *param, u32 len)
{
	u32 i, n;

	if (len < 4 || (len - 4) % KITT_STPG_DESC_LEN) {
		kitt_sense_set(cmd, ILLEGAL_REQUEST, KITT_ASC_PARAM_LIST_LEN_ERROR, 0);
		return false;
	}
	n = (len - 4) / KITT_STPG_DESC_LEN;
	for (i = 0; i < n; i++) {
		u8 state = param[4 + i * KITT_STPG_DESC_LEN] & 0x0f;

		if (state > KITT_ALUA_UNAVAILABLE) {
			kitt_scsi_invalid_param(cmd, 4 + i * KITT_STPG_DESC_LEN, 3);
			return false;
		}
	}
	cmd->nr_desc = n;
	cmd->action = KITT_SCSI_ACT_STPG;
	return true;
}

/**
 * kitt_alua_stpg_desc() - one descriptor of a checked STPG list
 * @param: the list
 * @idx: the descriptor, below cmd->nr_desc
 * @id: set to its target port group
 * @state: set to the access state asked for
 */
void kitt_alua_stpg_desc(const u8 *param, u32 idx, u16 *id, u8 *state)
{
	const u8 *d = &param[4 + idx * KITT_STPG_DESC_LEN];

	*state = d[0] & 0x0f;
	*id = get_unaligned_be16(&d[2]);
}
