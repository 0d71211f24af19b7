/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt: the SCSI command set: decoding and answering CDBs (spc.c,
 * sbc.c, alua.c, pure), sense data, and reservations (pr.c).
 */
#ifndef KITT_SCSI_H
#define KITT_SCSI_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/list.h>

/* ------------------------------------------------------------------ */
/* spc.c, sbc.c: SCSI command set, sense                              */
/* ------------------------------------------------------------------ */
/*
 * The SCSI command set (SPC-4 / SBC-3 subset) as pure functions over
 * buffers: no sockets, no bios, no locks, no allocation. Opcodes, sense
 * keys and SAM status codes are those of <scsi/scsi_proto.h>.
 *
 * Calling sequence, per SCSI Command PDU:
 *
 *   1. Fill the inputs of a struct kitt_scsi_cmd (memset it to 0 first):
 *      cdb, cdb_len, edtl, pdu_read, pdu_write, buf/buf_size (a buffer of
 *      at least KITT_SCSI_BUF_SIZE bytes for emulated Data-In), and
 *      describe the LU in a struct kitt_lu_info.
 *   2. kitt_scsi_decode(cmd, lu), or kitt_scsi_decode_nolun(cmd) when the
 *      PDU's LUN is not mapped. It always fills cmd->action, cmd->status
 *      and, for CHECK CONDITION, cmd->sense/sense_len.
 *   3. Act on cmd->action:
 *      NONE          send status (cmd->status, sense if any).
 *      EMULATE_IN    send cmd->data_len bytes of cmd->buf, then status.
 *      REPORT_LUNS   call kitt_spc_report_luns() with the portal group's
 *                    mapped LUNs, then as EMULATE_IN.
 *      READ          read cmd->nr_blocks at cmd->lba; send the first
 *                    cmd->data_len bytes (may end inside the last block).
 *      WRITE         receive cmd->data_len bytes; write the first
 *                    cmd->nr_blocks blocks of it at cmd->lba (a partial
 *                    trailing block is received and dropped); FUA if
 *                    cmd->fua; as one atomic write if cmd->atomic (all of
 *                    the data was announced and must arrive).
 *      WRITE_VERIFY  as WRITE, then make it durable (FUA) and, when
 *                    cmd->bytchk == 1, read the blocks back and check them
 *                    with kitt_sbc_compare().
 *      VERIFY        bytchk 0: read cmd->nr_blocks to check the medium,
 *                    no data moves. bytchk 1: receive cmd->data_len bytes,
 *                    read cmd->nr_blocks, kitt_sbc_compare() them. bytchk
 *                    3: receive one block, compare it with each of the
 *                    cmd->nr_blocks blocks (offset = i * block size +
 *                    byte). Miscompare -> MISCOMPARE sense, set for you.
 *      FLUSH         flush the device's volatile cache (whole device).
 *      WRITE_SAME    receive one block (none with cmd->ndob: the block
 *                    is all zeros) and write it to cmd->nr_blocks blocks
 *                    at cmd->lba. With cmd->unmap a block of zeros may be
 *                    written by write-zeroes, which may deallocate; any
 *                    other block is written as sent.
 *      COMPARE_AND_WRITE  receive cmd->data_len (= 2 * nr_blocks blocks);
 *                    under a per-LU range lock read nr_blocks at lba,
 *                    kitt_sbc_compare() them with the first half; on a
 *                    match write the second half (FUA if cmd->fua).
 *      DATA_OUT_PARAM  receive cmd->data_len bytes (the parameter list,
 *                    at most KITT_SCSI_MAX_PARAM_LEN) into a buffer and
 *                    call kitt_scsi_data_out(); it sets cmd->action again:
 *                    NONE, SET_WCE, UNMAP, PR_OUT, XCOPY or STPG.
 *      SET_WCE       (after MODE SELECT) store cmd->wce as the LU's write
 *                    cache setting, send GOOD.
 *      UNMAP         (after UNMAP's parameter list) for i in 0 ..
 *                    cmd->nr_desc - 1: kitt_sbc_unmap_desc(param, i,
 *                    &lba, &nr) and deallocate nr blocks at lba (skip nr
 *                    == 0); all were range-checked.
 *      PR_IN         kitt_pr_in() builds the PERSISTENT RESERVE IN data
 *                    in cmd->buf; then as EMULATE_IN.
 *      PR_OUT        (after PERSISTENT RESERVE OUT's parameter list)
 *                    kitt_pr_out() with the command's I_T nexus.
 *      RESERVE       kitt_pr_reserve_spc2(); RELEASE: kitt_pr_release_spc2().
 *      XCOPY         (after EXTENDED COPY's parameter list) copy each of
 *                    the cmd->nr_desc segments (kitt_xcopy_segment())
 *                    between the LUNs of the session's portal group its
 *                    target descriptors (kitt_xcopy_target()) name, with
 *                    the access checks each LUN would apply to a READ and
 *                    a WRITE; keep the outcome under cmd->list_id when
 *                    cmd->list_id_hold.
 *      COPY_STATUS   kitt_xcopy_status_data() with the outcome kept for
 *                    cmd->list_id (or NULL); then as EMULATE_IN.
 *      LBA_STATUS    (GET LBA STATUS on a LU with lu->lba_status) from
 *                    cmd->lba on, ask the backend for each extent and
 *                    kitt_sbc_lba_status_desc() it until that returns
 *                    false or the LU ends; kitt_sbc_lba_status_end(); then
 *                    as EMULATE_IN.
 *      ORWRITE       receive cmd->data_len bytes; under the per-LU range
 *                    lock of COMPARE AND WRITE read cmd->nr_blocks at
 *                    cmd->lba, OR the data into them, write them back
 *                    (FUA if cmd->fua).
 *      RTPG          kitt_alua_rtpg() with the LU's target port groups (at
 *                    most KITT_ALUA_MAX_GROUPS); then as EMULATE_IN.
 *      STPG          (after SET TARGET PORT GROUPS' parameter list) check
 *                    every kitt_alua_stpg_desc() names a group of the LU
 *                    open to explicit changes (else INVALID FIELD IN
 *                    PARAMETER LIST, nothing changed), then set them all.
 *   Before any action of a mapped LU: kitt_pr_check(), and on false
 *   status RESERVATION CONFLICT with no data.
 *   4. A failed bio: kitt_scsi_set_io_error(cmd, errno, is_write).
 *   5. Residuals for the SCSI Response: kitt_scsi_cmd_residual().
 *
 * Helpers: kitt_scsi_lun_decode() turns the PDU's LUN field into a LUN
 * number (-EINVAL: answer as an unmapped LUN); cmd->ua_pending tells
 * decode which unit attentions wait on the command's I_T_L nexus
 * (SAM-5 5.14, SPC-4 5.14): INQUIRY neither reports nor clears one,
 * REPORT LUNS clears a pending REPORTED LUNS DATA HAS CHANGED, REQUEST
 * SENSE returns the highest one as its parameter data with GOOD status,
 * and every other command ends in CHECK CONDITION with it. Either way
 * cmd->ua_cleared names the condition the task layer now clears.
 *
 * Every action with data: cmd->data_len bytes move on the wire (0 means
 * no R2T and no Data-In); unsolicited data beyond it, and all data of a
 * command that ended in CHECK CONDITION at decode, is read and dropped.
 * A CHECK CONDITION from decode has data_len 0 and action NONE.
 * cmd->status holds SAM_STAT_* values of <scsi/scsi_proto.h>, which
 * this header does not include (its macro names are short and generic).
 */

#define KITT_SENSE_LEN			18	/* fixed format sense data */
#define KITT_SERIAL_MAX			64	/* unit serial number (VPD 80) */
#define KITT_SCSI_BUF_SIZE		4096	/* emulated Data-In buffer */
#define KITT_SCSI_MAX_PARAM_LEN		8192	/* largest parameter list */
#define KITT_SBC_MAX_UNMAP_DESC		256	/* descriptors per UNMAP */
#define KITT_SBC_MAX_CAW_BLOCKS		255	/* COMPARE AND WRITE limit */
/*
 * WRITE SAME limit (MAXIMUM WRITE SAME LENGTH): the largest length WRITE
 * SAME(10) can carry, so that both forms have one limit. Initiators take
 * a limit of 65536 or more to mean that a WRITE of that many blocks works
 * too (libiscsi's WRITE SAME tests write the range first), which MAXIMUM
 * TRANSFER LENGTH forbids. A zero-length WRITE SAME ("to the last block")
 * is refused where more blocks than this remain.
 */
#define KITT_SBC_DEFAULT_WS_BLOCKS	65535
/*
 * EXTENDED COPY limits, reported by RECEIVE COPY RESULTS and VPD 0x8F:
 * target descriptors, segment descriptors and their combined length per
 * command, and the bytes of one segment. One command copies at most
 * 16 x 16 MiB, synchronously.
 */
#define KITT_XCOPY_MAX_TARGETS		8
#define KITT_XCOPY_MAX_SEGMENTS		16
#define KITT_XCOPY_MAX_DESC_LIST	1024
#define KITT_XCOPY_MAX_SEG_BYTES	(16U << 20)
#define KITT_XCOPY_KEPT_STATUS		8	/* COPY STATUS kept per session */
#define KITT_SCSI_VENDOR		"KITT"
#define KITT_SCSI_PRODUCT		"Block device"
#define KITT_SCSI_REVISION		"0001"

/**
 * enum kitt_ua_cond - unit attention conditions, highest priority first
 * @KITT_UA_RESET: BUS DEVICE RESET FUNCTION OCCURRED (29h/03h), after a
 *	LOGICAL UNIT RESET or TARGET RESET
 * @KITT_UA_RES_PREEMPTED: RESERVATIONS PREEMPTED (2Ah/03h)
 * @KITT_UA_RES_RELEASED: RESERVATIONS RELEASED (2Ah/04h)
 * @KITT_UA_REG_PREEMPTED: REGISTRATIONS PREEMPTED (2Ah/05h)
 * @KITT_UA_ALUA_CHANGED: ASYMMETRIC ACCESS STATE CHANGED (2Ah/06h)
 * @KITT_UA_CAPACITY_CHANGED: CAPACITY DATA HAS CHANGED (2Ah/09h)
 * @KITT_UA_MODE_CHANGED: MODE PARAMETERS CHANGED (2Ah/01h)
 * @KITT_UA_LUNS_CHANGED: REPORTED LUNS DATA HAS CHANGED (3Fh/0Eh)
 * @KITT_UA_NR: number of conditions
 *
 * A nexus keeps them as a bit mask, BIT(cond); the lowest bit set is
 * reported first.
 */
enum kitt_ua_cond {
	KITT_UA_RESET,
	KITT_UA_RES_PREEMPTED,
	KITT_UA_RES_RELEASED,
	KITT_UA_REG_PREEMPTED,
	KITT_UA_ALUA_CHANGED,
	KITT_UA_CAPACITY_CHANGED,
	KITT_UA_MODE_CHANGED,
	KITT_UA_LUNS_CHANGED,
	KITT_UA_NR
};

#define KITT_UA_NONE			(-1)

/* Additional sense codes (ASC, ASCQ) kitt sends */
#define KITT_ASC_NO_ADDITIONAL_SENSE	0x00
#define KITT_ASC_WRITE_ERROR		0x0c
#define KITT_ASC_UNRECOVERED_READ_ERROR	0x11
#define KITT_ASC_PARAM_LIST_LEN_ERROR	0x1a
#define KITT_ASC_MISCOMPARE_VERIFY	0x1d
#define KITT_ASC_INVALID_OPCODE		0x20
#define KITT_ASC_LBA_OUT_OF_RANGE	0x21
#define KITT_ASC_INVALID_FIELD_IN_CDB	0x24
#define KITT_ASC_LUN_NOT_SUPPORTED	0x25
#define KITT_ASC_INVALID_FIELD_IN_PARAM	0x26
#define KITT_ASC_LU_NOT_READY		0x04	/* with the ASCQs below */
#define KITT_ASCQ_ALUA_TRANSITION	0x0a
#define KITT_ASCQ_ALUA_STANDBY		0x0b
#define KITT_ASCQ_ALUA_UNAVAILABLE	0x0c
#define KITT_ASC_WRITE_PROTECTED	0x27	/* ASCQ 0x07: space alloc */
#define KITT_ASC_SAVING_PARAMS_UNSUP	0x39
#define KITT_ASC_INTERNAL_TARGET_FAILURE 0x44
#define KITT_ASC_COPY_TARGET_UNREACHABLE 0x0d	/* with ASCQ 0x02 */
#define KITT_ASCQ_COPY_TARGET_UNREACHABLE 0x02

/* Direction of the data phase as the CDB defines it */
enum kitt_scsi_dir {
	KITT_SCSI_DIR_NONE = 0,
	KITT_SCSI_DIR_IN,		/* target to initiator (Data-In) */
	KITT_SCSI_DIR_OUT,		/* initiator to target (Data-Out) */
};

/* What the task layer does next; see the calling sequence above. */
enum kitt_scsi_action {
	KITT_SCSI_ACT_NONE = 0,
	KITT_SCSI_ACT_EMULATE_IN,
	KITT_SCSI_ACT_REPORT_LUNS,
	KITT_SCSI_ACT_READ,
	KITT_SCSI_ACT_WRITE,
	KITT_SCSI_ACT_WRITE_VERIFY,
	KITT_SCSI_ACT_VERIFY,
	KITT_SCSI_ACT_FLUSH,
	KITT_SCSI_ACT_WRITE_SAME,
	KITT_SCSI_ACT_COMPARE_AND_WRITE,
	KITT_SCSI_ACT_DATA_OUT_PARAM,
	KITT_SCSI_ACT_SET_WCE,
	KITT_SCSI_ACT_UNMAP,
	KITT_SCSI_ACT_PR_IN,
	KITT_SCSI_ACT_PR_OUT,
	KITT_SCSI_ACT_RESERVE,
	KITT_SCSI_ACT_RELEASE,
	KITT_SCSI_ACT_ORWRITE,
	KITT_SCSI_ACT_XCOPY,
	KITT_SCSI_ACT_COPY_STATUS,
	KITT_SCSI_ACT_LBA_STATUS,
	KITT_SCSI_ACT_RTPG,
	KITT_SCSI_ACT_STPG,
};

/**
 * enum kitt_alua_state - asymmetric access states (SPC-4 5.15.2.4), with
 *	the values of REPORT TARGET PORT GROUPS
 * @KITT_ALUA_ACTIVE_OPTIMIZED: every command, the preferred way in
 * @KITT_ALUA_ACTIVE_NONOPTIMIZED: every command, possibly slower
 * @KITT_ALUA_STANDBY: management commands only; others NOT READY
 * @KITT_ALUA_UNAVAILABLE: fewer still
 * @KITT_ALUA_TRANSITIONING: on its way between two states
 */
enum kitt_alua_state {
	KITT_ALUA_ACTIVE_OPTIMIZED = 0x0,
	KITT_ALUA_ACTIVE_NONOPTIMIZED = 0x1,
	KITT_ALUA_STANDBY = 0x2,
	KITT_ALUA_UNAVAILABLE = 0x3,
	KITT_ALUA_TRANSITIONING = 0xf,
};

/* REPORT TARGET PORT GROUPS status codes (SPC-4 6.36) */
#define KITT_ALUA_STATUS_NONE		0x00
#define KITT_ALUA_STATUS_BY_STPG	0x01
#define KITT_ALUA_STATUS_IMPLICIT	0x02

/**
 * struct kitt_alua_group - a target port group as REPORT TARGET PORT
 *	GROUPS describes it; in kitt, one iSCSI portal group is one target
 *	port and one target port group
 * @id: target port group identifier
 * @rel_port_id: relative target port identifier of its one port
 * @state: enum kitt_alua_state
 * @pref: the preferred group (PREF)
 * @status: KITT_ALUA_STATUS_*
 */
struct kitt_alua_group {
	u16 id;
	u16 rel_port_id;
	u8 state;
	bool pref;
	u8 status;
};

/* Largest number of groups REPORT TARGET PORT GROUPS lists. */
#define KITT_ALUA_MAX_GROUPS		64

/**
 * struct kitt_lu_info - what the command set needs to know about a LU,
 *	filled by the task layer from the device, the LUN and the session.
 * @nr_blocks: capacity in logical blocks
 * @block_shift: log2 of the logical block size (9..16)
 * @phys_exp: log2 of logical blocks per physical block (0 for 1:1)
 * @read_only: medium writes answer DATA PROTECT / WRITE PROTECTED
 * @wce: the volatile write cache is enabled (caching mode page)
 * @discard: UNMAP and WRITE SAME with UNMAP are supported (LBPME, LBPU)
 * @lbprz: deallocated blocks read back as zeroes (LBPRZ)
 * @lba_status: the backend tells deallocated blocks from mapped ones
 *	(GET LBA STATUS asks it; otherwise everything is "mapped or unknown")
 * @max_xfer_blocks: largest READ/WRITE in blocks, 0 = no limit
 * @opt_xfer_blocks: optimal transfer length in blocks, 0 = not reported
 * @max_unmap_blocks: largest UNMAP range total, 0 = no limit
 * @unmap_granularity: optimal unmap granularity in blocks, 0 = 1
 * @max_ws_blocks: largest WRITE SAME, 0 = KITT_SBC_DEFAULT_WS_BLOCKS
 * @atomic_max_blocks: largest WRITE ATOMIC, 0 = no atomic writes
 * @atomic_gran_blocks: WRITE ATOMIC's granularity and alignment
 * @product: INQUIRY product identification (<= 16 chars), NULL = default
 * @serial: unit serial number (VPD 80, ASCII), NULL/"" = from @naa_id
 * @naa_id: 64-bit NAA designator (VPD 83); emitted as is when its top
 *	nibble is 2, 3 or 5, else as NAA 3 (locally assigned) of the low
 *	60 bits
 * @target_name: iSCSI name of the target (VPD 83 SCSI name strings)
 * @tpgt: portal group tag of the session (target port name)
 * @rel_port_id: relative target port identifier (VPD 83), non-zero
 * @tpg_id: target port group (VPD 83)
 * @alua_state: asymmetric access state of the target port (enum
 *	kitt_alua_state)
 * @alua_explicit: SET TARGET PORT GROUPS is accepted (TPGS 11b, else 01b)
 */
struct kitt_lu_info {
	u64 nr_blocks;
	unsigned int block_shift;
	unsigned int phys_exp;
	bool read_only;
	bool wce;
	bool discard;
	bool lbprz;
	bool lba_status;
	u32 max_xfer_blocks;
	u32 opt_xfer_blocks;
	u32 max_unmap_blocks;
	u32 unmap_granularity;
	u32 max_ws_blocks;
	u32 atomic_max_blocks;
	u32 atomic_gran_blocks;
	const char *product;
	const char *serial;
	u64 naa_id;
	const char *target_name;
	u16 tpgt;
	u16 rel_port_id;
	u16 tpg_id;
	u8 alua_state;
	bool alua_explicit;
};

/**
 * struct kitt_scsi_cmd - one SCSI command as the command set sees it.
 * @cdb: the CDB (input)
 * @cdb_len: bytes available at @cdb, 16 for a plain SCSI Command PDU
 * @edtl: Expected Data Transfer Length of the PDU (input)
 * @pdu_read: the PDU's R bit (input)
 * @pdu_write: the PDU's W bit (input)
 * @buf: emulated Data-In is built here (input, KITT_SCSI_BUF_SIZE bytes
 *	or more; may be NULL for the data path only)
 * @buf_size: size of @buf (input)
 * @ua_pending: the unit attentions pending on the I_T_L nexus, a mask
 *	of BIT(enum kitt_ua_cond) (input)
 * @ua_cleared: the condition this command reported or cleared, which
 *	the caller now clears on the nexus, or KITT_UA_NONE (output)
 * @action: what to do next (output)
 * @dir: data direction the CDB implies (output)
 * @status: SAM status (output)
 * @sense_len: 0 or KITT_SENSE_LEN (output)
 * @sense: fixed format sense data (output)
 * @lba: first logical block (output, block commands)
 * @cdb_blocks: the number of blocks the CDB names (output)
 * @nr_blocks: blocks to submit, after clamping to what EDTL carries
 *	(output)
 * @xfer_len: bytes the device server transfers as the CDB says: the
 *	residual computation compares it with EDTL (output)
 * @data_len: bytes that really move on the wire, min(@xfer_len, EDTL
 *	of the PDU's direction) (output)
 * @fua: force unit access: the CDB's FUA bit, or any medium write
 *	while the LU's write cache is disabled (output)
 * @unmap: WRITE SAME may deallocate (output)
 * @ndob: WRITE SAME without a Data-Out buffer: a block of zeros (output)
 * @atomic: the WRITE must reach the medium whole or not at all (WRITE
 *	ATOMIC): one atomic bio (output)
 * @list_id: EXTENDED COPY / RECEIVE COPY RESULTS list identifier (output)
 * @list_id_hold: keep the copy's status for COPY STATUS (output)
 * @bytchk: VERIFY / WRITE AND VERIFY byte check mode (output)
 * @wce: new write cache setting (output of MODE SELECT)
 * @nr_desc: UNMAP descriptors in the parameter list (output of UNMAP)
 */
struct kitt_scsi_cmd {
	const u8 *cdb;
	unsigned int cdb_len;
	u32 edtl;
	bool pdu_read;
	bool pdu_write;
	u8 *buf;
	u32 buf_size;
	u32 ua_pending;

	enum kitt_scsi_action action;
	enum kitt_scsi_dir dir;
	u8 status;
	u8 sense_len;
	u8 sense[KITT_SENSE_LEN];
	u64 lba;
	u32 cdb_blocks;
	u32 nr_blocks;
	u32 xfer_len;
	u32 data_len;
	bool fua;
	bool unmap;
	bool ndob;
	bool atomic;
	u8 list_id;
	bool list_id_hold;
	u8 bytchk;
	bool wce;
	u32 nr_desc;
	int ua_cleared;
};

/* Per-opcode table entry flags */
#define KITT_OP_SA		BIT(0)	/* @sa selects the entry */
#define KITT_OP_WRITES		BIT(1)	/* modifies the medium */
#define KITT_OP_DISCARD		BIT(2)	/* exists only when lu->discard */
#define KITT_OP_BUF		BIT(3)	/* builds its data in cmd->buf */
#define KITT_OP_ATOMIC		BIT(4)	/* exists only with lu->atomic_max_blocks */
#define KITT_OP_EXPLICIT_ALUA	BIT(5)	/* exists only with lu->alua_explicit */

/**
 * struct kitt_scsi_op - one supported command (opcode or opcode + service
 *	action), with its handler and its CDB usage data for REPORT
 *	SUPPORTED OPERATION CODES.
 * @opcode: operation code
 * @sa: service action (with KITT_OP_SA)
 * @flags: KITT_OP_*
 * @cdb_len: CDB length in bytes
 * @handler: decodes the CDB into @cmd; the table walker has already
 *	checked the CDB length, NACA and write protection
 * @usage: CDB usage data (bits the device server honours)
 */
struct kitt_scsi_op {
	u8 opcode;
	u8 sa;
	u8 flags;
	u8 cdb_len;
	void (*handler)(struct kitt_scsi_cmd *cmd,
			const struct kitt_lu_info *lu);
	u8 usage[16];
};

extern const struct kitt_scsi_op kitt_spc_ops[];
extern const unsigned int kitt_spc_nr_ops;
extern const struct kitt_scsi_op kitt_sbc_ops[];
extern const unsigned int kitt_sbc_nr_ops;

/* EDTL as it applies to the data direction the CDB implies. */
static inline u32 kitt_scsi_dir_edtl(const struct kitt_scsi_cmd *cmd)
{
	switch (cmd->dir) {
	case KITT_SCSI_DIR_IN:
		return cmd->pdu_read ? cmd->edtl : 0;
	case KITT_SCSI_DIR_OUT:
		return cmd->pdu_write ? cmd->edtl : 0;
	default:
		return 0;
	}
}

/* spc.c: decode, sense, emulated SPC commands */
int kitt_scsi_decode(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu);
int kitt_scsi_decode_nolun(struct kitt_scsi_cmd *cmd);
int kitt_scsi_data_out(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu,
		       const u8 *param, u32 len);
const struct kitt_scsi_op *kitt_scsi_find_op(u8 opcode, u8 sa,
					     const struct kitt_lu_info *lu,
					     bool *sa_unknown);
void kitt_sense_set(struct kitt_scsi_cmd *cmd, u8 key, u8 asc, u8 ascq);
void kitt_sense_set_info(struct kitt_scsi_cmd *cmd, u8 key, u8 asc, u8 ascq,
			 u32 info);
void kitt_sense_set_field(struct kitt_scsi_cmd *cmd, u8 key, u8 asc, u8 ascq,
			  bool in_cdb, u16 byte, int bit);
void kitt_scsi_invalid_cdb(struct kitt_scsi_cmd *cmd, u16 byte, int bit);
void kitt_scsi_ua_sense(struct kitt_scsi_cmd *cmd, enum kitt_ua_cond cond);
int kitt_scsi_ua_first(u32 pending);
void kitt_scsi_invalid_param(struct kitt_scsi_cmd *cmd, u16 byte, int bit);
void kitt_scsi_set_io_error(struct kitt_scsi_cmd *cmd, int err, bool write);
void kitt_scsi_residual(u32 edtl, u32 xfer_len, u8 *flags, u32 *count);
void kitt_scsi_cmd_residual(const struct kitt_scsi_cmd *cmd, u8 *flags,
			    u32 *count);
u32 kitt_spc_report_luns(struct kitt_scsi_cmd *cmd, const u64 *luns,
			 unsigned int nr_luns);
int kitt_scsi_lun_encode(u64 lun, u8 *out);
int kitt_scsi_lun_decode(const u8 *in, u64 *lun);
void kitt_scsi_set_data_in(struct kitt_scsi_cmd *cmd, u32 full_len,
			   u32 alloc_len);

/* alua.c: asymmetric logical unit access */
const char *kitt_alua_state_name(u8 state);
int kitt_alua_parse_state(const char *s, u8 *state);
bool kitt_alua_allows(const struct kitt_scsi_cmd *cmd, u8 state);
void kitt_alua_refuse(struct kitt_scsi_cmd *cmd, u8 state);
void kitt_alua_rtpg_cdb(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu);
void kitt_alua_rtpg(struct kitt_scsi_cmd *cmd, const struct kitt_alua_group *groups,
		    unsigned int nr_groups);
void kitt_alua_stpg_cdb(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu);
bool kitt_alua_stpg_check(struct kitt_scsi_cmd *cmd, const u8 *param, u32 len);
void kitt_alua_stpg_desc(const u8 *param, u32 idx, u16 *id, u8 *state);

/* sbc.c: block commands */
int kitt_sbc_compare(struct kitt_scsi_cmd *cmd, const u8 *medium,
		     const u8 *data, u32 len, u32 offset);
int kitt_sbc_unmap_check(struct kitt_scsi_cmd *cmd,
			 const struct kitt_lu_info *lu, const u8 *param,
			 u32 len);
void kitt_sbc_unmap_desc(const u8 *param, u32 idx, u64 *lba, u32 *nr);
bool kitt_sbc_lba_status_desc(struct kitt_scsi_cmd *cmd, u64 lba, u64 nr, bool mapped);
void kitt_sbc_lba_status_end(struct kitt_scsi_cmd *cmd);
u32 kitt_sbc_caw_max_blocks(const struct kitt_lu_info *lu);
u32 kitt_sbc_ws_max_blocks(const struct kitt_lu_info *lu);

/**
 * struct kitt_pr_nexus - an I_T nexus as reservations see it.
 * @initiator: InitiatorName
 * @isid: the session's ISID (6 bytes)
 * @target: TargetName
 * @tpgt: portal group tag (the target port)
 */
struct kitt_pr_nexus {
	const char *initiator;
	const u8 *isid;
	const char *target;
	u16 tpgt;
};

/* PERSISTENT RESERVE OUT service action that aborts the preempted nexuses' tasks */
#define KITT_PRO_PREEMPT_AND_ABORT	0x05

/* iSCSI names as reservations keep them (KITT_NAME_MAX, kitt_pdu.h) */
#define KITT_PR_NAME_MAX	224

/**
 * struct kitt_pr_ua - a unit attention that a PERSISTENT RESERVE OUT owes
 *	the initiator port of another I_T nexus (SPC-4 5.13.11)
 * @node: entry in the list kitt_pr_out() fills
 * @cond: KITT_UA_REG_PREEMPTED, KITT_UA_RES_PREEMPTED or
 *	KITT_UA_RES_RELEASED
 * @isid: the nexus: its ISID, portal group tag, InitiatorName, TargetName
 * @tpgt: see @isid
 * @all_tg_pt: any portal group tag (an ALL_TG_PT registration)
 * @any_isid: any ISID (a registration by initiator name)
 * @initiator: see @isid
 * @target: see @isid
 */
struct kitt_pr_ua {
	struct list_head node;
	enum kitt_ua_cond cond;
	u8 isid[6];
	u16 tpgt;
	bool all_tg_pt;
	bool any_isid;
	char initiator[KITT_PR_NAME_MAX];
	char target[KITT_PR_NAME_MAX];
};

struct kitt_device;

/**
 * struct kitt_xcopy_target - an identification target descriptor (0xE4)
 * @naa: the designator is an 8-byte NAA designator of a LU
 * @nul: the NUL bit (a null copy target: kitt supports none)
 * @naa_id: the designator, when @naa
 * @block_len: the disk block length it gives
 */
struct kitt_xcopy_target {
	bool naa;
	bool nul;
	u64 naa_id;
	u32 block_len;
};

/**
 * struct kitt_xcopy_segment - a block-to-block segment descriptor (0x02)
 * @src: source target descriptor index
 * @dst: destination target descriptor index
 * @nr_blocks: blocks to copy
 * @dst_blocks: @nr_blocks counts destination blocks (DC)
 * @src_lba: first source block
 * @dst_lba: first destination block
 */
struct kitt_xcopy_segment {
	u16 src;
	u16 dst;
	u16 nr_blocks;
	bool dst_blocks;
	u64 src_lba;
	u64 dst_lba;
};

/**
 * struct kitt_xcopy_status - the outcome of a copy, for COPY STATUS
 * @list_id: its list identifier
 * @valid: this entry holds a status
 * @failed: it ended in an error
 * @segments: segments completed
 * @bytes: bytes copied
 */
struct kitt_xcopy_status {
	u8 list_id;
	bool valid;
	bool failed;
	u16 segments;
	u64 bytes;
};

/* xcopy.c: EXTENDED COPY and RECEIVE COPY RESULTS */
bool kitt_xcopy_check(struct kitt_scsi_cmd *cmd, const u8 *param, u32 len);
void kitt_xcopy_target(const u8 *param, u32 idx, struct kitt_xcopy_target *t);
void kitt_xcopy_segment(const u8 *param, u32 idx, struct kitt_xcopy_segment *s);
u64 kitt_xcopy_naa(u64 naa_id);
void kitt_xcopy_status_data(struct kitt_scsi_cmd *cmd, const struct kitt_xcopy_status *st);
void kitt_spc_extended_copy(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu);
void kitt_spc_receive_copy_results(struct kitt_scsi_cmd *cmd, const struct kitt_lu_info *lu);
u32 kitt_vpd_third_party_copy(const struct kitt_lu_info *lu, u8 *buf);
void kitt_scsi_set_data_out(struct kitt_scsi_cmd *cmd, u32 len);

/* pr.c: persistent reservations and RESERVE/RELEASE, per device */
bool kitt_pr_check(struct kitt_device *dev, const struct kitt_pr_nexus *n,
		   const u8 *cdb);
void kitt_pr_in(struct kitt_device *dev, struct kitt_scsi_cmd *cmd);
void kitt_pr_out(struct kitt_device *dev, const struct kitt_pr_nexus *n,
		 struct kitt_scsi_cmd *cmd, const u8 *param, u32 len,
		 struct list_head *uas);
void kitt_pr_ua_free(struct list_head *uas);
void kitt_pr_reserve_spc2(struct kitt_device *dev,
			  const struct kitt_pr_nexus *n,
			  struct kitt_scsi_cmd *cmd);
void kitt_pr_release_spc2(struct kitt_device *dev,
			  const struct kitt_pr_nexus *n,
			  struct kitt_scsi_cmd *cmd);
void kitt_pr_nexus_gone(const struct kitt_pr_nexus *n);
void kitt_pr_reset(struct kitt_device *dev);
/* APTPL: restore at enable (tpg.c); the text of the files, for KUnit */
void kitt_pr_device_load(struct kitt_device *dev);
int kitt_pr_save_text(struct kitt_device *dev, char *buf, size_t size);
int kitt_pr_load_text(struct kitt_device *dev, char *text);
/* Frees dev->pr; called when a device is freed (tpg.c). */
void kitt_pr_device_gone(struct kitt_device *dev);

#endif /* KITT_SCSI_H */
