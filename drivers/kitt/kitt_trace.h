/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kitt's tracepoints (trace system "kitt"): login steps and outcomes, the
 * life of connections and sessions, task management functions and command
 * completions with their latency. Off, each costs a patched-out branch;
 * on, `perf trace -e 'kitt:*'` or `trace-cmd record -e kitt` shows them
 * (Documentation/admin-guide.rst, "Tracing"). trace.c instantiates them.
 * Task tags (itt, ref_itt) are shown as the initiator sent them.
 *
 * checkpatch exception: the TRACE_EVENT() layout below is the one of the
 * kernel's own trace headers (include/trace/events/), which checkpatch
 * --strict reports as OPEN_ENDED_LINE and PARENTHESIS_ALIGNMENT;
 * scripts/check.sh ignores those two types for this file only.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kitt

#if !defined(KITT_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define KITT_TRACE_H

#include <linux/tracepoint.h>
#include <linux/socket.h>

#include "kitt_compat.h"

/* Room for an IPv6 address with its scope and port: "[...%scope]:port". */
#define KITT_TRACE_ADDR_LEN	64

TRACE_EVENT(kitt_conn_accept,
	TP_PROTO(unsigned int conn, const struct sockaddr_storage *peer,
		 const struct sockaddr_storage *local),
	TP_ARGS(conn, peer, local),
	TP_STRUCT__entry(
		__field(unsigned int, conn)
		__array(char, peer, KITT_TRACE_ADDR_LEN)
		__array(char, local, KITT_TRACE_ADDR_LEN)
	),
	TP_fast_assign(
		__entry->conn = conn;
		snprintf(__entry->peer, KITT_TRACE_ADDR_LEN, "%pISpc", peer);
		snprintf(__entry->local, KITT_TRACE_ADDR_LEN, "%pISpc", local);
	),
	TP_printk("conn=%u peer=%s local=%s", __entry->conn, __entry->peer, __entry->local)
);

TRACE_EVENT(kitt_conn_close,
	TP_PROTO(unsigned int conn, unsigned int session, u64 rx_bytes, u64 tx_bytes),
	TP_ARGS(conn, session, rx_bytes, tx_bytes),
	TP_STRUCT__entry(
		__field(unsigned int, conn)
		__field(unsigned int, session)
		__field(u64, rx_bytes)
		__field(u64, tx_bytes)
	),
	TP_fast_assign(
		__entry->conn = conn;
		__entry->session = session;
		__entry->rx_bytes = rx_bytes;
		__entry->tx_bytes = tx_bytes;
	),
	TP_printk("conn=%u session=%u rx_bytes=%llu tx_bytes=%llu", __entry->conn,
		  __entry->session, __entry->rx_bytes, __entry->tx_bytes)
);

TRACE_EVENT(kitt_login_step,
	TP_PROTO(unsigned int conn, const char *initiator, const char *target, u8 csg, u8 nsg,
		 bool transit, u8 status_class, u8 status_detail),
	TP_ARGS(conn, initiator, target, csg, nsg, transit, status_class, status_detail),
	TP_STRUCT__entry(
		__field(unsigned int, conn)
		__string(initiator, initiator)
		__string(target, target)
		__field(u8, csg)
		__field(u8, nsg)
		__field(bool, transit)
		__field(u8, status_class)
		__field(u8, status_detail)
	),
	TP_fast_assign(
		__entry->conn = conn;
		kitt_assign_str(initiator, initiator);
		kitt_assign_str(target, target);
		__entry->csg = csg;
		__entry->nsg = nsg;
		__entry->transit = transit;
		__entry->status_class = status_class;
		__entry->status_detail = status_detail;
	),
	TP_printk("conn=%u initiator=%s target=%s csg=%u nsg=%u transit=%u status=0x%02x%02x",
		  __entry->conn, __get_str(initiator), __get_str(target), __entry->csg,
		  __entry->nsg, __entry->transit, __entry->status_class, __entry->status_detail)
);

TRACE_EVENT(kitt_login_done,
	TP_PROTO(unsigned int conn, const char *initiator, const char *target, u16 tpgt,
		 const char *outcome, const char *why),
	TP_ARGS(conn, initiator, target, tpgt, outcome, why),
	TP_STRUCT__entry(
		__field(unsigned int, conn)
		__string(initiator, initiator)
		__string(target, target)
		__field(u16, tpgt)
		__string(outcome, outcome)
		__string(why, why)
	),
	TP_fast_assign(
		__entry->conn = conn;
		kitt_assign_str(initiator, initiator);
		kitt_assign_str(target, target);
		__entry->tpgt = tpgt;
		kitt_assign_str(outcome, outcome);
		kitt_assign_str(why, why);
	),
	/*
	 * No double quotes in a format: tracefs shows them unescaped, and
	 * libtraceevent (trace-cmd report, perf) then cannot parse it.
	 */
	TP_printk("conn=%u initiator=%s target=%s tpgt=%u outcome=%s why='%s'",
		  __entry->conn, __get_str(initiator), __get_str(target), __entry->tpgt,
		  __get_str(outcome), __get_str(why))
);

TRACE_EVENT(kitt_session_start,
	TP_PROTO(unsigned int session, u16 tsih, const char *initiator, const char *target,
		 u16 tpgt, bool discovery),
	TP_ARGS(session, tsih, initiator, target, tpgt, discovery),
	TP_STRUCT__entry(
		__field(unsigned int, session)
		__field(u16, tsih)
		__string(initiator, initiator)
		__string(target, target)
		__field(u16, tpgt)
		__field(bool, discovery)
	),
	TP_fast_assign(
		__entry->session = session;
		__entry->tsih = tsih;
		kitt_assign_str(initiator, initiator);
		kitt_assign_str(target, target);
		__entry->tpgt = tpgt;
		__entry->discovery = discovery;
	),
	TP_printk("session=%u tsih=%u initiator=%s target=%s tpgt=%u type=%s",
		  __entry->session, __entry->tsih, __get_str(initiator), __get_str(target),
		  __entry->tpgt, __entry->discovery ? "Discovery" : "Normal")
);

TRACE_EVENT(kitt_session_end,
	TP_PROTO(unsigned int session, u16 tsih),
	TP_ARGS(session, tsih),
	TP_STRUCT__entry(
		__field(unsigned int, session)
		__field(u16, tsih)
	),
	TP_fast_assign(
		__entry->session = session;
		__entry->tsih = tsih;
	),
	TP_printk("session=%u tsih=%u", __entry->session, __entry->tsih)
);

TRACE_EVENT(kitt_tmf,
	TP_PROTO(unsigned int session, u8 function, u64 lun, u32 ref_itt, u8 response),
	TP_ARGS(session, function, lun, ref_itt, response),
	TP_STRUCT__entry(
		__field(unsigned int, session)
		__field(u8, function)
		__field(u64, lun)
		__field(u32, ref_itt)
		__field(u8, response)
	),
	TP_fast_assign(
		__entry->session = session;
		__entry->function = function;
		__entry->lun = lun;
		__entry->ref_itt = ref_itt;
		__entry->response = response;
	),
	TP_printk("session=%u function=%s lun=%llu ref_itt=0x%x response=%u", __entry->session,
		  __print_symbolic(__entry->function,
				   { 1, "abort_task" }, { 2, "abort_task_set" },
				   { 3, "clear_aca" }, { 4, "clear_task_set" },
				   { 5, "logical_unit_reset" }, { 6, "target_warm_reset" },
				   { 7, "target_cold_reset" }, { 8, "task_reassign" }),
		  __entry->lun, __entry->ref_itt, __entry->response)
);

TRACE_EVENT(kitt_cmd_done,
	TP_PROTO(unsigned int session, u32 itt, u64 lun, u8 opcode, u32 data_len, u8 status,
		 const u8 *sense, u32 sense_len, u64 latency_ns),
	TP_ARGS(session, itt, lun, opcode, data_len, status, sense, sense_len, latency_ns),
	TP_STRUCT__entry(
		__field(unsigned int, session)
		__field(u32, itt)
		__field(u64, lun)
		__field(u8, opcode)
		__field(u32, data_len)
		__field(u8, status)
		__field(u8, sense_key)
		__field(u8, asc)
		__field(u8, ascq)
		__field(u64, latency_ns)
	),
	TP_fast_assign(
		__entry->session = session;
		__entry->itt = itt;
		__entry->lun = lun;
		__entry->opcode = opcode;
		__entry->data_len = data_len;
		__entry->status = status;
		/* Fixed format sense, as kitt builds it. */
		__entry->sense_key = sense_len > 2 ? sense[2] & 0x0f : 0;
		__entry->asc = sense_len > 12 ? sense[12] : 0;
		__entry->ascq = sense_len > 13 ? sense[13] : 0;
		__entry->latency_ns = latency_ns;
	),
	TP_printk("session=%u itt=0x%x lun=%llu opcode=0x%02x data_len=%u status=0x%02x sense=%x/%02x/%02x latency_ns=%llu",
		  __entry->session, __entry->itt, __entry->lun, __entry->opcode,
		  __entry->data_len, __entry->status, __entry->sense_key, __entry->asc,
		  __entry->ascq, __entry->latency_ns)
);

#endif /* KITT_TRACE_H */

/* An out-of-tree module's trace header is found next to trace.c. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE kitt_trace
#include <trace/define_trace.h>
