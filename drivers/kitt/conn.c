// SPDX-License-Identifier: GPL-2.0
/*
 * kitt: connection lifecycle, receive and transmit threads.
 *
 * A connection is born in the listener thread (kitt_conn_accept()), which
 * starts its receive thread. The receive thread runs the login, then
 * starts the transmit thread and reads PDUs until the socket fails or is
 * shut down; then it tears the connection down and frees it. Anyone who
 * wants a connection gone shuts its socket down and waits for it to leave
 * the global list: nobody else frees a connection.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/net.h>
#include <linux/percpu.h>
#include <linux/kthread.h>
#include <linux/slab.h>
#include <linux/sched/mm.h>
#include <linux/sched/isolation.h>
#include <linux/tcp.h>
#include <linux/uio.h>
#include <linux/highmem.h>
#include <linux/scatterlist.h>
#include <crypto/hash.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "kitt.h"
#include "kitt_trace.h"
#include "kitt_compat.h"

/* Connections of discovery sessions, in login or after (max_discovery_conns). */
atomic_t kitt_discovery_conns = ATOMIC_INIT(0);

/* kitt_conns_lock protects kitt_conns, each conn->node and kitt_conn_pinned. */
static DEFINE_MUTEX(kitt_conns_lock);
static LIST_HEAD(kitt_conns);
/* Bumped and woken each time a connection is freed. */
static DECLARE_WAIT_QUEUE_HEAD(kitt_conns_wait);
static atomic_t kitt_conns_gen = ATOMIC_INIT(0);
static atomic_t kitt_conn_ids = ATOMIC_INIT(0);
/* Connections assigned to each CPU (kitt_pin_threads). */
static DEFINE_PER_CPU(unsigned int, kitt_conn_pinned);

/**
 * kitt_conn_shutdown() - make a connection go away
 * @conn: the connection
 *
 * Shuts the socket down; the receive thread sees the error, tears the
 * connection down and frees it. Safe to call more than once and from any
 * context that may sleep.
 */
void kitt_conn_shutdown(struct kitt_conn *conn)
{
	WRITE_ONCE(conn->shut, true);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);
	wake_up(&conn->tx_wait);
	wake_up(&conn->tx_room_wait);
}

/*
 * The receive side takes bytes from the socket with its read_sock()
 * method, under the socket lock, straight out of the queued skbs: a refill
 * of the stash copies whole small PDUs (as many as have arrived, sized by
 * the scanner, conn->rx_scan) and stops before a large data segment, which
 * then goes from the skbs into the task's pages with one copy, its data
 * digest computed in the same pass.
 */

/**
 * kitt_conn_kick() - have the transmit thread send what is queued
 * @conn: the connection
 *
 * For the receive thread before it may block on anything: responses it
 * gathered (kitt_conn_flush()) must not wait for that. A transmit thread
 * that is not asleep sees the queue anyway (it sends until the queue is
 * empty, and checks it again after it has queued itself to sleep).
 */
void kitt_conn_kick(struct kitt_conn *conn)
{
	if (!list_empty_careful(&conn->tx_queue) && wq_has_sleeper(&conn->tx_wait))
		wake_up(&conn->tx_wait);
}

/* The CRC32C used for data digests on receive; shared, it has no key. */
static struct crypto_ahash *kitt_conn_crc32c;

/**
 * struct kitt_rx_read - one read from the socket
 * @conn: the connection
 * @to: where the bytes go, for a read around the stash; NULL for a refill
 * @need: for a refill, bytes still needed before it may return
 * @err: an error from copying
 */
struct kitt_rx_read {
	struct kitt_conn *conn;
	struct iov_iter *to;
	u32 need;
	int err;
};

/* Refill: copy from @skb into the stash, as far as the scanner allows. */
static int kitt_conn_refill_actor(read_descriptor_t *desc, struct sk_buff *skb,
				  unsigned int offset, size_t len)
{
	struct kitt_rx_read *rd = desc->arg.data;
	struct kitt_conn *conn = rd->conn;
	struct kitt_rx_scan *scan = &conn->rx_scan;
	u32 done = 0;

	while (done < len) {
		u32 end = conn->rx_stash_off + conn->rx_stash_len;
		u32 room = kitt_rx_scan_room(scan), k;
		u8 *dst = conn->rx_stash + end;

		/*
		 * Asked for bytes of a large data segment (its padding and
		 * digest, or a part read in small pieces): take its rest.
		 */
		if (!room && rd->need)
			room = scan->data_left;
		room = max(room, rd->need);
		k = min3((u32)(len - done), room, KITT_RX_STASH_SIZE - end);
		if (!k)
			break;
		if (skb_copy_bits(skb, offset + done, dst, k)) {
			rd->err = -EFAULT;
			break;
		}
		kitt_rx_scan_feed(scan, dst, k);
		conn->rx_stash_len += k;
		rd->need -= min(rd->need, k);
		done += k;
	}
	if (done < len || rd->err)
		desc->count = 0;
	return done;
}

/* Around the stash: copy from @skb into rd->to, hashing on the way. */
static int kitt_conn_direct_actor(read_descriptor_t *desc, struct sk_buff *skb,
				  unsigned int offset, size_t len)
{
	struct kitt_rx_read *rd = desc->arg.data;
	struct kitt_conn *conn = rd->conn;
	u32 k = min_t(size_t, len, iov_iter_count(rd->to));
	int ret;

	if (!k)
		return 0;
	if (conn->rx_hashing)
		ret = skb_copy_and_hash_datagram_iter(skb, offset, rd->to, k, conn->rx_hash);
	else
		ret = skb_copy_datagram_iter(skb, offset, rd->to, k);
	if (ret) {
		rd->err = ret;
		desc->count = 0;
		return 0;
	}
	kitt_rx_scan_feed(&conn->rx_scan, NULL, k);
	if (!iov_iter_count(rd->to))
		desc->count = 0;
	return k;
}

static bool kitt_conn_read_done(const struct kitt_rx_read *rd)
{
	return rd->to ? !iov_iter_count(rd->to) : !rd->need;
}

/*
 * One read: run @actor over what the socket has queued until @rd is
 * satisfied, waiting for more as needed. Waits end at conn->rx_deadline
 * when it is set (the login's, or a discovery session's idle deadline):
 * -ETIMEDOUT. Returns 0 or a negative errno (-ECONNRESET for an orderly
 * close by the peer).
 */
static int kitt_conn_read(struct kitt_conn *conn, sk_read_actor_t actor,
			  struct kitt_rx_read *rd)
{
	struct socket *sock = conn->sock;
	struct sock *sk = sock->sk;
	read_descriptor_t desc = { .arg.data = rd };
	long timeo = sock_rcvtimeo(sk, false);
	bool kicked = false;
	int ret = 0, n;

	if (conn->rx_deadline) {
		if (time_after_eq(jiffies, conn->rx_deadline))
			return -ETIMEDOUT;
		timeo = (long)(conn->rx_deadline - jiffies);
	}
	lock_sock(sk);
	for (;;) {
		desc.count = 1;
		n = sock->ops->read_sock(sk, &desc, actor);
		if (n > 0)
			this_cpu_add(conn->stats.pcpu->rx_bytes, n);
		if (rd->err) {
			ret = rd->err;
			break;
		}
		if (kitt_conn_read_done(rd))
			break;
		if (n < 0) {
			ret = n;
			break;
		}
		if (n > 0)
			continue;
		/*
		 * Nothing taken with bytes queued: read_sock() stops at urgent
		 * data, which iSCSI never sends and nothing here would skip.
		 */
		if (!skb_queue_empty(&sk->sk_receive_queue)) {
			ret = -EPROTO;
			break;
		}
		if (sk->sk_err) {
			ret = sock_error(sk);
			break;
		}
		if ((sk->sk_shutdown & RCV_SHUTDOWN) || sock_flag(sk, SOCK_DONE) ||
		    sk->sk_state == TCP_CLOSE) {
			ret = -ECONNRESET;
			break;
		}
		if (!timeo) {
			ret = -ETIMEDOUT;
			break;
		}
		/*
		 * Responses gathered by kitt_conn_flush() while the rest of a
		 * PDU was on its way: give it a tick to come, then let the
		 * transmit thread send them rather than have them wait for
		 * the peer.
		 */
		if (!kicked && !list_empty_careful(&conn->tx_queue)) {
			long tick = min(timeo, 1L);

			sk_wait_data(sk, &tick, NULL);
			if (timeo != MAX_SCHEDULE_TIMEOUT)
				timeo -= min(timeo, 1 - tick);
			if (skb_queue_empty(&sk->sk_receive_queue)) {
				kitt_conn_kick(conn);
				kicked = true;
			}
			continue;
		}
		sk_wait_data(sk, &timeo, NULL);
	}
	release_sock(sk);
	/* The connection ends: what is gathered goes out before it. */
	if (ret)
		kitt_conn_kick(conn);
	return ret;
}

/* Feed @len bytes at @p, in the stash, into the running data digest. */
static int kitt_conn_hash(struct kitt_conn *conn, const u8 *p, u32 len)
{
	struct scatterlist sg;

	sg_init_one(&sg, p, len);
	ahash_request_set_crypt(conn->rx_hash, &sg, NULL, len);
	return crypto_ahash_update(conn->rx_hash);
}

/**
 * kitt_conn_recv_iter() - fill @to from the connection
 * @conn: the connection
 * @to: where the bytes go (a kvec iterator), advanced to its end
 *
 * Small reads (headers, digests, small data segments) are served from the
 * connection's receive stash, which one refill fills with as many whole
 * PDUs as have arrived: a burst of commands costs one read, not two per
 * PDU. A large read goes straight from the socket into @to, in one read
 * however many pages it spans. Inside a data segment begun with
 * kitt_conn_data_begin(), the bytes are fed into its digest on the way.
 *
 * Return: 0, or a negative errno when the connection failed or was shut
 * down (-ECONNRESET for an orderly close by the peer).
 */
int kitt_conn_recv_iter(struct kitt_conn *conn, struct iov_iter *to)
{
	struct kitt_rx_read rd = { .conn = conn };
	int ret;

	while (iov_iter_count(to)) {
		if (conn->rx_stash_len) {
			u8 *p = conn->rx_stash + conn->rx_stash_off;
			size_t n = min_t(size_t, iov_iter_count(to), conn->rx_stash_len);

			n = copy_to_iter(p, n, to);
			if (conn->rx_hashing) {
				ret = kitt_conn_hash(conn, p, n);
				if (ret)
					return ret;
			}
			conn->rx_stash_off += n;
			conn->rx_stash_len -= n;
			continue;
		}
		if (iov_iter_count(to) >= KITT_RX_STASH_DIRECT) {
			rd.to = to;
			return kitt_conn_read(conn, kitt_conn_direct_actor, &rd);
		}
		conn->rx_stash_off = 0;
		rd.need = min_t(size_t, iov_iter_count(to), KITT_RX_STASH_SIZE);
		ret = kitt_conn_read(conn, kitt_conn_refill_actor, &rd);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * kitt_conn_recv() - receive exactly @len bytes
 * @conn: the connection
 * @buf: where to put them
 * @len: how many
 *
 * Return: as kitt_conn_recv_iter().
 */
static int kitt_conn_recv(struct kitt_conn *conn, void *buf, size_t len)
{
	struct kvec kv = { .iov_base = buf, .iov_len = len };
	struct iov_iter to;

	iov_iter_kvec(&to, READ, &kv, 1, len);
	return kitt_conn_recv_iter(conn, &to);
}

/*
 * kitt_conn_rx_ready() - is the next PDU header already here?
 * @conn: the connection
 *
 * A hint, read without the socket lock: true when the stash holds a whole
 * BHS or the socket has data queued, so reading on will not sleep long.
 *
 * Return: true if more input is waiting.
 */
static bool kitt_conn_rx_ready(struct kitt_conn *conn)
{
	return conn->rx_stash_len >= ISCSI_HDR_LEN ||
	       !skb_queue_empty_lockless(&conn->sock->sk->sk_receive_queue);
}

/**
 * kitt_conn_data_begin() - a data segment starts
 * @conn: the connection
 *
 * With data digests, what kitt_conn_recv_iter() receives from now on until
 * kitt_conn_recv_digest() goes into the digest.
 *
 * Return: 0 or a negative errno from the hash.
 */
int kitt_conn_data_begin(struct kitt_conn *conn)
{
	if (!conn->data_digest)
		return 0;
	conn->rx_hashing = true;
	return crypto_ahash_init(conn->rx_hash);
}

/**
 * kitt_conn_recv_digest() - receive the rest of a data segment
 * @conn: the connection
 * @len: DataSegmentLength (for the padding)
 *
 * Receives the padding and, with data digests, the digest, and checks it
 * against what was computed since kitt_conn_data_begin().
 *
 * Return: 0, -EBADMSG on a digest mismatch, or a receive error.
 */
int kitt_conn_recv_digest(struct kitt_conn *conn, u32 len)
{
	__le32 digest, expect;
	u8 pad[4];
	int ret;

	/* An empty data segment has neither padding nor a digest. */
	if (len && kitt_pad4(len)) {
		ret = kitt_conn_recv(conn, pad, kitt_pad4(len));
		if (ret)
			return ret;
	}
	if (!conn->data_digest)
		return 0;
	conn->rx_hashing = false;
	if (!len)
		return 0;
	ahash_request_set_crypt(conn->rx_hash, NULL, (u8 *)&expect, 0);
	ret = crypto_ahash_final(conn->rx_hash);
	if (!ret)
		ret = kitt_conn_recv(conn, &digest, sizeof(digest));
	if (ret)
		return ret;
	if (expect != digest) {
		this_cpu_inc(conn->stats.pcpu->digest_errors);
		pr_err_ratelimited("conn %u: data digest error, closing\n", conn->id);
		return -EBADMSG;
	}
	return 0;
}

/**
 * kitt_conn_recv_segment() - receive a whole data segment into a buffer
 * @conn: the connection
 * @buf: destination, at least @len bytes
 * @len: DataSegmentLength (already checked against the limit)
 *
 * Return: 0, -EBADMSG on a data digest error, or a receive error.
 */
int kitt_conn_recv_segment(struct kitt_conn *conn, void *buf, u32 len)
{
	int ret;

	ret = kitt_conn_data_begin(conn);
	if (!ret)
		ret = kitt_conn_recv(conn, buf, len);
	if (!ret)
		ret = kitt_conn_recv_digest(conn, len);
	return ret;
}

/**
 * kitt_conn_recv_header() - receive and validate the next PDU header
 * @conn: the connection
 * @pdu: filled with the BHS, AHS and the checked sizes
 * @login: the connection is in the login phase
 *
 * Reads the BHS, the AHS and the header digest, and validates the whole
 * header before the caller reads a byte of the data segment.
 *
 * Return: 0; -EAGAIN when the PDU was rejected and skipped (go on with
 * the next one); -EPROTO when the header is not acceptable (the caller
 * drops the connection), -EBADMSG on a header digest error, or a receive
 * error.
 */
int kitt_conn_recv_header(struct kitt_conn *conn, struct kitt_rx_pdu *pdu, bool login)
{
	struct kitt_pdu_limits lim = {
		.max_data_len = login ? KITT_LOGIN_MAX_DSL : conn->max_recv_dsl,
		.login = login,
		.discovery = !login && conn->sess && conn->sess->discovery,
		.header_digest = conn->header_digest,
		.data_digest = conn->data_digest,
	};
	enum kitt_pdu_verdict verdict;
	__le32 digest;
	int ret;

	pdu->replay = false;
	ret = kitt_conn_recv(conn, &pdu->bhs, ISCSI_HDR_LEN);
	if (ret)
		return ret;
	pdu->ahs_len = pdu->bhs.hlength * 4;
	if (pdu->ahs_len) {
		ret = kitt_conn_recv(conn, pdu->ahs, pdu->ahs_len);
		if (ret)
			return ret;
	}
	if (conn->header_digest) {
		ret = kitt_conn_recv(conn, &digest, sizeof(digest));
		if (ret)
			return ret;
		if (kitt_pdu_header_digest(&pdu->bhs, pdu->ahs, pdu->ahs_len) != digest) {
			this_cpu_inc(conn->stats.pcpu->digest_errors);
			pr_err_ratelimited("conn %u: header digest error, closing\n", conn->id);
			return -EBADMSG;
		}
	}
	verdict = kitt_pdu_check(&pdu->bhs, &lim, &pdu->info);
	if (verdict == KITT_PDU_DROP) {
		pr_err_ratelimited("conn %u: bad PDU (opcode 0x%02x): %s, closing\n",
				   conn->id, pdu->bhs.opcode, pdu->info.why ?: "invalid");
		return -EPROTO;
	}
	conn->last_rx = jiffies;
	/* Nothing past this header was read: the scanner starts again here. */
	if (!conn->rx_stash_len)
		kitt_rx_scan_data(&conn->rx_scan, pdu->info.data_len);
	this_cpu_inc(conn->stats.pcpu->rx_pdus);
	if (verdict == KITT_PDU_REJECT) {
		ret = kitt_conn_skip_data(conn, pdu->info.data_len);
		if (ret)
			return ret;
		pr_info_ratelimited("conn %u: rejecting PDU (opcode 0x%02x): %s\n",
				    conn->id, pdu->bhs.opcode, pdu->info.why ?: "invalid");
		ret = kitt_session_reject(conn, &pdu->bhs, pdu->info.reason);
		return ret ? ret : -EAGAIN;
	}
	return 0;
}

/**
 * kitt_conn_skip_data() - read and throw away a data segment
 * @conn: the connection
 * @len: DataSegmentLength of the PDU
 *
 * Return: 0 or a receive error. Digest errors are ignored: the data is
 * being discarded anyway.
 */
int kitt_conn_skip_data(struct kitt_conn *conn, u32 len)
{
	u32 left = len + kitt_pad4(len) + (conn->data_digest && len ? ISCSI_CRC_LEN : 0);
	u8 scratch[64];
	int ret;

	while (left) {
		u32 n = min_t(u32, left, sizeof(scratch));

		ret = kitt_conn_recv(conn, scratch, n);
		if (ret)
			return ret;
		left -= n;
	}
	return 0;
}

/**
 * kitt_conn_send_kvec() - send kernel memory, all of it
 * @conn: the connection
 * @iov: the pieces
 * @n: entries of @iov
 * @more: more is coming right away (MSG_MORE)
 *
 * Return: 0 or a negative errno.
 */
int kitt_conn_send_kvec(struct kitt_conn *conn, struct kvec *iov, unsigned int n, bool more)
{
	struct msghdr msg = { .msg_flags = MSG_NOSIGNAL | (more ? MSG_MORE : 0) };
	size_t total = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < n; i++)
		total += iov[i].iov_len;
	ret = kernel_sendmsg(conn->sock, &msg, iov, n, total);
	if (ret < 0)
		return ret;
	if (ret != total)
		return -EIO;
	this_cpu_add(conn->stats.pcpu->tx_bytes, total);
	return 0;
}

/**
 * kitt_conn_trailer() - the padding and data digest that end a data segment
 * @conn: the connection
 * @iov: room for two entries, filled from the start
 * @len: the data segment's length
 * @crc: running CRC32C over the data, if data digests are on
 * @digest: storage for the digest, which @iov points to
 *
 * Return: the entries of @iov used, 0 to 2 (none for an empty segment).
 */
unsigned int kitt_conn_trailer(struct kitt_conn *conn, struct kvec *iov, u32 len, u32 crc,
			       __le32 *digest)
{
	static const u8 zero_pad[4];
	u32 pad = kitt_pad4(len);
	unsigned int n = 0;

	if (!len)
		return 0;
	if (pad) {
		iov[n].iov_base = (void *)zero_pad;
		iov[n++].iov_len = pad;
	}
	if (conn->data_digest) {
		if (pad)
			crc = kitt_crc32c(crc, zero_pad, pad);
		*digest = kitt_crc32c_final(crc);
		iov[n].iov_base = digest;
		iov[n++].iov_len = sizeof(*digest);
	}
	return n;
}

/**
 * kitt_conn_send_iov() - send a PDU from kernel memory
 * @conn: the connection
 * @bhs: the 48-byte header (AHS-free)
 * @data: data segment, may be NULL
 * @len: its length
 * @more: more is coming right away (MSG_MORE)
 *
 * Adds the header digest, padding and data digest as negotiated.
 *
 * Return: 0 or a negative errno.
 */
int kitt_conn_send_iov(struct kitt_conn *conn, const struct iscsi_hdr *bhs,
		       const void *data, u32 len, bool more)
{
	struct kvec iov[5];
	__le32 hdigest, ddigest;
	unsigned int n = 0;
	int ret;

	iov[n].iov_base = (void *)bhs;
	iov[n++].iov_len = ISCSI_HDR_LEN;
	if (conn->header_digest) {
		hdigest = kitt_pdu_header_digest(bhs, NULL, 0);
		iov[n].iov_base = &hdigest;
		iov[n++].iov_len = sizeof(hdigest);
	}
	if (len) {
		iov[n].iov_base = (void *)data;
		iov[n++].iov_len = len;
		n += kitt_conn_trailer(conn, iov + n, len,
				       conn->data_digest ? kitt_crc32c(~0U, data, len) : 0,
				       &ddigest);
	}
	ret = kitt_conn_send_kvec(conn, iov, n, more);
	if (!ret)
		this_cpu_inc(conn->stats.pcpu->tx_pdus);
	return ret;
}

/**
 * kitt_conn_send_pages() - send pages without copying
 * @conn: the connection
 * @bv: the pages, offsets and lengths (never slab memory)
 * @nr: entries of @bv
 * @len: bytes in all
 * @more: more follows right away
 *
 * Return: 0 or a negative errno.
 */
int kitt_conn_send_pages(struct kitt_conn *conn, const struct bio_vec *bv,
			 unsigned int nr, size_t len, bool more)
{
	int ret;

	ret = kitt_compat_send_pages(conn->sock, bv, nr, len,
				     MSG_NOSIGNAL | (more ? MSG_MORE : 0));
	if (!ret)
		this_cpu_add(conn->stats.pcpu->tx_bytes, len);
	return ret;
}

/**
 * kitt_conn_page_get() - a page for a task's data buffer
 * @conn: the connection
 *
 * Takes the oldest page of the connection's pool if nothing but the pool
 * holds it any more (a page sent by sendpage stays referenced by the
 * socket until the data is acknowledged), else allocates one. Pool pages
 * are not cleared: they are only used for READ and WRITE data, which fill
 * them before anyone looks. Debian's kernels clear every new page
 * (init_on_alloc), which costs a 128 KB read 32 page clears otherwise.
 *
 * Return: the page or NULL.
 */
struct page *kitt_conn_page_get(struct kitt_conn *conn)
{
	struct page *page = NULL;
	unsigned int tries = 2;
	unsigned long flags;

	spin_lock_irqsave(&conn->pool_lock, flags);
	while (conn->pool_count && tries--) {
		struct page *p = conn->pool[conn->pool_head];

		conn->pool_head = (conn->pool_head + 1) % KITT_CONN_POOL_PAGES;
		if (page_ref_count(p) == 1) {
			page = p;
			conn->pool_count--;
			break;
		}
		/* Still in flight: move it to the back of the ring. */
		conn->pool[(conn->pool_head + conn->pool_count - 1) % KITT_CONN_POOL_PAGES] = p;
	}
	spin_unlock_irqrestore(&conn->pool_lock, flags);
	return page ?: alloc_page(GFP_NOIO);
}

/**
 * kitt_conn_page_put() - give a data page back
 * @conn: the connection
 * @page: a page from kitt_conn_page_get()
 *
 * Safe from any context.
 */
void kitt_conn_page_put(struct kitt_conn *conn, struct page *page)
{
	unsigned long flags;

	spin_lock_irqsave(&conn->pool_lock, flags);
	if (conn->pool && conn->pool_count < KITT_CONN_POOL_PAGES) {
		conn->pool[(conn->pool_head + conn->pool_count) % KITT_CONN_POOL_PAGES] = page;
		conn->pool_count++;
		page = NULL;
	}
	spin_unlock_irqrestore(&conn->pool_lock, flags);
	if (page)
		put_page(page);
}

/**
 * kitt_conn_pool_free() - free the page pool
 * @conn: the connection; no task of it is left
 */
void kitt_conn_pool_free(struct kitt_conn *conn)
{
	for (; conn->pool_count; conn->pool_count--) {
		put_page(conn->pool[conn->pool_head]);
		conn->pool_head = (conn->pool_head + 1) % KITT_CONN_POOL_PAGES;
	}
	kfree(conn->pool);
	conn->pool = NULL;
}

/**
 * kitt_conn_queue() - hand an item to the transmit side
 * @conn: the connection
 * @item: the item; a task must hold an inflight count for @conn
 *
 * Safe from any context, including bio completion. Items queued by the
 * receive thread itself, in task context, are left to kitt_conn_flush()
 * once the PDU at hand is dealt with, which saves a thread switch per
 * command; anything else wakes the transmit thread.
 */
void kitt_conn_queue(struct kitt_conn *conn, struct kitt_tx_item *item)
{
	unsigned long flags;

	spin_lock_irqsave(&conn->tx_lock, flags);
	list_add_tail(&item->node, &conn->tx_queue);
	conn->tx_queued++;
	conn->tx_data_in += item->data_in;
	if (item->ctl) {
		conn->ctl_queued++;
		conn->ctl_bytes += item->ctl_len;
	}
	spin_unlock_irqrestore(&conn->tx_lock, flags);
	/*
	 * A completion in interrupt context may have interrupted the receive
	 * thread itself (blk-mq completes on the submitting CPU): current is
	 * then that thread, which may be about to sleep in recvmsg() and
	 * would not flush until the next PDU arrives. Only the thread's own
	 * task context may skip the wake-up.
	 */
	if (!in_task() || current != conn->rx_thread || !conn->tx_thread)
		wake_up(&conn->tx_wait);
}

/**
 * kitt_ctl_pdu_alloc() - allocate a control PDU with a data segment
 * @len: data segment length
 * @gfp: allocation flags
 *
 * Free it with kitt_ctl_pdu_free() unless it was queued.
 *
 * Return: the zeroed PDU or NULL.
 */
struct kitt_ctl_pdu *kitt_ctl_pdu_alloc(u32 len, gfp_t gfp)
{
	struct kitt_ctl_pdu *pdu;

	pdu = kvzalloc(struct_size(pdu, data, len), gfp);
	if (!pdu)
		return NULL;
	pdu->data_len = len;
	pdu->alloc_len = len;
	hton24(pdu->bhs.dlength, len);
	return pdu;
}

/**
 * kitt_ctl_rsp_alloc() - allocate the response to an initiator's request
 * @opcode: the response's opcode (Final bit set, StatSN advanced)
 * @itt: the request's Initiator Task Tag
 * @len: data segment length
 *
 * Return: the PDU, its other fields zero, or NULL.
 */
struct kitt_ctl_pdu *kitt_ctl_rsp_alloc(u8 opcode, itt_t itt, u32 len)
{
	struct kitt_ctl_pdu *pdu = kitt_ctl_pdu_alloc(len, GFP_KERNEL);

	if (!pdu)
		return NULL;
	pdu->bhs.opcode = opcode;
	pdu->bhs.flags = ISCSI_FLAG_CMD_FINAL;
	pdu->bhs.itt = itt;
	pdu->stat_fields = true;
	pdu->advance_statsn = true;
	return pdu;
}

/**
 * kitt_ctl_pdu_free() - free a control PDU
 * @pdu: from kitt_ctl_pdu_alloc()
 */
void kitt_ctl_pdu_free(struct kitt_ctl_pdu *pdu)
{
	kvfree(pdu);
}

/**
 * kitt_conn_fill_stat() - fill StatSN, ExpCmdSN and MaxCmdSN of a response
 * @conn: the connection (transmit thread context)
 * @statsn: where StatSN goes
 * @advance: the response consumes a StatSN
 * @exp_cmdsn: where ExpCmdSN goes
 * @max_cmdsn: where MaxCmdSN goes
 */
void kitt_conn_fill_stat(struct kitt_conn *conn, __be32 *statsn, bool advance,
			 __be32 *exp_cmdsn, __be32 *max_cmdsn)
{
	u32 exp, max;

	*statsn = cpu_to_be32(conn->stat_sn);
	if (advance)
		conn->stat_sn++;
	kitt_session_window(conn->sess, &exp, &max);
	*exp_cmdsn = cpu_to_be32(exp);
	*max_cmdsn = cpu_to_be32(max);
}

static int kitt_conn_send_ctl(struct kitt_conn *conn, struct kitt_tx_item *item)
{
	struct kitt_ctl_pdu *pdu = container_of(item, struct kitt_ctl_pdu, tx);
	struct iscsi_nopin *hdr = (struct iscsi_nopin *)&pdu->bhs;
	int ret;

	/*
	 * Every target PDU that carries StatSN/ExpCmdSN/MaxCmdSN has them at
	 * the NOP-In offsets (bytes 24, 28 and 32).
	 */
	if (pdu->stat_fields)
		kitt_conn_fill_stat(conn, &hdr->statsn, pdu->advance_statsn,
				    &hdr->exp_cmdsn, &hdr->max_cmdsn);
	ret = kitt_conn_send_iov(conn, &pdu->bhs, pdu->data, pdu->data_len, false);
	if (!ret && pdu->close_after)
		ret = -ESHUTDOWN;
	kitt_ctl_pdu_free(pdu);
	return ret;
}

static void kitt_conn_drop_ctl(struct kitt_conn *conn, struct kitt_tx_item *item)
{
	kitt_ctl_pdu_free(container_of(item, struct kitt_ctl_pdu, tx));
}

static const struct kitt_tx_ops kitt_ctl_tx_ops = {
	.send	= kitt_conn_send_ctl,
	.drop	= kitt_conn_drop_ctl,
};

/**
 * kitt_conn_queue_ctl() - queue a control PDU for the transmit side
 * @conn: the connection
 * @pdu: from kitt_ctl_pdu_alloc(), complete; the queue owns it now
 */
void kitt_conn_queue_ctl(struct kitt_conn *conn, struct kitt_ctl_pdu *pdu)
{
	pdu->tx.ops = &kitt_ctl_tx_ops;
	pdu->tx.ctl = true;
	/* What it holds, not what it sends: a Text response is sized up front. */
	pdu->tx.ctl_len = pdu->alloc_len;
	kitt_conn_queue(conn, &pdu->tx);
}

static bool kitt_conn_has_room(struct kitt_conn *conn)
{
	return READ_ONCE(conn->ctl_queued) < KITT_CONN_CTL_QUEUE_MAX &&
	       READ_ONCE(conn->ctl_bytes) < KITT_CONN_CTL_BYTES_MAX;
}

static struct kitt_tx_item *kitt_conn_dequeue(struct kitt_conn *conn)
{
	struct kitt_tx_item *item = NULL;
	bool wake = false;

	spin_lock_irq(&conn->tx_lock);
	if (!list_empty(&conn->tx_queue)) {
		item = list_first_entry(&conn->tx_queue, struct kitt_tx_item, node);
		list_del_init(&item->node);
		conn->tx_queued--;
		conn->tx_data_in -= item->data_in;
		if (item->ctl) {
			conn->ctl_queued--;
			conn->ctl_bytes -= item->ctl_len;
			wake = kitt_conn_has_room(conn);
		}
	}
	spin_unlock_irq(&conn->tx_lock);
	if (wake && wq_has_sleeper(&conn->tx_room_wait))
		wake_up(&conn->tx_room_wait);
	return item;
}

/**
 * kitt_conn_wait_room() - stop reading while too many responses are queued
 * @conn: the connection (receive thread)
 *
 * A peer that sends requests and does not read the answers would make the
 * transmit queue grow without end: past KITT_CONN_CTL_QUEUE_MAX control
 * PDUs or KITT_CONN_CTL_BYTES_MAX bytes of their data, the receive thread
 * waits until the transmit thread has sent some. A peer that reads nothing
 * at all is dropped when a send has waited attrib/send_timeout.
 *
 * Return: 0, or -ECONNRESET when the connection is going away.
 */
int kitt_conn_wait_room(struct kitt_conn *conn)
{
	if (kitt_conn_has_room(conn))
		return 0;
	wake_up(&conn->tx_wait);
	wait_event_interruptible(conn->tx_room_wait,
				 kitt_conn_has_room(conn) || READ_ONCE(conn->tx_failed) ||
				 READ_ONCE(conn->shut));
	return READ_ONCE(conn->tx_failed) || READ_ONCE(conn->shut) ? -ECONNRESET : 0;
}

static void kitt_conn_drop_item(struct kitt_conn *conn, struct kitt_tx_item *item)
{
	item->ops->drop(conn, item);
}

static int kitt_conn_send_item(struct kitt_conn *conn, struct kitt_tx_item *item)
{
	return item->ops->send(conn, item);
}

/*
 * Send what is queued, in order, under conn->send_lock. Returns false if
 * @budget ran out with items left. After a send error everything is
 * dropped: the connection is going away.
 */
static bool kitt_conn_send_queued(struct kitt_conn *conn, unsigned int budget)
{
	struct kitt_tx_item *item;
	int ret;

	bool corked = false, done = true;

	lockdep_assert_held(&conn->send_lock);
	while ((item = kitt_conn_dequeue(conn))) {
		if (READ_ONCE(conn->tx_failed)) {
			kitt_conn_drop_item(conn, item);
			continue;
		}
		/*
		 * More is queued behind this item: cork the socket, so the
		 * responses leave in full segments and the initiator takes
		 * them in one go; uncorking below pushes the rest.
		 */
		if (!corked && !list_empty_careful(&conn->tx_queue)) {
			tcp_sock_set_cork(conn->sock->sk, true);
			corked = true;
		}
		ret = kitt_conn_send_item(conn, item);
		if (ret) {
			if (ret != -ESHUTDOWN)
				kitt_dbg(KITT_DBG_CONN, "conn %u: send failed: %d\n",
					 conn->id, ret);
			WRITE_ONCE(conn->tx_failed, true);
			kitt_conn_shutdown(conn);
			if (ret == -EAGAIN)
				pr_warn_ratelimited("conn %u: %pISc did not read for %lus, closing\n",
						    conn->id, &conn->peer,
						    conn->sock->sk->sk_sndtimeo / HZ);
		}
		if (!--budget) {
			done = list_empty_careful(&conn->tx_queue);
			break;
		}
	}
	if (corked)
		tcp_sock_set_cork(conn->sock->sk, false);
	return done;
}

/*
 * How many queued items the receive thread sends itself before handing
 * off; while more commands wait to be read, it gathers as many status
 * responses and R2Ts before it sends them.
 */
#define KITT_RX_SEND_BUDGET	8

/*
 * Room kept for what a gathered item sends besides its read data: header,
 * digests, padding and sense data.
 */
#define KITT_RX_SEND_ITEM_ROOM	512

/*
 * What one Data-In PDU may take of the socket's send buffer besides its
 * data: header, two digests and padding, and at worst an skb of its own
 * (a peer may negotiate PDUs as small as 512 bytes).
 */
#define KITT_DATA_IN_PDU_ROOM	(ISCSI_HDR_LEN + 2 * ISCSI_CRC_LEN + ISCSI_PAD_LEN - 1 + \
				 SKB_TRUESIZE(MAX_TCP_HEADER))

/**
 * kitt_conn_data_in_room() - what a command's read data takes to send
 * @conn: the connection
 * @len: bytes of read data
 * @burst: the session's MaxBurstLength
 *
 * Return: the bytes its Data-In PDUs may take of the socket's send buffer,
 * counted into tx_data_in so that the receive thread sends only what fits.
 */
u32 kitt_conn_data_in_room(struct kitt_conn *conn, u32 len, u32 burst)
{
	u64 room = (u64)kitt_pdu_data_in_count(len, conn->max_xmit_dsl, burst) *
		   KITT_DATA_IN_PDU_ROOM + len;

	return min_t(u64, room, U32_MAX);
}

/*
 * Would @data_in bytes of read data and @ctl_bytes of control data, and
 * what KITT_RX_SEND_BUDGET items send besides, fit the free space of the
 * socket's send buffer? Then sending them does not wait for the peer to
 * read. @data_in counts an skb per Data-In PDU already; 1/16 more is kept
 * for the skbs of the rest.
 */
static bool kitt_conn_rx_send_fits(struct kitt_conn *conn, u32 data_in, u32 ctl_bytes)
{
	int space = sk_stream_wspace(conn->sock->sk);
	u64 bytes = (u64)data_in + ctl_bytes;

	bytes += bytes / 16 + KITT_RX_SEND_BUDGET * KITT_RX_SEND_ITEM_ROOM;
	return space > 0 && bytes <= (u64)space;
}

/*
 * How many of the queued items the receive thread may send now: those
 * queued so far, up to KITT_RX_SEND_BUDGET, if all the queue holds fits
 * the socket; else none. Called with send_lock held: no other thread takes
 * items, so the first ones in the queue are those counted here.
 */
static unsigned int kitt_conn_rx_send_count(struct kitt_conn *conn)
{
	unsigned int n = 0;

	spin_lock_irq(&conn->tx_lock);
	if (kitt_conn_rx_send_fits(conn, conn->tx_data_in, conn->ctl_bytes))
		n = min_t(unsigned int, conn->tx_queued, KITT_RX_SEND_BUDGET);
	spin_unlock_irq(&conn->tx_lock);
	return n;
}

/**
 * kitt_conn_flush() - the receive thread sends what it queued
 * @conn: the connection
 *
 * Called between PDUs, where the receive thread holds no lock. When no
 * further command waits to be read, it sends what is queued. While more
 * wait, status responses, R2Ts and control PDUs are gathered, up to
 * KITT_RX_SEND_BUDGET items, and sent here in one go: a thread switch costs
 * more than they do. Read data is gathered too when both threads are pinned
 * to one CPU (conn->cpu >= 0): there the transmit thread would only take
 * turns with this one, at two switches per hand-off; unpinned, it goes to
 * the transmit thread, which sends it from another CPU while this thread
 * goes on receiving.
 *
 * This thread sends only when all that is queued fits the free space of the
 * socket's send buffer, by its count of the bytes, so that it does not stop
 * reading to wait for a peer that is slow to read (or reads nothing until a
 * send of its own is done); else the transmit thread is woken to send.
 *
 * What is gathered never waits long while this thread blocks: when input it
 * waits for has not come within a tick (the rest of a PDU usually comes at
 * once), before it takes on task management or logout, and before a
 * command that may wait for I/O, it calls kitt_conn_kick(). If the transmit
 * thread is busy, or a batch leaves more queued, it is woken instead.
 */
void kitt_conn_flush(struct kitt_conn *conn)
{
	unsigned int n;
	bool ready, done;
	u32 data_in;

	if (list_empty_careful(&conn->tx_queue))
		return;
	ready = kitt_conn_rx_ready(conn);
	data_in = READ_ONCE(conn->tx_data_in);
	if (ready && data_in &&
	    (conn->cpu < 0 ||
	     !kitt_conn_rx_send_fits(conn, data_in, READ_ONCE(conn->ctl_bytes)))) {
		wake_up(&conn->tx_wait);
		return;
	}
	if (ready && READ_ONCE(conn->tx_queued) < KITT_RX_SEND_BUDGET)
		return;
	if (!mutex_trylock(&conn->send_lock)) {
		wake_up(&conn->tx_wait);
		return;
	}
	n = kitt_conn_rx_send_count(conn);
	done = n && kitt_conn_send_queued(conn, n);
	mutex_unlock(&conn->send_lock);
	if (!done)
		wake_up(&conn->tx_wait);
}

static int kitt_conn_tx_thread(void *arg)
{
	struct kitt_conn *conn = arg;
	unsigned int noio = memalloc_noio_save();

	/* From inside: newer kernels set a kthread's affinity as it starts. */
	if (conn->cpu >= 0)
		set_cpus_allowed_ptr(current, cpumask_of(conn->cpu));
	while (!kthread_should_stop()) {
		long timeout = kitt_session_nopin_check(conn);

		wait_event_interruptible_timeout(conn->tx_wait,
						 !list_empty_careful(&conn->tx_queue) ||
						 kthread_should_stop(), timeout);
		mutex_lock(&conn->send_lock);
		kitt_conn_send_queued(conn, UINT_MAX);
		mutex_unlock(&conn->send_lock);
	}
	/* Whatever is still queued is dropped by the receive thread. */
	memalloc_noio_restore(noio);
	return 0;
}

/**
 * kitt_conn_inflight_put() - a task of @conn is gone
 * @conn: the connection
 *
 * The connection may be freed as soon as this returns for its last task.
 * Safe from any context.
 */
void kitt_conn_inflight_put(struct kitt_conn *conn)
{
	unsigned long flags;

	spin_lock_irqsave(&conn->inflight_wait.lock, flags);
	if (atomic_dec_and_test(&conn->inflight))
		wake_up_locked(&conn->inflight_wait);
	spin_unlock_irqrestore(&conn->inflight_wait.lock, flags);
}

static void kitt_conn_drain_tx(struct kitt_conn *conn)
{
	struct kitt_tx_item *item;

	while ((item = kitt_conn_dequeue(conn)))
		kitt_conn_drop_item(conn, item);
}

/* The connection is past its login (or gone): the listener may accept another. */
static void kitt_conn_login_end(struct kitt_conn *conn)
{
	struct kitt_login_gate *gate = conn->login_gate;

	if (!gate)
		return;
	conn->login_gate = NULL;
	atomic_dec(&gate->count);
	wake_up(&gate->wait);
}

/*
 * kitt_conn_pick_cpu() - with kitt_pin_threads (the default), the CPU a
 * connection entering full feature phase runs on: of the online CPUs not
 * isolated from kernel threads, the one with the fewest such connections.
 * Both its threads go there, as LIO does with its own: the receive thread,
 * the bios it submits (blk-mq completes on the submitting CPU) and the
 * transmit thread share one CPU's caches and wake each other without an
 * IPI, and the scheduler has no reason to move them between I/Os. Left to
 * the scheduler, a connection at queue depth 1 moved CPU every other I/O,
 * and the initiator's threads with it (Documentation/performance.rst).
 * Returns -1 to let the scheduler place them (pin_threads=N, or fewer than
 * two such CPUs); kitt_conn_unpin() gives the CPU back. A CPU taken
 * offline moves its threads elsewhere, and its connections count against
 * it until they end.
 */
static int kitt_conn_pick_cpu(void)
{
	const struct cpumask *hk = housekeeping_cpumask(HK_TYPE_KTHREAD);
	unsigned int n = 0, least = UINT_MAX;
	int cpu, best = -1;

	if (!READ_ONCE(kitt_pin_threads))
		return -1;
	mutex_lock(&kitt_conns_lock);
	/* Not on CPUs isolated from kernel threads (isolcpus, nohz_full). */
	for_each_cpu_and(cpu, cpu_online_mask, hk) {
		n++;
		if (per_cpu(kitt_conn_pinned, cpu) < least) {
			least = per_cpu(kitt_conn_pinned, cpu);
			best = cpu;
		}
	}
	if (n < 2)
		best = -1;
	if (best >= 0)
		per_cpu(kitt_conn_pinned, best)++;
	mutex_unlock(&kitt_conns_lock);
	return best;
}

/* The connection is closing (once, from teardown): its CPU counts one less. */
static void kitt_conn_unpin(struct kitt_conn *conn)
{
	if (conn->cpu < 0)
		return;
	mutex_lock(&kitt_conns_lock);
	per_cpu(kitt_conn_pinned, conn->cpu)--;
	mutex_unlock(&kitt_conns_lock);
}

static void kitt_conn_teardown(struct kitt_conn *conn)
{
	u64 rx_bytes, tx_bytes;

	/* Under the list lock: kitt_conn_visit_ffp() queues no more. */
	mutex_lock(&kitt_conns_lock);
	WRITE_ONCE(conn->state, KITT_CONN_CLOSING);
	mutex_unlock(&kitt_conns_lock);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);

	/*
	 * Release tasks still waiting for data, then wait for bios in
	 * flight: the transmit thread keeps running meanwhile, fails to
	 * send on the dead socket and drops what completes.
	 */
	if (conn->sess)
		kitt_session_conn_stop(conn);
	/* The receive thread may have queued items it did not get to send. */
	wake_up(&conn->tx_wait);
	/*
	 * The last kitt_conn_inflight_put() holds the wait queue's lock from
	 * its decrement until it has woken us: taking the lock once the count
	 * reads zero waits for it to let go, after which nobody touches the
	 * connection any more.
	 */
	wait_event(conn->inflight_wait, !atomic_read(&conn->inflight));
	spin_lock_irq(&conn->inflight_wait.lock);
	spin_unlock_irq(&conn->inflight_wait.lock);
	/* Before the threads go: a login that follows their end finds the CPU free. */
	kitt_conn_unpin(conn);
	if (conn->tx_thread) {
		kthread_stop(conn->tx_thread);
		put_task_struct(conn->tx_thread);
		conn->tx_thread = NULL;
	}
	kitt_conn_drain_tx(conn);
	if (trace_kitt_conn_close_enabled()) {
		kitt_stats_conn_bytes(&conn->stats, &rx_bytes, &tx_bytes);
		trace_kitt_conn_close(conn->id, conn->sess ? conn->sess->id : 0, rx_bytes,
				      tx_bytes);
	}
	/* Nothing counts any more: the session and portal keep the counts. */
	kitt_stats_conn_detach(&conn->stats);
	if (conn->sess)
		kitt_session_conn_gone(conn);

	/* The listener may go once we leave the list: let go of its gate first. */
	kitt_conn_login_end(conn);
	mutex_lock(&kitt_conns_lock);
	list_del(&conn->node);
	mutex_unlock(&kitt_conns_lock);
	atomic_inc(&kitt_conns_gen);
	wake_up_all(&kitt_conns_wait);
	if (conn->discovery_counted)
		atomic_dec(&kitt_discovery_conns);

	kitt_dbg(KITT_DBG_CONN, "conn %u: closed\n", conn->id);
	sock_release(conn->sock);
	kitt_acl_luns_put(conn->acl_luns);
	kitt_conn_pool_free(conn);
	kfree(conn->rx_stash);
	kvfree(conn->rx_buf);
	ahash_request_free(conn->rx_hash);
	kitt_stats_conn_exit(&conn->stats);
	kfree(conn);
	atomic_dec(&kitt_live_conns);
}

/*
 * kitt_conn_start_tx() - start the transmit thread at full feature phase
 * @conn: the connection
 *
 * Return: 0 or a negative errno.
 */
static int kitt_conn_start_tx(struct kitt_conn *conn)
{
	struct task_struct *t;

	t = kthread_create(kitt_conn_tx_thread, conn, "kitt_tx/%u", conn->id);
	if (IS_ERR(t))
		return PTR_ERR(t);
	get_task_struct(t);
	conn->tx_thread = t;
	wake_up_process(t);
	return 0;
}

/**
 * kitt_conn_set_digests() - switch digests on as the login negotiated them
 * @conn: the connection, at the end of its login
 * @header_digest: CRC32C on headers
 * @data_digest: CRC32C on data segments
 *
 * Return: 0 or -ENOMEM.
 */
int kitt_conn_set_digests(struct kitt_conn *conn, bool header_digest, bool data_digest)
{
	if (data_digest && !conn->rx_hash) {
		conn->rx_hash = ahash_request_alloc(kitt_conn_crc32c, GFP_KERNEL);
		if (!conn->rx_hash)
			return -ENOMEM;
		ahash_request_set_callback(conn->rx_hash, 0, NULL, NULL);
	}
	conn->header_digest = header_digest;
	conn->data_digest = data_digest;
	conn->rx_scan.header_digest = header_digest;
	conn->rx_scan.data_digest = data_digest;
	return 0;
}

/**
 * kitt_conn_init() - set up what all connections share
 *
 * Return: 0 or a negative errno.
 */
int kitt_conn_init(void)
{
	kitt_conn_crc32c = crypto_alloc_ahash("crc32c", 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(kitt_conn_crc32c)) {
		int ret = PTR_ERR(kitt_conn_crc32c);

		kitt_conn_crc32c = NULL;
		pr_err("no crc32c hash: %d\n", ret);
		return ret;
	}
	return 0;
}

/** kitt_conn_exit() - undo kitt_conn_init() */
void kitt_conn_exit(void)
{
	crypto_free_ahash(kitt_conn_crc32c);
}

/**
 * kitt_conn_set_rx_buf() - size the control-PDU receive buffer
 * @conn: the connection
 * @size: the new MaxRecvDataSegmentLength
 *
 * Return: 0 or -ENOMEM (the old buffer stays).
 */
int kitt_conn_set_rx_buf(struct kitt_conn *conn, u32 size)
{
	u8 *buf;

	if (size <= conn->rx_buf_size)
		return 0;
	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	kvfree(conn->rx_buf);
	conn->rx_buf = buf;
	conn->rx_buf_size = size;
	return 0;
}

static int kitt_conn_rx_thread(void *arg)
{
	struct kitt_conn *conn = arg;
	unsigned int noio = memalloc_noio_save();
	unsigned int send_timeout;
	int ret;

	ret = kitt_login_run(conn);
	if (!ret) {
		kitt_conn_login_end(conn);
		conn->rx_deadline = 0;
		conn->sock->sk->sk_rcvtimeo = MAX_SCHEDULE_TIMEOUT;
		/* A peer that stops reading is dropped, not waited for. */
		send_timeout = conn->tpg ? READ_ONCE(conn->tpg->attrib.send_timeout) :
					   kitt_default_send_timeout;
		conn->sock->sk->sk_sndtimeo = (long)send_timeout * HZ;
		/*
		 * A send only waits while the socket's buffer is full: a peer
		 * that advertises a zero window and keeps sending would fill
		 * megabytes first. The TCP user timeout drops it once data has
		 * gone unacknowledged (zero-window probes included) as long.
		 */
		tcp_sock_set_user_timeout(conn->sock->sk, send_timeout * MSEC_PER_SEC);
		WRITE_ONCE(conn->state, KITT_CONN_FULL_FEATURE);
		/* A hint: if the CPU goes offline the threads move elsewhere. */
		if (!conn->sess->discovery)
			conn->cpu = kitt_conn_pick_cpu();
		if (conn->cpu >= 0)
			set_cpus_allowed_ptr(current, cpumask_of(conn->cpu));
		ret = kitt_conn_start_tx(conn);
		if (!ret)
			ret = kitt_session_rx_loop(conn);
		if (ret == -ETIMEDOUT && conn->sess->discovery)
			pr_info_ratelimited("discovery session from %pISc sent nothing for %us, closed\n",
					    &conn->peer, READ_ONCE(kitt_discovery_idle_timeout));
	} else if (ret == -ETIMEDOUT) {
		pr_warn_ratelimited("login from %pISc timed out, connection closed\n",
				    &conn->peer);
	}
	kitt_conn_teardown(conn);
	memalloc_noio_restore(noio);
	module_put_and_kthread_exit(0);
	return 0;
}

/*
 * The host a connection came from, as one IPv6 address (the port aside):
 * an IPv4 peer and the same peer reached through an IPv6 socket
 * (::ffff:a.b.c.d) are one host. kitt's IPv6 listeners are V6ONLY, so the
 * second kind does not arrive today; the count must not depend on it.
 */
static void kitt_conn_host(const struct sockaddr_storage *ss, struct in6_addr *host)
{
	if (ss->ss_family == AF_INET)
		ipv6_addr_set_v4mapped(((const struct sockaddr_in *)ss)->sin_addr.s_addr, host);
	else if (ss->ss_family == AF_INET6)
		*host = ((const struct sockaddr_in6 *)ss)->sin6_addr;
	else
		memset(host, 0, sizeof(*host));
}

/*
 * May one more connection from @peer be held? Counts, under
 * kitt_conns_lock, the host's connections in login (max_login_per_host)
 * and in all (max_conns_per_host), and all of kitt's (max_conns).
 *
 * Return: KITT_LOGIN_ACCEPTED, or the outcome a refused one counts as.
 */
static enum kitt_login_outcome kitt_conn_limits(const struct sockaddr_storage *peer)
{
	unsigned int max_login = READ_ONCE(kitt_max_login_per_host);
	unsigned int max_host = READ_ONCE(kitt_max_conns_per_host);
	unsigned int max_all = READ_ONCE(kitt_max_conns);
	unsigned int logins = 0, host = 0, all = 0;
	struct in6_addr me, other;
	struct kitt_conn *conn;

	lockdep_assert_held(&kitt_conns_lock);
	kitt_conn_host(peer, &me);
	list_for_each_entry(conn, &kitt_conns, node) {
		all++;
		kitt_conn_host(&conn->peer, &other);
		if (!ipv6_addr_equal(&me, &other))
			continue;
		host++;
		if (READ_ONCE(conn->state) == KITT_CONN_LOGIN)
			logins++;
	}
	if (max_login && logins >= max_login) {
		pr_warn_ratelimited("%pISc already has %u connections in login, closing a new one\n",
				    peer, logins);
		return KITT_LOGIN_HOST_LIMIT;
	}
	if (max_host && host >= max_host) {
		pr_warn_ratelimited("%pISc already has %u connections (max_conns_per_host), closing a new one\n",
				    peer, host);
		return KITT_LOGIN_CONN_LIMIT;
	}
	if (max_all && all >= max_all) {
		pr_warn_ratelimited("kitt holds %u connections (max_conns), closing a new one from %pISc\n",
				    all, peer);
		return KITT_LOGIN_CONN_LIMIT;
	}
	return KITT_LOGIN_ACCEPTED;
}

/**
 * kitt_conn_accept() - take over a freshly accepted socket
 * @l: the listener it arrived on
 * @addr: @l's address
 * @gate: counts the connection while it is in login
 * @sock: the socket; ownership passes to kitt
 *
 * A connection over a limit (max_login_per_host, max_conns_per_host,
 * max_conns) is closed at once: checked before anything is allocated for
 * it, and again, authoritatively, as it joins kitt_conns.
 */
void kitt_conn_accept(struct kitt_listener *l, const struct sockaddr_storage *addr,
		      struct kitt_login_gate *gate, struct socket *sock)
{
	enum kitt_login_outcome refused = KITT_LOGIN_ACCEPTED;
	struct sockaddr_storage peer;
	struct kitt_conn *conn;
	struct task_struct *t;
	int ret;

	if (kernel_getpeername(sock, (struct sockaddr *)&peer) < 0)
		goto out_release;
	mutex_lock(&kitt_conns_lock);
	refused = kitt_conn_limits(&peer);
	mutex_unlock(&kitt_conns_lock);
	if (refused)
		goto out_release;

	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		goto out_release;
	conn->sock = sock;
	conn->listener = l;
	conn->listen_addr = *addr;
	conn->state = KITT_CONN_LOGIN;
	conn->id = atomic_inc_return(&kitt_conn_ids);
	conn->max_recv_dsl = KITT_LOGIN_MAX_DSL;
	conn->max_xmit_dsl = KITT_LOGIN_MAX_DSL;
	conn->nopin_ttt = 0xffffffff;
	conn->last_rx = jiffies;
	spin_lock_init(&conn->tx_lock);
	spin_lock_init(&conn->pool_lock);
	mutex_init(&conn->send_lock);
	INIT_LIST_HEAD(&conn->tx_queue);
	init_waitqueue_head(&conn->tx_wait);
	init_waitqueue_head(&conn->tx_room_wait);
	atomic_set(&conn->inflight, 0);
	init_waitqueue_head(&conn->inflight_wait);
	INIT_LIST_HEAD(&conn->sess_node);

	conn->rx_stash = kmalloc(KITT_RX_STASH_SIZE, GFP_KERNEL);
	conn->rx_scan.direct = KITT_RX_STASH_DIRECT;
	conn->pool = kcalloc(KITT_CONN_POOL_PAGES, sizeof(*conn->pool), GFP_KERNEL);
	ret = kitt_conn_set_rx_buf(conn, KITT_LOGIN_MAX_DSL);
	if (!ret)
		ret = kitt_stats_conn_init(&conn->stats);
	if (ret || !conn->rx_stash || !conn->pool)
		goto out_free;
	kernel_getsockname(sock, (struct sockaddr *)&conn->local);
	conn->peer = peer;
	tcp_sock_set_nodelay(sock->sk);

	if (!try_module_get(THIS_MODULE))
		goto out_free;
	t = kthread_create(kitt_conn_rx_thread, conn, "kitt_rx/%u", conn->id);
	if (IS_ERR(t)) {
		module_put(THIS_MODULE);
		goto out_free;
	}
	conn->rx_thread = t;
	conn->cpu = -1;

	/* The login must finish by then; kitt_conn_recv() enforces it. */
	conn->login_start = jiffies;
	conn->rx_deadline = conn->login_start + kitt_default_login_timeout * HZ;
	conn->sock->sk->sk_sndtimeo = kitt_default_login_timeout * HZ;

	mutex_lock(&kitt_conns_lock);
	refused = kitt_conn_limits(&peer);
	if (!refused)
		list_add_tail(&conn->node, &kitt_conns);
	mutex_unlock(&kitt_conns_lock);
	if (refused) {
		/* Never woken: it ends without running kitt_conn_rx_thread(). */
		kthread_stop(t);
		module_put(THIS_MODULE);
		goto out_free;
	}

	conn->login_gate = gate;
	atomic_inc(&gate->count);
	atomic_inc(&kitt_live_conns);

	kitt_dbg(KITT_DBG_CONN, "conn %u: accepted from %pISpc\n", conn->id, &conn->peer);
	trace_kitt_conn_accept(conn->id, &conn->peer, &conn->local);
	wake_up_process(t);
	return;

out_free:
	kitt_stats_conn_exit(&conn->stats);
	kvfree(conn->rx_buf);
	kfree(conn->pool);
	kfree(conn->rx_stash);
	kfree(conn);
out_release:
	if (refused)
		kitt_stats_login(NULL, refused);
	sock_release(sock);
}

/**
 * kitt_conn_close_matching() - close connections and wait for them
 * @match: predicate over a connection (called under kitt_conns_lock)
 * @arg: its argument
 */
void kitt_conn_close_matching(bool (*match)(struct kitt_conn *conn, void *arg), void *arg)
{
	struct kitt_conn *conn;
	bool found;
	int gen;

	do {
		found = false;
		gen = atomic_read(&kitt_conns_gen);
		mutex_lock(&kitt_conns_lock);
		list_for_each_entry(conn, &kitt_conns, node) {
			if (match(conn, arg)) {
				kitt_conn_shutdown(conn);
				found = true;
			}
		}
		mutex_unlock(&kitt_conns_lock);
		if (found)
			wait_event(kitt_conns_wait, atomic_read(&kitt_conns_gen) != gen);
	} while (found);
}

/**
 * kitt_conn_visit_ffp() - call @fn for each connection in full feature
 *	phase
 * @fn: called under kitt_conns_lock; it may queue PDUs on the connection,
 *	which its teardown (not begun yet) sends or drops; true when it did
 * @arg: its argument
 *
 * Return: the number of connections @fn returned true for.
 */
unsigned int kitt_conn_visit_ffp(bool (*fn)(struct kitt_conn *conn, void *arg), void *arg)
{
	struct kitt_conn *conn;
	unsigned int n = 0;

	mutex_lock(&kitt_conns_lock);
	list_for_each_entry(conn, &kitt_conns, node)
		if (READ_ONCE(conn->state) == KITT_CONN_FULL_FEATURE && conn->sess)
			n += fn(conn, arg);
	mutex_unlock(&kitt_conns_lock);
	return n;
}

static bool kitt_conn_match_listener(struct kitt_conn *conn, void *arg)
{
	return conn->listener == arg;
}

/**
 * kitt_conn_close_listener() - close every connection accepted through @l
 * @l: the listener going away
 */
void kitt_conn_close_listener(struct kitt_listener *l)
{
	kitt_conn_close_matching(kitt_conn_match_listener, l);
}
